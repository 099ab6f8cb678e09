// Peer harness (Node): runs the shared workloads through the npm parsers a user would otherwise
// pick, and through smtpspec's own npm package when its directory is given. One JSON line per
// (implementation, workload) on stdout; a peer that cannot be loaded gives an "unavailable" line.
//   node peers.mjs <bench/data> [<smtpspec npm package dir>]
// Method (same in every harness): warm up 0.3 s, then 10 samples of at least 0.2 s each; the
// fastest sample's ns/op (interference on a shared machine only ever adds time).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const [dataDir, wasmDir] = process.argv.slice(2);
const LANG = `JavaScript (Node ${process.versions.node})`;

const load = (name) => readFileSync(join(dataDir, name), 'utf8').split('\n').filter((l) => l !== '');
const data = {
  commands: load('commands.txt'),
  mailboxes: load('mailboxes.txt'),
  mailboxes_invalid: load('mailboxes_invalid.txt'),
};
// smtpspec parses the line as a server receives it, CRLF included (as in the C++ benchmark).
const commandsCrlf = data.commands.map((l) => `${l}\r\n`);

// The version of the package `name` as `req` resolves it (walks up from its entry point, so it
// works for packages whose "exports" hide package.json).
function version(req, name) {
  let dir = dirname(req.resolve(name));
  for (;;) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8'));
      if (pkg.name === name) return pkg.version;
    }
    if (dirname(dir) === dir) return '?';
    dir = dirname(dir);
  }
}

// The harness's own verb split, identical for every JS peer: neither smtp-server nor Haraka has a
// command-line parser function; both dispatch on the first word and parse arguments per verb.
function split(line) {
  const sp = line.indexOf(' ');
  return sp < 0 ? [line, ''] : [line.slice(0, sp), line.slice(sp + 1)];
}

const peers = [
  {
    impl: 'smtpspec (WASM)',
    api: 'parseCommand / parseMailbox',
    setup() {
      if (!wasmDir) throw new Error('smtpspec npm package not built (build/wasm…/npm)');
      const s = require(wasmDir);
      return {
        version: JSON.parse(readFileSync(join(wasmDir, 'package.json'), 'utf8')).version,
        commands: [commandsCrlf, (l) => s.parseCommand(l).ok],
        mailboxes: [data.mailboxes, (m) => s.parseMailbox(m).ok],
        mailboxes_invalid: [data.mailboxes_invalid, (m) => s.parseMailbox(m).ok],
      };
    },
  },
  {
    impl: 'smtp-server',
    api: 'SMTPConnection#_parseAddressCommand for MAIL/RCPT (internal method, real server options)',
    async setup() {
      const { SMTPServer } = await import('smtp-server');
      const { SMTPConnection } = await import('smtp-server/lib/smtp-connection.js');
      // The method reads only this._server.options (and the logger on punycode failures); a
      // connection object without a socket gives it exactly that.
      const conn = Object.create(SMTPConnection.prototype);
      conn._server = new SMTPServer({ logger: false });
      conn.session = {};
      conn.id = 'bench';
      return {
        version: version(require, 'smtp-server'),
        commands: [data.commands, (line) => {
          switch (split(line)[0].toUpperCase()) {
            case 'MAIL': return conn._parseAddressCommand('mail from', line) !== false;
            case 'RCPT': return conn._parseAddressCommand('rcpt to', line) !== false;
            default: return true;  // other handlers parse nothing a parser could be timed on
          }
        }],
      };
    },
  },
  {
    impl: 'Haraka',
    api: 'haraka-utils rfc1869.parse + @haraka/email-address Address for MAIL/RCPT, as connection.js does',
    setup() {
      // Resolve both from Haraka's own dependency tree so the versions are the ones Haraka ships.
      const haraka = createRequire(require.resolve('Haraka/package.json'));
      const { rfc1869 } = haraka('haraka-utils');
      const { Address } = haraka('@haraka/email-address');
      const opts = { postel: false };  // Haraka's default (config main.postel)
      return {
        version: version(require, 'Haraka'),
        commands: [data.commands, (line) => {
          const [verb, rest] = split(line);
          const v = verb.toLowerCase();
          if (v !== 'mail' && v !== 'rcpt') return true;
          try {
            const parts = rfc1869.parse(v, rest, false);  // main.strict_rfc1869 defaults to false
            return new Address(parts.shift(), opts) !== null;
          } catch {
            return false;
          }
        }],
      };
    },
  },
  {
    impl: 'address-rfc2821',
    api: 'new Address(mailbox)',
    setup() {
      const { Address } = require('address-rfc2821');
      const f = (m) => { try { return new Address(m) !== null; } catch { return false; } };
      return {
        version: version(require, 'address-rfc2821'),
        mailboxes: [data.mailboxes, f],
        mailboxes_invalid: [data.mailboxes_invalid, f],
      };
    },
  },
  {
    impl: '@haraka/email-address',
    api: 'parseAddress(mailbox)',
    setup() {
      const { parseAddress } = require('@haraka/email-address');
      const f = (m) => { try { return parseAddress(m) !== null; } catch { return false; } };
      return {
        version: version(require, '@haraka/email-address'),
        mailboxes: [data.mailboxes, f],
        mailboxes_invalid: [data.mailboxes_invalid, f],
      };
    },
  },
  {
    impl: 'smtp-address-parser',
    api: 'parse(mailbox)',
    setup() {
      const { parse } = require('smtp-address-parser');
      const f = (m) => { try { return parse(m) !== null; } catch { return false; } };
      return {
        version: version(require, 'smtp-address-parser'),
        mailboxes: [data.mailboxes, f],
        mailboxes_invalid: [data.mailboxes_invalid, f],
      };
    },
  },
];

let sink = 0;
function pass(items, f) {
  let ok = 0;
  for (let i = 0; i < items.length; i++) if (f(items[i])) ok++;
  return ok;
}

function nsPerOp(items, f) {
  for (const warm = performance.now(); performance.now() - warm < 300;) sink += pass(items, f);
  const samples = [];
  for (let s = 0; s < 10; s++) {
    const start = performance.now();
    let passes = 0;
    while (performance.now() - start < 200) {
      sink += pass(items, f);
      passes++;
    }
    samples.push(((performance.now() - start) * 1e6) / (passes * items.length));
  }
  return Math.min(...samples);
}

const emit = (o) => process.stdout.write(`${JSON.stringify({ lang: LANG, ...o })}\n`);

for (const p of peers) {
  let s;
  try {
    s = await p.setup();
  } catch (e) {
    emit({ impl: p.impl, workload: '*', unavailable: String(e.message || e).split('\n')[0] });
    continue;
  }
  for (const workload of ['commands', 'mailboxes', 'mailboxes_invalid']) {
    if (!s[workload]) continue;
    const [items, f] = s[workload];
    try {
      const accepted = pass(items, f);
      emit({ impl: p.impl, version: s.version, workload, ns_per_op: +nsPerOp(items, f).toFixed(2),
        accepted, total: items.length, api: p.api });
    } catch (e) {
      emit({ impl: p.impl, workload, unavailable: String(e.message || e).split('\n')[0] });
    }
  }
}
if (sink === -1) console.error(sink);
