// Issue 7: the transcript readers through the npm package (readTranscript, detectTranscriptFormat,
// transcriptFormats, transcriptMessages). The shared vectors run in conformance.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir, repo, smtpspec } from './helpers.mjs';

const samples = join(repo, 'tests/transcript/samples');

test('transcriptFormats is the C++ catalogue', () => {
  const formats = smtpspec.transcriptFormats();
  assert.deepEqual(formats.map((f) => f.name),
    ['rfc', 'swaks', 'smtplib', 'postfix_debug', 'smtp_sink', 'tshark_ascii', 'tshark_hex', 'raw', 'aiosmtpd', 'nodemailer', 'nodemailer_server', 'haraka']);
  assert.ok(Object.isFrozen(formats));
  const postfix = formats.find((f) => f.name === 'postfix_debug');
  assert.equal(postfix.capabilities.data, 'absent');
  assert.ok(smtpspec.transcriptMessages().some((m) => m.id === 'foreign_line' && m.kind === 'error'));
});

test('readTranscript: an RFC-style transcript', () => {
  const t = smtpspec.readTranscript('S: 220 mx\nC: EHLO a\\r\\n\nC: QUIT\n');
  assert.equal(t.format, 'rfc');
  assert.equal(t.detected, true);
  assert.deepEqual(t.events.map((e) => [e.dir, e.text, e.boundary, e.exact]), [
    ['server', '220 mx\r\n', 'unknown', false],
    ['client', 'EHLO a\r\n', 'write', true],
    ['client', 'QUIT\r\n', 'same_write', false],
  ]);
  assert.deepEqual(t.errors, []);
});

test('readTranscript: octets that are not UTF-8 come with their hex', () => {
  const t = smtpspec.readTranscript(Buffer.from('#smtpspec-raw 1\nC 41ff0d0a\n'));
  assert.equal(t.events[0].text, 'A\ufffd\r\n');
  assert.equal(t.events[0].hex, '41ff0d0a');
});

test('readTranscript: format override and bad options', () => {
  const t = smtpspec.readTranscript('S: 220 x\n', { format: 'raw' });
  assert.equal(t.format, 'raw');
  assert.equal(t.detected, false);
  assert.equal(t.errors[0].id, 'foreign_line');
  assert.equal(t.errors[0].line, 1);
  assert.throws(() => smtpspec.readTranscript('x', { format: 'pcap' }), TypeError);
  assert.throws(() => smtpspec.readTranscript('x', { max_line: -1 }), TypeError);
  assert.throws(() => smtpspec.readTranscript(42), TypeError);
});

test('detectTranscriptFormat', () => {
  assert.deepEqual(smtpspec.detectTranscriptFormat('=== Trying 1.2.3.4:25...\n'), { format: 'swaks', confidence: 100 });
  assert.deepEqual(smtpspec.detectTranscriptFormat('hello\n'), { format: null, confidence: 0 });
});

test('every sample reads as in C++ (no errors, a format)', () => {
  for (const name of readdirSync(samples)) {
    const t = smtpspec.readTranscript(readFileSync(join(samples, name)));
    assert.notEqual(t.format, null, name);
    assert.deepEqual(t.errors, [], name);
    assert.ok(t.events.length > 0, name);
  }
});

test('the ESM entry exports the transcript functions', async () => {
  const esm = await import(join(packageDir, 'index.mjs'));
  assert.equal(typeof esm.readTranscript, 'function');
  assert.equal(esm.transcriptFormats, smtpspec.transcriptFormats);
});
