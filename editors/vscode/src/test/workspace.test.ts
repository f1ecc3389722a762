/** Unit tests of when the extension starts the server. */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MarkerProbe, activationReason, foldersAbove } from '../workspace';

function probe(files: string[], dirs: string[]): MarkerProbe {
  return { isFile: (file) => files.includes(file), isDirectory: (dir) => dirs.includes(dir) };
}

test('folders above a note stop at its workspace folder', () => {
  assert.deepEqual(foldersAbove('/ws/examples/aws/notes.md', ['/ws']), ['/ws/examples/aws', '/ws/examples', '/ws']);
  assert.deepEqual(foldersAbove('/ws/a/b/n.md', ['/ws', '/ws/a']), ['/ws/a/b', '/ws/a']);
  assert.deepEqual(foldersAbove('/elsewhere/n.md', ['/ws']), ['/elsewhere', '/']);
  assert.deepEqual(foldersAbove('/n.md', []), ['/']);
});

test('activation reasons', () => {
  const cases: { name: string; view: Parameters<typeof activationReason>[0]; probe: MarkerProbe; want: RegExp | undefined }[] = [
    {
      name: 'refnotes.toml at a workspace root',
      view: { workspaceFolders: ['/ws'], openNotes: [], corpusConfigured: false },
      probe: probe(['/ws/refnotes.toml'], []),
      want: /\/ws\/refnotes\.toml exists/,
    },
    {
      name: 'sources folder at a workspace root',
      view: { workspaceFolders: ['/other', '/ws'], openNotes: [], corpusConfigured: false },
      probe: probe([], ['/ws/sources']),
      want: /\/ws\/sources exists/,
    },
    {
      name: 'corpus setting alone',
      view: { workspaceFolders: ['/ws'], openNotes: [], corpusConfigured: true },
      probe: probe([], []),
      want: /refnotes\.corpus setting/,
    },
    {
      name: 'refnotes.toml beside an open note deep in the workspace',
      view: { workspaceFolders: ['/ws'], openNotes: ['/ws/examples/aws/notes.md'], corpusConfigured: false },
      probe: probe(['/ws/examples/aws/refnotes.toml'], []),
      want: /beside notes\.md/,
    },
    {
      name: 'single file with a corpus folder beside it',
      view: { workspaceFolders: [], openNotes: ['/tmp/draft/n.md'], corpusConfigured: false },
      probe: probe([], ['/tmp/draft/corpus']),
      want: /\/tmp\/draft\/corpus exists beside n\.md/,
    },
    {
      name: 'a plain Markdown workspace does not start the server',
      view: { workspaceFolders: ['/ws'], openNotes: ['/ws/README.md'], corpusConfigured: false },
      probe: probe(['/ws/README.md', '/refnotes.toml'], ['/ws/docs']),
      want: undefined,
    },
    {
      name: 'a corpus file (not a folder) does not count',
      view: { workspaceFolders: ['/ws'], openNotes: [], corpusConfigured: false },
      probe: probe(['/ws/corpus'], []),
      want: undefined,
    },
  ];
  for (const c of cases) {
    const reason = activationReason(c.view, c.probe);
    if (c.want === undefined) {
      assert.equal(reason, undefined, c.name);
    } else {
      assert.match(reason ?? '', c.want, c.name);
    }
  }
});
