// Lessons: a URL per step (walked with PageDown only, reloaded, Back and Forward), and every
// lesson's Try it accepts a right answer and refuses a wrong one, as the engine checks it.
import { test, expect, produce, openPanel, lane, instance, readTrail, smallText, stepForward, growTopic } from './fixtures.mjs';

const lanesOf = async (page) => page.getByRole('list', { name: /^Partition \d+ of / }).evaluateAll(
  (lists) => lists.map((l) => `${l.getAttribute('aria-label')}: ${[...l.querySelectorAll('li')].map((li) => li.getAttribute('aria-label')).join(' | ')}`),
);

test('the key-ordering lesson walks with PageDown; every step has a URL that reloads to the same lanes', async ({ page, context }) => {
  await page.goto('/#/lesson/key-ordering/0');
  const lesson = page.getByRole('region', { name: 'Lesson' });
  await expect(lesson).toContainText('4. Ordering by key');
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  const seen = [];
  for (let step = 1; step <= 14; step++) {
    await page.keyboard.press('PageDown');
    await expect(page).toHaveURL(new RegExp(`#/lesson/key-ordering/${step}$`));
    await expect(lesson).toContainText(`step ${step} of`);
    if ([3, 7, 11, 14].includes(step)) seen.push({ url: page.url(), lanes: await lanesOf(page) });
  }
  await expect(lesson).toContainText('Chapter');
  for (const { url, lanes } of seen) {
    const fresh = await context.newPage();
    await fresh.goto(url);
    await expect(fresh.getByRole('region', { name: 'Lesson' })).toContainText(`step ${url.split('/').pop()} of`);
    expect(await lanesOf(fresh)).toEqual(lanes);
    await fresh.close();
  }
  // Back and Forward walk the steps too.
  await page.goBack();
  await expect(page).toHaveURL(/#\/lesson\/key-ordering\/13$/);
  await expect(lesson).toContainText('step 13 of');
  await page.goForward();
  await expect(lesson).toContainText('step 14 of');
});

test("the key-ordering lesson's captions on read order say what sms-1's read trail and the cells show", async ({ page }) => {
  const sms1 = instance(page, 'sms-notification-service', 'sms-1');
  const said = page.locator('.narration-text');
  // The name a cell's value line gives, found by partition and offset.
  const nameAt = (read) => {
    const [p, offset] = read.slice(1).split('@');
    return lane(page, p, 'profile-updated-event-topic').getByRole('listitem')
      .filter({ has: page.locator('.cell-offset', { hasText: new RegExp(`^${offset}$`) }) }).locator('.cell-gist').textContent();
  };
  await page.goto('/#/lesson/key-ordering/7');
  await expect(said).toContainText("its read trail shows P0's offsets 0, 1, 2.");
  expect(await readTrail(sms1)).toEqual(['P0@0', 'P0@1', 'P0@2']);
  expect(await Promise.all(['P0@0', 'P0@1', 'P0@2'].map(nameAt))).toEqual(['Sergei', 'Serjei', 'Sergey']);

  await page.goto('/#/lesson/key-ordering/13');
  await expect(said).toContainText('its read trail shows P1@0, P2@0, then P0@3: Serjei, Sergey, then Sergei.');
  const lastThree = (await readTrail(sms1)).slice(-3);
  expect(lastThree).toEqual(['P1@0', 'P2@0', 'P0@3']);
  expect(await Promise.all(lastThree.map(nameAt))).toEqual(['Serjei', 'Sergey', 'Sergei']);
});

test("the offsets-and-commits lesson's hollow squares are the reads SMS committed and never processed", async ({ page }) => {
  const said = page.locator('.narration-text');
  const sms1 = instance(page, 'sms-notification-service', 'sms-1');
  const email1 = instance(page, 'email-notification-service', 'email-1');
  await page.goto('/#/lesson/offsets-and-commits/6');
  await expect(said).toContainText('hollow read squares.');
  const smsReads = await readTrail(sms1, { processed: true });
  expect(smsReads.length).toBeGreaterThan(0);
  expect(smsReads.every(([, done]) => !done), JSON.stringify(smsReads)).toBe(true);
  expect((await readTrail(email1, { processed: true })).every(([, done]) => done)).toBe(true);

  await page.goto('/#/lesson/offsets-and-commits/76');
  await expect(said).toContainText('the hollow square on its card is a read it never processed.');
  const after = await readTrail(sms1, { processed: true });
  expect(after.filter(([, done]) => !done), JSON.stringify(after)).toHaveLength(1);
  await expect(sms1.locator('.trail .read.unprocessed')).toHaveCount(1);
});

// Each lesson: where its task is posed, a wrong attempt (via the stage) and the right one.
const TASKS = [
  { slug: 'events-and-messages', step: 13, wrong: async (p) => produce(p, ''), right: async (p) => produce(p, 'c0ffee00-1111-4222-8333-944455556666') },
  { slug: 'topics-and-offsets', step: 365, wrong: async (p) => produce(p, 'kafka'), right: async (p) => produce(p, 'foobar') },
  { slug: 'partitions-and-keys', step: 5, wrong: async (p) => produce(p, 'foobar'), right: async (p) => produce(p, 'a-little-bit-long-string') },
  { slug: 'key-ordering', step: 7, wrong: async (p) => produce(p, 'foobar') },
  { slug: 'fan-out', step: 21, wrong: async (p) => produce(p, 'foobar') },
  {
    slug: 'scaling-a-group', step: 402, wrong: async (p) => produce(p, 'foobar'),
    right: async (p) => {
      const email = p.getByRole('region', { name: 'email-notification-service', exact: true });
      for (let i = 0; i < 4 && !(await email.textContent()).includes('idle'); i++) await email.getByRole('button', { name: 'Add consumer' }).click();
    },
  },
  { slug: 'offsets-and-commits', step: 71, wrong: async (p) => produce(p, 'foobar') },
  { slug: 'retention-and-compaction', step: 269, wrong: async (p) => produce(p, '4d763028-998d-4e7f-810c-f79a407c394a') },
  // Stopping a follower's broker is not an election; stopping the broker the lane names (★Bn) is.
  { slug: 'replicas-and-data-centers', step: 20, wrong: async (p) => stopBroker(p, (await leaderOfPartition0(p)) % 3 + 1), right: async (p) => stopBroker(p, await leaderOfPartition0(p)) },
];

async function leaderOfPartition0(page) {
  const lane = page.locator('.lane', { has: page.getByRole('list', { name: 'Partition 0 of product-created-events-topic' }) });
  const text = await lane.locator('.lane-leader').textContent();
  return Number(text.match(/^★B(\d)$/)[1]);
}

async function stopBroker(page, broker) {
  await page.getByRole('list', { name: 'Brokers' }).getByRole('listitem', { name: `data center dc-${broker}` }).getByRole('button', { name: 'Stop broker' }).click();
}

for (const task of TASKS) {
  test(`lesson ${task.slug}: Try it refuses a wrong answer and accepts a right one`, async ({ page }) => {
    await page.goto(`/#/lesson/${task.slug}/${task.step}`);
    const tryIt = page.getByRole('group', { name: 'Try it' });
    await expect(tryIt).toBeVisible();
    await task.wrong(page);
    await page.getByRole('heading', { name: 'Kafkascope' }).click();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await expect(tryIt.getByRole('status')).toContainText('Not yet:');
    if (task.right) {
      await task.right(page);
      await page.getByRole('heading', { name: 'Kafkascope' }).click();
      for (let i = 0; i < 40 && !(await tryIt.getByRole('status').textContent()).startsWith('Done'); i++) await page.keyboard.press('ArrowRight');
      await expect(tryIt.getByRole('status')).toContainText('Done:');
      await expect(tryIt.getByRole('status'), 'the verdict says Done once').not.toContainText(/Done:\s*Done/i);
    }
    // "Show me" replays the engine's own solution from the task's step: met, and said to be its.
    await tryIt.getByRole('button', { name: 'Show me' }).click();
    await expect(tryIt.getByRole('status')).toContainText('Show me did it:');
    await expect(tryIt.getByRole('status'), 'the verdict says it once').not.toContainText(/did it:\s*Done/i);
  });
}

// A lesson often poses a task and then shows the answer in its next steps: that is the lesson's
// doing, not the student's, and the box says so and offers the way back.
test('a Try it task met by the lesson\'s own steps is credited to the lesson, and one the student met survives a reload', async ({ page }) => {
  await page.goto('/#/lesson/key-ordering/14');
  const tryIt = page.getByRole('group', { name: 'Try it' });
  // On the task's own step, before anything is done, the line invites rather than refuses.
  await expect(tryIt.getByRole('status')).toHaveText('Your turn: do it on the stage, and this line checks every step you take.');
  const lesson = page.getByRole('region', { name: 'Lesson' });
  await lesson.getByRole('button', { name: 'Next' }).click();
  await lesson.getByRole('button', { name: 'Next' }).click();
  await expect(tryIt.getByRole('status')).toContainText("Go back to step 14: the lesson's steps did it, not you yet. Key \"16b77e26-6aac-4da5-bd17-ca1caeb91461\" is now in partitions");
  // One line, leading with what to do; the rest is its title.
  const verdict = tryIt.getByRole('status');
  const [height, lineHeight] = await verdict.evaluate((el) => [el.getBoundingClientRect().height, parseFloat(getComputedStyle(el).lineHeight)]);
  expect(height).toBeLessThan(1.5 * lineHeight);
  await expect(verdict).toHaveAttribute('title', /^Key "16b77e26-6aac-4da5-bd17-ca1caeb91461" is now in partitions/);
  // A touch screen shows no title: a tap unfolds the whole line, and another folds it.
  await verdict.click();
  await expect.poll(() => verdict.evaluate((el) => el.getBoundingClientRect().height)).toBeGreaterThan(1.5 * lineHeight);
  await verdict.click();
  await expect.poll(() => verdict.evaluate((el) => el.getBoundingClientRect().height)).toBeLessThan(1.5 * lineHeight);
  await expect(tryIt.getByRole('status')).not.toContainText('Done:');
  await tryIt.getByRole('button', { name: 'Back to step 14' }).click();
  await expect(page).toHaveURL(/#\/lesson\/key-ordering\/14$/);
  await expect(tryIt.getByRole('status')).toContainText('Your turn:');
  await expect(tryIt.getByRole('button', { name: 'Back to step 14' })).toHaveCount(0);
  // The student's own answer is theirs, also after a reload brings their saved session back.
  await openPanel(page);
  await page.getByRole('spinbutton', { name: 'Partition', exact: true }).fill('2');
  await produce(page, '16b77e26-6aac-4da5-bd17-ca1caeb91461');
  await expect(tryIt.getByRole('status')).toContainText('Done:');
  await expect(page).toHaveURL(/#\/lesson\/key-ordering\/15$/);
  await page.reload();
  await expect(tryIt.getByRole('status')).toContainText('Done:');
});

// A task belongs to its chapter: once the lesson moves into a chapter that begins after it, that
// chapter is about something else.
test('a Try it task is not carried into a later chapter', async ({ page }) => {
  for (const [slug, posed, later] of [['fan-out', 21, 22], ['replicas-and-data-centers', 20, 41]]) {
    await page.goto(`/#/lesson/${slug}/${posed}`);
    await expect(page.getByRole('group', { name: 'Try it' }), `${slug}/${posed}`).toBeVisible();
    await page.goto(`/#/lesson/${slug}/${later}`);
    await expect(page.getByRole('heading', { name: /^Chapter/ })).toBeVisible();
    await expect(page.getByRole('group', { name: 'Try it' }), `${slug}/${later}`).toHaveCount(0);
  }
});

test('a Try it done before the lesson\'s last chapter sets that chapter aside, and Continue the lesson brings it back', async ({ page }) => {
  await page.goto('/#/lesson/fan-out/21');
  const heading = page.getByRole('heading', { name: /^Chapter/ });
  await expect(heading).toHaveText(/^Chapter 3 of 4/);
  await page.getByRole('group', { name: 'Try it' }).getByRole('button', { name: 'Show me' }).click();
  await expect(heading).toHaveText(/^Chapter 3 of 3/);
  const verdict = page.getByRole('group', { name: 'Try it' }).getByRole('status');
  // Show me's answer, not the student's: it read "Done:" in green.
  await expect(verdict).toHaveText(/^Show me did it: Every one of/);
  await expect(verdict).not.toHaveClass(/\bmet\b/);
  // Out of the task's chapter and back (its box is built again): still Show me's.
  const back = page.getByRole('button', { name: 'Step back', exact: true });
  for (let i = 0; i < 12; i++) await back.click();
  await expect(page.getByRole('group', { name: 'Try it' })).toHaveCount(0);
  await stepForward(page, 12);
  await expect(verdict).toHaveText(/^Show me did it: /);
  // Nor does a reload hand it to the student: who did it is saved with the session.
  await page.reload();
  await expect(verdict).toHaveText(/^Show me did it: /);
  // The task's line offers the way back; the set-aside line would offer it a second time.
  await expect(page.getByRole('group', { name: 'Set-aside steps' })).toHaveCount(0);
  await page.getByRole('group', { name: 'Try it' }).getByRole('button', { name: 'Continue the lesson' }).click();
  await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('step 21 of 32');
  // Show me did it, not the student: nothing is credited to them.
  await expect(page.getByRole('group', { name: 'Try it' }).getByRole('status')).not.toContainText('you did it');
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('ArrowRight');
  await expect(heading).toHaveText('Chapter 4 of 4: A group shares the work');
});

test('an earlier "Done" does not cover a new attempt of the student\'s own', async ({ page }) => {
  await page.goto('/#/lesson/key-ordering/14');
  const task = page.getByRole('group', { name: 'Try it' });
  const verdict = task.getByRole('status');
  await openPanel(page);
  await page.getByRole('spinbutton', { name: 'Partition', exact: true }).fill('2');
  await produce(page, '16b77e26-6aac-4da5-bd17-ca1caeb91461');
  await expect(verdict).toHaveText(/^Done: /);
  await task.getByRole('button', { name: 'Continue the lesson' }).click();
  await expect(verdict).toHaveText('Done: you did it on steps of your own.');
  // A new attempt, wrong this time: judged as it is, not covered by the old line.
  await page.getByRole('spinbutton', { name: 'Partition', exact: true }).fill('');
  await produce(page, 'zzz');
  await expect(verdict).toHaveText(/^Not yet: /);
});

test('at a lesson\'s end the bar offers the next lesson, and not while its steps are set aside; the last says the course ends', async ({ page }) => {
  await page.goto('/#/lesson/events-and-messages/0');
  const bar = page.getByRole('region', { name: 'Lesson' });
  const onward = bar.getByRole('link', { name: 'Lesson 2 →' });
  await expect(onward).toHaveCount(0);
  const total = Number(await page.getByRole('slider', { name: 'Timeline' }).getAttribute('max'));
  await page.goto(`/#/lesson/events-and-messages/${total}`);
  await expect(onward).toBeVisible();
  await expect(onward).toHaveAttribute('title', 'Next lesson: 2. Topics: append-only logs');
  await expect(bar.getByText('End of the course')).toHaveCount(0);
  await onward.click();
  await expect(page).toHaveURL(/#\/lesson\/topics-and-offsets\/0$/);
  await expect(bar).toContainText('2. Topics: append-only logs');
  // A task done before a lesson's end sets its remaining steps aside: the way on is Continue the
  // lesson, not the next one.
  await page.goto('/#/lesson/fan-out/21');
  await page.getByRole('group', { name: 'Try it' }).getByRole('button', { name: 'Show me' }).click();
  await expect(page.getByRole('group', { name: 'Try it' }).getByRole('button', { name: 'Continue the lesson' })).toBeVisible();
  await expect(bar).toContainText(/step (\d+) of \1/);
  await expect(bar.getByRole('link', { name: /^Lesson \d →$/ })).toHaveCount(0);
  // The last lesson has no next one.
  await page.goto('/#/lesson/replicas-and-data-centers/0');
  const lastTotal = Number(await page.getByRole('slider', { name: 'Timeline' }).getAttribute('max'));
  await page.goto(`/#/lesson/replicas-and-data-centers/${lastTotal}`);
  await expect(bar).toContainText(`step ${lastTotal} of ${lastTotal}`);
  await expect(bar.getByRole('link', { name: /^Lesson \d+ →$/ })).toHaveCount(0);
  await expect(bar.getByText('End of the course', { exact: true })).toBeVisible();
});

test('a partition named for one lesson\'s task is cleared when the next lesson opens, so its own "let the key decide" task credits the key', async ({ page }) => {
  // Lesson 2's last task: name partition 0 in the form.
  await page.goto('/#/lesson/topics-and-offsets/365');
  await openPanel(page);
  const partition = page.getByRole('spinbutton', { name: 'Partition', exact: true });
  await partition.fill('0');
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  // Lesson 3 from the menu, on to its task: a key that murmur2 sends to partition 2.
  await page.getByText('Lessons', { exact: true }).click();
  await page.getByRole('navigation', { name: 'Lessons' }).getByRole('link', { name: /^3\. / }).click();
  await expect(page).toHaveURL(/#\/lesson\/partitions-and-keys\/0$/);
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/#\/lesson\/partitions-and-keys\/5$/);
  const task = page.getByRole('group', { name: 'Try it' });
  await expect(task).toBeVisible();
  await openPanel(page);
  await expect(partition, 'the form no longer names a partition').toHaveValue('');
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await page.getByRole('textbox', { name: 'Key', exact: true }).fill('product-3');
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  await expect(task).toContainText('Done');
});

test('a student who starts on a task while still reading its chapter is told how it went, from where they began', async ({ page }) => {
  // The chapter is on screen from step 4; its task would be posed at step 5.
  await page.goto('/#/lesson/partitions-and-keys/4');
  await expect(page.getByRole('heading', { name: /^Chapter/ })).toHaveText(/No key, empty key$/);
  const task = page.getByRole('group', { name: 'Try it' });
  await expect(task).toHaveCount(0);
  // Acting a step early used to cut the task away with the lesson's later steps: no word at all.
  await produce(page, 'product-3');
  await expect(task.getByRole('status')).toHaveText(/^Done: The record with key "product-3"/);
  // Continue puts the lesson back, its task at step 5 again: still the student's.
  await task.getByRole('button', { name: 'Continue the lesson' }).click();
  await stepForward(page, 1);
  await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('step 5 of');
  await expect(task.getByRole('status')).toHaveText('Done: you did it on steps of your own.');
  // Another lesson's task posed four steps into its chapter: a wrong start is judged, and Show me
  // plays its answer from where the student began.
  await page.goto('/#/lesson/key-ordering/3');
  await expect(task).toHaveCount(0);
  await produce(page, 'not-the-user');
  await expect(task.getByRole('status')).toHaveText(/^Not yet: /);
  await task.getByRole('button', { name: 'Show me' }).click();
  await expect(task.getByRole('status')).toHaveText(/^Show me did it: /);
  await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('step 13 of 13');
});

test('a task the lesson had half done before the student acted is not credited as all theirs', async ({ page }) => {
  // Step 15: the lesson has added the partitions (the task's first half); the student sends the
  // update. It read "Done:" and offered Continue the lesson.
  await page.goto('/#/lesson/key-ordering/15');
  const task = page.getByRole('group', { name: 'Try it' });
  await produce(page, '16b77e26-6aac-4da5-bd17-ca1caeb91461');
  await expect(task.getByRole('status')).toHaveText(/^Go back to step 14: the lesson's steps after it did part of this, not you yet\. Key "16b77e26-6aac-4da5-bd17-ca1caeb91461" is now in partitions/);
  await expect(task.getByRole('button', { name: 'Continue the lesson' })).toHaveCount(0);
  // All of it from the task's step is theirs.
  await task.getByRole('button', { name: 'Back to step 14' }).click();
  await growTopic(page, 6, { topic: 'profile-updated-event-topic' });
  await produce(page, '16b77e26-6aac-4da5-bd17-ca1caeb91461');
  await expect(task.getByRole('status')).toHaveText(/^Done: Key "16b77e26-6aac-4da5-bd17-ca1caeb91461" is now in partitions/);
});

test('"Bring back my steps" over a task lands where those steps ended, with their verdict', async ({ page }) => {
  await page.goto('/#/lesson/replicas-and-data-centers/20');
  const task = page.getByRole('group', { name: 'Try it' });
  const verdict = task.getByRole('status');
  const bar = page.getByRole('region', { name: 'Lesson' });
  const leader = await leaderOfPartition0(page);
  // A wrong attempt (a follower's broker), two steps on; then back, and the right one.
  await stopBroker(page, leader % 3 + 1);
  await stepForward(page, 2);
  await expect(verdict).toHaveText(/^Not yet: /);
  const back = page.getByRole('button', { name: 'Step back', exact: true });
  for (let i = 0; i < 3; i++) await back.click();
  await stopBroker(page, leader);
  await expect(verdict).toHaveText(/^Done: /);
  const replaced = page.getByRole('group', { name: 'Replaced steps' });
  await replaced.getByRole('button', { name: 'Bring back my steps' }).click();
  // The wrong attempt, at its end and judged: it came back at step 20 saying "Your turn".
  await expect(bar).toContainText('step 23 of 23');
  await expect(verdict).toHaveText(/^Not yet: /);
  // And the right one again, at its end: Done, and the way on.
  await replaced.getByRole('button', { name: 'Bring back my steps' }).click();
  await expect(bar).toContainText('step 21 of 21');
  await expect(verdict).toHaveText(/^Done: /);
  await expect(task.getByRole('button', { name: 'Continue the lesson' })).toBeVisible();
});

test('a task done on one\'s own steps offers Continue the lesson, which puts the lesson back and still credits the student', async ({ page }) => {
  await page.goto('/#/lesson/fan-out/21');
  const heading = page.getByRole('heading', { name: /^Chapter/ });
  await expect(heading).toHaveText(/^Chapter 3 of 4/);
  const task = page.getByRole('group', { name: 'Try it' });
  const verdict = task.getByRole('status');
  // The task: Email as a third subscriber, then a new event all three process.
  await page.getByRole('region', { name: 'Consumer groups' }).getByRole('button', { name: 'New consumer group' }).click();
  // Typed before the focus reached the field, its letters were shortcuts ('n' skipped the lesson
  // into its last chapter): as the other + group tests do, wait for the field.
  await expect(page.getByRole('textbox', { name: 'New group.id' })).toBeFocused();
  await page.keyboard.type('email-notification-service');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  for (let i = 0; i < 12 && !(await verdict.textContent()).startsWith('Done'); i++) await page.keyboard.press('ArrowRight');
  await expect(verdict).toHaveText(/^Done: /);
  // Doing it set the lesson's last chapter aside; Continue the lesson puts it back. It is the
  // one way back offered: the set-aside line above would say it again, and its line cut the
  // stage's last lane at 1280x720.
  await expect(heading).toHaveText(/^Chapter 3 of 3/);
  await expect(task.getByRole('button', { name: 'Continue the lesson' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Set-aside steps' }), 'one way back, not two').toHaveCount(0);
  await task.getByRole('button', { name: 'Continue the lesson' }).click();
  await expect(heading).toHaveText(/^Chapter 3 of 4/);
  await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('step 21 of 32');
  await expect(verdict).toHaveText('Done: you did it on steps of your own.');
  await expect(task.getByRole('button', { name: /^Back to step/ })).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'Set-aside steps' })).toHaveCount(0);
  // The steps that did it are gone from the timeline, but a reload remembers who did it (it
  // forgot, and then blamed the student once the lesson's own steps showed the answer).
  await page.reload();
  await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('step 21 of 32');
  await expect(verdict).toHaveText('Done: you did it on steps of your own.');
  // A lesson loaded afresh is a fresh start: nothing is credited.
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await page.goto('/#/lesson/fan-out/21');
  await expect(verdict).toHaveText(/^Your turn: /);
  await page.reload();
  await expect(verdict).toHaveText(/^Your turn: /);
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  for (let i = 0; i < 3; i++) await page.keyboard.press('PageDown');
  await expect(heading).toHaveText('Chapter 4 of 4: A group shares the work');
});

test('records that retention or the cleaner removes leave the lane on the step that removes them', async ({ page }) => {
  const cells = (topic, p) => page.getByRole('list', { name: `Partition ${p} of ${topic}` }).getByRole('listitem');
  // Retention deletes all of partition 0's records at step 355: the end offset stays 4.
  await page.goto('/#/lesson/topics-and-offsets/354');
  const products = 'product-created-events-topic';
  await expect(cells(products, 0)).toHaveCount(4);
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('[data-partition="0"] .lane-offsets')).toContainText('start 4');
  await expect(cells(products, 0)).toHaveCount(0);
  // The cleaner removes superseded records from the compacted topic at step 268.
  await page.goto('/#/lesson/retention-and-compaction/268');
  const lessonBar = page.getByRole('region', { name: 'Lesson' });
  await expect(lessonBar).toContainText('step 268 of');
  const profiles = 'profile-updated-event-topic';
  // retention.ms applies only where the policy deletes: the compacted topic keeps each key's
  // newest record for good, the other keeps its records 20 s.
  await expect(page.getByRole('region', { name: `Topic ${profiles}` }).locator('.topic-header')).toContainText('compact · newest per key kept');
  await expect(page.getByRole('region', { name: 'Topic product-created-events-topic' }).locator('.topic-header')).toContainText('delete · kept 20 s');
  const lanes = await page.getByRole('list', { name: new RegExp(`^Partition \\d+ of ${profiles}$`) }).count();
  const counts = async () => Promise.all([...Array(lanes).keys()].map((p) => cells(profiles, p).count()));
  const cleaned = await counts();
  await page.goto('/#/lesson/retention-and-compaction/267');
  await page.reload();
  // Counted once the reloaded page shows its step, not while it is still starting.
  await expect(lessonBar).toContainText('step 267 of');
  const before = await counts();
  expect(before.reduce((a, b) => a + b), 'the cleaner has something to remove').toBeGreaterThan(cleaned.reduce((a, b) => a + b));
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('step 268 of');
  await expect.poll(counts).toEqual(cleaned);
});

test('a lane draws where its segments begin and labels the active one, and the cleaner never reaches into it', async ({ page }) => {
  // Five updates in the compacted changelog, each in its own small segment (segment.bytes=60).
  await page.goto('/#/lesson/retention-and-compaction/267');
  await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('step 267 of');
  const lane = page.locator('section.lane').filter({ has: page.getByRole('list', { name: 'Partition 0 of profile-updated-event-topic' }) });
  const starts = () => lane.locator('.seg-line').evaluateAll((lines) => lines.map((l) => [l.title.match(/offset (\d+)/)[1], l.classList.contains('active')]));
  // A boundary before offsets 1 to 4 (the log start is no boundary); offset 4's is the active one.
  expect(await starts()).toEqual([['1', false], ['2', false], ['3', false], ['4', true]]);
  await expect(lane.locator('.seg-line.active')).toHaveAttribute('title', /active segment begins at offset 4.*compaction never cleans it, and retention deletes it only once all of it expired/);
  // Its label reads in both themes (it was black on black in the projector theme).
  const label = () => lane.locator('.seg-line.active').evaluate((el) => { const s = getComputedStyle(el, '::after'); return [s.content, s.color, s.backgroundColor]; });
  for (const theme of ['dark', 'projector']) {
    if (theme === 'projector') await page.getByRole('button', { name: 'Projector theme' }).click();
    const [content, color, background] = await label();
    expect(content, theme).toBe('"active segment"');
    expect(color, `${theme}: text and background differ`).not.toBe(background);
  }
  await page.getByRole('button', { name: 'Projector theme' }).click();
  // A topic with the default 1 GiB segments has a single segment: no lines.
  await expect(page.locator('section.lane').filter({ has: page.getByRole('list', { name: 'Partition 0 of product-created-events-topic' }) }).locator('.seg-line')).toHaveCount(0);
  // The cleaner removes Sergei and Serjei (offsets 0 and 2); their segments stay, emptied, and
  // the active segment keeps Maria untouched.
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('step 268 of');
  await expect(lane.getByRole('listitem', { name: /^Offset 4, key / })).toHaveCount(1);
  expect((await starts()).at(-1)).toEqual(['4', true]);
  await page.screenshot({ path: 'screenshots/lesson-segments-1280.png' });
});

test('the records that carry the last send\'s key are outlined, in the old partition and the new one', async ({ page }) => {
  // The user's three updates went to partition 0; after the topic grew to 6, the fourth to 3.
  await page.goto('/#/lesson/key-ordering/16');
  await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('step 16 of');
  const outlined = () => page.locator('.cell.same-key').evaluateAll((cells) => cells.map((c) => c.getAttribute('aria-label')));
  const user = '16b77e26-6aac-4da5-bd17-ca1caeb91461';
  await expect.poll(outlined).toEqual([0, 1, 2, 0].map((o) => `Offset ${o}, key ${user}`));
  const lanesOf = async () => page.locator('.cell.same-key').evaluateAll((cells) => cells.map((c) => c.closest('section.lane').dataset.partition));
  expect(await lanesOf()).toEqual(['0', '0', '0', '3']);
  // The null-keyed record in partition 0 is not one of them.
  await expect(page.getByRole('listitem', { name: 'Offset 3, key null', exact: true })).not.toHaveClass(/same-key/);
  // A send with another key moves the outline to that key's records.
  await produce(page, 'someone-else');
  await expect.poll(outlined).toEqual([expect.stringMatching(/^Offset \d+, key someone-else$/)]);
});

test('after the crashes a group card counts what it processed twice and what it lost', async ({ page }) => {
  const card = (group) => page.getByRole('region', { name: group, exact: true });
  await page.goto('/#/lesson/offsets-and-commits/6');
  await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('step 6 of');
  // Before any crash: nothing to count, no line.
  await expect(card('email-notification-service').locator('.group-mishaps')).toHaveCount(0);
  await page.goto('/#/lesson/offsets-and-commits/136');
  await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('step 136 of');
  // email-2 processed email-1's uncommitted batch again; sms-1 committed a batch it never processed.
  await expect(card('email-notification-service').locator('.group-mishaps')).toHaveText(/^\d+ processed twice$/);
  await expect(card('sms-notification-service').locator('.group-mishaps')).toHaveText('1 never processed');
  // The same counts as the group's delivery line in the editing panel.
  const twice = Number((await card('email-notification-service').locator('.group-mishaps').textContent()).split(' ')[0]);
  await openPanel(page);
  await expect(page.getByRole('region', { name: 'Settings of email-notification-service' })).toContainText(`redelivered ${twice} · lost 0`);
  await expect(page.getByRole('region', { name: 'Settings of sms-notification-service' })).toContainText('redelivered 0 · lost 1');
});

test('the lesson bar\'s Next and Previous pass over quiet ticks, and Next stops at the lesson\'s end', async ({ page }) => {
  await page.goto('/#/lesson/topics-and-offsets/6');
  const lesson = page.getByRole('region', { name: 'Lesson' });
  const status = page.getByRole('status').first();
  const step = async () => Number((await lesson.textContent()).match(/step (\d+) of 365/)[1]);
  await lesson.getByRole('button', { name: 'Next' }).click();
  await expect.poll(step).toBeGreaterThan(7);
  await expect(status).not.toContainText('nothing sent or read');
  const told = await step();
  // Back: first to where the chapter and its task begin (a quiet tick, but a place to stop),
  // then to the step before it that told something.
  await lesson.getByRole('button', { name: 'Previous' }).click();
  await expect.poll(step).toBe(6);
  await lesson.getByRole('button', { name: 'Previous' }).click();
  await expect.poll(step).toBe(5);
  await expect(status).toContainText('The price change is a new event at offset 3 of partition 0.');
  // Shift+← does the same from the keyboard.
  await page.goto(`/#/lesson/topics-and-offsets/${told}`);
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('Shift+ArrowLeft');
  await expect.poll(step).toBe(6);
  // Near the end, Next goes no further than the lesson's last step.
  await page.goto('/#/lesson/topics-and-offsets/364');
  await lesson.getByRole('button', { name: 'Next' }).click();
  await expect(lesson).toContainText('step 365 of 365');
  await expect(lesson.getByRole('button', { name: 'Next' })).toHaveAttribute('aria-disabled', 'true');
});

test("a lesson's Next passes over a stretch where time runs to its caption, chapter or task, not to every record", async ({ page }) => {
  await page.goto('/#/lesson/scaling-a-group/0');
  const lesson = page.getByRole('region', { name: 'Lesson' });
  const said = page.locator('.narration-text');
  const next = lesson.getByRole('button', { name: 'Next' });
  // Products streams 2 records/s through 10 s of ticks: Next goes to the stretch's caption.
  await next.click();
  await expect(lesson).toContainText('step 100 of 484');
  await expect(said).toContainText('After 10 s, email-1 has read about 10 events');
  await lesson.getByRole('button', { name: 'Previous' }).click();
  await expect(lesson).toContainText('step 0 of 484');
  // A stretch closing a chapter stops Next at its caption, still in that chapter; the next
  // chapter and its task begin one step later, with the chapter's opening words.
  await page.goto('/#/lesson/scaling-a-group/202');
  await next.click();
  await expect(lesson).toContainText('step 401 of 484');
  await expect(lesson).toContainText('Chapter 2 of 3: Parallel reads');
  await expect(said).toContainText('the lag shrinks');
  await next.click();
  await expect(lesson).toContainText('step 402 of 484');
  await expect(lesson).toContainText('Chapter 3 of 3: Idle consumers');
  await expect(said).toContainText('Three instances for three partitions');
  // The whole lesson is a handful of presses (it was one per record: 142).
  await page.goto('/#/lesson/scaling-a-group/0');
  let presses = 0;
  while (!(await lesson.textContent()).includes('step 484 of 484') && presses < 40) {
    const before = await lesson.locator('.slider-value').textContent();
    await next.click();
    await expect(lesson.locator('.slider-value')).not.toHaveText(before);
    presses++;
  }
  expect(presses).toBeLessThanOrEqual(10);
});

// The values a lesson's point rests on ("Sergei", "Serjei", "Sergey"; a price changed from 1129 to
// 1099; the names compaction keeps, and a tombstone's null) are read from the back row like the rest
// of the stage.
// With six partitions (the key moved to partition 3) the lanes are thin, and the names stand beside
// the offsets.
for (const [at, values] of [['key-ordering/7', ['Sergei', 'Serjei', 'Sergey']], ['key-ordering/16', ['Sergei', 'Serjei', 'Sergey']], ['topics-and-offsets/7', ['1129', '1099']], ['retention-and-compaction/271', ['Anna', 'Olga', 'null']]]) {
  test(`lesson ${at.replace('/', ' step ')} at 1280x720: the cells' values are drawn whole, and no visible text is under 14 px`, async ({ page }) => {
    await page.goto(`/#/lesson/${at}`);
    const gists = page.locator('.cell-gist');
    await expect(gists.first()).toBeVisible();
    const shown = await gists.evaluateAll((els) => els.filter((e) => e.checkVisibility() && e.scrollWidth <= e.clientWidth).map((e) => e.textContent));
    for (const value of values) expect(shown, `${value} is drawn whole in a cell`).toContain(value);
    expect(await page.evaluate(smallText)).toEqual([]);
    // With the editing panel open the cells are too narrow for them: offsets only, no "S…".
    await openPanel(page);
    await expect(page.locator('.cell-gist:visible')).toHaveCount(0);
  });
}

test('under the lesson bar on a 1280x720 projector, one user\'s updates still read Sergei, Serjei, Sergey in their cells', async ({ page }) => {
  await page.goto('/#/lesson/key-ordering/7');
  await expect(page.getByRole('group', { name: 'Try it' })).toBeVisible();
  const lane = page.getByRole('list', { name: 'Partition 0 of profile-updated-event-topic' });
  const gists = lane.locator('.cell-gist');
  await expect(gists).toHaveText(['Sergei', 'Serjei', 'Sergey']);
  for (const gist of await gists.all()) {
    await expect(gist).toBeVisible();
    // Inside its cell, not cut off at the cell's bottom edge.
    const [g, cell] = await gist.evaluate((el) => [el.getBoundingClientRect(), el.closest('.cell-button').getBoundingClientRect()].map((r) => ({ top: r.top, bottom: r.bottom })));
    expect(g.bottom).toBeLessThanOrEqual(cell.bottom);
    expect(g.top).toBeGreaterThanOrEqual(cell.top);
  }
});

test('a task the lesson met and a later step undid still credits the lesson, with the step that did it', async ({ page }) => {
  // Scaling a group: the lesson adds an idle consumer (step 403), then a crashed consumer's
  // session times out and the idle one takes over: at the end nobody is idle.
  await page.goto('/#/lesson/scaling-a-group/484');
  const tryIt = page.getByRole('group', { name: 'Try it' });
  await expect(tryIt).toContainText('Go back to step 402: the lesson\'s steps did it at step 403, not you yet.');
  // Its title is what the lesson did then, not why the task is not met now.
  const said = (await tryIt.getByRole('status').textContent()).split('go back to step 402. ')[1];
  await expect(tryIt.getByRole('status')).toHaveAttribute('title', said);
  await expect(tryIt).not.toContainText('Not yet');
  await tryIt.getByRole('button', { name: 'Back to step 402' }).click();
  await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('step 402 of 484');
  await expect(tryIt).toContainText('Your turn');
});

test('a chapter closes with its own caption and the next opens with its own words', async ({ page }) => {
  await page.goto('/#/lesson/key-ordering/13');
  const narration = page.locator('.narration [role=status]');
  await expect(page.getByRole('heading', { name: 'Chapter 2 of 3: Without a key' })).toBeVisible();
  await expect(narration).toContainText('Across partitions there is no order');
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Chapter 3 of 3: Adding partitions' })).toBeVisible();
  await expect(narration).toHaveText(/^Every update sent with user 16b77e26…'s key is in partition 0/);
  // Reached by its address too.
  await page.goto('/#/lesson/key-ordering/14');
  await page.reload();
  await expect(narration).toHaveText(/^Every update sent with user 16b77e26…'s key is in partition 0/);
});
