#!/usr/bin/env node
'use strict';
// An example milter filter on smtpspec's filter-side session (require('smtpspec/milter').FilterSession):
//   * adds "X-Smtpspec-Filter: example (Node)[; queue-id=…]" to every message it accepts;
//   * rejects the recipient blocked@<any domain> with "550 5.7.1 …".
// Usage: node filter.js [PORT]   (no PORT or 0: any free port). It listens on 127.0.0.1 only, prints
// "listening on 127.0.0.1:PORT" when ready and runs until killed. Postfix: smtpd_milters =
// inet:127.0.0.1:PORT. With the package installed (npm install smtpspec) it needs nothing else;
// SMTPSPEC_NPM_DIR may name a built, not installed, package directory instead (the peers tests).
const net = require('node:net');
const path = require('node:path');

const dir = process.env.SMTPSPEC_NPM_DIR;
const { parsePath } = require(dir ? path.resolve(dir, 'index.js') : 'smtpspec');
const { FilterSession, SMFIF } = require(dir ? path.resolve(dir, 'milter.js') : 'smtpspec/milter');

// RCPT args[0] is the address as the client wrote it, angle brackets included ("<a@b>").
function isBlocked(rcpt) {
  const p = rcpt.args.length > 0 ? parsePath(rcpt.args[0], { role: 'forward' }) : null;
  return p !== null && p.ok && p.value.kind === 'mailbox' &&
    p.value.mailbox.local_part_value.toLowerCase() === 'blocked';
}

// The filter's answer to one command. An error event is the session's word that the MTA broke the
// protocol; the session is closed then and the connection ends.
function onEvent(session, ev) {
  if (ev.event === 'error') console.error('filter: protocol error', JSON.stringify(ev.error));
  if (ev.event !== 'command' || !ev.reply_expected) return;
  let error;
  if (ev.packet.type === 'SMFIC_RCPT' && isBlocked(ev.packet)) {
    error = session.replyCode(550, '5.7.1', ['Recipient blocked by the smtpspec example filter']);
  } else if (ev.packet.type === 'SMFIC_BODYEOB') {
    let value = 'example (Node)';
    const queueId = session.macro('i'); // Postfix's queue ID, when sent
    if (queueId !== null) value += `; queue-id=${queueId}`;
    error = session.addHeader('X-Smtpspec-Filter', value) ?? session.reply('SMFIR_ACCEPT');
  } else {
    error = session.reply('SMFIR_CONTINUE');
  }
  if (error) console.error('filter: cannot answer', JSON.stringify(error));
}

// One MTA connection: bytes in, events, replies out, until QUIT, EOF, a protocol error or five
// minutes of silence.
const server = net.createServer((socket) => {
  const session = new FilterSession({ actions: SMFIF.ADDHDRS });
  const handle = (events) => {
    for (const ev of events) onEvent(session, ev);
    const out = session.takeOutput();
    if (out.length > 0 && !socket.destroyed) socket.write(out);
    if (session.status().closed) socket.end();
  };
  socket.setTimeout(300_000, () => socket.destroy());
  socket.on('data', (chunk) => handle(session.feed(chunk)));
  socket.on('end', () => handle(session.finish()));
  socket.on('error', () => {}); // a reset: 'close' follows
  socket.on('close', () => session.close());
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(`listening on 127.0.0.1:${server.address().port}`);
});
