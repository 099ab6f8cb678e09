#!/usr/bin/env python3
"""Check include/smtpspec/catalogue/lint_rules.inc against the RFC texts.

For every SMTPSPEC_LINT_RULE row: the quote (C string, "…" marks a cut) must occur verbatim in the
cited RFC, inside the cited section, after whitespace is collapsed to single spaces and the page
furniture (footer "[Page N]", form feed, running header) is removed, so a sentence that crosses a
page break still matches; a word broken after a hyphen at a line end ("EHLO-" / "style") is joined
again ("EHLO-style"). Rows citing an RFC whose text is not in the directory must have an empty
quote and say "(section not verified: RFC text not available)". Also checks the row shape (ident,
level, side, unique ids, quote length) and, with --rules-md, the ids and their order.

usage: check_lint_quotes.py [RFC_DIR] [--inc FILE] [--rules-md FILE]
RFC_DIR defaults to ../shared/rfc relative to the repository root. Exit 0 = all rows pass,
1 = mismatches (printed), 77 = RFC directory absent (ctest SKIP_RETURN_CODE). Standard library only.
"""
import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_INC = os.path.join(ROOT, "include", "smtpspec", "catalogue", "lint_rules.inc")
DEFAULT_RFC_DIR = os.path.join(ROOT, "..", "shared", "rfc")
NOT_VERIFIED = "(section not verified: RFC text not available)"
LEVELS = ("error", "warning", "info")
SIDES = ("client", "server", "either")
FIELDS = ("ident", "id", "rfc", "section", "level", "side", "quote", "summary")
MAX_QUOTE = 300

_TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<word>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[(),]))')
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'", "?": "?"}


