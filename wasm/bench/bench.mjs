// Throughput of the npm package in this Node: mailboxes/s and commands/s.
// Usage: node wasm/bench/bench.mjs [package-dir] [--json] [--data FILE[=KIND]]...
//   package-dir defaults to build/wasm/npm. Without --data: one typical mailbox and a five-command
//   session. Each --data FILE (one item per line, e.g. bench/data/mailboxes.txt) is measured as a
//   workload of its own; KIND is mailbox, command, path or domain, by default "command" when the
//   file's name starts with "command" and "mailbox" otherwise. Command lines get their CRLF back
//   (as bench/run.sh gives them). Each workload also reports how many of its items the fast
//   (offsets) path answered, and the same workload through the JSON path.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const positional = [];
const dataFiles = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--data') {
    if (i + 1 >= args.length) throw new Error('bench: --data needs a file');
    dataFiles.push(args[++i]);
  } else if (!args[i].startsWith('--')) {
    positional.push(args[i]);
  }
}
const dir = resolve(positional[0] ?? join(here, '../../build/wasm/npm'));
const smtpspec = createRequire(join(dir, 'index.js'))('./index.js');

const FUNCTIONS = { command: 'parseCommand', path: 'parsePath', mailbox: 'parseMailbox', domain: 'parseDomain' };

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
  if (sink < 0) throw new Error('unreachable');  // keeps `sink` (and so every call) alive
  return best;
}

function workload(spec) {
  const eq = spec.lastIndexOf('=');
  const file = eq > 0 ? spec.slice(0, eq) : spec;
  const kind = eq > 0 ? spec.slice(eq + 1) : basename(file).startsWith('command') ? 'command' : 'mailbox';
  const fn = FUNCTIONS[kind];
  if (!fn) throw new Error(`bench: unknown kind ${kind} (${Object.keys(FUNCTIONS).join(', ')})`);
  let items = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  if (kind === 'command') items = items.map((l) => `${l}\r\n`);
  let accepted = 0;
  let fast = 0;
  for (const item of items) {
    if (smtpspec[fn](item).ok) accepted++;
    if (smtpspec._lastWasFast()) fast++;
  }
  return {
    file, kind, items: items.length, accepted, fast,
    per_s: measure(smtpspec[fn], items),
    per_s_json_path: measure(smtpspec._viaJson[fn], items),
  };
}

const fmt = (x) => `${(x / 1e6).toFixed(2)} M/s (${(1e9 / x).toFixed(0)} ns each)`;

if (dataFiles.length > 0) {
  const results = { node: process.version, workloads: dataFiles.map(workload) };
  if (args.includes('--json')) {
    console.log(JSON.stringify(results));
  } else {
    console.log(`smtpspec ${smtpspec.version} (WASM) in Node ${results.node}`);
    for (const w of results.workloads) {
      console.log(`${w.file} (${w.kind}, ${w.items} items, ${w.accepted} accepted, ${w.fast} fast): ${fmt(w.per_s)}`);
      console.log(`  via JSON only: ${fmt(w.per_s_json_path)}`);
    }
  }
} else {
  const mailboxes = ['john.smith@example.com'];
  // A session's worth of typical commands (the shape smtp-source and swaks send).
  const commands = [
    'EHLO client.example.org\r\n',
    'MAIL FROM:<john.smith@example.com> SIZE=1024\r\n',
    'RCPT TO:<jane.doe@example.net>\r\n',
    'DATA\r\n',
    'QUIT\r\n',
  ];
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
    console.log(`smtpspec ${smtpspec.version} (WASM) in Node ${results.node}`);
    console.log(`parseMailbox ${JSON.stringify(mailboxes[0])}: ${fmt(results.mailboxes_per_s)}`);
    console.log(`parseCommand (${commands.length}-command session): ${fmt(results.commands_per_s)}`);
    console.log(`  via JSON only: mailboxes ${fmt(results.mailboxes_per_s_json_path)}, commands ${fmt(results.commands_per_s_json_path)}`);
  }
}
