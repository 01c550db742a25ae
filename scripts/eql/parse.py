"""Reads NDJSON {"id": ..., "query": ...} on stdin; prints {"id": ..., "error": null | "..."} per line.

Parses each query as detection-rules does: Elasticsearch syntax, functions not checked against a schema.
"""
import json
import sys

import eql

for line in sys.stdin:
    if not line.strip():
        continue
    item = json.loads(line)
    error = None
    try:
        with eql.parser.elasticsearch_syntax, eql.parser.ignore_missing_functions:
            eql.parse_query(item["query"])
    except Exception as e:  # noqa: BLE001 - every parse failure is reported, whatever its class
        error = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    print(json.dumps({"id": item["id"], "error": error}))
