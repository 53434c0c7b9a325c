// What a student clicking everything found: the hidden file input scrolled the whole page away,
// "Add group" with an existing name made a second consumer with the same name, the editing
// panel's number fields gave a wrong or stale message, a reload lost a Try-it answer, a long
// error ran out of its column or past the narration's two lines, and a stopped broker's tag
// covered the cluster heading.
import { test, expect, lane, openPanel, closePanel, produce, stepForward, stepUntil, stopStream, GROUPS, TOPIC, growTopic } from './fixtures.mjs';
import { readFileSync } from 'node:fs';
import { payload } from './payload.mjs';

test('focusing Import keeps the page in place: the stage stays on screen', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  // The keyboard path: Tab from Export reaches the file input behind the Import label.
  await page.getByRole('button', { name: 'Export' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.locator('#import-file')).toBeFocused();
  expect(await page.evaluate(() => document.scrollingElement.scrollTop), 'the document never scrolls').toBe(0);
  await expect(page.getByRole('heading', { name: 'Kafkascope' })).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Play' })).toBeInViewport();
});

test('Add group refuses a group.id that already exists and says how to add a consumer', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  const sms = page.getByRole('list', { name: `Instances of ${GROUPS[0]}` });
  const before = await sms.getByRole('listitem').count();
  await page.getByRole('textbox', { name: 'New group.id' }).fill(GROUPS[0]);
  await page.getByRole('button', { name: 'Add group' }).click();
  await expect(page.getByRole('form', { name: 'Add group' }).getByRole('alert')).toContainText(`Group '${GROUPS[0]}' already exists`);
  await expect(sms.getByRole('listitem')).toHaveCount(before);
});

test('a partition count too large for 32 bits gets the real limit, and an edited field clears a stale refusal', async ({ page }) => {
  await page.goto('/');
  const topic = await growTopic(page, 4294967296, { keepOpen: true });
  await expect(topic.getByRole('alert')).toContainText('1024');
  await expect(topic.getByRole('alert')).not.toContainText('whole number');

  const add = page.getByRole('form', { name: 'Add topic' });
  await add.getByRole('textbox', { name: 'New topic name' }).fill('audit');
  await add.getByRole('spinbutton', { name: 'Replication factor' }).fill('5');
  await add.getByRole('button', { name: 'Add topic' }).click();
  await expect(add.getByRole('alert')).toContainText('replication factor of 5');
  await add.getByRole('spinbutton', { name: 'Replication factor' }).fill('0');
  await expect(add, 'the refusal of RF 5 is gone once RF is edited').not.toContainText('replication factor of 5');
});

