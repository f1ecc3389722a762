/**
 * The corpus report shown by "refnotes: Show Corpus Report". The server
 * writes it (custom request `refnotes/corpusReport`); when the server does
 * not know that request, a plainer report is put together here from its
 * workspace symbols and last status. Pure, so it can be unit-tested.
 */
import { ServerStatus, corpusSummary } from './status';

export const CORPUS_REPORT_METHOD = 'refnotes/corpusReport';

/** The Markdown in a `refnotes/corpusReport` answer: a string or `{ markdown }`. */
export function reportMarkdown(result: unknown): string | undefined {
  if (typeof result === 'string') {
    return result;
  }
  if (result && typeof result === 'object') {
    const markdown = (result as { markdown?: unknown }).markdown;
    if (typeof markdown === 'string') {
      return markdown;
    }
  }
  return undefined;
}

/** JSON-RPC "method not found": the server does not implement the request. */
export function isMethodNotFound(error: unknown): boolean {
  return !!error && typeof error === 'object' && (error as { code?: unknown }).code === -32601;
}

/** A workspace symbol as the fallback needs it (LSP `SymbolKind.File` is 1). */
export interface CorpusSymbol {
  name: string;
  kind: number;
  containerName?: string;
  /** Where it is, as `file:line` for display, if known. */
  where?: string;
}

const SYMBOL_KIND_FILE = 1;
const LIST_LIMIT = 200;

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>|#])/g, '\\$1');
}

function bulletList(symbols: CorpusSymbol[]): string[] {
  const lines = symbols.slice(0, LIST_LIMIT).map((symbol) => {
    const detail = [symbol.containerName, symbol.where].filter(Boolean).join(', ');
    return `- ${escapeMarkdown(symbol.name)}${detail ? ` (${escapeMarkdown(detail)})` : ''}`;
  });
  if (symbols.length > LIST_LIMIT) {
    lines.push(`- … and ${symbols.length - LIST_LIMIT} more`);
  }
  return lines;
}

export function fallbackReport(symbols: CorpusSymbol[] | undefined, status: ServerStatus | undefined): string {
  const lines = ['# refnotes corpus report', ''];
  lines.push(
    'This server does not write corpus reports (no `refnotes/corpusReport` request), so this one lists what its workspace symbols and status show.',
    '',
  );
  const summary = corpusSummary(status);
  lines.push(summary ? `Corpus: ${summary}.` : 'The server has not reported the corpus size.', '');
  if (status?.message) {
    lines.push(`Server: ${escapeMarkdown(status.message)}`, '');
  }
  if (symbols === undefined) {
    lines.push('The server offers no workspace symbols, so documents and names cannot be listed.');
    return lines.join('\n') + '\n';
  }
  const byName = (a: CorpusSymbol, b: CorpusSymbol) => a.name.localeCompare(b.name);
  const documents = symbols.filter((symbol) => symbol.kind === SYMBOL_KIND_FILE).sort(byName);
  const entities = symbols.filter((symbol) => symbol.kind !== SYMBOL_KIND_FILE).sort(byName);
  lines.push(`## Documents (${documents.length})`, '');
  lines.push(...(documents.length > 0 ? bulletList(documents) : ['None found.']), '');
  lines.push(`## Names (${entities.length})`, '');
  lines.push(...(entities.length > 0 ? bulletList(entities) : ['None found.']), '');
  return lines.join('\n');
}
