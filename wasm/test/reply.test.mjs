// Units for the issue-4 JavaScript surface (npm/reply.js): enhanced status codes, the reply parser
// and formatter, EHLO replies, the catalogues and explainDsn, including the bad input of issue 4
// (codes like 2500 and 25, 8-bit text, a 10 MB line, 100,000 continuation lines, missing CRLF,
// CR/LF/NUL in formatter input). Limits and defaults are read from the module, never retyped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { canonical, packageDir, smtpspec } from './helpers.mjs';

const {
  parseEnhancedStatus, enhancedStatusCatalogue, ReplyParser, parseReplies, parseEhloReply, formatReply,
  formatEhloReply, replyCatalogue, dsnCatalogue, explainDsn,
} = smtpspec;
const defaults = smtpspec._replyDefaults;
const ids = (r) => r.diagnostics.map((d) => d.id);

// A small deterministic generator (xorshift32), so that every run tests the same cases.
function rng(seed) {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x % n;
  };
}

function deepFrozen(o) {
  if (o === null || typeof o !== 'object') return true;
  return Object.isFrozen(o) && Object.values(o).every(deepFrozen);
}

// ---- enhanced status codes ---------------------------------------------------------------------

test('parseEnhancedStatus: valid codes give their parts and one canonical spelling', () => {
  for (const [text, cls, subject, detail] of [['2.0.0', 2, 0, 0], ['4.7.30', 4, 7, 30], ['5.999.999', 5, 999, 999]]) {
    const r = parseEnhancedStatus(text);
    assert.deepEqual(r, { ok: true, value: { text, class: cls, subject, detail }, diagnostics: [] });
    assert.deepEqual(parseEnhancedStatus(Buffer.from(text)), r, 'octets give the same answer');
  }
});

test('parseEnhancedStatus: every registry code parses in each class', () => {
  const { classes, codes } = enhancedStatusCatalogue();
  assert.ok(codes.length > 0 && classes.length > 0);
  for (const { class: cls } of classes) {
    for (const row of codes) {
      const r = parseEnhancedStatus(`${cls}${row.code.slice(1)}`);
      assert.equal(r.ok, true, row.code);
      assert.deepEqual([r.value.class, r.value.subject, r.value.detail], [cls, row.subject, row.detail]);
    }
  }
});

test('parseEnhancedStatus: bad codes are error values with an offset inside the input', () => {
  for (const bad of ['', '5', '5.', '5.1', '5.1.', '3.1.1', '6.0.0', '25.0.0', '2500', '25', '5.01.1', '5.1.01',
    '5.1000.1', '5.1.1000', ' 5.1.1', '5.1.1 ', '5.1.1\r\n', '5.1.1\0', '5.1.1.1', 'X.1.1', '5,1,1', '\u00e9']) {
    const r = parseEnhancedStatus(bad);
    assert.equal(r.ok, false, JSON.stringify(bad));
    assert.equal(r.error.code, 'invalid_enhanced_status');
    assert.ok(r.error.offset >= 0 && r.error.offset <= Buffer.byteLength(bad), JSON.stringify(r.error));
  }
});

test('parseEnhancedStatus: non-text input is a TypeError', () => {
  for (const x of [511, null, undefined, {}, ['5.1.1']]) assert.throws(() => parseEnhancedStatus(x), TypeError);
});

test('the catalogues are frozen C++ tables, the same object each time', () => {
  for (const f of [enhancedStatusCatalogue, replyCatalogue, dsnCatalogue]) {
    assert.ok(deepFrozen(f()));
    assert.equal(f(), f());
  }
  const { codes } = enhancedStatusCatalogue();
  assert.equal(new Set(codes.map((c) => c.code)).size, codes.length, 'one row per code');
  for (const c of codes) {
    for (const b of c.basic_list) assert.equal(String(b).length, 3, `${c.code}: ${b}`);
  }
  const { standard_replies: standard, sequences, reply_diagnostics: diags } = replyCatalogue();
  const codeSet = new Set(standard.map((r) => r.code));
  for (const s of sequences) assert.ok(codeSet.has(s.code), `§4.3.2 code ${s.code} is a standard reply`);
  // Every standard reply can be formatted (a valid Reply-code).
  for (const r of standard) assert.equal(formatReply({ code: r.code, lines: [r.text] }).ok, true, String(r.code));
  assert.equal(new Set(diags.map((d) => d.id)).size, diags.length);
});

