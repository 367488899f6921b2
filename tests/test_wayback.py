"""The Wayback Machine as a witness of content (issue 13): captures of every shape read, the pages
that are not the post rejected with their reason, the recovered post verifiable as a third party's
copy, and a re-run that asks the Wayback nothing.

The captures in tests/fixtures/wayback/ are written for these tests after the structure of real
ones (see the README there); the replay server stands for the internet.
"""

import json
import sqlite3
from pathlib import Path

import pytest
from cron_samples import Clock, fast_config, recheck_at
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from archiver.cli import app
from archiver.jobs import archive as archive_job
from archiver.models import Exchange, PostState
from archiver.replay import ReplayServer
from archiver.store import open_archive
from archiver.witnesses.platforms import parse_again
from archiver.witnesses.wayback import Capture, captured_at, parse_wayback, read_listing

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "wayback"
RECORDINGS = FIXTURES / "replay"
CAPTURES = RECORDINGS / "captures"
ARTICLE = FIXTURES / "harbour-article.html"
T0, T1 = "2026-03-01T12:00:00.000Z", "2026-03-08T12:00:00.000Z"

REPLY = "1102268528456630279"  # recovered from a 2019 permalink page that shows its parent first
LONG = "1646192745640886283"  # recovered from API v2 JSON filed under another account
GONE = "1311636981150646284"  # only a redirect, a login wall, another post and a tombstone page
HARBOUR_ID = "3301234567"

FERRY = (
    "The ferry terminal is closed until Monday after the storm damage. Crews are on site now & "
    "the harbour road is open. 🚧 Details: https://harbour.example.org/ferry "
    "pic.twitter.com/Fe7ryDmg01"
)
WORKS = (
    "Harbour works update. The north channel is open again after three weeks of dredging, and "
    "the evening ferries are back on the normal timetable from tonight. The east quay stays "
    "closed to cars until the resurfacing is finished, probably by the end of May. Thanks to "
    "everyone for their patience while the work went on through the storms; we will post the "
    "summer timetable here next week."
)


def capture(name: str, original: str, timestamp: str, content_type: str) -> Exchange:
    """The exchange of fetching the capture ``name`` raw, as the Wayback serves it."""
    url = Capture(original, timestamp, "200").raw_url
    return Exchange(
        url=url,
        final_url=url,
        status=200,
        headers=[("content-type", content_type)],
        body=(CAPTURES / name).read_bytes(),
        fetched_at=T0,
    )


