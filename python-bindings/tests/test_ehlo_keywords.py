"""Issue 3, item 2: EHLO keywords against the IANA service extension registry (Python surface)."""

import smtpspec


def test_extension_catalogue_is_the_cpp_table():
    cat = smtpspec.extension_catalogue()
    assert len(cat["extensions"]) == 35
    size = next(e for e in cat["extensions"] if e["keyword"] == "SIZE")
    assert size == {"keyword": "SIZE", "rfc": "RFC 1870", "status": "standard",
                    "description": "Message size declaration", "ehlo": "size", "mail_params": ["SIZE"],
                    "rcpt_params": []}
    assert next(e for e in cat["extensions"] if e["keyword"] == "DSN")["rcpt_params"] == ["NOTIFY", "ORCPT"]
    assert [limit["name"] for limit in cat["server_limits"]] == ["MAILMAX", "RCPTMAX", "RCPTDOMAINMAX"]


def test_keywords_get_extension_typed_value_and_diagnostics():
    r = smtpspec.parse_ehlo_reply(
        "250-mx\r\n250-SIZE abc\r\n250-AUTH PLAIN LOGIN\r\n250-X-ANY thing\r\n250-FOO\r\n250 size 10\r\n")
    assert r.ok
    e = r.value
    assert [(k.keyword, k.extension) for k in e.keywords] == [
        ("SIZE", "SIZE"), ("AUTH", "AUTH"), ("X-ANY", None), ("FOO", None), ("size", "SIZE")]
    assert e.keywords[0].value is None and not e.keywords[0].params_ok
    assert e.keywords[1].value == {"mechanisms": ["PLAIN", "LOGIN"]}
    assert e.keywords[4].value == {"size": 10}
    assert e.extensions == ["SIZE", "AUTH"]
    assert [d.id for d in e.diagnostics] == ["ehlo_size_syntax", "ehlo_unknown_keyword", "ehlo_duplicate_keyword"]
    assert r.to_dict()["value"]["extensions"] == ["SIZE", "AUTH"]


def test_hostile_ehlo_reply_is_bounded():
    lines = ["250-mx"] + ["250-SIZE " + "9" * 400] * 2000 + ["250 LIMITS " + " ".join(["A=1"] * 120)]
    r = smtpspec.parse_ehlo_reply("\r\n".join(lines) + "\r\n")
    assert r.ok
    assert len(r.value.keywords) == 999
    assert r.value.keywords[0].value == {"size": None}
