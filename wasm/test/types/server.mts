// Type-checked (never run) by pack.test.mjs against the installed package: smtpspec/server as ESM.
import server, { createServer, ServerSession, type HookName, type Verdict } from 'smtpspec/server';

const hook: HookName = 'data_post';
const verdict: Verdict = 'DENYSOFT';
const s = new ServerSession({ lmtp: true, hooks: [hook, 'queue'] });
const events = s.feed(new Uint8Array(0));
const srv = createServer({ hooks: { queue: (ev, conn, message) => (message && conn.transaction ? 'OK' : verdict) } });
s.close();
void [events, srv, server.HOOKS];
