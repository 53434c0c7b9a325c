import { test, expect, lane, produce, openPanel, stopStream, stepUntil, groupBox, groupSettings, instance, GROUPS } from './fixtures.mjs';

const PROFILE = 'profile-updated-event-topic';
const USER = '16b77e26-6aac-4da5-bd17-ca1caeb91461';

async function stepForward(page, n) {
  for (let i = 0; i < n; i++) await page.getByRole('button', { name: 'Step forward' }).click();
}

test('key ordering demo: same key, one partition, read in order; null keys scatter; more partitions move the key', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Key ordering demo' }).click();
  const status = page.getByRole('status');
  await stepForward(page, 3);
  await expect(status).toContainText('Same key, same partition');
  // java_partition(USER, 3) = 0 (Kafka vector): all three updates in lane 0, in order.
  for (const offset of [0, 1, 2]) {
    await expect(lane(page, 0, PROFILE).getByRole('listitem').nth(offset)).toHaveAccessibleName(`Offset ${offset}, key ${USER}`);
  }
  await page.getByRole('listitem', { name: `Offset 2, key ${USER}` }).getByRole('button').click();
  await expect(page.getByRole('dialog')).toContainText('"firstName": "Sergey"');
  await page.getByRole('button', { name: 'Close' }).click();
  const reads = [];
  for (let i = 0; i < 4; i++) {
    await stepForward(page, 1);
    const text = await status.textContent();
    const m = text.match(/read offset (\d+) of partition 0/);
    if (m) reads.push(Number(m[1]));
  }
  expect(reads).toEqual([0, 1, 2]);
  await page.screenshot({ path: 'screenshots/key-ordering-keyed.png' });
  await stepForward(page, 3); // the same updates with a null key, round-robin
  for (const p of [0, 1, 2]) {
    await expect(lane(page, p, PROFILE).getByRole('listitem', { name: /key null$/ })).toHaveCount(1);
  }
  await stepForward(page, 4);
  await stepForward(page, 1); // 3 -> 6 partitions
  await expect(lane(page, 5, PROFILE)).toBeVisible();
  await stepForward(page, 1);
  // java_partition(USER, 6) = 3 (Kafka vector): the key moved.
  await expect(lane(page, 3, PROFILE).getByRole('listitem', { name: `Offset 0, key ${USER}` })).toBeVisible();
  await expect(status).toContainText('hashed to partition 3');
  await expect(status).toContainText('The same key moved to partition 3');
  await page.screenshot({ path: 'screenshots/key-ordering-moved.png' });
});

test('consumer crash: at-least-once redelivers, at-most-once loses', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Consumer crash' }).click();
  const timeline = page.getByRole('slider', { name: 'Timeline' });
  await timeline.fill(await timeline.getAttribute('max'));
  await openPanel(page);
  const emailSettings = groupSettings(page, 'email-notification-service');
  const smsSettings = groupSettings(page, 'sms-notification-service');
  await expect(emailSettings.getByRole('combobox', { name: 'Commit mode' })).toHaveValue('ProcessThenCommit');
  await expect(smsSettings.getByRole('combobox', { name: 'Commit mode' })).toHaveValue('CommitThenProcess');
  await expect(emailSettings).toContainText(/redelivered [1-9]\d* · lost 0/);
  await expect(smsSettings).toContainText(/redelivered 0 · lost [1-9]/);
  // Each group now has one live instance owning all three partitions.
  for (const group of ['email-notification-service', 'sms-notification-service']) {
    const box = groupBox(page, group);
    await expect(box.getByRole('listitem').filter({ hasText: 'reading' })).toHaveCount(1);
    await expect(box.getByRole('listitem').filter({ hasText: 'crashed' })).toHaveCount(0);
  }
});

test('crashing an instance by hand: it greys out, then its partitions move after the session timeout', async ({ page }) => {
  await page.goto('/');
  const sms = groupBox(page, 'sms-notification-service');
  const sms1 = instance(page, 'sms-notification-service', 'sms-1');
  await sms1.getByRole('button', { name: 'Crash sms-1' }).click();
  await expect(sms1.getByRole('button', { name: 'Crash sms-1' })).toBeDisabled();
  await expect(sms1).toContainText('crashed');
  await expect(sms1).toHaveClass(/crashed/);
  await expect(sms1.getByText('P0', { exact: true })).toHaveCSS('filter', 'grayscale(1)');
  await expect(page.getByRole('status')).toContainText('crashed');
  await stepForward(page, 60); // session.timeout.ms = 6000 = 60 ticks of 100 ms
  await expect(sms.getByRole('listitem')).toHaveCount(1);
  for (const p of ['P0', 'P1', 'P2']) await expect(instance(page, 'sms-notification-service', 'sms-2').getByText(p, { exact: true })).toHaveCount(1);
  await openPanel(page);
  await expect(groupSettings(page, 'sms-notification-service').getByRole('table').getByRole('row').filter({ hasText: 'sms-2' })).toHaveCount(3);
});

test('auto-commit: a crash before the next auto-commit redelivers what was read', async ({ page }) => {
  await page.goto('/');
  await stopStream(page);
  await produce(page, 'foobar'); // partition 0: read by sms-1 (Range)
  await produce(page, 'abc');    // partition 0 too (Kafka vector)
  await openPanel(page);
  const stats = groupSettings(page, 'sms-notification-service');
  // Read and processed once committed by the replicas; auto.commit.interval.ms (1 s) not reached.
  await stepUntil(page, async () => /processed 2 · redelivered 0/.test(await stats.textContent()), 6);
  await instance(page, 'sms-notification-service', 'sms-1').getByRole('button', { name: 'Crash sms-1' }).click();
  await stepForward(page, 65); // session timeout (6 s), rebalance, sms-2 reads from the last commit
  await expect(stats).toContainText(/processed 4 · redelivered 2 · lost 0/);
});

test('adding a consumer rebalances and every partition has exactly one owner per group', async ({ page }) => {
  await page.goto('/');
  const sms = groupBox(page, 'sms-notification-service');
  await sms.getByRole('button', { name: 'Add consumer' }).click();
  await expect(sms.getByRole('listitem')).toHaveCount(3);
  await expect(instance(page, 'sms-notification-service', 'sms-3')).toBeVisible();
  await expect(page.getByRole('status')).toContainText('sms-notification-service rebalances: a consumer joined');
  await openPanel(page);
  for (const group of GROUPS) {
    const chips = groupBox(page, group).getByRole('list', { name: `Instances of ${group}` });
    for (const p of ['P0', 'P1', 'P2']) {
      await expect(chips.getByText(p, { exact: true })).toHaveCount(1);
    }
    const consumers = await groupSettings(page, group).getByRole('table').locator('tbody tr td:nth-child(2)').allTextContents();
    expect(consumers).toHaveLength(3);
    expect(consumers).not.toContain('—');
  }
  await groupSettings(page, 'sms-notification-service').getByRole('combobox', { name: 'Assignor' }).selectOption('CooperativeSticky');
  await sms.getByRole('button', { name: 'Remove consumer' }).click();
  await stepForward(page, 1); // cooperative follow-up rebalance
  const chips = sms.getByRole('list', { name: 'Instances of sms-notification-service' });
  for (const p of ['P0', 'P1', 'P2']) await expect(chips.getByText(p, { exact: true })).toHaveCount(1);
});
