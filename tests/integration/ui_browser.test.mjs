// The admin UI end to end in a real headless Chromium (Debian's chromium, driven by
// puppeteer-core) against a gateway with the mock provider: log in, create a key with a budget,
// call through the OpenAI SDK with it, see the request in the live log and the spend on the
// key's page, block the key and see the next call refused, see a deployment in cooldown after
// the mock failed it. A screenshot of each page goes to $UI_ARTIFACTS_DIR (ctest: the build
// dir's ui-artifacts/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MASTER_KEY, sdkClient } from './harness.mjs';
import { adminCall, startUiStack } from './ui_harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = process.env.UI_ARTIFACTS_DIR ?? path.resolve(here, '..', '..', 'build-debug', 'ui-artifacts');
const chromium = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

let puppeteer;
try {
  puppeteer = (await import('puppeteer-core')).default;
} catch (e) {
  throw new Error(`puppeteer-core is missing (${e.message}); run scripts/setup.sh --test`);
}
if (!fs.existsSync(chromium)) {
  throw new Error(`no Chromium at ${chromium}: install the Debian package chromium (scripts/setup.sh --test) or set CHROMIUM_BIN`);
}

let stack;
let browser;
let page;

before(async () => {
  fs.mkdirSync(artifacts, { recursive: true });
  stack = await startUiStack();
  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 860 });
  page.on('pageerror', (e) => { throw e; });
});
after(async () => {
  await browser?.close();
});

const shot = (name) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
const textOf = (selector) => page.$eval(selector, (el) => el.textContent);
async function goTo(title) {
  const [link] = await page.$$(`xpath/.//nav//a[normalize-space()="${title}"]`);
  assert.ok(link, `a nav link "${title}"`);
  await link.click();
  await page.waitForFunction((t) => document.querySelector('h1')?.textContent.startsWith(t.split(' ')[0]), {}, title);
}
// (A dialog's fields are waited for inside `dialog[open]`: until showModal() runs they are
// rendered but hidden, and keys typed then are lost.)
// Replaces a field's value as a user does: select all, type over it.
async function retype(selector, value) {
  await page.click(selector, { clickCount: 3 });
  await page.keyboard.press('Backspace');
  await page.type(selector, value);
}
async function clickButton(label, scope = '') {
  const [button] = await page.$$(`xpath/.${scope}//button[normalize-space()="${label}"]`);
  assert.ok(button, `a button "${label}"`);
  await button.click();
}

