"""Benchmark: Neuroglancer data fetched straight from a kernel's viewer vs. through the proxy.

Starts a real Jupyter server (with the ``jupyterlab_neuroglancer`` server extension) and a
kernel on it, creates a ``neuroglancer.Viewer`` with local volumes in that kernel, registers it
with ``POST <base_url>/neuroglancer/api/viewers`` and then fetches the same data URLs from the
viewer's own server ("direct") and through ``<base_url>/neuroglancer/proxy/<id>/`` ("proxy"),
in interleaved rounds so that machine noise hits both paths alike:

1. latency, one request at a time: 64^3 image and segmentation chunks, and meshes;
2. throughput, eight requests at a time, over a fixed set of chunks;
3. one large (> 100 MiB) response: time to first byte, total time, and the growth of the Jupyter
   server's resident memory while it relays the response.

It prints a Markdown table with the ratio proxy/direct and the targets. A missed target is
reported, never turned into a failure: this is a benchmark, not a test.

    python benchmarks/proxy_benchmark.py            # about 50 s on 2 cores
    python benchmarks/proxy_benchmark.py --quick    # smoke run, about 15 s
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import numpy as np
import psutil
from jupyter_client import BlockingKernelClient
from jupyter_core.paths import jupyter_runtime_dir

REPO = Path(__file__).resolve().parents[1]
MiB = 1024 * 1024

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")

CHUNK = 64
"""Edge of the chunks requested in the latency and throughput parts (voxels)."""

SCALE_KEY = "1,1,1"
"""Neuroglancer's scale key of the full-resolution scale (downsampling factors per axis)."""

CONCURRENCY = 8
"""Requests in flight at once in the throughput part."""

TARGETS = {
    "latency": 1.10,  # proxy p50 at most 1.10x direct
    "throughput": 0.90,  # proxy requests/s at least 0.90x direct
    "first_byte": 2.0,  # proxy time to first byte of the large response at most 2x direct
    "memory_mib": 16.0,  # Jupyter server RSS growth while relaying the large response
}

# Runs in the kernel: builds the volumes and the viewer, keeps them in the kernel's globals and
# prints what the benchmark needs on one line.
KERNEL_CODE = r"""
def _proxy_benchmark_setup(config):
    import urllib.parse

    import neuroglancer
    import numpy as np

    size = config["size"]
    rng = np.random.default_rng(config["seed"])

    # Smooth blobs: a Gaussian bump per blob in the image (plus some noise, like a micrograph),
    # and the blob's inside as one segment, so that each segment has a closed mesh.
    image = np.zeros((size, size, size), np.float32)
    segmentation = np.zeros((size, size, size), np.uint32)
    for blob_id in range(1, config["blobs"] + 1):
        radius = rng.uniform(size / 16, size / 7)
        center = rng.uniform(radius, size - radius, 3)
        box = tuple(
            slice(max(0, int(c - 2 * radius)), min(size, int(c + 2 * radius) + 1)) for c in center
        )
        axes = np.ogrid[box]
        d2 = sum(((a - c) / radius) ** 2 for a, c in zip(axes, center)).astype(np.float32)
        image[box] += np.exp(-d2)
        segmentation[box][d2 <= 1.0] = blob_id
    image *= 200.0 / max(float(image.max()), 1e-6)
    image += 20.0
    image += rng.normal(0.0, config["image_noise"], image.shape).astype(np.float32)
    image = np.clip(image, 0, 255).astype(np.uint8)
    counts = np.bincount(segmentation.ravel())
    segment_ids = [int(i) for i in np.argsort(counts[1:])[::-1] + 1 if counts[i] > 0]

    # Incompressible noise for the large response (npz is zlib-compressed).
    noise = rng.integers(0, 256, size=(config["big"],) * 3, dtype=np.uint8)

    dimensions = neuroglancer.CoordinateSpace(
        names=["x", "y", "z"], units="nm", scales=[1, 1, 1]
    )
    volumes = {
        "image": neuroglancer.LocalVolume(image, dimensions=dimensions),
        "segmentation": neuroglancer.LocalVolume(segmentation, dimensions=dimensions),
        "noise": neuroglancer.LocalVolume(noise, dimensions=dimensions),
    }
    viewer = neuroglancer.Viewer()
    with viewer.txn() as state:
        state.dimensions = dimensions
        state.layers["image"] = neuroglancer.ImageLayer(source=volumes["image"])
        state.layers["segmentation"] = neuroglancer.SegmentationLayer(
            source=volumes["segmentation"]
        )
        state.layers["noise"] = neuroglancer.ImageLayer(source=volumes["noise"])
    url = viewer.get_viewer_url()
    info = {
        "port": urllib.parse.urlparse(url).port,
        "token": viewer.token,
        "keys": {name: viewer.volume_manager.get_volume_key(v) for name, v in volumes.items()},
        "segment_ids": segment_ids,
    }
    return viewer, volumes, info


_proxy_benchmark_viewer, _proxy_benchmark_volumes, _proxy_benchmark_info = (
    _proxy_benchmark_setup(CONFIG)
)
import json as _proxy_benchmark_json

print("PROXY_BENCHMARK_VIEWER " + _proxy_benchmark_json.dumps(_proxy_benchmark_info))
"""


