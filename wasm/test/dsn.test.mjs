// smtpspec/dsn (npm/dsn.js), the drop-in for haraka-dsn 1.2.1, on its own: the helpers come from
// the C++ catalogue, and the facts haraka-dsn's own test suite asserts hold here too. The side by
// side comparison with the real package is haraka-dsn.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageDir, require, smtpspec } from './helpers.mjs';

// Through the package's "exports" map, as a user writes it (a package may require itself by name).
const DSN = require('smtpspec/dsn');
const { functions, texts } = smtpspec.dsnCatalogue();
const own = (d) => ({ ...d });
const textOf = (sub, det) => texts.find((t) => t.subject === sub && t.detail === det)?.text ?? '';

test('smtpspec/dsn is the DSN class with one static helper per catalogue row', () => {
  assert.equal(DSN, require(join(packageDir, 'dsn.js')));
  assert.equal(typeof DSN, 'function');
  assert.equal(DSN.name, 'DSN');
  assert.equal(DSN.length, 5, 'new DSN(code, msg, def, subject, detail)');
  assert.ok(functions.length > 0);
  for (const { name } of [{ name: 'create' }, ...functions]) {
    const f = DSN[name];
    assert.equal(typeof f, 'function', name);
    assert.equal(f.name, name);
    assert.equal(f.length, name === 'create' ? 4 : 2, name);
    assert.equal(Object.getOwnPropertyDescriptor(DSN, name).enumerable, false, 'like a class method');
  }
  assert.deepEqual(Object.getOwnPropertyNames(DSN.prototype).sort(), ['constructor', 'toString']);
});

test('every helper without arguments: its default code, X.sub.det, texts and exactly haraka\'s fields', () => {
  for (const f of functions) {
    const d = DSN[f.name]();
    assert.ok(d instanceof DSN);
    const cls = Math.floor(f.default_code / 100);
    const text = f.default_msg ?? textOf(f.subject, f.detail);
    assert.deepEqual(Object.keys(d), ['code', 'msg', 'cls', 'sub', 'det', 'default_msg', 'reply'], f.name);
    assert.deepEqual(own(d), {
      code: f.default_code,
      msg: f.default_msg ?? undefined,
      cls,
      sub: f.subject,
      det: f.detail,
      default_msg: textOf(f.subject, f.detail),
      reply: `${cls}.${f.subject}.${f.detail} ${text}`,
    }, f.name);
    assert.equal(String(d), d.reply);
  }
});

test('an alias row calls the helper it names', () => {
  const aliases = functions.filter((f) => f.alias_of !== null);
  for (const a of aliases) {
    for (const args of [[], ['moved away', 451], [['a', 'b']]]) {
      assert.deepEqual(own(DSN[a.name](...args)), own(DSN[a.alias_of](...args)), a.name);
    }
  }
});

test('haraka-dsn\'s own asserted facts (its test/index.js at 1.2.1)', () => {
  assert.deepEqual(own(DSN.create(200)), {
    code: 200, msg: undefined, cls: 2, sub: 0, det: 0, default_msg: 'Other undefined status', reply: '2.0.0 Other undefined status',
  });
  assert.equal(DSN.create(200, 'test msg').reply, '2.0.0 test msg');
  const seven = DSN.create(200, 'test msg', 7);
  assert.deepEqual([seven.sub, seven.default_msg, seven.reply], [7, 'Other or undefined security status', '2.7.0 test msg']);
  assert.deepEqual([DSN.net_unspecified().code, DSN.net_unspecified().default_msg], [450, 'Other or undefined network or routing status']);
  assert.deepEqual([DSN.net_unable_to_route().code, DSN.net_unable_to_route().default_msg], [550, 'Unable to route']);
  assert.doesNotMatch(DSN.no_such_user('injected\nX-Extra: header').reply, /\n/);
  assert.doesNotMatch(DSN.no_such_user('bad\r\ngoodbye').reply, /[\r\n]/);
  for (const line of DSN.create(550, ['line one\nX-Injected: evil', 'line two']).reply) assert.doesNotMatch(line, /\n/);
  const msgs = ['line one', 'line two'];
  const copy = [...msgs];
  const multi = DSN.create(550, msgs);
  assert.deepEqual(msgs, copy, 'the caller\'s array is unchanged');
  assert.equal(multi.toString(), '5.0.0 line one\n5.0.0 line two');
  const r = DSN.sec_unauthorized('Try again later', 451);
  assert.equal(r.toString(), '4.7.1 Try again later');
  assert.equal(String(r), '4.7.1 Try again later');
  assert.equal(`${r}`, '4.7.1 Try again later');
  assert.doesNotMatch(String(multi), /\[object Object\]/);
  assert.equal(DSN.sec_unspecified().reply, '4.7.0 Other or undefined security status');
  assert.equal(DSN.sec_unspecified('custom').reply, '4.7.0 custom');
  assert.equal(DSN.auth_succeeded().reply, '2.7.0 Authentication Succeeded');
  assert.equal(typeof DSN.create(550, 'test').cls, 'number');
  assert.equal(DSN.create(550, 'test').cls, 5);
  assert.deepEqual([DSN.addr_null_mx().code, DSN.addr_null_mx().reply], [556, '5.1.10 Recipient address has null MX']);
  assert.equal(DSN.sec_null_mx_sender().code, 550);
  assert.match(DSN.sec_null_mx_sender().reply, /^5\.7\.27 /);
  for (const [name, code, re] of [['sec_dkim_no_pass', 550, /^5\.7\.20 /], ['sec_spf_fail', 550, /^5\.7\.23 /],
    ['sec_spf_error', 451, /^4\.7\.24 /], ['sec_rdns_fail', 550, /^5\.7\.25 /], ['sec_multi_auth_fail', 550, /^5\.7\.26 /]]) {
    assert.equal(DSN[name]().code, code, name);
    assert.match(DSN[name]().reply, re, name);
  }
});