// ---- the reply parser --------------------------------------------------------------------------

test('parseReplies: multi-line aggregation, enhanced codes, offsets that tile the stream', () => {
  const stream = '250-mx.example.com hello\r\n250-SIZE 1000\r\n250 8BITMIME\r\n550 5.1.1 No such user\r\n';
  const rs = parseReplies(stream);
  assert.equal(rs.length, 2);
  assert.deepEqual([rs[0].code, rs[0].multiline, rs[0].line_count, rs[0].enhanced], [250, true, 3, null]);
  assert.deepEqual(rs[0].lines.map((l) => l.text), ['mx.example.com hello', 'SIZE 1000', '8BITMIME']);
  assert.deepEqual(rs[1].enhanced, { text: '5.1.1', class: 5, subject: 1, detail: 1 });
  assert.equal(rs[1].lines[0].text, '5.1.1 No such user');
  assert.equal(rs[0].offset, 0);
  assert.equal(rs[1].offset, rs[0].length);
  assert.equal(rs[1].offset + rs[1].length, stream.length);
  for (const r of rs) assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(parseReplies(''), []);
});

test('parseReplies: codes like 2500 and 25, out-of-range codes and bare codes are diagnosed', () => {
  const [a, b, c, d] = parseReplies('2500 x\r\n25 x\r\n150 x\r\n250\r\n');
  assert.equal(a.code, null);
  assert.ok(ids(a).includes('reply_code_syntax'));
  assert.equal(b.code, null);
  assert.ok(ids(b).includes('reply_code_syntax'));
  assert.equal(c.code, 150);
  assert.ok(ids(c).includes('reply_code_out_of_range'));
  assert.equal(d.code, 250);
  assert.deepEqual(ids(d), ['code_without_text']);
  const [mixed] = parseReplies('250-a\r\n251 b\r\n');
  assert.ok(ids(mixed).includes('mixed_reply_codes'));
});

test('parseReplies: missing CRLF, bare LF and bare CR', () => {
  assert.deepEqual(ids(parseReplies('250 ok')[0]), ['unterminated_line']);
  assert.deepEqual(ids(parseReplies('250-ok\r\n')[0]), ['unterminated_reply']);
  const [lf] = parseReplies('250-a\n250 b\r\n');
  assert.deepEqual([lf.line_count, ids(lf)], [2, ['bare_lf']]);
  const [text] = parseReplies('250 a\nb\r\n', { lf_ends_line: false });
  assert.equal(text.line_count, 1);
  assert.ok(ids(parseReplies('250 a\rb\r\n')[0]).includes('bare_cr'));
});

test('parseReplies: 8-bit text is diagnosed and decoded as UTF-8 (U+FFFD for ill-formed octets)', () => {
  const [r] = parseReplies(Buffer.from('250 caf\u00e9\r\n'));
  assert.equal(r.lines[0].text, 'caf\u00e9');
  assert.deepEqual(ids(r), ['eight_bit_text']);
  const [bad] = parseReplies(Buffer.from([0x32, 0x35, 0x30, 0x20, 0x61, 0xff, 0x0d, 0x0a]));
  assert.equal(bad.lines[0].text, 'a\ufffd');
  assert.equal(bad.length, 8);
});

