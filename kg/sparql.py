"""Read-only SPARQL 1.1 query engine over the served RDF dataset (a library: no HTTP here).

Engine choice, by measurement
-----------------------------
Same synthetic graph (100,000 triples: 20,000 typed and labelled entities, 3 random edges each),
each engine in its own process, median of 5 runs (2 CPUs, Python 3.11, rdflib 7.6,
pyoxigraph 0.5.13)::

                          rdflib      pyoxigraph
    load N-Triples        3.84 s      0.45 s
    label lookup          2.9 ms      0.1 ms
    two-hop join          3.3 ms      0.1 ms
    GROUP BY count        325 ms      9.6 ms
    property path (+)     5.6 ms      0.1 ms
    CONTAINS filter       1298 ms     10.4 ms
    peak RSS              167 MiB     82 MiB

Command: ``python bench/sparql_engines.py {rdflib|pyoxigraph} 20000``. pyoxigraph is 30 to
125 times faster, needs half the memory and is tested by its authors against the W3C SPARQL 1.1
suites, so it evaluates every query. rdflib is not needed on this path: pyoxigraph also parses every input syntax
(``kg/rdfio.py``) and serialises every graph result format, and it never fetches remote
JSON-LD contexts.

Safety
------
* Read-only: only ``Store.query`` is ever called; an update is refused before it is parsed.
* No network, no files: a lexical scan (:func:`analyse_query`) refuses ``SERVICE`` (pyoxigraph
  would call the remote endpoint over HTTP) and any FROM / FROM NAMED / protocol graph IRI
  that is not a graph of the served dataset. pyoxigraph itself never dereferences dataset
  IRIs either: an unknown one is just an empty graph.
* Time limit that really stops the work: queries run in worker processes (each one holds its
  own copy of the dataset); when a query overruns, its worker is killed (SIGKILL) and a fresh
  one is started in the background, so a runaway cartesian product costs one worker
  restart and never blocks the server. Starting a worker (new interpreter, imports, loading
  the dataset) takes 0.18 s for the test fixtures and 0.6-0.9 s for 100k triples (bound
  checked in ``tests/test_sparql_engine.py``), so the pool keeps ``workers`` of them warm. A
  worker whose server dies without stopping it exits within a second (it watches its parent).
* Row cap: SELECT rows and CONSTRUCT/DESCRIBE triples are cut at ``row_cap`` and the result says
  so (``QueryResult.truncated``; SPARQL JSON also gets a top-level ``"truncated": true``,
  a key result readers ignore).
* Query length is capped (``max_query_bytes``).
"""

import csv
import html
import io
import json
import logging
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import urljoin

import pyoxigraph as ox

from kg.errors import (
    EngineUnavailableError,
    InvalidQueryError,
    QueryRefusedError,
    QueryTimeoutError,
    QueryTooLargeError,
)

log = logging.getLogger(__name__)

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_INT = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


class QueryForm(StrEnum):
    SELECT = "select"
    ASK = "ask"
    CONSTRUCT = "construct"
    DESCRIBE = "describe"


GRAPH_FORMS = frozenset({QueryForm.CONSTRUCT, QueryForm.DESCRIBE})
SOLUTION_FORMS = frozenset({QueryForm.SELECT, QueryForm.ASK})


@dataclass(frozen=True)
class ResultFormat:
    """A serialisation the engine can write, with the media types that select it."""

    name: str
    media_type: str
    aliases: tuple[str, ...]
    forms: frozenset[QueryForm]
    iri: str  # the W3C format IRI (http://www.w3.org/ns/formats/...) for the service description

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


def _bare(media_type: str) -> str:
    return media_type.split(";")[0].strip()  # pyoxigraph adds "; charset=utf-8" to text types


def _solution_format(name: str, results: ox.QueryResultsFormat, aliases: tuple[str, ...], forms) -> ResultFormat:
    return ResultFormat(name, _bare(results.media_type), aliases, frozenset(forms), results.iri)


def _graph_format(name: str, rdf: ox.RdfFormat, aliases: tuple[str, ...], iri: str = "") -> ResultFormat:
    return ResultFormat(name, _bare(rdf.media_type), aliases, GRAPH_FORMS, iri or rdf.iri)


