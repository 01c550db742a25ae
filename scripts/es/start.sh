#!/usr/bin/env bash
# Start the test Elasticsearch node (installing it first if needed) and wait
# until the cluster is yellow. Prints one line on success:
#   elasticsearch 9.5.3 ready at http://127.0.0.1:9200
# If a node already answers at the URL, says so and exits 0 without starting
# another. Stop with scripts/es/stop.sh (it stops only what this script started).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/env.sh
. "$here/env.sh"

command -v curl >/dev/null 2>&1 || siemc_es_die "curl not found (apt-get install curl)"
mkdir -p "$SIEMC_ES_HOME"
exec 8>"$SIEMC_ES_HOME/.start.lock"
flock 8

if siemc_es_answers; then
  echo "elasticsearch $(siemc_es_remote_version) already running at $SIEMC_ES_URL"
  exit 0
fi
# Something else (not Elasticsearch) answering HTTP on the port?
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$SIEMC_ES_URL/" 2>/dev/null || true)
if [ -n "$code" ] && [ "$code" != 000 ]; then
  siemc_es_die "port $SIEMC_ES_PORT is in use by something that is not Elasticsearch (set SIEMC_ES_PORT)"
fi

log_offset=0
show_logs() {
  local out="$SIEMC_ES_RUN_DIR/start.out" size n
  if [ -s "$out" ]; then
    echo "--- $out" >&2
    n=$(wc -l <"$out")
    if [ "$n" -le 25 ]; then cat "$out" >&2
    else head -n 8 "$out" >&2; echo "[... $((n - 23)) lines ...]" >&2; tail -n 15 "$out" >&2; fi
  fi
  if [ -s "$SIEMC_ES_LOG_FILE" ]; then
    size=$(stat -c %s "$SIEMC_ES_LOG_FILE")
    [ "$size" -ge "$log_offset" ] || log_offset=0   # rotated
    if [ "$size" -gt "$log_offset" ]; then
      echo "--- $SIEMC_ES_LOG_FILE (tail)" >&2
      tail -c +"$((log_offset + 1))" "$SIEMC_ES_LOG_FILE" | tail -n 30 >&2
    fi
  fi
}

launched=0
if pid=$(siemc_es_running_pid); then
  # Our node is alive but not answering here: still starting, or on another port.
  other=$(cat "$SIEMC_ES_RUN_DIR/port" 2>/dev/null || true)
  if [ -n "$other" ] && [ "$other" != "$SIEMC_ES_PORT" ]; then
    siemc_es_die "the node of $SIEMC_ES_DIR already runs on port $other (pid $pid); stop it first"
  fi
else
  "$here/install.sh"
  rm -f "$SIEMC_ES_PID_FILE"
  log_offset=$(stat -c %s "$SIEMC_ES_LOG_FILE" 2>/dev/null || echo 0)
  : >"$SIEMC_ES_RUN_DIR/start.out"
  echo "$SIEMC_ES_PORT" >"$SIEMC_ES_RUN_DIR/port"
  [ "$(id -u)" -ne 0 ] || chown "$SIEMC_ES_USER:" "$SIEMC_ES_RUN_DIR/start.out" "$SIEMC_ES_RUN_DIR/port"
  # A clean environment: the launcher warns about (or obeys) JAVA_HOME,
  # JAVA_OPTS, ES_PATH_CONF, ... inherited from the caller.
  cmd=(env -i "PATH=/usr/local/bin:/usr/bin:/bin" "HOME=$SIEMC_ES_HOME" "LANG=C.UTF-8"
    "ES_JAVA_HOME=$SIEMC_ES_JAVA_HOME" "ES_JAVA_OPTS=${SIEMC_ES_JAVA_OPTS:-}"
    "$SIEMC_ES_DIR/bin/elasticsearch" -d -p "$SIEMC_ES_PID_FILE" "-Ehttp.port=$SIEMC_ES_PORT")
  if [ "$(id -u)" -eq 0 ]; then
    cmd=(runuser -u "$SIEMC_ES_USER" -- "${cmd[@]}")
  fi
  # In daemon mode the launcher returns once the server has started (or failed).
  if ! (cd "$SIEMC_ES_DIR" && timeout "$SIEMC_ES_TIMEOUT" "${cmd[@]}") >>"$SIEMC_ES_RUN_DIR/start.out" 2>&1 </dev/null 8>&-; then
    show_logs
    "$here/stop.sh" >/dev/null 2>&1 || true
    siemc_es_die "elasticsearch $SIEMC_ES_VERSION failed to start (see the log above)"
  fi
  launched=1
fi

deadline=$((SECONDS + SIEMC_ES_TIMEOUT))
until curl -sf --max-time 5 "$SIEMC_ES_URL/_cluster/health?wait_for_status=yellow&timeout=2s" 2>/dev/null \
    | grep -q '"timed_out":false'; do
  if ! siemc_es_running_pid >/dev/null; then
    show_logs
    siemc_es_die "elasticsearch exited before becoming ready (see the log above)"
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    show_logs
    [ "$launched" = 0 ] || "$here/stop.sh" >/dev/null 2>&1 || true
    siemc_es_die "elasticsearch not ready at $SIEMC_ES_URL after ${SIEMC_ES_TIMEOUT}s"
  fi
  sleep 1
done

echo "elasticsearch $(siemc_es_remote_version) ready at $SIEMC_ES_URL"
