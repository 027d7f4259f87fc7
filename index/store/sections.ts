/**
 * A binary file of typed-array sections behind a small JSON header, readable without parsing the sections:
 * they become views on the file's bytes. Sections are padded to 8 bytes, so every view is aligned.
 */
type Section = Uint8Array | Uint16Array | Uint32Array | Float32Array;

const MAGIC = 0x31534451; // "QDS1"
const ALIGN = 8;

const padding = (n: number) => (ALIGN - (n % ALIGN)) % ALIGN;

export function packSections(header: Record<string, unknown>, sections: readonly Section[]): Buffer {
  const json = Buffer.from(JSON.stringify({ ...header, sections: sections.map((s) => s.byteLength) }), 'utf8');
  const head = Buffer.alloc(8);
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(json.length, 4);
  const parts: Buffer[] = [head, json, Buffer.alloc(padding(8 + json.length))];
  for (const s of sections) parts.push(Buffer.from(s.buffer, s.byteOffset, s.byteLength), Buffer.alloc(padding(s.byteLength)));
  return Buffer.concat(parts);
}

export interface Unpacked {
  readonly header: Record<string, unknown>;
  /** Byte views of the sections, in the order packed; aligned for any typed array. */
  readonly sections: Uint8Array[];
}

export function unpackSections(file: Buffer): Unpacked {
  if (file.length < 8 || file.readUInt32LE(0) !== MAGIC) throw new Error('quotedesk: not a quotedesk section file');
  // Small files share Node's buffer pool at any offset; views need an aligned start.
  const bytes = file.byteOffset % ALIGN === 0 ? file : Buffer.from(new Uint8Array(file).buffer);
  const jsonLength = bytes.readUInt32LE(4);
  const header = JSON.parse(bytes.toString('utf8', 8, 8 + jsonLength)) as Record<string, unknown> & { sections?: unknown };
  const lengths = header.sections;
  if (!Array.isArray(lengths)) throw new Error('quotedesk: section file has no section table');
  let offset = 8 + jsonLength + padding(8 + jsonLength);
  const sections = lengths.map((length: number) => {
    if (offset + length > bytes.length) throw new Error('quotedesk: section file is truncated');
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset + offset, length);
    offset += length + padding(length);
    return view;
  });
  return { header, sections };
}
