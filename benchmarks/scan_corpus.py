"""Generated articles for the scan benchmark: plain-text articles and HTML pages, in many languages.

Deterministic (seeded), so every run scans the same bytes. Each text article has 1-4 flattened
embeds among prose, lead-ins, quotes and mentions; each HTML page has navigation, inline scripts,
styles, a footer and 3-6 embeds of every form the scanner knows.
"""

from __future__ import annotations

import random

PROSE = {
    "en": [
        "The city council met on Tuesday to discuss the new budget, which funds schools.",
        "Officials said the decision was made after weeks of negotiations with local businesses.",
        "“We are not going anywhere,” the mayor told reporters outside the town hall on Friday.",
        "Residents have complained about the noise (and the dust) for months, a survey says.",
        "The report — published by an independent group — found that prices rose by 4.2 percent.",
        "Critics argue the plan does not go far enough; supporters call it a first step.",
    ],
    "de": [
        "Der Stadtrat hat am Dienstag über den neuen Haushalt für die Schulen beraten.",
        "„Wir bleiben hier“, sagte die Bürgermeisterin vor dem Rathaus am Freitagabend.",
        "Anwohner beschweren sich seit Monaten über den Lärm – und über den Staub auf den Straßen.",
    ],
    "fr": [
        "Le conseil municipal s’est réuni mardi pour discuter du budget des écoles.",
        "« Nous ne partirons pas », a déclaré la maire devant l’hôtel de ville vendredi soir.",
        "Les habitants se plaignent du bruit — et de la poussière — selon une enquête.",
    ],
    "es": [
        "El ayuntamiento se reunió el martes para debatir el nuevo presupuesto para las escuelas.",
        "«No nos vamos a ninguna parte», dijo la alcaldesa el viernes por la noche.",
    ],
    "it": [
        "Il consiglio comunale si è riunito martedì per discutere il nuovo bilancio per le scuole.",
        "«Non andiamo da nessuna parte», ha detto la sindaca ai giornalisti venerdì sera.",
    ],
    "pt": [
        "A câmara municipal reuniu-se na terça-feira para discutir o novo orçamento das escolas.",
        "“Não vamos a lugar nenhum”, disse a prefeita aos jornalistas na sexta-feira à noite.",
    ],
    "nl": [
        "De gemeenteraad kwam dinsdag bijeen om de nieuwe begroting voor scholen te bespreken.",
        "„Wij gaan nergens heen”, zei de burgemeester vrijdagavond tegen verslaggevers.",
    ],
    "tr": [
        "Belediye meclisi salı günü okullar için yeni bütçeyi görüşmek üzere toplandı.",
        "“Hiçbir yere gitmiyoruz” dedi belediye başkanı cuma akşamı gazetecilere.",
    ],
    "ru": [
        "Городской совет собрался во вторник, чтобы обсудить новый бюджет для школ.",
        "«Мы никуда не уходим», — заявила мэр журналистам в пятницу вечером.",
    ],
    "uk": [
        "Міська рада зібралася у вівторок, щоб обговорити новий бюджет для шкіл.",
        "«Ми нікуди не йдемо», — сказала мерка журналістам у п’ятницю ввечері.",
    ],
    "ja": [
        "市議会は火曜日に会合を開き、学校向けの新しい予算について話し合った。",
        "「私たちはどこにも行かない」と市長は金曜日の夜、記者団に語った。",
    ],
}
DATES = {
    "en": ["February 25, 2022", "Feb 26, 2022", "March 3, 2016", "January 8, 2025 at 11:00 PM"],
    "de": ["17. August 2018", "25. Oktober 2018", "21. Januar 2020"],
    "fr": ["25 février 2022", "3 mars 2016"],
    "es": ["26 de diciembre de 2022", "3 de marzo de 2016"],
    "it": ["13 maggio 2017", "25 febbraio 2022"],
    "pt": ["26 de dezembro de 2022", "25 de fevereiro de 2022"],
    "nl": ["25 februari 2022", "3 maart 2016"],
    "tr": ["25 Şubat 2022", "3 Mart 2016"],
    "ru": ["25 февраля 2022 г.", "28 сентября 2018"],
    "uk": ["25 лютого 2022 р.", "3 березня 2016"],
    "ja": ["2019年7月20日", "2022年2月25日"],
}
POSTS = [
    "⚡️Breaking: explosions heard in the capital overnight, witnesses say. #Kyiv",
    "We are here. We are in Kyiv. We are defending Ukraine. 🇺🇦",
    "Thread: what we know so far about the evacuation 👇 https://t.co/Ab12Cd34Ef",
    "I’m in awe of this man. #StandWithUkraine",
    "„Wir bleiben hier.“ – die Bürgermeisterin heute Abend",
    "Nous restons ici. 💪 #Kyiv",
    "Мы остаемся здесь. #Киев",
    "私たちはここにいる。#キーウ",
]
NAMES = [
    ("Christopher Miller", "ChristopherJM"),
    ("Yevgeny (Eugene) Vindman", "YVindman"),
    ("FRANCE 24 English", "France24_en"),
    ("BNO News", "BNONews"),
    ("محمد الأحمد", "m_alahmad"),
    ("𝐉𝐚𝐧𝐞 𝐃𝐨𝐞 🇺🇦", "janedoe"),
    ("Radio @ Kyiv", "radiokyiv"),
]
LEAD_INS = ["Last night, this was posted on Facebook.", "See here:", "Gaining respect worldwide."]
DID = "did:plc:abcdefghijklmnopqrstuvwx"
DASHES = [" — ", " – ", " -- ", " - ", "— ", "\n— "]


