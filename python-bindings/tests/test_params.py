"""Typed ESMTP parameters: parse_esmtp_params and the typed values of MAIL/RCPT in parse_command."""

import json

import pytest
import smtpspec
from smtpspec import DiagnosticId, ErrorCode, Verb


def test_typed_mail_params(mirrors):
    r = smtpspec.parse_esmtp_params("MAIL", "SIZE=12345 BODY=8BITMIME RET=HDRS ENVID=QQ+2B314159 AUTH=<>")
    assert r.ok, r.to_json()
    assert isinstance(r, smtpspec.EsmtpParamsResult)
    assert [p.keyword for p in r.value] == ["SIZE", "BODY", "RET", "ENVID", "AUTH"]
    assert [p.extension for p in r.value] == ["SIZE", "8BITMIME", "DSN", "DSN", "AUTH"]
    assert [p.typed for p in r.value] == [
        {"size": 12345}, {"body": "8BITMIME"}, {"ret": "HDRS"}, {"envid": "QQ+314159"}, {"mailbox": None}]
    assert r.value[0].to_dict() == {"keyword": "SIZE", "value": "12345", "extension": "SIZE", "typed": {"size": 12345}}
    mirrors(r)


def test_typed_rcpt_params_and_bytes(mirrors):
    r = smtpspec.parse_esmtp_params(Verb.RCPT, b"NOTIFY=FAILURE,SUCCESS ORCPT=utf-8;J\\x{E9}r\\x{F4}me@example.com")
    assert r.ok
    assert r.value[0].typed == {"notify": ["SUCCESS", "FAILURE"]}
    assert r.value[1].typed == {"addr_type": "utf-8", "address": "Jérôme@example.com", "encoding": "utf-8-addr-xtext"}
    mirrors(r)


def test_command_params_are_typed(mirrors):
    r = smtpspec.parse_command("MAIL FROM:<a@b> SIZE=1 X-FOO=bar")
    assert r.ok
    assert r.value.params[0].typed == {"size": 1}
    assert r.value.params[1].typed is None and r.value.params[1].extension is None
    assert [d.id for d in r.diagnostics] == [DiagnosticId.private_parameter]
    mirrors(r)


@pytest.mark.parametrize("verb,text,code,offset", [
    ("MAIL", "NOTIFY=NEVER", ErrorCode.parameter_not_allowed, 0),
    ("RCPT", "NOTIFY=NEVER,DELAY", ErrorCode.notify_never_with_others, 13),
    ("MAIL", "FOO=1", ErrorCode.unknown_parameter, 0),
    ("MAIL", "SIZE=1x", ErrorCode.invalid_parameter_value, 6),
    ("MAIL", "SMTPUTF8=1", ErrorCode.parameter_value_forbidden, 8),
    ("MAIL", " ".join(["X"] * 10000), ErrorCode.line_too_long, 1249),
])
def test_errors(verb, text, code, offset, mirrors):
    r = smtpspec.parse_esmtp_params(verb, text)
    assert not r.ok and r.value is None
    assert (r.error.code, r.error.offset) == (code, offset)
    assert json.loads(r.to_json())["error"]["code"] == code
    mirrors(r)


def test_lenient_and_empty():
    r = smtpspec.parse_esmtp_params("mail", "FOO=1", lenient=True)
    assert r.ok and [d.id for d in r.diagnostics] == [DiagnosticId.unknown_parameter]
    e = smtpspec.parse_esmtp_params("RCPT", "")
    assert e.ok and e.value == []


@pytest.mark.parametrize("verb", ["EHLO", "", "MAILX", 3, None])
def test_bad_verb(verb):
    with pytest.raises(ValueError):
        smtpspec.parse_esmtp_params(verb, "SIZE=1")


def test_values_outlive_the_result():
    params = smtpspec.parse_esmtp_params("MAIL", "ENVID=abc+2Bd").value
    import gc
    gc.collect()
    assert params[0].value == "abc+2Bd" and params[0].typed == {"envid": "abc+d"}


def test_smtputf8_values():
    text = "ORCPT=utf-8;Jérôme@example.com"
    assert smtpspec.parse_esmtp_params("RCPT", text).error.code == ErrorCode.non_ascii
    r = smtpspec.parse_esmtp_params("RCPT", text, smtputf8=True)
    assert r.ok and r.value[0].typed["encoding"] == "utf-8-addr-unitext"
