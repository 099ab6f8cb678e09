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
