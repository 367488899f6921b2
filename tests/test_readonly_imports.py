"""What only reads an archive loads no HTTP code: verify, lookup, export, `db check`, the Datasette
plugin and the witnesses' parsers they read stored answers with (issue 16)."""

import subprocess
import sys

import pytest

HTTP = ("httpx", "httpcore", "archiver.fetch")
READ_ONLY = [
    "import archiver.jobs.verify",
    "import archiver.jobs.lookup",
    "import archiver.jobs.export",
    "import archiver.store.check",  # archiver db check
    "import archiver.datasette.plugin",
    "import archiver.witnesses.platforms",  # every parser, as verify and parse_again read them
    "import archiver; archiver.verify_article; archiver.lookup; archiver.export",
]


@pytest.mark.parametrize("statement", READ_ONLY)
def test_reading_an_archive_loads_no_http_code(statement):
    code = f"import sys; {statement}; print(sorted(m for m in {HTTP!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_check_itself_sees_the_http_client():
    code = (
        f"import sys, archiver.jobs.recheck; print(sorted(m for m in {HTTP!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(sorted(HTTP))
