"""Real clients against `smtpspec serve` (issue 6 item 7): swaks, Python smtplib, raw sockets for
what those cannot send (DSN parameters, BDAT, PROXY headers), LMTP and Postfix's smtp-source.
Every message sent must arrive in Maildir/new byte-for-byte (--raw-delivery; compared by sha256)."""
import os
import smtplib
import socket
import ssl
import struct
import subprocess

import pytest

from conftest import need, sha256
from smtpraw import Client, greet, message, send_data, transaction


def no_verify():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def assert_delivered(server, msgs):
    got = server.wait_messages(len(msgs))
    assert sorted(sha256(m) for m in got) == sorted(sha256(m) for m in msgs), \
        f"{len(got)} files in new/, expected {len(msgs)}"
    assert server.files("tmp") == [], "files left in tmp/"


# ---- swaks --------------------------------------------------------------------------------------

def swaks(server, msg, *extra, tmp):
    need("swaks")
    path = os.path.join(tmp, "msg.eml")
    assert msg.endswith(b"\r\n")
    with open(path, "wb") as f:
        f.write(msg[:-2])  # swaks always sends CRLF "." CRLF after the data: that CRLF ends the last line
    cmd = ["swaks", "--server", "127.0.0.1", "--port", str(server.port), "--from", "sender@example.org",
           "--to", "rcpt@example.org", "--helo", "swaks.example", "--data", "@" + path, "--timeout", "30"]
    p = subprocess.run(cmd + list(extra), capture_output=True, timeout=120)
    assert p.returncode == 0, p.stdout.decode(errors="replace")[-3000:]
    return p.stdout.decode(errors="replace")


@pytest.mark.parametrize("size", [0, 100 * 1024, 5 * 1024 * 1024], ids=["small", "100KB", "5MB"])
def test_swaks_plain(serve, tmp_path, size):
    s = serve()
    msg = message(f"swaks-plain-{size}", size)
    swaks(s, msg, tmp=str(tmp_path))
    assert_delivered(s, [msg])


def test_swaks_pipeline(serve, tmp_path):
    s = serve()
    msg = message("swaks-pipeline", 2000)
    out = swaks(s, msg, "--pipeline", tmp=str(tmp_path))
    assert "PIPELINING" in out
    assert_delivered(s, [msg])


def test_swaks_starttls(serve, tmp_path, tls_cert):
    s = serve("--tls-cert", tls_cert[0], "--tls-key", tls_cert[1])
    msg = message("swaks-tls", 20000)
    out = swaks(s, msg, "--tls", tmp=str(tmp_path))
    assert "TLS started" in out
    assert_delivered(s, [msg])


@pytest.mark.parametrize("mech", ["PLAIN", "LOGIN"])
def test_swaks_auth(serve, tmp_path, tls_cert, auth_users, mech):
    users, (user, password) = auth_users
    s = serve("--tls-cert", tls_cert[0], "--tls-key", tls_cert[1], "--auth-users", users)
    msg = message(f"swaks-auth-{mech}")
    swaks(s, msg, "--tls", "--auth", mech, "--auth-user", user, "--auth-password", password,
          tmp=str(tmp_path))
    # A wrong password must fail (swaks exits non-zero at AUTH) and deliver nothing more.
    path = os.path.join(str(tmp_path), "msg.eml")
    p = subprocess.run(["swaks", "--server", "127.0.0.1", "--port", str(s.port), "--to", "rcpt@example.org",
                        "--tls", "--auth", mech, "--auth-user", user, "--auth-password", "wrong",
                        "--data", "@" + path], capture_output=True, timeout=60)
    assert p.returncode != 0
    assert b"535" in p.stdout
    assert_delivered(s, [msg])


def test_swaks_auth_plaintext(serve, tmp_path, auth_users):
    users, (user, password) = auth_users
    s = serve("--auth-users", users, "--auth-plaintext")
    msg = message("swaks-auth-plaintext")
    swaks(s, msg, "--auth", "PLAIN", "--auth-user", user, "--auth-password", password, tmp=str(tmp_path))
    assert_delivered(s, [msg])


