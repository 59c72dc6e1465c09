"""formkit's benchmarks: ``make bench`` runs every ``bench/bench_*.py`` and prints figures."""
