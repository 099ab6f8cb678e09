"""smtpspec: RFC 5321 commands, paths, mailboxes and domains — is it valid, and if not, exactly why;
enhanced status codes, SMTP replies (parser and formatter) and the DSN catalogue (``smtpspec.dsn``).

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

Replies, server side and client side, and haraka-dsn's helpers:

    >>> smtpspec.format_reply(550, "5.1.1", ["No such user", "Try again"]).value.data
    b'550-5.1.1 No such user\\r\\n550 5.1.1 Try again\\r\\n'
    >>> parser = smtpspec.ReplyParser()
    >>> parser.feed(b"250-mx.example\\r\\n250 SIZE 1")
    []
    >>> replies = parser.feed(b"000\\r\\n")
    >>> [(r.code, r.messages) for r in replies]
    [(250, ['mx.example', 'SIZE 1000'])]
    >>> smtpspec.parse_ehlo_reply(replies[0]).value.find("size").params
    ['1000']
    >>> str(smtpspec.dsn.no_such_user())
    '5.1.1 No such user'
"""

import enum as _enum
import json as _json

from . import _smtpspec
from ._smtpspec import (
    Command,
    CommandResult,
    ConversionResult,
    Diagnostic,
    Domain,
    DomainResult,
    EhloKeyword,
    EhloReply,
    EhloReplyResult,
    EnhancedStatus,
    EnhancedStatusResult,
    Error,
    EsmtpParam,
    EsmtpParamsResult,
    FormattedReply,
    FormattedReplyResult,
    Mailbox,
    MailboxResult,
    Path,
    PathResult,
    Reply,
    ReplyDiagnostic,
    ReplyLine,
    ReplyParser,
    domain_to_ascii,
    domain_to_unicode,
    format_ehlo_reply,
    format_reply,
    parse_command,
    parse_domain,
    parse_ehlo_reply,
    parse_enhanced_status,
    parse_esmtp_params,
    parse_mailbox,
    parse_path,
    parse_replies,
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
ReplyDiagnosticId = _make_enum(
    "ReplyDiagnosticId", [row["id"] for row in _json.loads(_smtpspec.reply_catalogue_json())["reply_diagnostics"]],
    "Reply parser diagnostic ids: include/smtpspec/catalogue/reply_diagnostics.inc, one member per row.")
_smtpspec._register_enums(ErrorCode, DiagnosticId, Verb, ReplyDiagnosticId)

from . import dsn  # noqa: E402  (smtpspec.dsn: the haraka-dsn catalogue)
from .transcript import (  # noqa: E402  (issue 7: the transcript readers)
    Transcript, TranscriptReader, detect_transcript_format, read_transcript, transcript_formats,
    transcript_messages)
from .lint import Linter, lint, lint_json, lint_rules  # noqa: E402  (issue 7: smtpspec lint)


def catalogue():
    """The error and diagnostic catalogues, exactly as the C++ library (and CLI) give them."""
    return _json.loads(_smtpspec.catalogue_json())


def enhanced_status_catalogue():
    """The RFC 3463 / RFC 5248 registry: {"classes", "subjects", "codes"} (conformance/README.md)."""
    return _json.loads(_smtpspec.enhanced_status_catalogue_json())


def reply_catalogue():
    """RFC 5321 §4.2.2-§4.2.3 standard replies, §4.3.2 sequences and the reply parser's diagnostics:
    {"standard_replies", "sequences", "reply_diagnostics"}."""
    return _json.loads(_smtpspec.reply_catalogue_json())


def extension_catalogue():
    """The IANA SMTP service extensions (EHLO keyword, RFC, status, EHLO parameter syntax, the MAIL
    and RCPT parameters each defines) and the RFC 9422 server limits: {"extensions",
    "server_limits"} (conformance/README.md)."""
    return _json.loads(_smtpspec.extension_catalogue_json())


__all__ = [
    "Command",
    "CommandResult",
    "ConversionResult",
    "Diagnostic",
    "DiagnosticId",
    "Domain",
    "DomainResult",
    "EhloKeyword",
    "EhloReply",
    "EhloReplyResult",
    "EnhancedStatus",
    "EnhancedStatusResult",
    "Error",
    "ErrorCode",
    "EsmtpParam",
    "EsmtpParamsResult",
    "FormattedReply",
    "FormattedReplyResult",
    "Mailbox",
    "MailboxResult",
    "Path",
    "PathResult",
    "Reply",
    "ReplyDiagnostic",
    "ReplyDiagnosticId",
    "ReplyLine",
    "ReplyParser",
    "Verb",
    "__version__",
    "catalogue",
    "domain_to_ascii",
    "domain_to_unicode",
    "dsn",
    "enhanced_status_catalogue",
    "format_ehlo_reply",
    "format_reply",
    "parse_command",
    "parse_domain",
    "parse_ehlo_reply",
    "parse_enhanced_status",
    "parse_esmtp_params",
    "parse_mailbox",
    "parse_path",
    "parse_replies",
    "reply_catalogue",
    "extension_catalogue",
    "Transcript",
    "read_transcript",
    "detect_transcript_format",
    "transcript_formats",
    "transcript_messages",
    "TranscriptReader",
    "lint",
    "lint_json",
    "lint_rules",
    "Linter",
]
