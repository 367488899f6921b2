"""`archiver scan`'s compiled JSON Lines (archiver/_json_lines.c) are the Python ones in UTF-8.

``output.embed_lines_utf8`` is held to ``reference_embed_lines`` (``json_lines`` of each embed's
``to_dict()``) encoded in UTF-8, byte for byte, on embeds of any text: every control character,
C1 controls, U+2028/2029, quotes and backslashes, code points at each UTF-8 length's ends,
non-BMP characters, the empty string, None in every optional field, ints of any size, tuples
empty and long, many embeds and none. A lone surrogate, which UTF-8 cannot hold (a file name's
bytes that are not UTF-8, as Python reads them), is written as a \\u escape, as the reference
writes it, and JSON reads it back as the same str. A value the twin does not write as json would
is refused with TypeError; ``embed_lines_utf8`` then asks the reference, and returns or raises
what encoding its text does. The command prints the reference's text in UTF-8, through
typer's runner and in a child process.

``output.record_lines_utf8`` is held to ``reference_record_lines`` (``json_lines`` of the rows of
one record of a crawl: its columns, the embed's ordinal, the embed) in UTF-8 on records of the same
values under any keys, the crawl's columns among them, and embeds of any text; a record that is
not a dict of str keys, or a value the twin does not write, is refused with TypeError and the
reference answers. A crawl of two articles prints the reference's text in UTF-8, and writes it so
to ``--out FILE.jsonl``.
"""

import json
import os
import subprocess
import sys
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from archiver import _json_lines
from archiver.cli import app, output
from archiver.cli.output import (
    _EMBED_SHAPE,
    embed_lines_utf8,
    record_lines_utf8,
    reference_embed_lines,
    reference_record_lines,
    reference_row_lines,
)
from archiver.crawl import COLUMNS, scan_crawl
from archiver.crawl.rows import RECORD_COLUMNS, record_columns
from archiver.models import Embed, EmbedForm
from archiver.scan import scan_bytes
from benchmarks.scan_corpus import corpus

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "zelensky-stays-in-kyiv.txt"
compiled = _json_lines.embed_lines_utf8
compiled_records = _json_lines.record_lines_utf8
AFTER_RECORD = (("ordinal", False), *_EMBED_SHAPE)  # what a row holds after its record's columns

# Around each range json and the C1 pass escape, what each kind of str holds, each UTF-8 length's
# ends, and the lone surrogates that UTF-8 cannot hold.
SPECIAL = [
    *map(chr, range(0x21)),
    *map(chr, range(0x7E, 0xA2)),
    '"', "\\", "/", "'", "\u2028", "\u2029", "\ufeff", "é", "ÿ", "Ā", "\u07ff", "\u0800", "字",
    "\ud7ff", "\ue000", "\uffff", "\U00010000", "😀", "\U0010ffff",
    "\ud800", "\udbff", "\udc00", "\udfff",
]  # fmt: skip
LONG_MAX = 2**63 - 1
INTS = [
    0, 1, -1, 9, 10, -10, LONG_MAX, LONG_MAX + 1, -LONG_MAX - 1, -LONG_MAX - 2, 10**40, -(10**40),
]  # fmt: skip


def plain(**fields):
    """An embed whose fields not given are empty or None."""
    return Embed(**{"platform": "", "form": "", "text": "", "start": 0, "end": 0, **fields})


# Values json writes, or refuses, otherwise than the twin would: it refuses them all.
UNWRITTEN = {
    "bool": plain(start=True),
    "float": plain(end=1.0),
    "tuple-as-text": plain(text=("a",)),
    "dict": plain(handle={"a": 1}),
    "list": plain(pic_links=["a"]),
    "str-as-links": plain(pic_links="ab"),
    "int-in-links": plain(links=("a", 1)),
    "none-in-links": plain(links=(None,)),
    "tuple-subclass": plain(links=type("Links", (tuple,), {})(("a",))),
}


def assert_written(write, expected):
    """``write()`` gives ``expected`` (the reference's text) in UTF-8, byte for byte."""
    assert write() == expected.encode("utf-8")


def assert_as_the_reference(write, reference):
    """``write()`` returns what ``reference()`` in UTF-8 is, or raises what it raises."""
    try:
        expected = reference().encode("utf-8")
    except TypeError as error:
        with pytest.raises(type(error)) as raised:
            write()
        assert raised.value.args == error.args
    else:
        assert write() == expected


