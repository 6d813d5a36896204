// Opens the page `imozuru html` writes for a small model in Debian's
// chromium (headless, fresh profile, no network) and uses it as a speaker
// would: click an identifier, hover a system, move the date slider, search.
// Then, for MODEL and every EXTRA model, compares the reach the page computes
// with the engine's (`imozuru reach --format json`) at every date boundary.
// Usage: node page.test.mjs IMOZURU MODEL.yaml OUT_DIR [EXTRA.yaml...]
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [imozuru, model, outDir, ...extraModels] = process.argv.slice(2);
if (!imozuru || !model || !outDir) {
  console.error('usage: node page.test.mjs IMOZURU MODEL.yaml OUT_DIR');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });
const pageJa = path.join(outDir, 'page-ja.html');
const pageEn = path.join(outDir, 'page-en.html');
execFileSync(imozuru, ['html', model, '--at', '2024-01-01', '-o', pageJa], { stdio: 'inherit' });
execFileSync(imozuru, ['html', model, '--at', '2024-01-01', '--lang', 'en', '-o', pageEn], { stdio: 'inherit' });

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'imozuru-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});

const failures = [];
const network = [];
// The page must work offline: any request other than the file itself fails the test.
await context.route('**/*', (route) => {
  const url = route.request().url();
  if (url.startsWith('file:')) return route.continue();
  network.push(url);
  return route.abort();
});

const ids = (page, selector) =>
  page.$$eval(selector, (els) => els.map((e) => e.id).sort());
const byId = (page, id) => page.locator(`[id="${id}"]`);

