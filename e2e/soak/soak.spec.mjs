// Soak: the stage plays for 10 minutes at top speed with a stream, and the memory (wasm linear
// memory plus the JS heap after a collection) is sampled every 30 s. Retention keeps one minute of
// records and the history folds its oldest steps past 2,000 (from about 3.3 minutes in), so the
// series must level off: the last five minutes may not grow more than a fifth over the level at
// five minutes, and nothing may pass 256 MB.
import { test, expect } from '@playwright/test';
import { payload } from '../tests/payload.mjs';

const TOPIC = 'product-created-events-topic';
const retention = { retention_ms: 60000, segment_ms: 10000, replication_factor: 3, min_insync_replicas: 2 };
const group = (name) => ({ CreateGroup: { group: name, config: { assignor: 'Range', commit_mode: 'AutoCommit', auto_offset_reset: 'Earliest', session_timeout_ms: 6000, auto_commit_interval_ms: 1000, max_poll_records: 50 } } });
const consumer = (g, c) => ({ AddConsumer: { group: g, client_id: c, group_instance_id: null, topics: [TOPIC] } });
const scenario = {
  version: 2,
  name: 'Soak',
  description: 'Soak: 50 records/s for ten minutes, one minute of retention.',
  config: { group_initial_rebalance_delay_ms: 0, metadata_max_age_ms: 5000, retention_check_interval_ms: 5000 },
  setup: [
    { CreateTopic: { name: TOPIC, partitions: 6, config: retention } },
    { StartProducer: { client_id: 'products-microservice', topic: TOPIC } },
    { SetStream: { producer: 'products-microservice', stream: { rate_per_sec: 50, keys: 'UserIds', user_ids: 100 } } },
    group('sms-notification-service'), consumer('sms-notification-service', 'sms-1'), consumer('sms-notification-service', 'sms-2'),
    group('push-notification-service'), consumer('push-notification-service', 'push-1'),
    group('email-notification-service'), consumer('email-notification-service', 'email-1'),
  ],
};

test('ten minutes at top speed: the memory levels off', async ({ page }) => {
  await page.goto(`/#/s/${payload(JSON.stringify(scenario), 0)}`);
  await expect(page.getByRole('list', { name: `Partition 5 of ${TOPIC}` })).toBeVisible();
  await page.getByRole('slider', { name: 'Speed' }).fill('10');
  await page.getByRole('button', { name: 'Play' }).click();
  const samples = [];
  for (let minute = 0; minute <= 10; minute += 0.5) {
    if (minute > 0) await page.waitForTimeout(30_000);
    const sample = await page.evaluate(() => {
      globalThis.gc();
      return { js: performance.memory.usedJSHeapSize, wasm: globalThis.kafkascopeMemory.buffer.byteLength };
    });
    // The timeline's two read-outs, read apart: the folded count is hidden (yet in the DOM) at 0.
    // On screen it is a short "+N"; its name says it in full.
    const timeline = page.getByRole('toolbar', { name: 'Playback' }).locator('.timeline');
    const step = await timeline.locator('.slider-value').first().textContent();
    const folded = (await timeline.locator('.folded').getAttribute('aria-label')).match(/^(\d+) earlier steps folded$/)?.[1];
    samples.push({ minute, ...sample, step, folded });
    const last = samples.at(-1);
    console.log(`soak ${String(minute).padStart(4)} min: ${(last.wasm / 1e6).toFixed(1)} MB wasm + ${(last.js / 1e6).toFixed(1)} MB JS heap; ${last.step}; ${last.folded} steps folded`);
  }
  await page.getByRole('button', { name: 'Pause' }).click();
  const total = (s) => s.wasm + s.js;
  const atFive = total(samples.find((s) => s.minute === 5));
  const lastFive = samples.filter((s) => s.minute > 5).map(total);
  console.log(`soak series (MB): ${samples.map((s) => (total(s) / 1e6).toFixed(0)).join(' ')}`);
  expect(Math.max(...lastFive)).toBeLessThanOrEqual(atFive * 1.2);
  expect(Math.max(...samples.map(total))).toBeLessThan(256e6);
  expect(Number(samples.at(-1).folded)).toBeGreaterThan(0);
});
