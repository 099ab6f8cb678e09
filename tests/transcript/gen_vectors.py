#!/usr/bin/env python3
"""Writes conformance/vectors/transcript/*.json (kind "transcript", conformance/README.md,
"Transcripts"). Each vector's input and `expect` are written here by hand; this script only
serialises them, so the expectations are never computed by the code under test.

Usage: python3 tests/transcript/gen_vectors.py [conformance dir]
"""

import json
import pathlib
import sys

ROOT = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2] / "conformance"
OUT = ROOT / "vectors" / "transcript"


NULL = object()  # an expected JSON null


def ev(d, text=None, boundary=None, exact=None, tls=None, line=None, offset=None, hex=None):
    e = {"dir": d}
    for k, v in (("boundary", boundary), ("exact", exact), ("tls", tls), ("line", line), ("offset", offset),
                 ("text", text), ("hex", hex)):
        if v is not None:
            e[k] = None if v is NULL else v
    return e


def msg(i, line=None, count=None, excerpt=None):
    m = {"id": i}
    for k, v in (("line", line), ("count", count), ("excerpt", excerpt)):
        if v is not None:
            m[k] = v
    return m


def vec(id_, input_, expect, fmt=None, rfc=None, note=None, hexed=False, options=None):
    v = {"id": id_, "kind": "transcript"}
    if hexed:
        v["input_hex"] = input_.hex()
    else:
        v["input"] = input_
    if fmt is not None:
        v["format"] = fmt
    if options:
        v["options"] = options
    if rfc:
        v["rfc"] = rfc
    v["expect"] = expect
    if note:
        v["note"] = note
    return v


FILES = {}

