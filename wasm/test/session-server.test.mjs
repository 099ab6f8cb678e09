// smtpspec/server's net.Server adapter end to end on 127.0.0.1 with a raw socket client: hooks
// sync and async, pipelining, a hook that throws, STARTTLS with a real handshake (a throw-away
// certificate), AUTH PLAIN inside TLS, BDAT, LMTP, and the example server of examples/server/node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import net from 'node:net';
import { packageDir, repo, require } from './helpers.mjs';
import { Client, close, listen, throwAwayCert } from './session-client.mjs';

const { createServer } = require('./server.js');

async function withServer(options, fn) {
  const server = createServer(options);
  const port = await listen(server);
  try {
    await fn(port, server);
  } finally {
    await close(server);
  }
}

const acceptExample = {
  rcpt: (ev) => (ev.argument.toLowerCase().endsWith('@example.com') ? 'OK' : { verdict: 'DENY', code: 550, status: '5.1.1', message: 'not here' }),
};

test('createServer refuses unknown options, hooks and config keys', () => {
  assert.throws(() => createServer({ hoks: {} }), { name: 'TypeError', message: /hoks/ });
  assert.throws(() => createServer({ hooks: { rcpt_to: () => 'OK' } }), { name: 'TypeError', message: /rcpt_to/ });
  assert.throws(() => createServer({ hooks: { rcpt: 'OK' } }), TypeError);
  assert.throws(() => createServer({ session: { hostnam: 'x' } }), { name: 'TypeError', message: /hostnam/ });
  assert.throws(() => createServer({ session: { starttls: true } }), /tls/);
});

test('a message for the accepted domain reaches the queue hook as a Buffer, octet for octet', async () => {
  const got = [];
  const hooks = {
    ...acceptExample,
    queue: async (ev, conn, message) => {
      got.push({ message, from: conn.transaction.mail_from, to: conn.transaction.recipients.map((r) => r.address), peer: conn.remoteAddress });
      return 'OK';
    },
  };
  await withServer({ hooks, session: { hostname: 'mx.test' } }, async (port) => {
    const c = await Client.connect(port);
    assert.match((await c.reply()).text, /^220 mx\.test/);
    assert.equal((await c.cmd('EHLO client')).code, 250);
    assert.equal((await c.cmd('MAIL FROM:<a@sender.org>')).code, 250);
    assert.equal((await c.cmd('RCPT TO:<someone@other.org>')).code, 550);
    assert.equal((await c.cmd('RCPT TO:<b@example.com>')).code, 250);
    assert.equal((await c.cmd('DATA')).code, 354);
    c.send('Subject: t\r\n\r\n..leading dot\r\n\xe9\xff\r\n.\r\n');
    assert.equal((await c.reply()).code, 250);
    assert.equal((await c.cmd('QUIT')).code, 221);
    await c.closed();
  });
  assert.equal(got.length, 1);
  assert.ok(Buffer.isBuffer(got[0].message));
  assert.equal(got[0].message.toString('latin1'), 'Subject: t\r\n\r\n.leading dot\r\n\xe9\xff\r\n');
  assert.equal(got[0].from, 'a@sender.org');
  assert.deepEqual(got[0].to, ['b@example.com']);
  assert.equal(got[0].peer, '127.0.0.1');
});

test('pipelined commands with an asynchronous rcpt hook are answered in order', async () => {
  const hooks = {
    rcpt: (ev) => new Promise((r) => setTimeout(() => r(ev.argument.startsWith('ok') ? 'OK' : 'DENY'), 20)),
    queue: async () => 'OK',
  };
  await withServer({ hooks }, async (port) => {
    const c = await Client.connect(port);
    await c.reply();
    await c.cmd('EHLO x');
    c.send('MAIL FROM:<a@b>\r\nRCPT TO:<ok1@x>\r\nRCPT TO:<no@x>\r\nRCPT TO:<ok2@x>\r\nDATA\r\n');
    const codes = [];
    for (let i = 0; i < 5; ++i) codes.push((await c.reply()).code);
    assert.deepEqual(codes, [250, 250, 550, 250, 354]);
    c.send('hi\r\n.\r\nQUIT\r\n');
    assert.equal((await c.reply()).code, 250);
    assert.equal((await c.reply()).code, 221);
    await c.closed();
  });
});

