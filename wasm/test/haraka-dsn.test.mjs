// haraka-dsn 1.2.1 itself, installed from npm into a scratch directory, and smtpspec/dsn side by
// side: the same helpers, and for every helper and create() under many argument shapes the same
// own fields ({...obj}), the same toString(), the caller's arguments unchanged. Skips (saying
// so) only when the npm registry cannot be reached.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { require, smtpspec } from './helpers.mjs';

const VERSION = smtpspec.dsnCatalogue().version;  // the version the C++ catalogue reproduces
const DSN = require('smtpspec/dsn');

// npm's network failures, as opposed to any other failure (which fails the test).
const unreachable = /E(?:NOTFOUND|AI_AGAIN|CONNREFUSED|CONNRESET|TIMEDOUT|NETUNREACH|HOSTUNREACH)|network|socket hang up/i;

function installHaraka(t) {
  const dir = mkdtempSync(join(tmpdir(), 'smtpspec-haraka-dsn-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'package.json'), '{"name":"side-by-side","private":true}\n');
  try {
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `haraka-dsn@${VERSION}`],
      { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
  } catch (e) {
    const out = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    if (unreachable.test(out)) return { skip: `the npm registry is unreachable, haraka-dsn@${VERSION} not installed:\n${out}` };
    throw new Error(`npm install haraka-dsn@${VERSION} failed:\n${out}`);
  }
  const Haraka = createRequire(join(dir, 'package.json'))('haraka-dsn');
  assert.equal(createRequire(join(dir, 'package.json'))('haraka-dsn/package.json').version, VERSION);
  return { Haraka };
}

// Argument shapes for a helper (msg, code). Each call gets fresh copies, so that a mutation by
// either implementation could not leak into the other's arguments.
const helperShapes = () => [
  [],
  ['a custom message'],
  [['line one\nX-Injected: evil', 'line\r\ntwo', 'three']],
  [undefined, 451],
  [undefined, 550],
  ['msg', 451],
  ['msg', 550],
  ['msg', '421'],
  ['msg', 'abc'],
  ['msg', 200],
  ['msg', 2500],
  ['msg', 25],
  ['msg', '550 trailing'],
  ['msg', null],
  ['msg', [552]],
  ['msg', 5.5e2],
  ['injected\r\nMAIL FROM:<evil@example.com>'],
  ['nul\0tab\tdel\x7fesc\x1b and caf\u00e9 \u2603'],
  [''],
  [0],
  [null, 421],
  [42],
  [[]],
  [[1, null, undefined, 'x\ny']],
  ['multi', '451 4.7.1'],
];

const createShapes = () => [
  [],
  [200],
  [550, 'test'],
  [200, 'test msg', 7],
  [550, 'm', 7, 1],
  [550, 'm', '7', '1'],
  [556, undefined, 1, 10],
  [550, 'm', 9, 9],
  [550, 'm', 0, 99],
  ['421', ['a', 'b\r\nc']],
  ['abc', 'x'],
  [null, 'x', 7, 27],
  [undefined, undefined, 7, 27],
  ['550 trailing'],
  [2500, 'x'],
  [25, 'x'],
  [[550], 'x'],
  [451, ['line one\nX-Injected: evil', 'line two']],
  [550, 'a\0b\x7fc', 5, 6],
  [550, '', 3, 4],
];

const constructorShapes = () => [
  ['abc', 'm', 421, 1, 1],
  [undefined, undefined, 550, 7, 1],
  [451, 'm', 550, 4, 4],
  [undefined, ['x', 'y'], null, 2, 2],
];

test(`haraka-dsn@${VERSION} from npm and smtpspec/dsn side by side`, async (t) => {
  const { Haraka, skip } = installHaraka(t);
  if (skip) {
    t.skip(skip);
    return;
  }
  const helpers = Object.getOwnPropertyNames(Haraka).filter((n) => typeof Haraka[n] === 'function' && n !== 'create');
  const catalogue = smtpspec.dsnCatalogue().functions;
  const ours = catalogue.filter((f) => f.alias_of === null).map((f) => f.name);
  assert.deepEqual(ours, helpers, 'the catalogue has exactly haraka\'s helpers, in its source order');
  for (const f of catalogue.filter((x) => x.alias_of !== null)) {
    assert.equal(Haraka[f.name], undefined, `${f.name} is an alias ${VERSION} lacks`);
    assert.ok(helpers.includes(f.alias_of));
  }
  assert.equal(DSN.length, Haraka.length);
  assert.deepEqual(Object.getOwnPropertyNames(DSN.prototype).sort(), Object.getOwnPropertyNames(Haraka.prototype).sort());

  let compared = 0;
  const check = (label, call) => {
    // Each side gets its own fresh arguments; both must leave them as they were.
    const run = (impl) => {
      const args = call.args();
      const before = JSON.stringify(args, (k, v) => (v === undefined ? null : v));
      const obj = call.invoke(impl, args);
      assert.equal(JSON.stringify(args, (k, v) => (v === undefined ? null : v)), before, `${label}: arguments unchanged`);
      return obj;
    };
    const h = run(Haraka);
    const s = run(DSN);
    assert.ok(s instanceof DSN);
    assert.deepEqual({ ...s }, { ...h }, label);
    assert.deepEqual(Object.keys(s), Object.keys(h), `${label}: field order`);
    assert.equal(s.toString(), h.toString(), `${label}: toString()`);
    assert.equal(`${s}`, `${h}`, `${label}: template string`);
    compared++;
  };
  for (const name of helpers) {
    helperShapes().forEach((shape, i) => {
      check(`${name}(${JSON.stringify(shape)})`, { args: () => helperShapes()[i], invoke: (impl, args) => impl[name](...args) });
    });
  }
  createShapes().forEach((shape, i) => {
    check(`create(${JSON.stringify(shape)})`, { args: () => createShapes()[i], invoke: (impl, args) => impl.create(...args) });
  });
  constructorShapes().forEach((shape, i) => {
    check(`new DSN(${JSON.stringify(shape)})`, { args: () => constructorShapes()[i], invoke: (Impl, args) => new Impl(...args) });
  });
  assert.equal(compared, helpers.length * helperShapes().length + createShapes().length + constructorShapes().length);
  t.diagnostic(`${compared} calls compared (${helpers.length} helpers x ${helperShapes().length} shapes, create, constructor)`);
});
