// Fidelity of the words on screen (issue 11, items 11-14): each partitioner is described in its
// own client's terms, round-robin is named for what it is, position and committed offset are two
// distinct markers, and every simplification is said where the thing it simplifies is drawn.
import { writeFileSync } from 'node:fs';
import { test, expect, lane, produce, openPanel, closePanel, stopStream, stepForward, groupBox, groupSettings, instance, TOPIC, growTopic } from './fixtures.mjs';

const hashStage = (page) => page.getByRole('region', { name: 'Hash stage' });

/** Opens the app with `scenario` imported from a file, the editing panel closed again. */
async function openScenario(page, info, name, scenario) {
  const file = info.outputPath(name);
  writeFileSync(file, JSON.stringify(scenario));
  await page.goto('/');
  await openPanel(page);
  await page.getByLabel('Import').setInputFiles(file);
  await closePanel(page);
}

async function pickPartitioner(page, label) {
  await openPanel(page);
  await page.getByRole('combobox', { name: 'Partitioner', exact: true }).selectOption({ label });
  await closePanel(page);
}

test('librdkafka sticky partitioning is worded by time (linger), the Java one by batch size', async ({ page }) => {
  await page.goto('/');
  await pickPartitioner(page, 'librdkafka consistent_random (default)');
  await produce(page, '');
  await expect(hashStage(page)).toContainText('kept for sticky.partitioning.linger.ms');
  await expect(hashStage(page)).not.toContainText('batch');
  await page.getByRole('button', { name: 'Reset' }).click(); // a fresh producer: the Java client
  await pickPartitioner(page, 'Java default (3.3+, KIP-794)');
  await produce(page, '');
  await expect(hashStage(page)).toContainText('new batch: partition');
  await produce(page, '');
  await expect(hashStage(page)).toContainText('batch not full yet (batch.size)');
  await expect(hashStage(page)).not.toContainText('linger');
});

test('RoundRobinPartitioner is named, and it ignores keys: keyed records rotate too', async ({ page }) => {
  await page.goto('/');
  await pickPartitioner(page, 'RoundRobinPartitioner');
  for (const [i, key] of ['same-key', 'same-key', 'same-key'].entries()) {
    await produce(page, key);
    await expect(page.getByRole('status')).toContainText(`sent by RoundRobinPartitioner (keys ignored) to partition ${i}`);
  }
  await expect(hashStage(page)).toContainText('RoundRobinPartitioner ignores keys');
  for (const p of [0, 1, 2]) await expect(lane(page, p).getByRole('listitem', { name: 'Offset 0, key same-key' })).toHaveCount(1);
  // The key ordering scene names the partitioner its keyless updates use.
  await page.getByRole('button', { name: 'Key ordering demo' }).click();
  // It says so on the first keyless send, before the lanes show it.
  await stepForward(page, 8);
  await expect(page.getByRole('status')).toContainText('Now the same three updates without a key, sent with RoundRobinPartitioner');
});

test('a group has two markers per partition: where it reads next, and its committed offset', async ({ page }) => {
  await page.goto('/');
  await stopStream(page);
  for (const key of ['foobar', 'abc']) await produce(page, key); // both partition 0 (Kafka vectors)
  // Once the followers have them (the high watermark), sms-1 reads both, one per tick; the
  // auto-commit (every 1 s) has not run yet.
  const track = page.locator('[data-anchor="lane:product-created-events-topic:0"]');
  const readsTwo = track.locator('[title="sms-notification-service reads offset 2 next"]');
  for (let i = 0; i < 8 && !(await readsTwo.isVisible()); i++) await stepForward(page, 1);
  await expect(readsTwo).toBeVisible();
  await expect(track.locator('[title="sms-notification-service committed offset 0"]')).toBeVisible();
  // The legend draws a group's own letter, solid and hollow, as the markers are drawn.
  const legend = page.locator('.legend');
  await expect(legend).toHaveText('E reads next · E committed');
  await expect(legend.locator('.legend-badge')).toHaveCount(2);
  await expect(legend.locator('.legend-badge.hollow')).toHaveCount(1);
  // Before the commit catches up, the solid badge stands alone.
  await expect(readsTwo).not.toHaveClass(/on-commit/);
  await stepForward(page, 10); // the auto-commit catches up: one solid badge, drawn on a hollow one
  await expect(track.locator('[title="sms-notification-service committed offset 2"]')).toHaveCount(0);
  const both = track.locator('[title="sms-notification-service reads offset 2 next, committed 2"]');
  await expect(both).toBeVisible();
  await expect(both).toHaveClass(/on-commit/);
  const ring = await both.locator('.badge').evaluate((el) => getComputedStyle(el, '::after').borderTopWidth);
  expect(ring, 'the hollow badge under the solid one is drawn').toBe('2px');
});