test('log in, create a key, call with it, watch it live, see its spend, block it, see a cooldown', async () => {
  const gw = stack.gw;
  await page.goto(`${gw.url}/ui`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#login-key');
  await shot('login');
  await page.type('#login-key', MASTER_KEY);
  await page.keyboard.press('Enter');
  await page.waitForSelector('nav a[aria-current="page"]');
  assert.equal(await textOf('h1'), 'Overview');
  const cookies = await page.cookies();
  const session = cookies.find((c) => c.name === 'sy_session');
  assert.ok(session && session.httpOnly && session.sameSite === 'Strict', JSON.stringify(cookies));
  assert.equal(await page.evaluate(() => document.cookie), '', 'the page cannot read its session');

  await goTo('Keys');
  await clickButton('Create key');
  await page.waitForSelector('dialog[open] #new-key-key_alias');
  await page.type('#new-key-key_alias', 'e2e-key');
  await page.type('#new-key-max_budget', '5');
  await page.type('#new-key-rpm_limit', '100');
  await shot('keys-create');
  await clickButton('Create', '//dialog');
  await page.waitForSelector('[data-testid="new-key"]');
  const key = (await textOf('[data-testid="new-key"]')).trim();
  assert.match(key, /^sk-/);
  await clickButton('Done');
  await page.waitForFunction(() => [...document.querySelectorAll('td a')].some((a) => a.textContent === 'e2e-key'));
  assert.ok(!(await page.content()).includes(key), 'the key is not on the page once the dialog is closed');
  assert.equal(await page.evaluate(() => JSON.stringify(localStorage)).then((s) => s.includes('sk-')), false);
  await shot('keys');

  await goTo('Live log');
  await page.waitForFunction(() => document.querySelector('[data-testid="live-state"]')?.textContent === 'live');
  const client = sdkClient(gw.baseURL, key);
  const answer = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello from the browser test' }] });
  assert.ok(answer.choices[0].message.content.length > 0);
  await page.waitForFunction(() => [...document.querySelectorAll('table.live tbody tr')].some((tr) => tr.textContent.includes('e2e-key') && tr.textContent.includes('200')), { timeout: 10000 });
  await shot('live-log');

  // The cache and guardrail columns: the same cached question twice (a miss, then a hit), and a
  // streamed one whose e-mail address the guardrail masks.
  const cached = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'cache this answer' }], cache: { 'use-cache': true } };
  await client.chat.completions.create(cached);
  await client.chat.completions.create(cached);
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini', stream: true, guardrails: ['mask-emails'],
    messages: [{ role: 'user', content: 'write to alice@example.com' }],
  });
  for await (const chunk of stream) assert.ok(chunk);
  await page.waitForFunction(() => {
    const cells = (col) => [...document.querySelectorAll(`table.live td[data-col="${col}"]`)].map((td) => td.textContent);
    return cells('cache').includes('hit') && cells('cache').includes('miss') && cells('guardrail').includes('masked');
  }, { timeout: 10000 });
  await shot('live-log-cache-guardrail');
  const masked = await page.waitForSelector('xpath/.//table[contains(@class,"live")]//tr[td[@data-col="guardrail"][normalize-space()="masked"]]//button');
  await masked.click();
  await page.waitForFunction(() => document.querySelector('dialog[open]')?.textContent.includes('mask-emails:input:masked'));
  assert.match(await textOf('dialog[open] dl'), /Cachenot used/);
  await shot('live-detail');
  await clickButton('Close', '//dialog');

  // A request whose group's only deployment fails (the mock answers it 503) and falls back to
  // another group: its detail lists both attempts, why each was made and how it ended.
  const master = sdkClient(gw.baseURL, MASTER_KEY);
  const fellBack = await master.chat.completions.create({ model: 'broken', messages: [{ role: 'user', content: 'fall back' }] });
  assert.ok(fellBack.choices[0].message.content.length > 0);
  const brokenRow = await page.waitForSelector('xpath/.//table[contains(@class,"live")]//tr[td[starts-with(normalize-space(),"broken")]]//button', { timeout: 10000 });
  await brokenRow.click();
  await page.waitForSelector('dialog[open] [data-testid="attempt-list"]');
  const attempts = await page.$$eval('dialog[open] [data-testid="attempt-list"] tbody tr',
    (rows) => rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
  assert.equal(attempts.length, 2, JSON.stringify(attempts));
  const [first, second] = attempts;
  assert.deepEqual(first.slice(0, 4), ['1', 'first try', 'broken#3', 'openai'], JSON.stringify(first));
  assert.match(first[4], /^failed upstream_server$/);
  assert.equal(first[5], '503');
  assert.match(first[6], /^\d+\.\d ms$/);
  assert.deepEqual(second.slice(0, 4), ['2', 'fallback', 'gpt-4o-mini#0', 'openai'], JSON.stringify(second));
  assert.equal(second[4], 'answered');
  assert.equal(second[5], '200');
  assert.match(await textOf('dialog[open] dl'), /Attempts2 \(0 retries, 1 fallbacks\)/);
  await shot('live-detail-attempts');
  await clickButton('Close', '//dialog');

  await goTo('Keys');
  const keyLink = await page.waitForSelector('xpath/.//td/a[normalize-space()="e2e-key"]');
  await keyLink.click();
  await page.waitForSelector('[data-testid="key-spend"]');
  const spend = Number((await textOf('[data-testid="key-spend"]')).replace('$', ''));
  assert.ok(spend > 0, `the key's page shows its spend (${spend})`);
  await page.waitForSelector('.chart canvas');
  await shot('key-detail');

  await clickButton('Block');
  await page.waitForFunction(() => document.querySelector('h1 .badge')?.textContent === 'blocked');
  await assert.rejects(
    client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'again' }] }),
    (e) => e.status === 401 || e.status === 403);
  await shot('key-blocked');

  // The mock fails every call to flaky's first deployment (500): allowed_fails 0 puts it in
  // cooldown at once, and the request is answered by the second.
  await master.chat.completions.create({ model: 'flaky', messages: [{ role: 'user', content: 'x' }] });
  await goTo('Models');
  const stateOf = (id) => page.$eval(`tr[data-deployment="${id}"] [data-testid="deployment-state"]`, (e) => e.textContent);
  await page.waitForSelector('tr[data-deployment="flaky#1"]');
  assert.equal(await stateOf('flaky#1'), 'cooling down');
  assert.equal(await stateOf('flaky#2'), 'healthy');
  assert.equal(await stateOf('gpt-4o-mini#0'), 'healthy');
  await shot('models');

  // Teams: create one with a budget, edit its budget and limits in place, add and remove a
  // member, block it and see its key refused.
  await goTo('Teams & users');
  await clickButton('Create team');
  await page.waitForSelector('dialog[open] #new-team-team_id');
  await page.type('#new-team-team_id', 'e2e-team');
  await page.type('#new-team-max_budget', '10');
  await clickButton('Create', '//dialog');
  const teamRow = 'tr[data-team="e2e-team"]';
  await page.waitForSelector(teamRow);
  await clickButton('Edit e2e-team');
  await page.waitForSelector('dialog[open] #edit-team-max_budget');
  assert.equal(await page.$eval('#edit-team-max_budget', (e) => e.value), '10');
  await retype('#edit-team-max_budget', '20');
  await page.type('#edit-team-rpm_limit', '50');
  await page.type('#edit-team-team_alias', 'E2E team');
  await shot('team-edit');
  await clickButton('Save', '//dialog');
  await page.waitForFunction((sel) => {
    const t = document.querySelector(sel)?.textContent ?? '';
    return t.includes('$0.00 / $20.00') && t.includes('50 rpm') && t.includes('E2E team');
  }, {}, teamRow);
  assert.ok(await page.$(`${teamRow} meter`), 'the team budget has a meter');
  const info = (await adminCall(gw, 'GET', '/team/info?team_id=e2e-team')).json;
  const team = info.team_info ?? info;
  assert.equal(team.max_budget, 20, JSON.stringify(info));
  assert.equal(team.rpm_limit, 50);

  await clickButton('Members of e2e-team');
  await page.waitForSelector('dialog[open] #member-id');
  await page.type('#member-id', 'e2e-user');
  await clickButton('Add member', '//dialog');
  await page.waitForSelector('dialog[open] tr[data-member="e2e-user"]');
  await shot('team-members');
  assert.equal((await adminCall(gw, 'GET', '/user/info?user_id=e2e-user')).json.user_info?.team_id ?? null, 'e2e-team');
  await clickButton('Remove e2e-user', '//dialog');
  await page.waitForFunction(() => !document.querySelector('dialog[open] tr[data-member]'));
  assert.equal((await adminCall(gw, 'GET', '/user/info?user_id=e2e-user')).json.user_info?.team_id ?? null, null);
  await page.type('#member-id', 'e2e-user');
  await clickButton('Add member', '//dialog');
  await page.waitForSelector('dialog[open] tr[data-member="e2e-user"]');
  await clickButton('Close', '//dialog');

  // A user edited in place.
  await page.waitForSelector('tr[data-user="e2e-user"]');
  await clickButton('Edit e2e-user');
  await page.waitForSelector('dialog[open] #edit-user-max_budget');
  await page.type('#edit-user-max_budget', '3');
  await clickButton('Save', '//dialog');
  await page.waitForFunction(() => document.querySelector('tr[data-user="e2e-user"]')?.textContent.includes('$0.00 / $3.00'));

  const teamKey = (await adminCall(gw, 'POST', '/key/generate', { team_id: 'e2e-team' })).json.key;
  const teamClient = sdkClient(gw.baseURL, teamKey);
  await teamClient.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'team call' }] });
  await clickButton('Block e2e-team');
  await page.waitForFunction((sel) => document.querySelector(`${sel} .badge`)?.textContent === 'blocked', {}, teamRow);
  await assert.rejects(
    teamClient.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'again' }] }),
    (e) => e.status === 401);
  await shot('teams-edited');

  for (const [title, name] of [['Overview', 'overview'], ['Spend', 'spend'], ['Teams & users', 'teams'], ['Playground', 'playground']]) {
    await goTo(title);
    await new Promise((r) => setTimeout(r, 400));
    if (name === 'overview') {
      // TTFT from the hourly rollups: the streamed request above is in them.
      await page.waitForFunction(() => /^\d+ ms \/ \d+ ms$/.test([...document.querySelectorAll('.stat')].find((s) => s.textContent.startsWith('TTFT'))?.querySelector('.stat-value').textContent ?? ''));
    }
    await shot(name);
  }
  // The dark theme, as a user picks it.
  await goTo('Overview');
  await page.select('.theme select', 'dark');
  await new Promise((r) => setTimeout(r, 400));
  await shot('overview-dark');

  // Keyboard: on a fresh load the skip link is the first stop.
  await page.reload({ waitUntil: 'networkidle0' });
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');

  await clickButton('Log out');
  await page.waitForSelector('#login-key');
  assert.equal((await page.cookies()).some((c) => c.name === 'sy_session' && c.value), false);
});

