// What a lecturer's second look at the scenes found: a group note that stopped mid-sentence and
// fifty quiet steps with no word of what they wait for, a late append narrated without a verb,
// and "offsets 0–0" for one offset.
import { test, expect } from './fixtures.mjs';

async function openScene(page, scene) {
  await page.goto('/');
  await page.getByRole('button', { name: scene, exact: true }).click();
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
}

test('while new partitions wait for a metadata refresh, the group and the narration count down to it', async ({ page }) => {
  await openScene(page, 'Key ordering demo');
  const note = page.locator('.metadata-note');
  for (let i = 0; i < 80 && !(await note.isVisible()); i++) await page.keyboard.press('ArrowRight');
  await expect(note).toContainText(/has not noticed the new partitions of profile-updated-event-topic yet: its next metadata refresh finds them, in \d+\.\d s\./);
  const status = page.getByRole('status').first();
  for (let i = 0; i < 10 && !(await status.textContent()).includes('metadata refresh'); i++) await page.keyboard.press('ArrowRight');
  await expect(status).toContainText(/Tick \d+: nothing new to read\. sms-notification-service reads the new partitions of profile-updated-event-topic after its next metadata refresh, in \d+\.\d s\./);
  const before = Number((await status.textContent()).match(/in (\d+\.\d) s/)[1]);
  await page.keyboard.press('ArrowRight');
  await expect(status).toContainText(`in ${(before - 0.1).toFixed(1)} s.`);
});

test('a record that lands without a send in its step is narrated as a sentence', async ({ page }) => {
  await openScene(page, 'Data center outage');
  const status = page.getByRole('status').first();
  for (let i = 0; i < 80 && !(await status.textContent()).includes('sent earlier'); i++) await page.keyboard.press('ArrowRight');
  await expect(status).toContainText(/A record sent earlier went to partition \d, appended at offset \d+\./);
});
