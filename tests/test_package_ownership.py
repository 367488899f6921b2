"""Each third-party package is imported by the one part of archiver owning it, archiver's own
parts import each other only down its layers (docs/design.md), and SQL is written in
archiver/store/ only."""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "archiver"

# top-level import name -> the package paths (relative to archiver/) allowed to import it
OWNERS = {
    "bs4": ("scan", "witnesses"),
    "lxml": ("scan", "witnesses"),
    "httpx": ("fetch",),
    "httpcore": ("fetch",),
    "sqlite_utils": ("store",),
    "sqlite3": ("store",),
    "typer": ("cli",),
    "rich": ("cli",),
    "click": ("cli",),
    "datasette": ("datasette",),
    "feedparser": ("sources",),
    "warcio": ("sources", "evidence"),
    "cdxj_indexer": ("evidence",),
    "cryptography": ("evidence",),
    "libipld": ("evidence",),
    "rfc3161_client": ("evidence",),
    "certifi": ("evidence",),
    "dask": ("crawl",),
    "distributed": ("crawl",),
    "pyarrow": ("crawl",),
}
# Within their owner, the modules that may import them: the rest of archiver/crawl/ stays light,
# so that a scan on one process loads neither.
MODULES_OF = {
    "dask": ("crawl/cluster.py",),
    "distributed": ("crawl/cluster.py",),
    "pyarrow": ("crawl/parquet.py",),
}
STDLIB_ONLY = ("models.py", "errors.py")


def imported_top_level_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def owner_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0]


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_third_party_packages_stay_in_their_owner(path):
    imported = imported_top_level_names(path)
    strays = {name for name in imported if name in OWNERS and owner_of(path) not in OWNERS[name]}
    assert not strays, f"{path.relative_to(PACKAGE)} imports {sorted(strays)}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_dask_and_pyarrow_stay_in_their_one_module(path):
    module = str(path.relative_to(PACKAGE))
    imported = imported_top_level_names(path)
    strays = {
        name for name, owners in MODULES_OF.items() if name in imported and module not in owners
    }
    assert not strays, f"{module} imports {sorted(strays)}"


@pytest.mark.parametrize("name", STDLIB_ONLY)
def test_models_and_errors_use_the_standard_library_only(name):
    import sys

    imported = imported_top_level_names(PACKAGE / name)
    outside = {n for n in imported if n not in sys.stdlib_module_names and n != "__future__"}
    assert not outside


def test_the_check_itself_sees_a_stray_import(tmp_path):
    stray = tmp_path / "stray.py"
    stray.write_text("import httpx\nfrom bs4 import BeautifulSoup\n", encoding="utf-8")
    assert imported_top_level_names(stray) == {"httpx", "bs4"}


# Archiver's own layers, top to bottom. A module may import its own part and the parts of any layer
# below its own; never a part of a layer above, nor another part of its own layer:
#
#   __main__                 ``python -m archiver``: runs the command line
#   cli                      the command line: may import everything below
#   archiver (__init__.py)   the public API: loads jobs, scan, store, models, errors by name
#   jobs                     what a command runs: combines scan, fetch, store, witnesses, evidence
#   crawl                    scanning web crawls on Dask: downloads WARC files with fetch's client
#                            and scans them, so it sits under jobs and above fetch and scan
#   fetch, datasette         HTTP only (asks; the witnesses read the answers); the Datasette plugin
#   scan, witnesses, store   text in, embeds out; pure parsers of stored answers; the only SQL
#   urls, sources, replay, evidence   URL patterns; input files; the replay server; pure proofs
#   models, errors, textmatch, logs, lazy_pattern   dataclasses, the exception tree, quote
#                            matching, the loggers, regular expressions compiled at first use
#
# ``from archiver import __version__`` is allowed anywhere: it names a constant of the package,
# defined before anything is imported, not the public API's layer.
LAYERS = (
    ("__main__",),
    ("cli",),
    ("archiver",),
    ("jobs",),
    ("crawl",),
    ("fetch", "datasette"),
    ("scan", "witnesses", "store"),
    ("urls", "sources", "replay", "evidence"),
    ("models", "errors", "textmatch", "logs", "lazy_pattern"),
)
LAYER_OF = {part: depth for depth, parts in enumerate(LAYERS) for part in parts}
# On top of the layers: scan, fetch and store never import each other, and only these parts
# combine them (the witnesses, a layer below fetch, import none of fetch, store, jobs or cli).
USERS = {
    "scan": {"cli", "archiver", "jobs", "crawl"},
    "fetch": {"cli", "jobs", "crawl"},
    "store": {"cli", "archiver", "jobs", "datasette"},
}


