// What a second student clicking everything found (1366x768 and 1280x720, a lecture hall's
// network): Copy link crashed on a page served over plain http and its box opened below the
// window, the Real commands window let keys through to the stage, offsets of five digits were cut
// to three, a 1024x768 projector lost the toolbar's right end, "Show me" dropped a student's
// attempt, old refusals piled up, a long client.id pushed Produce out of its column, and the
// key's math was cut off beside the editing panel. And what a Kafka engineer found: a tombstone
// drawn hatched like a record not yet committed.
import { test, expect, openPanel, produce, stepForward, growTopic } from './fixtures.mjs';

test('Copy link on a page without a clipboard (plain http) shows the link to copy by hand, every time', async ({ page }) => {
  // An insecure origin has no navigator.clipboard, and says it is not a secure context.
  await page.addInitScript(() => {
    delete Navigator.prototype.clipboard;
    Object.defineProperty(window, 'isSecureContext', { get: () => false });
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  for (let i = 0; i < 2; i++) {
    await page.getByRole('button', { name: 'Copy link' }).click();
    const field = page.getByRole('textbox', { name: /^Link/ });
    await expect(field).toHaveAccessibleName('Link to step 0 (select it and copy it: Ctrl+C)');
    expect(await field.inputValue()).toMatch(/#\/s\/[A-Za-z0-9_-]+$/);
    await page.getByRole('dialog', { name: 'Link to this state' }).getByRole('button', { name: 'Close' }).click();
  }
  expect(errors, 'no error and no panic').toEqual([]);
});

test('the Copy link box opens on screen with its link selected, names the step it links to, and closes on Escape', async ({ page }) => {
  await page.goto('/');
  const copy = page.getByRole('button', { name: 'Copy link' });
  await copy.click();
  const box = page.getByRole('dialog', { name: 'Link to this state' });
  await expect(box).toBeInViewport({ ratio: 1 });
  const field = box.getByRole('textbox');
  await expect(field).toBeFocused();
  expect(await field.evaluate((f) => f.selectionEnd - f.selectionStart), 'the whole link is selected').toBe((await field.inputValue()).length);
  await page.keyboard.press('Escape');
  await expect(box).toHaveCount(0);
  await expect(copy).toBeFocused();
  // A link is of the state it was made in: after a step (a clicker's Page Down: a click would
  // put the box away) the box still says which.
  await copy.click();
  await expect(box).toBeVisible();
  await page.keyboard.press('PageDown');
  await expect(page.getByRole('toolbar', { name: 'Playback' })).not.toContainText('step 0 / ');
  await expect(box).toBeVisible();
  await expect(box.getByRole('textbox')).toHaveAccessibleName(/^Link to step 0 /);
});

test('an opened Simplified note and the Copy link box go away on a press elsewhere or Escape: open, they covered the brokers\' Stop and + group', async ({ page }) => {
  await page.goto('/');
  const cluster = page.getByRole('region', { name: 'Kafka cluster' });
  const note = cluster.locator('details.simplified-list').first();
  const summary = note.locator('summary');
  await summary.click();
  await expect(note).toHaveAttribute('open', '');
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await expect(note, 'a press elsewhere folds it').not.toHaveAttribute('open');
  await summary.click();
  await expect(note).toHaveAttribute('open', '');
  await page.keyboard.press('Escape');
  await expect(note, 'Escape folds it').not.toHaveAttribute('open');
  await expect(summary, 'the focus is back on its summary').toBeFocused();
  // Folded, the brokers' Stop buttons take a click again.
  await page.getByRole('button', { name: 'Stop broker 2' }).click();
  await expect(page.getByRole('button', { name: 'Start broker 2' })).toBeVisible();

  const copy = page.getByRole('button', { name: 'Copy link' });
  await copy.click();
  const box = page.getByRole('dialog', { name: 'Link to this state' });
  await expect(box).toBeVisible();
  await box.getByRole('textbox').click();
  await expect(box, 'a press inside keeps it').toBeVisible();
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await expect(box, 'a press elsewhere puts it away').toHaveCount(0);
});

test('the Real commands window holds the keys: nothing steps behind it, and Escape closes the window alone', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  const opener = page.getByRole('button', { name: 'Real commands' });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'The same scenario as real Kafka commands' });
  await expect(dialog).toBeVisible();
  // The consumers too, one per instance on the stage (an ops engineer found only producers).
  await expect(dialog.locator('pre')).toContainText('kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic product-created-events-topic --group email-notification-service --consumer-property client.id=email-1');
  await dialog.locator('pre').click();
  for (const key of ['ArrowRight', 'N', 'b', ' ']) await page.keyboard.press(key);
  const toolbar = page.getByRole('toolbar', { name: 'Playback' });
  await expect(toolbar).toContainText('step 0 / ');
  await expect(page.getByRole('dialog', { name: /Screen blanked/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('complementary', { name: 'Editing panel' }), 'the panel stays open').toBeVisible();
  await expect(opener).toBeFocused();
});

test('offsets of five digits fit their cells and the next slot whole', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  const rate = page.getByRole('region', { name: 'Stream of products-microservice' }).getByRole('spinbutton', { name: 'Rate (records/s)' });
  await rate.fill('10000');
  await rate.press('Enter');
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await stepForward(page, 36);
  const spans = page.locator('.lane-track .cell-offset');
  const fits = await spans.evaluateAll((all) => all.map((s) => {
    const box = s.closest('.cell-button, .next-slot').getBoundingClientRect();
    const r = s.getBoundingClientRect();
    return { text: s.textContent, fits: r.left >= box.left - 0.5 && r.right <= box.right + 0.5 };
  }));
  expect(fits.some((f) => f.text.length >= 5), `five-digit offsets are drawn: ${fits.map((f) => f.text)}`).toBe(true);
  expect(fits.filter((f) => !f.fits), 'every offset inside its cell').toEqual([]);
});

test.describe('on a 1024x768 projector', () => {
  test.use({ viewport: { width: 1024, height: 768 } });

  test('the toolbars and the whole stage fit: the 1280 picture, smaller', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Fan-out', exact: true }).click();
    for (const name of ['Edit', 'Copy link', 'Projector theme', 'Help (?)', 'Play', 'acks=1 loses data']) {
      await expect(page.getByRole('button', { name, exact: true }), name).toBeInViewport({ ratio: 1 });
    }
    const parts = [page.getByRole('article', { name: /^Producer / }), page.getByRole('list', { name: /^Partition \d+ of / }), page.getByRole('list', { name: /^Instances of / })];
    for (const part of parts) for (const one of await part.all()) await expect(one).toBeInViewport({ ratio: 1 });
    // The step count and the clock side by side, not drawn over each other.
    const toolbar = page.getByRole('toolbar', { name: 'Playback' });
    const [step, clock] = [await toolbar.getByText(/^step \d+ \/ \d+$/).boundingBox(), await toolbar.getByText(/^t = /).boundingBox()];
    expect(step.x + step.width, 'the step count ends before the clock begins').toBeLessThanOrEqual(clock.x);
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(768);
    await page.screenshot({ path: 'screenshots/fan-out-1024.png' });
  });
});

