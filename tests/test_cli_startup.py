"""The command line starts quickly: importing it, `--help` and scanning one article load none of
the heavy libraries the other commands use (each command imports its job when it runs)."""

import gc
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archiver.cli import COMMAND_MODULES, app

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


def run_watching(
    args: list[str], watched: list[str], *, check: bool = True
) -> tuple[list[str], str, str]:
    """`archiver ARGS` run in a fresh process (through ``RUN``): which of the ``watched`` modules
    it loaded, and its standard output and error."""
    out = subprocess.run(
        [sys.executable, "-c", RUN, json.dumps(args), json.dumps(watched)],
        capture_output=True,
        text=True,
        check=check,
    )
    *printed, loaded = out.stderr.strip().splitlines()
    return json.loads(loaded), out.stdout, "\n".join(printed)


@pytest.mark.parametrize(
    "args",
    [[], ["--help"], ["scan", "--help"], ["scan", str(SAMPLE)]],
    ids=["import", "help", "scan-help", "scan-article"],
)
def test_the_cli_loads_no_heavy_library_until_a_command_needs_it(args):
    loaded, stdout, _ = run_watching(args, list(HEAVY))
    assert loaded == []
    if args[:1] == ["scan"] and args[1:] != ["--help"]:
        assert '"platform"' in stdout  # the scan ran and printed its embeds


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
        "import gc, sys; from archiver.cli import application, main; application('scan')\n"
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


WIDGET = (
    '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Hi {} friends</p>&mdash; A (@a) '
    '<a href="https://twitter.com/a/status/1">May 1, 2022</a></blockquote>'
)


@pytest.mark.parametrize(
    ("name", "content", "posts", "loaded"),
    [
        ("article.txt", SAMPLE.read_text(), 5, []),
        ("article.html", SAMPLE.read_text(), 5, ["archiver.scan.html"]),
        ("widget.html", WIDGET.format("there"), 1, ["archiver.scan.html"]),  # read in C
        ("bold.html", WIDGET.format("<b>there</b>"), 1, ["archiver.scan.html", "lxml"]),
    ],
    ids=["text", "page", "plain-widget", "widget-lxml-reads"],
)
def test_an_article_loads_the_html_rules_and_lxml_only_when_it_needs_them(
    tmp_path, name, content, posts, loaded
):
    article = tmp_path / name
    article.write_text(content, encoding="utf-8")
    found, stdout, _ = run_watching(
        ["scan", str(article)], ["archiver.scan.html", "lxml", "logging"]
    )
    assert found == loaded
    assert stdout.count('"platform"') == posts
    if "<blockquote" in content:  # the same post, whether C or lxml read it
        assert '"text": "Hi there friends"' in stdout


def test_the_collectors_threshold_is_given_back_when_the_scan_ends():
    before = gc.get_threshold()
    result = CliRunner().invoke(app, ["scan", str(SAMPLE)])
    assert result.exit_code == 0 and result.stdout.count('"platform"') == 5
    assert gc.get_threshold() == before


def _registered(application) -> dict[str, str]:
    """Each command of ``application`` and the module whose function it runs."""
    commands = {
        info.name or info.callback.__name__.replace("_", "-"): info.callback.__module__
        for info in application.registered_commands
    }
    for group in application.registered_groups:
        modules = {info.callback.__module__ for info in group.typer_instance.registered_commands}
        assert len(modules) == 1, group.name
        commands[group.name] = modules.pop()
    return commands


def test_the_map_of_commands_names_the_module_that_registers_each():
    registered = _registered(app)
    assert registered == {
        name: f"archiver.cli.{module}" for name, module in COMMAND_MODULES.items()
    }
    assert len(registered) == 10  # archive, verify, export, lookup, show, recheck, replay, ...


def test_help_lists_every_command_in_the_order_it_always_has():
    shown = CliRunner().invoke(app, ["--help"]).stdout
    # A command's line is indented by two spaces; a description's wrapped line, by more.
    names = re.findall(r"^  (\S+)", shown.split("Commands:")[1], re.MULTILINE)
    assert names == [
        "archive", "verify", "export", "lookup", "show", "recheck", "replay", "scan", "serve", "db"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "own"),
    [
        (["scan", str(SAMPLE)], {"scan", "output"}),
        (["show", "--help"], {"lookup", "output"}),
        (["db", "--help"], {"db", "verify", "output"}),  # db shares verify's --tsa-roots
        (["--help"], set(COMMAND_MODULES.values()) | {"output"}),
        (["sacn"], set(COMMAND_MODULES.values()) | {"output"}),  # a mistyped name: all, for help
    ],
    ids=["scan", "show", "db", "help", "mistyped"],
)
def test_a_command_imports_only_the_module_that_registers_it(args, own):
    commands = [f"archiver.cli.{module}" for module in {*COMMAND_MODULES.values(), "output"}]
    loaded, stdout, stderr = run_watching(args, commands, check=False)
    assert loaded == sorted(f"archiver.cli.{module}" for module in own)
    if args[0] == "scan":
        assert stdout.count('"platform"') == 5
    elif args[0] == "sacn":
        assert "No such command 'sacn'" in stderr
    else:
        assert "Usage:" in stdout


def test_the_whole_application_is_there_for_whoever_imports_it_after_a_command_ran():
    code = (
        "import sys, archiver.cli as cli; sys.argv = ['archiver', 'scan', '--help']\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "from archiver.cli import app\n"
        "print(len(app.registered_commands) + len(app.registered_groups), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(done.stderr.split()[-1]) == 10


def test_a_crawl_of_article_files_loads_no_warc_reader(tmp_path):
    articles = [tmp_path / "a.txt", tmp_path / "b.txt"]
    for article in articles:
        article.write_bytes(SAMPLE.read_bytes())
    watched = ["archiver.sources.warc_records", "gzip", "tempfile", "asyncio"]
    loaded, stdout, _ = run_watching(["scan", *map(str, articles)], watched)
    assert loaded == []
    assert stdout.count('"source"') == 10  # a row for each of the five posts of each
