"""`python -m benchmarks.scan_compare`: the records two scanners give, and their speed, compared."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

import benchmarks.scan_compare as scan_compare

LINE = (
    "We stay. pic.twitter.com/bgHyrsbVFs — Christopher Miller (@ChristopherJM) February 25, 2022\n"
)


def make_docs(root):
    (root / "tests" / "fixtures").mkdir(parents=True)
    (root / "examples").mkdir()
    (root / "tests" / "fixtures" / "article.txt").write_text(LINE, encoding="utf-8")
    (root / "tests" / "test_made_up.py").write_text(f"SHOWN = {LINE!r}\n", encoding="utf-8")
    return root


def records(path):
    return {name: embeds for name, _kind, _title, embeds in map(json.loads, path.open())}


def test_the_records_of_a_document_set_are_written_the_same_each_time(tmp_path):
    docs = make_docs(tmp_path / "docs")
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    for out in (first, second):
        command = [sys.executable, "-m", "benchmarks.scan_compare", "--quick", "records"]
        done = subprocess.run(
            [*command, str(out), "--docs", str(docs)], cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert f"records -> {out}" in done.stdout
    assert first.read_bytes() == second.read_bytes()
    found = records(first)
    for name in ("file:tests/fixtures/article.txt", "file-text:tests/fixtures/article.txt"):
        [embed] = found[name]
        assert embed[:2] == ["twitter", "text_attribution"] and "ChristopherJM" in embed
    assert [embed[2] for embed in found["literal-text:0"]] == [
        "We stay. pic.twitter.com/bgHyrsbVFs"
    ]
    assert any(name.startswith("corpus:html:sample:") for name in found)
    assert any(name.startswith("mutated:") for name in found)


def test_a_scanner_that_reads_one_post_otherwise_writes_other_records(tmp_path, monkeypatch):
    docs = make_docs(tmp_path / "docs")
    before, after = tmp_path / "before.jsonl", tmp_path / "after.jsonl"
    scan_compare.write_records(before, docs, scale=scan_compare.QUICK)
    real_scan_text = scan_compare.scan_text

    def shows_one_word_less(document, *, kind):
        return real_scan_text(document.replace("We stay.", "We"), kind=kind)

    monkeypatch.setattr(scan_compare, "scan_text", shows_one_word_less)
    scan_compare.write_records(after, docs, scale=scan_compare.QUICK)
    changed = {name for name, embeds in records(before).items() if records(after)[name] != embeds}
    assert "literal-text:0" in changed and "file-text:tests/fixtures/article.txt" in changed
    assert "file:tests/fixtures/article.txt" not in changed  # scanned as bytes, not patched


def test_the_speed_of_two_checkouts_prints_a_row_per_corpus_with_their_ratio(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.scan_compare", "--quick", "speed", ".", ".", "text"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["text/sample", "text/dense", "text/realistic"]
    for line in lines:
        rate_a, rate_b = float(line.split()[2]), float(line.split()[4])
        ratio = float(line.split()[-1].removesuffix("x"))
        # the rates are printed to 0.1 MB/s and the ratio is of the unrounded ones
        lowest, highest = (rate_b - 0.05) / (rate_a + 0.05), (rate_b + 0.05) / (rate_a - 0.05)
        assert rate_a > 0 and rate_b > 0 and lowest - 0.005 <= ratio <= highest + 0.005
