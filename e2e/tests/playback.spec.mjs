import { test, expect, lane, produce, openPanel, stopStream, stepForward, stepUntil, groupSettings, instance, GROUPS, readTrail } from './fixtures.mjs';

const timelineText = (page) => page.getByRole('toolbar', { name: 'Playback' });

test('step back removes the last step and step forward restores it', async ({ page }) => {
  await page.goto('/');
  await produce(page, 'foobar');          // partition 0 of 3 (Kafka's vector)
  await produce(page, 'a-little-bit-long-string'); // partition 2
  const second = lane(page, 2).getByRole('listitem', { name: 'Offset 0, key a-little-bit-long-string' });
  await expect(second).toBeVisible();
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(second).toHaveCount(0);
  await expect(lane(page, 0).getByRole('listitem')).toHaveCount(1);
  await expect(timelineText(page)).toContainText('step 1 / 2');
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(second).toBeVisible();
  await expect(timelineText(page)).toContainText('step 2 / 2');
});

test('the keyboard drives playback and ? opens the help', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('heading', { name: 'Kafkascope' }).click(); // waits for the app to mount
  await page.keyboard.press('ArrowRight');
  await expect(timelineText(page)).toContainText('step 1 / 1');
  await page.keyboard.press('ArrowLeft');
  await expect(timelineText(page)).toContainText('step 0 / 1');
  await page.keyboard.press('+');
  await expect(page.getByRole('slider', { name: 'Speed' })).toHaveValue('3');
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  await expect(page.getByRole('slider', { name: 'Speed' })).toHaveValue('1');
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  // After clicking a button the arrows still step (Space would press that button instead).
  await page.getByRole('button', { name: 'Key ordering demo' }).click();
  await page.keyboard.press('ArrowRight');
  await expect(timelineText(page)).toContainText('step 1 / 69');
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Step forward');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
});

test('the timeline seeks to any step', async ({ page }) => {
  await page.goto('/');
  for (const key of ['foobar', 'kafka', 'abc']) await produce(page, key);
  await page.getByRole('slider', { name: 'Timeline' }).fill('1');
  await expect(timelineText(page)).toContainText('step 1 / 3');
  await expect(page.getByRole('listitem', { name: /^Offset \d+, key (kafka|abc)$/ })).toHaveCount(0);
  await expect(page.getByRole('listitem', { name: 'Offset 0, key foobar' })).toBeVisible();
});

test('playing consumes: every group reads the record and commits', async ({ page }) => {
  await page.goto('/');
  await stopStream(page);
  await produce(page, 'foobar'); // partition 0
  await page.getByRole('slider', { name: 'Speed' }).fill('10');
  await page.getByRole('button', { name: 'Play' }).click();
  await openPanel(page);
  for (const group of GROUPS) {
    const table = groupSettings(page, group).getByRole('table');
    // Row of P0: Partition, Consumer, Position, Committed, HW, Lag.
    await expect(table.getByRole('row').nth(1)).toContainText(/P0\s*\S+\s*1\s*1\s*1\s*0/, { timeout: 10_000 });
  }
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.screenshot({ path: 'screenshots/fan-out-consumed.png' });
});

test('prefers-reduced-motion turns animations into instant changes', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('/');
  await produce(page, 'foobar');
  const record = (n) => lane(page, 0).getByRole('listitem').nth(n).getByRole('button');
  await expect(record(0)).toHaveCSS('animation-name', 'none');
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  await produce(page, 'foobar');
  // The record just sent lands when its token arrives, after 70% of one step at the current
  // speed, in 20% of one: 2 steps/s -> after 0.35 s, in 0.1 s; 10 steps/s -> after 0.07 s, in 0.02 s.
  await expect(record(1)).toHaveCSS('animation-name', 'append');
  await expect(record(1)).toHaveCSS('animation-delay', '0.35s');
  await expect(record(1)).toHaveCSS('animation-duration', '0.1s');
  await page.getByRole('slider', { name: 'Speed' }).fill('10');
  await produce(page, 'foobar');
  await expect(record(2)).toHaveCSS('animation-delay', '0.07s');
  await expect(record(2)).toHaveCSS('animation-duration', '0.02s');
  // No longer the newest, a record keeps its finished animation (the same one, so it does not
  // slide in again): drawn afresh (a seek), it slides in over 70% of a step.
  await produce(page, 'foobar');
  await expect(record(2)).toHaveCSS('animation-delay', '0s');
  await expect(record(2)).toHaveCSS('animation-duration', '0.07s');
  expect(await record(2).evaluate((el) => el.getAnimations().filter((a) => a.playState === 'running').length), 'the older record does not play again').toBe(0);
});

test('a record just sent shows up in its slot when its token lands, not while it is still being hashed', async ({ page }) => {
  await page.goto('/');
  await stopStream(page);
  await page.getByLabel('Key', { exact: true }).fill('foobar');
  // Click, then as soon as the token flies hold every animation at moments of the step (2
  // steps/s: one step is 500 ms) and read what the class sees then. One evaluate: the token is
  // taken off the stage on a timer, paused or not.
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  await page.locator('.token.produce').waitFor({ state: 'attached' });
  const seen = await page.evaluate(() => {
    const cell = document.querySelector('[aria-label="Partition 0 of product-created-events-topic"] li:last-of-type button');
    const token = document.querySelector('.token.produce');
    const at = (t) => {
      for (const a of document.getAnimations()) { a.pause(); a.currentTime = t; }
      return { cell: Number(getComputedStyle(cell).opacity), token: Number(getComputedStyle(token).opacity), names: document.getAnimations().map((a) => a.animationName) };
    };
    return { hashing: at(200), landed: at(460) };
  });
  expect(seen.hashing.names).toEqual(expect.arrayContaining(['append', 'travel']));
  expect(seen.hashing.cell, 'at 200 ms the token is at the hash; the slot is still empty').toBe(0);
  expect(seen.hashing.token).toBeGreaterThan(0.5);
  expect(seen.landed.cell, 'at 460 ms the token has landed and the record is there').toBe(1);
});

