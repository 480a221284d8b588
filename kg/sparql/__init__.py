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
suites, so it evaluates every query.

Safety by design
----------------
* The server process never parses or evaluates a query: it checks the length and hands the
  text to a worker process (:mod:`kg.sparql.engine`). A parser that overflows or a query that
  eats memory ends one worker, which is replaced; the server keeps serving.
* Workers are confined by the operating system before they read a query
  (:mod:`kg.sparql.sandbox`): no socket, no file, no exec (seccomp), a capped address space,
  a CPU-time limit per query. pyoxigraph would otherwise call any address a ``SERVICE`` names.
* On top of that, the worker refuses SERVICE (found in rdflib's parse tree) and updates with a
  clear message (:mod:`kg.sparql.worker`); only ``Store.query`` is ever called, never an update.
* Time limit that really stops the work: an overrunning worker is killed (SIGKILL) and a fresh
  one started in the background. Admission is bounded: ``workers + queue`` queries at once.
* Row cap: SELECT rows and CONSTRUCT/DESCRIBE triples are cut at ``row_cap`` and the result says
  so (``QueryResult.truncated``; SPARQL JSON gets a leading ``"truncated": true`` key).
* Datasets: FROM, FROM NAMED and protocol graph IRIs that name no graph of the dataset are empty
  graphs; nothing is ever dereferenced.
* An external server may evaluate instead (``endpoint_url``, :mod:`kg.sparql.remote`): the workers
  still check every query, and only the checked text is sent, to that one URL.
"""

from kg.sparql.engine import (
    DatasetSummary,
    QueryLimits,
    QueryRequest,
    QueryResult,
    SparqlEngine,
    update_refused,
)
from kg.sparql.formats import RESULT_FORMATS, ResultFormat, ResultKind, formats_for

__all__ = [
    "RESULT_FORMATS",
    "DatasetSummary",
    "QueryLimits",
    "QueryRequest",
    "QueryResult",
    "ResultFormat",
    "ResultKind",
    "SparqlEngine",
    "formats_for",
    "update_refused",
]
