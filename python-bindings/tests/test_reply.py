"""The client side: ReplyParser, parse_replies, parse_ehlo_reply, the reply catalogue."""

import gc
import json
import random
import subprocess
import sys
import textwrap

import pytest
import smtpspec
from conftest import mirror_mismatches
from smtpspec import ErrorCode, ReplyDiagnosticId as D

# A stream with something of everything: multi-line and enhanced replies, a mixed code, a bad
# enhanced code, a bare LF, a bare CR, 8-bit and invalid UTF-8 text, NUL, an over-long line, codes
# like 2500 and 25, and an unfinished reply at the end.
STREAM = (
    b"220 mx.example ESMTP\r\n"
    b"250-mx.example greets you\r\n250-SIZE 1000\r\n250-8BITMIME\r\n250 PIPELINING\r\n"
    b"550-5.1.1 No such user\r\n550 5.1.1 Try again\r\n"
    b"250-2.1.0 ok\r\n251 2.1.0 other code\r\n"
    b"250 5.1.1 class mismatch\r\n"
    b"250 2.01.1 near miss\r\n"
    b"250 bare lf\n"
    b"250 bare\rcr\r\n"
    b"250 caf\xc3\xa9 and \xff\xfe bytes\r\n"
    b"250 nul\x00here\r\n"
    b"250 " + b"x" * 600 + b"\r\n"
    b"2500 four digits\r\n"
    b"25 two digits\r\n"
    b"354\r\n"
    b"250-unfinished\r\n250-still"
)


def dumps(replies):
    return "[" + ",".join(r.to_json() for r in replies) + "]"


def fed(data, cuts, **options):
    parser = smtpspec.ReplyParser(**options)
    out, start = [], 0
    for cut in list(cuts) + [len(data)]:
        out += parser.feed(data[start:cut])
        start = cut
    return out + parser.finish()


def test_single_and_multiline_replies():
    replies = smtpspec.parse_replies(b"220 ready\r\n250-a.example hi\r\n250-SIZE 10\r\n250 HELP\r\n")
    assert [r.code for r in replies] == [220, 250]
    one, many = replies
    assert (one.multiline, one.line_count, one.messages, one.valid) == (False, 1, ["ready"], True)
    assert (many.multiline, many.line_count) == (True, 3)
    assert [line.text for line in many.lines] == ["a.example hi", "SIZE 10", "HELP"]
    assert [line.offset for line in many.lines] == [11, 29, 42]
    assert many.offset == one.length == 11 and many.diagnostics == []
    assert many.enhanced is None


def test_enhanced_codes_and_messages():
    (r,) = smtpspec.parse_replies("551-5.7.1 Forwarding disabled\r\n551 5.7.1 Select another host\r\n")
    assert r.code == 551 and r.enhanced == "5.7.1" and r.enhanced.cls == 5
    assert r.messages == ["Forwarding disabled", "Select another host"]
    assert [line.text for line in r.lines] == ["5.7.1 Forwarding disabled", "5.7.1 Select another host"]


def test_every_violation_has_a_diagnostic_with_its_rule():
    replies = smtpspec.parse_replies(STREAM)
    found = {d.id for r in replies for d in r.diagnostics}
    for rule in (D.mixed_reply_codes, D.enhanced_status_class_mismatch, D.enhanced_status_syntax, D.bare_lf,
                 D.bare_cr, D.eight_bit_text, D.control_character, D.line_too_long, D.reply_code_syntax,
                 D.code_without_text, D.unterminated_line, D.unterminated_reply):
        assert rule in found, rule
    for r in replies:
        for d in r.diagnostics:
            assert isinstance(d.id, D)
            assert d.rfc.startswith("RFC ") and d.message and d.severity in ("info", "warning", "error")
            assert r.offset <= d.offset <= r.offset + r.length
        assert r.valid == all(d.severity != "error" for d in r.diagnostics)


def test_replies_tile_the_stream():
    replies = smtpspec.parse_replies(STREAM)
    at = 0
    for r in replies:
        assert r.offset == at and r.length > 0
        at += r.length
    assert at == len(STREAM)


@pytest.mark.parametrize("line, bad_offset", [(b"2500 OK\r\n", 3), (b"25 OK\r\n", 2), (b"x50 OK\r\n", 0)])
def test_codes_that_are_not_three_digits(line, bad_offset):
    (r,) = smtpspec.parse_replies(line)
    assert r.code is None and not r.valid
    assert [(d.id, d.offset) for d in r.diagnostics] == [(D.reply_code_syntax, bad_offset)]
    assert r.lines[0].data == line.rstrip(b"\r\n")


def test_out_of_range_code_is_kept_with_a_diagnostic():
    (r,) = smtpspec.parse_replies(b"160 odd\r\n")
    assert r.code == 160 and D.reply_code_out_of_range in [d.id for d in r.diagnostics]


def test_eight_bit_text_is_decoded_like_the_json():
    (r,) = smtpspec.parse_replies(b"250 caf\xc3\xa9 \xff\xe2\x82 end\r\n")
    line = r.lines[0]
    assert line.data == b"caf\xc3\xa9 \xff\xe2\x82 end"
    assert line.text == line.data.decode("utf-8", "replace") == r.to_dict()["lines"][0]["text"]
    assert [d.id for d in r.diagnostics] == [D.eight_bit_text]
    assert r.diagnostics[0].offset == 7


