"""Fixtures shared by the whole suite, and the Hypothesis profiles."""

import os
from pathlib import Path

import pytest
from cron_samples import RECORDINGS, archive_into, copy_archive
from hypothesis import HealthCheck, settings

from archiver.replay import ReplayServer

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_ARTICLE = ROOT / "examples" / "zelensky-stays-in-kyiv.txt"

# No test asserts a duration (speed lives in `make bench`), so no profile has a deadline: a mutated
# payload holding a 10 MB string legitimately takes longer than Hypothesis's default 200 ms.
settings.register_profile("suite", deadline=None)
# `make fuzz`: HYPOTHESIS_PROFILE=fuzz, with ARCHIVER_FUZZ_EXAMPLES examples per fuzz test (tests
# that set no max_examples of their own); `make test` uses `suite`.
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("ARCHIVER_FUZZ_EXAMPLES", "10000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


@pytest.fixture
def sample_article_bytes() -> bytes:
    """The article this project started from (see examples/README.md)."""
    return SAMPLE_ARTICLE.read_bytes()


@pytest.fixture
def replay_server():
    """A replay server on 127.0.0.1 (a free port), empty: tests add exchanges with ``.add``."""
    from archiver.replay import ReplayServer

    with ReplayServer() as server:
        yield server


@pytest.fixture
def replay_config(replay_server):
    """Build a ClientConfig rerouted to ``replay_server``: ``replay_config(retries=1, ...)``.

    Backoff is shortened so retries cost milliseconds; nothing global is set.
    """
    from archiver.fetch import ClientConfig

    def make(**changes):
        settings = {
            "reroute": replay_server.url,
            "backoff_base": 0.001,
            "backoff_cap": 0.01,
            "per_host_rate": None,
        }
        return ClientConfig(**{**settings, **changes})

    return make


@pytest.fixture(scope="session")
def archived_sample_db(tmp_path_factory) -> Path:
    """An archive.db holding the sample article, archived from the demo recordings, and a live blog
    with a hostile post, a vanished post, a post deleted before archiving and an unresolved quote
    (tests/archived_sample.py). Shared by the session: read it, never write to it.

    Built with the store's writers until `archiver archive` runs through the replay server; the
    live blog's rows come from hand-made answers either way.
    """
    from archived_sample import build_archived_sample

    return build_archived_sample(tmp_path_factory.mktemp("archived-sample") / "archive.db")


# The sample archived once per module, as tests/test_recheck.py and tests/test_verify.py use it.
@pytest.fixture(scope="module")
def archived_sample(tmp_path_factory):
    """The sample article archived at T0 through the demo recordings (once per module)."""
    path = tmp_path_factory.mktemp("sample") / "archive.db"
    with ReplayServer(RECORDINGS) as server:
        summary = archive_into(path, server.url)
    assert summary.ok and summary.counts["posts_fetched"] == 5, summary
    return path


@pytest.fixture
def db_path(archived_sample, tmp_path):
    """A copy of ``archived_sample`` of the test's own."""
    return copy_archive(archived_sample, tmp_path / "archive.db")


@pytest.fixture
def replay():
    """The replay server over the demo recordings."""
    with ReplayServer(RECORDINGS) as server:
        yield server
