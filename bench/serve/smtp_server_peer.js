// npm smtp-server for bench/serve/run.sh: accepts every recipient, drains and discards the message.
'use strict';
const { SMTPServer } = require('smtp-server');

const port = Number(process.argv[2]);
const server = new SMTPServer({
  logger: false,
  authOptional: true,
  disableReverseLookup: true,  // no DNS inside the benchmark (the others do none either)
  disabledCommands: ['STARTTLS', 'AUTH'],
  onData(stream, session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => callback());
  },
});
server.listen(port, '127.0.0.1');
