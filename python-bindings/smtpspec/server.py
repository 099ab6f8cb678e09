"""smtpspec.server: the sans-IO SMTP/LMTP server session (issue 6), and an asyncio server on it.

The session is the C++ core's ``smtpspec::server_session``: it takes the client's bytes and returns
events; the host answers hook events (now or later, by handle) and writes ``take_output()``.

    >>> from smtpspec import server
    >>> s = server.ServerSession(hostname="mx.example")
    >>> [e.hook for e in s.start() if e.kind == "hook"]
    []
    >>> s.take_output()
    b'220 mx.example ESMTP smtpspec\\r\\n'

Every event's ``to_json()`` is the C++ ``to_json(event)`` text, ``to_dict()`` its dict, and its
fields are attributes (``event.kind``, ``event.hook``, ``event.handle``, ``event.needs_answer``, …);
a message's octets (``message_data``, a buffered ``data_post``) are ``bytes`` in ``event.data``.
Config keys are the ``session_config`` field names (``bare_lf="normalize"``, ``limits={...}``,
``hooks=["rcpt", "queue"]``); an unknown key is a ValueError naming it. Hook answers are a verdict
name (``"OK"``, ``"DENY"``, …), None (CONT) or a dict ``{"verdict", "code", "status", "message",
"challenge", "user", "capabilities", "per_recipient"}``.

The asyncio server::

    class Handler:
        async def hook_rcpt(self, event, conn):
            return "OK" if event.argument.endswith("@example.com") else "DENY"
        async def hook_queue(self, event, conn, message):
            store(message)
            return "OK"

    srv = await server.serve(Handler(), "127.0.0.1", 2525, hostname="mx.example")
"""

import asyncio
import inspect
import json as _json
import logging
import re

from . import _smtpspec

_s = _smtpspec.session
_TABLES = _json.loads(_s.defaults_json())

#: Haraka's hook names in order, then smtpspec's own (from the C++ enum).
HOOKS = tuple(_TABLES["hooks"])
#: The hooks whose events hold the session until answered.
NEEDS_ANSWER = tuple(_TABLES["needs_answer"])
VERDICTS = tuple(_TABLES["verdicts"])
STATES = tuple(_TABLES["states"])
EVENT_KINDS = tuple(_TABLES["event_kinds"])
#: Every session_config field with its default (limits as a dict), from C++.
DEFAULT_CONFIG = _TABLES["config"]

log = logging.getLogger("smtpspec.server")


def session_diagnostic_catalogue():
    """The C++ catalogue: {"diagnostics": [{"id", "severity", "rfc", "message"}…], "hooks": [{"name",
    "needs_answer"}…], "verdicts": […]} (session_diagnostic_catalogue_json)."""
    return _json.loads(_s.diagnostic_catalogue_json())


class _Json:
    """A C++ canonical JSON object with its fields as attributes; some hold bytes instead of text."""

    __slots__ = ("_text", "_dict", "_octets")

    def __init__(self, text, octets=None):
        self._text = text
        self._dict = _json.loads(text)
        self._octets = octets or {}

    def __getattr__(self, name):
        if name in self._octets:
            return self._octets[name]
        try:
            return self._dict[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name):
        return self.__getattr__(name)

    def __contains__(self, name):
        return name in self._dict

    def get(self, name, default=None):
        return self._octets.get(name, self._dict.get(name, default))

    def to_json(self):
        return self._text

    def to_dict(self):
        return _json.loads(self._text)

    def __eq__(self, other):
        return isinstance(other, _Json) and other._text == self._text and other._octets == self._octets

    def __repr__(self):
        return f"{type(self).__name__}({self._text})"


class Event(_Json):
    """A session event (to_json(): the C++ text; ``data``: the message octets as bytes)."""

    __slots__ = ()


def _events(pairs):
    return [Event(text, None if data is None else {"data": data}) for text, data in pairs]


