"""`--help` as people expect it from a command line: flags without types, examples to copy."""

import pytest
from typer.testing import CliRunner

from archiver.cli import app

COMMANDS = [
    ["archive"],
    ["lookup"],
    ["show"],
    ["verify"],
    ["recheck"],
    ["scan"],
    ["serve"],
    ["replay"],
    ["db", "check"],
    ["export"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_shows_options_without_python_types_and_an_example(command):
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "100"})

    assert result.exit_code == 0
    options = result.stdout.split("Options:", 1)[1]
    for python_type in ("<bool>", "<list[str]>", "<str>", "<int range>", "<float range>"):
        assert python_type not in options
    assert "Example" in result.stdout
    assert f"archiver {' '.join(command)} " in result.stdout.split("Example", 1)[1]