FILES["rfc"] = [
    "RFC-style S:/C: transcripts: plain lines get CRLF (not exact), escaped lines are exact, a run of",
    "C: lines is one write by the RFC 2920 convention, S~:/C~: start TLS, '#' lines are notes.",
    vec("plain", "S: 220 mx\nC: EHLO a\nS: 250 mx\n",
        {"format": "rfc", "detected": True, "confidence": 100,
         "capabilities": {"octets": "lines", "write_boundaries": "convention", "replies": "lines", "data": "kept",
                          "tls": "marked"},
         "events": [ev("server", "220 mx\r\n", "unknown", False, False, 1, 0, None),
                    ev("client", "EHLO a\r\n", "write", False, False, 2, 10),
                    ev("server", "250 mx\r\n", line=3, offset=20)],
         "notes": [], "errors": [], "lines": 3, "octets": 30, "dropped_messages": 0},
        rfc="RFC 5321 Appendix D"),
    vec("pipelined-group", "S: 250 PIPELINING\nC: MAIL FROM:<a@b>\nC: RCPT TO:<c@d>\nC: DATA\nS: 250 ok\nC: QUIT\n",
        {"events": [ev("server"), ev("client", boundary="write"), ev("client", boundary="same_write"),
                    ev("client", "DATA\r\n", "same_write"), ev("server"), ev("client", "QUIT\r\n", "write")]},
        rfc="RFC 2920 §4"),
    vec("escaped-bare-lf", "C: line one\\n\nC: .\\n\nC: end\\r\\n\n",
        {"events": [ev("client", "line one\n", "write", True), ev("client", ".\n", "same_write", True),
                    ev("client", "end\r\n", exact=True)], "errors": []}),
    vec("escaped-nul-and-8bit", "C: NOOP nul\\x00byte\\r\\n\nC: caf\\xc3\\xa9\\r\\n\nC: bad\\xff\\r\\n\n",
        {"events": [ev("client", "NOOP nul\u0000byte\r\n", hex=NULL),
                    ev("client", "caf\u00e9\r\n", hex=NULL),
                    ev("client", "bad\ufffd\r\n", hex="626164ff0d0a")]},
        note="text is the octets with ill-formed UTF-8 as U+FFFD (NUL is \\u0000); hex is given exactly when text is lossy"),
    vec("escaped-backslash-and-tab", "C: a\\\\b\\tc\\r\\n\n", {"events": [ev("client", "a\\b\tc\r\n", exact=True)]}),
    vec("bad-escape", "S: 220 x\nC: EHLO \\q\nC: QUIT\n",
        {"events": [ev("server"), ev("client", "QUIT\r\n")],
         "errors": [msg("bad_escape", 2, 1, "C: EHLO \\q")]}),
    vec("tls-markers", "C: STARTTLS\\r\\n\nS: 220 go\\r\\n\n# TLS handshake done\nC~: EHLO a\\r\\n\nS~: 250 ok\\r\\n\n",
        {"events": [ev("client", tls=False), ev("server", tls=False), ev("note", "TLS handshake done", exact=True),
                    ev("tls_start", "", line=4), ev("client", "EHLO a\r\n", "write", True, True),
                    ev("server", "250 ok\r\n", tls=True)]},
        rfc="RFC 3207 §4.2"),
    vec("placeholders", "S: <wait for open connection>\nC: (message content, 1234 octets)\nC: ...\nS: 220 x\n",
        {"events": [ev("server", "220 x\r\n", line=4)],
         "notes": [msg("placeholder_line", 1), msg("placeholder_line", 2), msg("placeholder_line", 3)]}),
    vec("crlf-spelled-out", "C: DATA<CRLF>\nC: To: a@b<CR><LF>\nS: 354 End data with <CR><LF>.<CR><LF>\n",
        {"events": [ev("client", "DATA\r\n"), ev("client", "To: a@b\r\n"),
                    ev("server", "354 End data with <CR><LF>.<CR><LF>\r\n")],
         "notes": [msg("crlf_spelled_out", 1), msg("crlf_spelled_out", 2)]},
        note="a server's <CR><LF> is reply text (RFC 5321's own 354 text spells it)"),
    vec("sender-receiver", "R: 220 x\nS: EHLO a\nR: 250 x\n",
        {"events": [ev("server", "220 x\r\n"), ev("client", "EHLO a\r\n"), ev("server", "250 x\r\n")],
         "notes": [msg("sender_receiver_markers", 1)]},
        rfc="RFC 3030 §4"),
    vec("rfc3461-arrows-continuation", "<<< 220 x\n>>> RCPT TO:<a@b> NOTIFY=SUCCESS \\\n    ORCPT=rfc822;a@b\n<<< 250 ok\n",
        {"events": [ev("server", "220 x\r\n"), ev("client", "RCPT TO:<a@b> NOTIFY=SUCCESS ORCPT=rfc822;a@b\r\n", line=2),
                    ev("server", "250 ok\r\n", line=4)],
         "notes": [msg("continuation_joined", 3)]},
        rfc="RFC 3461 §10"),
    vec("empty-client-line", "C:\nC: \n", {"events": [ev("client", "\r\n"), ev("client", "\r\n")]}),
]

