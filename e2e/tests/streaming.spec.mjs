// Streams: Fan-out plays a stream on its own; a slow group's lag rises, added consumers drain
// it, and an instance beyond the partition count sits idle.
import { test, expect, stepForward, instance } from './fixtures.mjs';

const EMAIL = 'email-notification-service';

async function groupLag(page, group) {
  const text = await page.getByRole('region', { name: group, exact: true }).textContent();
  const m = text.match(/group lag (\d+)/);
  return m ? Number(m[1]) : 0;
}

test('fan-out streams 2 records/s: 50 ticks of 100 ms produce 10 records', async ({ page }) => {
  await page.goto('/');
  await stepForward(page, 50);
  await expect(page.getByRole('toolbar', { name: 'Playback' })).toContainText('step 50 / 50');
  await expect(page.getByRole('article', { name: 'Producer products-microservice' })).toContainText('sent 10');
  await expect(page.getByRole('list', { name: /^Partition \d of / }).getByRole('listitem')).toHaveCount(10);
});

test('a slow group builds lag, added consumers drain it, and a fourth instance on three partitions is idle', async ({ page }) => {
  // Over 700 steps, each drawn: 21 to 29 s on this 2-core machine, and 30.5 s once in a clean-clone
  // CI; the default 30 s is for a page's worth of clicks, not for this many steps.
  test.slow();
  await page.goto('/');
  await stepForward(page, 150);
  const before = await groupLag(page, EMAIL);
  await stepForward(page, 150);
  const rising = await groupLag(page, EMAIL);
  expect(rising, `email (1 record/s) falls behind a 2 records/s stream: ${before} -> ${rising}`).toBeGreaterThan(before);
  const email = page.getByRole('region', { name: EMAIL, exact: true });
  await email.getByRole('button', { name: 'Add consumer' }).click();
  await email.getByRole('button', { name: 'Add consumer' }).click();
  await stepForward(page, 400);
  const drained = await groupLag(page, EMAIL);
  expect(drained, `three instances drain it: ${rising} -> ${drained}`).toBeLessThan(rising / 2);
  await email.getByRole('button', { name: 'Add consumer' }).click();
  await expect(instance(page, EMAIL, 'email-4')).toContainText('idle');
  await expect(email.getByRole('listitem').filter({ hasText: 'reading' })).toHaveCount(3);
  await page.screenshot({ path: 'screenshots/streaming-drained-idle.png' });
});
