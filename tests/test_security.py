"""Hostile answers, end to end through `archive`: private addresses in DNS answers and redirects,
path-like and huge values in remote JSON, HTML and terminal controls in what posts say.

The client's own checks are tested one by one in test_fetch_policy.py and test_fetch_client.py;
here every hostile answer comes through the replay server into a whole run, and the test looks
at what the run asked for, what it stored, what it wrote to disk and what it shows.
"""

from __future__ import annotations

import ast
import asyncio
import dataclasses
import json
import sqlite3
import uuid
from pathlib import Path

import pytest
from conftest import ROOT
from datasette.utils import tilde_encode
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from archiver.cli import app
from archiver.cli.output import json_lines, json_text
from archiver.datasette import make_datasette
from archiver.fetch.twitter import oembed_url, syndication_url
from archiver.jobs import archive as archive_job
from archiver.replay import ReplayServer
from archiver.store import open_archive
from archiver.witnesses.twitter.media import is_twitter_media_url
from benchmarks.made_up import MadePost, Recording, avatar_urls, media_url, snowflake_id

PACKAGE = ROOT / "archiver"


def made_post(n: int, **changes: object) -> MadePost:
    posted = f"2023-03-{n + 1:02d}T10:00:00"
    post_id = snowflake_id(posted, f"security/{n}")
    post = MadePost(
        post_id=post_id,
        handle=f"reporter{n}",
        name=f"Reporter {n}",
        user_id=str(5000 + n),
        posted=posted,
        text=f"Post number {n} from the scene.",
        date_text=f"March {n + 1}, 2023",
        pic_code=f"Sec{n:07d}",
        media="photo",
        seed=post_id,
    )
    return dataclasses.replace(post, **changes)


