"""An install without a C compiler scans with the Python references, and gives the same records.

The package binds each compiled twin's public name to its Python reference when the C module
does not import (docs/development.md, "The compiled twins"); a child process in which the C
modules cannot import stands for such an install.
"""

import json
import subprocess
import sys
from dataclasses import astuple
from pathlib import Path

from archiver.scan import scan_bytes

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = [
    ROOT / "examples" / "zelensky-stays-in-kyiv.txt",
    ROOT / "examples" / "kyiv-desk-bluesky.html",
    *sorted((ROOT / "tests" / "fixtures" / "scan-accuracy").glob("*.txt")),
]
WITHOUT_TWINS = """
import json, pathlib, sys
from dataclasses import astuple
for twin in [*pathlib.Path("archiver").glob("_*.c"), *pathlib.Path("archiver/scan").glob("_*.c")]:
    # every twin, those to come too: its import raises ImportError
    sys.modules[".".join(twin.with_suffix("").parts)] = None
from archiver import urls
from archiver.scan import bare_urls, dates, gaps, html, links, markup, plain, post_text, prefilter
from archiver.scan import text, visible
from archiver.scan import scan_bytes
assert post_text.post_start is post_text.reference_post_start
assert gaps.typical_gap is gaps.reference_typical_gap
assert gaps.typical_gap_at_most is gaps.reference_typical_gap_at_most
assert text._dash_and_name is text.reference_dash_and_name
assert text.find_attributions is text.reference_find_attributions
assert plain.attribution_embeds is plain.reference_attribution_embeds
assert plain._attribution_embed is plain.attribution_embed
assert plain.has_quote_marker is plain.reference_has_quote_marker
assert plain.quoted_embeds is plain._python_quoted_embeds
assert visible.visible_text is visible.reference_visible_text
assert markup.read_snippet is markup.reference_read_snippet
assert markup.read_linked is markup.reference_read_linked
assert bare_urls.find_bare_urls is bare_urls.reference_find_bare_urls
assert plain.bare_url_embeds is plain._python_bare_url_embeds
assert prefilter.find_candidates is prefilter.reference_find_candidates
assert markup._elements is markup.reference_elements
assert markup.find_markup_embeds is markup.reference_find_markup_embeds
assert markup._widget_blockquote is markup.reference_widget_blockquote
assert markup._linked_blockquote is markup.reference_linked_blockquote
assert markup._tiktok_blockquote is markup.reference_tiktok_blockquote
assert html._anchors is html.reference_anchors
assert html._attribution_in_source is html.reference_attribution_in_source
assert html._plain_text_at is html.reference_plain_text_at
assert html._window_embeds is html.reference_window_embeds
assert html._clusters is html.reference_clusters
assert html._flattened_embeds is html.reference_flattened_embeds
assert links.pic_links is links.reference_pic_links
assert dates.match_date is dates.reference_match_date
assert dates.search_date is dates.reference_search_date
assert links.other_links is links.reference_other_links
assert links.clean_status_url is links.reference_clean_status_url
assert links.is_post_link is links.reference_is_post_link
assert urls.parse_post_url is urls.reference_parse_post_url
assert urls.pic_link_code is urls.reference_pic_link_code
assert urls.normalise_pic_link is urls.reference_normalise_pic_link
assert urls.shortlink_code is urls.reference_shortlink_code
assert markup.parse_post_url is urls.reference_parse_post_url
assert html.is_post_link is links.reference_is_post_link
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    print(json.dumps([list(astuple(e)) for e in scan_bytes(data, filename=path).embeds]))
"""


# A Markdown quote: its markers read as spaces (plain.reference_quote_markers_blanked)
QUOTED = (
    "The post, quoted:\n\n> Kyiv is holding.\n> 字 😀 pic.twitter.com/AbC1\n>\n"
    "> — Jane Roe (@janeroe) May 1, 2020\n\nAnd one alone on a quoted line:\n\n"
    ">\thttps://x.com/jane/status/705219971425574912\r\n"
)


def test_without_the_compiled_twins_the_scanner_gives_the_same_records(tmp_path):
    quoted = tmp_path / "quoted.txt"
    quoted.write_text(QUOTED, encoding="utf-8")
    articles = [*ARTICLES, quoted]
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_TWINS, *map(str, articles)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    compiled = [
        json.dumps([list(astuple(e)) for e in scan_bytes(p.read_bytes(), filename=str(p)).embeds])
        for p in articles
    ]
    assert done.stdout.splitlines() == compiled
    assert len(json.loads(compiled[0])) == 5  # the sample article's five posts
    assert [embed[2] for embed in json.loads(compiled[-1])] == [
        "Kyiv is holding.\n字 😀 pic.twitter.com/AbC1",
        "",
    ]