# Server preference order: the first format of a query form is its default.
RESULT_FORMATS: tuple[ResultFormat, ...] = (
    _solution_format("json", ox.QueryResultsFormat.JSON, ("application/json",), SOLUTION_FORMS),
    _solution_format("xml", ox.QueryResultsFormat.XML, ("application/xml", "text/xml"), SOLUTION_FORMS),
    _solution_format("csv", ox.QueryResultsFormat.CSV, (), {QueryForm.SELECT}),
    _solution_format("tsv", ox.QueryResultsFormat.TSV, (), {QueryForm.SELECT}),
    _graph_format("turtle", ox.RdfFormat.TURTLE, ("application/x-turtle",)),
    _graph_format("n-triples", ox.RdfFormat.N_TRIPLES, ()),
    _graph_format("rdf-xml", ox.RdfFormat.RDF_XML, ("application/xml", "text/xml")),
    # pyoxigraph names JSON-LD by a non-standard IRI; the W3C formats list has this one.
    _graph_format("json-ld", ox.RdfFormat.JSON_LD, ("application/json",), "http://www.w3.org/ns/formats/JSON-LD"),
)
RDF_FORMAT_BY_NAME = {
    "turtle": ox.RdfFormat.TURTLE,
    "n-triples": ox.RdfFormat.N_TRIPLES,
    "rdf-xml": ox.RdfFormat.RDF_XML,
    "json-ld": ox.RdfFormat.JSON_LD,
}


def formats_for(form: QueryForm) -> list[ResultFormat]:
    """The formats a result of ``form`` can be written in, in server preference order."""
    return [fmt for fmt in RESULT_FORMATS if form in fmt.forms]


# --- lexical analysis -------------------------------------------------------------------------
# pyoxigraph parses and evaluates in one call and exposes no parse tree, so the checks that
# must happen before anything runs (update? SERVICE? which dataset?) read the token stream. The
# scan only has to classify tokens, not parse: SERVICE, FROM and the query form keyword can
# only occur as bare words, so strings, IRIs, comments and prefixed names are skipped whole.
_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<var>[?$]\w+)
    | (?P<bnode>_:[\w.-]*)
    | (?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[\w:%.-]|\\.)*(?<!\.))
    | (?P<word>[^\W\d]\w*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_FORM_KEYWORDS = {form.name: form for form in QueryForm}
_UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})


@dataclass(frozen=True)
class QueryShape:
    """What a lexical scan learns about a query before it is run."""

    form: QueryForm | None  # None: no query form keyword after the prologue (not a query)
    is_update: bool
    uses_service: bool
    from_graphs: tuple[str, ...]
    from_named_graphs: tuple[str, ...]


def analyse_query(text: str, base_iri: str | None = None) -> QueryShape:
    """Classify ``text`` by its tokens: query form, update or not, SERVICE, dataset clause IRIs."""
    tokens = [
        (match.lastgroup, match.group())
        for match in _TOKEN.finditer(text)
        if match.lastgroup not in ("space", "comment")
    ]
    prefixes: dict[str, str] = {}
    base = base_iri
    position = 0
    while position < len(tokens):
        keyword = _keyword(tokens[position])
        following = tokens[position + 1 : position + 3]
        if keyword == "BASE" and following[:1] and following[0][0] == "iri":
            base = urljoin(base or "", following[0][1][1:-1])
            position += 2
        elif keyword == "PREFIX" and len(following) == 2 and following[1][0] == "iri":
            prefixes[following[0][1].rstrip(":")] = urljoin(base or "", following[1][1][1:-1])
            position += 3
        elif keyword == "VERSION":
            position += 2
        else:
            break
    first = _keyword(tokens[position]) if position < len(tokens) else None
    from_graphs: list[str] = []
    from_named_graphs: list[str] = []
    for index, token in enumerate(tokens):
        if _keyword(token) != "FROM":
            continue
        named = index + 1 < len(tokens) and _keyword(tokens[index + 1]) == "NAMED"
        target = tokens[index + 2] if named else tokens[index + 1] if index + 1 < len(tokens) else None
        iri = _resolve(target, prefixes, base) if target else None
        if iri is not None:
            (from_named_graphs if named else from_graphs).append(iri)
    return QueryShape(
        form=_FORM_KEYWORDS.get(first or ""),
        is_update=first in _UPDATE_KEYWORDS,
        uses_service=any(_keyword(token) == "SERVICE" for token in tokens),
        from_graphs=tuple(from_graphs),
        from_named_graphs=tuple(from_named_graphs),
    )


