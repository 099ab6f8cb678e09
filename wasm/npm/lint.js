'use strict';
// smtpspec for Node, issue 7: `smtpspec lint` — RFC-cited findings on a recorded SMTP conversation
// (any format readTranscript() reads). The core reads, lints and writes (bind_lint.cpp): json is the
// C++ canonical JSON (conformance/README.md, "Lint") parsed into a plain object; text, junit and
// sarif are the C++ writers' strings, as the CLI prints them. index.js installs these functions.

const { bytesOf, nativeModule } = require('./reply.js');

function deepFreeze(o) {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) deepFreeze(v);
  return Object.freeze(o);
}

let rulesValue = null;
function rules() {
  if (rulesValue === null) rulesValue = deepFreeze(nativeModule().lintRules());
  return rulesValue;
}

let pkg = null;  // the package's exports (transcript.js's transcriptFormats() names the formats)
const OUTPUTS = ['json', 'text', 'junit', 'sarif'];
const KEYS = new Set(['format', 'select', 'ignore', 'transcriptFormat', 'transcript_format', 'lmtp',
  'showUndecidable', 'show_undecidable', 'file']);

// select / ignore: an array of rule ids or a comma-separated string ("ESC-*,LINE-LENGTH"), as the
// CLI takes them; an id is a catalogue id or a prefix ending in "*" (case-insensitive, like C++).
function ruleIds(v, key) {
  if (v === undefined || v === null) return '';
  const list = typeof v === 'string' ? v.split(',').filter((s) => s !== '') : v;
  if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) {
    throw new TypeError(`smtpspec: lint option ${key} must be an array of rule ids`);
  }
  const known = new Set(rules().map((r) => r.id.toUpperCase()));
  for (const id of list) {
    if (!id.endsWith('*') && !known.has(id.toUpperCase())) {
      throw new TypeError(`smtpspec: unknown lint rule id ${JSON.stringify(id)}`);
    }
    if (id.includes('\n')) throw new TypeError(`smtpspec: unknown lint rule id ${JSON.stringify(id)}`);
  }
  return list.join('\n');
}

function flag(v, key) {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new TypeError(`smtpspec: lint option ${key} must be a boolean`);
  return v;
}

function lintArgs(options) {
  const o = options ?? {};
  if (typeof o !== 'object') throw new TypeError('smtpspec: lint options must be an object');
  for (const k of Object.keys(o)) {
    if (!KEYS.has(k)) throw new TypeError(`smtpspec: unknown lint option ${JSON.stringify(k)}`);
  }
  const output = o.format ?? 'json';
  if (!OUTPUTS.includes(output)) {
    throw new TypeError(`smtpspec: lint format is one of ${OUTPUTS.join(', ')}, not ${JSON.stringify(output)}`);
  }
  const tf = o.transcriptFormat ?? o.transcript_format ?? '';
  if (tf !== '' && (typeof tf !== 'string' || !pkg.transcriptFormats().some((row) => row.name === tf))) {
    throw new TypeError(`smtpspec: unknown transcript format ${JSON.stringify(tf)}`);
  }
  const file = o.file ?? '-';
  if (typeof file !== 'string') throw new TypeError('smtpspec: lint option file must be a string');
  return [output, ruleIds(o.select, 'select'), ruleIds(o.ignore, 'ignore'), tf,
    flag(o.lmtp, 'lmtp'), flag(o.showUndecidable ?? o.show_undecidable, 'showUndecidable'), file];
}

/** The writer's text for a transcript: the canonical JSON text when format is json (or absent). */
function lintText(text, options) {
  const args = lintArgs(options);
  return nativeModule().lintOutput(bytesOf(text, 'the transcript'), ...args);
}

const registry = new FinalizationRegistry((id) => nativeModule().streamFree(id));

// The streaming linter: feed() chunks of a transcript (string or octets, any split), finish() returns
// what lint() returns for the whole input. The chunks go through the C++ streaming reader into a
// lint::linter as they come, so memory stays bounded (per connection) however long the input is.
class Linter {
  #id;
  #output;
  #file;
  #finished = false;
  constructor(options) {
    const [output, select, ignore, tf, lmtp, showUndecidable, file] = lintArgs(options);
    this.#output = output;
    this.#file = file;
    this.#id = nativeModule().linterNew(select, ignore, tf, lmtp, showUndecidable);
    registry.register(this, this.#id, this);
  }
  #check(what) {
    if (this.#id === 0) throw new Error(`smtpspec: Linter.${what}() after close()`);
    if (this.#finished) throw new Error(`smtpspec: Linter.${what}() after finish()`);
  }
  feed(chunk) {
    this.#check('feed');
    nativeModule().streamFeed(this.#id, bytesOf(chunk, 'the chunk'));
  }
  /** The writer's text (the canonical JSON text for json), as _lintJson() gives it. */
  _finishText() {
    this.#check('finish');
    this.#finished = true;
    return nativeModule().streamFinish(this.#id, this.#output, this.#file);
  }
  /** The report: an object for format json (the default), else the writer's string. */
  finish() {
    const out = this._finishText();
    return this.#output === 'json' ? JSON.parse(out) : out;
  }
  /** Frees the native linter (a FinalizationRegistry frees forgotten ones). */
  close() {
    if (this.#id === 0) return;
    registry.unregister(this);
    nativeModule().streamFree(this.#id);
    this.#id = 0;
  }
}

const exported = {
  /** Lints a transcript (string or octets): an object for format json (the default), else a string. */
  lint: (text, options) => {
    const out = lintText(text, options);
    return (options?.format ?? 'json') === 'json' ? JSON.parse(out) : out;
  },
  /** Every rule: {id, rfc, section, severity, side, quote, summary, url, implemented}, frozen. */
  lintRules: () => rules(),
  Linter,
};

function install(exports) {
  pkg = exports;
  Object.assign(exports, exported);
  Object.defineProperty(exports, '_lintJson', { enumerable: false, value: lintText });
}

module.exports = { install };