def test_auth_not_offered_without_tls(serve, auth_users):
    users, _ = auth_users
    s = serve("--auth-users", users)
    with greet(s.port) as c:
        assert not any(k.startswith("AUTH") for k in c.ehlo())


# ---- smtplib ------------------------------------------------------------------------------------

def test_smtplib_several_recipients(serve):
    s = serve()
    msg = message("smtplib-multi", 3000)
    with smtplib.SMTP("127.0.0.1", s.port, timeout=30) as c:
        refused = c.sendmail("sender@example.org", ["a@example.org", "b@example.org", "c@example.net"], msg)
        assert refused == {}
    assert_delivered(s, [msg])


def test_smtplib_rejected_recipient(serve):
    s = serve("--reject-recipient", "nobody@example.org", "--accept-domain", "example.org")
    msg = message("smtplib-reject")
    with smtplib.SMTP("127.0.0.1", s.port, timeout=30) as c:
        refused = c.sendmail("sender@example.org", ["a@example.org", "nobody@example.org", "x@other.example"],
                             msg)
    assert refused["nobody@example.org"][0] == 550
    assert refused["nobody@example.org"][1].startswith(b"5.1.1")
    assert refused["x@other.example"][0] // 100 in (4, 5)
    assert_delivered(s, [msg])


def test_smtplib_starttls_login(serve, tls_cert, auth_users):
    users, (user, password) = auth_users
    s = serve("--tls-cert", tls_cert[0], "--tls-key", tls_cert[1], "--auth-users", users)
    msg = message("smtplib-tls", 50000)
    with smtplib.SMTP("127.0.0.1", s.port, timeout=30) as c:
        c.ehlo()
        assert c.has_extn("starttls")
        assert not c.has_extn("auth")
        c.starttls(context=no_verify())
        c.ehlo()
        assert not c.has_extn("starttls")
        assert "PLAIN" in c.esmtp_features["auth"].upper()
        c.login(user, password)
        c.sendmail("sender@example.org", ["rcpt@example.org"], msg)
    assert_delivered(s, [msg])


def test_smtplib_smtputf8(serve):
    s = serve()
    msg = message("smtplib-utf8").replace(b"Subject:", "Subject: Grüße 東京".encode() + b"\r\nX-Orig-Subject:", 1)
    with smtplib.SMTP("127.0.0.1", s.port, timeout=30) as c:
        c.ehlo()
        assert c.has_extn("smtputf8")
        refused = c.sendmail("jürgen@bücher.example", ["用户@例子.example"], msg, mail_options=["SMTPUTF8"])
        assert refused == {}
    assert_delivered(s, [msg])


def test_smtplib_8bitmime(serve):
    s = serve()
    msg = (message("smtplib-8bit") + "8-bit body: café naïve\r\n".encode("latin-1")
           + bytes(range(0x80, 0x100)) + b"\r\n")
    with smtplib.SMTP("127.0.0.1", s.port, timeout=30) as c:
        c.ehlo()
        assert c.has_extn("8bitmime")
        c.sendmail("sender@example.org", ["rcpt@example.org"], msg, mail_options=["BODY=8BITMIME"])
    assert_delivered(s, [msg])


def test_smtplib_dot_stuffing_round_trip(serve):
    s = serve()
    msg = (message("dots") + b".\r\n..\r\n.leading dot\r\n...three\r\n. \r\nend .\r\n.")
    msg += b"\r\n"
    with smtplib.SMTP("127.0.0.1", s.port, timeout=30) as c:
        c.sendmail("sender@example.org", ["rcpt@example.org"], msg)
    # The first line starting with a dot too (RFC 5321 §4.5.2 applies to the first line as well).
    first = b".first line is a dot line\r\n" + msg
    with smtplib.SMTP("127.0.0.1", s.port, timeout=30) as c:
        c.sendmail("sender@example.org", ["rcpt@example.org"], first)
    assert_delivered(s, [msg, first])


