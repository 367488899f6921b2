"""The README's tour, run as written right after `make demo`, in a fresh folder like the project's."""

import os
import re
import subprocess

import httpx
import pytest
from archived_sample import serving
from conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def tour_commands() -> list[str]:
    """The tour's code block, one command a line, comments dropped."""
    block = re.search(r"^## A tour\n.*?^```\n(.*?)^```", README, re.MULTILINE | re.DOTALL)
    assert block, "the README has a tour"
    return [line.split("  #")[0].strip() for line in block[1].splitlines() if line.strip()]


@pytest.fixture(scope="module")
def after_make_demo(tmp_path_factory):
    """A folder with the project's examples and .venv, where examples/demo.sh (make demo) ran."""
    if not (ROOT / ".venv" / "bin" / "archiver").exists() and not os.environ.get("CI"):
        # make test builds it (and .ci/run must have it); a git worktree tested with another
        # checkout's venv has none of its own
        pytest.skip("the tour runs the checkout's own .venv/bin/archiver, and it has none")
    folder = tmp_path_factory.mktemp("checkout")
    (folder / "examples").symlink_to(ROOT / "examples")
    (folder / ".venv").symlink_to(ROOT / ".venv")
    subprocess.run(["bash", "examples/demo.sh"], cwd=folder, env=clean_env(), check=True)
    return folder


def clean_env() -> dict[str, str]:
    """A shell where archiver is not on PATH and nothing of archiver's is set."""
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp")}


def test_the_tour_runs_as_written_after_make_demo(after_make_demo):
    commands = [c for c in tour_commands() if c != "archiver serve"]
    script = "set -eu\n" + "".join(f"echo '$ {c}'\n{c}\n" for c in commands)
    result = subprocess.run(
        ["bash", "-c", script], cwd=after_make_demo, env=clean_env(), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    assert "1 unchanged" in result.stdout
    assert '"handle": "ChristopherJM"' in result.stdout  # lookup of pic.twitter.com/bgHyrsbVFs
    assert '"verifiable": true' in result.stdout


def test_the_tours_serve_shows_the_archive_under_archive(after_make_demo):
    commands = tour_commands()
    assert commands[-1] == "archiver serve"
    assert "http://127.0.0.1:8001/archive" in README
    setup = "".join(f"{c}\n" for c in commands if c.startswith((". ", "export ")))
    command = ["bash", "-c", setup + "exec archiver serve --port 0"]
    with serving(command, cwd=after_make_demo, env=clean_env()) as (url, line, _):
        assert "demo/archive.db" in line
        page = httpx.get(url + "archive/posts.json?_shape=array")
        assert page.status_code == 200
        assert len(page.json()) == 6  # the sample's five X posts and the demo's Bluesky post
