"""Smoke-test a running server: wait for health, then one REST and one SPARQL query."""

import argparse
import json
import subprocess
import sys
import time
import urllib.parse
import urllib.request


def get(url: str, accept: str = "application/json") -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()


def wait_healthy(base: str, container: str | None, seconds: int = 120) -> None:
    """Wait for /health to answer. The engine's health status is only checked for "unhealthy":
    podman without systemd never runs the HEALTHCHECK timer, so "starting" may never change."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if container:
            state = subprocess.run(["docker", "inspect", "-f", "{{.State.Health.Status}}", container],
                                   capture_output=True, text=True).stdout.strip()
            if state == "unhealthy":
                sys.exit("the container reports itself unhealthy")
        try:
            if get(base + "/health")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(1)
    sys.exit(f"{base} did not become healthy within {seconds}s")


def run_healthcheck(container: str) -> None:
    """Run the image's own HEALTHCHECK command inside the container: it must exit 0."""
    inspect = subprocess.run(["docker", "inspect", "-f", "{{json .Config.Healthcheck.Test}}", container],
                             capture_output=True, text=True, check=True)
    test = json.loads(inspect.stdout)
    assert test and test[0] == "CMD", f"expected an exec-form HEALTHCHECK, got {test}"
    subprocess.run(["docker", "exec", container, *test[1:]], check=True)
    print("HEALTHCHECK command: exit 0")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--container")
    args = parser.parse_args()
    wait_healthy(args.base, args.container)
    if args.container:
        run_healthcheck(args.container)
    status, body = get(args.base + "/health")
    print("health:", status, body.decode()[:200])
    status, body = get(args.base + "/nodes?q=EMT&limit=3")
    hits = json.loads(body)
    assert status == 200 and hits["items"], hits
    print("REST /nodes?q=EMT:", [h["id"] for h in hits["items"]])
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s <https://w3id.org/metastasis-kg/precedes> ?o }"
    status, body = get(args.base + "/sparql?" + urllib.parse.urlencode({"query": query}),
                       accept="application/sparql-results+json")
    count = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    assert status == 200 and count >= 4, count
    print("SPARQL precedes count:", count)


if __name__ == "__main__":
    main()
