"""The shared conformance vectors (conformance/README.md), one test per vector named <file>:<id>.

Also writes the canonical JSON of every vector, in manifest order, to
SMTPSPEC_CONFORMANCE_OUT_DIR/python.jsonl (or SMTPSPEC_CONFORMANCE_OUT, a file), for the
cross-surface comparison.

Kinds: command, path, mailbox, domain (a parse result each); enhanced_status (a result);
reply (a stream: the list of its replies, whose canonical JSON is an array); format_reply (a result).
"""

import json
import os
import pathlib

import pytest
import smtpspec
from smtpspec import milter
from session_vectors import SESSION_KINDS, session_checks, session_run
from conftest import PARSERS, ROOT, assert_mirrors, mirror_mismatches

CONFORMANCE = ROOT / "conformance"
MANIFEST = CONFORMANCE / "manifest.json"
PROFILES = {"strict": False, "lenient": True}
# The issue-4 kinds (conformance/README.md, "Replies and status codes") and the options each takes.
REPLY_OPTIONS = {"max_line", "max_lines", "max_diagnostics", "lf_ends_line"}
FORMAT_OPTIONS = {"enhanced_codes", "max_line", "policy", "utf8"}
KINDS = set(PARSERS) | {"enhanced_status", "reply", "format_reply"}
KINDS.add("milter_decode")  # conformance/README.md, "Milter"
KINDS.add("ehlo")  # issue 3: an EHLO reply's keywords against the IANA registry
KINDS.add("transcript")  # issue 7: conformance/README.md, "Transcripts"
TRANSCRIPT_OPTIONS = {"max_line", "max_messages", "max_held"}
KINDS.add("lint")  # issue 7: conformance/README.md, "Lint"
LINT_OPTIONS = {"select", "ignore", "transcript_format", "lmtp", "show_undecidable"}
KINDS |= SESSION_KINDS  # issue 6: session, data_reader, proxy (session_vectors.py)


def _manifest_files(manifest):
    # A list of paths relative to conformance/, bare or under "files".
    files = manifest["files"] if isinstance(manifest, dict) else manifest
    for entry in files:
        if isinstance(entry, str):
            yield entry
        else:
            yield entry.get("file") or entry["path"]


def load_vectors():
    """[(name "<file>:<id>", vector)] in manifest order; string entries are comments."""
    cases = []
    for rel in _manifest_files(json.loads(MANIFEST.read_text(encoding="utf-8"))):
        entries = json.loads((CONFORMANCE / rel).read_text(encoding="utf-8"))
        assert isinstance(entries, list), f"{rel}: a vector file is a JSON array"
        cases += [(f"{rel}:{v['id']}", v) for v in entries if not isinstance(v, str)]
    return cases


class LintResult:
    """A lint vector's answer: the C++ canonical JSON text itself (smtpspec.lint_json)."""

    def __init__(self, text):
        self._json = text

    def to_json(self):
        return self._json

    def to_dict(self):
        return json.loads(self._json)


class Replies(list):
    """A reply vector's answer: the replies, with the canonical JSON of the array."""

    def to_json(self):
        return "[" + ",".join(r.to_json() for r in self) + "]"

    def to_dict(self):
        return [r.to_dict() for r in self]


def _options(given, known, name):
    assert set(given) <= known, f"{name}: unknown options {sorted(set(given) - known)}"
    return dict(given)


