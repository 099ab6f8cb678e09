"""smtpspec.server, low level: ServerSession, DataReader, parse_proxy_header and the tables (issue 6).
The session is the C++ one; these tests check that the Python surface carries it faithfully: config
by name, events whose to_json() is the C++ text, octets as bytes, answers now or later, notes, and
bad arguments refused with TypeError/ValueError."""

import base64
import doctest
import json
import random
import re

import pytest
from smtpspec import server
from smtpspec.server import DataReader, ServerSession, parse_proxy_header


def drive(s, answers=None, start=True):
    """Runs a session as a host would: hook events answered at once from `answers` (a verdict, a
    dict or a function of the event); returns (events, output)."""
    answers = answers or {}
    events, out = [], []

    def take(evs):
        for ev in evs:
            events.append(ev)
            if ev.kind == "hook" and ev.needs_answer:
                a = answers.get(ev.hook)
                take(s.answer(ev.handle, a(ev) if callable(a) else a))
        out.append(s.take_output())

    if start:
        take(s.start())

    class Run:
        def feed(self, data):
            take(s.feed(data))
            return self

        def eof(self):
            take(s.eof())
            return self

        @property
        def output(self):
            return b"".join(out)

        @property
        def events(self):
            return events

        def hooks(self):
            return [e.hook for e in events if e.kind == "hook"]

    return Run()


def codes(output):
    return [int(l[:3]) for l in output.split(b"\r\n") if re.match(rb"^\d{3} ", l)]


def test_tables_from_cxx():
    assert server.HOOKS[:6] == ("connect", "helo", "ehlo", "capabilities", "mail", "rcpt")
    assert "unrecognized_command" in server.HOOKS and "xforward" in server.HOOKS
    assert server.VERDICTS == ("CONT", "OK", "DENY", "DENYSOFT", "DENYDISCONNECT", "DISCONNECT")
    assert "rcpt" in server.NEEDS_ANSWER and "rcpt_ok" not in server.NEEDS_ANSWER
    assert server.DEFAULT_CONFIG["limits"]["message_size"] == 10485760
    assert server.DEFAULT_CONFIG["hooks"] == ["rcpt", "queue"]
    cat = server.session_diagnostic_catalogue()
    assert len(cat["diagnostics"]) >= 20
    assert any(d["id"] == "smuggled_end_of_data" and "RFC 5321" in d["rfc"] for d in cat["diagnostics"])
    assert [h["name"] for h in cat["hooks"]] == list(server.HOOKS)
    assert [h["name"] for h in cat["hooks"] if h["needs_answer"]] == list(server.NEEDS_ANSWER)


def test_config_by_name_and_refusals():
    s = ServerSession({"hostname": "mx.example"}, bare_lf="normalize", limits={"message_size": 1000}, hooks=["rcpt"])
    assert s.config["bare_lf"] == "normalize"
    assert s.config["limits"]["message_size"] == 1000 and s.config["limits"]["recipients"] == 1000
    with pytest.raises(ValueError, match="hostnme"):
        ServerSession(hostnme="x")
    with pytest.raises(ValueError, match="recipientz"):
        ServerSession(limits={"recipientz": 1})
    with pytest.raises(ValueError, match="reject, normalize, accept"):
        ServerSession(bare_lf="sometimes")
    with pytest.raises(TypeError, match="lmtp"):
        ServerSession(lmtp=1)
    with pytest.raises(TypeError, match="recipients"):
        ServerSession(limits={"recipients": True})
    with pytest.raises(ValueError, match="recipients"):
        ServerSession(limits={"recipients": -1})
    with pytest.raises(ValueError, match="nope"):
        ServerSession(hooks=["rcpt", "nope"])
    with pytest.raises(ValueError, match="remote_port"):
        ServerSession(peer={"remote_port": 70000})
    with pytest.raises(ValueError, match="colour"):
        ServerSession(peer={"colour": "x"})


