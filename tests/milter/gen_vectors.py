#!/usr/bin/env python3
"""Writes conformance/vectors/milter/*.json. The bytes are assembled here from the layouts in
../shared/milter/PROTOCOL.md (so no length is computed by hand); every `expect` is written by hand
from the same document, never copied from smtpspec's output. Run after editing, commit the JSON:
    /usr/bin/python3 tests/milter/gen_vectors.py
"""
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "conformance", "vectors", "milter")


def pkt(code, payload=b""):
    if isinstance(code, str):
        code = code.encode()
    if isinstance(payload, str):
        payload = payload.encode()
    return struct.pack(">I", len(payload) + 1) + code + payload


def z(*strings):
    """NUL-terminated strings."""
    return b"".join((s.encode() if isinstance(s, str) else s) + b"\0" for s in strings)


def u32(*ns):
    return b"".join(struct.pack(">I", n) for n in ns)


def vec(id, direction, data, expect, rfc="milter PROTOCOL.md", note=None, options=None):
    v = {"id": id, "kind": "milter_decode", "direction": direction, "input_hex": data.hex(), "rfc": rfc,
         "expect": expect}
    if options:
        v["options"] = options
    if note:
        v["note"] = note
    return v


def one(p):
    return {"packets": [p], "error": None}


def err(code, offset=0, byte=None, packets=None):
    e = {"code": code, "offset": offset, "byte": byte}
    return {"packets": packets if packets is not None else [], "error": e}


S3 = "PROTOCOL.md §3"
S4 = "PROTOCOL.md §4"
S5 = "PROTOCOL.md §5"
S2 = "PROTOCOL.md §2"

