"""The scanner's accuracy on labelled articles: recall, precision and per-field accuracy.

``python -m benchmarks.scan_accuracy`` prints a markdown report; docs/scan-accuracy.md holds the
last one with the command that made it (tests/test_scan_accuracy.py checks they agree).

The corpus is tests/fixtures/scan-accuracy/labels.json: the real sample article
(examples/zelensky-stays-in-kyiv.txt), two old-export copies of it made here (``derive``: its
attribution dashes removed, and also each attribution glued to the paragraph after it), and
articles written for the tests in the shapes of issue 13, hard negatives among them. Each
label is a post a reader sees: handle, display name, date, text and picture links.

A found record matches the first unmatched label whose span (from its text, or its ``(@handle)``
when it shows none, to the end of its date) overlaps the record's span; a label never matched is
missed, a record that matches nothing is a false positive. Per-field accuracy counts, among
matched pairs, the records whose field equals the label's.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from archiver.models import Embed
from archiver.scan import scan_bytes

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "fixtures" / "scan-accuracy" / "labels.json"
COMMAND = "python -m benchmarks.scan_accuracy"
FIELDS = ("handle", "display_name", "date", "text", "pic_links")


@dataclass
class Outcome:
    """One article's result: labels, records, matched pairs, and the fields each pair got wrong."""

    name: str
    origin: str
    labels: int
    found: int
    matched: int = 0
    complete: int = 0  # matched records with every field right
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    wrong: list[str] = field(default_factory=list)  # "@handle field: expected … got …"


def derive(document: str, how: str | None, posts: list[dict[str, object]]) -> str:
    """An old export's copy of ``document``: "dashless" drops each attribution's dash (its
    spaces stay), "dashless-glued" also the line breaks after the attribution's date."""
    if how is None:
        return document
    for post in posts:
        attribution = f"{post['display_name']} (@{post['handle']}) {post['date_text']}"
        pattern = re.compile(
            r" — " + re.escape(attribution) + (r"\n+" if how != "dashless" else "")
        )
        found = pattern.search(document)
        if found is None:
            raise ValueError(f"no attribution of @{post['handle']} to derive from")
        document = f"{document[: found.start()]}  {attribution}{document[found.end() :]}"
    return document


def label_span(document: str, post: dict[str, object], cursor: int) -> tuple[int, int]:
    """Where a labelled post lies in ``document``, looked for from ``cursor`` on."""
    text, handle, date_text = str(post["text"]), str(post["handle"]), str(post["date_text"])
    start = document.index(text or f"(@{handle})", cursor)
    return start, document.index(date_text, start) + len(date_text)


def score(name: str, origin: str, document: str, posts: list[dict], found: list[Embed]) -> Outcome:
    """Match the records of one article against its labels."""
    outcome = Outcome(name, origin, labels=len(posts), found=len(found))
    spans, cursor = [], 0
    for post in posts:
        spans.append(label_span(document, post, cursor))
        cursor = spans[-1][1]
    unmatched = list(range(len(posts)))
    for embed in found:
        index = next(
            (i for i in unmatched if spans[i][0] < embed.end and embed.start < spans[i][1]), None
        )
        if index is None:
            outcome.wrong.append(f"false positive @{embed.handle}: {embed.text[:60]!r}")
            continue
        unmatched.remove(index)
        outcome.matched += 1
        post, errors = posts[index], len(outcome.wrong)
        for name_ in FIELDS:
            got = getattr(embed, name_)
            want = tuple(post[name_]) if name_ == "pic_links" else post[name_]
            if got == want:
                outcome.right[name_] += 1
            else:
                outcome.wrong.append(f"@{post['handle']} {name_}: expected {want!r}, got {got!r}")
        outcome.complete += len(outcome.wrong) == errors
    outcome.wrong += [f"missed @{posts[i]['handle']}" for i in unmatched]
    return outcome


def measure(labels: Path = LABELS) -> list[Outcome]:
    """Scan every labelled article and score it."""
    outcomes = []
    for article in json.loads(labels.read_text(encoding="utf-8"))["articles"]:
        source = (ROOT / article["file"]).read_text(encoding="utf-8")
        document = derive(source, article.get("derive"), article["posts"])
        result = scan_bytes(document.encode("utf-8"), filename=Path(article["file"]).name)
        outcomes.append(
            score(
                article["name"], article["origin"], document, article["posts"], list(result.embeds)
            )
        )
    return outcomes


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}% ({part}/{whole})" if whole else "n/a (0/0)"


def markdown(outcomes: list[Outcome]) -> str:
    """The report: totals, one row per article, then every error."""
    labels = sum(o.labels for o in outcomes)
    found = sum(o.found for o in outcomes)
    matched = sum(o.matched for o in outcomes)
    lines = [
        f"{len(outcomes)} articles, {labels} labelled posts, {found} records found.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| recall (labelled posts found) | {_percent(matched, labels)} |",
        f"| precision (records that are labelled posts) | {_percent(matched, found)} |",
    ]
    for name in FIELDS:
        right = sum(o.right[name] for o in outcomes)
        lines.append(f"| {name} right, of posts found | {_percent(right, matched)} |")
    lines += [
        "",
        "| article | origin | labelled | found | matched | every field right |",
        "|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        lines.append(
            f"| {o.name} | {o.origin} | {o.labels} | {o.found} | {o.matched} | {o.complete} |"
        )
    errors = [f"- {o.name}: {w}" for o in outcomes for w in o.wrong]
    lines += ["", "Errors:" if errors else "Errors: none.", *errors]
    return "\n".join(lines)


def main() -> int:
    print(markdown(measure()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
