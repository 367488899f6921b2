"""X/Twitter: tokens, endpoint URLs, asking for the syndication and oEmbed witnesses, attribution
search. Their answers are read by archiver/witnesses/twitter/."""

from archiver.fetch.twitter.endpoints import oembed_url, syndication_url
from archiver.fetch.twitter.find_by_text import find_by_text
from archiver.fetch.twitter.token import syndication_token
from archiver.fetch.twitter.witnesses import fetch_twitter_witnesses

__all__ = [
    "fetch_twitter_witnesses",
    "find_by_text",
    "oembed_url",
    "syndication_token",
    "syndication_url",
]
