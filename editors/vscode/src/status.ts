/**
 * What the status-bar item says: the server's state, indexing progress from
 * `$/progress`, and the corpus size from the `refnotes/status` notification.
 * Pure, so the wording can be unit-tested.
 */

/** Payload of the server's `refnotes/status` notification. */
export interface ServerStatus {
  documents?: number;
  figures?: number;
  entities?: number;
  indexing?: boolean;
  message?: string;
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
  if (progress || status?.indexing) {
    const detail = progressDetail(progress) ?? status?.message ?? 'Indexing corpus';
    return {
      text: `$(sync~spin) refnotes: ${detail}`,
      tooltip: [detail, summary, click].filter(Boolean).join('\n'),
      warning: false,
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
