#!/usr/bin/env python3
"""Writes conformance/vectors/session/*.json: the session vectors, one file per theme.

Each case is written here by hand (config, the host's answers, the client's steps, the RFC); its
"expect" is filled by tests/session/vector_fill (the C++ session) and then reviewed by reading the
diff before it is committed. Usage: gen_vectors.py BUILD_DIR  (BUILD_DIR holds the vector_fill tool).
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "conformance", "vectors", "session")

E = "EHLO client.example\r\n"
M = "MAIL FROM:<a@example.org>\r\n"
R = "RCPT TO:<b@example.net>\r\n"
MSG = "Subject: hi\r\n\r\nbody\r\n.\r\n"
OKRQ = {"rcpt": "OK", "queue": "OK"}


def v(id_, steps, config=None, answers=None, rfc=None, note=None, peer=None):
    d = {"kind": "session", "id": id_}
    if rfc:
        d["rfc"] = rfc
    if note:
        d["note"] = note
    d["config"] = config or {}
    if peer:
        d["peer"] = peer
    d["answers"] = answers if answers is not None else {}
    d["steps"] = [s if isinstance(s, dict) else {"feed": s} for s in steps]
    return d


THEMES = {}

THEMES["basic"] = [
    v("full-transaction", [E + M + R + "DATA\r\n" + MSG + "QUIT\r\n"], answers=OKRQ, rfc="RFC 5321 §3.3",
      note="greeting, EHLO, MAIL, RCPT, DATA, QUIT with the default extensions"),
    v("helo-transaction", ["HELO client.example\r\n", M, R, "DATA\r\n", MSG, "QUIT\r\n"], answers=OKRQ,
      rfc="RFC 5321 §4.1.1.1"),
    v("no-rcpt-hook-refuses", ["HELO c\r\n", M, R, "QUIT\r\n"], rfc="RFC 5321 §4.1.1.3",
      note="Haraka: without an OK from a rcpt hook (and without relaying) 450 I cannot deliver mail for <addr>"),
    v("relaying-accepts", ["HELO c\r\n", M, R, "DATA\r\n", MSG], config={"relaying": True},
      rfc="RFC 5321 §4.1.1.3", note="relaying: recipients accepted; no queue OK: 451 (Haraka)"),
    v("mail-before-helo", [M], rfc="RFC 5321 §4.1.4"),
    v("rcpt-before-mail", ["HELO c\r\n", R], rfc="RFC 5321 §4.1.4"),
    v("data-before-rcpt", ["HELO c\r\n", M, "DATA\r\n"], rfc="RFC 5321 §4.1.4"),
    v("data-after-refused-rcpts", ["HELO c\r\n", M, R, "DATA\r\n"], rfc="RFC 5321 §3.3",
      note="every recipient refused: 554 no valid recipients"),
    v("nested-mail", ["HELO c\r\n", M, M], rfc="RFC 5321 §4.1.4"),
    v("rset-clears", ["HELO c\r\n", M, "RSET\r\n", M], rfc="RFC 5321 §4.1.1.5"),
    v("ehlo-resets-transaction", ["EHLO c\r\n", M, "EHLO c\r\n", R], rfc="RFC 5321 §4.1.4"),
    v("noop-help-vrfy-expn", ["NOOP\r\n", "HELP\r\n", "VRFY postmaster\r\n", "EXPN list\r\n"], rfc="RFC 5321 §4.1.1"),
    v("null-sender-and-postmaster", ["HELO c\r\n", "MAIL FROM:<>\r\n", "RCPT TO:<Postmaster>\r\n"],
      answers={"rcpt": "OK"}, rfc="RFC 5321 §4.1.1.3"),
    v("dot-stuffing", [E, M, R, "DATA\r\n", ".leading\r\n..two\r\n...\r\n.\r\n"], answers=OKRQ,
      config={"hooks": ["rcpt", "queue"], "buffer_message": True}, rfc="RFC 5321 §4.5.2"),
    v("eof-mid-data", [E, M, R, "DATA\r\n", "partial", {"eof": True}],
      config={"hooks": ["rcpt", "queue", "disconnect"]}, answers=OKRQ, rfc="RFC 5321 §4.1.1.4",
      note="nothing partial is queued: message_aborted, the disconnect hook, close"),
    v("eof-without-quit", [E, {"eof": True}], config={"hooks": ["disconnect"]}, rfc="RFC 5321 §4.1.1.10"),
    v("quit-then-more", ["QUIT\r\nNOOP\r\n"], rfc="RFC 5321 §4.1.1.10", note="nothing after 221"),
    v("syntax-error-reply", ["HELO c\r\n", "MAIL FROM:a@b\r\n", "RCPT TO:<b@c\r\n"],
      config={"profile": "strict"}, rfc="RFC 5321 §4.1.2"),
    v("empty-line", ["\r\n"], rfc="RFC 5321 §4.2.4"),
    v("strict-profile-mail", ["HELO c\r\n", "MAIL FROM: <a@b.example>\r\n"], config={"profile": "strict"},
      rfc="RFC 5321 §4.1.2", note="a space after the colon: 501 in strict"),
]

THEMES["hooks"] = [
    v("every-command-hook", [E, M, R, "DATA\r\n", MSG, "RSET\r\nVRFY x\r\nNOOP\r\nHELP\r\nQUIT\r\n"],
      config={"hooks": ["connect", "ehlo", "capabilities", "mail", "rcpt", "rcpt_ok", "data", "data_post",
                        "queue", "rset", "quit", "vrfy", "noop", "help", "disconnect"]},
      answers=OKRQ, rfc="RFC 5321 §4.1.1", note="Haraka's hook order"),
    v("connect-deny", ["EHLO c\r\n"], config={"hooks": ["connect", "disconnect"]}, answers={"connect": "DENY"},
      rfc="RFC 5321 §3.1", note="554 instead of the greeting, then close"),
    v("connect-denysoft", [""], config={"hooks": ["connect"]}, answers={"connect": "DENYSOFT"}, rfc="RFC 5321 §3.1"),
    v("connect-custom-greeting", [""], config={"hooks": ["connect"]},
      answers={"connect": {"verdict": "OK", "message": ["welcome", "second line"]}}, rfc="RFC 5321 §4.2.1"),
    v("helo-deny", ["HELO bad\r\n", M], config={"hooks": ["helo", "deny"]}, answers={"helo": "DENY"},
      rfc="RFC 5321 §4.1.1.1", note="the deny hook is told of the verdict and the reply"),
    v("mail-denysoft", ["HELO c\r\n", M], config={"hooks": ["mail"]}, answers={"mail": "DENYSOFT"},
      rfc="RFC 5321 §4.2.5"),
    v("mail-denydisconnect", ["HELO c\r\n", M, R], config={"hooks": ["mail", "disconnect"]},
      answers={"mail": "DENYDISCONNECT"}, rfc="RFC 5321 §3.8"),
    v("rcpt-disconnect", ["HELO c\r\n", M, R], config={"hooks": ["rcpt"]}, answers={"rcpt": "DISCONNECT"},
      rfc="RFC 5321 §3.8", note="DISCONNECT: 421 and close"),
    v("rcpt-list-answers", ["HELO c\r\n", M, R, R, R], config={"hooks": ["rcpt"]},
      answers={"rcpt": ["OK", "DENY", "DENYSOFT"]}, rfc="RFC 5321 §4.1.1.3",
      note="a list is used in order, its last element repeating"),
    v("rcpt-custom-dsn", ["HELO c\r\n", M, R], config={"hooks": ["rcpt"]},
      answers={"rcpt": {"verdict": "DENY", "code": 550, "status": "5.1.1", "message": ["No such user here"]}},
      rfc="RFC 3463 §3.2"),
    v("host-reply-mismatch", ["HELO c\r\n", M, R], config={"hooks": ["rcpt"]},
      answers={"rcpt": {"verdict": "DENY", "code": 250, "status": "2.0.0", "message": ["nope"]}},
      rfc="RFC 5321 §4.2.1", note="a 2xx code for DENY: the default code is used and the mismatch reported"),
    v("data-deny", ["HELO c\r\n", M, R, "DATA\r\n"], config={"hooks": ["rcpt", "data"]},
      answers={"rcpt": "OK", "data": "DENY"}, rfc="RFC 5321 §4.1.1.4"),
    v("data-post-deny", ["HELO c\r\n", M, R, "DATA\r\n", MSG], config={"hooks": ["rcpt", "data_post", "queue"]},
      answers={"rcpt": "OK", "data_post": "DENY", "queue": "OK"}, rfc="RFC 5321 §4.1.1.4",
      note="data_post DENY: the queue hook is not called"),
    v("queue-denysoft", ["HELO c\r\n", M, R, "DATA\r\n", MSG], answers={"rcpt": "OK", "queue": "DENYSOFT"},
      rfc="RFC 5321 §4.2.5"),
    v("unrecognized-command-hook", ["FOO bar\r\n", "BAR\r\n"], config={"hooks": ["unrecognized_command"]},
      answers={"unrecognized_command": [{"verdict": "OK", "code": 250, "message": ["handled"]}, "CONT"]},
      rfc="RFC 5321 §4.2.4"),
    v("quit-custom", ["QUIT\r\n"], config={"hooks": ["quit"]},
      answers={"quit": {"verdict": "OK", "message": ["bye now"]}}, rfc="RFC 5321 §4.1.1.10"),
    v("vrfy-ok", ["VRFY alice\r\n"], config={"hooks": ["vrfy"]},
      answers={"vrfy": {"verdict": "OK", "message": ["Alice <alice@example.org>"]}}, rfc="RFC 5321 §3.5.3"),
    v("capabilities-hook-adds", ["EHLO c\r\n"], config={"hooks": ["capabilities"], "chunking": False, "dsn": False},
      answers={"capabilities": {"verdict": "CONT", "capabilities": ["XEXAMPLE one two", "HELP"]}},
      rfc="RFC 5321 §4.1.1.1"),
    v("buffer-message", [E, M, R, "DATA\r\n", "a\r\nb\r\n.\r\n"], config={"hooks": ["rcpt", "data_post", "queue"],
      "buffer_message": True}, answers=OKRQ, rfc="RFC 5321 §4.1.1.4",
      note="buffer_message: data_post carries the whole message"),
]

THEMES["extensions"] = [
    v("ehlo-nothing-enabled", ["EHLO c\r\n"], config={"pipelining": False, "size": False, "eightbitmime": False,
      "smtputf8": False, "dsn": False, "chunking": False, "binarymime": False, "enhancedstatuscodes": False},
      rfc="RFC 5321 §4.1.1.1"),
    v("ehlo-everything", ["EHLO c\r\n"], config={"starttls": True, "auth": True, "auth_requires_tls": False,
      "xclient": True, "xforward": True, "requiretls": True}, rfc="RFC 5321 §4.1.1.1",
      note="REQUIRETLS only inside TLS: not advertised here"),
    v("no-enhanced-codes", ["HELO c\r\n", M, R], config={"enhancedstatuscodes": False}, rfc="RFC 2034 §3"),
    v("size-declared-too-big", [E, "MAIL FROM:<a@b.example> SIZE=2000\r\n", "MAIL FROM:<a@b.example> SIZE=1000\r\n"],
      config={"limits": {"message_size": 1000}}, rfc="RFC 1870 §6.2"),
    v("size-exceeded-streaming", [E, M, R, "DATA\r\n", "0123456789\r\n0123456789\r\n.\r\n", "NOOP\r\n"],
      config={"limits": {"message_size": 16}}, answers=OKRQ, rfc="RFC 1870 §6.3",
      note="the first 16 octets stream, then message_aborted; 552 5.3.4 after the end of data"),
    v("size-param-without-size", [E, "MAIL FROM:<a@b.example> SIZE=10\r\n"], config={"size": False},
      rfc="RFC 5321 §4.1.1.11", note="a parameter of an extension not offered: 555"),
    v("eightbitmime-body", [E, "MAIL FROM:<a@b.example> BODY=8BITMIME\r\n"], rfc="RFC 6152 §2"),
    v("eightbitmime-off", [E, "MAIL FROM:<a@b.example> BODY=8BITMIME\r\n"], config={"eightbitmime": False},
      rfc="RFC 6152 §2"),
    v("smtputf8-address", [E, "MAIL FROM:<j\u00f6rg@example.org> SMTPUTF8\r\n"], rfc="RFC 6531 §3.4"),
    v("smtputf8-off", [E, "MAIL FROM:<j\u00f6rg@example.org>\r\n"], config={"smtputf8": False}, rfc="RFC 6531 §3.3"),
    v("dsn-params-carried", [E, "MAIL FROM:<a@b.example> RET=HDRS ENVID=abc123\r\n",
      "RCPT TO:<c@d.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;c@d.example\r\n"], config={"hooks": ["mail", "rcpt"]},
      answers={"rcpt": "OK"}, rfc="RFC 3461 §4"),
    v("dsn-off", [E, "MAIL FROM:<a@b.example> RET=HDRS\r\n"], config={"dsn": False}, rfc="RFC 3461 §4"),
    v("requiretls-outside-tls", [E, "MAIL FROM:<a@b.example> REQUIRETLS\r\n"], config={"requiretls": True},
      rfc="RFC 8689 §4.1", note="REQUIRETLS is offered only inside TLS"),
    v("http-request", ["GET / HTTP/1.1\r\nHost: x\r\n\r\n"], config={"hooks": ["disconnect"]}, rfc="RFC 5321 §4.2.4",
      note="an HTTP verb: 421 at once"),
]

THEMES["chunking"] = [
    v("bdat-chunks", [E, M, R, "BDAT 5\r\nab\r\ncBDAT 3\r\n\r\nxBDAT 0 LAST\r\n"], answers=OKRQ,
      rfc="RFC 3030 §2", note="chunks are taken verbatim, CRLF and all"),
    v("bdat-last-with-data", [E, M, R, "BDAT 4 LAST\r\nabcd", "QUIT\r\n"], answers=OKRQ, rfc="RFC 3030 §2"),
    v("bdat-split-chunk", [E, M, R, "BDAT 10 LAST\r\n01234", "56789"], answers=OKRQ, rfc="RFC 3030 §2"),
    v("bdat-binarymime", [E, "MAIL FROM:<a@b.example> BODY=BINARYMIME\r\n", R, "DATA\r\n",
      "BDAT 3 LAST\r\n\x00\x01\x02"], answers=OKRQ, rfc="RFC 3030 §3",
      note="DATA is refused for BODY=BINARYMIME; BDAT carries it"),
    v("bdat-without-mail", [E, "BDAT 3\r\nabcNOOP\r\n"], rfc="RFC 3030 §2",
      note="a refused chunk is still read in full to stay in sync"),
    v("bdat-chunking-off", [E, M, R, "BDAT 3\r\nabcNOOP\r\n"], config={"chunking": False}, answers=OKRQ,
      rfc="RFC 3030 §2"),
    v("data-after-bdat", [E, M, R, "BDAT 2\r\nab", "DATA\r\n"], answers=OKRQ, rfc="RFC 3030 §2"),
    v("bdat-size-exceeded", [E, M, R, "BDAT 10\r\n0123456789BDAT 1 LAST\r\nx", "NOOP\r\n"],
      config={"limits": {"message_size": 8}}, answers=OKRQ, rfc="RFC 3030 §2",
      note="552 after the chunk; a chunk after the failed one is read and refused"),
    v("bdat-data-hook-deny", [E, M, R, "BDAT 3 LAST\r\nabc", "NOOP\r\n"], config={"hooks": ["rcpt", "data"]},
      answers={"rcpt": "OK", "data": "DENY"}, rfc="RFC 3030 §2"),
    v("bdat-bad-size", [E, M, R, "BDAT x\r\n"], answers=OKRQ, rfc="RFC 3030 §2"),
]

THEMES["starttls"] = [
    v("starttls-reset", ["EHLO c\r\n", "STARTTLS\r\n", {"tls": "TLS_AES_128_GCM_SHA256"}, M, "EHLO c\r\n"],
      config={"starttls": True}, rfc="RFC 3207 §4.2",
      note="after the handshake the session is reset: MAIL needs a new EHLO; STARTTLS is no longer offered"),
    v("starttls-injection", ["EHLO c\r\n", "STARTTLS\r\nMAIL FROM:<evil@example.org>\r\n", "RCPT TO:<x@y>\r\n",
      {"tls": "C"}, "NOOP\r\n"], config={"starttls": True}, rfc="RFC 3207 §4.2",
      note="CVE-2011-0411: octets after STARTTLS and before the handshake are discarded, never executed"),
    v("starttls-twice", ["EHLO c\r\n", "STARTTLS\r\n", {"tls": "C"}, "EHLO c\r\n", "STARTTLS\r\n"],
      config={"starttls": True}, rfc="RFC 3207 §4"),
    v("starttls-off", ["EHLO c\r\n", "STARTTLS\r\n"], rfc="RFC 3207 §4"),
    v("starttls-in-transaction", ["EHLO c\r\n", M, "STARTTLS\r\n"], config={"starttls": True}, rfc="RFC 3207 §4"),
    v("starttls-hook-denysoft", ["EHLO c\r\n", "STARTTLS\r\n", "NOOP\r\n"], config={"starttls": True,
      "hooks": ["starttls"]}, answers={"starttls": "DENYSOFT"}, rfc="RFC 3207 §4"),
    v("requiretls-inside-tls", ["EHLO c\r\n", "STARTTLS\r\n", {"tls": "C"}, "EHLO c\r\n",
      "MAIL FROM:<a@b.example> REQUIRETLS\r\n"], config={"starttls": True, "requiretls": True,
      "hooks": ["mail"]}, rfc="RFC 8689 §4.1"),
]

THEMES["auth"] = [
    v("auth-plain-initial", ["EHLO c\r\n", "AUTH PLAIN AHVzZXIAcGFzcw==\r\n", M],
      config={"auth": True, "auth_requires_tls": False, "hooks": ["auth", "mail"]}, answers={"auth": "OK"},
      rfc="RFC 4616 §2"),
    v("auth-plain-empty-challenge", ["EHLO c\r\n", "AUTH PLAIN\r\n", "AHVzZXIAcGFzcw==\r\n"],
      config={"auth": True, "auth_requires_tls": False, "hooks": ["auth"]}, answers={"auth": "DENY"},
      rfc="RFC 4954 §4"),
    v("auth-login-two-step", ["EHLO c\r\n", "AUTH LOGIN\r\n", "dXNlcg==\r\n", "cGFzcw==\r\n"],
      config={"auth": True, "auth_requires_tls": False, "hooks": ["auth"]},
      answers={"auth": {"verdict": "OK", "user": "canonical-user"}}, rfc="RFC 4954 §4"),
    v("auth-custom-two-challenges", ["EHLO c\r\n", "AUTH X-TOKEN dG9rZW4=\r\n", "b25l\r\n", "dHdv\r\n"],
      config={"auth": True, "auth_requires_tls": False, "auth_mechanisms": ["X-TOKEN"], "hooks": ["auth"]},
      answers={"auth": [{"verdict": "CONT", "challenge": "first"}, {"verdict": "CONT", "challenge": "second"}, "OK"]},
      rfc="RFC 4954 §4", note="the host frames any mechanism: 334 challenges, decoded responses"),
    v("auth-cancel", ["EHLO c\r\n", "AUTH LOGIN\r\n", "*\r\n"], config={"auth": True, "auth_requires_tls": False},
      rfc="RFC 4954 §4"),
    v("auth-bad-base64", ["EHLO c\r\n", "AUTH PLAIN !!!!\r\n", "AUTH LOGIN\r\n", "abc\r\n"],
      config={"auth": True, "auth_requires_tls": False}, rfc="RFC 4954 §4"),
    v("auth-unknown-mechanism", ["EHLO c\r\n", "AUTH CRAM-MD5\r\n"], config={"auth": True, "auth_requires_tls": False},
      rfc="RFC 4954 §4"),
    v("auth-requires-tls", ["EHLO c\r\n", "AUTH PLAIN AHVzZXIAcGFzcw==\r\n"], config={"auth": True},
      rfc="RFC 4954 §4", note="not offered before TLS: 530 5.7.0"),
    v("auth-in-transaction", ["EHLO c\r\n", M, "AUTH PLAIN AHVzZXIAcGFzcw==\r\n"],
      config={"auth": True, "auth_requires_tls": False}, rfc="RFC 4954 §4"),
    v("auth-failures-limit", ["EHLO c\r\n"] + ["AUTH PLAIN AHUAcA==\r\n"] * 4,
      config={"auth": True, "auth_requires_tls": False, "hooks": ["auth"]}, answers={"auth": "DENY"},
      rfc="RFC 4954 §4", note="beyond limits.auth_failures (3): 421 4.7.0 and close"),
    v("auth-line-too-long", ["EHLO c\r\n", "AUTH LOGIN\r\n", "QUFB" * 20 + "\r\n", "NOOP\r\n"],
      config={"auth": True, "auth_requires_tls": False, "limits": {"auth_line": 64}}, rfc="RFC 4954 §4"),
    v("auth-off", ["EHLO c\r\n", "AUTH PLAIN AHUAcA==\r\n"], rfc="RFC 4954 §4"),
    v("auth-after-tls", ["EHLO c\r\n", "STARTTLS\r\n", {"tls": "C"}, "EHLO c\r\n", "AUTH PLAIN AHVzZXIAcGFzcw==\r\n"],
      config={"auth": True, "starttls": True, "hooks": ["auth"]}, answers={"auth": "OK"}, rfc="RFC 4954 §4"),
]

THEMES["lmtp"] = [
    v("lmtp-per-recipient", ["LHLO c\r\n", M, "RCPT TO:<one@example.net>\r\n", "RCPT TO:<two@example.net>\r\n",
      "RCPT TO:<three@example.net>\r\n", "DATA\r\n", MSG], config={"lmtp": True},
      answers={"rcpt": "OK", "queue": {"verdict": "OK", "per_recipient": ["OK", {"verdict": "DENY", "code": 550,
               "status": "5.2.2", "message": ["mailbox full"]}, "DENYSOFT"]}},
      rfc="RFC 2033 §4.2", note="one reply per accepted recipient, in order"),
    v("lmtp-one-answer-for-all", ["LHLO c\r\n", M, R, "RCPT TO:<c@example.net>\r\n", "DATA\r\n", MSG],
      config={"lmtp": True}, answers=OKRQ, rfc="RFC 2033 §4.2"),
    v("lmtp-no-helo-ehlo", ["HELO c\r\n", "EHLO c\r\n", "LHLO c\r\n"], config={"lmtp": True}, rfc="RFC 2033 §4.1"),
    v("lhlo-in-smtp", ["LHLO c\r\n"], rfc="RFC 2033 §4.1"),
    v("lmtp-data-post-deny", ["LHLO c\r\n", M, R, "RCPT TO:<c@example.net>\r\n", "DATA\r\n", MSG],
      config={"lmtp": True, "hooks": ["rcpt", "data_post", "queue"]},
      answers={"rcpt": "OK", "data_post": "DENY", "queue": "OK"}, rfc="RFC 2033 §4.2",
      note="a refusal after the message is repeated for each accepted recipient"),
    v("lmtp-bare-lf-reject", ["LHLO c\r\n", M, R, "RCPT TO:<c@example.net>\r\n", "DATA\r\n", "a\nb\r\n.\r\n"],
      config={"lmtp": True}, answers=OKRQ, rfc="RFC 2033 §4.2"),
    v("lmtp-bdat", ["LHLO c\r\n", M, R, "RCPT TO:<c@example.net>\r\n", "BDAT 3 LAST\r\nabc"],
      config={"lmtp": True}, answers={"rcpt": "OK", "queue": {"verdict": "OK", "per_recipient": ["OK", "DENYSOFT"]}},
      rfc="RFC 2033 §4.3"),
    v("lmtp-no-recipients", ["LHLO c\r\n", M, R, "DATA\r\n", "BDAT 3 LAST\r\nabc", "NOOP\r\n"],
      config={"lmtp": True, "hooks": []}, rfc="RFC 2033 §4.2",
      note="DATA without a successful RCPT: 503; BDAT LAST: zero replies (§4.3)"),
]

THEMES["xclient"] = [
    v("xclient-ok", ["EHLO c\r\n", "XCLIENT NAME=mail.example.org ADDR=198.51.100.7 PORT=4321 HELO=orig\r\n",
      "EHLO c\r\n"], config={"xclient": True, "hooks": ["xclient", "connect"]}, answers={"xclient": "OK"},
      rfc="Postfix XCLIENT_README", note="a new greeting and a session reset"),
    v("xclient-not-authorised", ["EHLO c\r\n", "XCLIENT ADDR=198.51.100.7\r\n"], config={"xclient": True},
      rfc="Postfix XCLIENT_README", note="without the xclient hook's OK: 550 5.7.0"),
    v("xclient-bad-attribute", ["EHLO c\r\n", "XCLIENT FOO=bar\r\n"], config={"xclient": True},
      rfc="Postfix XCLIENT_README"),
    v("xclient-off", ["EHLO c\r\n", "XCLIENT ADDR=198.51.100.7\r\n"], rfc="Postfix XCLIENT_README"),
    v("xforward", ["EHLO c\r\n", "XFORWARD NAME=a.example ADDR=203.0.113.9 PROTO=ESMTP\r\n", M],
      config={"xforward": True, "hooks": ["xforward"]}, rfc="Postfix XFORWARD_README"),
]

THEMES["proxy"] = [
    v("proxy-v1", ["PROXY TCP4 198.51.100.1 203.0.113.2 51000 25\r\nEHLO c\r\n"], config={"proxy": "v1",
      "hooks": ["connect"]}, rfc="PROXY protocol §2.1", note="the connect hook sees the client's address"),
    v("proxy-v2-local", [{"feed_hex": "0d0a0d0a000d0a515549540a20000000"}, "NOOP\r\n"], config={"proxy": "v2"},
      rfc="PROXY protocol §2.2"),
    v("proxy-missing", ["EHLO c\r\n"], config={"proxy": "any", "hooks": ["disconnect"]}, rfc="PROXY protocol §2",
      note="no header: close without a greeting"),
    v("proxy-split", ["PROXY TCP4 198.51.100.1 203.0", ".113.2 51000 25\r\n", "NOOP\r\n"], config={"proxy": "any"},
      rfc="PROXY protocol §2.1"),
]

THEMES["data"] = [
    v("bare-lf-reject", [E, M, R, "DATA\r\n", "line one\nline two\r\n.\r\n", "NOOP\r\n"], answers=OKRQ,
      rfc="RFC 5321 §2.3.8", note="default reject: message_aborted and 550 5.5.2 after the real end of data"),
    v("bare-lf-reject-521", [E, M, R, "DATA\r\n", "a\nb\r\n.\r\n", "NOOP\r\n"], answers=OKRQ,
      config={"bare_newline_reject_code": 521}, rfc="RFC 7504 §3", note="521 closes"),
    v("bare-lf-normalize", [E, M, R, "DATA\r\n", "a\nb\r\n.\r\n"], answers=OKRQ, config={"bare_lf": "normalize"},
      rfc="RFC 5321 §2.3.8"),
    v("bare-lf-accept", [E, M, R, "DATA\r\n", "a\nb\r\n.\r\n"], answers=OKRQ, config={"bare_lf": "accept"},
      rfc="RFC 5321 §2.3.8"),
    v("smuggling-lf-dot-lf", [E, M, R, "DATA\r\n", "x\n.\nMAIL FROM:<evil@example.org>\r\n.\r\n"], answers=OKRQ,
      config={"bare_lf": "accept"}, rfc="RFC 5321 §4.1.1.4",
      note="<LF>.<LF> is not an end of data: the smuggled command stays message text"),
    v("smuggling-lf-dot-crlf", [E, M, R, "DATA\r\n", "x\n.\r\nRSET\r\n.\r\n"], answers=OKRQ,
      config={"bare_lf": "accept"}, rfc="RFC 5321 §4.1.1.4"),
    v("smuggling-cr-dot-cr", [E, M, R, "DATA\r\n", "x\r.\rRSET\r\n.\r\n"], answers=OKRQ,
      config={"bare_cr": "accept"}, rfc="RFC 5321 §4.1.1.4"),
    v("bare-cr-reject", [E, M, R, "DATA\r\n", "a\rb\r\n.\r\n"], answers=OKRQ, rfc="RFC 5321 §2.3.8"),
    v("first-line-dot", [E, M, R, "DATA\r\n", ".\r\n"], answers=OKRQ, config={"hooks": ["rcpt", "queue"],
      "buffer_message": True}, rfc="RFC 5321 §4.1.1.4", note="an empty message: the DATA line's CRLF begins the end"),
    v("bare-lf-in-command-reject", ["EHLO c\nNOOP\r\n"], rfc="RFC 5321 §2.3.8"),
    v("bare-lf-in-command-normalize", ["EHLO c\nNOOP\r\n"], config={"bare_lf": "normalize"}, rfc="RFC 5321 §2.3.8"),
    v("long-data-line", [E, M, R, "DATA\r\n", "x" * 1200 + "\r\n.\r\n"], answers=OKRQ, rfc="RFC 5321 §4.5.3.1.6",
      note="longer lines stream on, with a diagnostic"),
]

THEMES["limits"] = [
    v("recipients-limit", ["HELO c\r\n", M] + ["RCPT TO:<r%d@example.net>\r\n" % i for i in range(4)],
      config={"limits": {"recipients": 2}, "hooks": ["rcpt"]}, answers={"rcpt": "OK"}, rfc="RFC 5321 §4.5.3.1.10"),
    v("transactions-limit", ["HELO c\r\n", M, "RSET\r\n", M, "RSET\r\n", M], config={"limits": {"transactions": 2}},
      rfc="RELIABILITY.md §3"),
    v("unknown-commands-limit", ["FOO\r\n", "BAR\r\n", "BAZ\r\n", "QUX\r\n", "NOOP\r\n"], rfc="RELIABILITY.md §3",
      note="beyond limits.unknown_commands (3): 421 and close"),
    v("errors-soft-and-hard", ["HELO c\r\n"] + ["RCPT TO:<x@y>\r\n"] * 5, config={"limits": {"errors_soft": 2,
      "errors_hard": 4}}, rfc="RELIABILITY.md §3", note="slow_down at the soft limit, 421 4.7.0 at the hard one"),
    v("command-line-too-long", ["NOOP " + "x" * 600 + "\r\n", "NOOP\r\n"], rfc="RFC 5321 §4.5.3.1.4"),
    v("command-line-hard-limit", ["NOOP " + "x" * 300, "y" * 300, "\r\nNOOP\r\n"],
      config={"limits": {"command_line_hard": 256}}, rfc="RELIABILITY.md §3",
      note="beyond command_line_hard: 500 5.5.2 once and the rest of the line skipped"),
    v("mail-line-growth", ["EHLO c\r\n", "MAIL FROM:<" + "a" * 60 + "@" + ("b" * 60 + ".") * 3 + "example> SIZE=100 BODY=8BITMIME"
      " RET=HDRS ENVID=" + "e" * 90 + "\r\n"], rfc="RFC 1870 §3",
      note="MAIL may exceed 512 octets by what the enabled extensions add"),
    v("timeout", ["EHLO c\r\n", {"timeout": True}], config={"hooks": ["disconnect"]}, rfc="RFC 5321 §4.5.3.2"),
    v("timeout-in-data", ["EHLO c\r\n", M, R, "DATA\r\n", "abc", {"timeout": True}], answers=OKRQ,
      rfc="RFC 5321 §4.5.3.2.5"),
]

THEMES["pipelining"] = [
    v("pipelined-group", [E, M + R + "DATA\r\n", MSG], answers=OKRQ, rfc="RFC 2920 §3.1",
      note="MAIL, RCPT, DATA in one group after EHLO advertised PIPELINING"),
    v("pipelining-not-advertised", ["HELO c\r\n" + M + R], config={"hooks": ["rcpt"]}, answers={"rcpt": "OK"},
      rfc="RFC 2920 §3.1"),
    v("pipelining-after-sync", [E, "NOOP\r\nNOOP\r\n"], rfc="RFC 2920 §3.1"),
    v("reject-unauth-pipelining", ["HELO c\r\n" + M], config={"reject_unauth_pipelining": True},
      rfc="RFC 2920 §3.1", note="Postfix smtpd_forbid_unauth_pipelining: 554 5.5.0 and close"),
    v("early-talker", ["EHLO c\r\n"], config={"hooks": ["connect"]}, rfc="RFC 5321 §3.1",
      note="connect answered only after the bytes arrived would be early talking; here answered at once"),
]


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "build", "session-core")
    tool = os.path.join(build, "tests", "session", "smtpspec_session_vector_fill")
    os.makedirs(OUT, exist_ok=True)
    status = 0
    for theme, cases in THEMES.items():
        ids = [c["id"] for c in cases]
        assert len(ids) == len(set(ids)), theme
        p = subprocess.run([tool], input=json.dumps(cases).encode(), capture_output=True)
        if p.returncode != 0:
            sys.stderr.write(p.stderr.decode())
            status = 1
        filled = json.loads(p.stdout)
        with open(os.path.join(OUT, theme + ".json"), "w", encoding="utf-8") as f:
            f.write("[\n")
            for i, c in enumerate(filled):
                f.write(" " + json.dumps(c, ensure_ascii=False) + (",\n" if i + 1 < len(filled) else "\n"))
            f.write("]\n")
    print(sum(len(c) for c in THEMES.values()), "vectors in", len(THEMES), "files")
    return status


if __name__ == "__main__":
    sys.exit(main())