test('a group that has committed where it reads next looks different from one that has committed nothing', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Consumer crash', exact: true }).click();
  await stepForward(page, 6);
  await expect(page.getByRole('status')).toContainText('Email processed its batch but has not committed; SMS committed its batch');
  const track = page.locator('[data-anchor="lane:product-created-events-topic:0"]');
  await expect(track.locator('[title="email-notification-service reads offset 1 next"]')).not.toHaveClass(/on-commit/);
  await expect(track.locator('[title="sms-notification-service reads offset 1 next, committed 1"]')).toHaveClass(/on-commit/);
});

test('every simplification is said where the thing it simplifies is drawn', async ({ page }) => {
  await page.goto('/');
  const say = (text) => page.getByText(text, { exact: true });
  // Cluster, consumers (the scenes' metadata refresh), hash stage (a sticky send).
  // Brokers and replicas (the default scene has three replicas per partition): folded summaries
  // beside them open to the full sentences.
  const cluster = page.getByRole('region', { name: 'Kafka cluster' });
  await cluster.getByText('broker outages', { exact: true }).click();
  await expect(cluster.getByText('A stopped broker is noticed at once', { exact: false })).toBeVisible();
  await cluster.getByText('replication timing and 3 more').click();
  await expect(cluster.getByText('A follower fetch takes one tick there and back', { exact: false })).toBeVisible();
  await expect(cluster.getByText('Consumers always read from the leader', { exact: false })).toBeVisible();
  await page.getByText('producer batches and retries', { exact: true }).click();
  await expect(page.getByText('A batch holds one record and is sent at once', { exact: false })).toBeVisible();
  await cluster.getByText('kafka-topics.sh --describe', { exact: true }).click();
  await expect(cluster.getByText('The kafka-topics.sh --describe lines leave out TopicId.')).toBeVisible();
  // The metadata shortcut is said on a group while it has not noticed new partitions.
  const sms = groupBox(page, 'sms-notification-service');
  await expect(sms.getByText("Consumers refresh metadata far sooner", { exact: false })).toBeHidden();
  await growTopic(page, 4);
  await expect(sms.getByRole('note')).toContainText(`New partitions of ${TOPIC} unread until its metadata refresh, in`);
  // Folded to one line: every group says it at once.
  const shortcut = sms.getByText("Consumers refresh metadata far sooner than Kafka's 5-minute metadata.max.age.ms, so added partitions are noticed during a lecture; producers see them at once (a Java producer keeps hashing over the old count until its own refresh).");
  await expect(shortcut).toBeHidden();
  await sms.getByText('metadata refresh', { exact: true }).click();
  await expect(shortcut).toBeVisible();
  await stepForward(page, 60);
  await expect(sms.getByRole('note')).toBeHidden();
  await stopStream(page);
  await produce(page, '');
  await hashStage(page).getByText('sticky batches', { exact: true }).click();
  await expect(hashStage(page).getByText("Sticky partitioning treats a batch as full once batch.size bytes were sent, leaves out KIP-794's adaptive weighting, and gives up a sticky partition at once when it loses its leader.")).toBeVisible();
  // Inspector: record sizes.
  await lane(page, Number((await page.getByRole('status').textContent()).match(/partition (\d)/)[1])).getByRole('button').first().click();
  await expect(page.getByRole('dialog').getByText("Sizes count key, value and headers only, without Kafka's record and batch framing.")).toBeVisible();
  await page.keyboard.press('Escape');
  // A compacted topic.
  await openPanel(page);
  await page.getByRole('textbox', { name: 'New topic name' }).fill('user-profiles');
  await page.getByRole('combobox', { name: 'cleanup.policy' }).selectOption('Compact');
  await page.getByRole('button', { name: 'Add topic' }).click();
  const compacted = page.getByRole('region', { name: 'Topic user-profiles' });
  await compacted.getByText('segments not merged and', { exact: false }).click();
  await expect(compacted.getByText('Compaction does not merge the small segments it leaves behind.')).toBeVisible();
  await expect(compacted.getByText('The log cleaner runs on the retention check schedule', { exact: false })).toBeVisible();
  await expect(page.getByRole('region', { name: `Topic ${TOPIC}` }).getByText('segments not merged', { exact: false })).toHaveCount(0);
  // A cooperative group.
  const settings = groupSettings(page, 'sms-notification-service');
  // Every group: the classic protocol. A group with a processing rate (Email's 1/s): it polls
  // only what it can process, so max.poll.interval.ms never runs out.
  await expect(settings.getByText('Groups use the classic rebalance protocol', { exact: false })).toBeVisible();
  await expect(settings.getByText('A consumer with a processing rate polls only what it can process', { exact: false })).toHaveCount(0);
  await expect(groupSettings(page, 'email-notification-service').getByText('A consumer with a processing rate polls only what it can process', { exact: false })).toBeVisible();
  await expect(settings.getByText('The cooperative follow-up rebalance comes one tick after the first.')).toHaveCount(0);
  await settings.getByRole('combobox', { name: 'Assignor' }).selectOption('CooperativeSticky');
  await expect(settings.getByText('The cooperative follow-up rebalance comes one tick after the first.')).toBeVisible();
  await expect(settings.getByText("The cooperative-sticky assignor keeps Kafka's guarantees (balance, then stickiness), not its exact tie-breaking.")).toBeVisible();
  await closePanel(page);
  // A rebalance that waits for a crashed member.
  await instance(page, 'push-notification-service', 'push-1').getByRole('button', { name: 'Crash push-1' }).click();
  await groupBox(page, 'push-notification-service').getByRole('button', { name: 'Add consumer' }).click();
  // Two notes now: the crashed push-1's session countdown, and the rebalance waiting for it.
  const note = groupBox(page, 'push-notification-service').getByRole('note').filter({ hasText: 'rebalance waits' });
  await expect(note).toContainText('rebalance waits for push-1 to rejoin');
  await expect(note).toContainText('A rebalance waiting for a stopped member gives up after 5 minutes (max.poll.interval.ms)');
  await expect(instance(page, 'push-notification-service', 'push-2')).toContainText('waiting for rebalance');
  // Eager (push's range assignor): every consumer gave up its partitions.
  await expect(note).toContainText('nobody reads');
  await expect(page.getByRole('status').first()).toContainText("push-notification-service's rebalance waits for push-1 to rejoin or time out; eager, every consumer gave up its partitions, so the group reads nothing.");
  // Cooperative (sms, set above): the others keep theirs and read on; only the newcomer waits.
  await instance(page, 'sms-notification-service', 'sms-1').getByRole('button', { name: 'Crash sms-1' }).click();
  await groupBox(page, 'sms-notification-service').getByRole('button', { name: 'Add consumer' }).click();
  const smsNote = groupBox(page, 'sms-notification-service').getByRole('note').filter({ hasText: 'rebalance waits' });
  await expect(smsNote).toContainText('rebalance waits for sms-1 to rejoin: the others read on.');
  await expect(page.getByRole('status').first()).toContainText("sms-notification-service's rebalance waits for sms-1 to rejoin or time out; cooperative, the others keep their partitions and read on.");
  await expect(instance(page, 'sms-notification-service', 'sms-2')).toContainText('reading');
  await expect(instance(page, 'sms-notification-service', 'sms-3')).toContainText('waiting for rebalance');
});

