"""Property-style tests over real sockets (issue 6 item 7): any split of the client stream into
writes (TCP_NODELAY, random sizes, short pauses) gives the same replies and the same messages, and
random command sequences never reach DATA/BDAT without MAIL and an accepted RCPT. Every reply line is
checked to be at most 512 octets by smtpraw."""
import random
import re
import time

from conftest import sha256
from smtpraw import Client, Closed, greet, message, dot_stuff

BODY1 = message("split-data", 3000) + b".a line with a leading dot\r\n"
BODY2 = message("split-bdat", 700)
BODY3 = message("split-null-sender", 100)

# (bytes, number of replies they produce)
GROUPS = [
    (b"EHLO split.example\r\n", 1),
    (b"MAIL FROM:<a@example.org> SIZE=5000\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<bad@example.org>\r\n"
     b"RCPT TO:<c@example.org> NOTIFY=NEVER\r\nDATA\r\n", 5),
    (dot_stuff(BODY1) + b".\r\n", 1),
    (b"NOOP\r\nRSET\r\nVRFY someone\r\nFOO bar\r\nMAIL FROM:<a@example.org> BODY=8BITMIME\r\n"
     b"RCPT TO:<d@example.org>\r\n" + f"BDAT 100\r\n".encode() + BODY2[:100]
     + f"BDAT {len(BODY2) - 100} LAST\r\n".encode() + BODY2[100:], 8),
    (b"MAIL FROM:<>\r\nRCPT TO:<e@example.org>\r\nDATA\r\n", 3),
    (dot_stuff(BODY3) + b".\r\n", 1),
    (b"QUIT\r\n", 1),
]


def normalise(line):
    # A queue identifier in the reply to the end of data may differ between runs.
    return re.sub(rb"(queued as|id[ =:]) ?\S+", rb"\1 X", line, flags=re.I)


def random_writes(c, data, rnd):
    pos = 0
    while pos < len(data):
        n = rnd.choice([1, 1, 2, 3, 5, 8, 13, 64, 500, 4096])
        c.send(data[pos:pos + n])
        pos += n
        if rnd.random() < 0.2:
            time.sleep(0.001)


def run_script(port, rnd, wait_per_group):
    c = greet(port)
    out = []
    if wait_per_group:
        for data, n in GROUPS:
            random_writes(c, data, rnd) if rnd else c.send(data)
            out += [normalise(l) for r in c.replies(n) for l in r.lines]
    else:  # everything at once, before reading any reply
        data = b"".join(g for g, _ in GROUPS)
        random_writes(c, data, rnd)
        out += [normalise(l) for r in c.replies(sum(n for _, n in GROUPS)) for l in r.lines]
    c.settimeout(5)
    try:
        c.reply()
        raise AssertionError("a reply after the 221")
    except (Closed, ConnectionResetError):
        pass
    c.close()
    return out


def test_random_splits_same_replies(serve):
    s = serve("--reject-recipient", "bad@example.org")
    base = run_script(s.port, None, True)
    codes = [int(l[:3]) for l in base if l[3:4] == b" "]
    assert codes == [250, 250, 250, 550, 250, 354, 250, 250, 250, 252, 500, 250, 250, 250, 250, 250, 250, 354,
                     250, 221], codes
    runs = 1
    for seed in range(12):
        rnd = random.Random(seed)
        got = run_script(s.port, rnd, seed % 3 != 0)
        runs += 1
        assert got == base, f"seed {seed}: replies differ:\n{got}\n!=\n{base}"
    msgs = s.wait_messages(3 * runs)
    assert len(msgs) == 3 * runs
    assert {sha256(m) for m in msgs} == {sha256(BODY1), sha256(BODY2), sha256(BODY3)}


POOL = ["MAIL FROM:<a@example.org>", "MAIL FROM:<>", "MAIL FROM:<broken", "RCPT TO:<ok@example.org>",
        "RCPT TO:<bad@example.org>", "RCPT TO:<x@example.org> NOTIFY=BOGUS", "DATA", "BDAT 0 LAST", "RSET",
        "NOOP", "EHLO r.example", "HELO r.example", "VRFY a"]


def test_random_sequences_never_reach_data_without_recipient(serve):
    # Random commands make many error replies: keep the server's error tarpit (errors_soft: the
    # replies slow down) and its 421 (errors_hard) out of the way; they are tested elsewhere.
    s = serve("--reject-recipient", "bad@example.org",
              config={"limits": {"errors_soft": 1000, "errors_hard": 2000}})
    delivered = 0
    for seed in range(25):
        rnd = random.Random(1000 + seed)
        c = greet(s.port)
        mail = rcpt = False
        try:
            for _ in range(40):
                cmd = rnd.choice(POOL)
                r = c.cmd(cmd)
                if r.code == 421:
                    assert c.expect_closed(5)
                    break
                if cmd.startswith("MAIL") and r.code == 250:
                    assert not mail, "a second MAIL accepted inside a transaction"
                    mail = True
                elif cmd.startswith("RCPT") and r.code == 250:
                    assert mail, "RCPT accepted without MAIL"
                    rcpt = True
                elif cmd in ("RSET", "EHLO r.example", "HELO r.example") and r.code == 250:
                    mail = rcpt = False
                elif cmd == "DATA" and r.code == 354:
                    assert mail and rcpt, "DATA accepted without MAIL and an accepted RCPT"
                    c.send(b"Subject: random\r\n\r\nx\r\n.\r\n")
                    assert c.reply().code == 250
                    delivered += 1
                    mail = rcpt = False
                elif cmd == "BDAT 0 LAST" and r.code == 250:
                    assert mail and rcpt, "BDAT accepted without MAIL and an accepted RCPT"
                    delivered += 1  # an empty message is a message
                    mail = rcpt = False
                elif cmd in ("DATA", "BDAT 0 LAST"):
                    assert r.code // 100 in (4, 5), r
        finally:
            c.close()
    assert len(s.wait_messages(delivered)) == delivered
    assert delivered > 0
