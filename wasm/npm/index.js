'use strict';
// smtpspec for Node: RFC 5321 commands, paths, mailboxes and domains, parsed by the C++ core
// compiled to WebAssembly. Every result is a plain object equal to the canonical JSON of
// conformance/README.md, keys in schema order.

const createModule = require('./smtpspec_wasm.js');

// Compiled with synchronous instantiation: the exports are on `wasm` when this call returns.
// Its `ready` promise is settled by then; a later abort must not surface through it as an
// unhandled rejection (the failing call throws anyway).
const wasm = {};
createModule(wasm);
if (typeof wasm._smtpspec_js_parse !== 'function') {
  throw new Error('smtpspec: the WebAssembly module did not instantiate synchronously');
}
if (wasm.ready) wasm.ready.catch(() => {});

// The call protocol shared with bind.cpp.
const KIND_COMMAND = 0;
const KIND_PATH = 1;
const KIND_MAILBOX = 2;
const KIND_DOMAIN = 3;
const KIND_PARAMS = 4;
const KIND_TO_ASCII = 5;  // domainToAscii (answers JSON)
const KIND_TO_UNICODE = 6;
const FLAG_LENIENT = 1;
const FLAG_FAST = 8;
const FLAG_ASCII_TEXT = 16;
const FLAG_RCPT = 32;  // KIND_PARAMS: RCPT's parameters (else MAIL's)
const FLAG_SMTPUTF8 = 64;  // options.smtputf8 (RFC 6531)
const ROLE_FLAGS = { any: 0, reverse: 2, forward: 4 };  // path_role in bits 1-2
const ANSWER_JSON = 0;
const ANSWER_VALUE = 1;
const ANSWER_ERROR = 2;
const TEXT_NULL = -1;
const TEXT_INTERNED = -2;
const TEXT_CATALOGUE = -4;
const SHAPE_DOMAIN = 0;
const SHAPE_PATH_PARAMS = 1;
const SHAPE_ARGUMENT = 3;
const SHAPE_AUTH = 4;
const SHAPE_BDAT = 5;

const names = JSON.parse(wasm.namesJson());
const VERBS = names.verbs;
const PATH_KINDS = names.path_kinds;
const DOMAIN_KINDS = names.domain_kinds;
const LOCAL_PART_KINDS = names.local_part_kinds;
const PARAM_KINDS = names.param_kinds;
const EXTENSIONS = names.extensions;
const BODY_TYPES = names.body_types;
const RET_TYPES = names.ret_types;
const BY_MODES = names.by_modes;
const ORCPT_ENCODINGS = names.orcpt_encodings;

function deepFreeze(o) {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) deepFreeze(v);
  return Object.freeze(o);
}

const catalogueValue = deepFreeze(JSON.parse(wasm.catalogueJson()));
const ERRORS = catalogueValue.errors;
const DIAGNOSTICS = catalogueValue.diagnostics;

const reserve = wasm._smtpspec_js_reserve;
const parseRaw = wasm._smtpspec_js_parse;
const textRaw = wasm._smtpspec_js_text;
const outPtr = wasm._smtpspec_js_out();
const OUT_SIZE = wasm._smtpspec_js_out_size();
const textSlotPtr = wasm._smtpspec_js_text_slot();
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Views over wasm memory; they are replaced whenever the memory grows.
let heap = null;
let heapBuffer = null;  // the same memory as a Buffer, for its fast latin1 decoding
let out = null;
let textSlot = null;
let inPtr = 0;
let inCap = 0;
let inView = null;

function refresh() {
  heap = wasm.HEAPU8;
  heapBuffer = Buffer.from(heap.buffer, heap.byteOffset, heap.length);
  out = new Int32Array(heap.buffer, outPtr, OUT_SIZE);
  textSlot = new Int32Array(heap.buffer, textSlotPtr, 2);
  inView = heap.subarray(inPtr, inPtr + inCap);
}

function grow(n) {
  const p = reserve(n);
  if (p === 0) throw new RangeError(`smtpspec: cannot allocate ${n} octets for the input`);
  inPtr = p;
  inCap = n;
  refresh();
}
grow(1024);

// Whether the last input was a string of ASCII characters only: then octet offsets are also
// string indices and a value can be rebuilt from slices of it.
let asciiString = false;

