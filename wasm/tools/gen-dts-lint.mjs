// Issue 7: the TypeScript declarations of `smtpspec lint` (lint.js). The rule ids come from the built
// module's catalogue (catalogue/lint_rules.inc), never retyped; the report's shape follows
// conformance/README.md, "Lint".
const union = (values) => values.map((v) => JSON.stringify(v)).join(' | ');

export function lintDeclarations(smtpspec) {
  const ids = smtpspec.lintRules().map((r) => r.id);
  if (ids.length === 0) throw new Error('gen-dts-lint: empty rule catalogue');
  const decl = `
// ---- Issue 7: smtpspec lint (conformance/README.md, "Lint") ----
export type LintRuleId = ${union(ids)};
/** A rule id, or a prefix ending in "*" ("ESC-*"); case-insensitive. */
export type LintRuleSelector = LintRuleId | \`\${string}*\` | string;
export type LintSeverity = "error" | "warning" | "info";
export type LintSide = "client" | "server" | "either";
export interface LintOptions {
  /** Output: the canonical JSON as an object (default), or the text, JUnit XML or SARIF 2.1.0 string. */
  format?: "json" | "text" | "junit" | "sarif";
  /** Only these rules (an array, or a comma-separated string as the CLI takes it). */
  select?: readonly LintRuleSelector[] | string;
  /** Skip these rules. */
  ignore?: readonly LintRuleSelector[] | string;
  /** The transcript format (default: detect). */
  transcriptFormat?: TranscriptFormat;
  transcript_format?: TranscriptFormat;
  /** LMTP (RFC 2033): one reply per accepted recipient after the data. */
  lmtp?: boolean;
  /** "Cannot decide" as findings (else only counted). */
  showUndecidable?: boolean;
  show_undecidable?: boolean;
  /** The input's name in the text, JUnit and SARIF output (default "-"). */
  file?: string;
}
export interface LintFinding {
  rule: LintRuleId;
  kind: "decided" | "undecidable";
  severity: LintSeverity;
  side: LintSide;
  line: number;
  offset: number;
  event_offset: number;
  octets: string;
  message: string;
  rfc: string;
  section: string;
  url: string;
  quote: string;
}
export interface LintReport {
  format: TranscriptFormat | null;
  capabilities: TranscriptCapabilities | null;
  connections: number;
  counts: { error: number; warning: number; info: number; undecidable: number; dropped: number };
  rules: Partial<Record<LintRuleId, number>>;
  undecidable_rules: Partial<Record<LintRuleId, number>>;
  findings: LintFinding[];
}
export interface LintRule {
  id: LintRuleId;
  rfc: string;
  section: string;
  severity: LintSeverity;
  side: LintSide;
  quote: string;
  summary: string;
  url: string;
  /** Whether the engine checks the rule (conformance/lint/STATUS.md lists the others). */
  implemented: boolean;
}
/** Lints a recorded SMTP conversation: the canonical JSON report as an object. */
export function lint(text: string | Uint8Array | ArrayBuffer, options?: LintOptions & { format?: "json" }): LintReport;
/** Lints a recorded SMTP conversation: the text, JUnit XML or SARIF 2.1.0 output. */
export function lint(text: string | Uint8Array | ArrayBuffer, options: LintOptions & { format: "text" | "junit" | "sarif" }): string;
/** Every lint rule, in catalogue order, frozen. */
export function lintRules(): readonly LintRule[];
/**
 * The streaming linter: feed() chunks of a transcript (any split), finish() returns what lint() returns
 * for the whole input; memory stays bounded however long the input is. close() frees the native linter.
 */
export class Linter<F extends "json" | "text" | "junit" | "sarif" = "json"> {
  constructor(options?: LintOptions & { format?: F });
  feed(chunk: string | Uint8Array | ArrayBuffer): void;
  finish(): F extends "json" ? LintReport : string;
  close(): void;
}
`;
  const names = ['lint', 'lintRules', 'Linter'];
  const missing = names.filter((n) => !(n in smtpspec));
  if (missing.length) throw new Error(`gen-dts-lint: declared functions missing from the module: ${missing}`);
  return { decl, names };
}
