// Opens the page `imozuru html` writes for a small model in Debian's
// chromium (headless, fresh profile, no network) and uses it as a speaker
// would: click an identifier, hover a system, move the date slider, search.
// Then, for MODEL and every EXTRA model, compares the reach the page computes,
// full and open, with the engine's (`imozuru reach [--open-only] --format
// json`) at every date boundary, and the gaps it lists with `imozuru gaps`.
// With IMOZURU_PEOPLE (tests/report/fixtures/people.yaml): the gap panel, open
// reach and `--person` as a user sees them; with IMOZURU_REFERENCE (flows/):
// reach, open reach and gaps of the reference model at two dates, and its
// first screen (the linked part, isolated systems listed apart).
// The time-lapse player (--dates): each frame shows what `imozuru export`
// says is active at its date, every node at the same place in every frame;
// the person selector lights what `imozuru person` finds.
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

// The gap panel, open reach beside full reach, and the page for a person, on
// tests/report/fixtures/people.yaml (its head says what is worked out by hand).
async function peoplePage(page) {
  const file = path.join(outDir, 'people-ja.html');
  execFileSync(imozuru, ['html', people, '--at', '2025-01-01', '-o', file], { stdio: 'inherit' });
  await page.goto(pathToFileURL(file).href);
  const keys = (list) => page.$$eval(`#${list} details.gap`, (els) => els.map((e) => e.dataset.key));
  const split = (gaps) => [gaps.filter((g) => g.open).map(gapKey), gaps.filter((g) => !g.open).map(gapKey)];
  // 2025-01-01: the review of 2024 closed the claims gap; two stay open.
  assert.equal(await page.textContent('#gaps h2'), 'この日付の同意の欠落 (2025-01-01)');
  let [open, closed] = split(engineGaps(people, '2025-01-01'));
  assert.deepEqual(open, ['unregulated-key:identifier:insured_no', 'comprehensive-consent:flow:app_link']);
  assert.deepEqual(await keys('gaps-open'), open);
  assert.deepEqual(await keys('gaps-closed'), closed);
  assert.match(await page.textContent('#date-status'), /未解決の欠落 2$/);
  const claims = page.locator('#gaps-closed details.gap[data-key="unconsented-sensitive:flow:claims"]');
  const text = await claims.textContent();
  for (const part of ['高', '要配慮情報を本人の選択なしに提供', '（評価済み）', 'データの流れ「レセプト請求」（診療所 → 保険者）',
    '同意: 同意なし', '法令: 健康保険法（施行中）', 'システム: 診療所、保険者', 'データ: レセプト',
    '評価: 受容（適法・許容） (claims_review)', '判断の理由: 保険請求は法令に基づく提供で本人同意を要しない',
    '判断の根拠法令: 健康保険法（施行中）', '判断者: 審査チーム', '出典: 検討メモ（p.5）; 検討メモ',
    'データの流れ「レセプト請求」（診療所 → 保険者）は、要配慮個人情報（レセプト）を本人の選択なしに提供している（同意: 同意なし）。'])
    assert.ok(text.includes(part), `the claims gap lacks ${part}: ${text}`);
  // Opening a gap lights the systems it involves.
  await claims.locator('summary').click();
  await page.waitForFunction(() => document.querySelectorAll('g.system.lit').length > 0);
  assert.deepEqual(await ids(page, 'g.system.lit'), ['system:clinic', 'system:insurer']);
  assert.equal(await page.textContent('#details h2'), '高 要配慮情報を本人の選択なしに提供');
  assert.deepEqual(await page.$$eval('#details li', (l) => l.map((x) => x.textContent)), ['診療所', '保険者']);
  await page.screenshot({ path: path.join(outDir, 'people-2025.png'), fullPage: true });
  await page.click('#clear');

  // 2022-04-01: before the review, the claims gap is open.
  await page.locator('#date-slider').fill('3');
  assert.equal(await page.textContent('#date-label'), '2022-04-01');
  [open, closed] = split(engineGaps(people, '2022-04-01'));
  assert.ok(open.includes('unconsented-sensitive:flow:claims'));
  assert.deepEqual(await keys('gaps-open'), open);
  assert.deepEqual(closed, []);
  assert.equal(await page.textContent('#gaps-closed'), '評価により解決した欠落はない。');

  // Open reach beside full reach: in 2022 the card rule restricts the serial,
  // so no system is reached through open joins only.
  await byId(page, 'identifier:serial').click();
  let details = await page.textContent('#details');
  assert.ok(details.includes('到達するシステム: 6 / 6 · うち法令の制限がない突合だけで到達: 0'), details);
  assert.ok(details.includes('この日付では施行中の法令がこの識別子による突合を制限している'), details);
  assert.deepEqual(await ids(page, 'g.system.lit'), ['system:card', 'system:eligibility']);
  assert.deepEqual(await ids(page, 'g.system.reach'), ['system:app', 'system:clinic', 'system:insurer', 'system:tax']);
  await page.check('#open-only');
  assert.deepEqual(await ids(page, 'g.system.reach'), []);
  await page.screenshot({ path: path.join(outDir, 'people-2022.png'), fullPage: true });
  // 2025: the rule has ended; the My Number learnt at the card system stays
  // restricted by 番号法, so the tax office is reached only through it.
  await page.locator('#date-slider').fill('5');
  details = await page.textContent('#details');
  assert.ok(details.includes('到達するシステム: 6 / 6 · うち法令の制限がない突合だけで到達: 5'), details);
  assert.ok(details.includes('（開かれた突合）'), details);
  assert.deepEqual(await ids(page, 'g.system.reach'), ['system:app', 'system:clinic', 'system:insurer']);
  assert.ok(!(await ids(page, 'g.holds.lit')).includes('holds:card:my_number'), 'an open reach lights no restricted join');
  assert.ok((await ids(page, 'g.holds.lit')).includes('holds:eligibility:insured_no'));
  await page.uncheck('#open-only');
  assert.deepEqual(await ids(page, 'g.system.reach'), ['system:app', 'system:clinic', 'system:insurer', 'system:tax']);
  // From a system too: the clinic reaches every system through the insured
  // number, the serial and the My Number; through open joins only, not the
  // tax office (the My Number is restricted).
  await byId(page, 'system:clinic').click();
  assert.match(await page.textContent('#details'), /到達するシステム: 6 \/ 6 · うち法令の制限がない突合だけで到達: 5/);

  // English: the panel in English, the reasons the engine gives in English.
  const fileEn = path.join(outDir, 'people-en.html');
  execFileSync(imozuru, ['html', people, '--at', '2025-01-01', '--lang', 'en', '-o', fileEn], { stdio: 'inherit' });
  await page.goto(pathToFileURL(fileEn).href);
  assert.equal(await page.textContent('#gaps h2'), 'Consent gaps at this date (2025-01-01)');
  const en = JSON.parse(run(['gaps', people, '--at', '2025-01-01', '--format', 'json', '--lang', 'en'])).gaps;
  const enText = await page.textContent('#gaps');
  for (const g of en) assert.ok(enText.includes(g.reason), `the English panel lacks: ${g.reason}`);
  assert.ok(enText.includes('Gaps closed by an assessment (1)'), enText);
  await byId(page, 'identifier:serial').click();
  assert.ok((await page.textContent('#details')).includes('Systems reached: 6 / 6 · of them through open joins only: 5'));

  // --person: the title names the person; where they are not active, the
  // page shows nothing and says why.
  const baby = path.join(outDir, 'people-baby.html');
  execFileSync(imozuru, ['html', people, '--at', '2025-06-01', '--person', 'baby', '-o', baby], { stdio: 'inherit' });
  await page.goto(pathToFileURL(baby).href);
  assert.equal(await page.textContent('h1'), '人物と突合の例（赤ちゃん（baby））');
  assert.ok(await byId(page, 'system:card').isVisible());
  await page.locator('#date-slider').fill('0');
  assert.equal(await page.$$eval('g.system', (els) => els.filter((e) => e.getBoundingClientRect().width > 0).length), 0);
  assert.equal(await page.textContent('#gaps .notice'), 'この日付ではこの人物はモデルにいない（期間外）ため、何も表示しない。');
  assert.ok(await page.locator('#details .notice').isVisible());
  const taro = path.join(outDir, 'people-taro.html');
  execFileSync(imozuru, ['html', people, '--at', '2025-06-01', '--person', 'taro', '-o', taro], { stdio: 'inherit' });
  await page.goto(pathToFileURL(taro).href);
  assert.ok(await byId(page, 'system:card').isHidden(), 'taro holds no card');
}

