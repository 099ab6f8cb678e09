"""smtpspec.dsn: haraka-dsn's helpers with Python naming, against the C++ catalogue and the facts
haraka-dsn's own test suite asserts (listed in the C++ tests' source, tests/reply/dsn_test.cpp)."""

import ast
import json
import pathlib

import pytest
import smtpspec
from smtpspec import dsn

CATALOGUE = dsn.catalogue()
ROWS = CATALOGUE["functions"]
TEXTS = {(t["subject"], t["detail"]): t["text"] for t in CATALOGUE["texts"]}
FIELDS = ["code", "msg", "cls", "sub", "det", "default_msg", "reply"]


def fields(d):
    return {k: getattr(d, k) for k in FIELDS}


def test_every_catalogue_function_exists():
    assert CATALOGUE["version"] == dsn.VERSION
    assert dsn.FUNCTIONS == tuple(row["name"] for row in ROWS)
    assert len(set(dsn.FUNCTIONS)) == len(dsn.FUNCTIONS)
    for name in dsn.FUNCTIONS:
        fn = getattr(dsn, name)
        assert callable(fn) and fn.__name__ == name and name in fn.__doc__ and name in dsn.__all__


def test_haraka_spellings_and_convenience_helpers():
    for name in ("addr_dest_ambigous", "addr_mbox_mobed", "no_such_user", "relaying_denied", "too_many_hops",
                 "bad_sender_ip", "temp_resolver_failed"):
        assert name in dsn.FUNCTIONS, name
    alias = next(row for row in ROWS if row["name"] == "addr_mbox_mobed")
    assert alias["alias_of"] == "addr_mbox_moved"
    assert fields(dsn.addr_mbox_mobed("m", 450)) == fields(dsn.addr_mbox_moved("m", 450))


@pytest.mark.parametrize("row", ROWS, ids=[row["name"] for row in ROWS])
def test_defaults_follow_the_catalogue(row):
    d = getattr(dsn, row["name"])()
    cls = row["default_code"] // 100
    text = row["default_msg"] or TEXTS.get((row["subject"], row["detail"]), "")
    assert fields(d) == {
        "code": row["default_code"], "msg": row["default_msg"], "cls": cls, "sub": row["subject"],
        "det": row["detail"], "default_msg": TEXTS.get((row["subject"], row["detail"]), ""),
        "reply": f"{cls}.{row['subject']}.{row['detail']} {text}",
    }
    assert str(d) == d.reply
    assert d.to_dict() == json.loads(d.to_json()) == fields(d)


@pytest.mark.parametrize("row", ROWS, ids=[row["name"] for row in ROWS])
def test_overrides(row):
    fn, sub, det = getattr(dsn, row["name"]), row["subject"], row["detail"]
    # A caller's code decides the class; the caller's own value is kept (as in haraka).
    d = fn("custom text", 451)
    assert (d.code, d.cls, d.msg, d.reply) == (451, 4, "custom text", f"4.{sub}.{det} custom text")
    d = fn("x", "250 ok")
    assert (d.code, d.cls, d.reply) == ("250 ok", 2, f"2.{sub}.{det} x")
    assert d.to_dict()["code"] == "250 ok"
    # Not a 2xx/4xx/5xx code: the default stays.
    for code in (650, "abc", 25, -550, "", "55"):
        assert fn("x", code).code == row["default_code"], code
    # A list is a multi-line reply; an empty text takes the helper's default.
    d = fn(["one", "two"])
    assert d.reply == [f"{d.cls}.{sub}.{det} one", f"{d.cls}.{sub}.{det} two"] and d.msg == ["one", "two"]
    assert str(d) == "\n".join(d.reply)
    assert fields(fn("")) == fields(fn(None)) if row["default_msg"] else fn("").msg == ""