FILES["swaks"] = [
    "swaks output: ' -> '/'<-  ' lines (CRLF assumed), '~' inside TLS, '===' and '***' lines skipped,",
    "--show-raw-text hex dumps taken as the exact octets of each write/read.",
    vec("basic", "=== Trying 127.0.0.1:25...\n<-  220 mx\n -> EHLO a\n<-  250-mx\n<-  250 SIZE\n",
        {"format": "swaks", "confidence": 100,
         "capabilities": {"octets": "lines", "write_boundaries": "none", "replies": "lines", "data": "kept",
                          "tls": "marked"},
         "events": [ev("server", "220 mx\r\n", "unknown", False, False, 2),
                    ev("client", "EHLO a\r\n", line=3), ev("server", "250-mx\r\n"), ev("server", "250 SIZE\r\n")],
         "notes": [msg("skipped_lines", 1, 1, "=== Trying 127.0.0.1:25...")]}),
    vec("tls", "=== Trying x...\n -> STARTTLS\n<-  220 go\n=== TLS started with cipher TLSv1.3\n ~> EHLO a\n<~  250 ok\n",
        {"events": [ev("client", "STARTTLS\r\n"), ev("server", "220 go\r\n"), ev("tls_start", line=4),
                    ev("client", "EHLO a\r\n", tls=True), ev("server", "250 ok\r\n", tls=True)]}),
    vec("unexpected-prefixes", "=== Trying x...\n**> RCPT TO:<a@b>\n<** 550 no\n*** Error\n",
        {"events": [ev("client", "RCPT TO:<a@b>\r\n"), ev("server", "550 no\r\n")],
         "notes": [msg("skipped_lines", 1), msg("tool_message", 4, 1, "*** Error")]}),
    vec("data-line-with-cr", "=== Trying x...\n -> Subject: x\r\n -> body\n",
        {"events": [ev("client", "Subject: x\r\n"), ev("client", "body\r\n")]},
        note="swaks prints a DATA line's CR; a line without one is given CRLF (not exact)"),
    vec("show-raw-text", "=== Trying x...\n<   0000: 32 32 30 20  78 0D 0A       220.x..\n<-  220 x\n -> QUIT\n  > 0000: 51 55 49 54  0D 0A             QUIT..\n",
        {"events": [ev("server", "220 x\r\n", "write", True, line=2), ev("client", "QUIT\r\n", "write", True, line=5)]}),
    vec("mixed-format-line", "=== Trying x...\n<-  220 x\nS: 250 pasted\n",
        {"events": [ev("server", "220 x\r\n")], "errors": [msg("foreign_line", 3, 1, "S: 250 pasted")]},
        note="a swaks file with an RFC-style line pasted in"),
]

FILES["smtplib"] = [
    "Python smtplib set_debuglevel(1) and (2): send:/reply: with Python repr literals, decoded exactly.",
    vec("level1", "send: 'ehlo a\\r\\n'\nreply: b'250-mx\\r\\n'\nreply: b'250 SIZE\\r\\n'\nreply: retcode (250); Msg: b'mx\\nSIZE'\n",
        {"format": "smtplib",
         "capabilities": {"octets": "exact", "write_boundaries": "client_writes", "replies": "lines", "data": "kept",
                          "tls": "unmarked"},
         "events": [ev("client", "ehlo a\r\n", "write", True), ev("server", "250-mx\r\n", "unknown", True),
                    ev("server", "250 SIZE\r\n")],
         "notes": [msg("summary_line", 4, 1)]}),
    vec("level2-timestamps", "09:57:16.729792 send: 'quit\\r\\n'\n09:57:16.729902 reply: b'221 bye\\r\\n'\n",
        {"events": [ev("client", "quit\r\n", line=1), ev("server", "221 bye\r\n", line=2)]}),
    vec("data-body-one-write", "send: b'Subject: x\\r\\n\\r\\nhi\\r\\n.\\r\\n'\ndata: (250, b'ok')\n",
        {"events": [ev("client", "Subject: x\r\n\r\nhi\r\n.\r\n", "write", True)],
         "notes": [msg("summary_line", 2)]}),
    vec("repr-escapes", "send: b'\\x00\\xff\\t\\\\\\''\nsend: \"it's\"\nsend: 'caf\\xe9'\n",
        {"events": [ev("client", "\u0000\ufffd\t\\'", hex="00ff095c27"), ev("client", "it's"),
                    ev("client", "caf\u00e9")]},
        note="in a str literal \\xe9 is U+00E9 (UTF-8 c3 a9); in bytes it is the octet e9"),
    vec("bad-repr", "send: 'unterminated\nsend: b'x' trailing\nreply: b'\\u0041'\n",
        {"events": [], "errors": [msg("bad_repr", 1), msg("bad_repr", 2), msg("bad_repr", 3)]},
        note="\\u is not an escape of a bytes literal"),
]

