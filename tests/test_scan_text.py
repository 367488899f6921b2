"""Flattened embeds in plain text: attributions, post text, links, bare status URLs, traps."""

import re

import pytest

from archiver.models import Embed
from archiver.scan import scan_text
from archiver.scan.dates import DATE_PATTERN, cached_date_iso, date_iso
from archiver.scan.gaps import typical_gap, typical_gap_at_most
from archiver.scan.post_text import too_long_for_a_post


def flattened(doc, text, name, handle, date, date_text, *, pics=(), links=(), platform="twitter",
              occurrence=0, status_id=None, status_url=None):  # fmt: skip
    """The record a flattened attribution must give; the span is located in ``doc``."""
    start = -1
    for _ in range(occurrence + 1):
        start = doc.index(text, start + 1) if text else doc.index(f"(@{handle})", start + 1)
    end = doc.index(date_text, start) + len(date_text)
    if status_url:
        end = doc.index(")", end) + 1
    if not text:
        start = doc.rindex("—", 0, start)
    return Embed(
        platform=platform,
        form="text_attribution",
        text=text,
        start=start,
        end=end,
        handle=handle,
        display_name=name,
        date=date,
        date_text=date_text,
        pic_links=tuple(pics),
        links=tuple(links),
        status_id=status_id,
        status_url=status_url,
    )


def bare(doc, url, handle, status_id, status_url, platform="twitter"):
    start = doc.index(url)
    return Embed(
        platform=platform,
        form="status_url",
        text="",
        start=start,
        end=start + len(url),
        handle=handle,
        status_id=status_id,
        status_url=status_url,
    )


def embeds(doc):
    return list(scan_text(doc).embeds)


@pytest.mark.parametrize(
    "dash",
    [" — ", " – ", " &mdash; ", " -- ", " - ", "— ", "\n— ", "\n\n— ", " ― "],
    ids=[
        "em",
        "en",
        "entity",
        "double-hyphen",
        "hyphen",
        "glued",
        "own-line",
        "after-blank",
        "bar",
    ],
)
def test_every_dash_that_sites_write(dash):
    doc = (
        "The president recorded a video outside his office.\n\n"
        f"We are here. We are in Kyiv. pic.twitter.com/bgHyrsbVFs{dash}"
        "Christopher Miller (@ChristopherJM) February 25, 2022\n\n"
        "He has refused to leave the capital.\n"
    )
    assert embeds(doc) == [
        flattened(doc, "We are here. We are in Kyiv. pic.twitter.com/bgHyrsbVFs",
                  "Christopher Miller", "ChristopherJM", "2022-02-25", "February 25, 2022",
                  pics=["pic.twitter.com/bgHyrsbVFs"])
    ]  # fmt: skip


@pytest.mark.parametrize(
    "name",
    [
        "Yevgeny (Eugene) Vindman",
        "Kyiv Independent 🇺🇦",
        "Radio @ Kyiv",
        "Oleksiy | kyivpost.com/live",
        "محمد الأحمد",
        "אבי כהן",
        "𝐉𝐚𝐧𝐞 𝐃𝐨𝐞",
        "𝓜𝓪𝓻𝓲𝓪 🌻 (she/her)",
        "Jean-Pierre Dupont",
        "CNN - Breaking News",
    ],
)
def test_display_names_keep_what_people_put_in_them(name):
    doc = f"Kyiv tonight. pic.x.com/Q1w2E3r4T5 — {name} (@someone_42) March 1, 2022\n"
    assert embeds(doc) == [
        flattened(doc, "Kyiv tonight. pic.x.com/Q1w2E3r4T5", name, "someone_42", "2022-03-01",
                  "March 1, 2022", pics=["pic.twitter.com/Q1w2E3r4T5"])
    ]  # fmt: skip


