"""Times pySigma on a whole Sigma corpus, for `npm run bench` (scripts/bench/sigma-corpus.mjs).

Usage: .venv/pysigma/bin/python scripts/pysigma/bench_corpus.py RULES_DIR [TARGET]

Loads every `.yml` below RULES_DIR into one SigmaCollection (errors collected, as sigma-cli
does), then converts it with one backend: splunk, lucene or eql (pySigma-backend-splunk /
-elasticsearch, no processing pipeline: no field mapping, so less work than siemc's import,
which maps Sigma's taxonomy to ECS). Without TARGET it only loads. Prints one JSON object:
files, rules, load and convert seconds, queries converted, rules that failed, peak RSS (KiB).
"""

import json
import resource
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True

from sigma.backends.elasticsearch import EqlBackend, LuceneBackend  # noqa: E402
from sigma.backends.splunk import SplunkBackend  # noqa: E402
from sigma.collection import SigmaCollection  # noqa: E402
from sigma.processing.pipeline import ProcessingPipeline  # noqa: E402

BACKENDS = {"splunk": SplunkBackend, "lucene": LuceneBackend, "eql": EqlBackend}


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3) or (len(argv) == 3 and argv[2] not in BACKENDS):
        print(__doc__, file=sys.stderr)
        return 2
    files = sorted(Path(argv[1]).rglob("*.yml"))
    start = time.perf_counter()
    collection = SigmaCollection.load_ruleset(files, collect_errors=True)
    load_s = time.perf_counter() - start
    out = {"files": len(files), "rules": len(collection.rules), "load_s": load_s}
    if len(argv) == 3:
        backend = BACKENDS[argv[2]](processing_pipeline=ProcessingPipeline(), collect_errors=True)
        start = time.perf_counter()
        queries = backend.convert(collection)
        out["convert_s"] = time.perf_counter() - start
        out["queries"] = len(queries)
        out["failed"] = len(backend.errors)
    out["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