class ServerSession:
    """The session, 1:1 with C++ ``smtpspec::server_session``.

    ``ServerSession(config=None, peer=None, **config_fields)``: config as a dict and/or keywords;
    peer: ``{"remote_address", "remote_port", "local_address", "local_port", "remote_name"}``.
    """

    __slots__ = ("_s", "config")

    def __init__(self, config=None, peer=None, **fields):
        c = dict(config or {})
        c.update(fields)
        self._s = _s.ServerSession(c, dict(peer or {}))
        full = dict(DEFAULT_CONFIG, **c)
        full["limits"] = dict(DEFAULT_CONFIG["limits"], **(c.get("limits") or {}))
        self.config = full

    def start(self):
        return _events(self._s.start())

    def feed(self, data):
        return _events(self._s.feed(data))

    def answer(self, handle, response=None):
        return _events(self._s.answer(handle, response))

    def tls_established(self, cipher=""):
        return _events(self._s.tls_established(cipher))

    def eof(self):
        return _events(self._s.eof())

    def timeout(self):
        return _events(self._s.timeout())

    def take_output(self):
        return self._s.take_output()

    @property
    def output_size(self):
        return self._s.output_size

    @property
    def timeout_seconds(self):
        return self._s.timeout_seconds

    @property
    def wants_input(self):
        return self._s.wants_input

    @property
    def closed(self):
        return self._s.closed

    @property
    def state(self):
        return self._s.state

    @property
    def offset(self):
        return self._s.offset

    @property
    def connection(self):
        """connection_info as a dict (a copy: set notes with set_connection_note)."""
        return self._s.connection

    @property
    def transaction(self):
        """The transaction as a dict after MAIL was accepted, else None (a copy)."""
        return self._s.transaction

    def set_connection_note(self, key, value):
        """Sets a connection note (value None deletes it)."""
        return self._s.set_connection_note(key, value)

    def set_transaction_note(self, key, value):
        """Sets a transaction note; False when there is no transaction."""
        return self._s.set_transaction_note(key, value)


class DataReaderStep(_Json):
    """What one DataReader.feed() did: consumed, done, message (bytes), octets_in, octets_out,
    diagnostics, reject; to_json() is the C++ text."""

    __slots__ = ()


class DataReader:
    """RFC 5321 end of data (CRLF "." CRLF only) and dot-unstuffing, incremental."""

    __slots__ = ("_r",)

    def __init__(self, bare_lf="reject", bare_cr="reject", max_line=1000):
        self._r = _s.DataReader(bare_lf, bare_cr, max_line)

    def feed(self, data):
        text, message = self._r.feed(data)
        return DataReaderStep(text, {"message": message})

    def reset(self):
        self._r.reset()


class ProxyParseResult(_Json):
    """status ("incomplete", "done", "invalid"), consumed, error, header; to_json(): the C++ text."""

    __slots__ = ()


def parse_proxy_header(data, accept="any"):
    """A PROXY protocol v1/v2 header at the start of ``data``; accept: "v1", "v2", "any" or "none"."""
    return ProxyParseResult(_s.parse_proxy_header_json(data, accept))


# ---- the asyncio server ----------------------------------------------------------------------------

_FAILURE = {"verdict": "DENYSOFT", "code": 451, "status": "4.3.0", "message": ["Temporary failure, try again later"]}
_REPLY = re.compile(r"^([245])(\d\d)(?:[ -](?:([245]\.\d{1,3}\.\d{1,3}) )?(.*))?$", re.S)


def _handler_hooks(handler):
    """{hook: callable}: methods named hook_<name>, or aiosmtpd-style handle_<NAME>."""
    hooks = {}
    for name in HOOKS:
        fn = getattr(handler, "hook_" + name, None) or getattr(handler, "handle_" + name.upper(), None)
        if fn is not None:
            if not callable(fn):
                raise TypeError(f"handler.hook_{name} is not callable")
            hooks[name] = fn
    return hooks


