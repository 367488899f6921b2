"""What `archiver archive` reads: folders, article URLs, feeds, sitemaps, WARC files, stdin."""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLE_ARTICLE
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archiver.cli import app
from archiver.replay import ReplayServer

RECORDINGS = ROOT / "examples" / "replay"
# Two posts of the demo recordings, embedded the way publish.twitter.com writes the snippet.
MILLER = ("ChristopherJM", "Christopher Miller", "1497266682363265687", "February 25, 2022")
VINDMAN = ("YVindman", "Yevgeny (Eugene) Vindman", "1497424309257414584", "February 26, 2022")


def article_html(title, *posts):
    quotes = "".join(
        f'<blockquote class="twitter-tweet"><p lang="en" dir="ltr">A quoted post</p>&mdash; {name} '
        f'(@{handle}) <a href="https://twitter.com/{handle}/status/{post_id}?ref_src=twsrc%5Etfw">'
        f"{date}</a></blockquote>"
        for handle, name, post_id, date in posts
    )
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body><h1>{title}</h1>"
        f"<p>Our reporting.</p>{quotes}<p>More reporting.</p></body></html>"
    )


def page(url, body, content_type="text/html; charset=utf-8"):
    return {
        "request": {"method": "GET", "url": url},
        "response": {"status": 200, "headers": [["content-type", content_type]], "body": body},
    }


def rss(*items):
    entries = "".join(
        f"<item><title>{title}</title><link>{url}</link></item>" for title, url in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{entries}</channel></rss>'


@pytest.fixture
def demo_replay():
    with ReplayServer(RECORDINGS) as server:
        yield server


def run(db_path, *args, reroute, input=None):
    return CliRunner().invoke(
        app,
        ["archive", "--db", str(db_path), *args],
        env={"ARCHIVER_REROUTE": reroute},
        input=input,
    )


def requests_by_url(server):
    return dict(server.stats()["urls"])


def rows(db_path, sql, params=()):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, params).fetchall()


def test_a_feed_that_gains_an_entry_fetches_only_the_new_article_and_its_posts(
    tmp_path, demo_replay
):
    feed = "https://news.example/feed.xml"
    first, second = "https://news.example/miller", "https://news.example/vindman"
    demo_replay.add(
        page(feed, rss(("Miller", first)), "application/rss+xml"),
        page(first, article_html("Miller", MILLER)),
    )
    db_path = tmp_path / "archive.db"
    assert run(db_path, "--feed", feed, reroute=demo_replay.url).exit_code == 0
    demo_replay.reset()

    demo_replay.add(
        page(feed, rss(("Vindman", second), ("Miller", first)), "application/rss+xml"),
        page(second, article_html("Vindman", VINDMAN)),
    )
    result = run(db_path, "--feed", feed, reroute=demo_replay.url)
    assert result.exit_code == 0, result.output
    asked = requests_by_url(demo_replay)
    assert asked[feed] == 1 and asked[second] == 1
    assert first not in asked
    assert not [url for url in asked if MILLER[2] in url]  # the known post is not fetched again
    assert [url for url in asked if VINDMAN[2] in url]
    assert rows(db_path, "SELECT url, title FROM articles ORDER BY id") == [
        (first, "Miller"),
        (second, "Vindman"),
    ]
    assert rows(db_path, "SELECT key, state FROM posts ORDER BY key") == [
        (f"twitter:{MILLER[2]}", "live"),
        (f"twitter:{VINDMAN[2]}", "live"),
    ]


def test_a_sitemap_index_leads_to_its_pages(tmp_path, demo_replay):
    index = "https://news.example/sitemap.xml"
    child = "https://news.example/sitemap-2022.xml"
    article = "https://news.example/miller"
    demo_replay.add(
        page(
            index,
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{child}</loc></sitemap></sitemapindex>",
            "application/xml",
        ),
        page(
            child,
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{article}</loc></url></urlset>",
            "application/xml",
        ),
        page(article, article_html("Miller", MILLER)),
    )
    db_path = tmp_path / "archive.db"
    result = run(db_path, "--sitemap", index, reroute=demo_replay.url)
    assert result.exit_code == 0, result.output
    assert rows(db_path, "SELECT url FROM articles") == [(article,)]
    assert rows(db_path, "SELECT post_key FROM embeds") == [(f"twitter:{MILLER[2]}",)]


