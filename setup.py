"""The scanner's walk back, compiled (archiver/scan/_walk_back.c, issue 17); all else is in pyproject.toml.

Optional: where no C compiler is found the install goes on, and archiver/scan/post_text.py runs
the same rule in Python.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("archiver.scan._walk_back", ["archiver/scan/_walk_back.c"], optional=True)
    ]
)
