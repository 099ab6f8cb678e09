// The npm package's API: shapes, options, inputs, catalogue and the two module systems.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { canonical, packageDir, require, smtpspec } from './helpers.mjs';

const { parseCommand, parsePath, parseMailbox, parseDomain, catalogue } = smtpspec;
const codes = () => new Set(catalogue().errors.map((e) => e.code));

test('a valid mailbox is a plain object in schema order', () => {
  const r = parseMailbox('john.smith@example.com');
  assert.equal(canonical(r),
    '{"ok":true,"value":{"text":"john.smith@example.com","local_part":"john.smith",' +
    '"local_part_kind":"dot_string","local_part_value":"john.smith","domain":{"text":"example.com",' +
    '"kind":"name","tag":null,"address":null,"ascii":"example.com","unicode":"example.com"}},"diagnostics":[]}');
  assert.equal(Object.getPrototypeOf(r), Object.prototype);
});

test('an invalid mailbox gives an error from the catalogue with an offset inside the input', () => {
  for (const input of ['john.smith@', '@example.com', 'john..smith@example.com', 'a@b@c', '']) {
    const r = parseMailbox(input);
    assert.equal(r.ok, false, input);
    assert.deepEqual(Object.keys(r), ['ok', 'error', 'diagnostics']);
    assert.deepEqual(Object.keys(r.error), ['code', 'offset', 'expected', 'rfc', 'reply', 'message']);
    assert.ok(codes().has(r.error.code), r.error.code);
    assert.ok(r.error.offset >= 0 && r.error.offset <= input.length, `${input}: ${r.error.offset}`);
    const row = catalogue().errors.find((e) => e.code === r.error.code);
    assert.equal(r.error.message, row.message);
  }
});

test('the local part is limited to 64 octets', () => {
  assert.equal(parseMailbox(`${'a'.repeat(64)}@example.com`).ok, true);
  const r = parseMailbox(`${'a'.repeat(65)}@example.com`);
  assert.equal(r.ok, false);
  assert.equal(r.error.code, 'local_part_too_long');
});

test('quoted local parts report their unquoted value', () => {
  const r = parseMailbox('"john\\"smith"@example.com');
  assert.equal(r.ok, true);
  assert.equal(r.value.local_part, '"john\\"smith"');
  assert.equal(r.value.local_part_kind, 'quoted_string');
  assert.equal(r.value.local_part_value, 'john"smith');
});

test('domains and address literals', () => {
  assert.deepEqual(parseDomain('mail.example.com').value,
    { text: 'mail.example.com', kind: 'name', tag: null, address: null, ascii: 'mail.example.com', unicode: 'mail.example.com' });
  const v6 = parseDomain('[IPv6:2001:db8::1]');
  assert.equal(v6.ok, true);
  assert.equal(v6.value.kind, 'ipv6');
  assert.equal(v6.value.tag, 'IPv6');
  assert.equal(v6.value.address, '2001:db8::1');
  assert.equal(parseDomain('[192.0.2.1]').value.kind, 'ipv4');
  assert.equal(parseDomain('[192.0.2.256]').ok, false);
  assert.equal(parseDomain('-example.com').ok, false);
});

test('commands: verbs, paths and parameters', () => {
  const mail = parseCommand('MAIL FROM:<a@example.com> SIZE=1024 BODY=8BITMIME\r\n');
  assert.equal(mail.ok, true);
  assert.equal(mail.verb, 'MAIL');
  assert.deepEqual(Object.keys(mail), ['ok', 'verb', 'value', 'diagnostics']);
  assert.deepEqual(mail.value.params, [
    { keyword: 'SIZE', value: '1024', extension: 'SIZE', typed: { size: 1024 } },
    { keyword: 'BODY', value: '8BITMIME', extension: '8BITMIME', typed: { body: '8BITMIME' } }]);
  assert.equal(mail.value.path.mailbox.domain.text, 'example.com');
  assert.equal(parseCommand('rcpt to:<Postmaster>\r\n').value.path.kind, 'postmaster');
  assert.equal(parseCommand('MAIL FROM:<>\r\n').value.path.kind, 'null');
  assert.deepEqual(parseCommand('BDAT 1000 LAST\r\n').value, { verb: 'BDAT', chunk_size: 1000, last: true });
  assert.deepEqual(parseCommand('ehlo client.example.org\r\n').value.verb, 'EHLO');
  assert.deepEqual(parseCommand('QUIT\r\n').value, { verb: 'QUIT' });
});

