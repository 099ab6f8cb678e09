// parseEsmtpParams and the typed parameters in parseCommand: the fast path (bind.cpp put_param,
// index.js paramAt) against the C++ canonical JSON, for the parameter part of every MAIL/RCPT
// vector input, in both profiles, as strings and as octets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonical, repo, smtpspec } from './helpers.mjs';

const { parseEsmtpParams, parseCommand } = smtpspec;

// [verb, parameter text] of every MAIL/RCPT vector input that has parameters.
function paramInputs() {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json')) {
        for (const v of JSON.parse(readFileSync(p, 'utf8'))) {
          if (v === null || typeof v !== 'object' || v.kind !== 'command' || typeof v.input !== 'string') continue;
          const m = /^(MAIL FROM|RCPT TO):<[^>]*> (.*)$/is.exec(v.input);
          if (m) out.push([m[1].toUpperCase().startsWith('MAIL') ? 'MAIL' : 'RCPT', m[2]]);
        }
      }
    }
  };
  walk(join(repo, 'conformance', 'vectors'));
  return out;
}

test('parseEsmtpParams fast answers equal the C++ canonical JSON', () => {
  let checked = 0;
  for (const [verb, text] of paramInputs()) {
    for (const lenient of [false, true]) {
      const options = { lenient };
      const cxx = Buffer.from(smtpspec._canonicalJson.parseEsmtpParams(verb, text, options)).toString();
      const ascii = /^[\x00-\x7f]*$/.test(text);
      for (const input of [text, Buffer.from(text)]) {
        const r = parseEsmtpParams(verb, input, options);
        assert.equal(canonical(r), cxx, `${verb} ${JSON.stringify(text)} ${JSON.stringify(options)}`);
        if (ascii) assert.ok(smtpspec._lastWasFast(), `fast path for ${JSON.stringify(text)}`);
        assert.deepEqual(smtpspec._viaJson.parseEsmtpParams(verb, input, options), r);
        checked++;
      }
    }
  }
  assert.ok(checked > 400, `only ${checked} answers checked`);
});

test('typed values, in schema order', () => {
  const r = parseEsmtpParams('RCPT', 'NOTIFY=delay,success ORCPT=utf-8;J\\x{E9}r\\x{F4}me@example.com');
  assert.equal(canonical(r),
    '{"ok":true,"value":[{"keyword":"NOTIFY","value":"delay,success","extension":"DSN",' +
    '"typed":{"notify":["SUCCESS","DELAY"]}},{"keyword":"ORCPT","value":"utf-8;J\\\\x{E9}r\\\\x{F4}me@example.com",' +
    '"extension":"DSN","typed":{"addr_type":"utf-8","address":"Jérôme@example.com",' +
    '"encoding":"utf-8-addr-xtext"}}],"diagnostics":[]}');
  assert.ok(smtpspec._lastWasFast());
  const m = parseCommand('MAIL FROM:<a@b> SIZE=9007199254740991 BY=-5;NT AUTH=<> MT-PRIORITY=-9');
  assert.deepEqual(m.value.params.map((p) => p.typed), [
    { size: 9007199254740991 }, { time: -5, mode: 'N', trace: true }, { mailbox: null }, { priority: -9 }]);
});

test('errors and diagnostics', () => {
  assert.equal(parseEsmtpParams('MAIL', 'NOTIFY=NEVER').error.code, 'parameter_not_allowed');
  assert.equal(parseEsmtpParams('RCPT', 'FOO=1').error.reply, '555 5.5.4');
  assert.deepEqual(parseEsmtpParams('RCPT', 'FOO=1', { lenient: true }).diagnostics.map((d) => d.id),
    ['unknown_parameter']);
  assert.equal(parseEsmtpParams('MAIL', 'X '.repeat(5000).trim()).error.code, 'line_too_long');
  assert.deepEqual(parseEsmtpParams('mail', ''), { ok: true, value: [], diagnostics: [] });
});

test('the verb must be MAIL or RCPT', () => {
  for (const bad of ['EHLO', '', null, undefined, 1]) {
    assert.throws(() => parseEsmtpParams(bad, 'SIZE=1'), TypeError);
  }
});
