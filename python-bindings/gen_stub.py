"""Writes smtpspec/__init__.pyi from its template and the built module's enums (run by CMake after
the module is built). Usage: gen_stub.py TEMPLATE OUT, where OUT is <package dir>/__init__.pyi."""

import os
import sys

template, out = sys.argv[1], sys.argv[2]
# Import the package being built, never the source tree next to this script.
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(out)))
import smtpspec  # noqa: E402


def members(enum_cls):
    return "".join(f"    {m.name} = {m.value!r}\n" for m in enum_cls)


with open(template, encoding="utf-8") as f:
    text = f.read()
for name in ("ErrorCode", "DiagnosticId", "Verb"):
    marker = f"    # @{name}@\n"
    if marker not in text:
        sys.exit(f"gen_stub: {marker.strip()} missing from {template}")
    text = text.replace(marker, members(getattr(smtpspec, name)))
tmp = out + ".tmp"
with open(tmp, "w", encoding="utf-8") as f:
    f.write(text)
os.replace(tmp, out)
