// The shared conformance vectors (conformance/README.md) through the npm package.
// Each vector is one test named `file:id`: its `expect` must match as a subset, and the object
// must serialise to exactly the octets smtpspec::to_json wrote for it, by both the fast and the
// JSON path, from a string and from a Buffer; and it must have taken the fast path (bind.cpp keeps
// JSON only for a value parsed from input with non-ASCII octets, where octet offsets are not
// string indices; no such input parses without SMTPUTF8). With SMTPSPEC_CONFORMANCE_OUT_DIR (then
// <dir>/wasm.jsonl) or SMTPSPEC_CONFORMANCE_OUT (a file) set, writes `<file>:<id>\t<json>` per
// vector in manifest order, for tools/test-all.sh to compare with the C++ and Python runners.
// SMTPSPEC_CONFORMANCE_DIR overrides where the vectors are (default: conformance/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { canonical, parsers, repo, smtpspec, subsetMismatch } from './helpers.mjs';
import { checkReplyVector, replyKinds, replyVectorJson } from './reply-vectors.mjs';
import { checkMilterVector, milterKinds, milterVectorJson } from './milter-vectors.mjs';
import { checkTranscriptVector, transcriptKinds, transcriptVectorJson } from './transcript-vectors.mjs';
import { checkLintVector, lintKinds, lintVectorJson } from './lint-vectors.mjs';
import { checkSessionVector, sessionKinds, sessionVectorJson } from './session-vectors.mjs';

const conformance = process.env.SMTPSPEC_CONFORMANCE_DIR || join(repo, 'conformance');
const manifestPath = join(conformance, 'manifest.json');

function outputPath() {
  if (process.env.SMTPSPEC_CONFORMANCE_OUT_DIR) return join(process.env.SMTPSPEC_CONFORMANCE_OUT_DIR, 'wasm.jsonl');
  if (process.env.SMTPSPEC_CONFORMANCE_OUT) return process.env.SMTPSPEC_CONFORMANCE_OUT;
  return null;
}

// As tests/conformance_runner.cpp reads it: an array, or an object holding "files" (or
// "vectors"); strings ending in .json name files relative to conformance/, other strings are
// comments; objects may name their file as "file" or "path".
function vectorFiles(manifest) {
  let list = manifest;
  if (!Array.isArray(manifest) && manifest !== null && typeof manifest === 'object') {
    list = manifest.files ?? manifest.vectors;
  }
  if (!Array.isArray(list)) throw new Error('conformance/manifest.json lists no vector files');
  const files = [];
  for (const e of list) {
    if (typeof e === 'string') {
      if (e.length > 5 && e.endsWith('.json')) files.push(e);
    } else if (e !== null && typeof e === 'object') {
      const f = typeof e.file === 'string' ? e.file : e.path;
      if (typeof f === 'string') files.push(f);
    }
  }
  return files.map((name) => ({ name, path: join(conformance, name) }));
}

// Every vector file on disk must be listed (a hand-kept list drifts).
function unlisted(files) {
  const listed = new Set(files.map((f) => resolve(f.path)));
  const found = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json') && !listed.has(resolve(p))) found.push(relative(conformance, p));
    }
  };
  if (existsSync(join(conformance, 'vectors'))) walk(join(conformance, 'vectors'));
  return found;
}

function inputOf(v) {
  if (typeof v.input_hex === 'string') return Buffer.from(v.input_hex, 'hex');
  if (typeof v.input === 'string') return v.input;
  throw new Error(`vector ${v.id}: neither "input" nor "input_hex"`);
}

function optionsOf(v) {
  const profile = v.profile ?? 'strict';
  if (profile !== 'strict' && profile !== 'lenient') throw new Error(`unknown profile ${profile}`);
  const options = { lenient: profile === 'lenient' };
  if (v.smtputf8 !== undefined && typeof v.smtputf8 !== 'boolean') throw new Error('smtputf8 must be a boolean');
  if (v.smtputf8) options.smtputf8 = true;
  if (v.kind === 'path') options.role = v.role ?? 'any';
  return options;
}

