"""Embeds in HTML pages: the platforms' markup, rendered widgets, bare URLs and flattened widgets."""

import pytest

from archiver.models import Embed
from archiver.scan import scan_bytes, scan_text

TWEET_ID = "705219971425574912"
# The snippet publish.twitter.com returns (docs/endpoints.md §6.1, from ampproject/amp-wp).
SNIPPET = (
    '<blockquote class="twitter-tweet" data-width="500" data-dnt="true"><p lang="en" dir="ltr">'
    'On our way to the <a href="https://twitter.com/hashtag/GoogleDance?src=hash&amp;ref_src=twsrc%5Etfw">'
    '#GoogleDance</a>! <a href="https://twitter.com/hashtag/SMX?src=hash&amp;ref_src=twsrc%5Etfw">#SMX</a> '
    '💃🏻 <a href="https://t.co/N8kZ9M3eN4">pic.twitter.com/N8kZ9M3eN4</a></p>&mdash; Search Engine Land '
    '(@sengineland) <a href="https://twitter.com/sengineland/status/705219971425574912?ref_src=twsrc%5Etfw">'
    "March 3, 2016</a></blockquote>"
)
SCRIPT = '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'


def page(body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Live: Kyiv</title>'
        "<script>var share = '— Desk (@newsdesk) March 3, 2016'; if (a(@b)) {}</script>"
        '</head><body><nav><a href="https://twitter.com/newsdesk">Follow us (@newsdesk)</a></nav>'
        f"<article><h1>Live: Kyiv</h1>\n<p>The president spoke overnight.</p>\n{body}\n"
        "<p>More updates to follow.</p></article></body></html>"
    )


def element(doc: str, markup: str, **fields) -> Embed:
    start = doc.index(markup)
    return Embed(start=start, end=start + len(markup), **fields)


def embeds(doc: str) -> list[Embed]:
    return list(scan_text(doc, kind="html").embeds)


def test_the_official_twitter_snippet():
    doc = page(SNIPPET + "\n" + SCRIPT)
    assert embeds(doc) == [
        element(
            doc,
            SNIPPET,
            platform="twitter",
            form="html_blockquote",
            text="On our way to the #GoogleDance! #SMX 💃🏻 pic.twitter.com/N8kZ9M3eN4",
            handle="sengineland",
            display_name="Search Engine Land",
            date="2016-03-03",
            date_text="March 3, 2016",
            pic_links=("pic.twitter.com/N8kZ9M3eN4",),
            status_id=TWEET_ID,
            status_url=f"https://twitter.com/sengineland/status/{TWEET_ID}",
            lang="en",
        )
    ]


def test_old_markup_with_lang_on_the_blockquote_and_a_german_date():
    quote = (
        '<blockquote class="twitter-tweet" lang="de"><p>Wir bleiben hier.<br>Heute Abend in Kyjiw. '
        '<a href="http://t.co/AbC123xyz0">http://t.co/AbC123xyz0</a> '
        '<a href="http://t.co/N8kZ9M3eN4">pic.twitter.com/N8kZ9M3eN4</a></p>&mdash; Annalena '
        'Baerbock (@ABaerbock) <a href="https://twitter.com/ABaerbock/statuses/1030456789012345678">'
        "17. August 2018</a></blockquote>"
    )
    doc = page(
        quote + '<script async src="//platform.twitter.com/widgets.js" charset="utf-8"></script>'
    )
    assert embeds(doc) == [
        element(
            doc,
            quote,
            platform="twitter",
            form="html_blockquote",
            text="Wir bleiben hier.\nHeute Abend in Kyjiw. http://t.co/AbC123xyz0 pic.twitter.com/N8kZ9M3eN4",
            handle="ABaerbock",
            display_name="Annalena Baerbock",
            date="2018-08-17",
            date_text="17. August 2018",
            pic_links=("pic.twitter.com/N8kZ9M3eN4",),
            links=("http://t.co/AbC123xyz0",),
            status_id="1030456789012345678",
            status_url="https://twitter.com/ABaerbock/statuses/1030456789012345678",
        )
    ]


