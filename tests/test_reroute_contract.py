"""ARCHIVER_REROUTE is a contract, the layout ``/HOST/PATH?QUERY``: a server that knows only that
layout (no ``/__replay__/`` API, no DNS table) serves a whole archive run; names then count as
public and literal private addresses are refused as ever."""

import asyncio
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from conftest import ROOT, SAMPLE_ARTICLE
from fake_internet import Answer, FakeInternet, request_key
from typer.testing import CliRunner

from archiver.cli import app
from archiver.errors import BlockedRequest, TransportError
from archiver.fetch import ClientConfig, HttpClient

RECORDINGS = ROOT / "examples" / "replay"
REROUTE = "http://127.0.0.1:9"  # never connected to: the mock transport answers
ARTICLE = "https://news.example.com/story"


class LayoutServer(ThreadingHTTPServer):
    """Serves ``GET /HOST/PATH?QUERY`` from recordings and answers 404 to everything else."""

    def __init__(self, answers):
        self.answers = answers
        self.paths = []
        super().__init__(("127.0.0.1", 0), _LayoutHandler)


class _LayoutHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.paths.append(self.path)
        found = self.server.answers.get(request_key("https:/" + self.path))
        answer = found or Answer(404, b"not here\n", [("content-type", "text/plain")])
        self.send_response(answer.status)
        for name, value in answer.headers:
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        self.send_header("content-length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    def log_message(self, format, *args):
        pass  # quiet: pytest shows the test's own output only


@pytest.fixture
def layout_server():
    # the examples' recordings, read as plainly as another project's server would read them
    server = LayoutServer(FakeInternet.from_recordings(RECORDINGS).answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_an_archive_runs_through_a_server_that_knows_only_the_layout(tmp_path, layout_server):
    db_path = tmp_path / "archive.db"
    url = f"http://127.0.0.1:{layout_server.server_address[1]}"
    result = CliRunner().invoke(
        app,
        ["archive", "--db", str(db_path), str(SAMPLE_ARTICLE)],
        env={"ARCHIVER_REROUTE": url},
    )
    assert result.exit_code == 0, result.output
    assert "5 embeds found, 5 resolved, 5 posts fetched, 10 snapshots" in result.output
    # the DNS table is asked for once per client that finds none, not once per host
    asked_dns = [p for p in layout_server.paths if p.startswith("/__replay__/dns")]
    assert 1 <= len(asked_dns) < len(layout_server.paths) // 4


class Rerouted:
    """A mock of a reroute server: a DNS endpoint answering ``dns`` and pages by original URL."""

    def __init__(self, dns, pages):
        self.dns, self.pages, self.requested = dns, pages, []

    def handle(self, request):
        path = request.url.raw_path.decode()
        self.requested.append(path)
        if path.startswith("/__replay__/dns"):
            return self.dns
        return self.pages.get(path) or httpx.Response(404)

    def get(self, url, retries=0):
        async def run():
            config = ClientConfig(reroute=REROUTE, retries=retries, backoff_base=0.001)
            async with HttpClient(config, transport=httpx.MockTransport(self.handle)) as client:
                return await client.get(url)

        return asyncio.run(run())


@pytest.mark.parametrize(
    "dns",
    [
        httpx.Response(404, text="Not Found"),
        httpx.Response(404, json={"error": "no control endpoint"}),
        httpx.Response(200, text="<html>a catch-all page</html>"),
        httpx.Response(403, text="forbidden"),
    ],
    ids=["404 text", "404 json", "200 html", "403 text"],
)
def test_a_server_without_a_dns_table_serves_every_name_as_public(dns):
    server = Rerouted(dns, {"/news.example.com/story": httpx.Response(200, text="story")})
    exchange = server.get(ARTICLE)
    assert (exchange.status, exchange.body, exchange.replay) == (200, b"story", True)
    assert server.requested == ["/__replay__/dns?host=news.example.com", "/news.example.com/story"]


def test_the_missing_table_is_asked_for_once_per_client():
    pages = {
        "/news.example.com/story": httpx.Response(301, headers={"location": "https://b.example/"}),
        "/b.example/": httpx.Response(200, text="moved here"),
    }
    server = Rerouted(httpx.Response(404), pages)
    assert server.get(ARTICLE).body == b"moved here"
    assert [p for p in server.requested if p.startswith("/__replay__/")] == [
        "/__replay__/dns?host=news.example.com"
    ]


@pytest.mark.parametrize(
    "location", ["http://10.0.0.1/admin", "http://127.0.0.1:8765/", "http://[::1]/"]
)
def test_literal_private_addresses_are_refused_without_a_dns_table(location):
    pages = {"/news.example.com/story": httpx.Response(302, headers={"location": location})}
    server = Rerouted(httpx.Response(404), pages)
    with pytest.raises(BlockedRequest, match="address"):
        server.get(ARTICLE)
    assert server.requested[-1] == "/news.example.com/story"  # the refused target never asked


def test_a_table_that_names_a_private_address_is_still_obeyed():
    server = Rerouted(httpx.Response(200, json=["192.168.0.4"]), {})
    with pytest.raises(BlockedRequest, match=r"resolves to 192\.168\.0\.4"):
        server.get(ARTICLE)


@pytest.mark.parametrize(
    "dns", [httpx.Response(500, text="oops"), httpx.Response(200, json={"not": "a list"})]
)
def test_a_dns_table_in_trouble_is_a_transport_error_not_a_free_pass(dns):
    server = Rerouted(dns, {"/news.example.com/story": httpx.Response(200, text="story")})
    with pytest.raises(TransportError, match="replay DNS answered"):
        server.get(ARTICLE)
    assert "/news.example.com/story" not in server.requested
