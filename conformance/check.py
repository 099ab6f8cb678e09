#!/usr/bin/env python3
"""Validate the conformance vector files and run them through the `smtpspec` CLI.

    python3 conformance/check.py --cli build/dev/tools/smtpspec     # validate + run
    python3 conformance/check.py --validate-only                    # the files alone

Validation: the manifest lists every file under vectors/ once; each file is a JSON array of
comment strings and vector objects in the README's format; ids are unique per file; every error
code and diagnostic id in an `expect` is a row of include/smtpspec/catalogue/*.inc.

Running: vectors are grouped by (kind, profile, role) and fed to `smtpspec parse <kind>` one per
line; each answer must match `expect` as a subset (README: objects recursively, arrays element by
element with equal length). The CLI reads lines, so inputs holding CR or LF cannot pass through it;
those are skipped here and counted (the GoogleTest, node:test and pytest runners cover them).

Standard library only. Exit status: 0 all good, 1 mismatches or invalid vectors, 2 usage error.
"""
import argparse
import collections
import json
import os
import pathlib
import re
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent
CATALOGUE = REPO / "include" / "smtpspec" / "catalogue"
KINDS = ("command", "path", "mailbox", "domain")
# Reply and status kinds (conformance/README.md, issue 4): validated lightly here and run by the
# three runners only (they need stream and formatter inputs the line-wise CLI cannot take).
REPLY_KINDS = ("enhanced_status", "reply", "format_reply")
KEYS = {"id", "kind", "profile", "role", "smtputf8", "input", "input_hex", "rfc", "expect", "note", "upstream"}


def catalogue(name, macro):
    text = (CATALOGUE / name).read_text(encoding="utf-8")
    return set(re.findall(r"^" + macro + r"\((\w+)", text, re.M))


def manifest_files(problems):
    manifest = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["files"] if isinstance(manifest, dict) else manifest
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        problems.append("manifest.json: expected an array of paths relative to conformance/")
        return []
    seen = set()
    for f in files:
        if f in seen:
            problems.append(f"manifest.json: {f} listed twice")
        seen.add(f)
        if not (HERE / f).is_file():
            problems.append(f"manifest.json: {f} does not exist")
    for p in sorted((HERE / "vectors").rglob("*.json")):
        rel = p.relative_to(HERE).as_posix()
        if rel not in seen:
            problems.append(f"{rel}: not listed in manifest.json")
    return [f for f in files if (HERE / f).is_file()]


def input_bytes(v):
    return bytes.fromhex(v["input_hex"]) if "input_hex" in v else v["input"].encode("utf-8")


def validate_vector(where, v, errors, diags, problems):
    def bad(msg):
        problems.append(f"{where}: {msg}")

    if v.get("kind") in REPLY_KINDS:
        if not isinstance(v.get("id"), str) or not v["id"]:
            bad("id must be a non-empty string")
        if not isinstance(v.get("rfc"), str) or not v["rfc"]:
            bad("rfc must name the section the vector tests")
        if "expect" not in v:
            bad("no expect")
        return
    extra = set(v) - KEYS
    if extra:
        bad(f"unknown keys {sorted(extra)}")
    if not isinstance(v.get("id"), str) or not v["id"]:
        bad("id must be a non-empty string")
    if v.get("kind") not in KINDS:
        bad(f"kind must be one of {KINDS}")
    if v.get("profile", "strict") not in ("strict", "lenient"):
        bad("profile must be strict or lenient")
    if "role" in v and (v.get("kind") != "path" or v["role"] not in ("any", "reverse", "forward")):
        bad("role is any|reverse|forward and only for paths")
    if "smtputf8" in v and not isinstance(v["smtputf8"], bool):
        bad("smtputf8 must be true or false")
    if ("input" in v) == ("input_hex" in v):
        bad("exactly one of input and input_hex")
    elif "input" in v and not isinstance(v["input"], str):
        bad("input must be a string")
    elif "input_hex" in v:
        try:
            bytes.fromhex(v["input_hex"])
        except (TypeError, ValueError):
            bad("input_hex is not hex")
    if not isinstance(v.get("rfc"), str) or not v["rfc"]:
        bad("rfc must name the section the vector tests")
    e = v.get("expect")
    if not isinstance(e, dict) or not isinstance(e.get("ok"), bool):
        bad("expect must be an object with a boolean ok")
        return
    if e["ok"] and "error" in e:
        bad("an ok result has no error")
    if not e["ok"] and "value" in e:
        bad("a failed result has no value")
    if "verb" in e and v.get("kind") != "command":
        bad("only command results have a verb")
    code = e.get("error", {}).get("code") if isinstance(e.get("error"), dict) else None
    if code is not None and code not in errors:
        bad(f"error code {code!r} is not in errors.inc")
    for d in e.get("diagnostics", []):
        if not isinstance(d, dict) or d.get("id") not in diags:
            bad(f"diagnostic {d!r} is not in diagnostics.inc")


