import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, screenshot, startBrowser, startWebLab } from '../support/e2e-lab.js';
import type { WebLab } from '../support/e2e-lab.js';

const RENDERER = join(import.meta.dirname, '../../out/renderer/index.html');
const TLS_ERROR_XML = `<beans>
  <broker xmlns="http://activemq.apache.org/schema/core">
    <persistenceAdapter>
      <jdbcPersistenceAdapter lockKeepAlivePeriod="1000"/>
    </persistenceAdapter>
    <transportConnectors>
      <transportConnector name="s" uri="stomp://127.0.0.1:61613"/>
      <transportConnector name="t" uri="ssl://127.0.0.1:61617"/>
    </transportConnectors>
  </broker>
</beans>
`;

let lab: WebLab;
let browser: Awaited<ReturnType<typeof startBrowser>>;
let page: Page;
const pageErrors: string[] = [];

const roles = () => page.$$eval('[data-broker]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-broker'), e.getAttribute('data-role')])));
const labCall = async <T>(command: string): Promise<T | undefined> => {
  const url = new URL(lab.url);
  const response = await fetch(new URL(`/api/${command}`, url), { method: 'POST', headers: { authorization: `Bearer ${url.searchParams.get('token')}` } });
  return ((await response.json()) as { result?: T }).result;
};
/** The lab's own view of the roles, to tell a slow cluster from a page that missed an event. */
const labRoles = async () => {
  const status = await labCall<{ brokers: Array<{ name: string; role: string }> }>('cluster/status');
  return Object.fromEntries((status?.brokers ?? []).map((b) => [b.name, b.role]));
};
/** When the lab saw each broker change role, in ms after `since`: where a slow wait spent its time. */
const labTimeline = async (since: number) => {
  const result = await labCall<{ events: Array<{ ts: number; type: string; broker?: string; role?: string; state?: string }> }>('cluster/events');
  return (result?.events ?? [])
    .filter((e) => e.ts >= since && (e.type === 'broker-state' || e.type === 'cluster'))
    .map((e) => `${e.ts - since} ${e.broker ?? 'cluster'} ${e.role ?? e.state}`)
    .join(', ');
};
/** Waits for the page to show something; a generous ceiling only guards against a hang, and says what both sides showed. */
const waitForUi = async (what: string, predicate: () => boolean, timeout = 60_000) => {
  const t0 = Date.now();
  try {
    await page.waitForFunction(predicate, null, { timeout });
  } catch (error) {
    throw new Error(`the page did not show ${what} in ${Date.now() - t0} ms: page ${JSON.stringify(await roles())}, lab ${JSON.stringify(await labRoles())}`, { cause: error });
  }
  console.log(`${what}: shown after ${Date.now() - t0} ms`);
};
const view = async (id: string) => {
  await page.click(`nav [data-view="${id}"]`);
  await page.waitForSelector(`nav [data-view="${id}"].active`);
};

