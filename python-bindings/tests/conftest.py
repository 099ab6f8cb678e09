"""Shared helpers: where the repository is, and the attribute-mirror check."""

import pathlib

import pytest
import smtpspec

ROOT = pathlib.Path(__file__).resolve().parents[2]
PARSERS = {
    "command": smtpspec.parse_command,
    "path": smtpspec.parse_path,
    "mailbox": smtpspec.parse_mailbox,
    "domain": smtpspec.parse_domain,
}
# Properties of Command that only some verbs use (the JSON leaves the others out).
COMMAND_FIELDS = [n for n in dir(smtpspec.Command) if not n.startswith("_")]
# JSON keys that are Python keywords, and the attribute that stands for each.
ATTRIBUTE_FOR = {"class": "cls"}


def _same(got, want):
    if isinstance(want, bool) or isinstance(got, bool):
        return type(got) is type(want) and got == want
    return got == want


def mirror_mismatches(obj, want, where="result"):
    """Compares a result's attributes, recursively, with its canonical JSON (`want`): every key
    must be an attribute with an equal value. Returns a list of differences."""
    out = []
    if isinstance(want, dict) and isinstance(obj, dict):
        # A value the binding gives as a plain dict (EsmtpParam.typed) mirrors the JSON as is.
        if obj != want:
            out.append(f"{where}: {obj!r} != JSON {want!r}")
    elif isinstance(want, dict):
        for key, sub in want.items():
            name = ATTRIBUTE_FOR.get(key, key)
            if not hasattr(obj, name):
                out.append(f"{where}: no attribute {name!r}")
                continue
            out += mirror_mismatches(getattr(obj, name), sub, f"{where}.{name}")
        if isinstance(obj, smtpspec.Command):
            for key in COMMAND_FIELDS:
                if key not in want and getattr(obj, key) is not None:
                    out.append(f"{where}.{key}: {getattr(obj, key)!r}, but the JSON leaves it out")
    elif isinstance(want, list):
        if not isinstance(obj, list) or len(obj) != len(want):
            out.append(f"{where}: {obj!r} is not a list of {len(want)}")
        else:
            for i, (o, w) in enumerate(zip(obj, want)):
                out += mirror_mismatches(o, w, f"{where}[{i}]")
    elif not _same(obj, want):
        out.append(f"{where}: attribute {obj!r} != JSON {want!r}")
    return out


def assert_mirrors(result):
    d = result.to_dict()
    problems = mirror_mismatches(result, d)
    if result.ok:
        problems += [] if result.error is None else ["ok result has an error"]
    else:
        problems += [] if result.value is None else ["failed result has a value"]
    assert not problems, "\n".join(problems)


@pytest.fixture
def mirrors():
    return assert_mirrors
