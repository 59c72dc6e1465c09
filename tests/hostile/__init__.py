"""Hostile input files, generated at test time so no bomb is ever committed."""
