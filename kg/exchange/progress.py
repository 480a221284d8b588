"""Say how far a long load has got, in the log, while it runs.

pyoxigraph's loader reports nothing while it parses, so a thread reads how far the process has
read into the file from ``/proc/self/fdinfo`` (Linux) and logs it every few seconds; elsewhere it
logs the time spent. Each phase ends with one line of figures.

>>> import logging
>>> with phase(logging.getLogger("demo"), "counting") as figures:
...     figures["items"] = 3
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROGRESS_INTERVAL_S = 5.0


def resident_mib() -> float:
    """This process's resident memory in MiB (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return 0.0


def read_position(path: Path) -> int | None:
    """How far this process has read into ``path`` (the offset of an open descriptor of it), or None."""
    target = str(Path(path).resolve())
    try:
        descriptors = os.listdir("/proc/self/fd")
    except OSError:
        return None
    for fd in descriptors:
        try:
            if os.readlink(f"/proc/self/fd/{fd}") == target:
                with open(f"/proc/self/fdinfo/{fd}") as info:
                    return int(info.readline().split()[1])  # "pos:\t<offset>"
        except (OSError, ValueError, IndexError):
            continue
    return None


@contextmanager
def phase(log: logging.Logger, what: str, *, reading: Path | None = None) -> Iterator[dict]:
    """Log ``what`` every :data:`PROGRESS_INTERVAL_S` while the block runs (with the share of
    ``reading`` read so far), then its time, the process's memory and the figures the block put in
    the dict it is given."""
    figures: dict = {}
    started = time.monotonic()
    done = threading.Event()
    # a missing file is the loader's to report, with its own message
    size = reading.stat().st_size if reading is not None and reading.is_file() else 0

    def report() -> None:
        while not done.wait(PROGRESS_INTERVAL_S):
            position = read_position(reading) if reading is not None else None
            share = f" {position / size:.0%} of {size / 1e6:.0f} MB," if position is not None and size else ""
            log.info("%s:%s %.0f s", what, share, time.monotonic() - started)

    threading.Thread(target=report, name="load-progress", daemon=True).start()
    try:
        yield figures
    finally:
        done.set()
    details = "".join(f", {value:,} {name}" if isinstance(value, int) else f", {name} {value}"
                      for name, value in figures.items())
    log.info("%s: done in %.1f s%s, RSS %.0f MiB", what, time.monotonic() - started, details, resident_mib())
