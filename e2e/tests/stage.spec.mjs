// The stage fits a projector: every producer, lane and consumer instance is on screen without
// scrolling the page, at 1280x720 and 1920x1080, in every scene; records travel as tokens found
// by role and name. Screenshots of each scene (and mid-animation) go to screenshots/.
import { test, expect, lane, produce, stopStream, stepForward, stepUntil, instance, groupBox, GROUPS, TOPIC, growTopic, readTrail, smallText } from './fixtures.mjs';

const SIZES = [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }];
const SCENES = [null, 'Key ordering demo', 'Fan-out', 'Consumer crash', 'Data center outage', 'acks=1 loses data'];

/** Every producer, lane and instance on the stage, by role and name. */
function stageParts(page) {
  return [
    page.getByRole('article', { name: /^Producer / }),
    page.getByRole('list', { name: /^Partition \d+ of / }),
    page.getByRole('list', { name: /^Instances of / }).getByRole('listitem'),
  ];
}

/** The part of an element not clipped by any scrolling or clipping ancestor (viewport pixels). */
function visibleBox(el) {
  let r = el.getBoundingClientRect();
  let box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  for (let a = el.parentElement; a; a = a.parentElement) {
    const style = getComputedStyle(a);
    if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
      const c = a.getBoundingClientRect();
      box = { left: Math.max(box.left, c.left), top: Math.max(box.top, c.top), right: Math.min(box.right, c.right), bottom: Math.min(box.bottom, c.bottom) };
    }
  }
  return { whole: { left: r.left, top: r.top, right: r.right, bottom: r.bottom }, visible: box };
}

async function expectAllOnScreen(page, size, what) {
  let seen = 0;
  for (const parts of stageParts(page)) {
    for (const part of await parts.all()) {
      const { whole, visible } = await part.evaluate(visibleBox);
      const name = await part.getAttribute('aria-label');
      expect(visible, `${what}: ${name} is not clipped by a scrolling area`).toEqual(whole);
      const box = await part.boundingBox();
      expect(box, `${what}: ${await part.getAttribute('aria-label')} is rendered`).not.toBeNull();
      expect(box.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
      expect(box.y, `${what}: top edge`).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, `${what}: right edge of ${await part.getAttribute('aria-label')}`).toBeLessThanOrEqual(size.width + 0.5);
      expect(box.y + box.height, `${what}: bottom edge of ${await part.getAttribute('aria-label')}`).toBeLessThanOrEqual(size.height + 0.5);
      seen++;
    }
  }
  const { scrollHeight, innerHeight } = await page.evaluate(() => ({ scrollHeight: document.documentElement.scrollHeight, innerHeight }));
  expect(scrollHeight, `${what}: the page does not scroll`).toBeLessThanOrEqual(innerHeight);
  expect(await page.evaluate(smallText), `${what}: no visible text is smaller than 14 px`).toEqual([]);
  // The producers' column holds the key, its hash math and the partition it gives: none of it
  // scrolled out of view or cut in half at the column's foot.
  const hidden = await page.getByRole('region', { name: 'Producers' }).evaluate((el) => el.scrollHeight - el.clientHeight);
  expect(hidden, `${what}: the producers' column shows all it holds`).toBeLessThanOrEqual(0);
  return seen;
}