test('"Show me" keeps the attempt it replaces, to be brought back', async ({ page }) => {
  await page.goto('/#/lesson/key-ordering/14');
  const tryIt = page.getByRole('group', { name: 'Try it' });
  await expect(tryIt).toBeVisible();
  await produce(page, 'my-own-key');
  await expect(page.getByRole('list', { name: /^Partition \d+ of / }).getByRole('listitem', { name: /my-own-key/ })).toHaveCount(1);
  await tryIt.getByRole('button', { name: 'Show me' }).click();
  await expect(page.getByRole('list', { name: /^Partition \d+ of / }).getByRole('listitem', { name: /my-own-key/ })).toHaveCount(0);
  const kept = page.getByRole('group', { name: 'Replaced steps' });
  await expect(kept).toContainText('Your 1 action in');
  const script = page.getByRole('group', { name: 'Set-aside steps' });
  await expect(script, 'one line at a time: the attempt first').toHaveCount(0);
  await kept.getByRole('button', { name: 'Bring back my steps' }).click();
  await expect(script).toContainText('Your steps after step 14 replaced');
  await expect(page.getByRole('list', { name: /^Partition \d+ of / }).getByRole('listitem', { name: /my-own-key/ })).toHaveCount(1);
});

test('a refusal from an earlier attempt goes once something else is done, and stays while time runs', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  await page.getByRole('spinbutton', { name: 'Partition', exact: true }).fill('99');
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  const refusal = page.getByText(/Partition 99 does not exist/).first();
  await expect(refusal).toBeVisible();
  await stepForward(page, 3);
  await expect(refusal, 'Play and the step keys leave it to be read').toBeVisible();
  await openPanel(page);
  await page.getByRole('textbox', { name: 'New topic name' }).fill('audit-log');
  await page.getByRole('button', { name: 'Add topic' }).click();
  await expect(page.getByRole('status').first()).toContainText('audit-log');
  await expect(refusal, 'a topic added since: the refusal is of the past').toHaveCount(0);
});

test('a producer with a 300-character client.id keeps Key and Produce in its column', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  await page.getByRole('textbox', { name: 'New topic name' }).fill('audit-log');
  await page.getByRole('button', { name: 'Add topic' }).click();
  const name = 'p'.repeat(300);
  const form = page.getByRole('form', { name: 'Add producer' });
  await form.getByRole('textbox', { name: 'New producer client.id' }).fill(name);
  await form.getByRole('button', { name: 'Add producer' }).click();
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const card = page.getByRole('article', { name: `Producer ${name}` });
  await expect(card.getByRole('heading')).toHaveAttribute('title', name);
  expect((await card.getByRole('heading').boundingBox()).height, 'two lines of the name at most').toBeLessThan(3 * 16 * 1.25);
  const column = await page.getByRole('region', { name: 'Producers' }).boundingBox();
  for (const control of [page.getByLabel('Key', { exact: true }), page.getByRole('button', { name: 'Produce', exact: true })]) {
    const box = await control.boundingBox();
    expect(box.y + box.height, 'inside the column without scrolling it').toBeLessThanOrEqual(column.y + column.height);
  }
});

