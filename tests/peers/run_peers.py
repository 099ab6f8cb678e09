#!/usr/bin/python3
"""Real milter peers on loopback (issue 5, item 6), run by tests/peers/run.sh.

  postfix-<lang>     a private Postfix instance (smtpd_milters -> the example filter in <lang>,
                     milter_protocol=6, virtual Maildir delivery) receives mail from swaks: the
                     filter's header is in the delivered message, with the queue ID Postfix gave it
                     through macro i, and RCPT blocked@ gets the filter's 550 5.7.1 at swaks
  miltertest-<lang>  miltertest (OpenDKIM's MTA simulator, a Lua script) drives the example filter
  opendkim-<lang>    our MTA-side session drives OpenDKIM: sign mode returns a DKIM-Signature
                     header (INSHEADER); verify mode on the signed message returns
                     Authentication-Results with dkim=pass, and dkim=fail for a changed body
  pymilter-<lang>    our MTA-side session drives a pymilter (libmilter) filter that makes one edit of
                     every kind; each arrives as its typed value
  bad-input-<lang>   malformed packets (odd macro list, lengths 0, 2^31, 2^32-1, a 64 MB body chunk,
                     an unknown command, RCPT before MAIL, a string without NUL) sent to the example
                     filter: it reports the error, closes that connection cleanly and serves the next
<lang> is cpp (tests/peers/mta_drive.cpp, or examples/milter/filter.cpp), python (the smtpspec Python
module) or node (the npm package). Every server binds 127.0.0.1 on a free port, lives in a private
directory under build/peers-run/ (not world-writable) and is stopped by PID when the run ends, even
on failure (atexit, and SIGTERM/SIGINT/SIGHUP exit through it).
On a failure the logs of the servers involved are printed. Exit status: 0 when every test passed.
"""
import argparse
import atexit
import json
import os
import pwd
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PYTHON = "/usr/bin/python3"  # Debian's: the only one with the `milter` module (pymilter)
TIMEOUT = 15  # seconds for any single wait: a port, a delivery, a subprocess


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc=None, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise Failure("server exited with status %s before listening on %d" % (proc.returncode, port))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise Failure("nothing listening on 127.0.0.1:%d after %ds" % (port, timeout))


class Servers:
    """Every process a test starts, stopped by PID at exit (SIGTERM, then SIGKILL)."""

    def __init__(self, run_dir):
        self.run_dir = run_dir
        self.procs = []  # (name, Popen)
        self.stoppers = []  # callables (Postfix)

    def start(self, name, argv, env=None, cwd=None):
        log = open(self.run_dir / (name + ".log"), "wb")
        p = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                             cwd=cwd)
        log.close()
        self.procs.append((name, p))
        return p

    def log(self, name):
        f = self.run_dir / (name + ".log")
        return f.read_text(errors="replace") if f.exists() else ""

    def wait_listening(self, name, proc, port=None, timeout=TIMEOUT):
        """The port a filter reports on its first line ("listening on 127.0.0.1:PORT"), once it accepts."""
        deadline = time.monotonic() + timeout
        while port is None and time.monotonic() < deadline:
            m = re.search(r"listening on 127\.0\.0\.1:(\d+)", self.log(name))
            if m:
                port = int(m.group(1))
            elif proc.poll() is not None:
                raise Failure("%s exited with status %s:\n%s" % (name, proc.returncode, self.log(name)))
            else:
                time.sleep(0.05)
        check(port is not None, "%s did not say where it listens" % name)
        wait_port(port, proc, max(1, deadline - time.monotonic()))
        return port

    def terminate(self, *names):
        """SIGTERM, without waiting (stop_all waits)."""
        for name, p in self.procs:
            if name in names and p.poll() is None:
                p.terminate()

    def stop_all(self):
        for stop in reversed(self.stoppers):
            try:
                stop()
            except Exception:  # keep stopping the others
                traceback.print_exc()
        self.stoppers.clear()
        # All at once: libmilter filters take up to 5 s to notice SIGTERM (their accept loop polls).
        running = [(n, p) for n, p in self.procs if p.poll() is None]
        for _, p in running:
            p.terminate()  # again for the ones terminate() already asked: harmless
        deadline = time.monotonic() + 6
        for _, p in running:
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.procs.clear()


def run(argv, timeout=TIMEOUT, **kw):
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kw)