for (const size of SIZES) {
  test.describe(`at ${size.width}x${size.height}`, () => {
    test.use({ viewport: size });

    for (const scene of SCENES) {
      const name = scene ?? 'default scene';
      test(`${name}: every producer, lane and instance fits without scrolling`, async ({ page }) => {
        await page.goto('/');
        // Counted once the stage is drawn: a count taken while the page still loads finds nothing
        // (a slow clean-clone run once read 0 parts here).
        await expect(page.getByRole('list', { name: /^Partition \d+ of / }).first()).toBeVisible();
        if (scene) await page.getByRole('button', { name: scene, exact: true }).click();
        const tag = `${name.toLowerCase().replace(/ /g, '-')}-${size.width}`;
        expect(await expectAllOnScreen(page, size, `${name} at start`)).toBeGreaterThanOrEqual(3);
        await page.screenshot({ path: `screenshots/${tag}-start.png` });
        // Later in the scene: its script played out, or the stream running for 12 s.
        const timeline = page.getByRole('slider', { name: 'Timeline' });
        if (Number(await timeline.getAttribute('max')) > 0) {
          await timeline.fill(await timeline.getAttribute('max'));
        } else {
          await stepForward(page, 120);
        }
        await expectAllOnScreen(page, size, `${name} later`);
        await page.screenshot({ path: `screenshots/${tag}-later.png` });
        // Mid-animation: one more step, caught while its tokens travel.
        await stepForward(page, 1);
        await page.waitForTimeout(150);
        await page.screenshot({ path: `screenshots/${tag}-mid-animation.png` });
      });
    }

    test('six partitions and three groups of four instances all fit', async ({ page }) => {
      await page.goto('/');
      await growTopic(page, 6);
      for (const group of GROUPS) {
        const box = page.getByRole('region', { name: group, exact: true });
        while ((await box.getByRole('listitem').count()) < 4) await box.getByRole('button', { name: 'Add consumer' }).click();
      }
      await stepForward(page, 60);
      expect(await expectAllOnScreen(page, size, '6 partitions, 12 instances')).toBe(1 + 6 + 12);
      await page.screenshot({ path: `screenshots/six-partitions-twelve-instances-${size.width}.png` });
    });

    test('32 partitions compress into the cluster area, which scrolls on its own', async ({ page }) => {
      await page.goto('/');
      await growTopic(page, 32);
      await stepForward(page, 40);
      const lanes = page.getByRole('list', { name: /^Partition \d+ of / });
      await expect(lanes).toHaveCount(32);
      for (const l of await lanes.all()) {
        await l.scrollIntoViewIfNeeded();
        const box = await l.boundingBox();
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.y + box.height).toBeLessThanOrEqual(size.height);
      }
      const page_scroll = await page.evaluate(() => ({ top: document.scrollingElement.scrollTop, sh: document.documentElement.scrollHeight, ih: innerHeight }));
      expect(page_scroll.top).toBe(0);
      expect(page_scroll.sh).toBeLessThanOrEqual(page_scroll.ih);
      await lane(page, 0).scrollIntoViewIfNeeded();
      await page.screenshot({ path: `screenshots/thirty-two-partitions-${size.width}.png` });
    });
  });
}

