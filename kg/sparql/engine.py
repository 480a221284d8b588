"""The server side of the SPARQL engine: a pool of confined worker processes and the rules around it.

The server process never parses or evaluates query text: it checks the query's length, hands
it to an idle worker (:mod:`kg.sparql.worker`) and waits at most ``timeout_s`` for the answer,
which is already serialised. A worker that overruns is killed (SIGKILL) and replaced in the
background; one that dies (its memory cap, its stack) is replaced and the query is answered
:class:`QueryTooCostlyError`; one found dead while idle is replaced before any query reaches it.
At most ``workers + queue`` queries are admitted at once; the next one is refused at once with
:class:`EngineUnavailableError` (HTTP 503 with Retry-After) instead of queueing without end.
With ``endpoint_url`` the workers only check each query and an external SPARQL server evaluates
it (:mod:`kg.sparql.remote`).
"""

import functools
import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from kg.errors import (
    EngineUnavailableError,
    InvalidQueryError,
    KGError,
    NotAcceptableError,
    QueryRefusedError,
    QueryTimeoutError,
    QueryTooCostlyError,
    QueryTooLargeError,
)
from kg.exchange.progress import phase
from kg.sparql.formats import RDF_FORMAT_BY_NAME, RESULT_FORMATS, ResultFormat, ResultKind
from kg.sparql.remote import RemoteEndpoint
from kg.sparql.worker import STARTED, UPDATE_REFUSED, Answer, Checked, Failure, Job, Unacceptable, WorkerLimits

log = logging.getLogger(__name__)

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_INT = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
FORMAT_BY_NAME = {fmt.name: fmt for fmt in RESULT_FORMATS}
ERROR_BY_CODE: dict[str, type[KGError]] = {
    error.code: error for error in (InvalidQueryError, QueryRefusedError, QueryTooCostlyError)
}


@dataclass(frozen=True)
class QueryLimits:
    timeout_s: float  # the whole request: waiting for a worker, evaluating, serialising
    row_cap: int
    max_query_bytes: int
    memory_mb: int = 1024  # address space one query may add to a worker at rest


@dataclass(frozen=True)
class QueryRequest:
    """A query as the protocol delivers it. A protocol dataset (``default_graph_uris`` /
    ``named_graph_uris``) replaces the query's FROM / FROM NAMED entirely, as the SPARQL 1.1
    Protocol prescribes; a list left empty then means an empty default graph, or no named graphs.
    IRIs that name no graph of the dataset are empty graphs: nothing is ever fetched."""

    text: str
    base_iri: str | None = None
    default_graph_uris: Sequence[str] = ()
    named_graph_uris: Sequence[str] = ()


@dataclass(frozen=True)
class QueryResult:
    body: bytes
    kind: ResultKind
    format: ResultFormat
    truncated: bool  # the row cap cut the result
    row_count: int  # rows (SELECT), triples (CONSTRUCT/DESCRIBE) or 1 (ASK) in ``body``


@dataclass(frozen=True)
class DatasetSummary:
    quad_count: int
    default_graph_triples: int
    named_graph_triples: dict[str, int]


# A fresh interpreter rather than multiprocessing's spawn: spawn re-imports the parent's
# __main__ (a script without a main guard would start servers recursively); this starts only
# what the worker needs.
_WORKER_COMMAND = (
    "import os; os.nice(10); import sys; from kg.sparql.worker import serve; serve(int(sys.argv[1]))"
)
_IMPORT_ROOT = str(Path(__file__).resolve().parents[2])  # so the child imports this same kg


