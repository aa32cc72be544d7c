// LiteLLM's customers (end users): the `user` a client names in its request. Their spend is
// tracked (the record is created by the first request), litellm_settings.max_end_user_budget
// is the budget of those without one, /customer/* (and /end_user/*) manage them, and a blocked
// or spent customer is refused — through the official OpenAI and Anthropic SDKs, with the
// master key and with a virtual key, on a SQLite store in a temp dir.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  MASTER_KEY, makeTempDir, rawRequest, sdkClient, startGateway, startMock, waitFor, writeConfig,
  assertOpenAIError, BadRequestError, AuthenticationError,
} from './harness.mjs';
import Anthropic from '@anthropic-ai/sdk';

let mock;
let gw;
let dir;

before(async () => {
  mock = await startMock();
  dir = makeTempDir('switchyard-endusers-');
  const cfg = writeConfig(`model_list:
  - model_name: gpt-4o-mini
    litellm_params: {model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:${mock.port}/v1", api_key: k}
litellm_settings:
  max_end_user_budget: 0.0000001
general_settings:
  master_key: ${MASTER_KEY}
  database_url: sqlite://${path.join(dir, 'spend.db')}
switchyard_settings:
  spend_flush_interval: 0.05
  drain_timeout: 5
`, dir);
  gw = await startGateway({ configFile: cfg.file });
});