test('a produced record travels from its producer through the hash stage to its lane, then to each group', async ({ page }) => {
  await page.goto('/');
  await stopStream(page);
  await page.getByRole('slider', { name: 'Speed' }).fill('1'); // one step per second: slow tokens
  await produce(page, 'foobar'); // partition 0 of 3 (Kafka's vector)
  const token = page.getByRole('img', { name: 'Record key foobar travelling to partition 0, offset 0' });
  const producer = page.getByRole('article', { name: 'Producer products-microservice' });
  const target = lane(page, 0);
  await expect(token).toHaveCount(1);
  // Sample frames until one shows the token strictly between the producer and the lane.
  const between = await token.evaluate(async (el, [p, l]) => {
    const centre = (r) => ({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
    for (let frame = 0; frame < 120; frame++) {
      await new Promise((r) => requestAnimationFrame(r));
      const t = centre(el.getBoundingClientRect());
      const from = document.querySelector(p).getBoundingClientRect();
      const to = document.querySelector(l).getBoundingClientRect();
      if (t.x > from.right && t.x < to.right && getComputedStyle(el).opacity > 0.2) return { frame, x: t.x, from: from.right, to: to.right };
    }
    return null;
  }, [`[aria-label="${await producer.getAttribute('aria-label')}"]`, `[aria-label="${await target.getAttribute('aria-label')}"]`]);
  expect(between, 'a frame with the token between its producer and its lane').not.toBeNull();
  await page.screenshot({ path: 'screenshots/token-in-flight.png' });
  await expect(target.getByRole('listitem', { name: 'Offset 0, key foobar' })).toBeVisible();
  // The partitioner shows the last send, and says that it is the last: with a stream on, the next
  // record's math replaces it within a tick.
  const hash = page.getByRole('region', { name: 'Hash stage' });
  await expect(hash.getByRole('heading')).toHaveText('Partitioner · last send');
  await expect(hash).toContainText('ProductCreatedEvent → partition 0, offset 0');

  // Once the followers have copied it (they fetch in flight, a tick each way) it is committed,
  // and on that tick SMS and Push read it at once, their fetch tokens in flight together.
  await stepUntil(page, async () => (await page.getByRole('img', { name: 'Record P0@0 read by sms-1' }).count()) > 0, 4);
  await expect(page.getByRole('img', { name: 'Record P0@0 read by push-1' })).toHaveCount(1);
  expect(await readTrail(instance(page, 'sms-notification-service', 'sms-1'))).toEqual(['P0@0']);
  expect(await readTrail(instance(page, 'push-notification-service', 'push-1'))).toEqual(['P0@0']);
  // Email processes one record per second: its instance reads it within ten ticks.
  let steps = 3;
  while (!(await readTrail(instance(page, 'email-notification-service', 'email-1'))).includes('P0@0')) {
    await stepForward(page, 1);
    expect(++steps).toBeLessThanOrEqual(11);
  }
});

test("an instance's read trail runs each partition's offsets in order and interleaves partitions", async ({ page }) => {
  await page.goto('/');
  // sms-1 owns P0 and P1 in the Fan-out scene; the stream fills both.
  const sms1 = instance(page, 'sms-notification-service', 'sms-1');
  const partitionsRead = async () => new Set((await readTrail(sms1)).map((r) => r.split('@')[0])).size;
  await stepUntil(page, async () => (await partitionsRead()) === 2, 80);
  const trail = await readTrail(sms1);
  expect(trail.length).toBeLessThanOrEqual(5);
  const last = {};
  for (const read of trail) {
    const [p, offset] = read.slice(1).split('@').map(Number);
    if (p in last) expect(offset, `${read} after P${p}@${last[p]}`).toBeGreaterThan(last[p]);
    last[p] = offset;
  }
  // What is drawn is what is said: one square per read (newest first in the markup, drawn right
  // to left), its offset, its partition's colour, and the partition named where a run begins.
  const squares = sms1.locator('.trail .read');
  const drawn = [...trail].reverse().map((r, i, newestFirst) => {
    const [p, offset] = r.slice(1).split('@');
    const runStarts = i === newestFirst.length - 1 || !newestFirst[i + 1].startsWith(`P${p}@`);
    return runStarts ? r : offset;
  });
  await expect(squares).toHaveText(drawn);
  for (const [i, read] of [...trail].reverse().entries()) {
    await expect(squares.nth(i)).toHaveClass(new RegExp(`\\bp${read.slice(1).split('@')[0]}\\b`));
  }
});

test('a read its instance fetched but never processed stays hollow on the crashed card; a processed one is filled', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Consumer crash', exact: true }).click();
  // The scene crashes email-1 after it processed its batch (process, then commit) and sms-1 after
  // it committed its batch but before processing it (commit, then process).
  const email1 = instance(page, 'email-notification-service', 'email-1');
  const sms1 = instance(page, 'sms-notification-service', 'sms-1');
  await stepUntil(page, async () => (await sms1.getAttribute('class')).includes('crashed') && (await email1.getAttribute('class')).includes('crashed'), 20);
  const emailReads = await readTrail(email1, { processed: true });
  const smsReads = await readTrail(sms1, { processed: true });
  expect(emailReads.length).toBeGreaterThan(0);
  expect(smsReads.length).toBeGreaterThan(0);
  expect(emailReads.every(([, done]) => done), JSON.stringify(emailReads)).toBe(true);
  expect(smsReads.every(([, done]) => !done), JSON.stringify(smsReads)).toBe(true);
  // Drawn alike: hollow squares for sms-1, filled ones for email-1.
  await expect(sms1.locator('.trail .read:not(.unprocessed)')).toHaveCount(0);
  await expect(sms1.locator('.trail .read.unprocessed')).toHaveCount(smsReads.length);
  await expect(email1.locator('.trail .read.unprocessed')).toHaveCount(0);
});

test('after a rebalance an instance no longer shows its last read of a partition it gave away', async ({ page }) => {
  await page.goto('/');
  // sms-2 owns P2 in the Fan-out scene; the stream gives it something to read.
  const sms2 = instance(page, 'sms-notification-service', 'sms-2');
  await stepUntil(page, async () => (await readTrail(sms2)).some((r) => r.startsWith('P2@')), 60);
  // A third instance: the range assignor gives sms-2 P1 and sms-3 P2.
  await groupBox(page, 'sms-notification-service').getByRole('button', { name: 'Add consumer' }).click();
  await stepUntil(page, async () => (await sms2.locator('.chip').allTextContents()).join(' ') === 'P1', 20);
  expect((await readTrail(sms2)).some((r) => r.startsWith('P2@'))).toBe(false);
  // Once it reads its new partition, that read shows, and only reads of it.
  await stepUntil(page, async () => (await readTrail(sms2)).length > 0, 80);
  expect((await readTrail(sms2)).every((r) => r.startsWith('P1@'))).toBe(true);
});

test('stepping back shows the earlier state and plays nothing backwards', async ({ page }) => {
  await page.goto('/');
  await stopStream(page);
  await produce(page, 'foobar');
  await stepForward(page, 1);
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('img')).toHaveCount(0);
  expect(await readTrail(instance(page, 'sms-notification-service', 'sms-1'))).toEqual([]);
  await expect(lane(page, 0).getByRole('listitem', { name: 'Offset 0, key foobar' })).toBeVisible();
});