test('backpressure: a flood behind an asynchronous hook is read as the session can hold it', async () => {
  let paused = 0;
  let calls = 0;
  const hooks = {
    rcpt: (ev, conn) => new Promise((r) => {
      setTimeout(() => {
        if (conn.socket.isPaused()) paused += 1;
        r('OK');
      }, calls++ === 0 ? 100 : 0);
    }),
  };
  // input_buffer 2048: the flood (~6 KB) arrives while the first rcpt hook is pending; fed to the
  // session then, it would be answered 421 (too much pipelined input).
  await withServer({ hooks, session: { limits: { inputBuffer: 2048 } } }, async (port) => {
    const c = await Client.connect(port);
    await c.reply();
    await c.cmd('EHLO x');
    c.send('MAIL FROM:<a@b>\r\nRCPT TO:<first@example.com>\r\n');
    await new Promise((r) => setTimeout(r, 30));
    let flood = '';
    for (let i = 0; i < 199; ++i) flood += `RCPT TO:<user${i}@example.com>\r\n`;
    c.send(flood);
    const codes = [];
    for (let i = 0; i < 201; ++i) codes.push((await c.reply()).code);
    assert.deepEqual(codes, Array(201).fill(250));
    await c.cmd('QUIT');
    await c.closed();
  });
  assert.equal(paused, 200, 'the socket is paused while a hook is pending');
});

test('a client that does not read its replies is not read from either', async () => {
  const server = createServer({ hooks: {} });
  const port = await listen(server);
  const accepted = new Promise((r) => server.once('connection', r));
  const client = net.connect(port, '127.0.0.1');
  const serverSide = await accepted;
  const noops = 1_000_000;
  const flood = Buffer.from('NOOP\r\n'.repeat(noops));
  client.write(flood);
  await new Promise((r) => setTimeout(r, 1500));
  // Its replies fill the socket buffers; the server stops reading before it has read everything.
  assert.ok(serverSide.isPaused(), 'the server paused reading');
  assert.ok(serverSide.bytesRead < flood.length, `read ${serverSide.bytesRead} of ${flood.length}`);
  // Reading the replies lets it go on: every NOOP is answered.
  let replies = 0;
  let tail = '';
  client.on('data', (d) => {
    const t = tail + d.toString('latin1');
    const lines = t.split('\r\n');
    tail = lines.pop();
    for (const l of lines) if (l.startsWith('250 ')) replies += 1;
  });
  while (replies < noops) await new Promise((r) => setTimeout(r, 50));
  assert.equal(replies, noops);
  client.end('QUIT\r\n');
  await once(client, 'close');
  await close(server);
});

test('a client that half-closes after pipelined commands still gets every reply', async () => {
  const hooks = { rcpt: () => new Promise((r) => setTimeout(() => r('OK'), 20)) };
  await withServer({ hooks }, async (port) => {
    const c = await Client.connect(port);
    await c.reply();
    c.socket.end('EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nQUIT\r\n');
    const codes = [];
    for (let r = await c.reply(); r !== null; r = await c.reply()) codes.push(r.code);
    assert.deepEqual(codes, [250, 250, 250, 221]);
  });
});

test('a hook that throws answers DENYSOFT 451 4.3.0 and logs a line', async () => {
  const lines = [];
  const hooks = {
    rcpt: () => { throw new Error('database down'); },
    mail: async () => { throw new Error('async failure'); },
  };
  await withServer({ hooks, log: (l) => lines.push(l) }, async (port) => {
    const c = await Client.connect(port);
    await c.reply();
    await c.cmd('EHLO x');
    const mail = await c.cmd('MAIL FROM:<a@b>');
    assert.match(mail.text, /^451 4\.3\.0 /);
    await c.cmd('QUIT');
    await c.closed();
  });
  assert.ok(lines.some((l) => /mail/.test(l) && /async failure/.test(l)), lines.join('\n'));
});

test('without a rcpt hook every recipient is refused, as in Haraka', async () => {
  await withServer({ hooks: {} }, async (port) => {
    const c = await Client.connect(port);
    await c.reply();
    await c.cmd('HELO x');
    await c.cmd('MAIL FROM:<a@b>');
    assert.equal((await c.cmd('RCPT TO:<c@d>')).code, 450);
    c.end();
    await c.closed();
  });
});