characters = st.one_of(st.sampled_from(SPECIAL), st.characters(exclude_categories=()))
texts = st.text(characters, max_size=12)
optional_texts = st.none() | texts
ints = st.sampled_from(INTS) | st.integers() | st.integers(-(2**200), 2**200)
short_or_long = st.lists(texts, max_size=3) | st.lists(texts, min_size=10, max_size=30)
tuples = short_or_long.map(tuple)
embeds = st.builds(
    Embed,
    platform=texts,
    form=texts,
    text=texts,
    start=ints,
    end=ints,
    handle=optional_texts,
    display_name=optional_texts,
    date=optional_texts,
    date_text=optional_texts,
    pic_links=tuples,
    links=tuples,
    status_id=optional_texts,
    status_url=optional_texts,
    lang=optional_texts,
)


def test_the_install_built_the_compiled_lines():
    # The package falls back to Python without a C compiler; this suite's installs always have one.
    assert output._compiled_embed_lines is compiled
    assert embed_lines_utf8 is not output._reference_embed_lines_utf8
    assert output._compiled_record_lines is compiled_records
    assert record_lines_utf8 is not output._reference_record_lines_utf8


def test_the_keys_are_to_dicts_in_its_order_and_only_the_tuples_listed():
    keys = list(plain().to_dict())
    assert [key for key, _ in _EMBED_SHAPE] == keys
    assert [key for key, listed in _EMBED_SHAPE if listed] == ["pic_links", "links"]


@settings(max_examples=800)
@given(st.lists(embeds, max_size=6))
def test_any_embeds_give_the_references_lines(drawn):
    expected = reference_embed_lines(drawn)
    assert_written(lambda: compiled(tuple(drawn), _EMBED_SHAPE), expected)
    assert_as_the_reference(lambda: embed_lines_utf8(drawn), lambda: expected)


@pytest.mark.parametrize("character", SPECIAL, ids=lambda c: f"U+{ord(c):04X}")
def test_each_special_character_alone_within_and_at_the_ends_of_a_field(character):
    drawn = [
        plain(text=character),
        plain(text=f"a{character}b", handle=character * 3, links=(character, "x" + character)),
        plain(platform=character + "é", lang="字" + character, pic_links=(character + "😀",)),
    ]
    assert_written(lambda: compiled(tuple(drawn), _EMBED_SHAPE), reference_embed_lines(drawn))
    for embed in drawn:
        one = partial(compiled, (embed,), _EMBED_SHAPE)
        assert_written(one, reference_embed_lines([embed]))


@pytest.mark.parametrize("number", INTS)
def test_ints_at_a_long_longs_limits_and_past_them(number):
    drawn = (plain(start=number, end=-number),)
    assert compiled(drawn, _EMBED_SHAPE) == reference_embed_lines(drawn).encode()


def test_none_in_every_optional_field_empty_tuples_and_empty_strings():
    line = compiled((plain(),), _EMBED_SHAPE)
    assert line == reference_embed_lines([plain()]).encode()
    assert b'"pic_links": [], "links": []' in line and b'"handle": null' in line


def test_no_embeds_no_text_and_many_embeds_one_line_each():
    assert compiled((), _EMBED_SHAPE) == b"" == reference_embed_lines([]).encode()
    many = [plain(text=f"post {n}\x85", start=n, links=("l",) * (n % 5)) for n in range(3000)]
    lines = compiled(tuple(many), _EMBED_SHAPE)
    assert lines == reference_embed_lines(many).encode()
    assert lines.count(b"\n") == 2999


def test_each_kind_of_str_beside_the_others():
    drawn = [plain(text="a" * 100), plain(text="é"), plain(text="字"), plain(text="😀" + "\x9b")]
    for order in (drawn, drawn[::-1]):
        assert compiled(tuple(order), _EMBED_SHAPE) == reference_embed_lines(order).encode()


def test_a_str_subclass_is_written_as_its_text():
    drawn = (plain(form=EmbedForm.STATUS_URL, links=(EmbedForm.IFRAME,)),)
    assert compiled(drawn, _EMBED_SHAPE) == reference_embed_lines(drawn).encode()


def test_keys_are_written_as_json_writes_them():
    embed = SimpleNamespace(**{'a"b': 1, "é\n": None, "\x9f": ("x",)})
    shape = (('a"b', False), ("é\n", False), ("\x9f", True))
    expected = output.json_lines([{'a"b': 1, "é\n": None, "\x9f": ["x"]}])
    assert compiled((embed,), shape) == expected.encode()
    assert compiled((embed, embed), ()) == b"{}\n{}"


