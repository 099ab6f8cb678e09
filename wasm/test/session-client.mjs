// A raw SMTP client for the smtpspec/server tests (nodemailer is not installed, and a raw socket
// shows exactly what went over the wire): reads whole replies, upgrades to TLS, and a throw-away
// certificate made with openssl at test time.
import net from 'node:net';
import tls from 'node:tls';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class Client {
  #buf = '';
  #waiters = [];
  #closed = false;
  constructor(socket) {
    this.socket = socket;
    this.#attach(socket);
  }
  static connect(port, host = '127.0.0.1') {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, host, () => resolve(new Client(s)));
      s.once('error', reject);
    });
  }
  #attach(s) {
    this.onData = (d) => {
      this.#buf += d.toString('latin1');
      this.#wake();
    };
    s.on('data', this.onData);
    s.on('end', () => { this.#closed = true; this.#wake(); });
    s.on('close', () => { this.#closed = true; this.#wake(); });
    s.on('error', () => { this.#closed = true; this.#wake(); });
  }
  #wake() {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }
  // One whole reply: {code, lines, text} (null when the server closed first).
  async reply() {
    for (;;) {
      const lines = this.#buf.split('\r\n');
      for (let i = 0; i < lines.length - 1; ++i) {
        if (/^\d{3} /.test(lines[i]) || /^\d{3}$/.test(lines[i])) {
          const got = lines.slice(0, i + 1);
          this.#buf = lines.slice(i + 1).join('\r\n');
          return { code: Number(lines[i].slice(0, 3)), lines: got, text: got.join('\r\n') };
        }
      }
      if (this.#closed) return null;
      await new Promise((r) => this.#waiters.push(r));
    }
  }
  send(text) { this.socket.write(typeof text === 'string' ? Buffer.from(text, 'latin1') : text); }
  async cmd(line) {
    this.send(`${line}\r\n`);
    return this.reply();
  }
  // After a 220 to STARTTLS: the handshake over the same socket.
  async upgrade() {
    this.socket.removeListener('data', this.onData);
    const raw = this.socket;
    const secure = await new Promise((resolve, reject) => {
      const t = tls.connect({ socket: raw, rejectUnauthorized: false }, () => resolve(t));
      t.once('error', reject);
    });
    this.socket = secure;
    this.#attach(secure);
    return secure;
  }
  async closed() {
    while (!this.#closed) await new Promise((r) => this.#waiters.push(r));
  }
  end() { this.socket.end(); }
}

// A self-signed certificate for 127.0.0.1, made now ({key, cert} PEM strings).
export function throwAwayCert() {
  const dir = mkdtempSync(join(tmpdir(), 'smtpspec-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
}

export function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

export function close(server) {
  return new Promise((resolve) => server.close(() => resolve()));
}
