"""Fetching: the HTTP client, redirect policies, shortlink resolution. The only user of httpx."""

from archiver.fetch.client import Download, HttpClient
from archiver.fetch.config import ClientConfig
from archiver.fetch.policy import NO_REDIRECTS, PUBLIC, TWITTER, RedirectPolicy
from archiver.fetch.shortlinks import ShortlinkResult, resolve_shortlink

__all__ = [
    "NO_REDIRECTS",
    "PUBLIC",
    "TWITTER",
    "ClientConfig",
    "Download",
    "HttpClient",
    "RedirectPolicy",
    "ShortlinkResult",
    "resolve_shortlink",
]
