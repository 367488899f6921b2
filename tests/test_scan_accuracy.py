"""The accuracy report: docs/scan-accuracy.md shows what `python -m benchmarks.scan_accuracy` says."""

from pathlib import Path

from benchmarks.scan_accuracy import derive, markdown, measure

DOC = Path(__file__).resolve().parent.parent / "docs" / "scan-accuracy.md"


def test_the_documented_report_is_the_scripts_output():
    text = DOC.read_text(encoding="utf-8")
    start = text.index("\n", text.index("<!-- report")) + 1
    assert text[start : text.index("<!-- /report -->")] == markdown(measure()) + "\n"


def test_every_post_of_the_corpus_is_found_with_its_handle_date_and_pictures():
    outcomes = measure()
    assert all(o.matched == o.labels == o.found for o in outcomes)
    assert all(o.right[f] == o.matched for o in outcomes for f in ("handle", "date", "pic_links"))


def test_an_old_export_copy_drops_the_dash_and_glues_the_next_paragraph():
    post = {"display_name": "Ann", "handle": "ann", "date_text": "May 1, 2022"}
    doc = "We stay. — Ann (@ann) May 1, 2022\n\nProse.\n"
    assert derive(doc, "dashless", [post]) == "We stay.  Ann (@ann) May 1, 2022\n\nProse.\n"
    assert derive(doc, "dashless-glued", [post]) == "We stay.  Ann (@ann) May 1, 2022Prose.\n"
