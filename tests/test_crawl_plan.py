"""A crawl's tasks name each file by its real path (pathlib's ``resolve``), however the command
line spelled it: through symbolic links to files and folders, ``..``, relative or absolute; a path
that does not exist stays as given, for its failure to name it as the reader wrote it."""

import os
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.crawl import Task, scan_crawl
from archiver.crawl.tasks import _file_name, plan


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """articles/a.txt and b.html, a folder linked to it, a file linked to a.txt, a broken link,
    a link to itself; the working directory is ``tmp_path``."""
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text("one")
    (articles / "b.html").write_text("<p>two</p>")
    (tmp_path / "linked").symlink_to(articles, target_is_directory=True)
    (tmp_path / "a-link.txt").symlink_to(articles / "a.txt")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path


SPELLINGS = [
    "articles/a.txt",
    "./articles/b.html",
    "articles//a.txt",
    "linked/a.txt",
    "linked/../articles/b.html",
    "linked/./b.html",
    "a-link.txt",
    "articles",
    "articles/",
    "linked",
    ".",
    "articles/..",
    "broken.txt",
    "loop.txt",
    "missing.txt",
    "articles/missing.txt",
    "articles/a.txt/",
]


def expected(spelling: str) -> str:
    path = Path(spelling)
    return str(path.resolve()) if path.exists() else spelling


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_each_spelling_is_named_by_its_real_path(tree, spelling):
    assert plan([spelling]) == [Task(expected(spelling))]
    assert plan([str(tree / spelling)]) == [Task(expected(str(tree / spelling)))]


def test_files_of_one_folder_keep_their_own_names_across_a_long_list(tree):
    listed = [spelling for spelling in SPELLINGS for _ in range(3)]

    assert plan(listed) == [Task(expected(spelling)) for spelling in listed]


def test_a_folder_replaced_by_a_link_between_two_crawls_is_resolved_afresh(tree):
    assert plan(["linked/a.txt"]) == [Task(str(tree / "articles" / "a.txt"))]
    elsewhere = tree / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.txt").write_text("moved")
    os.remove(tree / "linked")
    (tree / "linked").symlink_to(elsewhere, target_is_directory=True)

    assert plan(["linked/a.txt"]) == [Task(str(elsewhere / "a.txt"))]


def test_a_folder_given_as_an_article_fails_with_its_reason_and_the_rest_is_scanned(tree):
    results = list(scan_crawl(["articles", "articles/a.txt", "missing.txt"]))

    assert [failure.reason for result in results for failure in result.failures] == [
        "a folder; give article or WARC files",
        "No such file or directory",
    ]
    assert [failure.source for result in results for failure in result.failures] == [
        str(tree / "articles"),
        "missing.txt",
    ]
    assert results[1].records == 1 and not results[1].failures


@settings(max_examples=500)
@given(st.lists(st.sampled_from(["/", ".", "..", "a", "b.warc", ".gz", "?", " ", "é"]), max_size=9))
def test_a_tasks_file_name_is_pathlibs(pieces):
    source = "".join(pieces)
    assert _file_name(source) == PurePosixPath(source).name


@pytest.mark.parametrize(
    ("source", "warc"),
    [
        ("/data/a.warc", True),
        ("/data/a.WARC.gz", True),
        ("/data/a.warc.gz/", True),
        ("/data/a.warc/.", True),
        ("https://data.example/a.warc.gz?signature=x", True),
        ("/data/a.warc.txt", False),
        ("/data/warc", False),
        ("/data/a.txt?.warc", False),
    ],
)
def test_a_task_is_a_warc_by_its_files_name(source, warc):
    assert Task(source).is_warc is warc


def test_a_file_in_the_root_folder_is_named_by_its_real_path(tmp_path, monkeypatch):
    at_root = [entry.path for entry in os.scandir("/") if entry.is_file(follow_symlinks=False)]
    if not at_root:
        pytest.skip("no plain file in / on this machine")
    monkeypatch.chdir(tmp_path)  # elsewhere than "/", where a relative name is looked for
    assert plan([at_root[0], "/" + at_root[0]]) == [Task(at_root[0])] * 2
    monkeypatch.chdir("/")
    assert plan([at_root[0].lstrip("/")]) == [Task(at_root[0])]
