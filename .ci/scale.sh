#!/usr/bin/env bash
# usage: .ci/scale.sh   (make test-scale)
# Brings up compose.yaml (2 API replicas behind nginx) under a project of its own, checks REST and
# SPARQL through the proxy, kills one replica under load (.ci/scale_check.py), then tears it all
# down. Uses `docker compose`, else `docker-compose` (installed from Debian when missing and apt
# is there); where no Docker engine answers, podman behind the Docker API (../shared/tools/container-env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! docker info >/dev/null 2>&1; then
  env_script=../shared/tools/container-env.sh
  [ -x "$env_script" ] || { echo "no Docker engine and no $env_script" >&2; exit 1; }
  eval "$("$env_script")"
  export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0
fi
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
else
  if ! command -v docker-compose >/dev/null && command -v apt-get >/dev/null; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose; } >/dev/null
  fi
  compose=(docker-compose)
fi

replicas=2
project=kg-scale-$$
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export KG_PROXY_PORT=$port KG_REPLICAS=$replicas
run() { "${compose[@]}" -p "$project" -f compose.yaml "$@"; }
trap 'status=$?; [ $status -eq 0 ] || run logs --tail 20 >&2 || true; run down --volumes --remove-orphans >/dev/null 2>&1 || true' EXIT

run build
run up -d --scale api=$replicas
victim=$(run ps -q api | awk 'NR == 1')  # not head: with pipefail, a SIGPIPE to ps would fail the script
python3 .ci/scale_check.py "http://127.0.0.1:$port" --replicas $replicas --kill "docker kill $victim"