@pytest.mark.parametrize("embed", UNWRITTEN.values(), ids=UNWRITTEN.keys())
def test_a_value_it_does_not_write_is_refused_and_the_reference_asked(embed):
    with pytest.raises(TypeError, match="embed_lines_utf8: field"):
        compiled((embed,), _EMBED_SHAPE)
    assert embed_lines_utf8([plain(), embed]) == reference_embed_lines([plain(), embed]).encode()


def test_a_value_the_reference_refuses_too_raises():
    with pytest.raises(TypeError):
        embed_lines_utf8([plain(links=None)])


# Embeds holding lone surrogates, as a name read from bytes that are not UTF-8 can (storable in
# archiver/store/records.py), each with the escapes its line must hold.
SURROGATES = {
    "text": ([plain(text="Київ \udce9\udcff!")], [b"\\udce9\\udcff!"]),
    "a-later-embed": (
        [plain(text="a"), plain(handle="é", links=("x", "\ud800"))],
        [b'"links": ["x", "\\ud800"]'],
    ),
}


@pytest.mark.parametrize(("drawn", "escapes"), SURROGATES.values(), ids=SURROGATES.keys())
def test_a_lone_surrogate_is_escaped_and_read_back_as_the_same_text(drawn, escapes):
    written = compiled(tuple(drawn), _EMBED_SHAPE)

    assert written == reference_embed_lines(drawn).encode("utf-8")
    assert all(escape in written for escape in escapes)
    lines = written.decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [embed.to_dict() for embed in drawn]


def test_a_key_with_a_lone_surrogate_is_escaped_too():
    key = "k\udc80"
    expected = b'{"k\\udc80": 1}'

    assert compiled((SimpleNamespace(**{key: 1}),), ((key, False),)) == expected
    assert compiled_records({key: 1}, (plain(),), (("n", False),)) == b'{"k\\udc80": 1, "n": 0}'


class AlwaysEqual(str):
    """A key that claims to equal any other and hashes as "source" does."""

    def __eq__(self, other):
        return True

    def __hash__(self):
        return hash("source")


def test_a_key_is_written_as_it_is_spelled_whatever_keys_came_before():
    shape = (("n", False),)
    for _ in range(2):  # the second time, the prefixes of the first are at hand
        assert compiled_records({"source": 1}, (plain(),), shape) == b'{"source": 1, "n": 0}'
        assert compiled_records({"a": 1, "source": 2}, (plain(),), shape) == (
            b'{"a": 1, "source": 2, "n": 0}'
        )
    assert compiled_records({AlwaysEqual("other"): 1}, (plain(),), shape) == (
        b'{"other": 1, "n": 0}'
    )


def test_records_of_more_new_keys_than_are_kept_are_each_written_as_spelled():
    for number in range(1_000):
        record = {f"key{number}": number, f"{number}key": None}
        expected = f'{{"key{number}": {number}, "{number}key": null, "n": 0}}'
        assert compiled_records(record, (plain(),), (("n", False),)) == expected.encode()


def test_a_surrogate_beside_a_value_json_refuses_is_refused_as_json_refuses_it():
    drawn = [plain(platform="\ud800", handle=b"x")]
    assert_as_the_reference(lambda: embed_lines_utf8(drawn), lambda: reference_embed_lines(drawn))


def test_a_generator_of_embeds_is_read_once():
    assert embed_lines_utf8(plain(start=n) for n in range(3)) == reference_embed_lines(
        [plain(start=n) for n in range(3)]
    ).encode("utf-8")


@pytest.mark.parametrize(
    ("embeds", "shape"),
    [
        ([plain()], _EMBED_SHAPE),
        ((plain(),), [("text", False)]),
        ((plain(),), (("text", 0),)),
        ((plain(),), (("text",),)),
        ((plain(),), ((b"text", False),)),
        ((plain(),), ("text",)),
    ],
    ids=["list-of-embeds", "list-shape", "int-listed", "one-item", "bytes-key", "bare-key"],
)
def test_bad_arguments_are_refused(embeds, shape):
    with pytest.raises(TypeError):
        compiled(embeds, shape)


def test_a_missing_field_raises_attribute_error():
    with pytest.raises(AttributeError):
        compiled((plain(),), (("body", False),))


