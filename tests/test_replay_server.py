"""The replay server: recorded exchanges in the reroute layout, its control API and its faults."""

import base64
import http.client
import json
import socket
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from archiver.errors import InputError
from archiver.replay import ReplayControl, ReplayServer

SYNDICATION = (
    "https://cdn.syndication.twimg.com/tweet-result?id=1641086480675225601&token=3z7miaszni8"
)
TWEET_JSON = '{"__typename":"Tweet","id_str":"1641086480675225601","lang":"en"}'
TOMBSTONE = (
    '{"__typename":"TweetTombstone","tombstone":{"text":'
    '{"text":"This Post was deleted by the Post author. Learn more"}}}'
)
SYNDICATION_REQUEST = (
    b"GET /cdn.syndication.twimg.com/tweet-result?id=1641086480675225601&token=3z7miaszni8"
    b" HTTP/1.1\r\nHost: x\r\n\r\n"
)
PY = f"{sys.version_info.major}.{sys.version_info.minor}"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
)


def recording(url, status=200, body=TWEET_JSON, content_type="application/json", **response):
    return {
        "request": {"method": "GET", "url": url},
        "response": {"status": status, "headers": [["content-type", content_type]], "body": body}
        | response,
        "note": "written for the tests",
    }


def write_recordings(directory, *exchanges, dns=None):
    directory.mkdir(exist_ok=True)
    document = {"exchanges": list(exchanges)} | ({"dns": dns} if dns else {})
    (directory / "recorded.json").write_text(json.dumps(document), encoding="utf-8")
    return directory


