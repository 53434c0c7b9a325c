// Shared test helpers: a page that fails the test on any console error, and the repo's own copy of
// Kafka's partitioner test vectors.
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

export const test = base.extend({
  page: async ({ page }, use) => {
    const errors = [];
    page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
    page.on('pageerror', (err) => errors.push(String(err)));
    await use(page);
    expect(errors, 'console errors on the page').toEqual([]);
  },
});

export { expect };

/** The lane (a list) of partition p. */
export function lane(page, p, topic = TOPIC) {
  return page.getByRole('list', { name: `Partition ${p} of ${topic}` });
}

/** Types a key and produces one record. */
export async function produce(page, key) {
  await page.getByLabel('Key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
}