def test_x_com_links_and_an_italian_date():
    quote = (
        '<blockquote class="twitter-tweet" data-lang="it"><p lang="it" dir="ltr">Buongiorno Milano '
        '<a href="https://t.co/Zz9Yy8Xx7W">pic.x.com/Zz9Yy8Xx7W</a></p>&mdash; Comune di Milano '
        '(@Comune_Milano) <a href="https://x.com/Comune_Milano/status/863361946016587776?ref_src=twsrc%5Etfw">'
        "13 maggio 2017</a></blockquote>"
    )
    doc = page(quote + '<script async src="https://platform.x.com/widgets.js"></script>')
    assert embeds(doc) == [
        element(
            doc,
            quote,
            platform="twitter",
            form="html_blockquote",
            text="Buongiorno Milano pic.x.com/Zz9Yy8Xx7W",
            handle="Comune_Milano",
            display_name="Comune di Milano",
            date="2017-05-13",
            date_text="13 maggio 2017",
            pic_links=("pic.twitter.com/Zz9Yy8Xx7W",),
            status_id="863361946016587776",
            status_url="https://x.com/Comune_Milano/status/863361946016587776",
            lang="it",
        )
    ]


@pytest.mark.parametrize(
    "lang, post, name, handle, date_text, date",
    [
        ("ja", "私たちはここにいる。", "東京都防災", "tokyo_bousai", "2018年6月6日", "2018-06-06"),
        (
            "ru",
            "Мы остаемся здесь.",
            "Виталий Кличко",
            "Vitaliy_Klychko",
            "25 февраля 2022 г.",
            "2022-02-25",
        ),
        (
            "uk",
            "Ми нікуди не йдемо.",
            "Віталій Кличко",
            "Vitaliy_Klychko",
            "25 лютого 2022 р.",
            "2022-02-25",
        ),
        (
            "tr",
            "Hiçbir yere gitmiyoruz.",
            "Ekrem İmamoğlu",
            "ekrem_imamoglu",
            "25 Şubat 2022",
            "2022-02-25",
        ),
        (
            "nl",
            "Wij gaan nergens heen.",
            "Gemeente Amsterdam",
            "AmsterdamNL",
            "25 februari 2022",
            "2022-02-25",
        ),
        (
            "pt",
            "Não vamos a lugar nenhum.",
            "Prefeitura do Rio",
            "Prefeitura_Rio",
            "26 de dezembro de 2022",
            "2022-12-26",
        ),
        (
            "es",
            "No nos vamos.",
            "Alcaldía de Madrid",
            "MADRID",
            "26 de diciembre de 2022",
            "2022-12-26",
        ),
        ("fr", "Nous restons ici. 💪", "𝓜𝓪𝓻𝓲𝓮 🌻", "marie_kyiv", "25 février 2022", "2022-02-25"),
        ("he", "אנחנו כאן.", "אבי כהן", "avi_cohen", "February 25, 2022", "2022-02-25"),
    ],
)
def test_snippets_in_the_widget_languages(lang, post, name, handle, date_text, date):
    status = f"https://twitter.com/{handle}/status/1497000000000000002"
    quote = (
        f'<blockquote class="twitter-tweet" data-lang="{lang}"><p lang="{lang}" dir="ltr">{post}</p>'
        f'&mdash; {name} (@{handle}) <a href="{status}?ref_src=twsrc%5Etfw">{date_text}</a></blockquote>'
    )
    doc = page(quote)
    assert embeds(doc) == [
        element(doc, quote, platform="twitter", form="html_blockquote", text=post, handle=handle,
                display_name=name, date=date, date_text=date_text,
                status_id="1497000000000000002", status_url=status, lang=lang)
    ]  # fmt: skip


