"""X/Twitter: ids, tokens, endpoint URLs, syndication and oEmbed witnesses, attribution search."""

from archiver.fetch.twitter.endpoints import oembed_url, syndication_url
from archiver.fetch.twitter.find_by_text import find_by_text
from archiver.fetch.twitter.oembed import parse_oembed
from archiver.fetch.twitter.snowflake import snowflake_range, snowflake_time
from archiver.fetch.twitter.syndication import parse_syndication
from archiver.fetch.twitter.token import syndication_token
from archiver.fetch.twitter.witnesses import fetch_twitter_witnesses

__all__ = [
    "fetch_twitter_witnesses",
    "find_by_text",
    "oembed_url",
    "parse_oembed",
    "parse_syndication",
    "snowflake_range",
    "snowflake_time",
    "syndication_token",
    "syndication_url",
]