test('a 10 MB line: the first max_line - 2 octets kept, the length counted, one diagnostic', () => {
  const n = 10 * 1024 * 1024;
  const stream = Buffer.alloc(n + 6, 0x78);
  stream.write('250 ', 0, 'latin1');
  stream.write('\r\n', n + 4, 'latin1');
  const [r, ...rest] = parseReplies(stream);
  assert.deepEqual(rest, []);
  assert.equal(r.length, n + 6);
  assert.equal(r.lines[0].text.length, defaults.parse.max_line - 2 - 4);
  assert.deepEqual(ids(r), ['line_too_long']);
  // The same through the incremental parser in 64 KiB chunks.
  const p = new ReplyParser();
  const got = [];
  for (let i = 0; i < stream.length; i += 65536) got.push(...p.feed(stream.subarray(i, i + 65536)));
  got.push(...p.finish());
  p.close();
  assert.deepEqual(got, [r]);
  // The package's other parsers still see their input after the memory grew for this one.
  assert.equal(smtpspec.parseCommand('NOOP\r\n').ok, true);
  assert.equal(smtpspec.parseMailbox('a@example.com').ok, true);
});

test('100,000 continuation lines: one reply, every line counted, max_lines kept', () => {
  const lines = 100000;
  const stream = '250-x\r\n'.repeat(lines) + '250 end\r\n';
  const [r, ...rest] = parseReplies(stream);
  assert.deepEqual(rest, []);
  assert.equal(r.line_count, lines + 1);
  assert.equal(r.lines.length, defaults.parse.max_lines);
  assert.deepEqual(ids(r), ['too_many_lines']);
  assert.equal(r.length, stream.length);
  const [small] = parseReplies(stream, { maxLines: 3 });
  assert.deepEqual([small.line_count, small.lines.length], [lines + 1, 3]);
  // A diagnostic per bad line stops at max_diagnostics (then one too_many_diagnostics).
  const [noisy] = parseReplies('250-x\n'.repeat(lines) + '250 end\r\n');
  assert.equal(noisy.diagnostics.length, defaults.parse.max_diagnostics + 1);
  assert.equal(noisy.diagnostics.at(-1).id, 'too_many_diagnostics');
});

test('ReplyParser: any split of a stream gives the same replies', () => {
  const stream = Buffer.concat([
    Buffer.from('220 mx.example.com ESMTP\r\n250-mx hi\r\n250-SIZE 10\n250 8BITMIME\r\n'),
    Buffer.from('451-4.3.0 a\r\n451 4.3.0 b\r\n2500 x\r\n25\r\n250 a\rb\r\n250 caf\u00e9 \u2603\r\n'),
    Buffer.from([0x32, 0x35, 0x30, 0x20, 0xf0, 0x9f, 0x98, 0x0d, 0x0a]),
    Buffer.from(`250 ${'y'.repeat(700)}\r\n550-5.1.1 a\r\n550 5.1.2 b\r\n354 go\r\n250 tail`),
  ]);
  const whole = parseReplies(stream);
  assert.ok(whole.length >= 10);
  const p = new ReplyParser();
  const run = (chunks) => {
    p.reset();
    const out = [];
    for (const c of chunks) out.push(...p.feed(c));
    assert.equal(p.consumed, stream.length);
    out.push(...p.finish());
    return out;
  };
  for (let k = 0; k <= stream.length; k++) assert.deepEqual(run([stream.subarray(0, k), stream.subarray(k)]), whole, `split ${k}`);
  assert.deepEqual(run([...stream].map((b) => Uint8Array.of(b))), whole, 'octet by octet');
  const next = rng(4);
  for (let trial = 0; trial < 200; trial++) {
    const chunks = [];
    for (let i = 0; i < stream.length;) {
      const n = 1 + next(40);
      chunks.push(stream.subarray(i, i + n));
      i += n;
    }
    assert.deepEqual(run(chunks), whole, `trial ${trial}`);
  }
  p.close();
});

