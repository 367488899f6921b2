"""Every command reports failures the one way (archiver/cli/output.py: run_errors): one line on
stderr, ``archiver: ...``, control characters escaped, exit 2 for bad input."""

import pytest
from typer.testing import CliRunner

from archiver.cli import app

HOSTILE = "no\x1b[2Jwhere"  # a name that would clear the screen if printed as it is


@pytest.mark.parametrize(
    "args",
    [
        ["lookup", "--db", "{missing}", "x"],
        ["show", "--db", "{missing}", "twitter:1"],
        ["verify", "--db", "{missing}", "https://example.com/a"],
        ["db", "check", "--db", "{missing}"],
        ["serve", "--db", "{missing}", "--port", "0"],
        ["replay", "{missing}"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_a_missing_input_is_one_inert_line_and_exit_2(tmp_path, args):
    missing = str(tmp_path / HOSTILE)
    result = CliRunner().invoke(app, [a.replace("{missing}", missing) for a in args])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("archiver: ") and result.stderr.count("\n") == 1
    assert "\x1b" not in result.stderr and "\\x1b[2J" in result.stderr
