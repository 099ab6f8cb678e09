// smtpspec.lint / lintRules (issue 7): the C++ linter through the npm package — each output format,
// select and ignore, bad input, and the transcript corpus (conformance/transcripts/) against its
// reviewed .findings.json (the CLI's output), so JS and the CLI agree on every corpus file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repo, smtpspec } from './helpers.mjs';

const cases = join(repo, 'tests/lint/cases');
const corpus = join(repo, 'conformance/transcripts');
const escBad = readFileSync(join(cases, 'ESC-MISSING.bad.txt'), 'utf8');
const escGood = readFileSync(join(cases, 'ESC-MISSING.good.txt'), 'utf8');

function corpusFiles() {
  const out = [];
  for (const sub of ['rfc', 'real']) {
    for (const name of readdirSync(join(corpus, sub)).sort()) {
      if (name !== 'README.md' && !name.endsWith('.findings.json')) out.push(join(sub, name));
    }
  }
  return out;
}

test('lint: json is the canonical report as an object', () => {
  const r = smtpspec.lint(escBad);
  assert.deepEqual(Object.keys(r), ['format', 'capabilities', 'connections', 'counts', 'rules', 'undecidable_rules', 'findings']);
  assert.equal(r.format, 'rfc');
  const esc = r.findings.filter((f) => f.rule === 'ESC-MISSING');
  assert.equal(esc.length, 1);
  assert.deepEqual([esc[0].line, esc[0].severity, esc[0].side, esc[0].rfc, esc[0].section, esc[0].octets],
    [16, 'error', 'server', 'RFC 2034', '§4', '250 ok\\r\\n']);
  assert.equal(r.rules['ESC-MISSING'], 1);
  assert.deepEqual(smtpspec.lint(escBad, { format: 'json' }), r);
  assert.deepEqual(JSON.parse(smtpspec._lintJson(escBad)), r);
  assert.deepEqual(smtpspec.lint(Buffer.from(escBad)), r);
  assert.deepEqual(smtpspec.lint(new TextEncoder().encode(escBad).buffer), r);
  assert.deepEqual(smtpspec.lint(escGood, { select: ['ESC-MISSING'] }).findings, []);
});

test('lint: text output', () => {
  const out = smtpspec.lint(escBad, { format: 'text', file: 'session.txt', select: ['ESC-MISSING'] });
  assert.ok(out.startsWith('session.txt:16: error: ESC-MISSING [server] '), out);
  assert.ok(out.includes('RFC 2034 §4: "These codes must appear'));
  assert.ok(out.endsWith('session.txt: 1 error(s), 0 warning(s), 0 info, 0 cannot decide\n'), out);
});

