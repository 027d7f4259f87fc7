/** Names as front matter, JSON-LD, feeds and JSON exports give them: a string, a list, or objects with a `name`. */
export function authorNames(value: unknown): string | undefined {
  const names = (Array.isArray(value) ? value : [value])
    .map((v) => (typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string' ? (v as { name: string }).name : ''))
    .map((v) => v.replace(/\s+/g, ' ').trim())
    .filter((v) => v !== '');
  return names.length > 0 ? [...new Set(names)].join(', ') : undefined;
}