PFX = "Nov 22 09:53:05 mx postfix/smtpd[9210]: "
SMTP = "Nov 22 10:00:01 relay postfix/smtp[4242]: "
P1, P2, P3 = (f"Nov 22 10:00:0{i} mx postfix/smtpd[{i}00]: " for i in (1, 2, 3))
FILES["postfix"] = [
    "Postfix debug_peer logs: direction from the process (smtpd '<' = from the client; smtp '>' = to",
    "the server), every other line skipped; no DATA content (the capabilities say so).",
    vec("smtpd", PFX + "connect from unknown[127.0.0.1]\n" + PFX + "> unknown[127.0.0.1]: 220 mx\n"
        + PFX + "watchdog_pat: 0x1\n" + PFX + "< unknown[127.0.0.1]: EHLO a\n",
        {"format": "postfix_debug",
         "capabilities": {"octets": "lines", "write_boundaries": "none", "replies": "lines", "data": "absent",
                          "tls": "unmarked"},
         "events": [ev("connect", "", line=1), ev("server", "220 mx\r\n", exact=False, line=2),
                    ev("client", "EHLO a\r\n", line=4)],
         "notes": [msg("skipped_lines", 3, 1, PFX + "watchdog_pat: 0x1")]}),
    vec("smtp-client", SMTP + "> mx[192.0.2.25]:25: EHLO relay\n" + SMTP + "< mx[192.0.2.25]:25: 250 mx\n",
        {"events": [ev("client", "EHLO relay\r\n"), ev("server", "250 mx\r\n")]},
        note="the smtp client logs '>' for what it sent: the opposite of smtpd"),
    vec("noise-runs", PFX + "a\n" + PFX + "b\n" + PFX + "c\n" + "Nov 22 09:53:05 mx postfix/cleanup[1]: x\n" + PFX + "< h[1.2.3.4]: QUIT\n",
        {"events": [ev("client", "QUIT\r\n", line=5)], "notes": [msg("skipped_lines", 1, 4)]}),
    vec("interleaved-processes",
        P1 + "connect from a[192.0.2.1]\n" + P1 + "> a[192.0.2.1]: 220 mx\n"
        + P2 + "connect from b[192.0.2.2]\n" + P2 + "> b[192.0.2.2]: 220 mx\n"
        + P1 + "< a[192.0.2.1]: QUIT\n" + P3 + "< c[192.0.2.3]: NOOP\n" + P2 + "< b[192.0.2.2]: QUIT\n"
        + P1 + "disconnect from a[192.0.2.1] quit=1 commands=1\n" + P3 + "> c[192.0.2.3]: 250 ok\n",
        {"format": "postfix_debug",
         "events": [ev("connect", line=1, offset=0), ev("server", "220 mx\r\n", line=2),
                    ev("client", "QUIT\r\n", line=5),
                    ev("connect", line=3, offset=2 * len(P1) + 49), ev("server", "220 mx\r\n", line=4),
                    ev("client", "QUIT\r\n", line=7),
                    ev("connect", line=6), ev("client", "NOOP\r\n", line=6), ev("server", "250 ok\r\n", line=9)],
         "notes": [msg("interleaved_processes", 3, 1, P2 + "connect from b[192.0.2.2]"), msg("skipped_lines", 8)],
         "errors": [], "lines": 9},
        note="a maillog interleaves smtpd processes: each process's conversation is its own connection, "
             "replayed after the one before it ends (disconnect from, or the end of the input); process 3 "
             "began before the log did, so its connect is the reader's, at its first line"),
    vec("held-lines-overflow",
        P1 + "connect from a[192.0.2.1]\n" + P2 + "connect from b[192.0.2.2]\n" + P2 + "< b[192.0.2.2]: EHLO b\n"
        + P1 + "< a[192.0.2.1]: EHLO a\n" + P2 + "disconnect from b[192.0.2.2]\n" + P3 + "< c[192.0.2.3]: NOOP\n",
        {"events": [ev("connect", line=1), ev("client", "EHLO a\r\n", line=4),
                    ev("connect", line=6), ev("client", "NOOP\r\n", line=6)],
         "errors": [msg("held_lines_overflow", 3, 1, P2 + "< b[192.0.2.2]: EHLO b")]},
        options={"max_held": 200},
        note="max_held bounds the lines held back (octets plus 64 per line): process 2's conversation is "
             "dropped at the line that did not fit, up to its disconnect"),
]