test('an instance shows what it has not read yet and what it just read', async ({ page }) => {
  await page.goto('/');
  await stopStream(page);
  await produce(page, 'foobar'); // partition 0, owned by sms-1 (Range)
  await produce(page, 'abc');    // partition 0 too (Kafka vector)
  const sms1 = instance(page, 'sms-notification-service', 'sms-1');
  // Not yet committed (the followers copy them first): nothing to read, no lag.
  await expect(sms1).toContainText('0 left');
  // Once both are below the high watermark sms-1 reads one per poll: one behind, then none.
  await stepUntil(page, async () => (await readTrail(sms1)).join() === 'P0@0', 4);
  await expect(sms1).toContainText('1 left');
  await stepForward(page, 1);
  expect(await readTrail(sms1)).toEqual(['P0@0', 'P0@1']);
  await expect(sms1).toContainText('0 left');
});

/** One record and no stream, then Play: its beats pass ten quiet ticks at a time once the record
 * is read. Returns the narration bar as shown. */
async function playAfterOneRecord(page, key) {
  await page.goto('/');
  await stopStream(page);
  await produce(page, key);
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('Space');
  return page.locator('.narration-text');
}

test('while playing, a line is held for 3 simulated seconds at most; then the bar says since when nothing happened', async ({ page }) => {
  const shown = await playAfterOneRecord(page, 'held-2');
  await expect(shown).toHaveText(/^t = (\d+\.\d) s: nothing sent or read since t = (\d+\.\d) s\.$/, { timeout: 15_000 });
  const [, now, since] = (await shown.textContent()).match(/^t = (\d+\.\d) s: nothing sent or read since t = (\d+\.\d) s\.$/);
  expect(Number(now) - Number(since)).toBeGreaterThanOrEqual(3);
  await expect(shown).not.toHaveClass(/held/);
  await page.keyboard.press('Space');
});

test('while playing, quiet ticks keep the last thing that happened on screen; paused, a quiet tick says so', async ({ page }) => {
  const shown = await playAfterOneRecord(page, 'held-1');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  const seen = [];
  let held = 0;
  for (let i = 0; i < 16; i++) {
    await page.waitForTimeout(170);
    seen.push(await shown.textContent());
    if (await shown.evaluate((el) => el.classList.contains('held'))) held += 1;
  }
  await page.keyboard.press('Space');
  expect(seen.filter((t) => /nothing sent or read\.$/.test(t)), `while playing: ${seen.join(' | ')}`).toEqual([]);
  expect(held, 'some ticks were quiet, and held the line before them').toBeGreaterThan(0);
  // Paused, stepping into a quiet tick tells it as it is.
  const status = page.getByRole('status').first();
  for (let i = 0; i < 20 && !(await status.textContent()).includes('nothing sent or read'); i++) await page.keyboard.press('ArrowRight');
  await expect(status).toContainText('nothing sent or read');
  await expect(shown).not.toHaveClass(/held/);
});

test('while playing the narration is silent for screen readers; on Pause it says where Play stopped, once', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  const status = page.getByRole('status').first();
  await expect(status).toHaveAttribute('aria-live', 'polite');
  await page.keyboard.press(' ');
  await expect(status).toHaveAttribute('aria-live', 'off');
  await expect.poll(async () => Number((await timelineText(page).textContent()).match(/step (\d+) \//)[1])).toBeGreaterThan(3);
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
  await expect(status).toHaveAttribute('aria-live', 'polite');
  const [, at, of] = (await timelineText(page).textContent()).match(/step (\d+) \/ (\d+)/);
  await expect(status).toHaveText(new RegExp(`^Paused at step ${at} of ${of}\\. \\S`));
  // The next step by hand is told as itself, and so is the one after it: said once.
  await page.keyboard.press('ArrowLeft');
  await expect(status).not.toContainText('Paused');
  await page.keyboard.press('ArrowRight');
  await expect(timelineText(page)).toContainText(`step ${at} / ${of}`);
  await expect(status).not.toContainText('Paused');
});

test('under a lesson, Play stops where a chapter or a task begins and at the lesson\'s end', async ({ page }) => {
  // Lesson 2: its retention task (step 6) asks for time to pass; its last chapter begins at 365.
  await page.goto('/#/lesson/topics-and-offsets/6');
  const toolbar = page.getByRole('toolbar', { name: 'Playback' });
  const heading = page.getByRole('heading', { name: /^Chapter/ });
  await expect(heading).toHaveText(/^Chapter 4 of 5/);
  for (let i = 0; i < 9; i++) await page.keyboard.press('+');
  await page.keyboard.press('Space');
  await expect(toolbar.getByRole('button', { name: 'Play' }), 'Play stopped by itself').toBeVisible({ timeout: 20000 });
  await expect(heading).toHaveText(/^Chapter 5 of 5/);
  await expect(toolbar).toContainText('step 365 / 365');
  // The lesson's end is its last chapter's first step here: Play again plays on past it.
  await page.keyboard.press('Space');
  const step = async () => Number((await toolbar.textContent()).match(/step (\d+) \//)[1]);
  await expect.poll(step, { message: 'Play goes on past the end' }).toBeGreaterThan(370);
  await expect(toolbar.getByRole('button', { name: 'Pause' }), 'still playing').toBeVisible();
});
