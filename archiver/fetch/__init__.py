"""Fetching: the HTTP client, shortlinks, one module per platform, media (the only httpx user)."""
