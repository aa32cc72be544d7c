// Generates tests/fixtures/tokenizer/corpus.jsonl: varied strings with the token ids the
// reference implementation (the npm `tiktoken` package, OpenAI's tiktoken compiled to
// WebAssembly) gives for o200k_base and cl100k_base, for tests/unit/tokenizer/. Deterministic
// (seeded): rerunning it gives the same file. Each line: [text, o200k ids, cl100k ids].
// Usage (from this folder): npm ci && node gen_corpus.mjs
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { get_encoding } = require('tiktoken');
const ucd = path.join(here, 'node_modules', '@unicode', 'unicode-16.0.0');

let seed = 0x5eed1234;
function rand() {  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = (a) => a[Math.floor(rand() * a.length)];
const repeat = (n, f) => Array.from({ length: n }, f);
const cp = (c) => String.fromCodePoint(c);

const phrases = [
  'The quick brown fox jumps over the lazy dog.', 'Hello, world!', 'I would like a cup of tea, please.',
  'Die Straße ist nass, weil es regnet.', 'Größenordnung über Äpfel und Öl', 'Ça va très bien, merci beaucoup !',
  'L’été dernier, nous sommes allés à la plage.', '¿Dónde está la biblioteca? ¡Allí!', 'El niño comió una manzana.',
  'Привет, как дела? Всё хорошо.', 'Съешь же ещё этих мягких французских булок.', 'Καλημέρα κόσμε, τι κάνεις;',
  'مرحبا بالعالم، كيف حالك؟', 'السلام عليكم ورحمة الله', 'שלום עולם, מה שלומך?', 'नमस्ते दुनिया, आप कैसे हैं?',
  'हिन्दी भाषा में लिखा गया वाक्य।', 'আমি বাংলায় গান গাই।', 'தமிழ் ஒரு பழமையான மொழி.', 'తెలుగు భాష చాలా అందమైనది.',
  'ಕನ್ನಡ ಸಾಹಿತ್ಯ', 'മലയാളം ഭാഷ', 'ગુજરાતી લિપિ', 'ਪੰਜਾਬੀ ਬੋਲੀ', 'සිංහල භාෂාව', 'ภาษาไทยเป็นภาษาที่สวยงาม',
  'ພາສາລາວ', 'ភាសាខ្មែរ', 'မြန်မာဘာသာ', '你好，世界！今天天气很好。', '我爱北京天安门。', '這是繁體中文的句子。',
  'こんにちは、世界！お元気ですか？', '日本語のテキストとカタカナ、ひらがな。', 'ｶﾀｶﾅ ﾊﾝｶｸ', '안녕하세요, 세계! 반갑습니다.',
  '한국어 문장입니다.', 'Tiếng Việt có dấu: Xin chào các bạn.', 'Türkçe: İstanbul’da ılık bir gün. IĞDIR', 'Polski: Zażółć gęślą jaźń.',
  'Čeština: Příliš žluťoučký kůň úpěl ďábelské ódy.', 'Română: Șoseaua și țara.', 'Magyar: Árvíztűrő tükörfúrógép.',
  'Íslenska: Þetta er ðæmi.', 'Dansk: Blåbærsyltetøj', 'ქართული ენა', 'Հայերեն լեզու', 'አማርኛ ቋንቋ', 'ᐃᓄᒃᑎᑐᑦ',
  'ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ', 'ꦧꦱꦗꦮ', 'Ελληνικά: ΑΒΓΔ αβγδ ϐϑϕ', 'Ǆemal ǅemal ǆemal', 'Ꭰ Ꭱ Ꭲ ꭰ ꭱ', 'ʰʲʷ ˀ ˁ ꜝ',
  'Mongolian: ᠮᠣᠩᠭᠣᠯ', 'Tibetan: བོད་ཡིག', 'Syriac: ܠܫܢܐ ܣܘܪܝܝܐ', 'Thaana: ދިވެހި', 'N’Ko: ߒߞߏ',
  'Garay: 𐵐𐵑𐵒 𐵰𐵱𐵲', 'Gothic: 𐌲𐌿𐍄𐌹𐍃𐌺', 'Deseret: 𐐔𐐯𐑅𐐨𐑉𐐯𐐻', 'Math: 𝐀𝐁𝐂 𝑎𝑏𝑐 𝔸𝔹ℂ ∑∫√∞ ≤ ≥ ≠',
  'Cuneiform: 𒀀𒀁𒀂', 'Egyptian: 𓀀𓀁𓂀', 'CJK Ext B: 𠀀𠀁𠀂 𪜀', 'Yi: ꆈꌠꁱꂷ', 'Vai: ꕙꔤ', 'Bamum: ꚠꚡ',
];
const words = ['alpha', 'Beta', 'GAMMA', 'delta', 'epsilon', 'zeta', 'theta', 'iota', 'kappa', 'lambda', 'Mu',
  'the', 'of', 'and', 'to', 'in', 'is', 'you', 'that', 'it', 'he', 'was', 'for', 'on', 'are', 'as', 'with',
  'Straße', 'naïve', 'café', 'résumé', 'coöperate', 'façade', 'jalapeño', 'Ångström', 'HTTPServer', 'iPhone',
  'XMLHttpRequest', 'getElementById', 'snake_case_name', 'kebab-case-name', 'CamelCaseWord', 'ALLCAPS',
  'мир', 'Москва', 'λόγος', 'Ωμέγα', 'שלום', 'سلام', 'नमस्ते', '世界', '東京', 'ソフトウェア', '서울', 'ไทย'];
const punct = ['.', ',', '!', '?', ';', ':', '...', '—', '–', '-', '(', ')', '[', ']', '{', '}', '"', "'", '«', '»',
  '“', '”', '‘', '’', '/', '\\', '|', '@', '#', '$', '%', '^', '&', '*', '+', '=', '<', '>', '~', '`', '¿', '¡',
  '。', '、', '！', '？', '：', '·', '•', '†', '§', '¶', '©', '®', '™', '°', '€', '£', '¥', '₹', '₽'];
const spaces = [' ', ' ', ' ', '  ', '   ', '\t', '\n', '\n\n', '\r\n', '\r', ' \n', '\n ', '\u00a0', '\u3000',
  '\u2028', '\u2029', '\u0085', '\u000b', '\u000c', '\u2009', '\u200a', '\u202f', '\u205f', '\u1680', '\u2003'];
const emoji = ['😀', '😂', '🥲', '❤️', '👍', '👍🏽', '👋🏿', '🙏🏻', '🔥', '✨', '🎉', '🚀', '🤖', '🧑‍💻', '👩‍👩‍👧‍👦',
  '👨‍👩‍👧', '🏳️‍🌈', '🏴‍☠️', '❤️‍🔥', '🧔🏾‍♂️', '👩🏼‍🚀', '🇺🇸', '🇯🇵', '🇩🇪', '🇫🇷', '🇺🇳', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '1️⃣', '#️⃣',
  '*️⃣', '©️', '™️', '☺', '☺️', '✌🏾', '🫠', '🪿', '🫶🏽', '⌚', '⏰', '♻️', '⚠️', '🅰️', '🆗', '🈶', '〽️'];
const digitSets = ['0123456789', '٠١٢٣٤٥٦٧٨٩', '۰۱۲۳۴۵۶۷۸۹', '०१२३४५६७८९', '০১২৩৪৫৬৭৮৯', '๐๑๒๓๔๕๖๗๘๙',
  '０１２３４５６７８９', '𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗', '¹²³⁴⁵⁶⁷⁸⁹⁰', '½¼¾⅓⅔', 'ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ', '①②③④⑤', '〇一二三'];
const contractions = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'T", "'RE", "'Ve", "'M", "'LL", "'D",
  "'ſ", '’s', '’t', "''s", "'x", "'", "'r", "'v", "'l", "'ss", "'dd", "'llama", "'re'", "'s's"];

