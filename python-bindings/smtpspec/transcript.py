"""Transcript readers (include/smtpspec/transcript.hpp): recorded SMTP conversations in the formats
people have, read into events with what each format keeps and loses.

    >>> import smtpspec
    >>> t = smtpspec.read_transcript("S: 220 mx\\nC: QUIT\\n")
    >>> t.format, [e["dir"] for e in t.events]
    ('rfc', ['server', 'client'])

The answer is the C++ core's canonical JSON (conformance/README.md, "Transcripts"), so it is the
same in C++, JavaScript and Python.
"""

import json as _json

from . import _smtpspec


class Transcript:
    """A read transcript: its canonical JSON, and the same as Python values."""

    __slots__ = ("_json", "_dict")

    def __init__(self, text):
        self._json = text
        self._dict = _json.loads(text)

    def to_json(self):
        """The canonical JSON text (identical to C++ to_json and the CLI)."""
        return self._json

    def to_dict(self):
        return _json.loads(self._json)

    format = property(lambda self: self._dict["format"], doc="The format's name, or None when not detected.")
    detected = property(lambda self: self._dict["detected"], doc="True when the format was detected, not given.")
    confidence = property(lambda self: self._dict["confidence"], doc="Detection confidence, 0-100.")
    capabilities = property(lambda self: self._dict["capabilities"], doc="What the format keeps, or None.")
    events = property(lambda self: self._dict["events"], doc="The events, in order.")
    notes = property(lambda self: self._dict["notes"], doc="What the reader skipped or assumed.")
    errors = property(lambda self: self._dict["errors"], doc="Lines the reader could not read.")
    lines = property(lambda self: self._dict["lines"])
    octets = property(lambda self: self._dict["octets"])
    dropped_messages = property(lambda self: self._dict["dropped_messages"])
    ok = property(lambda self: not self._dict["errors"], doc="True when the reader reported no errors.")

    def __repr__(self):
        return f"<Transcript format={self.format!r} events={len(self.events)} errors={len(self.errors)}>"


def read_transcript(text, format=None, *, max_line=_smtpspec._TRANSCRIPT_DEFAULT_MAX_LINE,
                    max_messages=_smtpspec._TRANSCRIPT_DEFAULT_MAX_MESSAGES,
                    max_held=_smtpspec._TRANSCRIPT_DEFAULT_MAX_HELD):
    """Reads a transcript (str or bytes). format: a name from transcript_formats(), or None to detect.

    max_held: for postfix_debug, the octets of other processes' lines held back while one process's
    conversation is read (a maillog interleaves smtpd processes).
    """
    return Transcript(_smtpspec._transcript_read_json(text, format, max_line, max_messages, max_held))


class TranscriptReader:
    """The streaming reader: feed() chunks (str or bytes; any split gives the same events) and get a
    Transcript of what was read since the last call (format, detection, lines and octets so far);
    finish() ends the input and returns the rest. The events, notes and errors of every answer,
    concatenated, are read_transcript()'s. Nothing accumulates: memory stays bounded.

        >>> r = smtpspec.TranscriptReader(format="rfc")
        >>> r.feed("S: 220 mx\\nC: QU").events   # the first 64 KiB are buffered (look-ahead)
        []
        >>> [e["text"] for e in r.feed("IT\\n").events + r.finish().events]
        ['220 mx\\r\\n', 'QUIT\\r\\n']
    """

    __slots__ = ("_reader", "_finished")

    def __init__(self, format=None, *, max_line=_smtpspec._TRANSCRIPT_DEFAULT_MAX_LINE,
                 max_messages=_smtpspec._TRANSCRIPT_DEFAULT_MAX_MESSAGES,
                 max_held=_smtpspec._TRANSCRIPT_DEFAULT_MAX_HELD):
        self._reader = _smtpspec._TranscriptReader(format, max_line, max_messages, max_held)
        self._finished = False

    def _check(self, what):
        if self._finished:
            raise ValueError(f"smtpspec: TranscriptReader.{what}() after finish()")

    def feed(self, chunk):
        """What was read from the input so far and not yet returned, as a Transcript."""
        self._check("feed")
        return Transcript(self._reader.feed(chunk))

    def finish(self):
        """The input ended: the rest, as a Transcript (its format, lines and octets are the whole input's)."""
        self._check("finish")
        self._finished = True
        return Transcript(self._reader.finish())


def detect_transcript_format(text):
    """{"format": name or None, "confidence": 0-100} for the start of a transcript."""
    return _json.loads(_smtpspec._transcript_detect_json(text))


_CATALOGUE = _json.loads(_smtpspec._transcript_catalogue_json())


def transcript_formats():
    """Every format: {"name", "title", "capabilities", "keeps", "loses"} (catalogue/transcript_formats.inc)."""
    return _json.loads(_json.dumps(_CATALOGUE["formats"]))


def transcript_messages():
    """Every reader note and error id: {"id", "kind", "message"} (catalogue/transcript_messages.inc)."""
    return _json.loads(_json.dumps(_CATALOGUE["messages"]))