SHAPES = [
    pytest.param(
        "permalink_reply_2019.html",
        f"https://twitter.com/harbourwatch/status/{REPLY}",
        "20190303190512",
        (REPLY, "harbourwatch", "Harbour Watch", HARBOUR_ID, "2019-03-03T18:04:31.000Z", FERRY),
        "permalink_html",
        id="permalink-html-reply",
    ),
    pytest.param(
        "schema_thread_2022.html",
        "https://twitter.com/harbourwatch/status/1529393131680694277",
        "20220525093011",
        (
            "1529393131680694277",
            "harbourwatch",
            "Harbour Watch",
            HARBOUR_ID,
            "2022-05-25T09:25:12.000Z",
            "2/2 The dredger leaves the north channel on Friday; the evening ferries run to the "
            "normal timetable from Saturday.",
        ),
        "schema_org_html",
        id="schema-org-thread",
    ),
    pytest.param(
        "mobile_2018.html",
        "https://mobile.twitter.com/harbourwatch/status/1059923607024566274",
        "20181106220312",
        (
            "1059923607024566274",
            "harbourwatch",
            "Harbour Watch",
            None,
            None,
            "Polling station at the ferry terminal opens at 7am. Bring ID.",
        ),
        "mobile_html",
        id="mobile-html",
    ),
    pytest.param(
        "og_only_2021.html",
        "https://twitter.com/harbourwatch/status/1417034656510902281",
        "20210719093015",
        (
            "1417034656510902281",
            "harbourwatch",
            "Harbour Watch",
            None,
            None,
            "Dredging of the north channel starts on Monday; expect delays for the evening ferries.",
        ),
        "og_html",
        id="og-description-curly-quotes-mentions",
    ),
    pytest.param(
        "syndication_2022.json.body",
        "https://cdn.syndication.twimg.com/tweet-result?id=1570050567173046276&token=3sy77oljkh",
        "20220914150000",
        (
            "1570050567173046276",
            "harbourwatch",
            "Harbour Watch",
            HARBOUR_ID,
            "2022-09-14T14:03:20.000Z",
            "Storm warning for the harbour tonight: moorings on the east quay must be doubled by 6pm.",
        ),
        "syndication_json",
        id="syndication-json",
    ),
    pytest.param(
        "oembed_2017.json.body",
        "https://publish.twitter.com/oembed?url=https://twitter.com/harbourwatch/status/870588299473846278",
        "20170602120000",
        (
            "870588299473846278",
            "harbourwatch",
            "Harbour Watch",
            None,
            None,
            "The tall ships arrive on Saturday & stay until Tuesday. Berths 4–9 are closed.",
        ),
        "oembed_json",
        id="oembed-json",
    ),
    pytest.param(
        "api_v1_2018.json.body",
        "https://twitter.com/harbourwatch/status/967165827478454280",
        "20180223223500",
        (
            "967165827478454280",
            "harbourwatch",
            "Harbour Watch",
            HARBOUR_ID,
            "2018-02-23T22:34:37.000Z",
            "Ferry fares rise on 1 April: single £3.20, return £5.80. Season tickets keep their "
            "price until the end of June, and under-16s still travel free on every crossing & "
            "every day.",
        ),
        "api_json",
        id="api-v1.1-extended-tweet",
    ),
    pytest.param(
        "api_v2_2023.json.body",
        f"https://twitter.com/citydesk/status/{LONG}",
        "20230412170000",
        (LONG, "harbourwatch", "Harbour Watch", HARBOUR_ID, "2023-04-12T16:45:10.000Z", WORKS),
        "api_json",
        id="api-v2-note-tweet-other-handle",
    ),
]


@pytest.mark.parametrize(("name", "original", "timestamp", "expected", "shape"), SHAPES)
def test_a_post_is_recovered_from_each_shape_of_capture(name, original, timestamp, expected, shape):
    content_type = "application/json" if name.endswith(".body") else "text/html; charset=utf-8"
    witness = parse_wayback(capture(name, original, timestamp, content_type))

    assert witness.source == "wayback"
    assert witness.state is PostState.LIVE, witness.reason
    post = witness.post
    got = (post.id, post.handle, post.author_name, post.author_id, post.created_at, post.text)
    assert got == expected
    assert post.media == []  # a copy's media are not downloaded
    assert witness.parsed == {
        "shape": shape,
        "captured_at": captured_at(Capture(original, timestamp, "200").raw_url),
        "url": original,
    }


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        (
            "login_wall_2020.html",
            "rejected: login wall: the capture asks to log in and shows no post",
        ),
        (
            "unavailable_2022.html",
            "rejected: unavailable page: the capture says the post is not there",
        ),
        ("other_post_2020.html", f"rejected: shows post 1311630000000000001, not {GONE}"),
        (
            "js_shell_2022.html",
            "rejected: a JavaScript shell with no post in it (logged-out capture)",
        ),
        # a capture that is another post's page, its parent shown above it
        (
            "permalink_reply_2019.html",
            f"rejected: shows post 1102266930426806273, {REPLY}, not {GONE}",
        ),
    ],
)
def test_a_page_that_is_not_the_post_is_rejected_with_its_reason(name, reason):
    original = f"https://twitter.com/harbourwatch/status/{GONE}"
    witness = parse_wayback(capture(name, original, "20201002080000", "text/html"))
    assert (witness.state, witness.post, witness.reason) == (PostState.UNKNOWN, None, reason)


