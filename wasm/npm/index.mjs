// ESM entry: the CommonJS module, loaded synchronously, re-exported by name.
import { createRequire } from 'node:module';

const smtpspec = createRequire(import.meta.url)('./index.js');

export const { parseCommand, parsePath, parseMailbox, parseDomain, catalogue, version } = smtpspec;
export default smtpspec;
