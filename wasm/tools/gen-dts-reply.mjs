// The issue-4 part of index.d.ts / index.d.mts (reply.js), for gen-dts.mjs. Unions (reply
// diagnostic ids, stages, kinds, policies) and catalogue row types come from the built module;
// the result shapes follow conformance/README.md ("Replies and status codes") and are checked
// here against live answers, so a shape that drifts fails the build.

const union = (values) => [...new Set(values)].map((v) => JSON.stringify(v)).join(' | ');

// The TypeScript type of the values one key takes across catalogue rows.
function typeOf(values) {
  const types = new Set();
  for (const v of values) {
    if (v === null) types.add('null');
    else if (Array.isArray(v)) types.add(`${v.length && v.every((x) => typeof x === 'number') ? 'number' : 'string'}[]`);
    else types.add(typeof v);
  }
  return [...types].sort((a, b) => (a === 'null') - (b === 'null')).join(' | ');
}

// An interface body from every row of a catalogue table, with named unions where they apply.
function rows(list, special = {}) {
  const keys = Object.keys(list[0]);
  const lines = keys.map((k) => `  ${k}: ${special[k] ?? typeOf(list.map((r) => r[k]))};`);
  return `{\n${lines.join('\n')}\n}`;
}

// The declared key order of a result shape must be what the core writes.
function check(name, declared, sample) {
  const actual = Object.keys(sample).join(',');
  if (actual !== declared.join(',')) {
    throw new Error(`gen-dts-reply: ${name} has keys ${actual}, the declaration ${declared.join(',')}`);
  }
}

