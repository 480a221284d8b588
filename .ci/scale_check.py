"""Check the compose stack of compose.yaml through its proxy: the same answers from every replica,
/sparql answered by the external SPARQL server exactly as by a replica's own engine, and no request
lost beyond the one in flight when a replica is killed under load.

    python3 .ci/scale_check.py BASE --replicas N --kill "docker kill ID" \
        --local URL --stop-sparql "docker stop ID"                          (run by .ci/scale.sh)

BASE is the proxy; URL a replica of the same image without KG_SPARQL_ENDPOINT (its confined workers
evaluate); --stop-sparql stops the external server, after which /sparql must fail and REST not.

Standard library only: it runs with the system's Python, outside the project's environment.
"""

import argparse
import json
import shlex
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

SPARQL = "SELECT (COUNT(*) AS ?n) WHERE { ?s <https://w3id.org/metastasis-kg/precedes> ?o }"
CHECKS = [  # (path and query, Accept): every replica must give the same answer
    ("/health", "application/json"),
    ("/nodes?q=EMT&limit=3", "application/json"),
    ("/neighborhood?node=EMT&depth=2&limit=50", "application/json"),
    ("/paths?source=hypoxia&target=metastasis&mode=k_shortest&k=3", "application/json"),
    ("/sparql?" + urllib.parse.urlencode({"query": SPARQL}), "application/sparql-results+json"),
]
PREFIXES = "PREFIX mkg: <https://w3id.org/metastasis-kg/>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
BACKEND_CHECKS = [  # (query, Accept, status): the external server and the local engine answer alike
    (
        "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s ?label LIMIT 25",
        "application/sparql-results+json",
        200,
    ),
    ("ASK { mkg:emt rdfs:label ?label }", "application/sparql-results+json", 200),
    ("ASK { mkg:emt mkg:no-such-predicate ?x }", "application/sparql-results+xml", 200),
    ("CONSTRUCT { ?s rdfs:label ?label } WHERE { ?s rdfs:label ?label } ORDER BY ?s LIMIT 5", "text/turtle", 200),
    # more rows than KG_SPARQL_ROW_CAP (10,000): cut, with X-SPARQL-Truncated
    ("SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o", "text/csv", 200),
    # refused by the replica's workers before anything is sent, whatever the backend
    ("SELECT * WHERE { SERVICE <http://sparql:7878/query> { ?s ?p ?o } }", "application/sparql-results+json", 400),
    ("DELETE WHERE { ?s ?p ?o }", "application/sparql-results+json", 400),
]
LOAD_CLIENTS = 4
LOAD_SECONDS = 12.0


def get(url: str, accept: str = "application/json", timeout: float = 30) -> tuple[int, bytes]:
    return fetch(url, accept, timeout)[::3]


def fetch(url: str, accept: str = "application/json", timeout: float = 30) -> tuple[int, str, str, bytes]:
    """Status, media type, X-SPARQL-Truncated and body."""
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            headers, status, body = response.headers, response.status, response.read()
    except urllib.error.HTTPError as error:
        headers, status, body = error.headers, error.code, error.read()
    return status, headers.get("Content-Type"), headers.get("X-SPARQL-Truncated"), body


def sparql_url(base: str, query: str) -> str:
    return base + "/sparql?" + urllib.parse.urlencode({"query": PREFIXES + query})


def check_both_backends(base: str, local: str) -> None:
    """Every answer through the proxy (external SPARQL server) is the local engine's, byte for byte."""
    for query, accept, status in BACKEND_CHECKS:
        external, own = fetch(sparql_url(base, query), accept), fetch(sparql_url(local, query), accept)
        assert own[0] == status, f"{query}: the local engine answered {own[0]}: {own[3][:300]!r}"
        assert external[:3] == own[:3], f"{query}: {external[:3]} through the proxy, {own[:3]} locally"
        assert external[3] == own[3], f"{query}: the backends' answers differ"
        note = f", truncated: {own[2]}" if own[2] else ""
        print(
            f"identical answers from both backends: {status} {accept} ({len(own[3])} bytes{note}): "
            f"{' '.join(query.split())[:70]}"
        )
    assert fetch(sparql_url(base, BACKEND_CHECKS[4][0]), BACKEND_CHECKS[4][1])[2] == "true", "not truncated"


