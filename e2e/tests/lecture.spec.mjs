// What a lecturer's second look at the scenes and lessons found: a group note that stopped
// mid-sentence and fifty quiet steps with no word of what they wait for, a late append narrated
// without a verb, a step opened by its URL told only by its number, the partitioner's answer
// below the fold in a lesson, keys that all read "prod…", and a slow group's marker lost off the
// lane's left edge.
import { readFileSync } from 'node:fs';
import { test, expect, stepForward, produce, lane, stopStream } from './fixtures.mjs';
import { payload } from './payload.mjs';

async function openScene(page, scene) {
  await page.goto('/');
  await page.getByRole('button', { name: scene, exact: true }).click();
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
}

test('while new partitions wait for a metadata refresh, the group and the narration count down to it', async ({ page }) => {
  await openScene(page, 'Key ordering demo');
  const note = page.locator('.metadata-note');
  for (let i = 0; i < 80 && !(await note.isVisible()); i++) await page.keyboard.press('ArrowRight');
  await expect(note).toContainText(/New partitions of profile-updated-event-topic unread until its metadata refresh, in \d+\.\d s\./);
  // On the wall, one line: the topic is for screen readers (the narration names it).
  const onTheWall = (el) => { const c = el.cloneNode(true); c.querySelectorAll('.visually-hidden').forEach((h) => h.remove()); return c.textContent; };
  expect(await note.locator('p').first().evaluate(onTheWall)).toMatch(/^New partitions unread until its metadata refresh, in \d+\.\d s\.$/);
  const status = page.getByRole('status').first();
  for (let i = 0; i < 10 && !(await status.textContent()).includes('metadata refresh'); i++) await page.keyboard.press('ArrowRight');
  await expect(status).toContainText(/t = \d+\.\d s: nothing sent or read\. sms-notification-service reads the new partitions of profile-updated-event-topic after its next metadata refresh, in \d+\.\d s\./);
  const before = Number((await status.textContent()).match(/in (\d+\.\d) s/)[1]);
  await page.keyboard.press('ArrowRight');
  await expect(status).toContainText(`in ${(before - 0.1).toFixed(1)} s.`);
});

test('a record that lands without a send in its step is narrated as a sentence', async ({ page }) => {
  await openScene(page, 'Data center outage');
  const status = page.getByRole('status').first();
  for (let i = 0; i < 80 && !(await status.textContent()).includes('sent earlier'); i++) await page.keyboard.press('ArrowRight');
  // One sentence per partition, however many land together (retries released at once).
  await expect(status).toContainText(/(A record|\d+ records) sent earlier went to partition \d, appended at (offset \d+|offsets \d+–\d+)\./);
  expect((await status.textContent()).match(/sent earlier went to partition 0/g)?.length ?? 0, 'partition 0 is told once').toBeLessThanOrEqual(1);
});

test('a step reached by its URL or by stepping back is told by what happened in it, after where we are', async ({ page }) => {
  const status = page.getByRole('status').first();
  // Step 5 of the key-ordering lesson, taken by hand: its events.
  await page.goto('/#/lesson/key-ordering/4');
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/\/5$/);
  const taken = (await status.textContent()).trim();
  expect(taken, 'step 5 has events to tell').toMatch(/(read|appended at) offset \d+/);

  // The same step by its URL (a reload, a link from the slides).
  await page.reload();
  await expect(status).toHaveText(/^Step 5 of \d+\. /);
  expect((await status.textContent()).trim().endsWith(taken), 'then what step 5 did').toBe(true);

  // And by stepping back to it.
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await expect(status).toHaveText(/^Stepped back to step 5 of \d+\. /);
  expect((await status.textContent()).trim().endsWith(taken)).toBe(true);
});

