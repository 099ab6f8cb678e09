// Type-checked (never run) by pack.test.mjs against the installed package: smtpspec/milter from CommonJS.
import milter = require('smtpspec/milter');

const d: milter.Decoded = milter.decode(new Uint8Array([0, 0, 0, 1, 0x4e]), 'to_filter');
const t: milter.PacketType | undefined = d.packets[0]?.type;
const code: milter.MilterErrorCode | undefined = d.error?.code;
const e = milter.encode({ type: 'SMFIR_ADDHEADER', name: 'X', value: 'y' });
const bytes: Uint8Array | null = e.bytes;
const f = new milter.FilterSession({ actions: milter.SMFIF.ADDHDRS, protocol: milter.SMFIP.NR_HDR });
for (const ev of f.feed(bytes ?? new Uint8Array(0))) if (ev.reply_expected) void f.reply('SMFIR_CONTINUE');
const m = new milter.MtaSession();
const sent: milter.Sent = m.connect('client', '4', 25, '192.0.2.1', [['j', 'mx']]);
f.close();
m.close();
void [t, code, sent];
