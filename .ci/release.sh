#!/usr/bin/env bash
# CI: build a release from the current tree and diff it, claim by claim, against the last tagged one
# (its data/ built with the current code). While the repository has no tag there is no published
# release to compare with, so the parent commit stands in for it: every change then shows what it
# does to the graph's claims. With no parent either, the release says it is the first.
set -euo pipefail
cd "$(dirname "$0")/.."
make install
dist=$(mktemp -d)
trap 'rm -rf "$dist"' EXIT
version="ci-$(git rev-parse --short HEAD)"
if base=$(git describe --tags --abbrev=0 2>/dev/null); then
  echo "comparing with the last tag, $base"
elif git rev-parse -q --verify HEAD^ >/dev/null; then
  base=HEAD^
  echo "no tag yet: comparing with the parent commit"
else
  base=""
fi
.venv/bin/kg release "$version" --dist "$dist" ${base:+--previous "$base"}
cat "$dist/metastasis-kg-$version/CHANGELOG.md"
