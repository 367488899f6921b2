"""Write examples/replay/: MADE UP recorded answers for the five posts of the sample article,
and for the signed Bluesky post of the second demo article (examples/kyiv-desk-bluesky.html).

Run it from the repository root with the project installed::

    .venv/bin/python examples/replay/make_recordings.py [OUTPUT_DIR]

Everything is derived from the article (examples/zelensky-stays-in-kyiv.txt) and the table
below, deterministically, so running it again gives the same bytes. The answers follow the
shapes of the real payloads in tests/fixtures/payloads/; the ids, times, counts, media and
the BNO News decoys are invented (see README.md beside this file). The answers themselves are
built by benchmarks/made_up.py, which the generated soak and benchmark corpora share. The
Bluesky post's repository is written and signed by the tests' repository writer
(tests/atproto_repo.py) with DEMO_KEY, a key published here: it proves nothing but the demo.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))  # the repository root, for benchmarks/made_up.py
# tests/ itself, for the test suite's repository writer (a package named `tests` installed by
# pywb would shadow `tests.atproto_repo`)
sys.path.insert(0, str(HERE.parent.parent / "tests"))

from atproto_repo import Repo, Signer, did_document, post_record  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

from archiver.fetch.atproto import did_document_url, record_url  # noqa: E402
from archiver.fetch.bluesky import thread_url  # noqa: E402
from archiver.fetch.twitter.find_by_text import wayback_queries  # noqa: E402
from benchmarks.made_up import MadePost, Recording, snowflake_id  # noqa: E402

ARTICLE = HERE.parent / "zelensky-stays-in-kyiv.txt"
BLUESKY_ARTICLE = HERE.parent / "kyiv-desk-bluesky.html"


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

# The Bluesky demo: a made-up account whose DID says what its key is. DEMO_KEY is public (it is
# derived from this sentence), so a proof signed with it shows how proofs work and proves nothing.
DEMO_KEY = ec.derive_private_key(
    int.from_bytes(hashlib.sha256(b"archiver DEMO key: made up, public, not secret").digest()),
    ec.SECP256K1(),
)
DEMO_DID = "did:plc:demokeynotsecret2345abcd"
DEMO_HANDLE = "kyivdesk.example.com"
DEMO_PDS = "https://pds.example.com"
DEMO_RKEY = "3lbvdemo2kd2c"
DEMO_TEXT = (
    "Kyiv, 26 February, 7 am: the mayor says the city holds. The metro runs as a shelter and the"
    " bridges are open."
)
DEMO_POSTED = "2022-02-26T05:02:11.000Z"
# Other posts of the account, so that the record sits in a tree of a few levels.
DEMO_OTHERS = {f"3lbv{n:03d}aaa2c": f"Earlier update {n} from the Kyiv desk." for n in range(24)}


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
    bluesky(out)


def bluesky(out: Path) -> None:
    """The AppView's view of the demo Bluesky post, its author's DID document, and the PDS's
    getRecord CAR signed with DEMO_KEY (see examples/replay/README.md)."""
    assert DEMO_TEXT in BLUESKY_ARTICLE.read_text(encoding="utf-8")
    records = {key: post_record(text) for key, text in DEMO_OTHERS.items()}
    records[DEMO_RKEY] = post_record(DEMO_TEXT, DEMO_POSTED)
    repo = Repo(DEMO_DID, Signer("secp256k1", DEMO_KEY), records, rev="3lbvdemo2kd2c")
    recording = Recording(out, "bluesky")
    post_id = f"{DEMO_DID}/{DEMO_RKEY}"
    view = {
        "thread": {
            "$type": "app.bsky.feed.defs#threadViewPost",
            "post": {
                "uri": f"at://{DEMO_DID}/app.bsky.feed.post/{DEMO_RKEY}",
                "cid": repo.blocks_for(DEMO_RKEY)[1][-1][0].text,
                "author": {
                    "did": DEMO_DID,
                    "handle": DEMO_HANDLE,
                    "displayName": "Kyiv Desk (demo)",
                    "labels": [],
                    "createdAt": "2022-02-01T09:00:00.000Z",
                },
                "record": copy.deepcopy(records[DEMO_RKEY]),
                "replyCount": 4,
                "repostCount": 31,
                "likeCount": 120,
                "quoteCount": 2,
                "indexedAt": DEMO_POSTED,
                "labels": [],
            },
        }
    }
    json_type = [["content-type", "application/json; charset=utf-8"]]
    recording.add(
        thread_url(post_id),
        200,
        json_type,
        "AppView getPostThread of the demo Bluesky post",
        body=json.dumps(view, ensure_ascii=False),
    )
    recording.add(
        did_document_url(DEMO_DID),
        200,
        json_type,
        "plc.directory: the demo account's DID document; its #atproto key is the DEMO key",
        body=did_document(DEMO_DID, repo.signer, DEMO_PDS, handle=DEMO_HANDLE).decode(),
    )
    recording.add(
        record_url(DEMO_PDS, DEMO_DID, DEMO_RKEY),
        200,
        [["content-type", "application/vnd.ipld.car"]],
        "PDS getRecord: the CAR with the commit signed by the DEMO key, tree path and record",
        binary=repo.car(DEMO_RKEY),
    )
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
