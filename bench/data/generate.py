#!/usr/bin/env python3
"""Writes the three benchmark workloads (one item per line) shared by smtpspec and every peer.

Deterministic (fixed seed), standard library only. The committed .txt files are its output; rerun
it only to change the mix, and say so in bench/README.md.
  commands.txt           ~1000 command lines (no CRLF) in the order real sessions send them
  mailboxes.txt          ~1000 valid RFC 5321 Mailboxes (dot-string, quoted, address literals)
  mailboxes_invalid.txt  ~200 strings that are not Mailboxes under RFC 5321 (strict)
"""
import base64
import pathlib
import random

rng = random.Random(5321)
here = pathlib.Path(__file__).resolve().parent

FIRST = ["john", "mary", "a", "li", "olga", "pat", "sam", "jean-luc", "o'brien", "kim", "noreply",
         "support", "billing", "info", "admin", "no-reply", "postmaster", "abuse", "alice", "bob"]
LAST = ["smith", "doe", "nguyen", "garcia", "mueller", "rossi", "tanaka", "kowalski", "x", "lee"]
SLD = ["example", "mail", "corp-mail", "acme", "university", "shop24", "news", "bounce", "mx1",
       "k12", "xn--bcher-kva", "a1b2c3"]
TLD = ["com", "org", "net", "de", "co.uk", "com.au", "io", "edu", "info", "jp", "fr", "museum"]


def domain() -> str:
    parts = [rng.choice(SLD), rng.choice(TLD)]
    if rng.random() < 0.3:
        parts.insert(0, rng.choice(["mail", "smtp", "eu", "lists", "em-12345", "bounces"]))
    return ".".join(parts)


def dot_string() -> str:
    r = rng.random()
    if r < 0.35:
        s = f"{rng.choice(FIRST)}.{rng.choice(LAST)}"
    elif r < 0.55:
        s = rng.choice(FIRST) + str(rng.randrange(1, 9999))
    elif r < 0.7:
        s = f"{rng.choice(FIRST)}+{rng.choice(['news', 'tag', 'x-1', 'orders', 'a.b'])}"
    elif r < 0.8:
        # bounce-style VERP/SRS local parts: long, atext-heavy
        s = "bounce-" + "".join(rng.choice("abcdef0123456789") for _ in range(24)) + "=" + \
            rng.choice(FIRST) + "=" + rng.choice(SLD) + ".com"
    elif r < 0.9:
        s = rng.choice(FIRST) + "_" + rng.choice(LAST)
    else:
        s = rng.choice(["!#$%&'*+-/=?^_`{|}~", "a{b}c", "x=y", "user%host", "~tilde", "1.2.3"])
    return s


def quoted() -> str:
    return rng.choice(['"john doe"', '"a\\"b"', '"very.unusual.@.unusual.com"', '"x y z"',
                       '"foo\\\\bar"', '"()<>[]:,;@"', '"."', '"first..last"'])


def ipv6() -> str:
    return rng.choice(["2001:db8::1", "2001:db8:0:0:0:0:0:1", "::1", "fe80::1:2:3:4",
                       "2001:db8:85a3::8a2e:370:7334", "::ffff:192.0.2.1", "2001:db8::192.0.2.33",
                       "1:2:3:4:5:6:7:8", "::", "1::"])


def mailbox() -> str:
    r = rng.random()
    if r < 0.85:
        return f"{dot_string()}@{domain()}"
    if r < 0.93:
        return f"{quoted()}@{domain()}"
    if r < 0.965:
        return f"{dot_string()}@[{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}]"
    return f"{dot_string()}@[IPv6:{ipv6()}]"


def invalid() -> str:
    good_local, good_domain = dot_string(), domain()
    forms = [
        lambda: f"{good_local}",                                  # no "@"
        lambda: f"@{good_domain}",                                # empty local part
        lambda: f"{good_local}@",                                 # empty domain
        lambda: f".{good_local}@{good_domain}",                   # leading dot
        lambda: f"{good_local}.@{good_domain}",                   # trailing dot
        lambda: f"a..b@{good_domain}",                            # empty atom
        lambda: f"{good_local}@{good_domain}.",                   # trailing dot in domain
        lambda: f"{good_local}@-{good_domain}",                   # label starts with "-"
        lambda: f"{good_local}@{rng.choice(SLD)}-.com",           # label ends with "-"
        lambda: f"{good_local}@exa_mple.com",                     # "_" is not Let-dig
        lambda: f"{good_local}@@{good_domain}",
        lambda: f"{good_local}@{good_domain}@{good_domain}",
        lambda: f"john doe@{good_domain}",                        # SP in dot-string
        lambda: f"\"unterminated@{good_domain}",
        lambda: f"\"a\"b\"@{good_domain}",
        lambda: f"a,b@{good_domain}",
        lambda: f"a(comment)@{good_domain}",                      # RFC 5322 CFWS is not 5321
        lambda: f"<{good_local}@{good_domain}>",                  # a Path, not a Mailbox
        lambda: f"{'x' * 65}@{good_domain}",                      # local part > 64
        lambda: f"{good_local}@{'a' * 64}.com",                   # label > 63
        lambda: f"{good_local}@" + ".".join(["abcdefghij"] * 24) + ".com",  # domain > 255
        lambda: f"{good_local}@[256.1.1.1]",                      # Snum > 255
        lambda: f"{good_local}@[1.2.3]",
        lambda: f"{good_local}@[IPv6:1:2:3:4:5:6:7:8:9]",
        lambda: f"{good_local}@[IPv6:1::2::3]",
        lambda: f"{good_local}@[ipv6:2001:db8::1",                # unclosed literal
        lambda: f"{good_local}@[X-unknown:abc]",                  # unregistered tag
        lambda: f"{good_local}@{good_domain} ",                   # trailing SP
        lambda: f"jörg@{good_domain}",                            # non-ASCII without SMTPUTF8
        lambda: f"{good_local}@bücher.de",
        lambda: f"{good_local}\t@{good_domain}",
        lambda: f"{good_local}@[{good_domain}]",
    ]
    return rng.choice(forms)()


