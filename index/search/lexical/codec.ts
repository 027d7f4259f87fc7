/**
 * The keyword index on disk (`lexical.bin`): its columns as they are in memory, so opening an index views
 * the file's bytes instead of parsing them.
 */
import { packSections, unpackSections } from '../../store/sections.ts';
import type { Columns } from './columns.ts';

/** Raise with every change to what is saved or to how text is analysed into terms. */
export const LEXICAL_FORMAT_VERSION = 4;

export function encode(c: Columns): Buffer {
  return packSections({ formatVersion: LEXICAL_FORMAT_VERSION, terms: c.terms.length }, [
    c.starts,
    c.textDf,
    c.postings,
    c.headingStarts,
    c.headingPostings,
    c.labels,
    c.headingLen,
    c.textLen,
    c.tfs,
    c.headingTfs,
    Buffer.from(c.terms.join('\n'), 'utf8'),
  ]);
}

/** Columns viewing `bytes` (not copied); refuses another format version and columns that do not fit together. */
export function decode(bytes: Buffer): Columns {
  const { header, sections } = unpackSections(bytes);
  if (header.formatVersion !== LEXICAL_FORMAT_VERSION) {
    throw new Error(`quotedesk: keyword index format ${String(header.formatVersion)} is not ${LEXICAL_FORMAT_VERSION}`);
  }
  const [starts, textDf, postings, headingStarts, headingPostings, labels, headingLen, textLen, tfs, headingTfs, blob] = sections;
  const text = Buffer.from(blob!.buffer, blob!.byteOffset, blob!.byteLength).toString('utf8');
  const terms = text === '' ? [] : text.split('\n');
  if (terms.length !== header.terms) throw new Error('quotedesk: keyword index is truncated');
  const u32 = (b: Uint8Array | undefined) => new Uint32Array(b!.buffer, b!.byteOffset, b!.byteLength / 4);
  const u16 = (b: Uint8Array | undefined) => new Uint16Array(b!.buffer, b!.byteOffset, b!.byteLength / 2);
  const c: Columns = {
    terms,
    starts: u32(starts),
    textDf: u32(textDf),
    postings: u32(postings),
    tfs: tfs!,
    headingStarts: u32(headingStarts),
    headingPostings: u32(headingPostings),
    headingTfs: headingTfs!,
    labels: u32(labels),
    headingLen: u16(headingLen),
    textLen: u16(textLen),
  };
  const consistent =
    c.starts.length === terms.length + 1 &&
    c.headingStarts.length === terms.length + 1 &&
    c.textDf.length === terms.length &&
    c.starts[terms.length] === c.postings.length &&
    c.tfs.length === c.postings.length &&
    c.headingStarts[terms.length] === c.headingPostings.length &&
    c.headingTfs.length === c.headingPostings.length &&
    c.headingLen.length === c.labels.length &&
    c.textLen.length === c.labels.length;
  if (!consistent) throw new Error('quotedesk: keyword index columns do not fit together (damaged file)');
  return c;
}