test('ReplyParser: feed returns completed replies only; finish, finished, reset, close', () => {
  const p = new ReplyParser();
  assert.deepEqual(p.feed('250-a\r\n'), []);
  assert.deepEqual(p.feed('250 b\r'), []);
  const [r] = p.feed('\n');
  assert.deepEqual(r.lines.map((l) => l.text), ['a', 'b']);
  assert.equal(p.consumed, 14);
  assert.equal(p.finished, false);
  assert.deepEqual(p.feed(new TextEncoder().encode('354 go\r\n').buffer).map((x) => x.code), [354]);
  assert.deepEqual(p.feed('250 partial'), []);
  assert.deepEqual(ids(p.finish()[0]), ['unterminated_line']);
  assert.equal(p.finished, true);
  assert.deepEqual(p.feed('250 ignored\r\n'), [], 'fed after finish');
  p.reset();
  assert.equal(p.finished, false);
  assert.equal(p.consumed, 0);
  assert.equal(p.feed('250 ok\r\n')[0].offset, 0, 'offsets start again after reset');
  p.close();
  p.close();
  assert.throws(() => p.feed('250 x\r\n'), /closed/);
  assert.throws(() => p.finish(), /closed/);
});

test('reply parse options: both spellings, validation', () => {
  const stream = '250 abcdefghijklmnop\r\n';
  assert.deepEqual(parseReplies(stream, { max_line: 12 }), parseReplies(stream, { maxLine: 12 }));
  assert.equal(parseReplies(stream, { maxLine: 12 })[0].lines[0].text, 'abcdef');
  assert.throws(() => parseReplies(stream, { maxline: 12 }), TypeError);
  assert.throws(() => parseReplies(stream, { max_line: -1 }), RangeError);
  assert.throws(() => parseReplies(stream, { max_line: 1.5 }), RangeError);
  assert.throws(() => parseReplies(stream, { max_lines: 2 ** 32 }), RangeError);
  assert.throws(() => parseReplies(stream, { lf_ends_line: 'no' }), TypeError);
  assert.throws(() => parseReplies(stream, 'strict'), TypeError);
  assert.throws(() => new ReplyParser({ max_diagnostics: NaN }), RangeError);
  assert.throws(() => parseReplies(42), TypeError);
  assert.deepEqual(parseReplies(stream, { max_line: undefined }), parseReplies(stream));
});

// ---- EHLO replies ------------------------------------------------------------------------------

test('parseEhloReply: domain, greeting, keywords with parameters, from text or a reply object', () => {
  const text = '250-mx.example.com Hello [192.0.2.1]\r\n250-SIZE 35882577\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n';
  const r = parseEhloReply(text);
  assert.deepEqual(r, {
    ok: true,
    value: {
      domain: 'mx.example.com',
      greeting: 'Hello [192.0.2.1]',
      keywords: [
        { keyword: 'SIZE', params: ['35882577'], extension: 'SIZE', value: { size: 35882577 } },
        { keyword: 'AUTH', params: ['PLAIN', 'LOGIN'], extension: 'AUTH', value: { mechanisms: ['PLAIN', 'LOGIN'] } },
        { keyword: '8BITMIME', params: [], extension: '8BITMIME', value: null },
      ],
      extensions: ['8BITMIME', 'SIZE', 'AUTH'],
      diagnostics: [],
    },
    diagnostics: [],
  });
  assert.deepEqual(parseEhloReply(parseReplies(text)[0]), r);
  assert.deepEqual(parseEhloReply(Buffer.from(text)), r);
  assert.equal(parseEhloReply('250 mx.example.com\r\n').value.greeting, null);
});

