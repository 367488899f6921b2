"""The library's public surface: `archiver.__all__`, each name loaded when first used."""

import subprocess
import sys

import archiver

PUBLIC = [
    "Archive",
    "ArchiveRequest",
    "ArchiverError",
    "ArticleVerification",
    "Embed",
    "EmbedVerification",
    "ExportFormat",
    "ExportSummary",
    "InputError",
    "RunSummary",
    "ScanResult",
    "__version__",
    "archive",
    "export",
    "lookup",
    "open_archive",
    "recheck",
    "resolve_db_path",
    "scan_bytes",
    "scan_text",
    "verify_article",
]


def test_all_lists_the_public_names_and_each_resolves():
    assert sorted(archiver.__all__) == sorted(PUBLIC)
    assert set(archiver._EXPORTS) == set(PUBLIC) - {"__version__"}  # one list, kept in step
    for name in PUBLIC:
        assert getattr(archiver, name) is not None, name
    assert callable(archiver.export) and callable(archiver.verify_article)


def test_the_api_scans_an_article():
    found = archiver.scan_bytes(
        "Ok pic.twitter.com/abc — A (@a) May 1, 2022".encode(), content_type="text/plain"
    )
    assert [(e.handle, e.date, e.pic_links) for e in found.embeds] == [
        ("a", "2022-05-01", ("pic.twitter.com/abc",))
    ]


def test_an_unknown_name_is_an_attribute_error():
    try:
        archiver.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("no AttributeError")


def test_importing_the_package_loads_no_http_client():
    code = "import sys, archiver; archiver.scan_bytes(b'x'); print(sorted(m for m in ('httpx', 'typer', 'datasette') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