for (const size of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`in a lesson at ${size.width}x${size.height} the partitioner's answer is on screen without scrolling`, async ({ page }) => {
    await page.setViewportSize(size);
    // The partitioning lesson (lesson bar only), and a chapter with a Try it box too.
    for (const url of ['/#/lesson/partitions-and-keys/1', '/#/lesson/key-ordering/16']) {
      await page.goto(url);
      await page.reload();
      const result = page.locator('.hash-stage .math li.result');
      await expect(result, url).toContainText(/partition \d/);
      const column = await page.locator('.producer-column').evaluate((el) => ({ top: el.getBoundingClientRect().top, bottom: el.getBoundingClientRect().bottom, scrolled: el.scrollTop }));
      const box = await result.boundingBox();
      expect(column.scrolled, url).toBe(0);
      expect(box.y + box.height, `${url}: the answer ends inside the column`).toBeLessThanOrEqual(column.bottom);
    }
  });
}

test('in a narrow cell, keys that differ only at their end still read apart', async ({ page }) => {
  await openScene(page, 'acks=1 loses data');
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  const lane = page.getByRole('list', { name: 'Partition 0 of product-created-events-topic' });
  const cell = (offset) => lane.getByRole('listitem', { name: new RegExp(`^Offset ${offset}, key `) });
  for (const [offset, key] of [[0, 'product-1'], [1, 'product-3']]) {
    await expect(cell(offset)).toHaveAccessibleName(`Offset ${offset}, key ${key}`);
    const head = cell(offset).locator('.key-head');
    expect(await head.evaluate((el) => el.scrollWidth > el.clientWidth), `offset ${offset}: the head is cut`).toBe(true);
    await expect(cell(offset).locator('.key-tail')).toHaveText(key.slice(-1));
    await expect(cell(offset).locator('.key-tail')).toBeInViewport();
    await expect(cell(offset).getByRole('button'), 'the button names the whole key').toHaveAccessibleName(`Inspect offset ${offset}, key ${key}`);
  }
  // A short key has no tail and keeps the whole width: "null" is not cut to "n…".
  await openScene(page, 'Key ordering demo');
  for (let i = 0; i < 16; i++) await page.keyboard.press('ArrowRight');
  const nullKey = page.getByRole('list', { name: 'Partition 1 of profile-updated-event-topic' }).getByRole('listitem', { name: 'Offset 0, key null' });
  await expect(nullKey.locator('.key-tail')).toHaveText('');
  expect(await nullKey.locator('.key-head').evaluate((el) => el.scrollWidth <= el.clientWidth), '"null" is drawn whole').toBe(true);
});

test('a group behind the drawn cells keeps its marker on the lane, saying which offset it reads', async ({ page }) => {
  // Fan-out's stream 200 and then 430 ticks in, opened by a link at those steps: pressed one key
  // at a time, the steps took 8 s on a quiet machine and over 30 s in a busy clean-clone CI, most
  // of it drawing the steps in between, which this test does not look at.
  const fanOut = JSON.parse(readFileSync(new URL('../../assets/scenes/fan-out.json', import.meta.url), 'utf8'));
  const ticks = JSON.stringify({ ...fanOut, steps: [{ command: 'Tick', repeat: 430 }] });
  const openAt = async (step) => {
    await page.goto(`/#/s/${payload(ticks, step)}`);
    await expect(page.getByRole('toolbar', { name: 'Playback' })).toContainText(`step ${step} / 430`);
  };
  await openAt(200);
  const track = page.locator('.lane-track[data-anchor="lane:product-created-events-topic:0"]');
  const behind = track.locator('.mark.position.behind');
  await expect(behind.first(), 'slow Email reads an offset older than the drawn cells').toBeVisible();
  await expect(behind.first()).toContainText(/^[EPS]◂\d+$/);
  const offset = Number((await behind.first().textContent()).match(/\d+/)[0]);
  const oldestDrawn = Number(await track.getAttribute('data-leo')) - Number(await track.getAttribute('data-cells'));
  expect(offset, 'the marker names an offset left of the window').toBeLessThan(oldestDrawn);
  const mark = await behind.first().locator('.badge').boundingBox();
  const lane = await track.boundingBox();
  expect(mark.x, 'the marker sits on the track, not under the lane label').toBeGreaterThanOrEqual(lane.x - 4);
  // Further on, Email's committed offset falls behind the window too: its two badges would sit on
  // the same first slot. No two drawn badges of a lane may cover each other.
  await openAt(430);
  for (const p of [0, 1, 2]) {
    const badges = await page.locator(`.lane-track[data-anchor="lane:product-created-events-topic:${p}"] .mark:not([hidden]) .badge`).evaluateAll((els) =>
      els.map((el) => { const r = el.getBoundingClientRect(); return { text: el.textContent, x: r.x, y: r.y, w: r.width, h: r.height }; }));
    for (let i = 0; i < badges.length; i++) {
      for (let j = i + 1; j < badges.length; j++) {
        const [a, b] = [badges[i], badges[j]];
        const overlap = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
        expect(overlap, `P${p}: "${a.text}" and "${b.text}" overlap`).toBeLessThan(0.25 * Math.min(a.w * a.h, b.w * b.h));
      }
    }
  }
});