def test_dsn_parameters_raw(serve):
    s = serve()
    msg = message("dsn-params")
    with greet(s.port) as c:
        assert "DSN" in c.ehlo()
        c.cmd("MAIL FROM:<sender@example.org> RET=HDRS ENVID=QQ314159+2B", 250)
        c.cmd("RCPT TO:<a@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a+2Bx@example.org", 250)
        c.cmd("RCPT TO:<b@example.org> NOTIFY=NEVER", 250)
        r = c.cmd("RCPT TO:<c@example.org> NOTIFY=NEVER,SUCCESS")
        assert r.code == 501, r  # RFC 3461 §4.1: NEVER must be alone
        c.cmd("MAIL FROM:<x@example.org>", 503)  # nested MAIL
        assert send_data(c, msg).code == 250
        c.cmd("QUIT", 221)
    assert_delivered(s, [msg])


# ---- BDAT (RFC 3030) ----------------------------------------------------------------------------

def bdat(c, msg, sizes, body=None, last_empty=False):
    c.cmd("MAIL FROM:<sender@example.org>" + (f" BODY={body}" if body else ""), 250)
    c.cmd("RCPT TO:<rcpt@example.org>", 250)
    pos, i = 0, 0
    while pos < len(msg):
        n = min(sizes[i % len(sizes)], len(msg) - pos)
        i += 1
        last = pos + n == len(msg) and not last_empty
        c.send(f"BDAT {n}{' LAST' if last else ''}\r\n".encode() + msg[pos:pos + n])
        pos += n
        r = c.reply()
        assert r.code == 250, (n, r)
    if last_empty:
        c.send(b"BDAT 0 LAST\r\n")
        assert c.reply().code == 250


@pytest.mark.parametrize("sizes,last_empty", [([1], False), ([7, 1000, 3], True), ([65536], False),
                                              ([0, 5000], True)],
                         ids=["1", "7-1000-3+0LAST", "64K", "0-5000+0LAST"])
def test_bdat_chunks(serve, sizes, last_empty):
    s = serve()
    msg = message(f"bdat-{sizes}", 12000 if sizes != [1] else 400)
    with greet(s.port) as c:
        assert "CHUNKING" in c.ehlo()
        bdat(c, msg, sizes, last_empty=last_empty)
        c.cmd("QUIT", 221)
    assert_delivered(s, [msg])


def test_bdat_pipelined_in_one_write(serve):
    s = serve()
    msg = message("bdat-pipelined", 5000)
    with greet(s.port) as c:
        c.ehlo()
        a, b = msg[:1234], msg[1234:]
        c.send(b"MAIL FROM:<sender@example.org>\r\nRCPT TO:<rcpt@example.org>\r\n"
               + f"BDAT {len(a)}\r\n".encode() + a + f"BDAT {len(b)} LAST\r\n".encode() + b + b"QUIT\r\n")
        assert [r.code for r in c.replies(5)] == [250, 250, 250, 250, 221]
    assert_delivered(s, [msg])


def test_binarymime(serve):
    s = serve()
    # Binary content: NULs, bare CR and LF, and what would be the end of data in DATA.
    msg = (message("binarymime", extra_headers="Content-Transfer-Encoding: binary\r\n") + bytes(range(256)) * 20
           + b"\r\n.\r\n\n.\n\r\x00" + b"\r\n")
    with greet(s.port) as c:
        assert "BINARYMIME" in c.ehlo()
        bdat(c, msg, [999, 1], body="BINARYMIME", last_empty=True)
        # BINARYMIME with DATA is refused (RFC 3030 §3)
        c.cmd("MAIL FROM:<sender@example.org> BODY=BINARYMIME", 250)
        c.cmd("RCPT TO:<rcpt@example.org>", 250)
        r = c.cmd("DATA")
        assert r.code in (503, 554), r
        c.cmd("RSET", 250)
    assert_delivered(s, [msg])


# ---- LMTP (RFC 2033) ----------------------------------------------------------------------------

def test_lmtp_smtplib(serve):
    s = serve("--lmtp")
    msg = message("lmtp-smtplib", 2000)
    with smtplib.LMTP("127.0.0.1", s.port) as c:
        c.sendmail("sender@example.org", ["one@example.org"], msg)
    assert_delivered(s, [msg])


