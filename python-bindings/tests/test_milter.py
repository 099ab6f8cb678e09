"""smtpspec.milter: decode, encode and both session helpers from Python (the C++ answers)."""

import struct

import pytest
from smtpspec import milter


def frame(code, payload=b""):
    return struct.pack(">I", len(payload) + 1) + code + payload


OFFER = frame(b"O", struct.pack(">III", 6, 0x1FF, 0x1FFFFF))


def test_decode_and_encode_round_trip():
    data = frame(b"C", b"[192.0.2.1]\x004\x04\x01192.0.2.1\x00") + frame(b"M", b"<a@b.example>\x00SIZE=10\x00")
    r = milter.decode(data, "to_filter")
    assert r.ok and [p.type for p in r.packets] == ["SMFIC_CONNECT", "SMFIC_MAIL"]
    assert r.packets[0].port == 1025 and r.packets[0].address == "192.0.2.1"
    assert r.packets[1].args == ["<a@b.example>", "SIZE=10"]
    assert r.to_dict()["packets"][1]["smtp"]["ok"] is True
    assert b"".join(milter.encode(p)[0] for p in r.packets) == data


@pytest.mark.parametrize(
    "data, code",
    [
        (b"\0\0\0\0", "zero_length"),
        (struct.pack(">I", 2**31) + b"B", "length_top_bit"),
        (b"\xff\xff\xff\xff", "length_top_bit"),
        (struct.pack(">I", 64 * 1024 * 1024 + 1) + b"B", "packet_too_large"),
        (frame(b"Z"), "unknown_command"),
        (frame(b"H", b"no-nul"), "missing_nul"),
        (frame(b"D", b"Cj\0host\0orphan\0"), "odd_macro_list"),
        (b"\0\0\0\x05H", "truncated_packet"),
    ],
)
def test_bad_input_is_an_error_value(data, code):
    r = milter.decode(data, "to_filter")
    assert not r.ok and r.error["code"] == code
    f = milter.FilterSession()
    events = f.feed(OFFER + data) + f.finish()
    assert events[-1].kind == "error" and f.closed and f.failure["code"] == code


def test_make_and_encode_errors():
    assert milter.encode(milter.make("SMFIR_ADDHEADER", name="X", value="y"))[0] == frame(b"h", b"X\0y\0")
    data, error = milter.encode(milter.make("SMFIC_HELO", text="a\0b"))
    assert data is None and error["code"] == "nul_in_string"
    with pytest.raises(ValueError):
        milter.make("SMFIX_NOPE")


def test_example_filter_adds_a_header_and_rejects_a_recipient():
    """The example filter of issue 5, driven by the MTA-side session in process."""
    f = milter.FilterSession(actions=milter.SMFIF["ADDHDRS"], protocol=milter.SMFIP["NR_HDR"])
    m = milter.MtaSession()

    def pump():
        for _ in range(32):
            a, b = m.take_output(), b""
            if a:
                for e in f.feed(a):
                    if not e.reply_expected:
                        continue
                    if e.packet.type == "SMFIC_RCPT" and e.packet.args[0] == "<spam@example.net>":
                        assert f.reply_code(550, "5.7.1", ["no 100% spam here"]) is None
                    elif e.packet.type == "SMFIC_BODYEOB":
                        assert f.add_header("X-Filtered", "yes") is None
                        assert f.reply("SMFIR_CONTINUE") is None
                    else:
                        assert f.reply("SMFIR_CONTINUE") is None
                b = f.take_output()
            if b:
                events.extend(m.feed(b))
            if not a and not b:
                return

    events = []
    assert m.negotiate() == ("awaiting_reply", None)
    pump()
    assert m.agreed["protocol"] == milter.SMFIP["NR_HDR"]
    m.connect("client", "4", 1025, "192.0.2.1", [("j", "mx")])
    pump()
    assert f.macro("{j}") == "mx"
    m.helo("client")
    pump()
    m.mail(["<a@example.com>"])
    pump()
    m.rcpt(["<spam@example.net>"])
    pump()
    assert events[-1].packet.type == "SMFIR_REPLYCODE"
    assert events[-1].packet.text == "550 5.7.1 no 100%% spam here" and events[-1].problems == []
    m.rcpt(["<ok@example.net>"])
    pump()
    assert m.header("Subject", "hi") == ("no_reply", None)
    m.end_of_headers()
    pump()
    m.body(b"hello\r\n")
    pump()
    m.end_of_message()
    pump()
    mods = [e for e in events if e.kind == "modification"]
    assert [(p.packet.name, p.packet.value) for p in mods] == [("X-Filtered", "yes")]
    assert [p.type for p in m.modifications] == ["SMFIR_ADDHEADER"]
    assert events[-1].kind == "reply" and events[-1].answers == "SMFIC_BODYEOB"
    m.abort()
    m.quit()
    pump()
    assert f.closed and f.failure is None and m.failure is None


def test_out_of_order_is_refused_not_hung():
    m = milter.MtaSession()
    m.negotiate()
    status, error = m.connect("h", "U")
    assert status is None and error["code"] == "reply_pending"
    m.feed(frame(b"O", struct.pack(">III", 6, 0, 0)))
    status, error = m.rcpt(["<a@b>"])
    assert error["code"] == "unexpected_packet"
    events = m.feed(frame(b"c"))  # nothing was asked: an unsolicited reply ends the session
    assert events[-1].kind == "error" and m.closed


def test_replycode_helpers():
    assert milter.check_replycode("550 5.7.1 100% sure") == [{"id": "lone_percent", "offset": 13}]
    assert milter.format_replycode(451, "4.7.1", ["try", "later"]) == ("451-4.7.1 try\r\n451 4.7.1 later", None)
    assert milter.format_replycode(250, None, ["x"])[1]["code"] == "invalid_replycode"
