// Throughput of the npm package in this Node: mailboxes/s and commands/s.
// Usage: node wasm/bench/bench.mjs [package-dir] [--json] (default: build/wasm/npm)
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { resolve, dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const dir = resolve(args.find((a) => !a.startsWith('--')) ?? join(here, '../../build/wasm/npm'));
const smtpspec = createRequire(join(dir, 'index.js'))('./index.js');

const mailboxes = ['john.smith@example.com'];
// A session's worth of typical commands (the shape smtp-source and swaks send).
const commands = [
  'EHLO client.example.org\r\n',
  'MAIL FROM:<john.smith@example.com> SIZE=1024\r\n',
  'RCPT TO:<jane.doe@example.net>\r\n',
  'DATA\r\n',
  'QUIT\r\n',
];

// Runs fn over the inputs for about `seconds`, returning calls per second (best of 5 rounds).
function measure(fn, inputs, seconds = 0.4) {
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += fn(inputs[i % inputs.length]).ok ? 1 : 0;  // warm up
  let best = 0;
  for (let round = 0; round < 5; round++) {
    let n = 0;
    const start = process.hrtime.bigint();
    const stop = start + BigInt(Math.round(seconds * 1e9));
    let now = start;
    while (now < stop) {
      for (let i = 0; i < 10_000; i++) sink += fn(inputs[(n + i) % inputs.length]).ok ? 1 : 0;
      n += 10_000;
      now = process.hrtime.bigint();
    }
    best = Math.max(best, n / (Number(now - start) / 1e9));
  }
  if (sink === 0) throw new Error('bench: nothing parsed');
  return best;
}

const results = {
  node: process.version,
  mailboxes_per_s: measure(smtpspec.parseMailbox, mailboxes),
  commands_per_s: measure(smtpspec.parseCommand, commands),
  mailboxes_per_s_json_path: measure(smtpspec._viaJson.parseMailbox, mailboxes),
  commands_per_s_json_path: measure(smtpspec._viaJson.parseCommand, commands),
};
if (args.includes('--json')) {
  console.log(JSON.stringify(results));
} else {
  const fmt = (x) => `${(x / 1e6).toFixed(2)} M/s (${(1e9 / x).toFixed(0)} ns each)`;
  console.log(`smtpspec ${smtpspec.version} (WASM) in Node ${results.node}`);
  console.log(`parseMailbox ${JSON.stringify(mailboxes[0])}: ${fmt(results.mailboxes_per_s)}`);
  console.log(`parseCommand (${commands.length}-command session): ${fmt(results.commands_per_s)}`);
  console.log(`  via JSON only: mailboxes ${fmt(results.mailboxes_per_s_json_path)}, commands ${fmt(results.commands_per_s_json_path)}`);
}