// 30 days x 1,000 keys of hourly rollups (one hour a day each: 30,000 rows), written straight
// into the store while the gateway is stopped (python3's sqlite3: node 20 has none). Their ten
// streamed requests each had their first token within 100 ms in the last two days, and within
// 3-5 s before: the TTFT of the last 24 h and of the last 30 days differ.
function seedRollups(db) {
  const script = `
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
now_hour = int(time.time() // 3600)
rows = [(now_hour - day * 24 - (k % 24), f"key-{k:04d}", f"team-{k % 20}", "", "gpt-4o-mini",
         "gpt-4o-mini", "d", 10, 1000, 500, 1500, 0, 0, 0.001 * (1 + k % 7), 0.0,
         10 if day < 2 else 0, 0 if day < 2 else 10)
        for k in range(1000) for day in range(30)]
db.executemany("""INSERT OR REPLACE INTO sy_spend_rollups (hour, api_key, team_id, user_id, model,
  model_group, deployment, requests, prompt_tokens, completion_tokens, total_tokens, cached_tokens,
  cache_hits, spend, saved_spend, ttft_le_100ms, ttft_le_5000ms)
  VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""", rows)
db.commit()
print(len(rows))
`;
  const r = spawnSync('python3', ['-c', script, db], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '30000');
}

