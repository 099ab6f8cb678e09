"""smtpspec.milter: the sendmail milter protocol (versions 2-6), both sides, sans-IO.

    >>> from smtpspec import milter
    >>> r = milter.decode(b"\\0\\0\\0\\x03Hx\\0", "to_filter")
    >>> r.ok, r.packets[0].type, r.packets[0].text
    (True, 'SMFIC_HELO', 'x')
    >>> milter.decode(b"\\0\\0\\0\\0", "to_filter").error["code"]
    'zero_length'

Packets are ``Packet`` objects (``type`` is the mfdef name, e.g. ``"SMFIR_ADDHEADER"``; fields as in
the C++ ``smtpspec::milter::packet``); ``to_dict()``/``to_json()`` give the canonical JSON
(conformance/README.md, "Milter"), which is the C++ library's own output. Nothing raises on bad
input: errors are dicts ``{"code", "offset", "byte", "message"}``.

A filter:

    >>> f = milter.FilterSession(actions=milter.SMFIF["ADDHDRS"])
    >>> events = f.feed(offer_bytes)                 # doctest: +SKIP
    >>> f.reply("SMFIR_CONTINUE"); f.take_output()   # doctest: +SKIP

An MTA: ``MtaSession().negotiate()``, ``connect(...)``, … ``end_of_message()``; ``feed()`` the
filter's bytes and read the events (replies and modifications).
"""

import json as _json

from . import _smtpspec

_m = _smtpspec.milter
Packet = _m.Packet

_CATALOGUE = _json.loads(_m.catalogue_json())
#: The SMFIF_* action bits and SMFIP_* protocol bits, by name (from the C++ catalogue).
SMFIF = {f["name"]: f["bit"] for f in _CATALOGUE["actions"]}
SMFIP = {f["name"]: f["bit"] for f in _CATALOGUE["protocol"]}
#: Every packet type: name, code, direction, since, shape, text_key, action.
PACKETS = {p["name"]: p for p in _CATALOGUE["packets"]}
ERROR_CODES = [e["code"] for e in _CATALOGUE["errors"]]
DEFAULT_MAX_PAYLOAD = 65535


def _packet_to_dict(self):
    return _json.loads(self.to_json())


Packet.to_dict = _packet_to_dict


def _err(text):
    return None if text is None else _json.loads(text)


class DecodeResult:
    """Packets decoded from a stream, and the first error (None when the stream was clean)."""

    __slots__ = ("packets", "error", "_json")

    def __init__(self, packets, error, canonical):
        self.packets = packets
        self.error = _err(error)
        self._json = canonical

    @property
    def ok(self):
        return self.error is None

    def to_json(self):
        return self._json

    def to_dict(self):
        return _json.loads(self._json)

    def __repr__(self):
        return f"DecodeResult(packets={len(self.packets)}, error={self.error!r})"


def decode(data, direction, max_payload=DEFAULT_MAX_PAYLOAD):
    """Decodes a whole stream. direction: "to_filter" (what an MTA sends), "to_mta" (what a
    filter sends) or "conversation" (both, in time order)."""
    return DecodeResult(*_m.decode(data, direction, max_payload))


def make(type, **fields):
    """A packet of the given type ("SMFIR_ADDHEADER", …) with the given fields set."""
    p = Packet(type)
    for k, v in fields.items():
        setattr(p, k, v)
    return p


def encode(packet, max_payload=DEFAULT_MAX_PAYLOAD):
    """(bytes, None) or (None, error dict)."""
    data, error = packet.encode(max_payload)
    return data, _err(error)


class Decoder:
    """Incremental: feed() bytes, get the packets completed so far; any split gives the same."""

    def __init__(self, direction, max_payload=DEFAULT_MAX_PAYLOAD):
        self._d = _m.Decoder(direction, max_payload)

    def feed(self, data):
        return self._d.feed(data)

    def finish(self):
        self._d.finish()

    @property
    def error(self):
        return _err(self._d.error)


def check_replycode(text):
    """The problems of a REPLYCODE text: [{"id", "offset"}…], empty when valid."""
    return _json.loads(_m.check_replycode(text))["problems"]


def format_replycode(code, enhanced, lines):
    """REPLYCODE text: (str, None) or (None, error dict)."""
    text, error = _m.format_replycode(code, enhanced, lines)
    return text, _err(error)


