/**
 * Finds the refnotes language server binary. Pure: the file system and the
 * environment come in as arguments, so the order can be unit-tested.
 *
 * Order: the REFNOTES_SERVER environment variable, the `refnotes.server.path`
 * setting, the binary bundled in the extension (`server/refnotes`), then
 * `refnotes` on PATH. A location that is named explicitly (environment or
 * setting) but unusable is an error, not a reason to fall through: the user
 * asked for that binary and should learn why it was not used.
 */
import * as path from 'path';

export type ServerSource = 'environment' | 'setting' | 'bundled' | 'path';

export type Discovery =
  | { ok: true; command: string; source: ServerSource }
  | { ok: false; message: string };

export interface DiscoveryInput {
  /** Process environment: REFNOTES_SERVER, PATH, HOME. */
  env: Record<string, string | undefined>;
  /** The `refnotes.server.path` setting, possibly empty. */
  settingPath: string | undefined;
  /** Folder that a relative setting path is taken from (the first workspace folder). */
  workspaceFolder: string | undefined;
  /** The extension's install folder, which may hold `server/refnotes`. */
  extensionPath: string;
  platform: string;
  /** True when the path is a regular file this process may execute. */
  isExecutable(file: string): boolean;
}

export const INSTALL_HINT =
  'Install it with `cargo install --path .` from a refnotes checkout (it puts `refnotes` on PATH), ' +
  'or set `refnotes.server.path` to the binary.';

export function binaryName(platform: string): string {
  return platform === 'win32' ? 'refnotes.exe' : 'refnotes';
}

export function bundledServerPath(extensionPath: string, platform: string): string {
  return path.join(extensionPath, 'server', binaryName(platform));
}

function expandHome(file: string, env: Record<string, string | undefined>): string {
  const home = env.HOME ?? env.USERPROFILE;
  if (home && (file === '~' || file.startsWith('~/'))) {
    return path.join(home, file.slice(1));
  }
  return file;
}

export function discoverServer(input: DiscoveryInput): Discovery {
  const fromEnv = input.env.REFNOTES_SERVER?.trim();
  if (fromEnv) {
    const command = path.resolve(expandHome(fromEnv, input.env));
    if (input.isExecutable(command)) {
      return { ok: true, command, source: 'environment' };
    }
    return {
      ok: false,
      message: `REFNOTES_SERVER is set to ${fromEnv}, which is not an executable file. Fix or unset it. ${INSTALL_HINT}`,
    };
  }

  const fromSetting = input.settingPath?.trim();
  if (fromSetting) {
    const expanded = expandHome(fromSetting, input.env);
    const command = path.isAbsolute(expanded)
      ? expanded
      : path.resolve(input.workspaceFolder ?? '', expanded);
    if (input.isExecutable(command)) {
      return { ok: true, command, source: 'setting' };
    }
    return {
      ok: false,
      message: `The setting refnotes.server.path is ${fromSetting}, which is not an executable file (looked at ${command}). ${INSTALL_HINT}`,
    };
  }

  const bundled = bundledServerPath(input.extensionPath, input.platform);
  if (input.isExecutable(bundled)) {
    return { ok: true, command: bundled, source: 'bundled' };
  }

  const name = binaryName(input.platform);
  const separator = input.platform === 'win32' ? ';' : ':';
  const pathVariable = input.env.PATH ?? input.env.Path ?? '';
  for (const dir of pathVariable.split(separator)) {
    if (!dir) {
      continue;
    }
    const candidate = path.join(dir, name);
    if (input.isExecutable(candidate)) {
      return { ok: true, command: candidate, source: 'path' };
    }
  }

  return {
    ok: false,
    message: `Cannot find the refnotes language server: REFNOTES_SERVER and refnotes.server.path are unset, the extension bundles no server, and there is no \`${name}\` on PATH. ${INSTALL_HINT}`,
  };
}
