// Shared by the admin UI's tests (ui_security, ui_browser): a mock and a gateway with a SQLite
// store and a fast spend flush, a model that always answers and one whose first deployment
// always fails (so that it goes into cooldown while its second answers; a group's only
// deployment is never cooled down), one whose only deployment always fails and falls back to
// the first model, a response cache and an e-mail masking guardrail that only
// requests asking for them use, and the UI's login over plain HTTP.
import fs from 'node:fs';
import path from 'node:path';
import {
  MASTER_KEY, makeTempDir, rawRequest, startGateway, startMock, writeConfig,
} from './harness.mjs';

export async function startUiStack({ logFile } = {}) {
  const mock = await startMock();
  const dir = makeTempDir('switchyard-ui-');
  const cfg = writeConfig(`model_list:
  - model_name: gpt-4o-mini
    litellm_params: {model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:${mock.port}/v1", api_key: k}
  - model_name: flaky
    litellm_params: {model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:${mock.port}/v1", api_key: k, order: 1, extra_headers: {"x-mock-status": "500"}}
  - model_name: flaky
    litellm_params: {model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:${mock.port}/v1", api_key: k, order: 2}
  - model_name: broken
    litellm_params: {model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:${mock.port}/v1", api_key: k, extra_headers: {"x-mock-status": "503"}}
general_settings:
  master_key: ${MASTER_KEY}
  database_url: sqlite://${path.join(dir, 'spend.db')}
litellm_settings:
  cache: true
  cache_params: {type: local, mode: default_off}
guardrails:
  - guardrail_name: mask-emails
    litellm_params:
      guardrail: litellm_content_filter
      mode: pre_call
      default_on: false
      patterns: [{pattern_type: prebuilt, pattern_name: email, action: MASK}]
router_settings:
  num_retries: 0
  allowed_fails: 0
  cooldown_time: 120
  fallbacks: [{broken: [gpt-4o-mini]}]
switchyard_settings:
  spend_flush_interval: 0.05
  drain_timeout: 2
${logFile ? `  access_log: ${logFile}\n` : ''}`, dir);
  let gw = await startGateway({ configFile: cfg.file });
  return {
    mock,
    get gw() { return gw; },
    dir,
    db: path.join(dir, 'spend.db'),
    // Stops the gateway, lets `between` change its store, and starts it again on the same one.
    async restart(between) {
      await gw.stop('SIGTERM');
      await between();
      gw = await startGateway({ configFile: cfg.file });
    },
    async stop() {
      const running = gw.child.running;
      const res = await gw.stop('SIGTERM');
      await mock.stop();
      fs.rmSync(dir, { recursive: true, force: true });
      if (!running) throw new Error(`switchyard died during the test:\n${gw.child.tail()}`);
      if (res.code !== 0) throw new Error(`switchyard exited ${JSON.stringify(res)}:\n${gw.child.tail()}`);
    },
  };
}

export function adminCall(gw, method, p, body, key = MASTER_KEY) {
  return rawRequest(gw.url, {
    method, path: p, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  });
}

// Logs in through the UI's login route (from `localAddress`, a loopback address, when given);
// returns { status, headers, cookie, setCookie, csrf, json }.
export async function uiLogin(gw, key, headers = {}, { localAddress } = {}) {
  const r = await rawRequest(gw.url, {
    method: 'POST', path: '/ui/api/login', body: JSON.stringify({ key }),
    headers: { 'content-type': 'application/json', ...headers }, localAddress,
  });
  const setCookie = [r.headers['set-cookie'] ?? []].flat()[0] ?? '';
  return {
    status: r.status,
    headers: r.headers,
    json: r.json,
    setCookie,
    cookie: setCookie.split(';')[0],
    csrf: r.json?.csrf_token,
  };
}

// A request as the UI's page makes it: the session cookie, and for writes the CSRF token and
// the page's own Origin.
export function sessionCall(gw, session, method, p, body, { csrf = session.csrf, origin = gw.url, headers = {} } = {}) {
  const h = { cookie: session.cookie, 'content-type': 'application/json', ...headers };
  if (method !== 'GET' && csrf !== null) h['x-csrf-token'] = csrf;
  if (method !== 'GET' && origin !== null) h.origin = origin;
  return rawRequest(gw.url, { method, path: p, body: body === undefined ? undefined : JSON.stringify(body), headers: h });
}
