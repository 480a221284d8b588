"""Give freed memory back to the operating system after bursts of heavy requests.

Neighbourhood and path exports build large temporary graphs on the threadpool's threads; glibc
keeps what they free in per-thread arenas, so after a burst the server stayed 73 MB above its
resting size for good (271 -> 344 MiB, ``python -m bench.fault_load``). ``malloc_trim`` returns
the free pages of every arena; calling it every few seconds costs milliseconds, on a thread.
Where the C library has no ``malloc_trim`` (musl, macOS) this does nothing.
"""

import asyncio
import ctypes
import logging

log = logging.getLogger(__name__)


def _malloc_trim():
    try:
        return ctypes.CDLL(None).malloc_trim  # the C library the interpreter is linked with
    except (OSError, AttributeError):
        return None


MALLOC_TRIM = _malloc_trim()


async def trim_periodically(interval_s: float) -> None:
    """Run until cancelled: every ``interval_s``, hand free heap pages back to the system."""
    if MALLOC_TRIM is None:
        log.info("no malloc_trim in this C library: freed memory stays with the process")
        return
    while True:
        await asyncio.sleep(interval_s)
        await asyncio.to_thread(MALLOC_TRIM, 0)
