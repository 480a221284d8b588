"""Admission control: heavy routes answer 503 busy at once when their slots are taken; the rest stays served."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from api.admission import slots_of
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
        while slots._waiting == 0:  # the request is in the queue now
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
