'use strict';
// smtpspec for Node, issue 4: enhanced status codes (RFC 3463, RFC 5248), SMTP replies (RFC 5321
// §4.2, RFC 2034) — the incremental parser a client uses, the formatter a server uses, EHLO
// replies — the standard replies and the haraka-dsn catalogue. Every answer is computed by the
// C++ core (bind_reply.cpp) and is a plain object equal to its canonical JSON
// (conformance/README.md, "Replies and status codes"). index.js installs these functions on the
// package's exports with the module it instantiated; dsn.js (smtpspec/dsn) builds on them.

const encoder = new TextEncoder();

let native = null;  // the instantiated module (index.js passes it to install())

// The module, for dsn.js (which loads index.js first, and index.js installs this file).
function nativeModule() {
  if (native === null) require('./index.js');
  return native;
}

function deepFreeze(o) {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) deepFreeze(v);
  return Object.freeze(o);
}

// A string (encoded as UTF-8, a lone surrogate becoming U+FFFD as everywhere in the package) or
// octets, as the Uint8Array that bind_reply.cpp takes.
function bytesOf(input, what) {
  if (typeof input === 'string') return encoder.encode(input);
  if (input instanceof Uint8Array) return input;
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  throw new TypeError(`smtpspec: ${what} must be a string, a Uint8Array (Buffer) or an ArrayBuffer`);
}

// Lazily parsed, frozen C++ tables.
const cache = new Map();
function table(name) {
  if (!cache.has(name)) cache.set(name, deepFreeze(JSON.parse(nativeModule()[name]())));
  return cache.get(name);
}
const defaults = () => table('replyDefaultsJson');

// Options as the schema spells them (max_line) or in camelCase (maxLine); unknown keys are
// refused, so that a typo does not silently give the default.
function optionsOf(options, base, what) {
  const o = { ...base };
  if (options === undefined || options === null) return o;
  if (typeof options !== 'object') throw new TypeError(`smtpspec: ${what} options must be an object`);
  for (const [k, v] of Object.entries(options)) {
    const key = k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (!Object.hasOwn(base, key)) throw new TypeError(`smtpspec: unknown ${what} option ${JSON.stringify(k)}`);
    if (v === undefined) continue;
    const d = base[key];
    if (typeof d === 'number') {
      // bind_reply.cpp takes sizes as 32-bit unsigned numbers.
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
        throw new RangeError(`smtpspec: ${what} option ${k} must be an integer from 0 to 4294967295`);
      }
    } else if (typeof d === 'boolean') {
      if (typeof v !== 'boolean') throw new TypeError(`smtpspec: ${what} option ${k} must be a boolean`);
    } else if (!defaults().policies.includes(v)) {
      throw new TypeError(`smtpspec: ${what} option ${k} must be one of ${defaults().policies.join(', ')}`);
    }
    o[key] = v;
  }
  return o;
}
const parseOptions = (options) => optionsOf(options, defaults().parse, 'reply parse');
const formatOptions = (options) => optionsOf(options, defaults().format, 'format');

// ---- the canonical JSON texts (the public functions JSON.parse them) ----------------------------

function enhancedStatusJson(code) {
  return nativeModule().enhancedStatusJson(bytesOf(code, 'the enhanced status code'));
}

function parseRepliesJson(stream, options) {
  const o = parseOptions(options);
  return nativeModule().parseRepliesJson(bytesOf(stream, 'the reply stream'), o.max_line, o.max_lines,
    o.max_diagnostics, o.lf_ends_line);
}

function isReplyObject(r) {
  return r !== null && typeof r === 'object' && !ArrayBuffer.isView(r) && !(r instanceof ArrayBuffer);
}

