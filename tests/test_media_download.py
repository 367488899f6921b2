"""Media streamed into a sink: hashed and counted as it passes, capped, type-checked, retried."""

import asyncio
import base64
import gzip
import hashlib
import io
import json
import struct
import zlib

import pytest

from archiver.errors import HTTPStatusError, PayloadError, ResponseTooLarge, TransportError
from archiver.fetch import ClientConfig, Download, HttpClient
from archiver.models import Exchange, Hop
from archiver.replay import ReplayServer

PHOTO_URL = "https://pbs.twimg.com/media/FMb7rp2XMAQsV3k?format=jpg&name=orig"
VIDEO_URL = "https://video.twimg.com/ext_tw_video/1497300000000000000/pu/vid/1280x720/a.mp4"


def png(width, height):
    """A valid PNG of the given size (grey), made with the standard library."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def media(url, body, content_type, status=200, headers=()):
    return {
        "request": {"url": url},
        "response": {
            "status": status,
            "headers": [["content-type", content_type], *map(list, headers)],
            "body_base64": base64.b64encode(body).decode(),
        },
    }


def download(config, url, sink, **options):
    async def run():
        async with HttpClient(config) as client:
            return await client.stream_to(url, sink, **options)

    return asyncio.run(run())


def test_a_photo_is_streamed_into_the_sink_with_its_hash_size_and_type(
    replay_server, replay_config
):
    photo = png(64, 48)
    replay_server.add(media(PHOTO_URL, photo, "image/png"))
    sink = io.BytesIO()
    result = download(replay_config(), PHOTO_URL, sink, content_types=["image/"])
    result.exchange.fetched_at, result.exchange.elapsed_ms = "", 0.0
    assert result == Download(
        exchange=Exchange(
            url=PHOTO_URL,
            final_url=PHOTO_URL,
            status=200,
            headers=[
                ("content-type", "image/png"),
                ("content-length", str(len(photo))),
                ("connection", "keep-alive"),
            ],
            body=b"",  # the bytes went to the sink, not into memory
            chain=[Hop(PHOTO_URL, 200)],
            replay=True,
            attempts=1,
        ),
        sha256=hashlib.sha256(photo).hexdigest(),
        size=len(photo),
        content_type="image/png",
    )
    assert sink.getvalue() == photo


def test_a_large_video_is_streamed_to_a_file_in_pieces(tmp_path):
    video = bytes(range(256)) * 12_000  # 3 MB, more than any one read
    recordings = tmp_path / "rec"
    recordings.mkdir()
    (recordings / "a.mp4").write_bytes(video)
    exchange = {
        "request": {"url": VIDEO_URL},
        "response": {
            "status": 200,
            "headers": [["content-type", "video/mp4"]],
            "body_file": "a.mp4",
        },
    }
    (recordings / "video.json").write_text(json.dumps({"exchanges": [exchange]}), encoding="utf-8")
    with ReplayServer(recordings) as server, (tmp_path / "video.mp4").open("w+b") as sink:
        result = download(
            ClientConfig(reroute=server.url), VIDEO_URL, sink, content_types=["video/mp4"]
        )
    assert (result.size, result.sha256) == (len(video), hashlib.sha256(video).hexdigest())
    assert (tmp_path / "video.mp4").read_bytes() == video


def test_a_declared_size_over_the_cap_is_refused_before_reading(replay_server, replay_config):
    replay_server.add(media(VIDEO_URL, b"\x00" * 50_000, "video/mp4"))
    sink = io.BytesIO()
    with pytest.raises(
        ResponseTooLarge, match="declared size 50,000 passes the cap of 10,000"
    ) as caught:
        download(replay_config(), VIDEO_URL, sink, max_bytes=10_000)
    assert (sink.getvalue(), caught.value.exchange.truncated, caught.value.exchange.status) == (
        b"",
        True,
        200,
    )


def test_the_default_media_cap_comes_from_the_config(replay_server, replay_config):
    replay_server.add(media(VIDEO_URL, b"\x00" * 5_000, "video/mp4"))
    with pytest.raises(ResponseTooLarge):
        download(replay_config(max_media_bytes=4_096), VIDEO_URL, io.BytesIO())


def test_a_compressed_body_that_inflates_past_the_cap_is_cut_there(replay_server, replay_config):
    bomb = gzip.compress(b"\x00" * 5_000_000)  # 5 KB on the wire, 5 MB once decoded
    replay_server.add(media(PHOTO_URL, bomb, "image/png", headers=[("content-encoding", "gzip")]))
    sink = io.BytesIO()
    with pytest.raises(ResponseTooLarge, match="passed the cap of 100,000 bytes"):
        download(replay_config(), PHOTO_URL, sink, max_bytes=100_000)
    assert sink.getvalue() == b"\x00" * 100_000


def test_a_compression_bomb_is_cut_at_the_api_cap_by_get_too(replay_server, replay_config):
    bomb = gzip.compress(b"{" * 5_000_000)
    replay_server.add(
        media(PHOTO_URL, bomb, "application/json", headers=[("content-encoding", "gzip")])
    )

    async def run():
        async with HttpClient(replay_config(max_body_bytes=65_536)) as client:
            return await client.get(PHOTO_URL)

    with pytest.raises(ResponseTooLarge) as caught:
        asyncio.run(run())
    assert caught.value.exchange.body == b"{" * 65_536


def test_an_error_answer_raises_its_status_and_writes_nothing(replay_server, replay_config):
    replay_server.add(media(PHOTO_URL, b"<h1>Gone</h1>", "text/html", status=404))
    sink = io.BytesIO()
    with pytest.raises(HTTPStatusError, match="media answered 404") as caught:
        download(replay_config(), PHOTO_URL, sink)
    assert (caught.value.status, caught.value.exchange.body, sink.getvalue()) == (
        404,
        b"<h1>Gone</h1>",
        b"",
    )


def test_a_refused_content_type_is_kept_as_evidence_not_written(replay_server, replay_config):
    page = b"<html><body>Log in to see this media</body></html>"
    replay_server.add(media(PHOTO_URL, page, "text/html; charset=utf-8"))
    sink = io.BytesIO()
    with pytest.raises(PayloadError, match="content type 'text/html' is not one of") as caught:
        download(replay_config(), PHOTO_URL, sink, content_types=["image/", "video/mp4"])
    assert (caught.value.exchange.body, sink.getvalue()) == (page, b"")


def test_a_retry_after_a_cut_transfer_starts_the_sink_again(replay_server, replay_config):
    photo = png(200, 100)
    replay_server.add(media(PHOTO_URL, photo, "image/png"))
    replay_server.inject({"match": "pbs.twimg.com", "truncate": 50, "times": 1})
    sink = io.BytesIO()
    result = download(replay_config(), PHOTO_URL, sink)
    assert (result.exchange.attempts, result.size, sink.getvalue()) == (2, len(photo), photo)
    assert result.sha256 == hashlib.sha256(photo).hexdigest()


def test_a_transfer_cut_every_time_fails_with_the_bytes_so_far_in_the_sink(
    replay_server, replay_config
):
    photo = png(200, 100)
    replay_server.add(media(PHOTO_URL, photo, "image/png"))
    replay_server.inject({"match": "pbs.twimg.com", "truncate": 50})
    sink = io.BytesIO()
    with pytest.raises(TransportError) as caught:
        download(replay_config(retries=1), PHOTO_URL, sink)
    assert (caught.value.exchange.attempts, caught.value.exchange.truncated) == (2, True)
    assert sink.getvalue() == photo[:50]


def test_media_behind_a_redirect_is_followed(replay_server, replay_config):
    photo = png(8, 8)
    replay_server.add(
        {
            "request": {"url": "https://pbs.twimg.com/profile_images/1/a_normal.jpg"},
            "response": {"status": 302, "headers": [["location", PHOTO_URL]]},
        },
        media(PHOTO_URL, photo, "image/png"),
    )
    sink = io.BytesIO()
    result = download(replay_config(), "https://pbs.twimg.com/profile_images/1/a_normal.jpg", sink)
    assert [hop.status for hop in result.exchange.chain] == [302, 200]
    assert sink.getvalue() == photo
