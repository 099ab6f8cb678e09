// smtpspec playground: a transcript, an address or a command, checked by the npm package (the C++ core
// compiled to WebAssembly) in the page. Findings are listed with their RFC link and marked inline on
// the offending line. Every fact shown (rule, severity, side, section, URL, message) comes from the
// package's answers; the page only lays them out.
import * as smtpspec from 'smtpspec';

const MAX_LINES = 20000;  // lines rendered with their marks; the findings list is complete anyway
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

// "RFC 5321 §4.1.1.2" (the core's error and diagnostic citations) → its rfc-editor.org anchor.
function citationUrl(rfc) {
  const m = /^RFC (\d+)(?: §([\w.-]+))?/.exec(rfc ?? '');
  if (!m) return null;
  return `https://www.rfc-editor.org/rfc/rfc${m[1]}${m[2] ? `#section-${m[2]}` : ''}`;
}

function rfcLink(text, url) {
  if (!url) return text ? el('span', {}, text) : null;
  return el('a', { href: url, class: 'rfc', target: '_blank', rel: 'noopener' }, text || url);
}

// The escaped S:/C: form of the findings' octets (\r \n \t \\ \xNN) back to the text it stands for.
const ESCAPES = { r: '\r', n: '\n', t: '\t', '\\': '\\' };
function unescapeOctets(s) {
  return s.replace(/\\(x[0-9A-Fa-f]{2}|[rnt\\])/g,
    (_, c) => ESCAPES[c] ?? String.fromCharCode(parseInt(c.slice(1), 16)));
}

// Renders `text` with the [start, end) ranges marked (merged where they overlap).
function markedText(text, ranges) {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const merged = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  const out = document.createDocumentFragment();
  let at = 0;
  for (const r of merged) {
    if (r.start > at) out.append(text.slice(at, r.start));
    out.append(el('mark', {}, text.slice(r.start, r.end)));
    at = r.end;
  }
  if (at < text.length) out.append(text.slice(at));
  return out;
}

// Where a finding's octets sit on its source line: the event's text is looked up on the line (the
// format's prefix such as "C: " precedes it), then the octets from event_offset; failing that, the
// octets anywhere on the line; failing that, the whole line.
function rangeOnLine(line, eventText, eventOffset, octets) {
  const shown = (octets ?? '').replace(/[\r\n]+$/, '');
  const len = Math.max(1, shown.length);
  const body = (eventText ?? '').replace(/\r?\n$/, '');
  const base = body ? line.indexOf(body) : -1;
  if (base >= 0 && eventOffset !== undefined && eventOffset < body.length) {
    return { start: base + eventOffset, end: Math.min(line.length, base + eventOffset + len) };
  }
  if (shown) {
    const i = line.indexOf(shown);
    if (i >= 0) return { start: i, end: i + shown.length };
  }
  return { start: 0, end: line.length };
}

const SEVERITY_RANK = { info: 0, warning: 1, error: 2 };

// The transcript read (its format, the reader's notes, each event's text to place the marks) and
// linted: the findings of the rule catalogue, as `smtpspec lint --format json` gives them.
function lintTranscript(text, format, showUndecidable) {
  const read = smtpspec.readTranscript(text, format ? { format } : undefined);
  const eventsByLine = new Map();
  for (const e of read.events) if (!eventsByLine.has(e.line)) eventsByLine.set(e.line, e);
  const report = smtpspec.lint(text, { transcriptFormat: format || undefined, showUndecidable });
  return { read, eventsByLine, report };
}