test('an unknown verb is an error with verb null; a known one keeps its verb', () => {
  const unknown = parseCommand('FOO bar\r\n');
  assert.equal(unknown.ok, false);
  assert.equal(unknown.verb, null);
  assert.deepEqual(Object.keys(unknown), ['ok', 'verb', 'error', 'diagnostics']);
  const bad = parseCommand('MAIL FROM:<a@>\r\n');
  assert.equal(bad.ok, false);
  assert.equal(bad.verb, 'MAIL');
});

test('lenient accepts what strict refuses, and says so in diagnostics', () => {
  const line = 'MAIL FROM: <a@example.com>\r\n';
  assert.equal(parseCommand(line).ok, false);
  assert.equal(parseCommand(line, { lenient: false }).ok, false);
  const r = parseCommand(line, { lenient: true });
  assert.equal(r.ok, true);
  assert.ok(r.diagnostics.length >= 1);
  const ids = new Set(catalogue().diagnostics.map((d) => d.id));
  for (const d of r.diagnostics) {
    assert.deepEqual(Object.keys(d), ['id', 'severity', 'offset', 'rfc', 'message']);
    assert.ok(ids.has(d.id), d.id);
    assert.ok(d.offset <= line.length);
  }
  assert.ok(r.diagnostics.some((d) => d.id === 'space_after_colon'));
});

test('path roles: <> is only a reverse path, <Postmaster> only a forward path', () => {
  assert.equal(parsePath('<>', { role: 'reverse' }).value.kind, 'null');
  assert.equal(parsePath('<>', { role: 'forward' }).ok, false);
  assert.equal(parsePath('<Postmaster>', { role: 'forward' }).value.kind, 'postmaster');
  assert.equal(parsePath('<Postmaster>', { role: 'reverse' }).ok, false);
  assert.equal(parsePath('<>').ok, true);  // role "any" by default
  assert.equal(parsePath('<a@example.com>', { role: 'forward' }).value.kind, 'mailbox');
  assert.throws(() => parsePath('<>', { role: 'sideways' }), TypeError);
});

test('a Buffer, a Uint8Array and an ArrayBuffer are the same input as the string', () => {
  const s = 'MAIL FROM:<a@example.com>\r\n';
  const expected = parseCommand(s);
  const buf = Buffer.from(s);
  assert.deepEqual(parseCommand(buf), expected);
  assert.deepEqual(parseCommand(new Uint8Array(buf)), expected);
  assert.deepEqual(parseCommand(new Uint8Array(buf).buffer), expected);
  // A view into the middle of a larger buffer reads only its own octets.
  const big = Buffer.from(`xx${s}yy`);
  assert.deepEqual(parseCommand(big.subarray(2, 2 + s.length)), expected);
});

test('non-ASCII: strings are encoded as UTF-8, octets are taken as they are', () => {
  const fromString = parseMailbox('jöhn@example.com');
  assert.equal(fromString.ok, false);
  assert.equal(fromString.error.code, 'non_ascii');
  assert.equal(fromString.error.offset, 1);
  // Invalid UTF-8 and NUL octets: errors with an offset, never an exception.
  for (const bytes of [[0x61, 0xff, 0x40, 0x62], [0x61, 0x00, 0x40, 0x62], [0xc3], [0x0d]]) {
    const r = parseMailbox(Buffer.from(bytes));
    assert.equal(r.ok, false);
    assert.ok(r.error.offset <= bytes.length);
  }
  assert.equal(parseCommand(Buffer.from('NOOP\r\n')).ok, true);
});

