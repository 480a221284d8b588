"""A SPARQL worker process: it opens the on-disk store read-only, confines itself, then answers jobs.

Everything that depends on the query text happens here and never in the server process:
parsing (so a parser that overflows its stack or loops ends this process only), the SERVICE
and update checks, evaluation and serialisation. The order at start-up matters:

1. open the store (the database opens every one of its files now, so none is opened later) and run
   every code path once (imports and lazy set-up open files);
2. deny network, file and exec syscalls (:mod:`kg.sparql.sandbox`): from here on, whatever a
   query says, this process cannot open a socket or a file;
3. answer jobs on a thread with a large stack (pyoxigraph's parser recurses once per nesting
   level: 256 MiB lets a 64 KiB query nest as deep as its length allows, where the default 8 MiB
   stops at ~5,000 levels and kills the process), under an address-space cap set on top of
   the size at rest and a CPU-time limit re-armed per job.

The store is RocksDB: opening it reserves ~400 MB of address space (threads, arenas) but holds
~10 MB; what queries then add is its block cache, up to :data:`STORE_BLOCK_CACHE_BYTES`, and their
own memory. So the cap is the size at rest, plus that cache, plus the query allowance.
"""

import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection

import pyoxigraph as ox
from pyparsing import ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

from kg.errors import InvalidQueryError, QueryRefusedError, QueryTooCostlyError
from kg.sparql import sandbox
from kg.sparql.formats import RDF_FORMAT_BY_NAME, ResultKind, write_boolean, write_graph, write_solutions

QUERY_STACK_BYTES = 256 << 20
WORKER_NICENESS = 10
# Sent as soon as a job is read: a worker that dies before saying it never saw the query.
STARTED = b"started"
# RocksDB's block cache as oxigraph sets it up (block_cache_options capacity in the store's LOG): it
# fills as queries read, and is not part of what one query may use.
STORE_BLOCK_CACHE_BYTES = 32 << 20


@dataclass(frozen=True)
class Job:
    """One query with everything needed to answer it; ``formats`` maps each result kind to the
    negotiated format name, or None where the client accepts none."""

    text: str
    base_iri: str | None
    default_graphs: tuple[str, ...] | None  # None: as the query's own dataset clause says
    named_graphs: tuple[str, ...] | None
    formats: dict[ResultKind, str | None]
    row_cap: int
    cpu_seconds: float
    forward: bool = False  # check only: an external server answers (:mod:`kg.sparql.remote`)


@dataclass(frozen=True)
class Checked:
    """A forwarded job's query, checked here: its kind, the negotiated format and the text to send,
    which is the query with the base IRI the local engine would use as a leading BASE."""

    kind: ResultKind
    format: str
    text: str


@dataclass(frozen=True)
class Answer:
    kind: ResultKind
    format: str
    body: bytes
    truncated: bool
    count: int  # rows (SELECT), triples (CONSTRUCT/DESCRIBE) or 1 (ASK) in ``body``


@dataclass(frozen=True)
class Unacceptable:
    """The query's kind has no format the client accepts (HTTP 406); nothing was evaluated."""

    kind: ResultKind


@dataclass(frozen=True)
class Failure:
    """An error to report: ``code`` is the ``code`` of a :class:`kg.errors.KGError` subclass."""

    code: str
    message: str
    detail: dict | None = None


def refusal(reason: str, message: str) -> Failure:
    return Failure(QueryRefusedError.code, message, {"reason": reason})


SERVICE_REFUSED = refusal("service", "SERVICE (federated query) is refused: this service makes no outgoing requests")
UPDATE_REFUSED = refusal("update", "SPARQL Update is refused: this service is read-only")
OUTSIDE_ACCESS_REFUSED = refusal(
    "service", "the query tried to open a network connection or a file; this service makes no outgoing requests"
)
# Forwarded queries are parsed against this empty store: syntax, kind and dataset IRIs are checked here,
# nothing is evaluated over the data.
_CHECKING_STORE = ox.Store()
# Characters an IRIREF may not hold: a base IRI with one could not be written as a BASE declaration.
_NOT_IN_IRIREF = re.compile(r'[<>"{}|^`\\\x00-\x20]')


