"""Issue 7: the transcript readers through the Python module (read_transcript,
detect_transcript_format, transcript_formats). The shared vectors run in test_conformance.py."""

import json
import pathlib

import pytest
import smtpspec

SAMPLES = pathlib.Path(__file__).resolve().parents[2] / "tests" / "transcript" / "samples"


def test_formats_are_the_cxx_catalogue():
    names = [f["name"] for f in smtpspec.transcript_formats()]
    assert names == ["rfc", "swaks", "smtplib", "postfix_debug", "smtp_sink", "tshark_ascii", "tshark_hex", "raw", "aiosmtpd", "nodemailer",
                     "nodemailer_server", "haraka"]
    postfix = next(f for f in smtpspec.transcript_formats() if f["name"] == "postfix_debug")
    assert postfix["capabilities"]["data"] == "absent"
    assert any(m["id"] == "foreign_line" and m["kind"] == "error" for m in smtpspec.transcript_messages())


def test_rfc_style():
    t = smtpspec.read_transcript("S: 220 mx\nC: EHLO a\\r\\n\nC: QUIT\n")
    assert t.format == "rfc" and t.detected and t.ok
    assert [(e["dir"], e["text"], e["boundary"], e["exact"]) for e in t.events] == [
        ("server", "220 mx\r\n", "unknown", False),
        ("client", "EHLO a\r\n", "write", True),
        ("client", "QUIT\r\n", "same_write", False),
    ]
    assert json.loads(t.to_json()) == t.to_dict()


def test_bytes_and_str_are_the_same_input():
    text = "=== Trying 1.2.3.4:25...\n<-  220 caf\u00e9\n"
    assert smtpspec.read_transcript(text).to_json() == smtpspec.read_transcript(text.encode()).to_json()
    # any buffer: bytearray and memoryview are the same octets
    assert smtpspec.read_transcript(bytearray(text.encode())).to_json() == smtpspec.read_transcript(text).to_json()
    assert smtpspec.read_transcript(memoryview(text.encode())).to_json() == smtpspec.read_transcript(text).to_json()


def test_octets_that_are_not_utf8_come_with_hex():
    t = smtpspec.read_transcript(b"#smtpspec-raw 1\nC 41ff0d0a\n")
    assert t.events[0]["text"] == "A\ufffd\r\n"
    assert t.events[0]["hex"] == "41ff0d0a"


def test_override_errors_and_bad_arguments():
    t = smtpspec.read_transcript("S: 220 x\n", "raw")
    assert t.format == "raw" and not t.detected and not t.ok
    assert t.errors[0]["id"] == "foreign_line" and t.errors[0]["line"] == 1
    with pytest.raises(ValueError):
        smtpspec.read_transcript("x", "pcap")
    with pytest.raises(TypeError):
        smtpspec.read_transcript(42)
    capped = smtpspec.read_transcript("#smtpspec-raw 1\n" + "x\n" * 10, max_messages=3)
    assert len(capped.errors) == 3 and capped.dropped_messages == 7


def test_detect():
    assert smtpspec.detect_transcript_format("=== Trying 1.2.3.4:25...\n") == {"format": "swaks", "confidence": 100}
    assert smtpspec.detect_transcript_format(b"hello\n") == {"format": None, "confidence": 0}


@pytest.mark.parametrize("path", sorted(SAMPLES.iterdir()), ids=lambda p: p.name)
def test_every_sample_reads_without_errors(path):
    t = smtpspec.read_transcript(path.read_bytes())
    assert t.format is not None and t.ok and t.events


# ---- the streaming TranscriptReader --------------------------------------------------------------------

INTERLEAVED = pathlib.Path(__file__).resolve().parents[2] / "tests" / "lint" / "cases" / \
    "SEQ-GREETING-FIRST.good.postfix-interleaved.txt"


def streamed(data, step, **options):
    """Every answer of a TranscriptReader fed `step`-octet chunks, merged as read_transcript() answers."""
    r = smtpspec.TranscriptReader(**options)
    merged = {"events": [], "notes": [], "errors": []}

    def take(part):
        for k in merged:
            merged[k] += getattr(part, k)
        return part

    for i in range(0, len(data), step):
        take(r.feed(data[i:i + step]))
    last = take(r.finish()).to_dict()
    last.update(merged)
    return last


@pytest.mark.parametrize("path", sorted(SAMPLES.iterdir()), ids=lambda p: p.name)
def test_reader_chunks_give_read_transcript(path):
    data = path.read_bytes()
    whole = smtpspec.read_transcript(data).to_dict()
    assert streamed(data, 7) == whole
    if len(data) < 4000:
        assert streamed(data, 1) == whole


def test_reader_feed_returns_what_was_read_since():
    r = smtpspec.TranscriptReader("rfc")
    # The first 64 KiB are buffered (the reader looks ahead in them), then lines flow as they come.
    a = r.feed("S: 220 mx\nC: QU")
    assert (a.format, a.events, a.octets) == ("rfc", [], 15)
    b = r.feed(b"IT\n" + b"S: 250 ok\n" * 7000 + b"C: NO")
    assert [e["text"] for e in b.events[:3]] == ["220 mx\r\n", "QUIT\r\n", "250 ok\r\n"]
    assert len(b.events) == 7002
    assert r.feed(b"OP").events == []
    assert [e["text"] for e in r.feed(bytearray(b"\n")).events] == ["NOOP\r\n"]
    d = r.finish()
    assert (d.events, d.lines, d.octets) == ([], 7003, 70026)
    detecting = smtpspec.TranscriptReader()
    assert detecting.feed("S: 220 mx\n").format is None  # not detected yet
    assert detecting.finish().format == "rfc"
    with pytest.raises(ValueError):
        r.feed("x")
    with pytest.raises(ValueError):
        smtpspec.TranscriptReader("pcap")
    with pytest.raises(TypeError):
        smtpspec.TranscriptReader().feed(42)


def test_reader_interleaved_postfix_processes():
    data = INTERLEAVED.read_bytes()
    whole = smtpspec.read_transcript(data)
    assert [e["dir"] for e in whole.events].count("connect") == 2
    assert whole.notes[0]["id"] == "interleaved_processes"
    assert streamed(data, 7) == whole.to_dict()
    small = smtpspec.read_transcript(data, max_held=200)
    assert small.errors[0]["id"] == "held_lines_overflow"
    assert [e["dir"] for e in small.events].count("connect") == 1
    assert streamed(data, 7, max_held=200) == small.to_dict()


def test_reader_bad_input_never_crashes():
    junk = bytes((i * 7919 + 13) & 0xFF for i in range(3000))
    for data, options in ((junk, {}), (junk, {"format": "raw"}), (b"C: DATA\nS: 354\nC: half", {}),
                          (b"C: " + b"A" * 5000 + b"\n", {"max_line": 100, "format": "rfc"})):
        assert streamed(data, 7, **options) == smtpspec.read_transcript(data, **options).to_dict()
    assert smtpspec.read_transcript(junk).errors