class Event:
    """A session event: ``kind`` and the canonical JSON fields, plus ``packet`` (a Packet)."""

    __slots__ = ("kind", "packet", "data")

    def __init__(self, text, packet):
        self.data = _json.loads(text)
        self.kind = self.data["event"]
        self.packet = packet if self.data["packet"] is not None else None

    def __getattr__(self, name):
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(name) from None

    def to_dict(self):
        return self.data

    def __repr__(self):
        return f"Event({self.data!r})"


def _events(raw):
    return [Event(t, p) for t, p in raw]


def _sent(result):
    status, error = result
    return status, _err(error)


class FilterSession:
    """A filter's side: feed() the MTA's bytes, answer each event whose reply_expected is true with
    reply()/reply_code() (after modify() at end of message), send take_output()."""

    def __init__(self, version=6, actions=0, protocol=0, symbol_lists=(), max_payload=DEFAULT_MAX_PAYLOAD):
        self._s = _m.FilterSession(version, actions, protocol, list(symbol_lists), max_payload)

    def feed(self, data):
        return _events(self._s.feed(data))

    def finish(self):
        return _events(self._s.finish())

    def reply(self, decision):
        """decision: "SMFIR_CONTINUE", "SMFIR_ACCEPT", "SMFIR_REJECT", … → None or an error dict."""
        return _err(self._s.reply(decision))

    def reply_code(self, code, enhanced, lines):
        return _err(self._s.reply_code(code, enhanced, list(lines)))

    def progress(self):
        return _err(self._s.progress())

    def modify(self, packet):
        return _err(self._s.modify(packet))

    def add_header(self, name, value):
        return self.modify(make("SMFIR_ADDHEADER", name=name, value=value))

    def take_output(self):
        return self._s.take_output()

    def macro(self, name):
        return self._s.macro(name)

    state = property(lambda self: self._s.state)
    closed = property(lambda self: self._s.closed)
    reply_due = property(lambda self: self._s.reply_due)
    agreed = property(lambda self: _json.loads(self._s.agreed))
    failure = property(lambda self: _err(self._s.failure))


class MtaSession:
    """An MTA's side: each command returns (status, error) with status "awaiting_reply",
    "no_reply" or "skipped"; feed() the filter's bytes to get reply and modification events."""

    def __init__(self, version=6, actions=0x1FF, protocol=0x1FFFFF, max_payload=DEFAULT_MAX_PAYLOAD):
        self._s = _m.MtaSession(version, actions, protocol, max_payload)

    def negotiate(self):
        return _sent(self._s.negotiate())

    def connect(self, hostname, family, port=0, address="", macros=()):
        return _sent(self._s.connect(hostname, family, port, address, list(macros)))

    def helo(self, name, macros=()):
        return _sent(self._s.helo(name, list(macros)))

    def mail(self, args, macros=()):
        return _sent(self._s.mail(list(args), list(macros)))

    def rcpt(self, args, macros=()):
        return _sent(self._s.rcpt(list(args), list(macros)))

    def data(self, macros=()):
        return _sent(self._s.data(list(macros)))

    def header(self, name, value, macros=()):
        return _sent(self._s.header(name, value, list(macros)))

    def end_of_headers(self, macros=()):
        return _sent(self._s.end_of_headers(list(macros)))

    def body(self, octets, macros=()):
        return _sent(self._s.body(octets, list(macros)))

    def end_of_message(self, macros=()):
        return _sent(self._s.end_of_message(list(macros)))

    def unknown(self, line, macros=()):
        return _sent(self._s.unknown(line, list(macros)))

    def abort(self):
        return _sent(self._s.abort())

    def quit(self):
        return _sent(self._s.quit())

    def quit_nc(self):
        return _sent(self._s.quit_nc())

    def feed(self, data):
        return _events(self._s.feed(data))

    def finish(self):
        return _events(self._s.finish())

    def take_output(self):
        return self._s.take_output()

    state = property(lambda self: self._s.state)
    closed = property(lambda self: self._s.closed)
    awaiting_reply = property(lambda self: self._s.awaiting_reply)
    agreed = property(lambda self: _json.loads(self._s.agreed))
    failure = property(lambda self: _err(self._s.failure))
    modifications = property(lambda self: self._s.modifications)


__all__ = ["Packet", "DecodeResult", "Decoder", "Event", "FilterSession", "MtaSession", "decode", "encode",
           "make", "check_replycode", "format_replycode", "SMFIF", "SMFIP", "PACKETS", "ERROR_CODES"]