def write_article(folder: Path, *posts: MadePost) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "article.txt"
    lines = [
        f"{p.text} pic.twitter.com/{p.pic_code} — {p.name} (@{p.handle}) {p.date_text}"
        for p in posts
    ]
    path.write_text("Our reporting.\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def served(tmp_path):
    """``serve(*posts)``: a replay server answering for ``posts`` as X would."""
    servers = []

    def serve(*posts: MadePost) -> ReplayServer:
        recording = Recording(tmp_path / "recordings", "posts", picture_scale=20)
        for post in posts:
            recording.shortlink(post)
            recording.syndication(post)
            recording.oembed(post)
            recording.avatar(post.handle)
        recording.save()
        servers.append(ReplayServer(tmp_path / "recordings").start())
        return servers[-1]

    yield serve
    for server in servers:
        server.stop()


def archive(db_path: Path, article: Path, server: ReplayServer, replay_config):
    config = dataclasses.replace(replay_config(), reroute=server.url)
    with open_archive(db_path) as archive_db:
        return archive_job.archive(
            archive_db,
            archive_job.ArchiveRequest(inputs=(str(article),)),
            command_line=["archive"],
            config=config,
        )


def rows(db_path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, params).fetchall()


def redirect(url: str, location: str) -> dict:
    return {
        "request": {"url": url},
        "response": {"status": 302, "headers": [["location", location]]},
    }


@pytest.mark.parametrize(
    "location, reason",
    [
        ("http://10.0.0.1/x", "10.0.0.1 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "a link-local address"),
        ("http://2130706433/", "is a loopback address"),  # decimal
        ("http://0x7f.0.0.1/", "is a loopback address"),  # hex
        ("http://0177.0.0.1/", "is a loopback address"),  # octal
        ("http://127.1/", "is a loopback address"),  # short form
        ("http://[::1]/", "::1 is a loopback address"),
        ("http://[::ffff:7f00:1]/", "an IPv4-mapped IPv6 address"),
        ("http://[::127.0.0.1]/", "an IPv4-compatible IPv6 address"),
        ("http://[2002:a9fe:a9fe::]/", "embedding 169.254.169.254, a link-local address"),  # 6to4
        ("http://[64:ff9b::a00:1]/", "embedding 10.0.0.1, a private address"),  # NAT64
        ("http://[fe80::1%25eth0]/", "a link-local address"),
        ("http://LOCALHOST./admin", "a loopback name"),
        ("file:///etc/passwd", "scheme 'file' is not allowed"),
    ],
)
def test_media_redirected_to_a_private_address_in_any_form_is_refused(
    tmp_path, served, replay_config, location, reason
):
    post = made_post(1)
    server = served(post)
    photo = media_url(post)
    server.add(redirect(photo, location))
    db_path = tmp_path / "archive.db"
    summary = archive(db_path, write_article(tmp_path / "in", post), server, replay_config)

    [failure] = summary.failures
    assert (failure.stage, failure.item) == ("media", photo)
    assert reason in failure.reason
    # the refusal is on record with the redirect that led there; nothing went past it
    assert rows(db_path, "SELECT stage, url, post_key FROM failures") == [
        ("media", photo, f"twitter:{post.post_id}")
    ]
    assert set(server.stats()["urls"]) == {
        f"https://t.co/{post.pic_code}",
        syndication_url(post.post_id),
        oembed_url(post.post_id, post.handle),
        avatar_urls(post.handle)[1],
        photo,
    }


@pytest.mark.parametrize(
    "addresses",
    [
        ["10.1.2.3"],
        ["127.0.0.1"],
        ["169.254.169.254"],
        ["::1"],
        ["::ffff:10.0.0.1"],
        ["::10.0.0.1"],
        ["2002:c0a8:101::1"],
        ["64:ff9b::7f00:1"],
        ["fd00::1"],
        ["93.184.216.34", "192.168.1.1"],  # one private answer among public ones is enough
    ],
    ids=lambda a: ",".join(a),
)
def test_a_media_host_whose_dns_answer_is_private_is_never_contacted(
    tmp_path, served, replay_config, addresses
):
    post = made_post(2)
    server = served(post)
    server.add(dns={"pbs.twimg.com": addresses})
    db_path = tmp_path / "archive.db"
    summary = archive(db_path, write_article(tmp_path / "in", post), server, replay_config)

    assert sorted((f.stage, f.item) for f in summary.failures) == sorted(
        [("media", media_url(post)), ("media", avatar_urls(post.handle)[1])]
    )
    assert all("pbs.twimg.com resolves to" in f.reason for f in summary.failures)
    assert not [url for url in server.stats()["urls"] if "pbs.twimg.com" in url]
    assert rows(db_path, "SELECT state FROM posts") == [("live",)]  # the post itself is archived


def test_path_like_huge_and_scripted_values_in_remote_json_stay_data(
    tmp_path, served, replay_config, monkeypatch
):
    marker = f"archiver-probe-{uuid.uuid4().hex}"
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)  # where a relative path taken from an answer would land
    posts = [made_post(3), made_post(4), made_post(5)]
    server = served(*posts)
    hostile_media, path_like_account, huge = posts
    recording = Recording(tmp_path / "unused", "x")
    tweet = recording.tweet(hostile_media)
    tweet["mediaDetails"][0]["media_url_https"] = f"file:///tmp/{marker}.png"
    tweet["mediaDetails"].append(
        {"type": "photo", "media_url_https": f"https://pbs.twimg.com/../../../../tmp/{marker}.png"}
    )
    tweet["mediaDetails"].append(
        {
            "type": "video",
            "video_info": {
                "variants": [
                    {
                        "content_type": "video/mp4",
                        "bitrate": 1,
                        "url": f"javascript:alert('{marker}')",
                    },
                    {
                        "content_type": "video/mp4",
                        "bitrate": 2,
                        "url": f"https://evil.example/{marker}.mp4",
                    },
                ]
            },
        }
    )
    tweet["user"]["name"] = f"$(touch /tmp/{marker}) `touch {marker}`; rm -rf ~"
    tweet["user"]["profile_image_url_https"] = f"https://127.0.0.1/{marker}.png"
    account = recording.tweet(path_like_account)
    account["user"]["screen_name"] = f"../../../../tmp/{marker}"
    giant = recording.tweet(huge)
    giant["text"] = "A" * 10_000_000
    server.add(
        *[
            {
                "request": {"url": syndication_url(post.post_id)},
                "response": {
                    "status": 200,
                    "headers": [["content-type", "application/json"]],
                    "body": json.dumps(answer),
                },
            }
            for post, answer in (
                (hostile_media, tweet),
                (path_like_account, account),
                (huge, giant),
            )
        ]
    )
    db_path = tmp_path / "archive.db"
    summary = archive(db_path, write_article(tmp_path / "in", *posts), server, replay_config)

    # 1. Nothing but the witnesses and https media on X's hosts was asked for.
    asked = set(server.stats()["urls"])
    witnesses = {syndication_url(p.post_id) for p in posts} | {
        oembed_url(p.post_id, p.handle) for p in posts
    }
    shortlinks = {f"https://t.co/{p.pic_code}" for p in posts}
    assert all(is_twitter_media_url(url) for url in asked - witnesses - shortlinks), (
        asked - witnesses - shortlinks
    )
    # a path on X's media host, its dot segments ending at that host's root: no file, no host
    assert f"https://pbs.twimg.com/tmp/{marker}?format=png&name=orig" in asked
    # 2. No value became a file name: nothing named after the marker exists anywhere we write.
    for folder in (Path("/tmp"), work, tmp_path / "in", ROOT, Path.home()):
        assert not list(folder.glob(f"*{marker}*")), folder
    assert not [p for p in tmp_path.rglob(f"*{marker}*")]
    # 3. The values are kept as what they are: data, with the refusals on record.
    dotted = f"https://pbs.twimg.com/../../../../tmp/{marker}?format=png&name=orig"
    assert rows(db_path, "SELECT url FROM media") == []
    assert rows(db_path, "SELECT stage, url FROM failures") == [("media", dotted)]
    [(skipped,)] = rows(
        db_path,
        "SELECT reason FROM checks WHERE source = 'syndication' AND post_key = ?",
        (f"twitter:{hostile_media.post_id}",),
    )
    for item in ("mediaDetails[0] skipped", "mediaDetails[2] skipped", "not on X's media hosts"):
        assert item in skipped
    assert rows(
        db_path,
        "SELECT author_name FROM posts WHERE key = ?",
        (f"twitter:{hostile_media.post_id}",),
    ) == [(f"$(touch /tmp/{marker}) `touch {marker}`; rm -rf ~",)]
    [(reason,)] = rows(
        db_path,
        "SELECT reason FROM checks WHERE source = 'syndication' AND post_key = ?",
        (f"twitter:{path_like_account.post_id}",),
    )
    assert reason == "user.screen_name is not an X handle"
    [(error, truncated, size)] = rows(
        db_path,
        "SELECT error, truncated, bytes FROM snapshots WHERE source = 'syndication'"
        " AND post_key = ?",
        (f"twitter:{huge.post_id}",),
    )
    assert "passed the cap" in error and truncated == 1 and size == 4 * 1024 * 1024
    assert summary.counts["posts_fetched"] == 3  # oEmbed still answered for each


def test_html_and_terminal_controls_in_posts_are_never_rendered(tmp_path, served, replay_config):
    shown = "<script>alert(1)</script><img src=x onerror=alert(2)> [bold red]loud[/] \x1b[2J\x9b31m"
    post = made_post(6, text=shown, name="<b>Desk</b> [link=https://evil.example]x[/link]")
    server = served(post)
    db_path = tmp_path / "archive.db"
    article = write_article(tmp_path / "in", post)
    assert archive(db_path, article, server, replay_config).ok

    key = f"twitter:{post.post_id}"
    pages = fetch(
        make_datasette(db_path),
        f"/archive/posts/{tilde_encode(key)}",
        "/archive/posts?_search=alert",
        "/archive/embeds_with_posts",
    )
    for page in pages:
        assert page.status_code == 200
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text, page.url
        assert "<script>alert(1)" not in page.text and "<img src=x" not in page.text
        assert "<b>Desk</b>" not in page.text
    for args, literal in (
        (["show", "--format", "table", key], "[bold red]loud[/]"),
        (["lookup", "--format", "table", f"@{post.handle}"], "[bold red]loud[/]"),
        (["verify", "--format", "table", str(article)], f"@{post.handle}"),
    ):
        result = CliRunner().invoke(
            app, [args[0], "--db", str(db_path), *args[1:]], env={"COLUMNS": "400"}
        )
        assert result.exit_code == 0, result.output
        assert literal in result.stdout, (args, result.stdout)
        assert "\x1b" not in result.stdout and "\x9b" not in result.stdout, args


def test_terminal_controls_in_a_scanned_article_reach_the_terminal_inert(tmp_path):
    """`archiver scan` prints what an article shows, hostile or not: ESC and CSI (U+009B) in a
    post come out escaped, as JSON Lines and as a table."""
    article = tmp_path / "article.txt"
    article.write_text(
        "Lights \x1b[2J\x9b31mout pic.twitter.com/abc \u2014 Desk (@desk) May 1, 2022\n",
        encoding="utf-8",
    )
    for output in ("jsonl", "table"):
        result = CliRunner().invoke(app, ["scan", "--format", output, str(article)])
        assert result.exit_code == 0, result.output
        assert "pic.twitter.com/abc" in result.stdout
        assert "\x1b" not in result.stdout and "\x9b" not in result.stdout, output
    [line] = CliRunner().invoke(app, ["scan", str(article)]).stdout.splitlines()
    assert json.loads(line)["text"] == "Lights \x1b[2J\x9b31mout pic.twitter.com/abc"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@given(st.lists(JSON_VALUES, max_size=5))
def test_json_lines_are_the_json_text_of_each_value_c1_controls_escaped(values):
    # `archiver scan` writes its lines in one go; each must read as json_text writes it alone
    lines = json_lines(values)
    assert lines == "\n".join(json_text(value, indent=None) for value in values)
    assert not any("\x80" <= char <= "\x9f" for char in lines)
    assert [json.loads(line) for line in lines.split("\n") if values] == values


def fetch(datasette, *paths):
    async def get_all():
        return [await datasette.client.get(path) for path in paths]

    return asyncio.run(get_all())


def test_a_retry_after_no_number_reads_does_not_stop_the_run(tmp_path, served, replay_config):
    # found by fuzzing: '²' passed str.isdigit() and float() refused it, out of the client
    post = made_post(7)
    server = served(post)
    server.add(
        {
            "request": {"url": f"https://t.co/{post.pic_code}"},
            "response": {"status": 503, "headers": [["retry-after", "\u00b2"]], "body": "busy"},
        }
    )
    summary = archive(tmp_path / "archive.db", write_article(tmp_path / "in", post), server,
                      replay_config)  # fmt: skip
    assert [(f.stage, f.reason) for f in summary.failures] == [
        ("resolve", f"https://t.co/{post.pic_code} answered 503")
    ]


def test_no_module_can_reach_a_shell():
    """Nothing remote can become a shell command: no shell, and one subprocess, argv fixed."""
    spawners = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in (
                "system", "popen", "Popen", "run", "call", "check_output", "spawnl", "execv",
            ) and isinstance(node.value, ast.Name) and node.value.id in ("os", "subprocess"):  # fmt: skip
                spawners.setdefault(str(path.relative_to(PACKAGE)), set()).add(node.attr)
            if isinstance(node, ast.keyword) and node.arg == "shell":
                raise AssertionError(f"{path}: shell= is never passed")
    # the replay server's child process: [sys.executable, "-c", CODE, recordings, port, latency]
    assert spawners == {"replay/_process.py": {"Popen"}}