# ---- Message files --------------------------------------------------------------------------------

MESSAGE = (
    "From: Sender <sender@example.org>\n"
    "To: User <user@example.test>\n"
    "Subject: peers test\n"
    "  folded second line\n"
    "Date: Sat, 05 Dec 2026 23:00:00 +0000\n"
    "Message-ID: <peers-{tag}@example.org>\n"
    "\n"
    "Hello from the smtpspec peers tests.\n"
    ".a line that starts with a dot (the milter body is not dot-stuffed)\n"
)


def write_message(path, tag, body_extra=""):
    path.write_text(MESSAGE.format(tag=tag) + body_extra)
    return path


# ---- MTA-side drivers: the C++ program and the Python module ----------------------------------------


class Drivers:
    def __init__(self, bin_dir, python_path, npm_dir):
        self.bin_dir = bin_dir
        self.python_path = python_path
        self.npm_dir = npm_dir

    def events(self, lang, port, message, rcpts, client_addr="127.0.0.1", queue_id="4ABCDE1234"):
        """Drives the filter on `port` through one transaction; returns the JSON lines printed."""
        if lang == "cpp":
            argv = [str(self.bin_dir / "milter_mta_drive")]
        elif lang == "python":
            argv = [PYTHON, str(HERE / "mta_drive.py")]
        else:
            raise Failure("no MTA driver for " + lang)
        argv += ["--port", str(port), "--message", str(message), "--client-addr", client_addr,
                 "--queue-id", queue_id]
        for r in rcpts:
            argv += ["--rcpt", r]
        env = dict(os.environ, PYTHONPATH=str(self.python_path), PYTHONDONTWRITEBYTECODE="1")
        r = run(argv, env=env, timeout=TIMEOUT * 2)
        lines = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
        if r.returncode != 0 or not lines or not lines[-1].get("done"):
            raise Failure("MTA driver (%s) failed, exit %d:\n%s\n%s" % (lang, r.returncode, r.stdout[-4000:],
                                                                        r.stderr[-2000:]))
        return lines


def modifications(lines):
    return [l["packet"] for l in lines if l.get("event") == "modification"]


def final_reply(lines, command):
    replies = [l["packet"] for l in lines if l.get("event") == "reply" and l.get("answers") == command]
    check(replies, "no reply to " + command)
    return replies[-1]


# ---- Postfix --------------------------------------------------------------------------------------

