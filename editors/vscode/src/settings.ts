/**
 * Maps the extension's `refnotes.*` settings onto the server's settings
 * object: the camelCase `refnotes` section sent as `initializationOptions`,
 * in `workspace/didChangeConfiguration` and in answers to
 * `workspace/configuration`. Pure, so it can be unit-tested without VS Code.
 */

/** Finding codes whose severity the user can set, in the README's order. */
export const SEVERITY_CODES = [
  'figure-mismatch',
  'misquote',
  'unknown-source',
  'wrong-source',
  'unsupported-figure',
  'source-conflict',
  'no-corpus',
] as const;

export type SeverityCode = (typeof SEVERITY_CODES)[number];

export const SEVERITY_LEVELS = ['error', 'warning', 'information', 'hint', 'off'] as const;

export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];

/** The server's `refnotes` settings section, exactly as it reads it. */
export interface ServerSettings {
  corpus: string[];
  severity: Partial<Record<SeverityCode, SeverityLevel>>;
  tolerance?: number;
  inlayHints: { enable: boolean };
}

/**
 * What the mapping needs from VS Code's configuration, relative to the
 * `refnotes` section: the effective value of a key, and whether the user set
 * it anywhere (so defaults that only mirror the server's are not sent and
 * cannot override a `refnotes.toml`).
 */
export interface SettingsReader {
  get(key: string): unknown;
  isSet(key: string): boolean;
}

export function serverSettings(read: SettingsReader): ServerSettings {
  const settings: ServerSettings = {
    corpus: corpusPaths(read.get('corpus')),
    severity: {},
    inlayHints: { enable: read.get('inlayHints.enable') !== false },
  };
  for (const code of SEVERITY_CODES) {
    const key = `severity.${code}`;
    if (!read.isSet(key)) {
      continue;
    }
    const level = severityLevel(read.get(key));
    if (level) {
      settings.severity[code] = level;
    }
  }
  const tolerance = read.get('tolerance');
  if (typeof tolerance === 'number' && Number.isFinite(tolerance) && tolerance >= 0) {
    settings.tolerance = tolerance;
  }
  return settings;
}

function corpusPaths(value: unknown): string[] {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  return list
    .filter((item): item is string => typeof item === 'string')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** Reads a level, accepting `info` as the server's config file does. */
export function severityLevel(value: unknown): SeverityLevel | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const level = value.trim().toLowerCase();
  if (level === 'info') {
    return 'information';
  }
  return (SEVERITY_LEVELS as readonly string[]).includes(level) ? (level as SeverityLevel) : undefined;
}

/** Settings whose change needs a new server process, not just a notification. */
export const RESTART_KEYS = ['refnotes.server.path'];
