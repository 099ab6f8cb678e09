'use strict';
// smtpspec/milter: the sendmail milter protocol (versions 2-6) for Node — decode, encode, and the
// filter-side and MTA-side session helpers, sans-IO. Every answer is computed by the C++ core
// (wasm/bind_milter.cpp) and is a plain object equal to its canonical JSON (conformance/README.md,
// "Milter"). Wire bytes are Uint8Array. Nothing throws on bad protocol input: errors are objects
// {code, offset, byte, message}; only a wrong argument type is a TypeError.
//
// Sessions and incremental decoders hold native memory: call close() when done (a
// FinalizationRegistry frees forgotten ones eventually).

const { bytesOf, nativeModule } = require('./reply.js');

const native = nativeModule();

function deepFreeze(o) {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) deepFreeze(v);
  return Object.freeze(o);
}

const catalogue = deepFreeze(JSON.parse(native.milterCatalogueJson()));
// SMFIF_* and SMFIP_* bits by name, and every packet type, from the C++ catalogue.
const SMFIF = Object.freeze(Object.fromEntries(catalogue.actions.map((f) => [f.name, f.bit])));
const SMFIP = Object.freeze(Object.fromEntries(catalogue.protocol.map((f) => [f.name, f.bit])));
const PACKETS = Object.freeze(Object.fromEntries(catalogue.packets.map((p) => [p.name, p])));
const DEFAULT_MAX_PAYLOAD = 65535;
const DIRECTIONS = ['to_filter', 'to_mta', 'conversation'];

function u32(v, what) {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`smtpspec/milter: ${what} must be a 32-bit unsigned integer`);
  return v;
}
function maxOf(options) {
  return u32(options?.maxPayload ?? options?.max_payload ?? DEFAULT_MAX_PAYLOAD, 'maxPayload');
}
function direction(d, allowConversation) {
  if (!DIRECTIONS.includes(d) || (!allowConversation && d === 'conversation')) {
    throw new TypeError(`smtpspec/milter: direction must be one of ${DIRECTIONS.slice(0, allowConversation ? 3 : 2).join(', ')}`);
  }
  return d;
}
const parse = (text) => JSON.parse(text);

const registry = new FinalizationRegistry(([free, id]) => native[free](id));

// ---- codec ------------------------------------------------------------------------------------

// {packets: [PACKET…], error: ERROR|null} for a whole stream.
function decode(data, dir, options) {
  return parse(native.milterDecodeJson(bytesOf(data, 'data'), direction(dir, true), maxOf(options)));
}

// A packet object ({type, …fields} as in the canonical JSON; `data` may be a Uint8Array) to its
// wire bytes: {bytes: Uint8Array|null, error: ERROR|null}.
function encode(packet, options) {
  if (packet === null || typeof packet !== 'object' || !Object.hasOwn(PACKETS, packet.type)) {
    throw new TypeError('smtpspec/milter: encode() takes a packet object with a known type');
  }
  const p = { ...packet };
  if (typeof p.data === 'string') p.data = bytesOf(p.data, 'data');
  const [bytes, error] = native.milterEncode(p, maxOf(options));
  return { bytes, error: parse(error) };
}

function checkReplycode(text) {
  return parse(native.milterCheckReplycodeJson(bytesOf(text, 'text'))).problems;
}

// {text: string|null, error}: REPLYCODE text from the reply formatter, `%` doubled.
function formatReplycode(code, enhanced, lines) {
  const r = parse(native.milterFormatReplycodeJson(code, enhanced ?? '', lines.map((l) => bytesOf(l, 'line'))));
  return { text: r.text === null ? null : r.text.text, error: r.error };
}

