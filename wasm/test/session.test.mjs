// smtpspec/server, low level: ServerSession, DataReader, parseProxyHeader and the tables, as the
// npm package exposes them (issue 6). The session is the C++ one; these tests check that the JS
// surface carries it faithfully: config by name, events whose JSON is the C++ text, octets as
// Uint8Array, answers now or later, notes, and bad arguments refused with a TypeError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { require } from './helpers.mjs';

const server = require('./server.js');
const { ServerSession, DataReader, parseProxyHeader } = server;
const text = (u8) => Buffer.from(u8).toString('latin1');

// Runs a session as a host would: every hook event answered at once from `answers` (a verdict or
// a function of the event), the events and the output collected.
function drive(s, answers = {}) {
  const events = [];
  let output = '';
  const take = (evs) => {
    for (const ev of evs) {
      events.push(ev);
      if (ev.kind === 'hook' && ev.needs_answer) {
        const a = answers[ev.hook];
        take(s.answer(ev.handle, typeof a === 'function' ? a(ev) : a));
      }
    }
    output += text(s.takeOutput());
  };
  return {
    events,
    get output() { return output; },
    start() { take(s.start()); return this; },
    feed(bytes) { take(s.feed(bytes)); return this; },
    eof() { take(s.eof()); return this; },
    hooks() { return events.filter((e) => e.kind === 'hook').map((e) => e.hook); },
  };
}
const replyCodes = (out) => out.split('\r\n').filter((l) => /^\d{3} /.test(l)).map((l) => Number(l.slice(0, 3)));

test('tables come from C++: hooks in Haraka order, verdicts, states', () => {
  assert.deepEqual(server.HOOKS.slice(0, 6), ['connect', 'helo', 'ehlo', 'capabilities', 'mail', 'rcpt']);
  assert.ok(server.HOOKS.includes('unrecognized_command') && server.HOOKS.includes('xforward'));
  assert.deepEqual(server.VERDICTS, ['CONT', 'OK', 'DENY', 'DENYSOFT', 'DENYDISCONNECT', 'DISCONNECT']);
  assert.ok(server.STATES.includes('command') && server.STATES.includes('closed'));
  assert.ok(!server.NEEDS_ANSWER.includes('rcpt_ok') && server.NEEDS_ANSWER.includes('rcpt'));
  assert.equal(server.DEFAULT_CONFIG.limits.message_size, 10485760);
  assert.deepEqual(server.DEFAULT_CONFIG.hooks, ['rcpt', 'queue']);
  const cat = server.sessionDiagnosticCatalogue();
  assert.ok(cat.diagnostics.length >= 20);
  assert.ok(cat.diagnostics.some((d) => d.id === 'smuggled_end_of_data' && /RFC 5321/.test(d.rfc)));
  assert.deepEqual(cat.hooks.map((h) => h.name), server.HOOKS);
  assert.deepEqual(cat.hooks.filter((h) => h.needs_answer).map((h) => h.name), server.NEEDS_ANSWER);
  assert.ok(Object.isFrozen(cat.diagnostics));
});

test('config: camelCase or C++ names, defaults filled in, unknown keys and bad values refused', () => {
  const s = new ServerSession({ hostname: 'mx.example', bareLf: 'normalize', limits: { messageSize: 1000 }, hooks: ['rcpt'] });
  assert.equal(s.config.bare_lf, 'normalize');
  assert.equal(s.config.limits.message_size, 1000);
  assert.equal(s.config.limits.recipients, 1000);
  assert.equal(s.config.pipelining, true);
  s.close();
  assert.throws(() => new ServerSession({ hostnme: 'x' }), { name: 'TypeError', message: /hostnme/ });
  assert.throws(() => new ServerSession({ limits: { recipientz: 1 } }), { name: 'TypeError', message: /recipientz/ });
  assert.throws(() => new ServerSession({ bare_lf: 'sometimes' }), { name: 'TypeError', message: /reject, normalize, accept/ });
  assert.throws(() => new ServerSession({ lmtp: 1 }), { name: 'TypeError', message: /lmtp/ });
  assert.throws(() => new ServerSession({ limits: { recipients: -1 } }), RangeError);
  assert.throws(() => new ServerSession({ hooks: ['rcpt', 'nope'] }), { name: 'TypeError', message: /nope/ });
  assert.throws(() => new ServerSession({}, { remote_port: 70000 }), RangeError);
  assert.throws(() => new ServerSession({}, { colour: 'x' }), { name: 'TypeError', message: /colour/ });
  assert.throws(() => new ServerSession('hostname'), TypeError);
});