@pytest.mark.parametrize(
    "lead_in, post, name, handle, date_text, date",
    [
        ("Die Ministerin schrieb am Abend:", "Wir bleiben hier. #Kyjiw", "Annalena Baerbock",
         "ABaerbock", "17. August 2018", "2018-08-17"),
        ("La présidente a réagi dans la soirée.", "Nous restons ici. Nous sommes à Kyiv.",
         "Élise Martin", "elise_m", "25 février 2022", "2022-02-25"),
        ("El alcalde publicó este mensaje:", "«No nos vamos a ninguna parte»",
         "Alcaldía de Madrid", "MADRID", "26 de diciembre de 2022", "2022-12-26"),
        ("Il sindaco ha scritto:", "Non andiamo da nessuna parte. 💪", "Comune di Milano",
         "Comune_Milano", "13 maggio 2017", "2017-05-13"),
        ("A prefeita escreveu:", "Não vamos a lugar nenhum.", "Prefeitura do Rio",
         "Prefeitura_Rio", "26 de dezembro de 2022", "2022-12-26"),
        ("De burgemeester schreef:", "Wij gaan nergens heen.", "Gemeente Amsterdam",
         "AmsterdamNL", "25 februari 2022", "2022-02-25"),
        ("Belediye başkanı şunu yazdı:", "Hiçbir yere gitmiyoruz.", "Ekrem İmamoğlu",
         "ekrem_imamoglu", "25 Şubat 2022", "2022-02-25"),
        ("Мэр написал вечером:", "Мы никуда не уходим. #Киев", "Виталий Кличко",
         "Vitaliy_Klychko", "25 февраля 2022 г.", "2022-02-25"),
        ("Мер написав увечері:", "Ми нікуди не йдемо. #Київ", "Віталій Кличко",
         "Vitaliy_Klychko", "25 лютого 2022 р.", "2022-02-25"),
        ("Він написав у березні:", "Ми тут.", "Віталій Кличко", "Vitaliy_Klychko",
         "3 березень 2022", "2022-03-03"),
        ("市長は次のように投稿した:", "私たちはここにいる。#キーウ", "東京都", "tokyo_bousai",
         "2019年7月20日", "2019-07-20"),
        ("The mayor wrote:", "We stay.", "Mayor of London", "MayorofLondon",
         "25 February 2022", "2022-02-25"),
        ("The mayor wrote:", "We stay.", "Mayor of London", "MayorofLondon", "Feb 26, 2022",
         "2022-02-26"),
        ("He posted:", "We stay.", "Mayor of London", "MayorofLondon", "Sept. 5, 2022",
         "2022-09-05"),
    ],
)  # fmt: skip
def test_widget_dates_in_many_languages(lead_in, post, name, handle, date_text, date):
    doc = f"{lead_in}\n\n{post} — {name} (@{handle}) {date_text}\n\nNext paragraph.\n"
    assert embeds(doc) == [flattened(doc, post, name, handle, date, date_text)]


@pytest.mark.parametrize(
    "date_text",
    ["February 25, 2022", "Feb 26, 2022 at 11:00 PM", "Sept. 5, 2022", "17. August 2018",
     "1er mars 2022", "26 de diciembre de 2022", "25 февраля 2022 г.", "2019年7月20日",
     "2022년 2월 25일", "May 1, 1999", "February 30, 2022", "Smarch 3, 2022"],
)  # fmt: skip
@pytest.mark.parametrize("after", ["", "\n", ", 10:30", " at 9", "2019The", "0", ".", " г"])
def test_a_date_read_alone_gives_what_the_attribution_tail_read(date_text, after):
    # text.py looks the tail's date up by its text (cached_date_iso), read again by DATE alone
    tail = re.compile(rf"\(@\w+\)[ ](?P<date>{DATE_PATTERN})", re.VERBOSE)
    found = tail.match(f"(@handle) {date_text}{after}")
    if found is not None:
        assert cached_date_iso(found["date"]) == date_iso(found)


@pytest.mark.parametrize("newlines", [1, 2, 3, 4])
@pytest.mark.parametrize("blank", ["", " ", "\t \xa0"])
@pytest.mark.parametrize("sentences", [2, 15, 40])  # paragraphs of 160 to 3,200 characters
def test_typical_gap_at_most_never_contradicts_the_count_where_the_window_cuts_a_break(
    newlines, blank, sentences
):
    # post_text.py skips the count when typical_gap_at_most says it is at most the break it has
    prose = "Officials said the decision was made after weeks of negotiations with the city. "
    prose *= sentences
    for wider in (0, 1):
        brk = (blank + "\n") * (newlines + wider)
        text = brk.join([prose] * 40)
        for around in range(3000, 3000 + len(prose) + len(brk) + 1):  # both ends cross a break
            for floor in (0, around - 2000 + 1):
                if typical_gap_at_most(text, around, floor, newlines):
                    assert typical_gap(text, around, floor) <= newlines
                else:
                    assert wider  # not a vacuous test: said whenever it holds here
                    assert typical_gap(text, around, floor) == newlines + 1