// The systems and the identifiers the linkage view draws at a date, by the
// engine: the active systems, and the global identifiers someone holds.
function drawnAt(m, date, person) {
  const j = JSON.parse(run(['export', m, '--format', 'json', '--at', date, '-o', '-',
    ...(person ? ['--person', person] : [])]));
  return [...j.systems.map((s) => 'system:' + s.id),
    ...j.identifiers.filter((i) => i.scope === 'global' && i.holders.length).map((i) => 'identifier:' + i.id)].sort();
}
// Each node drawn in the frame shown, with its shape's coordinates (the
// path, polygon or ellipse Graphviz drew). Not edges: a new edge is drawn as
// three parallel lines, the highlight's around its own.
const shapes = (page) => page.$$eval('#diagram svg g.node', (els) =>
  Object.fromEntries(els.filter((e) => e.id).map((e) => {
    const s = e.querySelector('path, polygon, ellipse');
    return [e.id, s ? ['d', 'points', 'cx', 'cy'].map((a) => s.getAttribute(a)).join('|') : ''];
  })));
const drawnNodes = (page, not = '') => page.$$eval(`#diagram svg g.system${not}, #diagram svg g.identifier${not}`,
  (els) => els.map((e) => e.id).sort());

// The time-lapse player on MODEL: three dates, one layout.
async function timelapsePage(page) {
  const dates = ['2002-01-01', '2016-06-01', '2024-01-01'];
  const file = path.join(outDir, 'timelapse-ja.html');
  execFileSync(imozuru, ['html', model, '--dates', dates.join(','), '-o', file], { stdio: 'inherit' });
  await page.goto(pathToFileURL(file).href);
  assert.equal(await page.textContent('#date-label'), dates[0]);
  assert.equal(await page.textContent('#frame-date'), dates[0]);
  assert.equal(await page.getAttribute('#date-slider', 'max'), '2');
  assert.deepEqual(await page.$$eval('#frame-dates option', (o) => o.map((x) => x.label)), dates);
  // Every frame draws what the engine says is active at its date, each node
  // where every other frame draws it.
  const seen = {};
  const stepBy = [null, async () => page.click('#frame-next'), async () => page.keyboard.press('.')];
  for (const [k, date] of dates.entries()) {
    if (k) {
      await page.focus('#zoom-fit');
      await stepBy[k]();
    }
    assert.equal(await page.textContent('#date-label'), date);
    assert.equal(await page.textContent('#frame-date'), date);
    assert.equal(await page.inputValue('#date-slider'), String(k));
    assert.deepEqual(await drawnNodes(page), drawnAt(model, date), `the nodes of the frame of ${date}`);
    assert.ok((await page.textContent('#diagram svg')).includes(date), 'the frame names its date');
    for (const [id, shape] of Object.entries(await shapes(page))) {
      if (id in seen) assert.equal(shape, seen[id], `${id} moved at ${date}`);
      seen[id] = shape;
    }
  }
  assert.ok(Object.keys(seen).length >= 8, 'positions compared for ' + Object.keys(seen).length + ' elements');
  // New since the frame before: the health app in 2024.
  assert.ok(await page.$eval('[id="system:health_app"]', (e) => e.classList.contains('new')));
  // , steps back; the slider jumps; play steps forward until the last date.
  await page.keyboard.press(',');
  assert.equal(await page.textContent('#date-label'), dates[1]);
  await page.locator('#date-slider').fill('0');
  assert.equal(await page.textContent('#frame-date'), dates[0]);
  await page.click('#play');
  assert.equal(await page.textContent('#play'), '一時停止');
  await page.waitForFunction((d) => document.getElementById('date-label').textContent === d, dates[2], { timeout: 10000 });
  await page.waitForFunction(() => document.getElementById('play').textContent === '再生');
  // Search and zoom work on the frame shown, and the view stays as the frames change.
  await page.fill('#search', 'アプリ');
  assert.deepEqual(await ids(page, 'g.node.match'), ['identifier:app_id', 'system:health_app']);
  await page.press('#search', 'Enter');
  assert.deepEqual(await ids(page, 'g.system.lit'), ['system:health_app']);
  await page.click('#zoom-in');
  const viewBox = () => page.$eval('#diagram svg', (s) => s.getAttribute('viewBox'));
  const zoomed = await viewBox();
  await page.click('#frame-prev');
  assert.equal(await viewBox(), zoomed, 'the next frame shows the same part of the diagram');
  assert.deepEqual(await ids(page, 'g.node.match'), [], 'no app in 2016: nothing matches');
  await page.click('#frame-next');
  assert.deepEqual(await ids(page, 'g.node.match'), ['identifier:app_id', 'system:health_app']);
  assert.deepEqual(await ids(page, 'g.system.lit'), ['system:health_app'], 'the selection stays on the frame');
  await page.click('#clear');
  await page.click('#zoom-fit');
  await page.locator('#date-slider').fill('1');
  await page.mouse.move(1, 1);
  await page.screenshot({ path: path.join(outDir, 'timelapse-1400x900.png') });
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.screenshot({ path: path.join(outDir, 'timelapse-1024x768.png') });
  await page.setViewportSize(size);

  // --ghost, in English: what a frame lacks is drawn faint, not left out.
  const ghost = path.join(outDir, 'timelapse-ghost-en.html');
  execFileSync(imozuru, ['html', model, '--dates', '2016-06-01,2024-01-01', '--ghost', '--lang', 'en', '-o', ghost],
    { stdio: 'inherit' });
  await page.goto(pathToFileURL(ghost).href);
  assert.equal(await page.textContent('#play'), 'Play');
  assert.deepEqual(await drawnNodes(page, ':not(.ghost)'), drawnAt(model, '2016-06-01'));
  assert.deepEqual(await ids(page, 'g.node.ghost'), ['identifier:app_id', 'system:health_app']);
  await page.keyboard.press('.');
  assert.deepEqual(await ids(page, 'g.node.ghost'), []);
}