test('a reload in a lesson keeps the record a student sent in its Try-it task', async ({ page }) => {
  await page.goto('/#/lesson/events-and-messages/13');
  const tryIt = page.getByRole('group', { name: 'Try it' });
  await expect(tryIt).toBeVisible();
  const saved = () => page.evaluate(() => localStorage.getItem('kafkascope.session'));
  const before = await saved();
  await page.getByRole('textbox', { name: 'Key', exact: true }).fill('student-key');
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  await expect(page).toHaveURL(/#\/lesson\/events-and-messages\/14$/);
  await expect(tryIt.getByRole('status')).toContainText('Done:');
  // The session is saved at most once a second.
  await expect.poll(saved, { timeout: 5000 }).not.toBe(before);
  await page.reload();
  await expect(page).toHaveURL(/#\/lesson\/events-and-messages\/14$/);
  await expect(page.getByRole('toolbar', { name: 'Playback' })).toContainText('step 14 / 14');
  await expect(page.getByRole('group', { name: 'Try it' }).getByRole('status')).toContainText('Done:');
  await expect(page.getByRole('listitem', { name: /key student-key/ })).toHaveCount(1);
});

test("a stopped broker's tag sits on its card, below the cluster heading", async ({ page }) => {
  await page.goto('/');
  await page.getByRole('listitem', { name: 'data center dc-1' }).getByRole('button', { name: 'Stop broker' }).click();
  const tag = page.locator('.data-center.dark .broker-state');
  await expect(tag).toHaveText('stopped');
  const heading = await page.getByRole('heading', { name: 'Kafka cluster' }).boundingBox();
  const box = await tag.boundingBox();
  expect(box.y, 'the tag starts below the heading').toBeGreaterThanOrEqual(heading.y + heading.height);
  // It may reach into the name's line box by its leading (4 px), never into the letters.
  const name = await page.getByRole('listitem', { name: 'data center dc-1' }).locator('.broker-name').boundingBox();
  expect(box.y + box.height, 'the tag leaves the broker name readable').toBeLessThanOrEqual(name.y + 4);
});

test('a send with every broker down waits in the producer, says so on its card, and is written once a leader is back', async ({ page }) => {
  await page.goto('/');
  const dc = (n) => page.getByRole('listitem', { name: `data center dc-${n}` });
  for (const n of [1, 2, 3]) await dc(n).getByRole('button', { name: 'Stop broker' }).click();
  await page.getByLabel('Key', { exact: true }).fill('user-1');
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  // user-1 hashes to partition 2 of 3; Kafka's client sends nothing to a partition without a leader.
  await expect(page.getByRole('status').first()).toContainText('key user-1 hashed to partition 2 and waits in the producer: the partition has no leader.');
  const card = page.getByRole('article', { name: 'Producer products-microservice' }).locator('.in-flight');
  await expect(card).toHaveText('1 in flight · no leader');
  await expect(card).toHaveAttribute('title', /waiting for the partition to get a leader/);
  expect(await card.evaluate((el) => el.scrollWidth - el.clientWidth), 'no word runs past the column').toBeLessThanOrEqual(0);
  await expect(page.locator('.producer-column .error')).toHaveText('');
  await expect(lane(page, 2).getByRole('listitem', { name: 'Offset 0, key user-1' })).toHaveCount(0);
  // Broker 3 stopped last, so it is the partitions' last in-sync replica: back, it leads again
  // (and the others are back for min.insync.replicas=2).
  for (const n of [3, 1, 2]) await dc(n).getByRole('button', { name: 'Start broker' }).click();
  const written = lane(page, 2).getByRole('listitem', { name: 'Offset 0, key user-1' });
  await stepUntil(page, async () => (await written.count()) === 1);
  await expect(page.getByRole('status').first()).toContainText('A record sent earlier went to partition 2, appended at offset 0.');
});

/** Steps the Data center outage scene until the stream's NotEnoughReplicas refusal, with its remedy. */
// The data-center-outage scene without its captions, so the stream's refusal is the step's only
// sentence (in the scene its own caption comes first and the refusal gives way).
// `longer` gives the topic and the producer longer names, for a sentence past two lines.
async function toRefusal(page, longer = false) {
  let text = readFileSync(new URL('../../assets/scenes/data-center-outage.json', import.meta.url), 'utf8');
  if (longer) text = text.replaceAll('product-created-events-topic', 'product-created-events-catalogue-topic').replaceAll('products-microservice', 'products-microservice-eu-west');
  const scene = JSON.parse(text);
  for (const step of scene.steps) delete step.caption;
  await page.goto(`/#/s/${payload(JSON.stringify(scene), 0)}`);
  await expect(page.getByRole('slider', { name: 'Timeline' })).toHaveAttribute('max', String(scene.steps.reduce((n, s) => n + (s.repeat ?? 1), 0)));
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  const status = page.getByRole('status').first();
  for (let i = 0; i < 80 && !(await status.textContent()).includes('Start a stopped broker'); i++) await page.keyboard.press('ArrowRight');
  await expect(status).toContainText('Start a stopped broker');
  return page.locator('.narration-text');
}

test("a refusal longer than the narration's two lines tightens its type and shows whole, remedy included", async ({ page }) => {
  // Under the scene's own names it fits two lines in the bar's own type; with longer names it
  // needs the tighter type.
  const bar = await toRefusal(page, true);
  await expect(bar).toHaveClass(/tight/);
  await expect(bar).toContainText('so the leader refuses acks=all sends. Start a stopped broker so its replica rejoins the ISR.');
  await page.waitForTimeout(100); // a few frames: a fitting still running would drop or clamp
  await expect(bar).not.toHaveClass(/clamped/);
  expect(await bar.evaluate((el) => el.scrollHeight <= el.clientHeight + 1), 'nothing runs past the bar').toBe(true);
});

test('with the editing panel open the refusal still shows whole: the bar keeps the page\'s width', async ({ page }) => {
  const bar = await toRefusal(page);
  const wide = (await bar.boundingBox()).width;
  await openPanel(page);
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  // Step back and forward to narrate the refusal again with the panel open.
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowRight');
  await expect(bar).toContainText('so the leader refuses acks=all sends. Start a stopped broker so its replica rejoins the ISR.');
  expect((await bar.boundingBox()).width).toBe(wide);
  await page.waitForTimeout(100);
  await expect(bar).not.toHaveClass(/clamped/);
});

test('on a narrow window the bar ends the refusal with an ellipsis after two lines; its title has it all', async ({ page }) => {
  // Below 1024 px the type stops shrinking with the window, so the bar holds less of a sentence.
  await page.setViewportSize({ width: 800, height: 600 });
  const bar = await toRefusal(page);
  await expect(bar).toHaveClass(/clamped/);
  await expect(bar).toContainText('Start a stopped broker');
  // The bar clips at its own box: it must end after the second line, so no third line peeks out.
  const { height, line } = await bar.evaluate((el) => ({ height: el.getBoundingClientRect().height, line: parseFloat(getComputedStyle(el).lineHeight) }));
  expect(height, 'the text box is two lines tall').toBeLessThanOrEqual(2 * line + 1);
  await expect(bar).toHaveAttribute('title', /so its replica rejoins the ISR\.$/);
});

test('a saved lesson session that no longer matches the lesson as shipped is not restored; a notice says so', async ({ page }) => {
  const saved = () => page.evaluate(() => localStorage.getItem('kafkascope.session'));
  // Another scenario's saved session stands in for a copy of the lesson from an older build.
  await page.goto('/');
  await page.getByRole('button', { name: 'Fan-out', exact: true }).click();
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect.poll(saved, { timeout: 5000 }).not.toBeNull();
  const other = await saved();

  await page.goto('/#/lesson/events-and-messages/13');
  await page.reload();
  await page.getByRole('textbox', { name: 'Key', exact: true }).fill('student-key');
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  await expect(page).toHaveURL(/\/14$/);
  await expect.poll(() => page.evaluate(() => localStorage.getItem('kafkascope.source'))).toBe('lesson:events-and-messages');
  await expect.poll(saved, { timeout: 5000 }).not.toBe(other);

  // By the lesson's URL, and with no URL at all: both open the lesson as shipped and say why.
  // (Leaving a page saves its session, so the stale copy is put in before the next page's app
  // starts, once per way of opening it.)
  for (const how of ['lesson URL', 'no URL']) {
    await page.addInitScript(({ payload, how }) => {
      if (location.origin === 'null' || sessionStorage.getItem(`planted ${how}`)) return;
      sessionStorage.setItem(`planted ${how}`, '1');
      localStorage.setItem('kafkascope.session', payload);
      localStorage.setItem('kafkascope.source', 'lesson:events-and-messages');
    }, { payload: other, how });
    if (how === 'lesson URL') {
      await page.reload();
    } else {
      await page.goto('about:blank');
      await page.goto('/');
    }
    await expect(page.getByRole('alert').filter({ hasText: 'has changed since this browser saved your session' }), how).toBeVisible();
    await expect(page.getByRole('region', { name: 'Lesson' }), how).toContainText('Events and messages');
    await expect(page.getByRole('listitem', { name: /key student-key/ }), how).toHaveCount(0);
    await expect(page, how).toHaveURL(/#\/lesson\/events-and-messages\/\d+$/);
  }
});

test('with no consumer group yet, the consumers column says the log keeps its records anyway, until a group is added', async ({ page }) => {
  await page.goto('/#/lesson/topics-and-offsets/5');
  const consumers = page.getByRole('region', { name: 'Consumer groups' });
  const note = consumers.getByText('No consumer group reads yet.');
  await expect(note).toBeVisible();
  await expect(note).toContainText('+ group starts one.');
  // "+ group" on the stage opens the panel with the focus in its Add group form, on screen.
  await consumers.getByRole('button', { name: 'New consumer group' }).click();
  const name = page.getByRole('textbox', { name: 'New group.id' });
  await expect(name).toBeFocused();
  await expect(name).toBeInViewport();
  await page.keyboard.type('audit-service');
  await page.keyboard.press('Enter');
  await expect(consumers.getByRole('region', { name: 'audit-service', exact: true })).toBeVisible();
  await expect(note).toBeHidden();
});

test('a new group reads the topic the producer writes to, or the one picked, and with two topics each group says which it reads', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  // A second topic named to sort first: the new group used to subscribe to it, the first by name.
  await page.getByRole('textbox', { name: 'New topic name' }).fill('audit-log');
  await page.getByRole('button', { name: 'Add topic' }).click();
  await expect(page.getByRole('region', { name: 'Topic audit-log' })).toBeVisible();
  const form = page.getByRole('form', { name: 'Add group' });
  const topic = form.getByRole('combobox', { name: 'Subscribes to' });
  await expect(topic).toHaveValue(TOPIC);
  await form.getByRole('textbox', { name: 'New group.id' }).fill('analytics-service');
  await form.getByRole('button', { name: 'Add group' }).click();
  const consumers = page.getByRole('region', { name: 'Consumer groups' });
  const analytics = consumers.getByRole('region', { name: 'analytics-service', exact: true });
  await expect(analytics).toContainText(`reads ${TOPIC}`);
  await expect(consumers.getByRole('region', { name: GROUPS[0], exact: true })).toContainText(`reads ${TOPIC}`);
  // Picked by hand.
  await topic.selectOption('audit-log');
  await form.getByRole('textbox', { name: 'New group.id' }).fill('auditor');
  await form.getByRole('button', { name: 'Add group' }).click();
  await expect(consumers.getByRole('region', { name: 'auditor', exact: true })).toContainText('reads audit-log');
  await expect(form.locator('p.error')).toBeEmpty();
});

test('"−" is disabled once a group has no running consumer left to remove, and the empty card says how to read on', async ({ page }) => {
  await page.goto('/');
  const push = page.getByRole('region', { name: 'push-notification-service', exact: true });
  const minus = push.getByRole('button', { name: 'Remove consumer' });
  await minus.click();
  await minus.click();
  await expect(push.getByRole('listitem')).toHaveCount(0);
  await expect(minus).toBeDisabled();
  await expect(push.getByRole('alert')).toHaveCount(0);
  // The empty card says how to read on.
  const empty = push.getByText('No consumer in this group: + starts one.');
  await expect(empty).toBeVisible();
  await push.getByRole('button', { name: 'Add consumer' }).click();
  await expect(minus).toBeEnabled();
  await expect(empty).toHaveCount(0);
});

test('a group whose consumers all crashed: − and Delete group both say to wait for the sessions, not to press the other', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  const push = page.getByRole('region', { name: 'push-notification-service', exact: true });
  for (const client of ['push-1', 'push-2']) await push.getByRole('button', { name: `Crash ${client}` }).click();
  // aria-disabled, so still pressable (and reachable by Tab): it says why it does nothing.
  await push.getByRole('button', { name: 'Remove consumer' }).click({ force: true });
  await expect(push.getByRole('alert')).toHaveText("Group 'push-notification-service' has no running consumers to remove; the stopped ones leave when their sessions time out.");
  const settings = page.getByRole('region', { name: 'Settings of push-notification-service' });
  await settings.getByRole('button', { name: 'Delete group' }).click();
  await expect(settings.getByRole('alert')).toHaveText("GroupNotEmptyException: consumer group 'push-notification-service' still has 2 consumers that crashed or shut down, and Kafka deletes only a group with none. They leave when their sessions time out: step forward, then delete it.");
});

test('Delete group is refused while the group has consumers, and once they are removed the group and its card go', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  const settings = page.getByRole('region', { name: 'Settings of push-notification-service' });
  await settings.getByRole('button', { name: 'Delete group' }).click();
  await expect(settings.getByRole('alert')).toHaveText("GroupNotEmptyException: consumer group 'push-notification-service' still has 2 consumers, and Kafka deletes only a group with none. Remove its consumers (−) first.");
  const push = page.getByRole('region', { name: 'push-notification-service', exact: true });
  const minus = push.getByRole('button', { name: 'Remove consumer' });
  await minus.click();
  await minus.click();
  await expect(push.getByRole('listitem')).toHaveCount(0);
  await settings.getByRole('button', { name: 'Delete group' }).click();
  await expect(push).toHaveCount(0);
  await expect(settings).toHaveCount(0);
  await expect(page.getByRole('status').first()).toContainText('Group push-notification-service is deleted, and its committed offsets with it.');
  // The other groups read on; step back brings the group back.
  await expect(page.getByRole('region', { name: 'email-notification-service', exact: true })).toBeVisible();
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('ArrowLeft');
  await expect(push).toBeVisible();
});

