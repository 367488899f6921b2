"""Every module that logs does so under the "archiver" logger and its NullHandler: a warning of
the library is never printed bare on stderr beside the command line's own `archiver:` line."""

import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "archiver"
LOGGING_MODULES = sorted(
    ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    for path in PACKAGE.rglob("*.py")
    if "log = logger(__name__)" in path.read_text(encoding="utf-8")
)

WARN = """
import importlib, sys
module = importlib.import_module(sys.argv[1])
module.log.warning("a warning of the library")
"""


def _stderr_of_a_warning(module: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", WARN, module], capture_output=True, text=True, check=True
    )
    return done.stderr


def test_the_modules_that_log_are_found():
    assert {"archiver.fetch.client", "archiver.jobs.record"} <= set(LOGGING_MODULES)


@pytest.mark.parametrize("module", LOGGING_MODULES)
def test_a_warning_of_the_library_is_not_printed_without_a_handler_of_its_user(module):
    assert _stderr_of_a_warning(module) == ""


def test_without_the_null_handler_a_warning_is_printed_bare():
    # What Python does with no handler at all: what the NullHandler of "archiver" prevents.
    code = "import logging; logging.getLogger('archiver.elsewhere').warning('printed bare')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr == "printed bare\n"
