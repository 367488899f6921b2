"""Fixtures shared by the whole suite."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_ARTICLE = ROOT / "examples" / "zelensky-stays-in-kyiv.txt"


@pytest.fixture
def sample_article_bytes() -> bytes:
    """The article this project started from (see examples/README.md)."""
    return SAMPLE_ARTICLE.read_bytes()