def load(problems):
    """[(file, [vector…])] in manifest order, validated."""
    errors = catalogue("errors.inc", "SMTPSPEC_ERROR")
    diags = catalogue("diagnostics.inc", "SMTPSPEC_DIAGNOSTIC")
    out = []
    for rel in manifest_files(problems):
        try:
            entries = json.loads((HERE / rel).read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            problems.append(f"{rel}: not JSON ({exc})")
            continue
        if not isinstance(entries, list):
            problems.append(f"{rel}: a vector file is a JSON array")
            continue
        vectors, ids = [], set()
        for i, v in enumerate(entries):
            if isinstance(v, str):
                continue
            if not isinstance(v, dict):
                problems.append(f"{rel}[{i}]: entries are comment strings or vector objects")
                continue
            where = f"{rel}:{v.get('id', f'[{i}]')}"
            validate_vector(where, v, errors, diags, problems)
            if v.get("id") in ids:
                problems.append(f"{where}: duplicate id")
            ids.add(v.get("id"))
            vectors.append(v)
        out.append((rel, vectors))
    return out


def mismatches(want, got, where="$"):
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [f"{where}: expected an object, got {json.dumps(got)}"]
        out = []
        for k, w in want.items():
            out += [f"{where}.{k}: missing"] if k not in got else mismatches(w, got[k], f"{where}.{k}")
        return out
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return [f"{where}: expected {len(want)} element(s), got {json.dumps(got)}"]
        return [m for i, (w, g) in enumerate(zip(want, got)) for m in mismatches(w, g, f"{where}[{i}]")]
    if type(want) is not type(got) or want != got:
        return [f"{where}: expected {json.dumps(want)}, got {json.dumps(got)}"]
    return []


def run_cli(cli, files):
    """Returns ({(file, id): (mismatches, the CLI's line)}, number skipped)."""
    groups = collections.defaultdict(list)
    skipped = 0
    for rel, vectors in files:
        for v in vectors:
            if v.get("kind") in REPLY_KINDS:
                skipped += 1
                continue
            data = input_bytes(v)
            if b"\r" in data or b"\n" in data:
                skipped += 1
                continue
            groups[(v["kind"], v.get("profile", "strict"), v.get("role", "any"), v.get("smtputf8", False))].append(
                (rel, v, data))
    results = {}
    for (kind, profile, role, smtputf8), items in groups.items():
        argv = [cli, "parse", kind] + (["--lenient"] if profile == "lenient" else [])
        argv += ["--smtputf8"] if smtputf8 else []
        if kind == "path":
            argv += ["--role", role]
        stdin = b"".join(data + b"\n" for _, _, data in items)
        proc = subprocess.run(argv, input=stdin, capture_output=True, check=False)
        if proc.returncode not in (0, 1):
            sys.exit(f"check.py: {' '.join(argv)} exited {proc.returncode}: {proc.stderr.decode(errors='replace')}")
        lines = proc.stdout.decode("utf-8", errors="replace").splitlines()
        if len(lines) != len(items):
            sys.exit(f"check.py: {' '.join(argv)} answered {len(lines)} lines for {len(items)} inputs")
        for (rel, v, _), line in zip(items, lines):
            try:
                ms = mismatches(v["expect"], json.loads(line))
            except ValueError:
                ms = ["the CLI did not answer JSON"]
            results[(rel, v["id"])] = (ms, line)
    return results, skipped


def main(argv=None):
    ap = argparse.ArgumentParser(description="Validate and run the conformance vectors.")
    ap.add_argument("--cli", default=os.environ.get("SMTPSPEC_CLI"), help="path to the smtpspec CLI")
    ap.add_argument("--validate-only", action="store_true", help="check the files, run nothing")
    ap.add_argument("--counts", action="store_true", help="print the number of vectors per file")
    args = ap.parse_args(argv)

    problems = []
    files = load(problems)
    total = sum(len(v) for _, v in files)
    if args.counts:
        for rel, vectors in files:
            print(f"{len(vectors):5d}  {rel}")
        print(f"{total:5d}  total in {len(files)} files")
    for p in problems:
        print(f"INVALID {p}")
    if args.validate_only:
        print(f"check.py: {total} vectors in {len(files)} files, {len(problems)} problem(s)")
        return 1 if problems else 0
    if not args.cli:
        print("check.py: give --cli PATH (or SMTPSPEC_CLI) or --validate-only", file=sys.stderr)
        return 2

    results, skipped = run_cli(args.cli, files)
    failed = 0
    for rel, vectors in files:
        for v in vectors:
            ms, line = results.get((rel, v["id"]), ([], ""))
            if ms:
                failed += 1
                shown = v.get("input", v.get("input_hex"))
                print(f"FAIL {rel}:{v['id']}  input={json.dumps(shown, ensure_ascii=False)[:160]}")
                for m in ms[:4]:
                    print(f"    {m}")
                print(f"    got: {line[:400]}")
    ran = len(results)
    print(f"check.py: {ran} run, {ran - failed} passed, {failed} failed, "
          f"{skipped} skipped (CR/LF in the input, or a reply/status kind), {len(problems)} invalid")
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main())
