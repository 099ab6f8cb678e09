"""haraka-dsn's helpers in Python: one function per haraka-dsn function name, each taking
``(msg=None, code=None)`` and returning a :class:`DSN` with haraka's fields, plus ``create`` and
``explain``. The functions are made at import time from the C++ catalogue
(include/smtpspec/catalogue/dsn.inc) and computed by the C++ library (include/smtpspec/dsn.hpp).

    >>> from smtpspec import dsn
    >>> r = dsn.no_such_user()
    >>> r.code, r.cls, r.sub, r.det, r.reply
    (550, 5, 1, 1, '5.1.1 No such user')
    >>> str(dsn.sec_unauthorized("Try again later", 451))
    '4.7.1 Try again later'
    >>> dsn.create(550, ["line one", "line two"]).reply
    ['5.0.0 line one', '5.0.0 line two']

"DSN" is haraka's name for a reply with an enhanced status code, not an RFC 3464 notification.
As in haraka, ``reply`` holds no basic code (a server writes ``code`` before it), ``msg`` may be a
list (a multi-line reply), an empty ``msg`` takes the helper's own text, and a ``code`` whose
first three octets are 2xx/4xx/5xx replaces the default and decides the class.
"""

import json as _json

from . import _smtpspec

_CATALOGUE = _json.loads(_smtpspec.dsn_catalogue_json())

VERSION = _CATALOGUE["version"]
"""The haraka-dsn version whose behaviour is reproduced."""


class DSN:
    """haraka-dsn's DSN object: ``code, msg, cls, sub, det, default_msg, reply``; ``str()`` is its
    ``toString()``. ``code`` is the caller's own value when it was used (as in haraka);
    ``to_json()`` is the canonical JSON (conformance/README.md, DSN), as C++ writes it. Read-only,
    so that the JSON always describes the fields."""

    __slots__ = ("code", "msg", "cls", "sub", "det", "default_msg", "reply", "_json", "_text")

    def __init__(self):
        raise TypeError("DSN objects are made by the smtpspec.dsn functions")

    @classmethod
    def _from(cls, answer, caller_code):
        json_text, text, code_from_caller = answer
        self = object.__new__(cls)
        fields = _json.loads(json_text)
        for key, value in fields.items():
            object.__setattr__(self, key, value)
        if code_from_caller:
            object.__setattr__(self, "code", caller_code)
        object.__setattr__(self, "_json", json_text)
        object.__setattr__(self, "_text", text)
        return self

    def __setattr__(self, name, value):
        raise AttributeError("DSN objects are read-only")

    def __delattr__(self, name):
        raise AttributeError("DSN objects are read-only")

    def __str__(self):
        return self._text

    def __repr__(self):
        return f"DSN(code={self.code!r}, reply={self.reply!r})"

    def __eq__(self, other):
        if not isinstance(other, DSN):
            return NotImplemented
        return (self.code, self._json) == (other.code, other._json)

    def __hash__(self):
        return hash((self.code, self._json))

    def to_json(self):
        return self._json

    def to_dict(self):
        return _json.loads(self._json)


def _helper(row):
    name = row["name"]

    def helper(msg=None, code=None):
        return DSN._from(_smtpspec._dsn_make(name, msg, code), code)

    example = str(helper())
    helper.__name__ = helper.__qualname__ = name
    helper.__module__ = __name__
    alias = f" (alias of {row['alias_of']})" if row["alias_of"] else ""
    helper.__doc__ = (f"haraka-dsn {name}(msg, code){alias}: by default {row['default_code']} "
                      f"{example!r}. msg: str, a list of str (one reply line each) or None.")
    return helper


def create(code, msg=None, subject=0, detail=0):
    """haraka-dsn's DSN.create(code, msg, subject, detail): any code (450 unless it matches
    2xx/4xx/5xx), the class from it, subject and detail as given."""
    return DSN._from(_smtpspec._dsn_create(code, msg, subject, detail), code)


def explain(query):
    """What ``smtpspec dsn <query> --json`` prints, as a dict: an enhanced status code ("5.1.1",
    "X.1.1"), a helper name ("no_such_user") or a basic reply code ("550")."""
    return _json.loads(_smtpspec.dsn_explain_json(query))


def explain_text(query):
    """The same as readable lines (what ``smtpspec dsn <query>`` prints)."""
    return _smtpspec.dsn_explain_text(query)


def catalogue():
    """{"version", "functions", "texts"}: haraka-dsn's helpers (aliases last) and its text table."""
    return _json.loads(_smtpspec.dsn_catalogue_json())


FUNCTIONS = tuple(row["name"] for row in _CATALOGUE["functions"])
"""Every helper name, haraka's source order, then the aliases."""

globals().update({row["name"]: _helper(row) for row in _CATALOGUE["functions"]})

__all__ = ["DSN", "FUNCTIONS", "VERSION", "catalogue", "create", "explain", "explain_text", *FUNCTIONS]