def test_missing_crlf_and_missing_last_line():
    parser = smtpspec.ReplyParser()
    assert parser.feed(b"250 no end") == []
    (r,) = parser.finish()
    assert r.code == 250 and r.messages == ["no end"]
    assert [(d.id, d.offset) for d in r.diagnostics] == [(D.unterminated_line, 10)]
    (r,) = smtpspec.parse_replies(b"250-first\r\n250-second\r\n")
    assert r.line_count == 2 and [d.id for d in r.diagnostics] == [D.unterminated_reply]
    assert smtpspec.parse_replies(b"") == []


def test_bare_lf_ends_a_line_unless_told_otherwise():
    (r,) = smtpspec.parse_replies(b"250 OK\n")
    assert [(d.id, d.offset) for d in r.diagnostics] == [(D.bare_lf, 6)] and r.length == 7
    (r,) = smtpspec.parse_replies(b"250 a\nb\r\n", lf_ends_line=False)
    assert r.lines[0].data == b"a\nb" and D.bare_lf in [d.id for d in r.diagnostics]


def test_a_10_mb_line_is_bounded():
    big = b"250 " + b"y" * (10 * 1024 * 1024) + b"\r\n"
    whole = smtpspec.parse_replies(big)
    (r,) = whole
    (diag,) = r.diagnostics
    assert diag.id is D.line_too_long
    kept = r.lines[0].data
    assert kept == b"y" * len(kept) and len(kept) == diag.offset - 4  # the first max_line - 2 octets
    assert r.length == len(big) and r.line_count == 1
    chunked = fed(big, range(65536, len(big), 65536))
    assert dumps(chunked) == dumps(whole)
    (r,) = smtpspec.parse_replies(big, max_line=100)
    assert len(r.lines[0].data) == 98 - 4 and r.diagnostics[0].offset == 98


def test_100000_continuation_lines_keep_max_lines():
    data = b"250-x\r\n" * 100_000 + b"250 end\r\n"
    (r,) = smtpspec.parse_replies(data)
    assert r.line_count == 100_001 and r.length == len(data)
    assert 0 < len(r.lines) < r.line_count
    assert [d.id for d in r.diagnostics] == [D.too_many_lines]
    assert r.diagnostics[0].offset == r.lines[-1].offset + len(b"250-x\r\n")
    (r,) = smtpspec.parse_replies(data, max_lines=10)
    assert len(r.lines) == 10 and r.line_count == 100_001


def test_memory_stays_bounded_over_a_long_reply():
    # In a fresh interpreter, so that the peak RSS is this test's: 100,000 continuation lines of
    # 500 octets (50 MB) fed in chunks must not grow the process by anything like that.
    script = textwrap.dedent("""
        import resource, smtpspec
        chunk = (b"250-" + b"x" * 500 + b"\\r\\n") * 1000
        parser = smtpspec.ReplyParser()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        for _ in range(100):
            assert parser.feed(chunk) == []
        (r,) = parser.feed(b"250 end\\r\\n")
        assert r.line_count == 100_001, r.line_count
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
    """)
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    grown_kb = int(out)
    assert grown_kb < 16 * 1024, f"RSS grew by {grown_kb} KB for 50 MB of reply lines"


def test_any_split_gives_the_same_replies():
    whole = dumps(smtpspec.parse_replies(STREAM))
    for cut in range(len(STREAM) + 1):
        assert dumps(fed(STREAM, [cut])) == whole, cut
    assert dumps(fed(STREAM, range(1, len(STREAM)))) == whole
    rng = random.Random(4)
    for _ in range(200):
        cuts = sorted(rng.sample(range(1, len(STREAM)), rng.randint(2, 40)))
        assert dumps(fed(STREAM, cuts)) == whole, cuts


def test_any_split_of_random_streams():
    rng = random.Random(25)
    pieces = [b"250", b"-", b" ", b"\r", b"\n", b"\r\n", b"5.1.1", b"2.0.0", b"x", b"\xff", b"\x00", b"550", b"25"]
    for _ in range(300):
        data = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        whole = dumps(smtpspec.parse_replies(data, max_line=16, max_lines=3, max_diagnostics=2))
        cuts = sorted(rng.sample(range(len(data) + 1), min(len(data) + 1, rng.randint(0, 6))))
        assert dumps(fed(data, cuts, max_line=16, max_lines=3, max_diagnostics=2)) == whole, (data, cuts)


def test_attributes_mirror_the_json():
    for r in smtpspec.parse_replies(STREAM):
        assert r.to_dict() == json.loads(r.to_json())
        problems = mirror_mismatches(r, r.to_dict(), "reply")
        assert not problems, problems