function ehloJson(input, options) {
  if (!isReplyObject(input)) {
    const o = parseOptions(options);
    return nativeModule().ehloFromStreamJson(bytesOf(input, 'the EHLO reply'), o.max_line, o.max_lines,
      o.max_diagnostics, o.lf_ends_line);
  }
  // A REPLY object (from parseReplies or a ReplyParser): what the EHLO reader uses of it.
  const { code, offset = 0, lines } = input;
  if (code !== null && code !== undefined && !(Number.isInteger(code) && code >= 0 && code <= 0x7fffffff)) {
    throw new TypeError('smtpspec: reply.code must be a non-negative integer or null');
  }
  if (!Number.isInteger(offset) || offset < 0) throw new TypeError('smtpspec: reply.offset must be a non-negative integer');
  if (!Array.isArray(lines)) throw new TypeError('smtpspec: reply.lines must be an array of {offset, text}');
  const offsets = [];
  const texts = [];
  for (const l of lines) {
    if (l === null || typeof l !== 'object') throw new TypeError('smtpspec: reply.lines must be an array of {offset, text}');
    offsets.push(Number.isInteger(l.offset) && l.offset >= 0 ? l.offset : 0);
    texts.push(bytesOf(l.text, 'a reply line\'s text'));
  }
  return nativeModule().ehloFromReplyJson(code === null || code === undefined ? -1 : code, offset, offsets, texts);
}

// A line list: one text, or an array of texts.
function linesOf(lines, what) {
  if (lines === undefined || lines === null) return [];
  if (!Array.isArray(lines)) return [bytesOf(lines, what)];
  return lines.map((l) => bytesOf(l, what));
}

function enhancedOf(enhanced) {
  if (enhanced === undefined || enhanced === null) return null;
  if (typeof enhanced === 'string' || enhanced instanceof Uint8Array) return bytesOf(enhanced, 'enhanced');
  if (typeof enhanced === 'object' && typeof enhanced.text === 'string') return bytesOf(enhanced.text, 'enhanced');
  throw new TypeError('smtpspec: enhanced must be a status code ("5.1.1"), a status object {text, …} or null');
}

function formatReplyJson(input) {
  if (input === null || typeof input !== 'object') {
    throw new TypeError('smtpspec: formatReply takes {code, enhanced, lines, options}');
  }
  const { code, enhanced, lines, options } = input;
  if (typeof code !== 'number') throw new TypeError('smtpspec: formatReply: code must be a number');
  const o = formatOptions(options);
  const status = enhancedOf(enhanced);
  // Anything that is not a 32-bit integer is not a reply code either; the core says so.
  const wire = Number.isInteger(code) && code >= -0x80000000 && code <= 0x7fffffff ? code : -1;
  return nativeModule().formatReplyJson(wire, status !== null, status ?? '', linesOf(lines, 'a reply line'),
    o.enhanced_codes, o.max_line, o.policy === 'neutralise', o.utf8);
}

// "SIZE 35882577" or {keyword: "SIZE", params: ["35882577"]}.
function keywordOf(k) {
  if (typeof k === 'string') {
    const [keyword, ...params] = k.split(' ');
    return [bytesOf(keyword, 'an EHLO keyword'), params.map((p) => bytesOf(p, 'an EHLO parameter'))];
  }
  if (k !== null && typeof k === 'object') {
    const params = k.params ?? [];
    if (!Array.isArray(params)) throw new TypeError('smtpspec: an EHLO keyword\'s params must be an array');
    return [bytesOf(k.keyword, 'an EHLO keyword'), params.map((p) => bytesOf(p, 'an EHLO parameter'))];
  }
  throw new TypeError('smtpspec: an EHLO keyword must be a string ("SIZE 1000") or {keyword, params}');
}

function formatEhloReplyJson(input) {
  if (input === null || typeof input !== 'object') {
    throw new TypeError('smtpspec: formatEhloReply takes {domain, greeting, keywords, options}');
  }
  const { domain, greeting, keywords = [], options } = input;
  if (!Array.isArray(keywords)) throw new TypeError('smtpspec: formatEhloReply: keywords must be an array');
  const o = formatOptions(options);
  return nativeModule().formatEhloReplyJson(bytesOf(domain, 'the domain'),
    greeting === undefined || greeting === null ? '' : bytesOf(greeting, 'the greeting'), keywords.map(keywordOf),
    o.max_line, o.policy === 'neutralise', o.utf8);
}

function explainJson(query) {
  if (typeof query === 'number') query = String(query);
  return nativeModule().explainDsnJson(bytesOf(query, 'the query'));
}

// ---- the incremental parser --------------------------------------------------------------------

// The native parser of a ReplyParser that was neither closed nor reset by its owner is freed
// when the object is collected.
const parsers = new FinalizationRegistry((id) => native.replyParserFree(id));