commands = [
    "SMFIC_* commands (MTA -> filter), one packet each, decoded to canonical JSON.",
    vec("optneg-postfix", "to_filter", pkt("O", u32(6, 0x1FF, 0x1FFFFF)), one({
        "type": "SMFIC_OPTNEG", "code": "O", "version": 6, "actions": 511, "protocol": 2097151,
        "action_names": ["ADDHDRS", "CHGBODY", "ADDRCPT", "DELRCPT", "CHGHDRS", "QUARANTINE", "CHGFROM",
                         "ADDRCPT_PAR", "SETSYMLIST"],
        "protocol_names": ["NOCONNECT", "NOHELO", "NOMAIL", "NORCPT", "NOBODY", "NOHDRS", "NOEOH", "NR_HDR",
                           "NOUNKNOWN", "NODATA", "SKIP", "RCPT_REJ", "NR_CONN", "NR_HELO", "NR_MAIL", "NR_RCPT",
                           "NR_DATA", "NR_UNKN", "NR_EOH", "NR_BODY", "HDR_LEADSPC"],
        "symbol_lists": []}), S5, "Postfix 3.7 and miltertest offer v6 / 0x1FF / 0x1FFFFF"),
    vec("optneg-v2", "to_filter", pkt("O", u32(2, 0x3F, 0x7F)), one({
        "type": "SMFIC_OPTNEG", "version": 2, "actions": 63, "protocol": 127,
        "protocol_names": ["NOCONNECT", "NOHELO", "NOMAIL", "NORCPT", "NOBODY", "NOHDRS", "NOEOH"]}), S5),
    vec("optneg-unknown-bit", "to_filter", pkt("O", u32(6, 0, 0x40000000)), one({
        "type": "SMFIC_OPTNEG", "actions": 0, "action_names": [], "protocol_names": ["0x40000000"]}), S5,
        "a reserved bit has no name: its value is written in hex"),
    vec("macro-connect", "to_filter",
        pkt("D", b"C" + z("j", "mx.example.org", "{daemon_name}", "smtpd", "v", "Postfix 3.7.11", "_",
                          "client.example.com [192.0.2.1]")),
        one({"type": "SMFIC_MACRO", "code": "D", "stage": "C", "macros": [
            {"name": "j", "value": "mx.example.org"}, {"name": "{daemon_name}", "value": "smtpd"},
            {"name": "v", "value": "Postfix 3.7.11"}, {"name": "_", "value": "client.example.com [192.0.2.1]"}]}),
        "PROTOCOL.md §7"),
    vec("macro-empty-value", "to_filter", pkt("D", b"M" + z("{auth_type}", "")),
        one({"type": "SMFIC_MACRO", "stage": "M", "macros": [{"name": "{auth_type}", "value": ""}]}),
        "PROTOCOL.md §7", "an empty value is kept (go-milter once dropped it)"),
    vec("macro-no-pairs", "to_filter", pkt("D", b"H"), one({"type": "SMFIC_MACRO", "stage": "H", "macros": []}),
        "PROTOCOL.md §7", "Postfix sends a bare D H when no listed macro is defined"),
    vec("connect-ipv4", "to_filter", pkt("C", z("[192.0.2.1]") + b"4" + struct.pack(">H", 41234) + z("192.0.2.1")),
        one({"type": "SMFIC_CONNECT", "code": "C", "hostname": "[192.0.2.1]", "family": "4", "port": 41234,
             "address": "192.0.2.1"}), S3, "Postfix sends [address] as the name of an unknown client"),
    vec("connect-ipv6-plain", "to_filter", pkt("C", z("mail.example.com") + b"6" + struct.pack(">H", 25) + z("2001:db8::1")),
        one({"type": "SMFIC_CONNECT", "family": "6", "port": 25, "address": "2001:db8::1"}), S3),
    vec("connect-ipv6-tagged", "to_filter",
        pkt("C", z("mail.example.com") + b"6" + struct.pack(">H", 25) + z("IPv6:2001:db8::192.0.2.1")),
        one({"type": "SMFIC_CONNECT", "family": "6", "address": "IPv6:2001:db8::192.0.2.1"}), S3,
        "sendmail's spelling; libmilter strips IPv6: before inet_pton"),
    vec("connect-unix", "to_filter", pkt("C", z("localhost") + b"L" + struct.pack(">H", 0) + z("/run/smtpd.sock")),
        one({"type": "SMFIC_CONNECT", "family": "L", "port": 0, "address": "/run/smtpd.sock"}), S3),
    vec("connect-unknown-family", "to_filter", pkt("C", z("unknown") + b"U"),
        one({"type": "SMFIC_CONNECT", "hostname": "unknown", "family": "U", "port": None, "address": None}), S3,
        "family U has no port and no address at all"),
    vec("helo", "to_filter", pkt("H", z("client.example.com")),
        one({"type": "SMFIC_HELO", "code": "H", "helo": "client.example.com"}), S3),
    vec("mail-params", "to_filter", pkt("M", z("<sender@example.com>", "size=150076", "BODY=8BITMIME")),
        one({"type": "SMFIC_MAIL", "code": "M", "args": ["<sender@example.com>", "size=150076", "BODY=8BITMIME"],
             "smtp": {"ok": True, "verb": "MAIL", "value": {"path": {"kind": "mailbox"},
                                                           "params": [{"keyword": "size", "value": "150076"},
                                                                      {"keyword": "BODY", "value": "8BITMIME"}]}}}),
        S3, "parameters exactly as the client wrote them, parsed with smtpspec's grammar"),
    vec("mail-null", "to_filter", pkt("M", z("<>")),
        one({"type": "SMFIC_MAIL", "args": ["<>"], "smtp": {"ok": True, "value": {"path": {"kind": "null"}}}}), S3),
    vec("mail-bad-path", "to_filter", pkt("M", z("<a@@b>")),
        one({"type": "SMFIC_MAIL", "args": ["<a@@b>"], "smtp": {"ok": False}}), S3,
        "the packet is well-formed; the grammar's verdict rides along"),
    vec("rcpt-notify", "to_filter", pkt("R", z("<rcpt@example.net>", "NOTIFY=SUCCESS,FAILURE")),
        one({"type": "SMFIC_RCPT", "code": "R", "args": ["<rcpt@example.net>", "NOTIFY=SUCCESS,FAILURE"],
             "smtp": {"ok": True, "verb": "RCPT"}}), S3),
    vec("data", "to_filter", pkt("T"), one({"type": "SMFIC_DATA", "code": "T"}), S3),
    vec("header", "to_filter", pkt("L", z("Subject", "  x")),
        one({"type": "SMFIC_HEADER", "code": "L", "name": "Subject", "value": "  x"}), S3,
        "without HDR_LEADSPC the MTA strips one space: 'Subject:   x' arrives as '  x'"),
    vec("header-empty-value", "to_filter", pkt("L", z("X-Empty", "")),
        one({"type": "SMFIC_HEADER", "name": "X-Empty", "value": ""}), S3),
    vec("header-folded", "to_filter", pkt("L", z("Received", "from a\n\tby b")),
        one({"type": "SMFIC_HEADER", "name": "Received", "value": "from a\n\tby b"}), S3,
        "folded headers use a bare LF"),
    vec("header-8bit", "to_filter", pkt("L", z("Subject", b"caf\xc3\xa9 \xff")),
        one({"type": "SMFIC_HEADER", "value": "caf\u00e9 \ufffd"}), S2,
        "8-bit clean; JSON shows invalid UTF-8 as U+FFFD"),
    vec("eoh", "to_filter", pkt("N"), one({"type": "SMFIC_EOH", "code": "N"}), S3),
    vec("body", "to_filter", pkt("B", b"Hello\r\nworld\r\n"),
        one({"type": "SMFIC_BODY", "code": "B", "length": 14, "data": "Hello\r\nworld\r\n"}), S3),
    vec("bodyeob", "to_filter", pkt("E"), one({"type": "SMFIC_BODYEOB", "code": "E", "length": 0, "data": ""}), S3),
    vec("bodyeob-data", "to_filter", pkt("E", b"tail"), one({"type": "SMFIC_BODYEOB", "length": 4}), S3,
        "libmilter accepts data with E (a last body chunk); MTAs never send it"),
    vec("abort", "to_filter", pkt("A"), one({"type": "SMFIC_ABORT", "code": "A"}), S3),
    vec("quit", "to_filter", pkt("Q"), one({"type": "SMFIC_QUIT", "code": "Q"}), S3),
    vec("quit-nc", "to_filter", pkt("K"), one({"type": "SMFIC_QUIT_NC", "code": "K"}), S3),
    vec("unknown", "to_filter", pkt("U", z("XYZZY plugh")), one({"type": "SMFIC_UNKNOWN", "code": "U", "line": "XYZZY plugh"}), S3),
    vec("postfix-session", "to_filter",
        pkt("D", b"C" + z("j", "mx")) + pkt("C", z("[192.0.2.1]") + b"4" + struct.pack(">H", 1025) + z("192.0.2.1")) +
        pkt("A") + pkt("A") + pkt("Q"),
        {"packets": [{"type": "SMFIC_MACRO"}, {"type": "SMFIC_CONNECT"}, {"type": "SMFIC_ABORT"},
                     {"type": "SMFIC_ABORT"}, {"type": "SMFIC_QUIT"}], "error": None}, S3,
        "several packets in one stream; Postfix ends a session with A A Q"),
]