after(async () => {
  await gw?.stop();
  await mock?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function admin(method, p, body) {
  return rawRequest(gw.url, {
    method, path: p, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
  });
}

const ask = (client, user) => client.chat.completions.create({
  model: 'gpt-4o-mini', max_tokens: 8, user, messages: [{ role: 'user', content: 'hello' }],
});

test('a new end user is created by its first request, spends, then meets the default budget', async () => {
  const client = sdkClient(`${gw.url}/v1`, MASTER_KEY, { maxRetries: 0 });
  const first = await ask(client, 'first-timer');
  assert.ok(first.choices[0].message.content);
  // Its spend reaches the store: /customer/info answers from there after a flush.
  const info = await waitFor(async () => {
    const r = await admin('GET', '/customer/info?end_user_id=first-timer');
    return r.status === 200 && r.json.spend > 0 ? r.json : null;
  });
  assert.equal(info.user_id, 'first-timer');
  assert.equal(info.blocked, false);
  assert.equal(info.litellm_budget_table, null);
  // Its spend now passes max_end_user_budget (1e-7 USD): the next request is refused.
  const refused = await ask(client, 'first-timer').catch((e) => e);
  assert.ok(refused instanceof BadRequestError, String(refused));
  assert.match(refused.message, /Budget has been exceeded: end_user 'first-timer' has spent/);
  assert.match(refused.message, /of its max_budget 0\.000000 USD/);
  // Other end users, and requests that name none, are not held to it.
  assert.ok((await ask(client, 'someone-else')).id);
  assert.ok((await ask(client, undefined)).id);
});

test('/customer/new with a budget, /customer/update raises it; /end_user/ routes are the same', async () => {
  let r = await admin('POST', '/customer/new', { user_id: 'acme', max_budget: 0, alias: 'Acme Inc' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.user_id, 'acme');
  assert.equal(r.json.alias, 'Acme Inc');
  assert.equal(r.json.litellm_budget_table.max_budget, 0);
  r = await admin('POST', '/customer/new', { user_id: 'acme' });
  assertOpenAIError(assert, r.json, { status: 400 });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.message, 'Customer already exists, passed user_id=acme. Please pass a new user_id.');

  const client = sdkClient(`${gw.url}/v1`, MASTER_KEY, { maxRetries: 0 });
  const refused = await ask(client, 'acme').catch((e) => e);
  assert.ok(refused instanceof BadRequestError, String(refused));
  assert.match(refused.message, /end_user 'Acme Inc' has spent 0\.000000 USD of its max_budget 0\.000000 USD/);

  r = await admin('POST', '/end_user/update', { user_id: 'acme', max_budget: 100 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.litellm_budget_table.max_budget, 100);
  assert.ok((await ask(client, 'acme')).id);

  r = await admin('POST', '/customer/update', { user_id: 'nobody', max_budget: 1 });
  assert.equal(r.status, 404);
  assert.equal(r.json.error.message, 'End User Id=nobody does not exist in db');
  r = await admin('POST', '/customer/new', { user_id: 'x', budget_id: 'free-tier' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.param, 'budget_id');
  r = await admin('POST', '/customer/new', { user_id: 'x', max_budget: 'lots' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.param, 'max_budget');
});

test('a blocked customer is refused through a virtual key and the Anthropic SDK; unblocked it is served', async () => {
  const key = await admin('POST', '/key/generate', {});
  assert.equal(key.status, 200, key.text);
  let r = await admin('POST', '/customer/block', { user_ids: ['mallory'] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.blocked_users[0].user_id, 'mallory');
  assert.equal(r.json.blocked_users[0].blocked, true);

  const client = sdkClient(`${gw.url}/v1`, key.json.key, { maxRetries: 0 });
  const refused = await ask(client, 'mallory').catch((e) => e);
  assert.ok(refused instanceof AuthenticationError, String(refused));
  assert.match(refused.message, /end_user 'mallory' is blocked/);

  // Anthropic's metadata.user_id names the end user on /v1/messages.
  const anthropic = new Anthropic({ baseURL: gw.url, apiKey: key.json.key, maxRetries: 0 });
  const viaMessages = await anthropic.messages.create({
    model: 'gpt-4o-mini', max_tokens: 8, metadata: { user_id: 'mallory' },
    messages: [{ role: 'user', content: 'hi' }],
  }).catch((e) => e);
  assert.equal(viaMessages.status, 401, String(viaMessages));

  r = await admin('POST', '/customer/unblock', { user_ids: ['mallory'] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.unblocked_users[0].blocked, false);
  r = await admin('POST', '/customer/update', { user_id: 'mallory', max_budget: 10 });
  assert.equal(r.status, 200, r.text);
  assert.ok((await ask(client, 'mallory')).id);
});

test('/customer/list and /customer/delete (all or none)', async () => {
  for (const id of ['del-a', 'del-b']) {
    const r = await admin('POST', '/customer/new', { user_id: id, max_budget: 5 });
    assert.equal(r.status, 200, r.text);
  }
  let r = await admin('GET', '/customer/list');
  assert.equal(r.status, 200, r.text);
  const ids = r.json.map((c) => c.user_id);
  for (const id of ['del-a', 'del-b', 'acme', 'first-timer']) assert.ok(ids.includes(id), `${id} in ${ids}`);

  r = await admin('POST', '/customer/delete', { user_ids: ['del-a', 'ghost'] });
  assert.equal(r.status, 404);
  assert.equal(r.json.error.message, 'End User Id(s)=ghost do not exist in db');
  r = await admin('GET', '/customer/info?end_user_id=del-a');
  assert.equal(r.status, 200, 'nothing deleted when one id is unknown');

  r = await admin('POST', '/customer/delete', { user_ids: ['del-a', 'del-b'] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.deleted_customers, 2);
  assert.equal(r.json.message, "Successfully deleted customers with ids: ['del-a', 'del-b']");
  r = await admin('GET', '/customer/info?end_user_id=del-a');
  assert.equal(r.status, 404);
  r = await admin('GET', '/customer/info');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.param, 'end_user_id');
});

test('customer routes are the master key\'s', async () => {
  const key = await admin('POST', '/key/generate', {});
  const r = await rawRequest(gw.url, {
    method: 'GET', path: '/customer/list',
    headers: { authorization: `Bearer ${key.json.key}` },
  });
  assert.equal(r.status, 403, r.text);
  const none = await rawRequest(gw.url, { method: 'POST', path: '/end_user/new', body: '{"user_id":"x"}' });
  assert.equal(none.status, 401, none.text);
});
