/** The reindex summary in words: one formatter for `npm run index` / `npm run ask` and for /reindex. */
import type { ReindexSummary } from '../../index/build/reindex.ts';
import { translate, type Lang } from './i18n.ts';

export interface SummaryOptions {
  /** Discord markdown (bold headline); plain text for the terminal. */
  markdown?: boolean;
  /** Named when semantic search is on (the terminal says which model). */
  model?: string;
  /** Why semantic search is off, in full: for the admin at the terminal, not for Discord. */
  note?: boolean;
}

export function formatReindexSummary(s: ReindexSummary, lang: Lang = 'en', { markdown = false, model, note = false }: SummaryOptions = {}): string {
  const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate(lang, key, params);
  const lines = [
    s.repaired ? t('reindex.repaired') : s.published ? t('reindex.updated') : t('reindex.unchanged'),
    // What was damaged, in the words of the check that found it: for the admin at the terminal.
    ...(note ? (s.repaired ?? []).map((d) => `  ${d}`) : []),
    ...(s.resplit ? [t('reindex.resplit')] : []),
    t('reindex.articles', s.articles),
    t('reindex.passages', s.passages),
    s.semantic ? (model ? t('reindex.semanticOnModel', { model }) : t('reindex.semanticOn')) : t('reindex.semanticOff'),
    ...(note && s.note && !s.semantic ? [`  ${s.note.split('\n').join('\n  ')}`] : []),
    ...(s.perArticle?.fewest && s.perArticle.most
      ? [
          t('reindex.perArticle', {
            fewest: s.perArticle.fewest.passages,
            fewestFile: s.perArticle.fewest.file,
            most: s.perArticle.most.passages,
            mostFile: s.perArticle.most.file,
          }),
        ]
      : []),
    // An article without passages cannot be found: said as loudly as a skipped file.
    ...s.empty.map((e) => t('reindex.empty', { file: e.file, reason: e.reason })),
    ...s.skipped.map((f) => t('reindex.skipped', { file: f.file, reason: f.reason })),
    ...(s.merged ? [t('reindex.merged', { merged: s.merged.merged, segmentsAfter: s.merged.segmentsAfter, seconds: s.merged.seconds.toFixed(1) })] : []),
    t('reindex.took', { seconds: s.seconds.toFixed(1) }),
  ];
  const text = lines.join('\n');
  return markdown ? text : text.replace(/\*\*/g, '');
}
