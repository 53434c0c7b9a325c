// Replication on the stage: the data-center outage scene, run by its button. The leader moves,
// the ISR shrinks on screen, acks=all is refused with NotEnoughReplicas, and after the restart
// every ISR is full again. Also acks=1 losing an acknowledged record.
import { test, expect, stepForward, openPanel, closePanel, TOPIC, growTopic } from './fixtures.mjs';

const describe = (page) => page.getByLabel('kafka-topics.sh --describe output');
const isrs = async (page) => (await describe(page).textContent()).match(/Isr: [0-9,]+/g);
const leaders = async (page) => (await describe(page).textContent()).match(/Leader: (\d+|none)/g);

for (const size of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`data center outage at ${size.width}x${size.height}: leaders move, ISRs shrink, NotEnoughReplicas, then all heal`, async ({ page }) => {
    await page.setViewportSize(size);
    await page.goto('/');
    await page.getByRole('button', { name: 'Data center outage', exact: true }).click();
    const status = page.getByRole('status');
    await stepForward(page, 10);
    expect(await isrs(page)).toHaveLength(3);
    for (const isr of await isrs(page)) expect(isr.split(',')).toHaveLength(3);
    const before = await leaders(page);
    expect(before).toContain('Leader: 2');
    await page.screenshot({ path: `screenshots/outage-all-in-sync-${size.width}.png` });

    await stepForward(page, 1); // dc-2 goes dark
    await expect(status).toContainText('dc-2 goes dark');
    await expect(page.getByRole('listitem', { name: 'data center dc-2' })).toContainText('stopped');
    await expect(page.getByRole('listitem', { name: 'data center dc-2' }).getByRole('button', { name: 'Start broker' })).toBeVisible();
    expect(await leaders(page)).not.toContain('Leader: 2');
    for (const isr of await isrs(page)) expect(isr).not.toMatch(/\b2\b/);
    await expect(page.getByRole('listitem', { name: 'data center dc-2' }).locator('.chip.replica.out-of-sync')).toHaveCount(3);
    await page.screenshot({ path: `screenshots/outage-dc2-down-${size.width}.png` });

    await stepForward(page, 20 + 1); // dc-3 goes dark too
    await expect(status).toContainText('dc-3 goes dark too');
    for (const isr of await isrs(page)) expect(isr).toBe('Isr: 1');
    const inFlight = page.getByRole('article', { name: 'Producer products-microservice' }).locator('.in-flight');
    await expect(inFlight).not.toContainText('retrying');
    await stepForward(page, 10);
    await expect(status).toContainText('NotEnoughReplicas');
    // The refused send waits to be retried, and its producer says so while it waits.
    await expect(inFlight).toHaveText(/^\d+ in flight · retrying$/);
    await expect(inFlight).toHaveAttribute('title', /waiting to retry/);
    // The stream's sends the leaders refused are counted on its card, and stay counted.
    const refused = page.getByRole('article', { name: 'Producer products-microservice' }).locator('.refused');
    await expect(refused).toHaveText(/^[1-9]\d* refused$/);
    await page.screenshot({ path: `screenshots/outage-not-enough-replicas-${size.width}.png` });

    await stepForward(page, 2 + 2); // both back; the step where the last of them rejoins
    await expect(status).toContainText('every ISR is full again');
    await expect(refused).toHaveText(/^[1-9]\d* refused$/);
    await expect(status).toContainText('caught up and rejoined the ISR');
    for (const isr of await isrs(page)) expect(isr.split(',')).toHaveLength(3);
    await expect(page.locator('.chip.replica.out-of-sync')).toHaveCount(0);
    await stepForward(page, 8 + 1); // preferred leader election
    expect(await leaders(page)).toEqual(before);
    await page.screenshot({ path: `screenshots/outage-healed-${size.width}.png` });
  });
}

test('acks=1 loses an acknowledged record when its leader dies before a follower copied it', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'acks=1 loses data', exact: true }).click();
  const status = page.getByRole('status');
  await stepForward(page, 5);
  await expect(status).toContainText('acks=1: the leader appended offset 1');
  await expect(page.getByRole('listitem', { name: 'Offset 1, key product-2' })).toHaveClass(/uncommitted/);
  await stepForward(page, 1);
  await expect(status).toContainText('the acknowledged record is lost');
  const leaderLog = page.getByRole('list', { name: `Partition 0 of ${TOPIC}` });
  await expect(leaderLog.getByRole('listitem', { name: 'Offset 1, key product-2' })).toHaveCount(0);
  // Lost to the partition, not gone from the world: the dead old leader still holds it, drawn
  // under the lane at its offset.
  const onlyOnB3 = page.getByRole('list', { name: 'Records only on broker 3, not on the leader' });
  await expect(onlyOnB3.getByRole('listitem')).toHaveCount(1);
  await expect(onlyOnB3.getByRole('listitem', { name: 'Offset 1, key product-2' })).toBeVisible();
  await stepForward(page, 1);
  // The same offset, two records: the new leader's under the lane's offset 1, the old one's under it.
  await expect(leaderLog.getByRole('listitem', { name: 'Offset 1, key product-3' })).toBeVisible();
  const above = () => leaderLog.getByRole('listitem', { name: 'Offset 1, key product-3' }).boundingBox();
  const below = () => onlyOnB3.getByRole('listitem', { name: 'Offset 1, key product-2' }).boundingBox();
  // Polled: the lane's cells glide to their new slots after a step.
  await expect.poll(async () => Math.abs((await above()).x - (await below()).x), { message: 'drawn at the same slot' }).toBeLessThan(2);
  expect((await below()).y, 'under the lane').toBeGreaterThan((await above()).y + (await above()).height);
  // The caption comes with the step that truncates, not after it; the old record goes with it.
  await stepForward(page, 6);
  await expect(status).toContainText('product-created-events-topic-0: broker 3 truncated offset 1');
  await expect(status).toContainText('so it truncates its own offset 1');
  await expect(onlyOnB3).toHaveCount(0);
  await page.screenshot({ path: 'screenshots/acks-1-truncated.png' });
});