function digits() {
  const set = [...pick(digitSets)];
  return repeat(int(1, 14), () => pick(set)).join('');
}
function word() {
  return rand() < 0.8 ? pick(words) : repeat(int(1, 12), () => pick([...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüñßøåæçłžšđ'])).join('');
}
function sentence() {
  const parts = [];
  for (let i = int(1, 5); i > 0; i--) {
    const r = rand();
    if (r < 0.35) parts.push(pick(phrases));
    else if (r < 0.6) parts.push(word());
    else if (r < 0.7) parts.push(digits());
    else if (r < 0.85) parts.push(pick(punct));
    else parts.push(pick(emoji));
    parts.push(rand() < 0.8 ? ' ' : pick(spaces));
  }
  return parts.join('');
}

const codeSnippets = [
  'def add(a, b):\n    return a + b\n', 'for (let i = 0; i < n; i++) {\n\tconsole.log(i);\n}\n',
  '#include <stdio.h>\nint main(void) { printf("%d\\n", 42); return 0; }\n',
  'SELECT id, name FROM users WHERE age >= 18 ORDER BY name DESC;', '{"key": "value", "list": [1, 2.5, -3e10, null, true]}',
  '<div class="container"><p>Hello &amp; welcome</p></div>', 'fn main() -> Result<(), Box<dyn Error>> { Ok(()) }',
  'if [[ -f "$HOME/.bashrc" ]]; then source ~/.bashrc; fi', 'const x = a?.b ?? c || d && !e;',
  'public static void main(String[] args) throws IOException {', 'x = [i**2 for i in range(10) if i % 2 == 0]',
  'git commit -m "Fix: handle CRLF\\r\\n line endings"', 'https://example.com/path/to/page?query=1&b=%20x#frag',
  'std::vector<std::pair<int, std::string>> v{{1, "a"}};', '    // TODO(someone): refactor this mess!!!\n',
  'a=1;b=2;c=a+b;print(c)', '\t\t\treturn nil, fmt.Errorf("bad: %w", err)\n', '/* block\n * comment\n */',
  '$ curl -sS -X POST http://127.0.0.1:4000/v1/chat/completions', 'matrix[i][j] += alpha * (beta - gamma) / 2;',
  '---\nmodel_list:\n  - model_name: gpt-4o\n    litellm_params: {model: openai/gpt-4o}\n', 'λx.λy.x y', '0x7fffffff & ~0xFF << 3',
  'C:\\Users\\name\\Documents\\file.txt', '/usr/local/lib/python3.11/site-packages//', '// path: src/a/b/c.cpp\r\n',
];
function code() {
  const lines = [];
  for (let i = int(1, 3); i > 0; i--) {
    let s = pick(codeSnippets);
    if (rand() < 0.3) s = s.replace(/\n/g, '\r\n');
    if (rand() < 0.4) s = ' '.repeat(int(1, 16)) + s;
    if (rand() < 0.3) s = s.replace(/[a-z]+/, word());
    lines.push(s);
  }
  return lines.join(rand() < 0.5 ? '\n' : '');
}

function whitespace() {
  return repeat(int(2, 10), () => {
    const r = rand();
    if (r < 0.4) return repeat(int(1, 4), () => pick(spaces)).join('');
    if (r < 0.6) return word();
    if (r < 0.75) return pick(punct);
    if (r < 0.85) return digits();
    return pick(emoji);
  }).join('');
}

function emojiText() {
  return repeat(int(1, 8), () => (rand() < 0.6 ? pick(emoji) : rand() < 0.5 ? word() : pick(spaces))).join('');
}

function contraction() {
  return repeat(int(1, 6), () => {
    const w = rand() < 0.15 ? pick(['中文', '日本', 'ǅ', 'ʰ', 'Ω', 'İ', '1', '']) : word();
    return (rand() < 0.5 ? ' ' : '') + w + pick(contractions);
  }).join(rand() < 0.7 ? ' ' : '');
}

function numbers() {
  const r = rand();
  if (r < 0.3) return String(int(0, 1e9)) + pick(['', '.', ',', '.5', 'e10', '%', 'px', ' USD']);
  if (r < 0.5) return `${int(1, 31)}/${int(1, 12)}/${int(1900, 2100)} ${int(0, 23)}:${int(10, 59)}:${int(10, 59)}`;
  if (r < 0.7) return repeat(int(1, 5), digits).join(pick([' ', ',', '.', '-', '', 'x']));
  return `${word()}${digits()}${word()}${digits()}`;
}

function longString() {
  const n = int(100, 1500);
  const r = rand();
  if (r < 0.15) return pick(['a', 'ab', 'abc', 'Ab', 'xyz', '.', '=', '-', '_', '0', '12', 'é', '中', ' a']).repeat(Math.ceil(n / 2));
  if (r < 0.3) return repeat(n, () => pick([...'abcdefghijklmnopqrstuvwxyz'])).join('');
  if (r < 0.4) return repeat(n, () => pick([...'0123456789abcdef'])).join('');
  if (r < 0.5) return repeat(n, () => pick([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'])).join('') + '==';
  if (r < 0.6) return repeat(n, () => pick(punct)).join('');
  if (r < 0.7) return repeat(n, () => pick([' ', '\t', '\n', '\u3000'])).join('') + word();
  if (r < 0.8) return repeat(Math.ceil(n / 3), () => pick(['中', '文', '日', '本', '語', 'ä', 'ß', 'ф'])).join('');
  if (r < 0.9) return 'e' + '\u0301'.repeat(int(10, 300)) + ' Z̷̢̛a̴l̶g̵o̸' + '\u0300\u0316\u0317'.repeat(int(5, 50));
  return repeat(Math.ceil(n / 4), () => pick(emoji)).join('');
}

const edgeCases = [
  '', ' ', '  ', '\n', '\r\n', '\t', 'a', 'A', '1', '12', '123', '1234', "'", "'s", "'S", "'ſ", "''", ' ', ' a', 'a ',
  '<|endoftext|>', '<|endofprompt|>', '<|fim_prefix|>x<|fim_suffix|>', 'hello<|endoftext|>world', '\u0000', '\u0000\u0001\u0002\u001f\u007f',
  '\ufeffBOM', '\ufffd', '\uffff\ufffe', '\ud800', 'a\udc00b', '\ud83d', '\u{10ffff}', '\u{e000}\u{f8ff}', '\u{f0000}',
  '\u{e0001}\u{e0041}', '\u200b\u200c\u200d', '\u200e\u200f\u202a\u202e', '\u0301', ' \u0301', '\u0301\u0302a', '1\u0301',
  'a\u0301b\u0302', 'Ǆ', 'ǅ', 'ǆ', 'ǅa', 'AǅB', 'ʰa', 'Aʰ', 'ʰA', 'Ωω', 'İi', 'ıI', 'ß', 'ẞ', 'ﬁ', 'Å', 'Å',
  '\u0378', '\u{2fffe}', '\u{50000}', 'x\u0378y', '\r', '\r\r\n\n', ' \r\n ', '\n\n\n', '\u0085a', '\u2028b',
  '\u00a0\u00a0x', 'a\u3000b', '日本A', '日本Ab', '中文\'s', 'ABC\'S', 'ABCdef', 'abcDEF', 'aBcDeF', 'DŽungla',
];
function edge() {
  const base = pick(edgeCases);
  const r = rand();
  if (r < 0.3) return base;
  if (r < 0.6) return word() + base + word();
  if (r < 0.8) return base + pick(spaces) + base + pick(punct);
  return pick(punct) + base + digits();
}

// Around every boundary of the character classes (the runs of src/tokenizer/unicode_classes.inc),
// the last code point before it and the first after it, in contexts each class behaves
// differently in.
async function boundaryStrings() {
  const load = async (p) => (await import(path.join(ucd, p, 'ranges.mjs'))).default;
  const sets = ['Uppercase_Letter', 'Lowercase_Letter', 'Titlecase_Letter', 'Modifier_Letter', 'Other_Letter',
    'Mark', 'Number'].map((c) => `General_Category/${c}`).concat(['Binary_Property/White_Space']);
  const starts = new Set();
  for (const s of sets) for (const r of await load(s)) { starts.add(r.begin); starts.add(r.end); }
  const out = [];
  const ok = (c) => c > 0 && c < 0x110000 && !(c >= 0xd800 && c <= 0xdfff);
  for (const b of [...starts].sort((x, y) => x - y)) {
    const chars = [b - 1, b].filter(ok).map(cp);
    if (!chars.length) continue;
    const [p, c] = [chars[0], chars[chars.length - 1]];
    out.push(`a${p}${c}A${c}1${c}'s ${p}'T\n${c} ${c}X`);
  }
  return out;
}

const generators = [
  [sentence, 2200], [code, 1200], [emojiText, 800], [whitespace, 1000], [numbers, 800], [contraction, 800],
  [longString, 120], [edge, 700],
];
const texts = [];
for (const [gen, n] of generators) for (let i = 0; i < n; i++) texts.push(gen());
texts.push(...edgeCases);
texts.push(...(await boundaryStrings()));

const o200k = get_encoding('o200k_base');
const cl100k = get_encoding('cl100k_base');
const lines = [];
for (const raw of texts) {
  // What tiktoken is given is UTF-8; a lone surrogate becomes U+FFFD on the way, so the fixture
  // stores the well-formed string.
  const text = raw.toWellFormed();
  lines.push(JSON.stringify([text, Array.from(o200k.encode_ordinary(text)), Array.from(cl100k.encode_ordinary(text))]));
}
o200k.free();
cl100k.free();
const outDir = path.join(here, '..', '..', 'tests', 'fixtures', 'tokenizer');
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'corpus.jsonl'), lines.join('\n') + '\n');
console.log(`${lines.length} strings, ${lines.reduce((n, l) => n + l.length + 1, 0)} bytes`);