SINK = "smtp-sink: "
FILES["smtp_sink"] = [
    "smtp-sink -v -c: commands only (no replies), connections, '.' for the end of DATA; -c counters",
    "rewritten with a bare CR before the next log line.",
    vec("session", SINK + "name_mask: all\n" + SINK + "connect (AF_INET 127.0.0.1)\n" + SINK + "EHLO a\n" + SINK
        + "DATA\nsess=0 quit=0 mesg=1\r" + SINK + ".\n" + SINK + "disconnect\n",
        {"format": "smtp_sink",
         "capabilities": {"octets": "lines", "write_boundaries": "none", "replies": "absent", "data": "absent",
                          "tls": "unmarked"},
         "events": [ev("connect", line=2), ev("client", "EHLO a\r\n"), ev("client", "DATA\r\n"),
                    ev("client", ".\r\n", line=5)],
         "notes": [msg("skipped_lines", 1), msg("skipped_lines", 6)]}),
    vec("two-connections", SINK + "connect (AF_INET 127.0.0.1)\n" + SINK + "QUIT\n" + SINK + "connect (AF_INET 127.0.0.1)\n" + SINK + "QUIT now\n",
        {"events": [ev("connect"), ev("client", "QUIT\r\n"), ev("connect"), ev("client", "QUIT now\r\n")]}),
]

HDR_A = "\n===================================================================\nFollow: tcp,ascii\nFilter: tcp.stream eq 1\nNode 0: 127.0.0.1:45880\nNode 1: 127.0.0.1:2525\n"
HDR_H = HDR_A.replace("tcp,ascii", "tcp,hex")
END = "===================================================================\n"
FILES["tshark"] = [
    "tshark -z follow,tcp: one event per TCP segment (ASCII: by its length line, raw CR/LF inside;",
    "hex: exact octets); node 1 (indented) is the server; ciphertext after STARTTLS is skipped.",
    vec("ascii", HDR_A + "\t7\n220 x\r\n\n12\nMAIL\r\nRCPT\r\n\n" + END,
        {"format": "tshark_ascii",
         "capabilities": {"octets": "line_ends_kept", "write_boundaries": "known", "replies": "chunks",
                          "data": "kept", "tls": "encrypted"},
         "events": [ev("server", "220 x\r\n", "write", False, False, 8), ev("client", "MAIL\r\nRCPT\r\n", "write", line=11)],
         "errors": []}),
    vec("ascii-bare-lf", HDR_A + "14\nline one\n.\nX\r\n\n" + END,
        {"events": [ev("client", "line one\n.\nX\r\n", line=8)], "lines": 12}),
    vec("ascii-segment-without-final-lf", HDR_A + "\t3\nabc\n6\nQUIT\r\n\n",
        {"events": [ev("server", "abc", line=8), ev("client", "QUIT\r\n", line=10)], "lines": 11}),
    vec("ascii-truncated", HDR_A + "\t40\n220 x\r\n",
        {"events": [], "errors": [msg("truncated_chunk", 7)]},
        note="named at the length line that promised the octets"),
    vec("ascii-bad-length", HDR_A + "x7\n",
        {"errors": [msg("bad_chunk_length", 7, 1, "x7")]}),
    vec("ascii-starttls-ciphertext", HDR_A + "10\nSTARTTLS\r\n\n\t6\n220 x\n\n3\n\u0016\u0003\u0001\n\t2\nzz\n",
        {"events": [ev("client", "STARTTLS\r\n"), ev("server", "220 x\n"), ev("tls_start", line=14)],
         "notes": [msg("skipped_lines", 1, 6), msg("encrypted_skipped", 14)]}),
    vec("ascii-greeting-from-node0", HDR_A + "6\n220 x\n\n\t6\nQUIT\r\n\n",
        {"events": [ev("server", "220 x\n"), ev("client", "QUIT\r\n")], "notes": [msg("skipped_lines"), msg("directions_swapped", 8)]}),
    vec("hex", HDR_H + "\t00000000  32 32 30 20 78 0d 0a                              220 x..\n"
        "00000000  4c 46 0a 2e 0a                                   LF...\n" + END,
        {"format": "tshark_hex",
         "events": [ev("server", "220 x\r\n", "write", True, line=7), ev("client", "LF\n.\n", "write", True, line=8)]}),
    vec("hex-multi-line-segment", HDR_H + "00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  01234567 89abcdef\n"
        "00000010  0d 0a                                            ..\n" + END,
        {"events": [ev("client", "0123456789abcdef\r\n", line=7)]}),
    vec("hex-offset-gap", HDR_H + "00000004  41                                               A\n",
        {"events": [], "errors": [msg("hex_offset_mismatch", 7)]}),
]