class BenchmarkError(Exception):
    """The benchmark cannot go on (server, kernel or viewer not working as expected)."""


@dataclass
class Settings:
    """How much to measure."""

    rounds: int
    chunk_requests: int  # in all, per path (spread over the rounds)
    mesh_requests: int  # in all, per path (spread over the rounds)
    throughput_set: int  # requests per throughput batch (two batches per path and round)
    size: int = 256
    big: int = 480
    blobs: int = 24
    mesh_ids: int = 10
    seed: int = 1


@dataclass
class Samples:
    """What was measured on one path (direct or proxy)."""

    chunk_latency: list[float] = field(default_factory=list)
    chunk_latency_by_volume: dict[str, list[float]] = field(
        default_factory=lambda: {"image": [], "segmentation": []}
    )
    mesh_latency: list[float] = field(default_factory=list)
    throughput: list[float] = field(default_factory=list)
    first_byte: list[float] = field(default_factory=list)
    large_total: list[float] = field(default_factory=list)
    large_bytes: int = 0
    server_rss_growth: list[int] = field(default_factory=list)


STARTED = time.perf_counter()


def log(message: str) -> None:
    """A progress line on stderr (the table goes to stdout)."""
    print(f"[{time.perf_counter() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- the Jupyter server, the kernel and the viewer --------------------------------------------


class Harness:
    """Owns the Jupyter server subprocess, the kernel and the temp directory; cleans them up."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="ng-proxy-bench-"))
        self.port = free_port()
        self.token = os.urandom(24).hex()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.kernel_id: str | None = None
        self.client: BlockingKernelClient | None = None
        self.log_path = self.tmp / "jupyter-server.log"
        self._log_file: Any = None

    # plain blocking HTTP for set-up and clean-up (also usable outside the event loop)
    def api(self, method: str, path: str, body: Any = None, timeout: float = 30) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, raw.decode(errors="replace")

    def start_server(self) -> None:
        root = self.tmp / "root"
        runtime = self.tmp / "runtime"
        root.mkdir()
        runtime.mkdir()
        # Our own runtime dir: the kernel's connection file is found there, and nothing is left
        # in the user's runtime dir. Set in this process too, so jupyter_runtime_dir() agrees.
        os.environ["JUPYTER_RUNTIME_DIR"] = str(runtime)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
        )
        command = [
            sys.executable,
            "-m",
            "jupyter_server",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            "--ServerApp.open_browser=False",
            f"--ServerApp.root_dir={root}",
            '--ServerApp.jpserver_extensions={"jupyterlab_neuroglancer": True}',
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        self._log_file = open(self.log_path, "wb")  # noqa: SIM115 (closed in cleanup)
        self.process = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            # Its own session: a Ctrl-C in the terminal reaches this script only (the server
            # would otherwise ask "Shutdown this Jupyter server?"), which then cleans up.
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchmarkError(f"the Jupyter server exited:\n{self.server_log_tail()}")
            with contextlib.suppress(OSError):
                status, _ = self.api("GET", "/api/status", timeout=2)
                if status == 200:
                    break
            time.sleep(0.2)
        else:
            raise BenchmarkError(f"the Jupyter server did not start:\n{self.server_log_tail()}")
        status, body = self.api("GET", "/neuroglancer/api/version")
        if status != 200:
            raise BenchmarkError(
                f"the server extension does not answer (GET neuroglancer/api/version: {status} "
                f"{body}):\n{self.server_log_tail()}"
            )

    def server_log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def start_kernel(self) -> None:
        status, body = self.api("POST", "/api/kernels", {"name": "python3"}, timeout=60)
        if status != 201:
            raise BenchmarkError(f"POST /api/kernels answered {status}: {body}")
        self.kernel_id = body["id"]
        connection_file = Path(jupyter_runtime_dir()) / f"kernel-{self.kernel_id}.json"
        deadline = time.monotonic() + 30
        while not connection_file.exists():
            if time.monotonic() > deadline:
                raise BenchmarkError(f"no connection file {connection_file}")
            time.sleep(0.1)
        client = BlockingKernelClient(connection_file=str(connection_file))
        client.load_connection_file()
        client.start_channels()
        self.client = client
        client.wait_for_ready(timeout=60)

    def run_in_kernel(self, code: str, timeout: float = 300) -> str:
        """Run ``code`` in the kernel; return its stdout, or raise with its traceback."""
        assert self.client is not None
        output: list[str] = []
        error: list[str] = []

        def hook(message: dict[str, Any]) -> None:
            kind, content = message["header"]["msg_type"], message["content"]
            if kind == "stream":
                output.append(content["text"])
            elif kind == "error":
                error.append(ANSI_ESCAPE.sub("", "\n".join(content["traceback"])))

        reply = self.client.execute_interactive(
            code, timeout=timeout, output_hook=hook, store_history=False, allow_stdin=False
        )
        if reply["content"]["status"] != "ok" or error:
            raise BenchmarkError("the kernel failed:\n" + ("\n".join(error) or str(reply)))
        return "".join(output)

    def create_viewer(self, settings: Settings) -> dict[str, Any]:
        config = {
            "size": settings.size,
            "big": settings.big,
            "blobs": settings.blobs,
            "seed": settings.seed,
            "image_noise": 8.0,
        }
        code = f"CONFIG = {config!r}\n" + KERNEL_CODE
        output = self.run_in_kernel(code)
        for line in output.splitlines():
            if line.startswith("PROXY_BENCHMARK_VIEWER "):
                return json.loads(line.split(" ", 1)[1])
        raise BenchmarkError(f"the kernel printed no viewer description: {output!r}")

    def register_viewer(self, info: dict[str, Any]) -> dict[str, Any]:
        body = {
            "kernel_id": self.kernel_id,
            "port": info["port"],
            "token": info["token"],
            "name": "proxy benchmark",
        }
        status, record = self.api("POST", "/neuroglancer/api/viewers", body, timeout=60)
        if status != 201:
            raise BenchmarkError(f"registering the viewer answered {status}: {record}")
        return record

    def cleanup(self) -> None:
        """Shut the kernel down and stop the server; safe to call more than once."""
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.stop_channels()
            self.client = None
        descendants: list[psutil.Process] = []
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(psutil.Error):
                descendants = psutil.Process(self.process.pid).children(recursive=True)
            if self.kernel_id is not None:
                with contextlib.suppress(Exception):
                    self.api("DELETE", f"/api/kernels/{self.kernel_id}", timeout=15)
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.kernel_id = None
        # The kernel (and anything it started) runs in its own process group: end what is left
        # of what this script started, by process id.
        for process in descendants:
            with contextlib.suppress(psutil.Error):
                if process.is_running():
                    process.kill()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        shutil.rmtree(self.tmp, ignore_errors=True)


# -- measuring ---------------------------------------------------------------------------------


class RssSampler:
    """Samples a process's resident set size every ``interval`` seconds in a thread."""

    def __init__(self, pid: int, interval: float = 0.01) -> None:
        self.process = psutil.Process(pid)
        self.interval = interval
        self.before = 0
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self.before = self.peak = self.process.memory_info().rss
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            with contextlib.suppress(psutil.Error):
                self.peak = max(self.peak, self.process.memory_info().rss)

    @property
    def growth(self) -> int:
        return self.peak - self.before


@dataclass
class Route:
    """One way to the viewer's data: a base URL and a keep-alive session (like a browser's)."""

    name: str
    base: str
    session: aiohttp.ClientSession

    async def fetch(self, rest: str) -> tuple[float, bytes]:
        """GET ``rest``; return (seconds until the whole body was read, body)."""
        start = time.perf_counter()
        async with self.session.get(self.base + rest) as response:
            body = await response.read()
            if response.status != 200:
                raise BenchmarkError(
                    f"{self.name}: GET {rest} answered {response.status}: {body[:300]!r}"
                )
        return time.perf_counter() - start, body

    async def fetch_streaming(self, rest: str) -> tuple[float, float, int]:
        """GET a large body without keeping it: (time to first body byte, total time, bytes)."""
        start = time.perf_counter()
        first_byte = None
        size = 0
        async with self.session.get(self.base + rest) as response:
            if response.status != 200:
                text = await response.text(errors="replace")
                raise BenchmarkError(f"{self.name}: GET {rest} answered {response.status}: {text}")
            async for data in response.content.iter_any():
                if first_byte is None:
                    first_byte = time.perf_counter() - start
                size += len(data)
        total = time.perf_counter() - start
        return first_byte if first_byte is not None else total, total, size


def chunk_urls(info: dict[str, Any], size: int) -> list[str]:
    """Every aligned 64^3 chunk of the image and the segmentation (npz, full resolution)."""
    urls = []
    corners = range(0, size, CHUNK)
    for name in ("image", "segmentation"):
        key = info["keys"][name]
        for x in corners:
            for y in corners:
                for z in corners:
                    end = (min(x + CHUNK, size), min(y + CHUNK, size), min(z + CHUNK, size))
                    urls.append(
                        f"neuroglancer/npz/{key}/{SCALE_KEY}/{x},{y},{z}/{end[0]},{end[1]},{end[2]}"
                    )
    return urls


def pairs(paths: tuple[Route, Route], count: int) -> Iterator[tuple[Route, Route]]:
    """(direct, proxy), (proxy, direct), ...: who goes first alternates."""
    direct, proxy = paths
    for index in range(count):
        yield (direct, proxy) if index % 2 == 0 else (proxy, direct)


class Benchmark:
    def __init__(self, settings: Settings, harness: Harness) -> None:
        self.settings = settings
        self.harness = harness
        self.samples = {"direct": Samples(), "proxy": Samples()}
        self.rng = random.Random(settings.seed)
        self.body_sizes: dict[str, list[int]] = {"image": [], "segmentation": [], "mesh": []}
        self.volume_of: dict[str, str] = {}
        self.load_before = os.getloadavg()[0]

    async def run(self) -> None:
        harness, settings = self.harness, self.settings
        log("starting the Jupyter server")
        await asyncio.to_thread(harness.start_server)
        log(f"server on port {harness.port}; starting a kernel")
        await asyncio.to_thread(harness.start_kernel)
        log(f"kernel {harness.kernel_id}; creating the viewer and its volumes in the kernel")
        info = await asyncio.to_thread(harness.create_viewer, settings)
        log(f"viewer server on port {info['port']}, keys {info['keys']}")
        record = await asyncio.to_thread(harness.register_viewer, info)
        log(f"registered as {record['id']}")
        assert harness.process is not None
        self.server_pid = harness.process.pid

        timeout = aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=300)
        connector_args = {"limit": CONCURRENCY, "keepalive_timeout": 60}
        async with (
            aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(**connector_args), timeout=timeout
            ) as direct_session,
            aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(**connector_args),
                timeout=timeout,
                headers={"Authorization": f"token {harness.token}"},
            ) as proxy_session,
        ):
            direct = Route("direct", f"http://127.0.0.1:{info['port']}/", direct_session)
            proxy = Route(
                "proxy",
                f"{harness.base}/neuroglancer/proxy/{record['id']}/",
                proxy_session,
            )
            await self.measure((direct, proxy), info)

    async def measure(self, paths: tuple[Route, Route], info: dict[str, Any]) -> None:
        settings = self.settings
        chunks = chunk_urls(info, settings.size)
        self.volume_of = {key: name for name, key in info["keys"].items()}
        segmentation = info["keys"]["segmentation"]
        meshes = [
            f"neuroglancer/mesh/{segmentation}/{segment_id}"
            for segment_id in info["segment_ids"][: settings.mesh_ids]
        ]
        noise = info["keys"]["noise"]
        big = settings.big
        large = f"neuroglancer/npz/{noise}/{SCALE_KEY}/0,0,0/{big},{big},{big}"

        log("warming up: chunks and every mesh on both paths (the first request builds a mesh)")
        for first, second in pairs(paths, 16):
            url = self.rng.choice(chunks)
            (_, a), (_, b) = await first.fetch(url), await second.fetch(url)
            if a != b:
                raise BenchmarkError(f"direct and proxied bodies differ for {url}")
        for url in meshes:
            for path in paths:
                await path.fetch(url)

        throughput_set = [self.rng.choice(chunks) for _ in range(settings.throughput_set)]
        chunk_plan = [self.rng.choice(chunks) for _ in range(settings.chunk_requests)]
        mesh_plan = [meshes[i % len(meshes)] for i in range(settings.mesh_requests)]
        self.rng.shuffle(mesh_plan)
        rounds = settings.rounds
        for index in range(rounds):
            label = f"round {index + 1}/{rounds}"
            log(f"{label}: latency, one request at a time")
            await self.latency(paths, chunk_plan[index::rounds], "chunk")
            await self.latency(paths, mesh_plan[index::rounds], "mesh")
            log(f"{label}: throughput, {CONCURRENCY} at a time")
            order = paths if index % 2 == 0 else paths[::-1]
            for path in (*order, *order[::-1]):  # A B B A: a drift in load hits both alike
                rate = await self.throughput(path, throughput_set)
                self.samples[path.name].throughput.append(rate)
            log(f"{label}: one large response")
            for path in order:
                await self.large(path, large)

    async def latency(self, paths: tuple[Route, Route], urls: list[str], kind: str) -> None:
        for (first, second), url in zip(pairs(paths, len(urls)), urls, strict=True):
            for path in (first, second):
                seconds, body = await path.fetch(url)
                samples = self.samples[path.name]
                if kind == "mesh":
                    samples.mesh_latency.append(seconds)
                    self.body_sizes["mesh"].append(len(body))
                else:
                    volume = self.volume_of[url.split("/")[2]]
                    samples.chunk_latency.append(seconds)
                    samples.chunk_latency_by_volume[volume].append(seconds)
                    self.body_sizes[volume].append(len(body))

    async def throughput(self, path: Route, urls: list[str]) -> float:
        queue = iter(urls)

        async def worker() -> None:
            for url in queue:
                await path.fetch(url)

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        return len(urls) / (time.perf_counter() - start)

    async def large(self, path: Route, url: str) -> None:
        samples = self.samples[path.name]
        with RssSampler(self.server_pid) as rss:
            first_byte, total, size = await path.fetch_streaming(url)
        samples.first_byte.append(first_byte)
        samples.large_total.append(total)
        samples.server_rss_growth.append(rss.growth)
        if samples.large_bytes and samples.large_bytes != size:
            raise BenchmarkError(f"{path.name}: the large body changed size ({size} bytes)")
        samples.large_bytes = size
        log(
            f"  {path.name}: {size / MiB:.1f} MiB, first byte {first_byte:.3f} s, "
            f"total {total:.3f} s, server RSS +{rss.growth / MiB:.1f} MiB"
        )


