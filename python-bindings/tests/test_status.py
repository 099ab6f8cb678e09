"""Enhanced status codes (RFC 3463 §2): parse_enhanced_status, EnhancedStatus and the registry."""

import gc
import json

import pytest
import smtpspec
from conftest import assert_mirrors
from smtpspec import ErrorCode

CATALOGUE = smtpspec.enhanced_status_catalogue()
CLASSES = [row["class"] for row in CATALOGUE["classes"]]


def test_valid_code(mirrors):
    r = smtpspec.parse_enhanced_status("5.1.1")
    assert r.ok and r.error is None and r.diagnostics == []
    s = r.value
    assert isinstance(s, smtpspec.EnhancedStatus)
    assert (s.text, s.cls, s.subject, s.detail) == ("5.1.1", 5, 1, 1)
    assert str(s) == "5.1.1" and repr(s) == "EnhancedStatus('5.1.1')"
    assert r.to_dict()["value"] == {"text": "5.1.1", "class": 5, "subject": 1, "detail": 1}
    mirrors(r)


def test_largest_parts():
    s = smtpspec.parse_enhanced_status("4.999.999").value
    assert (s.cls, s.subject, s.detail) == (4, 999, 999)


@pytest.mark.parametrize("text", [
    "2500", "25", "", "5", "5.", "5.1", "5.1.", "5..1", "5.01.1", "5.1.01", "6.1.1", "3.1.1", "0.0.0",
    "5.1000.1", "5.1.1000", "5.1.1 ", " 5.1.1", "5.1.1.1", "5,1,1", "x.1.1", "5.1.1\r\n",
    "5.1.1\x00", "5.1.é", "５.1.1",
])
def test_invalid_codes_are_errors_inside_the_input(text, mirrors):
    r = smtpspec.parse_enhanced_status(text)
    assert not r.ok and r.value is None
    e = r.error
    assert e.code is ErrorCode.invalid_enhanced_status
    assert 0 <= e.offset <= len(text.encode())
    assert e.expected and e.rfc.startswith("RFC 3463") and e.reply[:1] in "45"
    mirrors(r)


def test_error_offset_names_the_first_bad_octet():
    assert smtpspec.parse_enhanced_status("5.01.1").error.offset == 2
    assert smtpspec.parse_enhanced_status("2500").error.offset == 1
    assert smtpspec.parse_enhanced_status("5.1.1x").error.offset == 5


def test_bytes_str_and_buffers_agree():
    for text in ["2.0.0", "5.7.30", "5.01.1", "25"]:
        want = smtpspec.parse_enhanced_status(text).to_json()
        assert smtpspec.parse_enhanced_status(text.encode()).to_json() == want
        assert smtpspec.parse_enhanced_status(bytearray(text.encode())).to_json() == want
        assert smtpspec.parse_enhanced_status(memoryview(text.encode())).to_json() == want
    r = smtpspec.parse_enhanced_status(b"5.1.\xff")
    assert r.error.code is ErrorCode.invalid_enhanced_status and r.error.offset == 4
    json.loads(r.to_json())


def test_bad_argument_types():
    for bad in (511, None, ["5.1.1"]):
        with pytest.raises(TypeError):
            smtpspec.parse_enhanced_status(bad)
    with pytest.raises(TypeError):
        smtpspec.parse_enhanced_status()
    with pytest.raises(UnicodeEncodeError):
        smtpspec.parse_enhanced_status("5.1.\udcff")


def test_equality_and_hashing():
    a = smtpspec.parse_enhanced_status("5.1.1").value
    b = smtpspec.parse_enhanced_status(b"5.1.1").value
    c = smtpspec.parse_enhanced_status("4.1.1").value
    assert a == b and a != c
    assert a == "5.1.1" and a != "5.1.2" and a != 511
    assert hash(a) == hash(b) == hash("5.1.1")
    assert len({a, b, c}) == 2


def test_values_outlive_their_result():
    s = smtpspec.parse_enhanced_status("".join(["4", ".7.", "26"])).value
    gc.collect()
    assert (s.text, s.cls, s.subject, s.detail) == ("4.7.26", 4, 7, 26)


def test_every_registry_code_parses_in_every_class():
    assert CLASSES and CATALOGUE["codes"]
    for row in CATALOGUE["codes"]:
        assert row["code"].startswith("X.")
        for cls in CLASSES:
            r = smtpspec.parse_enhanced_status(f"{cls}{row['code'][1:]}")
            assert r.ok, row
            assert (r.value.cls, r.value.subject, r.value.detail) == (cls, row["subject"], row["detail"])
            assert_mirrors(r)


def test_catalogue_shape():
    assert set(CATALOGUE) == {"classes", "subjects", "codes"}
    assert {"X.1.1", "X.7.30"} <= {row["code"] for row in CATALOGUE["codes"]}  # the registry's range
    subjects = {row["subject"] for row in CATALOGUE["subjects"]}
    assert {row["subject"] for row in CATALOGUE["codes"]} <= subjects
    for row in CATALOGUE["codes"]:
        assert set(row) == {"code", "subject", "detail", "text", "basic_codes", "basic_list", "rfc", "description"}
        assert all(isinstance(n, int) for n in row["basic_list"])
        assert all(str(n) in row["basic_codes"] for n in row["basic_list"])


def test_default_reply_code_follows_the_registry():
    for row in CATALOGUE["codes"]:
        for cls in CLASSES:
            s = smtpspec.parse_enhanced_status(f"{cls}.{row['subject']}.{row['detail']}").value
            code = s.default_reply_code
            assert code // 100 == cls, (s, code)
            listed = [n for n in row["basic_list"] if n // 100 == cls]
            if listed:
                assert code == listed[0], (s, code, listed)
