"""X/Twitter: ids and tokens, endpoint URLs, the syndication and oEmbed witnesses, attribution search."""
