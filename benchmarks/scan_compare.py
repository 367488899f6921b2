"""Compare two scanners: the records they give, and their speed (docs/development.md).

``python -m benchmarks.scan_compare records OUT.jsonl [--docs ROOT]`` writes every record the
scanner of this checkout gives for a fixed set of documents, one JSON line per document: every
file under ``tests/fixtures`` and ``examples`` scanned three ways (as bytes, as text, as HTML),
every benchmark corpus at every density, every string literal of the tests as text and as HTML,
and random documents built from embeds, prose and those literals, whole and mutated. Two
checkouts that scan alike write the same file (``cmp``); ``--docs`` names the checkout whose
files and tests make the documents, so that a branch adding tests is compared on the same ones.

``python -m benchmarks.scan_compare speed ROOT_A ROOT_B [text|html]`` scans 4 MB of each
corpus density with each checkout's scanner, alternately, each in a process of its own, and
prints the best MB/s of each and their ratio: on a shared machine, alternating is what makes
two scanners comparable.
"""

from __future__ import annotations

import argparse
import ast
import json
import random
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import astuple
from pathlib import Path
from typing import Any

from archiver.scan import scan_bytes, scan_text
from benchmarks import scan_corpus

ROOT = Path(__file__).resolve().parent.parent
RANDOM_DOCUMENTS = 30_000
MUTATED_DOCUMENTS = 6_000
CORPUS_BYTES = {"dense": 600_000, "realistic": 600_000, "sample": 1_500_000}
QUICK = 100  # --quick divides the sizes by this: a smoke run
SEPARATORS = ["\n", "\n\n", "\n\n\n", " ", "  ", "\n\n\n\n", "<p>", "</p>\n<p>", "<br>", "\n> "]
MUTATIONS = ["\n", " ", "—", "-", "(", "@", ">", "<", "&", ".", ":", "\u00a0", "A", "a", "#"]
SPEED_CHILD = """
import json, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[2]]
from archiver.scan import scan_bytes
from benchmarks.scan_corpus import corpus
rates = {}
for kind in sys.argv[3].split(","):
    for density in ("sample", "dense", "realistic"):
        documents = corpus(kind, int(sys.argv[4]), density=density)
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            for document in documents:
                scan_bytes(document)
            best = min(best, time.process_time() - start)
        rates[f"{kind}/{density}"] = sum(map(len, documents)) / best / 1e6
print(json.dumps(rates))
"""


def documents(docs: Path, *, scale: int = 1) -> Iterator[tuple[str, Any, str]]:
    """(name, document, how to scan it) for every document of the set, its generated parts
    divided by ``scale``: "bytes" (``scan_bytes``), else the kind ``scan_text`` is given."""
    for path in sorted([*docs.glob("tests/fixtures/**/*"), *docs.glob("examples/**/*")]):
        if path.is_file() and path.stat().st_size < 3_000_000:
            name, data = path.relative_to(docs).as_posix(), path.read_bytes()
            yield f"file:{name}", data, "bytes"
            text = data.decode("utf-8", "replace")
            yield f"file-text:{name}", text, "text"
            yield f"file-html:{name}", text, "html"
    for kind in ("text", "html"):
        for density in scan_corpus.DENSITIES:
            size = CORPUS_BYTES[density] // scale
            made = scan_corpus.corpus(kind, size, density=density, seed=7)
            for number, document in enumerate(made):
                yield f"corpus:{kind}:{density}:{number}", document, "bytes"
    literals = _test_literals(docs)
    for number, literal in enumerate(literals):
        yield f"literal-text:{number}", literal, "text"
        yield f"literal-html:{number}", literal, "html"
    yield from _random_documents(literals, scale)


