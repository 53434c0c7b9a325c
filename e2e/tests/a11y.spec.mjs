// Accessibility audit: axe-core on every scene, with the editing panel open and closed, finds no
// serious or critical violation; the projector theme's text reads at 4.5:1 or better.
import { test, expect, openPanel, closePanel, stepForward } from './fixtures.mjs';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe in the page (through the DevTools protocol, which the page's CSP does not block). */
async function audit(page, options = {}) {
  await page.evaluate(axeSource);
  return page.evaluate((opts) => window.axe.run(document, opts).then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
  }))), options);
}

/**
 * The contrast of each visible cell's text on the cell's own fill. axe cannot judge it (it calls
 * the cells' text too short, or overlapped by the group markers), so it never saw a tombstone's
 * dark text on a dark cell. Hatched (uncommitted) cells have no single fill and are left out.
 */
async function cellContrasts(page) {
  return page.evaluate(() => {
    const lum = (css) => {
      const [r, g, b] = css.match(/[\d.]+/g).slice(0, 3).map((v) => Number(v) / 255)
        .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a, b) => {
      const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    return [...document.querySelectorAll('.cell:not(.uncommitted) .cell-button')]
      .filter((button) => button.getClientRects().length && getComputedStyle(button).backgroundImage === 'none')
      .flatMap((button) => [...button.querySelectorAll('.cell-offset, .cell-key, .cell-gist')]
        .filter((text) => text.getClientRects().length && text.textContent.trim())
        .map((text) => ({
          text: text.textContent,
          cell: button.getAttribute('aria-label'),
          ratio: Math.round(ratio(getComputedStyle(text).color, getComputedStyle(button).backgroundColor) * 100) / 100,
        })));
  });
}

/** Fails on any cell text under 4.5:1, and when there is no cell to judge. */
async function expectReadableCells(page) {
  const cells = await cellContrasts(page);
  expect(cells.length).toBeGreaterThan(0);
  expect(cells.filter((c) => c.ratio < 4.5)).toEqual([]);
}

const SCENES = ['Key ordering demo', 'Fan-out', 'Consumer crash', 'Data center outage', 'acks=1 loses data'];

for (const scene of SCENES) {
  for (const panel of ['closed', 'open']) {
    test(`axe: ${scene}, editing panel ${panel}: no serious or critical violations`, async ({ page }) => {
      await page.goto('/');
      await page.getByRole('button', { name: scene, exact: true }).click();
      await stepForward(page, 15);
      if (panel === 'open') await openPanel(page); else await closePanel(page);
      await page.waitForTimeout(600); // let this step's tokens land
      const violations = await audit(page, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    });
  }
}

test('axe: a lesson with its Try it, and the keyboard help, have no serious or critical violations', async ({ page }) => {
  await page.goto('/#/lesson/partitions-and-keys/5');
  await expect(page.getByRole('group', { name: 'Try it' })).toBeVisible();
  await page.waitForTimeout(800); // new cells fade in over most of a step
  let violations = await audit(page, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  await page.getByRole('button', { name: 'Help (?)' }).click();
  violations = await audit(page, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  // A verdict credited to the lesson is one line that the keyboard reaches and Enter unfolds.
  await page.keyboard.press('Escape');
  await page.goto('/#/lesson/key-ordering/16');
  const verdict = page.getByRole('group', { name: 'Try it' }).getByRole('status');
  await expect(verdict).toContainText('Go back to step 14:');
  await verdict.focus();
  await page.keyboard.press('Enter');
  await expect(verdict).toHaveClass(/\bunfolded\b/);
  await page.waitForTimeout(800); // new cells fade in over most of a step
  violations = await audit(page, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
});

test('the projector theme: every text reads at 4.5:1 or better (axe color-contrast), in a scene and a lesson', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Projector theme' }).click();
  await expect(page.getByRole('button', { name: 'Projector theme' })).toHaveAttribute('aria-pressed', 'true');
  await stepForward(page, 30);
  // A stopped broker too: its Start button ends an outage demo.
  await page.getByRole('button', { name: 'Stop broker 1' }).click();
  await expect(page.getByRole('button', { name: 'Start broker 1' })).toBeVisible();
  // A crashed instance and its group's countdown.
  await page.getByRole('button', { name: 'Crash sms-2' }).click();
  await expect(page.locator('.session-note').filter({ hasText: 'sms-2' })).toBeVisible();
  await openPanel(page);
  await page.waitForTimeout(600);
  expect(await audit(page, { runOnly: { type: 'rule', values: ['color-contrast'] } })).toEqual([]);
  await expectReadableCells(page);
  await page.goto('/#/lesson/partitions-and-keys/5');
  await page.reload();
  await expect(page.getByRole('button', { name: 'Projector theme' })).toHaveAttribute('aria-pressed', 'true'); // remembered
  await page.waitForTimeout(600);
  expect(await audit(page, { runOnly: { type: 'rule', values: ['color-contrast'] } })).toEqual([]);
  await page.screenshot({ path: 'screenshots/projector-theme-lesson-1280.png' });
  await expectReadableCells(page);
  // A tombstone (a dark cell in the dark theme) among compacted records.
  await page.goto('/#/lesson/retention-and-compaction/271');
  await expect(page.locator('.cell.tombstone')).not.toHaveCount(0);
  await page.waitForTimeout(600);
  expect(await audit(page, { runOnly: { type: 'rule', values: ['color-contrast'] } })).toEqual([]);
  await expectReadableCells(page);
  // And in the dark theme.
  await page.keyboard.press('p');
  await expect(page.getByRole('button', { name: 'Projector theme' })).toHaveAttribute('aria-pressed', 'false');
  await expectReadableCells(page);
});

test('P turns the projector theme on and off, as its button does', async ({ page }) => {
  await page.goto('/');
  const button = page.getByRole('button', { name: 'Projector theme' });
  await expect(button).toHaveAttribute('aria-pressed', 'false');
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('p');
  await expect(button).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.app.projector')).toHaveCount(1);
  await page.keyboard.press('P');
  await expect(button).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator('.app.projector')).toHaveCount(0);
});
