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
const ROLE_FLAGS = { any: 0, reverse: 2, forward: 4 };  // path_role in bits 1-2
const OUT_SIZE = 256;

const names = JSON.parse(wasm.namesJson());
const VERBS = names.verbs;
const PATH_KINDS = names.path_kinds;
const NAME = names.domain_kinds[0];
const DOT_STRING = names.local_part_kinds[0];

function deepFreeze(o) {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) deepFreeze(v);
  return Object.freeze(o);
}

const catalogueValue = deepFreeze(JSON.parse(wasm.catalogueJson()));
const DIAGNOSTICS = catalogueValue.diagnostics;

const reserve = wasm._smtpspec_js_reserve;
const parseRaw = wasm._smtpspec_js_parse;
const outPtr = wasm._smtpspec_js_out();
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Views over wasm memory; they are replaced whenever the memory grows.
let heap = null;
let out = null;
let inPtr = 0;
let inCap = 0;
let inView = null;

function refresh() {
  heap = wasm.HEAPU8;
  out = new Int32Array(heap.buffer, outPtr, OUT_SIZE);
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
// string indices and a fast answer can be rebuilt from slices of it.
let asciiString = false;

// Copies the input into wasm memory and returns its length in octets.
function load(input) {
  if (typeof input === 'string') {
    const n = input.length;
    if (n * 3 > inCap) {
      // UTF-8 needs at most 3 octets per UTF-16 unit; long inputs get their exact size instead.
      grow(n <= 65536 ? n * 3 : Buffer.byteLength(input, 'utf8'));
    }
    if (n <= 128) {  // short strings: a plain loop beats encodeInto's call overhead
      let i = 0;
      const h = heap;
      const base = inPtr;
      for (; i < n; i++) {
        const c = input.charCodeAt(i);
        if (c > 0x7f) break;
        h[base + i] = c;
      }
      if (i === n) {
        asciiString = true;
        return n;
      }
    }
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

// Runs one parse. Returns null when a fast answer is in `out`, otherwise the canonical JSON text.
function run(kind, input, flags, fast) {
  const n = load(input);
  const r = parseRaw(kind, n, asciiString && fast ? flags | FLAG_FAST : flags);
  if (wasm.HEAPU8 !== heap) refresh();
  lastFast = r === 1;
  if (r === 1) return null;
  const p = out[0];
  return decoder.decode(heap.subarray(p, p + out[1]));
}

// The canonical JSON's octets as C++ wrote them (a copy), for the tests.
function octets(kind, input, flags) {
  run(kind, input, flags, false);
  return heap.slice(out[0], out[0] + out[1]);
}

// Fast answers: field layouts written by bind.cpp's put_* functions, keys in schema order.
function domainAt(s, i) {
  return { text: s.slice(out[i], out[i + 1]), kind: NAME, tag: null, address: null };
}

function mailboxAt(s, i) {
  const local = s.slice(out[i + 2], out[i + 3]);
  return {
    text: s.slice(out[i], out[i + 1]),
    local_part: local,
    local_part_kind: DOT_STRING,
    local_part_value: local,
    domain: domainAt(s, i + 4),
  };
}

const MAILBOX_FIELDS = 6;
const PATH_FIELDS = 4;  // text (2), kind, whether a mailbox follows
const SHAPE_DOMAIN = 0;
const SHAPE_PATH_PARAMS = 1;

function pathAt(s, i) {
  return {
    text: s.slice(out[i], out[i + 1]),
    kind: PATH_KINDS[out[i + 2]],
    source_route: [],
    mailbox: out[i + 3] === 1 ? mailboxAt(s, i + PATH_FIELDS) : null,
  };
}

function commandAt(s, i) {
  const verb = VERBS[out[i]];
  const shape = out[i + 1];
  i += 2;
  if (shape === SHAPE_DOMAIN) return { verb, domain: domainAt(s, i) };
  if (shape !== SHAPE_PATH_PARAMS) return { verb };
  const path = pathAt(s, i);
  i += PATH_FIELDS + (path.mailbox === null ? 0 : MAILBOX_FIELDS);
  const count = out[i++];
  const params = new Array(count);
  for (let k = 0; k < count; k++, i += 4) {
    params[k] = { keyword: s.slice(out[i], out[i + 1]), value: out[i + 2] < 0 ? null : s.slice(out[i + 2], out[i + 3]) };
  }
  return { verb, path, params };
}

// A fast answer starts with its diagnostics: a count, then (catalogue row, offset) pairs.
function diagnosticsAt() {
  const n = out[0];
  const list = new Array(n);
  for (let k = 0; k < n; k++) {
    const row = DIAGNOSTICS[out[1 + 2 * k]];
    list[k] = { id: row.id, severity: row.severity, offset: out[2 + 2 * k], rfc: row.rfc, message: row.message };
  }
  return list;
}

function command(line, options, fast) {
  const json = run(KIND_COMMAND, line, lenientFlag(options), fast);
  if (json !== null) return JSON.parse(json);
  const value = commandAt(line, 1 + 2 * out[0]);
  return { ok: true, verb: value.verb, value, diagnostics: diagnosticsAt() };
}

function path(input, options, fast) {
  const json = run(KIND_PATH, input, lenientFlag(options) | roleFlags(options), fast);
  if (json !== null) return JSON.parse(json);
  return { ok: true, value: pathAt(input, 1 + 2 * out[0]), diagnostics: diagnosticsAt() };
}

function mailbox(input, options, fast) {
  const json = run(KIND_MAILBOX, input, lenientFlag(options), fast);
  if (json !== null) return JSON.parse(json);
  return { ok: true, value: mailboxAt(input, 1 + 2 * out[0]), diagnostics: diagnosticsAt() };
}

function domain(input, options, fast) {
  const json = run(KIND_DOMAIN, input, lenientFlag(options), fast);
  if (json !== null) return JSON.parse(json);
  return { ok: true, value: domainAt(input, 1 + 2 * out[0]), diagnostics: diagnosticsAt() };
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

// Whether the last parse took the fast path (the tests check that typical input does).
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
