// SMTPUTF8 (RFC 6531) from JavaScript: {smtputf8: true}, IDNA conversions, the DOMAIN forms on
// both the fast path and the JSON path, and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonical, smtpspec } from './helpers.mjs';

const { parseMailbox, parseDomain, parseCommand, domainToAscii, domainToUnicode } = smtpspec;

test('non-ASCII without the option names RFC 6531', () => {
  const r = parseMailbox('用户@example.com');
  assert.equal(r.error.code, 'non_ascii');
  assert.equal(r.error.rfc, 'RFC 6531 §3.3');
});

test('UTF-8 mailbox with the option: both domain forms', () => {
  const r = parseMailbox('δοκιμή@παράδειγμα.δοκιμή', { smtputf8: true });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(r.value.domain.ascii, 'xn--hxajbheg2az3al.xn--jxalpdlp');
  assert.equal(r.value.domain.unicode, 'παράδειγμα.δοκιμή');
  assert.equal(canonical(r), Buffer.from(smtpspec._canonicalJson.parseMailbox('δοκιμή@παράδειγμα.δοκιμή', { smtputf8: true })).toString());
});

test('fast path carries ascii/unicode for ASCII input (A-labels, upper case, literals)', () => {
  for (const input of ['Example.COM', 'xn--bcher-kva.de', 'XN--ZCA.de', 'a-b.example', '[192.0.2.1]', 'plain.example']) {
    const fast = parseDomain(input);
    assert.equal(smtpspec._lastWasFast(), true, input);
    assert.deepEqual(fast, smtpspec._viaJson.parseDomain(input), input);
  }
  assert.equal(parseDomain('xn--zca.de').value.unicode, 'ß.de');
  assert.equal(parseDomain('[192.0.2.1]').value.ascii, null);
  const cmd = parseCommand('RCPT TO:<a@XN--BCHER-KVA.de>');
  assert.equal(cmd.value.path.mailbox.domain.unicode, 'bücher.de');
  assert.deepEqual(cmd, smtpspec._viaJson.parseCommand('RCPT TO:<a@XN--BCHER-KVA.de>'));
});

test('domainToAscii / domainToUnicode', () => {
  assert.deepEqual(domainToAscii('bücher.de'), { ok: true, value: 'xn--bcher-kva.de', diagnostics: [] });
  assert.equal(domainToUnicode('xn--fsqu00a.xn--4rr70v').value, '例子.广告');
  assert.equal(domainToAscii('例子。广告').error.code, 'ideographic_full_stop');
  const l = domainToAscii('例子。广告', { lenient: true });
  assert.equal(l.value, 'xn--fsqu00a.xn--4rr70v');
  assert.deepEqual(l.diagnostics.map((d) => d.id), ['ideographic_full_stop']);
});

test('bad input is a value, never a throw', () => {
  const cases = [
    ['', 'empty_input'], ['[1.2.3.4]', 'syntax_error'], [Uint8Array.of(0xc0, 0x80, 0x2e, 0x64), 'utf8_overlong'],
    ['xn--zz.de', 'idna_punycode'], ['😀.de', 'idna_disallowed'], ['é'.repeat(2000), 'idna_domain_too_long'],
  ];
  for (const [input, code] of cases) {
    const r = domainToAscii(input);
    assert.equal(r.ok, false);
    assert.equal(r.error.code, code);
  }
  const m = parseMailbox(Uint8Array.of(0x61, 0xed, 0xa0, 0x80, 0x40, 0x62), { smtputf8: true });
  assert.equal(m.error.code, 'utf8_surrogate');
  assert.equal(m.error.offset, 1);
});

test('MAIL with a UTF-8 path and no SMTPUTF8 parameter is noted', () => {
  const r = parseCommand('MAIL FROM:<用户@例子.广告>', { smtputf8: true });
  assert.deepEqual(r.diagnostics.map((d) => d.id), ['smtputf8_parameter_missing']);
});
