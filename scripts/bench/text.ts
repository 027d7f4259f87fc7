/**
 * German news-like text for the benchmark, generated from a seed, so every run measures the same corpus.
 * Words come from the bundled articles (the frequent head of the vocabulary) and from compounds of them
 * (the long tail German builds its rare words from), drawn with Zipf frequencies and a per-article topic,
 * so that keyword posting lists, token counts and passage lengths behave like a real archive's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { prng } from '../../index/prng.ts';

export { prng };

const FUNCTION_WORDS = (
  'der die das und in zu den von mit sich des auf für ist im dem nicht ein eine als auch es an werden aus er hat dass sie nach ' +
  'wird bei einer um am sind noch wie einem über einen so zum war haben nur oder aber vor zur bis mehr durch man sein wurde sei ' +
  'soll seien habe könnte gegen unter laut zwischen seit ohne wieder bereits jedoch damit'
).split(' ');
const OUTLETS = ['Tagesbote', 'Rheinische Rundschau', 'Nordkurier Digital', 'Berliner Abendblatt', 'Alpenpost', 'Hansezeitung'];
const SPEECH = ['sagte', 'erklärte', 'betonte', 'kritisierte', 'warnte', 'teilte mit'];

export interface GeneratedArticle {
  readonly id: string;
  readonly title: string;
  readonly outlet: string;
  readonly date: string;
  readonly paragraphs: readonly string[];
}

export class GermanText {
  private readonly words: string[];
  private readonly cdf: Float64Array;
  private readonly names: string[];

  /** `vocabulary`: distinct words, the seed words first; the rest are compounds. */
  constructor(corpusDir: string, vocabulary = 200_000, seed = 1) {
    const counts = new Map<string, number>();
    for (const file of readdirSync(corpusDir).filter((f) => /\.(txt|md)$/.test(f))) {
      for (const w of readFileSync(path.join(corpusDir, file), 'utf8').match(/\p{L}{3,}/gu) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    const seedWords = [...counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([w]) => w)
      .filter((w) => !FUNCTION_WORDS.includes(w.toLowerCase()));
    const nouns = seedWords.filter((w) => /^\p{Lu}\p{Ll}{3,}$/u.test(w));
    this.names = nouns.slice(0, 200);
    const random = prng(seed);
    const words = new Set(seedWords);
    while (words.size < vocabulary) {
      const a = nouns[Math.floor(random() * nouns.length)]!;
      const b = nouns[Math.floor(random() * nouns.length)]!;
      words.add(`${a}${/[nt]$/.test(a) && random() < 0.5 ? 's' : ''}${b.toLowerCase()}`);
    }
    this.words = [...words];
    // Zipf (s = 1): the rank-r word is r times rarer than the most common one.
    this.cdf = new Float64Array(this.words.length);
    let sum = 0;
    for (let r = 0; r < this.words.length; r++) this.cdf[r] = sum += 1 / (r + 1);
    for (let r = 0; r < this.words.length; r++) this.cdf[r]! /= sum;
  }

  private zipf(random: () => number): string {
    const x = random();
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return this.words[lo]!;
  }

  private pick<T>(random: () => number, list: readonly T[]): T {
    return list[Math.floor(random() * list.length)]!;
  }

  private sentence(random: () => number, topic: readonly string[]): string {
    const n = 7 + Math.floor(random() * 16);
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = random();
      out.push(r < 0.45 ? this.pick(random, FUNCTION_WORDS) : r < 0.65 ? this.pick(random, topic) : this.zipf(random));
      if (i > 3 && i < n - 2 && random() < 0.08) out[out.length - 1] += ',';
    }
    out[0] = out[0]!.charAt(0).toUpperCase() + out[0]!.slice(1);
    const text = `${out.join(' ')}.`;
    if (random() < 0.15) return `„${text.slice(0, -1)}“, ${this.pick(random, SPEECH)} ${this.pick(random, this.names)}.`;
    return text;
  }

  /** A paragraph of 1–5 sentences, about 100–800 characters, as news paragraphs are. */
  paragraph(random: () => number, topic: readonly string[]): string {
    const n = 1 + Math.floor(random() * 5);
    return Array.from({ length: n }, () => this.sentence(random, topic)).join(' ');
  }

  topic(random: () => number): string[] {
    return Array.from({ length: 12 }, () => this.zipf(random)).concat(Array.from({ length: 6 }, () => this.pick(random, this.names)));
  }

  /** Article number `i` of the corpus made with `seed`: the same every time. */
  article(i: number, seed = 7): GeneratedArticle {
    const random = prng(seed * 1_000_003 + i);
    const topic = this.topic(random);
    const count = 6 + Math.floor(random() * 11);
    const day = 1 + Math.floor(random() * 28);
    const month = 1 + Math.floor(random() * 12);
    return {
      id: `bench-${String(i).padStart(6, '0')}`,
      title: this.sentence(random, topic).replace(/[.„“]/g, '').slice(0, 90),
      outlet: this.pick(random, OUTLETS),
      date: `2025-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      paragraphs: Array.from({ length: count }, () => this.paragraph(random, topic)),
    };
  }

  /** A question about a passage: some of its content words, as a reader would ask. */
  question(random: () => number, passage: string): string {
    const content = (passage.match(/\p{L}{5,}/gu) ?? []).filter((w) => !FUNCTION_WORDS.includes(w.toLowerCase()));
    const picked = Array.from({ length: 3 }, () => this.pick(random, content.length ? content : ['Regierung']));
    return `Was wurde über ${picked[0]} und ${picked[1]} im Zusammenhang mit ${picked[2]} berichtet?`;
  }
}

export function markdown(a: GeneratedArticle): string {
  return `---\ntitle: "${a.title.replace(/"/g, "'")}"\noutlet: ${a.outlet}\ndate: ${a.date}\nurl: https://example.org/${a.id}\n---\n\n${a.paragraphs.join('\n\n')}\n`;
}
