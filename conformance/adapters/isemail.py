#!/usr/bin/env python3
"""Adapt the isemail test suite to smtpspec conformance vectors (RFC 5321 envelope reading).

Reads ../shared/vectors/isemail/tests.xml and meta.xml (relative to the repository root) and writes
conformance/vectors/isemail/isemail.json: one `mailbox` vector per isemail address, strict profile.

isemail diagnoses RFC 5322 addr-specs (comments, folding white space, obsolete forms, DNS checks).
Read as an RFC 5321 §4.1.2 Mailbox, an address is valid or invalid for partly different reasons, so
the verdict comes from a category default (CATEGORY below), refined per diagnosis (DIAGNOSIS) and,
where the RFC 5321 reading differs from both, per address (isemail-overrides.json, each with a
written reason). Every vector keeps isemail's category and diagnosis and a note saying whether
smtpspec agrees with isemail's own verdict.

Standard library only; deterministic; re-run after changing the overrides:
    python3 conformance/adapters/isemail.py [--source PATH] [--out PATH] [--check]

The isemail data is BSD-3-Clause; its notice is reproduced at the top of the generated file.
"""
import argparse
import json
import pathlib
import sys
import xml.etree.ElementTree as ET

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
DEFAULT_SOURCE = REPO.parent / "shared" / "vectors" / "isemail" / "tests.xml"
DEFAULT_OUT = REPO / "conformance" / "vectors" / "isemail" / "isemail.json"
OVERRIDES = HERE / "isemail-overrides.json"

NOTICE = [
    "isemail test data (tests.xml, version 3.05), adapted by conformance/adapters/isemail.py; do not edit, re-run the adapter.",
    "Copyright (c) 2008-2011, Dominic Sayers. Test schema documentation Copyright (c) 2011, Daniel Marschall. Tests 1-100 contributed by Michael Rushton. All rights reserved.",
    "Redistribution and use in source and binary forms, with or without modification, are permitted provided that the following conditions are met:",
    "- Redistributions of source code must retain the above copyright notice, this list of conditions and the following disclaimer.",
    "- Redistributions in binary form must reproduce the above copyright notice, this list of conditions and the following disclaimer in the documentation and/or other materials provided with the distribution.",
    "- Neither the name of Dominic Sayers nor the names of its contributors may be used to endorse or promote products derived from this software without specific prior written permission.",
    "THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS \"AS IS\" AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.",
    "Each vector: kind mailbox, strict profile; upstream = isemail's category and diagnosis; note = agreement with isemail's own verdict (categories VALID, DNSWARN and RFC5321 mean usable in the SMTP envelope; CFWS, DEPREC, RFC5322 and ERR mean not usable unmodified).",
]

# isemail category -> (valid as an RFC 5321 Mailbox?, why). isemail's own envelope verdict is
# "valid" exactly for the first three.
CATEGORY = {
    "ISEMAIL_VALID_CATEGORY": (True, "a plain RFC 5321 Mailbox"),
    "ISEMAIL_DNSWARN": (True, "syntax only: smtpspec makes no DNS look-ups"),
    "ISEMAIL_RFC5321": (True, "an RFC 5321 Mailbox with unusual but valid elements"),
    "ISEMAIL_CFWS": (False, "RFC 5321 §4.1.2 has no comments or folding white space"),
    "ISEMAIL_DEPREC": (False, "RFC 5322 obsolete forms (obs-local-part, obs-qp, obs-qtext, CFWS near @) are not RFC 5321 §4.1.2 syntax"),
    "ISEMAIL_RFC5322": (False, "valid only under RFC 5322's broader addr-spec, not RFC 5321 §4.1.2/§4.1.3"),
    "ISEMAIL_ERR": (False, "not an address under any of the RFCs"),
}
ISEMAIL_ENVELOPE_OK = {"ISEMAIL_VALID_CATEGORY", "ISEMAIL_DNSWARN", "ISEMAIL_RFC5321"}

# isemail diagnosis -> (smtpspec error code, section, why) where the RFC 5321 reading names one.
DIAGNOSIS = {
    "ISEMAIL_RFC5322_LOCAL_TOOLONG": ("local_part_too_long", "RFC 5321 §4.5.3.1.1",
                                      "local-part longer than 64 octets as written (quotes and backslashes count)"),
    "ISEMAIL_RFC5322_LABEL_TOOLONG": ("label_too_long", "RFC 1035 §2.3.4", "a label longer than 63 octets"),
    "ISEMAIL_RFC5322_DOMAIN_TOOLONG": ("domain_too_long", "RFC 5321 §4.5.3.1.2", "domain longer than 255 octets"),
    "ISEMAIL_RFC5322_IPV6_GRPCOUNT": ("invalid_ipv6_literal", "RFC 5321 §4.1.3",
                                      "without \"::\" an IPv6-addr has exactly 8 groups (or 6 before an IPv4 part)"),
    "ISEMAIL_RFC5322_IPV6_BADCHAR": ("invalid_ipv6_literal", "RFC 5321 §4.1.3", "IPv6-hex = 1*4HEXDIG"),
    "ISEMAIL_RFC5322_IPV6_COLONSTRT": ("invalid_ipv6_literal", "RFC 5321 §4.1.3", "a single leading colon matches no IPv6-addr form"),
    "ISEMAIL_RFC5322_IPV6_COLONEND": ("invalid_ipv6_literal", "RFC 5321 §4.1.3", "a single trailing colon matches no IPv6-addr form"),
    "ISEMAIL_RFC5322_IPV6_2X2XCOLON": ("invalid_ipv6_literal", "RFC 5321 §4.1.3", "IPv6-addr has at most one \"::\" and never \":::\""),
    "ISEMAIL_RFC5322_IPV6_MAXGRPS": ("ipv6_too_many_groups", "RFC 5321 §4.1.3",
                                     "more groups besides \"::\" than IPv6-comp (6) or IPv6v4-comp (4) allow"),
}


