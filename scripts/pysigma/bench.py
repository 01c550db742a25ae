"""Times pySigma on one Sigma rule, for `npm run bench` (scripts/bench.mjs).

Usage: .venv/pysigma/bin/python scripts/pysigma/bench.py RULE.yml

Prints one `figure<TAB>value` line per figure: loading the rule, running the validators, and
converting it with the Splunk, Lucene and EQL backends (milliseconds per run, best of several
runs). A backend that refuses the rule is timed on the rule without `|cased` when that is
what it refuses (the backends have no case-sensitive matching), and says so.
"""

import re
import sys
import time

sys.dont_write_bytecode = True  # importing convert.py must not leave __pycache__ in the repo

from sigma.collection import SigmaCollection
from sigma.processing.pipeline import ProcessingPipeline
from sigma.validation import SigmaValidator
from sigma.validators.core import validators

from convert import BACKENDS, NETWORK_VALIDATORS  # noqa: E402

RUNS = 5


def best_ms(fn) -> float:
    best = float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    text = open(argv[1], encoding="utf-8").read()
    print(f"load (ms)\t{best_ms(lambda: SigmaCollection.from_yaml(text)):.2f}")
    active = [cls for cls in validators.values() if cls.__name__ not in NETWORK_VALIDATORS]
    rules = SigmaCollection.from_yaml(text).rules
    print(f"validate (ms)\t{best_ms(lambda: SigmaValidator(active).validate_rules(iter(rules))):.2f}")
    uncased = re.sub(r"\|cased(?=[|:])", "", text)
    for name, backend_class in BACKENDS.items():

        def run(source: str = text) -> None:
            backend_class(processing_pipeline=ProcessingPipeline()).convert(SigmaCollection.from_yaml(source))

        try:
            run()
            print(f"convert {name} (ms, load included)\t{best_ms(run):.2f}")
        except Exception as e:  # noqa: BLE001 - reported, not raised
            if "Case-sensitive" in str(e):
                try:
                    run(uncased)
                    print(f"convert {name} without |cased (ms, load included)\t{best_ms(lambda: run(uncased)):.2f}")
                    continue
                except Exception as e2:  # noqa: BLE001
                    e = e2
            print(f"convert {name}\trefused: {type(e).__name__}: {str(e).splitlines()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
