"""The token the syndication endpoint asks for, computed exactly as the embed's JavaScript does.

The widget computes ``((Number(id) / 1e15) * Math.PI).toString(36).replace(/(0+|\\.)/g, '')``
(vercel/react-tweet ``packages/react-tweet/src/api/fetch-tweet.ts``; yt-dlp
``_generate_syndication_token``). Python has no float-to-base-36 conversion, so
``js_number_to_radix`` ports V8's ``DoubleToRadixCString`` (src/numbers/conversions.cc).
"""

from __future__ import annotations

import math
import re

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_TWO_POW_53 = 2.0**53
_POST_ID = re.compile(r"[0-9]{1,40}")  # react-tweet accepts /^[0-9]+$/ up to 40 characters


def js_number_to_radix(value: float, radix: int) -> str:
    """``Number.prototype.toString(radix)`` for a finite double and a radix other than 10.

    >>> js_number_to_radix(0.5, 2)
    '0.1'
    """
    if not 2 <= radix <= 36 or radix == 10:
        raise ValueError(f"radix must be in 2..36 and not 10, not {radix}")
    if not math.isfinite(value):
        raise ValueError(f"{value!r} has no radix form here")
    negative = value < 0
    value = -value if negative else value
    integer: float = math.floor(value)
    fraction = value - integer
    # Fraction digits stop once the rest is below half the gap to the next double.
    delta = max(0.5 * (math.nextafter(value, math.inf) - value), math.nextafter(0.0, 1.0))
    fraction_digits: list[int] = []
    if fraction >= delta:
        while True:
            fraction *= radix
            delta *= radix
            digit = int(fraction)
            fraction_digits.append(digit)
            fraction -= digit
            if (fraction > 0.5 or (fraction == 0.5 and digit & 1)) and fraction + delta > 1:
                integer += _round_up(fraction_digits, radix)
                break
            if fraction < delta:
                break
    integer_digits: list[str] = []
    integer = float(integer)
    # Digits below the precision of a double come out as zeros, as in V8.
    while integer / radix >= _TWO_POW_53:
        integer /= radix
        integer_digits.append("0")
    while True:
        remainder = math.fmod(integer, radix)
        integer_digits.append(_DIGITS[int(remainder)])
        integer = (integer - remainder) / radix
        if integer <= 0:
            break
    text = "".join(reversed(integer_digits))
    if fraction_digits:
        text += "." + "".join(_DIGITS[d] for d in fraction_digits)
    return "-" + text if negative else text


def _round_up(digits: list[int], radix: int) -> int:
    """Add one unit in the last place of ``digits`` in place; return the carry into the integer."""
    while digits:
        last = digits.pop()
        if last + 1 < radix:
            digits.append(last + 1)
            return 0
    return 1


def syndication_token(post_id: str) -> str:
    """The ``token`` parameter of ``cdn.syndication.twimg.com/tweet-result`` for a post id.

    >>> syndication_token("1641086480675225601")
    '3z7miaszni8'
    """
    if not isinstance(post_id, str) or not _POST_ID.fullmatch(post_id):
        raise ValueError(f"not a numeric post id: {post_id!r}")
    # float(int) rounds to the nearest double exactly like JavaScript's Number(string).
    value = (float(int(post_id)) / 1e15) * math.pi
    return re.sub(r"0+|\.", "", js_number_to_radix(value, 36))