test('parseEhloReply: non-250 replies are errors; lines off the ABNF are diagnosed at their offset', () => {
  for (const t of ['550 no\r\n', '', 'garbage\r\n']) assert.equal(parseEhloReply(t).error.code, 'invalid_ehlo_reply');
  const stream = '421 busy\r\n250-mx hi\r\n250-AUTH=LOGIN PLAIN\r\n250 SIZE\r\n';
  const rs = parseReplies(stream);
  assert.equal(parseEhloReply(rs[0]).error.offset, 0);
  const r = parseEhloReply(rs[1]);
  assert.equal(r.ok, true);
  assert.deepEqual(r.value.diagnostics.map((d) => [d.id, d.offset]), [['ehlo_keyword_syntax', rs[1].lines[1].offset]]);
  assert.ok(parseEhloReply('250 -bad- hi\r\n').value.diagnostics.some((d) => d.id === 'ehlo_domain_syntax'));
  assert.throws(() => parseEhloReply({ code: 250, lines: 'x' }), TypeError);
  assert.throws(() => parseEhloReply({ code: '250', lines: [] }), TypeError);
});

// ---- the formatter -----------------------------------------------------------------------------

test('formatReply: continuation lines, the enhanced code on every line, a bare code', () => {
  const r = formatReply({ code: 551, enhanced: '5.7.1', lines: ['Forwarding disabled', 'Select another host'] });
  assert.deepEqual(r.value, {
    text: '551-5.7.1 Forwarding disabled\r\n551 5.7.1 Select another host\r\n',
    lines: ['551-5.7.1 Forwarding disabled', '551 5.7.1 Select another host'],
  });
  const status = parseEnhancedStatus('5.7.1').value;
  assert.deepEqual(formatReply({ code: 551, enhanced: status, lines: ['Forwarding disabled', 'Select another host'] }), r);
  assert.equal(formatReply({ code: 550, enhanced: '5.1.1', lines: 'x', options: { enhancedCodes: false } }).value.text,
    '550 x\r\n');
  assert.equal(formatReply({ code: 250 }).value.text, '250\r\n');
  assert.equal(formatReply({ code: 250, lines: [Buffer.from('ok')] }).value.text, '250 ok\r\n');
});

test('formatReply: invalid codes (2500, 25, 199, 260, non-integers) and class mismatches are error values', () => {
  for (const code of [2500, 25, 199, 260, 600, 0, -250, 250.5, NaN, Infinity, 2 ** 40]) {
    const r = formatReply({ code, lines: ['x'] });
    assert.equal(r.ok, false, String(code));
    assert.equal(r.error.code, 'invalid_reply_code');
  }
  assert.throws(() => formatReply({ code: '250' }), TypeError);
  assert.throws(() => formatReply(null), TypeError);
  assert.equal(formatReply({ code: 250, enhanced: '5.0.0' }).error.code, 'status_class_mismatch');
  assert.equal(formatReply({ code: 354, enhanced: '2.0.0' }).error.code, 'status_class_mismatch');
  assert.deepEqual(formatReply({ code: 250, enhanced: '2.01.0' }).error, parseEnhancedStatus('2.01.0').error);
  assert.throws(() => formatReply({ code: 250, enhanced: 2 }), TypeError);
  assert.equal(formatReply({ code: 250, lines: ['x'], options: { max_line: 6 } }).error.code, 'reply_line_too_long');
  assert.throws(() => formatReply({ code: 250, options: { policy: 'strip' } }), TypeError);
});

test('formatReply: long text is wrapped so that no line exceeds max_line with its CRLF', () => {
  const words = Array.from({ length: 400 }, (_, i) => `word${i}`);
  for (const max of [defaults.format.max_line, 80, 20]) {
    const r = formatReply({ code: 550, enhanced: '5.7.1', lines: [words.join(' ')], options: { max_line: max } });
    assert.equal(r.ok, true);
    const { lines } = r.value;
    assert.ok(lines.length > 1);
    for (const [i, l] of lines.entries()) {
      assert.ok(Buffer.byteLength(l) + 2 <= max, `${l.length} + 2 > ${max}`);
      assert.ok(l.startsWith(i + 1 < lines.length ? '550-5.7.1 ' : '550 5.7.1 '));
    }
    assert.equal(lines.map((l) => l.slice(10)).join(' '), words.join(' '), 'only the wrapping spaces are dropped');
  }
  // A run without spaces is cut, also a 10 MB one.
  const huge = formatReply({ code: 250, lines: ['z'.repeat(10 * 1024 * 1024)] });
  assert.equal(huge.ok, true);
  assert.ok(huge.value.lines.every((l) => l.length + 2 <= defaults.format.max_line));
  assert.equal(huge.value.lines.reduce((n, l) => n + l.length - 4, 0), 10 * 1024 * 1024);
});