test('long and binary inputs give errors, not exceptions', () => {
  const long = `MAIL FROM:<${'a'.repeat(10 * 1024 * 1024)}@example.com>\r\n`;
  const r = parseCommand(long);
  assert.equal(r.ok, false);
  assert.ok(r.error.offset <= long.length);
  // Long strings with non-ASCII characters: octet offsets, the same answer as their octets.
  for (const text of [`${'a'.repeat(200000)}é@example.com`, `é${'b'.repeat(70000)}@example.com`, `${'€'.repeat(30000)}@x`]) {
    const fromString = parseMailbox(text);
    assert.equal(fromString.ok, false);
    assert.ok(fromString.error.offset <= Buffer.byteLength(text));
    assert.deepEqual(parseMailbox(Buffer.from(text)), fromString);
  }
  // The module keeps working after growing its memory.
  assert.equal(parseMailbox('john.smith@example.com').ok, true);
  const noise = Buffer.alloc(4096);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) & 0xff;
  for (const fn of [parseCommand, parsePath, parseMailbox, parseDomain]) assert.equal(fn(noise).ok, false);
});

test('inputs of the wrong type are programming errors', () => {
  for (const bad of [undefined, null, 42, {}, ['a@b']]) {
    assert.throws(() => parseMailbox(bad), TypeError);
  }
});

test('the fast path and the JSON path give the same objects', () => {
  const inputs = {
    parseMailbox: ['john.smith@example.com', 'a@b', 'x.y.z@sub.example.co.uk', '"q"@example.com', 'a@[192.0.2.1]'],
    parseDomain: ['example.com', 'a', 'x-y.example', '[IPv6:::1]', 'example.com.'],
    parsePath: ['<a@example.com>', '<>', '<Postmaster>', '<postmaster@example.com>', '<@r.example:a@example.com>'],
    parseCommand: ['MAIL FROM:<a@example.com> SIZE=10 BODY=7BIT X\r\n', 'RCPT TO:<b@example.net>\r\n',
      'EHLO client.example.org\r\n', 'HELO x\r\n', 'DATA\r\n', 'RSET\r\n', 'QUIT\r\n', 'STARTTLS\r\n',
      'NOOP\r\n', 'VRFY john\r\n', 'AUTH PLAIN dGVzdA==\r\n', 'BDAT 5\r\n', 'LHLO x.example\r\n',
      `MAIL FROM:<a@example.com>${' P=1'.repeat(80)}\r\n`],
  };
  for (const [fn, list] of Object.entries(inputs)) {
    for (const input of list) {
      for (const lenient of [false, true]) {
        const fast = smtpspec[fn](input, { lenient });
        const slow = smtpspec._viaJson[fn](input, { lenient });
        assert.deepEqual(fast, slow, `${fn}(${JSON.stringify(input)})`);
        assert.equal(canonical(fast), Buffer.from(smtpspec._canonicalJson[fn](input, { lenient })).toString(),
          `${fn}(${JSON.stringify(input)}) octets`);
      }
    }
  }
});

test('every result shape takes the fast path', () => {
  const fast = [
    () => parseMailbox('john.smith@example.com'),
    () => parseMailbox('john.smith@'),  // an error
    () => parseMailbox('"q\\"x"@example.com'),  // a quoted local part with a quoted-pair
    () => parseMailbox('a@[192.0.2.1]'),
    () => parseMailbox('a@[IPv6:2001:db8::1]'),
    () => parseMailbox('jöhn@example.com'),  // non-ASCII: an error, which needs no slices
    () => parseMailbox(Buffer.from('john.smith@example.com')),
    () => parseMailbox(new Uint8Array([0x61, 0xff, 0x40, 0x62])),
    () => parseDomain('example.com'),
    () => parsePath('<a@example.com>'),
    () => parsePath('<>'),
    () => parsePath('<@r1.example,@r2.example:a@example.com>'),  // a source route
    () => parsePath('<>', { role: 'forward' }),
    () => parseCommand('MAIL FROM:<john.smith@example.com> SIZE=1024\r\n'),
    () => parseCommand('MAIL FROM:<a@b>\r\n'.repeat(2)),
    () => parseCommand('RCPT TO:<jane@example.net>\r\n'),
    () => parseCommand('EHLO client.example.org\r\n'),
    () => parseCommand('DATA\r\n'),
    () => parseCommand('MAIL FROM: <a@example.com>\r\n', { lenient: true }),  // with a diagnostic
    () => parseCommand('VRFY john\r\n'),
    () => parseCommand('HELP\r\n'),
    () => parseCommand('AUTH PLAIN dGVzdA==\r\n'),
    () => parseCommand('BDAT 9007199254740991 LAST\r\n'),
    () => parseCommand('FOO bar\r\n'),
    () => parseCommand('MAIL FROM:<a@[999.0.0.1]>\r\n'),  // a refined reply
  ];
  for (const f of fast) {
    f();
    assert.equal(smtpspec._lastWasFast(), true, f.toString());
  }
});

