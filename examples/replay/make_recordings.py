"""Write examples/replay/: MADE UP recorded answers for the five posts of the sample article.

Run it from the repository root with the project installed::

    .venv/bin/python examples/replay/make_recordings.py [OUTPUT_DIR]

Everything is derived from the article (examples/zelensky-stays-in-kyiv.txt) and the table
below, deterministically, so running it again gives the same bytes. The answers follow the
shapes of the real payloads in tests/fixtures/payloads/; the ids, times, counts, media and
the BNO News decoys are invented (see README.md beside this file). The answers themselves are
built by benchmarks/made_up.py, which the generated soak and benchmark corpora share.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))  # the repository root, for benchmarks/made_up.py

from archiver.fetch.twitter.find_by_text import wayback_queries  # noqa: E402
from benchmarks.made_up import MadePost, Recording, snowflake_id  # noqa: E402

ARTICLE = HERE.parent / "zelensky-stays-in-kyiv.txt"


@dataclass(frozen=True)
class Made:
    """One made-up post: who, when (UTC), and how the article shows it."""

    handle: str
    name: str
    user_id: str
    posted: str  # UTC, to the second
    date_text: str  # as the article shows it
    starts: str = ""  # the first words of the text in the article ("" for decoys)
    pic_code: str | None = None
    media: str | None = None  # "video" or "photo"
    text: str | None = None  # decoys only; article posts take theirs from the article
    likes: int = 0
    replies: int = 0
    tombstone: str | None = None


ARTICLE_POSTS = [
    Made("ChristopherJM", "Christopher Miller", "91478624", "2022-02-25T17:46:09",
         "February 25, 2022", "⚡️Ukraine’s Zelensky posts", "bgHyrsbVFs", "video", likes=48211,
         replies=1204),
    Made("SaoSasha", "Alex Kliment", "268484735", "2022-02-25T22:13:51", "February 25, 2022",
         "went and translated", "JDLXtYAq5q", "video", likes=15720, replies=388),
    Made("BNONews", "BNO News", "100002112", "2022-02-26T02:31:44", "February 26, 2022",
         "Ukrainian President Zelenskiy turns down", likes=31377, replies=903),
    Made("YVindman", "Yevgeny (Eugene) Vindman", "1096195982441521152", "2022-02-26T04:12:30",
         "February 26, 2022", "I’m in awe of this man.", "ok6JOXl4KA", "photo", likes=9843,
         replies=311),
    Made("France24_en", "FRANCE 24 English", "1994321", "2022-02-26T09:27:15",
         "February 26, 2022", "🔴🇺🇦 After Ukrainian forces", "V8zWIJ0IAS", "video", likes=2210,
         replies=96),
]  # fmt: skip
BNO = ARTICLE_POSTS[2]
# Other posts of the account around the date, as the Wayback Machine might list them: the first
# four lie in the ±1 day window and get syndication answers; the rest lie outside it.
BNO_DECOYS = [
    Made(BNO.handle, BNO.name, BNO.user_id, "2022-02-26T11:05:02", "",
         text='Ukrainian President Zelenskiy says he is staying in Kyiv: "We are all here" - video',
         likes=5120, replies=240),
    Made(BNO.handle, BNO.name, BNO.user_id, "2022-02-26T14:20:37", "",
         tombstone="This Post was deleted by the Post author. Learn more"),
    Made(BNO.handle, BNO.name, BNO.user_id, "2022-02-25T20:00:11", "",
         text="Air raid sirens sound across Kyiv, according to local media", likes=2750,
         replies=130),
    Made(BNO.handle, BNO.name, BNO.user_id, "2022-02-27T08:14:56", "",
         text="Curfew in Kyiv extended until Monday morning, city officials say", likes=1980,
         replies=77),
]  # fmt: skip
BNO_OUTSIDE = ["2022-02-24T23:59:58", "2022-02-28T00:00:03", "2022-02-28T06:40:00"]


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else HERE
    write_recordings(out)
    print(f"wrote {len(list(out.glob('*.json')))} recordings and their media to {out}")
    return 0


def write_recordings(out: Path) -> None:
    """Write every recording file and media file under ``out``."""
    (out / "media").mkdir(parents=True, exist_ok=True)
    article = ARTICLE.read_text(encoding="utf-8")
    for made in ARTICLE_POSTS:
        recording = DemoRecording(out, made.handle.lower())
        post = made_post(made, post_id_of(made), article_text(article, made))
        if made.pic_code:
            recording.shortlink(post)
        recording.syndication(post)
        recording.oembed(post)
        recording.avatar(made.handle)
        if made is BNO:
            recording.wayback(made, post.post_id)
            for decoy in BNO_DECOYS:
                recording.syndication(made_post(decoy, post_id_of(decoy), decoy.text or ""))
        recording.save()


def article_text(article: str, made: Made) -> str:
    """The post's text exactly as the article shows it, without the trailing pic link."""
    start = article.index(made.starts)
    end = article.index(f" — {made.name} (@{made.handle}) {made.date_text}", start)
    text = article[start:end]
    if made.pic_code:
        text = text.removesuffix(f" pic.twitter.com/{made.pic_code}")
    return text


def article_date(made: Made) -> dt.date:
    return dt.datetime.strptime(made.date_text, "%B %d, %Y").date()


def post_id_of(made: Made) -> str:
    return snowflake_id(made.posted, made.handle + made.posted)


def made_post(made: Made, post_id: str, text: str) -> MadePost:
    return MadePost(
        post_id=post_id,
        handle=made.handle,
        name=made.name,
        user_id=made.user_id,
        posted=made.posted,
        text=text,
        date_text=made.date_text,
        pic_code=made.pic_code,
        media=made.media,
        likes=made.likes,
        replies=made.replies,
        tombstone=made.tombstone,
    )


class DemoRecording(Recording):
    """A recording with the Wayback Machine's answers for the post the article shows no link to."""

    def wayback(self, made: Made, post_id: str) -> None:
        """The CDX answers listing the account's captured status URLs around the date."""
        ids = [post_id] + [post_id_of(d) for d in BNO_DECOYS]
        ids += [snowflake_id(t, made.handle + t) for t in BNO_OUTSIDE]
        originals = []
        for i in ids:
            originals.append(f"https://twitter.com/{made.handle}/status/{i}")
            # captures of the same post under other URL forms, as crawlers and people save them
            originals.append(f"https://twitter.com/{made.handle.lower()}/status/{i}?s=20")
        originals.append(f"https://twitter.com/{made.handle}/status/{post_id}/photo/1")
        for query in wayback_queries(made.handle, article_date(made)):
            prefix = query.split("/status/")[1].split("*")[0]
            rows = sorted(o for o in originals if o.split("/status/")[1].startswith(prefix))
            body = json.dumps([["original"]] + [[o] for o in rows])
            self.add(
                query,
                200,
                [["content-type", "application/json"]],
                f"Wayback CDX: captured status URLs of @{made.handle} with ids {prefix}*",
                body=body,
            )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
