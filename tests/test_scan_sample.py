"""The sample article: exactly the five posts a reader sees, every field right."""

import json
from pathlib import Path

from archiver.models import Embed
from archiver.scan import scan_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures"

MILLER = (
    "⚡️Ukraine’s Zelensky posts a new video of himself and his team outside the presidential "
    "administration in Kyiv’s government quarter after rumors in Russian media that he’d fled. "
    "“We are here. We are in Kyiv. We are defending Ukraine.” pic.twitter.com/bgHyrsbVFs"
)
KLIMENT = (
    "went and translated that zelensky selfie video from the streets of kyiv, just to know what he "
    "was actually saying in response to the russian reports that he had fled -- so here it is for "
    "the rest of you, plus this music naturally felt right. enjoy. pic.twitter.com/JDLXtYAq5q"
)
BNO = (
    "Ukrainian President Zelenskiy turns down U.S. request to evacuate Kyiv, saying: "
    '"I need ammunition, not a ride" - AP'
)
VINDMAN = (
    "I’m in awe of this man. How can we not support him and his people when they demonstrate such "
    "grit and determination. #StandWithUkriane pic.twitter.com/ok6JOXl4KA"
)
FRANCE24 = (
    "🔴🇺🇦 After Ukrainian forces said they had repulsed a Russian attack on #Kyiv during the "
    "night, President Volodymyr #Zelensky shot a selfie-style video to vow to stay and fight on."
    '\n\n\n\n"We will not lay down our weapons," said Zelensky ⤵️ pic.twitter.com/V8zWIJ0IAS'
)


def expected(document, text, name, handle, date, date_text, pics):
    start = document.index(text)
    end = document.index(date_text, start) + len(date_text)
    return Embed(
        platform="twitter",
        form="text_attribution",
        text=text,
        start=start,
        end=end,
        handle=handle,
        display_name=name,
        date=date,
        date_text=date_text,
        pic_links=pics,
    )


def test_the_sample_article_gives_exactly_its_five_posts(sample_article_bytes):
    result = scan_bytes(sample_article_bytes, filename="zelensky-stays-in-kyiv.txt")
    doc = result.document
    assert (result.kind, result.encoding, result.title) == ("text", "utf-8", None)
    assert list(result.embeds) == [
        expected(doc, MILLER, "Christopher Miller", "ChristopherJM", "2022-02-25",
                 "February 25, 2022", ("pic.twitter.com/bgHyrsbVFs",)),
        expected(doc, KLIMENT, "Alex Kliment", "SaoSasha", "2022-02-25",
                 "February 25, 2022", ("pic.twitter.com/JDLXtYAq5q",)),
        expected(doc, BNO, "BNO News", "BNONews", "2022-02-26", "February 26, 2022", ()),
        expected(doc, VINDMAN, "Yevgeny (Eugene) Vindman", "YVindman", "2022-02-26",
                 "February 26, 2022", ("pic.twitter.com/ok6JOXl4KA",)),
        expected(doc, FRANCE24, "FRANCE 24 English", "France24_en", "2022-02-26",
                 "February 26, 2022", ("pic.twitter.com/V8zWIJ0IAS",)),
    ]  # fmt: skip


def test_the_sample_matches_the_hand_labelled_fixture(sample_article_bytes):
    labelled = json.loads((FIXTURES / "zelensky-stays-in-kyiv.expected.json").read_text("utf-8"))
    found = scan_bytes(sample_article_bytes).embeds
    assert [
        {
            "platform": e.platform,
            "handle": e.handle,
            "display_name": e.display_name,
            "date": e.date,
            "pic_links": list(e.pic_links),
            "status_id": e.status_id,
            "status_url": e.status_url,
        }
        for e in found
    ] == [{k: v for k, v in post.items() if k != "text_starts"} for post in labelled]
    assert all(
        e.text.startswith(post["text_starts"]) for e, post in zip(found, labelled, strict=True)
    )


def test_spans_run_from_the_post_text_to_the_end_of_the_date(sample_article_bytes):
    result = scan_bytes(sample_article_bytes)
    for embed in result.embeds:
        span = result.document[embed.start : embed.end]
        assert span.startswith(embed.text)
        assert span.endswith(f"(@{embed.handle}) {embed.date_text}")


def test_lead_ins_stay_with_the_article(sample_article_bytes):
    texts = [e.text for e in scan_bytes(sample_article_bytes).embeds]
    for lead_in in (
        "Last night, this was posted on Facebook.",
        "Translated, and with music added.",
        "Gaining enormous respect worldwide.",
        "And he was out again this morning.",
    ):
        assert not any(lead_in in text for text in texts)
