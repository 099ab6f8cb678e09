"""Every end-of-data variant of /work/shared/smuggling.md followed by smuggled MAIL/RCPT/DATA, over a
real socket, under each --bare-newline policy. Whatever the policy, the smuggled DATA never gets a
354 and at most one message is queued; with reject (the default) a message with a bare CR or LF is
refused; with normalize and accept exactly one message is queued, holding the smuggled lines."""
import pytest

from conftest import sha256
from smtpraw import Closed, greet, message
from test_bad_input import good_client

# smuggling.md §1 (1-12) and the two NUL placements of §5 that do not contain CRLF "." CRLF themselves.
# `\r\r\n.\r\n` (#13), `\x00\r\n.\r\n` and `\r\n.\r\n\x00` do: for a receiver they are a real end of
# data followed by pipelined commands (test_real_end_of_data_inside_variant), not smuggling.
VARIANTS = [b"\n.\n", b"\n.\r", b"\r.\n", b"\r.\r", b"\n.\r\n", b"\r.\r\n", b"\r\n\x00.\r\n", b"\r\n.\n",
            b"\r\n.\r", b"\r\n.\x00\r\n", b"\r\n.\r\r\n", b"\r\r\n.\r\r\n", b"\r\x00\n.\r\n",
            b"\r\n.\r\x00\n"]
SMUGGLED = (b"MAIL FROM:<smuggled@evil.example>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\n"
            b"From: smuggled@evil.example\r\nSubject: smuggled\r\n\r\nsmuggled body\r\n")


def has_bare_newline(b):
    return any((ch == 0x0D and b[i + 1:i + 2] != b"\n") or (ch == 0x0A and (i == 0 or b[i - 1] != 0x0D))
               for i, ch in enumerate(b))


def run_variant(s, i, variant, meanwhile=None, real_end=False):
    head = message(f"smuggle-{i}")
    body = head + b"outer text" + variant + SMUGGLED
    assert (b"\r\n.\r\n" in body) == real_end
    c = greet(s.port)
    c.ehlo()
    c.cmd("MAIL FROM:<sender@example.org>", 250)
    c.cmd("RCPT TO:<rcpt@example.org>", 250)
    c.cmd("DATA", 354)
    if meanwhile:
        meanwhile()
    c.send(body + b"\r\n.\r\nQUIT\r\n")
    rs = []
    try:
        while True:
            rs.append(c.reply())
    except (Closed, ConnectionResetError):
        pass
    c.close()
    return rs


@pytest.mark.parametrize("policy", ["reject", "normalize", "accept"])
def test_smuggling_variants(serve, policy):
    s = serve() if policy == "reject" else serve("--bare-newline", policy)
    failures, good = [], []
    queued = 0
    for i, v in enumerate(VARIANTS):
        before = {sha256(m) for m in s.messages()}
        during = (lambda: good.append(good_client(s, "during-smuggling"))) if i == 0 else None
        rs = run_variant(s, i, v, meanwhile=during)
        if i == 0:
            before.add(sha256(good[0]))
        codes = [r.code for r in rs]
        new = [m for m in s.messages() if sha256(m) not in before]
        bare = has_bare_newline(b"text" + v + b"MAIL")
        if 354 in codes or len(new) > 1:
            failures.append((v, "smuggled DATA accepted", codes, len(new)))
            continue
        if new and b"MAIL FROM:<smuggled@evil.example>\r\n" not in new[0]:
            failures.append((v, "queued message lacks the smuggled lines", new[0][-200:]))
        if policy == "reject" and bare:
            if codes[:1] != [550] or new:
                failures.append((v, "reject: expected 550 and nothing queued", codes, len(new)))
        else:
            # NUL-only variants under reject may be accepted or refused, but only as one message.
            expect_one = policy != "reject" or codes[:1] == [250]
            if expect_one and (codes[:1] != [250] or len(new) != 1):
                failures.append((v, "expected exactly one message queued", codes, len(new)))
        if codes[-1:] != [221]:
            failures.append((v, "no 221 to the QUIT after the message", codes))
        queued += len(new)
    assert not failures, "\n".join(repr(f) for f in failures)
    assert s.files("tmp") == []
    assert len(good) == 1 and sha256(good[0]) in {sha256(m) for m in s.messages()}
    if policy != "reject":
        assert queued == len(VARIANTS)


@pytest.mark.parametrize("policy", ["reject", "normalize"])
@pytest.mark.parametrize("variant", [b"\r\r\n.\r\n", b"\x00\r\n.\r\n"],
                         ids=["crcrlf-dot-crlf", "nul-crlf-dot-crlf"])
def test_real_end_of_data_inside_variant(serve, policy, variant):
    """These variants contain CRLF "." CRLF: the message ends there and what follows are commands
    (the client's own pipelining), each answered: MAIL 250, RCPT 250, DATA 354, the rest a message."""
    s = serve() if policy == "reject" else serve("--bare-newline", policy)
    rs = run_variant(s, 0, variant, real_end=True)
    codes = [r.code for r in rs]
    if variant.startswith(b"\r\r") and policy == "reject":
        assert codes[0] == 550, codes  # the first message ends in a bare CR
    assert codes[0] in (250, 550, 554), codes
    assert codes[1:] == [250, 250, 354, 250, 221], codes
    msgs = s.messages()
    assert len(msgs) == (2 if codes[0] == 250 else 1)
    assert any(m.startswith(b"From: smuggled@evil.example\r\n") for m in msgs)
