// Writes a sweep of every assigned code point (U+0000..U+323AF without surrogates, plane 14's
// tags and selectors, two private-use ones) in five contexts each class behaves differently in,
// with the reference's ids for both encodings, in corpus.jsonl's format: 21,275 strings, ~53 MB,
// too large to commit. Checks the Unicode class table against the reference exhaustively:
//   node gen_sweep.mjs /tmp/sweep.jsonl
//   SWITCHYARD_TOKENIZER_SWEEP=/tmp/sweep.jsonl build-debug/tests/unit_tests --gtest_filter='TokenizerSweep*'
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { get_encoding } = require('tiktoken');
const o200k = get_encoding('o200k_base');
const cl100k = get_encoding('cl100k_base');
const file = process.argv[2];
if (!file) throw new Error('usage: node gen_sweep.mjs OUT.jsonl');
const out = fs.openSync(file, 'w');
const cps = [];
for (let cp = 0; cp <= 0x323af; cp++) if (cp < 0xd800 || cp > 0xdfff) cps.push(cp);
for (let cp = 0xe0000; cp <= 0xe01ef; cp++) cps.push(cp);
cps.push(0xf0000, 0x10fffd);
const contexts = [(s) => 'a' + s, (s) => 'A' + s + "'s ", (s) => ' ' + s + '1', (s) => s + s + ' ',
  (s) => s + 'Ab\n'];
let n = 0;
for (let i = 0; i < cps.length; i += 48) {
  const chunk = cps.slice(i, i + 48).map((c) => String.fromCodePoint(c));
  for (const context of contexts) {
    const text = chunk.map(context).join('');
    const row = [text, Array.from(o200k.encode_ordinary(text)), Array.from(cl100k.encode_ordinary(text))];
    fs.writeSync(out, JSON.stringify(row) + '\n');
    n++;
  }
}
fs.closeSync(out);
console.log(`${n} strings in ${file}`);