replies = [
    "SMFIR_* replies and modifications (filter -> MTA) and the OPTNEG reply with symbol lists.",
    vec("optneg-pymilter", "to_mta", pkt("O", u32(6, 0x1FF, 0x500)), one({
        "type": "SMFIR_OPTNEG", "code": "O", "version": 6, "actions": 511, "protocol": 1280,
        "protocol_names": ["NOUNKNOWN", "SKIP"], "symbol_lists": []}), S5),
    vec("optneg-opendkim", "to_mta", pkt("O", u32(6, 0x111, 0x100702)), one({
        "type": "SMFIR_OPTNEG", "actions": 273, "action_names": ["ADDHDRS", "CHGHDRS", "SETSYMLIST"],
        "protocol_names": ["NOHELO", "NOUNKNOWN", "NODATA", "SKIP", "HDR_LEADSPC"]}), S5),
    vec("optneg-symbol-lists", "to_mta",
        pkt("O", u32(6, 0x101, 0) + u32(0) + z("j {daemon_name}") + u32(2) + z("{auth_authen} i") + u32(5) + z("")),
        one({"type": "SMFIR_OPTNEG", "symbol_lists": [{"stage": 0, "macros": "j {daemon_name}"},
                                                       {"stage": 2, "macros": "{auth_authen} i"},
                                                       {"stage": 5, "macros": ""}]}),
        "PROTOCOL.md §5.4", "SETSYMLIST rides in the OPTNEG reply; an empty list means send none"),
    vec("accept", "to_mta", pkt("a"), one({"type": "SMFIR_ACCEPT", "code": "a"}), S4),
    vec("continue", "to_mta", pkt("c"), one({"type": "SMFIR_CONTINUE", "code": "c"}), S4),
    vec("discard", "to_mta", pkt("d"), one({"type": "SMFIR_DISCARD", "code": "d"}), S4),
    vec("reject", "to_mta", pkt("r"), one({"type": "SMFIR_REJECT", "code": "r"}), S4),
    vec("tempfail", "to_mta", pkt("t"), one({"type": "SMFIR_TEMPFAIL", "code": "t"}), S4),
    vec("skip", "to_mta", pkt("s"), one({"type": "SMFIR_SKIP", "code": "s"}), S4),
    vec("progress", "to_mta", pkt("p"), one({"type": "SMFIR_PROGRESS", "code": "p"}), S4),
    vec("shutdown", "to_mta", pkt("4"), one({"type": "SMFIR_SHUTDOWN", "code": "4"}), S4),
    vec("conn-fail", "to_mta", pkt("f"), one({"type": "SMFIR_CONN_FAIL", "code": "f"}), S4,
        "decodes; no MTA implements it, so mta_session treats it as a protocol error"),
    vec("replycode", "to_mta", pkt("y", z("550 5.7.1 Command rejected")),
        one({"type": "SMFIR_REPLYCODE", "code": "y", "text": "550 5.7.1 Command rejected", "problems": []}),
        "PROTOCOL.md §6"),
    vec("replycode-multiline", "to_mta", pkt("y", z("550-5.7.1 first\r\n550-5.7.1 second\r\n550 5.7.1 last")),
        one({"type": "SMFIR_REPLYCODE", "problems": []}), "PROTOCOL.md §6"),
    vec("replycode-percent", "to_mta", pkt("y", z("550 5.7.1 100%% sure")),
        one({"type": "SMFIR_REPLYCODE", "problems": []}), "PROTOCOL.md §6", "a doubled % is the printf-safe form"),
    vec("replycode-lone-percent", "to_mta", pkt("y", z("550 5.7.1 100% sure")),
        one({"type": "SMFIR_REPLYCODE", "problems": [{"id": "lone_percent", "offset": 13}]}), "PROTOCOL.md §6",
        "sendmail replaces such a reply with its default; Postfix drops the lone %"),
    vec("replycode-class-mismatch", "to_mta", pkt("y", z("451 5.7.1 no")),
        one({"type": "SMFIR_REPLYCODE", "problems": [{"id": "enhanced_class_mismatch", "offset": 4}]}),
        "PROTOCOL.md §6"),
    vec("replycode-2xx", "to_mta", pkt("y", z("250 ok")),
        one({"type": "SMFIR_REPLYCODE", "problems": [{"id": "bad_code", "offset": 0}]}), "PROTOCOL.md §6",
        "only 4xx and 5xx texts are replies a filter may set"),
    vec("replycode-bad-continuation", "to_mta", pkt("y", z("550 a\r\n550 b")),
        one({"type": "SMFIR_REPLYCODE", "problems": [{"id": "bad_continuation", "offset": 3}]}), "PROTOCOL.md §6"),
    vec("replycode-code-mismatch", "to_mta", pkt("y", z("550-a\r\n551 b")),
        one({"type": "SMFIR_REPLYCODE", "problems": [{"id": "code_mismatch", "offset": 7}]}), "PROTOCOL.md §6"),
    vec("replycode-trailing-crlf", "to_mta", pkt("y", z("550 a\r\n")),
        one({"type": "SMFIR_REPLYCODE", "problems": [{"id": "trailing_crlf", "offset": 5}]}), "PROTOCOL.md §6"),
    vec("replycode-bare-lf", "to_mta", pkt("y", z("550 a\nb")),
        one({"type": "SMFIR_REPLYCODE", "problems": [{"id": "bare_line_end", "offset": 5}]}), "PROTOCOL.md §6"),
    vec("quarantine", "to_mta", pkt("q", z("suspicious attachment")),
        one({"type": "SMFIR_QUARANTINE", "code": "q", "reason": "suspicious attachment"}), S4),
    vec("addheader", "to_mta", pkt("h", z("X-Filtered", "yes")),
        one({"type": "SMFIR_ADDHEADER", "code": "h", "name": "X-Filtered", "value": "yes"}), S4),
    vec("addheader-leadspc", "to_mta", pkt("h", z("DKIM-Signature", " v=1; a=rsa-sha256;\n\tb=abc")),
        one({"type": "SMFIR_ADDHEADER", "value": " v=1; a=rsa-sha256;\n\tb=abc"}), S4,
        "with HDR_LEADSPC the filter sends the leading space itself (OpenDKIM)"),
    vec("insheader", "to_mta", pkt("i", u32(0) + z("X-First", "1")),
        one({"type": "SMFIR_INSHEADER", "code": "i", "index": 0, "name": "X-First", "value": "1"}), S4),
    vec("chgheader", "to_mta", pkt("m", u32(2) + z("Subject", "[SPAM] hi")),
        one({"type": "SMFIR_CHGHEADER", "code": "m", "index": 2, "name": "Subject", "value": "[SPAM] hi"}), S4,
        "index is 1-based per header name"),
    vec("chgheader-delete", "to_mta", pkt("m", u32(1) + z("X-Spam", "")),
        one({"type": "SMFIR_CHGHEADER", "index": 1, "name": "X-Spam", "value": ""}), S4, "an empty value deletes"),
    vec("addrcpt", "to_mta", pkt("+", z("<bcc@example.org>")),
        one({"type": "SMFIR_ADDRCPT", "code": "+", "rcpt": "<bcc@example.org>"}), S4),
    vec("addrcpt-par", "to_mta", pkt("2", z("<bcc@example.org>", "NOTIFY=NEVER ORCPT=rfc822;x@y")),
        one({"type": "SMFIR_ADDRCPT_PAR", "code": "2", "rcpt": "<bcc@example.org>",
             "esmtp_args": "NOTIFY=NEVER ORCPT=rfc822;x@y"}), S4, "the args are one space-separated string"),
    vec("addrcpt-par-no-args", "to_mta", pkt("2", z("<bcc@example.org>")),
        one({"type": "SMFIR_ADDRCPT_PAR", "esmtp_args": None}), S4),
    vec("delrcpt", "to_mta", pkt("-", z("<rcpt@example.net>")),
        one({"type": "SMFIR_DELRCPT", "code": "-", "rcpt": "<rcpt@example.net>"}), S4),
    vec("chgfrom", "to_mta", pkt("e", z("<bounce@example.org>", "RET=HDRS")),
        one({"type": "SMFIR_CHGFROM", "code": "e", "sender": "<bounce@example.org>", "esmtp_args": "RET=HDRS"}), S4),
    vec("chgfrom-null", "to_mta", pkt("e", z("<>")),
        one({"type": "SMFIR_CHGFROM", "sender": "<>", "esmtp_args": None}), S4),
    vec("replbody", "to_mta", pkt("b", b"new body\r\n"),
        one({"type": "SMFIR_REPLBODY", "code": "b", "length": 10, "data": "new body\r\n"}), S4),
    vec("eom-edits", "to_mta", pkt("h", z("X-A", "1")) + pkt("b", b"x\r\n") + pkt("p") + pkt("c"),
        {"packets": [{"type": "SMFIR_ADDHEADER"}, {"type": "SMFIR_REPLBODY"}, {"type": "SMFIR_PROGRESS"},
                     {"type": "SMFIR_CONTINUE"}], "error": None}, S4),
]

