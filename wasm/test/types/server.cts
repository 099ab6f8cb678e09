// Type-checked (never run) by pack.test.mjs against the installed package: smtpspec/server from CommonJS.
import server = require('smtpspec/server');

const s = new server.ServerSession({ hostname: 'mx.example', bareLf: 'reject', limits: { messageSize: 1000 } },
  { remoteAddress: '192.0.2.1' });
for (const ev of s.start()) if (ev.kind === 'hook' && ev.needs_answer && ev.handle !== undefined) s.answer(ev.handle, 'OK');
const out: Uint8Array = s.takeOutput();
const state: server.SessionState = s.state;
const t: server.Transaction | null = s.transaction;
const r: server.DataReaderStep = new server.DataReader({ bareLf: 'normalize' }).feed('x\r\n.\r\n');
const p: server.ProxyParseResult = server.parseProxyHeader('PROXY UNKNOWN\r\n');
const srv: server.NetServer = server.createServer({
  hooks: { rcpt: async (ev) => (String(ev.argument).endsWith('@example.com') ? 'OK' : { verdict: 'DENY', code: 550 }) },
  session: { hostname: 'mx.example' },
});
s.close();
void [out, state, t, r, p, srv];
