"""The issue-6 conformance vector kinds for test_conformance.py, run through smtpspec.server:

    session      config + peer + answers + steps -> {"output":S,"events":[EVENT…],"state":S}
    data_reader  options + input -> to_json(reader, step, message)   (one feed() call)
    proxy        accept + input  -> to_json(parse_proxy_header(…))

Every event and result text is the C++ to_json text itself (the binding hands it over). Checks: any
two-part split of a session's fed octets gives the same output and state; any two-part split of a
data_reader input gives the same message, consumed count, done and reject."""

import json

from smtpspec import server

SESSION_KINDS = {"session", "data_reader", "proxy"}


def json_text(octets):
    """A JSON string of octets as the C++ writer makes it: valid UTF-8 as is, each maximal
    ill-formed subsequence as U+FFFD, controls and DEL as \\u00xx."""
    return json.dumps(octets.decode("utf-8", "replace"), ensure_ascii=False).replace("\x7f", "\\u007f")


class Text:
    """A C++ JSON text with the to_json()/to_dict() of the other results."""

    def __init__(self, text):
        self.text = text

    def to_json(self):
        return self.text

    def to_dict(self):
        return json.loads(self.text)


def _input(vector):
    if "input_hex" in vector:
        return bytes.fromhex(vector["input_hex"])
    return vector["input"].encode("utf-8")


def _answerer(answers):
    used = {}

    def next_answer(hook):
        a = answers.get(hook, "CONT")
        if not isinstance(a, list):
            return a
        i = used.get(hook, 0)
        used[hook] = i + 1
        return a[min(i, len(a) - 1)]

    return next_answer


def run_session(vector, steps):
    s = server.ServerSession(vector.get("config", {}), vector.get("peer", {}))
    next_answer = _answerer(vector.get("answers", {}))
    events, output = [], []

    def take(evs):
        for ev in evs:
            events.append(ev.to_json())
            if ev.kind == "hook" and ev.needs_answer:
                take(s.answer(ev.handle, next_answer(ev.hook)))
        output.append(s.take_output())

    take(s.start())
    for step in steps:
        if "feed" in step:
            take(s.feed(step["feed"].encode("utf-8")))
        elif "feed_hex" in step:
            take(s.feed(bytes.fromhex(step["feed_hex"])))
        elif step.get("eof") is True:
            take(s.eof())
        elif step.get("timeout") is True:
            take(s.timeout())
        elif "tls" in step:
            take(s.tls_established(step["tls"]))
        else:
            raise AssertionError(f"unknown step {step!r}")
    return b"".join(output), events, s.state


def session_run(vector):
    kind = vector["kind"]
    if kind == "data_reader":
        o = vector.get("options", {})
        assert set(o) <= {"bare_lf", "bare_cr", "max_line"}, o
        return server.DataReader(**o).feed(_input(vector))
    if kind == "proxy":
        return server.parse_proxy_header(_input(vector), vector.get("accept", "any"))
    output, events, state = run_session(vector, vector["steps"])
    return Text('{"output":' + json_text(output) + ',"events":[' + ",".join(events) + '],"state":' +
                json.dumps(state) + "}")


def session_checks(vector, result):
    if vector["kind"] == "data_reader":
        data = _input(vector)
        want = result.to_dict()
        for cut in range(len(data) + 1):
            r = server.DataReader(**vector.get("options", {}))
            a = r.feed(data[:cut])
            b = None if a.done else r.feed(data[a.consumed:])
            last = b or a
            message = a.message + (b.message if b else b"")
            assert json_text(message) == json.dumps(want["message"], ensure_ascii=False).replace("\x7f", "\\u007f"), cut
            assert a.consumed + (b.consumed if b else 0) == want["consumed"], cut
            assert (last.done, last.reject) == (want["done"], want["reject"]), cut
        return
    # reject_unauth_pipelining acts on how the input arrived: no split invariant there.
    if vector["kind"] != "session" or vector.get("config", {}).get("reject_unauth_pipelining"):
        return
    steps = vector["steps"]
    if not all("feed" in s or "feed_hex" in s for s in steps):
        return
    octets = b"".join(s["feed"].encode("utf-8") if "feed" in s else bytes.fromhex(s["feed_hex"]) for s in steps)
    if len(octets) > 4096:
        return
    want = result.to_dict()
    for cut in range(len(octets) + 1):
        output, _, state = run_session(vector, [{"feed_hex": octets[:cut].hex()}, {"feed_hex": octets[cut:].hex()}])
        assert json_text(output) == json.dumps(want["output"], ensure_ascii=False).replace("\x7f", "\\u007f"), cut
        assert state == want["state"], cut
