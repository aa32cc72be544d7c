// Builds the UI with Vite and packs every output file into one bundle the gateway embeds
// (src/server/ui/ui_bundle.S.in): node is needed at build time only.
//
// Bundle layout: "SYUI1\n", a 4-byte little-endian manifest length, the manifest (JSON: one
// entry per file with its content type, ETag and the [offset, length] of its identity, gzip and
// brotli forms, offsets from the end of the manifest), then the bytes.
//
// usage: node scripts/build.mjs <outDir> <bundleFile>
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const uiDir = path.resolve(here, '..');
const [outDir, bundleFile] = process.argv.slice(2);
if (!outDir || !bundleFile) {
  console.error('usage: node scripts/build.mjs <outDir> <bundleFile>');
  process.exit(2);
}
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`ui: Node.js ${process.versions.node} is too old to build the admin UI (Vite 7 ` +
    'needs 20.19 or later); install a newer nodejs');
  process.exit(1);
}
let vite;
try {
  vite = await import(path.join(uiDir, 'node_modules', 'vite', 'dist', 'node', 'index.js'));
} catch (e) {
  console.error(`ui: the admin UI's npm packages are missing (${e.code ?? e.message}); run ` +
    '`npm ci` in ui/ or scripts/setup.sh');
  process.exit(1);
}

await vite.build({
  root: uiDir,
  configFile: path.join(uiDir, 'vite.config.js'),
  build: { outDir: path.resolve(outDir), emptyOutDir: true },
});

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
// Already-compressed formats are served as they are.
const compressible = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt', '.ico']);

function walk(dir, prefix = '') {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = prefix + e.name;
    if (e.isDirectory()) out.push(...walk(path.join(dir, e.name), rel + '/'));
    else out.push(rel);
  }
  return out;
}

const chunks = [];
let offset = 0;
const put = (buf) => {
  const at = [offset, buf.length];
  chunks.push(buf);
  offset += buf.length;
  return at;
};
const manifest = [];
for (const rel of walk(path.resolve(outDir))) {
  const ext = path.extname(rel);
  const type = types[ext];
  if (!type) throw new Error(`ui: no content type for ${rel}`);
  const bytes = fs.readFileSync(path.join(outDir, rel));
  const entry = {
    path: rel,
    type,
    etag: '"' + crypto.createHash('sha256').update(bytes).digest('base64url').slice(0, 22) + '"',
    identity: put(bytes),
  };
  if (compressible.has(ext)) {
    const gz = zlib.gzipSync(bytes, { level: 9 });
    const br = zlib.brotliCompressSync(bytes, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    });
    if (gz.length < bytes.length) entry.gzip = put(gz);
    if (br.length < bytes.length) entry.br = put(br);
  }
  manifest.push(entry);
}
const head = Buffer.from(JSON.stringify(manifest));
const len = Buffer.alloc(4);
len.writeUInt32LE(head.length);
fs.mkdirSync(path.dirname(bundleFile), { recursive: true });
// Written whole then renamed, so an interrupted build never leaves half a bundle behind.
fs.writeFileSync(bundleFile + '.tmp', Buffer.concat([Buffer.from('SYUI1\n'), len, head, ...chunks]));
fs.renameSync(bundleFile + '.tmp', bundleFile);
const total = manifest.reduce((n, e) => n + (e.br ?? e.gzip ?? e.identity)[1], 0);
console.log(`ui: ${manifest.length} files, ${(total / 1024).toFixed(1)} KB compressed -> ${bundleFile}`);
