import { test, expect, lane, produce, openPanel, groupSettings, TOPIC, growTopic, stopStream } from './fixtures.mjs';

test('HTML in a key and a header renders as text, never as markup', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  const evil = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
  await page.getByRole('button', { name: 'Add header' }).click();
  await page.getByRole('textbox', { name: 'Header name 1' }).fill('<script>alert(1)</script>');
  await page.getByRole('textbox', { name: 'Header value 1' }).fill('<i>x</i>');
  await produce(page, evil);
  // The lane quotes and spells out a key with quotes in it, as the narration and the inspector do.
  const spelled = `"${evil.replaceAll('"', '\\"').replaceAll(' ', '␣')}"`;
  const item = page.getByRole('listitem', { name: `Offset 0, key ${spelled}` });
  await expect(item).toHaveCount(1);
  await item.getByRole('button').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(spelled);
  await expect(dialog).toContainText('<script>alert(1)</script>: <i>x</i>');
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  await expect(page.locator('main b, main img, [role=dialog] i, [role=dialog] script')).toHaveCount(0);
});

test('the inspector shows every field of a record', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  await page.getByLabel('Value', { exact: true }).fill('{"productId":"p-1","price":1129}');
  await produce(page, 'kafka'); // partition 1 of 3
  await lane(page, 1).getByRole('listitem', { name: 'Offset 0, key kafka' }).getByRole('button').click();
  const dialog = page.getByRole('dialog', { name: /Record product-created-events-topic-1 @ offset 0/ });
  for (const field of ['Offset', 'Partition', 'Timestamp', 'Key', 'Value', 'Headers', 'Size']) {
    await expect(dialog.getByText(field, { exact: true })).toBeVisible();
  }
  await expect(dialog).toContainText('hex: 6b 61 66 6b 61');
  await expect(dialog).toContainText('"price": 1129');
  await expect(dialog).toContainText('2026-01-01T00:00:00.000Z');
  await expect(dialog).toContainText('CreateTime');
  await page.screenshot({ path: 'screenshots/inspector.png' });
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('bad input gets an inline message and changes nothing', async ({ page }) => {
  await page.goto('/');
  const topic = await growTopic(page, 2, { keepOpen: true });
  await expect(topic.getByRole('alert')).toContainText('can only add partitions');
  await expect(page.getByRole('list', { name: /^Partition \d of / })).toHaveCount(3);

  await page.getByRole('textbox', { name: 'New topic name' }).fill('bad name!');
  await page.getByRole('button', { name: 'Add topic' }).click();
  await expect(page.locator('form.add-topic').getByRole('alert')).toContainText("'bad name!' is not a valid topic name");
  await expect(page.getByRole('region', { name: /^Topic / })).toHaveCount(1);

  await page.getByRole('spinbutton', { name: 'Partition', exact: true }).fill('7');
  // Told before sending, where it was typed and under the Key on the stage (it said "partition 7,
  // as named").
  const refused = 'no partition 7 (it has 0 to 2), so the send would be refused';
  await expect(page.getByRole('complementary', { name: 'Editing panel' }).getByText('No partition 7 (it has 0 to 2), so the send would be refused')).toBeVisible();
  await expect(page.locator('form.quick-produce .hint')).toHaveText(`next send: ${refused}`);
  await produce(page, 'k');
  await expect(page.locator('form.produce-form').getByRole('alert')).toContainText('partitions 0 to 2');
  await expect(page.getByRole('listitem', { name: /^Offset / })).toHaveCount(0);

  await page.getByRole('textbox', { name: 'New topic name' }).fill('user-profiles');
  await page.getByRole('combobox', { name: 'cleanup.policy' }).selectOption('Compact');
  await page.getByRole('button', { name: 'Add topic' }).click();
  await expect(page.getByRole('region', { name: 'Topic user-profiles' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Topic', exact: true }).selectOption('user-profiles');
  await page.getByRole('spinbutton', { name: 'Partition', exact: true }).fill('');
  // With two topics the line under the Key says which one the next send goes to.
  await expect(page.locator('form.quick-produce .hint')).toHaveText(/^next send, to user-profiles: /);
  await produce(page, '');
  await expect(page.locator('form.produce-form').getByRole('alert')).toContainText('Compacted topic cannot accept message without key');
  await expect(page.getByRole('listitem', { name: /^Offset / })).toHaveCount(0);
});

test('a number field keeps exactly what is typed, key by key: a cleared field stays clear, a minus sign stays', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  const topic = page.getByRole('form', { name: `Topic ${TOPIC}` });
  const partitions = topic.getByRole('spinbutton', { name: 'Partitions' });
  await expect(partitions).toHaveValue('3');
  // Typed as a person types: select all, erase, then 6 and Enter. The field used to refill
  // itself with 3 the moment it was empty, so this asked for 36 partitions.
  await partitions.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await expect(partitions).toHaveValue('');
  await page.keyboard.type('6');
  await expect(partitions).toHaveValue('6');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('list', { name: /^Partition \d of / })).toHaveCount(6);
  await expect(partitions).toHaveValue('6');
  // A minus sign typed first used to vanish, sending the record to partition 1 "as named".
  const partition = page.getByRole('spinbutton', { name: 'Partition', exact: true });
  await partition.click();
  await page.keyboard.type('-1');
  await expect(partition).toHaveValue('-1');
  // The Key's line used to hash the key as if the field were empty.
  await expect(page.locator('form.quick-produce .hint')).toContainText('Partition must be a number (0, 1, 2, …) or empty');
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  await expect(page.locator('form.produce-form').getByRole('alert')).toContainText('Type a partition number (0, 1, 2, ...), or leave Partition empty.');
  await expect(page.getByRole('listitem', { name: /^Offset / })).toHaveCount(0);
  // A number the browser cannot read (past a double) it reports as "", an empty field's value:
  // the record went to the hashed partition as if no partition had been typed.
  await partition.fill('1e309');
  await expect(partition).toHaveValue('');
  expect(await partition.evaluate((el) => el.validity.badInput), 'the field holds what was typed').toBe(true);
  await expect(page.locator('form.quick-produce .hint')).toContainText('Partition must be a number (0, 1, 2, …) or empty');
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  await expect(page.locator('form.produce-form').getByRole('alert')).toContainText('Type a partition number (0, 1, 2, ...), or leave Partition empty.');
  await expect(page.getByRole('listitem', { name: /^Offset / })).toHaveCount(0);
  expect(await partition.evaluate((el) => el.validity.badInput), 'nothing wrote over it').toBe(true);
  // So with a processing rate, whose empty field means no limit.
  const rate = page.getByRole('spinbutton', { name: 'Processing rate (records/s per instance)' }).first();
  await rate.fill('1e309');
  await rate.press('Enter');
  await expect(page.getByRole('region', { name: /^Settings of / }).first().getByRole('alert')).toContainText('Type a whole number of records per second, or leave it empty.');
  // A decimal point keeps its place too ("2.5" used to become "52").
  const count = page.getByRole('spinbutton', { name: 'New topic partitions' });
  await count.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('2.5');
  await expect(count).toHaveValue('2.5');
  await page.getByRole('textbox', { name: 'New topic name' }).fill('halves');
  await page.getByRole('button', { name: 'Add topic' }).click();
  // The browser's own check (a whole number, at least 1) refuses it before the app sees it.
  expect(await count.evaluate((el) => el.validity.stepMismatch)).toBe(true);
  await expect(page.getByRole('region', { name: 'Topic halves' })).toHaveCount(0);
  await expect(count).toHaveValue('2.5');
});

test('acks=1 turns the default idempotence off, as Kafka does; ticking it again is refused and goes back, as the producer card says', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  const stream = page.getByRole('region', { name: 'Stream of products-microservice' });
  const acks = stream.getByRole('combobox', { name: 'acks' });
  const idempotence = stream.getByRole('checkbox', { name: 'enable.idempotence' });
  await expect(acks).toHaveValue('All');
  await expect(idempotence).toBeChecked();
  await acks.selectOption('One');
  await expect(acks).toHaveValue('One');
  await expect(idempotence).not.toBeChecked();
  await expect(page.getByRole('status').first()).toContainText('acks=1: enable.idempotence goes off with it');
  await expect(page.getByRole('region', { name: 'Producers' })).toContainText('acks=1');
  await idempotence.click();
  await expect(stream.getByRole('alert')).toContainText('the idempotent producer needs acks=all, not acks=1');
  await expect(idempotence, 'the refused tick is not left showing').not.toBeChecked();
  await expect(page.getByRole('region', { name: 'Producers' }), 'the card says acks=1 without "idempotent"').toContainText('acks=1 · sent');
});

test('growing partitions adds lanes', async ({ page }) => {
  await page.goto('/');
  const topic = await growTopic(page, 6, { keepOpen: true });
  await expect(page.getByRole('list', { name: /^Partition \d of / })).toHaveCount(6);
  await produce(page, '16b77e26-6aac-4da5-bd17-ca1caeb91461');
  await expect(lane(page, 3).getByRole('listitem')).toHaveCount(1); // Kafka vector: partition_6 = 3
});

test('keys that draw nothing or turn text around are spelled out on the lanes, not drawn blank', async ({ page }) => {
  await page.goto('/');
  await stopStream(page);
  for (const [typed, drawn] of [[' ', '"␣"'], ['\u200B', '"\\u200B"'], ['\u202Eabc', '"\\u202Eabc"']]) {
    await produce(page, typed);
    const cell = page.getByRole('listitem', { name: `Offset 0, key ${drawn}` }).or(page.getByRole('listitem', { name: `Offset 1, key ${drawn}` }));
    await expect(cell).toHaveCount(1);
  }
  // A zero-width space's cell is not the empty key's: the empty key stays two quotes.
  await produce(page, '""');
  await expect(page.getByRole('listitem', { name: /key ""$/ })).toHaveCount(1);
  // The inspector tells the key null (four characters) from the key "null" (six).
  for (const [typed, shown] of [['null', '"null"'], ['"null"', '"\\"null\\""']]) {
    await produce(page, typed);
    await page.getByRole('listitem', { name: new RegExp(`key ${shown.replace(/[\\"]/g, (c) => `\\${c}`)}$`) }).getByRole('button').click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.locator('.mono').first()).toHaveText(shown);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  }
});