def test_a_sitemap_is_read_only_as_its_pages_are_taken(tmp_path, demo_replay):
    # The second child sitemap is asked for only once the first one's pages fill the workers and
    # their queue (2 and 2 here): the listing never reads ahead of the fetching.
    index = "https://news.example/sitemap.xml"
    children = [f"https://news.example/sitemap-{n}.xml" for n in (1, 2)]
    pages = {child: [f"{child[:-4]}/story-{k}" for k in range(12)] for child in children}
    urlset = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}</urlset>'
    demo_replay.add(
        page(
            index,
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<sitemap><loc>{child}</loc></sitemap>" for child in children)
            + "</sitemapindex>",
            "application/xml",
        ),
        *(
            page(child, urlset.format("".join(f"<url><loc>{u}</loc></url>" for u in urls)))
            for child, urls in pages.items()
        ),
        *(page(u, article_html(u)) for urls in pages.values() for u in urls),
    )
    db_path = tmp_path / "archive.db"
    result = run(db_path, "--concurrency", "2", "--sitemap", index, reroute=demo_replay.url)
    assert result.exit_code == 0, result.output
    asked = [r["url"] for r in demo_replay.stats()["recent"]]
    assert asked[:2] == [index, children[0]]
    first_pages_before_second_child = asked.index(children[1]) - 2
    assert first_pages_before_second_child >= len(pages[children[0]]) - 2 - 2 - 1
    assert len(rows(db_path, "SELECT url FROM articles")) == 24


def test_an_article_url_keeps_its_bytes_final_url_and_fetch_record(tmp_path, demo_replay):
    moved, article = "https://news.example/old", "https://news.example/miller"
    demo_replay.add(
        {
            "request": {"method": "GET", "url": moved},
            "response": {"status": 301, "headers": [["location", article]]},
        },
        page(article, article_html("Miller", MILLER)),
    )
    db_path = tmp_path / "archive.db"
    assert run(db_path, moved, reroute=demo_replay.url).exit_code == 0
    [(url, final_url, status, chain, replay)] = rows(
        db_path,
        "SELECT a.url, v.final_url, v.status, v.redirect_chain, v.replay"
        " FROM articles a JOIN article_versions v ON v.article_id = a.id",
    )
    assert (url, final_url, status, replay) == (moved, article, 200, 1)
    assert [hop["url"] for hop in json.loads(chain)] == [moved, article]
    [(content,)] = rows(
        db_path, "SELECT b.content FROM articles a JOIN blobs b ON b.sha256 = a.sha256"
    )
    assert content.decode() == article_html("Miller", MILLER)


def test_an_article_url_that_fails_is_recorded_and_the_rest_goes_on(tmp_path, demo_replay):
    demo_replay.add(page("https://news.example/miller", article_html("Miller", MILLER)))
    db_path = tmp_path / "archive.db"
    result = run(
        db_path, "https://news.example/gone", "https://news.example/miller", reroute=demo_replay.url
    )
    assert result.exit_code == 1
    assert rows(db_path, "SELECT stage, reason, url FROM failures") == [
        ("article", "HTTP 404", "https://news.example/gone")
    ]
    assert rows(db_path, "SELECT url FROM articles") == [("https://news.example/miller",)]


