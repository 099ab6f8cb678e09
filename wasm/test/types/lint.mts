// Type-checked (never run) by pack.test.mjs against the installed package: smtpspec lint from ESM.
import smtpspec, { lint, lintRules, type LintReport } from 'smtpspec';

const report: LintReport = lint('S: 220 mx\r\n', { ignore: 'LINE-*', transcriptFormat: 'rfc', lmtp: false });
const text: string = smtpspec.lint('S: 220 mx\r\n', { format: 'text' });
const first: string = lintRules()[0].id;
void [report.findings.length, text, first];