test('fast answers: texts that are not slices of the input, and large numbers', () => {
  const quoted = parseMailbox('"a\\"b\\\\c"@example.com');
  assert.equal(quoted.value.local_part_value, 'a"b\\c');
  assert.equal(parseCommand('BDAT 9007199254740991 LAST\r\n').value.chunk_size, Number.MAX_SAFE_INTEGER);
  assert.equal(parseCommand('BDAT 4294967296\r\n').value.chunk_size, 2 ** 32);
  // The same error twice: the interned text is cached, and equal to the JSON path's.
  for (let i = 0; i < 2; i++) {
    const r = parseMailbox('a@');
    assert.deepEqual(r, smtpspec._viaJson.parseMailbox('a@'));
    assert.ok(r.error.expected.length > 0);
  }
  const refined = parseCommand('RCPT TO:<a@[999.0.0.1]>\r\n');
  assert.deepEqual(refined, smtpspec._viaJson.parseCommand('RCPT TO:<a@[999.0.0.1]>\r\n'));
  assert.notEqual(refined.error.reply, catalogue().errors.find((e) => e.code === refined.error.code).reply);
});

test('results are fresh objects the caller may change', () => {
  const a = parseMailbox('john.smith@example.com');
  a.value.domain.text = 'changed';
  assert.equal(parseMailbox('john.smith@example.com').value.domain.text, 'example.com');
});

test('the catalogue comes from the core: non-empty, unique, frozen, and in the .d.ts', () => {
  const { errors, diagnostics } = catalogue();
  assert.ok(errors.length > 0 && diagnostics.length > 0);
  assert.equal(new Set(errors.map((e) => e.code)).size, errors.length);
  assert.equal(new Set(diagnostics.map((d) => d.id)).size, diagnostics.length);
  assert.ok(Object.isFrozen(errors) && Object.isFrozen(errors[0]));
  for (const e of errors) assert.match(e.reply, /^[245]\d\d [245]\.\d{1,3}\.\d{1,3}$/, e.code);
  for (const d of diagnostics) assert.ok(['info', 'warning', 'error'].includes(d.severity), d.id);
  const dts = readFileSync(join(packageDir, 'index.d.ts'), 'utf8');
  const union = (name) => new Set([...dts.match(new RegExp(`^export type ${name} = (.*);$`, 'm'))[1]
    .matchAll(/"([^"]+)"/g)].map((m) => m[1]));
  assert.deepEqual(union('ErrorCode'), new Set(errors.map((e) => e.code)));
  assert.deepEqual(union('DiagnosticId'), new Set(diagnostics.map((d) => d.id)));
});

test('version is the core library version and the package version', () => {
  assert.match(smtpspec.version, /^\d+\.\d+\.\d+/);
  assert.equal(require('./package.json').version, smtpspec.version);
});

test('ESM import and CommonJS require give the same module', async () => {
  const esm = await import(pathToFileURL(join(packageDir, 'index.mjs')).href);
  for (const name of ['parseCommand', 'parsePath', 'parseMailbox', 'parseDomain', 'catalogue', 'version', 'extensionCatalogue',
    'domainToAscii', 'domainToUnicode']) {
    assert.equal(esm[name], smtpspec[name], name);
  }
  assert.equal(esm.default, smtpspec);
  // With the issue-4 functions of reply.js (tested in reply.test.mjs).
  assert.deepEqual(Object.keys(smtpspec).sort(),
    ['Linter', 'ReplyParser', 'TranscriptReader', 'catalogue', 'detectTranscriptFormat', 'domainToAscii', 'domainToUnicode', 'dsnCatalogue',
      'enhancedStatusCatalogue', 'explainDsn', 'extensionCatalogue',
      'formatEhloReply', 'formatReply', 'lint', 'lintRules',
      'parseCommand', 'parseDomain', 'parseEhloReply', 'parseEnhancedStatus', 'parseEsmtpParams', 'parseMailbox',
      'parsePath', 'parseReplies', 'readTranscript',
      'replyCatalogue', 'transcriptFormats', 'transcriptMessages', 'version']);
});
