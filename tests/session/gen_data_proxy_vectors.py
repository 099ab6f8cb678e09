#!/usr/bin/env python3
# Writes conformance/vectors/data_reader/*.json and conformance/vectors/proxy/headers.json. The
# expectations are written by hand here (the smuggling table matches tests/session/smuggling_test.cpp),
# not taken from the C++ output; the CRC32c is computed independently (RFC 4960 Appendix B).
import os
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
import json
SM = "MAIL FROM:<admin@bank.example>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\nsmuggled\r\n"
R = ("rejected", None)
def C(p): return ("content", p)
def E(p): return ("real_end", p)
lf, cr, smug, nul = "bare_lf_in_data", "bare_cr_in_data", "smuggled_end_of_data", "nul_in_data"
# name, variant, reject, normalize, accept, diags, real_end_consumed  (hand-derived; see smuggling_test.cpp)
M = [
 ("lf-dot-lf", "\n.\n", R, C("text\r\n\r\n"), C("text\n.\n"), [(lf,4),(smug,5),(lf,6)], 0),
 ("lf-dot-cr", "\n.\r", R, C("text\r\n\r\n"), C("text\n.\r"), [(lf,4),(smug,5),(cr,6)], 0),
 ("cr-dot-lf", "\r.\n", R, C("text\r\n\r\n"), C("text\r.\n"), [(cr,4),(smug,5),(lf,6)], 0),
 ("cr-dot-cr", "\r.\r", R, C("text\r\n\r\n"), C("text\r.\r"), [(cr,4),(smug,5),(cr,6)], 0),
 ("lf-dot-crlf", "\n.\r\n", R, C("text\r\n\r\n"), C("text\n.\r\n"), [(lf,4),(smug,5)], 0),
 ("cr-dot-crlf", "\r.\r\n", R, C("text\r\n\r\n"), C("text\r.\r\n"), [(cr,4),(smug,5)], 0),
 ("nul-before-dot", "\r\n\0.\r\n", C("text\r\n\0.\r\n"), C("text\r\n\0.\r\n"), C("text\r\n\0.\r\n"), [(nul,6),(smug,6)], 0),
 ("crlf-dot-lf", "\r\n.\n", R, C("text\r\n\r\n"), C("text\r\n\n"), [(smug,6),(lf,7)], 0),
 ("crlf-dot-cr", "\r\n.\r", R, C("text\r\n\r\n"), C("text\r\n\r"), [(smug,6),(cr,7)], 0),
 ("nul-after-dot", "\r\n.\0\r\n", C("text\r\n\0\r\n"), C("text\r\n\0\r\n"), C("text\r\n\0\r\n"), [(smug,6),(nul,7)], 0),
 ("dot-cr-cr-lf", "\r\n.\r\r\n", R, C("text\r\n\r\n\r\n"), C("text\r\n\r\r\n"), [(smug,6),(cr,7)], 0),
 ("cr-cr-lf-both-sides", "\r\r\n.\r\r\n", R, C("text\r\n\r\n\r\n\r\n"), C("text\r\r\n\r\r\n"), [(cr,4),(smug,7),(cr,8)], 0),
 ("cr-cr-lf-before-dot", "\r\r\n.\r\n", R, E("text\r\n\r\n"), E("text\r\r\n"), [(cr,4)], 10),
 ("nul-before-crlf-dot", "\0\r\n.\r\n", E("text\0\r\n"), E("text\0\r\n"), E("text\0\r\n"), [(nul,4)], 10),
 ("cr-nul-lf-dot", "\r\0\n.\r\n", R, C("text\r\n\0\r\n\r\n"), C("text\r\0\n.\r\n"), [(cr,4),(nul,5),(lf,6),(smug,7)], 0),
 ("dot-cr-nul-lf", "\r\n.\r\0\n", R, C("text\r\n\r\n\0\r\n"), C("text\r\n\r\0\n"), [(smug,6),(cr,7),(nul,8),(lf,9)], 0),
 ("nul-after-end", "\r\n.\r\n\0", E("text\r\n"), E("text\r\n"), E("text\r\n"), [], 9),
 ("pipelining-after-end", "\r\n.\r\n", E("text\r\n"), E("text\r\n"), E("text\r\n"), [], 9),
]
out = ["data_reader vectors: the SMTP smuggling matrix (/work/shared/smuggling.md) under each policy, then "
       "transparency and limits. One feed() of the input; expect is to_json(reader, step, message). "
       "Input: 'text' + variant + smuggled MAIL/RCPT/DATA + '.' CRLF."]
