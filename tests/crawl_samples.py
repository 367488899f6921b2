"""A small crawl written with warcio: the sample article and a page quoting two posts among filler
pages, gzipped and not, one file cut short and one that is no WARC at all."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_ARTICLE = ROOT / "examples" / "zelensky-stays-in-kyiv.txt"
# Two posts of the demo recordings (examples/replay), quoted as publish.twitter.com writes them.
MILLER = ("ChristopherJM", "Christopher Miller", "1497266682363265687", "February 25, 2022")
VINDMAN = ("YVindman", "Yevgeny (Eugene) Vindman", "1497424309257414584", "February 26, 2022")
HTML = "text/html; charset=utf-8"


def quoting_page(title: str, *posts: tuple[str, str, str, str]) -> bytes:
    """An HTML article that embeds ``posts`` as twitter-tweet blockquotes."""
    quotes = "".join(
        f'<blockquote class="twitter-tweet"><p lang="en" dir="ltr">A quoted post</p>&mdash; {name} '
        f'(@{handle}) <a href="https://twitter.com/{handle}/status/{post_id}?ref_src=twsrc%5Etfw">'
        f"{date}</a></blockquote>"
        for handle, name, post_id, date in posts
    )
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body><h1>{title}</h1>"
        f"<p>Our reporting.</p>{quotes}<p>More reporting.</p></body></html>"
    ).encode()


def filler_page(number: int) -> bytes:
    """A news page that embeds nothing."""
    words = " ".join(f"word{number * 7 + i}" for i in range(60))
    return f"<html><head><title>Page {number}</title></head><body><p>{words}</p></body></html>".encode()


def write_warc(path: Path, pages: list[tuple[str, str, bytes]], *, gzip: bool = True) -> Path:
    """A WARC of a warcinfo record and, per page, a request and its response record."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for number, (url, content_type, body) in enumerate(pages):
            date = f"2022-02-26T08:{number // 60:02d}:{number % 60:02d}Z"
            request = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "news.example")])
            writer.write_record(
                writer.create_warc_record(
                    url, "request", http_headers=request, warc_headers_dict={"WARC-Date": date}
                )
            )
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(body),
                    http_headers=headers,
                    warc_headers_dict={"WARC-Date": date},
                )
            )
    return path


def write_crawl(folder: Path) -> dict[str, Path]:
    """The crawl's files by role: news (gzipped), more (not), truncated, not_warc, manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    news = write_warc(
        folder / "news.warc.gz",
        [
            ("https://news.example/one", HTML, filler_page(1)),
            ("https://news.example/kyiv", "text/plain; charset=utf-8", SAMPLE_ARTICLE.read_bytes()),
            ("https://news.example/two", HTML, filler_page(2)),
            ("https://news.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" * 8),
            ("https://news.example/miller", HTML, quoting_page("Miller", MILLER, VINDMAN)),
            ("https://news.example/three", HTML, filler_page(3)),
        ],
    )
    more = write_warc(
        folder / "more.warc",
        [
            ("https://other.example/a", HTML, filler_page(4)),
            ("https://other.example/vindman", HTML, quoting_page("Vindman", VINDMAN)),
        ],
        gzip=False,
    )
    whole = write_warc(
        folder / "whole.warc.gz",
        [
            ("https://cut.example/miller", HTML, quoting_page("Cut", MILLER)),
            ("https://cut.example/b", HTML, filler_page(5)),
            ("https://cut.example/vindman", HTML, quoting_page("Lost", VINDMAN)),
        ],
    )
    truncated = folder / "truncated.warc.gz"
    data = whole.read_bytes()
    truncated.write_bytes(data[: len(data) - 200])  # inside the last response record
    whole.unlink()
    not_warc = folder / "not-a-warc.warc.gz"
    not_warc.write_bytes(b"<html><body>Saved from a browser, not a crawler.</body></html>")
    manifest = folder / "paths.txt"
    manifest.write_text(
        "\n".join(p.name for p in (news, more, truncated, not_warc)) + "\n", encoding="utf-8"
    )
    return {
        "news": news,
        "more": more,
        "truncated": truncated,
        "not_warc": not_warc,
        "manifest": manifest,
    }
