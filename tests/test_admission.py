"""Admission control: heavy routes answer 503 busy at once when their slots are taken; the rest stays served."""

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from api.admission import Slots, slots_of
from api.app import create_app
from api.routes import export
from api.settings import Settings
from tests.conftest import PROJECT
from tests.test_api_errors import assert_shape

MINI = PROJECT / "tests" / "data" / "mini.ttl"
# each heavy query route, and what it answers once admitted (the file describes no document)
QUERIES = [("/paths", {"source": "hypoxia", "target": "colonization"}, 200), ("/neighborhood", {"node": "EMT"}, 200),
           ("/documents/example2025", {}, 404)]


@pytest.fixture(scope="module")
def app():
    return create_app(Settings(data_file=MINI, workers=1, export_concurrency=2, query_concurrency=3, export_queue=0,
                               query_queue=0))


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app) as client:
        yield client


def assert_busy(response, kind: str) -> None:
    error = assert_shape(response, 503)
    assert error["code"] == "busy" and error["detail"]["kind"] == kind
    assert response.headers["retry-after"] == "1"


def test_query_routes_refuse_at_once_when_their_slots_are_taken(app, client):
    slots = slots_of(app, "query")
    assert slots.size == 3
    held = [slots.try_take() for _ in range(slots.size)]
    try:
        assert all(held)
        for path, params, _ in QUERIES:
            assert_busy(client.get(path, params=params), "query")
        assert client.get("/health").status_code == 200
        assert client.get("/nodes", params={"q": "EMT"}).status_code == 200
        assert client.get("/export", params={"format": "nt", "node": "EMT"}).status_code == 200  # its own slots
    finally:
        for _ in held:
            slots.give_back()
    for path, params, status in QUERIES:
        assert client.get(path, params=params).status_code == status


def test_running_exports_hold_their_slots_until_answered(client, monkeypatch):
    serialize = export.serialize_selection
    entered, release = threading.Semaphore(0), threading.Event()

    def blocking_serialize(*args):
        entered.release()
        release.wait(timeout=30)
        return serialize(*args)

    monkeypatch.setattr(export, "serialize_selection", blocking_serialize)
    selection = {"format": "nt", "node": "EMT"}
    with ThreadPoolExecutor(max_workers=2) as pool:
        running = [pool.submit(client.get, "/export", params=selection) for _ in range(2)]
        try:
            for _ in running:
                assert entered.acquire(timeout=30)  # both exports are inside the route now
            assert_busy(client.get("/export", params=selection), "export")
            assert client.get("/health").status_code == 200
            assert client.get("/paths", params=QUERIES[0][1]).status_code == 200
        finally:
            release.set()
        assert [future.result().status_code for future in running] == [200, 200]
    assert client.get("/export", params=selection).status_code == 200


def test_a_full_slot_set_queues_a_bounded_number_of_requests():
    app = create_app(Settings(data_file=MINI, workers=1, query_concurrency=1, query_queue=1, admission_wait_s=30))
    path, params, status = QUERIES[1]
    with TestClient(app) as client, ThreadPoolExecutor(max_workers=1) as pool:
        slots = slots_of(app, "query")
        assert slots.try_take()
        waiting = pool.submit(client.get, path, params=params)
        while slots.waiting == 0:  # the request is in the queue now
            assert not waiting.done()
        assert_busy(client.get(path, params=params), "query")  # the queue holds one
        slots.give_back()
        assert waiting.result(timeout=30).status_code == status


def test_settings_keep_threads_for_lookups():
    with pytest.raises(ValueError, match="http_threads"):
        Settings(data_file=MINI, query_concurrency=24, query_queue=128, http_threads=96)


def test_busy_is_documented(client):
    operations = client.get("/openapi.json").json()["paths"]
    for path in ("/paths", "/neighborhood", "/documents/{document}", "/export"):
        assert "busy" in operations[path]["get"]["responses"]["503"]["description"]


def _until(condition) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.001)


def test_waiting_threads_and_coroutines_get_slots_in_the_order_they_came():
    slots, order = Slots(size=1, queue=3, wait_s=30), []

    def pass_on(name: str, taken: bool) -> None:
        order.append((name, taken))
        slots.give_back()

    async def coroutine() -> None:
        pass_on("coroutine", await slots.take_async())

    assert slots.try_take()
    with ThreadPoolExecutor(max_workers=3) as pool:
        pool.submit(lambda: pass_on("first thread", slots.take()))
        _until(lambda: slots.waiting == 1)
        pool.submit(asyncio.run, coroutine())  # on its own event loop, in a thread of its own
        _until(lambda: slots.waiting == 2)
        pool.submit(lambda: pass_on("second thread", slots.take()))
        _until(lambda: slots.waiting == 3)
        slots.give_back()
    assert order == [("first thread", True), ("coroutine", True), ("second thread", True)]
    assert slots.try_take() and not slots.try_take()  # the one slot came back


def test_a_waiter_that_gives_up_leaves_the_queue():
    slots = Slots(size=1, queue=1, wait_s=0.01)
    assert slots.try_take()
    assert not slots.take() and not asyncio.run(slots.take_async())  # both waited, in vain
    assert slots.waiting == 0
    slots.give_back()
    assert slots.try_take()


def test_a_coroutine_cancelled_after_it_was_given_a_slot_gives_it_back():
    async def scenario() -> bool:
        slots = Slots(size=1, queue=1, wait_s=30)
        assert slots.try_take()
        waiter = asyncio.create_task(slots.take_async())
        while slots.waiting == 0:
            await asyncio.sleep(0)
        slots.give_back()  # given to the waiter, which has not run since
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        return slots.waiting == 0 and slots.try_take()

    assert asyncio.run(scenario())
