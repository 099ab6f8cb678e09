"""Peer harness (Python): email-validator, and smtpspec's Python module when it can be imported.

    python peers.py <bench/data> [<directory to put on sys.path for smtpspec>]

One JSON line per (implementation, workload) on stdout; an implementation that cannot be imported
gives an "unavailable" line. Method (same in every harness): warm up 0.3 s, then 10 samples of at
least 0.2 s each; the fastest sample's ns/op (interference on a shared machine only ever adds time).
"""
import json
import pathlib
import platform
import sys
import time
from importlib import metadata

data_dir = pathlib.Path(sys.argv[1])
extra_path = sys.argv[2] if len(sys.argv) > 2 else ""
LANG = f"Python {platform.python_version()}"


def load(name):
    return [l for l in (data_dir / name).read_text(encoding="utf-8").split("\n") if l]


data = {w: load(f"{w}.txt") for w in ("commands", "mailboxes", "mailboxes_invalid")}


def email_validator():
    from email_validator import EmailNotValidError, validate_email

    # No DNS; accept the RFC 5321 forms the workload contains (quoted local parts, literals).
    opts = dict(check_deliverability=False, allow_quoted_local=True, allow_domain_literal=True)

    def f(m):
        try:
            validate_email(m, **opts)
            return True
        except EmailNotValidError:
            return False

    api = "validate_email(m, check_deliverability=False, allow_quoted_local=True, allow_domain_literal=True)"
    return metadata.version("email-validator"), api, {"mailboxes": f, "mailboxes_invalid": f}


def smtpspec_module():
    if extra_path:
        sys.path.insert(0, extra_path)
    import smtpspec

    def ok(r):
        v = r.ok
        return v() if callable(v) else bool(v)

    try:
        version = metadata.version("smtpspec")
    except metadata.PackageNotFoundError:
        version = getattr(smtpspec, "__version__", "?")
    pc, pm = smtpspec.parse_command, smtpspec.parse_mailbox
    # Timed calls return the result object; acceptance is counted once, outside the timing.
    return version, "parse_command / parse_mailbox", {
        "commands": (pc, ok), "mailboxes": (pm, ok), "mailboxes_invalid": (pm, ok)}


def pass_(items, f):
    for x in items:
        f(x)


def ns_per_op(items, f):
    end = time.perf_counter() + 0.3
    while time.perf_counter() < end:
        pass_(items, f)
    samples = []
    for _ in range(10):
        start, passes = time.perf_counter(), 0
        while time.perf_counter() - start < 0.2:
            pass_(items, f)
            passes += 1
        samples.append((time.perf_counter() - start) * 1e9 / (passes * len(items)))
    return min(samples)


def emit(**o):
    print(json.dumps({"lang": LANG, **o}), flush=True)


for impl, setup in (("smtpspec (Python)", smtpspec_module), ("email-validator", email_validator)):
    try:
        version, api, work = setup()
    except Exception as e:  # an unavailable peer is a row, not an abort
        emit(impl=impl, workload="*", unavailable=f"{type(e).__name__}: {e}".splitlines()[0])
        continue
    for workload, entry in work.items():
        items = data[workload]
        if workload == "commands":  # a server hands smtpspec the line as received, CRLF included
            items = [l + "\r\n" for l in items]
        f, accept = entry if isinstance(entry, tuple) else (entry, bool)
        try:
            accepted = sum(1 for x in items if accept(f(x)))
            emit(impl=impl, version=version, workload=workload, ns_per_op=round(ns_per_op(items, f), 2),
                 accepted=accepted, total=len(items), api=api)
        except Exception as e:
            emit(impl=impl, workload=workload, unavailable=f"{type(e).__name__}: {e}".splitlines()[0])