class _Worker:
    """One confined evaluation process; it opens the on-disk store read-only."""

    def __init__(self, store_directory: str, limits: WorkerLimits, start_timeout_s: float):
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
            self.conn.send((limits, store_directory))
            if not self.conn.poll(start_timeout_s):
                raise TimeoutError(f"no answer within {start_timeout_s} s")
            _, self.address_space_limit = self.conn.recv()
        except (OSError, EOFError, TimeoutError, ValueError) as exc:
            self.kill()
            raise EngineUnavailableError(f"a SPARQL worker failed to start: {exc!r}") from exc

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, job: Job, timeout_s: float) -> None:
        """Hand over a job and wait for the worker to take it: EOFError or OSError means it was gone
        before it saw the job; TimeoutError that it did not take it in time."""
        self.conn.send(job)
        if not self.conn.poll(max(timeout_s, 0.0)):
            raise TimeoutError
        if self.conn.recv_bytes() != STARTED:
            raise OSError("the worker answered out of turn")

    def receive(self, timeout_s: float) -> Answer | Checked | Unacceptable | Failure:
        """The reply; TimeoutError if none comes in time, EOFError/OSError if the worker died."""
        if not self.conn.poll(max(timeout_s, 0.0)):
            raise TimeoutError
        return self.conn.recv()

    def exit_signal(self) -> int | None:
        """The signal that ended the worker (it just died: wait briefly for the kernel to say)."""
        try:
            code = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return None
        return -code if code < 0 else None

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=5)
        self.conn.close()


class _WorkerPool:
    """A fixed number of warm workers; a worker that overruns or dies is replaced."""

    START_TIMEOUT_S = 120.0

    def __init__(self, store_directory: str, size: int, limits: WorkerLimits):
        self._store_directory = store_directory
        self._limits = limits
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._live: set[_Worker] = set()
        for _ in range(size):
            self._release(self._start_worker())

    def _start_worker(self) -> _Worker:
        worker = _Worker(self._store_directory, self._limits, self.START_TIMEOUT_S)
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

    def _retire(self, worker: _Worker) -> None:
        """Kill ``worker`` and start its replacement in the background."""
        self._discard(worker)

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

    def _checkout(self, deadline: float) -> _Worker:
        """An idle, living worker; a dead one found idle is replaced, never handed a query."""
        while True:
            try:
                worker = self._idle.get(timeout=max(deadline - time.monotonic(), 0.0))
            except queue.Empty:
                raise EngineUnavailableError(
                    "every SPARQL worker stayed busy until the query's time limit; try again shortly",
                    detail={"retry_after_s": 1},
                ) from None
            if worker.alive:
                return worker
            log.warning("a SPARQL worker died while idle (exit %s); replacing it", worker.process.returncode)
            self._retire(worker)

    def run(self, job: Job, deadline: float) -> Answer | Checked | Unacceptable | Failure:
        while True:
            worker = self._checkout(deadline)
            started = time.monotonic()
            try:
                worker.send(job, deadline - started)
            except (EOFError, OSError):  # gone between the check and the send: it never saw the job
                self._retire(worker)
                continue
            except TimeoutError:
                self._retire(worker)
                raise self._timeout(job, started) from None
            try:
                reply = worker.receive(deadline - time.monotonic())
            except TimeoutError:
                self._retire(worker)
                raise self._timeout(job, started) from None
            except (EOFError, OSError):
                died_of = worker.exit_signal()
                self._retire(worker)
                raise self._death_error(died_of) from None
            self._release(worker)
            return reply

    @staticmethod
    def _timeout(job: Job, started: float) -> QueryTimeoutError:
        return QueryTimeoutError(
            f"the query ran longer than {job.cpu_seconds} s and was stopped",
            detail={"timeout_s": job.cpu_seconds, "elapsed_s": round(time.monotonic() - started, 3)},
        )

    def _death_error(self, died_of: int | None) -> KGError:
        if died_of == signal.SIGXCPU:
            return QueryTimeoutError("the query used up its CPU time and was stopped")
        log.warning("a SPARQL worker died while answering a query (signal %s)", died_of)
        return QueryTooCostlyError(
            "the query needed more memory or deeper nesting than one query may use, and was stopped; "
            "narrow it (LIMIT, fewer joins or nested groups)",
            detail={"memory_mb": self._limits.memory_bytes >> 20, "signal": died_of},
        )

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            workers = list(self._live)
            self._live.clear()
        for worker in workers:
            worker.kill()


