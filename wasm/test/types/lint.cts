// Type-checked (never run) by pack.test.mjs against the installed package: smtpspec lint from CommonJS.
import smtpspec = require('smtpspec');

const report: smtpspec.LintReport = smtpspec.lint('S: 220 mx\r\n', { select: ['ESC-*'], showUndecidable: true });
const errors: number = report.counts.error;
for (const f of report.findings) {
  const rule: smtpspec.LintRuleId = f.rule;
  const severity: smtpspec.LintSeverity = f.severity;
  const where: [number, number, string] = [f.line, f.offset, f.octets];
  void [rule, severity, where];
}
const sarif: string = smtpspec.lint(new Uint8Array([0x53]), { format: 'sarif', file: 'x.txt' });
const rules: readonly smtpspec.LintRule[] = smtpspec.lintRules();
const implemented: boolean = rules[0].implemented;
void [errors, sarif, implemented];

// The streaming classes.
const lt = new smtpspec.Linter({ select: 'ESC-*' });
lt.feed('S: 220 mx\r\n');
lt.feed(new Uint8Array([0x43, 0x3a, 0x0a]));
const streamedReport: smtpspec.LintReport = lt.finish();
lt.close();
const textLinter = new smtpspec.Linter({ format: 'text' });
const streamedText: string = textLinter.finish();
const tr = new smtpspec.TranscriptReader({ format: 'postfix_debug', max_held: 1 << 20 });
const part: smtpspec.Transcript = tr.feed('x');
const rest: smtpspec.TranscriptEvent[] = tr.finish().events;
tr.close();
void [streamedReport, streamedText, part, rest];