export function replyDeclarations(smtpspec) {
  const replies = smtpspec.replyCatalogue();
  const status = smtpspec.enhancedStatusCatalogue();
  const dsn = smtpspec.dsnCatalogue();
  const { policies } = smtpspec._replyDefaults;
  const probe = smtpspec.parseReplies('250-mx.example hi\r\n250 5.1.1 SIZE 10\r\n')[0];
  check('Reply', ['code', 'enhanced', 'multiline', 'offset', 'length', 'line_count', 'lines', 'diagnostics'], probe);
  check('EnhancedStatus', ['text', 'class', 'subject', 'detail'], smtpspec.parseEnhancedStatus('5.1.1').value);
  check('EhloReply', ['domain', 'greeting', 'keywords', 'extensions', 'diagnostics'], smtpspec.parseEhloReply(probe).value);
  // Issue 3: the keyword objects and their typed views, one probe per view.
  const extensions = smtpspec.extensionCatalogue();
  const views = smtpspec.parseEhloReply('250-mx\r\n250-SIZE 1\r\n250-AUTH PLAIN\r\n250-DELIVERBY 9\r\n' +
    '250-FUTURERELEASE 9 2026-01-01T00:00:00Z\r\n250-MT-PRIORITY P\r\n250 LIMITS RCPTMAX=1\r\n').value.keywords;
  for (const k of views) check('EhloKeyword', ['keyword', 'params', 'extension', 'value'], k);
  check('EhloSize', ['size'], views[0].value);
  check('EhloAuth', ['mechanisms'], views[1].value);
  check('EhloDeliverBy', ['min_by_time'], views[2].value);
  check('EhloFutureRelease', ['max_interval', 'max_date_time'], views[3].value);
  check('EhloMtPriority', ['policy'], views[4].value);
  check('EhloLimits', ['limits'], views[5].value);
  check('EhloLimit', ['name', 'value', 'number'], views[5].value.limits[0]);
  check('ExtensionCatalogue', ['extensions', 'server_limits'], extensions);
  check('FormattedReply', ['text', 'lines'], smtpspec.formatReply({ code: 250 }).value);
  const explanationKeys = ['query', 'kind', 'found', 'status', 'class', 'subject', 'registry', 'function', 'dsn',
    'dsn_functions', 'standard_reply', 'sequences', 'default_reply'];
  for (const q of ['5.1.1', 'X.1.1', 'no_such_user', '550', '?']) check('DsnExplanation', explanationKeys, smtpspec.explainDsn(q));
  const dsnKeys = ['code', 'msg', 'cls', 'sub', 'det', 'default_msg', 'reply'];
  check('DsnObject', dsnKeys, smtpspec.explainDsn('no_such_user').dsn);
  const kinds = ['enhanced_status', 'dsn_function', 'reply_code'];
  for (const q of ['5.1.1', 'no_such_user', '550']) {
    if (!kinds.includes(smtpspec.explainDsn(q).kind)) throw new Error(`gen-dts-reply: explainDsn kinds out of date`);
  }

  const decl = `
// ---- Replies and status codes (reply.js; conformance/README.md, "Replies and status codes") ----

export type ReplyDiagnosticId = ${union(replies.reply_diagnostics.map((d) => d.id))};
export type ReplyStage = ${union(replies.sequences.map((s) => s.stage))};
export type ReplyKind = ${union(replies.sequences.map((s) => s.kind))};
export type TextPolicy = ${union(policies)};

/** RFC 3463 §2 status-code; text is its one canonical spelling. */
export interface EnhancedStatus {
  text: string;
  class: 2 | 4 | 5;
  subject: number;
  detail: number;
}

export interface ReplyDiagnostic {
  id: ReplyDiagnosticId;
  severity: Severity;
  /** Octets from the start of the stream. */
  offset: number;
  rfc: string;
  message: string;
}

export interface ReplyLine {
  offset: number;
  /** After "ddd-" / "ddd " (enhanced code included); at most max_line - 2 octets. */
  text: string;
}

export interface Reply {
  /** The first line's three digits; null when it does not start with three digits. */
  code: number | null;
  /** Present when every line begins with the same status code (RFC 2034 §4). */
  enhanced: EnhancedStatus | null;
  multiline: boolean;
  offset: number;
  length: number;
  line_count: number;
  lines: ReplyLine[];
  diagnostics: ReplyDiagnostic[];
}

/** Schema spelling (max_line) or camelCase (maxLine); unknown keys throw. */
export interface ReplyParseOptions {
  max_line?: number;
  maxLine?: number;
  max_lines?: number;
  maxLines?: number;
  max_diagnostics?: number;
  maxDiagnostics?: number;
  lf_ends_line?: boolean;
  lfEndsLine?: boolean;
}

/** Bytes in, complete replies out; any split of the stream gives the same replies. */
export class ReplyParser {
  constructor(options?: ReplyParseOptions);
  /** The replies this chunk completed, oldest first. */
  feed(chunk: Input): Reply[];
  /** End of stream: what is still open, completed with a diagnostic. */
  finish(): Reply[];
  reset(): void;
  /** Frees the native parser now (otherwise when the object is collected). */
  close(): void;
  readonly consumed: number;
  readonly finished: boolean;
}

export type ExtensionKeyword = ${union(extensions.extensions.map((e) => e.keyword))};
export type EhloSyntax = ${union(extensions.extensions.map((e) => e.ehlo))};
export interface EhloLimit {
  name: string;
  value: string | null;
  /** A registered limit's value (catalogue server_limits). */
  number: number | null;
}
/** The typed view of a keyword's parameters, by extension (null when none or when they break its syntax). */
export type EhloValue =
  | { size: number | null }
  | { mechanisms: string[] }
  | { min_by_time: number | null }
  | { max_interval: number | null; max_date_time: string | null }
  | { policy: string | null }
  | { limits: EhloLimit[] };
export interface EhloKeyword {
  keyword: string;
  params: string[];
  /** The registered extension (IANA); null for private X- and unregistered keywords. */
  extension: ExtensionKeyword | null;
  value: EhloValue | null;
}
export interface EhloReply {
  domain: string;
  greeting: string | null;
  keywords: EhloKeyword[];
  /** The registered extensions offered, in catalogue order: what a client may use. */
  extensions: ExtensionKeyword[];
  diagnostics: ReplyDiagnostic[];
}

export interface FormatOptions {
  /** Write the enhanced code on every line (RFC 2034 §4); default true. */
  enhanced_codes?: boolean;
  enhancedCodes?: boolean;
  /** Octets per line including CRLF; default 512 (RFC 5321 §4.5.3.1.5). */
  max_line?: number;
  maxLine?: number;
  /** CR, LF, NUL and other octets textstring excludes: an error ("refuse") or SP ("neutralise"). */
  policy?: TextPolicy;
  /** Pass 8-bit octets through (SMTPUTF8). */
  utf8?: boolean;
}
export interface FormatReplyInput {
  code: number;
  enhanced?: string | EnhancedStatus | null;
  lines?: Input | Input[];
  options?: FormatOptions;
}
export interface FormatEhloReplyInput {
  domain: Input;
  greeting?: Input | null;
  /** "SIZE 35882577" or {keyword, params}. */
  keywords?: (string | { keyword: Input; params?: Input[] })[];
  options?: FormatOptions;
}
export interface FormattedReply {
  /** The wire form, every line ending in CRLF. */
  text: string;
  lines: string[];
}

export interface StatusClassInfo ${rows(status.classes)}
export interface StatusSubjectInfo ${rows(status.subjects)}
export interface EnhancedStatusInfo ${rows(status.codes)}
export interface EnhancedStatusCatalogue {
  readonly classes: readonly Readonly<StatusClassInfo>[];
  readonly subjects: readonly Readonly<StatusSubjectInfo>[];
  readonly codes: readonly Readonly<EnhancedStatusInfo>[];
}
export interface StandardReplyInfo ${rows(replies.standard_replies)}
export interface ReplySequenceInfo ${rows(replies.sequences, { stage: 'ReplyStage', kind: 'ReplyKind' })}
export interface ReplyDiagnosticInfo ${rows(replies.reply_diagnostics, { id: 'ReplyDiagnosticId', severity: 'Severity' })}
export interface ReplyCatalogue {
  readonly standard_replies: readonly Readonly<StandardReplyInfo>[];
  readonly sequences: readonly Readonly<ReplySequenceInfo>[];
  readonly reply_diagnostics: readonly Readonly<ReplyDiagnosticInfo>[];
}
export interface ExtensionInfo ${rows(extensions.extensions, { keyword: 'ExtensionKeyword', ehlo: 'EhloSyntax' })}
export interface ServerLimitInfo ${rows(extensions.server_limits)}
export interface ExtensionCatalogue {
  readonly extensions: readonly Readonly<ExtensionInfo>[];
  readonly server_limits: readonly Readonly<ServerLimitInfo>[];
}
export interface DsnFunctionInfo ${rows(dsn.functions)}
export interface DsnTextInfo ${rows(dsn.texts)}
export interface DsnCatalogue {
  readonly version: string;
  readonly functions: readonly Readonly<DsnFunctionInfo>[];
  readonly texts: readonly Readonly<DsnTextInfo>[];
}
/** haraka-dsn's own fields (smtpspec/dsn gives the class itself). */
export interface DsnObject {
  code: number | string;
  msg: string | string[] | null;
  cls: number;
  sub: number | string;
  det: number | string;
  default_msg: string;
  reply: string | string[];
}
export interface DsnExplanation {
  query: string;
  kind: ${union(kinds)} | null;
  found: boolean;
  status: EnhancedStatus | null;
  class: StatusClassInfo | null;
  subject: StatusSubjectInfo | null;
  registry: EnhancedStatusInfo | null;
  function: DsnFunctionInfo | null;
  /** The helper called without arguments. */
  dsn: DsnObject | null;
  dsn_functions: string[];
  standard_reply: StandardReplyInfo | null;
  sequences: ReplySequenceInfo[];
  /** e.g. "550 5.1.1 Bad destination mailbox address". */
  default_reply: string | null;
}

/** An enhanced status code (RFC 3463 §2), e.g. "5.1.1". */
export function parseEnhancedStatus(code: Input): Result<EnhancedStatus>;
/** The IANA registry of enhanced status codes (RFC 5248), frozen. */
export function enhancedStatusCatalogue(): EnhancedStatusCatalogue;
/** A whole reply stream at once. */
export function parseReplies(stream: Input, options?: ReplyParseOptions): Reply[];
/** An EHLO reply: its first reply as text or octets, or a Reply. */
export function parseEhloReply(reply: Input | Reply, options?: ReplyParseOptions): Result<EhloReply>;
/** A reply's wire form; CR, LF and NUL never reach it. */
export function formatReply(input: FormatReplyInput): Result<FormattedReply>;
/** An EHLO reply from a domain, a greeting and keywords. */
export function formatEhloReply(input: FormatEhloReplyInput): Result<FormattedReply>;
/** The standard replies (RFC 5321 §4.2.2-§4.2.3, §4.3.2) and the reply diagnostics, frozen. */
export function replyCatalogue(): ReplyCatalogue;
/** The SMTP service extensions (IANA registry) and server limits (RFC 9422), frozen. */
export function extensionCatalogue(): ExtensionCatalogue;
/** The haraka-dsn ${dsn.version} catalogue, frozen. */
export function dsnCatalogue(): DsnCatalogue;
/** An enhanced code ("5.1.1", "X.1.1"), a haraka-dsn function name or a reply code, explained. */
export function explainDsn(query: string | number): DsnExplanation;
`;
  const names = ['parseEnhancedStatus', 'enhancedStatusCatalogue', 'ReplyParser', 'parseReplies', 'parseEhloReply',
    'formatReply', 'formatEhloReply', 'replyCatalogue', 'extensionCatalogue', 'dsnCatalogue', 'explainDsn'];
  const missing = names.filter((n) => !(n in smtpspec));
  if (missing.length) throw new Error(`gen-dts-reply: declared functions missing from the module: ${missing}`);
  return { decl, names };
}
