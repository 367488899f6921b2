"""Scanner behaviour that mutants of archiver/scan/ showed no other test held (docs/development.md,
"Mutation testing"): each test here fails under the mutant named in its comment."""

from archiver.scan import scan_text

DATE_LINK = "https://twitter.com/ZelenskyyUa/status/1497275055223312384"


def html_page(body: str) -> str:
    return f"<html><body><article><p>Intro.</p>\n{body}\n<p>More.</p></article></body></html>"


def test_a_flattened_attribution_is_the_post_its_date_links_to_not_an_earlier_link():
    # The date of a flattened widget links to the post; a post link before it inside the
    # attribution (here the handle, linked to the account's pinned post) is not the post.
    # Mutant (issue 16): scan/html.py takes the first post link of the attribution, not the last
    # (`reversed()` dropped in _attribution_in_source).
    doc = html_page(
        "<blockquote><p>We are all here. We are defending Ukraine.</p>&mdash; Volodymyr Zelensky"
        ' (<a href="https://twitter.com/ZelenskyyUa/status/1111111111111111111">@ZelenskyyUa</a>)'
        f' <a href="{DATE_LINK}?ref_src=twsrc%5Etfw">February 25, 2022</a></blockquote>'
    )
    [embed] = scan_text(doc, kind="html").embeds
    assert (embed.form, embed.handle, embed.date) == (
        "text_attribution",
        "ZelenskyyUa",
        "2022-02-25",
    )
    assert (embed.status_id, embed.status_url) == ("1497275055223312384", DATE_LINK)
    assert embed.text == "We are all here. We are defending Ukraine."


def test_character_references_in_a_flattened_post_are_read_as_the_reader_sees_them():
    # Mutants: scan/visible.py's _reference taking every "&" literally, decoding a reference
    # but keeping its source, or stepping over the wrong number of characters.
    doc = html_page(
        "<blockquote><p>Q&amp;A at 5&#8217;o&#x2019;clock: Kyiv &gt; AT&T &zzz; c&eacute;</p>"
        "&mdash; Desk (@newsdesk) March 3, 2022</blockquote>"
    )
    [embed] = scan_text(doc, kind="html").embeds
    assert embed.text == "Q&A at 5’o’clock: Kyiv > AT&T &zzz; cé"
    assert doc[embed.start : embed.end].startswith("Q&amp;A at")
    assert doc[embed.start : embed.end].endswith("March 3, 2022")


def test_a_link_ending_in_a_parenthesis_keeps_it_when_the_link_opened_one():
    # Mutants: scan/links.py's trim_link checking another character, counting wrongly, or
    # giving up (``return``) on the first balanced parenthesis.
    text = (
        "On the city (https://en.wikipedia.org/wiki/Kyiv_(city)), see also"
        " https://example.org/a_(b). and (https://example.org/report)."
        " — Desk (@newsdesk) March 3, 2022"
    )
    [embed] = scan_text(text, kind="text").embeds
    assert embed.links == (
        "https://en.wikipedia.org/wiki/Kyiv_(city)",
        "https://example.org/a_(b)",
        "https://example.org/report",
    )


def test_a_status_url_keeps_its_own_query_and_fragment_and_loses_click_tracking():
    # Mutants: scan/links.py's clean_status_url dropping the whole query, splitting it wrongly,
    # or taking the last "?" for the first.
    status = "https://twitter.com/newsdesk/status/1497000000000000009"
    doc = html_page(
        '<blockquote class="twitter-tweet"><p lang="en">We stay.</p>&mdash; Desk (@newsdesk) '
        f'<a href="{status}?ref_src=twsrc%5Etfw&amp;lang=uk&amp;utm_source=x&amp;s=20'
        '&amp;ref_url=https://news.example/?a=b#thread">March 3, 2022</a></blockquote>'
    )
    [embed] = scan_text(doc, kind="html").embeds
    assert embed.status_url == f"{status}?lang=uk#thread"


def test_a_question_mark_in_a_status_urls_fragment_is_the_fragments_own():
    # The query ends where the fragment starts: "#?s=20" is a fragment,
    # kept whole, and a tracking key after "#" is not the query's.
    status = "https://twitter.com/newsdesk/status/1497000000000000009"
    for href, expected in [
        (f"{status}#?s=20", f"{status}#?s=20"),
        (f"{status}?s=20#x?ref_src=tw", f"{status}#x?ref_src=tw"),
        (f"{status}?lang=uk#?s=20&amp;t=1", f"{status}?lang=uk#?s=20&t=1"),
    ]:
        doc = html_page(
            '<blockquote class="twitter-tweet"><p lang="en">We stay.</p>&mdash; Desk (@newsdesk) '
            f'<a href="{href}">March 3, 2022</a></blockquote>'
        )
        [embed] = scan_text(doc, kind="html").embeds
        assert embed.status_url == expected, href


def test_the_links_a_markup_post_carries_are_its_web_links_only():
    # Mutants: scan/links.py's is_post_link with ``and`` for ``or``, upper-casing the href,
    # taking any href that is no shortlink, or no longer telling a mention, cashtag or hashtag
    # (full-width too) or an http:// link by its first characters.
    doc = html_page(
        '<blockquote class="twitter-tweet"><p lang="en">Read the report'
        ' <a href="HTTPS://example.org/report">example.org/report</a> and'
        ' <a href="http://old.example.org/">the old site</a>, write to'
        ' <a href="mailto:desk@example.org">the desk</a>, follow <a href="https://t.co/AbC123xyz">'
        't.co/AbC123xyz</a>, thanks <a href="https://twitter.com/kyivindependent">@kyivindependent</a>'
        ' <a href="https://twitter.com/search?q=%24UAH">$UAH</a>'
        ' <a href="https://twitter.com/hashtag/Kyiv">＃Kyiv</a></p>&mdash; Desk (@newsdesk) '
        '<a href="https://twitter.com/newsdesk/status/1497000000000000009">March 3, 2022</a>'
        "</blockquote>"
    )
    [embed] = scan_text(doc, kind="html").embeds
    assert embed.links == (
        "HTTPS://example.org/report",
        "http://old.example.org/",
        "https://t.co/AbC123xyz",
    )


def test_a_lazy_loaded_tweet_iframe_is_found_by_its_data_src():
    # Mutant: scan/markup.py's _iframe no longer reading ``data-src`` (lazy-loading plugins move
    # the iframe's src there until it scrolls into view).
    iframe = (
        '<iframe class="lazyload" width="550" data-src="https://platform.twitter.com/embed/'
        'Tweet.html?id=1497535297236037634"></iframe>'
    )
    doc = html_page(iframe)
    [embed] = scan_text(doc, kind="html").embeds
    assert (embed.form, embed.status_id) == ("iframe", "1497535297236037634")
    assert doc[embed.start : embed.end] == iframe


def test_a_status_url_written_without_its_scheme_is_stored_with_https():
    # Mutant: scan/bare_urls.py's _bare_url putting another prefix before a schemeless URL.
    text = "Read this:\n\ntwitter.com/ZelenskyyUa/status/1497275055223312384\n\nThe end.\n"
    [embed] = scan_text(text, kind="text").embeds
    assert (embed.form, embed.status_id, embed.status_url) == (
        "status_url",
        "1497275055223312384",
        "https://twitter.com/ZelenskyyUa/status/1497275055223312384",
    )
    assert text[embed.start : embed.end] == "twitter.com/ZelenskyyUa/status/1497275055223312384"