test('a pasted key with line breaks is flagged: the one-line field changed it before it was hashed', async ({ page }) => {
  await page.goto('/');
  const key = page.getByLabel('Key', { exact: true });
  const alert = page.getByRole('form', { name: 'Produce a record' }).getByRole('alert');
  const paste = (text) => key.evaluate((el, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
  await paste('user-42');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  await expect(page.getByText('line breaks became spaces')).toHaveCount(0);
  await paste('line1\r\nline2');
  await expect(alert).toContainText("The pasted key's line breaks became spaces");
});

test("a key's leading and trailing spaces are shown, and the math counts its bytes", async ({ page }) => {
  await page.goto('/');
  await produce(page, '  user-42  ');
  // innerText is what is drawn: spaces folded by CSS would be missing from it.
  const math = page.getByRole('region', { name: 'Producers' }).locator('.math li');
  expect(await math.first().evaluate((el) => el.innerText)).toBe('key "␣␣user-42␣␣"');
  await expect(math.nth(1)).toHaveText(/^UTF-8 bytes \(11\): 20 20 75 73/);
  await page.getByRole('button', { name: /^Inspect offset 0, key / }).click();
  const key = page.getByRole('dialog').locator('dd .mono').first();
  expect(await key.evaluate((el) => el.innerText)).toBe('  user-42  ');
  await page.keyboard.press('Escape');
  // The narration spells them too (HTML folded "  user-42  " into " user-42"), and quotes the
  // keys plain text would misread: a tab, a quote, the word null (a null key is another thing).
  const status = page.getByRole('status').first();
  await expect(status).toContainText('key "␣␣user-42␣␣" hashed to');
  for (const [typed, told] of [['a\tb', 'key "a\\tb" hashed to'], ['"', 'key "\\"" hashed to'], ['null', 'key "null" hashed to'], ['user 42', 'key user 42 hashed to']]) {
    await produce(page, typed);
    await expect(status).toContainText(told);
  }
});

test('the Key field says which partition a key will land in before it is sent, and "" is the empty key', async ({ page }) => {
  await page.goto('/');
  const form = page.getByRole('form', { name: 'Produce a record' });
  const key = form.getByRole('textbox', { name: 'Key', exact: true });
  const hint = form.locator('.hint');
  const toolbar = page.getByRole('toolbar', { name: 'Playback' });
  let step = Number((await toolbar.textContent()).match(/step (\d+) \//)[1]);
  for (const typed of ['user-42', 'user-43', '16b77e26-6aac-4da5-bd17-ca1caeb91461', 'ключ-1', '""']) {
    await key.fill(typed);
    const said = (await hint.textContent()).match(/murmur2 % 3 → partition (\d)$/);
    expect(said, `a partition for ${typed}: ${await hint.textContent()}`).not.toBeNull();
    await expect(toolbar, 'nothing was sent by typing').toContainText(`step ${step} / `);
    await form.getByRole('button', { name: 'Produce', exact: true }).click();
    step += 1;
    // The record is the newest cell of the lane the hint named.
    const name = new RegExp(`^Offset \\d+, key ${typed}$`);
    await expect(lane(page, Number(said[1])).getByRole('listitem', { name })).toHaveCount(1);
  }
  // The empty key is drawn as "" and hashed: zero bytes.
  const math = page.getByRole('region', { name: 'Producers' }).locator('.math li');
  await expect(math.first()).toHaveText('key "" (empty, not null)');
  await expect(math.nth(1)).toHaveText(/^UTF-8 bytes \(0\):\s*$/);
  await key.fill('');
  await expect(hint).toHaveText('next send: null key, so the partitioner picks one ("" is the empty key)');
});

test('the Key field is described by its hint, and a screen reader hears the partition once typing pauses, not at every keystroke', async ({ page }) => {
  await page.goto('/');
  const form = page.getByRole('form', { name: 'Produce a record' });
  const key = form.getByRole('textbox', { name: 'Key', exact: true });
  const live = form.locator('[aria-live]');
  await expect(live).toHaveCount(1);
  // From a null key (a hint no typed key gives), so the key typed next must change what is said.
  await key.fill('');
  await expect(live).toHaveText('next send: null key, so the partitioner picks one ("" is the empty key)');
  await live.evaluate((el) => {
    window.__said = [];
    new MutationObserver(() => window.__said.push(el.textContent)).observe(el, { subtree: true, childList: true, characterData: true });
  });
  await key.pressSequentially('user-42', { delay: 60 });
  const hint = await form.locator('.hint').textContent();
  expect(hint).toMatch(/murmur2 % 3 → partition \d$/);
  await expect(key).toHaveAccessibleDescription(hint);
  await expect(live).toHaveText(hint);
  const said = await page.evaluate(() => window.__said);
  expect(new Set(said), `one announcement for seven keystrokes: ${JSON.stringify(said)}`).toEqual(new Set([hint]));
  // A send that would be refused is said at once, whatever field made it so.
  await openPanel(page);
  await page.getByLabel('Partition', { exact: true }).fill('7');
  await expect(live).toContainText('so the send would be refused', { timeout: 500 });
});

test('a typed key becomes the productId of the event, escaped as JSON, until the value is edited by hand', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  const key = page.getByLabel('Key', { exact: true });
  const value = page.getByLabel('Value', { exact: true });
  await key.fill('sku "42"\\a');
  await expect.poll(async () => JSON.parse(await value.inputValue()).productId).toBe('sku "42"\\a');
  await key.fill('sku-43');
  await expect.poll(async () => JSON.parse(await value.inputValue()).productId).toBe('sku-43');
  // A value written by hand is the user's: the key no longer touches it.
  await value.fill('{"productId": "mine", "price": 1}');
  await key.fill('sku-44');
  await expect(value).toHaveValue('{"productId": "mine", "price": 1}');
});

test('on the key-ordering scene\'s profile topic a typed key becomes the userId of a ProfileUpdatedEvent, and its cell says the name', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Key ordering demo', exact: true }).click();
  await openPanel(page);
  const key = page.getByLabel('Key', { exact: true });
  const value = page.getByLabel('Value', { exact: true });
  await key.fill('user-7');
  await expect.poll(async () => JSON.parse(await value.inputValue())).toEqual({ userId: 'user-7', firstName: 'Sergei' });
  // Back on a product topic, the event is a product's again.
  await page.getByRole('button', { name: 'Fan-out', exact: true }).click();
  await key.fill('sku-1');
  await expect.poll(async () => JSON.parse(await value.inputValue()).productId).toBe('sku-1');
});

test('a setting changed in the editing panel is told in the narration, not met by "Ready."', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  const status = page.getByRole('status').first();
  const rate = page.getByRole('region', { name: 'Stream of products-microservice' }).getByRole('spinbutton', { name: 'Rate (records/s)' });
  await rate.fill('5');
  await rate.press('Enter');
  await expect(status).toHaveText('products-microservice streams 5 records/s, keys: random UUIDs, partitioner: Java default (3.3+, KIP-794).');
  // The stream's own partitioner is told, and the producer card names it once it is not the default.
  const producerCard = page.getByRole('article', { name: 'Producer products-microservice' });
  await expect(producerCard).not.toContainText('RoundRobinPartitioner');
  await page.getByRole('region', { name: 'Stream of products-microservice' }).getByRole('combobox', { name: 'Stream partitioner' }).selectOption({ label: 'RoundRobinPartitioner' });
  await expect(status).toHaveText('products-microservice streams 5 records/s, keys: random UUIDs, partitioner: RoundRobinPartitioner.');
  await expect(producerCard).toContainText('RoundRobinPartitioner');
  await rate.fill('0');
  await rate.press('Enter');
  await expect(status).toHaveText("products-microservice's stream is off: it sends only what you produce by hand.");
  await groupSettings(page, 'sms-notification-service').getByRole('combobox', { name: 'Commit mode' }).selectOption({ label: 'commit, then process (at-most-once)' });
  await expect(status).toHaveText('sms-notification-service commits now: commit, then process (at-most-once).');
});

test('the partitioner picked for typed records survives a reload, so a key shows the same partition', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  const partitioner = page.getByRole('combobox', { name: 'Partitioner', exact: true });
  await partitioner.selectOption({ label: 'librdkafka consistent' });
  await page.getByLabel('Key', { exact: true }).fill('my-typed-key');
  const hint = page.locator('.quick-produce .hint');
  await expect(hint).toContainText('crc32 % 3 → partition');
  const said = await hint.textContent();
  await page.reload();
  await openPanel(page);
  await expect(partitioner).toHaveValue('Librdkafka(Consistent)');
  await page.getByLabel('Key', { exact: true }).fill('my-typed-key');
  await expect(hint).toHaveText(said);
});

