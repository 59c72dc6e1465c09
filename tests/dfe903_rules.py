"""Run the DfE's SSDA903 validation rules for the Missing table (csc-validator-be-903) on a CSV.

This script runs inside the validator's own virtual environment (it needs pandas < 2), never in
formkit's: ``python dfe903_rules.py MISSING.csv 2026-27 [HEADER.csv]`` prints JSON, for every rule of that
collection year that reads the Missing table, the Missing rows it flags, or which table it needs
that was not given (such a rule is not run: it would pass without checking anything).
The rules are called as the validator registers them (``get_year_ruleset``), each on a fresh
copy of the table, since some rules convert its columns in place.
"""

from __future__ import annotations

import json
import sys

import pandas as pd
from lac_validator.rules.ruleset_utils import get_year_ruleset


def main(path: str, year: str, header: str | None = None) -> None:
    first = int(year[:4])
    tables = {"Missing": pd.read_csv(path, dtype=str)}
    if header is not None:
        tables["Header"] = pd.read_csv(header, dtype=str)
    metadata = {"collection_start": f"01/04/{first}", "collection_end": f"31/03/{first + 1}"}
    results: dict[str, object] = {}
    for code, rule in sorted(get_year_ruleset(str(first + 1)).items()):
        if not rule.tables or "Missing" not in rule.tables:
            continue
        needed = [t for t in rule.tables if t not in tables]
        if needed:
            results[code] = f"not run: needs {', '.join(needed)}"
            continue
        try:
            dfs = {name: table.copy() for name, table in tables.items()}
            found = rule.func({**dfs, "metadata": dict(metadata)})
        except Exception as exc:  # noqa: BLE001 - a rule needing another table is reported
            results[code] = f"not run: {type(exc).__name__}: {exc}"
            continue
        results[code] = [int(i) for i in found.get("Missing", [])]
    json.dump({"rows": len(tables["Missing"]), "rules": results}, sys.stdout)


if __name__ == "__main__":
    main(*sys.argv[1:4])
