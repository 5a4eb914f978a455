// Browser harness for the web interface: Debian's Chromium driven by playwright-core, headless, against the
// real `nysol serve` (tests/api/server.mjs). Accessibility is checked with axe-core on each page the tests
// visit; screenshots of the main pages go to docs/screenshots/.
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before } from 'node:test';

import { ROOT, addUser, setPassword, startServer } from '../api/server.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require(path.join(ROOT, 'node_modules', 'playwright-core'));
const AXE_SOURCE = readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const PASSWORD = 'korrekt-häst-batteri-häftklammer';
export const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

// A server with a browser login for every role of tests/api/server.mjs (username = role, unit utredning-barn)
// and a case worker of another unit ('vuxen.handlaggare' in 'vuxen').
export async function startUiServer(options = {}) {
  const server = await startServer(options);
  for (const role of ['case_worker', 'team_lead', 'first_line', 'analyst', 'committee', 'admin']) {
    setPassword(server.db, role, PASSWORD);
  }
  addUser(server.db, 'vuxen.handlaggare', 'case_worker', 'vuxen');
  setPassword(server.db, 'vuxen.handlaggare', PASSWORD);
  return server;
}

// For a test file: a server (startUiServer, with `options`) and a browser before its tests, then
// `setup(shared)` if given; both stopped after the tests. The returned object's `server` and `browser` are set once the tests run.
export function useServerAndBrowser(setup, options = {}) {
  const shared = {};
  before(async () => {
    shared.server = await startUiServer(options);
    shared.browser = await launch();
    if (setup) await setup(shared);
  });
  after(async () => {
    await shared.browser?.close();
    await shared.server?.stop();
  });
  return shared;
}

export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: scripts/setup installs Debian's chromium`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

// A new page logged in as `username` through the login form. Counts page loads in page.loads.
export async function loggedInPage(browser, base, username) {
  const context = await browser.newContext({ baseURL: base, locale: 'sv-SE', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.loads = 0;
  page.on('load', () => { page.loads += 1; });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  page.scriptErrors = errors;
  await page.goto('/login');
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.click('button[type=submit]')]);
  return page;
}

// axe-core's WCAG 2.1 A and AA rules on the page as it is now; returns the violations.
export async function axeViolations(page) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
