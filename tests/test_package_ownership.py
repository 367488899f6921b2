"""Each third-party package is imported by the one part of archiver owning it (docs/design.md),
and SQL is written in archiver/store/ only."""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "archiver"

# top-level import name -> the package paths (relative to archiver/) allowed to import it
OWNERS = {
    "bs4": ("scan",),
    "lxml": ("scan",),
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
