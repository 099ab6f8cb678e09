// A mail server in a few lines on smtpspec/server: accepts mail for one domain and prints each
// message. `DOMAIN=example.com PORT=2525 node server.js` (PORT=0 picks a free port).
const { createServer } = require('smtpspec/server');

const domain = (process.env.DOMAIN ?? 'example.com').toLowerCase();

const server = createServer({
  session: { hostname: 'mx.' + domain },
  hooks: {
    rcpt: (ev) => (ev.argument.toLowerCase().endsWith('@' + domain)
      ? 'OK' : { verdict: 'DENY', code: 550, status: '5.1.1', message: 'No such user here' }),
    queue: (ev, conn, message) => {
      const t = conn.transaction;
      console.log(`From ${t.mail_from || '<>'} to ${t.recipients.map((r) => r.address).join(', ')}:`);
      console.log(message.toString('utf8'));
      return 'OK';
    },
  },
});

server.listen(Number(process.env.PORT ?? 2525), '127.0.0.1', () => {
  const { address, port } = server.address();
  console.log(`listening on ${address}:${port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
