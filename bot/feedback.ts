/**
 * 👍 / 👎 on an answer, one JSON line per click in DATA_DIR/feedback.jsonl: the question, the reader's
 * language, the passages shown and the verdict. Nothing personal unless FEEDBACK_STORE_USERS=true.
 * `summarise` and `toEvalQuestions` are pure, for `npm run feedback`.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export const FEEDBACK_FORMAT = 1;
export const FEEDBACK_FILE = 'feedback.jsonl';

export type Verdict = 'helpful' | 'wrong';

export interface FeedbackPassage {
  readonly articleId: string;
  readonly paragraph: number;
  readonly rank: number;
  /** The marked sentences, verbatim: what the export uses as the expected text. */
  readonly quote: string;
}

export interface FeedbackLine {
  readonly format: number;
  readonly time: string;
  readonly command: string;
  readonly question: string;
  readonly locale: string;
  readonly verdict: Verdict;
  readonly passages: readonly FeedbackPassage[];
  readonly user?: { readonly id: string; readonly name: string };
}

export class FeedbackStore {
  readonly file: string;
  /** Appends one at a time, so concurrent clicks never interleave within a line. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.file = path.join(dataDir, FEEDBACK_FILE);
  }

  append(line: Omit<FeedbackLine, 'format'>): Promise<void> {
    const text = `${JSON.stringify({ format: FEEDBACK_FORMAT, ...line })}\n`;
    const next = this.queue.then(async () => {
      await mkdir(path.dirname(this.file), { recursive: true });
      await appendFile(this.file, text, 'utf8');
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** The lines of a feedback file; lines of another format or not JSON are reported, not guessed at. */
export async function readFeedback(file: string): Promise<{ lines: FeedbackLine[]; bad: number[] }> {
  const text = await readFile(file, 'utf8');
  const lines: FeedbackLine[] = [];
  const bad: number[] = [];
  text.split('\n').forEach((raw, n) => {
    if (!raw.trim()) return;
    try {
      const line = JSON.parse(raw) as FeedbackLine;
      if (line.format === FEEDBACK_FORMAT && typeof line.question === 'string' && Array.isArray(line.passages)) lines.push(line);
      else bad.push(n + 1);
    } catch {
      bad.push(n + 1);
    }
  });
  return { lines, bad };
}

export interface FeedbackSummary {
  readonly clicks: number;
  readonly helpful: number;
  readonly wrong: number;
  readonly questions: number;
  readonly byLocale: Readonly<Record<string, number>>;
  /** Passages most often called wrong, worst first. */
  readonly wrongPassages: ReadonlyArray<{ articleId: string; paragraph: number; count: number }>;
}

export function summarise(lines: readonly FeedbackLine[]): FeedbackSummary {
  const byLocale: Record<string, number> = {};
  const wrong = new Map<string, { articleId: string; paragraph: number; count: number }>();
  for (const line of lines) {
    byLocale[line.locale] = (byLocale[line.locale] ?? 0) + 1;
    if (line.verdict !== 'wrong') continue;
    for (const p of line.passages) {
      const key = `${p.articleId}\u0000${p.paragraph}`;
      const seen = wrong.get(key) ?? { articleId: p.articleId, paragraph: p.paragraph, count: 0 };
      seen.count++;
      wrong.set(key, seen);
    }
  }
  return {
    clicks: lines.length,
    helpful: lines.filter((l) => l.verdict === 'helpful').length,
    wrong: lines.filter((l) => l.verdict === 'wrong').length,
    questions: new Set(lines.map((l) => l.question.toLowerCase())).size,
    byLocale,
    wrongPassages: [...wrong.values()].sort((a, b) => b.count - a.count || a.articleId.localeCompare(b.articleId)),
  };
}

/** One question of the evaluation sets (`doc` is matched as a prefix of the article id). */
export interface EvalQuestion {
  readonly id: string;
  readonly lang: 'de' | 'en';
  readonly q: string;
  readonly gold: ReadonlyArray<{ doc: string; contains: string[] }>;
}

export interface EvalExport {
  readonly about: string;
  /** Questions someone found answered: the passage they saw is the expected one. */
  readonly questions: EvalQuestion[];
  /** Questions whose shown passages someone called wrong: to be labelled by a person before use. */
  readonly review: ReadonlyArray<{ id: string; lang: 'de' | 'en'; q: string; wrong: ReadonlyArray<{ doc: string; contains: string[] }> }>;
}

/**
 * Feedback in the format of the eval question sets. A 👍 makes a question whose gold is the best passage
 * shown (its quote as the expected text); a 👎 lists the question for review with what was wrong. Each
 * question once, the latest verdict winning.
 */
export function toEvalQuestions(lines: readonly FeedbackLine[]): EvalExport {
  const latest = new Map<string, FeedbackLine>();
  for (const line of lines) latest.set(line.question.trim().toLowerCase(), line);
  const lang = (locale: string): 'de' | 'en' => (locale.toLowerCase().startsWith('de') ? 'de' : 'en');
  const questions: EvalQuestion[] = [];
  const review: EvalExport['review'][number][] = [];
  for (const line of latest.values()) {
    const passages = [...line.passages].sort((a, b) => a.rank - b.rank);
    if (line.verdict === 'helpful' && passages[0]) {
      questions.push({
        id: `F${String(questions.length + 1).padStart(3, '0')}`,
        lang: lang(line.locale),
        q: line.question,
        gold: [{ doc: passages[0].articleId, contains: [passages[0].quote] }],
      });
    } else if (line.verdict === 'wrong') {
      review.push({
        id: `R${String(review.length + 1).padStart(3, '0')}`,
        lang: lang(line.locale),
        q: line.question,
        wrong: passages.map((p) => ({ doc: p.articleId, contains: [p.quote] })),
      });
    }
  }
  return {
    about:
      'Exported from quotedesk feedback (npm run feedback -- --export). questions: asked in Discord and marked helpful; gold is the passage shown first (doc = article id, matched as a prefix). review: marked "wrong passage"; label them before adding them to an evaluation set.',
    questions,
    review,
  };
}
