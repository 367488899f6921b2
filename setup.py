"""The compiled twins (archiver/scan/*.c, archiver/_urls.c and archiver/_json_lines.c, issue 17);
all else is in pyproject.toml.

Each C module is the same rule as a Python function kept beside it as its reference
(docs/development.md, "The compiled twins"): the walk back and the paragraph break (_walk_back.c),
a flattened attribution's tail, dash, name and record (_attributions.c), the visible text of HTML
(_visible.c, and _visible_text.h that _flattened.c shares), a widget blockquote's snippet in its
plain shape (_snippet.c), Mastodon's, Instagram's, Threads' and TikTok's blockquotes in their plain
shape (_linked.c), bare status URLs alone on their line (_bare_urls.c, and _quote_markers.h, the
Markdown quote markers it reads as _attributions.c does), the pre-filter's searches
over an HTML page (_prefilter.c), the embed elements' start tags and ends and the loop over them
(_elements.c), the <a> elements near an attribution (_anchors.c, and _anchor_reading.h that
_flattened.c shares), a page's flattened attributions and bare URLs: their clusters, windows and
records (_flattened.c), the blockquotes' records (_widget.c), a widget's date (_dates.c, and
_dates.h that _attributions.c shares), a post's links that are not picture links (_links.c), and
beside urls.py, which the scan package imports, which post a URL names (archiver/_urls.c); and
`archiver scan`'s JSON Lines for an article's embeds and a crawl's rows (archiver/_json_lines.c,
beside archiver/cli/output.py).
Optional: where no C compiler is found the install goes on, and the scanner runs the references.
"""

from setuptools import Extension, setup

# Each twin's module name; its source is the same path, archiver/scan/_walk_back.c and so on.
TWINS = (
    "archiver.scan._walk_back",
    "archiver.scan._attributions",
    "archiver.scan._visible",
    "archiver.scan._snippet",
    "archiver.scan._linked",
    "archiver.scan._bare_urls",
    "archiver.scan._prefilter",
    "archiver.scan._elements",
    "archiver.scan._anchors",
    "archiver.scan._flattened",
    "archiver.scan._widget",
    "archiver.scan._dates",
    "archiver.scan._links",
    "archiver._urls",
    "archiver._json_lines",
)

setup(
    ext_modules=[
        Extension(
            name,
            [name.replace(".", "/") + ".c"],
            depends=[
                "archiver/scan/_code_points.h",
                "archiver/scan/_html_unescape.h",
                "archiver/scan/_plain_markup.h",
                "archiver/scan/_embeds.h",
                "archiver/scan/_dates.h",
                "archiver/scan/_link_code.h",
                "archiver/scan/_visible_text.h",
                "archiver/scan/_anchor_reading.h",
                "archiver/scan/_post_fields.h",
                "archiver/scan/_markup_in_place.h",
                "archiver/scan/_quote_markers.h",
            ],
            optional=True,
        )
        for name in TWINS
    ]
)