test('the Spend and Overview pages render 30 days of spend for 1,000 keys within 1 s of their data', async () => {
  await stack.restart(() => seedRollups(stack.db));
  const gw = stack.gw;
  await page.goto(`${gw.url}/ui/overview`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#login-key');
  await page.type('#login-key', MASTER_KEY);
  await page.keyboard.press('Enter');
  await page.waitForSelector('nav a[aria-current="page"]');
  await page.waitForSelector('.chart canvas');

  // How long the page takes to render once its data has arrived (the admin API's own time is
  // the store's, and in a debug build mostly the sanitizers'): from the end of the last API
  // response to the moment the page shows it, and the whole wait as well.
  const timed = async (action, ready) => {
    await page.evaluate(() => performance.clearResourceTimings());
    const started = Date.now();
    await action();
    await page.waitForFunction(ready, { timeout: 15000 });
    const total = Date.now() - started;
    const render = await page.evaluate(() => performance.now() - Math.max(0,
      ...performance.getEntriesByType('resource').filter((e) => !e.name.includes('/live/')).map((e) => e.responseEnd)));
    return { render, total };
  };
  const spendMs = await timed(
    () => goTo('Spend'),
    () => document.querySelectorAll('table.data tbody tr').length === 500 && document.querySelector('.chart canvas'));
  await shot('spend-1000-keys');
  const keysTotal = await page.$eval('main > p', (p) => p.textContent);
  // (plus the few requests of the test before)
  assert.match(keysTotal, /300,0\d\d requests/, keysTotal);
  const ttftStat = () => page.$$eval('.stat', (stats) => stats.find((s) => s.textContent.startsWith('TTFT')).textContent);
  const overviewMs = await timed(
    () => goTo('Overview'),
    () => Number(document.querySelector('.stat-value')?.textContent.replace(/,/g, '')) >= 10000);
  // 24 h: the seeded fast first tokens (and the test's own streams); none of the slow ones.
  const dayTtft = /TTFT p50 \/ p95(\d+) ms \/ (\d+) ms/.exec(await ttftStat());
  assert.ok(dayTtft && Number(dayTtft[1]) <= 100 && Number(dayTtft[2]) <= 100, await ttftStat());
  const [thirty] = await page.$$('xpath/.//button[@role="radio" and normalize-space()="30 d"]');
  const rangeMs = await timed(() => thirty.click(),
    () => document.querySelector('[role="radio"][aria-checked="true"]')?.textContent === '30 d' &&
      Number(document.querySelector('.stat-value')?.textContent.replace(/,/g, '')) >= 300000);
  await shot('overview-1000-keys');
  // 30 d: 280,000 slow first tokens against 10,000 fast ones.
  const monthTtft = /TTFT p50 \/ p95(\d+) ms \/ (\d+) ms/.exec(await ttftStat());
  assert.ok(monthTtft && Number(monthTtft[1]) > 3000 && Number(monthTtft[2]) <= 5000, await ttftStat());
  const month = (await adminCall(gw, 'GET', `/spend/buckets?bucket=day&start_date=${new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10)}`)).json;
  assert.equal(month.totals.ttft_buckets.length, month.totals.ttft_bounds_ms.length + 1);
  assert.ok(month.totals.ttft_requests >= 290000, JSON.stringify(month.totals));
  for (const [what, took] of [['Spend', spendMs], ['Overview', overviewMs], ['Overview 30 d', rangeMs]]) {
    console.log(`${what}: rendered ${Math.round(took.render)} ms after its data arrived (${took.total} ms in all)`);
    assert.ok(took.render <= 1000, `${what}: ${Math.round(took.render)} ms to render 30 days x 1,000 keys`);
  }
  await browser.close();
  browser = null;
  await stack.stop();
});
