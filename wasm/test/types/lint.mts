// Type-checked (never run) by pack.test.mjs against the installed package: smtpspec lint from ESM.
import smtpspec, { lint, lintRules, Linter, TranscriptReader, type LintReport } from 'smtpspec';

const report: LintReport = lint('S: 220 mx\r\n', { ignore: 'LINE-*', transcriptFormat: 'rfc', lmtp: false });
const text: string = smtpspec.lint('S: 220 mx\r\n', { format: 'text' });
const first: string = lintRules()[0].id;
void [report.findings.length, text, first];

const lt = new Linter({ format: 'sarif' });
lt.feed(new Uint8Array(0));
const sarif: string = lt.finish();
const reader = new TranscriptReader();
const events: number = reader.feed('S: 220 mx\n').events.length + reader.finish().lines;
void [sarif, events];
