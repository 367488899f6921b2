"""A real browser on `archiver serve`: headless Chromium renders the post page and the queries.

Chromium is Debian's (`make browser` installs it; `make test` runs that first). Without it the
tests fail in CI and are skipped elsewhere. Screenshots go to screenshots/ (git-ignored).
"""

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from archived_sample import HOSTILE_KEY, VANISHED_KEY
from archived_sample import served as served_archive
from datasette.utils import tilde_encode

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
WINDOW = (1280, 900)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-extensions",
    "--no-default-browser-check",
    # Only the server under test answers: every other host name fails to resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--virtual-time-budget=5000",
]


@pytest.fixture(scope="module")
def chromium():
    path = shutil.which("chromium")
    if path is None:
        message = "Debian's chromium is not installed: run `make browser`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def served(archived_sample_db):
    """The base URL of a real `archiver serve` on a free port of 127.0.0.1."""
    with served_archive(archived_sample_db) as (url, _):
        yield url


def render(chromium, tmp_path, url, *, screenshot=None):
    """The DOM after the page ran, from a fresh profile; a screenshot too when asked."""

    def run(*args, profile):
        return subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / profile}", *args, url],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )

    dom = run("--dump-dom", profile="dom").stdout
    if screenshot is not None:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / screenshot
        path.unlink(missing_ok=True)
        run(f"--screenshot={path}", "--window-size={},{}".format(*WINDOW), profile="shot")
        assert png_size(path) == WINDOW
    return dom


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_the_post_page_shows_hostile_text_as_text(chromium, served, tmp_path):
    dom = render(
        chromium,
        tmp_path,
        f"{served}archive/posts/{tilde_encode(HOSTILE_KEY)}",
        screenshot="datasette-post.png",
    )

    assert "<h1" in dom and HOSTILE_KEY in dom
    assert "echoes &lt;script&gt;alert(1)&lt;/script&gt; or &lt;img src=x" in dom
    assert "WebSec Daily &lt;svg onload=alert(4)&gt;" in dom
    assert "<script>alert(1)" not in dom
    assert "data-pwned" not in dom  # the onerror handler never ran
    assert (
        '<a href="https://example.org/xss?a=1&amp;b=2" rel="nofollow noopener noreferrer">' in dom
    )
    assert "rows-and-columns archiver-record" in dom  # shown as a record, one field a line
    assert 'data-archiver-column="text"' in dom


def test_the_vanished_posts_query_shows_each_window(chromium, served, tmp_path):
    dom = render(
        chromium, tmp_path, f"{served}archive/vanished_posts", screenshot="datasette-vanished.png"
    )

    assert "Posts that vanished" in dom
    rows = re.findall(r"<tr>(.*?)</tr>", dom, re.DOTALL)
    cells = [re.sub(r"<[^>]+>", "", row).split() for row in rows[1:]]
    assert [row[:2] for row in cells] == [
        [VANISHED_KEY, "ghost_reporter"],
        ["twitter:1784824936657846275", "early_deleter"],
    ]
    assert "2024-05-01T10:02:20.000Z" in cells[0] and "6.85" in cells[0]


def test_the_sample_article_beside_its_posts(chromium, served, tmp_path):
    dom = render(
        chromium,
        tmp_path,
        f"{served}archive/article_embeds?article=1",
        screenshot="datasette-article.png",
    )

    assert "One article's embeds beside their posts" in dom or "One article&#39;s" in dom
    for handle in ("ChristopherJM", "SaoSasha", "BNONews", "YVindman", "France24_en"):
        assert f">{handle}<" in dom
    assert dom.count(">live<") == 5


def test_the_post_page_shows_the_post_as_people_know_it(chromium, served, tmp_path):
    live = render(
        chromium,
        tmp_path / "live",
        f"{served}archive/posts/{tilde_encode('twitter:1497424309257414584')}",
        screenshot="datasette-post-card.png",
    )
    assert '<article class="archiver-post"' in live
    assert live.count('<img class="avatar" src="/-/archiver/media/') == 1
    assert live.count('<img class="picture" src="/-/archiver/media/') == 1
    assert "Yevgeny (Eugene) Vindman" in live and "@YVindman" in live

    deleted = render(
        chromium,
        tmp_path / "deleted",
        f"{served}archive/posts/{tilde_encode(VANISHED_KEY)}",
        screenshot="datasette-post-deleted.png",
    )
    assert "<strong>deleted</strong>: last seen live 2024-05-01T10:02:20.000Z" in deleted
    assert "first seen gone 2024-05-08T06:30:00.000Z" in deleted
    assert "rows-and-columns archiver-record" in deleted  # the record still follows the card


def test_the_home_page_leads_with_articles_posts_and_the_questions(chromium, served, tmp_path):
    dom = render(chromium, tmp_path, served, screenshot="datasette-home.png")

    lead = dom[dom.index("Start here") : dom.index("Every table")]
    assert ">Articles</a>" in lead and ">Posts</a>" in lead
    assert ">Posts that vanished</a>" in lead