def test_a_bluesky_attribution_with_a_time():
    doc = (
        "Posted just before midnight:\n\n"
        "We are live. — Bluesky (@bsky.app) January 8, 2025 at 11:00 PM\n"
    )
    assert embeds(doc) == [
        flattened(doc, "We are live.", "Bluesky", "bsky.app", "2025-01-08",
                  "January 8, 2025 at 11:00 PM", platform="bluesky")
    ]  # fmt: skip


def test_a_spanish_attribution_keeps_its_time_after_a_las():
    doc = (
        "El alcalde publicó este mensaje:\n\n"
        "No nos vamos. — Alcaldía de Madrid (@MADRID) 8 de enero de 2025 a las 23:00\n\n"
        "Next paragraph.\n"
    )
    assert embeds(doc) == [
        flattened(doc, "No nos vamos.", "Alcaldía de Madrid", "MADRID", "2025-01-08",
                  "8 de enero de 2025 a las 23:00")
    ]  # fmt: skip


def test_a_markdown_date_link_gives_the_status():
    doc = (
        "He answered within minutes:\n\n"
        "No. — Kevin (@kev_42) [March 3, 2016](https://twitter.com/kev_42/status/705219971425574912?ref_src=twsrc%5Etfw)\n"
    )
    assert embeds(doc) == [
        flattened(doc, "No.", "Kevin", "kev_42", "2016-03-03", "March 3, 2016",
                  status_id="705219971425574912",
                  status_url="https://twitter.com/kev_42/status/705219971425574912")
    ]  # fmt: skip


def test_post_text_over_several_paragraphs_stops_at_the_lead_in():
    # The site writes the post's own line breaks wider than its paragraphs.
    post = (
        "1/ New satellite images of the convoy north of Kyiv, taken this morning"
        "\n\n\n"
        "It is now more than 60 km long. #Ukraine pic.twitter.com/AAAAAAAAAA"
    )
    doc = (
        "The company published new images overnight.\n\n"
        f"{post} — Maxar (@Maxar) March 1, 2022\n\n"
        "Analysts say the convoy has stalled.\n"
    )
    assert embeds(doc) == [
        flattened(doc, post, "Maxar", "Maxar", "2022-03-01", "March 1, 2022",
                  pics=["pic.twitter.com/AAAAAAAAAA"])
    ]  # fmt: skip


def test_a_paragraph_that_shows_a_post_joins_it_across_an_ordinary_break():
    post = "🔴 BREAKING: air raid sirens in Lviv\n\nStay in the shelters. #Lviv"
    attribution = "Kyiv Independent (@KyivIndependent) March 18, 2022"
    doc = f"Sirens sounded across the west.\n\n{post} — {attribution}\n"
    assert [e.text for e in embeds(doc)] == [post]


def test_a_colon_ends_a_lead_in_but_not_a_post_paragraph():
    post = "🧵 What we know so far:\n\nThe convoy is 60 km long. #Ukraine"
    doc = f"Maxar wrote on Tuesday:\n\n{post} — Maxar (@Maxar) March 1, 2022\n"
    assert [e.text for e in embeds(doc)] == [post]


def test_prose_paragraphs_never_join_a_post():
    doc = (
        "The city council met on Tuesday to discuss the new budget, which includes funding for "
        "schools and roads, and voted to postpone the decision by two weeks\n\n"
        "We will decide in March. — City Council (@citycouncil) February 1, 2022\n"
    )
    assert [e.text for e in embeds(doc)] == ["We will decide in March."]


