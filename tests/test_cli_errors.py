"""`kg serve` on data files it cannot serve: one message naming the file, a non-zero exit, no traceback."""

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from kg.cli import main
from tests.conftest import PROJECT

RELATIVE_TURTLE = "<a> <b> <c> .\n"
LATIN_1_TURTLE = '@prefix : <http://example.org/> .\n:tumour :named "café" .\n'.encode("latin-1")
MALFORMED_TURTLE = "@prefix : <http://example.org/> .\n:a :b :c .\n:a :b\n"
BASE = "http://example.org/"


def run_serve(*argv: str) -> subprocess.CompletedProcess:
    """`python -m kg serve ...` as its own process; it must stop before it binds the port."""
    return subprocess.run([sys.executable, "-m", "kg", "serve", "--port", "1", *argv], cwd=PROJECT,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("missing.ttl", None, "RDF data file not found"),
    ("empty.ttl", b"", "holds no triples"),
    ("random.ttl", random.Random(0).randbytes(4096), "a binary file, not Turtle text"),
    ("malformed.ttl", MALFORMED_TURTLE.encode(), "malformed.ttl:4:1: cannot parse as Turtle: Unexpected end"),
    ("latin1.ttl", LATIN_1_TURTLE, "latin1.ttl:2:20: cannot parse as Turtle: not UTF-8 text"),
    ("relative.ttl", RELATIVE_TURTLE.encode(), "relative.ttl:1:1: cannot parse as Turtle: No scheme found"),
])
def test_serve_refuses_a_bad_data_file_with_one_message(tmp_path: Path, name: str, content: bytes | None,
                                                         message: str):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run_serve("--data", str(path))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"kg serve: {path}") and result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr


def test_a_relative_iri_message_says_how_to_give_a_base(tmp_path: Path, capsys):
    path = tmp_path / "relative.ttl"
    path.write_text(RELATIVE_TURTLE)
    assert main(["serve", "--data", str(path)]) == 1
    assert "needs a base IRI to resolve it against (kg serve --base" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "message"), [
    (["--format", "bogus"], "unknown RDF format 'bogus'"),
    (["--base", "not an iri"], "invalid base IRI 'not an iri'"),
    (["--port", "0"], "invalid setting port (KG_PORT)"),
    (["--http-workers", "99"], "invalid setting http_workers (KG_HTTP_WORKERS)"),
])
def test_bad_options_are_one_message_too(tmp_path: Path, capsys, argv: list[str], message: str):
    path = tmp_path / "relative.ttl"
    path.write_text(RELATIVE_TURTLE)
    assert main(["serve", "--data", str(path), *argv]) == 1
    assert message in capsys.readouterr().err


@pytest.fixture
def started(monkeypatch) -> dict:
    """What `kg serve` hands to uvicorn.run, which is replaced so that nothing listens."""
    calls = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.update(app=app, **options))
    monkeypatch.setattr(os, "environ", dict(os.environ))  # the several-workers path exports KG_* variables
    return calls


def test_serve_with_base_resolves_relative_iris(tmp_path: Path, started: dict):
    path = tmp_path / "relative.data"
    path.write_text(RELATIVE_TURTLE)
    assert main(["serve", "--data", str(path), "--format", "text/turtle", "--base", BASE]) == 0
    with TestClient(started["app"]) as client:
        answer = client.get("/sparql", params={"query": "SELECT ?s { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
    assert answer.text.split() == ["s", f"{BASE}a"]


def test_several_workers_get_the_data_options_through_the_environment(tmp_path: Path, started: dict):
    path = tmp_path / "relative.ttl"
    path.write_text(RELATIVE_TURTLE)
    assert main(["serve", "--data", str(path), "--base", BASE, "--http-workers", "2"]) == 0
    assert started["app"] == "api.app:create_app" and os.environ["KG_DATA_BASE_IRI"] == BASE


def test_an_empty_graph_is_served_when_asked_for(tmp_path: Path, started: dict):
    path = tmp_path / "empty.nt"
    path.write_text("")
    assert main(["serve", "--data", str(path), "--allow-empty"]) == 0
    with TestClient(started["app"]) as client:
        assert client.get("/health").json()["triples"] == 0