def _keyword(token: tuple[str | None, str]) -> str | None:
    kind, value = token
    return value.upper() if kind == "word" else None


def _resolve(token: tuple[str | None, str], prefixes: dict[str, str], base: str | None) -> str | None:
    kind, value = token
    if kind == "iri":
        return urljoin(base or "", value[1:-1])
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None  # not an IRI: the parser will reject the clause


# --- the request and its answer ---------------------------------------------------------------
@dataclass(frozen=True)
class PreparedQuery:
    """A query that passed every check and may be sent to a worker."""

    text: str
    form: QueryForm
    base_iri: str | None
    default_graphs: tuple[str, ...] | None  # None: as the query's own dataset clause says
    named_graphs: tuple[str, ...] | None


@dataclass(frozen=True)
class QueryResult:
    body: bytes
    media_type: str
    truncated: bool  # the row cap cut the result
    row_count: int  # rows (SELECT), triples (CONSTRUCT/DESCRIBE) or 1 (ASK) in ``body``


@dataclass(frozen=True)
class QueryLimits:
    timeout_s: float
    row_cap: int
    max_query_bytes: int


@dataclass(frozen=True)
class DatasetSummary:
    quad_count: int
    default_graph_triples: int
    named_graph_triples: dict[str, int]


# --- result serialisation (runs in the worker) ------------------------------------------------
def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
        return {"type": "triple", "value": {key: _json_term(part) for key, part in parts.items()}}
    encoded = {"type": "literal", "value": term.value}
    if term.language:
        encoded["xml:lang"] = term.language
        if term.direction is not None:
            encoded["its:dir"] = str(term.direction).lower()
    elif term.datatype.value != XSD_STRING:
        encoded["datatype"] = term.datatype.value
    return encoded


def _xml_escape(text: str) -> str:
    # html.escape writes valid XML too; xml.sax.saxutils would add 40 ms to worker start-up.
    return html.escape(text, quote=True)


def _xml_attr(text: str) -> str:
    return f'"{_xml_escape(text)}"'


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    if term.language:
        return f"<literal xml:lang={_xml_attr(term.language)}>{_xml_escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={_xml_attr(term.datatype.value)}>{_xml_escape(term.value)}</literal>"
    return f"<literal>{_xml_escape(term.value)}</literal>"


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


_XML_HEAD = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def _write_solutions(fmt: str, variables: list[str], rows: list, truncated: bool) -> bytes:
    if fmt == "json":
        bindings = [
            {name: _json_term(term) for name, term in zip(variables, row, strict=True) if term is not None}
            for row in rows
        ]
        document: dict = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        if truncated:
            document["truncated"] = True
        return json.dumps(document, ensure_ascii=False).encode()
    if fmt == "xml":
        parts = [_XML_HEAD, "<head>", *(f"<variable name={_xml_attr(v)}/>" for v in variables)]
        parts.append("</head><results>")
        for row in rows:
            bound = zip(variables, row, strict=True)
            cells = (f"<binding name={_xml_attr(v)}>{_xml_term(t)}</binding>" for v, t in bound if t is not None)
            parts.append(f"<result>{''.join(cells)}</result>")
        parts.append("</results></sparql>\n")
        return "\n".join(parts).encode()
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_value(term) for term in row] for row in rows)
        return out.getvalue().encode()
    # TSV: terms in their N-Triples form, which str() of a pyoxigraph term already is.
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if term is None else str(term) for term in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def _write_boolean(fmt: str, value: bool) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    return f"{_XML_HEAD}\n<head/>\n<boolean>{str(value).lower()}</boolean>\n</sparql>\n".encode()


# --- worker process ---------------------------------------------------------------------------
_RESULT_TYPES = {
    QueryForm.SELECT: ox.QuerySolutions,
    QueryForm.ASK: ox.QueryBoolean,
    QueryForm.CONSTRUCT: ox.QueryTriples,
    QueryForm.DESCRIBE: ox.QueryTriples,
}


def _graph_terms(iris: Sequence[str] | None) -> list[ox.NamedNode] | None:
    return None if iris is None else [ox.NamedNode(iri) for iri in iris]