// The person selector on tests/report/fixtures/people.yaml: the systems
// lit are those `imozuru person` lists at the date shown; the panel lists
// the person's consent acts, done or not at that date.
async function personSelector(page, dates) {
  const file = path.join(outDir, 'people-selector-ja.html');
  const args = dates ? ['--dates', dates.join(',')] : ['--at', '2025-06-01'];
  execFileSync(imozuru, ['html', people, ...args, '-o', file], { stdio: 'inherit' });
  await page.goto(pathToFileURL(file).href);
  const options = await page.$$eval('#person option', (o) => o.map((x) => x.value + ':' + x.textContent));
  assert.deepEqual(options, [':（選ばない）', '0:赤ちゃん（baby）', '1:花子（hanako）', '2:太郎（taro）']);
  const all = await page.evaluate(() => JSON.parse(document.getElementById('imozuru-data').textContent).dates);
  let compared = 0;
  for (const person of ['hanako', 'baby', 'taro']) {
    await page.selectOption('#person', { label: options.find((o) => o.includes('（' + person + '）')).split(':')[1] });
    for (const [k, date] of all.entries()) {
      await page.locator('#date-slider').fill(String(k));
      const engine = (() => {
        try {
          return JSON.parse(run(['person', people, '--person', person, '--at', date, '--format', 'json']));
        } catch (e) {
          return null;  // not active at the date (exit 2)
        }
      })();
      const lit = await ids(page, 'g.system.held');
      if (!engine) {
        assert.deepEqual(lit, [], `${person} at ${date}: not active, nothing lit`);
        assert.ok(await page.locator('#person-panel .notice').isVisible());
        continue;
      }
      assert.deepEqual(lit, engine.systems.map((s) => 'system:' + s.id).sort(), `${person} at ${date}`);
      const heldEdges = engine.systems.flatMap((s) => s.identifiers.map((i) => s.id + ':' + i));
      for (const edge of await ids(page, 'g.holds.held'))
        assert.ok(heldEdges.includes(edge.slice('holds:'.length)), `${edge} is not ${person}'s at ${date}`);
      const panel = await page.textContent('#person-panel');
      assert.ok(panel.includes(`この人の記録を持つシステム (${engine.systems.length})`), panel);
      assert.ok(panel.includes(`この人の記録を動かすデータの流れ (${engine.flows.length})`), panel);
      ++compared;
    }
  }
  assert.ok(compared >= 2 * all.length, `person selector compared at ${compared} points`);
  // Hanako's act: done from 2021-10-01 to 2025-03-01.
  await page.selectOption('#person', '1');
  const at = (d) => all.findIndex((x) => x >= d);
  await page.locator('#date-slider').fill(String(at('2022-06-01')));
  assert.match(await page.textContent('#person-acts'), /保険証利用登録 \(2021-10-01〜2025-03-01\) · 行えば流れが生じる（オプトイン） · この日付で行っている/);
  await page.locator('#date-slider').fill(String(all.length - 1));
  assert.match(await page.textContent('#person-acts'), /この日付では行っていない/);
  await page.mouse.move(1, 1);
  await page.screenshot({ path: path.join(outDir, dates ? 'people-selector-frames.png' : 'people-selector.png') });
  // Back to nobody: nothing lit, no panel.
  await page.selectOption('#person', '');
  assert.deepEqual(await ids(page, 'g.held'), []);
  assert.ok(await page.locator('#person-panel').isHidden());
}