def c_unescape(lit):
    body, out, i = lit[1:-1], [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            e = body[i + 1]
            if e not in _ESCAPES:
                raise ValueError("unsupported escape \\%s" % e)
            out.append(_ESCAPES[e])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def parse_inc(path):
    """Rows of the X-macro file as dicts (plus 'line'); raises ValueError on a malformed row."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            s = line.strip()
            if not s.startswith("SMTPSPEC_LINT_RULE("):
                continue
            pos, args = len("SMTPSPEC_LINT_RULE("), []
            while True:
                m = _TOKEN.match(s, pos)
                if not m:
                    raise ValueError("%s:%d: cannot parse near column %d" % (path, lineno, pos))
                pos = m.end()
                if m.group("str") is not None:
                    args.append(c_unescape(m.group("str")))
                elif m.group("word") is not None:
                    args.append(m.group("word"))
                elif m.group("punct") == ")":
                    break
            if s[pos:].strip():
                raise ValueError("%s:%d: trailing text after the row" % (path, lineno))
            if len(args) != len(FIELDS):
                raise ValueError("%s:%d: %d arguments, expected %d" % (path, lineno, len(args), len(FIELDS)))
            row = dict(zip(FIELDS, args))
            row["line"] = lineno
            rows.append(row)
    return rows


_FURNITURE = re.compile(r"\n[^\n]*\[Page [0-9]+\][ \t]*\n[ \t\n]*\f[ \t]*\n?(?:RFC [0-9]+[^\n]*\n)?")
# A compound word broken after its hyphen at a line end ("EHLO-" / "style") is joined again.
_LINE_END_HYPHEN = re.compile(r"[A-Za-z]-$")
_HEADING = re.compile(r"^(?:(\d+(?:\.\d+)*)\.?|Appendix ([A-Z])\.?|([A-Z](?:\.\d+)+)\.?)[ \t]+\S")


class RfcText:
    """One RFC: collapsed text plus section spans (by collapsed-text offset)."""

    def __init__(self, path):
        with open(path, encoding="utf-8", errors="replace") as f:
            raw = f.read()
        raw = _FURNITURE.sub("\n", raw).replace("\f", "\n")
        parts, length, heads, glue = [], 0, [], False
        for line in raw.split("\n"):
            m = _HEADING.match(line)
            words = line.split()
            if m and words:
                name = m.group(1) or ("Appendix " + m.group(2) if m.group(2) else m.group(3))
                heads.append((name, length + (1 if parts else 0)))
            for i, w in enumerate(words):
                if glue and i == 0:
                    parts[-1] += w  # "EHLO-" at a line end + "style" -> "EHLO-style"
                elif parts:
                    length += 1
                    parts.append(w)
                else:
                    parts.append(w)
                length += len(w)
            if words:
                glue = bool(_LINE_END_HYPHEN.search(words[-1]))
        self.text = " ".join(parts)
        # The body of the numbered sections starts after the table of contents: keep the last
        # heading of each name (the ToC lines are indented, so they rarely match anyway).
        self.sections = {}
        for i, (name, start) in enumerate(heads):
            end = len(self.text)
            depth = name.count(".")
            for name2, start2 in heads[i + 1:]:
                if not name.startswith("Appendix") and (
                        name2.startswith("Appendix") or name2.count(".") <= depth):
                    end = start2
                    break
                if name.startswith("Appendix") and (name2.startswith("Appendix") or name2[0].isdigit()):
                    end = start2
                    break
            self.sections[name] = (start, end)

    def span(self, section):
        key = section[1:] if section.startswith("§") else section
        return self.sections.get(key)


def find_pieces(text, pieces, start, end):
    """Offset of the first piece if every piece occurs in order inside text[start:end], else -1."""
    pos, first = start, -1
    for p in pieces:
        i = text.find(p, pos, end)
        if i < 0:
            return -1
        if first < 0:
            first = i
        pos = i + len(p)
    return first


def quote_pieces(quote):
    return [" ".join(p.split()) for p in quote.split("…") if p.strip()]


def expected_ident(rule_id):
    """Lower-case id with "-" -> "_"; "8BIT-UNDECLARED" -> "rule_8bit_undeclared" (C identifiers
    cannot start with a digit)."""
    s = rule_id.lower().replace("-", "_")
    return "rule_" + s if s[:1].isdigit() else s


def rfc_file(rfc_dir, rfc):
    m = re.fullmatch(r"RFC ([0-9]+)", rfc)
    return os.path.join(rfc_dir, "rfc%s.txt" % m.group(1)) if m else None


def check(rows, rfc_dir, rules_md=None, inc_name="lint_rules.inc"):
    problems, seen, cache = [], set(), {}

    def bad(row, msg):
        problems.append("%s:%d %s: %s" % (inc_name, row["line"], row["id"], msg))

    for row in rows:
        if row["ident"] != expected_ident(row["id"]):
            bad(row, "ident should be %s" % expected_ident(row["id"]))
        if row["id"] in seen:
            bad(row, "duplicate id")
        seen.add(row["id"])
        if row["level"] not in LEVELS:
            bad(row, "level %r not in %s" % (row["level"], LEVELS))
        if row["side"] not in SIDES:
            bad(row, "side %r not in %s" % (row["side"], SIDES))
        if not re.fullmatch(r"§\d+(\.\d+)*|Appendix [A-Z](\.\d+)*", row["section"]):
            bad(row, "section %r is not '§N.N…' or 'Appendix X'" % row["section"])
        if not row["summary"] or "\n" in row["summary"]:
            bad(row, "summary must be one non-empty line")
        quote = row["quote"]
        if len(quote) > MAX_QUOTE:
            bad(row, "quote is %d characters (max %d)" % (len(quote), MAX_QUOTE))
        if quote != " ".join(quote.split()):
            bad(row, "quote whitespace not collapsed")
        path = rfc_file(rfc_dir, row["rfc"])
        if path is None:
            bad(row, "RFC %r is not 'RFC <number>'" % row["rfc"])
            continue
        if not os.path.exists(path):
            if quote:
                bad(row, "%s not available to verify the quote" % row["rfc"])
            if NOT_VERIFIED not in row["summary"]:
                bad(row, "%s not available: summary must say %r" % (row["rfc"], NOT_VERIFIED))
            continue
        if not quote:
            bad(row, "empty quote although %s is available" % row["rfc"])
            continue
        if path not in cache:
            cache[path] = RfcText(path)
        doc = cache[path]
        pieces = quote_pieces(quote)
        span = doc.span(row["section"])
        if span is None:
            bad(row, "%s has no section %s" % (row["rfc"], row["section"]))
            continue
        where = [name for name, sp in doc.sections.items() if find_pieces(doc.text, pieces, *sp) >= 0]
        cited = row["section"].lstrip("§")
        # Cite the deepest section holding the quote (§4.2.1, not §4.2); text repeated in two
        # sections (the 421 line of §4.2.2 and §4.2.3) may cite either.
        inside = [w for w in where if w.startswith(cited + ".")]
        if cited in where and not inside:
            continue
        deepest = max(inside or where, key=lambda n: (n.count("."), n)) if where else None
        if deepest:
            prefix = "" if deepest.startswith("Appendix") or deepest[0].isalpha() else "§"
            bad(row, "quote is in %s %s%s, not %s" % (row["rfc"], prefix, deepest, row["section"]))
        elif find_pieces(doc.text, pieces, 0, len(doc.text)) >= 0:
            bad(row, "quote found in %s outside any section (front matter?)" % row["rfc"])
        else:
            missing = next(p for p in pieces if p not in doc.text)
            bad(row, "quote not found in %s: %r" % (row["rfc"], missing[:80]))
    if rules_md:
        with open(rules_md, encoding="utf-8") as f:
            ids = re.findall(r"^\| ([A-Z0-9]+(?:-[A-Z0-9]+)+) \|", f.read(), re.M)
        if ids != [r["id"] for r in rows]:
            problems.append("ids/order differ from %s: %d there, %d here; first difference at %s" % (
                rules_md, len(ids), len(rows),
                next((f"{a} / {b}" for a, b in zip(ids, [r["id"] for r in rows]) if a != b), "the end")))
    return problems


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("rfc_dir", nargs="?", default=DEFAULT_RFC_DIR)
    ap.add_argument("--inc", default=DEFAULT_INC)
    ap.add_argument("--rules-md", help="also check ids and order against this RULES.md")
    a = ap.parse_args(argv)
    if not os.path.isdir(a.rfc_dir):
        print("SKIP: RFC text directory %s not found; quotes not checked" % a.rfc_dir)
        return 77
    try:
        rows = parse_inc(a.inc)
    except (OSError, ValueError) as e:
        print("error: %s" % e)
        return 1
    problems = check(rows, a.rfc_dir, a.rules_md, os.path.basename(a.inc))
    for p in problems:
        print(p)
    verified = sum(1 for r in rows if r["quote"])
    print("%d rules, %d quotes verified against %s, %d problem(s)" % (
        len(rows), verified, os.path.normpath(a.rfc_dir), len(problems)))
    return 1 if problems or not rows else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
