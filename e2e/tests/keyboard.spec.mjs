// A lecturer with the keyboard only: presenter keys act wherever the focus is (unless it is in
// a field), nothing acts behind a blanked screen, dialogs hold the focus and give it back, and
// the focus never falls to the page after a button does its work.
import { writeFileSync } from 'node:fs';
import { test, expect, openPanel } from './fixtures.mjs';

/** What has the focus: its role-ish description, for messages. */
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el ? `${el.tagName} ${el.getAttribute('aria-label') ?? el.textContent.trim().slice(0, 30)}` : 'none';
});

test('Space plays after a scene was picked with its button, and presenter keys work on a slider', async ({ page }) => {
  await page.goto('/');
  const toolbar = page.getByRole('toolbar', { name: 'Playback' });
  await page.getByRole('button', { name: 'Consumer crash', exact: true }).click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(toolbar).toContainText('step 2 / ');
  // The scene's button still has the focus: Space must play, not load the scene again.
  await page.keyboard.press(' ');
  await expect(toolbar.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.keyboard.press(' ');
  await expect(toolbar.getByRole('button', { name: 'Play' })).toBeVisible();
  expect(Number((await toolbar.textContent()).match(/step (\d+) \//)[1]), 'the scene was not reloaded').toBeGreaterThanOrEqual(2);

  const speed = toolbar.getByRole('slider', { name: 'Speed' });
  await speed.focus();
  await page.keyboard.press('+');
  await expect(toolbar).toContainText('3/s');
  // "3/s" on screen; a screen reader hears what is counted.
  await expect(speed).toHaveAttribute('aria-valuetext', '3 steps a second');
  await page.keyboard.press('ArrowLeft'); // the slider's own key
  await expect(toolbar).toContainText('2/s');
  await expect(speed).toHaveAttribute('aria-valuetext', '2 steps a second');
  const timeline = toolbar.getByRole('slider', { name: 'Timeline' });
  await timeline.focus();
  const at = Number(await timeline.inputValue());
  await page.keyboard.press('PageDown'); // a clicker's "next": one step, not a page of the slider
  await expect(timeline).toHaveValue(String(at + 1));
});

test('behind a blanked screen no key does anything but B and Escape', async ({ page }) => {
  await page.goto('/');
  const toolbar = page.getByRole('toolbar', { name: 'Playback' });
  await page.getByRole('button', { name: 'Key ordering demo', exact: true }).focus();
  await page.keyboard.press('b');
  for (const key of ['ArrowRight', 'ArrowRight', ' ', 'Enter', 'e', '?']) await page.keyboard.press(key);
  await page.keyboard.press('b');
  await expect(page.getByRole('dialog', { name: /Screen blanked/ })).toHaveCount(0);
  await expect(toolbar).toContainText('step 0 / ');
  await expect(page.getByRole('button', { name: 'Fan-out', exact: true }), 'the focused button was not pressed').toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('complementary', { name: 'Editing panel' })).toBeHidden();
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
});

test('the help and the inspector take the focus, keep Tab inside, and give the focus back', async ({ page }) => {
  await page.goto('/');
  const opener = page.getByRole('button', { name: 'Help (?)' });
  await opener.focus();
  await page.keyboard.press('Enter');
  const help = page.getByRole('dialog', { name: 'Reading the stage Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help.getByRole('button', { name: 'Close' })).toBeFocused();
  // The signs a newcomer meets first, beside the keys, whole on a 1280x720 screen.
  await expect(help.getByRole('definition').filter({ hasText: 'High watermark: consumers read only the records left of it' })).toBeVisible();
  // And the ones a failing broker brings: striped cells, lost or retried offsets.
  await expect(help.getByRole('definition').filter({ hasText: 'Not yet on every in-sync replica' })).toBeVisible();
  await expect(help.getByRole('term').filter({ hasText: 'lost · retry' })).toBeVisible();
  expect(await help.evaluate((d) => d.scrollHeight <= d.clientHeight), 'the help fits without scrolling').toBe(true);
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Tab');
    expect(await help.evaluate((d) => d.contains(document.activeElement) || document.activeElement === document.body), `Tab ${i + 1} stays in the dialog: ${await focused(page)}`).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  await expect(opener, 'the focus is back on ?').toBeFocused();

  await page.getByRole('button', { name: 'Step forward' }).click();
  await page.keyboard.press('Escape');
  const lane = page.getByRole('list', { name: /^Partition \d+ of / });
  const cell = page.getByRole('button', { name: /^Inspect offset 0, key / }).first();
  await expect(lane.first()).toBeVisible();
  await page.getByRole('textbox', { name: 'Key', exact: true }).fill('user-1');
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  await cell.focus();
  await page.keyboard.press('Enter');
  const inspector = page.getByRole('dialog', { name: /^Record / });
  await expect(inspector.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(inspector).toHaveCount(0);
  await expect(cell, 'the focus is back on the record').toBeFocused();
});

test('E puts the focus in the editing panel, Escape closes it and returns the focus to Edit', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('e');
  const panel = page.getByRole('complementary', { name: 'Editing panel' });
  await expect(panel).toBeVisible();
  expect(await panel.evaluate((p) => p.contains(document.activeElement)), `focus in the panel: ${await focused(page)}`).toBe(true);
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(page.getByRole('button', { name: 'Edit' })).toBeFocused();
  // H from inside the panel also lands on Edit.
  await openPanel(page);
  await panel.getByRole('combobox').first().focus();
  await panel.getByRole('button').first().focus();
  await page.keyboard.press('h');
  await expect(panel).toBeHidden();
  await expect(page.getByRole('button', { name: 'Edit' })).toBeFocused();
  // Left scrolled down (at Add group), it opens again at its top, Record to produce.
  await openPanel(page);
  await panel.evaluate((p) => { p.scrollTop = p.scrollHeight; });
  await page.keyboard.press('Escape');
  await page.keyboard.press('e');
  await expect(panel).toBeVisible();
  expect(await panel.evaluate((p) => p.scrollTop)).toBe(0);
  await expect(panel.getByRole('heading', { name: 'Record to produce' })).toBeInViewport();
});

test('a clicker keeps stepping after E opens the panel, and after a key is typed and sent with Enter', async ({ page }) => {
  await page.goto('/');
  const toolbar = page.getByRole('toolbar', { name: 'Playback' });
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('e');
  const panel = page.getByRole('complementary', { name: 'Editing panel' });
  await expect(panel).toBeFocused();
  const topic = panel.getByRole('combobox', { name: 'Topic', exact: true });
  const chosen = await topic.inputValue();
  await page.keyboard.press('ArrowRight');
  await expect(toolbar).toContainText('step 1 / 1');
  await page.keyboard.press('PageDown');
  await expect(toolbar).toContainText(/step [2-9]\d* \//);
  await expect(topic, 'Page Down chose no other topic').toHaveValue(chosen);
  // One Tab from the panel is its first field.
  await page.keyboard.press('Tab');
  await expect(topic).toBeFocused();
  await page.keyboard.press('Escape');
  // The Key field: Enter sends, and Page Down then steps, where the arrows still move the caret.
  const key = page.getByLabel('Key', { exact: true });
  await key.fill('user-7');
  await key.press('Enter');
  const after = Number((await toolbar.textContent()).match(/step (\d+) \//)[1]);
  await key.press('PageDown');
  await expect.poll(async () => Number((await toolbar.textContent()).match(/step (\d+) \//)[1])).toBeGreaterThan(after);
  await key.press('ArrowLeft');
  await expect(key).toBeFocused();
  expect(await key.evaluate((el) => el.selectionStart), 'the arrow moved the caret').toBe(5);
});

test('the Lessons menu closes on Escape and when the focus leaves it', async ({ page }) => {
  await page.goto('/');
  const menu = page.locator('details.lesson-menu');
  const summary = page.getByText('Lessons', { exact: true });
  await summary.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('navigation', { name: 'Lessons' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('navigation', { name: 'Lessons' })).toBeHidden();
  await expect(summary).toBeFocused();
  await page.keyboard.press('Enter');
  const links = page.getByRole('navigation', { name: 'Lessons' }).getByRole('link');
  for (let i = 0; i < (await links.count()) + 1; i++) await page.keyboard.press('Tab');
  await expect(menu, 'tabbing past the last lesson closes the menu').not.toHaveAttribute('open', '');
});

test('buttons that cannot act again keep the focus: Step back at the start, Crash on a crashed instance', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Consumer crash', exact: true }).click();
  const toolbar = page.getByRole('toolbar', { name: 'Playback' });
  await toolbar.getByRole('button', { name: 'Step forward' }).click();
  const back = toolbar.getByRole('button', { name: 'Step back' });
  await back.focus();
  await page.keyboard.press('Enter');
  await expect(toolbar).toContainText('step 0 / ');
  await expect(back).toBeDisabled();
  await expect(back).toBeFocused();
  const crash = page.getByRole('button', { name: /^Crash / }).first();
  await crash.focus();
  await page.keyboard.press('Enter');
  await expect(crash).toBeDisabled();
  await expect(crash).toBeFocused();
  // "−" on a group's last running consumer.
  const minus = page.getByRole('button', { name: 'Remove consumer from sms-notification-service' });
  await minus.focus();
  for (let i = 0; i < 5 && (await minus.getAttribute('aria-disabled')) !== 'true'; i++) await page.keyboard.press('Enter');
  await expect(minus).toBeDisabled();
  await expect(minus).toBeFocused();
});

test('Space presses a button reached with Tab, and still plays after a button was clicked with the mouse', async ({ page }) => {
  await page.goto('/');
  const toolbar = page.getByRole('toolbar', { name: 'Playback' });
  await page.getByLabel('Key', { exact: true }).fill('user-1');
  const produce = page.getByRole('button', { name: 'Produce', exact: true });
  for (let i = 0; i < 4 && !(await produce.evaluate((b) => b === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(produce).toBeFocused();
  await page.keyboard.press(' ');
  await expect(toolbar, 'Space sent the record').toContainText('step 1 / 1');
  await expect(toolbar.getByRole('button', { name: 'Play' }), 'and did not play').toBeVisible();
  // Clicked with the mouse, the same button leaves Space to Play.
  await produce.click();
  await expect(toolbar).toContainText('step 2 / 2');
  await page.keyboard.press(' ');
  await expect(toolbar.getByRole('button', { name: 'Pause' })).toBeVisible();
});

test('a button that takes itself or its line away leaves the focus somewhere to go on from, never on the page', async ({ page }, info) => {
  await page.goto('/');
  const toolbar = page.getByRole('toolbar', { name: 'Playback' });
  const play = toolbar.getByRole('button', { name: 'Play' });
  // A lesson picked from the menu: the menu closes on its summary.
  const summary = page.getByText('Lessons', { exact: true });
  await summary.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/lesson\//);
  await expect(summary, `after a lesson was picked: ${await focused(page)}`).toBeFocused();

  // The line offering a scene's steps back: in a live region that was there, empty, before it.
  await page.getByRole('button', { name: 'Consumer crash', exact: true }).click();
  await page.evaluate(() => document.querySelectorAll('[aria-live="polite"]').forEach((el, i) => { el.dataset.before = String(i); }));
  await page.keyboard.press('ArrowRight');
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  const aside = page.getByRole('group', { name: 'Set-aside steps' });
  await expect(aside).toContainText('replaced the');
  expect(await aside.evaluate((el) => el.closest('[aria-live]')?.dataset.before), 'its live region was on the page before it').toBeDefined();
  await aside.getByRole('button', { name: 'Keep my steps' }).click();
  await expect(aside).toHaveCount(0);
  await expect(play, `after Keep my steps: ${await focused(page)}`).toBeFocused();

  // A notice: Escape takes it away first (the panel stays), Dismiss leaves the focus on Play.
  const file = info.outputPath('broken.json');
  writeFileSync(file, '{ not json');
  await openPanel(page);
  const panel = page.getByRole('complementary', { name: 'Editing panel' });
  const notice = page.getByRole('alert').filter({ hasText: 'This file could not be imported' });
  await page.getByLabel('Import').setInputFiles(file);
  await expect(notice).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(notice).toBeHidden();
  await expect(panel, 'Escape took the notice, not the panel').toBeVisible();
  await page.getByLabel('Import').setInputFiles(file);
  await expect(notice).toBeVisible();
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toBeHidden();
  await expect(play, `after Dismiss: ${await focused(page)}`).toBeFocused();

  // A header removed: the focus goes to Add header.
  const addHeader = panel.getByRole('button', { name: 'Add header' });
  await addHeader.click();
  await panel.getByRole('button', { name: 'Remove header 1' }).click();
  await expect(addHeader, `after a header was removed: ${await focused(page)}`).toBeFocused();

  // A group deleted: the focus goes to the form for a new one.
  const minus = page.getByRole('button', { name: 'Remove consumer from sms-notification-service' });
  await minus.click();
  await minus.click();
  await panel.getByRole('region', { name: 'Settings of sms-notification-service' }).getByRole('button', { name: 'Delete group' }).click();
  await expect(panel.getByRole('region', { name: 'Settings of sms-notification-service' })).toHaveCount(0);
  await expect(panel.getByLabel('New group.id'), `after Delete group: ${await focused(page)}`).toBeFocused();
});

test('Shift+→ and N skip the quiet steps to the next thing that happens', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Consumer crash', exact: true }).click();
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  const toolbar = page.getByRole('toolbar', { name: 'Playback' });
  const status = page.getByRole('status').first();
  const step = async () => Number((await toolbar.textContent()).match(/step (\d+) \//)[1]);
  // Into the wait for the crashed consumer's session timeout: tick after quiet tick.
  for (let i = 0; i < 40 && !(await status.textContent()).includes('nothing sent or read'); i++) await page.keyboard.press('ArrowRight');
  await expect(status).toContainText('nothing sent or read');
  for (const key of ['Shift+ArrowRight', 'n']) {
    const before = await step();
    await page.keyboard.press(key);
    await expect.poll(step, `${key} moved on`).toBeGreaterThan(before);
    const after = await step();
    await expect(status, `${key} stopped at step ${after}, where something happened`).not.toContainText('nothing sent or read');
    if (key === 'Shift+ArrowRight') expect(after - before, 'more than one quiet step was passed').toBeGreaterThan(3);
    // Back into the quiet for the second key.
    for (let i = 0; i < 40 && !(await status.textContent()).includes('nothing sent or read'); i++) await page.keyboard.press('ArrowRight');
  }
});

test('inside a scene, N stops at its last step at the latest, and says that it is the end', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Consumer crash', exact: true }).click();
  const max = Number(await page.getByRole('slider', { name: 'Timeline' }).getAttribute('max'));
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  const toolbar = page.getByRole('toolbar', { name: 'Playback' });
  for (let i = 0; i < 40 && !(await toolbar.textContent()).includes(`step ${max} / ${max}`); i++) await page.keyboard.press('n');
  await expect(toolbar).toContainText(`step ${max} / ${max}`);
  await expect(page.getByRole('status').first()).toHaveText('End of “Consumer crash”. Nothing more is sent or read in its steps: step on to let time pass, or produce a record.');
});

test('Shift+→ at a scene\'s end, where nothing more happens, says so and adds no empty minute to the timeline', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Key ordering demo', exact: true }).click();
  const timeline = page.getByRole('slider', { name: 'Timeline' });
  await timeline.fill(await timeline.getAttribute('max'));
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  const toolbar = page.getByRole('toolbar', { name: 'Playback' });
  const status = page.getByRole('status').first();
  const step = async () => Number((await toolbar.textContent()).match(/step (\d+) \//)[1]);
  // Whatever the script's last ticks still bring (a rebalance), then nothing.
  let end = await step();
  for (let i = 0; i < 5 && !(await status.textContent()).includes('Nothing happens'); i++) {
    end = await step();
    const said = await status.textContent();
    await page.keyboard.press('Shift+ArrowRight');
    await expect(status).not.toHaveText(said);
  }
  await expect(status).toContainText(`Nothing happens in the next 60 s of simulated time: no record is sent, read or removed, so the timeline stays at step ${end}.`);
  await expect(toolbar).toContainText(`step ${end} / ${end}`);
  await expect(timeline).toHaveAttribute('max', String(end));
  // A plain → still advances time by one tick.
  await page.keyboard.press('ArrowRight');
  await expect(toolbar).toContainText(`step ${end + 1} / ${end + 1}`);
  await expect(status).toContainText('nothing sent or read');
  // Where something does happen within the minute, Shift+→ goes to it: a record produced.
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  const sent = end + 2;
  await expect(toolbar).toContainText(`step ${sent} / ${sent}`);
  await page.keyboard.press('Shift+ArrowRight');
  await expect.poll(async () => Number((await toolbar.textContent()).match(/step (\d+) \//)[1])).toBeGreaterThan(sent);
  await expect(status).not.toContainText('Nothing happens');
});

test('stepping far past a scene\'s end folds the timeline, its read-out stays clear of the clock at 1280 px, and the slider keeps room to drag', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await page.getByRole('button', { name: 'Key ordering demo', exact: true }).click();
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  const folded = page.locator('.timeline .folded');
  // Past the end every → is a tick of its own: 2,000 of them fold the timeline's first steps
  // (sent in the page, 12,000 round trips from the test would take minutes).
  const ticks = (n) => page.evaluate((n) => { for (let i = 0; i < n; i++) window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight' })); }, n);
  await ticks(2100);
  await expect(folded).toHaveAttribute('aria-label', /^\d+ earlier steps folded$/);
  await ticks(10000);
  await expect(folded).toHaveAttribute('aria-label', /^1\d{4} earlier steps folded$/);
  const readout = await folded.boundingBox();
  const clock = await page.locator('.controls .clock').boundingBox();
  expect(readout.x + readout.width, 'the folded count ends before the clock begins').toBeLessThanOrEqual(clock.x);
  // Five digits and the folded count: the slider still has room (it was 25 px).
  await expect(page.getByRole('toolbar', { name: 'Playback' })).not.toContainText('step 1');
  expect((await page.getByRole('slider', { name: 'Timeline' }).boundingBox()).width, 'the slider can still be dragged').toBeGreaterThanOrEqual(60);
});

test('a lesson stepped on until its first steps fold away drops its URL, which would open another step', async ({ page }) => {
  await page.goto('/#/lesson/key-ordering/3');
  await expect(page).toHaveURL(/#\/lesson\/key-ordering\/3$/);
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.evaluate(() => { for (let i = 0; i < 2100; i++) window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight' })); });
  await expect(page.locator('.timeline .folded')).toHaveAttribute('aria-label', /^\d+ earlier steps folded$/);
  await expect(page).not.toHaveURL(/#\/lesson\//);
});

test('a step by hand, a lesson from the menu and the lesson\'s Previous pause Play; the menu closes on a click outside it', async ({ page }) => {
  await page.goto('/');
  const toolbar = page.getByRole('toolbar', { name: 'Playback' });
  const play = toolbar.getByRole('button', { name: 'Play' });
  const pause = toolbar.getByRole('button', { name: 'Pause' });
  for (const how of ['ArrowLeft', 'PageUp', 'ArrowRight', 'Step back', 'Step forward']) {
    await page.getByRole('heading', { name: 'Kafkascope' }).click();
    await page.keyboard.press('Space');
    await expect(pause).toBeVisible();
    await page.waitForTimeout(1200);
    if (how.startsWith('Step')) await toolbar.getByRole('button', { name: how }).click();
    else await page.keyboard.press(how);
    await expect(play, `${how} paused Play`).toBeVisible();
  }
  // A lesson picked while playing opens paused, on its first step.
  await page.keyboard.press('Space');
  await expect(pause).toBeVisible();
  const menu = page.locator('details.lesson-menu');
  await page.getByText('Lessons', { exact: true }).click();
  await page.getByRole('navigation', { name: 'Lessons' }).getByRole('link').nth(3).click();
  await expect(page).toHaveURL(/#\/lesson\/[a-z-]+\/0$/);
  await expect(play).toBeVisible();
  await page.waitForTimeout(1200);
  await expect(toolbar).toContainText('step 0 / ');
  // Open, the menu covers Play: a click elsewhere closes it.
  await page.getByText('Lessons', { exact: true }).click();
  await expect(menu).toHaveAttribute('open', '');
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await expect(menu).not.toHaveAttribute('open', '');
});

test('Tab from Export reaches Import, and its label shows the focus ring', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  const label = page.locator('label.file-button');
  await expect(label).toHaveText('Import');
  expect(await label.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('none');
  await page.getByRole('button', { name: 'Export' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Import')).toBeFocused();
  expect(await label.evaluate((el) => getComputedStyle(el).outlineStyle), 'the hidden input is focused: its label is ringed').toBe('solid');
});
