"""Reading articles from files, folders, standard input, WARC files, feeds and sitemaps."""

import io
import os
import threading
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archiver.errors import InputError
from archiver.models import ArticleInput
from archiver.sources.feeds import FeedEntry, feed_entries, sitemap_locations
from archiver.sources.files import _read_at_most, article_files, read_article_file, read_stdin
from archiver.sources.warc import is_warc, read_warc

ARTICLE_HTML = (
    b"<html><head><title>Zelensky stays</title></head><body><p>He is not leaving.</p>"
    b'<blockquote class="twitter-tweet"><p lang="en" dir="ltr">We are here.</p>&mdash; '
    b"Christopher Miller (@ChristopherJM) "
    b'<a href="https://twitter.com/ChristopherJM/status/1497303154324017152">February 25, 2022</a>'
    b"</blockquote></body></html>"
)


def test_a_file_is_read_whole_with_its_type_from_the_suffix(tmp_path):
    path = tmp_path / "story.html"
    path.write_bytes(ARTICLE_HTML)
    assert read_article_file(path) == ArticleInput(
        source=str(path.resolve()), content=ARTICLE_HTML, content_type="text/html"
    )


def test_missing_and_oversized_files_are_clear_errors(tmp_path):
    with pytest.raises(InputError, match="No such file"):
        read_article_file(tmp_path / "nope.txt")
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 101)
    with pytest.raises(InputError, match="100-byte limit"):
        read_article_file(big, max_bytes=100)


def test_a_file_at_the_limit_is_read_and_one_byte_more_is_refused(tmp_path):
    path = tmp_path / "edge.txt"
    path.write_bytes(b"y" * 100)
    assert read_article_file(path, max_bytes=100).content == b"y" * 100
    path.write_bytes(b"y" * 101)
    with pytest.raises(InputError, match="100-byte limit"):
        read_article_file(path, max_bytes=100)


@pytest.mark.parametrize(
    ("written", "refused"), [(b"", False), (b"z" * 150, False), (b"z" * 201, True)]
)
def test_a_named_pipe_which_gives_no_size_is_read_to_its_end_within_the_limit(
    tmp_path, written, refused
):
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    writer = threading.Thread(target=pipe.write_bytes, args=(written,))
    writer.start()
    try:
        if refused:
            with pytest.raises(InputError, match="200-byte limit"):
                read_article_file(pipe, max_bytes=200)
        else:
            assert read_article_file(pipe, max_bytes=200).content == written
    finally:
        writer.join(timeout=10)


@pytest.mark.parametrize(
    ("content", "stated", "limit", "read"),
    [
        (b"g" * 10, 4, 100, b"g" * 10),  # grew after its size was read: the rest read too
        (b"g" * 10, 4, 9, None),  # grew past the limit
        (b"g" * 3, 8, 100, b"g" * 3),  # shrank: the next read finds its end
        (b"g" * 8, 8, 8, b"g" * 8),
    ],
)
def test_a_file_read_at_its_stated_size_gives_what_it_holds_when_read(content, stated, limit, read):
    stream = io.BytesIO(content)
    if read is None:
        with pytest.raises(InputError, match=f"{limit}-byte limit"):
            _read_at_most(stream.read, limit, what="f", size=stated)
    else:
        assert _read_at_most(stream.read, limit, what="f", size=stated) == read


class ShortReads(io.RawIOBase):
    """A raw stream each of whose reads gives at most 3 bytes, as an unbuffered file may."""

    def __init__(self, content: bytes) -> None:
        self._content = io.BytesIO(content)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._content.read(min(3, len(buffer)))
        buffer[: len(chunk)] = chunk
        return len(chunk)


@pytest.mark.parametrize(("size", "limit"), [(10, 100), (0, 100), (10, 10)])
def test_a_read_that_comes_back_short_is_not_taken_for_the_end(size, limit):
    assert _read_at_most(ShortReads(b"h" * 10).read, limit, what="f", size=size) == b"h" * 10
    with pytest.raises(InputError, match="9-byte limit"):
        _read_at_most(ShortReads(b"h" * 10).read, 9, what="f", size=size)


