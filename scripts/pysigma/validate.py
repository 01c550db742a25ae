"""Validates published Sigma files as SigmaHQ does and converts each with pySigma's backends.

Usage: .venv/pysigma/bin/python scripts/pysigma/validate.py [--ecs-windows] FILE.yml...

For every file (one rule each), prints one JSON object:
  {
    "pysigma": "<version>", "validators_sigmahq": "<version>",
    "files": [
      {
        "file": "<name>",
        "errors": ["<error pySigma recorded while parsing>", ...],
        "issues": [{"issue", "severity", "description", "detail"}, ...],
        "conversions": {"splunk" | "lucene" | "eql": {"queries": [...]} or {"error": ...},
                        "lucene_ecs_windows": ... (with --ecs-windows)}
      }, ...
    ]
  }

Validators: pySigma's own (sigma.validators.core) and SigmaHQ's (pysigma-validators-sigmahq),
with the rule's file path set, as SigmaHQ's CI runs them (the file-name checks need it). The
validators that download MITRE data are skipped (no internet here; tag format is still checked):
pySigma's two and SigmaHQ's tactic-per-technique check.
SigmaHQ's validators load their reference data (taxonomy, file-name prefixes) from the internet
unless a `validator_json` folder sits in the working directory; this script runs them from an
empty one, so they use the data shipped in the pinned package: offline and reproducible.

Conversions use an empty processing pipeline (field names as written), and with --ecs-windows
also pySigma's ecs_windows pipeline for Lucene: taxonomy names mapped back to ECS, as a Sigma
user searching Elastic data would convert the rule.
"""

import json
import os
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from convert import BACKENDS, NETWORK_VALIDATORS, describe_error, issue_json  # noqa: E402


# Reads MITRE's technique -> tactic mapping from the internet on first use.
SIGMAHQ_NETWORK_VALIDATORS = {"SigmahqTagsTechniquesWithoutTacticsValidator"}


def main(argv: list[str]) -> int:
    args = argv[1:]
    ecs_windows = "--ecs-windows" in args
    files = [Path(a).resolve() for a in args if a != "--ecs-windows"]
    if not files:
        print(__doc__, file=sys.stderr)
        return 2
    # SigmaHQ's validators read ./validator_json at import time (else they fetch from GitHub).
    with tempfile.TemporaryDirectory() as empty:
        os.mkdir(os.path.join(empty, "validator_json"))
        here = os.getcwd()
        os.chdir(empty)
        try:
            from sigma.validators.sigmahq import validators as sigmahq_validators
        finally:
            os.chdir(here)
    from sigma.backends.elasticsearch import LuceneBackend
    from sigma.collection import SigmaCollection
    from sigma.pipelines.elasticsearch.windows import ecs_windows
    from sigma.processing.pipeline import ProcessingPipeline
    from sigma.exceptions import SigmaRuleLocation
    from sigma.validation import SigmaValidator
    from sigma.validators.core import validators as core_validators

    active = [
        cls
        for cls in [*core_validators.values(), *sigmahq_validators.values()]
        if cls.__name__ not in NETWORK_VALIDATORS | SIGMAHQ_NETWORK_VALIDATORS
    ]
    result: dict = {
        "pysigma": version("pySigma"),
        "validators_sigmahq": version("pysigma-validators-sigmahq"),
        "files": [],
    }
    for path in files:
        text = path.read_text(encoding="utf-8")
        entry: dict = {"file": path.name, "errors": [], "issues": [], "conversions": {}}
        try:
            collection = SigmaCollection.from_yaml(text, collect_errors=True, source=SigmaRuleLocation(path))
        except Exception as e:
            entry["errors"].append(describe_error(e))
            result["files"].append(entry)
            continue
        rules = collection.rules
        for rule in rules:
            entry["errors"].extend(describe_error(e) for e in rule.errors)
        if not entry["errors"]:
            validator = SigmaValidator(active)
            entry["issues"] = [issue_json(i) for i in validator.validate_rules(iter(rules))]
            pipelines = {name: (cls, ProcessingPipeline()) for name, cls in BACKENDS.items()}
            if ecs_windows:
                pipelines["lucene_ecs_windows"] = (LuceneBackend, ecs_windows())
            for name, (cls, pipeline) in pipelines.items():
                try:
                    fresh = SigmaCollection.from_yaml(text)
                    queries = cls(processing_pipeline=pipeline).convert(fresh)
                    entry["conversions"][name] = {"queries": [str(q) for q in queries]}
                except Exception as e:  # pySigma refuses a construct
                    entry["conversions"][name] = {"error": describe_error(e)}
        result["files"].append(entry)
    print(json.dumps(result, indent=2, sort_keys=True, ensure_ascii=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