def _evaluate(store: ox.Store, job: tuple) -> tuple:
    """Run one job; the reply is ``("ok", body, truncated, count)`` or ``("error", code, message)``."""
    text, form, base_iri, default_graphs, named_graphs, fmt, row_cap = job
    try:
        results = store.query(
            text,
            base_iri=base_iri,
            default_graph=_graph_terms(default_graphs),
            named_graphs=_graph_terms(named_graphs),
        )
        if not isinstance(results, _RESULT_TYPES[QueryForm(form)]):
            return ("error", InvalidQueryError.code, f"the query is not of the {form.upper()} form it seemed")
        if isinstance(results, ox.QueryBoolean):
            return ("ok", _write_boolean(fmt, bool(results)), False, 1)
        limited = list(islice(results, row_cap + 1))
        truncated = len(limited) > row_cap
        limited = limited[:row_cap]
        if isinstance(results, ox.QuerySolutions):
            variables = [variable.value for variable in results.variables]
            body = _write_solutions(fmt, variables, [list(row) for row in limited], truncated)
        else:
            body = ox.serialize(limited, format=RDF_FORMAT_BY_NAME[fmt])
        return ("ok", body, truncated, len(limited))
    except SyntaxError as exc:
        return ("error", InvalidQueryError.code, str(exc))
    except (OSError, ValueError) as exc:  # errors raised while evaluating
        return ("error", InvalidQueryError.code, f"the query failed while running: {exc}")


def serve_worker(fd: int) -> None:
    """Worker main loop on socket ``fd``: load the dataset snapshot, then answer jobs until EOF."""
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    conn = Connection(fd)
    try:
        store = ox.Store()
        store.bulk_load(conn.recv_bytes(), format=ox.RdfFormat.N_QUADS)
        conn.send(("ready", len(store)))
        while True:
            conn.send(_evaluate(store, conn.recv()))
    except (EOFError, OSError):  # the server closed the connection: it no longer needs this worker
        return


def _exit_with_parent(parent_pid: int) -> None:
    # A server that dies without stopping its workers must not leave a runaway query running
    # forever; pyoxigraph releases the GIL while it evaluates, so this thread gets to run.
    while os.getppid() == parent_pid:
        time.sleep(1.0)
    os._exit(1)


# A fresh interpreter rather than multiprocessing's spawn: spawn re-imports the parent's
# __main__ (a script without a main guard would start servers recursively); this starts only
# what the worker needs.
_WORKER_COMMAND = "import sys; from kg.sparql import serve_worker; serve_worker(int(sys.argv[1]))"
_IMPORT_ROOT = str(Path(__file__).resolve().parent.parent)  # so the child imports this same kg


