/**
 * Checksums of index files: xxHash64 (@node-rs/xxhash), ≈ 8 GB/s here against 0.85 GB/s for SHA-256, so
 * that the files a reader decodes anyway can be checked on every open. It guards against damage (a
 * truncated copy, a zeroed block, a bad disk), not against tampering.
 */
import { createReadStream } from 'node:fs';
import { Xxh64, xxh64 } from '@node-rs/xxhash';

export const CHECKSUM = 'xxh64';

export const checksumOf = (bytes: Uint8Array): string => xxh64(bytes).toString(16).padStart(16, '0');

/** Streamed, so that a graph of gigabytes is checked without holding it in memory twice. */
export async function checksumOfFile(file: string): Promise<string> {
  const hash = new Xxh64();
  for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
  return hash.digest().toString(16).padStart(16, '0');
}
