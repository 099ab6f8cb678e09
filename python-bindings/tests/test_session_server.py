"""smtpspec.server.serve (the asyncio adapter) end to end on 127.0.0.1 with real clients: smtplib
(incl. starttls() and login()), a raw socket for BDAT and pipelining, a hook that raises, and the
example server of examples/server/python. The server runs in its own thread's event loop, the
clients in the test's thread; each server is closed at the end of its test."""

import asyncio
import contextlib
import os
import pathlib
import smtplib
import socket
import ssl
import subprocess
import sys
import threading
import time

import pytest
from smtpspec import server
from conftest import ROOT


@contextlib.contextmanager
def running(handler, **config):
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    holder = {}

    async def start():
        holder["server"] = await server.serve(handler, "127.0.0.1", 0, **config)
        ready.set()

    def run():
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        loop.run_forever()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    assert ready.wait(10)
    srv = holder["server"]
    try:
        yield srv.sockets[0].getsockname()[1]
    finally:
        async def stop():
            srv.close()
            await srv.wait_closed()
            # Connections still being served (asyncio.Server.close() leaves them): end them here,
            # inside the loop, rather than leave them to a closed loop.
            rest = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in rest:
                task.cancel()
            await asyncio.gather(*rest, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        t.join(10)
        loop.close()


class Example:
    """Accepts mail for example.com; records what the queue hook got."""

    def __init__(self):
        self.messages = []

    async def hook_rcpt(self, event, conn):
        return "OK" if event.argument.lower().endswith("@example.com") else "550 5.1.1 not here"

    async def hook_queue(self, event, conn, message):
        t = conn.transaction
        self.messages.append((t["mail_from"], [r["address"] for r in t["recipients"]], message, conn.remote_address))
        return "OK"


def test_serve_refuses_bad_config():
    with pytest.raises(ValueError, match="hostnam"):
        asyncio.run(server.serve(Example(), hostnam="x"))
    with pytest.raises(ValueError, match="tls"):
        asyncio.run(server.serve(Example(), starttls=True))


def test_smtplib_message_arrives_octet_for_octet():
    h = Example()
    body = b"Subject: t\r\n\r\n.leading dot\r\n\xe9\xff\r\n"
    with running(h, hostname="mx.test") as port:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as c:
            code, text = c.ehlo("client")
            assert code == 250 and c.has_extn("pipelining") and c.has_extn("size")
            refused = c.sendmail("a@sender.org", ["b@example.com", "x@other.org"], body)
            assert refused == {"x@other.org": (550, b"5.1.1 not here")}
    assert len(h.messages) == 1
    sender, rcpts, message, peer = h.messages[0]
    assert (sender, rcpts, peer) == ("a@sender.org", ["b@example.com"], "127.0.0.1")
    assert message == body  # smtplib dot-stuffs, the session un-stuffs


def test_aiosmtpd_style_names_and_sync_hooks():
    got = []

    class Handler:
        def handle_RCPT(self, event, conn):  # aiosmtpd's name, smtpspec's arguments; sync is fine
            return "250 OK"

        def handle_QUEUE(self, event, conn, message):
            got.append(message)
            return "OK"

    with running(Handler()) as port:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as c:
            c.sendmail("a@b", ["c@d"], b"hi\r\n")
    assert got == [b"hi\r\n"]


def test_hook_that_raises_answers_451(caplog):
    class Handler:
        async def hook_mail(self, event, conn):
            raise RuntimeError("database down")

    with running(Handler()) as port:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as c:
            c.ehlo()
            code, text = c.mail("a@b")
            assert code == 451 and text.startswith(b"4.3.0 ")
    assert any("hook mail failed" in r.getMessage() for r in caplog.records)


def test_refused_without_rcpt_hook():
    with running(object()) as port:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as c:
            c.ehlo()
            c.mail("a@b")
            assert c.rcpt("c@d")[0] == 450


@pytest.fixture(scope="module")
def cert(tmp_path_factory):
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem"), "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(d / "cert.pem", d / "key.pem")
    return ctx


def client_tls():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def test_starttls_and_login(cert):
    seen = {}

    class Handler(Example):
        async def hook_auth(self, event, conn):
            seen["auth"] = (event.argument, event.username, event.password)
            return "OK" if (event.username, event.password) == ("alice", "s3cret") else "DENY"

        async def hook_rcpt(self, event, conn):
            seen["tls"] = conn.info["tls"]
            seen["user"] = conn.info["authenticated_user"]
            return "OK"

    h = Handler()
    with running(h, tls=cert) as port:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as c:
            c.ehlo()
            assert c.has_extn("starttls") and not c.has_extn("auth")
            c.starttls(context=client_tls())
            c.ehlo()
            assert not c.has_extn("starttls") and "PLAIN" in c.esmtp_features["auth"]
            with pytest.raises(smtplib.SMTPAuthenticationError):
                c.login("alice", "wrong")
            c.login("alice", "s3cret")
            c.sendmail("a@b", ["c@example.com"], b"secret\r\n")
    assert seen["auth"][1:] == ("alice", "s3cret") and seen["auth"][0] in ("PLAIN", "LOGIN")
    assert seen["tls"] is True and seen["user"] == "alice"
    assert h.messages[0][2] == b"secret\r\n"


def read_reply(f):
    lines = []
    while True:
        line = f.readline()
        if not line:
            return None, lines
        lines.append(line)
        if line[3:4] != b"-":
            return int(line[:3]), lines


def test_bdat_and_pipelining_over_a_raw_socket():
    h = Example()
    with running(h) as port:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            f = sock.makefile("rb")
            assert read_reply(f)[0] == 220
            sock.sendall(b"EHLO x\r\n")
            code, lines = read_reply(f)
            assert code == 250 and any(b"CHUNKING" in l for l in lines)
            sock.sendall(b"MAIL FROM:<a@b> BODY=BINARYMIME\r\nRCPT TO:<no@other.org>\r\nRCPT TO:<c@example.com>\r\n")
            assert [read_reply(f)[0] for _ in range(3)] == [250, 550, 250]
            sock.sendall(b"BDAT 5\r\n\x00\r\n.\r")
            assert read_reply(f)[0] == 250
            sock.sendall(b"BDAT 3 LAST\r\nend")
            assert read_reply(f)[0] == 250
            sock.sendall(b"QUIT\r\n")
            assert read_reply(f)[0] == 221
    assert h.messages[0][2] == b"\x00\r\n.\rend"


def test_flood_behind_a_slow_hook_stays_within_the_input_buffer():
    class Handler:
        calls = 0

        async def hook_rcpt(self, event, conn):
            self.calls += 1
            await asyncio.sleep(0.1 if self.calls == 1 else 0)
            return "OK"

    # input_buffer 2048: the flood (~6 KB) arrives while the first rcpt hook is pending; fed to the
    # session then, it would be answered 421 (too much pipelined input).
    with running(Handler(), limits={"input_buffer": 2048}) as port:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            f = sock.makefile("rb")
            read_reply(f)
            sock.sendall(b"EHLO x\r\n")
            read_reply(f)
            sock.sendall(b"MAIL FROM:<a@b>\r\nRCPT TO:<first@example.com>\r\n")
            time.sleep(0.03)
            sock.sendall(b"".join(b"RCPT TO:<user%d@example.com>\r\n" % i for i in range(199)))
            assert [read_reply(f)[0] for _ in range(201)] == [250] * 201


def test_client_vanishing_mid_data_queues_nothing():
    h = Example()
    with running(h) as port:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            f = sock.makefile("rb")
            read_reply(f)
            sock.sendall(b"HELO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@example.com>\r\nDATA\r\n")
            assert [read_reply(f)[0] for _ in range(4)] == [250, 250, 250, 354]
            sock.sendall(b"half a message\r\n")
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as c:
            assert c.noop()[0] == 250
    assert h.messages == []


def test_timeout_closes_with_421():
    with running(Example(), limits={"command_timeout": 1}) as port:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            f = sock.makefile("rb")
            assert read_reply(f)[0] == 220
            assert read_reply(f)[0] == 421
            assert f.read() == b""


@contextlib.contextmanager
def trickling(sock, data, every):
    """Sends data one octet every `every` seconds from a thread, until done, stopped or refused."""
    stop = threading.Event()

    def send():
        for i in range(len(data)):
            if stop.wait(every):
                return
            try:
                sock.sendall(data[i:i + 1])
            except OSError:  # the server closed the connection
                return

    t = threading.Thread(target=send, daemon=True)
    t.start()
    try:
        yield
    finally:
        stop.set()
        t.join(10)


def test_slowloris_command_gets_421_within_the_command_timeout():
    # One octet every 0.5 s: each read is well within the 2 s timeout, but the command as a whole is
    # not (an idle timeout would let the 26 octets take 13 s and answer 250).
    with running(Example(), limits={"command_timeout": 2}) as port:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            f = sock.makefile("rb")
            assert read_reply(f)[0] == 220
            start = time.monotonic()
            with trickling(sock, b"EHLO slow.client.example\r\n", 0.5):
                code, lines = read_reply(f)
                assert code == 421, lines
                assert f.read() == b""
                assert time.monotonic() - start < 6


def test_data_slower_than_min_data_rate_gets_421():
    # 1 octet / 0.3 s is far below 500 octets/s: the data deadline (2 s after the 354, plus 2 ms of
    # credit per octet) passes though no pause reaches the 2 s data_timeout.
    with running(Example(), limits={"data_timeout": 2, "min_data_rate": 500}) as port:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            f = sock.makefile("rb")
            read_reply(f)
            sock.sendall(b"HELO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@example.com>\r\nDATA\r\n")
            assert [read_reply(f)[0] for _ in range(4)] == [250, 250, 250, 354]
            start = time.monotonic()
            with trickling(sock, b"Subject: slow\r\n\r\n" + b"x" * 40 + b"\r\n.\r\n", 0.3):
                code, lines = read_reply(f)
                assert code == 421, lines
                assert f.read() == b""
                assert time.monotonic() - start < 8


def test_pauses_within_the_deadlines_deliver():
    # Each command and the message arrive in pieces with pauses below the 2 s timeouts; the message
    # takes 3 s in all, longer than data_timeout, but each 1,000 octets earn 2 s at 500 octets/s.
    h = Example()
    body = b"Subject: paced\r\n\r\n" + b"".join(b"%0998d\r\n" % i for i in range(4))
    with running(h, limits={"command_timeout": 2, "data_timeout": 2, "min_data_rate": 500}) as port:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            f = sock.makefile("rb")
            assert read_reply(f)[0] == 220
            for command in (b"EHLO x\r\n", b"MAIL FROM:<a@b>\r\n", b"RCPT TO:<c@example.com>\r\n",
                            b"DATA\r\n"):
                sock.sendall(command[:4])
                time.sleep(0.5)
                sock.sendall(command[4:])
                read_reply(f)
                time.sleep(0.5)
            data = body + b".\r\n"
            for i in range(0, len(data), 1000):
                if i:
                    time.sleep(0.75)
                sock.sendall(data[i:i + 1000])
            assert read_reply(f)[0] == 250
            sock.sendall(b"QUIT\r\n")
            assert read_reply(f)[0] == 221
    assert [m[2] for m in h.messages] == [body]


def test_example_server_prints_each_message():
    env = dict(os.environ, PORT="0", DOMAIN="example.com", PYTHONUNBUFFERED="1")
    p = subprocess.Popen([sys.executable, str(ROOT / "examples/server/python/server.py")], env=env,
                         stdout=subprocess.PIPE, text=True)
    try:
        line = p.stdout.readline()
        assert line.startswith("listening on 127.0.0.1:"), line
        port = int(line.rsplit(":", 1)[1])
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as c:
            refused = c.sendmail("a@b.org", ["x@example.com", "y@other.org"], b"Subject: e\r\n\r\nhello from the test\r\n")
            assert list(refused) == ["y@other.org"]
        out = ""
        while "hello from the test" not in out:
            out += p.stdout.readline()
        assert "a@b.org" in out
    finally:
        p.terminate()
        p.wait(10)
