// Issue 7: the TypeScript declarations of the transcript readers (transcript.js). The format names
// and message ids come from the built module's catalogue (catalogue/transcript_*.inc), never retyped;
// the shapes follow conformance/README.md, "Transcripts".
const union = (values) => values.map((v) => JSON.stringify(v)).join(' | ');

export function transcriptDeclarations(smtpspec) {
  const formats = smtpspec.transcriptFormats().map((f) => f.name);
  const messages = smtpspec.transcriptMessages().map((m) => m.id);
  if (formats.length === 0 || messages.length === 0) throw new Error('gen-dts-transcript: empty catalogue');
  const decl = `
// ---- Issue 7: transcript readers (conformance/README.md, "Transcripts") ----
export type TranscriptFormat = ${union(formats)};
export type TranscriptMessageId = ${union(messages)};
export interface TranscriptCapabilities {
  octets: "exact" | "line_ends_kept" | "lines";
  write_boundaries: "known" | "convention" | "client_writes" | "none";
  replies: "lines" | "chunks" | "absent";
  data: "kept" | "absent";
  tls: "marked" | "encrypted" | "unmarked";
}
export interface TranscriptEvent {
  dir: "client" | "server" | "tls_start" | "connect" | "note";
  boundary: "unknown" | "write" | "same_write";
  exact: boolean;
  tls: boolean;
  line: number;
  offset: number;
  /** The octets as text (ill-formed UTF-8 as U+FFFD). */
  text: string;
  /** The octets in hex when text is lossy, else null. */
  hex: string | null;
}
export interface TranscriptMessage {
  id: TranscriptMessageId;
  line: number;
  offset: number;
  count: number;
  excerpt: string;
}
export interface Transcript {
  format: TranscriptFormat | null;
  detected: boolean;
  confidence: number;
  capabilities: TranscriptCapabilities | null;
  events: TranscriptEvent[];
  notes: TranscriptMessage[];
  errors: TranscriptMessage[];
  lines: number;
  octets: number;
  dropped_messages: number;
}
export interface TranscriptOptions {
  /** The format (default: detected from the first 64 KiB). */
  format?: TranscriptFormat | null;
  max_line?: number;
  max_messages?: number;
  /** postfix_debug: octets of other processes' lines held back (default 16 MiB). */
  max_held?: number;
}
export interface TranscriptFormatInfo {
  name: TranscriptFormat;
  title: string;
  capabilities: TranscriptCapabilities;
  keeps: string;
  loses: string;
}
/** Reads a recorded SMTP conversation into events, notes and errors. */
export function readTranscript(text: string | Uint8Array | ArrayBuffer, options?: TranscriptOptions): Transcript;
/** The format the start of a transcript looks like, with a confidence 0-100. */
export function detectTranscriptFormat(text: string | Uint8Array | ArrayBuffer): { format: TranscriptFormat | null; confidence: number };
/** Every transcript format: what it keeps and loses, frozen. */
export function transcriptFormats(): readonly TranscriptFormatInfo[];
/** Every reader note and error id, frozen. */
export function transcriptMessages(): readonly { id: TranscriptMessageId; kind: "note" | "error"; message: string }[];
/**
 * The streaming reader: each feed() returns what was read since the last call (format, detection,
 * lines and octets so far); finish() ends the input and returns the rest. The events, notes and
 * errors of every answer, concatenated, are readTranscript()'s. close() frees the native reader.
 */
export class TranscriptReader {
  constructor(options?: TranscriptOptions);
  feed(chunk: string | Uint8Array | ArrayBuffer): Transcript;
  finish(): Transcript;
  close(): void;
}
`;
  const names = ['readTranscript', 'detectTranscriptFormat', 'transcriptFormats', 'transcriptMessages', 'TranscriptReader'];
  const missing = names.filter((n) => !(n in smtpspec));
  if (missing.length) throw new Error(`gen-dts-transcript: declared functions missing from the module: ${missing}`);
  return { decl, names };
}
