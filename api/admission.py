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

import asyncio
import collections
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
    """At most ``size`` holders at once and ``queue`` more waiting, each ``wait_s`` at most.

    Waiting takers, threads (:meth:`take`) and coroutines (:meth:`take_async`) alike, get slots in
    the order they came: a slot given back goes straight to the first of them. A coroutine waits
    on the event loop, not on a thread of its own: at 32 clients on 8 slots most requests wait, and
    a thread per waiter cost two more hand-overs of the GIL each (bench/README.md).
    """

    def __init__(self, size: int, queue: int, wait_s: float):
        self.size, self.queue, self.wait_s = size, queue, wait_s
        self._free = size
        self._waiters: collections.deque[_ThreadWaiter | _LoopWaiter] = collections.deque()
        self._lock = threading.Lock()

    @property
    def waiting(self) -> int:
        """Takers waiting for a slot now."""
        return len(self._waiters)

    def try_take(self) -> bool:
        """A free slot, if there is one, without waiting."""
        return self._take_or_queue(None) is True

    def take(self) -> bool:
        """A slot, waiting for one if fewer than ``queue`` already wait (blocks: threads only)."""
        queued = self._take_or_queue(_ThreadWaiter)
        if isinstance(queued, bool):
            return queued
        queued.given.wait(self.wait_s)
        return self._settle(queued)

    async def take_async(self) -> bool:
        """:meth:`take` for a coroutine: it waits on the event loop."""
        loop = asyncio.get_running_loop()
        queued = self._take_or_queue(lambda: _LoopWaiter(loop))
        if isinstance(queued, bool):
            return queued
        try:
            with anyio.move_on_after(self.wait_s):
                await queued.given
        except BaseException:  # cancelled: a slot given meanwhile goes to the next waiter
            if self._settle(queued):
                self.give_back()
            raise
        return self._settle(queued)

    def give_back(self) -> None:
        with self._lock:
            if self._waiters:
                self._waiters.popleft().give()
            else:
                self._free += 1

    def _take_or_queue(self, make_waiter):
        """True: a slot taken; False: none free and the queue full (or no ``make_waiter``); else the
        waiter now queued."""
        with self._lock:
            if self._free:
                self._free -= 1
                return True
            if make_waiter is None or len(self._waiters) >= self.queue:
                return False
            waiter = make_waiter()
            self._waiters.append(waiter)
            return waiter

    def _settle(self, waiter: "_ThreadWaiter | _LoopWaiter") -> bool:
        """Whether ``waiter`` was given a slot; one that was not leaves the queue (both under the lock,
        so a slot is never given to a waiter that has stopped waiting)."""
        with self._lock:
            if not waiter.granted:
                self._waiters.remove(waiter)
            return waiter.granted

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


class _ThreadWaiter:
    def __init__(self) -> None:
        self.granted = False
        self.given = threading.Event()

    def give(self) -> None:  # under Slots._lock
        self.granted = True
        self.given.set()


class _LoopWaiter:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.granted = False
        self.loop = loop
        self.given = loop.create_future()

    def give(self) -> None:  # under Slots._lock, on any thread
        self.granted = True
        self.loop.call_soon_threadsafe(_wake, self.given)


def _wake(future: asyncio.Future) -> None:
    if not future.done():  # its waiter may have stopped waiting (time out, cancelled) meanwhile
        future.set_result(None)


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

    The slot is taken, waited for and given back on the event loop: on threads of their own these
    cost hand-overs of the GIL that under load weighed more than a small answer itself
    (bench/README.md).
    """

    async def hold_slot(request: Request) -> AsyncIterator[None]:
        slots = slots_of(request.app, kind)
        if not await slots.take_async():
            raise _busy(kind, slots)
        try:
            yield
        finally:
            slots.give_back()

    return hold_slot


QuerySlot = Annotated[None, Depends(_admit("query"), scope="function")]
