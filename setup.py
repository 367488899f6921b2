"""The scanner's compiled parts (issue 17): the walk back (archiver/scan/_walk_back.c) and the
visible text of HTML (archiver/scan/_visible.c); all else is in pyproject.toml.

Optional: where no C compiler is found the install goes on, and archiver/scan/post_text.py and
archiver/scan/visible.py run the same rules in Python.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("archiver.scan._walk_back", ["archiver/scan/_walk_back.c"], optional=True),
        Extension("archiver.scan._visible", ["archiver/scan/_visible.c"], optional=True),
    ]
)
