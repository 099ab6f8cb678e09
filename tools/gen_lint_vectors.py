#!/usr/bin/env python3
"""Writes conformance/vectors/lint/*.json (vector kind "lint", conformance/README.md "Lint") from the
rule cases in tests/lint/cases/ and a few hand-picked inputs, with `expect` = the CLI's
`smtpspec lint --format json` output for the same input and options.

Each rule vector selects only its own rule, so rules added later do not move it. Review the diff
after regenerating: the expectations are the engine's answers, not an independent oracle.

usage: tools/gen_lint_vectors.py [--cli build/dev/tools/smtpspec]
"""
import argparse
import json
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "lint" / "cases"
OUT = ROOT / "conformance" / "vectors" / "lint"

# One triggering and one clean case each (tests/lint/cases/<RULE>.bad.txt / .good.txt).
RULES = [
    "REPLY-CODE-SYNTAX", "REPLY-CODE-ALLOWED", "REPLY-MULTILINE-SAME-CODE", "REPLY-MISSING",
    "ESC-MISSING", "ESC-SYNTAX", "ESC-CLASS-MATCH", "ESC-MULTILINE-SAME", "ESC-UNADVERTISED",
    "LINE-BARE-LF", "LINE-BARE-CR", "LINE-NUL", "LEN-CMD-LINE", "LEN-REPLY-LINE", "LEN-DOMAIN",
    "PIPE-UNADVERTISED", "PIPE-DATA-LAST", "PARAM-DUPLICATE", "PARAM-UNADVERTISED", "DSN-RET-SYNTAX",
    "AUTH-UNADVERTISED", "AUTH-TWICE", "BDAT-UNADVERTISED", "8BIT-UNDECLARED", "SEQ-GREETING-FIRST",
    "SEQ-RCPT-BEFORE-MAIL", "TLS-STARTTLS-TWICE", "SYN-VERB",
    # Decided with the reference server (src/lint_model.hpp) and the last rule added.
    "SEQ-MAIL-NESTED", "SEQ-RSET-250", "QUIT-221-CLOSE", "TLS-RESET-STATE", "AUTH-IN-TRANSACTION",
    "BDAT-MIX-DATA", "RESPONSE-TEXT-ONLY-CODE",
]

D1 = (CASES / "ESC-MISSING.good.txt").read_text(encoding="utf-8")


# Each divergence stops the reference server until the next accepted EHLO, hence one EHLO per fault.
server_faults = (
    "S: 220 mx\nC: EHLO c\nS: 250-mx\nS: 250-CHUNKING\nS: 250 AUTH PLAIN\nC: RSET\nS: 252 hm\n"
    "C: MAIL FROM:<a@c.example>\nS: 250 ok\nC: AUTH PLAIN AGJvYgBwdw==\nS: 235 ok\n"
    "C: EHLO c\nS: 250-mx\nS: 250 CHUNKING\n"
    "C: MAIL FROM:<a@c.example>\nS: 250 ok\nC: MAIL FROM:<a@c.example>\nS: 250 ok\n"
    "C: EHLO c\nS: 250-mx\nS: 250 CHUNKING\nC: MAIL FROM:<a@c.example>\nS: 250 ok\n"
    "C: RCPT TO:<b@c.example>\nS: 250 ok\nC: BDAT 5\nC: abc\nS: 250 ok\nC: DATA\nS: 354 go\nC: .\nS: 250 ok\n"
    "C: EHLO c\nS: 250 mx\nC: QUIT\nS: 250 bye\n")


