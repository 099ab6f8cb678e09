'use strict';
// smtpspec/server: the sans-IO SMTP/LMTP server session (issue 6) for Node, and a `net` server
// adapter on it. The session is the C++ core's (wasm/bind_session.cpp): every event is a plain
// object whose JSON is the core's canonical JSON (to_json in session.hpp); message octets
// (message_data, a buffered data_post) are Uint8Array, and JSON.stringify(event) still gives the
// core's text. Config keys, enum names, hook and verdict names come from the C++ tables, never
// retyped here.
//
// Low level, 1:1 with C++:
//   const s = new ServerSession({ hostname: 'mx.example' }, { remoteAddress: '192.0.2.1' });
//   handle(s.start()); on bytes: handle(s.feed(bytes)); answer hooks: handle(s.answer(ev.handle, 'OK'));
//   after every call: socket.write(s.takeOutput()); if (s.closed) socket.end();
// Sessions hold native memory: call close() when done (a FinalizationRegistry frees forgotten ones).
//
// The adapter: createServer({ hooks: { rcpt: async (ev, conn) => 'OK', queue: async (ev, conn, message) => 'OK' },
// session: { hostname: 'mx.example' }, tls: { key, cert } }) returns a net.Server.

const net = require('node:net');
const tls = require('node:tls');
const { bytesOf, nativeModule } = require('./reply.js');

const native = nativeModule();
const smtpspec = require('./index.js');

function deepFreeze(o) {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) deepFreeze(v);
  return Object.freeze(o);
}

// {config, peer, enum_fields, enums, hooks, needs_answer, verdicts, states, event_kinds}
const tables = deepFreeze(JSON.parse(native.sessionDefaultsJson()));
const HOOKS = tables.hooks;
const VERDICTS = tables.verdicts;
const STATES = tables.states;
const EVENT_KINDS = tables.event_kinds;
let diagnosticCatalogue = null;
function sessionDiagnosticCatalogue() {
  if (diagnosticCatalogue === null) {
    diagnosticCatalogue = deepFreeze(JSON.parse(native.sessionDiagnosticCatalogueJson()));
  }
  return diagnosticCatalogue;
}

