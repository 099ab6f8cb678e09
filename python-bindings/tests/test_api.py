"""The Python surface: inputs, results, errors, diagnostics, lifetimes, enums and the catalogue."""

import gc
import json

import pytest
import smtpspec
from smtpspec import DiagnosticId, ErrorCode, Verb


def test_valid_mailbox(mirrors):
    r = smtpspec.parse_mailbox("john.smith@example.com")
    assert r.ok and r.error is None and r.diagnostics == []
    m = r.value
    assert isinstance(m, smtpspec.Mailbox)
    assert (m.text, m.local_part, m.local_part_kind, m.local_part_value) == (
        "john.smith@example.com", "john.smith", "dot_string", "john.smith")
    assert (m.domain.text, m.domain.kind, m.domain.tag, m.domain.address) == (
        "example.com", "name", None, None)
    mirrors(r)


def test_quoted_local_part_is_unquoted_and_noted(mirrors):
    r = smtpspec.parse_mailbox(r'"Joe\,Smith"@example.com')
    assert r.ok
    assert r.value.local_part == r'"Joe\,Smith"'
    assert r.value.local_part_value == "Joe,Smith"
    assert [d.id for d in r.diagnostics] == [DiagnosticId.quoted_local_part]
    mirrors(r)


@pytest.mark.parametrize("text", ["a..b@example.com", ".a@b", "a@", "@b", "", "a b@c"])
def test_invalid_mailbox(text, mirrors):
    r = smtpspec.parse_mailbox(text)
    assert not r.ok and r.value is None
    e = r.error
    assert isinstance(e.code, ErrorCode)
    assert 0 <= e.offset <= len(text.encode())
    assert e.rfc.startswith("RFC ") and e.reply[:1] in "45" and e.message
    mirrors(r)


def test_error_names_offset_rule_and_reply():
    r = smtpspec.parse_mailbox("a@[300.1.1.1]")
    assert r.error.code == ErrorCode.snum_out_of_range == "snum_out_of_range"
    assert 3 <= r.error.offset <= 6  # inside "300"
    row = next(e for e in smtpspec._smtpspec.error_catalogue() if e["name"] == "snum_out_of_range")
    assert (r.error.rfc, r.error.reply, r.error.message) == (row["rfc"], row["reply"], row["message"])
    d = r.to_dict()["error"]
    assert (d["code"], d["offset"], d["rfc"], d["reply"]) == (
        "snum_out_of_range", r.error.offset, r.error.rfc, r.error.reply)


def test_local_part_limit_offset_is_inside_input():
    text = "l" * 65 + "@example.com"
    r = smtpspec.parse_mailbox(text)
    assert r.error.code == ErrorCode.local_part_too_long
    assert r.error.reply == "553 5.1.3"
    assert 0 <= r.error.offset <= len(text)


def test_lenient_accepts_with_diagnostics(mirrors):
    line = "MAIL FROM: <a@example.com>\r\n"
    strict = smtpspec.parse_command(line)
    assert not strict.ok
    assert 0 <= strict.error.offset <= len(line)
    lenient = smtpspec.parse_command(line, lenient=True)
    assert lenient.ok, lenient.to_json()
    ids = [d.id for d in lenient.diagnostics]
    assert ids == [DiagnosticId.space_after_colon]
    diag = lenient.diagnostics[0]
    assert diag.severity == "warning"
    assert diag.rfc.startswith("RFC 5321")
    assert 0 <= diag.offset <= len(line)
    mirrors(lenient)
    mirrors(strict)


def test_command_fields(mirrors):
    r = smtpspec.parse_command("MAIL FROM:<a@example.com> SIZE=100 BODY=8BITMIME\r\n")
    assert r.ok and r.verb == Verb.MAIL == "MAIL"
    c = r.value
    assert c.verb is Verb.MAIL
    assert c.path.kind == "mailbox" and c.path.mailbox.text == "a@example.com"
    assert [(p.keyword, p.value) for p in c.params] == [("SIZE", "100"), ("BODY", "8BITMIME")]
    assert c.domain is None and c.argument is None and c.chunk_size is None
    mirrors(r)


