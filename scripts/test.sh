#!/usr/bin/env bash
# The README's test command: every set-up step on a fresh machine, then the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-system.sh
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
FAILOVER_LAB_PG_URL="${FAILOVER_LAB_PG_URL:-$(./scripts/start-postgres.sh | tail -1)}"
export FAILOVER_LAB_PG_URL
npm test
