// ICU parity (issue 3): the ICU compiled into the WebAssembly build (cmake/icu-wasm.cmake) must answer
// exactly as Debian's libicu does natively. wasm/test/icu/icu_probe.cpp, built both ways next to the
// package, prints UTS #46 and NFC/NFD answers for all of Unicode's IdnaTestV2.txt and
// NormalizationTest.txt, every scalar value and random strings; the outputs must be identical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { packageDir } from './helpers.mjs';

const run = promisify(execFile);
const configFile = join(dirname(packageDir), 'icu-probe.json');

async function probe(kind, args) {
  const config = JSON.parse(readFileSync(configFile, 'utf8'));
  const [file, argv] = kind === 'wasm' ? [process.execPath, [config.wasm, ...args]] : [config.native, args];
  const { stdout } = await run(file, argv, { encoding: 'utf8', maxBuffer: 256 << 20 });
  return stdout;
}

// The first differing line, for a readable failure.
function firstDifference(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return `line ${i + 1}:\n  wasm:   ${x[i]}\n  native: ${y[i]}`;
  }
  return null;
}

const hex = (s) => Buffer.from(s, 'utf8').toString('hex');

test('ICU in WASM answers as native ICU', { skip: !existsSync(configFile) && 'no icu-probe.json' }, async (t) => {
  const config = JSON.parse(readFileSync(configFile, 'utf8'));
  const cases = {
    idna: ['idna', config.idnaTest],
    norm: ['norm', config.normalizationTest],
    scalars: ['scalars'],
    random: ['random', '50000'],
  };
  const outputs = Object.fromEntries(await Promise.all(Object.entries(cases).map(async ([name, args]) =>
    [name, await Promise.all([probe('wasm', args), probe('native', args)])])));

  for (const [name, [wasm, native]] of Object.entries(outputs)) {
    await t.test(name, () => {
      assert.equal(firstDifference(wasm, native), null);
      // A data item missing from the WASM data package shows up here (native ICU has all items).
      assert.doesNotMatch(wasm, /U_FILE_ACCESS_ERROR|U_MISSING_RESOURCE_ERROR/);
    });
  }
  const lines = (s) => s.split('\n').filter(Boolean).length;
  assert.ok(lines(outputs.idna[0]) > 6000, 'IdnaTestV2.txt has over 6,000 cases');
  assert.ok(lines(outputs.norm[0]) > 19000, 'NormalizationTest.txt has over 19,000 cases');
  assert.equal(lines(outputs.scalars[0]), 0x110000 / 0x1000);
  assert.equal(lines(outputs.random[0]), 50);
  // Known answers, so that identical failures cannot pass: UTS #46 nontransitional maps faß.de to
  // xn--fa-hia.de (IDNA2008), transitional to fass.de (IDNA2003); NFC composes D + U+0307.
  assert.match(outputs.idna[0], new RegExp(`^idna \\d+ ${hex('xn--fa-hia.de')}:0:U_ZERO_ERROR ` +
    `${hex('faß.de')}:0:U_ZERO_ERROR ${hex('fass.de')}:0:U_ZERO_ERROR`, 'm'));
  assert.match(outputs.norm[0], new RegExp(`^norm \\d+ ${hex('\u1E0A')}:U_ZERO_ERROR:y:`, 'm'));
});
