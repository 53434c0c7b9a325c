// Benchmark (prints numbers; asserts only that it measured): the stage playing at top speed with
// a 200 records/s stream over 32 partitions and 3 groups of 4 instances, for 10 s in headless
// Chromium. Frame times come from requestAnimationFrame deltas; click-to-paint is measured from
// the Produce click to the frame after it (rAF, then a task).
import { test, expect, closePanel, GROUPS, TOPIC, growTopic } from './fixtures.mjs';

test.setTimeout(120_000);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
}

test('bench: frame times while streaming 200 records/s over 32 partitions, and click-to-paint', async ({ page }) => {
  await page.goto('/');
  const topic = await growTopic(page, 32, { keepOpen: true });
  const rate = page.getByRole('region', { name: 'Stream of products-microservice' }).getByRole('spinbutton', { name: 'Rate (records/s)' });
  await rate.fill('200');
  await rate.press('Enter');
  await closePanel(page);
  for (const group of GROUPS) {
    const box = page.getByRole('region', { name: group, exact: true });
    while ((await box.getByRole('listitem').count()) < 4) await box.getByRole('button', { name: 'Add consumer' }).click();
  }
  await page.getByRole('slider', { name: 'Speed' }).fill('10');
  await page.getByRole('button', { name: 'Play' }).click();
  const frames = await page.evaluate(async () => {
    const deltas = [];
    let last = performance.now();
    const end = last + 10_000;
    while (performance.now() < end) {
      const now = await new Promise((r) => requestAnimationFrame(r));
      deltas.push(now - last);
      last = now;
    }
    return deltas;
  });
  await page.getByRole('button', { name: 'Pause' }).click();
  const steps = await page.getByRole('toolbar', { name: 'Playback' }).textContent();
  const sorted = [...frames].sort((a, b) => a - b);
  const p50 = percentile(sorted, 0.5), p95 = percentile(sorted, 0.95), max = sorted[sorted.length - 1];

  // Click-to-paint for one Produce at 32 partitions (paused), 20 times.
  const paints = [];
  for (let i = 0; i < 20; i++) {
    await page.getByLabel('Key', { exact: true }).fill(`bench-key-${i}`);
    const ms = await page.getByRole('button', { name: 'Produce', exact: true }).evaluate((button) => new Promise((resolve) => {
      const t0 = performance.now();
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
      button.click();
    }));
    paints.push(ms);
  }
  const paintSorted = [...paints].sort((a, b) => a - b);
  console.log(`bench stage: ${frames.length} frames in 10 s at top speed, 200 records/s, 32 partitions, 12 instances; ` +
    `frame time p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${max.toFixed(1)} ms (${steps.match(/step \d+ \/ \d+/)[0]})`);
  console.log(`bench stage: click-to-paint for Produce at 32 partitions: median ${percentile(paintSorted, 0.5).toFixed(1)} ms, ` +
    `p95 ${percentile(paintSorted, 0.95).toFixed(1)} ms over ${paints.length} clicks`);
  expect(frames.length).toBeGreaterThan(0);
  expect(paints).toHaveLength(20);
});