@pytest.mark.parametrize("line", [
    "EHLO client.example\r\n", "HELO client.example\r\n", "LHLO client.example\r\n",
    "RCPT TO:<Postmaster>\r\n", "DATA\r\n", "RSET\r\n", "VRFY Smith\r\n", "EXPN list\r\n",
    "HELP\r\n", "NOOP\r\n", "QUIT\r\n", "STARTTLS\r\n", "AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=\r\n",
    "AUTH LOGIN\r\n", "BDAT 1000 LAST\r\n", "BDAT 0\r\n", "MAIL FROM:<>\r\n",
])
def test_every_verb_mirrors_its_json(line, mirrors):
    r = smtpspec.parse_command(line)
    assert r.ok, r.to_json()
    assert r.verb == line.split()[0]
    mirrors(r)


def test_bdat_and_auth_values():
    b = smtpspec.parse_command("BDAT 1000 LAST\r\n").value
    assert (b.chunk_size, b.last) == (1000, True)
    a = smtpspec.parse_command("AUTH PLAIN =\r\n").value
    assert (a.mechanism, a.initial_response) == ("PLAIN", "=")
    assert smtpspec.parse_command("AUTH LOGIN\r\n").value.initial_response is None


def test_unrecognised_verb_has_null_verb():
    r = smtpspec.parse_command("FROB x\r\n")
    assert not r.ok and r.verb is None
    assert r.to_dict()["verb"] is None
    assert r.error.code == ErrorCode.unrecognized_command


def test_failed_command_keeps_its_verb():
    r = smtpspec.parse_command("MAIL FROM:<a..b@example.com>\r\n")
    assert not r.ok
    assert r.verb is Verb.MAIL
    assert r.to_dict()["verb"] == "MAIL"


def test_paths_and_roles(mirrors):
    assert smtpspec.parse_path("<>").value.kind == "null"
    assert smtpspec.parse_path("<>", role="forward").error.code == ErrorCode.null_path_not_allowed
    assert smtpspec.parse_path("<Postmaster>", role="reverse").error.code == \
        ErrorCode.postmaster_not_allowed
    r = smtpspec.parse_path("<@a.example,@b.example:user@d.example>")
    assert r.ok, r.to_json()
    assert [d.text for d in r.value.source_route] == ["a.example", "b.example"]
    assert [d.id for d in r.diagnostics] == [DiagnosticId.source_route_ignored]
    mirrors(r)
    with pytest.raises(ValueError):
        smtpspec.parse_path("<>", role="sideways")


def test_address_literals(mirrors):
    v6 = smtpspec.parse_domain("[IPv6:2001:db8::1]")
    assert (v6.value.kind, v6.value.tag, v6.value.address) == ("ipv6", "IPv6", "2001:db8::1")
    v4 = smtpspec.parse_domain("[192.0.2.1]")
    assert (v4.value.kind, v4.value.tag, v4.value.address) == ("ipv4", None, "192.0.2.1")
    for r in (v6, v4):
        mirrors(r)


def test_bytes_and_str_give_the_same_answer():
    for text in ["user@example.com", "a..b@c", "a@[300.1.1.1]"]:
        assert smtpspec.parse_mailbox(text).to_json() == \
            smtpspec.parse_mailbox(text.encode()).to_json()
    assert smtpspec.parse_mailbox(bytearray(b"a@b")).value.text == "a@b"
    assert smtpspec.parse_mailbox(memoryview(b"xa@bx")[1:4]).value.text == "a@b"


def test_non_ascii_and_invalid_utf8_are_errors_at_the_octet():
    r = smtpspec.parse_mailbox("jöhn@example.com")
    assert r.error.code == ErrorCode.non_ascii and r.error.offset == 1
    r = smtpspec.parse_mailbox(b"ab\xff@example.com")
    assert r.error.code == ErrorCode.non_ascii and r.error.offset == 2
    json.loads(r.to_json())


def test_nul_and_huge_input_do_not_crash():
    r = smtpspec.parse_command(b"NOOP \x00\r\n")
    assert not r.ok and r.error.offset <= 8
    big = b"MAIL FROM:<" + b"a" * (10 * 1024 * 1024) + b"@b>\r\n"
    r = smtpspec.parse_command(big)
    assert r.error.code == ErrorCode.line_too_long and r.error.offset <= len(big)


def test_bad_argument_types():
    with pytest.raises(TypeError):
        smtpspec.parse_mailbox(42)
    with pytest.raises(TypeError):
        smtpspec.parse_mailbox(["a@b"])
    with pytest.raises(TypeError):
        smtpspec.parse_mailbox("a@b", True)  # lenient is keyword-only
    with pytest.raises(UnicodeEncodeError):
        smtpspec.parse_mailbox("a\udcff@b")  # a lone surrogate has no UTF-8 form


