#!/usr/bin/env python3
"""Generate the rule table of conformance/lint/RULES.md from include/smtpspec/catalogue/lint_rules.inc.

Only the text between the BEGIN/END GENERATED markers is rewritten; the hand-written parts of the
file (how the rules were checked, the corrections list) are kept. --check writes nothing and exits 1
when the table is stale or when conformance/lint/rule-inputs.md does not list every rule id once, in
catalogue order. Standard library only.

usage: gen_lint_rules_md.py [--check] [--inc FILE] [--out FILE] [--inputs FILE]
"""
import argparse
import collections
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_lint_quotes import DEFAULT_INC, LEVELS, ROOT, SIDES, parse_inc  # noqa: E402

DEFAULT_OUT = os.path.join(ROOT, "conformance", "lint", "RULES.md")
DEFAULT_INPUTS = os.path.join(ROOT, "conformance", "lint", "rule-inputs.md")
BEGIN = "<!-- BEGIN GENERATED: tools/gen_lint_rules_md.py from include/smtpspec/catalogue/lint_rules.inc -->"
END = "<!-- END GENERATED -->"
SKELETON = "# smtpspec lint rules\n\n%s\n%s\n" % (BEGIN, END)


def rfc_link(rfc, section):
    """'RFC 5321', '§4.5.3.1.4' -> a markdown link to that section on rfc-editor.org."""
    num = rfc.split()[-1]
    if section.startswith("§"):
        anchor = "section-" + section[1:]
    else:  # "Appendix C" / "Appendix C.1"
        anchor = "appendix-" + section.split()[-1]
    return "[%s %s](https://www.rfc-editor.org/rfc/rfc%s#%s)" % (rfc, section, num, anchor)


def cell(text):
    return text.replace("|", "\\|")


def table(rows):
    levels = collections.Counter(r["level"] for r in rows)
    sides = collections.Counter(r["side"] for r in rows)
    out = [
        "%d rules: %s; side at fault: %s. Number = row order in `lint_rules.inc` (append-only)." % (
            len(rows),
            ", ".join("%d %s" % (levels[l], l) for l in LEVELS),
            ", ".join("%d %s" % (sides[s], s) for s in SIDES)),
        "",
        "| # | id | RFC § | level | side | summary |",
        "|---:|---|---|---|---|---|",
    ]
    for n, r in enumerate(rows):
        out.append("| %d | `%s` | %s | %s | %s | %s |" % (
            n, r["id"], rfc_link(r["rfc"], r["section"]), r["level"], r["side"], cell(r["summary"])))
    return "\n".join(out)


def render(current, rows):
    if BEGIN not in current or END not in current:
        current = SKELETON
    head, rest = current.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return head + BEGIN + "\n" + table(rows) + "\n" + END + tail


def short(ids, n=5):
    return ", ".join(ids[:n]) + (" and %d more" % (len(ids) - n) if len(ids) > n else "") if ids else "none"


def inputs_ids(path):
    with open(path, encoding="utf-8") as f:
        return re.findall(r"^\| `([A-Z0-9]+(?:-[A-Z0-9]+)+)` \|", f.read(), re.M)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the generated table is stale")
    ap.add_argument("--inc", default=DEFAULT_INC)
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--inputs", default=DEFAULT_INPUTS)
    a = ap.parse_args(argv)
    try:
        rows = parse_inc(a.inc)
    except (OSError, ValueError) as e:
        print("error: %s" % e)
        return 1
    current = open(a.out, encoding="utf-8").read() if os.path.exists(a.out) else SKELETON
    wanted = render(current, rows)
    if not a.check:
        os.makedirs(os.path.dirname(a.out), exist_ok=True)
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(wanted)
        print("wrote %s (%d rules)" % (a.out, len(rows)))
        return 0
    status = 0
    if wanted != current:
        print("%s is stale: run tools/gen_lint_rules_md.py" % a.out)
        status = 1
    ids = [r["id"] for r in rows]
    got = inputs_ids(a.inputs) if os.path.exists(a.inputs) else []
    if got != ids:
        missing = [i for i in ids if i not in got]
        extra = [i for i in got if i not in ids]
        first = next((f"{x} / {y}" for x, y in zip(got, ids) if x != y), "the end")
        print("%s does not list the %d rule ids once each in catalogue order (missing: %s; unknown: %s;"
              " first difference at %s)" % (a.inputs, len(ids), short(missing), short(extra), first))
        status = 1
    if status == 0:
        print("%s and %s match lint_rules.inc (%d rules)" % (
            os.path.relpath(a.out, ROOT), os.path.relpath(a.inputs, ROOT), len(rows)))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