test('a whole transaction: greeting, EHLO, MAIL, RCPT (hook), DATA (octets), queue, QUIT', () => {
  const s = new ServerSession({ hostname: 'mx.example', hooks: ['rcpt', 'data_post', 'queue'] });
  const d = drive(s, { rcpt: 'OK', queue: 'OK' }).start();
  assert.match(d.output, /^220 mx\.example /);
  d.feed('EHLO client.example\r\n');
  assert.match(d.output, /250-mx\.example/);
  assert.match(d.output, /PIPELINING/);
  d.feed('MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n');
  assert.equal(s.transaction.mail_from, 'a@example.org');
  assert.deepEqual(s.transaction.recipients.map((r) => r.address), ['b@example.com']);
  d.feed(Buffer.from('Subject: hi\r\n\r\n..dot\r\n\xff\r\n.\r\n', 'latin1'));
  const data = d.events.filter((e) => e.kind === 'message_data');
  assert.ok(data.length >= 1);
  for (const e of data) assert.ok(e.data instanceof Uint8Array);
  const message = Buffer.concat(data.map((e) => Buffer.from(e.data)));
  assert.equal(message.toString('latin1'), 'Subject: hi\r\n\r\n.dot\r\n\xff\r\n');
  d.feed('QUIT\r\n');
  assert.deepEqual(replyCodes(d.output), [220, 250, 250, 250, 354, 250, 221]);
  assert.deepEqual(d.hooks().filter((h) => ['rcpt', 'data_post', 'queue'].includes(h)), ['rcpt', 'data_post', 'queue']);
  assert.equal(s.closed, true);
  assert.equal(s.state, 'closed');
  s.close();
});

test('the events\' JSON is the C++ text, message octets included', () => {
  const s = new ServerSession({ hooks: server.HOOKS.filter((h) => h !== 'xclient' && h !== 'xforward') });
  const texts = [];
  const all = [];
  const run = (evs) => {
    texts.push(s._lastJson);
    all.push(JSON.stringify(evs).replace(/\x7f/g, '\\u007f'));
    for (const ev of evs) if (ev.kind === 'hook' && ev.needs_answer) run(s.answer(ev.handle, ev.hook === 'rcpt' || ev.hook === 'queue' ? 'OK' : undefined));
  };
  run(s.start());
  for (const chunk of ['EHLO x\r\n', 'MAIL FROM:<>\r\nRCPT TO:<p@q>\r\n', 'DATA\r\n', 'a\x01\x7f\xc3\xa9\xff\r\n.\r\n', 'NOOP\r\nRSET\r\nQUIT\r\n']) {
    run(s.feed(Buffer.from(chunk, 'latin1')));
  }
  assert.deepEqual(all, texts);
  s.close();
});

test('every subscribed hook is seen, in Haraka order', () => {
  const s = new ServerSession({ hooks: server.HOOKS });
  const d = drive(s, { rcpt: 'OK', queue: 'OK' }).start();
  d.feed('HELO a\r\nEHLO b\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n');
  d.feed('x\r\n.\r\nVRFY x\r\nNOOP\r\nHELP\r\nFOO\r\nRSET\r\nQUIT\r\n');
  const seen = d.hooks();
  for (const h of ['connect', 'helo', 'ehlo', 'capabilities', 'mail', 'rcpt', 'rcpt_ok', 'data', 'data_post', 'queue', 'vrfy',
    'noop', 'help', 'unrecognized_command', 'rset', 'quit', 'disconnect']) {
    assert.ok(seen.includes(h), `hook ${h} in ${seen}`);
  }
  const order = ['connect', 'ehlo', 'capabilities', 'mail', 'rcpt', 'rcpt_ok', 'data', 'data_post', 'queue'];
  const idx = order.map((h) => seen.indexOf(h));
  assert.deepEqual([...idx].sort((a, b) => a - b), idx);
  s.close();
});

test('without a rcpt OK a recipient is refused (Haraka: 450); DENY with a custom reply', () => {
  const s = new ServerSession({});
  const d = drive(s).start().feed('EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n');
  assert.match(d.output, /\r\n450[ -]/);
  s.close();
  const t = new ServerSession({});
  const e = drive(t, { rcpt: { verdict: 'deny', code: 550, status: '5.7.1', message: 'go away' } }).start()
    .feed('EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n');
  assert.match(e.output, /\r\n550 5\.7\.1 go away\r\n$/);
  t.close();
});