test('a producer added in the panel writes to a topic nobody writes to yet, and streams once given a rate', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  await page.getByRole('textbox', { name: 'New topic name' }).fill('audit-log');
  await page.getByRole('button', { name: 'Add topic' }).click();
  const form = page.getByRole('form', { name: 'Add producer' });
  await expect(form.getByRole('combobox', { name: 'Writes to' })).toHaveValue('audit-log');
  // Refused, and said why: no name, then a name taken.
  await form.getByRole('button', { name: 'Add producer' }).click();
  await expect(form.getByRole('alert')).toContainText('client.id');
  await form.getByRole('textbox', { name: 'New producer client.id' }).fill('products-microservice');
  await form.getByRole('button', { name: 'Add producer' }).click();
  await expect(form.getByRole('alert')).toContainText('products-microservice');
  await form.getByRole('textbox', { name: 'New producer client.id' }).fill('audit-service');
  await form.getByRole('button', { name: 'Add producer' }).click();
  await expect(page.getByRole('status').first()).toContainText('audit-service starts publishing to audit-log.');
  const card = page.getByRole('article', { name: 'Producer audit-service' });
  await expect(card).toContainText('→ audit-log');
  await expect(card).toContainText('stream off');
  const rate = page.getByRole('region', { name: 'Stream of audit-service' }).getByRole('spinbutton', { name: 'Rate (records/s)' });
  await rate.fill('5');
  await rate.press('Enter');
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('region', { name: 'Topic audit-log' }).getByRole('listitem', { name: /^Offset \d+, key / }).first()).toBeVisible();
  // Two producer cards: the partitioner's answer still ends inside the column at 1280x720.
  const result = page.getByRole('region', { name: 'Hash stage' }).locator('.math li').last();
  await expect(result).toContainText(/= partition \d/);
  const column = await page.getByRole('region', { name: 'Producers' }).boundingBox();
  const box = await result.boundingBox();
  expect(box.y + box.height, 'the math\'s last line is in view').toBeLessThanOrEqual(column.y + column.height);
});