describe('the app in web mode, in Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(RENDERER)) throw new Error('the renderer is not built: run `npm run build:app` first');
    // `failover-lab up --no-cluster` (`failover-lab ui`): creating the cluster is the UI's first step.
    lab = await startWebLab(['--no-cluster']);
    browser = await startBrowser();
    page = browser.page;
    // Every wait below ends when the page shows what it waits for; this ceiling only guards against a hang.
    page.setDefaultTimeout(60_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('dialog', (d) => void d.accept());
    await page.goto(lab.url);
    console.log(`screenshots in ${SCREENSHOTS}`);
  });
  afterAll(async () => {
    await browser?.close();
    await lab?.stop();
  });

  it('creates a 3-broker cluster from the UI and shows one master and two waiting slaves', async () => {
    await page.waitForSelector('[data-testid="create-cluster"]');
    await screenshot(page, 'cluster-empty');
    await page.fill('input[name="brokers"]', '3');
    const clickedAt = Date.now();
    await page.click('[data-testid="create"]');
    await waitForUi('one master and two slaves', () => document.querySelectorAll('[data-role="master"]').length === 1 && document.querySelectorAll('[data-role="slave"]').length === 2);
    console.log(`lab events (ms after the click): ${await labTimeline(clickedAt)}`);
    const r = await roles();
    expect(Object.keys(r)).toEqual(['broker1', 'broker2', 'broker3']);
    expect(await page.textContent('[data-testid="lock-holder"]')).toContain(Object.entries(r).find(([, role]) => role === 'master')![0]);
    await screenshot(page, 'cluster');
  });

  it('kills the master with kill -9 from its box and shows a slave taking over', async () => {
    const before = Object.entries(await roles()).find(([, role]) => role === 'master')![0];
    const t0 = Date.now();
    await page.click(`[data-broker="${before}"] [data-action="kill"]`);
    await page.waitForFunction((old) => {
      const m = document.querySelector('[data-role="master"]');
      return m !== null && m.getAttribute('data-broker') !== old;
    }, before, { timeout: 60_000 });
    const tookMs = Date.now() - t0;
    const after = await roles();
    expect(after[before]).toBe('stopped');
    expect(Object.values(after).filter((x) => x === 'master')).toHaveLength(1);
    expect(await page.textContent('[data-testid="picture"]')).toContain('Master failed');
    console.log(`kill -9 → new master visible in the UI after ${tookMs} ms`);
    await screenshot(page, 'cluster-failover');
  });

  it('adds a broker from the Cluster view and shows it waiting as a slave', async () => {
    const before = Object.keys(await roles()).length;
    await page.click('[data-testid="add-broker"]');
    const name = `broker${before + 1}`;
    await page.waitForSelector(`[data-broker="${name}"][data-role="slave"]`, { timeout: 60_000 });
    expect(Object.values(await roles()).filter((x) => x === 'master')).toHaveLength(1);
    await screenshot(page, 'cluster-added-broker');
  });

  it('shows an error typed into the XML at its line and column', async () => {
    await view('config');
    await page.waitForSelector('.cm-content');
    await page.click('.cm-content');
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(TLS_ERROR_XML);
    const item = page.locator('[data-testid="diagnostics"] li.error[data-line="8"]');
    await item.waitFor({ timeout: 60_000 });
    expect(await item.textContent()).toContain('8:36');
    expect(await item.textContent()).toContain('connector-tls-unsupported');
    // The editor marks the same place: line 8, from the uri attribute (column 36).
    const mark = page.locator('.cm-line').nth(7).locator('.cm-lintRange-error');
    await mark.waitFor({ timeout: 60_000 });
    expect(await mark.textContent()).toBe('uri');
    await screenshot(page, 'config-error');
  });

  it('shows the other views with live content', async () => {
    await view('timeline');
    await page.waitForSelector('[data-testid="timeline"]');
    await screenshot(page, 'timeline');
    await view('logs');
    await page.waitForSelector('[data-testid="log"] .line.lock');
    await screenshot(page, 'logs');
    await view('store');
    await page.waitForSelector('[data-testid="lock-row"]');
    await screenshot(page, 'store');
    await view('lessons');
    await page.waitForSelector('[data-testid="lesson"]');
    await screenshot(page, 'lessons');
    await page.keyboard.press('t');
    await view('cluster');
    await screenshot(page, 'cluster-dark');
    await page.keyboard.press('t');
  });

  it('sends, browses and purges a queue from the Store view, through the master', async () => {
    await view('store');
    await page.fill('[data-testid="queue-ops"] input[name="destination"]', '/queue/e2e.orders');
    await page.fill('[data-testid="queue-ops"] input[name="body"]', 'order 1');
    await page.click('[data-testid="send"]');
    await page.waitForSelector('[data-testid="ops-notice"]:has-text("receipted")');
    await page.click('[data-testid="browse"]');
    await page.waitForSelector('[data-testid="browsed"] td:has-text("order 1")');
    await page.waitForSelector('[data-testid="queues"] td:has-text("queue://e2e.orders")');
    await screenshot(page, 'store-browse');
    await page.click('[data-testid="purge"]');
    await page.waitForSelector('[data-testid="ops-notice"]:has-text("purged 1 message")');
    // The notice comes first; the view then browses the queue again and the table empties.
    await page.waitForSelector('[data-testid="browsed"]', { state: 'detached' });
    expect(await page.locator('[data-testid="browsed"]').count()).toBe(0);
  });

  it('runs a built-in scenario and shows its verdict', async () => {
    await view('tests');
    await page.waitForSelector('[data-testid="scenario"] option[value="startup"]', { state: 'attached' });
    await page.selectOption('[data-testid="scenario"]', 'startup');
    await page.click('[data-testid="run-scenario"]');
    const verdict = page.locator('[data-testid="verdict"]').first();
    await verdict.waitFor({ timeout: 90_000 });
    expect(await verdict.textContent()).toMatch(/startup on .*: PASSED/);
    expect(await page.locator('[data-testid="run-state"]').first().textContent()).toBe('passed');
    // The run's progress events drew its send/receive rates.
    await page.locator('[data-testid="run-chart"] polyline').first().waitFor({ state: 'attached' });
    await screenshot(page, 'tests');
    await view('timeline');
    await page.waitForSelector('[data-testid="clients-lane"]', { state: 'attached' });
    await screenshot(page, 'timeline-after-run');
    expect(pageErrors).toEqual([]);
  });
});
