// Links and files: Copy link restores the same state on another machine (a fresh browser),
// Export then Import gives the same state, and a reload restores an unsaved sandbox.
import { test, expect, produce, openPanel, stepForward, stopStream } from './fixtures.mjs';
import { readFileSync } from 'node:fs';

/** What a user sees of the state, by accessible names: lanes with their records, instances. */
async function stateOf(page) {
  const lanes = await page.getByRole('list', { name: /^Partition \d+ of / }).evaluateAll(
    (lists) => lists.map((l) => `${l.getAttribute('aria-label')}: ${[...l.querySelectorAll('li')].map((li) => li.getAttribute('aria-label')).join(' | ')}`),
  );
  const instances = await page.getByRole('list', { name: /^Instances of / }).evaluateAll(
    (lists) => lists.map((l) => `${l.getAttribute('aria-label')}: ${[...l.querySelectorAll('li')].map((li) => li.getAttribute('aria-label') + ' ' + li.textContent).join(' | ')}`),
  );
  const timeline = (await page.getByRole('toolbar', { name: 'Playback' }).textContent()).match(/step \d+ \/ \d+/)[0];
  return { lanes, instances, timeline };
}

async function buildSomeState(page) {
  await page.goto('/');
  await stopStream(page);
  for (const key of ['foobar', 'kafka', 'abc', 'a-little-bit-long-string']) await produce(page, key);
  await page.getByRole('region', { name: 'sms-notification-service', exact: true }).getByRole('button', { name: 'Add consumer' }).click();
  await page.getByRole('button', { name: 'Crash sms-1' }).click();
  await page.getByRole('region', { name: 'push-notification-service', exact: true }).getByRole('button', { name: 'Remove consumer' }).click();
  await stepForward(page, 7);
  await page.getByRole('button', { name: 'Step back' }).click();
}

