"""smtpspec.lint / lint_rules (issue 7): the C++ linter from Python, each output format, select and
ignore, bad input, and the transcript corpus (conformance/transcripts/) against its .findings.json."""

import json
import xml.etree.ElementTree as ET

import pytest
import smtpspec
from conftest import ROOT

CASES = ROOT / "tests" / "lint" / "cases"
CORPUS = ROOT / "conformance" / "transcripts"
ESC_BAD = (CASES / "ESC-MISSING.bad.txt").read_text(encoding="utf-8")
ESC_GOOD = (CASES / "ESC-MISSING.good.txt").read_text(encoding="utf-8")


def corpus_files():
    return [p for sub in ("rfc", "real") for p in sorted((CORPUS / sub).iterdir())
            if p.is_file() and p.name != "README.md" and not p.name.endswith(".findings.json")]


def test_json_is_a_dict_with_the_finding():
    r = smtpspec.lint(ESC_BAD)
    assert r["format"] == "rfc"
    assert r["counts"]["error"] >= 1
    esc = [f for f in r["findings"] if f["rule"] == "ESC-MISSING"]
    assert len(esc) == 1
    f = esc[0]
    assert (f["line"], f["severity"], f["side"], f["rfc"], f["section"]) == (16, "error", "server", "RFC 2034", "§4")
    assert f["octets"] == "250 ok\\r\\n"
    assert f["url"] == "https://www.rfc-editor.org/rfc/rfc2034#section-4"
    assert r["rules"]["ESC-MISSING"] == 1


def test_json_text_equals_dict_and_cli_shape():
    text = smtpspec.lint_json(ESC_BAD)
    assert json.loads(text) == smtpspec.lint(ESC_BAD)
    assert list(json.loads(text)) == ["format", "capabilities", "connections", "counts", "rules",
                                      "undecidable_rules", "findings"]


def test_clean_transcript_has_no_esc_finding():
    assert smtpspec.lint(ESC_GOOD, select=["ESC-MISSING"])["findings"] == []


def test_bytes_and_str_agree():
    assert smtpspec.lint(ESC_BAD.encode()) == smtpspec.lint(ESC_BAD)
    assert smtpspec.lint(bytearray(ESC_BAD.encode())) == smtpspec.lint(ESC_BAD)


def test_text_output():
    out = smtpspec.lint(ESC_BAD, "text", file="session.txt", select=["ESC-MISSING"])
    assert out.startswith("session.txt:16: error: ESC-MISSING [server] ")
    assert 'RFC 2034 §4: "These codes must appear' in out
    assert out.endswith("session.txt: 1 error(s), 0 warning(s), 0 info, 0 cannot decide\n")


def test_junit_output():
    out = smtpspec.lint(ESC_BAD, format="junit", select="ESC-MISSING", file="s.txt")
    root = ET.fromstring(out)
    assert root.tag == "testsuites" and root.get("failures") == "1" and root.get("tests") == "1"
    suite = root.find("testsuite")
    assert suite.get("name") == "s.txt"
    case = suite.find("testcase")
    assert case.get("name") == "ESC-MISSING" and case.find("failure") is not None


def test_sarif_output():
    doc = json.loads(smtpspec.lint(ESC_BAD, format="sarif", file="s.txt"))
    assert doc["version"] == "2.1.0"
    results = doc["runs"][0]["results"]
    esc = [r for r in results if r["ruleId"] == "ESC-MISSING"]
    assert len(esc) == 1 and esc[0]["level"] == "error"