def test_results_outlive_their_input():
    # Inputs built at run time, so no interned constant keeps them alive.
    text = "".join(["user", "@", "example.com"])
    data = bytes(bytearray(b"RCPT TO:<x@example.org>\r\n"))
    buf = bytearray(b"b.example")
    r1, r2, r3 = smtpspec.parse_mailbox(text), smtpspec.parse_command(data), smtpspec.parse_domain(buf)
    value = r1.value  # a view taken before the result is dropped
    domain = r2.value.path.mailbox.domain
    del text, data, r1
    buf[:] = b"zzzzzzzzzzzzzzzzzzzzzz"  # a mutable input is copied, so this changes nothing
    gc.collect()
    assert value.text == "user@example.com" and value.domain.text == "example.com"
    assert domain.text == "example.org"
    assert r3.value.text == "b.example"
    assert r2.to_dict()["value"]["path"]["mailbox"]["text"] == "x@example.org"


@pytest.mark.parametrize("result", [
    smtpspec.parse_command("MAIL FROM:<a@b> SIZE=1\r\n"),
    smtpspec.parse_command("EHLO [IPv6:::1]\r\n"),
    smtpspec.parse_command("bogus\r\n"),
    smtpspec.parse_path("a@b", lenient=True),
    smtpspec.parse_mailbox('"q"@b'),
    smtpspec.parse_domain("example.com."),
])
def test_to_dict_equals_parsed_to_json(result):
    assert result.to_dict() == json.loads(result.to_json())
    assert result.to_json().startswith('{"ok":')
    assert "\n" not in result.to_json()
    assert repr(result).startswith(type(result).__name__ + "(")


def test_enums_come_from_the_catalogue():
    cat = smtpspec.catalogue()
    text = json.dumps(cat)
    assert len(ErrorCode) > 0 and len(DiagnosticId) > 0
    for member in list(ErrorCode) + list(DiagnosticId):
        assert f'"{member.value}"' in text, member
    assert str(ErrorCode.syntax_error) == "syntax_error"
    assert {v.value for v in Verb} >= {"EHLO", "MAIL", "RCPT", "DATA", "QUIT", "BDAT", "AUTH"}


def test_version():
    assert smtpspec.__version__.count(".") == 2
    assert all(part.isdigit() for part in smtpspec.__version__.split("."))


def test_package_files_and_stub():
    import ast
    import pathlib

    pkg = pathlib.Path(smtpspec.__file__).parent
    assert (pkg / "py.typed").exists()
    stub = ast.parse((pkg / "__init__.pyi").read_text())
    declared = {n.name for n in stub.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
    declared |= {t.id for n in stub.body if isinstance(n, ast.AnnAssign) for t in [n.target]}
    declared |= {a.asname or a.name for n in stub.body if isinstance(n, ast.ImportFrom) for a in n.names}
    assert set(smtpspec.__all__) <= declared
    enums = {n.name: n for n in stub.body if isinstance(n, ast.ClassDef)}
    for cls in (ErrorCode, DiagnosticId, Verb, smtpspec.ReplyDiagnosticId):
        names = {t.id for a in enums[cls.__name__].body if isinstance(a, ast.Assign) for t in a.targets}
        assert names == {m.name for m in cls}


def test_call_conventions():
    import inspect

    assert smtpspec.parse_mailbox(text="a@b").ok
    assert smtpspec.parse_command(line="NOOP\r\n").ok
    assert smtpspec.parse_path(text="<>", role="reverse", lenient=False).ok
    for bad in [lambda: smtpspec.parse_mailbox(), lambda: smtpspec.parse_mailbox("a@b", text="a@b"),
                lambda: smtpspec.parse_mailbox("a@b", strict=True),
                lambda: smtpspec.parse_mailbox("a@b", lenient="yes"),
                lambda: smtpspec.parse_mailbox("a@b", role="any")]:
        with pytest.raises(TypeError):
            bad()
    params = inspect.signature(smtpspec.parse_path).parameters
    assert list(params) == ["text", "lenient", "smtputf8", "role"]
    assert params["lenient"].kind is inspect.Parameter.KEYWORD_ONLY


def test_results_are_made_only_by_parsing():
    for cls in (smtpspec.MailboxResult, smtpspec.Mailbox, smtpspec.Error):
        with pytest.raises(TypeError):
            cls()
    assert type(smtpspec.parse_domain("example.com")) is smtpspec.DomainResult


def test_docstring_examples():
    import doctest

    failures, tried = doctest.testmod(smtpspec)
    assert tried > 0 and failures == 0
