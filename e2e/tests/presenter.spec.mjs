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
  for (const key of ['Space or .', '→ or Page Down', '← or Page Up', '+', '−', 'E', 'H', 'B', 'F', '?']) {
    await expect(help.getByText(key, { exact: true })).toBeVisible();
  }
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
  await send({ type: 'load', lesson: 'fan-out', step: 3 });
  await expect.poll(() => page.evaluate(() => window.steps.at(-1))).toMatchObject({ step: 3, lesson: 'fan-out' });
  await expect(frame.getByRole('region', { name: 'Lesson' })).toContainText('Publish/subscribe');
});
