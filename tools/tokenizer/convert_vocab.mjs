// Converts the BPE ranks of o200k_base and cl100k_base from the npm `tiktoken` package
// (node_modules/tiktoken/encoders/<name>.json, OpenAI's vocabularies) into the compact binary
// files under data/tiktoken/ that the binary embeds (src/tokenizer/embedded_vocab.S.in).
//
// Format of <name>.bin (little-endian), rank order:
//   "SYBPE1\n\0"             8-byte magic
//   u32 count                 number of tokens; ranks are 0 .. count-1, without gaps
//   u8  length[count]         byte length of each token (1..255)
//   u8  bytes[sum(length)]    the tokens' bytes, concatenated in rank order
// Usage (from this folder): npm ci && node convert_vocab.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(here, '..', '..', 'data', 'tiktoken');
fs.mkdirSync(outDir, { recursive: true });

for (const name of ['o200k_base', 'cl100k_base']) {
  const file = path.join(here, 'node_modules', 'tiktoken', 'encoders', `${name}.json`);
  const { bpe_ranks: text } = JSON.parse(fs.readFileSync(file, 'utf8'));
  // The package's compact form: lines of "<first token> <first rank> <base64 token>...", the
  // ranks of a line consecutive from <first rank>.
  const tokens = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [, first, ...encoded] = line.split(' ');
    encoded.forEach((b64, i) => {
      const rank = Number(first) + i;
      if (tokens[rank] !== undefined) throw new Error(`${name}: rank ${rank} twice`);
      tokens[rank] = Buffer.from(b64, 'base64');
    });
  }
  for (let r = 0; r < tokens.length; r++) {
    if (!tokens[r]) throw new Error(`${name}: no token of rank ${r}`);
    if (tokens[r].length === 0 || tokens[r].length > 255) throw new Error(`${name}: rank ${r} length`);
  }
  const header = Buffer.alloc(12);
  header.write('SYBPE1\n\0', 0, 'latin1');
  header.writeUInt32LE(tokens.length, 8);
  const lengths = Buffer.from(tokens.map((t) => t.length));
  const out = Buffer.concat([header, lengths, ...tokens]);
  fs.writeFileSync(path.join(outDir, `${name}.bin`), out);
  console.log(`${name}: ${tokens.length} tokens, ${out.length} bytes`);
}