def _answer_of(result):
    """A hook's return value as ServerSession.answer() takes it; an aiosmtpd-style reply string
    ("250 OK", "550 5.1.1 No such user") becomes OK, DENYSOFT or DENY with its code and text."""
    if isinstance(result, str):
        m = _REPLY.match(result)
        if m:
            verdict = {"2": "OK", "4": "DENYSOFT", "5": "DENY"}[m.group(1)]
            answer = {"verdict": verdict, "code": int(m.group(1) + m.group(2))}
            if m.group(3):
                answer["status"] = m.group(3)
            if m.group(4):
                answer["message"] = [m.group(4)]
            return answer
    return result


class Connection:
    """What a hook gets besides its event: the session, the peer, the streams, notes."""

    __slots__ = ("session", "reader", "writer", "remote_address", "remote_port", "local_address", "local_port")

    def __init__(self, session, reader, writer, peer):
        self.session = session
        self.reader = reader
        self.writer = writer
        self.remote_address = peer["remote_address"]
        self.remote_port = peer["remote_port"]
        self.local_address = peer["local_address"]
        self.local_port = peer["local_port"]

    @property
    def info(self):
        return self.session.connection

    @property
    def transaction(self):
        return self.session.transaction

    def set_note(self, key, value):
        return self.session.set_connection_note(key, value)

    def set_transaction_note(self, key, value):
        return self.session.set_transaction_note(key, value)


def _peer_of(writer):
    def addr(info):
        if isinstance(info, tuple) and len(info) >= 2:
            return str(info[0]), int(info[1])
        return "", 0

    remote, rport = addr(writer.get_extra_info("peername"))
    local, lport = addr(writer.get_extra_info("sockname"))
    if remote.startswith("::ffff:") and "." in remote:
        remote = remote[7:]
    if local.startswith("::ffff:") and "." in local:
        local = local[7:]
    return {"remote_address": remote, "remote_port": rport, "local_address": local, "local_port": lport}


def _earlier(a, b):
    """The earlier of two deadlines, None being none."""
    return b if a is None else a if b is None else min(a, b)