test('an answer given later: pipelined input is held, then answered in order', () => {
  const s = new ServerSession({});
  let out = text(s.takeOutput());
  s.start();
  out += text(s.takeOutput());
  const evs = s.feed('EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nRCPT TO:<e@f>\r\nNOOP\r\n');
  out += text(s.takeOutput());
  const pending = evs.filter((e) => e.kind === 'hook' && e.needs_answer);
  assert.equal(pending.length, 1);
  assert.equal(pending[0].hook, 'rcpt');
  assert.deepEqual(replyCodes(out), [220, 250, 250]);
  assert.equal(s.wantsInput, true);
  const next = s.answer(pending[0].handle, 'OK');
  out += text(s.takeOutput());
  const second = next.filter((e) => e.kind === 'hook' && e.needs_answer);
  assert.equal(second.length, 1);
  s.answer(second[0].handle, { verdict: 'DENYSOFT', message: ['later'] });
  // Unknown and already answered handles are ignored.
  assert.deepEqual(s.answer(pending[0].handle, 'OK').filter((e) => e.kind === 'hook'), []);
  out += text(s.takeOutput());
  assert.deepEqual(replyCodes(out), [220, 250, 250, 250, 450, 250]);
  assert.match(out, /450 .*later/);
  s.close();
});

test('bad answers and bad input are refused with TypeError, never by the session', () => {
  const s = new ServerSession({});
  s.start();
  const [ev] = s.feed('EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n').filter((e) => e.needs_answer);
  assert.throws(() => s.answer(ev.handle, 'MAYBE'), { name: 'TypeError', message: /verdict/ });
  assert.throws(() => s.answer(ev.handle, { verdict: 'OK', colour: 1 }), { name: 'TypeError', message: /colour/ });
  assert.throws(() => s.answer(ev.handle, { verdict: 'DENY', status: '9.9' }), { name: 'TypeError', message: /status/ });
  assert.throws(() => s.answer(ev.handle, { verdict: 'DENY', code: 99 }), RangeError);
  assert.throws(() => s.answer(-1, 'OK'), TypeError);
  assert.throws(() => s.feed(42), TypeError);
  assert.ok(s.answer(ev.handle, 'OK').length >= 0);
  s.close();
});

test('notes: connection and transaction, written through methods', () => {
  const s = new ServerSession({});
  s.start();
  assert.equal(s.setConnectionNote('spam', 'no'), true);
  assert.equal(s.setTransactionNote('x', 'y'), false);
  s.feed('EHLO x\r\nMAIL FROM:<a@b> SIZE=100\r\n');
  assert.equal(s.setTransactionNote('queue-id', 'Q1'), true);
  assert.deepEqual(s.connection.notes, { spam: 'no' });
  assert.deepEqual(s.transaction.notes, { 'queue-id': 'Q1' });
  assert.equal(s.transaction.declared_size, 100);
  assert.equal(s.connection.helo, 'x');
  assert.equal(s.connection.esmtp, true);
  s.setConnectionNote('spam', null);
  assert.deepEqual(s.connection.notes, {});
  s.close();
});

test('peer and state: the host\'s addresses, timeouts, eof', () => {
  const s = new ServerSession({}, { remoteAddress: '192.0.2.1', remotePort: 1234, localAddress: '198.51.100.2', localPort: 25 });
  assert.equal(s.connection.remote_address, '192.0.2.1');
  assert.equal(s.connection.remote_port, 1234);
  s.start();
  assert.equal(s.state, 'command');
  assert.equal(s.timeoutSeconds, 300);
  s.feed('EHLO x\r\nMAIL FROM:<a@b>\r\n');
  const evs = s.timeout();
  assert.match(text(s.takeOutput()), /421 /);
  assert.equal(s.closed, true);
  assert.ok(evs.some((e) => e.kind === 'close'));
  s.close();
  const t = new ServerSession({});
  t.start();
  t.feed('EHLO x\r\nMAIL FROM:<a@b>\r\n');
  assert.ok(t.eof().length >= 0);
  assert.equal(t.closed, true);
  t.close();
});

