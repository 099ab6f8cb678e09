"""Bad input over real sockets (issue 6 "Bad input"). For each misbehaving client: it gets the RFC's
reply or 421, a second, normal client is served while the bad one is connected, nothing partial
reaches the Maildir, and the server's memory stays bounded (VmHWM from /proc/PID/status)."""
import random
import smtplib
import socket
import struct
import threading
import time

import pytest

from conftest import sha256
from smtpraw import Client, Closed, greet, message

MEM_LIMIT_KIB = 8 * 1024  # growth of VmHWM over the warmed-up VmRSS; a 10 MB line must not fit


def good_client(server, marker):
    """A normal smtplib transaction; returns the message, which must then be in new/."""
    msg = message(marker, 2000)
    with smtplib.SMTP("127.0.0.1", server.port, timeout=15) as c:
        assert c.sendmail("sender@example.org", ["rcpt@example.org"], msg) == {}
    return msg


def in_new(server, msg):
    return sha256(msg) in {sha256(m) for m in server.messages()}


def warm(server):
    """One transaction first, so that what the server allocates once is in the baseline."""
    assert in_new(server, good_client(server, "warm-up"))
    return server.mem()["VmRSS"]


def assert_bounded(server, base):
    m = server.mem()
    assert m["VmHWM"] - base < MEM_LIMIT_KIB, f"VmHWM {m['VmHWM']} KiB, baseline VmRSS {base} KiB"


def assert_no_partial(server, good):
    """Only the good messages in new/, nothing left in tmp/ (waits for the server to notice EOF)."""
    deadline = time.monotonic() + 5
    while server.files("tmp") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.files("tmp") == [], "a partial message was left in tmp/"
    assert sorted(sha256(m) for m in server.messages()) == sorted(sha256(m) for m in good)


def read_until_closed(c, limit=10.0):
    """All replies until the server closes the connection."""
    out = []
    c.settimeout(limit)
    try:
        while True:
            out.append(c.reply())
    except (Closed, ConnectionResetError):
        pass
    except TimeoutError:
        raise AssertionError(f"still open after {limit} s; replies so far {out!r}")
    return out


class Sender(threading.Thread):
    """Writes `chunks` in the background (a reader on the main thread keeps the server unblocked)."""

    def __init__(self, c, chunks, delay=0.0):
        super().__init__(daemon=True)
        self.c, self.chunks, self.delay, self.error = c, chunks, delay, None

    def run(self):
        try:
            for ch in self.chunks:
                self.c.sock.sendall(ch)
                if self.delay:
                    time.sleep(self.delay)
        except OSError as e:  # the server closed on us: expected for some tests
            self.error = e


def test_slowloris_command(serve):
    s = serve(config={"limits": {"command_timeout": 2}})
    base = warm(s)
    c = greet(s.port)
    line = b"EHLO slow.client.example.with.a.long.name.to.trickle\r\n"
    t = Sender(c, [bytes([b]) for b in line], delay=0.5)  # ~27 s if nobody stops it
    t.start()
    start = time.monotonic()
    time.sleep(1)
    good = [good_client(s, "during-slowloris")]
    rs = read_until_closed(c, 15)
    took = time.monotonic() - start
    assert rs and rs[-1].code == 421, rs
    assert took < 10, f"the trickling client was cut off only after {took:.1f} s (timeout 2 s)"
    assert_no_partial(s, good + [message("warm-up", 2000)])
    assert_bounded(s, base)


def test_slowloris_data(serve):
    s = serve(config={"limits": {"data_timeout": 2, "min_data_rate": 500}})
    base = warm(s)
    c = greet(s.port)
    c.ehlo()
    c.cmd("MAIL FROM:<sender@example.org>", 250)
    c.cmd("RCPT TO:<rcpt@example.org>", 250)
    c.cmd("DATA", 354)
    t = Sender(c, [bytes([b]) for b in message("slow-data", 200)], delay=0.5)
    t.start()
    start = time.monotonic()
    time.sleep(1)
    good = [good_client(s, "during-slow-data")]
    rs = read_until_closed(c, 20)
    assert rs and rs[-1].code == 421, rs
    assert time.monotonic() - start < 15
    assert_no_partial(s, good + [message("warm-up", 2000)])
    assert_bounded(s, base)


