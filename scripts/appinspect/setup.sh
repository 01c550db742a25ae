#!/usr/bin/env bash
# Creates .venv/appinspect at the repository root with the pinned Splunk AppInspect
# (scripts/appinspect/requirements.txt). Idempotent: an existing venv is only brought up to date.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/.venv/appinspect"
python="${PYTHON:-python3}"

# AppInspect reads magic numbers through python-magic, which loads libmagic.
if ! ldconfig -p 2>/dev/null | grep -q 'libmagic\.so\.1'; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq libmagic1 >/dev/null
  else
    echo "scripts/appinspect/setup.sh: libmagic1 is missing (apt-get install libmagic1)" >&2
  fi
fi
if [ ! -x "$venv/bin/splunk-appinspect" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --requirement "$here/requirements.txt"
"$venv/bin/python" -c 'from importlib.metadata import version; print("splunk-appinspect", version("splunk-appinspect"), "in", "'"$venv"'")'