def run(vector):
    kind = vector["kind"]
    if kind in SESSION_KINDS:
        return session_run(vector)
    if kind == "milter_decode":
        return milter_run(vector)
    if kind == "format_reply":
        spec = vector["input"]
        lines = [bytes.fromhex(h) for h in spec["lines_hex"]] if "lines_hex" in spec else spec.get("lines", [])
        options = _options(spec.get("options", {}), FORMAT_OPTIONS, "format_reply")
        return smtpspec.format_reply(spec["code"], spec.get("enhanced"), lines, **options)
    if "input_hex" in vector:
        data = bytes.fromhex(vector["input_hex"])
    else:
        data = vector["input"]
    if kind == "lint":
        return LintResult(smtpspec.lint_json(data, **_options(vector.get("options", {}), LINT_OPTIONS, "lint")))
    if kind == "transcript":
        options = _options(vector.get("options", {}), TRANSCRIPT_OPTIONS, "transcript")
        return smtpspec.read_transcript(data, vector.get("format"), **options)
    if kind == "enhanced_status":
        return smtpspec.parse_enhanced_status(data)
    if kind == "reply":
        return Replies(smtpspec.parse_replies(data, **_options(vector.get("options", {}), REPLY_OPTIONS, "reply")))
    if kind == "ehlo":
        replies = smtpspec.parse_replies(data, **_options(vector.get("options", {}), REPLY_OPTIONS, "ehlo"))
        return smtpspec.parse_ehlo_reply(replies[0] if replies else b"")
    lenient = PROFILES[vector.get("profile", "strict")]
    smtputf8 = vector.get("smtputf8", False)
    assert isinstance(smtputf8, bool)
    if kind == "path":
        return smtpspec.parse_path(data, lenient=lenient, smtputf8=smtputf8, role=vector.get("role", "any"))
    return PARSERS[kind](data, lenient=lenient, smtputf8=smtputf8)


def milter_run(vector):
    options = vector.get("options", {})
    assert set(options) <= {"max_payload"}, options
    return milter.decode(bytes.fromhex(vector["input_hex"]), vector["direction"], **options)


def milter_checks(vector, result):
    """Any two-part split decodes the same; the packets re-encode to the octets they came from."""
    data = bytes.fromhex(vector["input_hex"])
    max_payload = vector.get("options", {}).get("max_payload", milter.DEFAULT_MAX_PAYLOAD)
    again = b"".join(milter.encode(p, max_payload)[0] for p in result.packets)
    assert data.startswith(again)
    if result.ok:
        assert again == data
    if vector["direction"] == "conversation":
        return
    for cut in range(len(data) + 1):
        d = milter.Decoder(vector["direction"], max_payload)
        packets = d.feed(data[:cut]) + d.feed(data[cut:])
        d.finish()
        assert [p.to_json() for p in packets] == [p.to_json() for p in result.packets], f"split at {cut}"
        assert d.error == result.error, f"split at {cut}"


def fed_in_parts(vector, cuts):
    """A reply vector's stream fed to one ReplyParser in pieces cut at `cuts`."""
    data = bytes.fromhex(vector["input_hex"]) if "input_hex" in vector else vector["input"].encode("utf-8")
    parser = smtpspec.ReplyParser(**vector.get("options", {}))
    out, start = Replies(), 0
    for cut in list(cuts) + [len(data)]:
        out += parser.feed(data[start:cut])
        start = cut
    out += parser.finish()
    return out


def subset_mismatches(want, got, where="$"):
    """The README's rule: every key of `want` must be in `got` with a matching value (objects
    recursively); arrays must have the same length and match element by element."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [f"{where}: expected an object, got {got!r}"]
        out = []
        for key, sub in want.items():
            if key not in got:
                out.append(f"{where}.{key}: missing")
            else:
                out += subset_mismatches(sub, got[key], f"{where}.{key}")
        return out
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return [f"{where}: expected {len(want)} elements, got {got!r}"]
        out = []
        for i, (w, g) in enumerate(zip(want, got)):
            out += subset_mismatches(w, g, f"{where}[{i}]")
        return out
    if type(want) is not type(got) or want != got:
        return [f"{where}: expected {want!r}, got {got!r}"]
    return []


def _params():
    if not MANIFEST.exists():
        reason = f"{MANIFEST} does not exist yet (the vectors are written separately)"
        if os.environ.get("SMTPSPEC_REQUIRE_VECTORS") == "1":
            return [pytest.param(reason, id="manifest-missing")]  # test_vector fails on it
        return [pytest.param(None, id="manifest-missing", marks=pytest.mark.skip(reason=reason))]
    return [pytest.param(v, id=name) for name, v in load_vectors()]


def _out_path():
    if os.environ.get("SMTPSPEC_CONFORMANCE_OUT_DIR"):
        return pathlib.Path(os.environ["SMTPSPEC_CONFORMANCE_OUT_DIR"]) / "python.jsonl"
    if os.environ.get("SMTPSPEC_CONFORMANCE_OUT"):
        return pathlib.Path(os.environ["SMTPSPEC_CONFORMANCE_OUT"])
    return None


@pytest.fixture(scope="module", autouse=True)
def write_outputs():
    """Every vector's canonical JSON, whatever subset of tests runs."""
    out = _out_path()
    if out is not None and MANIFEST.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "wb") as f:
            for name, vector in load_vectors():
                line = f"{name}\t{run(vector).to_json()}\n"
                f.write(line.encode("utf-8", "surrogateescape"))
    yield