def test_data_without_min_rate_is_an_idle_timeout(serve):
    # min_data_rate 0: RFC 5321 §4.5.3.2.5-6's timeout between blocks, not a deadline from the 354.
    s = serve(config={"limits": {"data_timeout": 2, "min_data_rate": 0}})
    c = greet(s.port)
    c.ehlo()
    c.cmd("MAIL FROM:<sender@example.org>", 250)
    c.cmd("RCPT TO:<rcpt@example.org>", 250)
    c.cmd("DATA", 354)
    for i in range(4):  # 4 s in all, never 2 s idle
        c.send(b"Subject: slow but steady\r\n" if i == 0 else b"line %d\r\n" % i)
        time.sleep(1.0)
    c.cmd(".", 250)
    c.cmd("QUIT", 221)


def test_10mb_command_line(serve):
    s = serve()
    base = warm(s)
    c = greet(s.port)
    c.ehlo()
    big = b"NOOP " + b"a" * (10 * 1024 * 1024) + b"\r\nNOOP\r\n"
    t = Sender(c, [big[i:i + 65536] for i in range(0, len(big), 65536)])
    t.start()
    good = [good_client(s, "during-10mb")]
    t.join(60)
    assert not t.is_alive(), "the server stopped reading the long line"
    # Either 500 5.5.2 (line too long; the rest skipped unread) and then the NOOP's 250, or 421 + close.
    if not t.error:
        c.send(b"QUIT\r\n")
    rs = read_until_closed(c, 20)
    if rs and rs[0].code == 500:
        assert rs[0].status == "5.5.2", rs[0]
        assert [r.code for r in rs] == [500, 250, 221], rs
    else:
        assert [r.code for r in rs] == [421], rs
    assert_no_partial(s, good + [message("warm-up", 2000)])
    assert_bounded(s, base)


def test_100000_rcpts(serve):
    s = serve()
    base = warm(s)
    c = greet(s.port)
    c.ehlo()
    c.cmd("MAIL FROM:<sender@example.org>", 250)
    n = 100_000
    lines = b"".join(f"RCPT TO:<r{i}@example.org>\r\n".encode() for i in range(n))
    t = Sender(c, [lines[i:i + 65536] for i in range(0, len(lines), 65536)])
    t.start()
    rs = []
    c.settimeout(20)
    good = None
    try:
        while len(rs) < n:
            rs.append(c.reply())
            if len(rs) == 1500:
                good = [good_client(s, "during-rcpts")]
    except (Closed, ConnectionResetError):
        pass
    codes = [r.code for r in rs]
    assert codes[:1000] == [250] * 1000, codes[:1000].count(250)
    assert rs[1000].code == 452 and rs[1000].status == "4.5.3", rs[1000]
    assert set(codes[1000:-1]) <= {452}, set(codes[1000:])
    assert codes[-1] in (452, 421)
    if codes[-1] == 452:  # still talking: the transaction has its 1000 recipients
        assert len(rs) == n
        c.cmd("RSET", 250)
        c.cmd("QUIT", 221)
    if good is None:
        good = [good_client(s, "after-rcpts")]
    assert_no_partial(s, good + [message("warm-up", 2000)])
    assert_bounded(s, base)