test('a 10 MB command line and binary garbage: bounded replies, the session survives or closes cleanly', () => {
  const s = new ServerSession({});
  s.start();
  s.takeOutput();
  const big = Buffer.alloc(10 * 1024 * 1024, 0x41);
  s.feed(big);
  s.feed('\r\nNOOP\r\n');
  const out = text(s.takeOutput());
  assert.ok(out.length < 4096, `bounded output (${out.length} octets)`);
  assert.match(out, /^500 /);
  for (const line of out.split('\r\n')) assert.ok(line.length <= 510);
  s.close();
  const g = new ServerSession({});
  g.start();
  let seed = 7;
  const junk = Buffer.alloc(65536);
  for (let i = 0; i < junk.length; ++i) junk[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  for (let i = 0; i < junk.length && !g.closed; i += 1000) g.feed(junk.subarray(i, i + 1000));
  const o = text(g.takeOutput());
  for (const line of o.split('\r\n')) assert.ok(line.length <= 510);
  g.close();
});

test('DataReader: end of data, dot-unstuffing, the bare LF policy, any split', () => {
  const r = new DataReader();
  const step = r.feed('a\r\n..b\r\n.\r\nQUIT\r\n');
  assert.equal(step.done, true);
  assert.equal(text(step.message), 'a\r\n.b\r\n');
  assert.equal(step.consumed, 'a\r\n..b\r\n.\r\n'.length);
  assert.ok(step.message instanceof Uint8Array);
  assert.equal(JSON.stringify(step).replace(/\x7f/g, '\\u007f'), step._json);
  r.close();
  const input = Buffer.from('x\r\n\n.\n\r\nmore\r\n.\r\n', 'latin1');
  const whole = new DataReader({ bareLf: 'reject' }).feed(input);
  assert.notEqual(whole.reject, null);
  for (let cut = 0; cut <= input.length; ++cut) {
    const p = new DataReader({ bare_lf: 'reject' });
    const a = p.feed(input.subarray(0, cut));
    const b = a.done ? null : p.feed(input.subarray(a.consumed));
    const last = b ?? a;
    assert.equal(last.done, true, `split at ${cut}`);
    assert.equal(last.reject, whole.reject, `split at ${cut}`);
    assert.equal(a.consumed + (b?.consumed ?? 0), whole.consumed, `split at ${cut}`);
    p.close();
  }
  assert.throws(() => new DataReader({ bareLF: 'x' }), TypeError);
  assert.throws(() => new DataReader({ bare_lf: 'maybe' }), TypeError);
});

test('parseProxyHeader: v1, incomplete, invalid; the C++ JSON', () => {
  const h = parseProxyHeader('PROXY TCP4 192.0.2.1 198.51.100.2 1234 25\r\nEHLO x\r\n');
  assert.equal(h.status, 'done');
  assert.equal(h.consumed, 'PROXY TCP4 192.0.2.1 198.51.100.2 1234 25\r\n'.length);
  assert.equal(h.header.source_address, '192.0.2.1');
  assert.equal(parseProxyHeader('PROXY TCP4 192.0.2.1').status, 'incomplete');
  assert.equal(parseProxyHeader('EHLO x\r\n').status, 'invalid');
  assert.equal(parseProxyHeader('PROXY TCP4 192.0.2.1 198.51.100.2 1234 25\r\n', 'v2').status, 'invalid');
  assert.throws(() => parseProxyHeader('x', 'v3'), TypeError);
  assert.equal(JSON.stringify(h), server._parseProxyHeaderJson('PROXY TCP4 192.0.2.1 198.51.100.2 1234 25\r\nEHLO x\r\n'));
});

test('STARTTLS, AUTH PLAIN, deny, XCLIENT and XFORWARD hooks at the session level', () => {
  const s = new ServerSession({ starttls: true, auth: true, xclient: true, xforward: true, hooks: server.HOOKS });
  const d = drive(s, {
    rcpt: { verdict: 'DENY', message: 'no' },
    auth: (ev) => (ev.username === 'alice' && ev.password === 'pw' ? 'OK' : 'DENY'),
    xclient: 'OK',
  }).start();
  d.feed('EHLO x\r\nSTARTTLS\r\nMAIL FROM:<injected@x>\r\n');
  assert.match(d.output, /\r\n220 /);
  assert.ok(d.events.some((e) => e.kind === 'start_tls'));
  assert.equal(s.state, 'tls_pending');
  assert.ok(!d.hooks().includes('mail'), 'nothing pipelined after STARTTLS is executed');
  const evs = s.tlsEstablished('TLS_AES_128_GCM_SHA256');
  assert.ok(Array.isArray(evs));
  assert.equal(s.connection.tls, true);
  assert.equal(s.connection.tls_cipher, 'TLS_AES_128_GCM_SHA256');
  assert.equal(s.state, 'command');
  d.feed(`EHLO x\r\nAUTH PLAIN ${Buffer.from('\0alice\0pw').toString('base64')}\r\n`);
  const auth = d.events.find((e) => e.hook === 'auth');
  assert.deepEqual([auth.argument, auth.username, auth.password], ['PLAIN', 'alice', 'pw']);
  assert.match(d.output, /\r\n235 /);
  assert.equal(s.connection.authenticated_user, 'alice');
  d.feed('MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n');
  const deny = d.events.find((e) => e.hook === 'deny');
  assert.ok(deny, 'a DENY verdict is reported through the deny hook');
  assert.equal(deny.verdict, 'DENY');
  assert.match(deny.reply, /^550 .*no/);
  d.feed('RSET\r\nXFORWARD ADDR=192.0.2.7\r\nXCLIENT ADDR=192.0.2.9\r\n');
  assert.ok(d.hooks().includes('xforward') && d.hooks().includes('xclient'));
  assert.equal(s.connection.remote_address, '192.0.2.9');
  s.close();
});
