"""The scannable records of a WARC file, with their offsets, and what goes wrong with one record."""

import io

import pytest
from crawl_samples import HTML, MILLER, filler_page, quoting_page, write_warc

from archiver.errors import InputError
from archiver.sources.warc_records import RecordFailure, record_at, scannable_records

PAGES = [
    ("https://news.example/a", HTML, filler_page(1)),
    ("https://news.example/logo.png", "image/png", b"\x89PNG" * 4),
    ("https://news.example/b", "text/plain", b"plain words"),
    ("https://news.example/c", HTML, quoting_page("C", MILLER)),
]


@pytest.fixture(params=[True, False], ids=["gzip", "plain"])
def warc(request, tmp_path):
    name = "crawl.warc.gz" if request.param else "crawl.warc"
    return write_warc(tmp_path / name, PAGES, gzip=request.param)


def test_html_and_text_responses_with_their_offsets_and_headers(warc):
    with warc.open("rb") as handle:
        records = list(scannable_records(handle))
    assert [(r.target_uri, r.content) for r in records] == [
        (url, body) for url, content_type, body in PAGES if content_type != "image/png"
    ]
    data = warc.read_bytes()
    for record in records:
        again = record_at(warc, record.offset)
        assert again == record
        # the record's bytes, cut out of the file, read alone as the same record
        alone = data[record.offset : record.offset + record.length]
        assert list(scannable_records(io.BytesIO(alone))) == [
            type(record)(**{**_fields(record), "offset": 0})
        ]


def test_a_body_cut_short_is_a_failure_at_its_record(warc, tmp_path):
    with warc.open("rb") as handle:
        last = list(scannable_records(handle))[-1]
    cut = tmp_path / warc.name.replace("crawl", "cut")
    cut.write_bytes(warc.read_bytes()[: last.offset + last.length - 30])
    with cut.open("rb") as handle:
        items = list(scannable_records(handle))
    assert [type(item) for item in items] == [type(last), type(last), RecordFailure]
    assert items[-1].offset == last.offset


def test_a_record_over_the_limit_is_a_failure(warc):
    with warc.open("rb") as handle:
        items = list(scannable_records(handle, max_bytes=100))
    assert [item.reason for item in items if isinstance(item, RecordFailure)] == [
        "more than the 100-byte limit",
        "more than the 100-byte limit",
    ]


def test_bytes_that_are_no_warc_record_stop_the_file_with_a_failure(tmp_path):
    good = write_warc(tmp_path / "good.warc.gz", PAGES)
    broken = tmp_path / "broken.warc.gz"
    data = good.read_bytes()
    broken.write_bytes(data + b"\x1f\x8b\x08garbage that is not a gzip member")
    with broken.open("rb") as handle:
        items = list(scannable_records(handle))
    assert isinstance(items[-1], RecordFailure)
    assert items[-1].offset == len(data)


@pytest.mark.parametrize("content", [b"", b"<html>a saved page</html>", b"\x1f\x8b\x08\x00junk"])
def test_a_file_that_is_no_warc_at_all_raises(tmp_path, content):
    path = tmp_path / "x.warc.gz"
    path.write_bytes(content)
    with path.open("rb") as handle, pytest.raises(InputError, match="not a WARC file"):
        list(scannable_records(handle))


def test_no_record_at_an_offset_where_none_begins(warc):
    with pytest.raises(InputError):
        record_at(warc, 7)


def _fields(record):
    return {name: getattr(record, name) for name in record.__slots__}