test('formatReply: CR, LF, NUL and other controls are refused by default, at their offset', () => {
  for (const [lines, offset] of [[['a\r\nb'], 1], [['ok', 'x\ny'], 4], [['\0'], 0], [['bell\x07'], 4], [['del\x7f'], 3]]) {
    const r = formatReply({ code: 250, lines });
    assert.equal(r.ok, false, JSON.stringify(lines));
    assert.deepEqual([r.error.code, r.error.offset], ['forbidden_reply_octet', offset]);
  }
  assert.equal(formatReply({ code: 250, lines: ['tab\there'] }).ok, true, 'HT is textstring');
  assert.equal(formatReply({ code: 250, lines: ['caf\u00e9'] }).error.code, 'forbidden_reply_octet');
  assert.equal(formatReply({ code: 250, lines: ['caf\u00e9'], options: { utf8: true } }).value.text, '250 caf\u00e9\r\n');
});

test('formatReply: neutralised input never puts CR, LF or NUL on the wire (random input)', () => {
  const next = rng(7);
  const alphabet = ['a', 'b', ' ', '\r', '\n', '\0', '\t', '\x1b', '\x7f', '\u00e9', '-', '250 '];
  for (let trial = 0; trial < 500; trial++) {
    const lines = Array.from({ length: 1 + next(4) }, () =>
      Array.from({ length: next(300) }, () => alphabet[next(alphabet.length)]).join(''));
    const utf8 = next(2) === 1;
    const r = formatReply({ code: 451, enhanced: '4.3.0', lines, options: { policy: 'neutralise', utf8, max_line: 40 + next(500) } });
    assert.equal(r.ok, true);
    const { text, lines: out } = r.value;
    assert.equal(text, `${out.join('\r\n')}\r\n`, 'CR and LF only as line ends');
    for (const l of out) {
      assert.doesNotMatch(l, /[\r\n\0\x01-\x08\x0b-\x1f\x7f]/, JSON.stringify(l));
      if (!utf8) assert.doesNotMatch(l, /[^\x00-\x7f]/);
    }
    const refused = formatReply({ code: 451, lines });
    if (refused.ok) assert.doesNotMatch(refused.value.text.slice(0, -2).replace(/\r\n/g, ''), /[\r\n\0]/);
  }
});

test('formatEhloReply: the EHLO reply builder', () => {
  const r = formatEhloReply({
    domain: 'mx.example.com', greeting: 'Hello', keywords: ['PIPELINING', 'SIZE 35882577', { keyword: 'AUTH', params: ['PLAIN', 'LOGIN'] }],
  });
  assert.deepEqual(r.value.lines, ['250-mx.example.com Hello', '250-PIPELINING', '250-SIZE 35882577', '250 AUTH PLAIN LOGIN']);
  assert.deepEqual(parseEhloReply(r.value.text).value.keywords.map((k) => k.keyword), ['PIPELINING', 'SIZE', 'AUTH']);
  assert.equal(formatEhloReply({ domain: '[192.0.2.1]' }).value.text, '250 [192.0.2.1]\r\n');
  assert.equal(formatEhloReply({ domain: 'bad domain' }).ok, false);
  assert.deepEqual([formatEhloReply({ domain: 'mx.example', keywords: ['OK', 'BAD_KW'] }).error.code,
    formatEhloReply({ domain: 'mx.example', keywords: ['OK', 'BAD_KW'] }).error.offset], ['invalid_ehlo_keyword', 1]);
  assert.equal(formatEhloReply({ domain: 'mx.example', keywords: [{ keyword: 'SIZE', params: ['a b'] }] }).error.code,
    'invalid_ehlo_param');
  assert.equal(formatEhloReply({ domain: 'mx.example', greeting: 'hi\r\n250 evil' }).error.code, 'forbidden_reply_octet');
  assert.equal(formatEhloReply({ domain: 'mx.example', greeting: 'hi\r\nevil', options: { policy: 'neutralise' } }).value.text,
    '250 mx.example hi  evil\r\n');
  assert.throws(() => formatEhloReply({ domain: 'mx.example', keywords: 'SIZE' }), TypeError);
  assert.throws(() => formatEhloReply({ domain: 'mx.example', keywords: [7] }), TypeError);
});