// The reference model at 1400×900: the first view is the linked part of
// the diagram; the systems linked to nothing are listed apart.
async function referenceFirstScreen(page) {
  const file = path.join(outDir, 'reference-first-screen.html');
  execFileSync(imozuru, ['html', reference, '--at', '2026-01-01', '-o', file], { stdio: 'inherit' });
  await page.goto(pathToFileURL(file).href);
  const info = await page.evaluate(() => {
    const d = JSON.parse(document.getElementById('imozuru-data').textContent);
    return { isolated: d.isolated.map((s) => 'system:' + d.systems[s].id), systems: d.systems.map((s) => 'system:' + s.id) };
  });
  assert.ok(info.isolated.length >= 5, `${info.isolated.length} isolated systems`);
  assert.equal(await page.textContent('#isolated summary'),
    `ほかのシステムと識別子でつながらないシステム (${info.isolated.length})`);
  assert.deepEqual((await page.$$eval('#isolated button', (b) => b.map((x) => 'system:' + x.dataset.id))).sort(),
    [...info.isolated].sort());
  const pane = await page.locator('#diagram').boundingBox();
  const boxes = await page.$$eval('#diagram g.system', (els) => els.map((e) => {
    const r = e.getBoundingClientRect();
    return { id: e.id, x: r.x, y: r.y, w: r.width, h: r.height };
  }));
  const isolated = new Set(info.isolated);
  let linked = 0;
  for (const b of boxes) {
    if (isolated.has(b.id) || !b.w) continue;
    ++linked;
    assert.ok(b.x >= pane.x - 1 && b.y >= pane.y - 1 && b.x + b.w <= pane.x + pane.width + 1 &&
      b.y + b.h <= pane.y + pane.height + 1, `${b.id} is outside the first view`);
  }
  assert.ok(linked >= 30, `${linked} linked systems in the first view`);
  // The first view is closer than the whole diagram, which the fit button shows.
  const first = (await page.$eval('#diagram', (p) => p.dataset.first)).split(' ').map(Number);
  const whole = (await page.$eval('#diagram svg', (s) => s.dataset.whole)).split(' ').map(Number);
  assert.ok(first[3] < whole[3] * 0.9, `the first view (${first}) is closer than the whole (${whole})`);
  await page.screenshot({ path: path.join(outDir, 'reference-1400x900.png') });
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(pathToFileURL(file).href);
  await page.screenshot({ path: path.join(outDir, 'reference-1024x768.png') });
  await page.setViewportSize(size);
  // An isolated system's name brings it into view and selects it.
  await page.goto(pathToFileURL(file).href);
  await page.click('#isolated summary');
  // The first one drawn at the date (one may not be active then).
  let name = null, id = null;
  for (const button of await page.locator('#isolated button').all()) {
    id = 'system:' + (await button.getAttribute('data-id'));
    if (await byId(page, id).isVisible()) {
      name = button;
      break;
    }
  }
  assert.ok(name, 'an isolated system is drawn at 2026-01-01');
  await name.click();
  assert.deepEqual(await ids(page, 'g.system.selected'), [id]);
  const r = await byId(page, id).boundingBox();
  assert.ok(r.x >= pane.x && r.x + r.width <= pane.x + pane.width && r.y >= pane.y && r.y + r.height <= pane.y + pane.height,
    `${id} is brought into view`);
}

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

