// ESM entry of smtpspec/server: the CommonJS module, loaded synchronously, re-exported by name.
import { createRequire } from 'node:module';

const server = createRequire(import.meta.url)('./server.js');

export const {
  ServerSession, DataReader, parseProxyHeader, createServer, sessionDiagnosticCatalogue, HOOKS, VERDICTS, STATES,
  EVENT_KINDS, NEEDS_ANSWER, DEFAULT_CONFIG,
} = server;
export default server;