def test_the_parent_on_a_replys_page_is_the_parent_not_the_reply():
    page = "permalink_reply_2019.html"
    original = "https://twitter.com/citydesk/status/1102266930426806273"
    witness = parse_wayback(capture(page, original, "20190303190512", "text/html"))
    assert witness.state is PostState.LIVE
    assert (witness.post.handle, witness.post.text) == (
        "citydesk",
        "Is the ferry running this weekend? Readers are asking.",
    )


def test_og_description_after_2022_is_unescaped_twice():
    body = (
        '<html><head><meta property="og:url" content="https://x.com/harbourwatch/status/'
        f'{LONG}"><meta property="og:description" content="Tides &amp;amp; winds: &amp;quot;'
        'rough&amp;quot; tonight"></head><body></body></html>'
    )
    url = Capture(f"https://x.com/harbourwatch/status/{LONG}", "20230501000000", "200").raw_url
    exchange = Exchange(url, url, 200, [("content-type", "text/html")], body.encode(), T0)
    witness = parse_wayback(exchange)
    assert witness.post.text == 'Tides & winds: "rough" tonight'


def test_a_listing_keeps_the_captures_of_the_post_and_says_why_not_the_others():
    rows = [
        ["original", "timestamp", "statuscode", "mimetype", "digest"],
        [f"https://twitter.com/a/status/{GONE}", "20201001130000", "302", "unk", "R"],
        [f"https://twitter.com/a/status/{GONE}5", "20201006000000", "200", "text/html", "L"],
        [f"https://twitter.com/a/status/{GONE}", "20221103101010", "200", "text/html", "U"],
        [f"https://twitter.com/a/status/{GONE}?s=20", "20221104101010", "200", "text/html", "U"],
        [f"https://twitter.com/a/status/{GONE}", "20190101000000", "404", "text/html", "N"],
        [f"http://twitter.com/a/status/{GONE}", "20210101000000", "-", "application/json", "J"],
    ]
    url = "https://web.archive.org/cdx/search/cdx?url=twitter.com/a/status/1*"
    exchange = Exchange(url, url, 200, [], json.dumps(rows).encode(), T0)

    witness, listing = read_listing(exchange, GONE, most=3)

    assert witness.source == "wayback_cdx" and witness.state is PostState.UNKNOWN
    assert [(c.timestamp, c.statuscode) for c in listing.chosen] == [
        ("20210101000000", "-"),  # JSON first: it carries the whole post
        ("20221103101010", "200"),
    ]
    assert [why for _, why in listing.rejected] == [
        "a redirect (HTTP 302): it points at another page, often another post",
        f"names post {GONE}5, not {GONE}",
        "the same bytes as another capture",
        "captured with HTTP 404",
    ]
    assert witness.reason.startswith("6 captures listed, 2 chosen; 20201001130000 ")


def archive_article(db_path: Path, server: ReplayServer, at: str):
    with open_archive(db_path, clock=Clock(at)) as archive:
        return archive_job.archive(
            archive,
            archive_job.ArchiveRequest(inputs=(str(ARTICLE),), force=True),
            command_line=["archive"],
            config=fast_config(server.url),
        )


def wayback_requests(server: ReplayServer) -> list[str]:
    return [url for url in server.stats()["urls"] if "web.archive.org" in url]


def rows(db_path: Path, sql: str, params=()) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture
def recovered(tmp_path):
    """The harbour article archived once through the Wayback recordings, and its server."""
    db_path = tmp_path / "archive.db"
    with ReplayServer(RECORDINGS) as server:
        summary = archive_article(db_path, server, T0)
        yield db_path, server, summary