if (!existsSync(manifestPath)) {
  test('conformance vectors', (t) => {
    if (process.env.SMTPSPEC_REQUIRE_VECTORS === '1') {
      assert.fail(`${manifestPath} does not exist (SMTPSPEC_REQUIRE_VECTORS=1)`);
    }
    t.skip(`${manifestPath} does not exist yet`);
  });
} else {
  const files = vectorFiles(JSON.parse(readFileSync(manifestPath, 'utf8')));
  const lines = [];
  const cases = [];
  const codes = new Set(smtpspec.catalogue().errors.map((e) => e.code));
  const diagnosticIds = new Set(smtpspec.catalogue().diagnostics.map((d) => d.id));
  if (files.length === 0) cases.push({ name: 'manifest', error: new Error('manifest.json lists no vector files') });
  for (const name of unlisted(files)) {
    cases.push({ name: `manifest:${name}`, error: new Error(`${name} is not listed in conformance/manifest.json`) });
  }
  for (const file of files) {
    let vectors;
    try {
      vectors = JSON.parse(readFileSync(file.path, 'utf8'));
      if (!Array.isArray(vectors)) throw new Error(`${file.name} is not a JSON array`);
    } catch (e) {
      cases.push({ name: `${file.name}:load`, error: e });
      continue;
    }
    const ids = new Set();
    vectors.forEach((v, index) => {
      if (typeof v === 'string') return;  // a comment
      const id = v !== null && typeof v === 'object' && typeof v.id === 'string' ? v.id : `#${index + 1}`;
      const name = `${file.name}:${id}`;
      const fn = parsers[v?.kind];
      let result;
      let fast;
      let error;
      try {
        if (typeof v?.id !== 'string') throw new Error(`entry ${index + 1} has no string id`);
        if (ids.has(id)) throw new Error(`duplicate id ${id}`);
        ids.add(id);
        if (sessionKinds.has(v.kind)) {  // issue 6 (session-vectors.mjs): the C++ JSON text itself
          if (v.expect === null || typeof v.expect !== 'object') throw new Error('vector without "expect"');
          const sessionJson = sessionVectorJson(v);
          result = JSON.parse(sessionJson);
          lines.push(`${name}\t${sessionJson}\n`);
          cases.push({ name, v, result, sessionJson });
          return;
        }
        if (transcriptKinds.has(v.kind)) {  // issue 7 (transcript-vectors.mjs): the C++ JSON text itself
          if (v.expect === null || typeof v.expect !== 'object') throw new Error('vector without "expect"');
          const transcriptJson = transcriptVectorJson(v);
          result = JSON.parse(transcriptJson);
          lines.push(`${name}\t${transcriptJson}\n`);
          cases.push({ name, v, result, transcriptJson });
          return;
        }
        if (lintKinds.has(v.kind)) {  // issue 7 (lint-vectors.mjs): the C++ JSON text itself
          if (v.expect === null || typeof v.expect !== 'object') throw new Error('vector without "expect"');
          const lintJson = lintVectorJson(v);
          result = JSON.parse(lintJson);
          lines.push(`${name}\t${lintJson}\n`);
          cases.push({ name, v, result, lintJson });
          return;
        }
        if (milterKinds.has(v.kind)) {  // issue 5 (milter-vectors.mjs): the C++ JSON text itself
          if (v.expect === null || typeof v.expect !== 'object') throw new Error('vector without "expect"');
          const milterJson = milterVectorJson(v);
          result = JSON.parse(milterJson);
          lines.push(`${name}\t${milterJson}\n`);
          cases.push({ name, v, result, milterJson });
          return;
        }
        if (replyKinds.has(v.kind)) {  // issue 4 (reply-vectors.mjs): the line is the C++ JSON text itself
          if (v.expect === null || typeof v.expect !== 'object') throw new Error('vector without "expect"');
          const replyJson = replyVectorJson(v);
          result = JSON.parse(replyJson);
          lines.push(`${name}\t${replyJson}\n`);
          cases.push({ name, v, result, replyJson });
          return;
        }
        if (!fn) throw new Error(`unknown kind ${JSON.stringify(v.kind)}`);
        if (v.expect === null || typeof v.expect !== 'object') throw new Error('vector without "expect"');
        result = smtpspec[fn](inputOf(v), optionsOf(v));
        fast = smtpspec._lastWasFast();
        lines.push(`${name}\t${canonical(result)}\n`);
      } catch (e) {
        error = e;
        lines.push(`${name}\t${JSON.stringify({ bad_vector: String(e.message) })}\n`);
      }
      cases.push({ name, v, fn, result, fast, error });
    });
  }
  const out = outputPath();
  if (out) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, lines.join(''));
  }

  for (const { name, v, fn, result, fast, error, replyJson, milterJson, transcriptJson, sessionJson, lintJson } of cases) {
    test(name, () => {
      if (error) throw error;
      if (sessionJson !== undefined) {  // issue 6 (session-vectors.mjs)
        const m = subsetMismatch(v.expect, result);
        assert.equal(m, null, `${name}: ${m}`);
        checkSessionVector(v, result);
        return;
      }
      if (transcriptJson !== undefined) {  // issue 7 (transcript-vectors.mjs)
        const m = subsetMismatch(v.expect, result);
        assert.equal(m, null, `${name}: ${m}\n  input: ${JSON.stringify(v.input ?? v.input_hex)}`);
        checkTranscriptVector(v, result);
        return;
      }
      if (lintJson !== undefined) {  // issue 7 (lint-vectors.mjs)
        const m = subsetMismatch(v.expect, result);
        assert.equal(m, null, `${name}: ${m}\n  input: ${JSON.stringify(v.input ?? v.input_hex)}`);
        checkLintVector(v, result);
        return;
      }
      if (milterJson !== undefined) {  // issue 5 (milter-vectors.mjs)
        const m = subsetMismatch(v.expect, result);
        assert.equal(m, null, `${name}: ${m}\n  input: ${v.input_hex}`);
        checkMilterVector(v, result);
        return;
      }
      if (replyJson !== undefined) {  // issue 4 (reply-vectors.mjs)
        const m = subsetMismatch(v.expect, result);
        assert.equal(m, null, `${name}: ${m}\n  input: ${JSON.stringify(v.input ?? v.input_hex)}`);
        checkReplyVector(v, result, replyJson);
        return;
      }
      const mismatch = subsetMismatch(v.expect, result);
      assert.equal(mismatch, null, `${name}: ${mismatch}\n  input: ${JSON.stringify(v.input ?? v.input_hex)}`);
      // Octet-identical to the C++ canonical JSON, whichever path built the object.
      const input = inputOf(v);
      const options = optionsOf(v);
      const cxx = Buffer.from(smtpspec._canonicalJson[fn](input, options)).toString('latin1');
      assert.equal(Buffer.from(canonical(result)).toString('latin1'), cxx, 'fast path vs C++ to_json');
      assert.equal(Buffer.from(canonical(smtpspec._viaJson[fn](input, options))).toString('latin1'), cxx,
        'JSON path vs C++ to_json');
      // The fast path, unless the documented exception applies.
      const octetsOf = typeof input === 'string' ? Buffer.from(input) : input;
      const jsonOnly = result.ok && octetsOf.some((b) => b >= 0x80);
      assert.equal(fast, !jsonOnly, jsonOnly ? 'a value from non-ASCII input takes the JSON path' : 'took the fast path');
      // A string and its UTF-8 octets are the same input.
      if (typeof input === 'string') {
        assert.deepEqual(smtpspec[fn](octetsOf, options), result);
        assert.equal(smtpspec._lastWasFast(), !jsonOnly, 'the octets took the same path');
      }
      if (!result.ok) {
        assert.ok(codes.has(result.error.code), `error code ${result.error.code} is in the catalogue`);
        assert.ok(result.error.offset >= 0 && result.error.offset <= Buffer.byteLength(input), 'offset inside the input');
      }
      for (const d of result.diagnostics) assert.ok(diagnosticIds.has(d.id), `diagnostic ${d.id} is in the catalogue`);
    });
  }
}
