// The transcript conformance vector kind (issue 7) for conformance.test.mjs: the canonical JSON is
// the C++ to_json text itself (as tests/transcript/vector_kinds.hpp computes it); the JS surface
// checks that readTranscript() returns exactly that object, from a string and from octets.
import assert from 'node:assert/strict';
import { smtpspec } from './helpers.mjs';

export const transcriptKinds = new Set(['transcript']);

function inputOf(v) {
  if (typeof v.input_hex === 'string') return Buffer.from(v.input_hex, 'hex');
  if (typeof v.input === 'string') return v.input;
  throw new Error('transcript vectors need input or input_hex');
}

function optionsOf(v) {
  const o = { ...(v.options ?? {}) };
  for (const k of Object.keys(o)) {
    if (!['max_line', 'max_messages', 'max_held'].includes(k)) throw new Error(`unknown transcript option ${k}`);
  }
  if (v.format !== undefined) o.format = v.format;
  return o;
}

export function transcriptVectorJson(v) {
  return smtpspec._readTranscriptJson(inputOf(v), optionsOf(v));
}

export function checkTranscriptVector(v, result) {
  const input = inputOf(v);
  assert.deepEqual(smtpspec.readTranscript(input, optionsOf(v)), result, 'readTranscript gives the C++ JSON');
  if (typeof input === 'string') {
    assert.deepEqual(smtpspec.readTranscript(Buffer.from(input), optionsOf(v)), result, 'the same octets');
  }
}
