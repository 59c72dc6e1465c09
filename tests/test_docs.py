"""The README's command table and the reference pages in docs/ cover every command.

The README lists every command in one table, each with the page of ``docs/`` that documents it
(its options and examples); each such page names the command; every page of ``docs/`` is in the
README's Reference table, and every relative link in the README and the pages leads to a file
that exists. (``test_readme_examples.py`` runs their shell examples.)
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT
from test_cli_episodes import _commands

from formkit.cli import cli

README = ROOT / "README.md"
DOCS = ROOT / "docs"


def command_table() -> dict[str, Path]:
    """The README's command table: each command's name and the page documenting it."""
    found = {}
    for name, page in re.findall(
        r"^\| `formkit ([a-z0-9 -]+)` \| .* \| \[[^\]]+\]\(([^)]+)\) \|$",
        README.read_text(encoding="utf-8"),
        re.MULTILINE,
    ):
        found[name] = ROOT / page
    return found


def test_every_command_is_in_the_readme_table_with_its_page() -> None:
    table = command_table()
    leaves = [name for name, command in _commands(cli) if not hasattr(command, "commands")]
    missing = [name for name in leaves if name not in table]
    assert not missing, f"the README's command table lacks: {', '.join(missing)}"
    assert sorted(table) == sorted(leaves), "the table names a command formkit does not have"


def test_each_command_is_documented_on_its_page() -> None:
    undocumented = [
        f"formkit {name} ({page.relative_to(ROOT)})"
        for name, page in command_table().items()
        if not page.is_file() or f"formkit {name}" not in page.read_text(encoding="utf-8")
    ]
    assert not undocumented, f"not on their page: {', '.join(undocumented)}"


def test_every_command_group_is_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    missing = [name for name, _ in _commands(cli) if f"formkit {name}" not in readme]
    assert not missing, f"README.md does not name: {', '.join(missing)}"


def test_every_docs_page_is_in_the_readme_reference() -> None:
    readme = README.read_text(encoding="utf-8")
    unlisted = [
        page.name for page in sorted(DOCS.glob("*.md")) if f"](docs/{page.name})" not in readme
    ]
    assert not unlisted, f"the README's Reference table lacks: {', '.join(unlisted)}"


def test_relative_links_lead_to_files() -> None:
    broken = []
    for page in [README, *sorted(DOCS.glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" not in target and not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} → {target}")
    assert not broken, f"broken links: {', '.join(broken)}"
