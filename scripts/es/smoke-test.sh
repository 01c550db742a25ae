#!/usr/bin/env bash
# Smoke test against a running node (scripts/es/start.sh first): keyword
# mapping, a document, a case-insensitive `wildcard` query and, when the
# x-pack-kql module is installed, a `kql` query. Quiet unless failing; prints
# one summary line. Uses (and deletes) the index siemc-smoke-test.
set -euo pipefail
# shellcheck source=SCRIPTDIR/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

idx="$SIEMC_ES_URL/siemc-smoke-test"
req() { # method url [body]
  curl -sS --max-time 30 -X "$1" "$2" -H 'Content-Type: application/json' ${3:+-d "$3"}
}
hits() { # body -> total hits
  req POST "$idx/_search?filter_path=hits.total.value,error" "$1" | grep -oE '"value":[0-9]+' | cut -d: -f2
}
expect() { # name got want
  [ "$2" = "$3" ] || siemc_es_die "$1: expected $3 hit(s), got '${2:-error}'"
}

req DELETE "$idx" >/dev/null 2>&1 || true
req PUT "$idx" '{"mappings":{"properties":{"process":{"properties":{"name":{"type":"keyword"}}}}}}' \
  | grep -q '"acknowledged":true' || siemc_es_die "could not create index siemc-smoke-test"
req PUT "$idx/_doc/1?refresh=true" '{"process":{"name":"PowerShell.EXE"}}' \
  | grep -q '"result":"created"' || siemc_es_die "could not index a document"

expect "wildcard case_insensitive" \
  "$(hits '{"query":{"wildcard":{"process.name":{"value":"power*.exe","case_insensitive":true}}}}')" 1
expect "wildcard case-sensitive" \
  "$(hits '{"query":{"wildcard":{"process.name":{"value":"power*.exe"}}}}')" 0
checks=2
if [ -d "$SIEMC_ES_DIR/modules/x-pack-kql" ]; then
  expect "kql" "$(hits '{"query":{"kql":{"query":"process.name: PowerShell*"}}}')" 1
  expect "kql case_insensitive" \
    "$(hits '{"query":{"kql":{"query":"process.name: powershell*","case_insensitive":true}}}')" 1
  checks=4
fi
req DELETE "$idx" >/dev/null
echo "elasticsearch smoke test ok ($checks checks)"