def test_posts_gone_before_archiving_are_recovered_from_the_wayback(recovered):
    db_path, server, summary = recovered
    assert summary.counts["posts_from_wayback"] == 2
    assert server.stats()["unmatched"] and all(
        # only the URL families the recordings leave out: each is asked once, answered 404
        "/cdx/search/cdx" in url
        for url in server.stats()["unmatched"]
    )
    posts = dict(
        (key, (state, handle, author_id, text))
        for key, state, handle, author_id, text in rows(
            db_path,
            "SELECT key, state, handle, author_id, text FROM posts WHERE key LIKE 'twitter:%'",
        )
    )
    # the copies fill in the text; the state stays what the platform says today
    assert posts[f"twitter:{REPLY}"] == ("deleted", "harbourwatch", HARBOUR_ID, FERRY)
    assert posts[f"twitter:{LONG}"] == ("not_found", "harbourwatch", HARBOUR_ID, WORKS)
    assert posts[f"twitter:{GONE}"] == ("deleted", "harbourwatch", None, None)

    checks = rows(
        db_path,
        "SELECT c.source, c.outcome, c.reason, s.url FROM checks c"
        " JOIN snapshots s ON s.id = c.snapshot_id WHERE c.post_key = ? AND c.source = 'wayback'"
        " ORDER BY c.id",
        [f"twitter:{GONE}"],
    )
    assert [(outcome, reason) for _, outcome, reason, _ in checks] == [
        ("unknown", "rejected: login wall: the capture asks to log in and shows no post"),
        ("unknown", f"rejected: shows post 1311630000000000001, not {GONE}"),
        ("unknown", "rejected: unavailable page: the capture says the post is not there"),
    ]
    [listing] = rows(
        db_path,
        "SELECT reason FROM checks WHERE post_key = ? AND source = 'wayback_cdx' AND status = 200",
        [f"twitter:{GONE}"],
    )
    assert "a redirect (HTTP 302): it points at another page, often another post" in listing[0]
    assert f"names post {GONE}5, not {GONE}" in listing[0]

    # One listing per URL family until one yields the post; every capture fetched raw (id_).
    captures = [u for u in wayback_requests(server) if u.startswith("https://web.archive.org/web/")]
    assert all("id_/" in url for url in captures)
    assert len(captures) == 2 + 1 + 3


def test_a_recovered_post_is_verifiable_as_a_third_partys_copy(recovered):
    db_path, _, _ = recovered
    result = CliRunner().invoke(app, ["verify", "--db", str(db_path), str(ARTICLE)])

    report = json.loads(result.stdout)
    reply, long_post, gone = report["embeds"]
    for embed in (reply, long_post):
        assert (embed["verifiable"], embed["reason"], embed["only_third_party"]) == (
            True,
            None,
            True,
        )
        live = [s for s in embed["snapshots"] if s["outcome"] == "live"]
        assert [(s["source"], s["third_party"], s["hash_ok"]) for s in live] == [
            ("wayback", True, True)
        ]
    assert [s["captured_at"] for s in reply["snapshots"] if s["outcome"] == "live"] == [
        "2019-03-03T19:05:12Z"
    ]
    assert [s["captured_at"] for s in long_post["snapshots"] if s["outcome"] == "live"] == [
        "2023-04-12T17:00:00Z"
    ]
    assert reply["post"]["state"] == "deleted"
    assert reply["similarity"] == 1.0 and long_post["similarity"] == 1.0
    # the own witnesses are not a third party's
    assert {s["source"] for s in reply["snapshots"] if not s["third_party"]} == {
        "syndication",
        "oembed",
    }
    assert (gone["verifiable"], gone["only_third_party"]) == (False, False)
    assert gone["reason"] == "no witness ever saw the post live (they said: deleted, not_found)"
    assert result.exit_code == 1

    table = CliRunner().invoke(
        app,
        ["verify", "--db", str(db_path), str(ARTICLE), "--format", "table"],
        env={"COLUMNS": "400"},
    )
    assert "only a third party's copy: wayback 2019-03-03T19:05:12Z" in table.stdout


def test_a_stored_capture_reads_again_without_asking_anything(recovered):
    db_path, _, _ = recovered
    with open_archive(db_path, readonly=True) as archive:
        [(snapshot_id,)] = rows(
            db_path,
            "SELECT s.id FROM snapshots s JOIN checks c ON c.snapshot_id = s.id"
            " WHERE s.post_key = ? AND s.source = 'wayback' AND c.outcome = 'live'",
            [f"twitter:{REPLY}"],
        )
        source, exchange = archive.snapshot_exchange(snapshot_id)
    witness = parse_again(source, exchange)
    assert (witness.state, witness.post.text) == (PostState.LIVE, FERRY)


