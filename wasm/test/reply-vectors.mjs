// The issue-4 conformance vector kinds (enhanced_status, reply, format_reply) for
// conformance.test.mjs: each vector's canonical JSON is the C++ to_json text itself, computed as
// tests/reply/vector_kinds.hpp does (same inputs, same options), and the checks the JS surface
// adds on top of the subset match.
import assert from 'node:assert/strict';
import { canonical, smtpspec } from './helpers.mjs';

export const replyKinds = new Set(['enhanced_status', 'reply', 'format_reply', 'ehlo']);

// "input" (a string, encoded as UTF-8 as nlohmann::json gives it to C++) or "input_hex" (octets).
function streamOf(v) {
  if (typeof v.input_hex === 'string') return Buffer.from(v.input_hex, 'hex');
  if (typeof v.input === 'string') return v.input;
  throw new Error(`vector ${v.id}: neither "input" nor "input_hex"`);
}

function hex(s) {
  if (typeof s !== 'string' || !/^(?:[0-9a-fA-F]{2})*$/.test(s)) throw new Error('lines_hex entry is not hex');
  return Buffer.from(s, 'hex');
}

// formatReply's argument: the vector's input, lines_hex as octets.
function formatInput(v) {
  const i = v.input;
  if (i === null || typeof i !== 'object' || !Number.isInteger(i.code)) {
    throw new Error('format_reply input must be an object with an integer code');
  }
  const lines = Object.hasOwn(i, 'lines_hex') ? i.lines_hex.map(hex) : (i.lines ?? []);
  return { code: i.code, enhanced: i.enhanced ?? null, lines, options: i.options ?? {} };
}

// The canonical JSON text C++ wrote for this vector (through the package).
export function replyVectorJson(v) {
  const json = smtpspec._replyJson;
  switch (v.kind) {
    case 'enhanced_status': return json.parseEnhancedStatus(streamOf(v));
    case 'reply': return json.parseReplies(streamOf(v), v.options);
    case 'ehlo': return json.parseEhloReply(streamOf(v), v.options);  // issue 3: the first reply's EHLO reading
    default: return json.formatReply(formatInput(v));
  }
}

// The public function's object must be that JSON exactly; a reply stream must give the same
// replies whichever way it is split.
export function checkReplyVector(v, result, json) {
  assert.equal(canonical(result), json, 'the public object serialises to the C++ JSON');
  const replyIds = new Set(smtpspec.replyCatalogue().reply_diagnostics.map((d) => d.id));
  for (const r of Array.isArray(result) ? result : []) {
    for (const d of r.diagnostics) assert.ok(replyIds.has(d.id), `reply diagnostic ${d.id} is in the catalogue`);
  }
  if (!Array.isArray(result) && !result.ok) {
    const codes = new Set(smtpspec.catalogue().errors.map((e) => e.code));
    assert.ok(codes.has(result.error.code), `error code ${result.error.code} is in the catalogue`);
  }
  if (v.kind === 'enhanced_status') {
    assert.deepEqual(smtpspec.parseEnhancedStatus(streamOf(v)), result);
    return;
  }
  if (v.kind === 'format_reply') {
    assert.deepEqual(smtpspec.formatReply(formatInput(v)), result);
    return;
  }
  if (v.kind === 'ehlo') {
    assert.deepEqual(smtpspec.parseEhloReply(streamOf(v), v.options), result);
    // The same reading from a reply object, and every named extension is in the catalogue.
    const [first] = smtpspec.parseReplies(Buffer.from(streamOf(v)), v.options);
    if (typeof v.input === 'string' && first && first.code === 250) assert.deepEqual(smtpspec.parseEhloReply(first), result);
    if (result.ok) {
      const keywords = new Set(smtpspec.extensionCatalogue().extensions.map((e) => e.keyword));
      for (const k of result.value.keywords) if (k.extension !== null) assert.ok(keywords.has(k.extension), k.extension);
      for (const d of result.value.diagnostics) assert.ok(replyIds.has(d.id), `reply diagnostic ${d.id} is in the catalogue`);
    }
    return;
  }
  const stream = Buffer.from(streamOf(v));
  assert.deepEqual(smtpspec.parseReplies(stream, v.options), result, 'octets and string give the same replies');
  const parser = new smtpspec.ReplyParser(v.options);
  try {
    const feedAll = (chunks) => {
      parser.reset();
      const out = [];
      for (const c of chunks) out.push(...parser.feed(c));
      out.push(...parser.finish());
      return out;
    };
    for (let k = 0; k <= stream.length; k++) {
      assert.deepEqual(feedAll([stream.subarray(0, k), stream.subarray(k)]), result, `split at ${k}`);
    }
    assert.deepEqual(feedAll([...stream].map((b) => Uint8Array.of(b))), result, 'octet by octet');
  } finally {
    parser.close();
  }
}