for name, v, rj, nz, ac, diags, rec in M:
    for pol, want in (("reject", rj), ("normalize", nz), ("accept", ac)):
        inp = "text" + v + SM + ".\r\n"
        exp = {"done": True, "diagnostics": [{"id": i, "offset": o} for i, o in diags]}
        kind, prefix = want
        if kind == "rejected":
            exp["reject"] = next(i for i, _ in diags if i in (lf, cr))
            exp["consumed"] = rec or len(inp)
        elif kind == "content":
            exp["reject"] = None
            exp["consumed"] = len(inp)
            exp["message"] = prefix + SM
        else:
            exp["reject"] = None
            exp["consumed"] = rec
            exp["message"] = prefix
        note = {"rejected": "the policy refuses the message; the reader reads on to the real end of data",
                "content": "the variant and the smuggled commands are message content",
                "real_end": "the variant contains the real CRLF.CRLF: what follows is pipelined after the end"}[kind]
        vec = {"id": f"{name}-{pol}", "kind": "data_reader",
               "options": {"bare_lf": pol, "bare_cr": pol}, "input": inp,
               "rfc": "RFC 5321 §4.1.1.4", "expect": exp, "note": note}
        out.append(vec)
json.dump(out, open(os.path.join(ROOT, "conformance/vectors/data_reader/smuggling.json"), "w"), indent=1, ensure_ascii=False)

B = ["data_reader vectors: end of data, transparency (RFC 5321 §4.5.2), line length, NUL, policies."]
def add(id_, inp, exp, rfc, options=None, note=None):
    v = {"id": id_, "kind": "data_reader"}
    if options: v["options"] = options
    v["input"] = inp; v["rfc"] = rfc; v["expect"] = exp
    if note: v["note"] = note
    B.append(v)