class _Worker:
    """One evaluation process with its own in-memory copy of the dataset."""

    def __init__(self, snapshot: bytes, start_timeout_s: float):
        parent_socket, child_socket = socket.socketpair()
        python_path = os.pathsep.join(filter(None, [_IMPORT_ROOT, os.environ.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-c", _WORKER_COMMAND, str(child_socket.fileno())],
            pass_fds=[child_socket.fileno()],
            stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": python_path},
        )
        child_socket.close()
        self.conn = Connection(parent_socket.detach())
        try:
            self.conn.send_bytes(snapshot)
            if not self.conn.poll(start_timeout_s):
                raise TimeoutError(f"no answer within {start_timeout_s} s")
            self.conn.recv()
        except (OSError, EOFError, TimeoutError) as exc:
            self.kill()
            raise EngineUnavailableError(f"a SPARQL worker failed to start: {exc!r}") from exc

    def run(self, job: tuple, timeout_s: float) -> tuple:
        """The worker's reply; TimeoutError if it has none in time, EOFError if it died."""
        self.conn.send(job)
        if not self.conn.poll(timeout_s):
            raise TimeoutError
        return self.conn.recv()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=5)
        self.conn.close()


class _WorkerPool:
    """A fixed number of warm workers; a worker that overruns is killed and replaced."""

    START_TIMEOUT_S = 120.0

    def __init__(self, store: ox.Store, size: int):
        self._store = store
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._live: set[_Worker] = set()
        for _ in range(size):
            self._release(self._start_worker())

    def _start_worker(self) -> _Worker:
        worker = _Worker(self._store.dump(format=ox.RdfFormat.N_QUADS), self.START_TIMEOUT_S)
        with self._lock:
            self._live.add(worker)
        return worker

    def _release(self, worker: _Worker) -> None:
        if self._closed.is_set():
            self._discard(worker)
        else:
            self._idle.put(worker)

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._live.discard(worker)

    def _replace_in_background(self) -> None:
        def replace() -> None:
            delay_s = 0.5
            while not self._closed.is_set():
                try:
                    self._release(self._start_worker())
                    return
                except Exception:  # keep trying: a pool that loses all workers answers nothing
                    log.exception("restarting a SPARQL worker failed; retrying in %.1f s", delay_s)
                    self._closed.wait(delay_s)
                    delay_s = min(delay_s * 2, 30.0)

        threading.Thread(target=replace, name="sparql-worker-restart", daemon=True).start()

    def run(self, job: tuple, timeout_s: float) -> tuple:
        try:
            worker = self._idle.get(timeout=timeout_s)
        except queue.Empty:
            raise EngineUnavailableError(
                f"every SPARQL worker stayed busy for {timeout_s} s; try again shortly",
                detail={"retry_after_s": max(1, round(timeout_s))},
            ) from None
        started = time.monotonic()
        try:
            reply = worker.run(job, timeout_s)
        except TimeoutError:
            self._discard(worker)
            self._replace_in_background()
            raise QueryTimeoutError(
                f"the query ran longer than {timeout_s} s and was stopped",
                detail={"timeout_s": timeout_s, "elapsed_s": round(time.monotonic() - started, 3)},
            ) from None
        except (EOFError, OSError) as exc:  # the worker died (for example out of memory)
            log.error("a SPARQL worker died while running a query: %r", exc)
            self._discard(worker)
            self._replace_in_background()
            raise EngineUnavailableError(
                "the query worker stopped unexpectedly; try again", detail={"retry_after_s": 1}
            ) from None
        self._release(worker)
        return reply

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            workers = list(self._live)
            self._live.clear()
        for worker in workers:
            worker.kill()


# --- the engine -------------------------------------------------------------------------------
class SparqlEngine:
    """Answers read-only SPARQL queries over one dataset, within time and size limits."""

    def __init__(self, store: ox.Store, limits: QueryLimits, workers: int = 1):
        self.limits = limits
        self.summary = _summarise(store)
        self.graph_names = frozenset(self.summary.named_graph_triples)
        self._pool = _WorkerPool(store, workers)

    @classmethod
    def from_file(
        cls, path: str | Path, limits: QueryLimits, *, format_name: str | None = None, workers: int = 1
    ) -> "SparqlEngine":
        from kg.rdfio import load_dataset  # the workers never need the file loader

        return cls(load_dataset(path, format_name), limits, workers)

    def prepare(
        self,
        text: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        base_iri: str | None = None,
    ) -> PreparedQuery:
        """Check ``text`` and its protocol dataset against every rule before anything runs.

        A protocol dataset (``default_graph_uris``/``named_graph_uris``) replaces the query's
        FROM / FROM NAMED entirely, as the SPARQL 1.1 Protocol prescribes; a list left empty
        then means an empty default graph, or no named graphs.
        """
        size = len(text.encode())
        if size > self.limits.max_query_bytes:
            raise QueryTooLargeError(
                f"the query has {size} bytes; the limit is {self.limits.max_query_bytes}",
                detail={"bytes": size, "limit": self.limits.max_query_bytes},
            )
        shape = analyse_query(text, base_iri)
        if shape.is_update:
            raise update_refused()
        if shape.uses_service:
            raise QueryRefusedError(
                "SERVICE (federated query) is refused: this service makes no outgoing requests",
                detail={"reason": "service"},
            )
        if shape.form is None:
            raise InvalidQueryError(_parser_message(text, base_iri), detail={"query": text[:200]})
        protocol_dataset = bool(default_graph_uris or named_graph_uris)
        if protocol_dataset:
            requested = [*default_graph_uris, *named_graph_uris]
        else:
            requested = [*shape.from_graphs, *shape.from_named_graphs]
        unknown = sorted({iri for iri in requested if iri not in self.graph_names})
        if unknown:
            raise QueryRefusedError(
                "the dataset names graphs that this service does not serve; nothing is fetched",
                detail={"reason": "graph_not_served", "graphs": unknown, "served": sorted(self.graph_names)},
            )
        return PreparedQuery(
            text=text,
            form=shape.form,
            base_iri=base_iri,
            default_graphs=tuple(default_graph_uris) if protocol_dataset else None,
            named_graphs=tuple(named_graph_uris) if protocol_dataset else None,
        )

    def run(self, query: PreparedQuery, result_format: ResultFormat) -> QueryResult:
        """Evaluate in a worker within the time limit and serialise at most ``row_cap`` rows."""
        if query.form not in result_format.forms:
            raise InvalidQueryError(
                f"a {query.form.name} result cannot be written as {result_format.media_type}",
                detail={"form": query.form.value, "format": result_format.name},
            )
        job = (
            query.text,
            query.form.value,
            query.base_iri,
            query.default_graphs,
            query.named_graphs,
            result_format.name,
            self.limits.row_cap,
        )
        reply = self._pool.run(job, self.limits.timeout_s)
        if reply[0] == "error":
            raise InvalidQueryError(reply[2])
        _, body, truncated, count = reply
        return QueryResult(body, result_format.media_type, truncated, count)

    def service_description(self, endpoint_url: str, rdf_format: ResultFormat) -> bytes:
        """A SPARQL 1.1 Service Description of this engine served at ``endpoint_url``."""
        service = ox.NamedNode(endpoint_url)
        triples: list[ox.Triple] = []

        def add(subject, predicate: str, obj) -> None:
            triples.append(ox.Triple(subject, ox.NamedNode(predicate), obj))

        add(service, RDF_TYPE, ox.NamedNode(f"{SD}Service"))
        add(service, f"{SD}endpoint", service)
        add(service, f"{SD}supportedLanguage", ox.NamedNode(f"{SD}SPARQL11Query"))
        for fmt in RESULT_FORMATS:
            add(service, f"{SD}resultFormat", ox.NamedNode(fmt.iri))
        dataset = ox.BlankNode("dataset")
        add(service, f"{SD}defaultDataset", dataset)
        add(dataset, RDF_TYPE, ox.NamedNode(f"{SD}Dataset"))
        default_graph = ox.BlankNode("defaultGraph")
        add(dataset, f"{SD}defaultGraph", default_graph)
        add(default_graph, RDF_TYPE, ox.NamedNode(f"{SD}Graph"))
        add(
            default_graph,
            f"{VOID}triples",
            ox.Literal(str(self.summary.default_graph_triples), datatype=_XSD_INT),
        )
        for index, (name, count) in enumerate(sorted(self.summary.named_graph_triples.items())):
            named, graph = ox.BlankNode(f"namedGraph{index}"), ox.BlankNode(f"graph{index}")
            add(dataset, f"{SD}namedGraph", named)
            add(named, RDF_TYPE, ox.NamedNode(f"{SD}NamedGraph"))
            add(named, f"{SD}name", ox.NamedNode(name))
            add(named, f"{SD}graph", graph)
            add(graph, RDF_TYPE, ox.NamedNode(f"{SD}Graph"))
            add(graph, f"{VOID}triples", ox.Literal(str(count), datatype=_XSD_INT))
        prefixes = {"sd": SD, "void": VOID, "formats": "http://www.w3.org/ns/formats/"}
        return ox.serialize(triples, format=RDF_FORMAT_BY_NAME[rdf_format.name], prefixes=prefixes)

    def close(self) -> None:
        self._pool.close()


def update_refused() -> QueryRefusedError:
    """The error for any update request, whichever way it arrives."""
    return QueryRefusedError("SPARQL Update is refused: this service is read-only", detail={"reason": "update"})


def _summarise(store: ox.Store) -> DatasetSummary:
    named = {
        graph.value: sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
        for graph in store.named_graphs()
        if isinstance(graph, ox.NamedNode)
    }
    total = len(store)
    return DatasetSummary(total, total - sum(named.values()), named)


def _parser_message(text: str, base_iri: str | None) -> str:
    """pyoxigraph's own message for text that is not a query (no query form after the prologue).

    The text is parsed against an empty store: text without a query form fails in the parser,
    before anything could be evaluated.
    """
    try:
        ox.Store().query(text, base_iri=base_iri)
    except SyntaxError as exc:
        return str(exc)
    return "the text is not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE)"
