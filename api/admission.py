"""Admission control: how many expensive requests of one kind may run, and wait, at once.

FastAPI runs the sync routes on anyio's thread pool (``KG_HTTP_THREADS``), which heavy requests
(path searches, neighbourhoods, exports) share with cheap lookups such as ``/health`` and
``/nodes``. Each kind of heavy request gets a few slots and a bounded queue
(:class:`api.settings.Settings`; slots and queues together stay well under the thread pool). A
request takes a slot for as long as its route builds the answer; when every slot is taken it
waits in the queue for at most ``KG_ADMISSION_WAIT_S``, and when the queue is full too, or the
wait runs out, it is answered 503 ``busy`` with a ``Retry-After`` header. A burst of 32 clients
is served (measured with ``python -m bench.http``); a flood never starves the rest.

A route asks for a slot with a typed parameter (``_slot: QuerySlot``); the slot is given back
once the response is built, before its bytes are sent (``scope="function"``), so a slow client
does not hold one. A route that needs a slot for only part of its work (an export already built
needs none) holds one with :func:`holding`.
"""

import threading
import weakref
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Annotated

import anyio
from fastapi import Depends, FastAPI, Request

from api.errors import ApiError, documented_errors

RETRY_AFTER_S = 1
#: the settings field that bounds each kind of request
BOUNDS = {"export": ("export_concurrency", "export_queue"), "query": ("query_concurrency", "query_queue")}

#: the 503 a route with a slot documents (its own, and a query that found nothing in time)
BUSY_RESPONSES = documented_errors({
    503: "Every slot for this kind of request is taken (code `busy`; retry after `Retry-After` seconds), or the "
    "query could not produce any answer within its time budget",
})


class Slots:
    """At most ``size`` holders at once and ``queue`` more waiting, each ``wait_s`` at most."""

    def __init__(self, size: int, queue: int, wait_s: float):
        self.size, self.queue, self.wait_s = size, queue, wait_s
        self._free = threading.BoundedSemaphore(size)
        self._waiting = 0
        self._lock = threading.Lock()

    def try_take(self) -> bool:
        return self._free.acquire(blocking=False)

    def take(self) -> bool:
        """A slot, waiting for one if fewer than ``queue`` already wait (blocks: threads only)."""
        if self.try_take():
            return True
        with self._lock:
            if self._waiting >= self.queue:
                return False
            self._waiting += 1
        try:
            return self._free.acquire(timeout=self.wait_s)
        finally:
            with self._lock:
                self._waiting -= 1

    def give_back(self) -> None:
        self._free.release()

    @classmethod
    def configured(cls, settings, kind: str) -> "Slots":
        """The slots that ``settings`` give one kind of request (a key of :data:`BOUNDS`)."""
        size, queue = (getattr(settings, field) for field in BOUNDS[kind])
        return cls(size, queue, settings.admission_wait_s)

    @contextmanager
    def held(self, kind: str) -> Iterator[None]:
        """Hold a slot for the block, waiting in the bounded queue if need be; :class:`ApiError` 503
        busy when the queue is full or the wait runs out. Blocks: call it on a thread."""
        if not self.take():
            raise _busy(kind, self)
        try:
            yield
        finally:
            self.give_back()


_slots_by_app: weakref.WeakKeyDictionary[FastAPI, dict[str, Slots]] = weakref.WeakKeyDictionary()
_creating = threading.Lock()


def slots_of(app: FastAPI, kind: str) -> Slots:
    """The slots of one kind of request (a key of :data:`BOUNDS`) in ``app``, made on first use."""
    with _creating:
        slots = _slots_by_app.setdefault(app, {})
        if kind not in slots:
            slots[kind] = Slots.configured(app.state.settings, kind)
        return slots[kind]


def _busy(kind: str, slots: Slots) -> ApiError:
    return ApiError(
        503, "busy", f"all {slots.size} slots for {kind} requests are taken and {slots.queue} requests wait; "
        f"retry in {RETRY_AFTER_S} s",
        detail={"kind": kind, "slots": slots.size, "queue": slots.queue, "retry_after_s": RETRY_AFTER_S},
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )


def holding(app: FastAPI, kind: str) -> AbstractContextManager[None]:
    """Hold a slot of ``kind`` in ``app`` for the block (:meth:`Slots.held`). Blocks: call it on a thread."""
    return slots_of(app, kind).held(kind)


def _admit(kind: str) -> Callable[[Request], AsyncIterator[None]]:
    """The dependency that holds a slot of ``kind`` around a route.

    A free slot is taken on the event loop; only a request that has to wait for one waits on a
    thread. Taking and giving back each on a thread of their own cost two more hand-overs of the
    GIL per request, which under load weighed more than a small answer itself (bench/README.md).
    """

    async def hold_slot(request: Request) -> AsyncIterator[None]:
        slots = slots_of(request.app, kind)
        if not slots.try_take() and not await anyio.to_thread.run_sync(slots.take):
            raise _busy(kind, slots)
        try:
            yield
        finally:
            slots.give_back()

    return hold_slot


QuerySlot = Annotated[None, Depends(_admit("query"), scope="function")]