test('the topic and key being typed survive a reload, so the next Produce goes where the last one went', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  await page.getByRole('textbox', { name: 'New topic name' }).fill('orders.v2');
  await page.getByRole('button', { name: 'Add topic' }).click();
  await expect(page.getByRole('region', { name: 'Topic orders.v2' })).toBeVisible();
  const topic = page.getByRole('combobox', { name: 'Topic', exact: true });
  await topic.selectOption('orders.v2');
  await page.getByLabel('Key', { exact: true }).fill('customer-42');
  await page.waitForTimeout(1200); // the session (with the new topic) is saved at most once a second
  await page.reload();
  await openPanel(page);
  await expect(topic).toHaveValue('orders.v2');
  await expect(page.getByLabel('Key', { exact: true })).toHaveValue('customer-42');
  await expect(page.locator('form.quick-produce .hint')).toHaveText(/^next send, to orders\.v2: /);
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  await expect(page.getByRole('list', { name: /^Partition \d+ of orders\.v2$/ }).getByRole('listitem', { name: /key customer-42/ })).toHaveCount(1);
});

test('where the producer column has no room for the hint\'s line (a lesson at 1280x720, the editing panel open), the partition a key lands in is beside the Key label', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const form = page.getByRole('form', { name: 'Produce a record' });
  const key = form.getByRole('textbox', { name: 'Key', exact: true });
  const beside = form.locator('.key-dest');
  const hint = form.locator('.hint');
  for (const [url, open] of [['/#/lesson/partitions-and-keys/5', false], ['/', true]]) {
    await page.goto(url);
    if (open) await openPanel(page);
    // Written out, not read from the page: murmur2 % 3 of each key, by an independent port of
    // Kafka's Utils.murmur2 (it gives foobar 0 and kafka 1, as Kafka's own tests do).
    for (const [typed, p] of [['Sergei', 2], ['user-42', 1], ['kafka', 1]]) {
      await key.fill(typed);
      await expect(hint).toHaveText(`next send: murmur2 % 3 → partition ${p}`);
      await expect(hint).toBeHidden();
      await expect(beside).toBeVisible();
      await expect(beside).toHaveText(`next → P${p}`);
      await expect(beside.locator('.chip')).toHaveClass(new RegExp(`\\bp${p}\\b`));
    }
    await key.fill('');
    await expect(beside).toHaveText('next → picked');
    expect(await beside.evaluate((el) => el.scrollWidth <= el.clientWidth), 'drawn whole').toBe(true);
  }
  // With room for it, the hint's line says it in full and the label stands alone.
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('/#/lesson/partitions-and-keys/5');
  await page.reload(); // the editing panel closed
  await key.fill('Sergei');
  await expect(hint).toBeVisible();
  await expect(beside).toBeHidden();
});

test('a min.insync.replicas above the replication factor is accepted, as Kafka does, and the form says what the leader enforces instead', async ({ page }) => {
  await page.goto('/');
  await openPanel(page);
  const form = page.getByRole('form', { name: 'Add topic' });
  const rf = form.getByLabel('Replication factor', { exact: true });
  const minIsr = form.getByLabel('min.insync.replicas', { exact: true });
  await rf.fill('1');
  await minIsr.fill('2');
  await expect(form.locator('.hint')).toHaveText('More than the replication factor: the leader enforces min(min.insync.replicas, replication factor) = 1, so acks=all sends need 1 replica in sync, not 2.');
  await expect(minIsr).toHaveAccessibleDescription(/the leader enforces/);
  await minIsr.fill('1');
  await expect(form.locator('.hint')).toHaveText('');
});
