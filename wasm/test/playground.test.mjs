// The browser playground (wasm/playground/) end to end: a static server in this process serves the
// page and the assembled npm package, Debian's Chromium (driven by playwright-core from npm, no
// downloaded browser) loads it, and a user's steps are replayed from the keyboard: a transcript with
// a known violation, an address, a command. A screenshot is kept in build/artefacts/playground.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { packageDir, repo, smtpspec } from './helpers.mjs';

const chromiumPath = '/usr/bin/chromium';  // Debian's chromium (tools/setup.sh)
// TOOLCHAIN.md: the flags Debian's chromium needs here. playwright-core adds --headless and a fresh
// --user-data-dir (a temporary profile) itself.
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
const artefact = join(repo, 'build/artefacts/playground.png');

const types = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json' };

// "/" is wasm/playground, "/npm/" the assembled package: the layout the README tells users to serve.
function serve() {
  const roots = [['/npm/', packageDir], ['/', join(repo, 'wasm/playground')]];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const [prefix, root] = roots.find(([p]) => path.startsWith(p));
    const file = normalize(join(root, path.slice(prefix.length) || 'index.html'));
    if ((file !== root && !file.startsWith(root + sep)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// RFC-style transcript; line 5 has a space in the local part, which a Dot-string cannot hold.
const transcript = [
  'S: 220 mx.example.com ESMTP',
  'C: EHLO client.example',
  'S: 250-mx.example.com',
  'S: 250 PIPELINING',
  'C: MAIL FROM:<a b@example.com>',
  'S: 250 OK',
  'C: QUIT',
  'S: 221 bye',
  '',
].join('\r\n');

// Skipped only without the browser; CI installs it (tools/setup.sh), so there it runs.
const skip = existsSync(chromiumPath) ? false : `${chromiumPath} is absent (tools/setup.sh installs it)`;

const title = 'playground in headless Chromium: transcript findings marked with RFC links, address, command';
test(title, { skip }, async (t) => {
  const { chromium } = createRequire(join(repo, 'wasm/npm/package.json'))('playwright-core');
  const server = await serve();
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true,
    args: chromiumArgs });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });

  await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  assert.match(await page.textContent('#status'), /^Ready: smtpspec \d/);

  const box = page.getByLabel('Recorded SMTP conversation', { exact: false });
  // Bad input: binary junk is a reader error naming its line, not a crash; a long transcript is
  // linted whole and shown up to the page's line limit.
  await box.fill('\u0000\u0001\u00ff junk\n');
  await box.press('Control+Enter');
  await page.waitForFunction(() => document.querySelector('#detected-format')?.dataset.format === '');
  assert.equal(await page.textContent('#detected-format'), 'Format: not recognised');
  assert.match(await page.textContent('#transcript-out .reader'), /^Error, line 1: /);
  assert.equal(await page.locator('#L1.flagged').count(), 0);
  const long = `S: 220 mx.example.com ESMTP\r\n${'C: NOOP\r\nS: 250 OK\r\n'.repeat(15000)}`;
  await box.evaluate((textarea, text) => { textarea.value = text; }, long);  // fill() types it: slow
  await page.getByRole('button', { name: 'Lint transcript' }).click();
  await page.waitForSelector('#transcript-out p.truncated');
  assert.equal(await page.locator('#lines > li').count(), 20000);
  assert.equal(await page.locator('#L1.flagged').count(), 0);

  // Transcript: pasted, then Ctrl+Enter from the textarea (the keyboard path).
  await box.fill(transcript);
  await box.press('Control+Enter');
  await page.waitForFunction(() => document.querySelectorAll('#lines > li').length === 8);
  assert.equal(await page.getAttribute('#detected-format', 'data-format'), 'rfc');
  assert.match(await page.textContent('#detected-format'), /detected/);
  // The page shows what lint() answers in Node, and that includes the known violation.
  const expected = smtpspec.lint(transcript);
  const { error, warning, info } = expected.counts;
  assert.ok(error >= 1);
  assert.match(await page.textContent('#finding-summary'),
    new RegExp(`^${error} error, ${warning} warning, ${info} info`));

  // The offending line is flagged as an error and its octets are marked; the lines around it are not.
  const line5 = page.locator('#L5');
  assert.match(await line5.getAttribute('class'), /\bflagged\b.*\berror\b/);
  const mark = (await line5.locator('mark').allTextContents()).join('');
  assert.ok(mark.length > 0 && 'MAIL FROM:<a b@example.com>'.includes(mark),
    `marked: ${JSON.stringify(mark)}`);
  assert.doesNotMatch((await page.locator('#L2').getAttribute('class')) ?? '', /flagged/);
  assert.equal(await page.locator('#L2 mark').count(), 0);

  // Its findings: one item per finding, in order, with rule and line; SYN-MAIL-PATH on line 5 is an
  // error with a link to the RFC section at rfc-editor.org.
  const items = await page.locator('#findings li').evaluateAll((lis) =>
    lis.map((li) => [li.dataset.rule, Number(li.dataset.line), li.querySelector('a.rfc')?.href ?? null]));
  assert.deepEqual(items, expected.findings.map((f) => [f.rule, f.line, f.url]));
  const finding = page.locator('#findings li[data-line="5"][data-rule="SYN-MAIL-PATH"]');
  assert.match(await finding.getAttribute('class'), /\berror\b/);
  const href = await finding.locator('a.rfc').getAttribute('href');
  assert.match(href, /^https:\/\/www\.rfc-editor\.org\/rfc\/rfc5321#section-4\.1\./);
  assert.equal(await finding.locator('a.line').getAttribute('href'), '#L5');

  // Address: typed, Enter submits; the error's octet is marked, with its RFC link.
  const address = page.getByLabel('Mailbox');
  await address.fill('john..doe@example.com');
  await address.press('Enter');
  await page.waitForSelector('#address-out .verdict');
  assert.equal(await page.textContent('#address-out .verdict'), 'Invalid');
  assert.equal(await page.textContent('#address-out .echo mark'), '.');
  assert.match(await page.getAttribute('#address-out a.rfc', 'href'),
    /^https:\/\/www\.rfc-editor\.org\/rfc\/rfc5321#section-4\.1\.2$/);
  await address.fill('"john..doe"@example.com');
  await address.press('Enter');
  const verdict = (id) => document.querySelector(`#${id}-out .verdict`)?.textContent;
  await page.waitForFunction(`(${verdict})('address') === 'Valid'`);
  assert.match(await page.textContent('#address-out'), /quoted_local_part/);

  // Command: a HELO without its argument.
  const command = page.getByLabel('SMTP command line');
  await command.fill('HELO');
  await command.press('Enter');
  await page.waitForSelector('#command-out .verdict');
  assert.equal(await page.textContent('#command-out .verdict'), 'Invalid');
  assert.match(await page.textContent('#command-out'), /missing_argument/);
  await command.fill('MAIL FROM:<a@example.com> SIZE=1000');
  await command.press('Enter');
  await page.waitForFunction(`(${verdict})('command') === 'Valid'`);

  assert.deepEqual(pageErrors, []);
  mkdirSync(join(repo, 'build/artefacts'), { recursive: true });
  await line5.scrollIntoViewIfNeeded();
  await page.screenshot({ path: artefact, fullPage: true });
  assert.ok(statSync(artefact).size > 1000);
  console.log(`playground screenshot: ${artefact}`);
});