BIG = 0x04000001
framing = [
    "Framing errors: each is found from the length field and command byte alone, before any payload is",
    "buffered; packets before the bad one are still returned.",
    vec("length-zero", "to_filter", b"\0\0\0\0", err("zero_length"), S2,
        "the length counts the command byte; libmilter reads len 0 as 'no payload', a strict codec refuses it"),
    vec("length-2-31", "to_filter", struct.pack(">I", 0x80000000) + b"B", err("length_top_bit"), S2,
        "a negative expl in libmilter"),
    vec("length-2-32-minus-1", "to_filter", b"\xff\xff\xff\xff" + b"B", err("length_top_bit"), S2),
    vec("length-over-limit", "to_filter", struct.pack(">I", 65537) + b"B", err("packet_too_large"), S2,
        "payload 65536 > MILTER_MAX_DATA_SIZE"),
    vec("length-at-limit-truncated", "to_filter", struct.pack(">I", 65536) + b"B" + b"x" * 10,
        err("truncated_packet", 0, 66), S2, "65535 payload octets are allowed; the stream ends early"),
    vec("body-64mb", "to_filter", pkt("A") + struct.pack(">I", BIG) + b"B" + b"x" * 16,
        err("packet_too_large", 5, None, [{"type": "SMFIC_ABORT"}]), S2,
        "a 64 MB body chunk announced in a header: refused before allocation"),
    vec("at-custom-limit", "to_filter", pkt("B", b"y" * 40), one({"type": "SMFIC_BODY", "length": 40}), S2,
        "the limit is configurable (sessions raise it after SMFIP_MDS_256K / MDS_1M)", options={"max_payload": 40}),
    vec("over-custom-limit", "to_filter", pkt("B", b"y" * 41), err("packet_too_large"), S2,
        options={"max_payload": 40}),
    vec("lowered-limit", "to_mta", pkt("h", z("X-Long", "v" * 40)), err("packet_too_large"), S2,
        options={"max_payload": 32}),
    vec("truncated-length", "to_filter", b"\0\0", err("truncated_packet"), S2),
    vec("truncated-command", "to_filter", b"\0\0\0\x05", err("truncated_packet"), S2),
    vec("truncated-payload", "to_filter", b"\0\0\0\x05H" + b"ab", err("truncated_packet", 0, 72), S2),
    vec("truncated-second", "to_filter", pkt("N") + b"\0\0\0\x01", err("truncated_packet", 5, None, [{"type": "SMFIC_EOH"}]), S2),
    vec("unknown-command", "to_filter", pkt("Z"), err("unknown_command", 0, 90), S3),
    vec("unknown-control", "to_filter", pkt(b"\x01"), err("unknown_command", 0, 1), "PROTOCOL.md §9"),
    vec("reply-byte-to-filter", "to_filter", pkt("a"), err("unknown_command", 0, 97), S3,
        "SMFIR_ACCEPT is not a command"),
    vec("command-byte-to-mta", "to_mta", pkt("H", z("x")), err("unknown_command", 0, 72), S4),
    vec("setsymlist-packet", "to_mta", pkt("l", u32(0) + z("j")), err("setsymlist_packet", 0, 108), "PROTOCOL.md §5.4",
        "there is no stand-alone l packet"),
]