# --- evaluation -------------------------------------------------------------------------------
def evaluate(store: ox.Store, job: Job) -> Answer | Checked | Unacceptable | Failure:
    """Answer one job (a forwarded one: check it); errors come back as a :class:`Failure`, never as an exception."""
    service = _names_service(job.text)
    if service:
        return SERVICE_REFUSED
    if service is None and job.forward:  # no seccomp filter guards the external server: refuse what is unclear
        return OUTSIDE_ACCESS_REFUSED
    # Unchecked (None): a SERVICE call may be what fails; the seccomp filter keeps it off the network
    # whatever the error, and the answer says why rather than echo the HTTP client's complaint.
    failed = OUTSIDE_ACCESS_REFUSED if service is None else None
    try:
        results = (_CHECKING_STORE if job.forward else store).query(
            job.text,
            base_iri=job.base_iri,
            default_graph=_graph_terms(job.default_graphs),
            named_graphs=_graph_terms(job.named_graphs),
        )
    except SyntaxError as exc:
        return UPDATE_REFUSED if _parses_as_update(job.text) else Failure(InvalidQueryError.code, str(exc))
    except PermissionError:
        return OUTSIDE_ACCESS_REFUSED
    except (OSError, ValueError) as exc:
        return failed or Failure(InvalidQueryError.code, f"the query failed while running: {exc}")
    kind = _kind_of(results)
    fmt = job.formats.get(kind)
    if fmt is None:
        return Unacceptable(kind)
    if job.forward:
        return _checked(job, kind, fmt)
    try:
        return serialise(results, kind, fmt, job.row_cap)
    except PermissionError:  # a SERVICE call met the seccomp filter
        return OUTSIDE_ACCESS_REFUSED
    except MemoryError:
        return Failure(QueryTooCostlyError.code, "the result needed more memory than one query may use")
    except (OSError, ValueError) as exc:  # errors raised while evaluating
        return failed or Failure(InvalidQueryError.code, f"the query failed while running: {exc}")


def _checked(job: Job, kind: ResultKind, fmt: str) -> Checked | Failure:
    if job.base_iri is None:
        return Checked(kind, fmt, job.text)
    if _NOT_IN_IRIREF.search(job.base_iri):
        return Failure(InvalidQueryError.code, f"the base IRI {job.base_iri!r} cannot be sent on to the SPARQL server")
    # The protocol has no base IRI parameter; a BASE of the query's own prologue still comes after this one.
    return Checked(kind, fmt, f"BASE <{job.base_iri}>\n{job.text}")


def serialise(results, kind: ResultKind, fmt: str, row_cap: int) -> Answer:
    """pyoxigraph ``results`` (of a store, or parsed from a server's answer) in ``fmt``, cut at ``row_cap``."""
    if kind is ResultKind.BOOLEAN:
        return Answer(kind, fmt, write_boolean(fmt, bool(results)), False, 1)
    limited = list(islice(results, row_cap + 1))
    truncated = len(limited) > row_cap
    limited = limited[:row_cap]
    if kind is ResultKind.SOLUTIONS:
        variables = [variable.value for variable in results.variables]
        body = write_solutions(fmt, variables, [list(row) for row in limited], truncated)
    else:
        body = write_graph(fmt, limited)
    return Answer(kind, fmt, body, truncated, len(limited))


def _kind_of(results) -> ResultKind:
    if isinstance(results, ox.QuerySolutions):
        return ResultKind.SOLUTIONS
    if isinstance(results, ox.QueryBoolean):
        return ResultKind.BOOLEAN
    return ResultKind.GRAPH


def _graph_terms(iris: tuple[str, ...] | None) -> list[ox.NamedNode] | None:
    # An IRI that names no graph of the dataset is an empty graph: pyoxigraph never fetches it.
    return None if iris is None else [ox.NamedNode(iri) for iri in iris]