test('seeking back across a lost record shows the record that held its offset then, not the one that reused it', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'acks=1 loses data', exact: true }).click();
  const slider = page.getByRole('slider', { name: 'Timeline' });
  const cell = page.getByRole('list', { name: 'Partition 0 of product-created-events-topic' }).getByRole('listitem', { name: /^Offset 1,/ });
  await slider.fill('10');
  await expect(cell).toHaveAttribute('aria-label', 'Offset 1, key product-3');
  await slider.fill('5');
  await expect(cell).toHaveAttribute('aria-label', 'Offset 1, key product-2');
});

test('with two topics a broker names the topic over its chips, so two P0s are told apart', async ({ page }) => {
  await page.goto('/');
  const broker = page.getByRole('listitem', { name: 'data center dc-1' });
  const replicas = broker.getByLabel('Replicas on broker 1');
  // One topic: the chips alone, as before.
  await expect(replicas.locator('.replica-topic')).toHaveCount(0);
  await openPanel(page);
  await page.getByLabel('New topic name', { exact: true }).fill('payments');
  await page.getByLabel('New topic partitions', { exact: true }).fill('2');
  await page.getByRole('button', { name: 'Add topic' }).click();
  await closePanel(page);
  // Topics in the stage's (name) order, each name before its own chips: the chip after a name
  // is titled with that topic, and every chip belongs to the name above it.
  await expect(replicas.locator('.replica-topic')).toHaveText(['payments', TOPIC]);
  const order = await replicas.locator('.replica-topic, .chip').evaluateAll((els) => els.map((e) => e.classList.contains('chip') ? e.title.split(' on broker')[0] : `# ${e.textContent}`));
  let topic = null;
  const seen = [];
  for (const item of order) {
    if (item.startsWith('# ')) { topic = item.slice(2); continue; }
    expect(item.startsWith(`${topic}-`), `${item} is listed under ${topic}`).toBe(true);
    seen.push(item);
  }
  expect(seen, 'broker 1 holds a replica of every partition of both topics').toEqual(['payments-0', 'payments-1', `${TOPIC}-0`, `${TOPIC}-1`, `${TOPIC}-2`]);
  // Five lanes under two topics' headings lie in two columns (one topic's five would not): in
  // one column their cells were squeezed into their neighbours at 1280x720.
  for (const lanes of await page.locator('.lanes').all()) await expect(lanes).toHaveClass(/compact/);
  await page.screenshot({ path: 'screenshots/two-topics-brokers-1280.png' });
});

test('past nine replicas a broker counts them in one line, and shows its chips on a click', async ({ page }) => {
  await page.goto('/');
  const broker = (n) => page.getByRole('listitem', { name: `data center dc-${n}` });
  // Three partitions: every chip on the wall, no summary line.
  await expect(broker(1).getByLabel('Replicas on broker 1')).toBeVisible();
  await expect(broker(1).locator('summary')).toHaveCount(0);
  await growTopic(page, 32);
  let leads = 0;
  for (const n of [1, 2, 3]) {
    const line = broker(n).locator('summary');
    await expect(line).toHaveText(/^32 replicas, leads \d+$/);
    leads += Number((await line.textContent()).match(/leads (\d+)/)[1]);
    await expect(broker(n).getByLabel(`Replicas on broker ${n}`)).toBeHidden();
  }
  expect(leads, 'each of the 32 partitions has one leader').toBe(32);
  // The lanes get the room: sixteen of them on the wall at 1280x720, where eight were.
  await expect(page.getByRole('list', { name: `Partition 15 of ${TOPIC}` })).toBeInViewport();
  // A click shows the chips; a replica out of sync is counted in the line.
  await broker(1).locator('summary').click();
  await expect(broker(1).getByLabel('Replicas on broker 1').locator('.chip')).toHaveCount(32);
  await broker(2).getByRole('button', { name: 'Stop broker' }).click();
  await stepForward(page, 30);
  // Broker 2's replicas fall out of every ISR, and it leads nothing while stopped.
  await expect(broker(2).locator('summary')).toHaveText('32 replicas, leads 0, 32 out of sync');
  // Broker 1's chips stayed open through those thirty steps.
  await expect(broker(1).getByLabel('Replicas on broker 1').locator('.chip')).toHaveCount(32);
  await expect(broker(1).getByLabel('Replicas on broker 1')).toBeVisible();
});