def test_a_lead_in_line_directly_above_the_post():
    doc = (
        "See here:\nWe are here. pic.twitter.com/bgHyrsbVFs — "
        "Christopher Miller (@ChristopherJM) February 25, 2022\n"
    )
    assert [e.text for e in embeds(doc)] == ["We are here. pic.twitter.com/bgHyrsbVFs"]


def test_line_breaks_inside_a_post_keep_its_short_sentences():
    post = "Kyiv, 6 a.m.\nSirens again.\nEveryone to the shelters. pic.twitter.com/AAAAAAAAAA"
    doc = (
        "The night was quiet until dawn.\n\nThen the alarms started.\n\n"
        f"{post} — Olga Tokariuk (@olgatokariuk) March 14, 2022\n\nMore below.\n"
    )
    assert [e.text for e in embeds(doc)] == [post]


def test_where_paragraphs_are_single_lines_a_short_sentence_is_a_lead_in():
    doc = (
        "The president recorded a video outside his office on Friday evening.\n"
        "Last night, this was posted on Facebook.\n"
        "We are here. pic.twitter.com/bgHyrsbVFs — Christopher Miller (@ChristopherJM) "
        "February 25, 2022\n"
        "He has refused to leave.\n"
    )
    assert [e.text for e in embeds(doc)] == ["We are here. pic.twitter.com/bgHyrsbVFs"]


def test_an_attribution_alone_after_a_lead_in_shows_no_text():
    doc = "Here is what he wrote:\n\n— Christopher Miller (@ChristopherJM) February 25, 2022\n"
    assert embeds(doc) == [
        flattened(doc, "", "Christopher Miller", "ChristopherJM", "2022-02-25", "February 25, 2022")
    ]


def test_two_posts_on_one_line_are_split_at_the_first_date():
    doc = "Two reactions: First! — Ann (@ann) May 1, 2022 Second one — Bob (@bob) May 2, 2022\n"
    assert embeds(doc) == [
        flattened(doc, "Two reactions: First!", "Ann", "ann", "2022-05-01", "May 1, 2022"),
        flattened(doc, "Second one", "Bob", "bob", "2022-05-02", "May 2, 2022"),
    ]


@pytest.mark.parametrize("dash", [" - ", " -- "])
def test_a_dash_inside_the_post_is_not_the_attribution_dash(dash):
    post = "„Wir bleiben hier.“ – die Bürgermeisterin heute Abend pic.twitter.com/AAAAAAAAAA"
    doc = f"Sie schrieb:\n\n{post}{dash}Stadt Kyjiw (@Kyiv) 25. Februar 2022\n"
    assert embeds(doc) == [
        flattened(doc, post, "Stadt Kyjiw", "Kyiv", "2022-02-25", "25. Februar 2022",
                  pics=["pic.twitter.com/AAAAAAAAAA"])
    ]  # fmt: skip


def test_what_belongs_to_the_post_stays_in_it():
    post = (
        'Zelenskiy to @POTUS: "I need ammunition, not a ride" #Ukraine https://t.co/Xy12Ab34Cd '
        "via https://apnews.com/article/kyiv-123, pic.twitter.com/ok6JOXl4KA "
        "https://pic.twitter.com/ok6JOXl4KA pic.x.com/ZZ99yy88XX - AP"
    )
    doc = f"Gaining respect.\n\n{post} — BNO News (@BNONews) February 26, 2022\n"
    assert embeds(doc) == [
        flattened(doc, post, "BNO News", "BNONews", "2022-02-26", "February 26, 2022",
                  pics=["pic.twitter.com/ok6JOXl4KA", "pic.twitter.com/ZZ99yy88XX"],
                  links=["https://t.co/Xy12Ab34Cd", "https://apnews.com/article/kyiv-123"])
    ]  # fmt: skip


