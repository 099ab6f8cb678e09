// Shared by the node:test files: where the assembled package is, and how results are compared.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// wasm/test.sh sets SMTPSPEC_NPM_DIR; the default is its build directory.
export const packageDir = resolve(process.env.SMTPSPEC_NPM_DIR ?? join(repo, 'build/wasm/npm'));
if (!existsSync(join(packageDir, 'index.js'))) {
  throw new Error(`no assembled package in ${packageDir}: run wasm/test.sh (or set SMTPSPEC_NPM_DIR)`);
}
export const require = createRequire(join(packageDir, 'index.js'));
export const smtpspec = require('./index.js');

export const parsers = {
  command: 'parseCommand',
  path: 'parsePath',
  mailbox: 'parseMailbox',
  domain: 'parseDomain',
};

// The canonical JSON text of a result object. The objects carry their keys in schema order and
// JSON.stringify escapes as smtpspec::to_json does (src/json.cpp), except that C++ also escapes
// DEL; a DEL can only occur inside a string here, so one replacement makes them equal. The
// conformance test compares the two octet by octet for every vector.
export function canonical(result) {
  return JSON.stringify(result).replace(/\x7f/g, '\\u007f');
}

// conformance/README.md: every key of `expect` must be in `actual` with a matching value (objects
// recursively); arrays must have the same length, element by element. Returns null on a match,
// otherwise where and how it differs.
export function subsetMismatch(expect, actual, where = '$') {
  if (Array.isArray(expect)) {
    if (!Array.isArray(actual)) return `${where}: expected an array, got ${JSON.stringify(actual)}`;
    if (expect.length !== actual.length) {
      return `${where}: expected ${expect.length} elements, got ${actual.length}: ${JSON.stringify(actual)}`;
    }
    for (let i = 0; i < expect.length; i++) {
      const m = subsetMismatch(expect[i], actual[i], `${where}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (expect !== null && typeof expect === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return `${where}: expected an object, got ${JSON.stringify(actual)}`;
    }
    for (const key of Object.keys(expect)) {
      if (!Object.hasOwn(actual, key)) return `${where}.${key}: missing in ${JSON.stringify(actual)}`;
      const m = subsetMismatch(expect[key], actual[key], `${where}.${key}`);
      if (m) return m;
    }
    return null;
  }
  return Object.is(expect, actual) ? null : `${where}: expected ${JSON.stringify(expect)}, got ${JSON.stringify(actual)}`;
}
