// The one Node built-in the npm package's ESM entry imports (`createRequire` from node:module), for
// the browser: the page's import map points "node:module" here. `require` fetches the package's
// CommonJS files synchronously from the same static server and runs them with the few Node globals
// the Emscripten loader and index.js touch (process, Buffer, __dirname). The package itself is
// unchanged: the page runs the same files npm installs.

// The subset of Buffer the package uses: base64 decoding (the embedded .wasm), views on the heap and
// their latin1 decoding, the UTF-8 length of a string.
class Buffer extends Uint8Array {
  static from(value, a, b) {
    if (typeof value === 'string') {
      if (a !== 'base64') throw new TypeError(`Buffer.from: unsupported encoding ${a}`);
      const bin = atob(value);
      const out = new Buffer(bin.length);
      for (let i = 0; i < bin.length; ++i) out[i] = bin.charCodeAt(i);
      return out;
    }
    if (value instanceof ArrayBuffer) return new Buffer(value, a ?? 0, b ?? value.byteLength - (a ?? 0));
    return new Buffer(value);
  }
  static alloc(n) { return new Buffer(n); }
  static byteLength(s) { return new TextEncoder().encode(String(s)).length; }
  static isBuffer(v) { return v instanceof Buffer; }
  toString(encoding = 'utf8', start = 0, end = this.length) {
    const part = this.subarray(start, end);
    if (encoding === 'latin1' || encoding === 'binary') {
      let s = '';
      for (let i = 0; i < part.length; i += 8192) {
        s += String.fromCharCode.apply(null, part.subarray(i, i + 8192));
      }
      return s;
    }
    return new TextDecoder().decode(part);
  }
}

const process = { argv: [], env: {}, exitCode: 0, exit() {}, on() {}, platform: 'browser' };
const stubs = {
  path: {
    dirname: (p) => p.replace(/\/[^/]*$/, '') || '/',
    normalize: (p) => p,
  },
  fs: {},
  crypto: {},
};
const cache = new Map();

function load(url) {
  const href = url.href;
  if (cache.has(href)) return cache.get(href).exports;
  const xhr = new XMLHttpRequest();
  xhr.open('GET', href, false);  // require() is synchronous; the files come from the same server
  xhr.send();
  if (xhr.status !== 200) throw new Error(`require: ${href}: HTTP ${xhr.status}`);
  const module = { exports: {} };
  cache.set(href, module);
  const dir = href.replace(/\/[^/]*$/, '');
  const run = new Function('exports', 'require', 'module', '__filename', '__dirname', 'process', 'Buffer',
    `${xhr.responseText}\n//# sourceURL=${href}`);
  run(module.exports, makeRequire(href), module, href, dir, process, Buffer);
  return module.exports;
}

function makeRequire(base) {
  return (spec) => {
    const name = spec.replace(/^node:/, '');
    if (Object.hasOwn(stubs, name)) return stubs[name];
    if (!spec.startsWith('.')) throw new Error(`require: ${spec} is not available in the browser`);
    return load(new URL(spec, base));
  };
}

export function createRequire(base) {
  return makeRequire(String(base));
}
export default { createRequire };
