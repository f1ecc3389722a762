/** Unit tests of the server discovery order and its error messages. */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DiscoveryInput, discoverServer } from '../discovery';

function input(executables: string[], overrides: Partial<DiscoveryInput> = {}): DiscoveryInput {
  return {
    env: { PATH: '/usr/local/bin:/usr/bin', HOME: '/home/ada' },
    settingPath: '',
    workspaceFolder: '/work/notes',
    extensionPath: '/ext/refnotes',
    platform: 'linux',
    isExecutable: (file) => executables.includes(file),
    ...overrides,
  };
}

const everywhere = ['/opt/env/refnotes', '/opt/setting/refnotes', '/ext/refnotes/server/refnotes', '/usr/bin/refnotes'];

test('discovery takes the first available location in order', () => {
  const cases: { name: string; input: DiscoveryInput; command: string; source: string }[] = [
    {
      name: 'environment wins over everything',
      input: input(everywhere, {
        env: { REFNOTES_SERVER: '/opt/env/refnotes', PATH: '/usr/bin' },
        settingPath: '/opt/setting/refnotes',
      }),
      command: '/opt/env/refnotes',
      source: 'environment',
    },
    {
      name: 'setting wins over the bundled server',
      input: input(everywhere, { settingPath: '/opt/setting/refnotes' }),
      command: '/opt/setting/refnotes',
      source: 'setting',
    },
    {
      name: 'bundled server wins over PATH',
      input: input(everywhere),
      command: '/ext/refnotes/server/refnotes',
      source: 'bundled',
    },
    {
      name: 'PATH is searched in order',
      input: input(['/usr/bin/refnotes']),
      command: '/usr/bin/refnotes',
      source: 'path',
    },
    {
      name: 'relative setting is taken from the workspace folder',
      input: input(['/work/notes/bin/refnotes'], { settingPath: 'bin/refnotes' }),
      command: '/work/notes/bin/refnotes',
      source: 'setting',
    },
    {
      name: 'tilde in the setting is the home folder',
      input: input(['/home/ada/.cargo/bin/refnotes'], { settingPath: '~/.cargo/bin/refnotes' }),
      command: '/home/ada/.cargo/bin/refnotes',
      source: 'setting',
    },
    {
      name: 'blank environment variable and setting are ignored',
      input: input(['/usr/bin/refnotes'], { env: { REFNOTES_SERVER: '  ', PATH: '/usr/bin' }, settingPath: ' ' }),
      command: '/usr/bin/refnotes',
      source: 'path',
    },
  ];
  for (const c of cases) {
    const found = discoverServer(c.input);
    assert.deepEqual(found, { ok: true, command: c.command, source: c.source }, c.name);
  }
});

test('an explicitly named but unusable server is an error, not a fall-through', () => {
  const fromEnv = discoverServer(input(everywhere, { env: { REFNOTES_SERVER: '/nope/refnotes', PATH: '/usr/bin' } }));
  assert.equal(fromEnv.ok, false);
  assert.match(!fromEnv.ok ? fromEnv.message : '', /REFNOTES_SERVER is set to \/nope\/refnotes/);

  const fromSetting = discoverServer(input(everywhere, { settingPath: 'missing/refnotes' }));
  assert.equal(fromSetting.ok, false);
  assert.match(!fromSetting.ok ? fromSetting.message : '', /looked at \/work\/notes\/missing\/refnotes/);
});

test('nothing found says how to install', () => {
  const found = discoverServer(input([], { env: { PATH: '' } }));
  assert.equal(found.ok, false);
  assert.match(!found.ok ? found.message : '', /cargo install --path \./);
});

test('windows looks for refnotes.exe with ; separated PATH', () => {
  const found = discoverServer(
    input(['C:\\tools/refnotes.exe'], { env: { Path: 'C:\\nothing;C:\\tools' }, platform: 'win32' }),
  );
  assert.deepEqual(found, { ok: true, command: 'C:\\tools/refnotes.exe', source: 'path' });
});
