#!/usr/bin/env bash
# The installable product: build the wheel (after `make graph`), install it into a fresh venv
# outside the checkout, and check that `kg stats` and a served /health work there with no data/.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
scratch="$(mktemp -d)"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$scratch"' EXIT
.venv/bin/python -m pip wheel --quiet --no-deps --wheel-dir "$scratch/dist" .
"$PYTHON" -m venv "$scratch/venv"
"$scratch/venv/bin/python" -m pip install --quiet "$scratch"/dist/metastasis_kg-*.whl
cd "$scratch"  # nowhere near the checkout
"$scratch/venv/bin/kg" stats | head -1
"$scratch/venv/bin/kg" serve --port 8765 >"$scratch/serve.log" 2>&1 &
server=$!
for _ in $(seq 60); do
  if "$scratch/venv/bin/python" -c "import urllib.request as u; print(u.urlopen('http://127.0.0.1:8765/health').read().decode())" 2>/dev/null; then
    exit 0
  fi
  sleep 1
done
cat "$scratch/serve.log"
exit 1