test('STARTTLS with a real handshake, then AUTH PLAIN, then a message', async () => {
  const cert = throwAwayCert();
  const seen = {};
  const hooks = {
    auth: (ev) => {
      seen.auth = { mechanism: ev.argument, user: ev.username, password: ev.password };
      return ev.username === 'alice' && ev.password === 's3cret' ? 'OK' : 'DENY';
    },
    rcpt: (ev, conn) => {
      seen.tls = conn.info.tls;
      seen.user = conn.info.authenticated_user;
      return 'OK';
    },
    queue: (ev, conn, message) => {
      seen.message = message.toString();
      return 'OK';
    },
  };
  await withServer({ hooks, tls: cert }, async (port) => {
    const c = await Client.connect(port);
    await c.reply();
    const ehlo = await c.cmd('EHLO x');
    assert.match(ehlo.text, /STARTTLS/);
    assert.doesNotMatch(ehlo.text, /AUTH/);  // not before TLS (auth_requires_tls)
    assert.equal((await c.cmd('STARTTLS')).code, 220);
    const secure = await c.upgrade();
    assert.ok(secure.encrypted);
    const again = await c.cmd('EHLO x');
    assert.doesNotMatch(again.text, /STARTTLS/);
    assert.match(again.text, /AUTH.*PLAIN/);
    assert.equal((await c.cmd(`AUTH PLAIN ${Buffer.from('\0alice\0wrong').toString('base64')}`)).code, 535);
    assert.equal((await c.cmd(`AUTH PLAIN ${Buffer.from('\0alice\0s3cret').toString('base64')}`)).code, 235);
    await c.cmd('MAIL FROM:<a@b>');
    assert.equal((await c.cmd('RCPT TO:<c@d>')).code, 250);
    await c.cmd('DATA');
    c.send('secret\r\n.\r\n');
    assert.equal((await c.reply()).code, 250);
    await c.cmd('QUIT');
    await c.closed();
  });
  assert.deepEqual(seen.auth, { mechanism: 'PLAIN', user: 'alice', password: 's3cret' });
  assert.equal(seen.tls, true);
  assert.equal(seen.user, 'alice');
  assert.equal(seen.message, 'secret\r\n');
});

test('STARTTLS injection: a command pipelined after STARTTLS is never executed', async () => {
  const cert = throwAwayCert();
  const mails = [];
  await withServer({ hooks: { mail: (ev) => { mails.push(ev.argument); return 'CONT'; } }, tls: cert }, async (port) => {
    const c = await Client.connect(port);
    await c.reply();
    await c.cmd('EHLO x');
    c.send('STARTTLS\r\nMAIL FROM:<injected@evil>\r\n');
    assert.equal((await c.reply()).code, 220);
    await c.upgrade();
    await c.cmd('EHLO x');
    assert.equal((await c.cmd('MAIL FROM:<real@x>')).code, 250);
    await c.cmd('QUIT');
    await c.closed();
  });
  assert.deepEqual(mails, ['real@x']);
});

test('BDAT chunks reach the queue hook verbatim', async () => {
  let got = null;
  const hooks = { rcpt: () => 'OK', queue: (ev, conn, message) => { got = message; return 'OK'; } };
  await withServer({ hooks }, async (port) => {
    const c = await Client.connect(port);
    await c.reply();
    assert.match((await c.cmd('EHLO x')).text, /CHUNKING/);
    await c.cmd('MAIL FROM:<a@b> BODY=BINARYMIME');
    await c.cmd('RCPT TO:<c@d>');
    c.send('BDAT 5\r\n\x00\r\n.\r');
    assert.equal((await c.reply()).code, 250);
    c.send('BDAT 3 LAST\r\nend');
    assert.equal((await c.reply()).code, 250);
    await c.cmd('QUIT');
    await c.closed();
  });
  assert.equal(got.toString('latin1'), '\x00\r\n.\rend');
});

test('LMTP: one reply per recipient after DATA', async () => {
  const hooks = {
    rcpt: () => 'OK',
    queue: () => ({ verdict: 'OK', per_recipient: ['OK', { verdict: 'DENY', code: 550, message: 'full' }] }),
  };
  await withServer({ hooks, session: { lmtp: true } }, async (port) => {
    const c = await Client.connect(port);
    await c.reply();
    assert.equal((await c.cmd('LHLO x')).code, 250);
    await c.cmd('MAIL FROM:<a@b>');
    await c.cmd('RCPT TO:<one@x>');
    await c.cmd('RCPT TO:<two@x>');
    await c.cmd('DATA');
    c.send('m\r\n.\r\n');
    assert.equal((await c.reply()).code, 250);
    assert.equal((await c.reply()).code, 550);
    await c.cmd('QUIT');
    await c.closed();
  });
});

test('a client that vanishes mid-DATA: nothing is queued; other clients are served', async () => {
  let queued = 0;
  const hooks = { rcpt: () => 'OK', queue: () => { queued += 1; return 'OK'; } };
  await withServer({ hooks }, async (port) => {
    const a = await Client.connect(port);
    await a.reply();
    await a.cmd('HELO x');
    await a.cmd('MAIL FROM:<a@b>');
    await a.cmd('RCPT TO:<c@d>');
    await a.cmd('DATA');
    a.send('half a message\r\n');
    a.socket.destroy();
    const b = await Client.connect(port);
    assert.equal((await b.reply()).code, 220);
    assert.equal((await b.cmd('NOOP')).code, 250);
    await b.cmd('QUIT');
    await b.closed();
  });
  assert.equal(queued, 0);
});

