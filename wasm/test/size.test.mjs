// The npm package's size budget (README.md, "Package size"). ICU (issue 3) roughly doubled the module;
// this keeps the next addition from growing it unnoticed. Raise a budget on purpose, with the README.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { packageDir } from './helpers.mjs';

// Measured 2026-12-05 (ICU, typed parameters, SMTPUTF8 and the milter codec in): smtpspec_wasm.js
// 1,544,627 octets (476,574 gzip'd), tarball 510,227, unpacked 1,671,166; ~15% headroom.
// Measured 2026-12-06 with the server session (issue 6: session, DATA reader, PROXY parser and
// smtpspec/server; the session and its binding are +235,353 octets raw, +83,494 gzip'd):
// smtpspec_wasm.js 1,838,140 (581,812 gzip'd), tarball 630,747, unpacked 2,018,179; ~15% headroom.
// Measured 2026-12-06 with the linter (issue 7: twelve transcript readers, 113 rules and their
// catalogue with quotes, the four writers, the streaming Linter/TranscriptReader, the reference
// server): smtpspec_wasm.js 2,086,372 (672,307 gzip'd), tarball 727,149, unpacked 2,287,465; ~10%.
const budget = {
  moduleRaw: 2_300_000,   // smtpspec_wasm.js: the loader with the .wasm embedded as base64
  moduleGzip: 740_000,
  tarball: 800_000,       // what `npm pack` writes (gzip'd tar)
  unpacked: 2_520_000,    // what `npm install` puts on disk
};

test('smtpspec_wasm.js stays within its size budget', () => {
  const module = readFileSync(join(packageDir, 'smtpspec_wasm.js'));
  const gzip = gzipSync(module, { level: 9 }).length;
  assert.ok(module.length <= budget.moduleRaw, `smtpspec_wasm.js is ${module.length} octets (budget ${budget.moduleRaw})`);
  assert.ok(gzip <= budget.moduleGzip, `smtpspec_wasm.js is ${gzip} octets gzip'd (budget ${budget.moduleGzip})`);
});

test('the packed tarball stays within its size budget', () => {
  const [pack] = JSON.parse(execFileSync('npm', ['pack', packageDir, '--dry-run', '--json', '--loglevel=error'],
    { encoding: 'utf8', cwd: tmpdir(), env: { ...process.env, npm_config_update_notifier: 'false' } }));
  assert.ok(pack.size <= budget.tarball, `the tarball is ${pack.size} octets (budget ${budget.tarball})`);
  assert.ok(pack.unpackedSize <= budget.unpacked, `unpacked ${pack.unpackedSize} octets (budget ${budget.unpacked})`);
});
