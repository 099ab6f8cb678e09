#!/usr/bin/python3
"""The MTA side of the real-peer tests from Python: smtpspec.milter.MtaSession in a socket loop. Same
arguments, steps and JSON-lines output as mta_drive.cpp (see there), so run_peers.py checks both
alike. The events are printed as the binding gives them (the C++ library's canonical JSON)."""
import argparse
import json
import socket
import sys
import time

from smtpspec import milter


def fail(why):
    print(json.dumps({"failure": why}), flush=True)
    sys.exit(1)


def split_message(text):
    """Header fields (name, value after the colon, folded lines joined by "\\n") and a CRLF body."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    headers, i = [], 0
    while i < len(lines) and lines[i]:
        line = lines[i]
        if line[0] in " \t" and headers:
            headers[-1][1] += "\n" + line
        elif ":" not in line:
            fail("message header line without a colon")
        else:
            name, value = line.split(":", 1)
            headers.append([name, value])
        i += 1
    body = "".join(l + "\r\n" for l in lines[i + 1:])
    return headers, body


class Driver:
    def __init__(self, sock, timeout):
        self.sock = sock
        self.sock.settimeout(timeout)
        self.s = milter.MtaSession()
        self.last = "SMFIR_CONTINUE"

    def pump(self, events=()):
        """Writes the session's output, then reads until no reply is due; prints every event."""
        while True:
            for ev in events:
                print(json.dumps(ev.to_dict(), ensure_ascii=False, separators=(",", ":")))
                if ev.kind == "reply":
                    self.last = ev.packet.type
            events = []
            if self.s.failure:
                fail("protocol error")
            out = self.s.take_output()
            try:
                self.sock.sendall(out)
            except OSError:
                fail("cannot write to the filter")
            sys.stdout.flush()
            if not self.s.awaiting_reply:
                return
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                fail("timeout waiting for the filter")
            events = self.s.feed(data) if data else self.s.finish()

    def step(self, name, result):
        status, error = result
        if error is not None:
            print(json.dumps({"step": name, "error": error}))
            fail("session refused a command")
        print(json.dumps({"step": name, "status": status}, separators=(",", ":")))
        self.last = "SMFIR_CONTINUE"  # what a skipped or unanswered command amounts to
        self.pump()

    def go_on(self):
        return self.last in ("SMFIR_CONTINUE", "SMFIR_SKIP")


def connect(port, timeout):
    """A filter that is still starting up refuses the connection: retry until the timeout."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=timeout)
        except OSError:
            if time.monotonic() > deadline:
                fail("cannot connect to the filter")
            time.sleep(0.05)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--message", required=True)
    ap.add_argument("--from", dest="sender", default="<sender@example.org>")
    ap.add_argument("--rcpt", action="append", default=[])
    ap.add_argument("--client-addr", default="127.0.0.1")
    ap.add_argument("--client-name", default="localhost")
    ap.add_argument("--helo", default="client.example.org")
    ap.add_argument("--queue-id", default="4ABCDE1234")
    ap.add_argument("--timeout", type=float, default=10)
    a = ap.parse_args()
    rcpts = a.rcpt or ["<rcpt@example.test>"]
    with open(a.message, encoding="utf-8", errors="surrogateescape") as f:
        headers, body = split_message(f.read())

    d = Driver(connect(a.port, a.timeout), a.timeout)
    s = d.s
    # The macros Postfix sends by default (PROTOCOL.md §7), as in mta_drive.cpp.
    conn_macros = [("j", "mx.peers.test"), ("{daemon_name}", "smtpspec-peers"),
                   ("{daemon_addr}", "127.0.0.1"), ("v", "smtpspec mta_drive"),
                   ("_", "%s [%s]" % (a.client_name, a.client_addr))]
    mail_macros = [("{mail_addr}", a.sender[1:-1]), ("{mail_mailer}", "smtp")]
    qid = [("i", a.queue_id)]
    family = "6" if ":" in a.client_addr else "4"

    d.step("negotiate", s.negotiate())
    d.step("connect", s.connect(a.client_name, family, 54321, a.client_addr, conn_macros))
    transaction = False
    if d.go_on():
        d.step("helo", s.helo(a.helo))
    if d.go_on():
        d.step("mail", s.mail([a.sender], mail_macros))
        transaction = d.go_on()
    if transaction:
        accepted = 0
        for r in rcpts:
            rcpt_macros = [("i", a.queue_id), ("{rcpt_addr}", r[1:-1]), ("{rcpt_mailer}", "virtual")]
            d.step("rcpt", s.rcpt([r], rcpt_macros))
            accepted += d.go_on()
        transaction = accepted > 0
    if transaction:
        d.step("data", s.data(qid))
        transaction = d.go_on()
    leadspc = s.agreed["protocol"] & milter.SMFIP["HDR_LEADSPC"]
    for name, value in headers:
        if not transaction:
            break
        if not leadspc and value.startswith(" "):
            value = value[1:]
        d.step("header", s.header(name, value.encode("utf-8", "surrogateescape"), qid))
        transaction = d.go_on()
    if transaction:
        d.step("eoh", s.end_of_headers(qid))
        transaction = d.go_on()
    if transaction:
        d.step("body", s.body(body.encode("utf-8", "surrogateescape"), qid))
        transaction = d.go_on()
    if transaction:
        d.step("eom", s.end_of_message(qid))
    # Postfix ends every transaction with ABORT, and the session with QUIT.
    if s.state not in ("ready", "closed"):
        d.step("abort", s.abort())
    d.step("quit", s.quit())
    print(json.dumps({"done": True, "state": s.state}), flush=True)


if __name__ == "__main__":
    main()