@pytest.mark.parametrize(
    "url, handle, status_id",
    [
        ("https://twitter.com/BNONews/status/1497462516437024769", "BNONews",
         "1497462516437024769"),
        ("https://x.com/BNONews/status/1497462516437024769?s=20", "BNONews", "1497462516437024769"),
        ("https://mobile.twitter.com/BNONews/status/1497462516437024769", "BNONews",
         "1497462516437024769"),
        ("https://twitter.com/i/web/status/1497462516437024769", None, "1497462516437024769"),
        ("https://twitter.com/statuses/1497462516437024769", None, "1497462516437024769"),
        ("https://twitter.com/BNONews/statuses/1497462516437024769", "BNONews",
         "1497462516437024769"),
    ],
)  # fmt: skip
def test_a_bare_status_url_alone_on_its_line(url, handle, status_id):
    doc = f"The agency reported it first.\n\n{url}\n\nMore soon.\n"
    clean = url.removesuffix("?s=20")
    assert embeds(doc) == [bare(doc, url, handle, status_id, clean)]


def test_bare_urls_of_other_platforms():
    bsky = "https://bsky.app/profile/bsky.app/post/3lfb2x6ftks2p"
    toot = "https://mastodon.social/@Gargron/113733316536640183"
    doc = f"Two posts:\n\n{bsky}\n\n  {toot}  \n"
    assert embeds(doc) == [
        bare(doc, bsky, "bsky.app", "bsky.app/3lfb2x6ftks2p", bsky, platform="bluesky"),
        bare(doc, toot, "Gargron", "mastodon.social/113733316536640183", toot, platform="mastodon"),
    ]


def test_a_bare_url_after_a_line_too_long_to_be_one():
    long_line = "The data: https://example.org/" + "a" * 5000 + " (see the appendix)."
    bsky = "https://bsky.app/profile/bsky.app/post/3lfb2x6ftks2p"
    doc = f"{long_line}\n\n{bsky}\n"
    assert embeds(doc) == [
        bare(doc, bsky, "bsky.app", "bsky.app/3lfb2x6ftks2p", bsky, platform="bluesky")
    ]


@pytest.mark.parametrize(
    "doc",
    [
        # a quote attributed to an author and a book, or to a person and an outlet
        "“To be, or not to be, that is the question.” — William Shakespeare, Hamlet\n",
        "“We will rebuild.” — Vitali Klitschko (Kyiv mayor)\n",
        "“We will rebuild.” — Vitali Klitschko (Reuters), February 26, 2022\n",
        # a mention inside a post or in prose, no date
        "Thanks to — and I mean it — Jane Doe (@janedoe) for the tip.\n",
        "Our reporter Christopher Miller (@ChristopherJM) was in Kyiv on February 25, 2022.\n",
        # a dash in ordinary prose
        "The convoy — more than 60 km long — stalled north of the city on March 1, 2022.\n",
        # a link to a tweet inside a sentence, and a profile link alone on its line
        "He replied in https://twitter.com/BNONews/status/1497462516437024769 within minutes.\n",
        "Follow him:\n\nhttps://twitter.com/ChristopherJM\n",
        # a YouTube video is not a post
        "Watch:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\nhttps://youtu.be/dQw4w9WgXcQ\n",
        # the same traps in other languages
        "« Nous resterons. » — Victor Hugo, Les Misérables\n",
        "„Wir bleiben.“ — Olaf Scholz (ARD), 25. Februar 2022\n",
        "Seguimos aquí, escribió la alcaldesa (@alcaldesa) el 26 de diciembre de 2022.\n",
        "Премьер-министр — и это важно — выступил 25 февраля 2022 года.\n",
        "İmamoğlu — İstanbul Büyükşehir Belediye Başkanı — açıklama yaptı.\n",
        "市長は（@tokyo_bousai）で2019年7月20日に発表した。\n",
        "Bekijk de video:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n",
        # a date that is not a calendar date, a year before posts existed
        "No. — Ann (@ann) February 30, 2022\n",
        "No. — Ann (@ann) May 1, 1999\n",
        "",
    ],
)
def test_what_must_not_be_reported(doc):
    assert embeds(doc) == []