function showTranscript() {
  const out = $('transcript-out');
  out.replaceChildren();
  const text = $('transcript').value;
  let result;
  try {
    result = lintTranscript(text, $('transcript-format').value, $('show-undecidable').checked);
  } catch (e) {
    out.append(el('p', { class: 'bad', role: 'alert' }, `smtpspec: ${e.message}`));
    return;
  }
  const { read, eventsByLine, report: { counts, findings } } = result;
  const formats = smtpspec.transcriptFormats();
  const title = formats.find((f) => f.name === read.format)?.title ?? read.format;
  const how = read.detected ? `detected, confidence ${read.confidence}%` : 'chosen';
  out.append(el('p', { id: 'detected-format', 'data-format': read.format ?? '' },
    read.format === null ? 'Format: not recognised'
      : `Format: ${title} (${read.format}, ${how})`));
  const summary = `${counts.error} error, ${counts.warning} warning, ${counts.info} info` +
    (counts.dropped ? ` (${counts.dropped} beyond the first ${findings.length} not listed)` : '') +
    (counts.undecidable ? `; ${counts.undecidable} cannot be decided from this format` : '');
  out.append(el('p', { id: 'finding-summary' }, summary));

  const messages = new Map(smtpspec.transcriptMessages().map((m) => [m.id, m.message]));
  const readerItems = [...read.errors.map((n) => ({ ...n, kind: 'Error' })),
    ...read.notes.map((n) => ({ ...n, kind: 'Note' }))];
  if (readerItems.length) {
    out.append(el('h3', {}, 'Reader'),
      el('ul', { class: 'reader' }, ...readerItems.map((n) =>
        el('li', {}, `${n.kind}, line ${n.line}: ${messages.get(n.id) ?? n.id}`))));
  }

  // Marks per source line.
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();  // the final line end
  const perLine = new Map();
  for (const f of findings) {
    const line = lines[f.line - 1];
    if (line === undefined || f.kind === 'undecidable') continue;  // listed, not marked
    const octets = f.octets === undefined ? '' : unescapeOctets(f.octets);
    const range = rangeOnLine(line, eventsByLine.get(f.line)?.text, f.event_offset, octets);
    const entry = perLine.get(f.line) ?? { ranges: [], severity: 'info' };
    entry.ranges.push(range);
    if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[entry.severity]) entry.severity = f.severity;
    perLine.set(f.line, entry);
  }

  if (findings.length) {
    const list = el('ol', { class: 'findings', id: 'findings' });
    out.append(el('h3', {}, 'Findings'), list);
    list.append(...findings.map((f) =>
      el('li', { class: `finding ${f.severity}`, 'data-rule': f.rule, 'data-line': String(f.line) },
        el('span', { class: `sev ${f.severity}` }, f.severity),
        f.kind === 'undecidable' ? ' (cannot decide from this format)' : null, ' ',
        el('a', { href: `#L${f.line}`, class: 'line' }, `line ${f.line}`), ' ',
        el('strong', {}, f.rule), ` (${f.side}): ${f.message} `,
        f.octets ? el('code', { class: 'octets' }, f.octets) : null, ' ',
        rfcLink(`${f.rfc} ${f.section}`.trim(), f.url),
        f.quote ? el('blockquote', {}, f.quote) : null)));
  }

  const shown = lines.length > MAX_LINES ? lines.slice(0, MAX_LINES) : lines;
  const rendered = el('ol', { class: 'lines', id: 'lines', 'aria-label': 'the transcript, findings marked' });
  out.append(el('h3', {}, 'Transcript'), rendered);
  rendered.append(...shown.map((line, i) => {
    const marks = perLine.get(i + 1);
    return el('li', { id: `L${i + 1}`, class: marks ? `flagged ${marks.severity}` : '' },
      el('span', { class: 'no', 'aria-hidden': 'true' }, String(i + 1)),
      el('span', { class: 'text' }, marks ? markedText(line, marks.ranges) : line));
  }));
  if (shown.length < lines.length) {
    const note = `Only the first ${MAX_LINES} of ${lines.length} lines are shown.`;
    out.append(el('p', { class: 'truncated' }, note));
  }
}

// An address or a command: the verdict, the error marked at its octet offset, the diagnostics.
function showParse(outId, input, result) {
  const out = $(outId);
  out.replaceChildren();
  const problems = result.ok ? result.diagnostics : [result.error, ...result.diagnostics];
  const first = problems[0];
  // The error's octet marked; one past the end (a missing part) as a marked space.
  const echo = result.ok ? input
    : first.offset < input.length ? markedText(input, [{ start: first.offset, end: first.offset + 1 }])
      : el('span', {}, input, el('mark', {}, ' '));
  out.append(el('p', { class: 'echo' }, el('code', {}, echo)));
  out.append(el('p', { class: result.ok ? 'ok verdict' : 'bad verdict' }, result.ok ? 'Valid' : 'Invalid'));
  if (problems.length) {
    out.append(el('ul', { class: 'findings' }, ...problems.map((p) =>
      el('li', { class: `finding ${p.severity ?? 'error'}`, 'data-rule': p.code ?? p.id },
        el('span', { class: `sev ${p.severity ?? 'error'}` }, p.severity ?? 'error'), ' ',
        el('strong', {}, p.code ?? p.id), ` at octet ${p.offset}: ${p.message}`,
        p.expected ? ` (expected ${p.expected})` : '', p.reply ? `; a server replies ${p.reply}` : '', ' ',
        rfcLink(p.rfc, citationUrl(p.rfc))))));
  }
  if (result.ok) out.append(el('pre', { class: 'value' }, JSON.stringify(result.value, null, 2)));
}

function showAddress() {
  const input = $('address').value;
  showParse('address-out', input, smtpspec.parseMailbox(input));
}

function showCommand() {
  const input = $('command').value;
  showParse('command-out', input, smtpspec.parseCommand(/\r\n$/.test(input) ? input : `${input}\r\n`));
}

function init() {
  const select = $('transcript-format');
  for (const f of smtpspec.transcriptFormats()) select.append(el('option', { value: f.name }, f.title));
  const on = (id, fn) => $(id).addEventListener('submit', (ev) => { ev.preventDefault(); fn(); });
  on('transcript-form', showTranscript);
  on('address-form', showAddress);
  on('command-form', showCommand);
  // Ctrl+Enter in the transcript runs it, as the button does.
  $('transcript').addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); showTranscript(); }
  });
  $('status').textContent = `Ready: smtpspec ${smtpspec.version}`;
  document.body.dataset.ready = 'true';
}

init();
