'use strict';
// smtpspec for Node, issue 7: transcript readers — recorded SMTP conversations (RFC-style S:/C:,
// swaks, Python smtplib, Postfix debug logs, smtp-sink, tshark follow, the raw capture) read into
// events, with what each format keeps and loses. Every answer is the C++ core's canonical JSON
// (bind_transcript.cpp; conformance/README.md, "Transcripts"), parsed into a plain object.
// TranscriptReader streams: its native half (a handle of bind_lint.cpp's stream table) answers what
// was read since the last call, so nothing accumulates.
// index.js installs these functions on the package's exports.

const { bytesOf, nativeModule } = require('./reply.js');

function deepFreeze(o) {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) deepFreeze(v);
  return Object.freeze(o);
}

let catalogueValue = null;
function catalogue() {
  if (catalogueValue === null) catalogueValue = deepFreeze(JSON.parse(nativeModule().transcriptCatalogueJson()));
  return catalogueValue;
}

function formatOf(options) {
  const f = options?.format;
  if (f === undefined || f === null) return '';
  if (typeof f !== 'string' || !catalogue().formats.some((row) => row.name === f)) {
    throw new TypeError(`smtpspec: unknown transcript format ${JSON.stringify(f)}`);
  }
  return f;
}

function count(options, key) {
  const v = options?.[key];
  if (v === undefined || v === null) return -1;
  if (!Number.isSafeInteger(v) || v < 0) throw new TypeError(`smtpspec: ${key} must be a non-negative integer`);
  return v;
}

const OPTION_KEYS = new Set(['format', 'max_line', 'max_messages', 'max_held']);
function optionsOf(options) {
  if (options === undefined || options === null) return ['', -1, -1, -1];
  if (typeof options !== 'object') throw new TypeError('smtpspec: transcript options must be an object');
  for (const k of Object.keys(options)) {
    if (!OPTION_KEYS.has(k)) throw new TypeError(`smtpspec: unknown transcript option ${JSON.stringify(k)}`);
  }
  return [formatOf(options), count(options, 'max_line'), count(options, 'max_messages'), count(options, 'max_held')];
}

/** The canonical JSON text of a transcript read (for the tests that compare it with C++). */
function readTranscriptJson(text, options) {
  return nativeModule().transcriptReadJson(bytesOf(text, 'the transcript'), ...optionsOf(options));
}

const registry = new FinalizationRegistry((id) => nativeModule().streamFree(id));

// The streaming reader: feed() chunks (any split gives the same events) and get what was read since
// the last call, in the shape readTranscript() returns (format, detection, lines and octets so far);
// finish() ends the input and returns the rest. Concatenating the events, notes and errors of every
// answer gives readTranscript()'s. Nothing accumulates on either side: memory stays bounded.
class TranscriptReader {
  #id;
  #finished = false;
  constructor(options) {
    this.#id = nativeModule().transcriptReaderNew(...optionsOf(options));
    registry.register(this, this.#id, this);
  }
  #check(what) {
    if (this.#id === 0) throw new Error(`smtpspec: TranscriptReader.${what}() after close()`);
    if (this.#finished) throw new Error(`smtpspec: TranscriptReader.${what}() after finish()`);
  }
  /** The canonical JSON text of feed() (for the tests that compare it with C++). */
  _feedJson(chunk) {
    this.#check('feed');
    return nativeModule().streamFeed(this.#id, bytesOf(chunk, 'the chunk'));
  }
  _finishJson() {
    this.#check('finish');
    this.#finished = true;
    return nativeModule().streamFinish(this.#id, '', '');
  }
  feed(chunk) { return JSON.parse(this._feedJson(chunk)); }
  finish() { return JSON.parse(this._finishJson()); }
  /** Frees the native reader (a FinalizationRegistry frees forgotten ones). */
  close() {
    if (this.#id === 0) return;
    registry.unregister(this);
    nativeModule().streamFree(this.#id);
    this.#id = 0;
  }
}

const exported = {
  /** Reads a transcript (string or octets); options.format names the format (default: detect). */
  readTranscript: (text, options) => JSON.parse(readTranscriptJson(text, options)),
  /** {format, confidence} for the start of a transcript. */
  detectTranscriptFormat: (text) => JSON.parse(nativeModule().transcriptDetectJson(bytesOf(text, 'the transcript'))),
  /** Every format: {name, title, capabilities, keeps, loses}, frozen. */
  transcriptFormats: () => catalogue().formats,
  /** Every reader note and error id: {id, kind, message}, frozen. */
  transcriptMessages: () => catalogue().messages,
  TranscriptReader,
};

function install(exports) {
  Object.assign(exports, exported);
  Object.defineProperty(exports, '_readTranscriptJson', { enumerable: false, value: readTranscriptJson });
}

module.exports = { install };