def options_vectors():
    """(id, input, options): the options themselves (select prefixes, ignore, formats, LMTP)."""
    missing = (CASES / "REPLY-MISSING.bad.txt").read_text(encoding="utf-8")
    lmtp = ("S: 220 mx LMTP\r\nC: LHLO a\r\nS: 250 mx\r\nC: MAIL FROM:<a@b>\r\nS: 250 ok\r\n"
            "C: RCPT TO:<c@d>\r\nS: 250 ok\r\nC: RCPT TO:<e@f>\r\nS: 250 ok\r\nC: DATA\r\n"
            "S: 354 go\r\nC: hi\r\nC: .\r\nS: 250 ok\r\nS: 250 ok\r\nC: QUIT\r\nS: 221 bye\r\n")
    esc = (CASES / "ESC-MISSING.bad.txt").read_text(encoding="utf-8")
    # Every vector selects its rules, so that rules added later do not move it; only the inputs
    # without a single event run every rule.
    return [
        ("esc-and-line-rules", esc, {"select": ["ESC-MISSING", "ESC-SYNTAX", "LINE-CRLF", "LINE-BARE-LF"]}),
        ("select-prefix", esc, {"select": ["ESC-*"]}),
        ("select-lower-case", esc, {"select": ["esc-missing"]}),
        ("ignore-prefix", esc, {"select": ["ESC-MISSING", "ESC-SYNTAX", "LINE-CRLF"], "ignore": ["ESC-*"]}),
        ("select-and-ignore", esc, {"select": ["ESC-*"], "ignore": ["ESC-MISSING"]}),
        ("show-undecidable", missing, {"show_undecidable": True, "select": ["REPLY-MISSING", "REPLY-CODE-SYNTAX"]}),
        ("undecidable-counted-only", missing, {"select": ["REPLY-MISSING", "REPLY-CODE-SYNTAX"]}),
        ("transcript-format-given", "S: 220 mx\nC: EHLO a\nS: 250 mx\nC: QUIT\nS: 221 bye\n",
         {"transcript_format": "rfc", "select": ["LINE-CRLF", "REPLY-CODE-SYNTAX"]}),
        ("lmtp", lmtp, {"lmtp": True, "select": ["REPLY-AFTER-DATA-ONE", "SYN-VERB"]}),
        ("lmtp-off", lmtp, {"select": ["REPLY-AFTER-DATA-ONE"]}),
        ("empty-input", "", {}),
        ("not-a-transcript", "hello world\nthis is not smtp\n", {}),
        ("truncated-reply", "S: 220 mx\nC: EHLO a\nS: 250-mx\n", {"select": ["REPLY-MISSING", "REPLY-CODE-SYNTAX"], "show_undecidable": True}),
        ("only-server-greeting", "S: 220 mx ESMTP\n", {"select": ["SEQ-GREETING-FIRST", "REPLY-UNSOLICITED"]}),
        # Server halves decided by the reference server (src/lint_model.hpp): a nested MAIL, AUTH in a
        # transaction, DATA after BDAT accepted; RSET and QUIT answered otherwise than 250 / 221.
        ("server-halves-from-the-session", server_faults, {"select": [
            "SEQ-MAIL-NESTED", "AUTH-IN-TRANSACTION", "BDAT-MIX-DATA", "SEQ-RSET-250", "QUIT-221-CLOSE"]}),
    ]


def cli_args(options):
    args = []
    if options.get("select"):
        args += ["--select", ",".join(options["select"])]
    if options.get("ignore"):
        args += ["--ignore", ",".join(options["ignore"])]
    if options.get("transcript_format"):
        args += ["--transcript-format", options["transcript_format"]]
    if options.get("lmtp"):
        args.append("--lmtp")
    if options.get("show_undecidable"):
        args.append("--show-undecidable")
    return args


def expect(cli, text, options):
    r = subprocess.run([cli, "lint", "--format", "json", *cli_args(options), "-"], input=text.encode("utf-8"),
                       capture_output=True)
    if r.returncode not in (0, 1, 2):
        raise SystemExit(f"gen_lint_vectors: smtpspec lint exited {r.returncode}: {r.stderr!r}")
    return json.loads(r.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=str(ROOT / "build" / "dev" / "tools" / "smtpspec"))
    a = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    rules = ["smtpspec lint, one rule at a time: tests/lint/cases/<RULE>.bad.txt and .good.txt with "
             "select [RULE] (generated by tools/gen_lint_vectors.py)"]
    for rule in RULES:
        for kind in ("bad", "good"):
            text = (CASES / f"{rule}.{kind}.txt").read_text(encoding="utf-8")
            options = {"select": [rule]}
            rules.append({"kind": "lint", "id": f"{rule}.{kind}", "input": text, "options": options,
                          "expect": expect(a.cli, text, options)})
    opts = ["smtpspec lint options (select/ignore prefixes, undecidable, transcript format, LMTP) and bad "
            "input (generated by tools/gen_lint_vectors.py)"]
    for vid, text, options in options_vectors():
        v = {"kind": "lint", "id": vid, "input": text}
        if options:
            v["options"] = options
        v["expect"] = expect(a.cli, text, options)
        opts.append(v)
    for name, vectors in (("rules.json", rules), ("options.json", opts)):
        (OUT / name).write_text(json.dumps(vectors, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"gen_lint_vectors: {len(rules) - 1} + {len(opts) - 1} vectors")


if __name__ == "__main__":
    main()
