// Type-checked (never run) by pack.test.mjs against the installed package: the issue-4 API and
// smtpspec/dsn from ESM.
import DSN, { create, no_such_user } from 'smtpspec/dsn';
import smtpspec, { ReplyParser, formatReply, type Reply } from 'smtpspec';

const a: DSN = no_such_user();
const b: DSN = create(550, 'x');
const c: string = DSN.relaying_denied().toString();
const p = new ReplyParser();
const r: Reply[] = p.feed('250 ok\r\n');
p.close();
const same: typeof formatReply = smtpspec.formatReply;
void [a, b, c, r, same];
// @ts-expect-error: a message is text or a list
no_such_user(1);