def test_a_rerun_asks_the_wayback_nothing_new(recovered):
    db_path, server, _ = recovered
    server.reset()

    again = archive_article(db_path, server, T1)
    rechecked = recheck_at(db_path, T1, server.url)

    assert again.counts.get("posts_from_wayback", 0) == 0
    assert rechecked.counts.get("posts_from_wayback", 0) == 0
    assert server.stats()["requests"] > 0  # the platform itself was asked again
    assert wayback_requests(server) == []


@pytest.mark.parametrize(
    ("landed", "reason"),
    [
        (
            "https://web.archive.org/web/20201001130001id_/https://twitter.com/citydesk/status/1311630000000000001",
            "rejected: a redirect to another page: https://twitter.com/citydesk/status/1311630000000000001",
        ),
        (
            f"https://twitter.com/harbourwatch/status/{GONE}",
            "rejected: redirected away from the Wayback, to "
            f"https://twitter.com/harbourwatch/status/{GONE}",
        ),
    ],
)
def test_a_capture_that_redirects_elsewhere_is_rejected(landed, reason):
    exchange = capture(
        "other_post_2020.html",
        f"https://twitter.com/harbourwatch/status/{GONE}",
        "20201001130000",
        "text/html",
    )
    exchange.final_url = landed
    witness = parse_wayback(exchange)
    assert (witness.state, witness.reason) == (PostState.UNKNOWN, reason)


BSKY_DID = "did:plc:h4rb0urw4tchx7k2q9m3v5zt"
BSKY_POST = f"{BSKY_DID}/3kmvx2qz7bs2c"
BSKY_PAGE = "https://bsky.app/profile/harbourwatch.bsky.social/post/3kmvx2qz7bs2c"
STRIKE = (
    "Ferry strike called off. Normal timetable from tomorrow; the 06:40 from the east quay runs "
    "as usual."
)


def test_a_bluesky_post_is_recovered_from_its_bsky_app_page():
    exchange = capture("bluesky_reply_2024.html", BSKY_PAGE, "20240220093000", "text/html")

    witness = parse_wayback(exchange)

    assert witness.state is PostState.LIVE, witness.reason
    post = witness.post
    assert (post.platform, post.id, post.handle, post.author_name, post.author_id) == (
        "bluesky",
        BSKY_POST,  # named by DID, as the AppView names it, though captured under the handle
        "harbourwatch.bsky.social",
        "Harbour Watch",
        BSKY_DID,
    )
    assert post.text == STRIKE  # the summary's "reply to" header is not the post's text
    assert post.created_at == "2024-02-20T08:12:31.402Z"
    assert witness.parsed["shape"] == "bluesky_html"


def test_a_bsky_app_page_of_another_author_is_rejected():
    page = BSKY_PAGE.replace("harbourwatch.bsky.social", "citydesk.bsky.social")
    witness = parse_wayback(capture("bluesky_reply_2024.html", page, "20240220093000", "text/html"))
    assert (witness.state, witness.reason) == (
        PostState.UNKNOWN,
        "rejected: shows a post of harbourwatch.bsky.social, not of citydesk.bsky.social",
    )


