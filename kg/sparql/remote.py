"""An external SPARQL server as the engine's evaluator (``KG_SPARQL_ENDPOINT``), for checked queries only.

A confined worker still reads every query first (:mod:`kg.sparql.worker`, a job with ``forward``):
it refuses updates and SERVICE exactly as it does for local evaluation, and also any query whose
SERVICE check cannot decide (nothing confines the external server), reports syntax errors with the
local parser's messages, learns the result's kind, and hands back the text to send
(:class:`kg.sparql.worker.Checked`). This process only sends that text on, unparsed, and reads
the answer:

* one POST to the configured URL and nowhere else (``http.client``: no redirect is followed,
  no proxy from the environment is used), the protocol dataset as ``default-graph-uri`` /
  ``named-graph-uri`` parameters, within what is left of the query's time limit;
* the answer is read as SPARQL JSON results (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE)
  by pyoxigraph's streaming parsers, at most ``row_cap + 1`` rows and ``max_answer_bytes`` bytes,
  and written with the same writers as a local answer, so the bytes are the same.

>>> RemoteEndpoint("http://127.0.0.1:7878/query", 1 << 20).url
'http://127.0.0.1:7878/query'
>>> RemoteEndpoint("file:///etc/passwd", 1)
Traceback (most recent call last):
...
ValueError: a SPARQL endpoint is an http:// or https:// URL with a host, not 'file:///etc/passwd'
"""

import http.client
import io
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

from kg.errors import EngineUnavailableError, InvalidQueryError, KGError, QueryTimeoutError, QueryTooCostlyError
from kg.sparql.formats import ResultKind
from kg.sparql.worker import Answer, Checked, Job, serialise

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


@dataclass(frozen=True)
class RemoteEndpoint:
    """The SPARQL query URL of an external server; answers larger than ``max_answer_bytes`` are refused."""

    url: str
    max_answer_bytes: int
    _parts: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"a SPARQL endpoint is an http:// or https:// URL with a host, not {self.url!r}")
        target = parts.path or "/"
        object.__setattr__(self, "_parts", (parts.scheme, parts.hostname, parts.port, target, parts.query))

    def answer(self, checked: Checked, job: Job, deadline: float) -> Answer:
        """Send ``checked`` on and write the server's answer as the local engine would have."""
        scheme, host, port, path, query_string = self._parts
        connection_class = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        connection = connection_class(host, port, timeout=_left(deadline, job))
        parameters = [("query", checked.text)]
        parameters += [("default-graph-uri", iri) for iri in job.default_graphs or ()]
        parameters += [("named-graph-uri", iri) for iri in job.named_graphs or ()]
        graph = checked.kind is ResultKind.GRAPH
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": N_TRIPLES if graph else RESULTS_JSON}
        try:
            connection.request("POST", f"{path}?{query_string}" if query_string else path,
                               urlencode(parameters).encode(), headers)
            sock = connection.sock
            response = connection.getresponse()
            body = _Body(response, sock, deadline, self.max_answer_bytes, job)
            if response.status != 200:
                raise _refusal(response.status, body.read(4096).decode(errors="replace"))
            try:
                if graph:
                    results = (quad.triple for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
                else:
                    results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
                return serialise(results, checked.kind, checked.format, job.row_cap)
            except (SyntaxError, OSError, ValueError) as exc:
                raise body.failure or EngineUnavailableError(
                    f"the SPARQL server's answer could not be read: {exc}") from None
        except TimeoutError:
            raise _timeout(job) from None
        except (OSError, http.client.HTTPException) as exc:
            raise EngineUnavailableError(f"the SPARQL server did not answer: {exc!r}",
                                         detail={"retry_after_s": 2}) from None
        finally:
            connection.close()


class _Body(io.RawIOBase):
    """The answer's bytes, read within the deadline and the size limit. pyoxigraph turns a reader's
    exception into one of its own, so the reason is kept in ``failure``."""

    def __init__(self, response, sock: socket.socket, deadline: float, max_bytes: int, job: Job):
        self._response, self._sock, self._deadline, self._left = response, sock, deadline, max_bytes
        self._job = job
        self.failure: KGError | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        left = self._deadline - time.monotonic()
        try:
            if left <= 0:
                raise TimeoutError
            if self._sock.fileno() != -1:  # else closed by the connection (an answer that ends by closing),
                self._sock.settimeout(left)  # whose reads keep the timeout the connection was opened with
            count = self._response.readinto(buffer)
        except TimeoutError:
            self.failure = _timeout(self._job)
            raise
        self._left -= count
        if self._left < 0:
            self.failure = QueryTooCostlyError("the result needed more memory than one query may use")
            raise OSError(self.failure.message)
        return count


def _left(deadline: float, job: Job) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _timeout(job)
    return left


def _timeout(job: Job) -> QueryTimeoutError:
    return QueryTimeoutError(f"the query ran longer than {job.cpu_seconds} s and was stopped",
                             detail={"timeout_s": job.cpu_seconds})


def _refusal(status: int, message: str) -> KGError:
    if 400 <= status < 500:  # evaluation errors the checking parse could not see
        return InvalidQueryError(f"the query failed while running: {message.strip()}")
    return EngineUnavailableError(f"the SPARQL server answered HTTP {status}: {message.strip()[:200]}",
                                  detail={"retry_after_s": 2})
