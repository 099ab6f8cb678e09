// ESM entry of smtpspec/milter: the CommonJS module, loaded synchronously, re-exported by name.
import { createRequire } from 'node:module';

const milter = createRequire(import.meta.url)('./milter.js');

export const {
  decode, encode, checkReplycode, formatReplycode, Decoder, FilterSession, MtaSession, SMFIF, SMFIP, PACKETS,
  DEFAULT_MAX_PAYLOAD, catalogue,
} = milter;
export default milter;