class SparqlEngine:
    """Answers read-only SPARQL queries over one dataset, within time, size and memory limits.

    ``workers`` processes evaluate (with ``endpoint_url``: check, and the server there evaluates);
    up to ``queue`` more queries may wait for one of them.
    """

    def __init__(self, store: ox.Store, limits: QueryLimits, workers: int = 1, queue: int = 64, *,
                 on_disk: "OnDiskCopy | None" = None, endpoint_url: str | None = None):
        self.limits = limits
        self._endpoint = RemoteEndpoint(endpoint_url, limits.memory_mb << 20) if endpoint_url else None
        self.summary = _summarise(store)
        self.graph_names = frozenset(self.summary.named_graph_triples)
        self.capacity = workers + queue
        self._admitted = threading.BoundedSemaphore(self.capacity)
        # The workers share one on-disk copy, opened read-only, instead of each loading the dataset
        # into its memory (a Hetionet-sized graph: 2 x 650 MB, and a minute to send and load).
        self._own_copy = on_disk is None  # else the copy belongs to whoever made it (a LoadedDataset)
        self._on_disk = on_disk or OnDiskCopy(store)
        try:
            directory = self._on_disk.path()
            with phase(log, f"starting {workers} SPARQL worker(s)"):
                self._pool = _WorkerPool(directory, workers, WorkerLimits(limits.memory_mb << 20))
        except BaseException:
            self._release_copy()
            raise
        self.service_description = functools.lru_cache(maxsize=32)(self._describe_service)

    @classmethod
    def from_file(
        cls, path: str | Path, limits: QueryLimits, *, format_name: str | None = None, workers: int = 1
    ) -> "SparqlEngine":
        from kg.exchange.rdfio import load_dataset  # the workers never need the file loader

        return cls(load_dataset(path, format_name), limits, workers)

    @contextmanager
    def admission(self) -> Iterator[None]:
        """Hold one of the ``workers + queue`` places, or fail at once if none is free."""
        if not self._admitted.acquire(blocking=False):
            raise EngineUnavailableError(
                f"{self.capacity} SPARQL queries are already running or waiting; try again shortly",
                detail={"retry_after_s": 2},
            )
        try:
            yield
        finally:
            self._admitted.release()

    def run(self, request: QueryRequest, formats: Mapping[ResultKind, ResultFormat | None]) -> QueryResult:
        """Evaluate in a worker within the time limit and serialise at most ``row_cap`` rows.

        ``formats`` gives the negotiated format for each kind of result (None: nothing the client
        accepts, which raises :class:`NotAcceptableError` before anything is evaluated).
        """
        started = time.monotonic()
        size = len(request.text.encode())
        if size > self.limits.max_query_bytes:
            raise QueryTooLargeError(
                f"the query has {size} bytes; the limit is {self.limits.max_query_bytes}",
                detail={"bytes": size, "limit": self.limits.max_query_bytes},
            )
        protocol_dataset = bool(request.default_graph_uris or request.named_graph_uris)
        job = Job(
            text=request.text,
            base_iri=request.base_iri,
            default_graphs=tuple(request.default_graph_uris) if protocol_dataset else None,
            named_graphs=tuple(request.named_graph_uris) if protocol_dataset else None,
            formats={kind: fmt.name if fmt else None for kind, fmt in formats.items()},
            row_cap=self.limits.row_cap,
            cpu_seconds=self.limits.timeout_s,
            forward=self._endpoint is not None,
        )
        deadline = started + self.limits.timeout_s
        reply = self._pool.run(job, deadline)
        if isinstance(reply, Failure):
            raise ERROR_BY_CODE[reply.code](reply.message, detail=reply.detail)
        if isinstance(reply, Unacceptable):
            raise NotAcceptableError(f"no acceptable format for a {reply.kind.value} result",
                                     detail={"kind": reply.kind.value})
        if isinstance(reply, Checked):
            reply = self._endpoint.answer(reply, job, deadline)
        return QueryResult(reply.body, reply.kind, FORMAT_BY_NAME[reply.format], reply.truncated, reply.count)

    def _describe_service(self, endpoint_url: str, rdf_format: ResultFormat) -> bytes:
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
        add(default_graph, f"{VOID}triples", ox.Literal(str(self.summary.default_graph_triples), datatype=_XSD_INT))
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
        self._release_copy()

    def _release_copy(self) -> None:
        if self._own_copy:
            self._on_disk.cleanup()


