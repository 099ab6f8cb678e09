// Issue 3, item 2: EHLO keywords against the IANA service extension registry, through the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { smtpspec } from './helpers.mjs';

const { parseEhloReply, extensionCatalogue, replyCatalogue } = smtpspec;

test('extensionCatalogue: the C++ table, frozen', () => {
  const cat = extensionCatalogue();
  assert.ok(Object.isFrozen(cat) && Object.isFrozen(cat.extensions[0]));
  assert.equal(cat.extensions.length, 35);
  const size = cat.extensions.find((e) => e.keyword === 'SIZE');
  assert.deepEqual(size, { keyword: 'SIZE', rfc: 'RFC 1870', status: 'standard', description: 'Message size declaration',
    ehlo: 'size', mail_params: ['SIZE'], rcpt_params: [] });
  assert.deepEqual(cat.extensions.find((e) => e.keyword === 'DSN').rcpt_params, ['NOTIFY', 'ORCPT']);
  assert.deepEqual(cat.server_limits.map((l) => l.name), ['MAILMAX', 'RCPTMAX', 'RCPTDOMAINMAX']);
  assert.equal(extensionCatalogue(), cat);  // cached
});

test('parseEhloReply: extensions, typed values and the registry diagnostics', () => {
  const r = parseEhloReply('250-mx\r\n250-SIZE abc\r\n250-AUTH\r\n250-LIMITS RCPTMAX=10 MAILMAX=0\r\n' +
    '250-X-ANY thing\r\n250-FOO\r\n250-TURN\r\n250-MT-PRIORITY MIXER\r\n250 size 10\r\n');
  assert.equal(r.ok, true);
  const v = r.value;
  assert.deepEqual(v.keywords.map((k) => [k.keyword, k.extension]), [['SIZE', 'SIZE'], ['AUTH', 'AUTH'],
    ['LIMITS', 'LIMITS'], ['X-ANY', null], ['FOO', null], ['TURN', 'TURN'], ['MT-PRIORITY', 'MT-PRIORITY'], ['size', 'SIZE']]);
  assert.equal(v.keywords[0].value, null);  // SIZE abc breaks the syntax
  assert.deepEqual(v.keywords[6].value, { policy: 'MIXER' });
  assert.deepEqual(v.keywords[7].value, { size: 10 });
  assert.equal(v.keywords[2].value, null);
  assert.deepEqual(v.extensions, ['TURN', 'SIZE', 'AUTH', 'MT-PRIORITY', 'LIMITS']);  // catalogue order
  assert.deepEqual(v.diagnostics.map((d) => d.id), ['ehlo_size_syntax', 'ehlo_auth_without_mechanisms', 'ehlo_limits_syntax',
    'ehlo_unknown_keyword', 'ehlo_deprecated_keyword', 'ehlo_duplicate_keyword']);
  const ids = new Set(replyCatalogue().reply_diagnostics.map((d) => d.id));
  for (const d of v.diagnostics) assert.ok(ids.has(d.id));
  assert.deepEqual(parseEhloReply('250-mx\r\n250 LIMITS RCPTMAX=10 FOO\r\n').value.keywords[0].value,
    { limits: [{ name: 'RCPTMAX', value: '10', number: 10 }, { name: 'FOO', value: null, number: null }] });
  assert.deepEqual(parseEhloReply('250-mx\r\n250 FUTURERELEASE 604800 2026-12-31T23:59:59Z\r\n').value.keywords[0].value,
    { max_interval: 604800, max_date_time: '2026-12-31T23:59:59Z' });
});

test('parseEhloReply: hostile EHLO replies stay bounded', () => {
  const lines = ['250-mx'];
  for (let i = 0; i < 2000; i++) lines.push(`250-SIZE ${'9'.repeat(400)}`);
  lines.push('250 LIMITS ' + 'A=1 '.repeat(120).trim());
  const r = parseEhloReply(lines.join('\r\n') + '\r\n');
  assert.equal(r.ok, true);
  assert.equal(r.value.keywords.length, 999);  // max_lines (1000), the greeting among them
  assert.equal(r.value.keywords[0].value.size, null);  // valid, above 2^53-1: not carried
});