@pytest.mark.parametrize(
    "quoted",
    [
        "> Kyiv is holding.\n> Second line pic.twitter.com/bgHyrsbVFs\n> — ",
        "> Kyiv is holding.\n>\n> Second line pic.twitter.com/bgHyrsbVFs — ",
        "  > Kyiv is holding.\n  > Second line pic.twitter.com/bgHyrsbVFs\n  >— ",
    ],
    ids=["attribution-on-its-own-quoted-line", "blank-quoted-line", "indented-glued"],
)
def test_markdown_quote_markers_are_the_articles_not_the_posts(quoted):
    doc = (
        "Some prose.\n\n"
        f"{quoted}Christopher Miller (@ChristopherJM) February 25, 2022\n\n"
        "More prose.\n"
    )
    [found] = embeds(doc)
    post = "Kyiv is holding.\nSecond line pic.twitter.com/bgHyrsbVFs"
    if "\n>\n" in quoted:
        post = "Kyiv is holding.\n\nSecond line pic.twitter.com/bgHyrsbVFs"
    assert found == Embed(
        platform="twitter",
        form="text_attribution",
        text=post,
        start=doc.index("Kyiv"),
        end=doc.index("2022") + 4,
        handle="ChristopherJM",
        display_name="Christopher Miller",
        date="2022-02-25",
        date_text="February 25, 2022",
        pic_links=("pic.twitter.com/bgHyrsbVFs",),
    )


def test_a_post_that_starts_with_a_quote_marker_keeps_it_when_the_attribution_is_not_quoted():
    # ">" inside a post (greentext) is the post's own when the attribution line is not quoted.
    doc = "Some prose.\n\n> be me\n> archive posts\n— Anon (@anon_42) May 1, 2021\n\nMore prose.\n"
    [found] = embeds(doc)
    assert (found.text, found.handle) == ("> be me\n> archive posts", "anon_42")


@pytest.mark.parametrize("ending", ["", "\n", "\n\n"])
def test_the_newline_that_ends_a_file_does_not_change_where_a_post_starts(ending):
    doc = (
        "Some prose.\n\nbe me\narchive posts pic.twitter.com/AAAAAAAAAA\n"
        "— Anon (@anon_42) May 1, 2021\n\nMore prose." + ending
    )
    [found] = embeds(doc)
    assert (found.text, found.start) == (
        "be me\narchive posts pic.twitter.com/AAAAAAAAAA",
        doc.index("be me"),
    )


@pytest.mark.parametrize("quote", ["", "> "])
def test_bare_urls_and_attributions_come_in_document_order(quote):
    # each kind is found in its own pass; the records are one list, in the order of their starts
    first = "https://twitter.com/a/status/1"
    second = "https://x.com/b/status/2"
    third = "https://bsky.app/profile/c.bsky.social/post/3kabc"
    doc = (
        f"Intro.\n\n{first}\n\n{quote}Post one. — A (@a) May 1, 2022\n\n"
        f"{second}\n{quote}Post two. — B (@b) May 2, 2022\n\n{third}\n"
    )  # the second URL ends where the second post can start: it is not the post's text
    assert embeds(doc) == [
        bare(doc, first, "a", "1", first),
        flattened(doc, "Post one.", "A", "a", "2022-05-01", "May 1, 2022"),
        bare(doc, second, "b", "2", second),
        flattened(doc, "Post two.", "B", "b", "2022-05-02", "May 2, 2022"),
        bare(doc, third, "c.bsky.social", "c.bsky.social/3kabc", third, platform="bluesky"),
    ]


def test_a_status_url_alone_on_a_quoted_markdown_line_is_an_embed():
    doc = "As she wrote:\n\n> https://twitter.com/kev_42/status/705219971425574912\n\nMore prose.\n"
    assert embeds(doc) == [
        bare(doc, "https://twitter.com/kev_42/status/705219971425574912", "kev_42",
             "705219971425574912", "https://twitter.com/kev_42/status/705219971425574912")
    ]  # fmt: skip


def test_spaces_around_a_post_weigh_nothing_even_wide_ones():
    """A post of 280 characters fits with the ideographic or narrow space a flattener left
    after it; the same space inside the post is a character like any other, and wide."""
    for space in (" ", "\u3000", "\u202f"):
        assert not too_long_for_a_post("a" * 280 + space)
        assert not too_long_for_a_post(space + "a" * 280)
    assert too_long_for_a_post("a" * 140 + "\u3000" + "a" * 139)  # 279 + a wide space: 281
    assert not too_long_for_a_post("a" * 140 + " " + "a" * 139)