// ---- explainDsn --------------------------------------------------------------------------------

test('explainDsn: an enhanced code, a registry key, a haraka-dsn name, a reply code, nonsense', () => {
  const code = explainDsn('5.1.1');
  assert.deepEqual([code.kind, code.found, code.status.text, code.registry.code], ['enhanced_status', true, '5.1.1', 'X.1.1']);
  assert.ok(code.dsn_functions.includes('no_such_user'));
  assert.match(code.default_reply, /^5\d\d 5\.1\.1 /);
  const key = explainDsn('X.7.1');
  assert.deepEqual([key.kind, key.status, key.registry.code], ['enhanced_status', null, 'X.7.1']);
  const fn = explainDsn('no_such_user');
  assert.equal(fn.kind, 'dsn_function');
  assert.equal(fn.dsn.reply, '5.1.1 No such user');
  assert.equal(fn.function.name, 'no_such_user');
  const reply = explainDsn(550);
  assert.deepEqual(reply, explainDsn('550'));
  assert.equal(reply.kind, 'reply_code');
  assert.ok(reply.sequences.some((s) => s.stage === 'rcpt'));
  for (const q of ['', 'zzz', '5.1.1.1', '\r\n']) assert.deepEqual([explainDsn(q).kind, explainDsn(q).found], [null, false]);
  assert.equal(explainDsn('5.9.9').found, false);
  assert.throws(() => explainDsn({}), TypeError);
  // Every helper of the catalogue explains itself.
  for (const f of dsnCatalogue().functions) assert.equal(explainDsn(f.name).function.name, f.name);
});

// ---- the package surface -----------------------------------------------------------------------

test('every public function equals the C++ canonical JSON it is built from', () => {
  const j = smtpspec._replyJson;
  const pairs = [
    [parseEnhancedStatus('5.1.1'), j.parseEnhancedStatus('5.1.1')],
    [parseReplies('250-a\r\n250 b\x7f\r\n'), j.parseReplies('250-a\r\n250 b\x7f\r\n')],
    [parseEhloReply('250 mx\r\n'), j.parseEhloReply('250 mx\r\n')],
    [formatReply({ code: 250, lines: ['a'] }), j.formatReply({ code: 250, lines: ['a'] })],
    [formatEhloReply({ domain: 'mx' }), j.formatEhloReply({ domain: 'mx' })],
    [explainDsn('5.7.1'), j.explainDsn('5.7.1')],
  ];
  for (const [value, json] of pairs) assert.equal(canonical(value), json);
});

test('ESM: the index.mjs names are the CommonJS functions', async () => {
  const esm = await import(pathToFileURL(join(packageDir, 'index.mjs')).href);
  for (const name of ['parseEnhancedStatus', 'enhancedStatusCatalogue', 'ReplyParser', 'parseReplies', 'parseEhloReply',
    'formatReply', 'formatEhloReply', 'replyCatalogue', 'dsnCatalogue', 'explainDsn']) {
    assert.equal(typeof smtpspec[name], 'function', name);
    assert.equal(esm[name], smtpspec[name], name);
  }
});