const people = process.env.IMOZURU_PEOPLE;
const reference = process.env.IMOZURU_REFERENCE;
const run = (args) => execFileSync(imozuru, args, { stdio: ['ignore', 'pipe', 'ignore'] });
const engineReach = (m, ref, date, open, person) => JSON.parse(run(['reach', m, '--from', ref, '--at', date,
  '--format', 'json', ...(open ? ['--open-only'] : []), ...(person ? ['--person', person] : [])]));
const engineGaps = (m, date, person) => JSON.parse(run(['gaps', m, '--at', date, '--format', 'json',
  ...(person ? ['--person', person] : [])])).gaps;
const gapKey = (g) => g.rule + ':' + (g.flow ? 'flow:' + g.flow : 'identifier:' + g.identifier);

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

  // Zoom and pan: the buttons, the keys, the wheel and dragging move the
  // SVG's viewBox; the fit button and 0 bring back the whole diagram.
  const viewBox = () => page.$eval('#diagram svg', (s) => s.getAttribute('viewBox').split(' ').map(Number));
  await page.click('#zoom-fit');  // Enter above brought the node found into view
  const whole = await viewBox();
  assert.deepEqual(whole, (await page.$eval('#diagram svg', (s) => s.dataset.whole)).split(' ').map(Number));
  await page.click('#zoom-in');
  const closer = await viewBox();
  assert.ok(closer[2] < whole[2] * 0.8 && closer[3] < whole[3] * 0.8, 'zoom in shows less of the diagram');
  await page.click('#zoom-out');
  assert.ok(Math.abs((await viewBox())[2] - whole[2]) < 0.5, 'zoom out undoes zoom in');
  await page.focus('#zoom-fit');
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  assert.ok((await viewBox())[2] < whole[2] * 0.6, 'the + key zooms in');
  const before = await viewBox();
  await page.keyboard.press('ArrowRight');
  assert.ok((await viewBox())[0] > before[0], 'the arrow keys pan');
  await page.keyboard.press('0');
  assert.deepEqual(await viewBox(), whole, '0 fits the whole diagram');
  const pane = await page.locator('#diagram').boundingBox();
  await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
  await page.mouse.wheel(0, -300);
  await page.waitForFunction((w) => Number(document.querySelector('#diagram svg').getAttribute('viewBox').split(' ')[2]) < w, whole[2]);
  const wheeled = await viewBox();
  await page.mouse.down();
  await page.mouse.move(pane.x + pane.width / 2 + 120, pane.y + pane.height / 2 + 40, { steps: 5 });
  await page.mouse.up();
  const dragged = await viewBox();
  assert.ok(dragged[0] < wheeled[0] && dragged[1] < wheeled[1], 'dragging right and down shows what was left and above');
  assert.deepEqual(await ids(page, 'g.system.lit'), ['system:health_app'], 'a drag is not a click: the selection stays');
  // Search, Enter: the node found is brought into the middle of the view.
  await page.click('#zoom-in');
  await page.click('#zoom-in');
  await page.click('#zoom-in');
  await page.fill('#search', 'clinic');
  await page.press('#search', 'Enter');
  const node = await byId(page, 'system:clinic').boundingBox();
  const midX = node.x + node.width / 2, midY = node.y + node.height / 2;
  assert.ok(Math.abs(midX - (pane.x + pane.width / 2)) < pane.width / 10 &&
    Math.abs(midY - (pane.y + pane.height / 2)) < pane.height / 10, 'the node found is in the middle of the view');
  await page.click('#zoom-fit');
  await page.fill('#search', '');
  await byId(page, 'identifier:insured_no').click();

  // The subtitle drawn into the diagram follows the slider.
  assert.ok((await page.textContent('#diagram svg')).includes('2022-04-01'));
  await page.mouse.move(1, 1);  // leave the diagram: no tooltip over the screenshot
  assert.ok(await page.locator('#tooltip').isHidden());
  const shot = path.join(outDir, 'page.png');
  await page.screenshot({ path: shot, fullPage: true });
  console.log('screenshot: ' + shot);
  // A second size, as on a small laptop or a projector at 1024×768: the
  // diagram still fits its pane.
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1024, height: 768 });
  const small = await page.locator('#diagram svg').boundingBox();
  const smallPane = await page.locator('#diagram').boundingBox();
  assert.ok(small.width <= smallPane.width + 1 && small.height <= smallPane.height + 1, 'the diagram fits its pane');
  const shotSmall = path.join(outDir, 'page-1024x768.png');
  await page.screenshot({ path: shotSmall });
  console.log('screenshot: ' + shotSmall);
  await page.setViewportSize(size);

  // English page: labels and panel in English.
  await page.goto(pathToFileURL(pageEn).href);
  assert.match(await byId(page, 'system:health_app').textContent(), /Health app/);
  await byId(page, 'identifier:my_number').click();
  assert.match(await page.textContent('#details'), /My Number Act/);

  if (people) await peoplePage(page);
  await timelapsePage(page);
  if (people) {
    await personSelector(page);
    await personSelector(page, ['2016-01-01', '2022-06-01', '2025-06-01']);
  }
  if (reference) await referenceFirstScreen(page);

  // The page's own reach, full and open, equals the engine's, at every date,
  // from every global identifier (quasi identifiers and holder-scoped codes
  // included) and every system; its gaps are the engine's.
  let compared = 0;
  const pageInfo = () => page.evaluate(() => {
    const d = JSON.parse(document.getElementById('imozuru-data').textContent);
    return {
      dates: d.dates, initial: d.initial,
      identifiers: d.identifiers.filter((i) => i.scope === 'global').map((i) => 'identifier:' + i.id),
      systems: d.systems.map((s) => 'system:' + s.id),
      personOn: d.person ? d.person.on : null,
    };
  });
  const compareAt = async (m, dateIndex, date, refs, person) => {
    for (const ref of refs) {
      for (const open of [false, true]) {
        const engine = engineReach(m, ref, date, open, person);
        const mine = await page.evaluate(([r, d, o]) => window.imozuruPage.reach(r, d, o), [ref, dateIndex, open]);
        const where = `${m} ${date} ${ref}${open ? ' --open-only' : ''}${person ? ' --person ' + person : ''}`;
        assert.deepEqual(mine.systems, engine.systems, where);
        if (engine.systems.length) assert.deepEqual(mine.identifiers, engine.identifiers, where);
        ++compared;
      }
    }
    const gaps = engineGaps(m, date, person);
    const mine = await page.evaluate((d) => window.imozuruPage.gaps(d), dateIndex);
    assert.deepEqual(mine.map((g) => [g.key, g.open, g.reason]), gaps.map((g) => [gapKey(g), g.open, g.reason]),
      `gaps of ${m} at ${date}`);
  };
  const models = [model, ...extraModels, ...(people ? [people] : [])];
  for (const [k, m] of models.entries()) {
    const file = path.join(outDir, `reach-${k}.html`);
    execFileSync(imozuru, ['html', m, '-o', file], { stdio: ['ignore', 'inherit', 'ignore'] });  // fixtures without sources warn
    await page.goto(pathToFileURL(file).href);
    const info = await pageInfo();
    for (const [dateIndex, date] of info.dates.entries())
      await compareAt(m, dateIndex, date, [...info.identifiers, ...info.systems]);
  }
  assert.ok(compared > 100, 'reach compared at ' + compared + ' points');
  if (people) {
    // The model for a person, at every date they are active.
    for (const person of ['hanako', 'baby']) {
      const file = path.join(outDir, `person-${person}.html`);
      execFileSync(imozuru, ['html', people, '--at', '2025-06-01', '--person', person, '-o', file], { stdio: 'inherit' });
      await page.goto(pathToFileURL(file).href);
      const info = await pageInfo();
      let active = 0;
      for (const [dateIndex, date] of info.dates.entries()) {
        const on = info.personOn.some((_, r) => r % 2 === 0 && info.personOn[r] <= dateIndex && dateIndex < info.personOn[r + 1]);
        if (!on) continue;
        ++active;
        await compareAt(people, dateIndex, date, [...info.identifiers, ...info.systems], person);
      }
      assert.ok(active >= 2, `${person} is active at ${active} dates`);
    }
  }
  if (reference) {
    // The reference model at two dates: reach and open reach from every
    // global identifier, and the gaps.
    for (const date of ['2020-01-01', '2026-01-01']) {
      const file = path.join(outDir, `reference-${date}.html`);
      execFileSync(imozuru, ['html', reference, '--at', date, '-o', file], { stdio: 'inherit' });
      await page.goto(pathToFileURL(file).href);
      const info = await pageInfo();
      assert.equal(info.dates[info.initial], date);
      const before = compared;
      await compareAt(reference, info.initial, date, info.identifiers);
      assert.ok(compared - before >= 20, `reference model: ${compared - before} reach comparisons at ${date}`);
    }
  }
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