const registry = new FinalizationRegistry(([free, id]) => native[free](id));
const snake = (k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const U32 = 0xffffffff;

// ---- configuration ---------------------------------------------------------------------------------

// One field checked against its C++ default's type (or enum): TypeError/RangeError naming the key.
function fieldOf(key, value, base, what) {
  const d = base[key];
  const name = `smtpspec/server: ${what} ${key}`;
  if (typeof d === 'boolean') {
    if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean`);
    return value;
  }
  if (typeof d === 'number') {
    // The widest field (message_size) is 64-bit; a JS number holds any size that fits in memory.
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer`);
    if (key.endsWith('_port') && value > 65535) throw new RangeError(`${name} must be at most 65535`);
    if ((key.endsWith('_timeout') || key === 'min_data_rate' || key === 'bare_newline_reject_code') && value > U32) {
      throw new RangeError(`${name} must be at most ${U32}`);
    }
    return value;
  }
  if (key === 'hooks') {
    if (!Array.isArray(value)) throw new TypeError(`${name} must be an array of hook names`);
    for (const h of value) if (!HOOKS.includes(h)) throw new TypeError(`${name}: unknown hook ${JSON.stringify(h)}`);
    return [...value];
  }
  if (Array.isArray(d)) {
    if (!Array.isArray(value) || !value.every((x) => typeof x === 'string')) {
      throw new TypeError(`${name} must be an array of strings`);
    }
    return [...value];
  }
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string`);
  const enumType = tables.enum_fields[key];
  if (enumType !== undefined && !tables.enums[enumType].includes(value)) {
    throw new TypeError(`${name} must be one of ${tables.enums[enumType].join(', ')}`);
  }
  return value;
}

function objectOf(given, base, what, nested = {}) {
  const out = {};
  if (given === undefined || given === null) return out;
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new TypeError(`smtpspec/server: ${what} must be an object`);
  }
  for (const [k, v] of Object.entries(given)) {
    const key = snake(k);
    if (!Object.hasOwn(base, key)) throw new TypeError(`smtpspec/server: unknown ${what} key ${JSON.stringify(k)}`);
    if (v === undefined) continue;
    out[key] = nested[key] ? objectOf(v, base[key], `${what}.${key}`) : fieldOf(key, v, base, what);
  }
  return out;
}

// A config object (camelCase or the C++ snake_case names) as bind_session.cpp takes it.
function configOf(config) {
  return objectOf(config, tables.config, 'config', { limits: true });
}
function peerOf(peer) {
  return objectOf(peer, tables.peer, 'peer');
}

// The full config with every default filled in, for `session.config`.
function fullConfig(given) {
  return { ...tables.config, ...given, limits: { ...tables.config.limits, ...(given.limits ?? {}) } };
}

// ---- hook answers ----------------------------------------------------------------------------------

const RESPONSE_KEYS = new Set(['verdict', 'code', 'status', 'message', 'challenge', 'user', 'capabilities',
  'per_recipient']);

function verdictOf(v) {
  const name = typeof v === 'string' ? v.toUpperCase() : v;
  if (!VERDICTS.includes(name)) {
    throw new TypeError(`smtpspec/server: verdict must be one of ${VERDICTS.join(', ')}, not ${JSON.stringify(v)}`);
  }
  return name;
}

// A verdict name, or {verdict, code, status, message, challenge, user, capabilities, per_recipient};
// undefined/null: CONT. As bind_session.cpp takes it (texts as UTF-8 octets).
function responseOf(answer) {
  if (answer === undefined || answer === null) return { verdict: 'CONT' };
  if (typeof answer === 'string') return { verdict: verdictOf(answer) };
  if (typeof answer !== 'object' || Array.isArray(answer)) {
    throw new TypeError('smtpspec/server: a hook answer is a verdict name or an object {verdict, code, status, …}');
  }
  const r = { verdict: verdictOf(answer.verdict ?? 'CONT') };
  for (const [k, v] of Object.entries(answer)) {
    const key = snake(k);
    if (!RESPONSE_KEYS.has(key)) throw new TypeError(`smtpspec/server: unknown hook answer key ${JSON.stringify(k)}`);
    if (v === undefined || v === null || key === 'verdict') continue;
    switch (key) {
      case 'code':
        if (!Number.isInteger(v) || v < 200 || v > 599) {
          throw new RangeError('smtpspec/server: answer code must be an integer from 200 to 599');
        }
        r.code = v;
        break;
      case 'status': {
        const s = typeof v === 'string' ? smtpspec.parseEnhancedStatus(v) : null;
        if (s === null || !s.ok) {
          throw new TypeError(`smtpspec/server: answer status ${JSON.stringify(v)} is not an enhanced status code`);
        }
        r.status = v;
        break;
      }
      case 'message':
      case 'capabilities':
        r[key] = (Array.isArray(v) ? v : [v]).map((l) => bytesOf(l, `answer ${key}`));
        break;
      case 'challenge':
      case 'user':
        r[key] = bytesOf(v, `answer ${key}`);
        break;
      case 'per_recipient':
        if (!Array.isArray(v)) throw new TypeError('smtpspec/server: answer per_recipient must be an array');
        r.per_recipient = v.map(responseOf);
        break;
      default:
    }
  }
  return r;
}

// ---- events ----------------------------------------------------------------------------------------

// [events JSON, [[index, Uint8Array]…]] from bind_session.cpp: the objects, with octets where the
// event carries a message; toJSON() keeps JSON.stringify(event) equal to the C++ text.
function eventsOf([text, data]) {
  const events = JSON.parse(text);
  for (const [i, bytes] of data) {
    const plain = events[i];
    const ev = { ...plain, data: bytes };
    Object.defineProperty(ev, 'toJSON', { enumerable: false, value: () => plain });
    events[i] = ev;
  }
  return events;
}

const noteOf = (value) => (value === null || value === undefined ? null : String(value));

class ServerSession {
  #id;
  #config;
  #lastJson = '[]';
  constructor(config = {}, peer = {}) {
    const c = configOf(config);
    this.#config = deepFreeze(fullConfig(c));
    this.#id = native.sessionNew(c, peerOf(peer));
    registry.register(this, ['sessionFree', this.#id], this);
  }
  #run(r) {
    this.#lastJson = r[0];
    return eventsOf(r);
  }
  start() { return this.#run(native.sessionStart(this.#id)); }
  feed(bytes) { return this.#run(native.sessionFeed(this.#id, bytesOf(bytes, 'bytes'))); }
  answer(handle, response) {
    if (!Number.isSafeInteger(handle) || handle < 0) {
      throw new TypeError('smtpspec/server: answer() takes an event handle');
    }
    return this.#run(native.sessionAnswer(this.#id, handle, responseOf(response)));
  }
  tlsEstablished(cipher = '') { return this.#run(native.sessionTls(this.#id, bytesOf(cipher, 'cipher'))); }
  eof() { return this.#run(native.sessionEof(this.#id)); }
  timeout() { return this.#run(native.sessionTimeout(this.#id)); }
  takeOutput() { return native.sessionTakeOutput(this.#id); }
  #status(i) { return native.sessionStatus(this.#id)[i]; }
  get timeoutSeconds() { return this.#status(0); }
  get wantsInput() { return this.#status(1); }
  get closed() { return this.#status(2); }
  get state() { return this.#status(3); }
  get outputSize() { return this.#status(4); }
  get offset() { return this.#status(5); }
  get config() { return this.#config; }
  // Plain objects with the C++ field names (connection_info, transaction), copied at each access.
  get connection() { return native.sessionConnection(this.#id); }
  get transaction() { return native.sessionTransaction(this.#id); }
  // value null deletes; returns false when there is no transaction (setTransactionNote).
  setConnectionNote(key, value) { return native.sessionSetNote(this.#id, false, String(key), noteOf(value)); }
  setTransactionNote(key, value) { return native.sessionSetNote(this.#id, true, String(key), noteOf(value)); }
  close() {
    registry.unregister(this);
    native.sessionFree(this.#id);
  }
  // The C++ to_json text of the last call's events (for the conformance runner).
  get _lastJson() { return this.#lastJson; }
}

// ---- building blocks ---------------------------------------------------------------------------------

const READER_KEYS = { bare_lf: 'reject', bare_cr: 'reject', max_line: 1000 };

// RFC 5321 end of data and dot-unstuffing, incremental. feed() returns
// {consumed, done, message: Uint8Array, octets_in, octets_out, diagnostics, reject}; JSON.stringify
// of it is the C++ to_json text.
class DataReader {
  #id;
  constructor(options = {}) {
    const o = { ...READER_KEYS };
    if (options !== null && typeof options === 'object') {
      for (const [k, v] of Object.entries(options)) {
        const key = snake(k);
        if (!Object.hasOwn(READER_KEYS, key)) {
          throw new TypeError(`smtpspec/server: unknown DataReader option ${JSON.stringify(k)}`);
        }
        if (v === undefined) continue;
        if (key === 'max_line') {
          if (!Number.isSafeInteger(v) || v < 0) {
            throw new RangeError('smtpspec/server: DataReader maxLine must be a non-negative integer');
          }
        } else if (!tables.enums.newline_policy.includes(v)) {
          const names = tables.enums.newline_policy.join(', ');
          throw new TypeError(`smtpspec/server: DataReader ${k} must be one of ${names}`);
        }
        o[key] = v;
      }
    } else if (options !== undefined) {
      throw new TypeError('smtpspec/server: DataReader options must be an object');
    }
    this.#id = native.dataReaderNew(o.bare_lf, o.bare_cr, o.max_line);
    registry.register(this, ['dataReaderFree', this.#id], this);
  }
  feed(bytes) {
    const [text, message] = native.dataReaderFeed(this.#id, bytesOf(bytes, 'bytes'));
    const plain = JSON.parse(text);
    const r = { ...plain, message };
    Object.defineProperty(r, 'toJSON', { enumerable: false, value: () => plain });
    Object.defineProperty(r, '_json', { enumerable: false, value: text });
    return r;
  }
  reset() { native.dataReaderReset(this.#id); }
  close() {
    registry.unregister(this);
    native.dataReaderFree(this.#id);
  }
}

const PROXY_ACCEPT = tables.enums.proxy_protocol;

// {status: 'incomplete'|'done'|'invalid', consumed, error, header}; accept 'none' refuses any header.
function parseProxyHeaderJson(bytes, accept = 'any') {
  if (!PROXY_ACCEPT.includes(accept)) {
    throw new TypeError(`smtpspec/server: accept must be one of ${PROXY_ACCEPT.join(', ')}`);
  }
  return native.parseProxyHeaderJson(bytesOf(bytes, 'bytes'), accept);
}
const parseProxyHeader = (bytes, accept) => JSON.parse(parseProxyHeaderJson(bytes, accept));

// ---- the net.Server adapter ----------------------------------------------------------------------------

const SERVER_KEYS = new Set(['hooks', 'session', 'tls', 'log', 'collectMessage']);
const HOOK_FAILURE = {
  verdict: 'DENYSOFT', code: 451, status: '4.3.0', message: ['Temporary failure, try again later'],
};

function defaultLog(line) {
  process.stderr.write(`smtpspec/server: ${line}\n`);
}

// The Node address of a v4 peer on a dual-stack socket ("::ffff:192.0.2.1") as the session wants it.
const plainAddress = (a) => {
  if (typeof a !== 'string') return '';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
};

/**
 * A net.Server whose connections are smtpspec sessions. options:
 *   hooks:   {hookName: (event, conn[, message]) => verdict | {verdict, code, status, message, …} | Promise of it}
 *            Only the hooks given here are subscribed (unless session.hooks says otherwise); the
 *            session's defaults answer the others (no rcpt hook: every recipient is refused, as in
 *            Haraka). data_post and queue get the message as a Buffer. A hook that throws or
 *            rejects answers DENYSOFT 451 4.3.0 and logs a line.
 *   session: the session config (camelCase or snake_case), e.g. {hostname, lmtp, limits: {…}}.
 *            With `tls`, starttls defaults to true; with an auth hook, auth defaults to true.
 *   tls:     tls.createSecureContext() options ({key, cert}) for STARTTLS.
 *   log:     (line) => void for errors (default: stderr).
 */
function createServer(options = {}) {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('smtpspec/server: createServer() takes an options object');
  }
  for (const k of Object.keys(options)) {
    if (!SERVER_KEYS.has(k)) throw new TypeError(`smtpspec/server: unknown createServer option ${JSON.stringify(k)}`);
  }
  const hooks = options.hooks ?? {};
  for (const [name, fn] of Object.entries(hooks)) {
    if (!HOOKS.includes(name)) throw new TypeError(`smtpspec/server: unknown hook ${JSON.stringify(name)}`);
    if (typeof fn !== 'function') throw new TypeError(`smtpspec/server: hook ${name} must be a function`);
  }
  const given = configOf(options.session ?? {});
  const config = { ...given };
  if (config.hooks === undefined) config.hooks = Object.keys(hooks);
  if (options.tls && config.starttls === undefined) config.starttls = true;
  if (hooks.auth && config.auth === undefined) config.auth = true;
  const secureContext = options.tls ? tls.createSecureContext(options.tls) : null;
  if (config.starttls && !secureContext) throw new TypeError('smtpspec/server: starttls needs the tls option');
  const log = options.log ?? defaultLog;
  // Message octets are collected only when a hook will receive them.
  const wantsMessage = Boolean(hooks.queue || hooks.data_post);
  const messageEnd = hooks.queue ? 'queue' : 'data_post';

  // allowHalfOpen: a client's FIN must not end our side before the replies still due are written.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    connection(socket, { hooks, config, secureContext, log, wantsMessage, messageEnd });
  });
  return server;
}

function connection(raw, { hooks, config, secureContext, log, wantsMessage, messageEnd }) {
  const session = new ServerSession(config, {
    remote_address: plainAddress(raw.remoteAddress),
    remote_port: raw.remotePort ?? 0,
    local_address: plainAddress(raw.localAddress),
    local_port: raw.localPort ?? 0,
  });
  let socket = raw;
  let chunks = [];
  let size = 0;
  let done = false;
  let pendingHooks = 0;
  // Backpressure: octets read but not yet fed. The session is fed in pieces of at most half its
  // input_buffer, and only while no hook is pending, so what it holds stays within its bound; the
  // socket is paused while anything waits here or a hook is pending.
  let backlog = null;
  let ended = false;  // the client's FIN: eof() once the backlog is fed and no hook is pending
  const piece = Math.max(512, Math.floor(session.config.limits.input_buffer / 2));
  const conn = {
    session,
    remoteAddress: plainAddress(raw.remoteAddress),
    remotePort: raw.remotePort,
    localAddress: plainAddress(raw.localAddress),
    localPort: raw.localPort,
    get socket() { return socket; },
    get info() { return session.connection; },
    get transaction() { return session.transaction; },
    setNote: (k, v) => session.setConnectionNote(k, v),
    setTransactionNote: (k, v) => session.setTransactionNote(k, v),
    log,
  };

  // Deadlines, as `smtpspec serve` keeps them. A command (or SASL line) must be complete within
  // timeoutSeconds of the last reply however it trickles in (slowloris): only a reply, i.e. progress,
  // starts a new one. In DATA/BDAT with limits.min_data_rate (Postfix smtpd_min_data_rate) the deadline
  // starts data_timeout ahead and each read adds n / min_data_rate seconds, never more than one
  // data_timeout ahead. No deadline runs while a hook is pending: the host's time is not the client's.
  const limits = session.config.limits;
  let timer = null;
  let deadline = Infinity;  // performance.now() milliseconds
  let inData = false;
  let replied = true;       // a reply went out since the command deadline was set
  function arm() {
    clearTimeout(timer);
    timer = null;
    if (done || pendingHooks > 0) return;
    const now = performance.now();
    const st = session.state;
    if ((st === 'data' || st === 'bdat') && limits.min_data_rate > 0) {
      if (!inData) deadline = now + limits.data_timeout * 1000;
      inData = true;
    } else if (st === 'data' || st === 'bdat') {
      // No minimum rate: RFC 5321 §4.5.3.2.5-6's timeout between two blocks of data.
      const t = session.timeoutSeconds;
      deadline = t > 0 ? now + t * 1000 : Infinity;
      inData = true;
    } else {
      if (inData || replied) {
        const t = session.timeoutSeconds;
        deadline = t > 0 ? now + t * 1000 : Infinity;
      }
      inData = false;
      replied = false;
    }
    if (deadline !== Infinity) timer = setTimeout(onTimeout, Math.max(0, deadline - now));
  }
  function credit(n) {
    if (!inData || limits.min_data_rate === 0) return;
    const now = performance.now();
    deadline = Math.min(deadline + (n * 1000) / limits.min_data_rate, now + limits.data_timeout * 1000);
  }

  const finish = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    session.close();
  };

  function flush() {
    if (done) return;
    const out = session.takeOutput();
    if (out.length > 0) replied = true;
    if (out.length > 0 && !socket.destroyed) socket.write(out);
    if (session.closed) {
      socket.end();
      finish();
      return;
    }
    arm();
  }

  // A client that does not read its replies is not read from either (writableNeedDrain).
  const canFeed = () => !done && pendingHooks === 0 && session.wantsInput && !socket.writableNeedDrain;
  function pump() {
    while (backlog !== null && canFeed()) {
      const n = Math.min(backlog.length, piece);
      const bytes = backlog.subarray(0, n);
      backlog = n < backlog.length ? backlog.subarray(n) : null;
      handle(session.feed(bytes));
    }
    if (done) return;
    if (ended && backlog === null && pendingHooks === 0) {
      handle(session.eof());
      if (!done) socket.end();
      finish();
      return;
    }
    if (backlog !== null || !canFeed()) socket.pause();
    else socket.resume();
  }

  function answer(ev, result) {
    if (done) return;
    let events;
    try {
      events = session.answer(ev.handle, result);
    } catch (e) {  // a malformed answer (TypeError) is the host's bug: answered as a failure
      log(`hook ${ev.hook} answered ${e.message}`);
      events = session.answer(ev.handle, HOOK_FAILURE);
    }
    handle(events);
  }

  function callHook(ev) {
    const fn = hooks[ev.hook];
    let message;
    if (wantsMessage && (ev.hook === 'queue' || ev.hook === 'data_post')) {
      const buffered = ev.data instanceof Uint8Array && ev.data.length > 0;  // buffer_message
      message = buffered ? Buffer.from(ev.data) : Buffer.concat(chunks, size);
      if (ev.hook === messageEnd) {
        chunks = [];
        size = 0;
      }
    }
    if (!ev.needs_answer) {
      if (!fn) return;
      try {
        Promise.resolve(fn(ev, conn, message)).catch((e) => log(`hook ${ev.hook} failed: ${e?.stack ?? e}`));
      } catch (e) {
        log(`hook ${ev.hook} failed: ${e?.stack ?? e}`);
      }
      return;
    }
    if (!fn) {  // subscribed through session.hooks without a function: no opinion
      handle(session.answer(ev.handle, 'CONT'));
      return;
    }
    let r;
    try {
      r = fn(ev, conn, message);
    } catch (e) {
      log(`hook ${ev.hook} failed: ${e?.stack ?? e}`);
      handle(session.answer(ev.handle, HOOK_FAILURE));
      return;
    }
    if (r === null || typeof r !== 'object' || typeof r.then !== 'function') {
      answer(ev, r);
      return;
    }
    pendingHooks += 1;
    r.then(
      (v) => {
        pendingHooks -= 1;
        answer(ev, v);
        pump();
      },
      (e) => {
        pendingHooks -= 1;
        log(`hook ${ev.hook} failed: ${e?.stack ?? e}`);
        answer(ev, HOOK_FAILURE);
        pump();
      },
    );
  }

  function startTls() {
    if (!secureContext) {  // cannot happen: createServer refuses starttls without tls
      handle(session.eof());
      return;
    }
    raw.removeListener('data', onData);
    raw.resume();  // flush() may have paused it (no input wanted while tls_pending): the handshake needs it
    const secure = new tls.TLSSocket(raw, { isServer: true, secureContext });
    socket = secure;
    secure.on('secure', () => {
      secure.on('data', onData);
      handle(session.tlsEstablished(secure.getCipher()?.name ?? ''));
    });
    secure.on('error', (e) => {
      log(`TLS: ${e.message}`);
      if (!done) session.eof();
      finish();
      secure.destroy();
    });
    secure.on('end', onEnd);
    secure.on('drain', pump);
  }

  function handle(events) {
    if (done) return;
    for (const ev of events) {
      switch (ev.kind) {
        case 'hook': callHook(ev); break;
        case 'message_data':
          if (wantsMessage) {
            chunks.push(ev.data);
            size += ev.data.length;
          }
          break;
        case 'message_aborted':
          chunks = [];
          size = 0;
          break;
        case 'start_tls':
          flush();
          if (!done) startTls();
          break;
        case 'close': break;  // flush() ends the socket once the session is closed
        default: break;  // diagnostic, slow_down: nothing to do
      }
      if (done) return;
    }
    flush();
  }

  function onData(bytes) {
    if (done) return;
    credit(bytes.length);
    backlog = backlog === null ? bytes : Buffer.concat([backlog, bytes]);
    pump();
  }
  function onEnd() {
    if (done) return;
    ended = true;
    pump();
  }
  function onTimeout() {
    if (done) return;
    handle(session.timeout());
    if (!done) socket.end();
    finish();
  }

  raw.on('data', onData);
  raw.on('drain', pump);
  raw.on('end', onEnd);
  raw.on('error', (e) => {
    if (done) return;
    log(`connection ${conn.remoteAddress}:${conn.remotePort}: ${e.message}`);
    handle(session.eof());
    finish();
  });
  raw.on('close', () => {
    if (!done) handle(session.eof());
    finish();
  });
  handle(session.start());
  pump();
}

module.exports = {
  ServerSession,
  DataReader,
  parseProxyHeader,
  createServer,
  sessionDiagnosticCatalogue,
  HOOKS,
  VERDICTS,
  STATES,
  EVENT_KINDS,
  NEEDS_ANSWER: tables.needs_answer,
  DEFAULT_CONFIG: tables.config,
};
// The C++ to_json text of parseProxyHeader(), for the conformance runner's byte comparison.
Object.defineProperty(module.exports, '_parseProxyHeaderJson', { enumerable: false, value: parseProxyHeaderJson });
// The C++ tables (config defaults, enum names, …) for wasm/tools/gen-dts-server.mjs.
Object.defineProperty(module.exports, '_tables', { enumerable: false, value: tables });
