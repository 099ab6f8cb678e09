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
const FLAG_LENIENT = 1;
const FLAG_FAST = 8;
const FLAG_ASCII_TEXT = 16;
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

function lenientFlag(options) {
  return options !== undefined && options !== null && options.lenient ? FLAG_LENIENT : 0;
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
const DOMAIN_SLOTS = 7;
const MAILBOX_SLOTS = 14;

function textAt(s, i) {
  const a = out[i];
  if (a >= 0) return s.slice(a, out[i + 1]);
  return a === TEXT_NULL ? null : ownedText(a, out[i + 1]);
}

function domainAt(s, i) {
  return { text: textAt(s, i), kind: DOMAIN_KINDS[out[i + 2]], tag: textAt(s, i + 3), address: textAt(s, i + 5) };
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

// A command's value after its verb: the shape (which fields follow), then those fields.
function commandAt(s, verb, i) {
  const shape = out[i];
  i++;
  switch (shape) {
    case SHAPE_DOMAIN:
      return { verb, domain: domainAt(s, i) };
    case SHAPE_PATH_PARAMS: {
      const p = pathAt(s, i);
      i += pathSlots(i);
      const count = out[i++];
      const params = new Array(count);
      for (let k = 0; k < count; k++, i += 4) params[k] = { keyword: textAt(s, i), value: textAt(s, i + 2) };
      return { verb, path: p, params };
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

module.exports = {
  /** One SMTP command line, with or without its CRLF. */
  parseCommand: (line, options) => command(line, options, true),
  /** A Reverse-path / Forward-path / Path; options.role: "any" (default), "reverse", "forward". */
  parsePath: (input, options) => path(input, options, true),
  /** A Mailbox: Local-part "@" ( Domain / address-literal ). */
  parseMailbox: (input, options) => mailbox(input, options, true),
  /** A Domain or address-literal. */
  parseDomain: (input, options) => domain(input, options, true),
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
  }),
});
Object.defineProperty(module.exports, '_canonicalJson', {
  enumerable: false,
  value: Object.freeze({
    parseCommand: (line, options) => octets(KIND_COMMAND, line, lenientFlag(options)),
    parsePath: (input, options) => octets(KIND_PATH, input, lenientFlag(options) | roleFlags(options)),
    parseMailbox: (input, options) => octets(KIND_MAILBOX, input, lenientFlag(options)),
    parseDomain: (input, options) => octets(KIND_DOMAIN, input, lenientFlag(options)),
  }),
});

// ---- Issue 4 (replies, enhanced status codes, DSN): reply.js installs its functions here ----
require('./reply.js').install(wasm, module.exports);