payload_errors = [
    "Payload rules of each packet.",
    vec("optneg-short", "to_filter", pkt("O", u32(6, 0x1FF)), err("optneg_too_short", 0, 79), S5),
    vec("optneg-bad-symlist", "to_mta", pkt("O", u32(6, 0x100, 0) + u32(1) + b"j"), err("bad_symbol_list", 0, 79), S5),
    vec("optneg-symlist-short-stage", "to_mta", pkt("O", u32(6, 0x100, 0) + b"\0\0"), err("bad_symbol_list", 0, 79), S5),
    vec("macro-empty", "to_filter", pkt("D"), err("missing_macro_stage", 0, 68), "PROTOCOL.md §7",
        "libmilter closes the connection"),
    vec("macro-nul-stage", "to_filter", pkt("D", b"\0" + z("j", "x")), err("invalid_field", 0, 68), "PROTOCOL.md §7",
        "the stage is a command letter; NUL is none"),
    vec("macro-odd", "to_filter", pkt("D", b"C" + z("j", "host", "orphan")), err("odd_macro_list", 0, 68),
        "PROTOCOL.md §7", "this packet crashes libmilter-based filters (read past the argv end)"),
    vec("macro-no-nul", "to_filter", pkt("D", b"C" + z("j") + b"host"), err("missing_nul", 0, 68), "PROTOCOL.md §7"),
    vec("connect-no-family", "to_filter", pkt("C", z("host")), err("missing_family", 0, 67), S3),
    vec("connect-bad-family", "to_filter", pkt("C", z("host") + b"X" + struct.pack(">H", 25) + z("1.2.3.4")),
        err("unknown_family", 0, 67), S3),
    vec("connect-no-port", "to_filter", pkt("C", z("host") + b"4" + b"\0"), err("missing_port", 0, 67), S3),
    vec("connect-bad-ipv4", "to_filter", pkt("C", z("host") + b"4" + struct.pack(">H", 25) + z("1.2.3.999")),
        err("bad_address", 0, 67), S3, "libmilter's inet_aton refuses it and closes"),
    vec("connect-bad-ipv6", "to_filter", pkt("C", z("host") + b"6" + struct.pack(">H", 25) + z("2001:db8:::1")),
        err("bad_address", 0, 67), S3),
    vec("connect-no-nul", "to_filter", pkt("C", z("host") + b"4" + struct.pack(">H", 25) + b"1.2.3.4"),
        err("missing_nul", 0, 67), S3),
    vec("connect-host-no-nul", "to_filter", pkt("C", b"host"), err("missing_nul", 0, 67), S3),
    vec("connect-unknown-trailing", "to_filter", pkt("C", z("host") + b"U" + b"\0\x19"), err("trailing_data", 0, 67), S3),
    vec("helo-no-nul", "to_filter", pkt("H", b"client"), err("missing_nul", 0, 72), "PROTOCOL.md §9",
        "libmilter then never replies (the MTA times out); a strict codec refuses it"),
    vec("helo-two-strings", "to_filter", pkt("H", z("a", "b")), err("trailing_data", 0, 72), S3),
    vec("mail-empty", "to_filter", pkt("M"), err("missing_address", 0, 77), S3, "at least one NUL is required"),
    vec("mail-no-nul", "to_filter", pkt("M", b"<a@b>"), err("missing_nul", 0, 77), S3),
    vec("header-no-value", "to_filter", pkt("L", z("Subject")), err("missing_header_value", 0, 76), "PROTOCOL.md §9"),
    vec("header-value-no-nul", "to_filter", pkt("L", z("Subject") + b"hi"), err("missing_nul", 0, 76), "PROTOCOL.md §9"),
    vec("body-empty", "to_filter", pkt("B"), err("empty_body_chunk", 0, 66), S3, "a body chunk holds 1 to 65535 octets"),
    vec("abort-with-data", "to_filter", pkt("A", b"x"), err("unexpected_payload", 0, 65), S3),
    vec("accept-with-data", "to_mta", pkt("a", b"x"), err("unexpected_payload", 0, 97), S4),
    vec("replycode-trailing", "to_mta", pkt("y", z("550 no") + b"x"), err("trailing_data", 0, 121), "PROTOCOL.md §6",
        "sendmail requires strlen(text) + 1 == payload length"),
    vec("insheader-short", "to_mta", pkt("i", b"\0\0"), err("invalid_field", 0, 105), S4),
    vec("addrcpt-empty", "to_mta", pkt("+", z("")), err("missing_address", 0, 43), S4),
    vec("chgfrom-extra", "to_mta", pkt("e", z("<a@b>", "RET=FULL", "x")), err("trailing_data", 0, 101), S4),
    vec("replbody-empty", "to_mta", pkt("b"), err("empty_body_chunk", 0, 98), S4),
]