test('a Produce clicked in the middle of a scene sets the rest of it aside, and one click puts it back', async ({ page }) => {
  await openScene(page, 'Consumer crash');
  const toolbar = page.getByRole('toolbar', { name: 'Playback' });
  const total = Number(await page.getByRole('slider', { name: 'Timeline' }).getAttribute('max'));
  expect(total).toBeGreaterThan(60);
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  await expect(toolbar).toContainText('step 4 / 4');
  const aside = page.getByRole('group', { name: 'Set-aside steps' });
  await expect(aside).toContainText(`Your steps after step 3 replaced the ${total - 3} steps left in “Consumer crash”.`);
  await aside.getByRole('button', { name: 'Back to the scene' }).click();
  await expect(aside).toBeHidden();
  await expect(toolbar).toContainText(`step 3 / ${total}`);
  await expect(page.getByRole('status').first()).toContainText(`Back on the scene at step 3 of ${total}: step forward to go on.`);
  // The script goes on as written: its crash comes where it did.
  const status = page.getByRole('status').first();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await expect(status).toContainText('sms-1 crashes too: email-1 and sms-1 are both down, while email-2 and sms-2 keep reading.');

  // Keeping one's own steps drops what was set aside.
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  await aside.getByRole('button', { name: 'Keep my steps' }).click();
  await expect(aside).toBeHidden();
  await expect(toolbar).toContainText('step 9 / 9');
});

