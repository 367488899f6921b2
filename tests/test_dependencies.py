"""Every runtime dependency pyproject.toml declares is imported somewhere in archiver/ (issue 16:
no declared dependency goes unused), the distribution mapped to its import names by the
installed metadata (beautifulsoup4 -> bs4, sqlite-utils -> sqlite_utils)."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "archiver"
STDLIB = frozenset(sys.stdlib_module_names)
# Declared for what they do inside another dependency, never imported by archiver itself.
NOT_IMPORTED = {
    "sniffio": "httpcore looks it up on every pool operation and falls back slowly without it",
}


def normalised(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> list[str]:
    """The distribution names of ``[project] dependencies``, without versions or extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = []
    for requirement in project["dependencies"]:
        match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
        assert match, f"not a requirement: {requirement!r}"
        names.append(normalised(match[0]))
    return names


def import_names() -> dict[str, set[str]]:
    """Each installed distribution's top-level import names."""
    names: dict[str, set[str]] = {}
    for module, distributions in packages_distributions().items():
        for distribution in distributions:
            names.setdefault(normalised(distribution), set()).add(module)
    return names


def imported_by_archiver() -> set[str]:
    """The top-level names archiver/ imports anywhere (inside functions too)."""
    names = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


DECLARED = declared()
IMPORT_NAMES = import_names()
IMPORTED = imported_by_archiver()


@pytest.mark.parametrize("distribution", [d for d in DECLARED if d not in NOT_IMPORTED])
def test_each_declared_dependency_is_imported(distribution):
    # A distribution the metadata does not map is looked for under its own name.
    names = IMPORT_NAMES.get(distribution) or {distribution.replace("-", "_")}
    assert names & IMPORTED, (
        f"{distribution} (imported as {sorted(names)}) is declared, never imported"
    )


def test_the_ones_declared_but_not_imported_still_are_so():
    for distribution in NOT_IMPORTED:
        assert distribution in DECLARED
        assert not IMPORT_NAMES.get(distribution, {distribution}) & IMPORTED


def test_the_mapping_knows_the_names_that_differ():
    assert IMPORT_NAMES["beautifulsoup4"] >= {"bs4"}
    assert IMPORT_NAMES["sqlite-utils"] >= {"sqlite_utils"}


def test_each_third_party_package_archiver_imports_is_declared():
    # The other way round: a package imported directly is declared, not borrowed from another
    # dependency's requirements (which may drop it in any release).
    declared_names = set().union(*(IMPORT_NAMES.get(d, {d.replace("-", "_")}) for d in DECLARED))
    third_party = {
        name
        for name in IMPORTED
        if name != "archiver" and name in packages_distributions() and name not in STDLIB
    }
    assert third_party - declared_names == set()
