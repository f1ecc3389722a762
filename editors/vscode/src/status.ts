/**
 * What the status-bar item says: the server's state, indexing progress from
 * `$/progress`, and the corpus size from the `refnotes/status` notification.
 * Pure, so the wording can be unit-tested.
 */

/**
 * Payload of the server's `refnotes/status` notification, one per workspace
 * folder (`root`). `state` is `indexing`, `ready`, `missing` (no corpus) or
 * `failed`; `indexing: true` is accepted as well as `state: "indexing"`.
 */
export interface ServerStatus {
  root?: string;
  state?: string;
  documents?: number;
  figures?: number;
  entities?: number;
  conflicts?: number;
  indexing?: boolean;
  message?: string;
}

export function isIndexing(status: ServerStatus | undefined): boolean {
  return status?.indexing === true || status?.state === 'indexing';
}

function hasNoCorpus(status: ServerStatus | undefined): boolean {
  return status?.state === 'missing' || status?.state === 'failed';
}

/** One status for several workspace folders: counts add up, any indexing is indexing. */
export function mergeStatuses(statuses: readonly ServerStatus[]): ServerStatus | undefined {
  if (statuses.length <= 1) {
    return statuses[0];
  }
  const sum = (key: 'documents' | 'figures' | 'entities' | 'conflicts') =>
    statuses.some((status) => typeof status[key] === 'number')
      ? statuses.reduce((total, status) => total + (status[key] ?? 0), 0)
      : undefined;
  const state = statuses.some(isIndexing)
    ? 'indexing'
    : statuses.every(hasNoCorpus)
      ? statuses[0].state
      : 'ready';
  const messages = statuses.map((status) => status.message).filter((message) => message);
  return {
    state,
    documents: sum('documents'),
    figures: sum('figures'),
    entities: sum('entities'),
    conflicts: sum('conflicts'),
    message: messages.length > 0 ? messages.join('; ') : undefined,
  };
}

/** A work-done progress in flight (`$/progress` begin and report). */
export interface ProgressState {
  title?: string;
  message?: string;
  percentage?: number;
}

export type ClientPhase = 'starting' | 'running' | 'stopped' | 'failed';

export interface StatusView {
  text: string;
  tooltip: string;
  /** True when the item should stand out (the server is not running). */
  warning: boolean;
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

export function corpusSummary(status: ServerStatus | undefined): string | undefined {
  if (!status) {
    return undefined;
  }
  const parts: string[] = [];
  if (typeof status.documents === 'number') {
    parts.push(plural(status.documents, 'source', 'sources'));
  }
  if (typeof status.figures === 'number') {
    parts.push(plural(status.figures, 'figure', 'figures'));
  }
  if (typeof status.entities === 'number') {
    parts.push(plural(status.entities, 'name', 'names'));
  }
  if (typeof status.conflicts === 'number' && status.conflicts > 0) {
    parts.push(plural(status.conflicts, 'source conflict', 'source conflicts'));
  }
  return parts.length > 0 ? parts.join(', ') : undefined;
}

export function statusView(
  phase: ClientPhase,
  status: ServerStatus | undefined,
  progress: ProgressState | undefined,
): StatusView {
  const click = 'Click to show the refnotes log.';
  if (phase === 'failed') {
    return { text: '$(error) refnotes', tooltip: `The refnotes server is not running. ${click}`, warning: true };
  }
  if (phase === 'stopped') {
    return { text: '$(circle-slash) refnotes', tooltip: `The refnotes server has stopped. ${click}`, warning: true };
  }
  if (phase === 'starting') {
    return { text: '$(sync~spin) refnotes', tooltip: `Starting the refnotes server. ${click}`, warning: false };
  }
  const summary = corpusSummary(status);
  if (progress || isIndexing(status)) {
    const detail = progressDetail(progress) ?? status?.message ?? 'Indexing corpus';
    return {
      text: `$(sync~spin) refnotes: ${detail}`,
      tooltip: [detail, summary, click].filter(Boolean).join('\n'),
      warning: false,
    };
  }
  if (hasNoCorpus(status)) {
    return {
      text: status?.state === 'failed' ? '$(warning) refnotes: corpus not loaded' : '$(warning) refnotes: no corpus',
      tooltip: [status?.message ?? 'refnotes found no corpus to check notes against.', click].join('\n'),
      warning: true,
    };
  }
  const documents = status?.documents;
  const text =
    typeof documents === 'number' ? `$(book) refnotes: ${plural(documents, 'source', 'sources')}` : '$(book) refnotes';
  const tooltip = [
    summary ? `Corpus: ${summary}` : 'refnotes is running.',
    status?.message,
    click,
  ]
    .filter(Boolean)
    .join('\n');
  return { text, tooltip, warning: false };
}

function progressDetail(progress: ProgressState | undefined): string | undefined {
  if (!progress) {
    return undefined;
  }
  const words = [progress.title, progress.message].filter((part) => part && part.length > 0).join(': ');
  const percent = typeof progress.percentage === 'number' ? ` (${Math.round(progress.percentage)}%)` : '';
  return words.length > 0 ? words + percent : percent.trim() || undefined;
}
