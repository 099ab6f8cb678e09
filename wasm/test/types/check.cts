// Type-checked (never run) by pack.test.mjs against the installed package: CommonJS consumers.
import smtpspec = require('smtpspec');

const r: smtpspec.CommandResult = smtpspec.parseCommand('MAIL FROM:<a@example.com>\r\n', { lenient: true });
if (r.ok) {
  const verb: smtpspec.Verb = r.verb;
  const v = r.value;
  if (v.verb === 'MAIL' || v.verb === 'RCPT') {
    const path: smtpspec.Path = v.path;
    const kind: smtpspec.PathKind = path.kind;
    const local: string | undefined = path.mailbox?.local_part_value;
    const params: { keyword: string; value: string | null }[] = v.params;
    void [verb, kind, local, params];
  } else if (v.verb === 'BDAT') {
    const size: number = v.chunk_size;
    const last: boolean = v.last;
    void [size, last];
  }
} else {
  const code: smtpspec.ErrorCode = r.error.code;
  const verb: smtpspec.Verb | null = r.verb;
  void [code, verb];
}
for (const d of r.diagnostics) {
  const id: smtpspec.DiagnosticId = d.id;
  const severity: 'info' | 'warning' | 'error' = d.severity;
  void [id, severity];
}

const m = smtpspec.parseMailbox(new Uint8Array([0x61, 0x40, 0x62]));
if (m.ok) {
  const domain: smtpspec.Domain = m.value.domain;
  const tag: string | null = domain.tag;
  void tag;
}
smtpspec.parsePath('<>', { role: 'reverse' });
smtpspec.parseDomain('example.com');
const version: string = smtpspec.version;
const first: smtpspec.ErrorCode | undefined = smtpspec.catalogue().errors[0]?.code;
void [version, first];

// The unions are the catalogue's names, not plain strings.
// @ts-expect-error: not an error code
const badCode: smtpspec.ErrorCode = 'no_such_error';
// @ts-expect-error: not a role
smtpspec.parsePath('<>', { role: 'sideways' });
// @ts-expect-error: a value exists only on success
smtpspec.parseMailbox('a@b').value;
void badCode;
// Typed ESMTP parameters (issue 3).
const params = smtpspec.parseEsmtpParams('RCPT', 'NOTIFY=SUCCESS ORCPT=rfc822;a+40b');
if (params.ok) {
  const ext: smtpspec.Extension | null = params.value[0].extension;
  const typed: smtpspec.EsmtpTyped[smtpspec.ParamKind] | null = params.value[0].typed;
  void [ext, typed];
}
// @ts-expect-error: parameters belong to MAIL or RCPT only
smtpspec.parseEsmtpParams('EHLO', 'SIZE=1');