def _code(rng: random.Random, length: int = 10) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(rng.choice(alphabet) for _ in range(length))


def _status_id(rng: random.Random) -> str:
    return str(rng.randrange(10**17, 10**19))


def _paragraph(rng: random.Random, lang: str) -> str:
    return " ".join(rng.choice(PROSE[lang]) for _ in range(rng.randint(2, 6)))


def _flattened(rng: random.Random, lang: str) -> str:
    name, handle = rng.choice(NAMES)
    return (
        f"{rng.choice(POSTS)} pic.twitter.com/{_code(rng)}{rng.choice(DASHES)}"
        f"{name} (@{handle}) {rng.choice(DATES[lang])}"
    )


def text_article(rng: random.Random) -> str:
    """A plain-text article of about 4-16 kB; half of them quote 1-3 posts."""
    lang = rng.choice(list(PROSE))
    paragraphs = [_paragraph(rng, lang) for _ in range(rng.randint(6, 24))]
    for _ in range(rng.choice((0, 0, 0, 1, 2, 3))):
        at = rng.randrange(1, len(paragraphs))
        embed = [rng.choice(LEAD_INS), _flattened(rng, lang)]
        if rng.random() < 0.2:
            embed.append(f"https://twitter.com/{rng.choice(NAMES)[1]}/status/{_status_id(rng)}")
        paragraphs[at:at] = embed
    paragraphs.append("Follow our reporter Anna Smith (@annasmith) for updates.")
    paragraphs.append("“To be or not to be” — William Shakespeare, Hamlet")
    return "\n\n".join(paragraphs) + "\n"


def _script(rng: random.Random, size: int) -> str:
    chunks = [
        "function track(a,b){return (a||{}).id+(b&&b.x)}",
        'var cfg={"ads":[1,2,3],"share":"https://twitter.com/intent/tweet?via=site"};',
        "window.dataLayer=window.dataLayer||[];dataLayer.push({event:'pageview'});",
        "if(document.querySelector('.twitter-share')){load('//platform.twitter.com/widgets.js')}",
    ]
    out, length = [], 0
    while length < size:
        chunk = rng.choice(chunks)
        out.append(chunk)
        length += len(chunk)
    return "\n".join(out)


