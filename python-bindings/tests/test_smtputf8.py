"""SMTPUTF8 (RFC 6531) from Python: the smtputf8= option, IDNA conversions, canonical forms."""
import pytest

import smtpspec


def test_off_by_default_names_rfc6531():
    r = smtpspec.parse_mailbox("用户@example.com")
    assert not r.ok
    assert r.error.code == "non_ascii"
    assert r.error.rfc == "RFC 6531 §3.3"


def test_utf8_mailbox_and_domain_forms():
    r = smtpspec.parse_mailbox("δοκιμή@παράδειγμα.δοκιμή", smtputf8=True)
    assert r.ok, r.to_json()
    d = r.value.domain
    assert d.ascii == "xn--hxajbheg2az3al.xn--jxalpdlp"
    assert d.unicode == "παράδειγμα.δοκιμή"
    assert r.to_dict()["value"]["domain"]["ascii"] == d.ascii


def test_literal_has_no_forms():
    d = smtpspec.parse_domain("[192.0.2.1]").value
    assert d.ascii is None and d.unicode is None


def test_ill_formed_utf8_offsets_count_octets():
    r = smtpspec.parse_mailbox(b"ab\xed\xa0\x80@example.com", smtputf8=True)
    assert (r.error.code, r.error.offset) == ("utf8_surrogate", 2)


@pytest.mark.parametrize("text, ascii_form", [("bücher.de", "xn--bcher-kva.de"), ("XN--ZCA.de", "xn--zca.de"),
                                              ("Example.COM", "example.com")])
def test_domain_to_ascii(text, ascii_form):
    r = smtpspec.domain_to_ascii(text)
    assert r.ok and r.value == ascii_form
    assert r.to_dict() == {"ok": True, "value": ascii_form, "diagnostics": []}


def test_domain_to_unicode_and_lenient_mapping():
    assert smtpspec.domain_to_unicode("xn--bcher-kva.de").value == "bücher.de"
    strict = smtpspec.domain_to_ascii("例子。广告")
    assert strict.error.code == "ideographic_full_stop"
    lenient = smtpspec.domain_to_ascii("例子。广告", lenient=True)
    assert lenient.value == "xn--fsqu00a.xn--4rr70v"
    assert [d.id for d in lenient.diagnostics] == ["ideographic_full_stop"]


@pytest.mark.parametrize("bad, code", [("", "empty_input"), ("[1.2.3.4]", "syntax_error"),
                                       (b"\xc0\x80.de", "utf8_overlong"), ("xn--zz.de", "idna_punycode"),
                                       ("😀.de", "idna_disallowed"), ("é" * 2000, "idna_domain_too_long")])
def test_conversion_bad_input_is_a_value(bad, code):
    r = smtpspec.domain_to_ascii(bad)
    assert not r.ok and r.value is None
    assert r.error.code == code


def test_option_type_checked():
    with pytest.raises(TypeError):
        smtpspec.parse_mailbox("a@b", smtputf8=1)


def test_mail_without_smtputf8_parameter_is_noted():
    r = smtpspec.parse_command("MAIL FROM:<用户@例子.广告>", smtputf8=True)
    assert r.ok
    assert [d.id for d in r.diagnostics] == ["smtputf8_parameter_missing"]
