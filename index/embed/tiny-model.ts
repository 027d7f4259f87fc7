import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { prng } from '../prng.ts';

const { onnx } = onnxProto;

// A tiny stand-in for an e5-style embedding model: one embedding lookup, so that
// mean pooling + normalisation yields a bag-of-words vector. It exists because the
// Hugging Face hub is unreachable here, and it still goes through the real
// transformers.js tokenizer/ONNX loading path.

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
// The e5 prefixes `query: ` / `passage: ` are on every input; as zero vectors they
// add nothing to the mean, so only the actual words decide similarity.
const PREFIX_TOKENS = ['query', 'passage', ':'];
const BASE_CHARS = [...'abcdefghijklmnopqrstuvwxyz0123456789äöüß', ...'.,;:!?\'"()[]{}-–—_/\\&%$€§#*+=<>@|~^`„“”‚‘’«»…'];
const MAX_WORDS = 20_000;
const CHAR_SCALE = 0.3;
const DEFAULT_DIMS = 64;
const DEFAULT_SEED = 0x5eed;

// Mirrors transformers.js' BertNormalizer (clean_text + lowercase, accents kept) and
// BertPreTokenizer, so vocabulary words match what the tokenizer later produces.
const PUNCTUATION = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const WORD_PATTERN = new RegExp(`[^\\s${PUNCTUATION}]+|[${PUNCTUATION}]`, 'gu');
const PUNCTUATION_TOKEN = new RegExp(`^[${PUNCTUATION}]$`, 'u');
const CONTROL_CHARS = /[\u0000\uFFFD]|(?![\t\n\r])[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu;
const MAX_CHARS_PER_WORD = 100;

function preTokenize(text: string): string[] {
  return text.replace(CONTROL_CHARS, '').toLowerCase().match(WORD_PATTERN) ?? [];
}

function buildVocab(corpusTexts: string[]): string[] {
  const counts = new Map<string, number>();
  const chars = new Set(BASE_CHARS);
  for (const text of corpusTexts) {
    for (const word of preTokenize(text)) {
      for (const ch of word) chars.add(ch);
      if ([...word].length <= MAX_CHARS_PER_WORD) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  // Code-unit order rather than localeCompare: identical output on every machine.
  const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sortedChars = [...chars].sort(byCodeUnit);
  const words = [...counts]
    .sort(([a, ca], [b, cb]) => cb - ca || byCodeUnit(a, b))
    .slice(0, MAX_WORDS)
    .map(([word]) => word);

  const tokens = [...SPECIAL_TOKENS, ...PREFIX_TOKENS, ...sortedChars, ...sortedChars.map((c) => `##${c}`), ...words];
  return [...new Set(tokens)];
}

function embeddingMatrix(vocab: string[], dims: number, seed: number): Buffer {
  const random = prng(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const zero = new Set(['[PAD]', '[SEP]', ...PREFIX_TOKENS]);
  const chars = new Set(vocab.filter((t) => [...t.replace(/^##/, '')].length === 1));
  // Punctuation is zeroed too: nearly every passage ends in "." or has commas, and
  // that shared noise would make unrelated texts look similar.
  const isZero = (token: string) => zero.has(token) || PUNCTUATION_TOKEN.test(token);
  const out = Buffer.alloc(vocab.length * dims * 4);
  vocab.forEach((token, row) => {
    // [CLS] gets a tiny vector instead of zero: an empty text ("passage: ") would
    // otherwise pool to all zeros and normalise to NaN.
    // A word missing from the vocabulary falls apart into one piece per character;
    // at full weight those pieces would outweigh the known words of the text.
    const scale = isZero(token) ? 0 : token === '[CLS]' ? 1e-3 : chars.has(token) ? CHAR_SCALE : 1;
    for (let col = 0; col < dims; col++) {
      out.writeFloatLE(gaussian() * scale, (row * dims + col) * 4);
    }
  });
  return out;
}

function onnxModel(vocabSize: number, dims: number, weights: Buffer): Uint8Array {
  const { FLOAT, INT64 } = onnx.TensorProto.DataType;
  const tensorType = (elemType: number, dim: { dimParam?: string; dimValue?: number }[]) => ({
    tensorType: { elemType, shape: { dim } },
  });
  const model = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'quotedesk-tiny-model',
    graph: {
      name: 'bag_of_words',
      initializer: [{ name: 'embeddings', dataType: FLOAT, dims: [vocabSize, dims], rawData: weights }],
      // Only input_ids: transformers.js feeds just the inputs the session declares,
      // and mean pooling applies the tokenizer's attention mask itself.
      input: [{ name: 'input_ids', type: tensorType(INT64, [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }]) }],
      output: [
        {
          name: 'last_hidden_state',
          type: tensorType(FLOAT, [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }, { dimValue: dims }]),
        },
      ],
      node: [
        {
          opType: 'Gather',
          name: 'lookup',
          input: ['embeddings', 'input_ids'],
          output: ['last_hidden_state'],
          attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }],
        },
      ],
    },
  };
  return onnx.ModelProto.encode(model).finish();
}

function tokenizerJson(vocab: string[]) {
  const id = (token: string) => vocab.indexOf(token);
  const special = (token: string) => ({ SpecialToken: { id: token, type_id: 0 } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: id(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: false, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]')],
      pair: [special('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]'), { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: Object.fromEntries(['[CLS]', '[SEP]'].map((token) => [token, { id: token, ids: [id(token)], tokens: [token] }])),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: MAX_CHARS_PER_WORD,
      // fromEntries, not assignment: words like "__proto__" must stay plain keys.
      vocab: Object.fromEntries(vocab.map((token, i) => [token, i])),
    },
  };
}

export async function writeTinyModel(dir: string, options: { corpusTexts?: string[]; dims?: number; seed?: number } = {}): Promise<{ vocabSize: number; dims: number }> {
  const dims = options.dims ?? DEFAULT_DIMS;
  const vocab = buildVocab(options.corpusTexts ?? []);
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

  const config = {
    model_type: 'bert',
    architectures: ['BertModel'],
    vocab_size: vocab.length,
    hidden_size: dims,
    num_hidden_layers: 1,
    num_attention_heads: 1,
    intermediate_size: dims,
    hidden_act: 'gelu',
    max_position_embeddings: 512,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
    pad_token_id: 0,
  };
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    strip_accents: false,
    model_max_length: 512,
    clean_up_tokenization_spaces: true,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };

  await mkdir(join(dir, 'onnx'), { recursive: true });
  await writeFile(join(dir, 'config.json'), json(config));
  await writeFile(join(dir, 'tokenizer.json'), json(tokenizerJson(vocab)));
  await writeFile(join(dir, 'tokenizer_config.json'), json(tokenizerConfig));
  await writeFile(join(dir, 'onnx', 'model.onnx'), onnxModel(vocab.length, dims, embeddingMatrix(vocab, dims, options.seed ?? DEFAULT_SEED)));
  return { vocabSize: vocab.length, dims };
}