def test_select_prefix_and_ignore():
    everything = smtpspec.lint(ESC_BAD)
    esc_only = smtpspec.lint(ESC_BAD, select=["esc-*"])
    assert {f["rule"] for f in esc_only["findings"]} == {"ESC-MISSING"}
    assert smtpspec.lint(ESC_BAD, select="ESC-*,LINE-*") == smtpspec.lint(ESC_BAD, select=["ESC-*", "LINE-*"])
    ignored = smtpspec.lint(ESC_BAD, ignore=["ESC-MISSING"])
    assert "ESC-MISSING" not in ignored["rules"]
    assert ignored["counts"]["error"] == everything["counts"]["error"] - 1
    assert smtpspec.lint(ESC_BAD, select=["ESC-*"], ignore=["ESC-*"])["findings"] == []


def test_show_undecidable_and_lmtp():
    missing = (CASES / "REPLY-MISSING.bad.txt").read_text(encoding="utf-8")
    counted = smtpspec.lint(missing, select=["REPLY-MISSING"])
    shown = smtpspec.lint(missing, select=["REPLY-MISSING"], show_undecidable=True)
    assert counted["counts"]["undecidable"] == 1 and counted["findings"] == []
    assert [f["kind"] for f in shown["findings"]] == ["undecidable"]
    lmtp = ("S: 220 mx LMTP\r\nC: LHLO a\r\nS: 250 mx\r\nC: MAIL FROM:<a@b>\r\nS: 250 ok\r\n"
            "C: RCPT TO:<c@d>\r\nS: 250 ok\r\nC: RCPT TO:<e@f>\r\nS: 250 ok\r\nC: DATA\r\nS: 354 go\r\n"
            "C: hi\r\nC: .\r\nS: 250 ok\r\nS: 250 ok\r\nC: QUIT\r\nS: 221 bye\r\n")
    assert smtpspec.lint(lmtp, select=["REPLY-AFTER-DATA-ONE"])["rules"] == {"REPLY-AFTER-DATA-ONE": 1}
    assert smtpspec.lint(lmtp, select=["REPLY-AFTER-DATA-ONE"], lmtp=True)["rules"] == {}


def test_transcript_format_option():
    text = "S: 220 mx\nC: QUIT\nS: 221 bye\n"
    assert smtpspec.lint(text, transcript_format="rfc")["format"] == "rfc"
    with pytest.raises(ValueError):
        smtpspec.lint(text, transcript_format="no-such-format")


def test_bad_arguments():
    with pytest.raises(ValueError):
        smtpspec.lint(ESC_BAD, format="html")
    with pytest.raises(ValueError):
        smtpspec.lint(ESC_BAD, select=["NO-SUCH-RULE"])
    with pytest.raises(ValueError):
        smtpspec.lint(ESC_BAD, ignore="NOPE")
    with pytest.raises(TypeError):
        smtpspec.lint(12345)
    with pytest.raises(TypeError):
        smtpspec.lint(ESC_BAD, select=[1])


@pytest.mark.parametrize("data", ["", "\x00\xff garbage\n" * 3, "S: 2", "C:\n" * 1000, b"\xff\xfe\r\r\n\n",
                                  "S: 250-" + "x" * 100000 + "\r\n"])
def test_bad_input_is_a_report(data):
    r = smtpspec.lint(data)
    assert set(r["counts"]) == {"error", "warning", "info", "undecidable", "dropped"}
    assert isinstance(smtpspec.lint(data, "text"), str)


def test_rules_catalogue():
    rules = smtpspec.lint_rules()
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)) and "ESC-MISSING" in ids
    esc = rules[ids.index("ESC-MISSING")]
    assert esc["rfc"] == "RFC 2034" and esc["severity"] == "error" and esc["side"] == "server"
    assert esc["implemented"] is True and esc["url"].startswith("https://www.rfc-editor.org/rfc/rfc2034")
    assert set(esc) == {"id", "rfc", "section", "severity", "side", "quote", "summary", "url", "implemented"}
    rules[0]["id"] = "changed"  # a copy: the catalogue itself does not change
    assert smtpspec.lint_rules()[0]["id"] == ids[0]