AIO = "2026-11-22 09:55:51,737 mail.log "
FILES["aiosmtpd"] = [
    "aiosmtpd's DEBUG log (the server's view): readline lines are the exact octets read; '<<' replies",
    "are logged without their CRLF; at INFO level the '>>' commands stand in for the readline lines.",
    vec("debug", AIO + "INFO Peer: ('127.0.0.1', 49230)\n" + AIO + "DEBUG ('127.0.0.1', 49230) << b'220 aio.test'\n"
        + AIO + "DEBUG _handle_client readline: b'EHLO a\\n'\n" + AIO + "INFO ('127.0.0.1', 49230) >> b'EHLO a'\n"
        + AIO + "DEBUG DATA readline: b'x\\x00\\r\\n'\n",
        {"format": "aiosmtpd",
         "capabilities": {"octets": "lines", "write_boundaries": "none", "replies": "lines", "data": "kept",
                          "tls": "unmarked"},
         "events": [ev("connect", line=1), ev("server", "220 aio.test\r\n", exact=False),
                    ev("client", "EHLO a\n", exact=True, line=3), ev("client", "x\u0000\r\n", exact=True, line=5)],
         "notes": [msg("summary_line", 4)], "errors": []},
        note="the bare LF after EHLO is visible only in the DEBUG readline line"),
    vec("info-level", AIO + "INFO ('127.0.0.1', 1) >> b'QUIT'\n" + "Traceback (most recent call last):\n",
        {"events": [ev("client", "QUIT\r\n", exact=False)], "notes": [msg("skipped_lines", 2)]}),
]