test('with reduced motion no token flies; the landed cell and the readers light up instead', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('/');
  await stopStream(page);
  await produce(page, 'foobar');
  const landed = lane(page, 0).getByRole('listitem', { name: 'Offset 0, key foobar' });
  await expect(landed).toHaveClass(/fresh/);
  // Its ring is the reduced-motion one (thick, in the warning colour), though it also carries the
  // last send's key.
  await expect(landed).toHaveClass(/same-key/);
  const ring = await landed.locator('.cell-button').evaluate((el) => getComputedStyle(el).boxShadow);
  expect(ring).toMatch(/ 0px 0px 0px 4px/);
  await expect(page.getByRole('img')).toHaveCount(0);
  const sms1 = instance(page, 'sms-notification-service', 'sms-1');
  await stepUntil(page, async () => /just-read/.test(await sms1.getAttribute('class')), 4);
  await expect(page.getByRole('img')).toHaveCount(0);
});

test('the editing panel opens and closes with its button and the E key', async ({ page }) => {
  await page.goto('/');
  const panel = page.getByRole('complementary', { name: 'Editing panel' });
  await expect(panel).toBeHidden();
  await page.getByRole('heading', { name: 'Kafkascope' }).click();
  await page.keyboard.press('e');
  await expect(panel).toBeVisible();
  await expect(page.getByRole('button', { name: 'Edit', exact: true })).toHaveAttribute('aria-expanded', 'true');
  for (const name of ['Topic', 'Value', 'Partitioner', 'Partition']) await expect(panel.getByLabel(name, { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await expect(panel).toBeHidden();
});

test("a key cut short in a cell ends its head at a whole character, so its ellipsis meets the kept last character", async ({ page }) => {
  await page.goto('/#/lesson/key-ordering/7');
  const heads = page.locator('.cell .key-head.tailed');
  await expect(heads.first()).toBeVisible();
  // The blank a head leaves after its ellipsis: its width past the last whole character it holds.
  const blanks = await heads.evaluateAll((els) => els.map((el) => {
    const probe = document.createElement('span');
    probe.textContent = '0';
    el.parentElement.append(probe);
    const ch = probe.getBoundingClientRect().width;
    probe.remove();
    const width = el.getBoundingClientRect().width;
    return width - Math.floor(width / ch) * ch;
  }));
  expect(blanks.length).toBeGreaterThanOrEqual(3);
  for (const blank of blanks) expect(blank, 'the blank between "…" and the last character, in px').toBeLessThanOrEqual(1);
});
