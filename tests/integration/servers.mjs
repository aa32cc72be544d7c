// Throwaway servers the integration tests share state through: a PostgreSQL and a redis-server,
// each in a temp dir on a free loopback port (Debian packages, installed by scripts/setup.sh
// --test), stopped by the test. Each returns null when the server binaries are missing.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { closedPort, makeTempDir, sleep } from './harness.mjs';

// initdb refuses root, so as root the server runs as the postgres user.
export async function startPostgres() {
  const bin = process.env.PG_BINDIR ?? '/usr/lib/postgresql/15/bin';
  if (!fs.existsSync(path.join(bin, 'initdb'))) return null;
  const dir = makeTempDir('switchyard-pg-');
  const asRoot = process.getuid() === 0;
  if (asRoot) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    fs.chownSync(dir, Number(id.stdout), Number(gid.stdout));
  }
  const run = (cmd, args) => {
    const r = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' })
      : spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  };
  const port = await closedPort();
  run(path.join(bin, 'initdb'), ['-D', `${dir}/data`, '-A', 'trust', '-U', 'postgres']);
  run(path.join(bin, 'pg_ctl'), ['-D', `${dir}/data`, '-l', `${dir}/server.log`, '-w', '-o',
    `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir}`, 'start']);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      run(path.join(bin, 'pg_ctl'), ['-D', `${dir}/data`, '-m', 'fast', 'stop']);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const REDIS_BIN = '/usr/bin/redis-server';

function answersPing(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => s.write('PING\r\n'));
    s.on('data', (d) => { s.destroy(); resolve(d.toString().startsWith('+PONG')); });
    s.on('error', () => resolve(false));
    s.setTimeout(500, () => { s.destroy(); resolve(false); });
  });
}

// A redis-server without persistence; stop() kills it (an outage), start() brings it back on
// the same port.
export async function startRedis() {
  if (!fs.existsSync(REDIS_BIN)) return null;
  const dir = makeTempDir('switchyard-redis-');
  const port = await closedPort();
  let child = null;
  const redis = {
    port,
    async start() {
      child = spawn(REDIS_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', '',
        '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
      for (let i = 0; i < 200; i++) {
        if (await answersPing(port)) return;
        await sleep(20);
      }
      throw new Error('redis-server did not start');
    },
    async stop() {
      if (!child) return;
      // Already gone (it died or was killed from outside): no exit event will come.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
      child = null;
    },
    async remove() {
      await redis.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  // Not an `after` hook: one registered from inside a `before` hook runs when that hook ends.
  process.once('exit', () => child?.kill('SIGKILL'));
  await redis.start();
  return redis;
}