def _test_literals(docs: Path) -> list[str]:
    """Every string or bytes literal of more than 8 characters in the tests."""
    found = []
    for path in sorted(docs.glob("tests/test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, bytes):
                value = value.decode("utf-8", "replace")
            if isinstance(value, str) and len(value) > 8:
                found.append(value)
    return found


def _random_documents(literals: list[str], scale: int) -> Iterator[tuple[str, str, str]]:
    """Documents joined from embeds, prose and the tests' literals, then single pieces with a few
    characters deleted, inserted, repeated or replaced; seeded, so the same on every run."""
    rng = random.Random(17)
    embeds = [scan_corpus._html_embed(rng, "en") for _ in range(300)]
    embeds += [scan_corpus._linked_flattened(rng, "en") for _ in range(100)]
    embeds += [
        scan_corpus._sample_text_embed(rng, lang) for lang in scan_corpus.PROSE for _ in range(100)
    ]
    prose = [scan_corpus._paragraph(rng, lang) for lang in scan_corpus.PROSE for _ in range(50)]
    prose += scan_corpus.LEAD_INS * 20
    pools = (embeds, prose, literals or prose, embeds)
    for number in range(RANDOM_DOCUMENTS // scale):
        parts = []
        for _ in range(rng.randint(1, 8)):
            parts += [rng.choice(rng.choice(pools)), rng.choice(SEPARATORS)]
        yield f"random:{number}", "".join(parts), rng.choice(("text", "html"))
    everything = embeds + prose + literals
    for number in range(MUTATED_DOCUMENTS // scale):
        characters = list(rng.choice(everything))
        for _ in range(rng.randint(1, 6)):
            if not characters:
                break
            at = rng.randrange(len(characters))
            match rng.randrange(4):
                case 0:
                    del characters[at]
                case 1:
                    characters.insert(at, rng.choice(MUTATIONS))
                case 2:
                    characters[at:at] = characters[at : at + rng.randint(1, 30)]
                case _:
                    characters[at] = rng.choice("\n x.")
        yield f"mutated:{number}", "".join(characters), rng.choice(("text", "html"))


def write_records(out: Path, docs: Path, *, scale: int = 1) -> tuple[int, int]:
    """Scan every document of the set; write one JSON line each; return (documents, records)."""
    count = records = 0
    with out.open("w", encoding="ascii") as lines:
        for name, document, how in documents(docs, scale=scale):
            result = scan_bytes(document) if how == "bytes" else scan_text(document, kind=how)
            embeds = [astuple(embed) for embed in result.embeds]
            lines.write(json.dumps([name, result.kind, result.title, embeds], default=str) + "\n")
            count, records = count + 1, records + len(embeds)
    return count, records


def compare_speed(
    root_a: Path, root_b: Path, kinds: list[str], *, scale: int = 1
) -> dict[str, tuple[float, float]]:
    """Best MB/s of each checkout's scanner per corpus (4 MB divided by ``scale``), the two
    alternated four times."""
    best: tuple[dict[str, float], dict[str, float]] = ({}, {})
    size = str(4_000_000 // scale)
    for turn in range(4):
        for side in (0, 1) if turn % 2 == 0 else (1, 0):
            root = (root_a, root_b)[side]
            child = subprocess.run(
                [sys.executable, "-c", SPEED_CHILD, str(root), str(ROOT), ",".join(kinds), size],
                capture_output=True,
                text=True,
                check=True,
            )
            for corpus, rate in json.loads(child.stdout).items():
                best[side][corpus] = max(best[side].get(corpus, 0.0), rate)
    return {corpus: (best[0][corpus], best[1][corpus]) for corpus in best[0]}


def main(argv: list[str] | None = None) -> None:
    """The command line: ``records`` or ``speed`` (the module's docstring)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scan_compare")
    commands = parser.add_subparsers(dest="command", required=True)
    records = commands.add_parser("records", help="every record of the document set")
    records.add_argument("out", type=Path)
    records.add_argument("--docs", type=Path, default=ROOT)
    speed = commands.add_parser("speed", help="two checkouts' scanners, alternated")
    speed.add_argument("root_a", type=Path)
    speed.add_argument("root_b", type=Path)
    speed.add_argument("kinds", nargs="*", choices=("text", "html"), default=["text", "html"])
    parser.add_argument("--quick", action="store_true", help="every size divided by 100")
    arguments = parser.parse_args(argv)
    scale = QUICK if arguments.quick else 1
    if arguments.command == "records":
        count, found = write_records(arguments.out, arguments.docs.resolve(), scale=scale)
        print(f"{count} documents, {found} records -> {arguments.out}")
        return
    rates = compare_speed(
        arguments.root_a.resolve(), arguments.root_b.resolve(), arguments.kinds, scale=scale
    )
    for corpus, (rate_a, rate_b) in rates.items():
        print(f"{corpus:16} A {rate_a:7.1f}  B {rate_b:7.1f} MB/s  B/A {rate_b / rate_a:.2f}x")


if __name__ == "__main__":
    main()
