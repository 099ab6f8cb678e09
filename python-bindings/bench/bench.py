"""Throughput of the Python surface, on the shared workloads in bench/data/ (the same files the C++
benchmark and the peer harnesses read). Prints items per second, the best of several short rounds.

    PYTHONPATH=build/python/python-bindings /usr/bin/python3 python-bindings/bench/bench.py [--json]

Not a test: nothing here asserts a speed.
"""

import json
import pathlib
import sys
import time

import smtpspec

DATA = pathlib.Path(__file__).resolve().parents[2] / "bench" / "data"
ROUNDS = 10
ITEMS = 300_000  # per round; many short rounds, best kept: robust to a busy machine


def load(name, suffix=""):
    return [line + suffix for line in (DATA / name).read_text(encoding="utf-8").splitlines()]


def rate(fn, items):
    # Build the work list once, so the loop holds only the parse call.
    work = (items * (ITEMS // len(items) + 1))[:ITEMS]
    best = 0.0
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for item in work:
            fn(item)
        best = max(best, ITEMS / (time.perf_counter() - start))
    return best


# A client's view of one session (greeting, EHLO, MAIL, two RCPTs, DATA, QUIT): the reply workload.
SESSION = (
    b"220 mx.example.com ESMTP ready\r\n"
    b"250-mx.example.com Hello client.example.org [192.0.2.1]\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n"
    b"250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250-CHUNKING\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n"
    b"250 2.1.0 Sender ok\r\n250 2.1.5 Recipient ok\r\n550-5.1.1 No such user here\r\n550 5.1.1 Try another\r\n"
    b"354 Start mail input; end with <CRLF>.<CRLF>\r\n250 2.0.0 Ok: queued as 4B1C2D3E\r\n221 2.0.0 Bye\r\n"
)


def reply_rate(parse, sessions=2000):
    """Replies per second through `parse(stream)`, which returns the list of replies."""
    stream = SESSION * sessions
    count = len(parse(stream))
    best = 0.0
    for _ in range(ROUNDS):
        start = time.perf_counter()
        parse(stream)
        best = max(best, count / (time.perf_counter() - start))
    return best


def fed_in_segments(stream, size=1460):
    # As a client reads a socket: one TCP segment's worth at a time.
    parser = smtpspec.ReplyParser()
    feed, out = parser.feed, []
    for at in range(0, len(stream), size):
        out += feed(stream[at:at + size])
    return out + parser.finish()


def main():
    mailboxes = load("mailboxes.txt")
    commands = load("commands.txt", "\r\n")
    parse_mailbox, parse_command = smtpspec.parse_mailbox, smtpspec.parse_command
    results = {
        # The target: parse_mailbox("john.smith@example.com") in a loop.
        "mailboxes/s (john.smith@example.com)": rate(parse_mailbox, ["john.smith@example.com"]),
        "mailboxes/s (bench/data/mailboxes.txt)": rate(parse_mailbox, mailboxes),
        "mailboxes/s (bench/data, bytes input)": rate(parse_mailbox, [m.encode() for m in mailboxes]),
        "mailboxes/s (bench/data, parse + .ok)": rate(lambda m: parse_mailbox(m).ok, mailboxes),
        "commands/s (bench/data/commands.txt)": rate(parse_command, commands),
        "commands/s (bench/data, lenient=True)": rate(lambda c: parse_command(c, lenient=True), commands),
        "replies/s (parse_replies, SMTP session stream)": reply_rate(smtpspec.parse_replies),
        "replies/s (ReplyParser.feed, 1460-octet segments)": reply_rate(fed_in_segments),
        "replies/s (format_reply, 2 lines, enhanced)":
            rate(lambda lines: smtpspec.format_reply(550, "5.1.1", lines), [["No such user here", "Try another"]]),
    }
    if "--json" in sys.argv[1:]:
        print(json.dumps({k: round(v) for k, v in results.items()}))
    else:
        print(f"smtpspec {smtpspec.__version__}, Python {sys.version.split()[0]}")
        for name, value in results.items():
            print(f"{value:>14,.0f}  {name}")


if __name__ == "__main__":
    main()
