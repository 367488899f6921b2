"""The scanner's walk back, dash and name, compiled (archiver/scan/*.c, issue 17); all else is in
pyproject.toml.

Optional: where no C compiler is found the install goes on, and archiver/scan/post_text.py and
text.py run the same rules in Python.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(f"archiver.scan.{name}", [f"archiver/scan/{name}.c"], optional=True)
        for name in ("_walk_back", "_dash_and_name")
    ]
)
