"""The scanner's compiled twins (archiver/scan/*.c, issue 17); all else is in pyproject.toml.

Each C module is the same rule as a Python function kept beside it as its reference
(docs/development.md, "The compiled twins"): the walk back and the paragraph break
(_walk_back.c), a flattened attribution's tail, dash, name and record (_attributions.c), the
visible text of HTML (_visible.c), a widget blockquote's snippet in its plain shape (_snippet.c),
bare status URLs alone on their line (_bare_urls.c), the pre-filter's searches over an HTML page
(_prefilter.c), the embed elements' start tags and ends (_elements.c), the <a> elements near an
attribution (_anchors.c), a post's links that are not picture links (_links.c).
Optional: where no C compiler is found the install goes on, and the scanner runs the references.
"""

from setuptools import Extension, setup

TWINS = (
    "_walk_back",
    "_attributions",
    "_visible",
    "_snippet",
    "_bare_urls",
    "_prefilter",
    "_elements",
    "_anchors",
    "_links",
)

setup(
    ext_modules=[
        Extension(
            f"archiver.scan.{name}",
            [f"archiver/scan/{name}.c"],
            depends=[
                "archiver/scan/_code_points.h",
                "archiver/scan/_embeds.h",
                "archiver/scan/_html_unescape.h",
            ],
            optional=True,
        )
        for name in TWINS
    ]
)
