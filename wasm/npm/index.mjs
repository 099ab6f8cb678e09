// ESM entry: the CommonJS module, loaded synchronously, re-exported by name.
import { createRequire } from 'node:module';

const smtpspec = createRequire(import.meta.url)('./index.js');

export const { parseCommand, parsePath, parseMailbox, parseDomain, parseEsmtpParams, domainToAscii, domainToUnicode, catalogue, version } = smtpspec;
// Issue 4 (reply.js): enhanced status codes, replies, the standard replies, the DSN catalogue.
export const {
  parseEnhancedStatus, enhancedStatusCatalogue, ReplyParser, parseReplies, parseEhloReply, formatReply,
  formatEhloReply, replyCatalogue, dsnCatalogue, explainDsn,
} = smtpspec;
// Issue 3: the SMTP service extension registry (EHLO keywords).
export const { extensionCatalogue } = smtpspec;
// Issue 7: transcript readers.
export const { readTranscript, detectTranscriptFormat, transcriptFormats, transcriptMessages, TranscriptReader } = smtpspec;
// Issue 7: smtpspec lint.
export const { lint, lintRules, Linter } = smtpspec;
export default smtpspec;
