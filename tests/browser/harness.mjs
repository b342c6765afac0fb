// Shared set-up for the browser tests: a Sharek server on a free port over a fresh SQLite
// database, headless Debian Chromium driven by playwright-core, and an axe-core check.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base, child, log) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log.join('')}`);
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not become healthy:\n${log.join('')}`);
}

/** Starts Sharek (with the demo administrator) and Chromium; returns { base, browser, stop, admin }. */
export async function start() {
  const bin = process.env.SHAREK_BIN;
  if (!bin) throw new Error('SHAREK_BIN must name the sharek binary (./x.sh test sets it)');
  const dir = mkdtempSync(join(tmpdir(), 'sharek-browser-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = [];
  const child = spawn(bin, ['serve', '--demo'], {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://${dir}/sharek.db`,
      SHAREK_ADDR: `127.0.0.1:${port}`,
      SHAREK_BASE_URL: base,
      RUST_LOG: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => log.push(d.toString()));
  child.stderr.on('data', (d) => log.push(d.toString()));
  await waitForHealth(base, child, log);
  // The demo administrator's generated password, printed once at start-up.
  const password = log.join('').match(/password: (\S+)/)?.[1];
  if (!password) throw new Error(`no demo administrator was printed:\n${log.join('')}`);
  const admin = { email: 'admin@sharek.example', password };
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const stop = async () => {
    await browser.close();
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  };
  return { base, browser, stop, admin };
}

/**
 * A new page that records console errors and failed requests. It prefers reduced motion, so
 * scrolling to a focused field is instant (the style sheet scrolls smoothly otherwise) and a
 * check of what is on screen never races an animation on a busy machine.
 */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ reducedMotion: 'reduce', ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  // A request the page abandoned by navigating away (ERR_ABORTED) is not a failure.
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') page.problems.push(`request failed: ${r.url()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document') page.problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return page;
}

/** Waits until the wasm has hydrated the page. */
export async function hydrated(page) {
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 30_000 });
}

/** Runs axe-core (WCAG 2.0–2.2 A and AA rules) and returns its violations. */
export async function axeViolations(page) {
  // Evaluated through the DevTools protocol, so the page's CSP does not block it.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
  });
}

/** Signs in through the form, as a person would. */
export async function signIn(page, base, lang, { email, password }) {
  await page.goto(`${base}/${lang}/login`);
  await page.fill('#field-email', email);
  await page.fill('#field-password', password);
  await Promise.all([page.waitForURL(`${base}/${lang}/staff`), page.click('form button[type="submit"]')]);
}

/** Asserts that axe-core finds nothing on the page. */
export async function assertAccessible(page, assert) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
}
