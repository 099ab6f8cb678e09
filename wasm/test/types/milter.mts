// Type-checked (never run) by pack.test.mjs against the installed package: smtpspec/milter as ESM.
import milter, { decode, MtaSession, type MtaEvent } from 'smtpspec/milter';

const r = decode(new Uint8Array(0), 'conversation');
const m = new MtaSession({ maxPayload: milter.DEFAULT_MAX_PAYLOAD });
const events: MtaEvent[] = m.feed(new Uint8Array(0));
const answers: string | null = events[0]?.answers ?? null;
m.close();
void [r, answers];
