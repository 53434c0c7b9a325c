// Hostile input: links and files that are malformed, truncated, tampered with, too large, of a
// future version, or that refer to what does not exist. Each shows a sentence saying what is wrong
// and leaves the stage exactly as it was. Never a panic, never a frozen page.
import { test, expect, produce, openPanel, stopStream } from './fixtures.mjs';
import { payload } from './payload.mjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const scene = readFileSync(fileURLToPath(new URL('../../assets/scenes/key-ordering.json', import.meta.url)), 'utf8');
const compact = JSON.stringify(JSON.parse(scene));
const good = payload(compact, 3);
const flip = (s, i) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
const withConfig = (config) => JSON.stringify({ version: 2, name: 'x', config, setup: [] });
const produceTo = (topic) => ({ Produce: { producer: 'p', topic, key: 'k', value: 'v' } });

const LINKS = {
  'an empty link': '',
  'characters outside base64': '!!!',
  'a payload cut to 10%': good.slice(0, Math.floor(good.length / 10)),
  'a payload cut in half': good.slice(0, Math.floor(good.length / 2)),
  'a payload missing its last character': good.slice(0, -1),
  'a flipped character at the start': flip(good, 2),
  'a flipped character in the middle': flip(good, Math.floor(good.length / 2)),
  'a flipped character at the end': flip(good, good.length - 2),
  'a cursor past the end of the timeline': payload(compact, 999),
  'a zip bomb': payload(' '.repeat(3_000_000), 0),
  'a future version inside': payload(JSON.stringify({ version: 99, name: 'x' }), 0),
  'a command on a missing topic': payload(JSON.stringify({ version: 2, name: 'x', steps: [{ command: produceTo('nope') }] }), 0),
};

const FILES = {
  'an HTML page': '<html><body>not a scenario</body></html>',
  'a JSON array': '[1, 2]',
  'no version': '{"name": "x"}',
  'version 0': '{"version": 0, "name": "x"}',
  'a future version': '{"version": 99, "name": "x"}',
  'truncated JSON': scene.slice(0, Math.floor(scene.length / 2)),
  'an unknown field': JSON.stringify({ version: 2, name: 'x', captoin: 'typo' }),
  'an unknown command': JSON.stringify({ version: 2, name: 'x', setup: [{ Explode: {} }] }),
  'four billion brokers': withConfig({ brokers: 4000000000 }),
  'a start time near the end of u64': '{"version": 2, "name": "x", "config": {"start_time_ms": 18446744073709551000}}',
  'zero-millisecond ticks': withConfig({ tick_ms: 0 }),
  'a step producing to a missing topic': JSON.stringify({ version: 2, name: 'x', steps: [{ command: produceTo('nope') }] }),
  'a crash of a missing member': JSON.stringify({ version: 2, name: 'x', setup: [{ CreateTopic: { name: 't', partitions: 1, config: {} } }], steps: [{ command: { CrashConsumer: { group: 'g', member_id: 'g-7' } } }] }),
  'a step repeated zero times': JSON.stringify({ version: 2, name: 'x', steps: [{ command: 'Tick', repeat: 0 }] }),
  'a chapter past the end': JSON.stringify({ version: 2, name: 'x', steps: [{ command: 'Tick' }], chapters: [{ title: 'c', first_step: 9, text: '' }] }),
  'three topics of 1000 partitions': JSON.stringify({ version: 2, name: 'x', setup: ['a', 'b', 'c'].map((n) => ({ CreateTopic: { name: n, partitions: 1000, config: {} } })) }),
  'a file over 1 MB': JSON.stringify({ version: 2, name: 'x'.repeat(1_100_000) }),
  'a consumer group without a name': JSON.stringify({ version: 2, name: 'x', setup: [{ CreateTopic: { name: 't', partitions: 1, config: {} } }, { AddConsumer: { group: '', client_id: 'c', group_instance_id: null, topics: ['t'] } }] }),
  'a consumer without a name': JSON.stringify({ version: 2, name: 'x', setup: [{ CreateTopic: { name: 't', partitions: 1, config: {} } }, { AddConsumer: { group: 'g', client_id: '', group_instance_id: null, topics: ['t'] } }] }),
};

async function stageState(page) {
  return page.getByRole('list', { name: /^Partition \d+ of / }).evaluateAll(
    (lists) => lists.map((l) => `${l.getAttribute('aria-label')}: ${[...l.querySelectorAll('li')].map((li) => li.getAttribute('aria-label')).join(' | ')}`),
  );
}

async function prepared(page) {
  await page.goto('/');
  await produce(page, 'foobar');
  await produce(page, 'kafka');
  return stageState(page);
}

test(`at least 20 hostile inputs are tried (${Object.keys(LINKS).length} links, ${Object.keys(FILES).length} files)`, () => {
  expect(Object.keys(LINKS).length + Object.keys(FILES).length).toBeGreaterThanOrEqual(20);
});