def test_corpus_is_there():
    assert len(corpus_files()) > 100


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_findings(path):
    expected = path.with_name(path.name + ".findings.json").read_text(encoding="utf-8")
    assert smtpspec.lint_json(path.read_bytes()) + "\n" == expected


# ---- the streaming Linter --------------------------------------------------------------------------------

def streamed(data, step, **options):
    lt = smtpspec.Linter(**options)
    for i in range(0, len(data), step):
        lt.feed(data[i:i + step])
    return lt.finish_json()


def test_linter_7_octet_chunks_of_every_corpus_file():
    files = corpus_files()
    assert len(files) > 100
    bad = [p.name for p in files if streamed(p.read_bytes(), 7) != smtpspec.lint_json(p.read_bytes())]
    assert bad == []
    maillog = (CORPUS / "real" / "postfix-server-maillog.txt").read_bytes()
    for fmt in ("text", "junit", "sarif"):
        assert streamed(maillog, 7, format=fmt, file="m.log") == smtpspec.lint(maillog, fmt, file="m.log")


def test_linter_1_octet_chunks_str_chunks_and_options():
    data = (CASES / "ESC-MISSING.bad.txt").read_bytes()
    assert streamed(data, 1) == smtpspec.lint_json(data)
    assert streamed(data, 1, select="ESC-*", show_undecidable=True) == \
        smtpspec.lint_json(data, select="ESC-*", show_undecidable=True)
    lt = smtpspec.Linter(select=["ESC-MISSING"])
    for i in range(0, len(ESC_BAD), 5):
        lt.feed(ESC_BAD[i:i + 5])
    r = lt.finish()
    assert r == smtpspec.lint(ESC_BAD, select=["ESC-MISSING"]) and r["rules"]["ESC-MISSING"] == 1
    with pytest.raises(ValueError):
        lt.feed("x")
    with pytest.raises(ValueError):
        smtpspec.Linter(select=["NOPE"])
    with pytest.raises(ValueError):
        smtpspec.Linter("yaml")
    with pytest.raises(TypeError):
        smtpspec.Linter().feed(42)


def test_linter_interleaved_postfix_maillog_one_connection_per_process():
    data = (CASES / "SEQ-GREETING-FIRST.good.postfix-interleaved.txt").read_bytes()
    whole = smtpspec.lint(data)
    assert whole["connections"] == 2
    assert whole["counts"] == {"error": 0, "warning": 0, "info": 0, "undecidable": 0, "dropped": 0}
    assert streamed(data, 7) == smtpspec.lint_json(data)
    merged = smtpspec.lint(data.replace(b"smtpd[4102]", b"smtpd[4101]"))
    assert merged["counts"]["error"] > 0


def test_linter_bad_input_never_crashes():
    junk = bytes((i * 7919 + 13) & 0xFF for i in range(5000))
    truncated = (b"S: 220 mx\r\nC: EHLO a\r\nS: 250 mx\r\nC: MAIL FROM:<a@b>\r\nS: 250 ok\r\n"
                 b"C: RCPT TO:<c@d>\r\nS: 250 ok\r\nC: DATA\r\nS: 354 go\r\nC: Subject: half")
    for data in (junk, truncated, b"\x00\xff\r\r\n\n", b""):
        for step in (1, 7, 4096):
            out = streamed(data, step)
            assert out == smtpspec.lint_json(data)
            assert list(json.loads(out)["counts"]) == ["error", "warning", "info", "undecidable", "dropped"]


def test_linter_large_input_in_chunks_stays_bounded():
    import resource
    session = (CASES / "ESC-MISSING.good.txt").read_bytes() * 200  # ~100 KB per feed
    lt = smtpspec.Linter(select=["ESC-*"])
    lt.feed(session)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB
    for _ in range(400):  # ~40 MB in all
        lt.feed(session)
    r = lt.finish()
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert r["format"] == "rfc"
    assert grown < 16 * 1024, f"max RSS grew {grown} KiB"
