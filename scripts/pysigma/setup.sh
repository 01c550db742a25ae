#!/usr/bin/env bash
# Creates .venv/pysigma at the repository root with the pinned pySigma packages
# (scripts/pysigma/requirements.txt). Idempotent: an existing venv is only brought up to date.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/.venv/pysigma"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --requirement "$here/requirements.txt"
"$venv/bin/python" -c 'import sigma.backends.splunk, sigma.backends.elasticsearch; from importlib.metadata import version; print("pySigma", version("pySigma"), "validators-sigmahq", version("pysigma-validators-sigmahq"), "in", "'"$venv"'")'