test('a scene button or Reset over steps of your own sets them aside, and one click brings them back', async ({ page }) => {
  await page.goto('/');
  const toolbar = page.getByRole('toolbar', { name: 'Playback' });
  const replaced = page.getByRole('group', { name: 'Replaced steps' });
  // A scene loaded over a scene nobody touched replaces nothing of anyone's.
  await page.getByRole('button', { name: 'Consumer crash', exact: true }).click();
  await expect(toolbar).toContainText('step 0 / 72');
  await expect(replaced).toBeHidden();
  // Time passing alone (Play on Fan-out's stream) is Play pressed again: nothing is kept aside.
  await page.getByRole('button', { name: 'Fan-out', exact: true }).click();
  await stepForward(page, 5);
  await expect(toolbar).toContainText('step 5 / 5');
  await page.getByRole('button', { name: 'Consumer crash', exact: true }).click();
  await expect(toolbar).toContainText('step 0 / 72');
  await expect(replaced).toBeHidden();
  // Fan-out has no script: every step is the lecturer's own (a typed record among them).
  await page.getByRole('button', { name: 'Fan-out', exact: true }).click();
  await stepForward(page, 3);
  await produce(page, 'user-42');
  await expect(toolbar).toContainText('step 4 / 4');
  await page.getByRole('button', { name: 'Data center outage', exact: true }).click();
  await expect(replaced).toContainText('Your 1 action and 0.3 s of time in “Fan-out” were set aside.');
  // Another load keeps the same steps aside: the scene in between had none of the user's.
  await page.getByRole('button', { name: 'Consumer crash', exact: true }).click();
  await expect(replaced).toContainText('Your 1 action and 0.3 s of time in “Fan-out” were set aside.');
  // A Produce in the middle of this scene sets its rest aside too: both lines offer their steps.
  await stepForward(page, 2);
  await produce(page, 'mid-scene');
  const script = page.getByRole('group', { name: 'Set-aside steps' });
  await expect(script).toContainText('Your steps after step 2 replaced the 70 steps left in');
  await script.getByRole('button', { name: 'Back to the scene' }).click();
  await expect(toolbar).toContainText('step 2 / 72');
  await replaced.getByRole('button', { name: 'Bring back my steps' }).click();
  await expect(replaced).toBeHidden();
  await expect(toolbar).toContainText('step 4 / 4');
  await expect(page.getByRole('button', { name: 'Fan-out', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('status').first()).toContainText('Back to your steps in Fan-out, at step 4 of 4.');
  await expect(lane(page, 0).or(lane(page, 1)).or(lane(page, 2)).getByText('user-42', { exact: false }).first()).toBeVisible();

  // Reset starts the scene over; the steps wait once more, and Dismiss lets them go.
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(toolbar).toContainText('step 0 / 0');
  await expect(replaced).toContainText('Your 1 action and 0.3 s of time in “Fan-out” were set aside.');
  await replaced.getByRole('button', { name: 'Dismiss' }).click();
  await expect(replaced).toBeHidden();
  await expect(toolbar).toContainText('step 0 / 0');
});

test("a step taken after stepping back sets the user's later steps aside; the two branches change places", async ({ page }) => {
  await openScene(page, 'Fan-out');
  const toolbar = page.getByRole('toolbar', { name: 'Playback' });
  const replaced = page.getByRole('group', { name: 'Replaced steps' });
  const drawn = (key) => page.getByRole('listitem', { name: new RegExp(`key ${key}\\b`) });
  for (const key of ['first-1', 'first-2', 'first-3']) await produce(page, key);
  await expect(toolbar).toContainText('step 3 / 3');
  const back = page.getByRole('button', { name: 'Step back', exact: true });
  await back.click();
  await back.click();
  await expect(toolbar).toContainText('step 1 / 3');
  // Before, this Produce cut first-2 and first-3 off the timeline without a word.
  await produce(page, 'second');
  await expect(toolbar).toContainText('step 2 / 2');
  await expect(replaced).toContainText('Your 2 actions after step 1 in “Fan-out” were set aside by the step taken there.');
  await expect(drawn('first-2')).toHaveCount(0);
  await replaced.getByRole('button', { name: 'Bring back my steps' }).click();
  // At the end of the steps brought back, showing what they came to (not at the step where
  // the branches part, as if nothing had come back).
  await expect(toolbar).toContainText('step 3 / 3');
  await expect(page.getByRole('status').first()).toContainText('Back to your steps in Fan-out, at step 3 of 3.');
  // The branch just left is kept in its stead: nothing is lost either way.
  await expect(replaced).toContainText('Your 1 action after step 1 in “Fan-out” was set aside by the step taken there.');
  await expect(drawn('first-3')).toHaveCount(1);
  await expect(drawn('second')).toHaveCount(0);
  // Redoing a click from the same step: the branch with more of the user's actions is the one
  // kept, so the first branch's two records are not lost to a one-record slip.
  await back.click();
  await back.click();
  await produce(page, 'third');
  await expect(replaced).toContainText('Your 2 actions after step 1 in “Fan-out” were set aside by the step taken there.');
  await back.click();
  await produce(page, 'fourth');
  await expect(toolbar).toContainText('step 2 / 2');
  await expect(replaced).toContainText('Your 2 actions after step 1 in “Fan-out” were set aside by the step taken there.');
  // A reload keeps the offer, still counted from the step where the branches part.
  await page.reload();
  await expect(toolbar).toContainText('step 2 / 2');
  await expect(replaced).toContainText('Your 2 actions after step 1 in “Fan-out” were set aside by the step taken there.');
  await replaced.getByRole('button', { name: 'Bring back my steps' }).click();
  await expect(toolbar).toContainText('step 3 / 3');
  await expect(drawn('first-3')).toHaveCount(1);
  await expect(drawn('fourth')).toHaveCount(0);
  // Time alone is not the user's work: a step taken before ticks keeps nothing aside.
  await replaced.getByRole('button', { name: 'Dismiss' }).click();
  await expect(replaced).toBeHidden();
  await stepForward(page, 3);
  await expect(toolbar).toContainText('step 6 / 6');
  await back.click();
  await produce(page, 'after-ticks');
  await expect(toolbar).toContainText('step 6 / 6');
  await expect(replaced).toBeHidden();
});

test('steps a scene button set aside are still offered after a reload; Dismiss forgets them for good', async ({ page }) => {
  await openScene(page, 'Fan-out');
  const toolbar = page.getByRole('toolbar', { name: 'Playback' });
  const replaced = page.getByRole('group', { name: 'Replaced steps' });
  await stepForward(page, 2);
  await produce(page, 'my-own-demo');
  await expect(toolbar).toContainText('step 3 / 3');
  await page.getByRole('button', { name: 'Key ordering demo', exact: true }).click();
  await expect(replaced).toContainText('Your 1 action and 0.2 s of time in “Fan-out” were set aside.');
  // A reload (a lecturer's habit before class) used to leave the scene and nothing to bring back.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Key ordering demo', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(replaced).toContainText('Your 1 action and 0.2 s of time in “Fan-out” were set aside.');
  await replaced.getByRole('button', { name: 'Bring back my steps' }).click();
  await expect(toolbar).toContainText('step 3 / 3');
  await expect(page.getByRole('button', { name: 'Fan-out', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('listitem', { name: /key my-own-demo/ })).toHaveCount(1);
  // Brought back, they are the session: nothing waits aside after the next reload.
  await page.reload();
  await expect(toolbar).toContainText('step 3 / 3');
  await expect(replaced).toBeHidden();
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(replaced).toContainText('Your 1 action and 0.2 s of time in “Fan-out” were set aside.');
  await replaced.getByRole('button', { name: 'Dismiss' }).click();
  await expect(replaced).toBeHidden();
  await page.reload();
  await expect(toolbar).toContainText('step 0 / 0');
  await expect(replaced).toBeHidden();
});

test('a demo opened from a link keeps what a click mid-way set aside across a reload, as a built-in scene does', async ({ page }) => {
  // A lecturer's own demo: the Consumer crash scene under another name, opened by its link.
  const scene = JSON.parse(readFileSync(new URL('../../assets/scenes/consumer-crash.json', import.meta.url), 'utf8'));
  scene.name = 'My own demo';
  await page.goto(`/#/s/${payload(JSON.stringify(scene), 0)}`);
  const toolbar = page.getByRole('toolbar', { name: 'Playback' });
  const total = Number(await page.getByRole('slider', { name: 'Timeline' }).getAttribute('max'));
  expect(total).toBeGreaterThan(60);
  await stepForward(page, 3);
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  const aside = page.getByRole('group', { name: 'Set-aside steps' });
  const sentence = `Your steps after step 3 replaced the ${total - 3} steps left in “My own demo”.`;
  await expect(aside).toContainText(sentence);
  // Before, a reload kept only the branch: the rest of the demo was gone without a word.
  await page.reload();
  await expect(toolbar).toContainText('step 4 / 4');
  await expect(aside).toContainText(sentence);
  // Not a built-in scene: the lecturer's own demo.
  await aside.getByRole('button', { name: 'Back to the demo' }).click();
  await expect(page.getByRole('status').first()).toContainText(`Back on the demo at step 3 of ${total}: step forward to go on.`);
  await expect(toolbar).toContainText(`step 3 / ${total}`);
  // Put back, the demo is whole again, and so it stays.
  await page.reload();
  await expect(toolbar).toContainText(`step 3 / ${total}`);
  await expect(aside).toBeHidden();
  // A scene button over it keeps it too, though none of its steps was taken on this stage: no
  // button loads it again.
  await page.getByRole('button', { name: 'Fan-out', exact: true }).click();
  const replaced = page.getByRole('group', { name: 'Replaced steps' });
  await expect(replaced).toContainText(/^Your \d+ actions and [\d.]+ s of time in “My own demo” were set aside\./);
  await replaced.getByRole('button', { name: 'Bring back my steps' }).click();
  await expect(toolbar).toContainText(`step 3 / ${total}`);
});

test('Play after a step back does not hold "Stepped back to step N" over the steps it plays on', async ({ page }) => {
  await page.goto('/');
  await stopStream(page);
  await produce(page, 'quiet-after');
  // Quiet ticks: the record is read, then nothing happens.
  await stepForward(page, 12);
  const status = page.getByRole('status').first();
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('ArrowLeft');
  await expect(status).toContainText('Stepped back to step');
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
  await expect(status).not.toContainText('Stepped back to step');
  // Play's first beat passes the quiet ticks to the group's next commit, or finds none.
  await expect(status).toContainText(/Playing: nothing sent or read yet\.|committed offset/);
  await page.keyboard.press('Space');
});

test('the timeline keeps its width while the step count grows from one digit to two', async ({ page }) => {
  await openScene(page, 'Consumer crash');
  const slider = page.getByRole('slider', { name: 'Timeline' });
  for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('toolbar', { name: 'Playback' })).toContainText('step 9 / ');
  const at9 = (await slider.boundingBox()).width;
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('toolbar', { name: 'Playback' })).toContainText('step 10 / ');
  expect((await slider.boundingBox()).width).toBe(at9);
});

test('one user\'s updates show what they say in their cells, in order; cells whose values all read alike show no such line', async ({ page }) => {
  await openScene(page, 'Key ordering demo');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  const gists = page.getByRole('list', { name: 'Partition 0 of profile-updated-event-topic' }).locator('.cell-gist');
  await expect(gists).toHaveText(['Sergei', 'Serjei', 'Sergey']);
  for (const gist of await gists.all()) await expect(gist).toBeVisible();
  // Without a key the same updates spread over the partitions, one to a lane: each lane's one
  // cell still says which update it is, since the topic's values differ.
  for (let i = 3; i < 10; i++) await page.keyboard.press('ArrowRight');
  for (const [p, name] of [[1, 'Serjei'], [2, 'Sergey']]) {
    const gist = page.getByRole('list', { name: `Partition ${p} of profile-updated-event-topic` }).locator('.cell-gist');
    await expect(gist).toHaveText([name]);
    await expect(gist).toBeVisible();
  }
  // Fan-out's products all cost 1129: the line would only repeat it.
  await openScene(page, 'Fan-out');
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight');
  const cells = page.locator('.cell');
  expect(await cells.count()).toBeGreaterThan(1);
  await expect(page.locator('.cell-gist:visible')).toHaveCount(0);
});

test('a crashed instance\'s group counts down to its session timeout, then the note goes with the rebalance', async ({ page }) => {
  await page.goto('/');
  const sms = page.getByRole('region', { name: 'sms-notification-service', exact: true });
  const note = sms.locator('.session-note');
  await expect(note).toBeHidden();
  await sms.getByRole('button', { name: 'Crash sms-2' }).click();
  // Fan-out's session.timeout.ms is 6 s.
  await expect(note).toHaveText("sms-2's session times out in 6.0 s; then the group rebalances without it.");
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('ArrowRight');
  await expect(note).toContainText('in 5.9 s;');
  for (let i = 0; i < 80 && (await note.isVisible()); i++) await page.keyboard.press('ArrowRight');
  await expect(note).toBeHidden();
  await expect(sms.getByRole('listitem', { name: 'sms-2' })).toHaveCount(0);
  // Two down: both named, soonest first, one time when they are the same (the scene afresh: a
  // reload would keep the session).
  await page.getByRole('button', { name: 'Fan-out', exact: true }).click();
  await sms.getByRole('button', { name: 'Crash sms-1' }).click();
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('ArrowRight');
  await sms.getByRole('button', { name: 'Crash sms-2' }).click();
  await expect(note).toHaveText('The sessions of sms-1 and sms-2 time out in 5.9 s and 6.0 s; the group rebalances without them.');
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await sms.getByRole('button', { name: 'Crash sms-2' }).click();
  await expect(note).toHaveText('The sessions of sms-1 and sms-2 time out in 6.0 s; the group rebalances without them.');
  // Its other groups never had one.
  await expect(page.getByRole('region', { name: 'push-notification-service', exact: true }).locator('.session-note')).toBeHidden();
});
