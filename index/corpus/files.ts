/**
 * Which files of the corpus folder are read: article files (by extension) in it and its subfolders, symbolic
 * links followed only to files inside it, and everything else that will not be read reported by name.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ARTICLE_EXTENSIONS, type SkippedFile } from './read.ts';

/**
 * Every file in `dir` and its subfolders (not hidden ones), relative to it: where sidecar metadata is looked
 * for. A folder that cannot be read is passed over here; `listArticleFiles` reports it.
 */
export async function listFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  // `rel`: the folder relative to `dir` ('' or ending in a separator); joined by hand, as path.join and
  // path.relative for every file of a large corpus cost a noticeable share of a nothing-changed reindex.
  const walk = async (folder: string, rel: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      if (e.isDirectory()) await walk(path.join(folder, e.name), `${rel}${e.name}${path.sep}`);
      else if (e.isFile()) files.push(`${rel}${e.name}`);
    }
  };
  await walk(dir, '');
  return files.sort();
}

const isArticleName = (name: string) => !name.startsWith('.') && (ARTICLE_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase());

export const fsProblem = (err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ELOOP' ? 'a loop of symbolic links' : code === 'ENOENT' ? 'a broken symbolic link' : (code ?? String(err));
};

/**
 * Article files in `dir` and its subfolders, sorted for stable output. A symbolic link to a file inside
 * `dir` counts as an article file under its own name; links that loop, dangle, leave `dir` or lead to a
 * folder, unreadable folders, and folders named like article files are reported through `onSkip`.
 */
export async function listArticleFiles(dir: string, onSkip: (skipped: SkippedFile) => void = () => {}): Promise<string[]> {
  const root = await realpath(dir);
  const files: string[] = [];
  // `rel` as in listFiles.
  const walk = async (folder: string, rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (err) {
      if (folder === dir) throw err;
      onSkip({ file: rel.slice(0, -path.sep.length), reason: `folder cannot be read (${fsProblem(err)})` });
      return;
    }
    for (const e of entries) {
      const file = `${rel}${e.name}`;
      const full = `${folder}${path.sep}${e.name}`;
      if (e.isDirectory()) {
        if (isArticleName(e.name)) onSkip({ file, reason: 'a folder named like an article file; its contents are read as a folder' });
        await walk(full, `${file}${path.sep}`);
      } else if (e.isSymbolicLink()) {
        const reason = isArticleName(e.name) || (await stat(full).then((t) => t.isDirectory(), () => false)) ? await linkProblem(root, full) : undefined;
        if (reason) onSkip({ file, reason });
        else if (isArticleName(e.name)) files.push(file);
      } else if (e.isFile() && isArticleName(e.name)) {
        files.push(file);
      }
    }
  };
  await walk(dir, '');
  return files.sort();
}

/** Why a symbolic link is not read as an article; undefined when it leads to a file inside the corpus. */
async function linkProblem(root: string, link: string): Promise<string | undefined> {
  let target: string;
  try {
    target = await realpath(link);
  } catch (err) {
    return `symbolic link not followed: ${fsProblem(err)}`;
  }
  if (target !== root && !target.startsWith(`${root}${path.sep}`)) return `symbolic link to ${target}, outside the corpus folder: not followed`;
  const isDir = await stat(target).then((t) => t.isDirectory(), () => false);
  return isDir ? 'symbolic link to a folder: not followed (its articles are read where they are)' : undefined;
}

