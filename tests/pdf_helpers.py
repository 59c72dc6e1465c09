"""Shared helpers for the PDF form tests: templates, deep merge, tools."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PDF_TEMPLATES = ROOT / "formkit" / "templates" / "pdf"
TEMPLATE_NAMES = ["nyas-referral", "rhi-form", "missing-profile"]


def merge(base: Any, update: Any) -> Any:
    """``update`` laid over ``base``: dicts by key, lists of dicts by position."""
    if isinstance(base, dict) and isinstance(update, dict):
        merged = dict(base)
        for key, value in update.items():
            merged[key] = merge(base.get(key), value) if key in base else value
        return merged
    if (
        isinstance(base, list)
        and isinstance(update, list)
        and update
        and isinstance(update[0], dict)
    ):
        merged_list = list(base)
        for index, value in enumerate(update):
            if index < len(merged_list):
                merged_list[index] = merge(merged_list[index], value)
            else:
                merged_list.append(value)
        return merged_list
    return update


def normalised(data: Any) -> Any:
    """Lists of plain words sorted: a form's tick boxes come back in the form's order."""
    if isinstance(data, dict):
        return {key: normalised(value) for key, value in data.items()}
    if isinstance(data, list):
        items = [normalised(value) for value in data]
        if all(isinstance(item, str) for item in items):
            return sorted(items)
        return items
    return data


def pdf_text(pdftotext: str, path: Path) -> str:
    result = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(result.stdout.split())


def qpdf_check(qpdf: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
