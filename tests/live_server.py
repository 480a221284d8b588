"""`kg serve` as a real process on a free loopback port, for tests and benchmarks that need one.

    with live_server(data_file, KG_SPARQL_TIMEOUT_S="2") as server:
        httpx.get(server.url + "/health")
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

PROJECT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    port: int
    process: subprocess.Popen

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def children(self) -> list[int]:
        """Process ids of the server's child processes (its SPARQL workers)."""
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:  # gone meanwhile
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    found.append(int(entry.name))
        return found


def memory_kib(pid: int, field: str = "VmRSS") -> int:
    """A memory figure of a process from /proc (VmRSS, VmHWM, VmPeak, VmSize), in KiB; 0 if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def address_space_limit_kib(pid: int) -> int | None:
    """A process's RLIMIT_AS from /proc, in KiB; None if unlimited or the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
            if line.startswith("Max address space"):
                value = line.split()[3]
                return None if value == "unlimited" else int(value) // 1024
    except OSError:
        pass
    return None


@contextmanager
def live_server(data: Path, *, log: Path | None = None, **settings: str) -> Iterator[LiveServer]:
    """Start ``kg serve --data data`` with ``KG_*`` settings, wait for /health, stop it afterwards."""
    port = free_port()
    env = {**os.environ, "KG_LOG_LEVEL": "warning", **settings}
    command = [sys.executable, "-m", "kg", "serve", "--data", str(data), "--host", "127.0.0.1", "--port", str(port)]
    output = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=output, stderr=subprocess.STDOUT)
    server = LiveServer(f"http://127.0.0.1:{port}", port, process)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                httpx.get(server.url + "/health", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or not server.alive:
                    said = log.read_text(errors="replace")[-3000:] if log else ""
                    raise RuntimeError(f"kg serve did not come up (exit {process.poll()})\n{said}") from None
                time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        if log:
            output.close()