class OnDiskCopy:
    """``store`` copied into a temporary on-disk store for the SPARQL workers, on a thread that starts
    at once, so that the index can be built meanwhile; the directory goes with this object (or at exit).
    :meth:`of_file` loads the RDF file itself instead, beside the in-memory parse.

    >>> copy = OnDiskCopy(ox.Store())
    >>> len(ox.Store.read_only(copy.path()))
    0
    >>> copy.cleanup()
    """

    def __init__(self, store: ox.Store | None = None, *, load=None):
        self._directory = tempfile.TemporaryDirectory(prefix="kg-sparql-store-")
        self._failure: Exception | None = None
        self._seconds, self._reported = 0.0, False
        write = load or (lambda directory: write_on_disk(store, directory))
        self._writing = threading.Thread(target=self._write, args=(write,), name="sparql-store-copy", daemon=True)
        self._writing.start()

    @classmethod
    def of_file(cls, path: Path, syntax: ox.RdfFormat, base_iri: str | None = None) -> "OnDiskCopy":
        """The on-disk store loaded straight from the RDF file: pyoxigraph's loader releases the GIL, so
        it runs beside the in-memory parse (2.35M triples: 12.5 s for both, against 8 s, then 3.5 s
        of dump and 13 s of reload for a copy), and no dump of the store is ever written. The file
        is checked by the in-memory parse; this load trusts it no further than that one does."""

        def load(directory: Path) -> None:
            on_disk = ox.Store(str(directory))
            on_disk.bulk_load(path=str(path), format=syntax, base_iri=base_iri)
            del on_disk  # the last reference: the database is closed here, ready to be opened read-only

        return cls(load=load)

    def _write(self, write) -> None:
        started = time.monotonic()
        try:
            write(Path(self._directory.name))
        except Exception as exc:  # reported by path(), to whoever waits for the store
            self._failure = exc
        self._seconds = time.monotonic() - started

    def path(self) -> str:
        """The store's directory once written; :class:`EngineUnavailableError` if it could not be.
        The first call logs how long writing took (not the thread: a load that fails meanwhile
        must end with its own message alone)."""
        self._writing.join()
        if self._failure is not None:
            raise EngineUnavailableError(f"the SPARQL store could not be written: {self._failure}") from self._failure
        if not self._reported:
            self._reported = True
            log.info("the SPARQL workers' store in %s was written in %.1f s", self._directory.name, self._seconds)
        return self._directory.name

    def cleanup(self) -> None:
        self._writing.join()
        self._directory.cleanup()


def write_on_disk(store: ox.Store, directory: Path) -> None:
    """Copy ``store`` into an on-disk store in ``directory`` and close it, ready to be opened read-only
    (which is undefined beside a process that still writes it).

    ``bulk_load`` of a dump, not ``bulk_extend`` of the quads: 13 s for 2.35M quads against 28 s;
    ``lenient``: the dump was written from terms that were checked when they were parsed.

    >>> with tempfile.TemporaryDirectory() as directory:
    ...     write_on_disk(ox.Store(), Path(directory))
    ...     len(ox.Store.read_only(directory))
    0
    """
    dump = directory / "dump.nq"
    store.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
    on_disk = ox.Store(str(directory))
    on_disk.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS, lenient=True)
    del on_disk  # the last reference: the database is closed here
    dump.unlink()


def update_refused() -> QueryRefusedError:
    """The error for an update request that the protocol layer recognises (update parameter, media type)."""
    return QueryRefusedError(UPDATE_REFUSED.message, detail=UPDATE_REFUSED.detail)


def _summarise(store: ox.Store) -> DatasetSummary:
    named = {
        graph.value: sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
        for graph in store.named_graphs()
        if isinstance(graph, ox.NamedNode)
    }
    total = len(store)
    return DatasetSummary(total, total - sum(named.values()), named)
