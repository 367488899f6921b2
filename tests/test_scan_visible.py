"""The visible text of a stretch of HTML maps back to its source (archiver/scan/visible.py)."""

from hypothesis import given
from hypothesis import strategies as st

from archiver.scan.visible import visible_text

PIECES = st.sampled_from(
    ["<p>", "</p>", "<br>", "<pre>", "</pre>", "<div>", "<a href='x'>", "</a>", "<script>",
     "x</script>", "<!--", "-->", "<", ">", "&", "&amp;", "&mdash;", "&bogus;", "text", " ",
     "\n", "é", "🇺🇦", "(@a) May 1, 2022"]
)  # fmt: skip


@given(st.lists(PIECES, max_size=30).map("".join), st.data())
def test_chars_until_counts_the_characters_that_sit_at_or_before_a_position(source, data):
    start = data.draw(st.integers(0, len(source)))
    end = data.draw(st.integers(start, len(source)))
    seen = visible_text(source, start, end)
    starts = [seen.source_start(index) for index in range(len(seen.text))]
    assert starts == sorted(starts)
    for position in range(-1, len(source) + 2):
        assert seen.chars_until(position) == sum(1 for at in starts if at <= position)