def test_a_folder_walk_takes_articles_in_order_and_skips_the_rest(tmp_path):
    for name in ["b.md", "a.txt", "sub/c.HTML", "sub/.hidden.txt", ".git/x.txt", "notes.pdf"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in article_files(tmp_path)] == [
        "a.txt",
        "b.md",
        "sub/c.HTML",
    ]


def test_standard_input_is_one_article():
    assert read_stdin(io.BytesIO(b"text")) == ArticleInput(source="-", content=b"text")
    with pytest.raises(InputError, match="standard input"):
        read_stdin(io.BytesIO(b"x" * 11), max_bytes=10)


def write_warc(path: Path) -> None:
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for uri, content_type, body in [
            ("https://news.example/zelensky", "text/html; charset=utf-8", ARTICLE_HTML),
            ("https://news.example/logo.png", "image/png", b"\x89PNG\r\n"),
        ]:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2022-02-26T08:00:00Z"},
            )
            writer.write_record(record)


def test_each_html_response_of_a_warc_is_an_article_with_its_provenance(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    assert is_warc(path)
    [article] = list(read_warc(path))
    assert article.source == "https://news.example/zelensky"
    assert article.content == ARTICLE_HTML
    assert article.content_type == "text/html; charset=utf-8"
    assert article.provenance["warc_target_uri"] == "https://news.example/zelensky"
    assert article.provenance["warc_date"] == "2022-02-26T08:00:00Z"
    assert article.provenance["warc_file"] == str(path.resolve())
    assert article.provenance["warc_record_id"].startswith("<urn:uuid:")
    assert article.provenance["http_status"] == "200"


def test_a_file_that_is_not_a_warc_is_a_clear_error(tmp_path):
    path = tmp_path / "fake.warc"
    path.write_bytes(b"\x00\x01 this is not a WARC file")
    with pytest.raises(InputError, match="not a readable WARC"):
        list(read_warc(path))


RSS = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>News</title>
<item><title>Zelensky stays</title><link>https://news.example/zelensky</link>
<pubDate>Sat, 26 Feb 2022 08:00:00 GMT</pubDate></item>
<item><title>Relative</title><link>/kyiv-mayor</link></item>
<item><title>Duplicate</title><link>https://news.example/zelensky</link></item>
<item><title>No link</title></item>
<item><title>Bad scheme</title><link>javascript:alert(1)</link></item>
</channel></rss>"""


def test_feed_entries_are_absolute_unique_and_in_order():
    assert feed_entries(RSS, feed_url="https://news.example/feed.xml") == [
        FeedEntry(
            "https://news.example/zelensky", "Zelensky stays", "Sat, 26 Feb 2022 08:00:00 GMT"
        ),
        FeedEntry("https://news.example/kyiv-mayor", "Relative", None),
    ]


def test_atom_feeds_are_read_too():
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>
<entry><title>Kyiv</title><link href="https://news.example/kyiv"/><updated>2022-02-26T08:00:00Z</updated></entry>
</feed>"""
    assert [e.url for e in feed_entries(atom, feed_url="https://news.example/atom")] == [
        "https://news.example/kyiv"
    ]


def test_a_document_that_is_not_a_feed_is_a_clear_error():
    with pytest.raises(InputError, match="not a readable feed"):
        feed_entries(b"\x00\xff binary", feed_url="https://news.example/feed")


def test_sitemaps_and_sitemap_indexes():
    urlset = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://news.example/a</loc></url><url><loc> https://news.example/b </loc></url>
<url><loc>https://news.example/a</loc></url></urlset>"""
    index = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://news.example/sitemap-1.xml</loc></sitemap></sitemapindex>"""
    assert sitemap_locations(urlset, sitemap_url="https://news.example/sitemap.xml") == (
        ["https://news.example/a", "https://news.example/b"],
        [],
    )
    assert sitemap_locations(index, sitemap_url="https://news.example/sitemap.xml") == (
        [],
        ["https://news.example/sitemap-1.xml"],
    )
    with pytest.raises(InputError, match="not a readable sitemap"):
        sitemap_locations(b"<urlset><url>", sitemap_url="https://news.example/s.xml")