def test_lmtp_per_recipient_replies(serve):
    s = serve("--lmtp", "--reject-recipient", "bad@example.org")
    msg = message("lmtp-raw", 3000)
    with greet(s.port) as c:
        r = c.cmd("EHLO client.example")
        assert r.code // 100 == 5, r  # LMTP has no EHLO: MUST NOT be 2xx, 500 recommended (RFC 2033 §4.1)
        c.cmd("LHLO client.example", 250)
        c.cmd("MAIL FROM:<sender@example.org>", 250)
        c.cmd("RCPT TO:<a@example.org>", 250)
        c.cmd("RCPT TO:<bad@example.org>", 550)
        c.cmd("RCPT TO:<b@example.org>", 250)
        c.cmd("RCPT TO:<c@example.org>", 250)
        c.cmd("DATA", 354)
        c.send(msg + b".\r\n")
        rs = c.replies(3)  # one per accepted recipient, in RCPT order (RFC 2033 §4.2)
        assert [r.code for r in rs] == [250, 250, 250], rs
        assert c.nothing_within(0.3)
        c.cmd("QUIT", 221)
    assert_delivered(s, [msg])  # one file per message


# ---- PROXY protocol -----------------------------------------------------------------------------

def proxy_v2_tcp4(src, dst, sport, dport):
    sig = b"\r\n\r\n\x00\r\nQUIT\n"
    addr = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!HH", sport, dport)
    return sig + bytes([0x21, 0x11]) + struct.pack("!H", len(addr)) + addr


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_proxy_header(serve, version):
    s = serve("--proxy", version, raw=False)
    hdr = (b"PROXY TCP4 192.0.2.77 198.51.100.1 40001 25\r\n" if version == "v1"
           else proxy_v2_tcp4("192.0.2.77", "198.51.100.1", 40001, 25))
    msg = message(f"proxy-{version}")
    c = Client(s.port)
    c.send(hdr)
    assert c.reply().code == 220
    c.ehlo()
    assert transaction(c, msg).code == 250
    c.cmd("QUIT", 221)
    c.close()
    (got,) = s.wait_messages(1)
    # Default mode: Return-Path and Received prepended, each one CRLF line; Received names the
    # address from the PROXY header, not 127.0.0.1.
    first, second, rest = got.split(b"\r\n", 2)
    assert first == b"Return-Path: <sender@example.org>", first
    assert second.startswith(b"Received: ") and b"192.0.2.77" in second, second
    assert rest == msg
    # Without the header the client gets no greeting, and the connection is closed.
    with Client(s.port) as c:
        c.send(b"EHLO client.example\r\n")
        assert c.expect_closed(10)
        assert b"220" not in c.buf, c.buf


# ---- load: Postfix's smtp-source --------------------------------------------------------------

def test_smtp_source_load(serve):
    need("smtp-source")
    s = serve()
    n, size = 2000, 1024
    p = subprocess.run(["smtp-source", "-s", "10", "-m", str(n), "-l", str(size), "-f", "sender@example.org",
                        "-t", "rcpt@example.org", f"127.0.0.1:{s.port}"], capture_output=True, timeout=150)
    assert p.returncode == 0, p.stderr
    files = s.files("new")
    assert len(files) == n
    sizes = {os.path.getsize(f) for f in files}
    # smtp-source writes a few headers (whose lengths vary a little) and `size` octets of payload.
    assert min(sizes) >= size and max(sizes) - min(sizes) < 64, sorted(sizes)[:5]
    assert s.files("tmp") == []


def test_default_headers_prepended(serve):
    s = serve(raw=False)
    msg = message("headers")
    with greet(s.port) as c:
        c.ehlo()
        assert transaction(c, msg, sender="").code == 250
    (got,) = s.wait_messages(1)
    first, second, rest = got.split(b"\r\n", 2)
    assert first == b"Return-Path: <>"
    assert second.startswith(b"Received: from client.example") or second.startswith(b"Received: "), second
    assert not rest.startswith((b" ", b"\t")), "the Received header must not be folded"
    assert rest == msg
