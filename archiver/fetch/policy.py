"""Where a request may go: http(s), public addresses, and the hosts each redirect may lead to."""

from __future__ import annotations

import functools
import ipaddress
import re
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from archiver.errors import BlockedRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_SCHEMES = frozenset({"http", "https"})
TWITTER_WEB_HOSTS = frozenset(
    f"{prefix}{domain}"
    for domain in ("twitter.com", "x.com")
    for prefix in ("", "www.", "mobile.", "m.")
)
SHORTLINK_HOSTS = frozenset({"t.co", "pic.twitter.com", "pic.x.com", "www.pic.twitter.com"})
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_HOST_CHARACTERS = re.compile(r"[\w.-]+")  # letters of any script (IDN), digits, dots, dashes


@dataclass(frozen=True, slots=True)
class RedirectPolicy:
    """Which hosts a redirect from each host may lead to, and how far to follow.

    ``routes`` maps a host to the hosts its redirects may lead to; a host without a route may
    lead to ``others`` (None: any public host). Every hop, the first included, must also be
    http(s) to a public address: that check does not depend on the policy.
    ``stop_at`` ends the chain before fetching a URL it accepts (its hop's Location is the
    answer); ``unwrap`` rewrites a Location first (interstitial pages).
    """

    name: str
    routes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    others: frozenset[str] | None = None
    follow: bool = True
    stop_at: Callable[[str], bool] | None = None
    unwrap: Callable[[str], str] | None = None

    def allows(self, source_host: str, target_host: str) -> bool:
        """True when a redirect from ``source_host`` may lead to ``target_host``."""
        allowed = self.routes.get(source_host, self.others)
        return allowed is None or target_host in allowed


# Article pages and other open-web URLs: redirects to any public host.
PUBLIC = RedirectPolicy("public")
# API endpoints whose 3xx is itself the answer to record.
NO_REDIRECTS = RedirectPolicy("no_redirects", follow=False)
# X/Twitter: shortlinks lead into twitter.com/x.com (or another t.co hop); twitter.com and
# x.com lead to each other (docs/endpoints.md §1.2-1.3); nothing else leads anywhere.
TWITTER = RedirectPolicy(
    "twitter",
    routes={
        **{host: TWITTER_WEB_HOSTS | {"t.co"} for host in SHORTLINK_HOSTS},
        **{host: TWITTER_WEB_HOSTS for host in TWITTER_WEB_HOSTS},
    },
    others=frozenset(),
)


def check_url(url: str) -> str:
    """The lower-case host of a URL that may be requested; BlockedRequest when it may not.

    Checks the scheme and the literal host; the host's DNS answer is checked separately.
    """
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError as exc:
        raise BlockedRequest(f"malformed URL {url!r}: {exc}", url=url) from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise BlockedRequest(f"scheme {parts.scheme!r} is not allowed: {url}", url=url)
    if not host:
        raise BlockedRequest(f"no host in {url!r}", url=url)
    if not _HOST_CHARACTERS.fullmatch(host) and literal_address(host) is None:
        raise BlockedRequest(f"not a host name: {host!r}", url=url)
    if parts.username is not None or parts.password is not None:
        raise BlockedRequest(f"credentials in URLs are not sent: {url}", url=url)
    if reason := host_problem(host):
        raise BlockedRequest(f"{host} is {reason}: {url}", url=url)
    return host


@functools.lru_cache(maxsize=4096)
def host_problem(host: str) -> str | None:
    """Why a literal host may not be contacted (an IP literal or a local name), or None."""
    host = host.rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return "a loopback name"
    address = literal_address(host)
    return address_problem(address) if address is not None else None


@functools.lru_cache(maxsize=4096)
def literal_address(host: str) -> Address | None:
    """The address a host names literally, in any form a resolver accepts, or None for names.

    ``inet_aton`` reads the numeric forms (``2130706433``, ``0x7f.1``, ``127.1``) that a DNS
    lookup would turn into 127.0.0.1 without ever asking a server.
    """
    candidate = host.strip("[]")
    try:
        return ipaddress.ip_address(candidate.split("%")[0])
    except ValueError:
        pass
    if all(c in "0123456789abcdefx." for c in candidate):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(candidate))
        except OSError:
            return None
    return None


def address_problem(address: Address) -> str | None:
    """Why an address may not be contacted, or None when it is a global unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return "an IPv4-mapped IPv6 address"
        if address.packed[:12] == bytes(12) and int(address) > 1:
            return "an IPv4-compatible IPv6 address"
        embedded = address.sixtofour or (address.teredo or (None, None))[1]
        if address in _NAT64:
            embedded = ipaddress.IPv4Address(address.packed[12:])
        if embedded is not None and (problem := address_problem(embedded)):
            return f"an IPv6 address embedding {embedded}, {problem}"
    for test, label in (
        ("is_loopback", "a loopback address"),
        ("is_unspecified", "an unspecified address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private address"),
        ("is_reserved", "a reserved address"),
    ):
        if getattr(address, test):
            return label
    if not address.is_global:
        return "not a global address"
    return None