test('a cooperative member reads on while a rebalance waits, but its commits fail until the group is stable', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  await groupSettings(page, 'sms-notification-service').getByRole('combobox', { name: 'Assignor' }).selectOption('CooperativeSticky');
  await closePanel(page);
  await instance(page, 'sms-notification-service', 'sms-1').getByRole('button', { name: 'Crash sms-1' }).click();
  await groupBox(page, 'sms-notification-service').getByRole('button', { name: 'Add consumer' }).click();
  // The stream keeps sending; sms-2 reads what lands in its partition, and its auto-commit (every
  // second) is refused.
  const status = page.getByRole('status').first();
  const said = [];
  for (let i = 0; i < 30 && !said.some((t) => t.includes('commit failed')); i++) {
    await stepForward(page, 1);
    said.push(await status.textContent());
  }
  expect(said.join(' ')).toContain("sms-2's commit failed: sms-notification-service is rebalancing (RebalanceInProgressException), so whoever owns those partitions next reads the records again.");
  expect(said.join(' ')).toContain('sms-2 read offset');
});

test('a slow group that retention overtakes is told which offsets it never reads, and its card counts them', async ({ page }, info) => {
  // One 3-byte record per 4-byte segment, kept 1 s; the group processes a record a second.
  const scenario = {
    version: 2,
    name: 'Retention overtakes a slow group',
    config: { group_initial_rebalance_delay_ms: 0, metadata_max_age_ms: 0 },
    setup: [
      { CreateTopic: { name: 'orders', partitions: 1, config: { retention_ms: 1000, segment_bytes: 4 } } },
      { CreateGroup: { group: 'slow-readers', config: { auto_offset_reset: 'Earliest', processing_rate: 1, max_poll_records: 1, session_timeout_ms: 6000 } } },
      { AddConsumer: { group: 'slow-readers', client_id: 'reader', group_instance_id: null, topics: ['orders'] } },
    ],
    steps: [
      { command: { Produce: { producer: 'shop', topic: 'orders', key: 'k', value: 'v0' } }, repeat: 10 },
      { command: 'Tick', repeat: 15 },
      { command: 'CleanLogs' },
      { command: 'Tick', repeat: 5 },
    ],
  };
  await openScenario(page, info, 'overtaken.json', scenario);
  const status = page.getByRole('status').first();
  const said = [];
  for (let i = 0; i < 31 && !said.some((t) => t.includes('deleted by retention')); i++) {
    await stepForward(page, 1);
    said.push(await status.textContent());
  }
  // Its position was 1 (it had read offset 0) when retention moved the log start to 10.
  expect(said.join(' ')).toContain("reader's offset 1 of partition 0 was deleted by retention: auto.offset.reset=earliest moves it to 10, and it never reads offsets 1–9.");
  await expect(groupBox(page, 'slow-readers').locator('.group-mishaps')).toHaveText('9 deleted unread');
});

