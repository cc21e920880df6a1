#!/usr/bin/env bash
# The README's install command: everything a fresh machine needs to run `npm test`.
#  1. system packages the `local` provider needs (Debian/Ubuntu only; skipped elsewhere, with a note),
#  2. npm dependencies, exactly as locked (this also compiles klab: the `prepare` script runs tsc).
# Go binaries for the local cluster are built (and cached in ~/.cache/klab) by `npm test`'s global setup or by
# `npm run cluster:build`, because they take tens of minutes the first time.
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v apt-get >/dev/null 2>&1 && [ -f scripts/install-system.sh ]; then
  bash scripts/install-system.sh
else
  echo "install: no apt-get here; the local provider's real node needs containerd, runc, CNI plugins, docker, a registry (see docs/local-node.en.md)"
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install: Go is not installed; the local provider needs Go >= 1.25 (https://go.dev/doc/install). kind/existing work without it."
fi

npm ci --no-audit --no-fund
