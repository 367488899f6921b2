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

``output.row_lines_utf8`` is held to ``reference_row_lines`` (``json_lines`` of a crawl's rows)
in UTF-8 on rows of the same values under any keys, the crawl's columns among them; a row that is
not a dict with exactly the first row's keys in their order, or a value the twin does not write,
is refused with TypeError and the reference answers. A crawl of two articles prints the
reference's text in UTF-8, and writes it so to ``--out FILE.jsonl``.
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
    reference_embed_lines,
    reference_row_lines,
    row_lines_utf8,
)
from archiver.crawl import COLUMNS, scan_crawl
from archiver.models import Embed, EmbedForm
from archiver.scan import scan_bytes
from benchmarks.scan_corpus import corpus

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "zelensky-stays-in-kyiv.txt"
compiled = _json_lines.embed_lines_utf8
compiled_rows = _json_lines.row_lines_utf8

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
    assert output._compiled_row_lines is compiled_rows
    assert row_lines_utf8 is not output._reference_row_lines_utf8


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
    assert compiled_rows([{key: 1}], (key,)) == expected == reference_row_lines([{key: 1}]).encode()


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
            "assert output.row_lines_utf8 is output._reference_row_lines_utf8\n",
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


# Rows: flat dicts, the same keys in the same order, values str, int, None or a list of str.
ROW_KEYS = tuple(COLUMNS)
row_values = st.one_of(texts, ints, st.none(), short_or_long)


@st.composite
def keyed_rows(draw):
    """Keys (the crawl's columns, or any distinct strs) and rows of those keys in that order."""
    keys = draw(st.just(ROW_KEYS) | st.lists(texts, unique=True, max_size=5).map(tuple))
    lines = st.lists(row_values, min_size=len(keys), max_size=len(keys))
    drawn = draw(st.lists(lines, max_size=6))
    return keys, [dict(zip(keys, values, strict=True)) for values in drawn]


def row(**values):
    """A crawl row whose columns not given are None."""
    return dict.fromkeys(ROW_KEYS) | values


@settings(max_examples=800)
@given(keyed_rows())
def test_any_rows_give_the_references_lines(drawn):
    keys, rows = drawn
    expected = reference_row_lines(rows)
    assert_written(lambda: compiled_rows(rows, keys), expected)
    assert_as_the_reference(lambda: row_lines_utf8(rows), lambda: expected)


@pytest.mark.parametrize("character", SPECIAL, ids=lambda c: f"U+{ord(c):04X}")
def test_each_special_character_alone_within_and_at_the_ends_of_a_row_value_or_key(character):
    rows = [
        row(text=character),
        row(source=f"a{character}b", handle=character * 3, links=[character, "x" + character]),
        row(platform=character + "é", lang="字" + character, pic_links=[character + "😀"]),
    ]
    assert_written(lambda: compiled_rows(rows, ROW_KEYS), reference_row_lines(rows))
    for one in rows:
        assert_written(partial(compiled_rows, [one], ROW_KEYS), reference_row_lines([one]))
    keyed = [{character: 1, "k" + character: None, character + "é": [character]}]
    assert_written(lambda: compiled_rows(keyed, tuple(keyed[0])), reference_row_lines(keyed))


@pytest.mark.parametrize("number", INTS)
def test_row_ints_at_a_long_longs_limits_and_past_them(number):
    rows = [row(warc_offset=number, ordinal=-number, end=number)]
    assert compiled_rows(rows, ROW_KEYS) == reference_row_lines(rows).encode()


def test_no_rows_empty_rows_and_many_rows_one_line_each():
    assert compiled_rows([], ROW_KEYS) == b"" == reference_row_lines([]).encode()
    assert compiled_rows([{}, {}], ()) == b"{}\n{}" == reference_row_lines([{}, {}]).encode()
    many = [row(text=f"post {n}\x85", ordinal=n, links=["l"] * (n % 5)) for n in range(3000)]
    lines = compiled_rows(many, ROW_KEYS)
    assert lines == reference_row_lines(many).encode()
    assert lines.count(b"\n") == 2999
    assert b'"pic_links": null' in lines and b'"links": []' in lines


def test_each_kind_of_str_in_rows_beside_the_others():
    rows = [row(text="a" * 100), row(text="é"), row(links=["字"]), row(source="😀\x9b")]
    for order in (rows, rows[::-1]):
        assert compiled_rows(order, ROW_KEYS) == reference_row_lines(order).encode()


