'use strict';
// smtpspec/dsn: a drop-in replacement for require('haraka-dsn') 1.2.1 — the same class with the
// same static helpers, create(code, msg, subject, detail), and objects with exactly haraka's own
// fields {code, msg, cls, sub, det, default_msg, reply} in its order. The helpers are made from
// the C++ catalogue (include/smtpspec/catalogue/dsn.inc) and every result is computed by the C++
// core (smtpspec::dsn::make / create_text); this file only carries the JavaScript values across.
//
// haraka's rules, as the core implements them (include/smtpspec/dsn.hpp): the caller's code is
// kept when String(code) starts with [245] and two digits, else the helper's default (450 for
// create); a falsy message is absent (`msg || …`), a list gives one reply line per element; every
// C0 control and DEL is removed from the reply (so no CR/LF reaches it); the caller's list is
// never changed.

const { bytesOf, nativeModule } = require('./reply.js');

const native = nativeModule();

// Message arguments for bind_reply.cpp: [kind, value] with kind 0 absent, 1 text, 2 list.
// haraka-utils sanitize() reads String(x ?? '') of each.
function messageArgs(msg) {
  if (Array.isArray(msg)) return [2, msg.map((m) => bytesOf(String(m ?? '')))];
  if (!msg) return [0, undefined];
  return [1, bytesOf(String(msg))];
}

// Fills `target` from the core's answer [fromCaller, DSN JSON], in haraka's field order. The
// values the caller gave stay the caller's own (a code such as "550 x" or [550], a list message,
// subject "7"), as in haraka.
function fill(target, [fromCaller, d], code, msg, sub, det) {
  target.code = fromCaller ? code : d.code;
  // A helper's own text (`msg || 'No such user'`) replaces a falsy message.
  target.msg = !msg && d.msg !== null ? d.msg : msg;
  target.cls = d.cls;
  target.sub = sub === undefined ? d.sub : sub;
  target.det = det === undefined ? d.det : det;
  target.default_msg = d.default_msg;
  target.reply = d.reply;
  return target;
}

function created(code, msg, subject, detail) {
  const [kind, value] = messageArgs(msg);
  return JSON.parse(native.dsnCreateJson(code !== undefined, code === undefined ? '' : bytesOf(String(code)), kind,
    value, bytesOf(String(subject)), bytesOf(String(detail))));
}

class DSN {
  /**
   * haraka's constructor: `def` is the code used when `code` is not one (450 when falsy).
   * A `def` that is itself no reply code gives 450 here (haraka would write its first character
   * as the class).
   */
  constructor(code, msg, def, subject, detail) {
    const sub = subject || 0;
    const det = detail || 0;
    let answer = created(code, msg, sub, det);
    let used = code;
    if (!answer[0] && def) {
      answer = created(def, msg, sub, det);
      used = def;
    }
    fill(this, answer, used, msg, sub, det);
  }

  toString() {
    return Array.isArray(this.reply) ? this.reply.join('\n') : this.reply;
  }

  static create(code, msg, subject, detail) {
    return new DSN(code, msg, null, subject, detail);
  }
}

// One static helper per catalogue row, with haraka's name and (msg, code) signature.
function helper(name) {
  const f = function (msg, code) {
    const [kind, value] = messageArgs(msg);
    const answer = native.dsnMakeJson(bytesOf(name), kind, value, code !== undefined,
      code === undefined ? '' : bytesOf(String(code)));
    return fill(Object.create(DSN.prototype), JSON.parse(answer), code, msg, undefined, undefined);
  };
  Object.defineProperty(f, 'name', { value: name });
  return f;
}

for (const { name } of JSON.parse(native.dsnCatalogueJson()).functions) {
  // As class methods are: not enumerable, writable, configurable.
  Object.defineProperty(DSN, name, { value: helper(name), writable: true, enumerable: false, configurable: true });
}

module.exports = DSN;
