"""docs/design.md's map of the package names every room the tree has, and nothing it does not."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "archiver"


def the_map() -> str:
    text = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    return text.split("```\narchiver/\n", 1)[1].split("```", 1)[0]


def test_every_subpackage_and_top_module_is_on_the_map():
    named = the_map()
    rooms = [p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()]
    modules = [p.name for p in PACKAGE.glob("*.py") if p.name not in ("__main__.py",)]
    for room in rooms:
        assert re.search(rf"^\s+{room}/", named, re.M), f"archiver/{room}/ is not on the map"
    for module in modules:
        assert module in named, f"archiver/{module} is not on the map"


def test_every_job_is_on_the_map_and_the_map_names_no_job_that_is_gone():
    named = the_map()
    jobs_part = named.split("  jobs/", 1)[1].split("\n  scan/", 1)[0]
    on_map = set(re.findall(r"\b([a-z_]+)\.py\b", jobs_part))
    in_tree = {p.stem for p in (PACKAGE / "jobs").glob("*.py") if p.name != "__init__.py"}
    assert on_map == in_tree