def test_pipelined_noop_flood(serve):
    s = serve()
    base = warm(s)
    c = greet(s.port)
    c.ehlo()
    n = 10_000
    t = Sender(c, [b"NOOP\r\n" * n])
    t.start()
    good = [good_client(s, "during-noops")]
    rs = c.replies(n)
    assert [r.code for r in rs] == [250] * n
    c.cmd("QUIT", 221)
    assert_no_partial(s, good + [message("warm-up", 2000)])
    assert_bounded(s, base)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_binary_garbage(serve, seed):
    s = serve()
    base = warm(s)
    rnd = random.Random(seed)
    c = greet(s.port)
    t = Sender(c, [rnd.randbytes(4096) for _ in range(2)])
    t.start()
    good = [good_client(s, f"during-garbage-{seed}")]
    rs = read_until_closed(c, 15)
    assert rs, "no reply at all to garbage"
    assert all(r.code // 100 in (4, 5) for r in rs), rs
    assert rs[-1].code == 421, rs[-3:]
    assert_no_partial(s, good + [message("warm-up", 2000)])
    assert_bounded(s, base)


def rst_close(c):
    c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()


@pytest.mark.parametrize("how", ["fin-mid-data", "rst-mid-data", "fin-after-354", "fin-mid-bdat",
                                 "fin-after-last-line-before-dot"])
def test_client_vanishes_mid_message(serve, how):
    s = serve()
    base = warm(s)
    msg = message(f"vanish-{how}", 60000)
    c = greet(s.port)
    c.ehlo()
    c.cmd("MAIL FROM:<sender@example.org>", 250)
    c.cmd("RCPT TO:<rcpt@example.org>", 250)
    if how == "fin-mid-bdat":
        c.send(f"BDAT {len(msg) + 100} LAST\r\n".encode() + msg)
    else:
        c.cmd("DATA", 354)
        if how == "fin-after-last-line-before-dot":
            c.send(msg + b".")
        elif how != "fin-after-354":
            c.send(msg[:40000])
    time.sleep(0.3)
    good = [good_client(s, f"during-{how}")]
    if how.startswith("rst"):
        rst_close(c)
    else:
        c.close()
    assert_no_partial(s, good + [message("warm-up", 2000)])
    assert s.alive()
    assert_bounded(s, base)


@pytest.mark.parametrize("injected", ["RSET", "MAIL FROM:<injected@evil.example>"])
def test_starttls_injection(serve, tls_cert, injected):
    s = serve("--tls-cert", tls_cert[0], "--tls-key", tls_cert[1])
    c = greet(s.port)
    assert "STARTTLS" in c.ehlo()
    c.send(f"STARTTLS\r\n{injected}\r\n".encode())  # one packet (TCP_NODELAY, one write)
    r = c.reply()
    assert r.code == 220, r
    assert c.nothing_within(0.3), f"plaintext after the 220: {c.buf!r}"
    c.starttls()
    # Nothing pipelined after STARTTLS is executed or answered (RFC 3207 §4.2, CVE-2011-0411): the
    # first reply inside TLS is the EHLO's, and there is no transaction.
    keywords = c.ehlo()
    assert "STARTTLS" not in keywords
    c.cmd("RCPT TO:<rcpt@example.org>", 503)
    msg = message(f"after-injection-{injected[:4]}")
    c.cmd("MAIL FROM:<sender@example.org>", 250)
    c.cmd("RCPT TO:<rcpt@example.org>", 250)
    c.cmd("DATA", 354)
    c.send(msg + b".\r\n")
    assert c.reply().code == 250
    c.cmd("QUIT", 221)
    assert_no_partial(s, [msg])


@pytest.mark.parametrize("request_line", ["GET / HTTP/1.1", "POST /submit HTTP/1.0",
                                          "CONNECT example.org:443 HTTP/1.1"])
def test_http_request(serve, request_line):
    s = serve()
    c = greet(s.port)
    c.send(f"{request_line}\r\nHost: 127.0.0.1\r\nUser-Agent: test\r\n\r\n".encode())
    rs = read_until_closed(c, 10)
    assert [r.code for r in rs] == [421], rs
    assert_no_partial(s, [good_client(s, "after-http")])


def test_max_connections(serve):
    s = serve("--max-connections", "2")
    a, b = greet(s.port), greet(s.port)
    with Client(s.port) as c:
        r = c.reply()
        assert r.code == 421 and r.status == "4.3.2", r
        assert c.expect_closed(5)
    a.close()
    deadline = time.monotonic() + 5
    while True:  # the server notices the close asynchronously
        with Client(s.port) as c:
            if c.reply().code == 220:
                break
        assert time.monotonic() < deadline, "a freed connection slot was not reused"
        time.sleep(0.1)
    b.cmd("QUIT", 221)


def test_sigterm_mid_data(serve):
    """SIGTERM: nothing partial is kept, the client gets 421 (or the close), the exit status is 0."""
    s = serve()
    c = greet(s.port)
    c.ehlo()
    c.cmd("MAIL FROM:<sender@example.org>", 250)
    c.cmd("RCPT TO:<rcpt@example.org>", 250)
    c.cmd("DATA", 354)
    c.send(message("sigterm", 30000)[:20000])
    time.sleep(0.3)
    s.stop()  # asserts exit status 0 within 10 s
    rs = read_until_closed(c, 5)
    assert [r.code for r in rs] in ([], [421]), rs
    assert s.files("new") == [] and s.files("tmp") == []
