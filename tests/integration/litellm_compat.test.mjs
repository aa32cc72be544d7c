// What a LiteLLM user meets first, through the real binaries: a config with deployments
// Switchyard cannot serve still starts (those answer a clear error, in the client's format),
// --strict refuses it; the default bind and its refusal to run an open relay; LiteLLM's model
// introspection and the rest of its key/team/user admin routes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  MASTER_KEY, MOCK_KEY, makeTempDir, rawRequest, startGateway, startMock, writeConfig,
  assertOpenAIError, runSwitchyard, cleanEnv, sdkClient, BadRequestError,
} from './harness.mjs';

let mock;
const dirs = [];
before(async () => { mock = await startMock(); });
after(async () => {
  await mock.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function tolerantConfig({ master = true, database } = {}) {
  return `model_list:
  - model_name: jumpstart
    litellm_params:
      model: replicate/meta/llama-2-7b-chat
      aws_region_name: us-west-2
  - model_name: legacy-instruct
    litellm_params: {model: watsonx/ibm/granite-13b-instruct-v2, api_key: k}
  - model_name: gpt-4o-mini
    litellm_params: {model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:${mock.port}/v1", api_key: os.environ/MOCK_KEY, rpm: 60}
    model_info: {mode: chat, max_input_tokens: 128000}
  - model_name: gpt-4o-mini
    litellm_params: {model: replicate/another-model}
${master ? `general_settings:\n  master_key: ${MASTER_KEY}\n` : ''}${database ? `  database_url: sqlite://${database}\n` : ''}`;
}

test('unknown providers disable only their deployments; their names answer why; --strict refuses', async () => {
  const cfg = writeConfig(tolerantConfig());
  dirs.push(cfg.dir);
  const check = runSwitchyard(['check-config', cfg.file]);
  assert.equal(check.code, 0, check.stderr);
  assert.match(check.stdout + check.stderr,
    /warning: model_list\[0\]\.litellm_params\.model: unknown provider 'replicate'.*this deployment is disabled/);
  const strict = runSwitchyard(['check-config', '--strict', cfg.file]);
  assert.notEqual(strict.code, 0);
  assert.match(strict.stderr, /error: model_list\[0\]\.litellm_params\.model: unknown provider 'replicate'/);
  assert.match(strict.stderr, /error: model_list\[1\]\.litellm_params\.model: unknown provider 'watsonx'/);
  const strictServe = runSwitchyard(['serve', '--strict', '--config', cfg.file, '--host', '127.0.0.1', '--port', '0']);
  assert.notEqual(strictServe.code, 0, 'serve --strict refuses the config');
  assert.match(strictServe.stderr, /config is not valid/);

  const gw = await startGateway({ configFile: cfg.file });
  try {
    const client = sdkClient(gw.baseURL);
    const ok = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    assert.ok(ok.choices[0].message.content.length > 0);
    // OpenAI format, through the official SDK.
    await assert.rejects(
      client.chat.completions.create({ model: 'jumpstart', messages: [{ role: 'user', content: 'hi' }] }),
      (e) => {
        assert.ok(e instanceof BadRequestError, String(e));
        assert.equal(e.status, 400);
        assert.equal(e.code, 'model_disabled');
        assert.match(e.message, /model_list\[0\]\.litellm_params\.model: unknown provider 'replicate'/);
        return true;
      });
    // Anthropic format for an Anthropic client.
    const anth = await rawRequest(gw.url, {
      path: '/v1/messages',
      headers: { 'x-api-key': MASTER_KEY, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'legacy-instruct', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(anth.status, 400, anth.text);
    assert.equal(anth.json.type, 'error');
    assert.match(anth.json.error.message, /unknown provider 'watsonx'/);
  } finally {
    await gw.stop();
  }
});

test('a config whose every deployment is disabled is still an error', () => {
  const cfg = writeConfig(`model_list:
  - model_name: a
    litellm_params: {model: replicate/x}
`);
  dirs.push(cfg.dir);
  const r = runSwitchyard(['check-config', cfg.file]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /error: model_list: no usable deployment/);
});

test('default bind: 127.0.0.1 without a master key; an open address with provider keys needs --allow-unauthenticated', async () => {
  const cfg = writeConfig(tolerantConfig({ master: false }));
  dirs.push(cfg.dir);
  const env = cleanEnv({ MOCK_KEY });
  const gw = await startGateway({ args: ['serve', '--config', cfg.file, '--port', '0', '--workers', '1'], env });
  try {
    const r = await rawRequest(gw.url, { method: 'GET', path: '/health/liveliness' });
    assert.equal(r.status, 200);
  } finally {
    await gw.stop();
  }
  const refused = runSwitchyard(['serve', '--config', cfg.file, '--host', '0.0.0.0', '--port', '0'], { env });
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /refusing to listen on 0\.0\.0\.0 without a master key.*--allow-unauthenticated/);
  // The allowed case (--allow-unauthenticated) is covered by the unit tests (BindPolicy): these
  // tests bind loopback addresses only.
});

test('/model/info, /v1/model/info and /model_group/info: LiteLLM shapes, master key only, no keys shown', async () => {
  const cfg = writeConfig(tolerantConfig());
  dirs.push(cfg.dir);
  const gw = await startGateway({ configFile: cfg.file });
  try {
    const get = (p, key = MASTER_KEY) => rawRequest(gw.url, { method: 'GET', path: p, headers: { authorization: `Bearer ${key}` } });
    for (const p of ['/model/info', '/v1/model/info']) {
      const r = await get(p);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.data.length, 1);
      const m = r.json.data[0];
      assert.equal(m.model_name, 'gpt-4o-mini');
      assert.equal(m.litellm_params.model, 'openai/gpt-4o-mini');
      assert.equal(m.litellm_params.rpm, 60);
      assert.equal(m.model_info.id, 'gpt-4o-mini#2');
      assert.equal(m.model_info.max_input_tokens, 128000);
      assert.equal(m.model_info.mode, 'chat');
      assert.ok(!r.text.includes(MOCK_KEY), 'no provider key in the answer');
    }
    const one = await get('/model/info?litellm_model_id=gpt-4o-mini%232');
    assert.equal(one.json.data.length, 1);
    assert.equal((await get('/model/info?litellm_model_id=nope')).json.data.length, 0);
    const g = await get('/model_group/info');
    assert.equal(g.status, 200, g.text);
    assert.deepEqual(g.json.data.map((x) => x.model_group), ['gpt-4o-mini']);
    assert.deepEqual(g.json.data[0].providers, ['openai']);
    assert.equal(g.json.data[0].rpm, 60);
    assert.equal(g.json.data[0].max_input_tokens, 128000);
    const denied = await get('/model/info', 'sk-not-the-master');
    assert.equal(denied.status, 401);
    assertOpenAIError(assert, denied.json, { status: 401 });
  } finally {
    await gw.stop();
  }
});

test('admin API: key block/unblock/regenerate, team update/list/member_add/member_delete/delete, user update/list/delete', async () => {
  const dir = makeTempDir('switchyard-admin-');
  dirs.push(dir);
  const cfg = writeConfig(tolerantConfig({ database: path.join(dir, 'spend.db') }), dir);
  const gw = await startGateway({ configFile: cfg.file });
  const admin = (method, p, body) => rawRequest(gw.url, {
    method, path: p, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
  });
  const chat = (key) => rawRequest(gw.url, {
    path: '/v1/chat/completions',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
  });
  try {
    const team = await admin('POST', '/team/new', { team_id: 'research', team_alias: 'Research' });
    assert.equal(team.status, 200, team.text);
    const key = (await admin('POST', '/key/generate', { team_id: 'research', key_alias: 'ci' })).json.key;
    assert.equal((await chat(key)).status, 200);

    const blocked = await admin('POST', '/key/block', { key });
    assert.equal(blocked.status, 200, blocked.text);
    assert.equal((await chat(key)).json.error.code, 'key_blocked');
    assert.equal((await admin('POST', '/key/unblock', { key })).status, 200);
    assert.equal((await chat(key)).status, 200);
    const missing = await admin('POST', '/key/block', {});
    assert.equal(missing.status, 400);
    assert.equal(missing.json.error.param, 'key');

    const regen = await admin('POST', `/key/${key}/regenerate`, {});
    assert.equal(regen.status, 200, regen.text);
    assert.match(regen.json.key, /^sk-/);
    assert.notEqual(regen.json.key, key);
    assert.equal((await chat(key)).status, 401, 'the old key stops working');
    assert.equal((await chat(regen.json.key)).status, 200, 'the new key works');
    assert.equal((await admin('GET', `/key/info?key=${regen.json.key}`)).json.info.key_alias, 'ci');

    const upd = await admin('POST', '/team/update', { team_id: 'research', max_budget: 12, team_alias: 'R&D' });
    assert.equal(upd.status, 200, upd.text);
    assert.equal(upd.json.data.max_budget, 12);
    const badUpd = await admin('POST', '/team/update', { team_id: 'research', max_budget: 'lots' });
    assert.equal(badUpd.status, 400);
    assert.equal(badUpd.json.error.param, 'max_budget');

    const add = await admin('POST', '/team/member_add', { team_id: 'research', member: { role: 'user', user_id: 'ann' } });
    assert.equal(add.status, 200, add.text);
    assert.equal(add.json.updated_users[0].user_id, 'ann');
    const list = await admin('GET', '/team/list');
    assert.equal(list.status, 200, list.text);
    const research = list.json.find((t) => t.team_id === 'research');
    assert.deepEqual(research.members_with_roles.map((m) => m.user_id), ['ann']);

    const uu = await admin('POST', '/user/update', { user_id: 'ann', max_budget: 3, user_alias: 'Ann' });
    assert.equal(uu.status, 200, uu.text);
    const users = await admin('GET', '/user/list?page=1&page_size=10');
    assert.equal(users.status, 200, users.text);
    assert.equal(users.json.total, 1);
    assert.equal(users.json.users[0].user_id, 'ann');
    assert.equal(users.json.users[0].max_budget, 3);

    assert.equal((await admin('POST', '/team/member_delete', { team_id: 'research', user_id: 'ann' })).status, 200);
    const ud = await admin('POST', '/user/delete', { user_ids: ['ann'] });
    assert.equal(ud.status, 200, ud.text);
    assert.deepEqual(ud.json.deleted_users, ['ann']);
    assert.equal((await admin('GET', '/user/list')).json.total, 0);

    const td = await admin('POST', '/team/delete', { team_ids: ['research'] });
    assert.equal(td.status, 200, td.text);
    assert.equal((await chat(regen.json.key)).status, 401, "a deleted team's keys go with it");
    const none = await admin('POST', '/team/delete', { team_ids: ['research'] });
    assert.equal(none.status, 404);
  } finally {
    await gw.stop();
  }
});