// Copies the input into wasm memory and returns its length in octets.
function load(input) {
  // Other bindings (reply.js) may have grown the memory since the last parse, detaching the views.
  if (heap.length === 0) refresh();
  if (typeof input === 'string') {
    const n = input.length;
    if (n * 3 > inCap) {
      // UTF-8 needs at most 3 octets per UTF-16 unit; long inputs get their exact size instead.
      grow(n <= 65536 ? n * 3 : Buffer.byteLength(input, 'utf8'));
    }
    // Measured faster than a charCodeAt loop even for a 20-character mailbox.
    const { written } = encoder.encodeInto(input, inView);
    asciiString = written === n;
    return written;
  }
  let bytes;
  if (input instanceof Uint8Array) bytes = input;
  else if (ArrayBuffer.isView(input)) bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  else if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
  else throw new TypeError('smtpspec: the input must be a string, a Uint8Array (Buffer) or an ArrayBuffer');
  if (bytes.length > inCap) grow(bytes.length);
  heap.set(bytes, inPtr);
  asciiString = false;
  return bytes.length;
}

// The option flags every parse takes: lenient and smtputf8.
function lenientFlag(options) {
  if (options === undefined || options === null) return 0;
  return (options.lenient ? FLAG_LENIENT : 0) | (options.smtputf8 ? FLAG_SMTPUTF8 : 0);
}

function roleFlags(options) {
  const role = options === undefined || options === null || options.role === undefined ? 'any' : options.role;
  const f = ROLE_FLAGS[role];
  if (typeof role !== 'string' || f === undefined) {
    throw new TypeError(`smtpspec: role must be "any", "reverse" or "forward", not ${JSON.stringify(role)}`);
  }
  return f;
}

let lastFast = false;
// The string the input slices of the current fast answer come from.
let src = '';

// The input's octets as a string, for a value parsed from octets (bind.cpp answers with a value
// only when they are all ASCII, so each octet is one character).
function asciiSource(n) {
  return heapBuffer.toString('latin1', inPtr, inPtr + n);
}

// Runs one parse. Returns ANSWER_VALUE or ANSWER_ERROR with a fast answer in `out` (and `src`
// set for it), otherwise the canonical JSON text.
function run(kind, input, flags, fast) {
  const n = load(input);
  if (fast) flags |= asciiString ? FLAG_FAST | FLAG_ASCII_TEXT : FLAG_FAST;
  const r = parseRaw(kind, n, flags);
  if (heap.length === 0) refresh();  // the memory grew, which detaches the old views
  lastFast = r !== ANSWER_JSON;
  if (r === ANSWER_JSON) {
    const p = out[0];
    return decoder.decode(heap.subarray(p, p + out[1]));
  }
  if (r === ANSWER_VALUE) src = typeof input === 'string' ? input : asciiSource(n);
  return r;
}

// The canonical JSON's octets as C++ wrote them (a copy), for the tests.
function octets(kind, input, flags) {
  run(kind, input, flags, false);
  return heap.slice(out[0], out[0] + out[1]);
}

// Texts that are not slices of the input, from bind.cpp's tables; interned ones never change.
const internedTexts = [];

function ownedText(which, id) {
  if (which === TEXT_INTERNED && internedTexts[id] !== undefined) return internedTexts[id];
  textRaw(which, id);
  const p = textSlot[0];
  const t = decoder.decode(heap.subarray(p, p + textSlot[1]));
  if (which === TEXT_INTERNED) internedTexts[id] = t;
  return t;
}

// Reading a fast answer at out[i], in the layout of bind.cpp's put_* functions; keys in schema
// order. Sizes in slots: a text 2, a domain 7, a mailbox 14, a path 5 + 7 per route (+ 14).
const DOMAIN_SLOTS = 11;
const MAILBOX_SLOTS = 7 + DOMAIN_SLOTS;

function textAt(s, i) {
  const a = out[i];
  if (a >= 0) return s.slice(a, out[i + 1]);
  return a === TEXT_NULL ? null : ownedText(a, out[i + 1]);
}

function domainAt(s, i) {
  return {
    text: textAt(s, i), kind: DOMAIN_KINDS[out[i + 2]], tag: textAt(s, i + 3), address: textAt(s, i + 5),
    ascii: textAt(s, i + 7), unicode: textAt(s, i + 9),
  };
}

function mailboxAt(s, i) {
  return {
    text: textAt(s, i),
    local_part: textAt(s, i + 2),
    local_part_kind: LOCAL_PART_KINDS[out[i + 4]],
    local_part_value: textAt(s, i + 5),
    domain: domainAt(s, i + 7),
  };
}

function pathSlots(i) {
  const routes = out[i + 3];
  return 5 + DOMAIN_SLOTS * routes + (out[i + 4 + DOMAIN_SLOTS * routes] === 1 ? MAILBOX_SLOTS : 0);
}

function pathAt(s, i) {
  const routes = out[i + 3];
  const sourceRoute = new Array(routes);
  for (let k = 0; k < routes; k++) sourceRoute[k] = domainAt(s, i + 4 + DOMAIN_SLOTS * k);
  const m = i + 4 + DOMAIN_SLOTS * routes;
  return { text: textAt(s, i), kind: PATH_KINDS[out[i + 2]], source_route: sourceRoute, mailbox: out[m] === 1 ? mailboxAt(s, m + 1) : null };
}