def test_a_to_dict_that_is_not_its_fields_leaves_the_reference(monkeypatch):
    def renamed(self):
        return {"body": self.text}

    assert output._embed_shape() == _EMBED_SHAPE
    monkeypatch.setattr(Embed, "to_dict", renamed)
    assert output._embed_shape() is None
    monkeypatch.setattr(Embed, "to_dict", lambda self: {"text": self.text.upper()})
    assert output._embed_shape() is None
    monkeypatch.setattr(Embed, "to_dict", lambda self: {"links": list(self.text)})
    assert output._embed_shape() is None


def test_without_the_compiled_module_the_reference_is_bound():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.modules['archiver._json_lines'] = None\n"
            "from archiver.cli import output\n"
            "assert output.embed_lines_utf8 is output._reference_embed_lines_utf8\n"
            "assert output.record_lines_utf8 is output._reference_record_lines_utf8\n",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def generated_article(tmp_path):
    path = tmp_path / "dense.txt"
    path.write_bytes(b"".join(corpus("text", 300_000, density="sample")))
    return path


@pytest.mark.parametrize("article", ["sample", "generated"])
def test_the_command_prints_the_references_lines(article, tmp_path):
    path = SAMPLE if article == "sample" else generated_article(tmp_path)
    expected = reference_embed_lines(scan_bytes(path.read_bytes(), filename=path.name).embeds)
    assert expected.count("\n") >= (4 if article == "sample" else 250)
    result = CliRunner().invoke(app, ["scan", str(path)])
    assert result.exit_code == 0
    assert result.stdout_bytes == (expected + "\n").encode("utf-8")
    child = subprocess.run(
        [sys.executable, "-m", "archiver", "scan", str(path)], cwd=ROOT, capture_output=True
    )
    assert (child.returncode, child.stderr) == (0, b"")
    assert child.stdout == (expected + "\n").encode("utf-8")


# Records: the crawl's columns (or other str keys, none of a row's others) with values str, int or
# None, and the embeds found there.
record_values = st.one_of(texts, ints, st.none())
AFTER_KEYS = {key for key, _ in AFTER_RECORD}


def rows_of(found, embedded):
    """What the twin writes for a record of any keys: its items, the ordinal, the embed's."""
    return [{**found, "ordinal": n, **embed.to_dict()} for n, embed in enumerate(embedded)]


@st.composite
def records(draw):
    """A record (the crawl's columns, or other keys) and the embeds found there."""
    other_keys = st.lists(texts.filter(lambda key: key not in AFTER_KEYS), unique=True, max_size=5)
    keys = draw(st.just(RECORD_COLUMNS) | other_keys.map(tuple))
    values = draw(st.lists(record_values, min_size=len(keys), max_size=len(keys)))
    return dict(zip(keys, values, strict=True)), draw(st.lists(embeds, max_size=4))


def record(**values):
    """A record of the crawl's columns, None where not given."""
    return record_columns(values)


def test_a_records_columns_then_its_ordinal_and_embed_are_the_crawls_columns():
    assert (*RECORD_COLUMNS, *(key for key, _ in AFTER_RECORD)) == tuple(COLUMNS)
    assert output._record_shape() == (RECORD_COLUMNS, AFTER_RECORD)


@settings(max_examples=800)
@given(records())
def test_any_record_gives_the_references_lines(drawn):
    found, embedded = drawn
    expected = reference_row_lines(rows_of(found, embedded))
    assert_written(lambda: compiled_records(found, tuple(embedded), AFTER_RECORD), expected)
    if tuple(found) == RECORD_COLUMNS:
        assert reference_record_lines(found, embedded) == expected
    assert_as_the_reference(
        lambda: record_lines_utf8(found, embedded),
        lambda: reference_record_lines(found, embedded),
    )


@pytest.mark.parametrize("character", SPECIAL, ids=lambda c: f"U+{ord(c):04X}")
def test_each_special_character_alone_within_and_at_the_ends_of_a_record_value_or_key(character):
    found = record(source=f"a{character}b", warc_record_id=character, content_type=character + "é")
    embedded = (plain(text=character), plain(handle=character * 3, links=(character,)))
    expected = reference_record_lines(found, embedded)
    assert_written(lambda: compiled_records(found, embedded, AFTER_RECORD), expected)
    keyed = {character: 1, "k" + character: None, character + "é": "v" + character}
    expected = reference_row_lines(rows_of(keyed, embedded))
    assert_written(lambda: compiled_records(keyed, embedded, AFTER_RECORD), expected)


