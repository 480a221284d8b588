"""Whole-graph exports: built once per format, served with a strong ETag, 304 on If-None-Match."""

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from api import export_cache
from api.app import create_app
from api.export_cache import WholeGraphExports
from api.routes.export import WHOLE_GRAPH_MAX_AGE_S
from api.settings import Settings
from kg.exchange.dataset import open_dataset
from kg.exchange.export import FORMATS
from tests.conftest import PROJECT

MINI = PROJECT / "tests" / "data" / "mini.ttl"


@pytest.fixture
def serialisations(monkeypatch) -> list[str]:
    """The formats the whole-graph cache serialises, in call order."""
    calls = []
    serialize = export_cache.serialize_selection

    def counting_serialize(rdf, exchange, fmt, *selection):
        calls.append(fmt)
        return serialize(rdf, exchange, fmt, *selection)

    monkeypatch.setattr(export_cache, "serialize_selection", counting_serialize)
    return calls


@pytest.fixture
def client():
    """A fresh app and dataset per test, so that no export is cached yet."""
    with TestClient(create_app(Settings(data_file=MINI, workers=1))) as client:
        yield client


@pytest.mark.parametrize("fmt", FORMATS)
def test_whole_graph_is_serialised_once_and_revalidates(client, serialisations, fmt):
    first = client.get("/export", params={"format": fmt})
    second = client.get("/export", params={"format": fmt})
    assert first.status_code == second.status_code == 200 and first.content == second.content
    assert serialisations == [fmt]
    etag = first.headers["etag"]
    assert etag == second.headers["etag"] == f'"{hashlib.sha256(first.content).hexdigest()}"'  # strong
    assert first.headers["cache-control"] == f"public, max-age={WHOLE_GRAPH_MAX_AGE_S}"
    unchanged = client.get("/export", params={"format": fmt}, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged.headers["etag"] == etag
    assert serialisations == [fmt]


@pytest.mark.parametrize("if_none_match", ['"{etag}"', 'W/"{etag}"', '"other", "{etag}"', "*"])
def test_if_none_match_forms(client, if_none_match):
    etag = client.get("/export", params={"format": "kgx"}).headers["etag"].strip('"')
    headers = {"If-None-Match": if_none_match.format(etag=etag)}
    assert client.get("/export", params={"format": "kgx"}, headers=headers).status_code == 304


def test_stale_etag_gets_the_file(client):
    response = client.get("/export", params={"format": "kgx"}, headers={"If-None-Match": '"stale"'})
    assert response.status_code == 200 and response.content


def test_aliases_share_one_serialisation(client, serialisations):
    turtle = client.get("/export", params={"format": "turtle"})
    ttl = client.get("/export", params={"format": "ttl"})
    assert turtle.content == ttl.content and len(serialisations) == 1
    assert ttl.headers["content-disposition"] == 'attachment; filename="metastasis-kg.ttl"'


def test_selections_are_not_cached(client, serialisations):
    for _ in range(2):
        response = client.get("/export", params={"format": "nt", "node": "EMT"})
        assert response.status_code == 200 and "etag" not in response.headers
    assert serialisations == []


def test_simultaneous_first_requests_build_once(serialisations):
    dataset, exports, arrived = open_dataset(MINI), WholeGraphExports(), threading.Barrier(20)

    def first_request(_):
        arrived.wait(timeout=30)
        return exports.build(dataset, "turtle")

    with ThreadPoolExecutor(max_workers=20) as pool:
        files = list(pool.map(first_request, range(20)))
    assert serialisations == ["turtle"] and all(file is files[0] for file in files)
    assert exports.cached(dataset, "ttl") is files[0]