class Postfix:
    """A private Postfix instance: its own config, queue and Maildir under `base`, one smtpd listener
    per filter (each with its own smtpd_milters)."""

    def __init__(self, base, filters):
        self.base = base
        self.conf = base / "conf"
        self.queue = base / "queue"
        self.mail = base / "mail"
        self.maillog = base / "maillog"
        self.ports = {name: free_port() for name in filters}
        self.pid = None
        self.started = False
        for d in (self.conf, self.queue, base / "data"):
            d.mkdir(parents=True)
        self.mail.mkdir()
        pw = pwd.getpwnam("postfix")
        os.chown(base / "data", pw.pw_uid, pw.pw_gid)  # master.lock, written by the postfix user
        os.chown(self.mail, 65534, 65534)  # virtual(8) delivers as nobody (virtual_uid_maps)
        main = {
            "compatibility_level": "3.6",
            "queue_directory": self.queue,
            "data_directory": base / "data",
            "maillog_file": self.maillog,
            "maillog_file_prefixes": base,  # default: /var and /dev/stdout only
            "inet_interfaces": "127.0.0.1",
            "inet_protocols": "ipv4",
            "myhostname": "mx.peers.test",
            "mydomain": "peers.test",
            "mydestination": "",
            "mynetworks": "127.0.0.0/8",
            "relay_domains": "",
            "alias_maps": "",
            "alias_database": "",
            "smtpd_peername_lookup": "no",
            "smtpd_banner": "$myhostname ESMTP",
            "virtual_mailbox_domains": "example.test",
            "virtual_mailbox_base": self.mail,
            "virtual_mailbox_maps": "static:maildir/",
            "virtual_uid_maps": "static:65534",
            "virtual_gid_maps": "static:65534",
            "default_transport": "error:no relaying in the peers tests",
            "milter_protocol": "6",
            "milter_default_action": "tempfail",
            "milter_connect_timeout": "5s",
            "milter_command_timeout": "10s",
            "milter_content_timeout": "10s",
            "smtputf8_enable": "no",
            "biff": "no",
            "queue_run_delay": "1s",
            "minimal_backoff_time": "1s",
        }
        (self.conf / "main.cf").write_text("".join("%s = %s\n" % kv for kv in main.items()))
        services = [
            "pickup    unix  n - n 60 1 pickup",
            "cleanup   unix  n - n - 0 cleanup",
            "qmgr      unix  n - n 300 1 qmgr",
            "rewrite   unix  - - n - - trivial-rewrite",
            "bounce    unix  - - n - 0 bounce",
            "defer     unix  - - n - 0 bounce",
            "trace     unix  - - n - 0 bounce",
            "verify    unix  - - n - 1 verify",
            "flush     unix  n - n 1000? 0 flush",
            "proxymap  unix  - - n - - proxymap",
            "showq     unix  n - n - - showq",
            "error     unix  - - n - - error",
            "retry     unix  - - n - - error",
            "discard   unix  - - n - - discard",
            "virtual   unix  - n n - - virtual",
            "anvil     unix  - - n - 1 anvil",
            "scache    unix  - - n - 1 scache",
            "postlog   unix-dgram n - n - 1 postlogd",
        ]
        for name, milter_port in filters.items():
            services.append("127.0.0.1:%d inet n - n - - smtpd -o smtpd_milters=inet:127.0.0.1:%d "
                            "-o syslog_name=postfix/%s" % (self.ports[name], milter_port, name))
        (self.conf / "master.cf").write_text("\n".join(services) + "\n")

    def postfix(self, *args):
        return run(["postfix", "-c", str(self.conf), *args], timeout=30)

    def start(self):
        self.started = True
        r = self.postfix("start")  # runs "postfix check" first
        check(r.returncode == 0, "postfix start failed:\n" + r.stdout + r.stderr)
        pid_file = self.queue / "pid" / "master.pid"
        deadline = time.monotonic() + TIMEOUT
        while self.pid is None and time.monotonic() < deadline:
            try:
                self.pid = int(pid_file.read_text().split()[0])
            except (OSError, ValueError, IndexError):
                time.sleep(0.05)
        check(self.pid is not None, "no " + str(pid_file))
        for port in self.ports.values():
            wait_port(port)

    def stop(self):
        if not self.started:
            return
        self.started = False
        self.postfix("stop")
        if self.pid is None:  # started, but the PID was not read yet
            try:
                self.pid = int((self.queue / "pid" / "master.pid").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and pid_alive(self.pid):
            time.sleep(0.1)
        if pid_alive(self.pid):
            os.kill(self.pid, signal.SIGKILL)
        self.pid = None

    def log(self):
        return self.maillog.read_text(errors="replace") if self.maillog.exists() else "(no maillog)"

    def delivered(self, token, timeout=TIMEOUT):
        """The delivered message whose Subject carries `token` (virtual_mailbox_maps sends everything
        to one Maildir)."""
        deadline = time.monotonic() + timeout
        new = self.mail / "maildir" / "new"
        while time.monotonic() < deadline:
            if new.is_dir():
                for f in sorted(new.iterdir()):
                    text = f.read_text(errors="replace")
                    if token in text:
                        return text
            time.sleep(0.1)
        raise Failure("no message with %r delivered to %s within %ds" % (token, new, timeout))


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie child of ours counts as gone.
    try:
        return Path("/proc/%d/stat" % pid).read_text().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def swaks(port, to, subject, body="Hello through Postfix.\n"):
    argv = ["swaks", "--server", "127.0.0.1", "--port", str(port), "--from", "sender@example.org", "--to", to,
            "--helo", "client.example.org", "--header", "Subject: " + subject, "--body", body,
            "--timeout", str(TIMEOUT), "--hide-informational"]
    return run(argv, timeout=TIMEOUT * 2)


def header_values(message, name):
    """Unfolded values of every header field `name` in an RFC 5322 message."""
    head = message.replace("\r\n", "\n").split("\n\n", 1)[0]
    head = re.sub(r"\n[ \t]+", " ", head)
    return [line.split(":", 1)[1].strip() for line in head.split("\n")
            if line.lower().startswith(name.lower() + ":")]


LABEL = {"cpp": "C++", "python": "Python", "node": "Node"}
EXAMPLE_TESTS = ("postfix-", "miltertest-", "bad-input-")  # the tests of the example filters


def test_postfix(ctx, lang):
    pf, port = ctx.postfix, ctx.postfix.ports[lang]
    token = "peers-%s-%d" % (lang, os.getpid())
    r = swaks(port, "user@example.test", token)
    check(r.returncode == 0, "swaks to user@ failed (exit %d):\n%s%s" % (r.returncode, r.stdout, r.stderr))
    msg = pf.delivered(token)
    values = header_values(msg, "X-Smtpspec-Filter")
    check(len(values) == 1, "delivered message has %d X-Smtpspec-Filter headers:\n%s" % (len(values), msg))
    m = re.fullmatch(r"example \(%s\); queue-id=([0-9A-F]+)" % re.escape(LABEL[lang]), values[0])
    check(m, "unexpected X-Smtpspec-Filter value %r" % values[0])
    # The queue ID came through macro i; Postfix names the same one in its Received: header.
    received = " ".join(header_values(msg, "Received"))
    check("id " + m.group(1) in received,
          "queue-id %s is not the one in Received: %s" % (m.group(1), received))

    r = swaks(port, "blocked@example.test", token + "-blocked")
    out = r.stdout + r.stderr
    check(r.returncode != 0, "swaks to blocked@ succeeded:\n" + out)
    check(re.search(r"<\*\* +550 5\.7\.1 Recipient blocked by the smtpspec example filter", out),
          "no 550 5.7.1 from the filter at RCPT blocked@:\n" + out)

    # One transaction with both: the accepted recipient still gets the message.
    r = swaks(port, "blocked@example.test,user@example.test", token + "-mixed")
    out = r.stdout + r.stderr
    check(re.search(r"<\*\* +550 5\.7\.1 Recipient blocked", out), "no 550 5.7.1 in the mixed run:\n" + out)
    check(re.search(r"<- +250 2\.0\.0 Ok: queued as", out), "mixed run was not queued:\n" + out)
    mixed = pf.delivered(token + "-mixed")
    check(len(header_values(mixed, "X-Smtpspec-Filter")) == 1, "mixed run lacks the filter's header")

    # Postfix saw the REPLYCODE as the filter's (milter-reject), and had nothing to complain about:
    # smtpd (named postfix/<lang>/smtpd) talks to the filter, cleanup applies its edits.
    log = pf.log().splitlines()
    mine = [l for l in log if "postfix/%s/" % lang in l]
    check(sum("milter-reject: RCPT from" in l and "550 5.7.1 Recipient blocked" in l for l in mine) == 2,
          "maillog has no milter-reject for each blocked RCPT")
    others = ["postfix/%s/" % other for other in LABEL if other != lang]
    warnings = [l for l in log if re.search(r"\b(warning|error|fatal|panic):", l) and "postfix-script" not in l
                and not any(o in l for o in others)]
    check(not warnings, "Postfix warnings:\n" + "\n".join(warnings))
    # Nor the filter about Postfix (the examples print "filter: protocol error …" / "cannot answer").
    flog = ctx.servers.log("example-" + lang)
    check("filter:" not in flog, "the example filter complained:\n" + flog)


def test_miltertest(ctx, lang):
    r = run(["miltertest", "-D", "SOCK=inet:%d@127.0.0.1" % ctx.filter_ports[lang],
             "-D", "LABEL=" + LABEL[lang], "-s", str(HERE / "miltertest.lua")], timeout=TIMEOUT * 2)
    check(r.returncode == 0 and "all checks passed" in r.stdout,
          "miltertest failed (exit %d):\n%s%s" % (r.returncode, r.stdout, r.stderr))


# ---- Bad input to our filters over a real socket ------------------------------------------------------

def packet(cmd, payload=b""):
    return struct.pack(">I", len(payload) + 1) + cmd + payload


OFFER = packet(b"O", struct.pack(">III", 6, 0x1FF, 0x1FFFFF))  # what Postfix 3.7 offers
CONNECT = packet(b"C", b"client.example.org\0" + b"4" + struct.pack(">H", 54321) + b"192.0.2.7\0")

# (what, packets answered first, the bad bytes, the error code the filter must report)
BAD_INPUT = [
    ("odd macro list (crashes libmilter)", [OFFER], packet(b"D", b"Cj\0host\0orphan\0"), "odd_macro_list"),
    ("length 2^32-1", [OFFER], b"\xff\xff\xff\xffC", "length_top_bit"),
    ("length 2^31", [OFFER], b"\x80\x00\x00\x00C", "length_top_bit"),
    ("length 0", [OFFER], b"\x00\x00\x00\x00", "zero_length"),
    ("a 64 MB body chunk announced", [OFFER, CONNECT], struct.pack(">I", 64 << 20) + b"B",
     "packet_too_large"),
    ("unknown command byte", [OFFER], packet(b"Z"), "unknown_command"),
    ("RCPT before MAIL", [OFFER, CONNECT], packet(b"R", b"<user@example.test>\0"), "unexpected_packet"),
    ("HELO without NUL", [OFFER, CONNECT], packet(b"H", b"client.example.org"), "missing_nul"),
]


def read_packet(sock):
    """One whole packet, or b"" at EOF."""
    data = b""
    while len(data) < 4 or len(data) < 4 + struct.unpack(">I", data[:4])[0]:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    return data


def test_bad_input(ctx, lang):
    port, name = ctx.filter_ports[lang], "example-" + lang
    for what, before, bad, code in BAD_INPUT:
        seen = ctx.servers.log(name).count(code)
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
            for p in before:
                s.sendall(p)
                check(read_packet(s)[4:5] in (b"O", b"c"), "%s: no reply to %r" % (what, p[4:5]))
            s.sendall(bad)
            try:
                rest = read_packet(s)
            except socket.timeout:
                raise Failure("%s: the filter did not close the connection within %ds" % (what, TIMEOUT))
            check(rest == b"", "%s: the filter answered %r instead of closing" % (what, rest))
        deadline = time.monotonic() + TIMEOUT  # the filter logs the error as it closes
        while ctx.servers.log(name).count(code) == seen and time.monotonic() < deadline:
            time.sleep(0.05)
        log = ctx.servers.log(name)
        check(log.count(code) > seen, "%s: the filter did not report %s:\n%s" % (what, code, log))
    # Still serving: a fresh connection negotiates.
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        s.sendall(OFFER)
        check(read_packet(s)[4:5] == b"O", "the filter does not negotiate after the bad input")


# ---- OpenDKIM -----------------------------------------------------------------------------------------

def trusted_dir(prefix, preferred):
    """A new 0700 directory that OpenDKIM will read from: it refuses files with a group- or
    world-writable directory anywhere above them (a clone under /tmp, say), so fall back to /run
    or the home directory when `preferred` has such an ancestor. Removed when the run ends."""
    def safe(d):
        try:
            return d.is_dir() and all(not (os.stat(a).st_mode & 0o022) for a in [d, *d.parents])
        except OSError:
            return False
    base = next((d for d in (preferred, Path("/run"), Path.home()) if safe(d)), preferred)
    made = Path(tempfile.mkdtemp(prefix=prefix, dir=base))
    atexit.register(shutil.rmtree, made, True)
    return made


class OpenDKIM:
    def __init__(self, servers, preferred):
        base = trusted_dir("smtpspec-opendkim.", preferred)
        self.base = base
        r = run(["opendkim-genkey", "-b", "1024", "-d", "example.org", "-s", "peers", "-D", str(base)])
        check(r.returncode == 0, "opendkim-genkey failed:\n" + r.stdout + r.stderr)
        txt = (base / "peers.txt").read_text()
        p = re.search(r'"p=([^"]+)"', txt.replace("\n", ""))
        check(p, "no p= in peers.txt")
        # TestPublicKeys: the key record as DNS would give it, so verification needs no DNS.
        (base / "keys").write_text("peers._domainkey.example.org v=DKIM1; k=rsa; p=%s\n" % p.group(1))
        self.port = free_port()
        (base / "opendkim.conf").write_text("\n".join([
            "Syslog no", "LogWhy yes", "Mode sv", "Domain example.org", "Selector peers",
            "KeyFile %s/peers.private" % base, "TestPublicKeys %s/keys" % base,
            "Socket inet:%d@127.0.0.1" % self.port,
            "InternalHosts 127.0.0.1",  # mail from 127.0.0.1 is signed, from elsewhere verified
            "AuthservID mx.peers.test", "Canonicalization relaxed/simple", ""]))
        self.proc = servers.start("opendkim", ["opendkim", "-f", "-v", "-x", str(base / "opendkim.conf")])
        wait_port(self.port, self.proc)


def test_opendkim(ctx, lang):
    od = ctx.opendkim()
    msg = write_message(ctx.run_dir / ("dkim-%s.eml" % lang), "dkim-" + lang)
    lines = ctx.drivers.events(lang, od.port, msg, ["<user@example.test>"])
    check(final_reply(lines, "SMFIC_BODYEOB")["type"] == "SMFIR_ACCEPT", "sign run: EOM not accepted")
    sigs = [m for m in modifications(lines) if m["name"] == "DKIM-Signature"]
    check(len(sigs) == 1, "sign run: expected one DKIM-Signature, got %s" % modifications(lines))
    sig = sigs[0]
    check(sig["type"] in ("SMFIR_INSHEADER", "SMFIR_ADDHEADER"), "DKIM-Signature came as " + sig["type"])
    # OpenDKIM negotiates HDR_LEADSPC, so the value keeps its leading space; folded with "\n\t".
    check(sig["value"].startswith(" v=1; a=rsa-sha256;"), "DKIM-Signature value %r" % sig["value"])
    check(" d=example.org;" in sig["value"] and " s=peers;" in sig["value"],
          "signature d=/s=: %r" % sig["value"])

    # Verify: the same message with the signature on top, from an address outside InternalHosts.
    signed = ctx.run_dir / ("dkim-%s-signed.eml" % lang)
    signed.write_text("DKIM-Signature:" + sig["value"] + "\n" + msg.read_text())
    results = verify(ctx, lang, od, signed)
    check(re.search(r"\bdkim=pass\b", results), "verify run: no dkim=pass in %r" % results)
    check("header.d=example.org" in results and "header.s=peers" in results, "verify run: %r" % results)

    # A changed body must fail: the body octets we send are the ones that were signed.
    tampered = ctx.run_dir / ("dkim-%s-tampered.eml" % lang)
    tampered.write_text(signed.read_text().replace("Hello from", "Hello FROM"))
    results = verify(ctx, lang, od, tampered)
    check(re.search(r"\bdkim=fail\b", results), "tampered run: no dkim=fail in %r" % results)


def verify(ctx, lang, od, message):
    lines = ctx.drivers.events(lang, od.port, message, ["<user@example.test>"], client_addr="192.0.2.10")
    ar = [m for m in modifications(lines) if m["name"] == "Authentication-Results"]
    check(len(ar) == 1, "verify run: expected one Authentication-Results, got %s" % modifications(lines))
    check(ar[0]["value"].startswith(" mx.peers.test;"),
          "Authentication-Results authserv-id: %r" % ar[0]["value"])
    return ar[0]["value"]


# ---- pymilter ---------------------------------------------------------------------------------------

def test_pymilter(ctx, lang):
    port = ctx.pymilter()
    body_extra = "".join("line %05d of a body longer than one 65535-octet chunk\n" % i for i in range(2000))
    msg = write_message(ctx.run_dir / ("pymilter-%s.eml" % lang), "pymilter-" + lang, body_extra)
    lines = ctx.drivers.events(lang, port, msg, ["<user@example.test>", "<other@example.test>"])
    body_len = len(msg.read_text().split("\n\n", 1)[1].replace("\n", "\r\n"))
    body_steps = [l for l in lines if l.get("answers") == "SMFIC_BODY" and l.get("event") == "reply"]
    check(len(body_steps) == (body_len + 65534) // 65535, "%d BODY replies for %d body octets" % (
        len(body_steps), body_len))
    check(final_reply(lines, "SMFIC_BODYEOB")["type"] == "SMFIR_ACCEPT", "EOM not accepted")
    mods = modifications(lines)
    kinds = [m["type"] for m in mods]
    want = ["SMFIR_ADDHEADER", "SMFIR_INSHEADER", "SMFIR_CHGHEADER", "SMFIR_CHGFROM", "SMFIR_ADDRCPT",
            "SMFIR_ADDRCPT_PAR", "SMFIR_DELRCPT", "SMFIR_REPLBODY", "SMFIR_REPLBODY", "SMFIR_QUARANTINE"]
    check(kinds == want, "modification kinds %s, want %s" % (kinds, want))
    add, ins, chg, frm, rcpt, rcpt_par, dele, b1, b2, quar = mods
    # The filter reports what it saw of our headers and body in X-Pymilter.
    saw = "subject=%r body=%d" % ("peers test\n  folded second line", body_len)
    check((add["name"], add["value"]) == ("X-Pymilter", saw), "ADDHEADER %r" % add)
    check((ins["index"], ins["name"], ins["value"]) == (0, "X-Pymilter-First", "inserted at 0"),
          "INSHEADER %r" % ins)
    check((chg["index"], chg["name"], chg["value"]) == (1, "Subject", "changed by pymilter"),
          "CHGHEADER %r" % chg)
    check((frm["sender"], frm["esmtp_args"]) == ("<changed@example.org>", "BODY=8BITMIME"),
          "CHGFROM %r" % frm)
    check(rcpt == {"type": "SMFIR_ADDRCPT", "code": "+", "rcpt": "<added@example.test>"}, "ADDRCPT %r" % rcpt)
    check((rcpt_par["rcpt"], rcpt_par["esmtp_args"]) == ("<added-par@example.test>", "NOTIFY=NEVER"),
          "ADDRCPT_PAR %r" % rcpt_par)
    check(dele["rcpt"] == "<other@example.test>", "DELRCPT %r" % dele)
    new_body = "replaced by pymilter\r\n" + "x" * 70000 + "\r\n"
    check((b1["length"], b2["length"]) == (65535, len(new_body) - 65535), "REPLBODY lengths %d, %d" % (
        b1["length"], b2["length"]))
    check(b1["data"] + b2["data"] == new_body, "REPLBODY data differs from the filter's body")
    check(quar["reason"] == "held by pymilter", "QUARANTINE %r" % quar)