NM = "[2026-11-22 09:57:27] DEBUG [P0DonBXkwA8] "
NS = "[2026-11-22 09:57:42] DEBUG [#sr154lrgtujfmm7n] "
FILES["nodemailer"] = [
    "nodemailer's logger (client: DATA lines unprefixed after 354; STARTTLS logged as INFO) and",
    "smtp-server's (server: a multi-line reply is one entry, its continuation lines without S:).",
    vec("client", "[2026-11-22 09:57:27] INFO  [P0DonBXkwA8] Connection established to 127.0.0.1:2525\n" + NM
        + "S: 354 End data\n" + NM + "hello\n" + NM + ".\n" + NM + "S: 250 ok\n" + NM + "Closing connection\n",
        {"format": "nodemailer",
         "capabilities": {"octets": "lines", "write_boundaries": "none", "replies": "lines", "data": "kept",
                          "tls": "marked"},
         "events": [ev("connect", line=1), ev("server", "354 End data\r\n"), ev("client", "hello\r\n", exact=False),
                    ev("client", ".\r\n"), ev("server", "250 ok\r\n")],
         "notes": [msg("skipped_lines", 6)]}),
    vec("client-starttls", NM + "C: STARTTLS\n" + "[2026-11-22 09:57:27] INFO  [P0DonBXkwA8] Connection upgraded with STARTTLS\n"
        + NM + "C: EHLO a\n",
        {"events": [ev("client", "STARTTLS\r\n", tls=False), ev("tls_start", line=2), ev("client", "EHLO a\r\n", tls=True)]}),
    vec("server", "[2026-11-22 09:57:38] INFO  SMTP Server listening on 127.0.0.1:2550\n" + NS + "S: 250-a Nice\n" + NS
        + "250-PIPELINING\n" + NS + "250 SIZE 1\n" + NS + "C: <263 bytes of DATA>\n",
        {"format": "nodemailer_server",
         "capabilities": {"data": "absent", "tls": "unmarked"},
         "events": [ev("server", "250-a Nice\r\n"), ev("server", "250-PIPELINING\r\n", line=3),
                    ev("server", "250 SIZE 1\r\n")],
         "notes": [msg("skipped_lines", 1), msg("placeholder_line", 5)]}),
]

HK = "[PROTOCOL] [5D0F8B3A-1C2E-4E7B-9A3B-6E1D2C3B4A5F] [core] "
FILES["haraka"] = [
    "Haraka loglevel=protocol: C:/S: per line; a command carries ' state=N '; bare CR/LF shown as \\r/\\n.",
    vec("protocol", HK + "S: 220 h ESMTP\n" + HK + "C: EHLO a state=1 \n" + HK + "C: MAIL FROM:<a@b>\\nRCPT TO:<c@d> state=1 \n"
        + "2026-11-22T10:00:00.000Z [INFO] [x] [core] other\n",
        {"format": "haraka",
         "capabilities": {"octets": "lines", "write_boundaries": "none", "replies": "lines", "data": "absent",
                          "tls": "unmarked"},
         "events": [ev("server", "220 h ESMTP\r\n"), ev("client", "EHLO a\r\n"),
                    ev("client", "MAIL FROM:<a@b>\nRCPT TO:<c@d>\r\n", exact=False)],
         "notes": [msg("skipped_lines", 4)]}),
]

FILES["raw"] = [
    "The smtpspec raw capture (conformance/README.md): '#smtpspec-raw 1', then C/S <hex> per write/read,",
    "T for TLS start, O for a new connection, '# ' notes.",
    vec("basic", "#smtpspec-raw 1\nS 3232302078\nC 45484c4f0d0a\nT\nC 51\nO\nC 52\n",
        {"format": "raw", "confidence": 100,
         "capabilities": {"octets": "exact", "write_boundaries": "known", "replies": "chunks", "data": "kept",
                          "tls": "marked"},
         "events": [ev("server", "220 x", "write", True, False, 2, 16), ev("client", "EHLO\r\n", "write", True, False, 3),
                    ev("tls_start", "", "unknown", True, False, 4), ev("client", "Q", tls=True), ev("connect", line=6),
                    ev("client", "R", tls=False)],
         "notes": [], "errors": []}),
    vec("errors", "#smtpspec-raw 1\nC 4\nS zz\nhello\nS 41\n",
        {"events": [ev("server", "A", line=5)],
         "errors": [msg("bad_hex", 2), msg("bad_hex", 3), msg("unrecognised_line", 4, 1, "hello")]}),
    vec("note", "#smtpspec-raw 1\n# a note\n", {"events": [ev("note", "a note", line=2)]}),
    vec("binary", "#smtpspec-raw 1\nC 000d0aff\n", {"events": [ev("client", "\u0000\r\n\ufffd", hex="000d0aff")]}),
]