/** Bytes in, complete replies out; any split of the stream gives the same replies. */
class ReplyParser {
  #id;

  constructor(options) {
    const o = parseOptions(options);
    this.#id = nativeModule().replyParserNew(o.max_line, o.max_lines, o.max_diagnostics, o.lf_ends_line);
    parsers.register(this, this.#id, this);
  }

  #live() {
    if (this.#id === 0) throw new Error('smtpspec: this ReplyParser is closed');
    return this.#id;
  }

  /** Consumes a chunk of the stream; returns the replies it completed (oldest first). */
  feed(chunk) {
    return JSON.parse(native.replyParserFeed(this.#live(), bytesOf(chunk, 'a chunk')));
  }

  /** End of the stream: returns the replies still open, completed with a diagnostic. */
  finish() {
    return JSON.parse(native.replyParserFinish(this.#live()));
  }

  /** Starts a new stream with the same options. */
  reset() {
    native.replyParserReset(this.#live());
  }

  /** Octets consumed so far. */
  get consumed() {
    return native.replyParserConsumed(this.#live());
  }

  /** Whether finish() was called (later feeds are ignored until reset()). */
  get finished() {
    return native.replyParserFinished(this.#live());
  }

  /** Frees the native parser now; the object cannot be used afterwards. */
  close() {
    if (this.#id === 0) return;
    parsers.unregister(this);
    native.replyParserFree(this.#id);
    this.#id = 0;
  }
}

// ---- the public functions ----------------------------------------------------------------------

const api = {
  /** An enhanced status code (RFC 3463 §2), e.g. "5.1.1": Result<{text, class, subject, detail}>. */
  parseEnhancedStatus: (code) => JSON.parse(enhancedStatusJson(code)),
  /** The IANA registry (RFC 5248): {classes, subjects, codes} (frozen). */
  enhancedStatusCatalogue: () => table('enhancedStatusCatalogueJson'),
  ReplyParser,
  /** A whole reply stream (server to client) at once: an array of replies. */
  parseReplies: (stream, options) => JSON.parse(parseRepliesJson(stream, options)),
  /** An EHLO reply (its first reply, as text or octets, or a reply object): Result<{domain, greeting, keywords, diagnostics}>. */
  parseEhloReply: (reply, options) => JSON.parse(ehloJson(reply, options)),
  /** A reply's wire form: formatReply({code, enhanced, lines, options}) -> Result<{text, lines}>. */
  formatReply: (input) => JSON.parse(formatReplyJson(input)),
  /** An EHLO reply: formatEhloReply({domain, greeting, keywords, options}) -> Result<{text, lines}>. */
  formatEhloReply: (input) => JSON.parse(formatEhloReplyJson(input)),
  /** The standard replies, which replies §4.3.2 lists per command, and the reply diagnostics (frozen). */
  replyCatalogue: () => table('replyCatalogueJson'),
  /** The SMTP service extensions (IANA registry: EHLO keyword, RFC, EHLO parameter syntax, MAIL/RCPT parameters) and the server limits (frozen). */
  extensionCatalogue: () => table('extensionCatalogueJson'),
  /** The haraka-dsn catalogue: {version, functions, texts} (frozen). */
  dsnCatalogue: () => table('dsnCatalogueJson'),
  /** What `smtpspec dsn <query>` explains: an enhanced code ("5.1.1", "X.1.1"), a haraka-dsn name or a reply code. */
  explainDsn: (query) => JSON.parse(explainJson(query)),
};

// Called once by index.js: the functions become the package's, with the C++ JSON texts themselves
// (non-enumerable) for the tests that compare them octet by octet.
function install(wasm, exports) {
  native = wasm;
  Object.assign(exports, api);
  Object.defineProperty(exports, '_replyJson', {
    enumerable: false,
    value: Object.freeze({
      parseEnhancedStatus: enhancedStatusJson,
      parseReplies: parseRepliesJson,
      parseEhloReply: ehloJson,
      formatReply: formatReplyJson,
      formatEhloReply: formatEhloReplyJson,
      explainDsn: explainJson,
    }),
  });
  // The options' defaults and policy names from the core, for the type generator.
  Object.defineProperty(exports, '_replyDefaults', { enumerable: false, get: defaults });
}

module.exports = { install, nativeModule, bytesOf };
