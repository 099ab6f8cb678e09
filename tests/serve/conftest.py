"""Fixtures for the real-client suite: a `smtpspec serve` process per test on 127.0.0.1:0 with its own
Maildir, stopped by PID (SIGTERM must end it with exit status 0).

The binary comes from SMTPSPEC_SERVE_BIN (tests/serve/run.sh sets it). Every test that talks to the
server goes through one of these fixtures, so a server that crashes or hangs fails the test that
caused it, not a later one.
"""
import hashlib
import json
import os
import select
import shutil
import signal
import subprocess
import time

import pytest

BIN = os.environ.get("SMTPSPEC_SERVE_BIN", "")
READY_PREFIX = "smtpspec serve listening on 127.0.0.1:"


def sha256(b):
    return hashlib.sha256(b).hexdigest()


def proc_status(pid):
    """VmRSS and VmHWM of a process in KiB (from /proc/PID/status)."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(rest.split()[0])
    return out


class Server:
    def __init__(self, workdir, args, config=None, raw=True):
        self.dir = workdir
        self.maildir = os.path.join(workdir, "Maildir")
        self.logfile = os.path.join(workdir, "serve.log")
        cmd = [BIN, "serve", "--listen", "127.0.0.1:0", "--maildir", self.maildir, "--log", self.logfile]
        if raw:
            cmd.append("--raw-delivery")
        if config is not None:
            path = os.path.join(workdir, "config.json")
            with open(path, "w") as f:
                json.dump(config, f)
            cmd += ["--config", path]
        cmd += list(args)
        self.cmd = cmd
        self.stopped = False
        with open(os.path.join(workdir, "stderr"), "wb") as err:
            self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
        self.port = self._wait_ready()
        self.pid = self.proc.pid

    def _wait_ready(self):
        deadline = time.monotonic() + 15
        buf = b""
        while time.monotonic() < deadline:
            r, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if r:
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                if not chunk:
                    break
                buf += chunk
                if b"\n" in buf:
                    line = buf.split(b"\n", 1)[0].decode()
                    assert line.startswith(READY_PREFIX), f"unexpected first stdout line {line!r}"
                    return int(line[len(READY_PREFIX):])
            elif self.proc.poll() is not None:
                break
        self.proc.kill()
        raise AssertionError(f"server did not become ready: {self.cmd} stdout={buf!r} "
                             f"stderr={self.stderr()!r}")

    def stderr(self):
        with open(os.path.join(self.dir, "stderr"), "rb") as f:
            return f.read()[-4000:]

    def log(self):
        try:
            with open(self.logfile, "rb") as f:
                return f.read()
        except FileNotFoundError:
            return b""

    def alive(self):
        return self.proc.poll() is None

    def mem(self):
        return proc_status(self.pid)

    def cpu_ticks(self):
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime

    def files(self, sub="new"):
        d = os.path.join(self.maildir, sub)
        if not os.path.isdir(d):
            return []
        return sorted(os.path.join(d, n) for n in os.listdir(d))

    def messages(self):
        out = []
        for p in self.files("new"):
            with open(p, "rb") as f:
                out.append(f.read())
        return out

    def wait_messages(self, n, timeout=10.0):
        """The 250 comes after the rename, so files are there when the client has its reply; the
        wait only covers clients (swaks, smtp-source) whose exit we do not synchronise with."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.files("new")) >= n:
                break
            time.sleep(0.05)
        return self.messages()

    def stop(self):
        if self.stopped:
            return
        self.stopped = True
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("server did not exit within 10 s of SIGTERM")
            assert rc == 0, f"server exited with {rc} after SIGTERM; stderr={self.stderr()!r}"
        else:
            raise AssertionError(f"server died during the test: exit {self.proc.returncode}; "
                                 f"stderr={self.stderr()!r}")


@pytest.fixture
def serve(tmp_path):
    """serve(*args, config=None, raw=True) starts a server; all are stopped (and checked) at the end."""
    if not BIN or not os.access(BIN, os.X_OK):
        pytest.fail(f"SMTPSPEC_SERVE_BIN does not name an executable: {BIN!r} (run tests/serve/run.sh)")
    started = []

    def start(*args, config=None, raw=True):
        d = tmp_path / f"s{len(started)}"
        d.mkdir()
        s = Server(str(d), args, config=config, raw=raw)
        started.append(s)
        return s

    yield start
    errors = []
    for s in started:
        try:
            s.stop()
        except AssertionError as e:
            errors.append(str(e))
    assert not errors, errors


@pytest.fixture(scope="session")
def tls_cert(tmp_path_factory):
    """A throw-away self-signed certificate (never committed)."""
    d = tmp_path_factory.mktemp("tls")
    cert, key = str(d / "cert.pem"), str(d / "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                    "-days", "1", "-keyout", key, "-out", cert], check=True, capture_output=True)
    return cert, key


@pytest.fixture(scope="session")
def auth_users(tmp_path_factory):
    d = tmp_path_factory.mktemp("auth")
    path = d / "users"
    path.write_text("alice:s3cret-Pa55\nbob:hunter2\n")
    return str(path), ("alice", "s3cret-Pa55")


def need(tool):
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is not installed (tools/setup.sh installs it)")