test('Add group can start a group at the earliest offset, so it reads the records already in the log', async ({ page }) => {
  await page.goto('/');
  await stopStream(page);
  for (const key of ['foobar', 'abc', 'user-42']) await produce(page, key);
  await stepForward(page, 10);
  await openPanel(page);
  const form = page.getByRole('form', { name: 'Add group' });
  const reset = form.getByRole('combobox', { name: 'Starts at (auto.offset.reset)' });
  await expect(reset).toHaveValue('latest');
  const addGroup = async (name, from) => {
    await form.getByRole('textbox', { name: 'New group.id' }).fill(name);
    await reset.selectOption(from);
    await form.getByRole('button', { name: 'Add group' }).click();
    await expect(page.getByRole('region', { name: `Settings of ${name}` })).toBeVisible();
  };
  await addGroup('audit-service', 'earliest');
  await expect(page.getByRole('status').first()).toContainText('audit-service rebalances: a consumer joined.');
  await addGroup('billing-service', 'latest');
  await closePanel(page);
  // Over the next steps audit reads the three old records; billing, at the log end, none.
  const said = [];
  for (let i = 0; i < 12; i++) {
    await stepForward(page, 1);
    said.push(await page.getByRole('status').first().textContent());
  }
  const all = said.join(' ');
  // foobar and abc went to partition 0, user-42 to 1 (Kafka's vectors); one poll reads them all.
  expect(all).toContain('audit-1 read offsets 0–1 of partition 0 and offset 0 of partition 1.');
  expect(all).not.toMatch(/billing-1 read/);
});