def check_sparql_goes_out(base: str, stop: list[str]) -> None:
    """With the external server stopped, /sparql fails (503 engine_unavailable) and REST answers: the
    answers compared above came from it."""
    subprocess.run(stop, check=True, capture_output=True)
    status, _, _, body = fetch(sparql_url(base, "ASK {}"), "application/sparql-results+json")
    assert status == 503 and json.loads(body)["error"]["code"] == "engine_unavailable", (status, body[:300])
    assert get(base + CHECKS[1][0])[0] == 200
    print("SPARQL server stopped: /sparql 503 engine_unavailable, REST still 200")


def wait_until_every_replica_answers(base: str, replicas: int, seconds: float = 240) -> None:
    """/health through the proxy answered 200 by ``replicas`` distinct processes in a row (the proxy
    takes turns, so consecutive successes span the replicas)."""
    deadline, in_a_row = time.monotonic() + seconds, 0
    while in_a_row < 4 * replicas:
        if time.monotonic() > deadline:
            sys.exit(f"{base} did not answer /health from every replica within {seconds:.0f} s")
        try:
            in_a_row = in_a_row + 1 if get(base + "/health", timeout=5)[0] == 200 else 0
        except OSError:
            in_a_row = 0
        if not in_a_row:
            time.sleep(1)


def check_same_answers(base: str, replicas: int) -> None:
    for path, accept in CHECKS:
        answers = {get(base + path, accept) for _ in range(2 * replicas)}
        statuses = {status for status, _ in answers}
        assert statuses == {200}, f"{path}: {statuses}"
        assert len(answers) == 1, f"{path}: the replicas answered differently"
        print(f"same answer from every replica: {path} ({len(next(iter(answers))[1])} bytes)")
    count = json.loads(get(base + CHECKS[-1][0], CHECKS[-1][1])[1])["results"]["bindings"][0]["n"]["value"]
    assert int(count) >= 4, count


def load_while_killing(base: str, kill: list[str]) -> dict:
    """Clients send the checks in turn for LOAD_SECONDS; a third of the way in, ``kill`` runs."""
    stop, lock = threading.Event(), threading.Lock()
    sent, failures = [0], []

    def client(offset: int) -> None:
        turn = offset
        while not stop.is_set():
            path, accept = CHECKS[turn % len(CHECKS)]
            turn += 1
            try:
                status, _ = get(base + path, accept)
            except OSError as error:
                status = repr(error)
            with lock:
                sent[0] += 1
                if status != 200:
                    failures.append((round(time.monotonic() - started, 2), path, status))

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(LOAD_CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(LOAD_SECONDS / 3)
    killed_at = round(time.monotonic() - started, 2)
    subprocess.run(kill, check=True, capture_output=True)
    time.sleep(LOAD_SECONDS * 2 / 3)
    stop.set()
    for thread in threads:
        thread.join()
    return {"requests": sent[0], "failed": len(failures), "killed_at_s": killed_at, "failures": failures[:10]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--kill", required=True, help="command that kills one replica")
    parser.add_argument("--local", required=True, help="a replica evaluating SPARQL itself")
    parser.add_argument("--stop-sparql", required=True, help="command that stops the external SPARQL server")
    args = parser.parse_args()
    wait_until_every_replica_answers(args.base, args.replicas)
    wait_until_every_replica_answers(args.local, 1)
    check_same_answers(args.base, args.replicas)
    check_both_backends(args.base, args.local)
    result = load_while_killing(args.base, shlex.split(args.kill))
    print(f"killed one of {args.replicas} replicas under load: {json.dumps(result)}")
    # at most the one request in flight on the killed replica may fail (the proxy retries the rest)
    assert result["failed"] <= 1 and result["requests"] > 50, result
    check_same_answers(args.base, 1)  # the survivors still answer, and alike
    check_both_backends(args.base, args.local)
    check_sparql_goes_out(args.base, shlex.split(args.stop_sparql))
    print("test-scale: passed")


if __name__ == "__main__":
    main()
