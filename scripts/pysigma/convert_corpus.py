"""Converts many Sigma rule files with pySigma in one process, with the field-mapping pipelines
a deployment would use, and prints one JSON object.

Usage: .venv/pysigma/bin/python scripts/pysigma/convert_corpus.py < FILES.txt   (one path a line)

  - Splunk: pySigma's `splunk_windows` pipeline (Windows services become
    `source="WinEventLog:<channel>"` conditions; field names stay Sigma's, as the Splunk Windows
    add-on extracts them).
  - Lucene: `ecs_windows` + `ecs_macos_esf` (Sigma fields to ECS / Winlogbeat names, services to
    `winlog.channel` conditions), the pipelines siemc's taxonomy (src/schema/sigma-taxonomy.ts)
    is taken from.

Output: {"pysigma": "<version>", "files": {"<path>": {"error": "..."} or
{"rules": [{"id", "title", "fields", "splunk": {"queries": [...]} | {"error"}, "lucene": {..., "fields"}}, ...]}}}:
"fields" lists the Sigma field names the detection reads; the Lucene conversion's "fields" maps each
of them that the pipeline renamed to its target names (pySigma's own field-mapping tracking).
Each backend converts a freshly parsed copy of the rule (pipelines rewrite the rule in place).
Validators are not run: this is about what the queries select, not rule hygiene.
"""

import json
import sys
from importlib.metadata import version

from sigma.backends.elasticsearch import LuceneBackend
from sigma.backends.splunk import SplunkBackend
from sigma.collection import SigmaCollection
from sigma.rule import SigmaDetection
from sigma.pipelines.elasticsearch.macos import ecs_macos_esf
from sigma.pipelines.elasticsearch.windows import ecs_windows
from sigma.pipelines.splunk import splunk_windows_pipeline


def describe_error(e: Exception) -> str:
    return f"{type(e).__name__}: {e}"


BACKENDS = {
    "splunk": lambda: SplunkBackend(processing_pipeline=splunk_windows_pipeline()),
    "lucene": lambda: LuceneBackend(processing_pipeline=ecs_windows() + ecs_macos_esf()),
}


def convert(text: str, index: int, make_backend) -> dict:
    try:
        rule = SigmaCollection.from_yaml(text).rules[index]
        backend = make_backend()
        out = {"queries": [str(q) for q in backend.convert(SigmaCollection([rule]))]}
        mappings = backend.last_processing_pipeline.field_mappings
        out["fields"] = {k: sorted(v) for k, v in mappings.items() if k is not None}
        return out
    except Exception as e:  # a construct the backend refuses
        return {"error": describe_error(e)}


def detection_fields(detection, out: set) -> set:
    for item in detection.detection_items:
        if isinstance(item, SigmaDetection):
            detection_fields(item, out)
        elif item.field is not None:
            out.add(item.field)
    return out


def main() -> int:
    files = [line.strip() for line in sys.stdin if line.strip()]
    out: dict = {"pysigma": version("pySigma"), "files": {}}
    for path in files:
        try:
            text = open(path, encoding="utf-8").read()
            collection = SigmaCollection.from_yaml(text, collect_errors=True)
        except Exception as e:
            out["files"][path] = {"error": describe_error(e)}
            continue
        rules = []
        for index, rule in enumerate(collection.rules):
            entry = {"id": str(getattr(rule, "id", None)), "title": getattr(rule, "title", None)}
            if rule.errors:
                entry["error"] = "; ".join(describe_error(e) for e in rule.errors)
            else:
                fields: set = set()
                for d in rule.detection.detections.values():
                    detection_fields(d, fields)
                entry["fields"] = sorted(fields)
                for name, make in BACKENDS.items():
                    entry[name] = convert(text, index, make)
            rules.append(entry)
        out["files"][path] = {"rules": rules}
    json.dump(out, sys.stdout, sort_keys=True, ensure_ascii=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
