/**
 * Decides whether a workspace is a refnotes workspace, so that the server
 * starts only where it has a corpus to check against. Pure: the file system
 * comes in as a function, so the rules can be unit-tested.
 */
import * as path from 'path';

/** Names that mark a folder as holding notes checked against a corpus. */
export const CONFIG_FILE = 'refnotes.toml';
export const CORPUS_FOLDERS = ['corpus', 'sources'];

export interface MarkerProbe {
  isFile(file: string): boolean;
  isDirectory(dir: string): boolean;
}

/** The marker found in `dir`, if any: `refnotes.toml`, `corpus/` or `sources/`. */
export function markerIn(dir: string, probe: MarkerProbe): string | undefined {
  if (probe.isFile(path.join(dir, CONFIG_FILE))) {
    return CONFIG_FILE;
  }
  return CORPUS_FOLDERS.find((name) => probe.isDirectory(path.join(dir, name)));
}

/**
 * Folders to look in for a note: its own folder and each one above it, up to
 * and including the workspace folder that holds it (or the file system root
 * when the note is outside every workspace folder, as with a single file).
 */
export function foldersAbove(note: string, workspaceFolders: readonly string[]): string[] {
  const root = workspaceFolders
    .filter((folder) => isInside(note, folder))
    .sort((a, b) => b.length - a.length)[0];
  const folders: string[] = [];
  let dir = path.dirname(note);
  for (;;) {
    folders.push(dir);
    const parent = path.dirname(dir);
    if ((root !== undefined && samePath(dir, root)) || parent === dir) {
      return folders;
    }
    dir = parent;
  }
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

export interface WorkspaceView {
  workspaceFolders: readonly string[];
  /** Markdown files open in the editor. */
  openNotes: readonly string[];
  /** True when the `refnotes.corpus` setting names at least one folder. */
  corpusConfigured: boolean;
}

/**
 * Why refnotes should run here (for the log), or undefined when it should
 * not: the corpus setting is set, a workspace folder has a marker at its
 * root, or an open note has one in its folder or a folder above it.
 */
export function activationReason(view: WorkspaceView, probe: MarkerProbe): string | undefined {
  if (view.corpusConfigured) {
    return 'the refnotes.corpus setting names a corpus';
  }
  for (const folder of view.workspaceFolders) {
    const marker = markerIn(folder, probe);
    if (marker) {
      return `${path.join(folder, marker)} exists`;
    }
  }
  for (const note of view.openNotes) {
    for (const dir of foldersAbove(note, view.workspaceFolders)) {
      const marker = markerIn(dir, probe);
      if (marker) {
        return `${path.join(dir, marker)} exists beside ${path.basename(note)}`;
      }
    }
  }
  return undefined;
}
