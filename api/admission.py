"""Admission control: how many expensive requests of one kind may run at once.

FastAPI runs the sync routes in anyio's thread pool (40 threads), which heavy requests (path
searches, neighbourhoods, exports) share with cheap lookups such as ``/health`` and ``/nodes``.
Each kind of heavy request gets a few slots (:class:`api.settings.Settings`, well under 40 in
all); a request takes one for as long as its route builds the answer, and when every slot of its
kind is taken it is answered at once with 503 ``busy`` and a ``Retry-After`` header instead of
queueing, so a burst of heavy requests never starves the rest.

A route asks for a slot with a typed parameter (``_slot: QuerySlot``). The check is an ``async``
dependency, so it runs on the event loop and a refused request never waits for a thread; the
slot is given back once the response is built, before its bytes are sent (``scope="function"``),
so a slow client does not hold one. A route that needs a slot for only part of its work (an
export already built needs none) holds one with :func:`holding`.
"""

import threading
import weakref
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from api.errors import ApiError, documented_errors

RETRY_AFTER_S = 1
#: the settings field that bounds each kind of request
BOUNDS = {"export": "export_concurrency", "query": "query_concurrency"}

#: the 503 a route with a slot documents (its own, and a query that found nothing in time)
BUSY_RESPONSES = documented_errors({
    503: "Every slot for this kind of request is taken (code `busy`; retry after `Retry-After` seconds), or the "
    "query could not produce any answer within its time budget",
})


class Slots:
    """At most ``size`` holders at once; taking a slot never waits."""

    def __init__(self, size: int):
        self.size = size
        self._free = threading.BoundedSemaphore(size)

    def try_take(self) -> bool:
        return self._free.acquire(blocking=False)

    def give_back(self) -> None:
        self._free.release()


_slots_by_app: weakref.WeakKeyDictionary[FastAPI, dict[str, Slots]] = weakref.WeakKeyDictionary()
_creating = threading.Lock()


def slots_of(app: FastAPI, kind: str) -> Slots:
    """The slots of one kind of request (a key of :data:`BOUNDS`) in ``app``, made on first use."""
    with _creating:
        slots = _slots_by_app.setdefault(app, {})
        if kind not in slots:
            slots[kind] = Slots(getattr(app.state.settings, BOUNDS[kind]))
        return slots[kind]


@contextmanager
def holding(app: FastAPI, kind: str) -> Iterator[None]:
    """Hold a slot of ``kind`` in ``app`` for the block; :class:`ApiError` 503 busy at once if none is free."""
    slots = slots_of(app, kind)
    if not slots.try_take():
        raise ApiError(
            503, "busy", f"all {slots.size} slots for {kind} requests are taken; retry in {RETRY_AFTER_S} s",
            detail={"kind": kind, "slots": slots.size, "retry_after_s": RETRY_AFTER_S},
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )
    try:
        yield
    finally:
        slots.give_back()


def _admit(kind: str) -> Callable[[Request], AsyncIterator[None]]:
    """The dependency that holds a slot of ``kind`` around a route."""

    async def hold_slot(request: Request) -> AsyncIterator[None]:
        with holding(request.app, kind):
            yield

    return hold_slot


QuerySlot = Annotated[None, Depends(_admit("query"), scope="function")]
