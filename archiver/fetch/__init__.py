"""Fetching: the HTTP client, shortlinks, one module per platform, media. The only code that imports httpx."""
