"""X/Twitter: ids, tokens, endpoint URLs, syndication and oEmbed witnesses, attribution search."""
