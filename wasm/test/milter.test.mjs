// smtpspec/milter through the npm package: decode, encode, both sessions, bad input, CJS and ESM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageDir, require } from './helpers.mjs';

const milter = require('./milter.js');

function frame(code, payload = Buffer.alloc(0)) {
  const p = Buffer.from(payload);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(p.length + 1);
  return Buffer.concat([head, Buffer.from(code, 'latin1'), p]);
}
const offer = () => {
  const b = Buffer.alloc(12);
  b.writeUInt32BE(6, 0);
  b.writeUInt32BE(0x1ff, 4);
  b.writeUInt32BE(0x1fffff, 8);
  return frame('O', b);
};

test('decode and encode', () => {
  const data = Buffer.concat([frame('H', 'client\0'), frame('L', 'Subject\0hi\0')]);
  const r = milter.decode(data, 'to_filter');
  assert.equal(r.error, null);
  assert.deepEqual(r.packets.map((p) => p.type), ['SMFIC_HELO', 'SMFIC_HEADER']);
  assert.equal(r.packets[0].helo, 'client');
  const { bytes, error } = milter.encode(r.packets[1]);
  assert.equal(error, null);
  assert.deepEqual(Buffer.from(bytes), frame('L', 'Subject\0hi\0'));
  assert.deepEqual(Buffer.from(milter.encode({ type: 'SMFIR_REPLBODY', data: new Uint8Array([0, 255, 10]) }).bytes),
    frame('b', Buffer.from([0, 255, 10])));
  assert.equal(milter.encode({ type: 'SMFIC_HELO', helo: 'a\0b' }).error.code, 'nul_in_string');
  assert.throws(() => milter.encode({ type: 'SMFIX' }), TypeError);
});

test('bad input is an error value, and ends a session cleanly', () => {
  const big = Buffer.alloc(5);
  big.writeUInt32BE(64 * 1024 * 1024 + 1);
  big[4] = 0x42;
  const cases = [
    [Buffer.from([0, 0, 0, 0]), 'zero_length'],
    [Buffer.from([0x80, 0, 0, 0]), 'length_top_bit'],
    [Buffer.from([0xff, 0xff, 0xff, 0xff]), 'length_top_bit'],
    [big, 'packet_too_large'],
    [frame('Z'), 'unknown_command'],
    [frame('D', 'Cj\0host\0orphan\0'), 'odd_macro_list'],
    [frame('H', 'no-nul'), 'missing_nul'],
    [Buffer.from([0, 0, 0, 5, 0x48]), 'truncated_packet'],
  ];
  for (const [data, code] of cases) {
    assert.equal(milter.decode(data, 'to_filter').error.code, code);
    const f = new milter.FilterSession();
    const events = [...f.feed(Buffer.concat([offer(), data])), ...f.finish()];
    assert.equal(events.at(-1).event, 'error', code);
    assert.equal(f.status().failure.code, code);
    assert.equal(f.status().closed, true);
    f.close();
  }
});

test('an example filter: adds a header, rejects a recipient (driven by MtaSession)', () => {
  const f = new milter.FilterSession({ actions: milter.SMFIF.ADDHDRS });
  const m = new milter.MtaSession();
  const events = [];
  const pump = () => {
    for (let i = 0; i < 32; ++i) {
      const a = m.takeOutput();
      let b = new Uint8Array(0);
      if (a.length) {
        for (const e of f.feed(a)) {
          if (!e.reply_expected) continue;
          if (e.packet.type === 'SMFIC_RCPT' && e.packet.args[0] === '<spam@example.net>') {
            assert.equal(f.replyCode(550, '5.7.1', ['no spam, 100%']), null);
          } else if (e.packet.type === 'SMFIC_BODYEOB') {
            assert.equal(f.addHeader('X-Filtered', 'yes'), null);
            assert.equal(f.reply('SMFIR_CONTINUE'), null);
          } else {
            assert.equal(f.reply('SMFIR_CONTINUE'), null);
          }
        }
        b = f.takeOutput();
      }
      if (b.length) events.push(...m.feed(b));
      if (!a.length && !b.length) return;
    }
  };
  assert.deepEqual(m.negotiate(), { status: 'awaiting_reply', error: null });
  pump();
  m.connect('client', '4', 1025, '192.0.2.1', [['j', 'mx']]);
  pump();
  assert.equal(f.macro('{j}'), 'mx');
  m.helo('client');
  pump();
  assert.deepEqual(m.mail(['<a@example.com>', 'SIZE=10']), { status: 'awaiting_reply', error: null });
  pump();
  m.rcpt(['<spam@example.net>']);
  pump();
  assert.equal(events.at(-1).packet.text, '550 5.7.1 no spam, 100%%');
  assert.deepEqual(events.at(-1).problems, []);
  m.rcpt(['<ok@example.net>']);
  pump();
  m.header('Subject', 'hi');
  pump();
  m.endOfHeaders();
  pump();
  m.body('hello\r\n');
  pump();
  m.endOfMessage();
  pump();
  assert.deepEqual(m.status().modifications.map((p) => [p.type, p.name, p.value]), [['SMFIR_ADDHEADER', 'X-Filtered', 'yes']]);
  assert.equal(events.at(-1).answers, 'SMFIC_BODYEOB');
  m.abort();
  m.quit();
  pump();
  assert.equal(f.status().closed, true);
  assert.equal(f.status().failure, null);
  f.close();
  m.close();
});

test('out-of-order calls are refused; a reply nobody asked for ends the MTA session', () => {
  const m = new milter.MtaSession();
  m.negotiate();
  assert.equal(m.connect('h', 'U').error.code, 'reply_pending');
  m.feed(frame('O', Buffer.alloc(12, 0).fill(0).map((_, i) => (i === 3 ? 6 : 0))));
  assert.equal(m.rcpt(['<a@b>']).error.code, 'unexpected_packet');
  const events = m.feed(frame('c'));
  assert.equal(events.at(-1).event, 'error');
  assert.equal(m.status().closed, true);
  m.close();
});

test('replycode helpers and the catalogue', () => {
  assert.deepEqual(milter.checkReplycode('550 5.7.1 100% sure'), [{ id: 'lone_percent', offset: 13 }]);
  assert.deepEqual(milter.formatReplycode(451, '4.7.1', ['try', 'later']), { text: '451-4.7.1 try\r\n451 4.7.1 later', error: null });
  assert.equal(milter.formatReplycode(250, null, ['x']).error.code, 'invalid_replycode');
  assert.equal(milter.SMFIP.NR_HDR, 0x80);
  assert.equal(milter.PACKETS.SMFIR_ADDRCPT_PAR.code, '2');
});

test('ESM entry smtpspec/milter', async () => {
  const esm = await import(pathToFileURL(join(packageDir, 'milter.mjs')).href);
  assert.equal(esm.decode, milter.decode);
  assert.equal(esm.default, milter);
});
