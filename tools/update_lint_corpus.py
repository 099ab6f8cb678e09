#!/usr/bin/env python3
"""The lint corpus (conformance/transcripts/): every transcript with its expected findings.

For each transcript FILE (rfc/*.txt, real/*.txt; README.md and *.findings.json excepted) the
expected output of `smtpspec lint --format json FILE` is FILE.findings.json. Reviewed by hand in
conformance/transcripts/REVIEW.md, so regenerate only when a rule change is meant to move them.

  tools/update_lint_corpus.py [--cli PATH]            rewrite every .findings.json
  tools/update_lint_corpus.py [--cli PATH] --check    compare; exit 1 on any difference
  tools/update_lint_corpus.py --list                  the transcripts, one a line (for other runners)

Prints a summary line: files, findings by severity, undecidable. Stdlib only.
"""
import argparse
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "conformance" / "transcripts"


def transcripts(corpus=CORPUS):
    out = []
    for sub in ("rfc", "real"):
        for p in sorted((corpus / sub).iterdir()):
            if p.is_file() and p.name != "README.md" and not p.name.endswith(".findings.json"):
                out.append(p)
    return out


def expected_path(p):
    return p.with_name(p.name + ".findings.json")


def run_lint(cli, path):
    # Exit status 1 means "an error-level finding exists": expected for many files. 2 is a reader or
    # usage error, which a corpus file must not have.
    r = subprocess.run([cli, "lint", "--format", "json", str(path)], capture_output=True)
    if r.returncode not in (0, 1):
        sys.stderr.write(r.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"update_lint_corpus: {path}: smtpspec lint exited {r.returncode}")
    return r.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cli", default=str(ROOT / "build" / "dev" / "tools" / "smtpspec"))
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    ap.add_argument("--list", action="store_true", help="print the transcripts and exit")
    a = ap.parse_args()
    files = transcripts()
    if a.list:
        for p in files:
            print(p.relative_to(ROOT))
        return 0
    if not files:
        raise SystemExit("update_lint_corpus: no transcripts in " + str(CORPUS))
    sev = {"error": 0, "warning": 0, "info": 0, "undecidable": 0}
    findings = 0
    bad = []
    for p in files:
        got = run_lint(a.cli, p)
        doc = json.loads(got)
        for k in sev:
            sev[k] += doc["counts"][k]
        findings += len(doc["findings"])
        exp = expected_path(p)
        if a.check:
            if not exp.exists():
                bad.append(f"{p.relative_to(ROOT)}: no {exp.name}")
            elif exp.read_bytes() != got:
                bad.append(f"{p.relative_to(ROOT)}: findings differ from {exp.name}")
        elif not exp.exists() or exp.read_bytes() != got:
            exp.write_bytes(got)
    # An expected file whose transcript is gone is stale.
    for exp in sorted(CORPUS.glob("*/*.findings.json")):
        if exp.with_name(exp.name[: -len(".findings.json")]) not in files:
            if a.check:
                bad.append(f"{exp.relative_to(ROOT)}: no transcript")
            else:
                exp.unlink()
    for b in bad:
        print("MISMATCH " + b)
    print(f"lint corpus: {len(files)} files, {findings} findings; errors {sev['error']}, "
          f"warnings {sev['warning']}, info {sev['info']}, undecidable {sev['undecidable']}"
          + (f"; {len(bad)} mismatched" if a.check else ""))
    if bad:
        print("(if a rule change meant this: python3 tools/update_lint_corpus.py, then re-review "
              "conformance/transcripts/REVIEW.md)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