# ---- The run ----------------------------------------------------------------------------------------

class Context:
    def __init__(self, args, run_dir, servers):
        self.args = args
        self.run_dir = run_dir
        self.servers = servers
        self.drivers = Drivers(args.bin_dir, args.python_path, args.npm_dir)
        self.filter_ports = {}
        self.postfix = None
        self._opendkim = None
        self._pymilter = None

    def start_example(self, lang):
        if lang == "cpp":
            argv = [str(self.args.bin_dir / "examples" / "smtpspec_milter_example"), "0"]
            env = None
        elif lang == "python":
            argv = [PYTHON, str(ROOT / "examples" / "milter" / "filter.py"), "0"]
            env = dict(os.environ, PYTHONPATH=str(self.args.python_path), PYTHONDONTWRITEBYTECODE="1")
        else:
            argv = ["node", str(ROOT / "examples" / "milter" / "filter.js"), "0"]
            env = dict(os.environ, SMTPSPEC_NPM_DIR=str(self.args.npm_dir))
        name = "example-" + lang
        p = self.servers.start(name, argv, env=env)
        self.filter_ports[lang] = self.servers.wait_listening(name, p)

    def opendkim(self):
        if self._opendkim is None:
            self._opendkim = OpenDKIM(self.servers, self.run_dir)
        return self._opendkim

    def pymilter(self):
        if self._pymilter is None:
            port = free_port()
            p = self.servers.start("pymilter", [PYTHON, str(HERE / "pymilter_filter.py"), str(port)])
            wait_port(port, p)
            self._pymilter = port
        return self._pymilter


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin-dir", type=Path, required=True,
                    help="the build of tests/peers: milter_mta_drive, examples/smtpspec_milter_example")
    ap.add_argument("--python-path", type=Path, help="directory holding the built smtpspec Python package")
    ap.add_argument("--npm-dir", type=Path, help="the built npm package (build/wasm/npm)")
    ap.add_argument("--langs", default="cpp,python,node", help="surfaces to test (default: all)")
    ap.add_argument("-k", dest="only", help="run only tests whose name contains this")
    ap.add_argument("--keep", action="store_true", help="keep the run directory")
    args = ap.parse_args()
    langs = args.langs.split(",")
    for lang in langs:
        if lang not in LABEL:
            ap.error("unknown surface %r (cpp, python, node)" % lang)
    if "python" in langs and not (args.python_path and (args.python_path / "smtpspec").is_dir()):
        ap.error("python: no built smtpspec package in --python-path %s (run python-bindings/test.sh)"
                 % args.python_path)
    if "node" in langs and not (args.npm_dir and (args.npm_dir / "package.json").is_file()):
        ap.error("node: no built npm package in --npm-dir %s (run wasm/test.sh)" % args.npm_dir)

    # The libmilter peers first: they take up to 5 s to exit after SIGTERM, which then overlaps the
    # Postfix tests.
    tests = []
    for lang in langs:
        if lang == "node":
            continue  # the MTA side is driven from C++ and Python
        tests.append(("opendkim-" + lang, lambda lang=lang: test_opendkim(ctx, lang), lambda: ["opendkim"]))
        tests.append(("pymilter-" + lang, lambda lang=lang: test_pymilter(ctx, lang), lambda: ["pymilter"]))
    for lang in langs:
        tests.append(("postfix-" + lang, lambda lang=lang: test_postfix(ctx, lang),
                      lambda lang=lang: ["example-" + lang, "postfix"]))
    for lang in langs:
        tests.append(("miltertest-" + lang, lambda lang=lang: test_miltertest(ctx, lang),
                      lambda lang=lang: ["example-" + lang]))
    for lang in langs:  # last: the filters log these errors, which the tests above look for
        tests.append(("bad-input-" + lang, lambda lang=lang: test_bad_input(ctx, lang),
                      lambda lang=lang: ["example-" + lang]))
    if args.only:
        tests = [t for t in tests if args.only in t[0]]
        if not tests:
            ap.error("no test name contains %r" % args.only)
    names = [n for n, _, _ in tests]

    runs = ROOT / "build" / "peers-run"
    runs.mkdir(parents=True, exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(prefix="run.", dir=runs))
    # Not world-writable (OpenDKIM refuses such trees); searchable, since Postfix's daemons (user
    # postfix) and virtual(8) (user nobody) reach their directories through it.
    run_dir.chmod(0o711)
    servers = Servers(run_dir)
    atexit.register(servers.stop_all)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda s, f: sys.exit(128 + s))
    ctx = Context(args, run_dir, servers)

    def setup_examples():
        """The example filters, and one Postfix instance with a listener for each, serve the rest."""
        t0 = time.monotonic()
        servers.terminate("opendkim", "pymilter")
        for lang in sorted({n.rsplit("-", 1)[1] for n in names if n.startswith(EXAMPLE_TESTS)}):
            ctx.start_example(lang)
        pf_langs = [lang for lang in langs if "postfix-" + lang in names]
        if pf_langs:
            ctx.postfix = Postfix(run_dir / "postfix", {lang: ctx.filter_ports[lang] for lang in pf_langs})
            servers.stoppers.append(ctx.postfix.stop)
            ctx.postfix.start()
        print("peers: set up the example filters and Postfix in %.1fs" % (time.monotonic() - t0), flush=True)

    failed = []
    start = time.monotonic()
    setup = None  # None: not yet; True: done; else the exception
    for name, fn, logs in tests:
        t0 = time.monotonic()
        try:
            if name.startswith(EXAMPLE_TESTS) and setup is not True:
                if setup is None:
                    try:
                        setup_examples()
                        setup = True
                        t0 = time.monotonic()
                    except Exception as e:
                        setup = e
                        logs = lambda: [n for n, _ in servers.procs if n.startswith("example-")] + ["postfix"]
                        raise Failure("setting up the example filters and Postfix failed: %s" % e)
                else:
                    raise Failure("not run: the setup failed (above)")
            fn()
            print("peers: ok   %-18s %5.1fs" % (name, time.monotonic() - t0), flush=True)
        except Exception as e:
            failed.append(name)
            print("peers: FAIL %-18s %5.1fs" % (name, time.monotonic() - t0))
            why = "%s" % e if isinstance(e, Failure) else traceback.format_exc()
            print("  " + why.replace("\n", "\n  "))
            if not str(e).startswith("not run:"):
                for log in logs():
                    if log == "postfix":
                        maillog = ctx.postfix.log()[-6000:] if ctx.postfix else ""
                        print("---- postfix maillog ----\n" + maillog)
                    else:
                        print("---- %s.log ----\n%s" % (log, servers.log(log)[-4000:]))
            sys.stdout.flush()

    servers.stop_all()
    if not args.keep and not failed:
        shutil.rmtree(run_dir, ignore_errors=True)
    else:
        print("peers: run directory kept: %s" % run_dir)
    print("peers: %d passed, %d failed%s in %.1fs" % (len(tests) - len(failed), len(failed),
                                                     " (%s)" % ", ".join(failed) if failed else "",
                                                     time.monotonic() - start))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