class _Served:
    """One client connection: reads, feeds, answers hooks (awaiting them), writes."""

    def __init__(self, hooks, config, tls, reader, writer):
        self.hooks = hooks
        self.tls = tls
        self.reader = reader
        self.writer = writer
        self.peer = _peer_of(writer)
        self.session = ServerSession(config, self.peer)
        self.conn = Connection(self.session, reader, writer, self.peer)
        self.chunks = []
        self.message_end = "queue" if "queue" in hooks else "data_post"
        self.collect = "queue" in hooks or "data_post" in hooks
        self.piece = max(512, self.session.config["limits"]["input_buffer"] // 2)
        self.replied = False  # output went out since the last read: progress, a new command deadline

    async def call(self, ev):
        fn = self.hooks.get(ev.hook)
        args = (ev, self.conn)
        if ev.hook in ("queue", "data_post") and self.collect:
            message = ev.data if "data" in ev._octets and ev.data else b"".join(self.chunks)
            if ev.hook == self.message_end:
                self.chunks = []
            args = (ev, self.conn, message)
        if fn is None:
            return None
        try:
            r = fn(*args)
            if inspect.isawaitable(r):
                r = await r
            return _answer_of(r)
        except Exception:  # noqa: BLE001 — the host's hook failed: the client gets a 451
            log.exception("hook %s failed", ev.hook)
            return _FAILURE

    async def handle(self, events):
        s = self.session
        for ev in events:
            kind = ev.kind
            if kind == "hook":
                if not ev.needs_answer:
                    if ev.hook in self.hooks:
                        await self.call(ev)
                    continue
                answer = await self.call(ev)
                try:
                    more = s.answer(ev.handle, answer)
                except (TypeError, ValueError) as e:
                    log.error("hook %s answered %s", ev.hook, e)
                    more = s.answer(ev.handle, _FAILURE)
                await self.handle(more)
            elif kind == "message_data":
                if self.collect:
                    self.chunks.append(ev.data)
            elif kind == "message_aborted":
                self.chunks = []
            elif kind == "start_tls":
                await self.flush()
                await self.writer.start_tls(self.tls)
                cipher = self.writer.get_extra_info("cipher")
                await self.handle(s.tls_established(cipher[0] if cipher else ""))
        await self.flush()

    async def flush(self):
        out = self.session.take_output()
        if out:
            self.replied = True
            self.writer.write(out)
            await self.writer.drain()

    async def run(self):
        s = self.session
        limits = s.config["limits"]
        rate, data_timeout = limits["min_data_rate"], limits["data_timeout"]
        clock = asyncio.get_running_loop().time
        # Deadlines as `smtpspec serve` keeps them (loop clock; None: none, as for a timeout of 0).
        in_command = in_data = False
        cmd_deadline = data_deadline = None
        try:
            await self.handle(s.start())
            while not s.closed:
                now = clock()
                t = s.timeout_seconds
                expiry = now + t if t > 0 else None
                in_body = s.state in ("data", "bdat")
                if in_body and rate > 0:
                    # Postfix smtpd_min_data_rate: data_timeout from the start of the data, plus
                    # credit for each octet read (below).
                    if not in_data:
                        in_data = True
                        data_deadline = now + data_timeout
                    expiry = _earlier(expiry, data_deadline)
                    in_command = False
                elif in_body:
                    in_data = in_command = False  # min_data_rate 0: data_timeout between reads
                else:
                    in_data = False
                    # A command (or SASL line) must be complete within the timeout of when the last
                    # reply went out, however it trickles in (slowloris); only a reply starts a new one.
                    if not in_command or self.replied:
                        cmd_deadline = expiry
                    in_command = True
                    self.replied = False
                    expiry = _earlier(expiry, cmd_deadline)
                try:
                    wait = None if expiry is None else max(0.0, expiry - clock())
                    data = await asyncio.wait_for(self.reader.read(65536), timeout=wait)
                except asyncio.TimeoutError:
                    await self.handle(s.timeout())
                    break
                if not data:
                    await self.handle(s.eof())
                    break
                if in_data:
                    # Each read adds len/rate seconds, but no more than one data_timeout is saved up.
                    data_deadline = min(data_deadline + len(data) / rate, clock() + data_timeout)
                # Fed in pieces of at most half the session's input_buffer, each after the hooks
                # of the one before were answered: what the session holds stays within its bound.
                for i in range(0, len(data), self.piece):
                    await self.handle(s.feed(data[i:i + self.piece]))
                    if s.closed:
                        break
        except (ConnectionError, OSError) as e:
            if not s.closed:
                s.eof()  # nothing partial is queued; the hooks were told nothing more can come
            log.info("connection %s:%s: %s", self.peer["remote_address"], self.peer["remote_port"], e)
        finally:
            try:
                self.writer.close()
                await self.writer.wait_closed()
            except (ConnectionError, OSError):
                pass


async def serve(handler, host="127.0.0.1", port=0, *, tls=None, **config):
    """An asyncio.Server whose connections are smtpspec sessions.

    handler: an object with optional ``async def hook_<name>(self, event, conn)`` methods (also
    found as aiosmtpd-style ``handle_<NAME>``; plain functions work too); ``hook_queue`` and
    ``hook_data_post`` get a third argument, the message as bytes. A hook returns a verdict name,
    None (CONT), a dict (see ServerSession.answer) or a reply string such as "550 5.1.1 No such
    user". One that raises answers DENYSOFT 451 4.3.0 and logs the traceback (logger
    "smtpspec.server"). Only the handler's hooks are subscribed unless ``hooks=`` says otherwise:
    without hook_rcpt every recipient is refused, as in Haraka.
    tls: an ssl.SSLContext (server side) for STARTTLS; config: session_config fields.
    """
    hooks = _handler_hooks(handler)
    config = dict(config)
    config.setdefault("hooks", list(hooks))
    if tls is not None:
        config.setdefault("starttls", True)
    if "auth" in hooks:
        config.setdefault("auth", True)
    if config.get("starttls") and tls is None:
        raise ValueError("starttls needs tls=ssl.SSLContext")
    ServerSession(config)  # bad keys or values raise here, not in each connection

    async def connected(reader, writer):
        await _Served(hooks, config, tls, reader, writer).run()

    return await asyncio.start_server(connected, host, port)
