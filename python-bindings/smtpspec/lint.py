"""`smtpspec lint` from Python (include/smtpspec/lint.hpp): RFC-cited findings on a recorded SMTP
conversation (any format read_transcript() reads).

    >>> import smtpspec
    >>> r = smtpspec.lint("S: 220 mx\\r\\nC: QUIT\\r\\nS: 221 bye\\r\\n")
    >>> r["counts"]["error"]
    0

format="json" gives the C++ canonical JSON as a dict (conformance/README.md, "Lint"); "text",
"junit" and "sarif" give the C++ writers' text, as `smtpspec lint --format …` prints it.
"""

import json as _json

from . import _smtpspec

_FORMATS = ("json", "text", "junit", "sarif")


def _ids(v, what):
    if v is None:
        return []
    if isinstance(v, str):
        v = [s for s in v.split(",") if s]  # "ESC-*,LINE-LENGTH", as the CLI takes it
    v = list(v)
    if not all(isinstance(s, str) for s in v):
        raise TypeError(f"smtpspec: {what} is a list of rule ids")
    return v


def lint(text, format="json", select=None, ignore=None, *, transcript_format=None, lmtp=False,
         show_undecidable=False, file="-"):
    """Lints a transcript (str or bytes).

    select / ignore: rule ids (or prefixes ending in "*"), a list or a comma-separated str.
    transcript_format: a name from transcript_formats(), or None to detect. lmtp: RFC 2033 rules.
    show_undecidable: "cannot decide" as findings. file: the input's name in text/junit/sarif.
    """
    if format not in _FORMATS:
        raise ValueError(f"smtpspec: lint format is one of {_FORMATS}, not {format!r}")
    out = _smtpspec._lint(text, format, _ids(select, "select"), _ids(ignore, "ignore"), transcript_format,
                          bool(lmtp), bool(show_undecidable), str(file))
    return _json.loads(out) if format == "json" else out


def lint_json(text, select=None, ignore=None, *, transcript_format=None, lmtp=False, show_undecidable=False):
    """The canonical JSON text itself (what the conformance runner compares byte for byte)."""
    return _smtpspec._lint(text, "json", _ids(select, "select"), _ids(ignore, "ignore"), transcript_format,
                           bool(lmtp), bool(show_undecidable), "-")


class Linter:
    """The streaming linter: feed() chunks of a transcript (str or bytes, any split), finish() returns
    what lint() returns for the whole input (a dict for format="json", else the writer's text). The
    chunks go through the C++ streaming reader into the linter as they come, so memory stays bounded
    however long the input is. The arguments are lint()'s.

        >>> lt = smtpspec.Linter()
        >>> lt.feed("S: 220 mx\\r\\nC: QU")
        >>> lt.feed("IT\\r\\nS: 221 bye\\r\\n")
        >>> lt.finish()["counts"]["error"]
        0
    """

    __slots__ = ("_linter", "_format")

    def __init__(self, format="json", select=None, ignore=None, *, transcript_format=None, lmtp=False,
                 show_undecidable=False, file="-"):
        if format not in _FORMATS:
            raise ValueError(f"smtpspec: lint format is one of {_FORMATS}, not {format!r}")
        self._format = format
        self._linter = _smtpspec._Linter(format, _ids(select, "select"), _ids(ignore, "ignore"), transcript_format,
                                         bool(lmtp), bool(show_undecidable), str(file))

    def feed(self, chunk):
        """Reads and lints the next octets of the transcript (str is taken as UTF-8)."""
        self._linter.feed(chunk)

    def finish_json(self):
        """The writer's text at the end of the input (for format="json", the canonical JSON text)."""
        return self._linter.finish()

    def finish(self):
        """The input ended: the report, as lint() returns it."""
        out = self._linter.finish()
        return _json.loads(out) if self._format == "json" else out


_RULES = _smtpspec._lint_rules()


def lint_rules():
    """Every rule: {"id", "rfc", "section", "severity", "side", "quote", "summary", "url", "implemented"}."""
    return [dict(r) for r in _RULES]