add("empty-message", ".\r\n", {"consumed": 3, "done": True, "message": "", "octets_in": 3, "octets_out": 0, "diagnostics": [], "reject": None}, "RFC 5321 §4.1.1.4", note="the DATA command's CRLF is the first CRLF of the end-of-data sequence")
add("simple", "Subject: x\r\n\r\nbody\r\n.\r\n", {"consumed": 23, "done": True, "message": "Subject: x\r\n\r\nbody\r\n", "diagnostics": [], "reject": None}, "RFC 5321 §4.1.1.4")
add("unstuff", "..a\r\n..\r\n...\r\n.\r\n", {"done": True, "message": ".a\r\n.\r\n..\r\n"}, "RFC 5321 §4.5.2")
add("first-line-dot", ".Subject\r\n.\r\n", {"done": True, "consumed": 13, "message": "Subject\r\n"}, "RFC 5321 §4.5.2")
add("stops-at-end", "a\r\n.\r\nQUIT\r\n", {"done": True, "consumed": 6, "message": "a\r\n", "octets_in": 6}, "RFC 5321 §4.1.1.4", note="pipelined commands after the end are not consumed")
add("unfinished", "a\r\nb\r\n.", {"done": False, "consumed": 7, "message": "a\r\nb\r\n"}, "RFC 5321 §4.1.1.4", note="a line-initial dot is held until the next octet")
add("unfinished-cr", "a\r", {"done": False, "consumed": 2, "message": "a", "diagnostics": []}, "RFC 5321 §4.1.1.4", note="a trailing CR is held until the next octet")
add("dot-in-line", "x.\r\n a.\r\n.\r\n", {"done": True, "message": "x.\r\n a.\r\n"}, "RFC 5321 §4.1.1.4")
add("nul", "a\u0000b\r\n.\r\n", {"done": True, "message": "a\u0000b\r\n", "diagnostics": [{"id": "nul_in_data", "severity": "warning", "offset": 1}], "reject": None}, "RFC 5321 §4.5.2")
add("line-998-ok", "x" * 998 + "\r\n.\r\n", {"done": True, "diagnostics": []}, "RFC 5321 §4.5.3.1.6")
add("line-999-long", "x" * 999 + "\r\n.\r\n", {"done": True, "message": "x" * 999 + "\r\n", "diagnostics": [{"id": "data_line_too_long", "offset": 998}]}, "RFC 5321 §4.5.3.1.6", note="longer lines are kept, diagnosed once at the first octet past the limit")
add("max-line-option", "..abcdefgh\r\nok\r\n.\r\n", {"done": True, "message": ".abcdefgh\r\nok\r\n", "diagnostics": [{"id": "data_line_too_long", "offset": 9}]}, "RFC 5321 §4.5.3.1.6", {"max_line": 10}, "the transparency dot is not counted")
add("bare-lf-reject", "ab\ncd\r\n.\r\n", {"consumed": 10, "done": True, "message": "ab", "octets_out": 2, "diagnostics": [{"id": "bare_lf_in_data", "severity": "error", "offset": 2, "rfc": "RFC 5321 §2.3.8"}], "reject": "bare_lf_in_data"}, "RFC 5321 §2.3.8", note="default policy: nothing after the bare LF is kept")
add("bare-lf-normalize", "ab\ncd\r\n.\r\n", {"done": True, "message": "ab\r\ncd\r\n", "reject": None}, "RFC 5321 §2.3.8", {"bare_lf": "normalize"})
add("bare-lf-accept", "ab\ncd\r\n.\r\n", {"done": True, "message": "ab\ncd\r\n", "reject": None}, "RFC 5321 §2.3.8", {"bare_lf": "accept"})
add("bare-cr-mixed", "ab\rcd\ne\r\n.\r\n", {"done": True, "message": "ab\rcd\r\ne\r\n", "diagnostics": [{"id": "bare_cr_in_data", "offset": 2}, {"id": "bare_lf_in_data", "offset": 5}]}, "RFC 5321 §2.3.8", {"bare_lf": "normalize", "bare_cr": "accept"})
add("normalize-lf-dot-crlf-is-not-end", "a\n.\r\nb\r\n.\r\n", {"done": True, "consumed": 11, "message": "a\r\n\r\nb\r\n"}, "RFC 5321 §4.1.1.4", {"bare_lf": "normalize", "bare_cr": "normalize"}, "a '.' line after a bare LF becomes an empty line")
add("go-smtp-crlf-dot-lf", "This is a message with an SMTP smuggling dot:\r\n.\nFinal dot comes after.\r\n.\r\n", {"done": True, "message": "This is a message with an SMTP smuggling dot:\r\n\nFinal dot comes after.\r\n"}, "RFC 5321 §4.1.1.4", {"bare_lf": "accept", "bare_cr": "accept"}, "go-smtp TestServer_smtpSmuggling gives the same data")
add("go-smtp-lf-dot-crlf", "This is a message with an SMTP smuggling dot:\n.\r\nFinal dot comes after.\r\n.\r\n", {"done": True, "message": "This is a message with an SMTP smuggling dot:\n.\r\nFinal dot comes after.\r\n"}, "RFC 5321 §4.1.1.4", {"bare_lf": "accept", "bare_cr": "accept"}, "go-smtp TestServer_smtpSmuggling gives the same data")
add("go-smtp-lf-dot-lf", "hey\r\n\n.\nthis is going to break your server\r\n.\r\n", {"done": True, "message": "hey\r\n\n.\nthis is going to break your server\r\n"}, "RFC 5321 §4.1.1.4", {"bare_lf": "accept", "bare_cr": "accept"}, "go-smtp TestServer_LFDotLF gives the same data")
add("utf8-and-8bit", "h\u00e9llo\r\n.\r\n", {"done": True, "message": "h\u00e9llo\r\n", "diagnostics": []}, "RFC 6152")
B.append({"id": "binary-octets", "kind": "data_reader", "input_hex": "ff80c3280d0a2e0d0a", "rfc": "RFC 5321 §4.5.2",
          "expect": {"done": True, "consumed": 9, "octets_out": 6, "message": "\ufffd\ufffd\ufffd(\r\n"},
          "note": "the message JSON writes each ill-formed UTF-8 sequence as U+FFFD; octets_out counts octets"})