def test_wordpress_wraps_the_attribution_in_its_own_paragraph_and_a_dash_by_hand():
    quote = (
        '<blockquote class="twitter-tweet"><p lang="ar" dir="rtl">نحن هنا في كييف</p>\n'
        '<p>-- محمد الأحمد (@m_alahmad) <a href="https://twitter.com/m_alahmad/status/1497000000000000001">'
        "February 25, 2022</a></p></blockquote>"
    )
    doc = page(quote)
    assert embeds(doc) == [
        element(
            doc,
            quote,
            platform="twitter",
            form="html_blockquote",
            text="نحن هنا في كييف",
            handle="m_alahmad",
            display_name="محمد الأحمد",
            date="2022-02-25",
            date_text="February 25, 2022",
            status_id="1497000000000000001",
            status_url="https://twitter.com/m_alahmad/status/1497000000000000001",
            lang="ar",
        )
    ]


def test_rendered_widgets_and_embed_iframes():
    rendered = (
        '<iframe id="twitter-widget-0" scrolling="no" frameborder="0" title="X Post" '
        'src="https://platform.twitter.com/embed/Tweet.html?dnt=false&amp;id=1497276578845167617&amp;lang=en" '
        'data-tweet-id="1497276578845167617"></iframe>'
    )
    widget = '<twitter-widget class="twitter-tweet twitter-tweet-rendered" data-tweet-id="1497462516437024769"></twitter-widget>'
    iframe = '<iframe src="https://platform.twitter.com/embed/Tweet.html?id=1497535297236037634" width="550"></iframe>'
    doc = page(
        f'<div class="twitter-tweet twitter-tweet-rendered" style="display: flex;">{rendered}</div>\n'
        f"{widget}\n{iframe}\n"
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" allowfullscreen></iframe>'
    )
    assert embeds(doc) == [
        element(doc, rendered, platform="twitter", form="rendered_iframe", text="",
                status_id="1497276578845167617",
                status_url="https://twitter.com/i/web/status/1497276578845167617"),
        element(doc, widget, platform="twitter", form="rendered_iframe", text="",
                status_id="1497462516437024769",
                status_url="https://twitter.com/i/web/status/1497462516437024769"),
        element(doc, iframe, platform="twitter", form="iframe", text="",
                status_id="1497535297236037634",
                status_url="https://twitter.com/i/web/status/1497535297236037634"),
    ]  # fmt: skip


def test_digits_of_other_scripts_are_no_status_id():
    # found by tests/test_fuzz_scan.py: a digit class took Arabic-Indic digits for an id
    doc = page(
        '<div class="twitter-tweet twitter-tweet-rendered"><iframe data-tweet-id="\u0661\u0662\u0663" '
        'src="https://platform.twitter.com/embed/Tweet.html?id=\u0661\u0662\u0663"></iframe></div>\n'
        '<blockquote class="twitter-tweet"><p lang="en">We stay.</p>&mdash; Ann (@ann) '
        '<a href="https://twitter.com/ann/status/\u0663\u0664\u0665">May 1, 2022</a></blockquote>'
    )
    assert [(e.form, e.handle, e.status_id) for e in scan_text(doc, kind="html").embeds] == [
        ("html_blockquote", "ann", None)
    ]