def test_a_folder_archived_twice_makes_no_request_the_second_time(tmp_path, demo_replay):
    folder = tmp_path / "drafts"
    (folder / "2022").mkdir(parents=True)
    (folder / "2022" / "kyiv.txt").write_bytes(SAMPLE_ARTICLE.read_bytes())
    (folder / "miller.html").write_text(article_html("Miller", MILLER), encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 not an article")
    db_path = tmp_path / "archive.db"
    assert run(db_path, str(folder), reroute=demo_replay.url).exit_code == 0
    first_run = demo_replay.stats()["requests"]
    assert first_run > 0
    demo_replay.reset()
    result = run(db_path, str(folder), reroute=demo_replay.url)
    assert result.exit_code == 0
    assert "2 unchanged" in result.output
    assert demo_replay.stats()["requests"] == 0
    assert rows(db_path, "SELECT count(*) FROM articles") == [(2,)]


def test_standard_input_is_an_article(tmp_path, demo_replay):
    db_path = tmp_path / "archive.db"
    result = run(
        db_path, "-", "--no-fetch", reroute=demo_replay.url, input=SAMPLE_ARTICLE.read_bytes()
    )
    assert result.exit_code == 0, result.output
    # standard input has no name: it is known by its content's hash
    digest = hashlib.sha256(SAMPLE_ARTICLE.read_bytes()).hexdigest()
    assert rows(db_path, "SELECT url FROM articles") == [(f"stdin:{digest}",)]
    assert rows(db_path, "SELECT count(*) FROM embeds") == [(5,)]


def write_warc(path, records):
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for uri, content_type, body, date in records:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    uri,
                    "response",
                    payload=io.BytesIO(body),
                    http_headers=headers,
                    warc_headers_dict={"WARC-Date": date},
                )
            )


def test_a_warc_file_is_archived_with_its_provenance(tmp_path, demo_replay):
    warc = tmp_path / "crawl.warc.gz"
    write_warc(
        warc,
        [
            (
                "https://news.example/miller",
                "text/html; charset=utf-8",
                article_html("Miller", MILLER).encode(),
                "2022-02-26T08:00:00Z",
            ),
            (
                "https://news.example/logo.png",
                "image/png",
                b"\x89PNG\r\n\x1a\n",
                "2022-02-26T08:00:01Z",
            ),
        ],
    )
    db_path = tmp_path / "archive.db"
    result = run(db_path, str(warc), reroute=demo_replay.url)
    assert result.exit_code == 0, result.output
    [(url, provenance)] = rows(
        db_path,
        "SELECT a.url, v.provenance FROM articles a JOIN article_versions v ON v.article_id = a.id",
    )
    assert url == "https://news.example/miller"
    provenance = json.loads(provenance)
    assert provenance["warc_target_uri"] == "https://news.example/miller"
    assert provenance["warc_date"] == "2022-02-26T08:00:00Z"
    assert provenance["warc_file"] == str(warc.resolve())
    assert provenance["warc_record_id"].startswith("<urn:uuid:")
    assert rows(db_path, "SELECT post_key FROM embeds") == [(f"twitter:{MILLER[2]}",)]


