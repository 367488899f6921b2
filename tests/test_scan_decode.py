"""Article bytes in any encoding -> text; text or HTML from the content type, name or bytes."""

import codecs
import subprocess
from pathlib import Path

import pytest

from archiver.scan import scan_bytes
from archiver.scan.decode import decode
from archiver.scan.kind import SNIFF_CHARS, detect_kind

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zelensky-stays-in-kyiv.txt"

ATTRIBUTION = "Nous restons ici. — Élise Martin (@elise_m) 25 février 2022"


def test_utf8_without_a_declaration():
    assert decode(ATTRIBUTION.encode()) == (ATTRIBUTION, "utf-8")


@pytest.mark.parametrize(
    "bom, codec, name",
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    ],
)
def test_a_byte_order_mark_decides_and_is_not_part_of_the_text(bom, codec, name):
    data = bom + ATTRIBUTION.encode(codec)
    assert decode(data, content_type="text/plain; charset=iso-8859-1") == (ATTRIBUTION, name)


def test_a_windows_1252_page_declared_in_a_meta_tag():
    page = (
        '<html><head><meta charset="windows-1252"><title>Caf\xe9</title></head><body>'
        "<p>Nous restons ici. \x97 \xc9lise Martin (@elise_m) 25 f\xe9vrier 2022</p></body></html>"
    ).encode("latin-1")
    result = scan_bytes(page)
    assert (result.kind, result.encoding, result.title) == ("html", "windows-1252", "Café")
    assert [(e.display_name, e.date, e.text) for e in result.embeds] == [
        ("Élise Martin", "2022-02-25", "Nous restons ici.")
    ]


def test_latin1_labels_read_as_windows_1252_like_browsers_do():
    data = b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">\x93Hi\x94'
    assert decode(data) == (data[:-4].decode("ascii") + "“Hi”", "windows-1252")


def test_an_xml_declaration():
    data = '<?xml version="1.0" encoding="ISO-8859-2"?><html><p>Łódź</p></html>'.encode(
        "iso-8859-2"
    )
    assert decode(data) == (data.decode("iso-8859-2"), "iso8859-2")


def test_the_http_charset_when_the_page_declares_none():
    data = "Мы остаемся здесь.".encode("koi8-r")
    assert decode(data, content_type="text/plain; charset=KOI8-R") == (
        "Мы остаемся здесь.",
        "koi8-r",
    )


def test_the_page_declaration_comes_before_the_http_charset():
    data = '<meta charset="utf-8"><p>Łódź</p>'.encode()
    assert decode(data, content_type="text/html; charset=iso-8859-1") == (data.decode(), "utf-8")


@pytest.mark.parametrize(
    "data",
    [
        b'<meta charset="no-such-charset"><p>caf\xc3\xa9</p>',
        b'<meta charset="utf-16"><p>caf\xc3\xa9</p>',
    ],
)
def test_unusable_declarations_fall_back_to_utf8(data):
    assert decode(data) == (data.decode(), "utf-8")


@pytest.mark.parametrize(
    "label",
    [
        "rot13",
        "base64",
        "zlib",
        "undefined",
        "idna",
        "punycode",
        "unicode_escape",
        "utf-7",
        "cp037",
    ],
)
def test_a_charset_that_cannot_be_a_page_encoding_is_ignored(label):
    data = f'<meta charset="{label}"><p>caf\xe9 \\x41 +AGEAYgBj-</p>'.encode("latin-1")
    assert decode(data) == (data.decode("cp1252"), "windows-1252 (guessed)")
    assert decode(b"plain", content_type=f"text/plain; charset={label}") == ("plain", "utf-8")


def test_windows_code_pages_go_by_their_web_names():
    data = '<meta charset="windows-1251"><p>Киев</p>'.encode("cp1251")
    assert decode(data) == (data.decode("cp1251"), "windows-1251")


def test_undeclared_bytes_that_are_not_utf8_are_read_as_windows_1252_and_said_to_be_a_guess():
    data = b"Kyiv \x93tonight\x94 \x97 caf\xe9"
    assert decode(data) == ("Kyiv “tonight” — café", "windows-1252 (guessed)")


def test_the_sample_article_saved_as_windows_1252_keeps_its_five_posts(sample_article_bytes):
    # As `iconv -f utf-8 -t cp1252//TRANSLIT` saves it: emoji become "?" (issue 15, defect 1).
    data = sample_article_bytes.decode("utf-8").encode("cp1252", errors="replace")
    result = scan_bytes(data)
    assert result.encoding == "windows-1252 (guessed)"
    original = scan_bytes(sample_article_bytes).embeds
    assert [(e.handle, e.date, e.pic_links) for e in result.embeds] == [
        (e.handle, e.date, e.pic_links) for e in original
    ]
    assert len(result.embeds) == 5


def test_bytes_neither_utf8_nor_windows_1252_are_read_with_replacement_characters():
    data = b"Kyiv \x81\x8d tonight \xc3 ok"
    assert decode(data) == ("Kyiv \ufffd\ufffd tonight \ufffd ok", "utf-8 (replaced)")


def test_a_declared_utf8_that_is_not_is_reported_as_replaced():
    assert decode(b'<meta charset="UTF-8">\xe9t\xe9') == (
        '<meta charset="UTF-8">\ufffdt\ufffd',
        "utf-8 (replaced)",
    )


@pytest.mark.parametrize(
    "document, content_type, filename, kind",
    [
        ("<p>a</p><p>b</p><p>c</p>", "text/plain; charset=utf-8", None, "text"),
        ("plain words", "text/html", None, "html"),
        ("plain words", "application/xhtml+xml", None, "html"),
        ("plain words", None, "article.HTM", "html"),
        ("<p>a</p><p>b</p><p>c</p>", None, "notes.md", "text"),
        ("<!DOCTYPE html><title>x</title>", None, None, "html"),
        ("\n  <!-- saved page --><html lang=en>", None, None, "html"),
        ('<?xml version="1.0"?><html>', None, None, "html"),
        ("<div>one</div> <p>two</p> <br>", None, "article", "html"),
        ("I <3 Kyiv. a<b and b>c; <p> once.", None, None, "text"),
        ("", None, None, "text"),
        ("", "", "", "text"),
        ("x" * SNIFF_CHARS + "<html><p>a</p><p>b</p><p>c</p>", None, None, "text"),
        ("x" * (SNIFF_CHARS - 9) + "<p><p><p>", None, None, "html"),
    ],
)
def test_text_or_html(document, content_type, filename, kind):
    assert detect_kind(document, content_type=content_type, filename=filename) == kind


@pytest.mark.parametrize("charset", ["cp1252", "latin1"])
def test_the_sample_article_as_iconv_saves_it_keeps_its_five_posts(charset, tmp_path):
    # What a text export leaves: `iconv -f utf-8 -t CHARSET//TRANSLIT` (dashes become "--" in
    # Latin-1, emoji "?"), with no charset declared anywhere.
    converted = subprocess.run(
        ["iconv", "-f", "utf-8", "-t", f"{charset}//TRANSLIT", str(SAMPLE)],
        capture_output=True,
        check=True,
    ).stdout
    original = scan_bytes(SAMPLE.read_bytes()).embeds
    result = scan_bytes(converted)
    assert [(e.handle, e.display_name, e.date, e.pic_links) for e in result.embeds] == [
        (e.handle, e.display_name, e.date, e.pic_links) for e in original
    ]