json.dump(B, open(os.path.join(ROOT, "conformance/vectors/data_reader/basics.json"), "w"), indent=1, ensure_ascii=False)
print(len(out) - 1, len(B) - 1)
SIG = bytes.fromhex("0d0a0d0a000d0a515549540a")
def v2(vc, fam, body): return SIG + bytes([vc, fam]) + len(body).to_bytes(2, "big") + body
def tlv(t, v): return bytes([t]) + len(v).to_bytes(2, "big") + v
INET = bytes([192,0,2,1, 198,51,100,2]) + (1234).to_bytes(2,"big") + (25).to_bytes(2,"big")
V = ["proxy vectors: HAProxy PROXY protocol v1 and v2 headers (proxy-protocol.txt). expect is "
     "to_json(parse_proxy_header(input, accept)); the runner also checks that a done header parses the "
     "same from its own octets and that every shorter prefix is incomplete."]
def hdr(version, local, family, sa, da, sp, dp, tlvs=()):
    return {"version": version, "local": local, "family": family, "source_address": sa, "destination_address": da,
            "source_port": sp, "destination_port": dp, "tlvs": [{"type": t, "value_hex": v} for t, v in tlvs]}
def add(id_, data, expect, accept=None, note=None):
    v = {"id": id_, "kind": "proxy"}
    if accept: v["accept"] = accept
    if isinstance(data, str): v["input"] = data
    else: v["input_hex"] = data.hex()
    v["rfc"] = "PROXY protocol §2.1" if (isinstance(data, str) and data.startswith("PROXY")) else "PROXY protocol §2.2"
    v["expect"] = expect
    if note: v["note"] = note
    V.append(v)
def done(n, h): return {"status": "done", "consumed": n, "error": None, "header": h}
INVALID = {"status": "invalid", "consumed": 0, "header": None}
INCOMPLETE = {"status": "incomplete", "consumed": 0, "error": None, "header": None}
h = "PROXY TCP4 192.0.2.1 198.51.100.2 56324 25\r\n"
add("v1-tcp4", h + "EHLO x\r\n", done(len(h), hdr(1, False, "TCP4", "192.0.2.1", "198.51.100.2", 56324, 25)), note="what follows the header is not consumed")
h6 = "PROXY TCP6 2001:db8::1 ::ffff:192.0.2.1 65535 0\r\n"
add("v1-tcp6", h6, done(len(h6), hdr(1, False, "TCP6", "2001:db8::1", "::ffff:192.0.2.1", 65535, 0)))
add("v1-unknown-short", "PROXY UNKNOWN\r\n", done(15, hdr(1, True, "UNKNOWN", None, None, 0, 0)))
w = "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n"
add("v1-unknown-worst-case-107", w, done(107, hdr(1, True, "UNKNOWN", None, None, 0, 0)), note="the largest v1 header; what follows UNKNOWN is ignored")
add("v1-108-octets", "PROXY UNKNOWN " + "x" * 92 + "\r\n", INVALID, note="longer than 107 octets")
add("v1-incomplete", "PROXY TCP4 192.0.2.1 198.51", INCOMPLETE)
add("v1-incomplete-cr", "PROXY TCP4 192.0.2.1 198.51.100.2 1 25\r", INCOMPLETE)
add("v1-port-leading-zero", "PROXY TCP4 192.0.2.1 198.51.100.2 056324 25\r\n", INVALID, note="leading zeroes are not permitted (octal confusion)")
add("v1-port-range", "PROXY TCP4 192.0.2.1 198.51.100.2 65536 25\r\n", INVALID)
add("v1-double-space", "PROXY TCP4 192.0.2.1  198.51.100.2 1 25\r\n", INVALID)
add("v1-wrong-family", "PROXY TCP4 ::1 198.51.100.2 1 25\r\n", INVALID)
add("v1-ipv4-leading-zero", "PROXY TCP4 192.0.2.01 198.51.100.2 1 25\r\n", INVALID)
add("v1-bare-lf", "PROXY TCP4 192.0.2.1 198.51.100.2 1 25\n", INVALID)
add("v1-too-few-fields", "PROXY TCP4 192.0.2.1 198.51.100.2 1\r\n", INVALID)
add("v1-early-invalid", "PROXY TCP4 300", INVALID, note="decided before the CRLF arrives")
add("v1-not-accepted", h, INVALID, "v2")
add("not-proxy", "EHLO client.example\r\n", INVALID)
add("v2-tcp4", v2(0x21, 0x11, INET) + b"EHLO", done(28, hdr(2, False, "TCP4", "192.0.2.1", "198.51.100.2", 1234, 25)))
a6 = bytes.fromhex("20010db8000000000000000000000001") + bytes.fromhex("00010000000000020000000000000003")
add("v2-tcp6-rfc5952", v2(0x21, 0x21, a6 + (587).to_bytes(2,"big") + (25).to_bytes(2,"big")),
    done(52, hdr(2, False, "TCP6", "2001:db8::1", "1:0:0:2::3", 587, 25)), note="addresses in RFC 5952 text form")