FILES["detect"] = [
    "Auto-detection with confidence (shared/transcripts/formats/README.md heuristics) and the override.",
    vec("nothing", "hello\nworld\n",
        {"format": None, "detected": False, "confidence": 0, "capabilities": None, "events": [],
         "errors": [msg("format_not_detected", 1, 1, "hello")], "lines": 2}),
    vec("empty", "", {"format": None, "errors": [msg("format_not_detected", 1)], "lines": 0, "octets": 0}),
    vec("partial-confidence", "S: 220 x\nsome prose\nmore prose\nC: QUIT\n",
        {"format": "rfc", "detected": True, "confidence": 50, "events": [ev("server"), ev("client")],
         "notes": [msg("skipped_lines", 2, 2)]}),
    vec("override", "S: 220 x\n", {"format": "raw", "detected": False, "confidence": 100,
                                   "errors": [msg("foreign_line", 1)]}, fmt="raw",
        note="an RFC-style line read as a raw capture is another format's line"),
    vec("exim-acl-trace-is-not-rfc3461", ">>> using ACL \"acl_check_rcpt\"\n>>> accept: condition test succeeded\n",
        {"format": None}),
    vec("swaks-signature", "=== Trying 1.2.3.4:25...\nS: 250 x\n",
        {"format": "swaks", "confidence": 100, "errors": [msg("foreign_line", 2)]}),
]

FILES["bad_input"] = [
    "Bad input: a clear error naming the line, or a note; never a crash.",
    vec("bom", "\ufeffS: 220 x\n", {"format": "rfc", "events": [ev("server", "220 x\r\n", line=1, offset=3)],
                                    "notes": [msg("bom_skipped", 1)]}),
    vec("crlf-file", "S: 220 x\r\nC: QUIT\r\n", {"events": [ev("server", "220 x\r\n"), ev("client", "QUIT\r\n")],
                                                "notes": [msg("crlf_file", 1)]}),
    vec("no-final-newline", "S: 220 x\nC: QUI", {"events": [ev("server"), ev("client", "QUI\r\n", line=2)],
                                                 "notes": [msg("no_final_newline", 2)], "lines": 2}),
    vec("line-too-long", "S: 220 x\nC: " + "A" * 70 + "\nC: QUIT\n",
        {"events": [ev("server"), ev("client", "QUIT\r\n", line=3)],
         "errors": [msg("line_too_long", 2, 1, "C: " + "A" * 70)]},
        fmt="rfc", options={"max_line": 64}),
    vec("binary-junk", b"S: 220 x\n\x01\x02\x00\xff junk\nC: QUIT\n",
        {"events": [ev("server"), ev("client", line=3)], "errors": [msg("binary_input", 2)]}, hexed=True),
    vec("ends-mid-data", "C: DATA\\r\\n\nS: 354 go\\r\\n\nC: half a li",
        {"events": [ev("client"), ev("server"), ev("client", "half a li\r\n", exact=False)],
         "errors": [], "notes": [msg("no_final_newline", 3)]},
        note="a transcript ending inside DATA is the linter's business, not a reader error"),
    vec("message-cap", "#smtpspec-raw 1\n" + "x\n" * 6,
        {"errors": [msg("unrecognised_line", 2), msg("unrecognised_line", 3)], "dropped_messages": 4,
         "notes": [msg("messages_dropped", 8, 4)]},
        options={"max_messages": 2}),
]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, entries in FILES.items():
        for v in entries:
            if isinstance(v, dict) and isinstance(v.get("input"), bytes):
                raise SystemExit(f"{name}:{v['id']}: bytes input needs hexed=True")
        (OUT / f"{name}.json").write_text(json.dumps(entries, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        total += sum(1 for v in entries if isinstance(v, dict))
    print(f"{total} transcript vectors in {len(FILES)} files")


if __name__ == "__main__":
    main()