test('the session timeout closes an idle client with 421', async () => {
  await withServer({ hooks: {}, session: { limits: { commandTimeout: 1 } } }, async (port) => {
    const c = await Client.connect(port);
    await c.reply();
    const r = await c.reply();
    assert.equal(r.code, 421);
    await c.closed();
  });
});

// Sends `bytes` one octet every `ms` until the socket closes; resolves with the seconds it took.
function trickle(c, bytes, ms) {
  const start = performance.now();
  return new Promise((resolve) => {
    let i = 0;
    const t = setInterval(() => {
      if (c.socket.destroyed || c.socket.writableEnded || i >= bytes.length) {
        clearInterval(t);
        return;
      }
      c.socket.write(bytes.subarray(i, i + 1));
      i += 1;
    }, ms);
    c.closed().then(() => {
      clearInterval(t);
      resolve((performance.now() - start) / 1000);
    });
  });
}

test('slowloris: a command trickled in is cut off command_timeout after the last reply', async () => {
  await withServer({ hooks: {}, session: { limits: { commandTimeout: 2 } } }, async (port) => {
    const c = await Client.connect(port);
    await c.reply();
    // 28 octets at 0.25 s each would take 7 s; every octet arrives well within the idle time.
    try {
      const took = trickle(c, Buffer.from('EHLO slow.client.example.org\r\n'), 250);
      const r = await c.reply();
      assert.equal(r?.code, 421);
      assert.ok((await took) < 4, `cut off after ${await took} s`);
    } finally {
      c.socket.destroy();  // a failing server would otherwise keep the test waiting
    }
  });
});

test('min_data_rate: a message trickled slower than the minimum rate is cut off', async () => {
  const hooks = { rcpt: () => 'OK', queue: () => 'OK' };
  const limits = { dataTimeout: 2, minDataRate: 500 };
  await withServer({ hooks, session: { limits } }, async (port) => {
    const c = await Client.connect(port);
    await c.reply();
    await c.cmd('HELO x');
    await c.cmd('MAIL FROM:<a@b>');
    await c.cmd('RCPT TO:<c@d>');
    assert.equal((await c.cmd('DATA')).code, 354);
    try {
      const took = trickle(c, Buffer.from('Subject: slow\r\n\r\n' + 'x'.repeat(200) + '\r\n.\r\n'), 200);
      const r = await c.reply();
      assert.equal(r?.code, 421);
      assert.ok((await took) < 5, `cut off after ${await took} s`);
    } finally {
      c.socket.destroy();
    }
  });
  // Fast enough: the same limits let a message sent in pauses shorter than the timeout through.
  let queued = 0;
  await withServer({ hooks: { rcpt: () => 'OK', queue: () => { queued += 1; return 'OK'; } }, session: { limits } },
    async (port) => {
      const c = await Client.connect(port);
      await c.reply();
      await c.cmd('HELO x');
      await c.cmd('MAIL FROM:<a@b>');
      await c.cmd('RCPT TO:<c@d>');
      await c.cmd('DATA');
      for (let i = 0; i < 4; ++i) {
        c.send(`${'y'.repeat(2000)}\r\n`);
        await new Promise((r) => setTimeout(r, 400));
      }
      assert.equal((await c.cmd('.')).code, 250);
      await c.cmd('QUIT');
    });
  assert.equal(queued, 1);
});

test('examples/server/node: accepts mail for its domain and prints each message', async () => {
  // The example requires 'smtpspec/server': give it the built package under that name.
  const modules = join(mkdtempSync(join(tmpdir(), 'smtpspec-example-')), 'node_modules');
  mkdirSync(modules);
  symlinkSync(packageDir, join(modules, 'smtpspec'), 'dir');
  const child = spawn(process.execPath, [join(repo, 'examples/server/node/server.js')], {
    env: { ...process.env, NODE_PATH: modules, PORT: '0', DOMAIN: 'example.com' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    while (!/listening on 127\.0\.0\.1:(\d+)/.test(out)) await once(child.stdout, 'data');
    const port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(out)[1]);
    const c = await Client.connect(port);
    await c.reply();
    await c.cmd('EHLO x');
    await c.cmd('MAIL FROM:<a@b.org>');
    assert.equal((await c.cmd('RCPT TO:<x@other.org>')).code, 550);
    assert.equal((await c.cmd('RCPT TO:<x@example.com>')).code, 250);
    await c.cmd('DATA');
    c.send('Subject: example\r\n\r\nhello from the test\r\n.\r\n');
    assert.equal((await c.reply()).code, 250);
    await c.cmd('QUIT');
    await c.closed();
    while (!out.includes('hello from the test')) await once(child.stdout, 'data');
    assert.match(out, /a@b\.org/);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});
