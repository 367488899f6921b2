"""Which file archiver keeps for each picture and video of an X post."""

import pytest

from archiver.models import MediaItem
from archiver.witnesses.twitter.media import (
    best_video,
    is_twitter_media_url,
    original_photo_url,
    profile_image_url,
)


@pytest.mark.parametrize(
    "url, kept",
    [
        ("https://pbs.twimg.com/media/FsZNOgcWAAEQtrd.jpg", True),
        ("https://video.twimg.com/ext_tw_video/1/pu/vid/1280x720/a.mp4?tag=12", True),
        ("https://PBS.TWIMG.COM/media/a.jpg", True),
        ("http://pbs.twimg.com/media/a.jpg", False),
        ("https://pbs.twimg.com@127.0.0.1/a.jpg", False),
        ("https://pbs.twimg.com:8080/a.jpg", False),
        ("https://pbs.twimg.com.evil.example/a.jpg", False),
        ("https://evil.example/pbs.twimg.com/a.jpg", False),
        ("https://twimg.com/a.jpg", False),
        ("https://pbs.twimg.com/a b.jpg", False),
        ("https://pbs.twimg.com/a.jpg\r\nX-Injected: 1", False),
        ("https://pbs.twimg.com/" + "a" * 3000, False),
        (None, False),
    ],
)
def test_only_https_urls_on_x_media_hosts_are_kept(url, kept):
    assert is_twitter_media_url(url) is kept


def test_photos_at_their_original_size():
    assert original_photo_url("https://pbs.twimg.com/media/FMXqk2aWQAI3tZx.png") == (
        "https://pbs.twimg.com/media/FMXqk2aWQAI3tZx?format=png&name=orig"
    )
    assert original_photo_url("https://pbs.twimg.com/media/NoExtension") == (
        "https://pbs.twimg.com/media/NoExtension?name=orig"
    )


def test_avatars_at_400x400():
    assert (
        profile_image_url(
            "https://pbs.twimg.com/profile_images/1042172116911697920/JkIt3onc_normal.jpg"
        )
        == "https://pbs.twimg.com/profile_images/1042172116911697920/JkIt3onc_400x400.jpg"
    )
    assert profile_image_url("https://pbs.twimg.com/profile_images/1/square.png") == (
        "https://pbs.twimg.com/profile_images/1/square.png"
    )


def test_the_best_mp4_wins_and_the_playlist_is_kept():
    base = "https://video.twimg.com/amplify_video/1/vid/avc1"
    playlist = "https://video.twimg.com/amplify_video/1/pl/x.m3u8"
    variants = [
        {"bitrate": 832000, "content_type": "video/mp4", "url": f"{base}/640x360/b.mp4"},
        {"content_type": "application/x-mpegURL", "url": playlist},
        {"bitrate": 10368000, "content_type": "video/mp4", "url": "https://evil.example/c.mp4"},
        {"bitrate": 2176000, "content_type": "video/mp4", "url": f"{base}/1280x720/a.mp4"},
        {"bitrate": True, "content_type": "video/mp4", "url": f"{base}/2x2/d.mp4"},
        "junk",
    ]
    assert best_video("video", variants) == MediaItem(
        kind="video", url=f"{base}/1280x720/a.mp4", stream_url=playlist, bitrate=2176000
    )
    assert best_video("video", variants[1:2]) == MediaItem("video", playlist, stream_url=playlist)
    assert best_video("video", []) is None
