#!/usr/bin/env python3
"""Generates transcript corpora for the linter's tests and benchmarks (issue 7), in any of the
formats the readers take, and converts our escaped RFC-style S:/C: files to the raw capture form.

  transcript_corpus.py synth --format raw|rfc|rfc-escaped|swaks|smtplib|postfix --size 200M [--seed N]
                             [--faults] > big.txt
  transcript_corpus.py to-raw FILE.txt > FILE.raw      (RFC-style with \\r \\n \\xNN escapes)

The raw capture form (conformance/README.md, "Transcripts"): a first line "#smtpspec-raw 1", then
one line per event: "C <hex>" (octets the client wrote in one write), "S <hex>" (octets the server
sent, one read), "T" (TLS starts here), "O" (a new connection), "# text" (a note). Hex is lower or
upper case, two digits per octet, no spaces. `smtpspec transcript read --output raw FILE` converts
any supported format to it.

--faults mixes in what the linter must catch: bare LF in DATA (smuggling), pipelining without
PIPELINING, a missing CRLF, a long line, NUL. Output is deterministic for a given seed.
"""

import argparse
import random
import re
import sys


def parse_size(text):
    m = re.fullmatch(r"(\d+)([kKmMgG]?)", text)
    if not m:
        raise argparse.ArgumentTypeError(f"bad size {text!r}")
    return int(m.group(1)) * {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[m.group(2).lower()]


def session(rng, n, faults):
    """One connection as (dir, octets) writes; dir 'c' or 's', or 'T' for TLS start."""
    host = f"client{n}.example.org"
    out = [("s", b"220 mx.example.net ESMTP\r\n"), ("c", f"EHLO {host}\r\n".encode())]
    pipelining = not (faults and rng.random() < 0.1)
    ehlo = b"250-mx.example.net\r\n" + (b"250-PIPELINING\r\n" if pipelining else b"") + b"250-STARTTLS\r\n250 SIZE 10240000\r\n"
    out.append(("s", ehlo))
    if rng.random() < 0.2:
        out += [("c", b"STARTTLS\r\n"), ("s", b"220 2.0.0 Ready\r\n"), ("T", b""), ("c", f"EHLO {host}\r\n".encode()),
                ("s", ehlo.replace(b"250-STARTTLS\r\n", b""))]
    for t in range(rng.randint(1, 3)):
        rcpts = [f"RCPT TO:<user{rng.randint(0, 999)}@example.net>\r\n".encode() for _ in range(rng.randint(1, 4))]
        mail = f"MAIL FROM:<sender{n}.{t}@example.org>\r\n".encode()
        if faults and rng.random() < 0.05:
            mail = mail[:-2] + b"\n"  # bare LF line end
        group = mail + b"".join(rcpts) + b"DATA\r\n"
        out.append(("c", group))
        out.append(("s", b"250 2.1.0 Ok\r\n" + b"250 2.1.5 Ok\r\n" * len(rcpts) + b"354 End data with <CR><LF>.<CR><LF>\r\n"))
        body = b"".join(f"Line {k} of message {n}.{t} with ordinary text\r\n".encode() for k in range(rng.randint(3, 40)))
        if faults and rng.random() < 0.05:
            body += b"smuggled\n.\nMAIL FROM:<evil@example.org>\n"
        if faults and rng.random() < 0.03:
            body += b"A" * 1200 + b"\r\n"
        if faults and rng.random() < 0.03:
            body += b"nul\x00byte\r\n"
        out.append(("c", b"Subject: test\r\n\r\n" + body + b".\r\n"))
        out.append(("s", f"250 2.0.0 Ok: queued as {n:X}{t}\r\n".encode()))
    out += [("c", b"QUIT\r\n"), ("s", b"221 2.0.0 Bye\r\n")]
    return out


def escape(b):
    out = []
    for c in b:
        if c == 0x0D:
            out.append("\\r")
        elif c == 0x0A:
            out.append("\\n")
        elif c == 0x5C:
            out.append("\\\\")
        elif c < 0x20 or c >= 0x7F:
            out.append(f"\\x{c:02x}")
        else:
            out.append(chr(c))
    return "".join(out)


def lines_of(b):
    """Splits octets after each LF (the last piece may lack one)."""
    parts = re.split(rb"(?<=\n)", b)
    return [p for p in parts if p]


def render(fmt, writes, first):
    o = []
    if fmt == "raw":
        if not first:
            o.append("O")
        for d, b in writes:
            o.append("T" if d == "T" else f"{d.upper()} {b.hex()}")
        return "\n".join(o) + "\n"
    tls = False
    for d, b in writes:
        if d == "T":
            tls = True
            if fmt in ("rfc", "rfc-escaped"):
                o.append("# TLS started")
            elif fmt == "swaks":
                o.append("=== TLS started with cipher TLSv1.3:TLS_AES_256_GCM_SHA384:256")
            continue
        if fmt == "smtplib":
            if d == "c":
                o.append("send: " + repr(b))
            else:
                o += ["reply: " + repr(line) for line in lines_of(b)]
            continue
        for line in lines_of(b):
            text = line[:-2] if line.endswith(b"\r\n") else line[:-1] if line.endswith(b"\n") else line
            if fmt == "rfc-escaped":
                o.append(f"{d.upper()}{'~' if tls else ''}: {escape(line)}")
            elif fmt == "rfc":
                o.append(f"{d.upper()}: {text.decode('latin-1')}")
            elif fmt == "swaks":
                prefix = (" ~> " if tls else " -> ") if d == "c" else ("<~  " if tls else "<-  ")
                o.append(prefix + text.decode("latin-1"))
            elif fmt == "postfix":
                arrow = "<" if d == "c" else ">"
                o.append(f"Nov 22 09:53:05 mx postfix/smtpd[9210]: {arrow} unknown[127.0.0.1]: {text.decode('latin-1')}")
    return "\n".join(o) + "\n"


def synth(args):
    rng = random.Random(args.seed)
    out = sys.stdout.buffer
    written = 0
    head = {"raw": "#smtpspec-raw 1\n", "swaks": "=== Trying 192.0.2.1:25...\n"}.get(args.format, "")
    out.write(head.encode())
    written += len(head)
    n = 0
    while written < args.size:
        text = render(args.format, session(rng, n, args.faults), n == 0).encode("latin-1")
        out.write(text)
        written += len(text)
        n += 1


def to_raw(args):
    out = ["#smtpspec-raw 1"]
    last = None
    with open(args.file, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"^([CS])(~?): ?(.*)$", line)
            if not m:
                last = None
                if line.startswith("#"):
                    out.append("# " + line[1:].strip())
                continue
            d, tls, payload = m.groups()
            if tls and "T" not in out:
                out.append("T")
            octets = bytearray()
            i = 0
            raw = payload.encode("utf-8", "surrogateescape")
            if b"\\" not in raw:
                octets = raw + b"\r\n"
            else:
                while i < len(raw):
                    if raw[i:i + 1] == b"\\":
                        e = raw[i + 1:i + 2]
                        if e == b"r":
                            octets += b"\r"
                        elif e == b"n":
                            octets += b"\n"
                        elif e == b"t":
                            octets += b"\t"
                        elif e == b"\\":
                            octets += b"\\"
                        elif e == b"x":
                            octets.append(int(raw[i + 2:i + 4], 16))
                            i += 2
                        i += 2
                    else:
                        octets.append(raw[i])
                        i += 1
            # A run of C: lines is one write (the convention the real/ captures follow).
            if d == "C" and last == "C":
                out[-1] += bytes(octets).hex()
            else:
                out.append(f"{d} {bytes(octets).hex()}")
            last = d
    sys.stdout.write("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("synth")
    s.add_argument("--format", default="raw", choices=["raw", "rfc", "rfc-escaped", "swaks", "smtplib", "postfix"])
    s.add_argument("--size", type=parse_size, default=parse_size("1M"))
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--faults", action="store_true")
    r = sub.add_parser("to-raw")
    r.add_argument("file")
    args = ap.parse_args()
    (synth if args.cmd == "synth" else to_raw)(args)


if __name__ == "__main__":
    main()