test('the forged good link itself opens (so the hostile ones fail for their own reason)', async ({ page }) => {
  await page.goto(`/#/s/${good}`);
  await expect(page.getByRole('toolbar', { name: 'Playback' })).toContainText('step 3 / ');
  await expect(page.getByRole('alert').filter({ hasText: 'could not' })).toHaveCount(0);
});

for (const [what, bad] of Object.entries(LINKS)) {
  test(`a link with ${what} is refused with a sentence and changes nothing`, async ({ page }) => {
    const before = await prepared(page);
    await page.evaluate((fragment) => { location.hash = fragment; }, `#/s/${bad}`);
    const notice = page.getByRole('alert').filter({ hasText: 'This link could not be opened' });
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('The stage is unchanged.');
    expect(await stageState(page)).toEqual(before);
    await produce(page, 'abc'); // still responsive
    await expect(page.getByRole('listitem', { name: 'Offset 1, key abc' })).toBeVisible();
  });
}

// The refused address leaves the address bar: a reload (or the same link in a new tab) opens
// the saved session the sentence promised, not the default scene over it.
for (const bad of ['#/s/garbage', '#/lesson/nope/0']) {
  test(`a refused address ${bad} survives a reload and a new tab with the session unchanged`, async ({ page, context }) => {
    const before = await prepared(page);
    await page.waitForTimeout(1200); // the autosave (at most once a second) has the last step
    await page.evaluate((fragment) => { location.hash = fragment; }, bad);
    await expect(page.getByRole('alert')).toBeVisible();
    await expect(page, 'the refused address is gone from the bar').not.toHaveURL(new RegExp(bad.replace(/[/#]/g, '\\$&')));
    await page.reload();
    await expect(page.getByRole('list', { name: /^Partition \d+ of / }).first()).toBeVisible();
    expect(await stageState(page), 'the reload opened the session').toEqual(before);
    const tab = await context.newPage();
    await tab.goto(`/${bad}`);
    await expect(tab.getByRole('alert')).toBeVisible();
    expect(await stageState(tab), 'a new tab with the refused link opens the session too').toEqual(before);
    await tab.close();
  });
}

for (const [what, text] of Object.entries(FILES)) {
  test(`a file with ${what} is refused with a sentence and changes nothing`, async ({ page }, info) => {
    const before = await prepared(page);
    const file = info.outputPath('hostile.json');
    writeFileSync(file, text);
    await openPanel(page);
    await page.getByLabel('Import').setInputFiles(file);
    const notice = page.getByRole('alert').filter({ hasText: 'This file could not be imported' });
    await expect(notice).toBeVisible({ timeout: 10_000 });
    await expect(notice).toContainText('The stage is unchanged.');
    expect(await stageState(page)).toEqual(before);
  });
}

test('a file with no topic at all opens, and the Key field says where to add one instead of "to :"', async ({ page }, info) => {
  await page.goto('/');
  const file = info.outputPath('empty.json');
  writeFileSync(file, JSON.stringify({ version: 2, name: 'empty' }));
  await openPanel(page);
  await page.getByLabel('Import').setInputFiles(file);
  await expect(page.getByRole('list', { name: /^Partition \d+ of / })).toHaveCount(0);
  const hint = page.locator('.quick-produce .hint');
  await expect(hint).toHaveText('No topic yet: add one in Edit → Topics (Add topic).');
  await page.getByLabel('Key', { exact: true }).fill('user-42');
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is no topic yet' })).toHaveText('There is no topic yet: add one in Edit → Topics (Add topic).');
});

test('a session grown past 1 MB keeps its last saved copy that fit and says so, rather than losing it all on reload', async ({ page }) => {
  await page.goto('/');
  await stopStream(page);
  await openPanel(page);
  // Each send is under max.request.size (1 MB); the Value field is refilled after each send.
  // Four different values (four identical sends would be saved as one step repeated).
  let sent = 0;
  const send = async () => {
    await page.getByRole('textbox', { name: 'Value' }).fill('abcd'[sent++].repeat(300_000));
    await page.getByRole('button', { name: 'Produce', exact: true }).click();
  };
  const notice = page.getByRole('alert').filter({ hasText: 'This session has grown to' });
  for (let i = 0; i < 3; i++) await send();
  await expect(page.getByRole('listitem', { name: /^Offset \d+, key / })).toHaveCount(3);
  await expect(notice).toBeHidden();
  await page.waitForTimeout(1200); // the session is saved at most once a second
  await send();
  await expect(page.getByRole('listitem', { name: /^Offset \d+, key / })).toHaveCount(4);
  await expect(notice).toContainText('more than the 1 MB that a link, a file or this browser\'s saved copy holds');
  // A link or a file of it would not open again: both are refused with the same sentence.
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('dialog', { name: 'Link to this state' })).toHaveCount(0);
  await expect(notice).toBeVisible();
  await page.waitForTimeout(1200);
  await page.reload();
  await expect(page.getByRole('listitem', { name: /^Offset \d+, key / })).toHaveCount(3);
  await expect(page.getByRole('alert').filter({ hasText: 'could not be restored' })).toHaveCount(0);
});