@pytest.mark.parametrize("vector", _params())
def test_vector(vector):
    if isinstance(vector, str):  # the manifest is missing and SMTPSPEC_REQUIRE_VECTORS=1
        pytest.fail(vector)
    result = run(vector)
    got = result.to_dict()
    problems = subset_mismatches(vector["expect"], got)
    assert not problems, "\n".join(problems + [f"got: {result.to_json()}"])
    assert json.loads(result.to_json()) == got
    # The same octets given as bytes give the same answer.
    if vector["kind"] == "format_reply" and "lines" in vector["input"]:
        spec = vector["input"]
        as_bytes = dict(spec, lines_hex=[line.encode("utf-8").hex() for line in spec["lines"]])
        del as_bytes["lines"]
        assert run(dict(vector, input=as_bytes)).to_json() == result.to_json()
    elif "input" in vector and isinstance(vector["input"], str):
        as_bytes = dict(vector, input_hex=vector["input"].encode("utf-8").hex())
        del as_bytes["input"]
        assert run(as_bytes).to_json() == result.to_json()
    if vector["kind"] == "reply":
        # Any split of the stream gives the same replies (every two-part split, and octet by octet).
        whole = result.to_json()
        size = len(bytes.fromhex(vector["input_hex"]) if "input_hex" in vector else vector["input"].encode())
        for cut in range(size + 1):
            assert fed_in_parts(vector, [cut]).to_json() == whole, f"split at {cut}"
        assert fed_in_parts(vector, range(1, size)).to_json() == whole, "octet by octet"
        for reply in result:
            assert not mirror_mismatches(reply, reply.to_dict(), "reply"), mirror_mismatches(reply, reply.to_dict())
    elif vector["kind"] == "milter_decode":
        milter_checks(vector, result)
    elif vector["kind"] == "transcript":
        # The properties are the canonical JSON's fields.
        got = result.to_dict()
        assert [result.format, result.events, result.notes, result.errors, result.ok] == [
            got["format"], got["events"], got["notes"], got["errors"], not got["errors"]]
    elif vector["kind"] == "lint":
        # smtpspec.lint() (format json) is the same report as a dict.
        data = bytes.fromhex(vector["input_hex"]) if "input_hex" in vector else vector["input"]
        assert smtpspec.lint(data, **vector.get("options", {})) == result.to_dict()
    elif vector["kind"] in SESSION_KINDS:
        session_checks(vector, result)
    else:
        assert_mirrors(result)


@pytest.mark.skipif(not MANIFEST.exists(), reason="no conformance/manifest.json yet")
def test_ids_are_unique_and_vectors_well_formed():
    names = [name for name, _ in load_vectors()]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    for name, v in load_vectors():
        assert v["kind"] in KINDS, name
        assert v.get("profile", "strict") in PROFILES, name
        if v["kind"] == "session":  # steps instead of an input
            assert isinstance(v["steps"], list) and isinstance(v["expect"], dict), name
            continue
        assert ("input" in v) != ("input_hex" in v), f"{name}: exactly one of input, input_hex"
        # A reply vector expects the array of replies; every other kind one result.
        assert isinstance(v["expect"], list if v["kind"] == "reply" else dict), name
        if v["kind"] == "format_reply":
            assert isinstance(v["input"], dict) and isinstance(v["input"]["code"], int), name
            assert ("lines" in v["input"]) + ("lines_hex" in v["input"]) <= 1, name
