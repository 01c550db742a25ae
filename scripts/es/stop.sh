#!/usr/bin/env bash
# Stop the Elasticsearch node started by scripts/es/start.sh (via its pid file)
# and wait for it to exit. A no-op when it is not running; never touches a node
# that start.sh did not start.
set -euo pipefail
# shellcheck source=SCRIPTDIR/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

if ! pid=$(siemc_es_running_pid); then
  rm -f "$SIEMC_ES_PID_FILE"   # stale or absent
  exit 0
fi

# Alive = exists and is not a zombie waiting for a parent to reap it.
alive() { [ -r "/proc/$1/stat" ] && ! awk '{exit ($3 == "Z") ? 0 : 1}' "/proc/$1/stat" 2>/dev/null; }

kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq 1 120); do        # up to 60 s for a clean shutdown
  alive "$pid" || break
  sleep 0.5
done
if alive "$pid"; then
  echo "${0##*/}: elasticsearch (pid $pid) did not stop in 60s, killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do
    alive "$pid" || break
    sleep 0.5
  done
  ! alive "$pid" || siemc_es_die "could not stop elasticsearch (pid $pid)"
fi
rm -f "$SIEMC_ES_PID_FILE"
echo "elasticsearch stopped (pid $pid)"
