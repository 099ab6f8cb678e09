// The milter conformance vector kind (milter_decode) for conformance.test.mjs: the canonical JSON
// is the C++ to_json text itself (as tests/milter/vector_kinds.hpp computes it), and the JS surface
// adds its own checks: any two-part split through Decoder gives the same packets and error, and
// every packet encodes from its canonical object to octets that decode to the same JSON.
import assert from 'node:assert/strict';
import { require } from './helpers.mjs';

export const milter = require('./milter.js');
export const milterKinds = new Set(['milter_decode']);

function optionsOf(v) {
  const o = v.options ?? {};
  for (const k of Object.keys(o)) if (k !== 'max_payload') throw new Error(`unknown milter option ${k}`);
  return { maxPayload: o.max_payload ?? milter.DEFAULT_MAX_PAYLOAD };
}

export function milterVectorJson(v) {
  if (typeof v.input_hex !== 'string') throw new Error('milter vectors need input_hex');
  if (!['to_filter', 'to_mta', 'conversation'].includes(v.direction)) throw new Error('bad direction');
  return milter._decodeJson(Buffer.from(v.input_hex, 'hex'), v.direction, optionsOf(v));
}

export function checkMilterVector(v, result) {
  const data = Buffer.from(v.input_hex, 'hex');
  const options = optionsOf(v);
  for (const p of result.packets) {
    const { bytes, error } = milter.encode(p, options);
    assert.equal(error, null, `encode ${p.type}`);
    const again = milter.decode(bytes, p.type.startsWith('SMFIC_') ? 'to_filter' : 'to_mta', options);
    assert.deepEqual(again, { packets: [p], error: null }, `re-decode ${p.type}`);
  }
  if (v.direction === 'conversation') return;
  for (let cut = 0; cut <= data.length; ++cut) {
    const d = new milter.Decoder(v.direction, options);
    const packets = [...d.feed(data.subarray(0, cut)), ...d.feed(data.subarray(cut)), ...d.finish()];
    d.close();
    assert.deepEqual({ packets, error: d.error }, result, `split at ${cut}`);
  }
}
