#!/usr/bin/env python3
"""Writes every conformance vector input as a fuzz seed: <out>/<kind>/<file>-<id>, prefixed with
the selector byte the fuzz targets read (bit 0 lenient, bits 1-2 path role). Standard library only.
Usage: seed_from_vectors.py <conformance dir> <out dir>"""
import hashlib
import json
import os
import sys

ROLES = {"any": 0, "reverse": 1, "forward": 2}


def main() -> int:
    conf, out = sys.argv[1], sys.argv[2]
    manifest_path = os.path.join(conf, "manifest.json")
    if not os.path.exists(manifest_path):
        print(f"seed_from_vectors: no {manifest_path}; nothing to do", file=sys.stderr)
        return 0
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    files = manifest.get("files", manifest.get("vectors", [])) if isinstance(manifest, dict) else manifest
    count = 0
    for entry in files:
        name = entry if isinstance(entry, str) else entry.get("file") or entry.get("path")
        if not name or not name.endswith(".json"):
            continue
        with open(os.path.join(conf, name), encoding="utf-8") as f:
            vectors = json.load(f)
        for v in vectors:
            if not isinstance(v, dict) or v.get("kind") not in ("command", "path", "mailbox", "domain"):
                continue
            data = bytes.fromhex(v["input_hex"]) if "input_hex" in v else v.get("input", "").encode("utf-8")
            sel = (1 if v.get("profile") == "lenient" else 0) | (ROLES.get(v.get("role", "any"), 0) << 1)
            d = os.path.join(out, v["kind"])
            os.makedirs(d, exist_ok=True)
            blob = bytes([sel]) + data
            with open(os.path.join(d, hashlib.sha1(blob).hexdigest()), "wb") as f:
                f.write(blob)
            count += 1
    print(f"seed_from_vectors: wrote {count} seeds under {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
