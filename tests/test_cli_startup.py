"""The command line starts quickly: importing it, `--help` and scanning one article load none of
the heavy libraries the other commands use (each command imports its job when it runs)."""

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archiver.cli import app

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zelensky-stays-in-kyiv.txt"

# The HTTP client, the store, the WACZ indexer, Datasette, Dask, WARC files, Parquet, and the
# cryptography of time-stamps: what archive, recheck, export, verify, serve and crawls need.
HEAVY = (
    "httpx",
    "sqlite_utils",
    "cdxj_indexer",
    "datasette",
    "dask",
    "warcio",
    "pyarrow",
    "cryptography",
)

RUN = """
import json, sys
args, heavy = json.loads(sys.argv[1]), json.loads(sys.argv[2])
import archiver.cli
sys.argv = ["archiver", *args]
if len(sys.argv) > 1:
    try:
        archiver.cli.main()
    except SystemExit:
        pass
loaded = sorted(m for m in heavy if m in sys.modules)
print(json.dumps(loaded), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args",
    [[], ["--help"], ["scan", "--help"], ["scan", str(SAMPLE)]],
    ids=["import", "help", "scan-help", "scan-article"],
)
def test_the_cli_loads_no_heavy_library_until_a_command_needs_it(args):
    out = subprocess.run(
        [sys.executable, "-c", RUN, json.dumps(args), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stderr.strip().splitlines()[-1]) == []
    if args[:1] == ["scan"] and args[1:] != ["--help"]:
        assert '"platform"' in out.stdout  # the scan ran and printed its embeds


def test_what_the_imports_made_is_left_out_of_every_collection():
    code = (
        "import gc, sys; from archiver.cli import main; sys.argv = ['archiver', 'scan', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(gc.get_freeze_count(), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLE)], capture_output=True, text=True, check=True
    )

    assert int(done.stderr.split()[-1]) > 10_000  # the modules' functions, classes and dicts


def test_a_scan_of_many_posts_is_not_interrupted_by_the_collector_again_and_again(tmp_path):
    article = tmp_path / "long.txt"
    article.write_bytes(b"\n\n".join([SAMPLE.read_bytes()] * 400))  # 2,000 posts, 1 MB
    code = (
        "import gc, sys; from archiver.cli import main\n"
        "passes = []; gc.callbacks.append(lambda phase, info: passes.append(phase))\n"
        "sys.argv = ['archiver', 'scan', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(passes.count('start'), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(article)], capture_output=True, text=True, check=True
    )

    assert done.stdout.count('"platform"') == 2_000
    assert int(done.stderr.split()[-1]) <= 3  # 11 at the default, a pass every 700 new objects


@pytest.mark.parametrize(
    ("name", "loaded"), [("article.txt", []), ("article.html", ["archiver.scan.html", "lxml"])]
)
def test_a_text_article_is_scanned_without_the_html_rules_or_logging(tmp_path, name, loaded):
    article = tmp_path / name
    article.write_bytes(SAMPLE.read_bytes())
    watched = ["archiver.scan.html", "lxml", "logging"]
    out = subprocess.run(
        [sys.executable, "-c", RUN, json.dumps(["scan", str(article)]), json.dumps(watched)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stderr.strip().splitlines()[-1]) == loaded
    assert out.stdout.count('"platform"') == 5


def test_the_collectors_threshold_is_given_back_when_the_scan_ends():
    before = gc.get_threshold()
    result = CliRunner().invoke(app, ["scan", str(SAMPLE)])
    assert result.exit_code == 0 and result.stdout.count('"platform"') == 5
    assert gc.get_threshold() == before