// An ESMTP parameter (bind.cpp put_param): 15 slots.
const PARAM_SLOTS = 15;
const NOTIFY_NAMES = [[2, 'SUCCESS'], [4, 'FAILURE'], [8, 'DELAY']];

// The typed value by kind, as src/json.cpp writes it.
function typedAt(s, kind, i) {
  const number = out[i + 6] * 4294967296 + (out[i + 7] >>> 0);
  const integer = out[i + 8];
  const small = out[i + 9];
  switch (kind) {
    case 'SIZE': return { size: number };
    case 'HOLDFOR': return { seconds: number };
    case 'MT-PRIORITY': return { priority: integer };
    case 'BODY': return { body: BODY_TYPES[small] };
    case 'RET': return { ret: RET_TYPES[small] };
    case 'ENVID': return { envid: textAt(s, i + 11) };
    case 'NOTIFY': {
      if (small & 1) return { notify: ['NEVER'] };
      const list = [];
      for (const [bit, name] of NOTIFY_NAMES) if (small & bit) list.push(name);
      return { notify: list };
    }
    case 'ORCPT': return { addr_type: textAt(s, i + 13), address: textAt(s, i + 11), encoding: ORCPT_ENCODINGS[small] };
    case 'AUTH': return { mailbox: textAt(s, i + 11) };
    case 'BY': return { time: integer, mode: BY_MODES[small], trace: out[i + 10] === 1 };
    case 'HOLDUNTIL': return { until: textAt(s, i + 11) };
    case 'RRVS': return { time: textAt(s, i + 11), mode: small === 0 ? null : small === 1 ? 'C' : 'R' };
    default: return {};  // SMTPUTF8, REQUIRETLS
  }
}

function paramAt(s, i) {
  const kind = PARAM_KINDS[out[i + 4]];
  const ext = out[i + 5];
  return {
    keyword: textAt(s, i),
    value: textAt(s, i + 2),
    extension: ext < 0 ? null : EXTENSIONS[ext],
    typed: kind === null ? null : typedAt(s, kind, i),
  };
}

// A count, then that many parameters.
function paramsAt(s, i) {
  const count = out[i];
  const params = new Array(count);
  for (let k = 0; k < count; k++) params[k] = paramAt(s, i + 1 + PARAM_SLOTS * k);
  return params;
}

// A command's value after its verb: the shape (which fields follow), then those fields.
function commandAt(s, verb, i) {
  const shape = out[i];
  i++;
  switch (shape) {
    case SHAPE_DOMAIN:
      return { verb, domain: domainAt(s, i) };
    case SHAPE_PATH_PARAMS: {
      const p = pathAt(s, i);
      return { verb, path: p, params: paramsAt(s, i + pathSlots(i)) };
    }
    case SHAPE_ARGUMENT:
      return { verb, argument: textAt(s, i) };
    case SHAPE_AUTH:
      return { verb, mechanism: textAt(s, i), initial_response: textAt(s, i + 2) };
    case SHAPE_BDAT:
      return { verb, chunk_size: out[i] * 4294967296 + (out[i + 1] >>> 0), last: out[i + 2] === 1 };
    default:  // DATA, RSET, QUIT, STARTTLS
      return { verb };
  }
}

// An error's texts are never slices of the input. rfc and reply are the catalogue row's own
// unless a context refined them.
function rowTextAt(i, own) {
  return out[i] === TEXT_CATALOGUE ? own : ownedText(out[i], out[i + 1]);
}

function errorAt(i) {
  const row = ERRORS[out[i]];
  return {
    code: row.code,
    offset: out[i + 1],
    expected: ownedText(out[i + 2], out[i + 3]),
    rfc: rowTextAt(i + 4, row.rfc),
    reply: rowTextAt(i + 6, row.reply),
    message: row.message,
  };
}

// A fast answer starts with its diagnostics: a count n, then n (catalogue row, offset) pairs;
// what follows starts at 1 + 2n.
function diagnostics() {
  const n = out[0];
  const list = new Array(n);
  for (let k = 0; k < n; k++) {
    const row = DIAGNOSTICS[out[1 + 2 * k]];
    list[k] = { id: row.id, severity: row.severity, offset: out[2 + 2 * k], rfc: row.rfc, message: row.message };
  }
  return list;
}

function command(line, options, fast) {
  const r = run(KIND_COMMAND, line, lenientFlag(options), fast);
  if (typeof r === 'string') return JSON.parse(r);
  const i = 1 + 2 * out[0];
  const verb = out[i] < 0 ? null : VERBS[out[i]];
  if (r === ANSWER_ERROR) return { ok: false, verb, error: errorAt(i + 1), diagnostics: diagnostics() };
  return { ok: true, verb, value: commandAt(src, verb, i + 1), diagnostics: diagnostics() };
}