def test_a_file_name_that_is_not_utf_8_is_escaped_so_its_bytes_can_be_had_back():
    # Python reads the name's bytes that are not UTF-8 as lone surrogates (b"caf\xe9" is
    # "caf\udce9"): written \udce9, JSON reads the same str back, and os.fsencode the bytes.
    rows = [row(source="/tmp/a.txt", ordinal=0), row(source="/tmp/caf\udce9.txt", ordinal=0)]
    written = compiled_rows(rows, ROW_KEYS)

    assert written == reference_row_lines(rows).encode("utf-8") == row_lines_utf8(rows)
    assert b'"source": "/tmp/caf\\udce9.txt"' in written
    sources = [json.loads(line)["source"] for line in written.decode("utf-8").splitlines()]
    assert [os.fsencode(source) for source in sources] == [b"/tmp/a.txt", b"/tmp/caf\xe9.txt"]


def test_str_subclasses_and_equal_keys_that_are_other_objects_are_written_as_their_text():
    key = "".join(["pl", "atform"])
    rows = [{key: EmbedForm.IFRAME, "links": [EmbedForm.STATUS_URL]}]
    assert compiled_rows(rows, ("platform", "links")) == reference_row_lines(rows).encode()
    subclass_keyed = [{EmbedForm.IFRAME: 1}]
    expected = reference_row_lines(subclass_keyed).encode()
    assert compiled_rows(subclass_keyed, ("iframe",)) == expected


# Rows json writes otherwise than the twin would, or whose keys are not the ones given.
UNWRITTEN_ROWS = {
    "missing-key": [{"a": 1, "b": 2}, {"a": 1}],
    "extra-key": [{"a": 1, "b": 2}, {"a": 1, "b": 2, "c": 3}],
    "other-order": [{"a": 1, "b": 2}, {"b": 2, "a": 1}],
    "other-key": [{"a": 1, "b": 2}, {"a": 1, "c": 2}],
    "int-key": [{"a": 1, "b": 2}, {"a": 1, 2: 2}],
    "tuple": [{"a": 1, "b": ("x",)}],
    "bool": [{"a": True, "b": 2}],
    "float": [{"a": 1, "b": 2.0}],
    "dict": [{"a": 1, "b": {"c": 1}}],
    "int-in-list": [{"a": 1, "b": ["x", 1]}],
    "none-in-list": [{"a": 1, "b": [None]}],
    "list-subclass": [{"a": 1, "b": type("Links", (list,), {})(["x"])}],
    "not-a-dict": [{"a": 1, "b": 2}, ["a", "b"]],
    "dict-subclass": [{"a": 1, "b": 2}, type("Row", (dict,), {})(a=1, b=2)],
}


@pytest.mark.parametrize("rows", UNWRITTEN_ROWS.values(), ids=UNWRITTEN_ROWS.keys())
def test_a_row_it_does_not_write_is_refused_and_the_reference_asked(rows):
    with pytest.raises(TypeError, match="row_lines_utf8: "):
        compiled_rows(rows, ("a", "b"))
    assert row_lines_utf8(rows) == reference_row_lines(rows).encode()


def test_a_first_row_that_is_not_a_dict_leaves_the_reference():
    rows = [["a"], {"a": 1}]
    with pytest.raises(TypeError, match="row_lines_utf8: row 0 is list"):
        compiled_rows(rows, ())
    assert row_lines_utf8(rows) == b'["a"]\n{"a": 1}'


def test_a_generator_of_rows_is_read_once():
    assert row_lines_utf8(row(ordinal=n) for n in range(3)) == reference_row_lines(
        [row(ordinal=n) for n in range(3)]
    ).encode("utf-8")


@pytest.mark.parametrize(
    ("rows", "keys"),
    [
        ((row(),), ROW_KEYS),
        ([row()], list(ROW_KEYS)),
        ([{"a": 1}], (b"a",)),
        ([{1: 1}], (1,)),
    ],
    ids=["tuple-of-rows", "list-keys", "bytes-key", "int-key"],
)
def test_bad_row_arguments_are_refused(rows, keys):
    with pytest.raises(TypeError):
        compiled_rows(rows, keys)


def test_a_crawl_of_two_articles_prints_the_references_lines_of_its_rows(tmp_path):
    paths = [str(SAMPLE), str(generated_article(tmp_path))]
    results = [result for result in scan_crawl(paths) if result.rows]
    assert [len(result.rows) >= 4 for result in results] == [True, True]
    for result in results:  # written by the twin, not left to the reference
        expected = reference_row_lines(result.rows).encode()
        assert compiled_rows(result.rows, ROW_KEYS) == expected
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