# A compiled twin at the package's root belongs to the part whose rules it compiles.
COMPILED_PARTS = {
    "_urls": "urls",  # archiver/_urls.c: urls.py's
    "_json_lines": "cli",  # archiver/_json_lines.c: cli/output.py's
}


def part_of(path: Path) -> str:
    """The part of archiver a module belongs to: its subpackage, its root module's name, or
    ``archiver`` for the package's own __init__.py."""
    relative = path.relative_to(PACKAGE)
    if len(relative.parts) > 1:
        return relative.parts[0]
    return "archiver" if relative.name == "__init__.py" else relative.stem


def imported_parts(path: Path) -> set[str]:
    """The parts of archiver a module imports, however it spells the import (absolute, relative,
    ``from archiver import part``, inside a function or under TYPE_CHECKING)."""
    package = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    parts = set()
    for node in ast.walk(tree):
        modules: list[tuple[str, list[str]]] = []
        if isinstance(node, ast.Import):
            modules = [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            modules = [(module, [alias.name for alias in node.names])]
        for module, names in modules:
            dotted = module.split(".")
            if dotted[0] != "archiver":
                continue
            if len(dotted) > 1:
                parts.add(COMPILED_PARTS.get(dotted[1], dotted[1]))
                continue
            for name in names:
                if (PACKAGE / name).is_dir() or (PACKAGE / f"{name}.py").is_file():
                    parts.add(name)
                elif name != "__version__":
                    parts.add("archiver")
    return parts


def layer_problems(importer: str, imported: set[str]) -> list[str]:
    problems = []
    for part in sorted(imported - {importer}):
        if LAYER_OF[part] <= LAYER_OF[importer]:
            where = "the same layer" if LAYER_OF[part] == LAYER_OF[importer] else "a layer above"
            problems.append(f"{importer} imports {part}, of {where}")
        elif part in USERS and importer not in USERS[part]:
            problems.append(f"{importer} imports {part}, which only {sorted(USERS[part])} may")
    return problems


def test_every_part_of_archiver_has_a_layer():
    parts = {part_of(path) for path in MODULES}
    assert parts == set(LAYER_OF)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_archivers_own_imports_run_down_the_layers(path):
    problems = layer_problems(part_of(path), imported_parts(path))
    assert not problems, f"{path.relative_to(PACKAGE)}: {'; '.join(problems)}"


def test_the_layer_check_itself_sees_an_import_running_up_or_across():
    module = PACKAGE / "witnesses" / "payload.py"
    assert imported_parts(module) == {"models"}
    assert layer_problems("witnesses", {"fetch", "store", "models"}) == [
        "witnesses imports fetch, of a layer above",
        "witnesses imports store, of the same layer",
    ]
    assert layer_problems("fetch", {"scan", "witnesses"}) == [
        "fetch imports scan, which only ['archiver', 'cli', 'crawl', 'jobs'] may"
    ]
    assert layer_problems("datasette", {"store"}) == []


# SQL as archiver writes it: upper-case keywords. Docstrings are prose and are not checked.
SQL = re.compile(
    r"\bSELECT\s|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\S+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\bPRAGMA\s|\b(CREATE|DROP|ALTER)\s+(UNIQUE\s+|VIRTUAL\s+)?(TABLE|INDEX|TRIGGER|VIEW)\b"
)


def sql_literals(path: Path) -> list[str]:
    """The string literals of a module (f-strings' parts included) that hold SQL."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and SQL.search(node.value)
    ]


@pytest.mark.parametrize(
    "path",
    [path for path in MODULES if owner_of(path) != "store"],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_sql_is_written_in_the_store_only(path):
    # The Datasette plugin too: it calls store readers over Datasette's connection.
    assert not sql_literals(path), f"{path.relative_to(PACKAGE)} holds SQL; it belongs in store/"


def test_the_sql_check_itself_sees_sql(tmp_path):
    module = tmp_path / "stray.py"
    module.write_text(
        '"""SELECT in a docstring is prose."""\n'
        "async def media(db, table, sha256):\n"
        '    """UPDATE posts SET: prose too."""\n'
        '    await db.execute("SELECT content FROM blobs WHERE sha256 = ?", [sha256])\n'
        '    await db.execute(f"DELETE FROM {table}")\n'
        '    return "querySelectorAll", "DELETE", "selected from the archive"\n',
        encoding="utf-8",
    )
    assert sql_literals(module) == ["SELECT content FROM blobs WHERE sha256 = ?", "DELETE FROM "]


@pytest.mark.parametrize(
    "path",
    [path for path in MODULES if owner_of(path) in ("store", "datasette")],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_store_and_datasette_modules_stay_under_500_lines(path):
    # issue 16: no module over 500 lines (replay/ checks its own; fetch/ is being split)
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 500