def test_whole_transaction():
    s = ServerSession(hostname="mx.example", hooks=["rcpt", "data_post", "queue"])
    d = drive(s, {"rcpt": "OK", "queue": "OK"})
    assert d.output.startswith(b"220 mx.example ")
    d.feed(b"EHLO client.example\r\n")
    assert b"250-mx.example" in d.output and b"PIPELINING" in d.output
    d.feed(b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n")
    assert s.transaction["mail_from"] == "a@example.org"
    assert [r["address"] for r in s.transaction["recipients"]] == ["b@example.com"]
    d.feed(b"Subject: hi\r\n\r\n..dot\r\n\xff\r\n.\r\n")
    data = [e for e in d.events if e.kind == "message_data"]
    assert data and all(isinstance(e.data, bytes) for e in data)
    assert b"".join(e.data for e in data) == b"Subject: hi\r\n\r\n.dot\r\n\xff\r\n"
    d.feed(b"QUIT\r\n")
    assert codes(d.output) == [220, 250, 250, 250, 354, 250, 221]
    assert [h for h in d.hooks() if h in ("rcpt", "data_post", "queue")] == ["rcpt", "data_post", "queue"]
    assert s.closed and s.state == "closed"


def test_event_json_is_the_cxx_text():
    s = ServerSession(hooks=[h for h in server.HOOKS if h not in ("xclient", "xforward")])
    d = drive(s, {"rcpt": "OK", "queue": "OK"})
    for chunk in (b"EHLO x\r\n", b"MAIL FROM:<>\r\nRCPT TO:<p@q>\r\n", b"DATA\r\n", b"a\x01\x7f\xc3\xa9\xff\r\n.\r\n",
                  b"NOOP\r\nRSET\r\nQUIT\r\n"):
        d.feed(chunk)
    assert len(d.events) > 10
    for ev in d.events:
        assert json.loads(ev.to_json()) == ev.to_dict()
        for key, value in ev.to_dict().items():
            if key == "data":  # message_data, data_post: the octets
                assert isinstance(ev.data, bytes) and json.dumps(ev.data.decode("utf-8", "replace")) == json.dumps(value)
            else:
                assert getattr(ev, key) == value
        assert ev.kind in server.EVENT_KINDS


def test_every_subscribed_hook_in_haraka_order():
    s = ServerSession(hooks=list(server.HOOKS))
    d = drive(s, {"rcpt": "OK", "queue": "OK"})
    d.feed(b"HELO a\r\nEHLO b\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n")
    d.feed(b"x\r\n.\r\nVRFY x\r\nNOOP\r\nHELP\r\nFOO\r\nRSET\r\nQUIT\r\n")
    seen = d.hooks()
    for h in ("connect", "helo", "ehlo", "capabilities", "mail", "rcpt", "rcpt_ok", "data", "data_post", "queue", "vrfy",
              "noop", "help", "unrecognized_command", "rset", "quit", "disconnect"):
        assert h in seen, (h, seen)
    order = [seen.index(h) for h in ("connect", "ehlo", "capabilities", "mail", "rcpt", "rcpt_ok", "data", "data_post",
                                     "queue")]
    assert order == sorted(order)


def test_refused_without_rcpt_ok_and_custom_deny():
    d = drive(ServerSession()).feed(b"EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n")
    assert codes(d.output)[-1] == 450
    deny = {"verdict": "deny", "code": 550, "status": "5.7.1", "message": "go away"}
    d = drive(ServerSession(), {"rcpt": deny}).feed(b"EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n")
    assert d.output.endswith(b"\r\n550 5.7.1 go away\r\n")


def test_answer_later_holds_pipelined_input():
    s = ServerSession()
    s.start()
    out = s.take_output()
    evs = s.feed(b"EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nRCPT TO:<e@f>\r\nNOOP\r\n")
    out += s.take_output()
    pending = [e for e in evs if e.kind == "hook" and e.needs_answer]
    assert [e.hook for e in pending] == ["rcpt"]
    assert codes(out) == [220, 250, 250]
    second = [e for e in s.answer(pending[0].handle, "OK") if e.kind == "hook" and e.needs_answer]
    assert len(second) == 1
    s.answer(second[0].handle, {"verdict": "DENYSOFT", "message": ["later"]})
    assert [e for e in s.answer(pending[0].handle, "OK") if e.kind == "hook"] == []  # already answered
    out += s.take_output()
    assert codes(out) == [220, 250, 250, 250, 450, 250]
    assert re.search(rb"450 .*later", out)


def test_bad_answers_and_input():
    s = ServerSession()
    s.start()
    (ev,) = [e for e in s.feed(b"EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n") if e.get("needs_answer")]
    with pytest.raises(ValueError, match="verdict"):
        s.answer(ev.handle, "MAYBE")
    with pytest.raises(ValueError, match="colour"):
        s.answer(ev.handle, {"verdict": "OK", "colour": 1})
    with pytest.raises(ValueError, match="status"):
        s.answer(ev.handle, {"verdict": "DENY", "status": "9.9"})
    with pytest.raises(ValueError, match="code"):
        s.answer(ev.handle, {"verdict": "DENY", "code": 99})
    with pytest.raises(TypeError):
        s.answer(ev.handle, 42)
    with pytest.raises(TypeError):
        s.feed(42)
    s.answer(ev.handle, "OK")
    assert codes(s.take_output())[-1] == 250


def test_notes_and_peer():
    s = ServerSession(peer={"remote_address": "192.0.2.1", "remote_port": 1234})
    assert s.connection["remote_address"] == "192.0.2.1" and s.connection["remote_port"] == 1234
    s.start()
    assert s.set_connection_note("spam", "no")
    assert not s.set_transaction_note("x", "y")
    s.feed(b"EHLO x\r\nMAIL FROM:<a@b> SIZE=100\r\n")
    assert s.set_transaction_note("queue-id", "Q1")
    assert s.connection["notes"] == {"spam": "no"}
    assert s.transaction["notes"] == {"queue-id": "Q1"}
    assert s.transaction["declared_size"] == 100
    assert s.connection["helo"] == "x" and s.connection["esmtp"] is True
    s.set_connection_note("spam", None)
    assert s.connection["notes"] == {}


def test_timeout_and_eof():
    s = ServerSession()
    s.start()
    assert s.state == "command" and s.timeout_seconds == 300
    evs = s.timeout()
    assert b"421 " in s.take_output() and s.closed
    assert any(e.kind == "close" for e in evs)
    t = ServerSession()
    t.start()
    t.feed(b"EHLO x\r\nMAIL FROM:<a@b>\r\n")
    t.eof()
    assert t.closed


def test_long_line_and_garbage_are_bounded():
    s = ServerSession()
    s.start()
    s.take_output()
    s.feed(b"A" * (10 * 1024 * 1024))
    s.feed(b"\r\nNOOP\r\n")
    out = s.take_output()
    assert len(out) < 4096 and out.startswith(b"500 ")
    assert all(len(l) <= 510 for l in out.split(b"\r\n"))
    g = ServerSession()
    g.start()
    junk = random.Random(7).randbytes(65536)
    for i in range(0, len(junk), 1000):
        if g.closed:
            break
        g.feed(junk[i:i + 1000])
    assert all(len(l) <= 510 for l in g.take_output().split(b"\r\n"))


def test_data_reader():
    r = DataReader()
    step = r.feed(b"a\r\n..b\r\n.\r\nQUIT\r\n")
    assert step.done and step.message == b"a\r\n.b\r\n" and step.consumed == len(b"a\r\n..b\r\n.\r\n")
    assert json.loads(step.to_json()) == step.to_dict()
    data = b"x\r\n\n.\n\r\nmore\r\n.\r\n"
    whole = DataReader(bare_lf="reject").feed(data)
    assert whole.reject is not None and whole.done
    for cut in range(len(data) + 1):
        p = DataReader(bare_lf="reject")
        a = p.feed(data[:cut])
        b = None if a.done else p.feed(data[a.consumed:])
        last = b or a
        assert last.done and last.reject == whole.reject, cut
        assert a.consumed + (b.consumed if b else 0) == whole.consumed, cut
    with pytest.raises(ValueError):
        DataReader(bare_lf="maybe")


def test_parse_proxy_header():
    h = parse_proxy_header(b"PROXY TCP4 192.0.2.1 198.51.100.2 1234 25\r\nEHLO x\r\n")
    assert h.status == "done" and h.consumed == len(b"PROXY TCP4 192.0.2.1 198.51.100.2 1234 25\r\n") and h.header["source_address"] == "192.0.2.1"
    assert parse_proxy_header(b"PROXY TCP4 192.0.2.1").status == "incomplete"
    assert parse_proxy_header(b"EHLO x\r\n").status == "invalid"
    assert parse_proxy_header(b"PROXY TCP4 192.0.2.1 198.51.100.2 1234 25\r\n", "v2").status == "invalid"
    with pytest.raises(ValueError):
        parse_proxy_header(b"x", "v3")


def test_module_doctest():
    failures, tried = doctest.testmod(server)
    assert tried > 0 and failures == 0


def test_starttls_auth_deny_xclient_xforward_hooks():
    s = ServerSession(starttls=True, auth=True, xclient=True, xforward=True, hooks=list(server.HOOKS))
    d = drive(s, {"rcpt": {"verdict": "DENY", "message": "no"},
                  "auth": lambda ev: "OK" if (ev.username, ev.password) == ("alice", "pw") else "DENY",
                  "xclient": "OK"})
    d.feed(b"EHLO x\r\nSTARTTLS\r\nMAIL FROM:<injected@x>\r\n")
    assert b"\r\n220 " in d.output and any(e.kind == "start_tls" for e in d.events)
    assert s.state == "tls_pending" and "mail" not in d.hooks()
    s.tls_established("TLS_AES_128_GCM_SHA256")
    assert s.connection["tls"] and s.connection["tls_cipher"] == "TLS_AES_128_GCM_SHA256" and s.state == "command"
    d.feed(b"EHLO x\r\nAUTH PLAIN " + base64.b64encode(b"\0alice\0pw") + b"\r\n")
    auth = next(e for e in d.events if e.get("hook") == "auth")
    assert (auth.argument, auth.username, auth.password) == ("PLAIN", "alice", "pw")
    assert b"\r\n235 " in d.output and s.connection["authenticated_user"] == "alice"
    d.feed(b"MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n")
    deny = next(e for e in d.events if e.get("hook") == "deny")
    assert deny.verdict == "DENY" and re.match(r"^550 .*no", deny.reply)
    d.feed(b"RSET\r\nXFORWARD ADDR=192.0.2.7\r\nXCLIENT ADDR=192.0.2.9\r\n")
    assert "xforward" in d.hooks() and "xclient" in d.hooks()
    assert s.connection["remote_address"] == "192.0.2.9"
