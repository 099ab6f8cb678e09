"""Writes smtpspec/__init__.pyi and smtpspec/dsn.pyi from their templates and the built module's
catalogues (run by CMake after the module is built): the enum members and the DSN helper names are
never typed by hand. Usage: gen_stub.py SOURCE_DIR PACKAGE_DIR (the built smtpspec/ directory)."""

import os
import sys

source, package = sys.argv[1], sys.argv[2]
# Import the package being built, never the source tree next to this script.
sys.path[0] = os.path.dirname(os.path.abspath(package))
import smtpspec  # noqa: E402
from smtpspec import dsn  # noqa: E402


def members(enum_cls):
    return "".join(f"    {m.name} = {m.value!r}\n" for m in enum_cls)


def helpers():
    return "".join(f"def {name}(msg: _Msg = ..., code: _Code = ...) -> DSN: ...\n" for name in dsn.FUNCTIONS)


def fill(template, out, markers):
    with open(os.path.join(source, template), encoding="utf-8") as f:
        text = f.read()
    for marker, body in markers.items():
        if marker not in text:
            sys.exit(f"gen_stub: {marker.strip()} missing from {template}")
        text = text.replace(marker, body)
    path = os.path.join(package, out)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


fill("__init__.pyi.in", "__init__.pyi",
     {**{f"    # @{name}@\n": members(getattr(smtpspec, name))
         for name in ("ErrorCode", "DiagnosticId", "Verb", "ReplyDiagnosticId")},
      # issue 7: the transcript format names of catalogue/transcript_formats.inc
      "    # @TranscriptFormat@\n": "".join(f"    {f['name']!r},\n" for f in smtpspec.transcript_formats())})
fill("dsn.pyi.in", "dsn.pyi", {"# @functions@\n": helpers()})

# smtpspec.milter (issue 5): the packet type names and error codes of the C++ milter catalogue.
from smtpspec import milter  # noqa: E402

fill("milter.pyi.in", "milter.pyi",
     {"    # @PacketType@\n": "".join(f"    {n!r},\n" for n in milter.PACKETS),
      "    # @ErrorCode@\n": "".join(f"    {c!r},\n" for c in milter.ERROR_CODES)})

# smtpspec.server (issue 6): the hook, verdict, state and event kind names of the C++ session.
from smtpspec import server  # noqa: E402

fill("server.pyi.in", "server.pyi",
     {f"    # @{marker}@\n": "".join(f"    {n!r},\n" for n in names)
      for marker, names in (("HookName", server.HOOKS), ("Verdict", server.VERDICTS), ("State", server.STATES),
                            ("EventKind", server.EVENT_KINDS))})