conversation = [
    "Both directions of a session in time order: who speaks next follows from the protocol.",
    vec("libmilter-session", "conversation",
        pkt("O", u32(6, 0x1FF, 0x1FFFFF)) + pkt("O", u32(6, 0x1FF, 0x500)) +
        pkt("D", b"C" + z("j", "mx")) + pkt("C", z("[192.0.2.1]") + b"4" + struct.pack(">H", 1025) + z("192.0.2.1")) +
        pkt("c") + pkt("H", z("client")) + pkt("c") + pkt("M", z("<a@example.com>")) + pkt("c") +
        pkt("R", z("<b@example.net>")) + pkt("c") + pkt("T") + pkt("c") + pkt("L", z("Subject", "hi")) + pkt("c") +
        pkt("N") + pkt("c") + pkt("B", b"text\r\n") + pkt("s") + pkt("E") + pkt("h", z("X-Filtered", "yes")) +
        pkt("p") + pkt("c") + pkt("A") + pkt("Q"),
        {"packets": [{"type": t} for t in [
            "SMFIC_OPTNEG", "SMFIR_OPTNEG", "SMFIC_MACRO", "SMFIC_CONNECT", "SMFIR_CONTINUE", "SMFIC_HELO",
            "SMFIR_CONTINUE", "SMFIC_MAIL", "SMFIR_CONTINUE", "SMFIC_RCPT", "SMFIR_CONTINUE", "SMFIC_DATA",
            "SMFIR_CONTINUE", "SMFIC_HEADER", "SMFIR_CONTINUE", "SMFIC_EOH", "SMFIR_CONTINUE", "SMFIC_BODY",
            "SMFIR_SKIP", "SMFIC_BODYEOB", "SMFIR_ADDHEADER", "SMFIR_PROGRESS", "SMFIR_CONTINUE", "SMFIC_ABORT",
            "SMFIC_QUIT"]], "error": None}, "PROTOCOL.md §1"),
    vec("no-reply-header", "conversation",
        pkt("O", u32(6, 0x1FF, 0x1FFFFF)) + pkt("O", u32(6, 0x01, 0x80)) + pkt("L", z("A", "1")) +
        pkt("L", z("B", "2")) + pkt("N") + pkt("c"),
        {"packets": [{"type": t} for t in ["SMFIC_OPTNEG", "SMFIR_OPTNEG", "SMFIC_HEADER", "SMFIC_HEADER",
                                           "SMFIC_EOH", "SMFIR_CONTINUE"]], "error": None}, S5,
        "after NR_HDR the headers take no reply, so the next packet is the MTA's again"),
    vec("reply-when-mta-speaks", "conversation", pkt("O", u32(6, 0x1FF, 0x1FFFFF)) + pkt("O", u32(6, 0, 0)) + pkt("c"),
        err("unknown_command", 34, 99, [{"type": "SMFIC_OPTNEG"}, {"type": "SMFIR_OPTNEG"}]), "PROTOCOL.md §1",
        "an unsolicited reply desynchronises the stream"),
]