def test_files_whose_names_are_not_utf8_are_archived_and_found_by_those_names(
    tmp_path, demo_replay
):
    # Names in Latin-1, as old disks and shares have them: Python reads the byte \xe9 as the
    # lone surrogate \udce9, which SQLite cannot store; the run used to crash on it.
    folder = tmp_path / os.fsdecode(b"r\xe9daction")
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9.html")
    (folder / name).write_text(article_html("Miller", MILLER), encoding="utf-8")
    (folder / "kyiv.txt").write_bytes(SAMPLE_ARTICLE.read_bytes())
    db_path = tmp_path / "archive.db"
    argv = [sys.executable, "-m", "archiver", "archive", "--db", str(db_path), str(folder)]
    env = {**os.environ, "ARCHIVER_REROUTE": demo_replay.url}
    for _ in range(2):
        done = subprocess.run(argv, env=env, capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr
    assert b"2 unchanged" in done.stdout
    stored = str(tmp_path / "r\\udce9daction")
    assert rows(db_path, "SELECT url FROM articles ORDER BY id") == [
        (f"{stored}/caf\\udce9.html",),
        (f"{stored}/kyiv.txt",),
    ]
    assert json.loads(rows(db_path, "SELECT arguments FROM runs WHERE id = 1")[0][0])[-1] == (
        str(folder)
    )
    verified = CliRunner().invoke(app, ["verify", "--db", str(db_path), str(folder / name)])
    assert verified.exit_code == 0, verified.output
    assert json.loads(verified.stdout)["article"]["url"] == f"{stored}/caf\\udce9.html"
    found = CliRunner().invoke(app, ["lookup", "--db", str(db_path), str(folder / name)])
    assert [post["handle"] for post in json.loads(found.stdout)] == ["ChristopherJM"]


def test_more_article_urls_than_workers_are_all_stored_or_recorded(tmp_path, demo_replay):
    # 40 URLs through 2 workers and a queue of 2: every article arrives once, failures are rows.
    urls = [f"https://news.example/page-{n}" for n in range(40)]
    recorded = [url for n, url in enumerate(urls) if n % 5]  # every fifth one answers 404
    demo_replay.add(*(page(url, f"<html><body><p>{url}</p></body></html>") for url in recorded))
    db_path = tmp_path / "archive.db"
    result = run(db_path, *urls, "--concurrency", "2", reroute=demo_replay.url)
    assert result.exit_code == 1, result.output
    stored = {url for (url,) in rows(db_path, "SELECT url FROM articles")}
    failed = {url for (url,) in rows(db_path, "SELECT url FROM failures WHERE stage = 'article'")}
    assert stored == set(recorded)
    assert failed == set(urls) - set(recorded)
    assert requests_by_url(demo_replay) == {url: 1 for url in urls}


def test_a_windows_1252_article_is_read_whole_and_its_guess_recorded(
    tmp_path, sample_article_bytes
):
    article = tmp_path / "cp1252.txt"
    article.write_bytes(sample_article_bytes.decode().encode("cp1252", errors="replace"))
    db_path = tmp_path / "archive.db"
    result = CliRunner().invoke(app, ["archive", "--no-fetch", "--db", str(db_path), str(article)])
    assert result.exit_code == 0, result.output
    assert (result.stderr, "5 embeds found" in result.stdout) == ("", True)
    assert rows(db_path, "SELECT encoding FROM articles") == [("windows-1252 (guessed)",)]
    assert rows(db_path, "SELECT encoding FROM article_versions") == [("windows-1252 (guessed)",)]


def test_bytes_that_had_to_be_replaced_are_a_warning_on_stderr_and_in_the_run(tmp_path):
    article = tmp_path / "damaged.txt"
    article.write_bytes(b"Kyiv \x81\x8d tonight")
    db_path = tmp_path / "archive.db"
    result = CliRunner().invoke(
        app, ["archive", "--no-fetch", "--quiet", "--db", str(db_path), str(article)]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.count("\n") == 1
    assert (
        "warning" in result.stderr and "U+FFFD" in result.stderr and "damaged.txt" in result.stderr
    )
    (counts,) = rows(db_path, "SELECT counts FROM runs")[0]
    assert json.loads(counts)["warnings"] == 1
    assert rows(db_path, "SELECT encoding FROM articles") == [("utf-8 (replaced)",)]


def warc_record(writer, uri, body):
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    return writer.create_warc_record(
        uri, "response", payload=io.BytesIO(body), http_headers=headers
    )


def test_a_warc_record_without_a_target_uri_is_one_failure_and_the_rest_is_archived(tmp_path):
    warc = tmp_path / "crawl.warc"
    with warc.open("wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        writer.write_record(warc_record(writer, None, article_html("Lost", MILLER).encode()))
        writer.write_record(
            warc_record(writer, "https://news.example/kept", article_html("Kept", VINDMAN).encode())
        )
    db_path = tmp_path / "archive.db"
    result = CliRunner().invoke(app, ["archive", "--no-fetch", "--db", str(db_path), str(warc)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "has no WARC-Target-URI" in result.stderr
    assert rows(db_path, "SELECT url FROM articles") == [("https://news.example/kept",)]
    [(stage, reason)] = rows(db_path, "SELECT stage, reason FROM failures")
    assert stage == "read" and "record 1" in reason and "WARC-Target-URI" in reason


@pytest.mark.parametrize("gzipped", [False, True])
def test_a_warc_record_cut_short_is_a_failure_not_an_article(tmp_path, gzipped):
    whole = io.BytesIO()
    writer = WARCWriter(whole, gzip=gzipped)
    body = article_html("Cut", MILLER, VINDMAN).encode()
    writer.write_record(warc_record(writer, "https://news.example/cut", body))
    warc = tmp_path / ("cut.warc.gz" if gzipped else "cut.warc")
    warc.write_bytes(whole.getvalue()[: len(whole.getvalue()) * 2 // 3])
    db_path = tmp_path / "archive.db"
    result = CliRunner().invoke(app, ["archive", "--no-fetch", "--db", str(db_path), str(warc)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert rows(db_path, "SELECT count(*) FROM articles") == [(0,)]
    [(reason,)] = rows(db_path, "SELECT reason FROM failures")
    assert "https://news.example/cut is cut short" in reason


def test_each_failure_is_printed_once_on_stderr(tmp_path):
    warc = tmp_path / "crawl.warc"
    with warc.open("wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        writer.write_record(warc_record(writer, None, article_html("Lost", MILLER).encode()))
    db_path = tmp_path / "archive.db"
    result = subprocess.run(
        [sys.executable, "-m", "archiver", "archive", "--no-fetch", "--db", db_path, warc],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("archiver: read failed for ") and "WARC-Target-URI" in line


@pytest.mark.parametrize("missing", ["nonexistent.txt", "no-folder/", "a\x00.txt"])
def test_an_input_that_is_not_there_is_a_usage_error_and_creates_nothing(tmp_path, missing):
    work = tmp_path / "work"
    work.mkdir()
    article = work / "story.txt"
    article.write_bytes(SAMPLE_ARTICLE.read_bytes())
    db_path = work / "archive.db"
    result = CliRunner().invoke(
        app, ["archive", "--no-fetch", "--db", str(db_path), str(article), str(tmp_path / missing)]
    )
    assert result.exit_code == 2, result.output
    assert "no such file or folder" in result.stderr
    assert sorted(p.name for p in work.iterdir()) == ["story.txt"]


def test_a_folder_archives_its_warc_files_and_says_what_it_skipped_and_why(tmp_path):
    folder = tmp_path / "exports"
    (folder / "sub").mkdir(parents=True)
    (folder / "story.txt").write_bytes(SAMPLE_ARTICLE.read_bytes())
    for name in ("scan.pdf", "notes.PDF", "photo.jpg", "README", ".DS_Store"):
        (folder / name).write_bytes(b"x")
    whole = io.BytesIO()
    writer = WARCWriter(whole, gzip=True)
    body = article_html("Crawled", MILLER).encode()
    writer.write_record(warc_record(writer, "https://news.example/crawled", body))
    (folder / "sub" / "crawl.warc.gz").write_bytes(whole.getvalue())
    db_path = tmp_path / "archive.db"

    result = CliRunner().invoke(app, ["archive", "--no-fetch", "--db", str(db_path), str(folder)])

    assert result.exit_code == 0, result.output
    assert "4 files skipped, not articles by extension (1 .jpg, 2 .pdf, 1 no extension)" in (
        result.stdout
    )
    assert {url for (url,) in rows(db_path, "SELECT url FROM articles")} == {
        "https://news.example/crawled",
        str((folder / "story.txt").resolve()),
    }
    counts = json.loads(rows(db_path, "SELECT counts FROM runs")[0][0])
    assert counts["files_skipped"] == 4 and counts["files_skipped:.pdf"] == 2
