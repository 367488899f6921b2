"""The Wayback Machine's copies of a post read: CDX listings and raw captures (asked by
archiver/fetch/wayback.py)."""

from archiver.witnesses.wayback.capture import (
    CDX_SOURCE,
    SOURCE,
    Capture,
    Listing,
    capture_of,
    captured_at,
    id_in_url,
    parse_wayback,
    read_listing,
)

__all__ = [
    "CDX_SOURCE",
    "SOURCE",
    "Capture",
    "Listing",
    "capture_of",
    "captured_at",
    "id_in_url",
    "parse_wayback",
    "read_listing",
]