def test_other_platforms_snippets():
    bluesky = (
        '<blockquote class="bluesky-embed" data-bluesky-uri="at://did:plc:z72i7hdynmk6r22z27h6tvur/'
        'app.bsky.feed.post/3lfb2x6ftks2p" data-bluesky-cid="bafyreia" data-bluesky-embed-color-mode="system">'
        '<p lang="en">Hello from Bluesky 🦋<br><br><a href="https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/'
        'post/3lfb2x6ftks2p?ref_src=embed">[image or embed]</a></p>&mdash; Bluesky (<a href="https://bsky.app/'
        'profile/did:plc:z72i7hdynmk6r22z27h6tvur?ref_src=embed">@bsky.app</a>) <a href="https://bsky.app/profile/'
        'did:plc:z72i7hdynmk6r22z27h6tvur/post/3lfb2x6ftks2p?ref_src=embed">January 8, 2025 at 11:00 PM</a>'
        "</blockquote>"
    )
    bluesky_iframe = (
        '<iframe src="https://embed.bsky.app/embed/did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/'
        '3lfb2x6ftks2q" width="600"></iframe>'
    )
    mastodon = (
        '<blockquote class="mastodon-embed" data-embed-url="https://mastodon.social/@Gargron/113733316536640183/embed" '
        'style="background: #FCF8FF;"><a href="https://mastodon.social/@Gargron/113733316536640183" target="_blank">'
        "<div>Post by @Gargron@mastodon.social</div><div>View on Mastodon</div></a></blockquote>"
    )
    mastodon_iframe = (
        '<iframe src="https://chaos.social/@someone/111222333444555666/embed" class="mastodon-embed" '
        'width="400" allowfullscreen="allowfullscreen"></iframe>'
    )
    instagram = (
        '<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/C1a2b3c4d5E/'
        '?utm_source=ig_embed&amp;utm_campaign=loading" data-instgrm-version="14"><div><a href="https://www.'
        'instagram.com/p/C1a2b3c4d5E/?utm_source=ig_embed">View this post on Instagram</a><p><a href="https://'
        'www.instagram.com/p/C1a2b3c4d5E/">A post shared by NASA (@nasa)</a> on <time datetime="2024-01-02T10:00:00+00:00">'
        "Jan 2, 2024 at 2:00am PST</time></p></div></blockquote>"
    )
    tiktok = (
        '<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@scout2015/video/6718335390845095173" '
        'data-video-id="6718335390845095173"><section><a target="_blank" title="@scout2015" href="https://www.'
        'tiktok.com/@scout2015?refer=embed">@scout2015</a> Scramble up ur name &amp; I’ll try to guess it😍❤️ '
        '<a title="foryoupage" href="https://www.tiktok.com/tag/foryoupage?refer=embed">#foryoupage</a> '
        '<a title="♬ original sound - Scout" href="https://www.tiktok.com/music/original-sound-6689804660171082501'
        '?refer=embed">♬ original sound - Scout</a></section></blockquote>'
    )
    threads = (
        '<blockquote class="text-post-media" data-text-post-permalink="https://www.threads.net/@zuck/post/'
        'C8Y2nF5Rw1a" data-text-post-version="0" id="ig-tp-C8Y2nF5Rw1a"><a href="https://www.threads.net/@zuck/'
        'post/C8Y2nF5Rw1a" target="_blank"><div>Post by @zuck</div><div>View on Threads</div></a></blockquote>'
    )
    doc = page(
        "\n".join([bluesky, bluesky_iframe, mastodon, mastodon_iframe, instagram, tiktok, threads])
    )
    did = "did:plc:z72i7hdynmk6r22z27h6tvur"
    assert embeds(doc) == [
        element(doc, bluesky, platform="bluesky", form="html_blockquote",
                text="Hello from Bluesky 🦋\n\n[image or embed]", handle="bsky.app",
                display_name="Bluesky", date="2025-01-08", date_text="January 8, 2025 at 11:00 PM",
                status_id=f"{did}/3lfb2x6ftks2p",
                status_url=f"https://bsky.app/profile/{did}/post/3lfb2x6ftks2p", lang="en"),
        element(doc, bluesky_iframe, platform="bluesky", form="iframe", text="",
                status_id=f"{did}/3lfb2x6ftks2q",
                status_url=f"https://bsky.app/profile/{did}/post/3lfb2x6ftks2q"),
        element(doc, mastodon, platform="mastodon", form="html_blockquote", text="",
                handle="Gargron", status_id="mastodon.social/113733316536640183",
                status_url="https://mastodon.social/@Gargron/113733316536640183"),
        element(doc, mastodon_iframe, platform="mastodon", form="iframe", text="",
                handle="someone", status_id="chaos.social/111222333444555666",
                status_url="https://chaos.social/@someone/111222333444555666"),
        element(doc, instagram, platform="instagram", form="html_blockquote", text="",
                handle="nasa", date="2024-01-02", date_text="Jan 2, 2024 at 2:00am PST",
                status_id="C1a2b3c4d5E", status_url="https://www.instagram.com/p/C1a2b3c4d5E/"),
        element(doc, tiktok, platform="tiktok", form="html_blockquote",
                text="Scramble up ur name & I’ll try to guess it😍❤️ #foryoupage", handle="scout2015",
                status_id="6718335390845095173",
                status_url="https://www.tiktok.com/@scout2015/video/6718335390845095173"),
        element(doc, threads, platform="threads", form="html_blockquote", text="", handle="zuck",
                status_id="C8Y2nF5Rw1a", status_url="https://www.threads.net/@zuck/post/C8Y2nF5Rw1a"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "markup",
    [
        "<p>{url}</p>",
        '<p><a href="{url}">{url}</a></p>',
        '<figure class="wp-block-embed is-provider-twitter"><div class="wp-block-embed__wrapper">\n{url}\n</div></figure>',
        "<p>The agency reported it first.<br>\n{url}<br>More soon.</p>",
    ],
)
@pytest.mark.parametrize(
    "url, handle",
    [
        ("https://twitter.com/BNONews/status/1497462516437024769", "BNONews"),
        ("https://x.com/BNONews/status/1497462516437024769?s=20", "BNONews"),
        ("https://mobile.twitter.com/i/web/status/1497462516437024769", None),
    ],
)
def test_a_bare_status_url_alone_in_its_paragraph(markup, url, handle):
    doc = page(markup.format(url=url))
    start = doc.rindex(url)
    assert embeds(doc) == [
        Embed(
            platform="twitter",
            form="status_url",
            text="",
            start=start,
            end=start + len(url),
            handle=handle,
            status_id="1497462516437024769",
            status_url=url.removesuffix("?s=20"),
        )
    ]


def test_a_widget_flattened_into_paragraphs():
    post = (
        'We are here. We are in Kyiv. <a href="https://twitter.com/hashtag/Ukraine">#Ukraine</a> '
        '<a href="https://t.co/rC2mL5bT7q">nytimes.com/live/2022/02/2…</a> '
        '<a href="https://t.co/bgHyrsbVFs">pic.twitter.com/bgHyrsbVFs</a>'
    )
    attribution = (
        '&mdash; Christopher Miller (<a href="https://twitter.com/ChristopherJM">@ChristopherJM</a>) '
        '<a href="https://twitter.com/ChristopherJM/status/1497276578845167617?ref_src=twsrc%5Etfw">February 25, 2022'
    )
    doc = page(f"<p>Last night, this was posted:</p>\n<p>{post}</p>\n<p>{attribution}</a></p>")
    start = doc.index(post)
    assert embeds(doc) == [
        Embed(
            platform="twitter",
            form="text_attribution",
            text="We are here. We are in Kyiv. #Ukraine nytimes.com/live/2022/02/2… pic.twitter.com/bgHyrsbVFs",
            start=start,
            end=doc.index(attribution) + len(attribution),
            handle="ChristopherJM",
            display_name="Christopher Miller",
            date="2022-02-25",
            date_text="February 25, 2022",
            pic_links=("pic.twitter.com/bgHyrsbVFs",),
            links=("https://t.co/rC2mL5bT7q",),
            status_id="1497276578845167617",
            status_url="https://twitter.com/ChristopherJM/status/1497276578845167617",
        )
    ]


def test_a_snippet_whose_class_the_site_dropped_reads_as_flattened_text():
    quote = SNIPPET.replace(' class="twitter-tweet"', "")
    doc = page(quote)
    text = "On our way to the #GoogleDance! #SMX 💃🏻 pic.twitter.com/N8kZ9M3eN4"
    start = doc.index("On our way")
    end = doc.rindex("March 3, 2016") + len("March 3, 2016")
    assert embeds(doc) == [
        Embed(platform="twitter", form="text_attribution", text=text, start=start, end=end,
              handle="sengineland", display_name="Search Engine Land", date="2016-03-03",
              date_text="March 3, 2016", pic_links=("pic.twitter.com/N8kZ9M3eN4",),
              status_id=TWEET_ID, status_url=f"https://twitter.com/sengineland/status/{TWEET_ID}")
    ]  # fmt: skip


def test_flattened_forms_in_a_pre_block_keep_their_line_breaks():
    doc = page(
        "<pre>Kyiv tonight.\n\nWe stay. pic.twitter.com/AAAAAAAAAA\n— Ann (@ann) May 1, 2022</pre>"
    )
    assert [(e.text, e.handle) for e in embeds(doc)] == [
        ("We stay. pic.twitter.com/AAAAAAAAAA", "ann"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        # a quotation in a plain blockquote, attributed to a person, an outlet, a book
        "<blockquote><p>To be, or not to be.</p>&mdash; William Shakespeare, Hamlet</blockquote>",
        "<blockquote><p>We will rebuild.</p>&mdash; Vitali Klitschko (Reuters)</blockquote>",
        # mentions and profile links
        '<p>Thanks to <a href="https://twitter.com/janedoe">@janedoe</a> (@janedoe) for the tip.</p>',
        '<p><a href="https://twitter.com/ChristopherJM">https://twitter.com/ChristopherJM</a></p>',
        # a link to a tweet inside a sentence
        '<p>He replied <a href="https://twitter.com/BNONews/status/1497462516437024769">in this tweet</a>.</p>',
        "<p>He replied in https://twitter.com/BNONews/status/1497462516437024769 within minutes.</p>",
        # YouTube is not a post
        '<iframe width="560" src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>',
        "<p>https://www.youtube.com/watch?v=dQw4w9WgXcQ</p>",
        # attribution-like text in code and comments
        "<script>document.write('We stay. — Ann (@ann) May 1, 2022')</script>",
        "<style>/* — Ann (@ann) May 1, 2022 */</style>",
        "<!-- We stay. — Ann (@ann) May 1, 2022 -->",
        # a dash in prose
        "<p>The convoy — more than 60 km long — stalled on March 1, 2022.</p>",
    ],
)
def test_what_must_not_be_reported(body):
    assert embeds(page(body)) == []


def test_the_title_comes_from_the_page():
    result = scan_text(page(""), kind="html")
    assert (result.kind, result.title, result.embeds) == ("html", "Live: Kyiv", ())


def test_amp_pages():
    amp = '<amp-twitter width="375" height="472" layout="responsive" data-tweetid="1497276578845167617"></amp-twitter>'
    with_placeholder = (
        '<amp-twitter width="375" height="472" layout="responsive" data-tweetid="705219971425574912">'
        f"{SNIPPET.replace('<blockquote ', '<blockquote placeholder ')}</amp-twitter>"
    )
    instagram = '<amp-instagram data-shortcode="C1a2b3c4d5E" width="400" height="400" layout="responsive"></amp-instagram>'
    doc = page("\n".join([amp, with_placeholder, instagram]))
    quote = SNIPPET.replace("<blockquote ", "<blockquote placeholder ")
    assert [(e.form, e.status_id, doc[e.start : e.end]) for e in embeds(doc)] == [
        ("iframe", "1497276578845167617", amp),
        ("html_blockquote", TWEET_ID, quote),
        ("iframe", "C1a2b3c4d5E", instagram),
    ]


def test_a_snippet_that_names_its_tweet_only_by_id():
    quote = (
        '<blockquote class="twitter-tweet" data-tweet-id="1497276578845167617"><p lang="en" dir="ltr">'
        "We are here.</p>&mdash; Christopher Miller (@ChristopherJM)</blockquote>"
    )
    doc = page(quote)
    assert embeds(doc) == [
        element(
            doc,
            quote,
            platform="twitter",
            form="html_blockquote",
            text="We are here.",
            handle="ChristopherJM",
            display_name="Christopher Miller",
            status_id="1497276578845167617",
            status_url="https://twitter.com/i/web/status/1497276578845167617",
            lang="en",
        )
    ]


def test_a_bluesky_snippet_whose_date_is_not_linked_keeps_its_time_after_a_las():
    # the date is read from the attribution line when no link to the post carries it
    quote = (
        '<blockquote class="bluesky-embed" data-bluesky-uri="at://did:plc:z72i7hdynmk6r22z27h6tvur/'
        'app.bsky.feed.post/3lfb2x6ftks2p"><p lang="es">No nos vamos.</p>&mdash; Alcaldía de Madrid '
        "(@madrid.bsky.social) 8 de enero de 2025 a las 23:00</blockquote>"
    )
    doc = page(quote)
    assert embeds(doc) == [
        element(
            doc,
            quote,
            platform="bluesky",
            form="html_blockquote",
            text="No nos vamos.",
            handle="madrid.bsky.social",
            display_name="Alcaldía de Madrid",
            date="2025-01-08",
            date_text="8 de enero de 2025 a las 23:00",
            status_id="did:plc:z72i7hdynmk6r22z27h6tvur/3lfb2x6ftks2p",
            status_url="https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3lfb2x6ftks2p",
            lang="es",
        )
    ]


def test_an_instagram_iframe_names_the_post_not_its_embed_page():
    """embed.js turns the blockquote into an iframe of ``/p/CODE/embed/captioned/?cr=1&v=14``:
    the record keeps the post's URL, as the blockquote and ``<amp-instagram>`` give it."""
    iframes = [
        '<iframe class="instagram-media instagram-media-rendered" '
        'src="https://www.instagram.com/p/C1a2b3c4d5E/embed/captioned/?cr=1&amp;v=14&amp;wp=540" '
        'allowtransparency="true"></iframe>',
        '<iframe src="https://www.instagram.com/reel/C9z8y7x6w5V/embed/"></iframe>',
    ]
    doc = page("\n".join(iframes))
    assert [(e.platform, e.form, e.status_id, e.status_url) for e in embeds(doc)] == [
        ("instagram", "iframe", "C1a2b3c4d5E", "https://www.instagram.com/p/C1a2b3c4d5E/"),
        ("instagram", "iframe", "C9z8y7x6w5V", "https://www.instagram.com/reel/C9z8y7x6w5V/"),
    ]


BLUESKY_DID = "did:plc:z72i7hdynmk6r22z27h6tvur"
BLUESKY_POST = f"https://bsky.app/profile/{BLUESKY_DID}/post/3lfb2x6ftks2p"


@pytest.mark.parametrize(
    "uri",
    [
        "https://twitter.com/bsky/status/1497276578845167617",
        "https://x.com/i/web/status/1497276578845167617",
        "https://mastodon.social/@Gargron/113733316536640183",
        "https://www.instagram.com/p/C1a2b3c4d5E/",
    ],
)
@pytest.mark.parametrize(
    "status_link, status_id, status_url",
    [
        (f'<a href="{BLUESKY_POST}?ref_src=embed">', f"{BLUESKY_DID}/3lfb2x6ftks2p", BLUESKY_POST),
        ('<a href="https://bsky.app/profile/bsky.app">', None, None),
    ],
)
def test_a_bluesky_widget_whose_uri_names_another_platforms_post(
    uri, status_link, status_id, status_url
):
    """Only a Bluesky post's data-bluesky-uri names the post; another platform's URL there is
    ignored and the record is the one the rest of the snippet gives."""
    quote = (
        f'<blockquote class="bluesky-embed" data-bluesky-uri="{uri}"><p lang="en">Hello from '
        f"Bluesky</p>&mdash; Bluesky (@bsky.app) {status_link}January 8, 2025 at 11:00 PM</a>"
        "</blockquote>"
    )
    doc = page(quote)
    expected = element(
        doc,
        quote,
        platform="bluesky",
        form="html_blockquote",
        text="Hello from Bluesky",
        handle="bsky.app",
        display_name="Bluesky",
        date="2025-01-08",
        date_text="January 8, 2025 at 11:00 PM",
        status_id=status_id,
        status_url=status_url,
        lang="en",
    )
    assert embeds(doc) == [expected]
    assert list(scan_bytes(doc.encode()).embeds) == [expected]