try {
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => failures.push('page error: ' + e.message));
  page.on('console', (m) => m.type() === 'error' && failures.push('console error: ' + m.text()));
  await page.goto(pathToFileURL(pageJa).href);

  // The slider starts at the date asked for (--at 2024-01-01), a stop of
  // its own after the model's last change (2022-04-01).
  assert.equal(await page.textContent('#date-label'), '2024-01-01');
  assert.equal(await page.inputValue('#date-slider'), '3');

  // Click an identifier: its holders light up, chain-linked systems too.
  await byId(page, 'identifier:my_number').click();
  assert.deepEqual(await ids(page, 'g.system.lit'), ['system:insurer', 'system:juki', 'system:tax']);
  assert.deepEqual(await ids(page, 'g.system.reach'), ['system:clinic', 'system:health_app']);
  assert.deepEqual(await ids(page, 'g.identifier.reach'), ['identifier:app_id', 'identifier:insured_no']);
  // The holdings the chains go through are lit; the holder-scoped link_code
  // (its markers at tax and insurer, and the edges to them) is not, although
  // reach lists it: a code with a different value per holder joins nothing.
  assert.deepEqual(await ids(page, 'g.holds.lit'), [
    'holds:clinic:insured_no', 'holds:health_app:app_id', 'holds:health_app:insured_no',
    'holds:insurer:insured_no', 'holds:insurer:my_number', 'holds:juki:my_number', 'holds:tax:my_number']);
  assert.deepEqual(await ids(page, 'g.holder.lit'), []);
  assert.ok(await page.$eval('#diagram svg', (s) => s.classList.contains('focus')));
  const details = await page.textContent('#details');
  assert.match(details, /マイナンバー/);
  assert.match(details, /番号法 第19条/);
  assert.match(details, /深さ 2: 健康管理アプリ/);

  // Hover a system: names in both languages, dates, consent, laws, sources.
  await byId(page, 'system:clinic').hover();
  await page.waitForSelector('#tooltip:not([hidden])');
  const tip = await page.textContent('#tooltip');
  for (const part of ['診療所', 'Clinic', 'レセプト請求', '同意なし', '健康保険法', '医療DX説明資料（slide 6）'])
    assert.ok(tip.includes(part), `tooltip lacks ${part}: ${tip}`);
  await byId(page, 'system:health_app').hover();
  assert.match(await page.textContent('#tooltip'), /2022-04〜/);

  // Move the slider to 2016: the app (since 2022-04) is hidden, juki is not;
  // the selection follows the date.
  await page.locator('#date-slider').fill('1');
  assert.equal(await page.textContent('#date-label'), '2016-01-01');
  assert.ok((await page.textContent('#diagram svg')).includes('2016-01-01 時点'), 'the diagram subtitle shows the date');
  assert.ok(await byId(page, 'system:health_app').isHidden(), 'health_app must be hidden in 2016');
  assert.ok(await byId(page, 'identifier:app_id').isHidden(), 'app_id must be hidden in 2016');
  assert.ok(await byId(page, 'system:juki').isVisible());
  assert.deepEqual(await ids(page, 'g.system.reach'), ['system:clinic']);
  // 2002: there is no My Number yet.
  await page.locator('#date-slider').fill('0');
  assert.ok(await byId(page, 'identifier:my_number').isHidden(), 'my_number must be hidden in 2002');
  await page.locator('#date-slider').fill('2');
  assert.ok(await byId(page, 'system:health_app').isVisible());

  // Search: matches are marked and listed; Enter selects the first.
  await page.click('#clear');
  assert.equal(await page.$$eval('g.lit', (els) => els.length), 0);
  await page.fill('#search', 'アプリ');
  assert.deepEqual(await ids(page, 'g.node.match'), ['identifier:app_id', 'system:health_app']);
  assert.deepEqual(await page.$$eval('#results button', (b) => b.map((x) => x.textContent)),
    ['アプリID (識別子)', '健康管理アプリ (システム)']);
  await page.press('#search', 'Enter');
  assert.deepEqual(await ids(page, 'g.system.lit'), ['system:health_app']);
  await page.fill('#search', 'clinic');  // ids and English names match too
  assert.deepEqual(await ids(page, 'g.node.match'), ['system:clinic']);
  await page.fill('#search', '');
  await byId(page, 'identifier:insured_no').click();

  // The subtitle drawn into the diagram follows the slider.
  assert.ok((await page.textContent('#diagram svg')).includes('2022-04-01'));
  await page.mouse.move(1, 1);  // leave the diagram: no tooltip over the screenshot
  assert.ok(await page.locator('#tooltip').isHidden());
  const shot = path.join(outDir, 'page.png');
  await page.screenshot({ path: shot, fullPage: true });
  console.log('screenshot: ' + shot);

  // English page: labels and panel in English.
  await page.goto(pathToFileURL(pageEn).href);
  assert.match(await byId(page, 'system:health_app').textContent(), /Health app/);
  await byId(page, 'identifier:my_number').click();
  assert.match(await page.textContent('#details'), /My Number Act/);

  // The page's own reach equals the engine's, at every date, from every
  // global identifier (quasi identifiers and holder-scoped codes included).
  let compared = 0;
  for (const [k, m] of [model, ...extraModels].entries()) {
    const file = path.join(outDir, `reach-${k}.html`);
    execFileSync(imozuru, ['html', m, '-o', file], { stdio: 'inherit' });
    await page.goto(pathToFileURL(file).href);
    const info = await page.evaluate(() => {
      const d = JSON.parse(document.getElementById('imozuru-data').textContent);
      return { dates: d.dates, identifiers: d.identifiers.filter((i) => i.scope === 'global').map((i) => i.id) };
    });
    for (const [dateIndex, date] of info.dates.entries()) {
      for (const id of info.identifiers) {
        const engine = JSON.parse(execFileSync(imozuru,
          ['reach', m, '--from', 'identifier:' + id, '--at', date, '--format', 'json'], { stdio: ['ignore', 'pipe', 'ignore'] }));
        const mine = await page.evaluate(([i, d]) => window.imozuruPage.reach(i, d), [id, dateIndex]);
        const where = `${m} ${date} identifier:${id}`;
        assert.deepEqual(mine.systems, engine.systems, where);
        if (engine.systems.length) assert.deepEqual(mine.identifiers, engine.identifiers, where);
        ++compared;
      }
    }
  }
  assert.ok(compared > 10, 'reach compared at ' + compared + ' points');
} catch (e) {
  failures.push(e.stack || String(e));
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

if (network.length) failures.push('the page made network requests: ' + network.join(', '));
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log('browser test passed');