def _html_embed(rng: random.Random, lang: str) -> str:
    name, handle = rng.choice(NAMES)
    status = _status_id(rng)
    code = _code(rng)
    post = rng.choice(POSTS)
    date = rng.choice(DATES[lang])
    kind = rng.randrange(9)
    if kind in (0, 1):
        return (
            f'<blockquote class="twitter-tweet" data-lang="{lang}">'
            f'<p lang="{lang}" dir="ltr">{post} '
            f'<a href="https://t.co/{code}">pic.twitter.com/{code}</a></p>'
            f"&mdash; {name} (@{handle}) "
            f'<a href="https://twitter.com/{handle}/status/{status}?ref_src=twsrc%5Etfw">{date}</a>'
            "</blockquote>\n"
            '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
        )
    if kind == 2:
        return (
            '<blockquote class="bluesky-embed" data-bluesky-uri="at://'
            f'{DID}/app.bsky.feed.post/3k{code.lower()}"><p lang="en">{post}</p>&mdash; {name} '
            f'(<a href="https://bsky.app/profile/{DID}">'
            f"@{handle.lower()}.bsky.social</a>) "
            f'<a href="https://bsky.app/profile/{DID}/post/3k{code.lower()}">'
            "January 8, 2025 at 11:00 PM</a></blockquote>"
        )
    if kind == 3:
        return (
            '<div class="twitter-tweet twitter-tweet-rendered"><iframe title="X Post" '
            f'src="https://platform.twitter.com/embed/Tweet.html?id={status}" '
            f'data-tweet-id="{status}">'
            "</iframe></div>"
        )
    if kind == 4:
        return (
            '<blockquote class="mastodon-embed" '
            f'data-embed-url="https://mastodon.social/@{handle}/{status}/embed">'
            f'<a href="https://mastodon.social/@{handle}/{status}">'
            f"Post by @{handle}@mastodon.social"
            "</a></blockquote>"
        )
    if kind == 5:
        return (
            '<blockquote class="instagram-media" '
            f'data-instgrm-permalink="https://www.instagram.com/p/{code}/'
            '?utm_source=ig_embed"><a href="#">View this post on Instagram</a></blockquote>'
        )
    if kind == 6:
        return (
            '<blockquote class="tiktok-embed" '
            f'cite="https://www.tiktok.com/@{handle.lower()}/video/{status}">'
            f'<section><a href="https://www.tiktok.com/@{handle.lower()}">'
            f"@{handle.lower()}</a> {post}"
            "</section></blockquote>"
        )
    if kind == 7:
        return f"<p>{rng.choice(LEAD_INS)}</p>\n<p>{_flattened(rng, lang)}</p>"
    return f"<p>https://x.com/{handle}/status/{status}</p>"


def _cards(rng: random.Random, count: int) -> str:
    """Teasers for other articles, as news sites list them around the story."""
    return "".join(
        f'<div class="card card--{i % 4}"><a class="card__link" href="/news/2022/02/{i}/story-{i}">'
        f'<img src="/img/{i}.jpg" alt="" width="320" height="180" loading="lazy">'
        f'<span class="card__kicker">Live</span><h3 class="card__title">Story number {i}</h3></a>'
        f'<time datetime="2022-02-25T10:{i % 60:02d}:00Z">10:{i % 60:02d}</time></div>'
        for i in range(count)
    )


def html_page(rng: random.Random) -> str:
    """An HTML page of about 100-300 kB: head, scripts, navigation, teasers, 3-6 embeds, footer."""
    lang = rng.choice(list(PROSE))
    nav = "".join(
        f'<li class="nav__item"><a class="nav__link" href="/section/{i}"><span>Section {i}</span></a></li>'
        for i in range(rng.randint(40, 150))
    )
    icon = '<svg viewBox="0 0 24 24" width="16"><path d="M12 2L2 7l10 5 10-5-10-5z"/></svg>'
    body = [
        f"<p>{_paragraph(rng, lang)} <a href='/topic/{i}'>More</a> <strong>Update</strong></p>"
        for i in range(rng.randint(10, 30))
    ]
    for _ in range(rng.randint(3, 6)):
        body.insert(rng.randrange(1, len(body)), _html_embed(rng, lang))
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{PROSE[lang][0][:60]}</title>"
        f"<style>{'.c{color:#333;margin:0 auto}' * rng.randint(100, 400)}</style>"
        f"<script>{_script(rng, rng.randint(20_000, 80_000))}</script>"
        "<script>var byline = '— Newsroom (@newsroom) March 3, 2016';</script></head>"
        f'<body><header><div class="header__inner">{icon * 10}<nav><ul>{nav}</ul></nav></div>'
        f'</header><main><article><h1>{PROSE[lang][0]}</h1><div class="article__body">'
        + "\n".join(body)
        + f'</div></article><aside class="related">{_cards(rng, rng.randint(30, 120))}</aside></main>'
        f'<footer><p>Follow us (@newsroom) · <a href="https://twitter.com/newsroom">Twitter</a></p>'
        f"{icon * 6}<ul>{nav}</ul>"
        f"<script>{_script(rng, rng.randint(10_000, 40_000))}</script></footer></body></html>\n"
    )


def corpus(kind: str, size: int, *, seed: int = 2022) -> list[bytes]:
    """Generated documents of one kind ("text" or "html") adding up to at least ``size`` bytes."""
    rng = random.Random(seed)
    make = text_article if kind == "text" else html_page
    documents, total = [], 0
    while total < size:
        document = make(rng).encode("utf-8")
        documents.append(document)
        total += len(document)
    return documents