def control_pictures(s):
    """isemail writes control characters as Unicode control pictures (U+2400 + code)."""
    out = []
    for ch in s:
        cp = ord(ch)
        if 0x2400 <= cp <= 0x241F:
            out.append(chr(cp - 0x2400))
        elif cp == 0x2421:
            out.append("\x7f")
        else:
            out.append(ch)
    return "".join(out)


def unquote(local):
    """Local-part value with the quoting removed (RFC 5321 §4.1.2)."""
    if not (len(local) >= 2 and local[0] == local[-1] == '"'):
        return local
    body, out, i = local[1:-1], [], 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            i += 1
        out.append(body[i])
        i += 1
    return "".join(out)


def domain_kind(domain):
    if domain.lower().startswith("[ipv6:"):
        return "ipv6"
    return "ipv4" if domain.startswith("[") else "name"


def first_non_ascii(address):
    raw = address.encode("utf-8")
    return next((i for i, b in enumerate(raw) if b >= 0x80), None)


def diagnosis_texts(meta_path):
    """isemail's own one-line description of each diagnosis (meta.xml next to tests.xml)."""
    root = ET.parse(meta_path).getroot()
    return {item.get("id"): " ".join((item.findtext("description") or "").split())
            for item in root.iter("item") if item.get("id", "").startswith("ISEMAIL_")}


def vector(test, overrides, texts):
    tid = test.get("id")
    address = control_pictures(test.findtext("address") or "")
    category = test.findtext("category")
    diagnosis = test.findtext("diagnosis")
    valid, why = CATEGORY[category]
    code, rfc, diag_why = DIAGNOSIS.get(diagnosis, (None, None, None))
    why = diag_why or why
    local, _, domain = address.rpartition("@")
    if rfc is None:
        rfc = "RFC 5321 §4.1.3" if domain.startswith("[") else "RFC 5321 §4.1.2"
    offset = None
    if code == "local_part_too_long":
        offset = 0
    non_ascii = first_non_ascii(address)
    if not valid and code is None and non_ascii is not None:
        code, offset, rfc = "non_ascii", non_ascii, "RFC 6531 §3.3"
    elif not valid and code is None and address and all(0x20 <= ord(c) <= 0x7F for c in address):
        code = "syntax_error"  # printable ASCII (and DEL) only: a plain grammar failure

    o = overrides.get(tid)
    if o is not None:
        valid, why = o["ok"], o["why"]
        code, offset = o.get("code"), o.get("offset")
        rfc = o.get("rfc", rfc)

    if valid:
        quoted = local.startswith('"')
        expect = {"ok": True,
                  "value": {"local_part": local,
                            "local_part_kind": "quoted_string" if quoted else "dot_string",
                            "local_part_value": unquote(local),
                            "domain": {"kind": domain_kind(domain)}},
                  "diagnostics": [{"id": "quoted_local_part"}] if quoted else []}
    else:
        expect = {"ok": False}
        if code is not None:
            expect["error"] = {"code": code}
            if offset is not None:
                expect["error"]["offset"] = offset

    isemail_ok = category in ISEMAIL_ENVELOPE_OK
    verdict = "valid" if valid else "invalid"
    if isemail_ok == valid:
        agreement = "agrees with isemail (" + ("usable" if valid else "not usable") + " in the envelope)"
    else:
        agreement = "DISAGREES with isemail, which calls it " + ("usable" if isemail_ok else "not usable") + " in the envelope"
    said = texts.get(diagnosis)
    note = f"{verdict} as an RFC 5321 Mailbox: {why}; {agreement}" + (f" (isemail: {said})" if said else "")
    return {"id": f"isemail-{tid}", "kind": "mailbox", "input": address, "rfc": rfc, "expect": expect,
            "note": note, "upstream": {"category": category, "diagnosis": diagnosis}}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=pathlib.Path, default=DEFAULT_SOURCE)
    ap.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true", help="write nothing; fail if --out is not what this run produces")
    args = ap.parse_args(argv)
    overrides = json.loads(OVERRIDES.read_text(encoding="utf-8"))
    tests = ET.parse(args.source).getroot().findall("test")
    known = {t.get("id") for t in tests}
    stale = sorted(set(overrides) - known, key=int)
    if stale:
        sys.exit(f"isemail.py: overrides for unknown test ids: {stale}")
    for tid, o in overrides.items():
        if not o.get("why"):
            sys.exit(f"isemail.py: override {tid} has no written reason")
    texts = diagnosis_texts(args.source.with_name("meta.xml"))
    entries = NOTICE + [vector(t, overrides, texts) for t in tests]
    text = "[\n" + ",\n".join("  " + json.dumps(e, ensure_ascii=False) for e in entries) + "\n]\n"
    if args.check:
        if not args.out.is_file() or args.out.read_text(encoding="utf-8") != text:
            sys.exit(f"isemail.py: {args.out} is stale; re-run conformance/adapters/isemail.py")
        print(f"isemail.py: {args.out} is up to date ({len(tests)} vectors)")
        return
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8", newline="\n")
    print(f"isemail.py: wrote {len(tests)} vectors to {args.out}")


if __name__ == "__main__":
    main()