def _names_service(text: str) -> bool | None:
    """Whether the query has a SERVICE pattern, read from rdflib's parse tree; None if it cannot tell.

    pyoxigraph's keywords are plain ASCII, so a query without the letters "service" has none;
    other queries are parsed. Where rdflib's grammar rejects a query that pyoxigraph accepts (SPARQL
    1.2 syntax; rdflib 7.6 also fails on a SERVICE after an IRI holding '#'), the answer is None: the
    query runs, the seccomp filter keeps any SERVICE call off the network, and a failure is
    answered as :data:`OUTSIDE_ACCESS_REFUSED`.
    """
    if "service" not in text.casefold():
        return False
    try:
        tree = parseQuery(text)
    except Exception:  # any parser failure (syntax, recursion depth): pyoxigraph decides
        return None
    return any(getattr(node, "name", None) == "ServiceGraphPattern" for node in _walk(tree))


def _parses_as_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except Exception:  # not an update either: the query parser's message is the one to show
        return False
    return True


def _walk(tree) -> Iterator:
    """Every node of an rdflib parse tree, iteratively (a deep tree must not exhaust the stack)."""
    pending = [tree]
    while pending:
        node = pending.pop()
        yield node
        if isinstance(node, dict):
            pending.extend(node.values())
        elif isinstance(node, list | tuple | ParseResults):
            pending.extend(node)


# --- the process ------------------------------------------------------------------------------
@dataclass(frozen=True)
class WorkerLimits:
    memory_bytes: int  # address space a query may add to the worker's size at rest


def serve(fd: int) -> None:
    """Worker main: limits and the store's directory over socket ``fd``; then jobs until EOF.

    Replies ``("ready", address_space_limit)`` once confined, then :data:`STARTED` and one
    reply per job.
    """
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    # Below the server in the scheduler's eyes: runaway queries on every core must not slow /health.
    os.nice(WORKER_NICENESS)
    conn = Connection(fd)
    try:
        limits, store_directory = conn.recv()
        store = ox.Store.read_only(store_directory)
    except (EOFError, OSError):
        return
    _warm_up(store)
    statm = os.open("/proc/self/statm", os.O_RDONLY)
    sandbox.deny_outside_access()
    threading.stack_size(QUERY_STACK_BYTES)
    answering = threading.Thread(target=_answer_jobs, args=(conn, store, limits, statm), name="sparql-jobs")
    answering.start()
    answering.join()


def _answer_jobs(conn: Connection, store: ox.Store, limits: WorkerLimits, statm: int) -> None:
    ceiling = sandbox.address_space_bytes(statm) + STORE_BLOCK_CACHE_BYTES + limits.memory_bytes
    sandbox.cap_address_space(ceiling)
    try:
        conn.send(("ready", ceiling))
        while True:
            job: Job = conn.recv()
            conn.send_bytes(STARTED)
            sandbox.limit_cpu_seconds(job.cpu_seconds)
            conn.send(evaluate(store, job))
    except (EOFError, OSError):  # the server closed the connection: it no longer needs this worker
        return


def _warm_up(store: ox.Store) -> None:
    """Run every code path once before confinement: first uses import modules and open files."""
    for text in ("SELECT * { ?s ?p ?o } LIMIT 1", "ASK {}", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1",
                 "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "CLEAR ALL", "SELECT"):
        formats = {ResultKind.SOLUTIONS: "json", ResultKind.BOOLEAN: "json", ResultKind.GRAPH: "turtle"}
        for forward in (False, True):
            evaluate(store, Job(text, "http://127.0.0.1:9/", None, None, formats, 1, 60.0, forward))
    for name in ("json", "xml", "csv", "tsv"):
        write_solutions(name, ["x"], [[ox.Literal("1")]], True)
    write_boolean("xml", True)
    for name in RDF_FORMAT_BY_NAME:
        write_graph(name, [ox.Triple(ox.NamedNode("http://x/"), ox.NamedNode("http://x/"), ox.Literal("x"))])


def _exit_with_parent(parent_pid: int) -> None:
    # A server that dies without stopping its workers must not leave a runaway query running
    # forever; pyoxigraph releases the GIL while it evaluates, so this thread gets to run.
    while os.getppid() == parent_pid:
        time.sleep(1.0)
    os._exit(1)
