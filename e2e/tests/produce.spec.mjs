import { test, expect, lane, produce, typeableVectors, TOPIC, growTopic } from './fixtures.mjs';

test('page shows the topic as three partition lanes', async ({ page }) => {
  await page.goto('/');
  for (const p of [0, 1, 2]) {
    await expect(lane(page, p)).toBeVisible();
  }
  await expect(page.getByRole('list', { name: `Partition 3 of ${TOPIC}` })).toHaveCount(0);
  const brokers = page.getByRole('list', { name: 'Brokers' });
  await expect(brokers.getByRole('listitem')).toHaveCount(3);
  for (const dc of ['dc-1', 'dc-2', 'dc-3']) await expect(brokers).toContainText(`data center ${dc}`);
  // Three replicas per partition, one per data center, exactly one of them the leader.
  for (const p of ['P0', 'P1', 'P2']) await expect(brokers.getByText(p, { exact: true })).toHaveCount(3);
  await expect(brokers.locator('.chip.replica.leader')).toHaveCount(3);
  for (const n of [1, 2, 3]) await expect(brokers.getByRole('listitem', { name: `data center dc-${n}` }).getByRole('button', { name: 'Stop broker' })).toBeVisible();
});

test('keyed records land in the partition Kafka would pick, at the next offset', async ({ page }) => {
  await page.goto('/');
  const vectors = typeableVectors().slice(0, 12);
  expect(vectors.length).toBe(12);
  const nextOffset = [0, 0, 0];
  for (const v of vectors) {
    await produce(page, v.key);
    const offset = nextOffset[v.partition_3]++;
    await expect(lane(page, v.partition_3).getByRole('listitem', { name: `Offset ${offset}, key ${v.key}`, exact: true }))
      .toBeVisible();
    await expect(page.getByRole('status')).toContainText(`partition ${v.partition_3}, appended at offset ${offset}`);
  }
  for (const p of [0, 1, 2]) {
    await expect(lane(page, p).getByRole('listitem')).toHaveCount(nextOffset[p]);
  }
  await page.screenshot({ path: 'screenshots/produced-vectors.png', fullPage: true });
});

test('the hash stage shows the real murmur2 math for the key', async ({ page }) => {
  await page.goto('/');
  const v = typeableVectors().find((x) => x.key === '16b77e26-6aac-4da5-bd17-ca1caeb91461');
  await produce(page, v.key);
  const stage = page.getByRole('region', { name: 'Hash stage' });
  await expect(stage).toContainText(`murmur2(bytes) = ${v.murmur2}`);
  await expect(stage).toContainText(`& 0x7fffffff = ${v.murmur2 & 0x7fffffff}`);
  await expect(stage).toContainText(`% 3 = partition ${v.partition_3}`);
  await expect(stage).toContainText(`ProductCreatedEvent · key 16b77e26-6aa… · value {"productId"`);
  // The math stays while time passes, and stepping back before the send clears it.
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(stage).toContainText(`murmur2(bytes) = ${v.murmur2}`);
  await page.getByRole('button', { name: 'Step back' }).click();
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(stage).not.toContainText('murmur2(bytes)');
});

test('an empty key produces a null-keyed record and says so', async ({ page }) => {
  await page.goto('/');
  await produce(page, '');
  await expect(page.getByRole('status')).toContainText('null key, kept sticky by the Java default (3.3+, KIP-794) partitioner, to partition');
  const stage = page.getByRole('region', { name: 'Hash stage' });
  await expect(stage).toContainText('null key: nothing to hash');
  await expect(stage).toContainText('new batch: partition');
  await expect(stage).toContainText("Sticky partitioning treats a batch as full once batch.size bytes were sent, leaves out KIP-794's adaptive weighting, and gives up a sticky partition at once when it loses its leader.");
  await expect(page.getByRole('listitem', { name: /^Offset 0, key null$/ })).toHaveCount(1);
  // A key spelled "null" is a key (hashed, four bytes): quoted on its cell, unlike the null key.
  await produce(page, 'null');
  await expect(stage).toContainText('UTF-8 bytes (4): 6e 75 6c 6c');
  const spelled = page.getByRole('listitem', { name: 'Offset 0, key "null"', exact: true })
    .or(page.getByRole('listitem', { name: 'Offset 1, key "null"', exact: true }));
  await expect(spelled).toHaveCount(1);
  await expect(spelled.locator('.cell-key')).toHaveText('"null"');
  // Its closing quote is always drawn, however narrow the cell: a cut "nul… would read as null.
  await expect(spelled.locator('.key-tail')).toHaveText('"');
  await expect(spelled.locator('.cell-key')).not.toHaveClass(/no-key/);
  await expect(page.getByRole('listitem', { name: /^Offset 0, key null$/ }).locator('.cell-key')).toHaveClass(/no-key/);
});

test('past 32 partitions a Produce to a lane scrolled out of sight brings that lane into view', async ({ page }) => {
  await page.goto('/');
  await growTopic(page, 64);
  // A key the hint sends to a lane below the fold (the first 18 of 64 lanes fit at 1280x720).
  const hint = page.getByRole('form', { name: 'Produce a record' }).locator('.hint');
  let key = null;
  let target = -1;
  for (let i = 0; i < 200 && target < 40; i++) {
    key = `user-${i}`;
    await page.getByLabel('Key', { exact: true }).fill(key);
    await expect(hint).toContainText(`% 64 → partition`);
    target = Number((await hint.textContent()).match(/partition (\d+)$/)[1]);
  }
  expect(target, `${key} hashes to a lane out of sight`).toBeGreaterThanOrEqual(40);
  const landing = lane(page, target);
  await expect(landing).not.toBeInViewport();
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  await expect(landing.getByRole('listitem', { name: `Offset 0, key ${key}`, exact: true })).toBeInViewport();
  // The page itself never scrolls: only the lanes' area moved.
  expect(await page.evaluate(() => [window.scrollX, window.scrollY])).toEqual([0, 0]);
  await expect(page.getByRole('heading', { name: 'Kafka cluster' })).toBeInViewport();
});

test("a scene about one user's key puts that key in the Key field, so Produce adds an update where the others are", async ({ page }) => {
  await page.goto('/');
  const key = page.getByRole('textbox', { name: 'Key', exact: true });
  const random = await key.inputValue();
  await page.getByRole('button', { name: 'Key ordering demo', exact: true }).click();
  await expect(key).toHaveValue('16b77e26-6aac-4da5-bd17-ca1caeb91461');
  await expect(page.locator('form.quick-produce .hint')).toHaveText('next send: murmur2 % 3 → partition 0');
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Step forward', exact: true }).click();
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  await expect(lane(page, 0, 'profile-updated-event-topic').getByRole('listitem', { name: 'Offset 3, key 16b77e26-6aac-4da5-bd17-ca1caeb91461' })).toHaveCount(1);
  // A scene that sends no keys of its own leaves the field as it was.
  await key.fill(random);
  await page.getByRole('button', { name: 'Fan-out', exact: true }).click();
  await expect(key).toHaveValue(random);
  // Nor does a lesson whose keyed records were sent to a named partition: sent again by the
  // partitioner, the key would land elsewhere (852e4839… hashes to 2, the lesson put it in 0).
  await page.goto('/#/lesson/topics-and-offsets/0');
  await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('step 0 of');
  await expect(key).toHaveValue(random);
});
