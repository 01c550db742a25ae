#!/usr/bin/env bash
# Creates .venv/eql with Python's `eql` package (pinned), the parser Elastic's detection-rules
# validates EQL with. The tests parse siemc's EQL output with it. Idempotent.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/.venv/eql"
python="${PYTHON:-python3}"
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'eql==1.0.1'
"$venv/bin/python" -c 'import eql; print("eql", eql.__version__, "in", "'"$venv"'")'
