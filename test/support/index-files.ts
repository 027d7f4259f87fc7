/** Where a file of the live index is: the version's own files in its folder, the others in its segments. */
import path from 'node:path';
import { FILES, type Manifest } from '../../index/store/format.ts';
import { readCurrentVersion, segmentDir } from '../../index/store/layout.ts';
import { readManifest } from '../../index/store/open.ts';

const VERSION_FILES: readonly string[] = [FILES.manifest, FILES.sources, FILES.deleted];

/** The live version's folder and manifest. */
export async function liveVersion(dataDir: string): Promise<{ dir: string; manifest: Manifest }> {
  const dir = (await readCurrentVersion(dataDir))!;
  return { dir, manifest: await readManifest(dir) };
}

/** A file of the live index; a segment file of its newest segment unless `segment` (a position) says otherwise. */
export async function liveFile(dataDir: string, name: string, segment = -1): Promise<string> {
  const dir = (await readCurrentVersion(dataDir))!;
  if (VERSION_FILES.includes(name)) return path.join(dir, name);
  const { segments } = await readManifest(dir);
  return path.join(segmentDir(dir, segments.at(segment)!.id), name);
}