@pytest.mark.parametrize("number", INTS)
def test_record_ints_at_a_long_longs_limits_and_past_them(number):
    found, embedded = record(warc_offset=number, warc_length=-number), (plain(start=number),)
    expected = reference_record_lines(found, embedded).encode()
    assert compiled_records(found, embedded, AFTER_RECORD) == expected


def test_no_embeds_no_lines_and_many_embeds_one_line_each():
    assert compiled_records(record(), (), AFTER_RECORD) == b""
    assert reference_record_lines(record(), []) == ""
    many = tuple(plain(text=f"post {n}\x85", start=n, links=("l",) * (n % 5)) for n in range(3000))
    lines = compiled_records(record(source="a.txt"), many, AFTER_RECORD)
    assert lines == reference_record_lines(record(source="a.txt"), many).encode()
    assert lines.count(b"\n") == 2999
    assert b'"ordinal": 2999, ' in lines and b'"warc_offset": null' in lines


def test_each_kind_of_str_in_a_record_beside_the_others():
    embedded = (plain(text="a" * 100), plain(text="é"), plain(links=("字",)))
    for source in ("a" * 100, "é", "字", "😀\x9b"):
        found = record(source=source)
        expected = reference_record_lines(found, embedded).encode()
        assert compiled_records(found, embedded, AFTER_RECORD) == expected


def test_a_file_name_that_is_not_utf_8_is_escaped_so_its_bytes_can_be_had_back():
    # Python reads the name's bytes that are not UTF-8 as lone surrogates (b"caf\xe9" is
    # "caf\udce9"): written \udce9, JSON reads the same str back, and os.fsencode the bytes.
    names, embedded = ["/tmp/a.txt", "/tmp/caf\udce9.txt"], (plain(),)
    found = [record(source=name) for name in names]
    written = b"\n".join(compiled_records(one, embedded, AFTER_RECORD) for one in found)

    expected = "\n".join(reference_record_lines(one, embedded) for one in found)
    assert written == expected.encode("utf-8")
    assert written == b"\n".join(record_lines_utf8(one, embedded) for one in found)
    assert b'"source": "/tmp/caf\\udce9.txt"' in written
    sources = [json.loads(line)["source"] for line in written.decode("utf-8").splitlines()]
    assert [os.fsencode(source) for source in sources] == [b"/tmp/a.txt", b"/tmp/caf\xe9.txt"]


def test_str_subclasses_and_equal_keys_that_are_other_objects_are_written_as_their_text():
    embedded = (plain(form=EmbedForm.STATUS_URL),)
    for found in ({"".join(["sou", "rce"]): EmbedForm.IFRAME}, {EmbedForm.IFRAME: 1}):
        expected = reference_row_lines(rows_of(found, embedded)).encode()
        assert compiled_records(found, embedded, AFTER_RECORD) == expected


# Records json writes otherwise than the twin would: it refuses them all.
UNWRITTEN_RECORDS = {
    "int-key": {1: "a"},
    "list": {"source": ["a"]},
    "tuple": {"source": ("a",)},
    "bool": {"warc_offset": True},
    "float": {"warc_offset": 1.0},
    "dict": {"source": {"a": 1}},
}


@pytest.mark.parametrize("found", UNWRITTEN_RECORDS.values(), ids=UNWRITTEN_RECORDS.keys())
def test_a_record_it_does_not_write_is_refused_and_the_reference_asked(found):
    embedded = (plain(),)
    with pytest.raises(TypeError, match="record_lines_utf8: "):
        compiled_records(found, embedded, AFTER_RECORD)
    whole = found if 1 in found else record() | found  # the crawl's columns: the twin is tried
    assert record_lines_utf8(whole, embedded) == reference_record_lines(whole, embedded).encode()


@pytest.mark.parametrize("embed", UNWRITTEN.values(), ids=UNWRITTEN.keys())
def test_an_embed_it_does_not_write_in_a_record_is_refused_and_the_reference_asked(embed):
    embedded = (plain(), embed)
    with pytest.raises(TypeError, match="record_lines_utf8: field"):
        compiled_records(record(), embedded, AFTER_RECORD)
    expected = reference_record_lines(record(), embedded).encode()
    assert record_lines_utf8(record(), embedded) == expected