test('lint: junit output', () => {
  const out = smtpspec.lint(escBad, { format: 'junit', select: 'ESC-MISSING', file: 's.txt' });
  assert.ok(out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="smtpspec lint" tests="1" failures="1">'), out);
  assert.match(out, /<testsuite name="s\.txt" tests="1" failures="1"/);
  assert.match(out, /<testcase classname="s\.txt" name="ESC-MISSING">\s*<failure type="error"/);
});

test('lint: sarif output', () => {
  const doc = JSON.parse(smtpspec.lint(escBad, { format: 'sarif', file: 's.txt' }));
  assert.equal(doc.version, '2.1.0');
  const esc = doc.runs[0].results.filter((r) => r.ruleId === 'ESC-MISSING');
  assert.equal(esc.length, 1);
  assert.equal(esc[0].level, 'error');
});

test('lint: select (prefixes, case, comma list) and ignore', () => {
  const all = smtpspec.lint(escBad);
  const esc = smtpspec.lint(escBad, { select: ['esc-*'] });
  assert.deepEqual([...new Set(esc.findings.map((f) => f.rule))], ['ESC-MISSING']);
  assert.deepEqual(smtpspec.lint(escBad, { select: 'ESC-*,LINE-*' }), smtpspec.lint(escBad, { select: ['ESC-*', 'LINE-*'] }));
  const ignored = smtpspec.lint(escBad, { ignore: ['ESC-MISSING'] });
  assert.equal(ignored.rules['ESC-MISSING'], undefined);
  assert.equal(ignored.counts.error, all.counts.error - 1);
  assert.deepEqual(smtpspec.lint(escBad, { select: ['ESC-*'], ignore: ['ESC-*'] }).findings, []);
});

test('lint: showUndecidable, lmtp, transcriptFormat', () => {
  const missing = readFileSync(join(cases, 'REPLY-MISSING.bad.txt'), 'utf8');
  const counted = smtpspec.lint(missing, { select: ['REPLY-MISSING'] });
  assert.equal(counted.counts.undecidable, 1);
  assert.deepEqual(counted.findings, []);
  const shown = smtpspec.lint(missing, { select: ['REPLY-MISSING'], showUndecidable: true });
  assert.deepEqual(shown.findings.map((f) => f.kind), ['undecidable']);
  assert.deepEqual(smtpspec.lint(missing, { select: ['REPLY-MISSING'], show_undecidable: true }), shown);
  const lmtp = 'S: 220 mx LMTP\r\nC: LHLO a\r\nS: 250 mx\r\nC: MAIL FROM:<a@b>\r\nS: 250 ok\r\n' +
    'C: RCPT TO:<c@d>\r\nS: 250 ok\r\nC: RCPT TO:<e@f>\r\nS: 250 ok\r\nC: DATA\r\nS: 354 go\r\n' +
    'C: hi\r\nC: .\r\nS: 250 ok\r\nS: 250 ok\r\nC: QUIT\r\nS: 221 bye\r\n';
  assert.deepEqual(smtpspec.lint(lmtp, { select: ['REPLY-AFTER-DATA-ONE'] }).rules, { 'REPLY-AFTER-DATA-ONE': 1 });
  assert.deepEqual(smtpspec.lint(lmtp, { select: ['REPLY-AFTER-DATA-ONE'], lmtp: true }).rules, {});
  assert.equal(smtpspec.lint('S: 220 mx\nC: QUIT\nS: 221 bye\n', { transcriptFormat: 'rfc' }).format, 'rfc');
});

test('lint: bad arguments throw TypeError', () => {
  assert.throws(() => smtpspec.lint(escBad, { format: 'html' }), TypeError);
  assert.throws(() => smtpspec.lint(escBad, { select: ['NO-SUCH-RULE'] }), TypeError);
  assert.throws(() => smtpspec.lint(escBad, { ignore: 'NOPE' }), TypeError);
  assert.throws(() => smtpspec.lint(escBad, { select: [1] }), TypeError);
  assert.throws(() => smtpspec.lint(escBad, { transcriptFormat: 'no-such-format' }), TypeError);
  assert.throws(() => smtpspec.lint(escBad, { lmtp: 'yes' }), TypeError);
  assert.throws(() => smtpspec.lint(escBad, { colour: true }), TypeError);
  assert.throws(() => smtpspec.lint(12345), TypeError);
});

test('lint: bad input gives a report, not a crash', () => {
  for (const data of ['', '\x00\xff garbage\n'.repeat(3), 'S: 2', 'C:\n'.repeat(1000),
    Buffer.from([0xff, 0xfe, 13, 13, 10, 10]), `S: 250-${'x'.repeat(100000)}\r\n`]) {
    const r = smtpspec.lint(data);
    assert.deepEqual(Object.keys(r.counts), ['error', 'warning', 'info', 'undecidable', 'dropped']);
    assert.equal(typeof smtpspec.lint(data, { format: 'text' }), 'string');
  }
});

test('lintRules: the catalogue, frozen', () => {
  const rules = smtpspec.lintRules();
  const ids = rules.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  const esc = rules[ids.indexOf('ESC-MISSING')];
  assert.deepEqual(Object.keys(esc).sort(), ['id', 'implemented', 'quote', 'rfc', 'section', 'severity', 'side', 'summary', 'url']);
  assert.deepEqual([esc.rfc, esc.severity, esc.side, esc.implemented], ['RFC 2034', 'error', 'server', true]);
  assert.ok(esc.url.startsWith('https://www.rfc-editor.org/rfc/rfc2034'));
  assert.ok(Object.isFrozen(rules) && Object.isFrozen(esc));
});

test('lint corpus: every transcript gives its .findings.json', () => {
  const files = corpusFiles();
  assert.ok(files.length > 100, `${files.length} corpus files`);
  const bad = [];
  for (const f of files) {
    const expected = readFileSync(join(corpus, `${f}.findings.json`), 'utf8');
    if (`${smtpspec._lintJson(readFileSync(join(corpus, f)))}\n` !== expected) bad.push(f);
  }
  assert.deepEqual(bad, []);
});

// ---- the streaming Linter ----------------------------------------------------------------------------

function streamed(data, step, options) {
  const lt = new smtpspec.Linter(options);
  try {
    for (let i = 0; i < data.length; i += step) lt.feed(data.subarray(i, i + step));
    return lt._finishText();
  } finally {
    lt.close();
  }
}

test('Linter: 7-octet chunks of every corpus file give lint()\'s output, byte for byte', () => {
  for (const f of corpusFiles()) {
    const data = readFileSync(join(corpus, f));
    assert.equal(streamed(data, 7), smtpspec._lintJson(data), f);
  }
  const maillog = readFileSync(join(corpus, 'real/postfix-server-maillog.txt'));
  for (const format of ['text', 'junit', 'sarif']) {
    assert.equal(streamed(maillog, 7, { format, file: 'm.log' }), smtpspec.lint(maillog, { format, file: 'm.log' }), format);
  }
});

test('Linter: 1-octet chunks, string chunks, and options', () => {
  const data = readFileSync(join(cases, 'ESC-MISSING.bad.txt'));
  assert.equal(streamed(data, 1), smtpspec._lintJson(data));
  const opts = { select: 'ESC-*', showUndecidable: true };
  assert.equal(streamed(data, 1, opts), smtpspec._lintJson(data, opts));
  const lt = new smtpspec.Linter({ select: ['ESC-MISSING'] });
  for (const part of escBad.match(/[^]{1,5}/g)) lt.feed(part);
  const r = lt.finish();
  assert.deepEqual(r, smtpspec.lint(escBad, { select: ['ESC-MISSING'] }));
  assert.equal(r.rules['ESC-MISSING'], 1);
  assert.throws(() => lt.feed('x'), /after finish/);
  lt.close();
  lt.close();  // twice is harmless
  assert.throws(() => lt.finish(), /after close/);
  assert.throws(() => new smtpspec.Linter({ select: ['NOPE'] }), TypeError);
  assert.throws(() => new smtpspec.Linter({ bogus: 1 }), TypeError);
  const l2 = new smtpspec.Linter();
  assert.throws(() => l2.feed(42), TypeError);
  l2.close();
});

test('Linter: an interleaved Postfix maillog is linted one connection per smtpd process', () => {
  const data = readFileSync(join(cases, 'SEQ-GREETING-FIRST.good.postfix-interleaved.txt'));
  const whole = smtpspec.lint(data);
  assert.equal(whole.connections, 2);
  assert.deepEqual(whole.counts, { error: 0, warning: 0, info: 0, undecidable: 0, dropped: 0 });
  assert.equal(streamed(data, 7), smtpspec._lintJson(data));
  // The same lines as one process: the second conversation's lines land in the first.
  const merged = smtpspec.lint(data.toString('latin1').replaceAll('smtpd[4102]', 'smtpd[4101]'));
  assert.ok(merged.counts.error > 0, JSON.stringify(merged.counts));
});

test('Linter: bad input (binary junk, truncated mid-DATA) gives findings, never a crash', () => {
  const junk = Buffer.alloc(5000);
  for (let i = 0; i < junk.length; ++i) junk[i] = (i * 7919 + 13) & 0xff;
  const truncated = Buffer.from('S: 220 mx\r\nC: EHLO a\r\nS: 250 mx\r\nC: MAIL FROM:<a@b>\r\nS: 250 ok\r\n'
    + 'C: RCPT TO:<c@d>\r\nS: 250 ok\r\nC: DATA\r\nS: 354 go\r\nC: Subject: half');
  for (const data of [junk, truncated, Buffer.from('\x00\xff\r\r\n\n'), Buffer.alloc(0)]) {
    for (const step of [1, 7, 4096]) {
      const out = streamed(data, step);
      assert.equal(out, smtpspec._lintJson(data));
      assert.deepEqual(Object.keys(JSON.parse(out).counts), ['error', 'warning', 'info', 'undecidable', 'dropped']);
    }
  }
});

test('Linter: a large input fed in chunks stays bounded (nothing accumulates in the binding)', () => {
  const session = readFileSync(join(cases, 'ESC-MISSING.good.txt'), 'utf8');
  const chunk = Buffer.from(session.repeat(200));  // ~100 KB per feed, each a whole session
  const lt = new smtpspec.Linter({ select: ['ESC-*'] });
  const before = process.memoryUsage().arrayBuffers + process.memoryUsage().heapUsed;
  for (let i = 0; i < 200; ++i) lt.feed(chunk);  // ~20 MB in all
  const r = lt.finish();
  lt.close();
  assert.equal(r.format, 'rfc');
  const grown = process.memoryUsage().arrayBuffers + process.memoryUsage().heapUsed - before;
  assert.ok(grown < 16 * 1024 * 1024, `grew ${grown} octets`);
});
