"""Coverage-guided fuzzing with atheris (libFuzzer) over the Hypothesis fuzz tests' properties.

``python tests/fuzz_atheris.py TARGET -atheris_runs=N`` feeds libFuzzer's inputs to one test's
``hypothesis.fuzz_one_input``: the same strategies and invariants as ``make fuzz``'s Hypothesis
run, steered by the coverage of archiver's own code (instrumented on import). Not collected by
pytest; ``make fuzz`` runs every target when atheris installs (it has wheels for CPython on
Linux x86-64).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["archiver"]):
    import test_atproto_proof
    import test_fuzz_payloads
    import test_fuzz_scan

TARGETS = {
    "scan-bytes": test_fuzz_scan.test_arbitrary_bytes,
    "scan-attributions": test_fuzz_scan.test_attribution_lines_that_almost_are,
    "scan-blockquotes": test_fuzz_scan.test_blockquotes_that_almost_are,
    "syndication": test_fuzz_payloads.test_mutated_syndication_answers,
    "oembed": test_fuzz_payloads.test_mutated_oembed_answers,
    "bluesky": test_fuzz_payloads.test_mutated_bluesky_threads,
    "mastodon": test_fuzz_payloads.test_mutated_mastodon_statuses,
    "any-answer": test_fuzz_payloads.test_any_status_and_body,
    "did-document": test_fuzz_payloads.test_mutated_did_documents,
    "atproto-car": test_atproto_proof.test_any_damage_to_a_car_gives_a_reason_never_an_exception,
}


def main(argv: list[str]) -> None:
    if argv[1:] == ["--list"]:
        print("\n".join(TARGETS))
        return
    if len(argv) < 2 or argv[1] not in TARGETS:
        sys.exit(f"usage: {argv[0]} TARGET [libFuzzer flags]; targets: {', '.join(TARGETS)}")
    atheris.Setup([argv[0], *argv[2:]], TARGETS[argv[1]].hypothesis.fuzz_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
