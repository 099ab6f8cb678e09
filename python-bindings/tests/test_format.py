"""The server side: format_reply and format_ehlo_reply."""

import gc
import random

import pytest
import smtpspec
from smtpspec import ErrorCode


def wire_lines(data):
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


def test_single_and_multiline(mirrors):
    r = smtpspec.format_reply(250, None, ["OK"])
    assert r.ok and isinstance(r, smtpspec.FormattedReplyResult)
    assert (r.value.data, r.value.text, r.value.lines, r.value.line_count) == (b"250 OK\r\n", "250 OK\r\n", ["250 OK"], 1)
    mirrors(r)
    r = smtpspec.format_reply(550, "5.1.1", ["No such user", "Try again"])
    assert r.value.data == b"550-5.1.1 No such user\r\n550 5.1.1 Try again\r\n"
    assert r.value.lines == ["550-5.1.1 No such user", "550 5.1.1 Try again"]
    mirrors(r)


def test_arguments_in_all_their_forms():
    want = smtpspec.format_reply(250, "2.1.5", ["Recipient ok"]).to_json()
    status = smtpspec.parse_enhanced_status("2.1.5").value
    for r in (smtpspec.format_reply(250, status, ["Recipient ok"]),
              smtpspec.format_reply(250, b"2.1.5", "Recipient ok"),  # a lone str is one line
              smtpspec.format_reply(250, "2.1.5", (line for line in [b"Recipient ok"])),
              smtpspec.format_reply(code=250, enhanced="2.1.5", lines=[bytearray(b"Recipient ok")])):
        assert r.to_json() == want
    assert smtpspec.format_reply(250).value.data == b"250\r\n"  # no text: the bare code
    assert smtpspec.format_reply(250, "2.0.0").value.data == b"250 2.0.0 \r\n"
    assert smtpspec.format_reply(250, "2.0.0", ["x"], enhanced_codes=False).value.data == b"250 x\r\n"


@pytest.mark.parametrize("code", [2500, 25, 199, 600, 260, 0, -250, 10**30, -(10**30)])
def test_invalid_codes_are_errors(code, mirrors):
    r = smtpspec.format_reply(code, None, ["x"])
    assert not r.ok and r.error.code is ErrorCode.invalid_reply_code and r.error.offset == 0
    mirrors(r)


def test_class_must_match_the_code(mirrors):
    for code, status in [(250, "5.1.1"), (550, "4.2.2"), (450, "2.0.0"), (354, "2.0.0"), (334, "5.7.0")]:
        r = smtpspec.format_reply(code, status, ["x"])
        assert not r.ok and r.error.code is ErrorCode.status_class_mismatch, (code, status)
        mirrors(r)
    assert smtpspec.format_reply(354, None, ["go ahead"]).ok
    # Without enhanced codes on the wire there is nothing to mismatch.
    assert smtpspec.format_reply(250, "5.1.1", ["x"], enhanced_codes=False).ok


def test_invalid_enhanced_text_is_the_parsers_error(mirrors):
    r = smtpspec.format_reply(550, "5.01.1", ["x"])
    assert not r.ok and r.error.code is ErrorCode.invalid_enhanced_status
    assert r.to_dict()["error"] == smtpspec.parse_enhanced_status("5.01.1").to_dict()["error"]
    mirrors(r)


def test_bad_argument_types_and_options():
    for call in (lambda: smtpspec.format_reply("250"), lambda: smtpspec.format_reply(True),
                 lambda: smtpspec.format_reply(250.0), lambda: smtpspec.format_reply(250, 5),
                 lambda: smtpspec.format_reply(250, None, [1]), lambda: smtpspec.format_reply(250, None, 7),
                 lambda: smtpspec.format_reply(250, None, [], utf8=1),
                 lambda: smtpspec.format_reply(250, None, [], max_line=-5),
                 lambda: smtpspec.format_reply(250, None, [], False)):
        with pytest.raises(TypeError):
            call()
    with pytest.raises(ValueError):
        smtpspec.format_reply(250, None, ["x"], policy="drop")
    with pytest.raises(UnicodeEncodeError):
        smtpspec.format_reply(250, None, ["\udcff"])


def test_long_text_is_wrapped_within_max_line():
    words = " ".join(f"word{i}" for i in range(400))
    for max_line in (20, 64, 512):
        r = smtpspec.format_reply(250, "2.0.0", [words], max_line=max_line)
        lines = wire_lines(r.value.data)
        assert len(lines) > 1 and all(len(line) + 2 <= max_line for line in lines)
        assert all(line.startswith(b"250-2.0.0 ") for line in lines[:-1]) and lines[-1].startswith(b"250 2.0.0 ")
        assert b" ".join(line[10:] for line in lines) == words.encode()
    r = smtpspec.format_reply(250, None, ["x" * 2000])
    assert all(len(line) + 2 <= 512 for line in wire_lines(r.value.data))
    r = smtpspec.format_reply(250, "2.0.0", ["x"], max_line=12)
    assert r.error.code is ErrorCode.reply_line_too_long


FORBIDDEN = [b"\r", b"\n", b"\x00", b"\r\n", b"\x1b", b"\x7f", b"\x08"]


def test_cr_lf_nul_are_refused_at_their_offset():
    for bad in FORBIDDEN:
        lines = [b"first line", b"sec" + bad + b"ond"]
        r = smtpspec.format_reply(550, "5.7.1", lines)
        assert not r.ok and r.error.code is ErrorCode.forbidden_reply_octet
        assert r.error.offset == len(b"first line\nsec"), bad


