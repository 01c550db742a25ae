#!/usr/bin/env bash
# Install a single-node Elasticsearch for tests (no Docker). Idempotent: reuses
# the Maven download and the unpacked tree; quiet unless something fails.
#   scripts/es/install.sh
# Settings: scripts/es/env.sh (SIEMC_ES_VERSION, SIEMC_ES_HOME, ...).
set -euo pipefail
# shellcheck source=SCRIPTDIR/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

for tool in curl unzip; do
  command -v "$tool" >/dev/null 2>&1 || siemc_es_die "$tool not found (apt-get install $tool)"
done
[ -x "${SIEMC_ES_JAVA_HOME:-/nonexistent}/bin/java" ] \
  || siemc_es_die "no JDK >= 21 found (set SIEMC_ES_JAVA_HOME; Elasticsearch 9.x needs Java 21+)"
case "$SIEMC_ES_HOME" in
  /*) ;;
  *) siemc_es_die "SIEMC_ES_HOME must be an absolute path: $SIEMC_ES_HOME" ;;
esac

mkdir -p "$SIEMC_ES_HOME"
exec 9>"$SIEMC_ES_HOME/.install.lock"
flock 9

# 1. Download into the Maven cache (skipped when present).
if [ ! -s "$SIEMC_ES_ZIP" ]; then
  siemc_es_mvn_get "org.elasticsearch.distribution.integ-test-zip:elasticsearch:$SIEMC_ES_VERSION:zip"
  [ -s "$SIEMC_ES_ZIP" ] || siemc_es_die "Maven reported success but $SIEMC_ES_ZIP is missing"
fi

# 2. Unpack (once; the marker is written last so an interrupted unpack is redone).
if [ ! -f "$SIEMC_ES_DIR/.siemc-unpacked" ]; then
  tmp="$SIEMC_ES_HOME/.unpack.$$"
  rm -rf "$tmp" "$SIEMC_ES_DIR"
  mkdir -p "$tmp"
  unzip -q "$SIEMC_ES_ZIP" -d "$tmp" || { rm -rf "$tmp"; siemc_es_die "could not unzip $SIEMC_ES_ZIP"; }
  mv "$tmp/elasticsearch-$SIEMC_ES_VERSION" "$SIEMC_ES_DIR"
  rm -rf "$tmp"
  chmod +x "$SIEMC_ES_DIR/bin/"*
  touch "$SIEMC_ES_DIR/.siemc-unpacked"
fi
# Note: the integ zips of 9.5.3 (and 8.19.21) ship modules/apm, so the
# "Expected to find [apm] module ... Installation is corrupt" trap reported for
# some older integ zips does not apply to the pinned version.

# 3. Optional module: x-pack-kql (Elasticsearch's `kql` query). The published
# jar carries its own plugin descriptor under META-INF/es-plugins/; a module
# directory needs it at top level, beside the jar and its one runtime
# dependency (antlr4-runtime, version taken from the jar's pom).
kql_dir="$SIEMC_ES_DIR/modules/x-pack-kql"
install_kql() {
  local base jar pom antlr_v antlr_jar tmp
  base="$SIEMC_M2_REPO/org/elasticsearch/plugin/x-pack-kql/$SIEMC_ES_VERSION"
  jar="$base/x-pack-kql-$SIEMC_ES_VERSION.jar"
  pom="$base/x-pack-kql-$SIEMC_ES_VERSION.pom"
  if [ ! -s "$jar" ] || [ ! -s "$pom" ]; then  # fetching the jar brings the pom
    (siemc_es_mvn_get "org.elasticsearch.plugin:x-pack-kql:$SIEMC_ES_VERSION:jar") >/dev/null 2>&1 || return 1
  fi
  antlr_v=$(tr -d ' \t\r\n' <"$pom" \
    | grep -oE '<artifactId>antlr4-runtime</artifactId><version>[^<]+' | sed 's/.*<version>//' || true)
  [ -n "$antlr_v" ] || return 1
  antlr_jar="$SIEMC_M2_REPO/org/antlr/antlr4-runtime/$antlr_v/antlr4-runtime-$antlr_v.jar"
  [ -s "$antlr_jar" ] || siemc_es_mvn_get "org.antlr:antlr4-runtime:$antlr_v:jar"
  tmp="$SIEMC_ES_HOME/.kql.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  cp "$jar" "$antlr_jar" "$tmp/"
  if ! unzip -p "$jar" META-INF/es-plugins/x-pack-kql/plugin-descriptor.properties \
      >"$tmp/plugin-descriptor.properties" 2>/dev/null; then
    rm -rf "$tmp"
    return 1
  fi
  rm -rf "$kql_dir"
  mv "$tmp" "$kql_dir"
}
if [ "$SIEMC_ES_KQL" = 1 ] && [ ! -f "$kql_dir/plugin-descriptor.properties" ]; then
  install_kql || echo "${0##*/}: warning: org.elasticsearch.plugin:x-pack-kql:$SIEMC_ES_VERSION not usable from Maven Central; the kql query is unavailable (SIEMC_ES_KQL=0 silences this)" >&2
elif [ "$SIEMC_ES_KQL" != 1 ] && [ -d "$kql_dir" ]; then
  rm -rf "$kql_dir"
fi

# 4. The unprivileged user the node runs as (Elasticsearch refuses root).
if [ "$(id -u)" -eq 0 ] && ! getent passwd "$SIEMC_ES_USER" >/dev/null; then
  useradd --system --user-group --no-create-home --home-dir "$SIEMC_ES_HOME" \
    --shell /usr/sbin/nologin "$SIEMC_ES_USER" \
    || siemc_es_die "could not create user $SIEMC_ES_USER"
fi

# 5. Configuration (rewritten only when it differs). The port is passed at
# start (-Ehttp.port), so the same tree serves any SIEMC_ES_PORT.
write_if_changed() { # path content
  if [ ! -f "$1" ] || [ "$(cat "$1")" != "$2" ]; then
    printf '%s\n' "$2" >"$1"
  fi
}
write_if_changed "$SIEMC_ES_DIR/config/elasticsearch.yml" "# Written by scripts/es/install.sh: single-node test cluster on loopback.
cluster.name: $SIEMC_ES_CLUSTER_NAME
node.name: siemc-node
network.host: 127.0.0.1
http.port: 9200
discovery.type: single-node
xpack.security.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
node.store.allow_mmap: false
action.destructive_requires_name: false"
mkdir -p "$SIEMC_ES_DIR/config/jvm.options.d"
write_if_changed "$SIEMC_ES_DIR/config/jvm.options.d/heap.options" "-Xms$SIEMC_ES_HEAP
-Xmx$SIEMC_ES_HEAP"
mkdir -p "$SIEMC_ES_RUN_DIR"

# 6. Ownership: the node writes config/ (keystore), data/, logs/ and run/.
if [ "$(id -u)" -eq 0 ]; then
  if [ -n "$(find "$SIEMC_ES_DIR" "$SIEMC_ES_RUN_DIR" ! -user "$SIEMC_ES_USER" -print -quit)" ]; then
    chown -R "$SIEMC_ES_USER:" "$SIEMC_ES_DIR" "$SIEMC_ES_RUN_DIR"
  fi
  runuser -u "$SIEMC_ES_USER" -- test -r "$SIEMC_ES_DIR/lib/elasticsearch-$SIEMC_ES_VERSION.jar" \
    || siemc_es_die "user $SIEMC_ES_USER cannot read $SIEMC_ES_DIR (is a parent directory mode 0700? set SIEMC_ES_HOME outside /root)"
fi
