"""Embeds in plain text: flattened attributions and bare status URLs, as ``Embed`` records."""

from __future__ import annotations

from archiver.models import Embed, EmbedForm, Platform
from archiver.scan.bare_urls import BareUrl, find_bare_urls
from archiver.scan.links import clean_status_url, other_links, pic_links
from archiver.scan.text import Attribution, find_attributions
from archiver.urls import parse_post_url


def text_embeds(text: str, *, start: int = 0, end: int | None = None) -> list[Embed]:
    """Every embed in ``text[start:end]``, in order; spans index ``text``."""
    bare = find_bare_urls(text, start=start, end=end)
    attributions = find_attributions(
        text, start=start, end=end, barriers=tuple(found.end for found in bare)
    )
    embeds = [
        attribution_embed(found, text[found.start : found.dash].strip()) for found in attributions
    ]
    if bare:
        embeds = sorted(embeds + [bare_url_embed(found) for found in bare], key=_start)
    return embeds


def _start(embed: Embed) -> int:
    return embed.start


def attribution_embed(
    found: Attribution, post_text: str, *, links: tuple[str, ...] | None = None
) -> Embed:
    """The record of a flattened attribution whose post text is ``post_text``."""
    status = parse_post_url(found.status_url) if found.status_url else None
    if status is not None:
        platform = status.platform
    else:
        platform = Platform.BLUESKY if "." in found.handle else Platform.TWITTER
    return Embed(
        platform=platform,
        form=EmbedForm.TEXT_ATTRIBUTION,
        text=post_text,
        start=found.start,
        end=found.end,
        handle=found.handle,
        display_name=found.display_name,
        date=found.date,
        date_text=found.date_text,
        pic_links=pic_links(post_text),
        links=other_links(post_text) if links is None else links,
        status_id=status.post_id if status else None,
        status_url=clean_status_url(found.status_url) if status and found.status_url else None,
    )


def bare_url_embed(found: BareUrl) -> Embed:
    """The record of a post URL that stands alone on its line."""
    return Embed(
        platform=found.post.platform,
        form=EmbedForm.STATUS_URL,
        text="",
        start=found.start,
        end=found.end,
        handle=found.post.handle,
        status_id=found.post.post_id,
        status_url=clean_status_url(found.url),
    )
