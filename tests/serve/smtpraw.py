"""A small raw SMTP client for what swaks and smtplib cannot do (parameters, BDAT, PROXY headers,
pipelined floods, malformed bytes). Every reply line it reads is checked against RFC 5321
§4.5.3.1.5: at most 512 octets including CRLF."""
import socket
import ssl
import time

REPLY_LINE_MAX = 512


class Closed(Exception):
    pass


class Reply:
    def __init__(self, lines):
        self.lines = lines  # bytes, without CRLF
        self.code = int(lines[-1][:3])

    @property
    def text(self):
        return b"\n".join(l[4:] for l in self.lines).decode("utf-8", "replace")

    @property
    def status(self):
        """The enhanced status code of the first line, or ''."""
        parts = self.lines[0][4:].split(b" ", 1)
        s = parts[0].decode("ascii", "replace")
        return s if s.count(".") == 2 and s[:1] in "245" else ""

    def __repr__(self):
        return f"Reply({self.code}, {self.lines!r})"


class Client:
    def __init__(self, port, host="127.0.0.1", timeout=10.0, nodelay=True):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        if nodelay:
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.timeout = timeout
        self.raw_in = b""  # everything received, for tests that compare byte streams

    def settimeout(self, t):
        self.timeout = t
        self.sock.settimeout(t)

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise Closed(f"connection closed; unread {self.buf[:200]!r}")
        self.raw_in += chunk
        self.buf += chunk

    def line(self):
        while b"\r\n" not in self.buf:
            if len(self.buf) > REPLY_LINE_MAX:
                raise AssertionError(f"reply line longer than {REPLY_LINE_MAX} octets: {self.buf[:100]!r}…")
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        assert len(line) + 2 <= REPLY_LINE_MAX, f"reply line of {len(line) + 2} octets: {line[:100]!r}…"
        return line

    def reply(self):
        lines = []
        while True:
            l = self.line()
            ok = len(l) >= 3 and l[:3].isdigit() and (len(l) == 3 or l[3:4] in b" -")
            assert ok, f"bad reply line {l!r}"
            if lines:
                assert l[:3] == lines[0][:3], f"multi-line reply changes code: {lines + [l]!r}"
            lines.append(l)
            if len(l) == 3 or l[3:4] == b" ":
                return Reply(lines)

    def cmd(self, line, expect=None):
        self.send(line + ("\r\n" if isinstance(line, str) else b"\r\n"))
        r = self.reply()
        if expect is not None:
            assert r.code == expect, f"{line!r} -> {r!r}, expected {expect}"
        return r

    def replies(self, n):
        return [self.reply() for _ in range(n)]

    def expect_closed(self, timeout=10.0):
        """True when the server closes the connection (EOF or reset) within timeout with nothing unread."""
        self.sock.settimeout(timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = self.sock.recv(65536)
            except (ConnectionResetError, BrokenPipeError):
                return True
            except socket.timeout:
                return False
            if not chunk:
                return True
            self.buf += chunk
        return False

    def nothing_within(self, seconds):
        """True when no octet arrives for `seconds` (and the connection stays open)."""
        if self.buf:
            return False
        self.sock.settimeout(seconds)
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            return True
        finally:
            self.sock.settimeout(self.timeout)
        self.buf += chunk
        return False

    def starttls(self):
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        assert not self.buf, f"plaintext after the 220 to STARTTLS: {self.buf!r}"
        self.sock = ctx.wrap_socket(self.sock, server_hostname="localhost")
        return self.sock.cipher()

    def ehlo(self, name="client.example"):
        r = self.cmd(f"EHLO {name}", 250)
        return [l[4:].decode().upper() for l in r.lines[1:]]

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.close()


def greet(port, **kw):
    c = Client(port, **kw)
    r = c.reply()
    assert r.code == 220, r
    return c


def message(marker, size=0, extra_headers=""):
    """A CRLF message with a unique marker; `size` pads the body with 76-character lines."""
    head = (f"From: sender@example.org\r\nTo: rcpt@example.org\r\nSubject: {marker}\r\n"
            f"Message-ID: <{marker}@test.example>\r\n{extra_headers}\r\n").encode()
    parts = [head, f"marker {marker}\r\n".encode()]
    line = b"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_=+/abcdefgh\r\n"
    total, n = sum(map(len, parts)), 0
    while total < size:
        parts.append(f"{n:08d} ".encode() + line[9:])
        total += len(parts[-1])
        n += 1
    return b"".join(parts)


def dot_stuff(msg):
    out = b"\r\n".join((b"." + l if l.startswith(b".") else l) for l in msg.split(b"\r\n"))
    return out


def send_data(c, msg):
    """DATA with a CRLF message; returns the final reply."""
    c.cmd("DATA", 354)
    c.send(dot_stuff(msg) + b".\r\n")
    return c.reply()


def transaction(c, msg, sender="sender@example.org", rcpts=("rcpt@example.org",)):
    c.cmd(f"MAIL FROM:<{sender}>", 250)
    for r in rcpts:
        c.cmd(f"RCPT TO:<{r}>", 250)
    return send_data(c, msg)