# -- the report ------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def median(values: list[float]) -> float:
    return float(np.median(values))


def report(benchmark: Benchmark, elapsed: float) -> str:
    direct, proxy = benchmark.samples["direct"], benchmark.samples["proxy"]
    rows: list[tuple[str, str, str, str, str]] = []

    def ratio_row(
        metric: str,
        d: float,
        p: float,
        fmt: Callable[[float], str],
        check: Callable[[float], bool] | None = None,
        target: str = "",
    ) -> None:
        ratio = p / d if d else float("nan")
        verdict = "" if check is None else (": PASS" if check(ratio) else ": MISS")
        rows.append((metric, fmt(d), fmt(p), f"{ratio:.2f}x", (target or "—") + verdict))

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.2f} ms"

    def secs(seconds: float) -> str:
        return f"{seconds:.3f} s"

    def per_second(rate: float) -> str:
        return f"{rate:.1f} req/s"

    n_chunks, n_meshes = len(direct.chunk_latency), len(direct.mesh_latency)
    latency_ok = lambda r: r <= TARGETS["latency"]  # noqa: E731
    ratio_row(
        f"chunk latency p50 ({n_chunks} x 64^3 npz)",
        percentile(direct.chunk_latency, 50),
        percentile(proxy.chunk_latency, 50),
        ms,
        latency_ok,
        f"≤ {TARGETS['latency']:.2f}x",
    )
    ratio_row(
        "chunk latency p95",
        percentile(direct.chunk_latency, 95),
        percentile(proxy.chunk_latency, 95),
        ms,
    )
    for volume in ("image", "segmentation"):
        ratio_row(
            f"{volume} chunk latency p50 ({len(direct.chunk_latency_by_volume[volume])})",
            percentile(direct.chunk_latency_by_volume[volume], 50),
            percentile(proxy.chunk_latency_by_volume[volume], 50),
            ms,
        )
    ratio_row(
        f"mesh latency p50 ({n_meshes} meshes)",
        percentile(direct.mesh_latency, 50),
        percentile(proxy.mesh_latency, 50),
        ms,
        latency_ok,
        f"≤ {TARGETS['latency']:.2f}x",
    )
    ratio_row(
        "mesh latency p95",
        percentile(direct.mesh_latency, 95),
        percentile(proxy.mesh_latency, 95),
        ms,
    )
    ratio_row(
        f"throughput, {CONCURRENCY} at a time (median of {len(direct.throughput)})",
        median(direct.throughput),
        median(proxy.throughput),
        per_second,
        lambda r: r >= TARGETS["throughput"],
        f"≥ {TARGETS['throughput']:.2f}x",
    )
    size_mib = proxy.large_bytes / MiB
    ratio_row(
        f"large response ({size_mib:.1f} MiB): first byte (median of {len(direct.first_byte)})",
        median(direct.first_byte),
        median(proxy.first_byte),
        secs,
        lambda r: r <= TARGETS["first_byte"],
        f"≤ {TARGETS['first_byte']:.0f}x",
    )
    ratio_row(
        "large response: total time (median)",
        median(direct.large_total),
        median(proxy.large_total),
        secs,
    )
    growth_direct = max(direct.server_rss_growth) / MiB
    growth_proxy = max(proxy.server_rss_growth) / MiB
    verdict = "PASS" if growth_proxy < TARGETS["memory_mib"] else "MISS"
    rows.append(
        (
            "Jupyter server RSS growth during the large response (max)",
            f"{growth_direct:.1f} MiB",
            f"{growth_proxy:.1f} MiB",
            "—",
            f"< {TARGETS['memory_mib']:.0f} MiB (proxy): {verdict}",
        )
    )

    header = ("metric", "direct", "proxy", "ratio (proxy/direct)", "target")
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(["---", "---:", "---:", "---:", "---"]) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    sizes = benchmark.body_sizes
    overhead = [
        f"{(percentile(p, 50) - percentile(d, 50)) * 1000:+.2f} ms"
        for d, p in (
            (direct.chunk_latency, proxy.chunk_latency),
            (direct.mesh_latency, proxy.mesh_latency),
        )
    ]
    notes = [
        "",
        f"Rounds: {benchmark.settings.rounds}. Median bodies: image chunks "
        f"{median(sizes['image']) / 1024:.0f} KiB, segmentation chunks "
        f"{median(sizes['segmentation']) / 1024:.1f} KiB, meshes "
        f"{median(sizes['mesh']) / 1024:.0f} KiB. Direct = the viewer's own server in the "
        "kernel; proxy = the same URL through the Jupyter server. The RSS growth of the direct "
        "column is the Jupyter server's while it is not involved (a control).",
        f"Proxy overhead at p50: chunks {overhead[0]}, meshes {overhead[1]}.",
        f"Run time: {elapsed:.0f} s. Load average (1 min) before / after: "
        f"{benchmark.load_before:.2f} / {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs "
        "(other work on the machine shows up as noise in both columns).",
    ]
    return "\n".join(lines + notes)


