#!/usr/bin/env bash
# Make sure the PostgreSQL server of TEST_DATABASE_URL answers; start the local cluster if it does not.
set -euo pipefail
url="${1:-postgres://postgres@127.0.0.1:5432/test}"
if pg_isready -d "$url" -q 2>/dev/null; then exit 0; fi
if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
fi
for _ in $(seq 1 30); do pg_isready -d "$url" -q 2>/dev/null && exit 0; sleep 1; done
echo "PostgreSQL 无法连接：$url" >&2
exit 1