def param_mail() -> str:
    opts = [f"SIZE={rng.randrange(1000, 50_000_000)}", rng.choice(["BODY=8BITMIME", "BODY=BINARYMIME"]),
            "SMTPUTF8", "RET=HDRS", f"ENVID=QQ{rng.randrange(10**9)}", "REQUIRETLS", "AUTH=<>"]
    return " ".join(rng.sample(opts, rng.randrange(1, 4)))


def xtext(s: str) -> str:
    # RFC 3461 §4: ORCPT carries its address as xtext ("+", "=" and non-printables as "+XX").
    return "".join(c if 33 <= ord(c) <= 126 and c not in "+=" else f"+{ord(c):02X}" for c in s)


def param_rcpt(addr: str) -> str:
    return rng.choice(["NOTIFY=SUCCESS,FAILURE", "NOTIFY=NEVER", f"ORCPT=rfc822;{xtext(addr)}",
                       f"NOTIFY=DELAY ORCPT=rfc822;{xtext(addr)}"])


def session() -> list[str]:
    hello = rng.choice(["EHLO"] * 8 + ["HELO", "ehlo", "LHLO"])
    client = rng.choice([domain(), f"[192.0.2.{rng.randrange(1, 255)}]", "[IPv6:2001:db8::25]",
                         f"{rng.choice(['mx', 'out', 'smtp'])}{rng.randrange(1, 40)}.{domain()}"])
    if hello == "HELO" and client.startswith("["):
        client = domain()  # RFC 5321 §4.1.1.1: HELO takes a Domain only, EHLO also an address literal
    lines = [f"{hello} {client}"]
    esmtp = hello != "HELO"
    if esmtp and rng.random() < 0.35:
        lines += ["STARTTLS", f"{hello} {client}"]
    if esmtp and rng.random() < 0.25:
        creds = base64.b64encode(f"\0{rng.choice(FIRST)}\0secret{rng.randrange(1000)}".encode()).decode()
        lines.append(rng.choice([f"AUTH PLAIN {creds}", "AUTH LOGIN", "AUTH CRAM-MD5",
                                 "AUTH PLAIN ="]))
    for _ in range(rng.choice([1, 1, 1, 2])):
        sender = rng.choice(["<>"] + [f"<{mailbox()}>"] * 9)
        mail = f"MAIL FROM:{sender}"
        if esmtp and rng.random() < 0.55:
            mail += " " + param_mail()
        lines.append(mail)
        for _ in range(rng.choice([1, 1, 1, 2, 3, 5])):
            to = rng.choice(["<Postmaster>", f"<postmaster@{domain()}>"] + [mailbox()] * 30)
            to = to if to.startswith("<") else f"<{to}>"
            if rng.random() < 0.02:
                to = f"<@relay.{domain()},@hop.{domain()}:{mailbox()}>"  # source route
            rcpt = f"RCPT TO:{to}"
            if esmtp and rng.random() < 0.25:
                rcpt += " " + param_rcpt(to[1:-1])
            lines.append(rcpt)
        if esmtp and rng.random() < 0.15:
            size = rng.randrange(1, 100_000)
            lines += [f"BDAT {size}", f"BDAT {rng.randrange(1, 5000)} LAST"]
        else:
            lines.append("DATA")
        r = rng.random()
        if r < 0.2:
            lines.append("RSET")
        elif r < 0.3:
            lines.append("NOOP")
    if rng.random() < 0.05:
        lines.append(rng.choice(["VRFY postmaster", "HELP", "HELP MAIL", "NOOP hello",
                                 "EXPN staff", 'VRFY "John Smith"']))
    lines.append(rng.choice(["QUIT", "QUIT", "quit"]))
    return lines


def write(name: str, items: list[str]) -> None:
    for s in items:
        assert "\n" not in s and "\r" not in s, s
    (here / name).write_text("".join(s + "\n" for s in items), encoding="utf-8")


commands: list[str] = []
while len(commands) < 1000:
    commands += session()
write("commands.txt", commands)
write("mailboxes.txt", [mailbox() for _ in range(1000)])
write("mailboxes_invalid.txt", [invalid() for _ in range(200)])
