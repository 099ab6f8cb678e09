// Type-checked (never run) by pack.test.mjs against the installed package: the issue-4 API and
// smtpspec/dsn from CommonJS.
import smtpspec = require('smtpspec');
import DSN = require('smtpspec/dsn');

const s = smtpspec.parseEnhancedStatus('5.1.1');
if (s.ok) {
  const cls: 2 | 4 | 5 = s.value.class;
  void cls;
}
const p = new smtpspec.ReplyParser({ maxLine: 512, max_lines: 10 });
const replies: smtpspec.Reply[] = [...p.feed('250 ok\r\n'), ...p.finish()];
const consumed: number = p.consumed;
p.close();
for (const r of smtpspec.parseReplies(new Uint8Array([0x32, 0x35, 0x30, 0x0d, 0x0a]))) {
  const id: smtpspec.ReplyDiagnosticId | undefined = r.diagnostics[0]?.id;
  const code: number | null = r.code;
  const status: smtpspec.EnhancedStatus | null = r.enhanced;
  void [id, code, status];
}
const e = smtpspec.parseEhloReply(replies[0] ?? '250 mx\r\n');
if (e.ok) {
  const keywords: string[] = e.value.keywords.map((k) => k.keyword);
  void keywords;
}
const f = smtpspec.formatReply({ code: 550, enhanced: '5.1.1', lines: ['No such user'], options: { policy: 'neutralise' } });
if (f.ok) {
  const text: string = f.value.text;
  void text;
} else {
  const code: smtpspec.ErrorCode = f.error.code;
  void code;
}
smtpspec.formatEhloReply({ domain: 'mx.example', keywords: ['SIZE 10', { keyword: 'AUTH', params: ['PLAIN'] }] });
const stage: smtpspec.ReplyStage | undefined = smtpspec.replyCatalogue().sequences[0]?.stage;
const reply: string | null = smtpspec.explainDsn(550).default_reply;
const codes: readonly Readonly<smtpspec.EnhancedStatusInfo>[] = smtpspec.enhancedStatusCatalogue().codes;
const version: string = smtpspec.dsnCatalogue().version;
void [consumed, stage, reply, codes, version];
// @ts-expect-error: not a policy
smtpspec.formatReply({ code: 250, options: { policy: 'strip' } });
// @ts-expect-error: not a reply diagnostic id
const badId: smtpspec.ReplyDiagnosticId = 'no_such_diagnostic';
void badId;

const d: DSN = DSN.no_such_user('x', 451);
const lines: string | string[] = d.reply;
const cls: number = d.cls;
const joined: string = DSN.create(550, ['a', 'b'], 7, 1).toString();
const made: DSN = new DSN(550, 'm', 450, 1, 1);
void [lines, cls, joined, made, DSN.addr_mbox_mobed()];
// @ts-expect-error: not a helper
DSN.no_such_helper();