# -- entry point -----------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> Settings:
    parser = argparse.ArgumentParser(
        description=(
            "Compare Neuroglancer data fetched straight from a kernel's viewer server with the "
            "same data fetched through the jupyterlab_neuroglancer proxy."
        )
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=None,
        help="interleaved rounds over which the latency requests are spread; each round also "
        "measures throughput twice per path and one large response per path "
        "(default 5; 1 with --quick)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer requests, for a smoke run (about 15 s)"
    )
    args = parser.parse_args(argv)
    if args.rounds is not None and args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.quick:
        return Settings(
            rounds=args.rounds or 1, chunk_requests=40, mesh_requests=6, throughput_set=48
        )
    return Settings(
        rounds=args.rounds or 5, chunk_requests=200, mesh_requests=20, throughput_set=128
    )


def main(argv: list[str] | None = None) -> int:
    settings = parse_args(argv)
    harness = Harness()

    def on_sigterm(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)
    started = time.perf_counter()
    benchmark = Benchmark(settings, harness)
    try:
        asyncio.run(benchmark.run())
        table = report(benchmark, time.perf_counter() - started)
    except KeyboardInterrupt:
        print("interrupted; cleaning up", file=sys.stderr)
        return 130
    except BenchmarkError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 2
    finally:
        log("shutting the kernel and the Jupyter server down")
        harness.cleanup()
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
