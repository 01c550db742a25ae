"""Reads Sigma rules with pySigma, validates and converts them, and prints one JSON object.

Usage: .venv/pysigma/bin/python scripts/pysigma/convert.py [--detections] [--no-convert] RULES.yml   (- for stdin)

RULES.yml holds one rule, or several as YAML documents separated by `---`. Output:
  {
    "pysigma": "<version>",
    "skipped_validators": ["<name>", ...],
    "errors": ["<error raised while reading the file>", ...],
    "rules": [
      {
        "title": ..., "id": ...,
        "errors": ["<error pySigma recorded while parsing the rule>", ...],
        "issues": [{"issue", "severity", "description", "detail"}, ...],
        "conversions": {"splunk" | "lucene" | "eql": {"queries": [...]} or {"error": "<Class>: <message>"}},
        "detections": {"<selection>": [[item, ...], ...]}          (with --detections)
      }, ...
    ]
  }

An item of "detections" is {"field", "modifiers", "values"}, each value one of
{"string": [text or {"wildcard": "*" | "?"}, ...], "cased": bool}, {"regex": ..., "flags": [...]},
{"number": n}, {"bool": b}, {"exists": b}, {"cidr": ...}, {"compare": op, "number": n},
{"null": true} or {"other": repr}: how pySigma itself read each value.

Each rule is validated on its own (so a batch of test rules sharing an id is not a collision)
and converted on its own with an empty processing pipeline: field names stay as written, so
the output shows how pySigma itself reads the rule. A conversion pySigma refuses is reported
per rule and backend, not raised. --no-convert skips the conversions and validators (for
checking how values are read). The exit status is 0 whenever a JSON object was printed.
"""

import json
import sys
from importlib.metadata import version

from sigma.backends.elasticsearch import EqlBackend, LuceneBackend
from sigma.backends.splunk import SplunkBackend
from sigma.collection import SigmaCollection
from sigma.processing.pipeline import ProcessingPipeline
from sigma.rule import SigmaDetection, SigmaDetectionItem
from sigma.types import (
    SigmaBool,
    SigmaCasedString,
    SigmaCIDRExpression,
    SigmaCompareExpression,
    SigmaExists,
    SigmaNull,
    SigmaNumber,
    SigmaRegularExpression,
    SigmaString,
    SpecialChars,
)
from sigma.validation import SigmaValidator
from sigma.validators.core import validator_classname_to_identifier, validators

# These two download MITRE data from the internet on first use; the machines this runs on
# have no general internet access. Tag *format* is still checked (tag_format, namespace_tag).
NETWORK_VALIDATORS = {"ATTACKTagValidator", "D3FENDTagValidator"}

BACKENDS = {
    "splunk": SplunkBackend,
    "lucene": LuceneBackend,
    "eql": EqlBackend,
}


def describe_error(e: Exception) -> str:
    return f"{type(e).__name__}: {e}"


def issue_json(issue) -> dict:
    detail = {
        name: str(value)
        for name, value in vars(issue).items()
        if name not in ("rules", "description", "severity")
    }
    return {
        "issue": type(issue).__name__,
        "severity": issue.severity.name.lower(),
        "description": issue.description,
        "detail": detail,
    }


def value_json(value) -> dict:
    if isinstance(value, SigmaString):
        parts = []
        for part in value.s:
            if part == SpecialChars.WILDCARD_MULTI:
                parts.append({"wildcard": "*"})
            elif part == SpecialChars.WILDCARD_SINGLE:
                parts.append({"wildcard": "?"})
            elif isinstance(part, str):
                parts.append(part)
            else:
                parts.append({"other": repr(part)})
        return {"string": parts, "cased": isinstance(value, SigmaCasedString)}
    if isinstance(value, SigmaRegularExpression):
        return {"regex": str(value.regexp), "flags": sorted(f.name.lower() for f in value.flags)}
    if isinstance(value, SigmaBool):  # before numbers: a bool is not a number here
        return {"bool": value.boolean}
    if isinstance(value, SigmaNumber):
        return {"number": value.number}
    if isinstance(value, SigmaExists):
        return {"exists": value.exists}
    if isinstance(value, SigmaCIDRExpression):
        return {"cidr": str(value.original)}
    if isinstance(value, SigmaCompareExpression):
        return {"compare": value.op.name.lower(), "number": value.number.number}
    if isinstance(value, SigmaNull):
        return {"null": True}
    return {"other": repr(value)}


def detection_json(detection: SigmaDetection) -> list:
    """A selection as a list of alternatives (OR), each a list of items (AND)."""
    items = detection.detection_items
    if all(isinstance(i, SigmaDetectionItem) for i in items):
        return [[item_json(i) for i in items]]
    # A list of maps: each element is a nested detection with its own items.
    return [alternative for i in items for alternative in detection_json(i)]


def item_json(item: SigmaDetectionItem) -> dict:
    return {
        "field": item.field,
        "modifiers": [m.__name__ for m in item.modifiers],
        "values": [value_json(v) for v in item.value],
    }


def convert_one(text: str, index: int, backend_class) -> dict:
    """Converts rule number `index` of the file, parsed afresh so no backend sees another's state."""
    try:
        rule = SigmaCollection.from_yaml(text).rules[index]
        backend = backend_class(processing_pipeline=ProcessingPipeline())
        return {"queries": [str(q) for q in backend.convert(SigmaCollection([rule]))]}
    except Exception as e:  # pySigma refuses a construct (e.g. |cased in Splunk)
        return {"error": describe_error(e)}


def main(argv: list[str]) -> int:
    args = argv[1:]
    with_detections = "--detections" in args
    convert = "--no-convert" not in args
    args = [a for a in args if a not in ("--detections", "--no-convert")]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    text = sys.stdin.read() if args[0] == "-" else open(args[0], encoding="utf-8").read()
    result: dict = {
        "pysigma": version("pySigma"),
        "skipped_validators": sorted(validator_classname_to_identifier(n) for n in NETWORK_VALIDATORS),
        "errors": [],
        "rules": [],
    }
    try:
        collection = SigmaCollection.from_yaml(text, collect_errors=True)
    except Exception as e:  # a YAML error or an invalid file structure
        result["errors"].append(describe_error(e))
        print(json.dumps(result, indent=2, sort_keys=True))
        return 0

    active = [cls for cls in validators.values() if cls.__name__ not in NETWORK_VALIDATORS]
    for index, rule in enumerate(collection.rules):
        entry: dict = {
            "title": getattr(rule, "title", None),
            "id": str(getattr(rule, "id", None)),
            "errors": [describe_error(e) for e in rule.errors],
            "issues": [],
            "conversions": {},
        }
        if not rule.errors and convert:
            validator = SigmaValidator(active)
            entry["issues"] = [issue_json(i) for i in validator.validate_rules(iter([rule]))]
            for name, backend_class in BACKENDS.items():
                entry["conversions"][name] = convert_one(text, index, backend_class)
        if not rule.errors and with_detections:
            entry["detections"] = {
                name: detection_json(d) for name, d in rule.detection.detections.items()
            }
        result["rules"].append(entry)

    print(json.dumps(result, indent=2, sort_keys=True, ensure_ascii=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
