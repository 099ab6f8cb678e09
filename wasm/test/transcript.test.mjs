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

// ---- the streaming TranscriptReader ------------------------------------------------------------------

// Every answer of a TranscriptReader fed `step`-octet chunks, merged as readTranscript() answers.
function streamedTranscript(data, step, options) {
  const r = new smtpspec.TranscriptReader(options);
  const all = { events: [], notes: [], errors: [] };
  const take = (part) => {
    for (const k of ['events', 'notes', 'errors']) all[k].push(...part[k]);
    return part;
  };
  try {
    for (let i = 0; i < data.length; i += step) take(r.feed(data.subarray(i, i + step)));
    const last = take(r.finish());
    return { ...last, events: all.events, notes: all.notes, errors: all.errors };
  } finally {
    r.close();
  }
}

test('TranscriptReader: 7- and 1-octet chunks give readTranscript()\'s events, notes and errors', () => {
  for (const name of readdirSync(samples).sort()) {
    const data = readFileSync(join(samples, name));
    const whole = smtpspec.readTranscript(data);
    assert.deepEqual(streamedTranscript(data, 7), whole, name);
    if (data.length < 4000) assert.deepEqual(streamedTranscript(data, 1), whole, name);
  }
});

test('TranscriptReader: each feed() returns what was read since the last one', () => {
  const r = new smtpspec.TranscriptReader({ format: 'rfc' });
  // The first 64 KiB are buffered (the reader looks ahead in them), then lines flow as they come.
  const a = r.feed('S: 220 mx\nC: QU');
  assert.deepEqual([a.format, a.events, a.octets], ['rfc', [], 15]);
  const b = r.feed(`IT\n${'S: 250 ok\n'.repeat(7000)}C: NO`);
  assert.deepEqual(b.events.slice(0, 3).map((e) => e.text), ['220 mx\r\n', 'QUIT\r\n', '250 ok\r\n']);
  assert.equal(b.events.length, 7002);
  assert.deepEqual(r.feed('OP').events, []);
  const c = r.feed('\n');
  assert.deepEqual(c.events.map((e) => e.text), ['NOOP\r\n']);
  const d = r.finish();
  assert.deepEqual([d.events, d.lines, d.octets], [[], 7003, 70026]);
  const detecting = new smtpspec.TranscriptReader();
  assert.equal(detecting.feed('S: 220 mx\n').format, null);  // not detected yet
  assert.equal(detecting.finish().format, 'rfc');
  detecting.close();
  assert.throws(() => r.feed('x'), /after finish/);
  r.close();
  assert.throws(() => r.finish(), /after close/);
  assert.throws(() => new smtpspec.TranscriptReader({ format: 'pcap' }), TypeError);
  assert.throws(() => new smtpspec.TranscriptReader({ max_held: -1 }), TypeError);
});

test('TranscriptReader: an interleaved Postfix maillog, one connection per process', () => {
  const data = readFileSync(join(repo, 'tests/lint/cases/SEQ-GREETING-FIRST.good.postfix-interleaved.txt'));
  const whole = smtpspec.readTranscript(data);
  assert.equal(whole.events.filter((e) => e.dir === 'connect').length, 2);
  assert.equal(whole.notes[0].id, 'interleaved_processes');
  assert.deepEqual(streamedTranscript(data, 7), whole);
  // A tiny max_held: the held-back process's conversation is dropped with an error naming the line.
  const small = smtpspec.readTranscript(data, { max_held: 200 });
  assert.equal(small.errors[0].id, 'held_lines_overflow');
  assert.equal(small.events.filter((e) => e.dir === 'connect').length, 1);
  assert.deepEqual(streamedTranscript(data, 7, { max_held: 200 }), small);
});

test('TranscriptReader: bad input gives reader errors, never a crash', () => {
  const junk = Buffer.alloc(3000);
  for (let i = 0; i < junk.length; ++i) junk[i] = (i * 7919 + 13) & 0xff;
  const cases = [[junk, undefined], [junk, { format: 'raw' }], [Buffer.from('C: DATA\nS: 354\nC: half'), undefined],
    [Buffer.from(`C: ${'A'.repeat(5000)}\n`), { max_line: 100, format: 'rfc' }]];
  for (const [data, options] of cases) {
    const whole = smtpspec.readTranscript(data, options);
    assert.deepEqual(streamedTranscript(data, 7, options), whole);
  }
  assert.ok(smtpspec.readTranscript(junk).errors.length > 0);
});