test("with the editing panel open at 1280x720, the key's math ends in view", async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Fan-out', exact: true }).click();
  await produce(page, 'user-42');
  await openPanel(page);
  const column = page.getByRole('region', { name: 'Producers' });
  await expect(column.getByRole('listitem').last()).toContainText('= partition');
  const hidden = await column.evaluate((el) => el.scrollHeight - el.clientHeight);
  expect(hidden, 'nothing of the producers column is scrolled out of view').toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'screenshots/panel-open-math-1280.png' });
});

test('a tombstone is a hollow cell saying null, not hatched like a record above the high watermark', async ({ page }) => {
  await page.goto('/#/lesson/retention-and-compaction/271');
  const tombstone = page.locator('.cell.tombstone .cell-button').first();
  await expect(tombstone).toContainText('null');
  const look = await tombstone.evaluate((b) => ({ image: getComputedStyle(b).backgroundImage, frame: getComputedStyle(b).outlineStyle }));
  expect(look).toEqual({ image: 'none', frame: 'solid' });
});

// What a student doing every Try it task their own way found.
test('a task done by letting time pass is the student\'s when they step along the lesson\'s own ticks', async ({ page }) => {
  await page.goto('/#/lesson/topics-and-offsets/6');
  const tryIt = page.getByRole('group', { name: 'Try it' });
  await expect(tryIt.getByRole('status')).toContainText('Your turn');
  const lesson = page.getByRole('region', { name: 'Lesson' });
  for (let i = 0; i < 6 && !/Done:/.test(await tryIt.getByRole('status').textContent()); i++) {
    await lesson.getByRole('button', { name: 'Next' }).click();
  }
  await expect(tryIt.getByRole('status')).toContainText('Done: Retention deleted');
  await expect(tryIt.getByRole('status')).not.toContainText("the lesson's steps did it");
});

test("a step of one's own taken after the lesson showed the answer is not credited with the task", async ({ page }) => {
  // By step 30 the lesson has added partitions and sent the user's update to a new one.
  await page.goto('/#/lesson/key-ordering/30');
  const tryIt = page.getByRole('group', { name: 'Try it' });
  await expect(tryIt.getByRole('status')).toContainText("the lesson's steps did it");
  // A crash has nothing to do with the task; it read "Done:" and offered Continue the lesson.
  await page.getByRole('button', { name: 'Crash sms-1' }).click();
  await expect(tryIt.getByRole('status')).toContainText("Go back to step 14: the lesson's steps did it, not you yet.");
  await expect(tryIt.getByRole('button', { name: 'Continue the lesson' })).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'Set-aside steps' })).toContainText('Your steps after step 30 replaced');
  // Done the student's own way from the task's step, it is theirs.
  await tryIt.getByRole('button', { name: 'Back to step 14' }).click();
  await growTopic(page, 6, { topic: 'profile-updated-event-topic' });
  await produce(page, '16b77e26-6aac-4da5-bd17-ca1caeb91461');
  await expect(tryIt.getByRole('status')).toContainText('Done: Key "16b77e26-6aac-4da5-bd17-ca1caeb91461" is now in partitions');
});

test('after a reload, a lesson a student branched off still offers its remaining steps back', async ({ page }) => {
  await page.goto('/#/lesson/key-ordering/7');
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  const aside = page.getByRole('group', { name: 'Set-aside steps' });
  await expect(aside).toContainText('Your steps after step 7 replaced the 62 steps left in');
  await page.waitForTimeout(1200); // the session is saved at most once a second
  await page.reload();
  await expect(aside).toContainText('Your steps after step 7 replaced the 62 steps left in');
  await aside.getByRole('button', { name: 'Back to the lesson' }).click();
  await expect(page.getByRole('region', { name: 'Lesson' })).toContainText('step 7 of 69');
  await expect(page.getByRole('heading', { name: /^Chapter 1 of 3/ })).toBeVisible();
});

test('under a lesson, a partitioner with no send to show still says what it computes, not an empty box', async ({ page }) => {
  await page.goto('/#/lesson/topics-and-offsets/355');
  await expect(page.getByRole('region', { name: 'Hash stage' }).getByText(/murmur2\(key bytes\)\) % partitions/)).toBeVisible();
});

test('"Show me" over an attempt keeps what an earlier load kept, offered once the attempt is settled', async ({ page }) => {
  await page.goto('/');
  await produce(page, 'fan-out-own');
  await page.goto('/#/lesson/key-ordering/14');
  const kept = page.getByRole('group', { name: 'Replaced steps' });
  await expect(kept).toContainText('in “Fan-out”');
  await produce(page, 'my-own-key');
  await page.getByRole('group', { name: 'Try it' }).getByRole('button', { name: 'Show me' }).click();
  await expect(kept).toContainText('Your 1 action in “4. Ordering by key” was set aside.');
  await kept.getByRole('button', { name: 'Dismiss' }).click();
  await expect(kept).toContainText('in “Fan-out”');
});
