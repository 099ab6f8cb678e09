// The fast path (offsets from bind.cpp, objects built in index.js) against the reference: the
// octets smtpspec::to_json writes. Inputs: every vector input of conformance/vectors plus
// deterministic mutations of it, through all four parsers in both profiles, as strings and as
// octets. Each answer must take the fast path, except a value parsed from non-ASCII input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonical, parsers, repo, smtpspec } from './helpers.mjs';

function vectorInputs() {
  const inputs = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json')) {
        for (const v of JSON.parse(readFileSync(p, 'utf8'))) {
          if (v === null || typeof v !== 'object' || !parsers[v.kind]) continue;
          if (typeof v.input_hex === 'string') inputs.push(Buffer.from(v.input_hex, 'hex'));
          else if (typeof v.input === 'string') inputs.push(Buffer.from(v.input));
        }
      }
    }
  };
  walk(join(repo, 'conformance', 'vectors'));
  return inputs;
}

// Octets that change which rule applies: quoting, literals, routes, parameters, line ends, 8-bit.
const SPECIAL = Buffer.from('"\\[]:@<>,=. \t\r\n\x00\x7f\xc3\xa9');

// A small deterministic generator (the same inputs on every run).
function lcg(seed) {
  let x = seed >>> 0;
  return (n) => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x % n;
  };
}

function mutations(input, next) {
  const out = [input];
  for (let k = 0; k < 3 && input.length > 0; k++) {
    const at = next(input.length);
    const c = SPECIAL[next(SPECIAL.length)];
    switch (k) {
      case 0: out.push(Buffer.concat([input.subarray(0, at), input.subarray(at + 1)])); break;  // delete
      case 1: out.push(Buffer.concat([input.subarray(0, at), Buffer.from([c]), input.subarray(at)])); break;  // insert
      default: out.push(Buffer.concat([input.subarray(0, at), Buffer.from([c]), input.subarray(at + 1)]));  // replace
    }
  }
  return out;
}

test('fast answers equal the C++ canonical JSON on vector inputs and their mutations', () => {
  const next = lcg(5321);
  const seen = new Set();
  let checked = 0;
  for (const base of vectorInputs()) {
    for (const octets of mutations(base, next)) {
      const key = octets.toString('hex');
      if (seen.has(key)) continue;
      seen.add(key);
      const ascii = octets.every((b) => b < 0x80);
      const inputs = ascii ? [octets, octets.toString('latin1')] : [octets];
      for (const fn of Object.values(parsers)) {
        for (const lenient of [false, true]) {
          const options = { lenient };
          const cxx = Buffer.from(smtpspec._canonicalJson[fn](octets, options));
          for (const input of inputs) {
            const r = smtpspec[fn](input, options);
            const where = `${fn}(${JSON.stringify(octets.toString('latin1'))}, ${JSON.stringify(options)})`;
            assert.equal(smtpspec._lastWasFast(), !(r.ok && !ascii), `${where}: path taken`);
            assert.equal(Buffer.from(canonical(r)).toString('latin1'), cxx.toString('latin1'), where);
            checked++;
          }
        }
      }
    }
  }
  assert.ok(checked > 10000, `only ${checked} answers checked`);
});
