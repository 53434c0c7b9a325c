// Presenter mode: the keys a clicker and a lecturer use, the blanked screen, and embedding in a
// slide deck (?embed) driven by postMessage.
import { test, expect, openPanel } from './fixtures.mjs';

test('clicker keys step, Space and "." play, B blanks, H hides the panel, ? lists every key', async ({ page }) => {
  await page.goto('/#/lesson/key-ordering/0');
  const toolbar = page.getByRole('toolbar', { name: 'Playback' });
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('PageDown');
  await page.keyboard.press('PageDown');
  await expect(toolbar).toContainText('step 2 / ');
  await page.keyboard.press('PageUp');
  await expect(toolbar).toContainText('step 1 / ');
  await page.keyboard.press('.');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.keyboard.press('.');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await page.keyboard.press('b');
  const blank = page.getByRole('dialog', { name: 'Screen blanked: press B to show it again' });
  await expect(blank).toBeVisible();
  await expect(blank).toHaveCSS('background-color', 'rgb(0, 0, 0)');
  await page.keyboard.press('b');
  await expect(blank).toHaveCount(0);
  await openPanel(page);
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('h');
  await expect(page.getByRole('complementary', { name: 'Editing panel' })).toBeHidden();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  for (const key of ['Space or .', '→', 'Page Down, Shift+→ or N', '←', 'Page Up or Shift+←', '+', '−', 'E', 'H', 'B', 'F', '?']) {
    await expect(help.getByText(key, { exact: true })).toBeVisible();
  }
});

test('the single-character keys can be turned off in the help (speech input), and the choice is remembered', async ({ page }) => {
  await page.goto('/');
  const toolbar = page.getByRole('toolbar', { name: 'Playback' });
  const panel = page.getByRole('complementary', { name: 'Editing panel' });
  const blank = page.getByRole('dialog', { name: /Screen blanked/ });
  await page.getByRole('button', { name: 'Help (?)' }).click();
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  const letters = help.getByRole('checkbox', { name: /^Single-character keys/ });
  await expect(letters).toBeChecked();
  await letters.uncheck();
  await help.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  for (const key of ['b', 'e', 'n', '+', '?']) await page.keyboard.press(key);
  await expect(blank).toHaveCount(0);
  await expect(panel).toBeHidden();
  await expect(help).toHaveCount(0);
  await expect(toolbar).toContainText('step 0 / ');
  await expect(toolbar).toContainText('2/s');
  // The arrows and Space still work.
  await page.keyboard.press('ArrowRight');
  await expect(toolbar).toContainText('step 1 / ');
  await page.reload();
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('e');
  await expect(panel, 'still off after a reload').toBeHidden();
  await page.getByRole('button', { name: 'Help (?)' }).click();
  await letters.check();
  await help.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('e');
  await expect(panel).toBeVisible();
});

test('a clicker\'s Page Down passes over the quiet ticks of a lesson, where → takes one tick', async ({ page }) => {
  // Retention waits 25 s (250 ticks) between its second send and the deleted segments.
  await page.goto('/#/lesson/retention-and-compaction/2');
  const lesson = page.getByRole('region', { name: 'Lesson' });
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('ArrowRight');
  await expect(lesson).toContainText('step 3 of');
  await page.keyboard.press('PageDown');
  await expect(lesson).toContainText('step 252 of');
  await expect(page.getByRole('status').first()).toContainText('retention deleted both segments');
  await page.keyboard.press('PageUp');
  await expect(lesson).toContainText('step 2 of');
  // A chapter that begins on a quiet tick, with a task, is a place to stop too.
  await page.goto('/#/lesson/topics-and-offsets/355');
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('PageDown');
  await expect(lesson).toContainText('step 365 of');
  await expect(lesson).toContainText('Offsets are never reused');
  // At the lesson's last step Page Down stays there rather than ticking on.
  await page.goto('/#/lesson/retention-and-compaction/381');
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('PageDown');
  await expect(lesson).toContainText('step 382 of 382');
  await page.keyboard.press('PageDown');
  await expect(page.getByRole('toolbar', { name: 'Playback' })).toContainText('step 382 / 382');
});