// parsePath, parseMailbox and parseDomain: the same envelope around their values.
function address(kind, flags, valueAt, input, fast) {
  const r = run(kind, input, flags, fast);
  if (typeof r === 'string') return JSON.parse(r);
  const i = 1 + 2 * out[0];
  if (r === ANSWER_ERROR) return { ok: false, error: errorAt(i), diagnostics: diagnostics() };
  return { ok: true, value: valueAt(src, i), diagnostics: diagnostics() };
}

function path(input, options, fast) {
  return address(KIND_PATH, lenientFlag(options) | roleFlags(options), pathAt, input, fast);
}

function mailbox(input, options, fast) {
  return address(KIND_MAILBOX, lenientFlag(options), mailboxAt, input, fast);
}

function domain(input, options, fast) {
  return address(KIND_DOMAIN, lenientFlag(options), domainAt, input, fast);
}

// domainToAscii / domainToUnicode: {ok, value: string, diagnostics} or {ok: false, error, …}.
function convert(kind, input, options) {
  return JSON.parse(run(kind, input, lenientFlag(options), false));
}

function verbFlag(verb) {
  if (verb === 'MAIL' || verb === 'mail') return 0;
  if (verb === 'RCPT' || verb === 'rcpt') return FLAG_RCPT;
  throw new TypeError(`smtpspec: verb must be "MAIL" or "RCPT", not ${JSON.stringify(verb)}`);
}

function esmtpParams(verb, input, options, fast) {
  return address(KIND_PARAMS, verbFlag(verb) | lenientFlag(options), paramsAt, input, fast);
}

module.exports = {
  /** One SMTP command line, with or without its CRLF. */
  parseCommand: (line, options) => command(line, options, true),
  /** A Reverse-path / Forward-path / Path; options.role: "any" (default), "reverse", "forward". */
  parsePath: (input, options) => path(input, options, true),
  /** A Mailbox: Local-part "@" ( Domain / address-literal ). */
  parseMailbox: (input, options) => mailbox(input, options, true),
  /** A Domain or address-literal. */
  parseDomain: (input, options) => domain(input, options, true),
  /** The parameters of a MAIL or RCPT line on their own ("SIZE=1000 BODY=8BITMIME"), typed. */
  parseEsmtpParams: (verb, input, options) => esmtpParams(verb, input, options, true),
  /** A domain name in its A-label form (IDNA2008), lower-cased; U-labels allowed. options.lenient maps as UTS #46. */
  domainToAscii: (input, options) => convert(KIND_TO_ASCII, input, options),
  /** A domain name in its U-label form (IDNA2008). */
  domainToUnicode: (input, options) => convert(KIND_TO_UNICODE, input, options),
  /** The error and diagnostic catalogues of the C++ core (frozen). */
  catalogue: () => catalogueValue,
  version: wasm.version(),
};

// The core's enum names, for the type generator (tools/gen-dts.mjs).
Object.defineProperty(module.exports, '_names', { enumerable: false, value: deepFreeze(names) });

// Whether the last parse took the fast path (the tests check that every vector does).
Object.defineProperty(module.exports, '_lastWasFast', { enumerable: false, value: () => lastFast });

// The same functions without the fast path, and the C++ canonical JSON text itself, for the
// tests that prove every answer equals it byte for byte.
Object.defineProperty(module.exports, '_viaJson', {
  enumerable: false,
  value: Object.freeze({
    parseCommand: (line, options) => command(line, options, false),
    parsePath: (input, options) => path(input, options, false),
    parseMailbox: (input, options) => mailbox(input, options, false),
    parseDomain: (input, options) => domain(input, options, false),
    parseEsmtpParams: (verb, input, options) => esmtpParams(verb, input, options, false),
  }),
});
Object.defineProperty(module.exports, '_canonicalJson', {
  enumerable: false,
  value: Object.freeze({
    parseCommand: (line, options) => octets(KIND_COMMAND, line, lenientFlag(options)),
    parsePath: (input, options) => octets(KIND_PATH, input, lenientFlag(options) | roleFlags(options)),
    parseMailbox: (input, options) => octets(KIND_MAILBOX, input, lenientFlag(options)),
    parseDomain: (input, options) => octets(KIND_DOMAIN, input, lenientFlag(options)),
    parseEsmtpParams: (verb, input, options) => octets(KIND_PARAMS, input, verbFlag(verb) | lenientFlag(options)),
  }),
});

// ---- Issue 4 (replies, enhanced status codes, DSN): reply.js installs its functions here ----
require('./reply.js').install(wasm, module.exports);

// ---- Issue 7 (transcript readers): transcript.js installs its functions here ----
require('./transcript.js').install(module.exports);
// ---- Issue 7 (smtpspec lint): lint.js installs its functions here ----
require('./lint.js').install(module.exports);