files = {"commands.json": commands, "replies.json": replies, "framing.json": framing,
         "payload_errors.json": payload_errors, "conversation.json": conversation}
os.makedirs(OUT, exist_ok=True)
for name, content in files.items():
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        f.write("[\n")
        f.write(",\n".join(json.dumps(v, ensure_ascii=False) for v in content))
        f.write("\n]\n")
print("wrote", ", ".join(sorted(files)))

# Fuzz seeds (fuzz/corpus/milter_*): each vector's octets behind the targets' two option bytes, plus
# whole sessions for the session targets.
FUZZ = os.path.join(HERE, "..", "..", "fuzz", "corpus")


def seed(target, name, data):
    d = os.path.join(FUZZ, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


for fname, content in files.items():
    for v in content:
        if isinstance(v, str):
            continue
        raw = bytes.fromhex(v["input_hex"])
        flags = {"to_filter": 0, "to_mta": 1, "conversation": 2}[v["direction"]]
        seed("milter_decode", fname[:-5] + "-" + v["id"], bytes([flags, 7]) + raw)

offer = pkt("O", u32(6, 0x1FF, 0x1FFFFF))
session = (offer + pkt("D", b"C" + z("j", "mx")) + pkt("C", z("[192.0.2.1]") + b"4" + struct.pack(">H", 1025) +
           z("192.0.2.1")) + pkt("H", z("client")) + pkt("M", z("<a@example.com>", "SIZE=10")) +
           pkt("R", z("<b@example.net>")) + pkt("T") + pkt("L", z("Subject", "hi")) + pkt("N") +
           pkt("B", b"body\r\n") + pkt("E") + pkt("A") + pkt("Q"))
for flags in (0x00, 0x11, 0x23, 0x35, 0x4F, 0x60, 0x70):
    seed("milter_filter_session", "session-%02x" % flags, bytes([flags, 13]) + session)
seed("milter_filter_session", "odd-macro", bytes([0, 63]) + offer + pkt("D", b"C" + z("j", "host", "orphan")))
seed("milter_filter_session", "body-64mb", bytes([0, 63]) + offer + struct.pack(">I", BIG) + b"B")

replies_ok = (pkt("O", u32(6, 0x1FF, 0x400)) + pkt("c") * 8 + pkt("c") + pkt("s") + pkt("p") +
              pkt("h", z("X-A", "1")) + pkt("i", u32(0) + z("X-B", "2")) + pkt("m", u32(1) + z("Subject", "")) +
              pkt("+", z("<c@d>")) + pkt("2", z("<e@f>", "NOTIFY=NEVER")) + pkt("-", z("<b@example.net>")) +
              pkt("e", z("<>")) + pkt("b", b"new\r\n") + pkt("q", z("held")) + pkt("a"))
for flags in (0, 1, 2):
    seed("milter_mta_session", "transaction-%d" % flags, bytes([flags, 7]) + replies_ok)
seed("milter_mta_session", "replycode", bytes([0, 63]) + pkt("O", u32(6, 0, 0)) + pkt("y", z("550 5.7.1 100% sure")))
seed("milter_mta_session", "unsolicited", bytes([0, 63]) + pkt("O", u32(6, 0, 0)) + pkt("c") * 12)
seed("milter_mta_session", "shutdown", bytes([0, 63]) + pkt("O", u32(6, 0, 0)) + pkt("p") + pkt("4"))
print("wrote fuzz seeds")