test('codes: the caller\'s value is kept when it starts with [245] and two digits, its class is used', () => {
  assert.deepEqual([DSN.no_such_user('x', 451).code, DSN.no_such_user('x', 451).reply], [451, '4.1.1 x']);
  assert.deepEqual([DSN.no_such_user('x', '421').code, DSN.no_such_user('x', '421').cls], ['421', 4]);
  assert.equal(DSN.no_such_user('x', 'abc').code, 550);
  assert.equal(DSN.no_such_user('x', 200).reply, '2.1.1 x');
  assert.equal(DSN.no_such_user('x', 2500).code, 2500, 'a prefix match, as haraka');
  assert.equal(DSN.no_such_user('x', 25).code, 550);
  assert.equal(DSN.no_such_user('x', '550 extra').code, '550 extra');
  const list = [552];
  assert.equal(DSN.no_such_user('x', list).code, list, 'the caller\'s own value');
  assert.equal(DSN.create(null).code, 450);
  assert.deepEqual([new DSN('abc', 'm', 421, 1, 1).code, new DSN('abc', 'm', 421, 1, 1).reply], [421, '4.1.1 m']);
});

test('messages: falsy is absent, lists give lines, every C0 control and DEL is removed, 8-bit kept', () => {
  assert.equal(DSN.no_such_user('').msg, 'No such user');
  assert.equal(DSN.no_such_user(0).reply, '5.1.1 No such user');
  assert.equal(DSN.addr_bad_dest_mbox('').msg, '');
  assert.equal(DSN.addr_bad_dest_mbox('').reply, '5.1.1 Bad destination mailbox address');
  assert.deepEqual([DSN.create(550, 42).msg, DSN.create(550, 42).reply], [42, '5.0.0 42']);
  const controls = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + '\x7f';
  assert.equal(DSN.create(550, `a${controls}b`).reply, '5.0.0 ab');
  assert.equal(DSN.create(550, 'caf\u00e9 \u2603 \u0085').reply, '5.0.0 caf\u00e9 \u2603 \u0085', 'only C0 and DEL');
  const list = [1, null, undefined, 'a\r\nb'];
  const d = DSN.create(550, list);
  assert.equal(d.msg, list);
  assert.deepEqual(d.reply, ['5.0.0 1', '5.0.0 ', '5.0.0 ', '5.0.0 ab']);
  assert.deepEqual(list, [1, null, undefined, 'a\r\nb']);
  assert.deepEqual([DSN.create(550, []).reply, String(DSN.create(550, []))], [[], '']);
});

test('subject and detail: the caller\'s values, haraka\'s text table by array index', () => {
  const d = DSN.create(550, 'x', '7', '1');
  assert.deepEqual([d.sub, d.det, d.default_msg, d.reply], ['7', '1', textOf(7, 1), '5.7.1 x']);
  assert.deepEqual([DSN.create(550, 'x', 9, 9).default_msg, DSN.create(550, 'x', 9, 9).reply], ['', '5.9.9 x']);
  assert.equal(DSN.create(550, undefined, '07', 1).default_msg, '', '"07" is no array index');
  assert.equal(DSN.create(550, undefined, 1, 10).reply, `5.1.10 ${textOf(1, 10)}`);
});

test('ESM: import DSN from "smtpspec/dsn" and named helpers', async () => {
  const esm = await import(pathToFileURL(join(packageDir, 'dsn.mjs')).href);
  assert.equal(esm.default, DSN);
  assert.equal(esm.create, DSN.create);
  for (const f of functions) assert.equal(esm[f.name], DSN[f.name], f.name);
});