test('Copy link opens the same lanes, offsets and groups in a fresh browser', async ({ page, browser }) => {
  await buildSomeState(page);
  const before = await stateOf(page);
  await page.getByRole('button', { name: 'Copy link' }).click();
  const url = await page.getByRole('textbox', { name: /^Link to step \d+ \(copied\)$/ }).inputValue();
  expect(url).toMatch(/#\/s\/[A-Za-z0-9_-]+$/);
  const other = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const fresh = await other.newPage();
  await fresh.goto(url);
  await expect(fresh.getByRole('list', { name: /^Partition 0 of / }).getByRole('listitem')).not.toHaveCount(0);
  expect(await stateOf(fresh)).toEqual(before);
  await other.close();
});

test('Export then Import gives the same state', async ({ page }, info) => {
  await buildSomeState(page);
  const before = await stateOf(page);
  await openPanel(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
  expect(download.suggestedFilename()).toBe('kafkascope-fan-out.json');
  const file = info.outputPath('exported.json');
  await download.saveAs(file);
  const [at, of] = [before.timeline.match(/step (\d+)/)[1], before.timeline.match(/\/ (\d+)/)[1]];
  expect(Number(at)).toBeGreaterThan(0);
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  expect(saved.version).toBe(2);
  expect(saved.at, 'the step it was on goes into the file').toBe(Number(at));
  // Consumers are named by client.id, as in the built-in scenes: a file a person can edit.
  const named = saved.steps.map((s) => s.command.CrashConsumer ?? s.command.RemoveConsumer).filter(Boolean);
  expect(named).toEqual([{ group: 'sms-notification-service', member_id: 'sms-1' }, { group: 'push-notification-service', member_id: 'push-2' }]);
  await page.getByRole('button', { name: 'Start over' }).click();
  expect(await stateOf(page)).not.toEqual(before);
  await page.getByLabel('Import').setInputFiles(file);
  // A file opens where it was saved (a lecturer's demo at step 26 is not Fan-out's start), and
  // says so. The file is read asynchronously: wait for its timeline.
  await expect(page.getByRole('toolbar', { name: 'Playback' })).toContainText(`step ${at} / ${of}`);
  await expect(page.getByRole('status').first()).toContainText(`Opened exported.json ('Fan-out', ${of} steps) at step ${at} of ${of}.`);
  expect(await stateOf(page)).toEqual(before);
  // Reset goes back to the file's first step, as the sentence says.
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(page.getByRole('toolbar', { name: 'Playback' })).toContainText(`step 0 / ${of}`);
});

test('a reload restores an unsaved sandbox; Start over forgets it', async ({ page }) => {
  await buildSomeState(page);
  const before = await stateOf(page);
  await page.waitForTimeout(1200); // the session is saved at most once a second
  await page.reload();
  await expect(page.getByRole('list', { name: /^Partition 0 of / })).toBeVisible();
  expect(await stateOf(page)).toEqual(before);
  await openPanel(page);
  await page.getByRole('button', { name: 'Start over' }).click();
  await page.waitForTimeout(1200);
  await page.reload();
  await expect(page.getByRole('toolbar', { name: 'Playback' })).toContainText('step 0 / 0');
});

test('two tabs: a reload opens the session saved last, and offers back the other tab\'s steps it replaced', async ({ context }) => {
  const one = await context.newPage();
  await one.goto('/');
  await openPanel(one);
  await one.getByRole('button', { name: 'Start empty' }).click();
  await one.getByRole('textbox', { name: 'New topic name' }).fill('orders');
  await one.getByRole('button', { name: 'Add topic' }).click();
  await produce(one, 'customer-42');
  await expect(one.getByRole('listitem', { name: /key customer-42/ })).toHaveCount(1);
  // A second tab, opened on what the first saved, builds something else.
  const two = await context.newPage();
  await two.goto('/');
  await openPanel(two);
  await two.getByRole('textbox', { name: 'New topic name' }).fill('payments');
  await two.getByRole('button', { name: 'Add topic' }).click();
  await expect(two.getByRole('region', { name: 'Topic payments' })).toBeVisible();
  await two.waitForTimeout(1200); // its save, at most one a second
  await expect(one.getByRole('alert').filter({ hasText: 'Another Kafkascope tab saved its session' })).toBeVisible();
  // Before, the first tab's steps were gone on its next reload, without a word.
  await one.reload();
  await expect(one.getByRole('region', { name: 'Topic payments' })).toBeVisible();
  const replaced = one.getByRole('group', { name: 'Replaced steps' });
  await expect(replaced).toContainText('in “My demo” were set aside.');
  await replaced.getByRole('button', { name: 'Bring back my steps' }).click();
  await expect(one.getByRole('region', { name: 'Topic payments' })).toHaveCount(0);
  await expect(one.getByRole('listitem', { name: /key customer-42/ })).toHaveCount(1);
});

test('Add group takes a session.timeout.ms, so a crash in a demo of one\'s own is not 45 s of waiting', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  await page.getByRole('button', { name: 'Start empty' }).click();
  await page.getByRole('textbox', { name: 'New topic name' }).fill('orders');
  await page.getByRole('button', { name: 'Add topic' }).click();
  const form = page.getByRole('form', { name: 'Add group' });
  await form.getByRole('textbox', { name: 'New group.id' }).fill('billing');
  const session = form.getByRole('spinbutton', { name: /^session\.timeout\.ms/ });
  // Below the broker's group.min.session.timeout.ms: refused with the bounds, nothing created.
  await session.fill('500');
  await form.getByRole('button', { name: 'Add group' }).click();
  await expect(form.getByRole('alert')).toContainText('session.timeout.ms = 500 is outside the broker\'s bounds of 6000 to 1800000 ms');
  await expect(page.getByRole('region', { name: 'Consumer groups' }).getByRole('region', { name: 'billing', exact: true })).toHaveCount(0);
  await session.fill('6000');
  await form.getByRole('button', { name: 'Add group' }).click();
  const billing = page.getByRole('region', { name: 'Consumer groups' }).getByRole('region', { name: 'billing', exact: true });
  await expect(billing).toBeVisible();
  await expect(session).toHaveValue('');
  await billing.getByRole('button', { name: 'Crash billing-1' }).click();
  await expect(billing).toContainText("billing-1's session times out in 6.0 s; then the group rebalances without it.");
});

test('Start empty gives a demo of one\'s own a clean stage: no topic, stream or group of Fan-out, and its own file name', async ({ page }, info) => {
  await page.goto('/');
  await openPanel(page);
  await page.getByRole('button', { name: 'Start empty' }).click();
  await expect(page.getByRole('status').first()).toContainText('An empty cluster of three brokers.');
  await expect(page.getByRole('list', { name: /^Partition \d+ of / })).toHaveCount(0);
  await expect(page.getByRole('article', { name: /^Producer / })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Consumer groups' })).toContainText('No consumer group reads yet.');
  await page.getByRole('textbox', { name: 'New topic name' }).fill('orders');
  await page.getByRole('button', { name: 'Add topic' }).click();
  const form = page.getByRole('form', { name: 'Add group' });
  await form.getByRole('textbox', { name: 'New group.id' }).fill('billing');
  await form.getByRole('button', { name: 'Add group' }).click();
  await expect(page.getByRole('region', { name: 'Consumer groups' }).getByRole('region', { name: 'billing', exact: true })).toBeVisible();
  await produce(page, 'customer-42');
  await expect(page.getByRole('list', { name: /^Partition \d+ of orders$/ }).getByRole('listitem', { name: /key customer-42/ })).toHaveCount(1);
  // Time passes on a stage with no stream: nothing but what was typed is sent.
  await stepForward(page, 3);
  await expect(page.getByRole('listitem', { name: /^Offset / })).toHaveCount(1);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
  expect(download.suggestedFilename()).toBe('kafkascope-my-demo.json');
  // A reload keeps the key last typed, not the session's first.
  await produce(page, 'customer-7');
  await page.reload();
  await expect(page.getByLabel('Key', { exact: true })).toHaveValue('customer-7');
  // Reset goes back to the empty cluster, not to Fan-out; the Key's line does not set the class
  // a to-do there, since the demo's own next steps create the topic.
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(page.getByRole('list', { name: /^Partition \d+ of / })).toHaveCount(0);
  await expect(page.getByRole('article', { name: /^Producer / })).toHaveCount(0);
  await expect(page.locator('.quick-produce .hint')).toHaveText('No topic yet: a later step of this timeline creates one.');
});
