# shellcheck shell=bash
# Shared settings for scripts/es/*.sh (sourced, not executed).
# Every value can be overridden from the environment.
#
# Why 9.5.3: it is the newest 9.x release on Maven Central for which the
# integ-test-zip distribution exists (the org.elasticsearch:elasticsearch
# maven-metadata lists 9.0.0 .. 9.5.3; the integ-test-zip metadata is stale and
# lists no 9.x at all, but 9.5.3 resolves). Its major matches the npm client
# @elastic/elasticsearch 9.4.x (a 9.x client sends compatible-with=9, which an
# 8.x server rejects), it starts cleanly on Temurin 25 (9.x needs Java >= 21),
# its zip already ships modules/apm (so the "apm module missing" trap of older
# integ zips does not apply), and org.elasticsearch.plugin:x-pack-kql is
# published for it, which lets install.sh add the `kql` query as a module.

: "${SIEMC_ES_VERSION:=9.5.3}"
# Root of everything this project installs. Must be outside /root (mode 0700):
# the node runs as an unprivileged user that has to read the tree.
: "${SIEMC_ES_HOME:=/opt/siemc-es}"
: "${SIEMC_ES_PORT:=9200}"
: "${SIEMC_ES_HEAP:=512m}"
: "${SIEMC_ES_USER:=siemc-es}"
# Seconds start.sh waits for the cluster to report yellow.
: "${SIEMC_ES_TIMEOUT:=120}"
# 1: install.sh adds org.elasticsearch.plugin:x-pack-kql as a module (the `kql`
# query). 0: skip it.
: "${SIEMC_ES_KQL:=1}"
# Maven local repository (the download cache; reused between runs).
: "${SIEMC_M2_REPO:=${HOME:-/root}/.m2/repository}"

# A JDK >= 21 for Elasticsearch 9.x: Temurin 25 by default, else the first
# JDK >= 21 found under /usr/lib/jvm (by its release file).
if [ -z "${SIEMC_ES_JAVA_HOME:-}" ]; then
  if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
    SIEMC_ES_JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
  else
    SIEMC_ES_JAVA_HOME=""
    for _siemc_j in $(printf '%s\n' /usr/lib/jvm/*/ | sort -V -r); do
      # JAVA_VERSION="25.0.3" (or "1.8.0_x" for old JDKs) in the JDK's release file.
      _siemc_v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "${_siemc_j}release" 2>/dev/null || true)
      if [ -n "$_siemc_v" ] && [ "$_siemc_v" -ge 21 ] && [ -x "${_siemc_j}bin/java" ]; then
        SIEMC_ES_JAVA_HOME=${_siemc_j%/}
        break
      fi
    done
    unset _siemc_j _siemc_v
  fi
fi

# Without root there is no user to switch to: run as the current user.
if [ "$(id -u)" -ne 0 ]; then
  SIEMC_ES_USER=$(id -un)
fi

# Derived paths.
SIEMC_ES_DIR="$SIEMC_ES_HOME/elasticsearch-$SIEMC_ES_VERSION"   # unpacked tree
SIEMC_ES_RUN_DIR="$SIEMC_ES_HOME/run"                           # pid file, start output
SIEMC_ES_PID_FILE="$SIEMC_ES_RUN_DIR/elasticsearch.pid"
SIEMC_ES_CLUSTER_NAME=siemc
SIEMC_ES_LOG_FILE="$SIEMC_ES_DIR/logs/$SIEMC_ES_CLUSTER_NAME.log"
SIEMC_ES_URL="http://127.0.0.1:$SIEMC_ES_PORT"
SIEMC_ES_ZIP="$SIEMC_M2_REPO/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$SIEMC_ES_VERSION/elasticsearch-$SIEMC_ES_VERSION.zip"

export SIEMC_ES_VERSION SIEMC_ES_HOME SIEMC_ES_PORT SIEMC_ES_HEAP SIEMC_ES_USER \
  SIEMC_ES_TIMEOUT SIEMC_ES_KQL SIEMC_M2_REPO SIEMC_ES_JAVA_HOME SIEMC_ES_DIR \
  SIEMC_ES_RUN_DIR SIEMC_ES_PID_FILE SIEMC_ES_CLUSTER_NAME SIEMC_ES_LOG_FILE \
  SIEMC_ES_URL SIEMC_ES_ZIP

siemc_es_die() {
  echo "${0##*/}: error: $*" >&2
  exit 1
}

# Fetch one artifact into the Maven cache. Quiet; prints Maven's output on failure.
siemc_es_mvn_get() {
  local artifact=$1 out
  command -v mvn >/dev/null 2>&1 || siemc_es_die "mvn not found (apt-get install maven)"
  # -U: retry an artifact whose earlier download failed (Maven caches misses).
  if ! out=$(mvn -B -q -U -Dstyle.color=never -Dmaven.repo.local="$SIEMC_M2_REPO" \
      org.apache.maven.plugins:maven-dependency-plugin:3.6.1:get \
      -Dartifact="$artifact" -Dtransitive=false 2>&1); then
    out=$(printf '%s\n' "$out" | sed 's/\x1b\[[0-9;]*m//g')
    { printf '%s\n' "$out" | grep -m 1 '^\[ERROR\] [^ ]' || printf '%s\n' "$out" | tail -n 10; } >&2
    siemc_es_die "could not fetch $artifact from Maven"
  fi
}

# Pid of the node started by start.sh, if it is alive and really is that node.
siemc_es_running_pid() {
  local pid
  [ -f "$SIEMC_ES_PID_FILE" ] || return 1
  pid=$(tr -dc '0-9' <"$SIEMC_ES_PID_FILE")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  # Make sure the pid was not reused by an unrelated process.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-Des.path.home=$SIEMC_ES_DIR " || return 1
  echo "$pid"
}

# True if an Elasticsearch node answers at SIEMC_ES_URL.
siemc_es_answers() {
  curl -s -o /dev/null -D - --max-time 3 "$SIEMC_ES_URL/_cluster/health" 2>/dev/null \
    | grep -qi '^x-elastic-product: *Elasticsearch'
}

# Version reported by the node at SIEMC_ES_URL.
siemc_es_remote_version() {
  curl -s --max-time 5 "$SIEMC_ES_URL/_nodes/_local?filter_path=nodes.*.version" 2>/dev/null \
    | grep -oE '"version":"[^"]+"' | head -n1 | cut -d'"' -f4
}
