// The package as a user gets it: `npm pack`, install the tarball into an empty directory, then
// require() and import() it from there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageDir, repo } from './helpers.mjs';

// TypeScript is the package's one dev dependency (wasm/npm/package-lock.json; tools/setup.sh
// installs it with npm ci).
const tsc = join(repo, 'wasm/npm/node_modules/typescript/bin/tsc');

// Runs a program; on failure the assertion carries its output (tsc reports on stdout).
function run(file, args, options) {
  try {
    return execFileSync(file, args, { encoding: 'utf8', ...options });
  } catch (e) {
    assert.fail(`${file} ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}
const npm = (args, cwd) => run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'],
  { cwd, env: { ...process.env, npm_config_update_notifier: 'false' } });

test('npm pack, install into an empty directory, require, import and type-check', (t) => {
  const work = mkdtempSync(join(tmpdir(), 'smtpspec-pack-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const packs = join(work, 'packs');
  const app = join(work, 'app');
  mkdirSync(packs);
  mkdirSync(app);

  const listing = JSON.parse(npm(['pack', packageDir, '--pack-destination', packs, '--json'], work));
  const files = listing[0].files.map((f) => f.path).sort();
  assert.deepEqual(files, ['LICENSE', 'README.md', 'dsn.d.mts', 'dsn.d.ts', 'dsn.js', 'dsn.mjs', 'index.d.mts', 'index.d.ts',
    'index.js', 'index.mjs', 'lint.js', 'milter.d.mts', 'milter.d.ts', 'milter.js', 'milter.mjs', 'package.json', 'reply.js',
    'server.d.mts', 'server.d.ts', 'server.js', 'server.mjs', 'smtpspec_wasm.js', 'transcript.js']);
  const tarball = join(packs, readdirSync(packs).find((f) => f.endsWith('.tgz')));

  writeFileSync(join(app, 'package.json'), '{"name":"app","private":true}\n');
  npm(['install', '--offline', tarball], app);

  const cjs = run(process.execPath, ['-e',
    "const s = require('smtpspec'); const r = s.parseCommand('MAIL FROM:<a@example.com>\\r\\n');" +
    "process.stdout.write(JSON.stringify([r.ok, r.verb, r.value.path.mailbox.text, s.version]))"],
  { cwd: app });
  const esm = run(process.execPath, ['--input-type=module', '-e',
    "import { parseCommand, version } from 'smtpspec'; import s from 'smtpspec';" +
    "const r = parseCommand('MAIL FROM:<a@example.com>\\r\\n');" +
    "process.stdout.write(JSON.stringify([r.ok, r.verb, r.value.path.mailbox.text, s.version === version ? version : '']))"],
  { cwd: app });
  const expected = JSON.parse(cjs);
  assert.deepEqual(expected.slice(0, 3), [true, 'MAIL', 'a@example.com']);
  assert.deepEqual(JSON.parse(esm), expected);
  // smtpspec/dsn, the haraka-dsn drop-in, through the "exports" map (issue 4).
  const dsnCjs = run(process.execPath, ['-e',
    "const DSN = require('smtpspec/dsn'); process.stdout.write(String(DSN.no_such_user('x', 451)))"], { cwd: app });
  const dsnEsm = run(process.execPath, ['--input-type=module', '-e',
    "import DSN, { no_such_user } from 'smtpspec/dsn'; process.stdout.write(DSN.no_such_user === no_such_user ? String(no_such_user('x', 451)) : '')"],
  { cwd: app });
  assert.deepEqual([dsnCjs, dsnEsm], ['4.1.1 x', '4.1.1 x']);
  // smtpspec/milter through the "exports" map (issue 5).
  const milterCjs = run(process.execPath, ['-e',
    "const m = require('smtpspec/milter'); process.stdout.write(m.decode(Buffer.from('000000024e78', 'hex'), 'to_filter').error.code)"],
  { cwd: app });
  const milterEsm = run(process.execPath, ['--input-type=module', '-e',
    "import { decode } from 'smtpspec/milter'; process.stdout.write(decode(new Uint8Array([0, 0, 0, 1, 0x4e]), 'to_filter').packets[0].type)"],
  { cwd: app });
  assert.deepEqual([milterCjs, milterEsm], ['unexpected_payload', 'SMFIC_EOH']);
  // smtpspec/server through the "exports" map (issue 6).
  const serverCjs = run(process.execPath, ['-e',
    "const { ServerSession } = require('smtpspec/server'); const s = new ServerSession({ hostname: 'mx.t' }); s.start();" +
    "process.stdout.write(Buffer.from(s.takeOutput()).toString().slice(0, 9))"], { cwd: app });
  const serverEsm = run(process.execPath, ['--input-type=module', '-e',
    "import { createServer, HOOKS } from 'smtpspec/server'; process.stdout.write(typeof createServer + HOOKS[0])"],
  { cwd: app });
  assert.deepEqual([serverCjs, serverEsm], ['220 mx.t ', 'functionconnect']);

  // The types as a TypeScript user resolves them through the "exports" map, CJS and ESM.
  assert.ok(existsSync(tsc), `${tsc} is missing: run tools/setup.sh (npm ci in wasm/npm)`);
  for (const f of ['check.cts', 'check.mts', 'reply.cts', 'reply.mts', 'milter.cts', 'milter.mts', 'server.cts', 'server.mts', 'lint.cts', 'lint.mts']) copyFileSync(join(repo, 'wasm/test/types', f), join(app, f));
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true,
      noEmit: true, types: [], noUnusedLocals: true },
    files: ['check.cts', 'check.mts', 'reply.cts', 'reply.mts', 'milter.cts', 'milter.mts', 'server.cts', 'server.mts', 'lint.cts', 'lint.mts'],
  }));
  run(process.execPath, [tsc, '-p', join(app, 'tsconfig.json')], { cwd: app });
});
