// The issue-6 conformance vector kinds for conformance.test.mjs, run through smtpspec/server:
//   session      config + peer + answers + steps -> {"output":S,"events":[EVENT…],"state":S}
//   data_reader  options + input -> to_json(reader, step, message)   (one feed() call)
//   proxy        accept + input  -> to_json(parse_proxy_header(…))
// Every event and result text is the C++ to_json text itself (the surface hands it over); the
// session runner checks that JSON.stringify of each call's event objects equals that text, and
// that any two-part split of the fed octets gives the same output and state.
import assert from 'node:assert/strict';
import { canonical, require } from './helpers.mjs';

export const server = require('./server.js');
export const sessionKinds = new Set(['session', 'data_reader', 'proxy']);

function inputOf(v) {
  if (typeof v.input_hex === 'string') return Buffer.from(v.input_hex, 'hex');
  if (typeof v.input === 'string') return Buffer.from(v.input, 'utf8');
  throw new Error(`vector ${v.id}: neither "input" nor "input_hex"`);
}

// A JSON string of octets as the C++ writer makes it: valid UTF-8 as is, each maximal ill-formed
// subsequence as U+FFFD (what TextDecoder does), DEL escaped.
const decoder = new TextDecoder('utf-8', { fatal: false });
const jsonText = (bytes) => canonical(decoder.decode(bytes));

// The answers of a vector: a name or object per hook, or a list used in order (its last repeating).
function answerer(answers = {}) {
  const used = new Map();
  return (hook) => {
    const a = answers[hook];
    if (a === undefined) return 'CONT';
    if (!Array.isArray(a)) return a;
    const i = used.get(hook) ?? 0;
    used.set(hook, i + 1);
    return a[Math.min(i, a.length - 1)];
  };
}

// Runs the session over `steps`; returns {output (Buffer), events (texts), state}.
function runSession(v, steps) {
  const s = new server.ServerSession(v.config ?? {}, v.peer ?? {});
  const next = answerer(v.answers);
  const events = [];
  const output = [];
  const take = (evs) => {
    assert.equal(canonical(evs), s._lastJson, 'the event objects stringify to the C++ text');
    for (const ev of evs) {
      events.push(canonical(ev));
      if (ev.kind === 'hook' && ev.needs_answer) take(s.answer(ev.handle, next(ev.hook)));
    }
    output.push(Buffer.from(s.takeOutput()));
  };
  try {
    take(s.start());
    for (const step of steps) {
      if (typeof step.feed === 'string') take(s.feed(Buffer.from(step.feed, 'utf8')));
      else if (typeof step.feed_hex === 'string') take(s.feed(Buffer.from(step.feed_hex, 'hex')));
      else if (step.eof === true) take(s.eof());
      else if (step.timeout === true) take(s.timeout());
      else if (typeof step.tls === 'string') take(s.tlsEstablished(step.tls));
      else throw new Error(`unknown step ${JSON.stringify(step)}`);
    }
    return { output: Buffer.concat(output), events, state: s.state };
  } finally {
    s.close();
  }
}

const sessionJson = (r) => `{"output":${jsonText(r.output)},"events":[${r.events.join(',')}],"state":${JSON.stringify(r.state)}}`;

export function sessionVectorJson(v) {
  if (v.kind === 'data_reader') {
    const o = v.options ?? {};
    const r = new server.DataReader({ bare_lf: o.bare_lf, bare_cr: o.bare_cr, max_line: o.max_line });
    try {
      return r.feed(inputOf(v))._json;
    } finally {
      r.close();
    }
  }
  if (v.kind === 'proxy') {
    return server._parseProxyHeaderJson(inputOf(v), v.accept ?? 'any');
  }
  if (!Array.isArray(v.steps)) throw new Error('a session vector needs "steps"');
  return sessionJson(runSession(v, v.steps));
}

// Any two-part split of the octets fed by consecutive feed steps gives the same output and state.
export function checkSessionVector(v, result) {
  if (v.kind === 'data_reader') {
    const input = inputOf(v);
    const o = v.options ?? {};
    for (let cut = 0; cut <= input.length; ++cut) {
      const r = new server.DataReader(o);
      const a = r.feed(input.subarray(0, cut));
      const b = a.done ? null : r.feed(input.subarray(a.consumed));
      r.close();
      const message = Buffer.concat([Buffer.from(a.message), Buffer.from(b?.message ?? [])]);
      assert.equal(jsonText(message), canonical(result.message), `split at ${cut}: message`);
      assert.equal(a.consumed + (b?.consumed ?? 0), result.consumed, `split at ${cut}: consumed`);
      assert.equal((b ?? a).done, result.done, `split at ${cut}: done`);
      assert.equal((b ?? a).reject, result.reject, `split at ${cut}: reject`);
    }
    return;
  }
  // reject_unauth_pipelining acts on how the input arrived: no split invariant there.
  if (v.kind !== 'session' || v.config?.reject_unauth_pipelining) return;
  const octets = Buffer.concat(v.steps.filter((s) => s.feed !== undefined || s.feed_hex !== undefined)
    .map((s) => (s.feed !== undefined ? Buffer.from(s.feed, 'utf8') : Buffer.from(s.feed_hex, 'hex'))));
  const feedsOnly = v.steps.every((s) => s.feed !== undefined || s.feed_hex !== undefined);
  if (!feedsOnly || octets.length > 4096) return;
  for (let cut = 0; cut <= octets.length; ++cut) {
    const r = runSession(v, [{ feed_hex: octets.subarray(0, cut).toString('hex') }, { feed_hex: octets.subarray(cut).toString('hex') }]);
    assert.equal(jsonText(r.output), jsonText(Buffer.from(result.output, 'utf8')), `split at ${cut}: output`);
    assert.equal(r.state, result.state, `split at ${cut}: state`);
  }
}
