/** The vector back-ends quotedesk can read and write, by the name a manifest records in `dense.backend`. */
import { QuotedeskError } from '../errors.ts';
import { hnswBackend } from './hnsw.ts';
import type { VectorBackend } from './vector-index.ts';

const BACKENDS: ReadonlyMap<string, VectorBackend> = new Map([hnswBackend].map((b) => [b.name, b]));

/** What a new index is built with. */
export const DEFAULT_BACKEND = hnswBackend.name;

/** undefined for a back-end this quotedesk does not have. */
export const findVectorBackend = (name: string): VectorBackend | undefined => BACKENDS.get(name);

export function vectorBackend(name: string): VectorBackend {
  const backend = BACKENDS.get(name);
  if (!backend) {
    throw new QuotedeskError(
      'INDEX_INCOMPATIBLE',
      `quotedesk: the index uses vector back-end "${name}", which this quotedesk does not have (it has ${[...BACKENDS.keys()].join(', ')}). Run \`npm run index -- --rebuild\`.`,
    );
  }
  return backend;
}
