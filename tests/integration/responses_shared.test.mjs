// Stored responses shared by several gateways on one PostgreSQL, driven by the official openai
// SDK: a response created on one instance is retrieved, listed, continued and deleted on another
// (each reads the table on a miss), another key still gets 404s there, and with
// responses_store_scope: team the keys of the creating key's team share it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  MASTER_KEY, NotFoundError, makeTempDir, rawRequest, sdkClient, startGateway, startMock, waitFor,
} from './harness.mjs';
import { startPostgres } from './servers.mjs';

let mock, pg, dir;
let a, b, teamGw;

function config(scope) {
  const base = `http://127.0.0.1:${mock.port}`;
  return `model_list:
  - model_name: claude
    litellm_params: {model: anthropic/claude-3-5-haiku-latest, api_base: "${base}", api_key: os.environ/MOCK_KEY}
  - model_name: gpt-native
    litellm_params: {model: openai/gpt-4o-mini, api_base: "${base}/v1", api_key: os.environ/MOCK_KEY}
general_settings:
  master_key: ${MASTER_KEY}
  database_url: ${pg.url}
switchyard_settings:
  store_refresh_interval: 60
  drain_timeout: 5
${scope ? `  responses_store_scope: ${scope}\n` : ''}`;
}

function gatewayWith(scope, name) {
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(file, config(scope));
  return startGateway({ configFile: file });
}

before(async () => {
  pg = await startPostgres();
  if (!pg) return;
  mock = await startMock();
  dir = makeTempDir('switchyard-rshared-');
  a = await gatewayWith(null, 'a');
  b = await gatewayWith(null, 'b');
  teamGw = await gatewayWith('team', 'team');
});

after(async () => {
  const alive = [a, b, teamGw].every((g) => !g || g.child.running !== false);
  for (const g of [a, b, teamGw]) await g?.stop();
  await mock?.stop();
  pg?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  assert.ok(alive, 'a gateway died during the tests');
});

const skip = (t) => {
  if (pg) return false;
  t.skip('PostgreSQL not installed (scripts/setup.sh --test)');
  return true;
};

const isNotFound = (e) => e instanceof NotFoundError && e.status === 404;

function admin(gw, p, body) {
  return rawRequest(gw.url, {
    path: p, body: JSON.stringify(body),
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
  });
}

// A key made on `a`, known to every instance (LISTEN/NOTIFY carries it).
async function newKey(body = {}) {
  const r = await admin(a, '/key/generate', body);
  assert.equal(r.status, 200, r.text);
  for (const gw of [a, b, teamGw]) {
    const known = await waitFor(async () => {
      const info = await rawRequest(gw.url, {
        method: 'GET', path: `/key/info?key=${encodeURIComponent(r.json.key)}`,
        headers: { authorization: `Bearer ${MASTER_KEY}` },
      });
      return info.status === 200;
    }, { timeoutMs: 3000 });
    assert.ok(known, 'the key reaches every instance');
  }
  return r.json.key;
}

async function lastUpstream() {
  return (await mock.stats()).last_request;
}

