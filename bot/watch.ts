/**
 * WATCH_CORPUS=true: reindex when files in the corpus folder are added, changed or removed. Editors
 * and copies touch a file several times, so events are debounced; a change during a reindex triggers
 * one more run afterwards.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from '../index/log.ts';
import type { Desk } from './desk.ts';

export function watchCorpus(dir: string, desk: Desk, log: Logger, debounceMs = 2000): { close: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let again = false;
  const run = async (): Promise<void> => {
    if (desk.reindexStartedAt !== undefined) {
      again = true;
      return;
    }
    try {
      const summary = await desk.reindex();
      log.info({ articles: summary.articles, passages: summary.passages }, 'corpus changed; reindexed');
    } catch (err) {
      log.error({ err }, 'automatic reindex failed');
    }
    if (again) {
      again = false;
      schedule();
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), debounceMs);
  };
  const watcher: FSWatcher = watch(dir, { recursive: true }, schedule);
  watcher.on('error', (err) => log.error({ err }, 'watching the corpus folder failed'));
  return {
    close: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
