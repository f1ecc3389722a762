/** Unit tests of the mapping from VS Code settings to the server's settings object. */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { SettingsReader, serverSettings, severityLevel } from '../settings';

/** A reader over the values a user set; unset keys read as the package.json defaults. */
function reader(userValues: Record<string, unknown>): SettingsReader {
  const defaults: Record<string, unknown> = {
    corpus: [],
    'severity.figure-mismatch': 'warning',
    'severity.unknown-source': 'error',
    'inlayHints.enable': true,
    tolerance: null,
  };
  return {
    get: (key) => (key in userValues ? userValues[key] : defaults[key]),
    isSet: (key) => key in userValues,
  };
}

test('defaults send no severities and no tolerance, so refnotes.toml decides', () => {
  assert.deepEqual(serverSettings(reader({})), { corpus: [], severity: {}, inlayHints: { enable: true } });
});

test('user settings map to the server shape in camelCase', () => {
  const settings = serverSettings(
    reader({
      corpus: ['sources', ' ../shared ', '', 3],
      'severity.figure-mismatch': 'error',
      'severity.unsupported-figure': 'off',
      'severity.source-conflict': 'Info',
      'severity.misquote': 'loud',
      tolerance: 0.01,
      'inlayHints.enable': false,
    }),
  );
  assert.deepEqual(settings, {
    corpus: ['sources', '../shared'],
    severity: { 'figure-mismatch': 'error', 'unsupported-figure': 'off', 'source-conflict': 'information' },
    tolerance: 0.01,
    inlayHints: { enable: false },
  });
  assert.deepEqual(JSON.parse(JSON.stringify(settings)), settings, 'survives JSON-RPC');
});

test('bad tolerances are dropped', () => {
  for (const tolerance of [-1, Number.NaN, '0.1', null]) {
    assert.equal(serverSettings(reader({ tolerance })).tolerance, undefined, String(tolerance));
  }
  assert.equal(serverSettings(reader({ tolerance: 0 })).tolerance, 0);
});

test('a single corpus string is accepted as a list of one', () => {
  assert.deepEqual(serverSettings(reader({ corpus: 'corpus' })).corpus, ['corpus']);
});

test('severity levels', () => {
  const table: [unknown, string | undefined][] = [
    ['error', 'error'],
    ['WARNING', 'warning'],
    ['info', 'information'],
    ['hint', 'hint'],
    ['off', 'off'],
    ['fatal', undefined],
    [2, undefined],
  ];
  for (const [value, expected] of table) {
    assert.equal(severityLevel(value), expected, String(value));
  }
});
