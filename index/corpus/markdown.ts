/**
 * Markdown → reading text. The block structure comes from a CommonMark parser (mdast-util-from-markdown
 * on micromark, with GFM tables): an ATX heading is one line, setext headings, lists, block quotes, tables
 * and code blocks are what CommonMark says they are. What is markup — `#`, list markers, emphasis markers,
 * link targets, images, the tags of raw HTML — is left out; the text of each block is kept (see blocks.ts).
 */
import type { Nodes, PhrasingContent, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTable } from 'micromark-extension-gfm-table';
import type { TextBlock } from './article.ts';
import { TextBuilder, tidyText } from './blocks.ts';
import { lineBreaksAreParagraphs } from './clean.ts';
import { htmlFragmentText } from './html.ts';


export interface MarkdownText {
  readonly text: string;
  readonly blocks: TextBlock[];
  /** The text of a level-1 heading that opens the document: the title when front matter names none. */
  readonly leadingTitle?: string;
}

interface Pending {
  kind: TextBlock['kind'];
  text: string;
  source: [number, number];
  /** Paragraph text whose line breaks may be paragraph breaks (see lineBreaksAreParagraphs). */
  lines: boolean;
}

function inline(nodes: readonly PhrasingContent[]): string {
  return nodes
    .map((n): string => {
      switch (n.type) {
        case 'text':
        case 'inlineCode':
          return n.value;
        case 'break':
          return '\n';
        case 'emphasis':
        case 'strong':
        case 'delete':
        case 'link':
        case 'linkReference':
          return inline(n.children);
        default:
          // images (their alt text is not article text), raw HTML, footnote references
          return '';
      }
    })
    .join('');
}

function collect(node: Nodes, offset: number, out: Pending[]): void {
  const source = (): [number, number] => [offset + (node.position?.start.offset ?? 0), offset + (node.position?.end.offset ?? 0)];
  switch (node.type) {
    case 'heading':
      out.push({ kind: 'heading', text: inline(node.children), source: source(), lines: false });
      return;
    case 'paragraph':
      out.push({ kind: 'paragraph', text: inline(node.children), source: source(), lines: true });
      return;
    case 'code':
      // Literal text: a `## ` in it is text, and its lines stay together.
      out.push({ kind: 'paragraph', text: node.value, source: source(), lines: false });
      return;
    case 'table': {
      const rows = node.children.map((row) => row.children.map((cell) => tidyText(inline(cell.children)).replace(/\n/g, ' ')).join(' | '));
      out.push({ kind: 'paragraph', text: rows.join('\n'), source: source(), lines: false });
      return;
    }
    case 'root':
    case 'list':
    case 'listItem':
    case 'blockquote':
      for (const child of node.children as RootContent[]) collect(child, offset, out);
      return;
    case 'html': {
      // A block of raw HTML (exports wrap paragraphs in <p>, <div>, <figure>) is read as HTML is; a comment yields nothing.
      const html = htmlFragmentText(node.value);
      for (const b of html.blocks) out.push({ kind: b.kind, text: html.text.slice(b.start, b.end), source: source(), lines: false });
      return;
    }
    default:
      // thematicBreak, definition, yaml: markup or layout, no text of the article
      return;
  }
}

/** A line that ends a sentence (or introduces a quote) can end a paragraph; one that breaks mid-sentence cannot. */
const ENDS_SENTENCE = /[.!?:…"“”’»«)]$/u;

/**
 * `body`: the Markdown after any front matter; `offset`: where it starts in the file, for the source map.
 * Files that put single line breaks between paragraphs are read by the plain-text reader's rule: where the
 * file's lines are not hard-wrapped prose, a line break after a sentence ends a paragraph.
 */
export function readMarkdown(body: string, offset = 0): MarkdownText {
  const tree = fromMarkdown(body, { extensions: [gfmTable()], mdastExtensions: [gfmTableFromMarkdown()] });
  const pending: Pending[] = [];
  collect(tree, offset, pending);
  const first = tree.children[0];
  const leadingTitle = first?.type === 'heading' && first.depth === 1 ? tidyText(inline(first.children)) || undefined : undefined;

  const lines = pending.filter((p) => p.lines).flatMap((p) => tidyText(p.text).split('\n'));
  const byLine = lineBreaksAreParagraphs(lines);
  const builder = new TextBuilder();
  for (const p of pending) {
    if (!p.lines || !byLine) {
      builder.add(p.kind, p.text, p.source);
      continue;
    }
    let paragraph = '';
    for (const line of tidyText(p.text).split('\n')) {
      paragraph = paragraph ? `${paragraph}\n${line}` : line;
      if (ENDS_SENTENCE.test(line)) {
        builder.add('paragraph', paragraph, p.source);
        paragraph = '';
      }
    }
    builder.add('paragraph', paragraph, p.source);
  }
  return { ...builder.build(), ...(leadingTitle ? { leadingTitle } : {}) };
}
