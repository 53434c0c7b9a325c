// Shared test helpers: a page that fails the test on any console error, the repo's own copy of
// Kafka's partitioner test vectors, and the few gestures every test repeats.
import { test as base, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const vectorsPath = fileURLToPath(new URL('../../engine/tests/data/vectors.json', import.meta.url));
const vectors = JSON.parse(readFileSync(vectorsPath, 'utf8'));

/** Vectors whose key is printable text a user can type, with their expected partition of 3. */
export function typeableVectors() {
  return [...vectors.reference_vectors, ...vectors.computed_vectors].filter(
    (v) => v.key.length > 0 && /^[\x21-\x7e]+$/.test(v.key) && Number.isInteger(v.partition_3),
  );
}

export const TOPIC = 'product-created-events-topic';
export const GROUPS = ['sms-notification-service', 'push-notification-service', 'email-notification-service'];

/** Every page fails its test on a console error or on any Content-Security-Policy violation. */
export const test = base.extend({
  page: async ({ page }, use) => {
    const errors = [];
    page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
    page.on('pageerror', (err) => errors.push(String(err)));
    await page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`));
    });
    await use(page);
    expect(errors, 'console errors on the page').toEqual([]);
    const violations = await page.evaluate(() => window.__cspViolations ?? []).catch(() => []);
    expect(violations, 'Content-Security-Policy violations').toEqual([]);
  },
});

export { expect };

/** The lane (a list) of partition p. */
export function lane(page, p, topic = TOPIC) {
  return page.getByRole('list', { name: `Partition ${p} of ${topic}` });
}

/** Types a key on the stage and produces one record. */
export async function produce(page, key) {
  await page.getByLabel('Key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
}

/** Opens the editing panel (idempotent). */
export async function openPanel(page) {
  const toggle = page.getByRole('button', { name: 'Edit', exact: true });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await expect(page.getByRole('complementary', { name: 'Editing panel' })).toBeVisible();
}

export async function closePanel(page) {
  const toggle = page.getByRole('button', { name: 'Edit', exact: true });
  if ((await toggle.getAttribute('aria-expanded')) === 'true') await toggle.click();
}

/** Sets the topic's partition count in the editing panel (Apply), then closes the panel unless
 *  `keepOpen`; returns the topic's form, for its error. */
export async function growTopic(page, total, { keepOpen = false, topic = TOPIC } = {}) {
  await openPanel(page);
  const form = page.getByRole('form', { name: `Topic ${topic}` });
  await form.getByRole('spinbutton', { name: 'Partitions' }).fill(String(total));
  await form.getByRole('button', { name: 'Apply' }).click();
  if (!keepOpen) await closePanel(page);
  return form;
}

/** Turns a producer's stream off, so that stepping only moves time (one history step). */
export async function stopStream(page, producer = 'products-microservice') {
  await openPanel(page);
  const rate = page.getByRole('region', { name: `Stream of ${producer}` }).getByRole('spinbutton', { name: 'Rate (records/s)' });
  await rate.fill('0');
  await rate.press('Enter');
  await rate.blur();
  await expect(page.getByRole('article', { name: `Producer ${producer}` })).toContainText('stream off');
  await closePanel(page);
}

/** Steps forward n times with the Right arrow key (focus moved off any field first). */
export async function stepForward(page, n) {
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  for (let i = 0; i < n; i++) await page.keyboard.press('ArrowRight');
}

/**
 * Steps forward one tick at a time until `done()` holds, at most `max` steps; returns the number
 * of steps taken. With three replicas a record is readable only once the followers have it (its
 * high watermark), a tick or two after it was produced.
 */
export async function stepUntil(page, done, max = 10) {
  for (let steps = 0; steps <= max; steps++) {
    if (await done()) return steps;
    await stepForward(page, 1);
    // The flight layer measures the new layout in the next animation frame before it draws the
    // step's tokens; let two frames pass so `done()` sees this step, not the one before.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }
  throw new Error(`not reached within ${max} steps`);
}

/** The settings (panel) of a group, and its box on the stage. */
export function groupSettings(page, group) {
  return page.getByRole('region', { name: `Settings of ${group}` });
}
export function groupBox(page, group) {
  return page.getByRole('region', { name: group, exact: true });
}

/** One consumer instance on the stage, by client id. */
export function instance(page, group, client) {
  return groupBox(page, group).getByRole('listitem', { name: client, exact: true });
}

/**
 * An instance's read trail as a reader hears it, oldest first: ["P0@1", "P1@0", …] ([] before any
 * read). With `{ processed: true }`, each entry is [read, processed], from the "(not processed)" the
 * trail says of a read its application has not processed.
 */
export async function readTrail(instanceBox, { processed = false } = {}) {
  const said = instanceBox.locator('.activity .visually-hidden');
  const text = (await said.count()) === 0 ? '' : (await said.textContent()).trim();
  if (text === '') return [];
  const entries = text.split(',').map((s) => s.trim());
  const read = (e) => e.replace(' (not processed)', '');
  return processed ? entries.map((e) => [read(e), !e.endsWith('(not processed)')]) : entries.map(read);
}

/** Visible text drawn under 14 px, as "size: text" (visually hidden and folded text excluded); run it
 * in the page: `page.evaluate(smallText)`. */
export function smallText() {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el.checkVisibility()) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    // Text at 0 px is not drawn (a folded note that shows only its "Simplified" heading).
    if (size > 0 && size < 14) small.push(`${size}px: ${node.textContent.trim().slice(0, 40)}`);
  }
  return small;
}
