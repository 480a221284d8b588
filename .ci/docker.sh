#!/usr/bin/env bash
# usage: .ci/docker.sh build|test IMAGE
# Builds the image (and, for `test`, runs it and checks /health, one REST and one SPARQL query).
# Where no Docker engine answers, a daemonless one (podman behind the Docker API) is set up by
# ../shared/tools/container-env.sh; the Dockerfile itself stays standard.
set -euo pipefail
action=${1:?build or test}
image=${2:-metastasis-kg}
cd "$(dirname "$0")/.."

if ! docker info >/dev/null 2>&1; then
  env_script=../shared/tools/container-env.sh
  [ -x "$env_script" ] || { echo "no Docker engine and no $env_script" >&2; exit 1; }
  eval "$("$env_script")"
  export DOCKER_BUILDKIT=0
fi

docker build -t "$image" .
[ "$action" = build ] && exit 0

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
container=$(docker run -d -p "127.0.0.1:$port:8000" "$image")
trap 'docker logs "$container" 2>&1 | tail -20; docker rm -f "$container" >/dev/null 2>&1 || true' EXIT
python3 .ci/smoke.py "http://127.0.0.1:$port" --container "$container"
trap 'docker rm -f "$container" >/dev/null 2>&1 || true' EXIT
echo "docker-test: passed"
