'use strict';
// smtpspec for Node, issue 7: transcript readers — recorded SMTP conversations (RFC-style S:/C:,
// swaks, Python smtplib, Postfix debug logs, smtp-sink, tshark follow, the raw capture) read into
// events, with what each format keeps and loses. Every answer is the C++ core's canonical JSON
// (bind_transcript.cpp; conformance/README.md, "Transcripts"), parsed into a plain object.
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

/** The canonical JSON text of a transcript read (for the tests that compare it with C++). */
function readTranscriptJson(text, options) {
  return nativeModule().transcriptReadJson(bytesOf(text, 'the transcript'), formatOf(options),
    count(options, 'max_line'), count(options, 'max_messages'));
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
};

function install(exports) {
  Object.assign(exports, exported);
  Object.defineProperty(exports, '_readTranscriptJson', { enumerable: false, value: readTranscriptJson });
}

module.exports = { install };