describe('two gateways on one PostgreSQL', () => {
  it('a response made on A is retrieved, listed, continued and deleted on B', async (t) => {
    if (skip(t)) return;
    const key = await newKey();
    const onA = sdkClient(a.baseURL, key);
    const onB = sdkClient(b.baseURL, key);
    const made = await onA.responses.create({ model: 'claude', input: 'My name is Ada.' });
    // Right away: B reads the table, waiting out A's write window when the row is not there yet.
    const got = await onB.responses.retrieve(made.id);
    assert.equal(got.id, made.id);
    assert.deepEqual(got.output, made.output);
    const items = await onB.responses.inputItems.list(made.id);
    assert.deepEqual(items.data.map((i) => i.type), ['message']);

    const next = await onB.responses.create({
      model: 'claude', previous_response_id: made.id, input: 'What is my name?',
    });
    assert.equal(next.status, 'completed');
    assert.equal(next.previous_response_id, made.id);
    const sent = (await lastUpstream()).body;
    assert.equal(sent.messages.length, 3, JSON.stringify(sent.messages));
    assert.ok(JSON.stringify(sent.messages[0]).includes('My name is Ada.'));
    // ... and B's answer continues on A.
    const third = await onA.responses.create({
      model: 'claude', previous_response_id: next.id, input: 'Spell it.',
    });
    assert.equal(third.status, 'completed');
    assert.equal((await lastUpstream()).body.messages.length, 5);

    // Deleted on B: gone on A too, though A made it and holds it in memory.
    await onB.responses.delete(made.id);
    await assert.rejects(onB.responses.retrieve(made.id), isNotFound);
    const goneOnA = await waitFor(async () => {
      try {
        await onA.responses.retrieve(made.id);
        return false;
      } catch (e) {
        return isNotFound(e);
      }
    }, { timeoutMs: 3000 });
    assert.ok(goneOnA, 'A sees the delete B made');
    await assert.rejects(
      onA.responses.create({ model: 'claude', previous_response_id: made.id, input: 'and?' }),
      (e) => isNotFound(e) && e.code === 'previous_response_not_found');
  });

  it('a native upstream\'s response made on A is asked of its deployment from B', async (t) => {
    if (skip(t)) return;
    const key = await newKey();
    const made = await sdkClient(a.baseURL, key).responses.create({ model: 'gpt-native', input: 'hi' });
    const got = await sdkClient(b.baseURL, key).responses.retrieve(made.id);
    assert.equal(got.id, made.id);
    const up = await lastUpstream();
    assert.equal(up.method, 'GET');
    assert.equal(up.target, `/v1/responses/${made.id}`);
  });

  it('another key gets 404s on the other instance too', async (t) => {
    if (skip(t)) return;
    const mine = await sdkClient(a.baseURL, await newKey()).responses.create({
      model: 'claude', input: 'secret plans',
    });
    const other = sdkClient(b.baseURL, await newKey());
    await assert.rejects(other.responses.retrieve(mine.id), isNotFound);
    await assert.rejects(other.responses.inputItems.list(mine.id), isNotFound);
    await assert.rejects(other.responses.delete(mine.id), isNotFound);
    await assert.rejects(
      other.responses.create({ model: 'claude', previous_response_id: mine.id, input: 'and?' }),
      (e) => isNotFound(e) && e.code === 'previous_response_not_found');
    await assert.rejects(sdkClient(b.baseURL).responses.retrieve(mine.id), isNotFound,
      'nor the master key');
  });
});

describe('responses_store_scope: team', () => {
  it('keys of one team share their responses; other teams and the default scope do not', async (t) => {
    if (skip(t)) return;
    const team = await admin(a, '/team/new', { team_alias: 'research' });
    assert.equal(team.status, 200, team.text);
    const other = await admin(a, '/team/new', { team_alias: 'sales' });
    const [first, second, outsider, loner] = [
      await newKey({ team_id: team.json.team_id }),
      await newKey({ team_id: team.json.team_id }),
      await newKey({ team_id: other.json.team_id }),
      await newKey(),
    ];
    const made = await sdkClient(teamGw.baseURL, first).responses.create({
      model: 'claude', input: 'The launch is on Friday.',
    });
    const mate = sdkClient(teamGw.baseURL, second);
    assert.equal((await mate.responses.retrieve(made.id)).id, made.id);
    const next = await mate.responses.create({
      model: 'claude', previous_response_id: made.id, input: 'When is the launch?',
    });
    assert.equal(next.status, 'completed');
    assert.ok(JSON.stringify((await lastUpstream()).body).includes('The launch is on Friday.'));
    for (const key of [outsider, loner]) {
      await assert.rejects(sdkClient(teamGw.baseURL, key).responses.retrieve(made.id), isNotFound);
      await assert.rejects(sdkClient(teamGw.baseURL, key).responses.delete(made.id), isNotFound);
    }
    // The same response on an instance with the default scope: its creator's only.
    await assert.rejects(sdkClient(b.baseURL, second).responses.retrieve(made.id), isNotFound);
    assert.equal((await sdkClient(b.baseURL, first).responses.retrieve(made.id)).id, made.id);
    // A teammate may delete it.
    await mate.responses.delete(made.id);
    await assert.rejects(sdkClient(teamGw.baseURL, first).responses.retrieve(made.id), isNotFound);
  });
});
