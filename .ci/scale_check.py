"""Check the compose stack of compose.yaml through its proxy: the same answers from every replica,
and no request lost beyond the one in flight when a replica is killed under load.

    python3 .ci/scale_check.py BASE --replicas N --kill "docker kill ID"   (run by .ci/scale.sh)

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
LOAD_CLIENTS = 4
LOAD_SECONDS = 12.0


def get(url: str, accept: str = "application/json", timeout: float = 30) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


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
    args = parser.parse_args()
    wait_until_every_replica_answers(args.base, args.replicas)
    check_same_answers(args.base, args.replicas)
    result = load_while_killing(args.base, shlex.split(args.kill))
    print(f"killed one of {args.replicas} replicas under load: {json.dumps(result)}")
    # at most the one request in flight on the killed replica may fail (the proxy retries the rest)
    assert result["failed"] <= 1 and result["requests"] > 50, result
    check_same_answers(args.base, 1)  # the survivors still answer, and alike
    print("test-scale: passed")


if __name__ == "__main__":
    main()