def test_facts_from_harakas_tests():
    assert fields(dsn.create(200)) == {"code": 200, "msg": None, "cls": 2, "sub": 0, "det": 0,
                                       "default_msg": "Other undefined status", "reply": "2.0.0 Other undefined status"}
    assert dsn.create(200, "test msg").reply == "2.0.0 test msg"
    d = dsn.create(200, "test msg", 7)
    assert (d.sub, d.default_msg, d.reply) == (7, "Other or undefined security status", "2.7.0 test msg")
    assert (dsn.net_unspecified().code, dsn.net_unspecified().default_msg) == (450, "Other or undefined network or routing status")
    assert (dsn.net_unable_to_route().code, dsn.net_unable_to_route().default_msg) == (550, "Unable to route")
    assert str(dsn.sec_unauthorized("Try again later", 451)) == "4.7.1 Try again later"
    assert str(dsn.create(550, ["line one", "line two"])) == "5.0.0 line one\n5.0.0 line two"
    assert isinstance(dsn.create(550, "test").cls, int) and dsn.create(550, "test").cls == 5
    assert dsn.sec_unspecified().reply == "4.7.0 Other or undefined security status"
    assert dsn.auth_succeeded().reply == "2.7.0 Authentication Succeeded"
    assert (dsn.addr_null_mx().code, dsn.addr_null_mx().reply) == (556, "5.1.10 Recipient address has null MX")
    assert dsn.sec_null_mx_sender().code == 550 and dsn.sec_null_mx_sender().reply.startswith("5.7.27 ")
    for name, code, prefix in [("sec_dkim_no_pass", 550, "5.7.20 "), ("sec_spf_fail", 550, "5.7.23 "),
                               ("sec_spf_error", 451, "4.7.24 "), ("sec_rdns_fail", 550, "5.7.25 "),
                               ("sec_multi_auth_fail", 550, "5.7.26 ")]:
        d = getattr(dsn, name)()
        assert d.code == code and d.reply.startswith(prefix), name


def test_control_characters_never_reach_the_reply():
    assert "\n" not in dsn.no_such_user("injected\nX-Extra: header").reply
    d = dsn.no_such_user("bad\r\ngoodbye\x00\x7f")
    assert d.reply == "5.1.1 badgoodbye" and d.msg == "bad\r\ngoodbye\x00\x7f"
    msgs = ["line one\nX-Injected: evil", "line two"]
    d = dsn.create(550, msgs)
    assert all("\n" not in line for line in d.reply)
    assert msgs == ["line one\nX-Injected: evil", "line two"]  # the caller's list is unchanged


def test_create():
    d = dsn.create(None)
    assert (d.code, d.cls, d.reply) == (450, 4, "4.0.0 Other undefined status")
    assert dsn.create("5500x", "m").code == "5500x"
    d = dsn.create(550, "m", "07", "1")
    assert (d.sub, d.reply, d.default_msg) == ("07", "5.07.1 m", "")  # haraka's table has no "07"
    assert dsn.create(550, "m", None, "").reply == "5.0.0 m"
    assert dsn.create(550, [], 1, 1).reply == []
    assert dsn.create(421, "x", 4, 2).to_dict() == {"code": 421, "msg": "x", "cls": 4, "sub": 4, "det": 2,
                                                   "default_msg": TEXTS[(4, 2)], "reply": "4.4.2 x"}


def test_bad_arguments():
    for call in (lambda: dsn.no_such_user(5), lambda: dsn.no_such_user([1]), lambda: dsn.no_such_user("x", 5.5),
                 lambda: dsn.no_such_user("x", True), lambda: dsn.create(550, "x", 1.5),
                 lambda: dsn.create(550, b"bytes")):
        with pytest.raises(TypeError):
            call()
    with pytest.raises(TypeError):
        dsn.DSN()


def test_objects_are_values():
    a, b = dsn.no_such_user(), dsn.no_such_user()
    assert a == b and hash(a) == hash(b) and a != dsn.no_such_user("x")
    assert dsn.create("550", "x") != dsn.create(550, "x")  # haraka keeps the caller's "550"
    with pytest.raises(AttributeError):
        a.code = 451
    assert repr(a) == "DSN(code=550, reply='5.1.1 No such user')"


def test_explain():
    e = dsn.explain("5.1.1")
    assert (e["kind"], e["found"], e["status"]["text"]) == ("enhanced_status", True, "5.1.1")
    assert "no_such_user" in e["dsn_functions"] and e["default_reply"].startswith("550 5.1.1 ")
    e = dsn.explain("no_such_user")
    assert (e["kind"], e["found"], e["function"]["name"]) == ("dsn_function", True, "no_such_user")
    assert e["dsn"] == dsn.no_such_user().to_dict()
    e = dsn.explain("550")
    assert (e["kind"], e["found"]) == ("reply_code", True) and e["sequences"]
    e = dsn.explain("X.7.30")
    assert e["found"] and e["registry"]["code"] == "X.7.30"
    assert dsn.explain("bogus")["kind"] is None and not dsn.explain("bogus")["found"]
    assert dsn.explain_text("5.1.1").startswith("5.1.1 ") and "no_such_user" in dsn.explain_text("5.1.1")


def test_dsn_is_reachable_from_the_package():
    assert smtpspec.dsn is dsn and "dsn" in smtpspec.__all__


def test_stub_declares_every_helper():
    stub = ast.parse((pathlib.Path(dsn.__file__).parent / "dsn.pyi").read_text())
    declared = {n.name for n in stub.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
    declared |= {n.target.id for n in stub.body if isinstance(n, ast.AnnAssign)}
    assert set(dsn.__all__) <= declared
