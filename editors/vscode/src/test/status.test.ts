/** Unit tests of the status-bar wording and the corpus report fallback. */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { fallbackReport, isMethodNotFound, reportMarkdown } from '../report';
import { mergeStatuses, statusView } from '../status';

test('status item text per state', () => {
  const table: [Parameters<typeof statusView>, string][] = [
    [['starting', undefined, undefined], '$(sync~spin) refnotes'],
    [['failed', undefined, undefined], '$(error) refnotes'],
    [['running', undefined, undefined], '$(book) refnotes'],
    [['running', { documents: 1 }, undefined], '$(book) refnotes: 1 source'],
    [['running', { documents: 10000, figures: 5, entities: 2, indexing: false }, undefined], '$(book) refnotes: 10,000 sources'],
    [
      ['running', { documents: 3 }, { title: 'Indexing corpus', message: '1,204 / 10,000 documents' }],
      '$(sync~spin) refnotes: Indexing corpus: 1,204 / 10,000 documents',
    ],
    [['running', { documents: 3 }, { title: 'Indexing corpus', percentage: 41.6 }], '$(sync~spin) refnotes: Indexing corpus (42%)'],
    [['running', { indexing: true, message: 'Reading 4 sources' }, undefined], '$(sync~spin) refnotes: Reading 4 sources'],
    [['running', { state: 'indexing', documents: 0 }, undefined], '$(sync~spin) refnotes: Indexing corpus'],
    [['running', { state: 'ready', documents: 5, conflicts: 2 }, undefined], '$(book) refnotes: 5 sources'],
    [['running', { state: 'missing', documents: 0, message: 'no corpus folder' }, undefined], '$(warning) refnotes: no corpus'],
    [['running', { state: 'failed', message: 'bad refnotes.toml' }, undefined], '$(warning) refnotes: corpus not loaded'],
  ];
  for (const [args, text] of table) {
    assert.equal(statusView(...args).text, text, JSON.stringify(args));
  }
  const tooltip = statusView('running', { documents: 5, figures: 120, entities: 1, message: 'ready' }, undefined).tooltip;
  assert.match(tooltip, /Corpus: 5 sources, 120 figures, 1 name/);
  assert.match(tooltip, /log/);
  assert.equal(statusView('failed', undefined, undefined).warning, true);
  assert.match(statusView('running', { state: 'ready', documents: 5, conflicts: 2 }, undefined).tooltip, /2 source conflicts/);
  assert.match(statusView('running', { state: 'missing', message: 'no corpus folder' }, undefined).tooltip, /no corpus folder/);
});

test('statuses of several workspace folders merge', () => {
  assert.equal(mergeStatuses([]), undefined);
  const one = { root: '/a', state: 'ready', documents: 2 };
  assert.equal(mergeStatuses([one]), one);
  assert.deepEqual(
    mergeStatuses([
      { root: '/a', state: 'ready', documents: 2, figures: 10, entities: 3, conflicts: 0 },
      { root: '/b', state: 'indexing', documents: 1, figures: 4, entities: 1, conflicts: 1, message: 'Indexing' },
    ]),
    { state: 'indexing', documents: 3, figures: 14, entities: 4, conflicts: 1, message: 'Indexing' },
  );
  assert.equal(mergeStatuses([{ state: 'missing' }, { state: 'ready', documents: 1 }])?.state, 'ready');
  assert.equal(mergeStatuses([{ state: 'missing' }, { state: 'missing' }])?.state, 'missing');
});

test('corpus report answers: a string or { markdown }', () => {
  assert.equal(reportMarkdown('# R'), '# R');
  assert.equal(reportMarkdown({ markdown: '# M' }), '# M');
  assert.equal(reportMarkdown({ text: 'x' }), undefined);
  assert.equal(reportMarkdown(null), undefined);
  assert.equal(isMethodNotFound({ code: -32601, message: 'Method not found' }), true);
  assert.equal(isMethodNotFound({ code: -32603 }), false);
  assert.equal(isMethodNotFound(undefined), false);
});

test('fallback report lists documents and names from workspace symbols', () => {
  const report = fallbackReport(
    [
      { name: 'reuters-2017', kind: 1, where: 'reuters-2017.txt:1' },
      { name: 'Sinnet', kind: 5, containerName: '3 sources' },
      { name: 'Amazon_Web*Services', kind: 5 },
    ],
    { documents: 5, figures: 40, entities: 12 },
  );
  assert.match(report, /Corpus: 5 sources, 40 figures, 12 names\./);
  assert.match(report, /## Documents \(1\)\n\n- reuters-2017 \(reuters-2017\.txt:1\)/);
  assert.match(report, /## Names \(2\)\n\n- Amazon\\_Web\\\*Services\n- Sinnet \(3 sources\)/);
  assert.match(fallbackReport(undefined, undefined), /no workspace symbols/);
});