def test_a_record_of_other_columns_and_a_generator_of_embeds_are_the_references():
    found, embedded = {"source": "a.txt", "page": 2}, [plain(start=n) for n in range(3)]
    expected = reference_record_lines(found, embedded).encode()
    assert expected.startswith(b'{"source": "a.txt", "warc_offset": null')  # columns first
    assert record_lines_utf8(found, iter(embedded)) == expected
    expected = reference_record_lines(record(), embedded).encode()
    assert record_lines_utf8(record(), iter(embedded)) == expected


def test_columns_that_are_not_a_records_then_an_embeds_leave_the_reference(monkeypatch):
    monkeypatch.setattr("archiver.crawl.rows.COLUMNS", {**COLUMNS, "page": "int64"})
    output._record_shape.cache_clear()
    try:
        assert output._record_shape() is None
    finally:
        output._record_shape.cache_clear()


@pytest.mark.parametrize(
    ("found", "embedded", "shape"),
    [
        (record(), [plain()], AFTER_RECORD),
        (list(record().items()), (plain(),), AFTER_RECORD),
        (type("Record", (dict,), {})(record()), (plain(),), AFTER_RECORD),
        (record(), (plain(),), ()),
        (record(), (plain(),), list(AFTER_RECORD)),
        (record(), (plain(),), (("ordinal", 0),)),
        (record(), (plain(),), ("ordinal",)),
    ],
    ids=["list-of-embeds", "items", "dict-subclass", "empty-shape", "list-shape", "int-listed",
         "bare-key"],
)  # fmt: skip
def test_bad_record_arguments_are_refused(found, embedded, shape):
    with pytest.raises(TypeError):
        compiled_records(found, embedded, shape)


def test_a_crawl_of_two_articles_prints_the_references_lines_of_its_rows(tmp_path):
    paths = [str(SAMPLE), str(generated_article(tmp_path))]
    results = [result for result in scan_crawl(paths) if result.rows]
    assert [len(result.rows) >= 4 for result in results] == [True, True]
    for result in results:  # written by the twin, not left to the reference
        for found, embedded in result.found:
            expected = reference_record_lines(found, embedded).encode()
            assert compiled_records(found, embedded, AFTER_RECORD) == expected
            assert expected == reference_row_lines(result.rows).encode()
    expected = "".join(reference_row_lines(result.rows) + "\n" for result in results).encode()
    result = CliRunner().invoke(app, ["scan", *paths])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == expected
    out = tmp_path / "rows.jsonl"
    result = CliRunner().invoke(app, ["scan", "--out", str(out), *paths])
    assert (result.exit_code, result.stdout_bytes) == (0, b"")
    assert out.read_bytes() == expected


def wide_article(tmp_path):
    """An article whose posts hold a code point of each UTF-8 length, C1 and C0 controls, quotes
    and backslashes: str of each kind."""
    lines = [
        'Київ \x1b[31mred\x1b[0m \x9b2J "q" \\ — Ім\'я (@kyiv) May 1, 2022',
        "plain ascii post — Ann (@ann) May 2, 2022",
        "字 \u0800 \u07ff ÿ \x85 — 名前 (@jp) May 3, 2022",
        "stays 😀 \U0010ffff \U00010000 \uffff — Emo (@emo) May 4, 2022",
    ]
    path = tmp_path / "wide.txt"
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("how", ["file", "stdin", "files", "out"])
def test_the_command_writes_the_references_text_in_utf_8_for_every_width(how, tmp_path):
    path = wide_article(tmp_path)
    embeds = scan_bytes(path.read_bytes(), filename=path.name).embeds
    assert len(embeds) == 4
    if how in ("file", "stdin"):
        expected = (reference_embed_lines(embeds) + "\n").encode()
    else:
        rows = next(result.rows for result in scan_crawl([str(path)]) if result.rows)
        expected = (reference_row_lines(rows) + "\n").encode() * 2
    args = {
        "file": [str(path)],
        "stdin": ["-"],
        "files": [str(path), str(path)],
        "out": ["--out", str(tmp_path / "rows.jsonl"), str(path), str(path)],
    }[how]
    child = subprocess.run(
        [sys.executable, "-m", "archiver", "scan", *args],
        cwd=ROOT,
        input=path.read_bytes() if how == "stdin" else None,
        capture_output=True,
    )
    assert (child.returncode, child.stderr) == (0, b"")
    written = (tmp_path / "rows.jsonl").read_bytes() if how == "out" else child.stdout
    assert written == expected
    assert b"\x1b" not in written and "\x9b".encode() not in written
    assert b"\\u001b[31mred" in written and b"\\u009b2J" in written