def fetch(server, path, *, method="GET", payload=None):
    """(status, headers, body) of one request to the server, errors included."""
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(server.url + path, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_a_recording_is_served_in_the_reroute_layout_with_its_headers_and_body(tmp_path):
    recordings = write_recordings(tmp_path / "rec", recording(SYNDICATION))
    with ReplayServer(recordings) as server:
        status, headers, body = fetch(
            server,
            "/cdn.syndication.twimg.com/tweet-result?id=1641086480675225601&token=3z7miaszni8",
        )
    assert (status, headers["content-type"], headers["content-length"], body) == (
        200,
        "application/json",
        str(len(TWEET_JSON)),
        TWEET_JSON.encode(),
    )


def test_the_query_matches_in_any_order_but_every_pair_counts(tmp_path):
    recordings = write_recordings(tmp_path / "rec", recording(SYNDICATION))
    with ReplayServer(recordings) as server:
        reordered = fetch(
            server,
            "/cdn.syndication.twimg.com/tweet-result?token=3z7miaszni8&id=1641086480675225601",
        )
        missing_token = fetch(
            server, "/cdn.syndication.twimg.com/tweet-result?id=1641086480675225601"
        )
        extra_pair = fetch(
            server,
            "/cdn.syndication.twimg.com/tweet-result?id=1641086480675225601&token=3z7miaszni8&lang=en",
        )
    assert reordered[0] == 200
    assert missing_token[0] == 404
    assert json.loads(missing_token[2]) == {
        "error": "no recording",
        "url": "https://cdn.syndication.twimg.com/tweet-result?id=1641086480675225601",
    }
    assert extra_pair[0] == 404


def test_method_host_and_path_must_all_match(tmp_path):
    recordings = write_recordings(tmp_path / "rec", recording("https://t.co/bgHyrsbVFs", 301, ""))
    with ReplayServer(recordings) as server:
        assert fetch(server, "/t.co/bgHyrsbVFs")[0] == 301
        assert fetch(server, "/t.co/bgHyrsbVFs", method="POST", payload={})[0] == 404
        assert fetch(server, "/T.CO/bgHyrsbVFs")[0] == 301
        assert fetch(server, "/t.co/bgHyrsbVFS")[0] == 404
        assert fetch(server, "/x.com/bgHyrsbVFs")[0] == 404


def test_a_redirect_is_answered_as_recorded_with_its_original_location(tmp_path):
    status_url = "https://twitter.com/ChristopherJM/status/1497213151406260225/photo/1"
    recordings = write_recordings(
        tmp_path / "rec",
        {
            "request": {"url": "https://t.co/bgHyrsbVFs"},
            "response": {"status": 301, "headers": [["location", status_url]]},
        },
    )
    with ReplayServer(recordings) as server:
        connection = http.client.HTTPConnection("127.0.0.1", int(server.url.rsplit(":", 1)[1]))
        connection.request("GET", "/t.co/bgHyrsbVFs")
        response = connection.getresponse()
        assert (response.status, response.getheader("location"), response.read()) == (
            301,
            status_url,
            b"",
        )
        connection.close()


def test_bodies_come_from_text_base64_or_a_file_inside_the_recordings(tmp_path):
    recordings = tmp_path / "rec"
    (recordings / "media").mkdir(parents=True)
    (recordings / "media" / "photo.png").write_bytes(PNG)
    write_recordings(
        recordings,
        {
            "request": {"url": "https://pbs.twimg.com/media/a.jpg?name=orig"},
            "response": {"status": 200, "body_file": "media/photo.png"},
        },
        {
            "request": {"url": "https://pbs.twimg.com/media/b.jpg?name=orig"},
            "response": {"status": 200, "body_base64": base64.b64encode(PNG).decode()},
        },
    )
    with ReplayServer(recordings) as server:
        assert fetch(server, "/pbs.twimg.com/media/a.jpg?name=orig")[2] == PNG
        assert fetch(server, "/pbs.twimg.com/media/b.jpg?name=orig")[2] == PNG


@pytest.mark.parametrize(
    "body_file", ["../secret.txt", "/etc/passwd", "media/../../secret.txt", "C:/secret.txt"]
)
def test_a_body_file_outside_the_recordings_is_refused(tmp_path, body_file):
    (tmp_path / "secret.txt").write_text("not for replay", encoding="utf-8")
    recordings = write_recordings(
        tmp_path / "rec",
        {
            "request": {"url": "https://pbs.twimg.com/media/a.jpg"},
            "response": {"status": 200, "body_file": body_file},
        },
    )
    with pytest.raises(InputError, match="body_file"):
        ReplayServer(recordings)


def test_a_body_file_symlinked_out_of_the_recordings_is_refused(tmp_path):
    (tmp_path / "secret.txt").write_text("not for replay", encoding="utf-8")
    recordings = tmp_path / "rec"
    recordings.mkdir()
    (recordings / "link.txt").symlink_to(tmp_path / "secret.txt")
    write_recordings(
        recordings,
        {
            "request": {"url": "https://pbs.twimg.com/media/a.jpg"},
            "response": {"status": 200, "body_file": "link.txt"},
        },
    )
    with pytest.raises(InputError, match="body_file"):
        ReplayServer(recordings)


@pytest.mark.parametrize(
    "document, message",
    [
        ("{not json", "not a readable JSON"),
        ('{"exchanges": {}}', "must be a list"),
        (
            '{"exchanges": [{"request": {"url": "ftp://x/y"}, "response": {"status": 200}}]}',
            "absolute http",
        ),
        (
            '{"exchanges": [{"request": {"url": "https://x.com/"}, "response": {"status": 99}}]}',
            "status",
        ),
        (
            '{"exchanges": [{"request": {"url": "https://x.com/"},'
            ' "response": {"status": 200, "body": "a", "body_base64": "YQ=="}}]}',
            "one of",
        ),
        (
            '{"exchanges": [{"request": {"url": "https://x.com/"},'
            ' "response": {"status": 200, "body_base64": "%%%"}}]}',
            "base64",
        ),
        ('{"exchanges": [], "dns": {"x.com": "10.0.0.1"}}', "list of addresses"),
    ],
)
def test_a_malformed_recording_is_a_clear_input_error(tmp_path, document, message):
    recordings = tmp_path / "rec"
    recordings.mkdir()
    (recordings / "broken.json").write_text(document, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        ReplayServer(recordings)


def test_a_missing_recordings_directory_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        ReplayServer(tmp_path / "nowhere")


def test_stats_count_each_original_url_and_list_the_unmatched(replay_server):
    replay_server.add(recording(SYNDICATION))
    path = "/cdn.syndication.twimg.com/tweet-result?id=1641086480675225601&token=3z7miaszni8"
    fetch(replay_server, path)
    fetch(replay_server, path)
    fetch(
        replay_server, "/publish.twitter.com/oembed?url=https%3A%2F%2Ftwitter.com%2Fa%2Fstatus%2F1"
    )
    fetch(replay_server, "/__replay__/stats")  # control requests are not counted
    assert replay_server.stats() == {
        "requests": 3,
        "urls": {
            SYNDICATION: 2,
            "https://publish.twitter.com/oembed?url=https%3A%2F%2Ftwitter.com%2Fa%2Fstatus%2F1": 1,
        },
        "unmatched": [
            "GET https://publish.twitter.com/oembed?url=https%3A%2F%2Ftwitter.com%2Fa%2Fstatus%2F1"
        ],
        "faults_fired": 0,
        "recent": [
            {"method": "GET", "url": SYNDICATION, "user_agent": f"Python-urllib/{PY}"},
            {"method": "GET", "url": SYNDICATION, "user_agent": f"Python-urllib/{PY}"},
            {
                "method": "GET",
                "url": "https://publish.twitter.com/oembed?url=https%3A%2F%2Ftwitter.com%2Fa%2Fstatus%2F1",
                "user_agent": f"Python-urllib/{PY}",
            },
        ],
    }
    assert json.loads(fetch(replay_server, "/__replay__/stats")[2]) == replay_server.stats()
    assert fetch(replay_server, "/__replay__/reset", method="POST", payload={})[0] == 200
    assert replay_server.stats() == {
        "requests": 0,
        "urls": {},
        "unmatched": [],
        "faults_fired": 0,
        "recent": [],
    }


def test_exchanges_posted_at_run_time_replace_the_recorded_ones(tmp_path):
    recordings = write_recordings(tmp_path / "rec", recording(SYNDICATION))
    tombstone = TOMBSTONE
    with ReplayServer(recordings) as server:
        path = "/cdn.syndication.twimg.com/tweet-result?id=1641086480675225601&token=3z7miaszni8"
        before = fetch(server, path)[2]
        status, _, answer = fetch(
            server,
            "/__replay__/exchanges",
            method="POST",
            payload={"exchanges": [recording(SYNDICATION, body=tombstone)]},
        )
        after = fetch(server, path)[2]
    assert (before, status, json.loads(answer), after) == (
        TWEET_JSON.encode(),
        200,
        {"added": 1},
        tombstone.encode(),
    )


def test_a_bad_control_request_is_answered_400_and_changes_nothing(replay_server):
    status, _, body = fetch(
        replay_server, "/__replay__/faults", method="POST", payload={"match": ""}
    )
    assert status == 400 and "match" in json.loads(body)["error"]
    status, _, body = fetch(
        replay_server,
        "/__replay__/exchanges",
        method="POST",
        payload={"exchanges": [{"request": {}}]},
    )
    assert status == 400
    assert fetch(replay_server, "/__replay__/nothing")[0] == 404
    assert replay_server.state.rules == []


def test_dns_answers_come_from_the_recordings_and_default_to_none(tmp_path):
    recordings = write_recordings(
        tmp_path / "rec", dns={"evil.example": ["10.0.0.1", "93.184.216.34"]}
    )
    with ReplayServer(recordings) as server:
        assert json.loads(fetch(server, "/__replay__/dns?host=evil.example")[2]) == [
            "10.0.0.1",
            "93.184.216.34",
        ]
        assert json.loads(fetch(server, "/__replay__/dns?host=EVIL.example")[2]) == [
            "10.0.0.1",
            "93.184.216.34",
        ]
        assert json.loads(fetch(server, "/__replay__/dns?host=t.co")[2]) == []


def test_a_status_sequence_answers_in_order_then_serves_the_recording(replay_server):
    replay_server.add(recording(SYNDICATION))
    replay_server.inject(
        {"match": "cdn.syndication.twimg.com", "sequence": [429, 503, "ok"], "retry_after": 2}
    )
    path = "/cdn.syndication.twimg.com/tweet-result?id=1641086480675225601&token=3z7miaszni8"
    answers = [fetch(replay_server, path) for _ in range(4)]
    assert [(status, headers.get("retry-after")) for status, headers, _ in answers] == [
        (429, "2"),
        (503, "2"),
        (200, None),
        (200, None),
    ]
    assert json.loads(answers[0][2]) == {"error": "injected fault", "status": 429}
    assert replay_server.stats()["faults_fired"] == 3


def test_a_rule_matches_a_url_prefix_and_only_as_many_times_as_asked(replay_server):
    replay_server.add(
        recording("https://t.co/AAA", body="a"), recording("https://t.co/BBB", body="b")
    )
    replay_server.inject({"match": "https://t.co/AAA", "sequence": [500], "times": 2})
    assert [fetch(replay_server, "/t.co/AAA")[0] for _ in range(3)] == [500, 500, 200]
    assert fetch(replay_server, "/t.co/BBB")[0] == 200


def test_a_reset_rule_drops_the_connection_without_an_answer(replay_server):
    replay_server.add(recording(SYNDICATION))
    replay_server.inject({"match": "cdn.syndication.twimg.com", "reset": True, "times": 1})
    port = int(replay_server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(SYNDICATION_REQUEST)
        with pytest.raises(ConnectionResetError):
            while sock.recv(4096):
                pass
    assert (
        fetch(
            replay_server,
            "/cdn.syndication.twimg.com/tweet-result?id=1641086480675225601&token=3z7miaszni8",
        )[0]
        == 200
    )


def test_clearing_the_rules_answers_a_request_their_delay_still_holds(replay_server):
    replay_server.add(recording("https://t.co/AAA", body="a"))
    replay_server.inject({"match": "https://t.co/AAA", "delay_ms": 600_000, "times": 1})
    answers = []
    held = threading.Thread(target=lambda: answers.append(fetch(replay_server, "/t.co/AAA")))
    held.start()
    while not replay_server.stats()["requests"]:
        held.join(0.01)
    held.join(0.5)
    assert held.is_alive() and not answers  # held by the delay
    replay_server.clear_faults()
    held.join(30)  # a bound far below the delay, not a measure of speed
    assert not held.is_alive()
    assert answers[0][0] == 200 and answers[0][2] == b"a"


def test_a_truncate_rule_promises_the_whole_length_and_sends_part(replay_server):
    replay_server.add(recording(SYNDICATION))
    replay_server.inject({"match": "cdn.syndication.twimg.com", "truncate": 10, "times": 1})
    port = int(replay_server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(SYNDICATION_REQUEST)
        received = b""
        while chunk := sock.recv(4096):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    assert f"content-length: {len(TWEET_JSON)}".encode() in head
    assert body == TWEET_JSON.encode()[:10]


def test_random_faults_at_a_rate_repeat_with_the_same_seed(replay_server):
    replay_server.add(recording("https://t.co/AAA", body="a"))

    def run():
        replay_server.clear_faults()
        replay_server.inject({"match": "t.co", "sequence": [503], "rate": 0.3, "seed": 7})
        return [fetch(replay_server, "/t.co/AAA")[0] for _ in range(40)]

    first, second = run(), run()
    assert first == second
    assert 4 <= first.count(503) <= 20 and first.count(200) == 40 - first.count(503)


def test_keep_alive_serves_many_requests_on_one_connection(replay_server):
    replay_server.add(recording(SYNDICATION))
    port = int(replay_server.url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for _ in range(3):
        connection.request(
            "GET",
            "/cdn.syndication.twimg.com/tweet-result?id=1641086480675225601&token=3z7miaszni8",
        )
        response = connection.getresponse()
        assert (response.status, response.read()) == (200, TWEET_JSON.encode())
    assert connection.sock is not None  # the same socket served all three
    connection.close()


def test_malformed_requests_get_400_and_the_server_keeps_serving(replay_server):
    port = int(replay_server.url.rsplit(":", 1)[1])
    for raw in (
        b"NONSENSE\r\n\r\n",
        b"GET http://evil/ HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\nbroken\r\n\r\n",
    ):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(raw)
            assert sock.recv(4096).startswith(b"HTTP/1.1 400 ")
    replay_server.add(recording("https://t.co/AAA", body="a"))
    assert fetch(replay_server, "/t.co/AAA")[2] == b"a"


def test_the_server_runs_in_a_subprocess_with_the_same_control_api(tmp_path):
    recordings = write_recordings(tmp_path / "rec", recording(SYNDICATION))
    with ReplayServer.in_subprocess(recordings) as server:
        path = "/cdn.syndication.twimg.com/tweet-result?id=1641086480675225601&token=3z7miaszni8"
        assert fetch(server, path)[2] == TWEET_JSON.encode()
        server.inject({"match": "cdn.syndication.twimg.com", "sequence": [503]})
        server.add(recording("https://t.co/AAA", body="a"))
        assert fetch(server, path)[0] == 503
        assert fetch(server, "/t.co/AAA")[2] == b"a"
        assert server.stats()["requests"] == 3
        server.reset()
        assert server.stats()["requests"] == 0


def test_a_subprocess_with_bad_recordings_fails_clearly(tmp_path):
    with pytest.raises(InputError, match="not found"):
        ReplayServer.in_subprocess(tmp_path / "nowhere").__enter__()


def test_a_redirect_rule_answers_with_its_location(replay_server):
    replay_server.add(recording(SYNDICATION))
    replay_server.inject(
        {
            "match": "cdn.syndication.twimg.com",
            "sequence": [302],
            "location": "http://10.0.0.1/admin",
            "times": 1,
        }
    )
    connection = http.client.HTTPConnection("127.0.0.1", int(replay_server.url.rsplit(":", 1)[1]))
    connection.request("GET", SYNDICATION_REQUEST.split(b" ")[1].decode())
    response = connection.getresponse()
    assert (response.status, response.getheader("location")) == (302, "http://10.0.0.1/admin")
    response.read()
    connection.close()


def test_a_body_bytes_rule_keeps_the_recorded_status_and_sends_that_many_bytes(replay_server):
    replay_server.add(recording(SYNDICATION))
    replay_server.inject({"match": "cdn.syndication.twimg.com", "body_bytes": 300_000, "times": 1})
    path = "/cdn.syndication.twimg.com/tweet-result?id=1641086480675225601&token=3z7miaszni8"
    status, headers, body = fetch(replay_server, path)
    assert (status, headers["content-type"], headers["content-length"]) == (
        200,
        "application/json",
        "300000",
    )
    assert body == b" " * 300_000
    assert fetch(replay_server, path)[2] == TWEET_JSON.encode()


def test_the_rules_are_listed_with_how_often_each_fired(replay_server):
    replay_server.add(recording("https://t.co/AAA", body="a"))
    rules = [
        {"match": "https://t.co/AAA", "sequence": [500], "times": 1},
        {"match": "t.co", "delay_ms": 1, "rate": 1.0},
    ]
    assert fetch(replay_server, "/__replay__/faults", method="POST", payload=rules)[0] == 200
    assert [fetch(replay_server, "/t.co/AAA")[0] for _ in range(3)] == [500, 200, 200]
    assert replay_server.faults() == [{**rules[0], "fired": 1}, {**rules[1], "fired": 2}]
    status, _, body = fetch(
        replay_server, "/__replay__/faults", method="POST", payload={"match": "t.co", "location": 1}
    )
    assert (status, json.loads(body)) == (400, {"error": "'location' is a URL on one line"})


@pytest.mark.parametrize("where", ["thread", "subprocess"])
def test_both_servers_refuse_a_bad_rule_alike_through_the_one_control_api(tmp_path, where):
    recordings = write_recordings(tmp_path / "rec", recording(SYNDICATION))
    server = (
        ReplayServer(recordings) if where == "thread" else ReplayServer.in_subprocess(recordings)
    )
    with server:
        assert isinstance(server, ReplayControl)
        with pytest.raises(ValueError, match="match"):
            server.inject({"match": ""})
        server.inject([{"match": "t.co", "sequence": [500]}, {"match": "x.com"}])
        assert [rule["match"] for rule in server.faults()] == ["t.co", "x.com"]
        server.clear_faults()
        assert server.faults() == []


def test_the_package_exports_its_public_names_and_no_module_is_long():
    import archiver.replay as replay

    used = {"ReplayServer", "ReplayProcess", "ReplayControl", "Recordings", "FaultRule"}
    assert used <= set(replay.__all__)
    assert all(hasattr(replay, name) for name in replay.__all__)
    for module in Path(replay.__file__).parent.glob("*.py"):
        assert len(module.read_text(encoding="utf-8").splitlines()) <= 500, module.name