def test_parser_state():
    parser = smtpspec.ReplyParser()
    assert (parser.consumed, parser.finished) == (0, False)
    assert parser.feed("250-a\r\n") == [] and parser.consumed == 7
    (r,) = parser.feed(bytearray(b"250 b\r\n"))
    assert r.line_count == 2
    assert parser.feed(memoryview(b"xx250 c\r\nyy")[2:9])[0].messages == ["c"]
    assert parser.finish() == [] and parser.finished
    assert parser.feed(b"250 ignored\r\n") == [] and parser.finish() == []  # until reset()
    parser.reset()
    assert (parser.consumed, parser.finished) == (0, False)
    (r,) = parser.feed(b"221 bye\r\n")
    assert (r.code, r.offset) == (221, 0)


def test_parse_replies_is_feed_and_finish():
    assert dumps(smtpspec.parse_replies(STREAM)) == dumps(fed(STREAM, []))
    assert dumps(smtpspec.parse_replies(STREAM.decode("latin-1").encode("latin-1"))) == dumps(fed(STREAM, []))


def test_options_are_checked():
    with pytest.raises(TypeError):
        smtpspec.ReplyParser(max_line=-1)
    with pytest.raises(TypeError):
        smtpspec.ReplyParser(lf_ends_line=1)
    with pytest.raises(TypeError):
        smtpspec.ReplyParser(512)  # options are keyword-only
    with pytest.raises(TypeError):
        smtpspec.parse_replies(b"250 OK\r\n", max_lines="3")
    with pytest.raises(TypeError):
        smtpspec.ReplyParser().feed(250)
    with pytest.raises(UnicodeEncodeError):
        smtpspec.ReplyParser().feed("250 \udcff\r\n")
    with pytest.raises(TypeError):
        smtpspec.Reply()


def test_views_outlive_their_reply():
    (r,) = smtpspec.parse_replies(b"550-5.1.1 a\r\n550 5.1.1 b\r\n")
    lines, enhanced, diags = r.lines, r.enhanced, smtpspec.parse_replies(b"25 x\r\n")[0].diagnostics
    del r
    gc.collect()
    assert [line.text for line in lines] == ["5.1.1 a", "5.1.1 b"]
    assert enhanced.text == "5.1.1" and diags[0].id is D.reply_code_syntax


# ---- EHLO ----------------------------------------------------------------------------------------

EHLO = b"250-mx.example Hello client\r\n250-SIZE 35882577\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250 STARTTLS\r\n"


def test_ehlo_reply_keywords_and_params(mirrors):
    (reply,) = smtpspec.parse_replies(EHLO)
    for r in (smtpspec.parse_ehlo_reply(reply), smtpspec.parse_ehlo_reply(EHLO), smtpspec.parse_ehlo_reply(EHLO.decode())):
        assert r.ok and isinstance(r, smtpspec.EhloReplyResult)
        e = r.value
        assert (e.domain, e.greeting) == ("mx.example", "Hello client")
        assert [(k.keyword, k.params) for k in e.keywords] == [
            ("SIZE", ["35882577"]), ("AUTH", ["PLAIN", "LOGIN"]), ("8BITMIME", []), ("STARTTLS", [])]
        assert e.find("auth").params == ["PLAIN", "LOGIN"] and e.find("AUTH").keyword == "AUTH"
        assert e.find("CHUNKING") is None and e.diagnostics == []
        mirrors(r)


def test_ehlo_reply_oddities_are_diagnostics(mirrors):
    r = smtpspec.parse_ehlo_reply(b"250-[192.0.2.1]\r\n250 AUTH=LOGIN PLAIN\r\n")
    assert r.ok and r.value.greeting is None and r.value.domain == "[192.0.2.1]"
    assert [d.id for d in r.value.diagnostics] == [D.ehlo_keyword_syntax]
    assert r.value.keywords[0].keyword == "AUTH=LOGIN"
    mirrors(r)
    bad = smtpspec.parse_ehlo_reply(b"250 -not-a-domain\r\n")
    assert [d.id for d in bad.value.diagnostics] == [D.ehlo_domain_syntax]


@pytest.mark.parametrize("stream", [b"550 no\r\n", b"", b"2500 x\r\n", b"\r\n"])
def test_not_an_ehlo_reply_is_an_error(stream, mirrors):
    r = smtpspec.parse_ehlo_reply(stream)
    assert not r.ok and r.error.code is ErrorCode.invalid_ehlo_reply
    mirrors(r)
    with pytest.raises(TypeError):
        smtpspec.parse_ehlo_reply(250)


def test_ehlo_values_outlive_the_result():
    kw = smtpspec.parse_ehlo_reply(EHLO).value.find("size")
    gc.collect()
    assert kw.params == ["35882577"]


# ---- the catalogue -------------------------------------------------------------------------------

def test_reply_catalogue():
    cat = smtpspec.reply_catalogue()
    assert set(cat) == {"standard_replies", "sequences", "reply_diagnostics"}
    codes = {row["code"] for row in cat["standard_replies"]}
    assert {row["code"] for row in cat["sequences"]} <= codes
    assert {row["kind"] for row in cat["sequences"]} <= {"intermediate", "success", "error"}
    assert [row["id"] for row in cat["reply_diagnostics"]] == [m.value for m in D]
    for row in cat["standard_replies"]:
        assert 200 <= row["code"] <= 599 and row["text"]
