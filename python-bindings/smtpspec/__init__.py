"""smtpspec: RFC 5321 commands, paths, mailboxes and domains — is it valid, and if not, exactly why.

    >>> import smtpspec
    >>> r = smtpspec.parse_mailbox("john.smith@example.com")
    >>> r.ok, r.value.domain.text
    (True, 'example.com')
    >>> smtpspec.parse_command(b"MAIL FROM:<>\\r\\n").to_dict()["value"]["path"]["kind"]
    'null'

Every parse function takes str (parsed as its UTF-8 octets) or bytes, never raises on malformed input,
and returns a result with ``ok``, ``value``, ``error``, ``diagnostics``, ``to_dict()`` and
``to_json()``; attribute names and values mirror the canonical JSON (conformance/README.md), and
``to_json()`` is the C++ library's own output. Error offsets count octets of the input.
"""

import enum as _enum
import json as _json

from . import _smtpspec
from ._smtpspec import (
    Command,
    CommandResult,
    Diagnostic,
    Domain,
    DomainResult,
    Error,
    EsmtpParam,
    Mailbox,
    MailboxResult,
    Path,
    PathResult,
    parse_command,
    parse_domain,
    parse_mailbox,
    parse_path,
)

__version__ = _smtpspec.__version__


class _NameEnum(str, _enum.Enum):
    """An enum whose values are the names used in the canonical JSON (so members equal them)."""

    def __str__(self):
        return self.value


def _make_enum(name, names, doc):
    cls = _NameEnum(name, [(n, n) for n in names], module=__name__, qualname=name)
    cls.__doc__ = doc
    return cls


# Built from the C++ catalogue at import time: nothing here is retyped.
ErrorCode = _make_enum(
    "ErrorCode", [row["name"] for row in _smtpspec.error_catalogue()],
    "Error codes: include/smtpspec/catalogue/errors.inc, one member per row.")
DiagnosticId = _make_enum(
    "DiagnosticId", [row["name"] for row in _smtpspec.diagnostic_catalogue()],
    "Diagnostic ids: include/smtpspec/catalogue/diagnostics.inc, one member per row.")
Verb = _make_enum("Verb", _smtpspec.verbs(), "Command verbs, in upper case as in the JSON.")
_smtpspec._register_enums(ErrorCode, DiagnosticId, Verb)


def catalogue():
    """The error and diagnostic catalogues, exactly as the C++ library (and CLI) give them."""
    return _json.loads(_smtpspec.catalogue_json())


__all__ = [
    "Command",
    "CommandResult",
    "Diagnostic",
    "DiagnosticId",
    "Domain",
    "DomainResult",
    "Error",
    "ErrorCode",
    "EsmtpParam",
    "Mailbox",
    "MailboxResult",
    "Path",
    "PathResult",
    "Verb",
    "__version__",
    "catalogue",
    "parse_command",
    "parse_domain",
    "parse_mailbox",
    "parse_path",
]
