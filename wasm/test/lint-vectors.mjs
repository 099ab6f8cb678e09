// The lint conformance vector kind (issue 7) for conformance.test.mjs: the canonical JSON is the C++
// lint::to_json text itself (as tests/lint/vector_kinds.hpp computes it); the JS surface checks that
// lint() returns exactly that object, from a string and from octets.
import assert from 'node:assert/strict';
import { smtpspec } from './helpers.mjs';

export const lintKinds = new Set(['lint']);

function inputOf(v) {
  if (typeof v.input_hex === 'string') return Buffer.from(v.input_hex, 'hex');
  if (typeof v.input === 'string') return v.input;
  throw new Error('lint vectors need input or input_hex');
}

function optionsOf(v) {
  const o = { ...(v.options ?? {}) };
  for (const k of Object.keys(o)) {
    if (!['select', 'ignore', 'transcript_format', 'lmtp', 'show_undecidable'].includes(k)) {
      throw new Error(`unknown lint option ${k}`);
    }
  }
  return o;
}

export function lintVectorJson(v) {
  return smtpspec._lintJson(inputOf(v), optionsOf(v));
}

export function checkLintVector(v, result) {
  const input = inputOf(v);
  assert.deepEqual(smtpspec.lint(input, optionsOf(v)), result, 'lint() gives the C++ JSON');
  if (typeof input === 'string') {
    assert.deepEqual(smtpspec.lint(Buffer.from(input), optionsOf(v)), result, 'the same octets');
  }
}