test('?embed shows only the stage, follows postMessage commands and reports every step', async ({ page, baseURL }) => {
  // A slide deck from another origin (localhost, not 127.0.0.1) embeds the page.
  await page.goto(baseURL.replace('127.0.0.1', 'localhost') + '/test-pages/deck.html');
  const frame = page.frameLocator('#k');
  await expect(frame.getByRole('list', { name: /^Partition 0 of / })).toBeVisible();
  await expect(frame.getByRole('toolbar', { name: 'Playback' })).toBeHidden();
  await expect(frame.getByRole('button', { name: 'Key ordering demo' })).toBeHidden();
  const send = (message) => page.evaluate((m) => document.getElementById('k').contentWindow.postMessage(m, '*'), message);
  await send({ type: 'next' });
  await send({ type: 'next' });
  await expect.poll(() => page.evaluate(() => window.steps.at(-1)?.step)).toBe(2);
  await send({ type: 'goto', step: 7 });
  await expect.poll(() => page.evaluate(() => window.steps.at(-1))).toMatchObject({ type: 'stepchanged', step: 7, lesson: 'key-ordering' });
  await send({ type: 'previous' });
  await expect.poll(() => page.evaluate(() => window.steps.at(-1)?.step)).toBe(6);
  // A lesson that does not exist: the slide says which do (it has no Lessons menu), and the
  // deck hears it too.
  await send({ type: 'load', lesson: 'nope' });
  const refusal = "There is no lesson 'nope'. The lessons are events-and-messages, topics-and-offsets,";
  await expect.poll(() => page.evaluate(() => window.errors.at(-1) ?? '')).toContain(refusal);
  await expect(frame.getByRole('alert')).toContainText(refusal);
  await expect(frame.getByRole('alert')).not.toContainText('Lessons menu');
  await send({ type: 'load', lesson: 'fan-out', step: 3 });
  await expect.poll(() => page.evaluate(() => window.steps.at(-1))).toMatchObject({ step: 3, lesson: 'fan-out' });
  await expect(frame.getByRole('region', { name: 'Lesson' })).toContainText('Publish/subscribe');
  await expect(frame.getByRole('alert'), 'the refusal goes once a lesson loads').toBeHidden();
});

test('a lesson address with a step that is not a number, or an unknown address, is told rather than dropped', async ({ page }) => {
  await page.goto('/#/lesson/key-ordering/four');
  const lesson = page.getByRole('region', { name: 'Lesson' });
  await expect(lesson).toContainText('step 0 of');
  await expect(page).toHaveURL(/#\/lesson\/key-ordering\/0$/);
  await expect(page.getByRole('alert')).toContainText("'four' is not a step of a lesson: steps are numbered 0, 1, 2, ...");
  await page.goto('/#/lesson/key-ordering/18446744073709551616');
  await expect(lesson).toContainText('step 69 of 69');
  await expect(page.getByRole('alert'), 'a step past the end says where it landed').toContainText("has steps 0 to 69: this is its last step.");
  // The sentence stands under the stage, over nothing (at its top it hid the brokers' Stop).
  const [stage, alert] = await Promise.all([page.getByRole('main').boundingBox(), page.getByRole('alert').boundingBox()]);
  expect(alert.y, 'the notice begins below the stage').toBeGreaterThanOrEqual(stage.y + stage.height - 1);
  await expect(page).toHaveURL(/#\/lesson\/key-ordering\/69$/);
  await page.goto('/#/foo');
  await expect(page.getByRole('alert')).toContainText("The address '#/foo' names nothing here");
  await expect(page.getByRole('alert')).toContainText('Pick one from the Lessons menu.');
});