def test_cr_lf_nul_never_reach_the_output():
    rng = random.Random(5321)
    alphabet = [b"a", b" ", b"\t", b"\xc3\xa9", b"\xff"] + FORBIDDEN
    for _ in range(500):
        lines = [b"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(rng.randint(0, 4))]
        for policy in ("refuse", "neutralise"):
            for utf8 in (False, True):
                r = smtpspec.format_reply(451, "4.3.0", lines, policy=policy, utf8=utf8, max_line=24)
                if policy == "refuse" and not r.ok:
                    assert r.error.code is ErrorCode.forbidden_reply_octet
                    assert b"\n".join(lines)[r.error.offset:r.error.offset + 1] not in (b"a", b" ", b"\t")
                    continue
                assert r.ok, (lines, policy, utf8, r.to_json())
                for line in wire_lines(r.value.data):
                    assert not any(c in line for c in b"\r\n\x00\x1b\x7f\x08"), line
                    assert line[:4] in (b"451-", b"451 ") and len(line) + 2 <= 24
                    if not utf8:
                        assert max(line, default=0) < 0x80


def test_eight_bit_text_needs_utf8():
    assert smtpspec.format_reply(250, None, ["café"]).error.code is ErrorCode.forbidden_reply_octet
    assert smtpspec.format_reply(250, None, ["café"], utf8=True).value.data == "250 café\r\n".encode()
    assert smtpspec.format_reply(250, None, ["café"], policy="neutralise").value.data == b"250 caf  \r\n"


def test_formatted_replies_parse_back():
    rng = random.Random(2034)
    for _ in range(200):
        code = rng.choice([250, 251, 421, 450, 550, 554])
        status = rng.choice([None, f"{code // 100}.{rng.randint(0, 7)}.{rng.randint(0, 30)}"])
        lines = ["".join(rng.choice("abc xyz.") for _ in range(rng.randint(1, 90))).strip() or "t"
                 for _ in range(rng.randint(1, 5))]
        r = smtpspec.format_reply(code, status, lines, max_line=rng.choice([40, 80, 512]))
        assert r.ok, r.to_json()
        (back,) = smtpspec.parse_replies(r.value.data)
        assert back.code == code and back.line_count == r.value.line_count
        assert back.enhanced == status if status else back.enhanced is None
        assert back.diagnostics == [], back.to_json()
        if all(len(line) < 30 and "  " not in line for line in lines):  # no wrapping: the same lines
            assert back.messages == lines


def test_results_outlive_their_inputs():
    lines = ["".join(["dyn", "amic"])]
    value = smtpspec.format_reply(250, None, lines).value
    del lines
    gc.collect()
    assert value.data == b"250 dynamic\r\n"


# ---- EHLO ----------------------------------------------------------------------------------------

def test_ehlo_reply_from_keywords(mirrors):
    want = b"250-mx.example hello\r\n250-SIZE 1000\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n"
    for keywords in ({"SIZE": "1000", "PIPELINING": None, "AUTH": ["PLAIN", "LOGIN"]},
                     [("SIZE", ["1000"]), "PIPELINING", ("AUTH", ("PLAIN", "LOGIN"))],
                     [(b"SIZE", b"1000"), (b"PIPELINING", []), [b"AUTH", [b"PLAIN", b"LOGIN"]]]):
        r = smtpspec.format_ehlo_reply("mx.example", "hello", keywords)
        assert r.ok and r.value.data == want, r.to_json()
        mirrors(r)
    assert smtpspec.format_ehlo_reply("mx.example").value.data == b"250 mx.example\r\n"
    assert smtpspec.format_ehlo_reply("[192.0.2.1]", None, "STARTTLS").value.data == \
        b"250-[192.0.2.1]\r\n250 STARTTLS\r\n"


def test_ehlo_reply_round_trip():
    keywords = [("SIZE", ["35882577"]), ("8BITMIME", []), ("AUTH", ["PLAIN", "LOGIN", "CRAM-MD5"]), ("DSN", [])]
    data = smtpspec.format_ehlo_reply("mx.example", "at your service", keywords).value.data
    e = smtpspec.parse_ehlo_reply(data).value
    assert (e.domain, e.greeting) == ("mx.example", "at your service")
    assert [(k.keyword, k.params) for k in e.keywords] == keywords and e.diagnostics == []


def test_ehlo_reply_errors(mirrors):
    cases = [
        (("mx.example", None, ["SIZE", "BAD KEYWORD"]), ErrorCode.invalid_ehlo_keyword, 1),
        (("mx.example", None, [("SIZE", ["1 000"])]), ErrorCode.invalid_ehlo_param, 0),
        (("mx.example", "hi\r\nthere", []), ErrorCode.forbidden_reply_octet, 2),
        (("mx.example", None, [("X", ["p" * 600])]), ErrorCode.reply_line_too_long, 0),
    ]
    for args, code, offset in cases:
        r = smtpspec.format_ehlo_reply(*args)
        assert not r.ok and (r.error.code, r.error.offset) == (code, offset), r.to_json()
        mirrors(r)
    r = smtpspec.format_ehlo_reply("not a domain!")
    assert not r.ok and r.error.code == smtpspec.parse_domain("not a domain!").error.code
    r = smtpspec.format_ehlo_reply("mx.example", "hi\r\nthere", policy="neutralise")
    assert r.value.data == b"250 mx.example hi  there\r\n"
    with pytest.raises(TypeError):
        smtpspec.format_ehlo_reply("mx.example", None, [("SIZE", "1", "2")])
    with pytest.raises(TypeError):
        smtpspec.format_ehlo_reply("mx.example", None, [42])
    with pytest.raises(TypeError):
        smtpspec.format_ehlo_reply("mx.example", enhanced_codes=True)
