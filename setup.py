"""The scanner's compiled twins (archiver/scan/*.c, issue 17); all else is in pyproject.toml.

Each C module is the same rule as a Python function kept beside it as its reference
(docs/development.md, "The compiled twins"): the walk back and the paragraph break
(_walk_back.c), a flattened attribution's tail, dash, name and record (_attributions.c), the
visible text of HTML (_visible.c), a widget blockquote's snippet in its plain shape (_snippet.c),
Mastodon's, Instagram's, Threads' and TikTok's blockquotes in their plain shape (_linked.c),
bare status URLs alone on their line (_bare_urls.c), the pre-filter's searches over an HTML page
(_prefilter.c), the embed elements' start tags and ends (_elements.c), the <a> elements near an
attribution (_anchors.c), the record of a flattened attribution in a page (_flattened.c),
a widget blockquote's record (_widget.c), a widget's date (_dates.c, and _dates.h that
_attributions.c shares), a post's links that are not picture links (_links.c).
Optional: where no C compiler is found the install goes on, and the scanner runs the references.
"""

from setuptools import Extension, setup

TWINS = (
    "_walk_back",
    "_attributions",
    "_visible",
    "_snippet",
    "_linked",
    "_bare_urls",
    "_prefilter",
    "_elements",
    "_anchors",
    "_flattened",
    "_widget",
    "_dates",
    "_links",
)

setup(
    ext_modules=[
        Extension(
            f"archiver.scan.{name}",
            [f"archiver/scan/{name}.c"],
            depends=[
                "archiver/scan/_code_points.h",
                "archiver/scan/_html_unescape.h",
                "archiver/scan/_plain_markup.h",
                "archiver/scan/_embeds.h",
                "archiver/scan/_dates.h",
            ],
            optional=True,
        )
        for name in TWINS
    ]
)