add("v2-udp4", v2(0x21, 0x12, INET), done(28, hdr(2, False, "UDP4", "192.0.2.1", "198.51.100.2", 1234, 25)))
src = b"/run/src.sock".ljust(108, b"\0"); dst = b"/run/dst.sock".ljust(108, b"\0")
add("v2-unix", v2(0x21, 0x31, src + dst), done(232, hdr(2, False, "UNIX", "/run/src.sock", "/run/dst.sock", 0, 0)))
add("v2-local", v2(0x20, 0x00, b""), done(16, hdr(2, True, "UNKNOWN", None, None, 0, 0)))
add("v2-local-ignores-block", v2(0x20, 0xff, b"zzzz"), done(20, hdr(2, True, "UNKNOWN", None, None, 0, 0)), note="LOCAL: the block, family included, is discarded")
add("v2-proxy-unspec", v2(0x21, 0x00, b""), done(16, hdr(2, True, "UNKNOWN", None, None, 0, 0)))
add("v2-tlvs", v2(0x21, 0x11, INET + tlv(2, b"mx.example") + tlv(4, b"") + tlv(0x20, bytes([1,0,0,0,0]))),
    done(16 + 12 + 13 + 3 + 8, hdr(2, False, "TCP4", "192.0.2.1", "198.51.100.2", 1234, 25,
                                   [(2, b"mx.example".hex()), (4, ""), (0x20, "0100000000")])))
def crc32c(data):
    c = 0xffffffff
    for ch in data:
        c ^= ch
        for _ in range(8):
            c = (c >> 1) ^ 0x82f63b78 if c & 1 else c >> 1
    return c ^ 0xffffffff
assert crc32c(b"123456789") == 0xe3069283
hc = bytearray(v2(0x21, 0x11, INET + tlv(3, bytes(4))))
hc[31:35] = crc32c(bytes(hc)).to_bytes(4, "big")
add("v2-crc32c-ok", bytes(hc), done(35, hdr(2, False, "TCP4", "192.0.2.1", "198.51.100.2", 1234, 25, [(3, bytes(hc[31:35]).hex())])),
    note="PP2_TYPE_CRC32C over the whole header with the checksum as zeroes")
hb = bytearray(hc); hb[20] ^= 0x40
add("v2-crc32c-mismatch", bytes(hb), INVALID, note="a receiver that supports the checksum MUST treat a mismatch as invalid")
add("v2-tlv-overrun", v2(0x21, 0x11, INET + bytes([2, 0, 5]) + b"abc"), INVALID)
add("v2-tlv-truncated", v2(0x21, 0x11, INET + bytes([2, 0])), INVALID)
add("v2-length-short-for-family", v2(0x21, 0x21, INET), INVALID)
add("v2-bad-version", v2(0x11, 0x11, INET), INVALID)
add("v2-bad-command", v2(0x22, 0x11, INET), INVALID)
add("v2-bad-family", v2(0x21, 0x41, INET), INVALID)
add("v2-bad-protocol", v2(0x21, 0x13, INET), INVALID)
add("v2-incomplete-signature", SIG[:7], INCOMPLETE)
add("v2-incomplete-body", v2(0x21, 0x11, INET)[:20], INCOMPLETE)
add("v2-not-accepted", v2(0x21, 0x11, INET), INVALID, "v1")
add("none-accepted", "PROXY UNKNOWN\r\n", INVALID, "none")
add("empty", "", INCOMPLETE)
json.dump(V, open(os.path.join(ROOT, "conformance/vectors/proxy/headers.json"), "w"), indent=1)
print(len(V) - 1)
