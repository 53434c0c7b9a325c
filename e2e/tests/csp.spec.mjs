// The page works under a strict Content-Security-Policy (served with every response by
// serve-dist.mjs): no inline script or style anywhere. Every test's fixture fails on a
// `securitypolicyviolation`; this one walks every scene, the panel, the inspector and a stream.
import { test, expect, lane, produce, openPanel, stepForward } from './fixtures.mjs';
import { CSP } from '../csp.mjs';

test('the app runs under a strict CSP without a single violation, and may be framed', async ({ page }) => {
  const response = await page.goto('/');
  expect(response.headers()['content-security-policy']).toBe(CSP);
  expect(response.headers()['x-frame-options']).toBeUndefined();
  expect(CSP).not.toContain('frame-ancestors');
  await expect(lane(page, 0)).toBeVisible();
  for (const scene of ['Key ordering demo', 'Consumer crash', 'Fan-out']) {
    await page.getByRole('button', { name: scene }).click();
    await stepForward(page, 12);
  }
  await openPanel(page);
  await produce(page, 'foobar');
  await lane(page, 0).getByRole('listitem').last().getByRole('button').click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  // Inline styles would be refused: colours come from classes, positions from CSSOM properties.
  expect(await page.evaluate(() => document.querySelectorAll('[style]').length)).toBeGreaterThan(0);
  expect(await page.evaluate(() => [...document.scripts].filter((s) => !s.src).length)).toBe(0);
  const violations = await page.evaluate(() => window.__cspViolations);
  expect(violations).toEqual([]);
});
