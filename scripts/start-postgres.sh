#!/usr/bin/env bash
# Starts the machine's PostgreSQL 15 cluster and creates the role and database the tests use.
# Idempotent. Prints the URL to use as FAILOVER_LAB_PG_URL.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null; then
  apt-get install -y postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 1 50); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 0.2
done
pg_isready -h 127.0.0.1 -p 5432 >/dev/null
runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'failover_lab') THEN
    CREATE ROLE failover_lab LOGIN PASSWORD 'failover_lab' CREATEDB;
  END IF;
END $$;
SQL
if ! runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'failover_lab'" | grep -q 1; then
  runuser -u postgres -- createdb -O failover_lab failover_lab
fi
echo "postgres://failover_lab:failover_lab@127.0.0.1:5432/failover_lab"
