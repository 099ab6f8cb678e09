// Type-checked (never run) by pack.test.mjs against the installed package: ESM consumers.
import smtpspec, { parseMailbox, parseCommand, catalogue, version, type Mailbox, type Result } from 'smtpspec';

const r: Result<Mailbox> = parseMailbox('john.smith@example.com');
if (r.ok) {
  const kind: 'dot_string' | 'quoted_string' = r.value.local_part_kind;
  void kind;
}
const c = parseCommand('QUIT\r\n');
const same: typeof parseCommand = smtpspec.parseCommand;
const ids: string[] = catalogue().diagnostics.map((d) => d.id);
void [c, same, ids, version];
// @ts-expect-error: options are an object
parseMailbox('a@b', true);
// Typed ESMTP parameters (issue 3).
import { parseEsmtpParams, type EsmtpParam } from 'smtpspec';
const ps = parseEsmtpParams('MAIL', 'SIZE=1');
const firstParam: EsmtpParam | undefined = ps.ok ? ps.value[0] : undefined;
void [firstParam, smtpspec.parseEsmtpParams];