def test_a_gone_bluesky_post_is_verifiable_from_the_wayback_and_asked_once(tmp_path):
    article = FIXTURES / "bluesky-article.html"
    db_path = tmp_path / "archive.db"
    with ReplayServer(RECORDINGS) as server:
        with open_archive(db_path, clock=Clock(T0)) as archive:
            request = archive_job.ArchiveRequest(inputs=(str(article),), force=True)
            first = archive_job.archive(
                archive, request, command_line=["archive"], config=fast_config(server.url)
            )
        assert first.counts["posts_from_wayback"] == 1
        assert len(wayback_requests(server)) == 2  # one listing (under the handle), one capture

        server.reset()
        with open_archive(db_path, clock=Clock(T1)) as archive:
            again = archive_job.archive(
                archive, request, command_line=["archive"], config=fast_config(server.url)
            )
        assert again.counts.get("posts_from_wayback", 0) == 0
        assert wayback_requests(server) == []

    result = CliRunner().invoke(app, ["verify", "--db", str(db_path), str(article)])
    [embed] = json.loads(result.stdout)["embeds"]
    assert (embed["verifiable"], embed["only_third_party"], embed["similarity"]) == (
        True,
        True,
        1.0,
    )
    assert embed["post"]["state"] == "not_found"
    assert [
        (s["source"], s["captured_at"]) for s in embed["snapshots"] if s["outcome"] == "live"
    ] == [("wayback", "2024-02-20T09:30:00Z")]
    assert result.exit_code == 0


def test_a_post_known_only_from_og_description_says_so():
    original = "https://twitter.com/harbourwatch/status/1417034656510902281"
    witness = parse_wayback(capture("og_only_2021.html", original, "20210719093015", "text/html"))
    assert witness.reason == (
        "text from og:description (the leading @mentions a reply's description adds are dropped)"
    )


def test_a_post_whose_own_witnesses_cannot_be_asked_is_recovered_from_the_wayback(tmp_path):
    db_path = tmp_path / "archive.db"
    with ReplayServer(RECORDINGS) as server:
        for host in ("cdn.syndication.twimg.com", "publish.twitter.com"):
            server.inject({"match": host, "sequence": [503], "times": 1000})
        summary = archive_article(db_path, server, T0)

    assert summary.counts["posts_from_wayback"] == 2
    # the own witnesses' failure stays on record; the post's state is still unknown
    assert {f.stage for f in summary.failures} == {"fetch"}
    assert rows(db_path, "SELECT state, text FROM posts WHERE key = ?", [f"twitter:{REPLY}"]) == [
        ("unknown", FERRY)
    ]


_FRAGMENTS = st.sampled_from(
    [
        "<div ",
        'class="tweet-text" ',
        f'data-tweet-id="{REPLY}" ',
        'data-tweet-id="1" ',
        'data-id="1" ',
        'itemtype="https://schema.org/SocialMediaPosting" ',
        '<meta itemprop="identifier" content="1">',
        '<p id="bsky_post_text">',
        '<meta property="og:description" content="x">',
        f'<meta property="og:url" content="https://twitter.com/a/status/{REPLY}">',
        ">",
        "</div>",
        "</p>",
        "<![ ",
        "&amp;",
        "text ",
        '{"data":',
        '{"id_str":',
        f'"{REPLY}"',
        "}",
    ]
)


@given(
    original=st.sampled_from(
        [
            f"https://twitter.com/a/status/{REPLY}",
            f"https://mobile.twitter.com/a/status/{REPLY}",
            f"https://cdn.syndication.twimg.com/tweet-result?id={REPLY}&token=x",
            f"https://publish.twitter.com/oembed?url=https://twitter.com/a/status/{REPLY}",
            BSKY_PAGE,
        ]
    ),
    body=st.lists(_FRAGMENTS, max_size=40).map(lambda parts: "".join(parts).encode())
    | st.binary(max_size=300),
    status=st.sampled_from([None, 200, 200, 302, 404, 503]),
)
def test_any_capture_is_read_without_raising_and_only_as_the_post_asked_for(original, body, status):
    url = Capture(original, "20200101000000", "200").raw_url
    exchange = Exchange(url, url, status, [("content-type", "text/html")], body, T0)
    witness = parse_wayback(exchange)
    assert witness.source == "wayback"
    if witness.state is PostState.LIVE:
        assert witness.post is not None
        assert witness.post.id.rpartition("/")[2] == (
            REPLY if "twitter" in original else "3kmvx2qz7bs2c"
        )
    else:
        assert witness.state is PostState.UNKNOWN and witness.reason.startswith("rejected: ")