test('without idempotence two sends that fail together land the other way round; a later one waits behind the retries', async ({ page }, info) => {
  // Broker 3 leads orders-0; both records are in flight, not yet copied, when it stops.
  const send = (key, enable_idempotence) => ({ command: { Produce: { producer: 'shop', topic: 'orders', key, value: 'v', enable_idempotence } } });
  for (const idempotent of [false, true]) {
    const scenario = {
      version: 2,
      name: `Retries, enable.idempotence=${idempotent}`,
      setup: [{ CreateTopic: { name: 'orders', partitions: 1, config: { replication_factor: 3, min_insync_replicas: 1 } } }],
      steps: [send('first', idempotent), send('second', idempotent), { command: { StopBroker: { broker: 3 } } }, { command: 'Tick' }, send('third', idempotent), { command: 'Tick', repeat: 3 }],
    };
    await openScenario(page, info, `retries-${idempotent}.json`, scenario);
    const status = page.getByRole('status').first();
    const said = [];
    for (let i = 0; i < 8; i++) {
      await stepForward(page, 1);
      said.push(await status.textContent());
      // Broker 3 stopped: its two records beyond the new leader's log end are drawn under their
      // offsets' slots, the next slot moved left for them, clear of the "not on leader" note.
      if (i === 2) {
        const ghosts = page.getByRole('list', { name: 'Records only on broker 3, not on the leader' }).getByRole('listitem');
        await expect(ghosts).toHaveCount(2);
        const note = await page.locator('.ghost-note').boundingBox();
        const next = await lane(page, 0, 'orders').locator('xpath=..').locator('.next-slot').boundingBox();
        const [first, second] = [await ghosts.nth(0).boundingBox(), await ghosts.nth(1).boundingBox()];
        expect(second.x + second.width, 'the last record stays left of the note').toBeLessThanOrEqual(note.x);
        expect(Math.abs(first.x - next.x), 'offset 0 sits under the next slot, where offset 0 goes').toBeLessThan(2);
      }
    }
    const waits = idempotent ? 'waits behind sequence 0, still to be sent again' : 'waits in the producer behind a record it will retry';
    expect(said.join(' '), `idempotent ${idempotent}`).toContain("shop's 2 sends to partition 0: NETWORK_EXCEPTION: broker 3, the leader, stopped before it answered: its connection closed (Disconnected from node 3)");
    expect(said.join(' '), `idempotent ${idempotent}`).toContain(waits);
    const order = idempotent ? ['first', 'second', 'third'] : ['second', 'first', 'third'];
    for (const [offset, key] of order.entries()) {
      await expect(lane(page, 0, 'orders').getByRole('listitem', { name: `Offset ${offset}, key ${key}` })).toHaveCount(1);
    }
  }
});