// Incremental: feed() returns the packets completed so far; any split gives the same packets.
class Decoder {
  #id;
  constructor(dir, options) {
    this.#id = native.milterDecoderNew(direction(dir, false), maxOf(options));
    registry.register(this, ['milterDecoderFree', this.#id], this);
    this.error = null;
  }
  #run(data, finish) {
    const r = parse(native.milterDecoderFeed(this.#id, data, finish));
    this.error = r.error;
    return r.packets;
  }
  feed(data) { return this.#run(bytesOf(data, 'data'), false); }
  finish() { return this.#run(new Uint8Array(0), true); }
  close() {
    registry.unregister(this);
    native.milterDecoderFree(this.#id);
  }
}

// ---- filter side ---------------------------------------------------------------------------------

class FilterSession {
  #id;
  constructor(options = {}) {
    const lists = (options.symbolLists ?? options.symbol_lists ?? []).map(([stage, names]) => [u32(stage, 'stage'), bytesOf(names, 'macros')]);
    this.#id = native.milterFilterNew(u32(options.version ?? 6, 'version'), u32(options.actions ?? 0, 'actions'),
      u32(options.protocol ?? 0, 'protocol'), lists, maxOf(options));
    registry.register(this, ['milterFilterFree', this.#id], this);
  }
  // The MTA's bytes in; events out ({event, packet, macros, reply_expected, error}).
  feed(data) { return parse(native.milterFilterFeed(this.#id, bytesOf(data, 'data'), false)); }
  finish() { return parse(native.milterFilterFeed(this.#id, new Uint8Array(0), true)); }
  // decision: 'SMFIR_CONTINUE', 'SMFIR_ACCEPT', 'SMFIR_REJECT', 'SMFIR_TEMPFAIL', 'SMFIR_DISCARD', 'SMFIR_SKIP'.
  reply(decision) { return parse(native.milterFilterReply(this.#id, String(decision))); }
  replyCode(code, enhanced, lines) {
    return parse(native.milterFilterReplyCode(this.#id, code, enhanced ?? '', lines.map((l) => bytesOf(l, 'line'))));
  }
  progress() { return parse(native.milterFilterProgress(this.#id)); }
  modify(packet) {
    const p = { ...packet };
    if (typeof p.data === 'string') p.data = bytesOf(p.data, 'data');
    return parse(native.milterFilterModify(this.#id, p));
  }
  addHeader(name, value) { return this.modify({ type: 'SMFIR_ADDHEADER', name, value }); }
  takeOutput() { return native.milterFilterTakeOutput(this.#id); }
  macro(name) {
    const r = parse(native.milterFilterMacro(this.#id, bytesOf(name, 'name')));
    return r === null ? null : r.helo;
  }
  // {state, closed, reply_due, agreed, failure}
  status() { return parse(native.milterFilterStatus(this.#id)); }
  close() {
    registry.unregister(this);
    native.milterFilterFree(this.#id);
  }
}

// ---- MTA side ------------------------------------------------------------------------------------

class MtaSession {
  #id;
  constructor(options = {}) {
    this.#id = native.milterMtaNew(u32(options.version ?? 6, 'version'), u32(options.actions ?? 0x1ff, 'actions'),
      u32(options.protocol ?? 0x1fffff, 'protocol'), maxOf(options));
    registry.register(this, ['milterMtaFree', this.#id], this);
  }
  #cmd(name, args = {}) {
    if (args.macros !== undefined) args.macros = args.macros.map(([n, v]) => [bytesOf(n, 'macro name'), bytesOf(v, 'macro value')]);
    return parse(native.milterMtaCommand(this.#id, name, args));
  }
  // Each returns {status: 'awaiting_reply'|'no_reply'|'skipped'|null, error}.
  negotiate() { return this.#cmd('negotiate'); }
  connect(hostname, family, port = 0, address = '', macros) {
    return this.#cmd('connect', { hostname: bytesOf(hostname, 'hostname'), family: String(family), port, address: bytesOf(address, 'address'), macros });
  }
  helo(name, macros) { return this.#cmd('helo', { name: bytesOf(name, 'name'), macros }); }
  mail(args, macros) { return this.#cmd('mail', { args: args.map((a) => bytesOf(a, 'arg')), macros }); }
  rcpt(args, macros) { return this.#cmd('rcpt', { args: args.map((a) => bytesOf(a, 'arg')), macros }); }
  data(macros) { return this.#cmd('data', { macros }); }
  header(name, value, macros) { return this.#cmd('header', { name: bytesOf(name, 'name'), value: bytesOf(value, 'value'), macros }); }
  endOfHeaders(macros) { return this.#cmd('end_of_headers', { macros }); }
  body(octets, macros) { return this.#cmd('body', { octets: bytesOf(octets, 'body'), macros }); }
  endOfMessage(macros) { return this.#cmd('end_of_message', { macros }); }
  unknown(line, macros) { return this.#cmd('unknown', { line: bytesOf(line, 'line'), macros }); }
  abort() { return this.#cmd('abort'); }
  quit() { return this.#cmd('quit'); }
  quitNc() { return this.#cmd('quit_nc'); }
  // The filter's bytes in; events out ({event, packet, answers, problems, error}).
  feed(data) { return parse(native.milterMtaFeed(this.#id, bytesOf(data, 'data'), false)); }
  finish() { return parse(native.milterMtaFeed(this.#id, new Uint8Array(0), true)); }
  takeOutput() { return native.milterMtaTakeOutput(this.#id); }
  // {state, closed, awaiting_reply, agreed, failure, modifications}
  status() { return parse(native.milterMtaStatus(this.#id)); }
  close() {
    registry.unregister(this);
    native.milterMtaFree(this.#id);
  }
}

module.exports = {
  decode,
  encode,
  checkReplycode,
  formatReplycode,
  Decoder,
  FilterSession,
  MtaSession,
  SMFIF,
  SMFIP,
  PACKETS,
  DEFAULT_MAX_PAYLOAD,
  catalogue: () => catalogue,
};
// The C++ to_json text of decode(), for the conformance runner's byte comparison.
Object.defineProperty(module.exports, '_decodeJson', {
  enumerable: false,
  value: (data, dir, options) => native.milterDecodeJson(bytesOf(data, 'data'), direction(dir, true), maxOf(options)),
});
