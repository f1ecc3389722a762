/**
 * The refnotes VS Code extension: starts `refnotes serve` for Markdown notes
 * in workspaces that have a corpus, and adds the commands, settings and the
 * status-bar item around it. The decisions live in pure modules (discovery,
 * settings, workspace, status, report); this file wires them to VS Code.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  TransportKind,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  WorkspaceDiagnosticReport,
  WorkspaceDiagnosticRequest,
  WorkspaceSymbolRequest,
} from 'vscode-languageclient/node';

import { bundledServerPath, discoverServer } from './discovery';
import { WorkspacePullGate } from './pullGate';
import { CORPUS_REPORT_METHOD, CorpusSymbol, fallbackReport, isMethodNotFound, reportMarkdown } from './report';
import { RESTART_KEYS, ServerSettings, serverSettings } from './settings';
import { ClientPhase, ProgressState, ServerStatus, mergeStatuses, statusView } from './status';
import { activationReason } from './workspace';

const STATUS_NOTIFICATION = 'refnotes/status';
const REPORT_SCHEME = 'refnotes-report';

let output: vscode.OutputChannel;
let statusItem: vscode.StatusBarItem;
let client: LanguageClient | undefined;
let starting: Promise<void> | undefined;
let phase: ClientPhase = 'stopped';
const statuses = new Map<string, ServerStatus>();
const lastStatus = (): ServerStatus | undefined => mergeStatuses([...statuses.values()]);
const progress = new Map<string | number, ProgressState>();
const reports = new Map<string, string>();
const reportChanged = new vscode.EventEmitter<vscode.Uri>();
const workspacePulls = new WorkspacePullGate();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('refnotes');
  statusItem = vscode.window.createStatusBarItem('refnotes.status', vscode.StatusBarAlignment.Right, 100);
  statusItem.name = 'refnotes';
  statusItem.command = 'refnotes.showOutput';
  context.subscriptions.push(output, statusItem, reportChanged);

  context.subscriptions.push(
    vscode.commands.registerCommand('refnotes.restartServer', () => restart(context, true)),
    vscode.commands.registerCommand('refnotes.showCorpusReport', () => showCorpusReport()),
    vscode.commands.registerCommand('refnotes.checkWorkspace', () => checkWorkspace()),
    vscode.commands.registerCommand('refnotes.showOutput', () => output.show(true)),
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, {
      onDidChange: reportChanged.event,
      provideTextDocumentContent: (uri) => reports.get(uri.toString()) ?? '',
    }),
    vscode.workspace.onDidChangeConfiguration((event) => onConfigurationChanged(context, event)),
    watchNotesAndSources(),
    vscode.workspace.onDidOpenTextDocument(() => startIfWanted(context)),
    vscode.workspace.onDidChangeWorkspaceFolders(() => startIfWanted(context)),
  );

  await startIfWanted(context);
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

/** Notes or sources changing on disk can change any note's findings. */
function watchNotesAndSources(): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.{md,markdown,txt,toml}');
  const changed = () => workspacePulls.markDirty();
  return vscode.Disposable.from(
    watcher,
    watcher.onDidCreate(changed),
    watcher.onDidChange(changed),
    watcher.onDidDelete(changed),
  );
}

/** Starts the server once the workspace turns out to be a refnotes workspace. */
async function startIfWanted(context: vscode.ExtensionContext): Promise<void> {
  if (client || starting) {
    return;
  }
  const reason = activationReason(
    {
      workspaceFolders: fileFolders(),
      openNotes: vscode.workspace.textDocuments
        .filter((document) => document.uri.scheme === 'file' && document.languageId === 'markdown')
        .map((document) => document.uri.fsPath),
      corpusConfigured: serverSettingsFor(undefined).corpus.length > 0,
    },
    { isFile: (file) => statIs(file, 'file'), isDirectory: (dir) => statIs(dir, 'directory') },
  );
  if (!reason) {
    return;
  }
  log(`Starting because ${reason}.`);
  starting = startClient(context).finally(() => {
    starting = undefined;
  });
  await starting;
}

function fileFolders(): string[] {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((folder) => folder.uri.scheme === 'file')
    .map((folder) => folder.uri.fsPath);
}

function statIs(file: string, kind: 'file' | 'directory'): boolean {
  try {
    const stat = fs.statSync(file);
    return kind === 'file' ? stat.isFile() : stat.isDirectory();
  } catch {
    return false;
  }
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A .vsix may lose the bundled binary's executable bit on unpacking. */
function restoreBundledExecutableBit(extensionPath: string): void {
  const bundled = bundledServerPath(extensionPath, process.platform);
  if (process.platform !== 'win32' && statIs(bundled, 'file') && !isExecutable(bundled)) {
    try {
      fs.chmodSync(bundled, 0o755);
    } catch (error) {
      log(`Cannot make ${bundled} executable: ${String(error)}`);
    }
  }
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  restoreBundledExecutableBit(context.extensionPath);
  const found = discoverServer({
    env: process.env,
    settingPath: vscode.workspace.getConfiguration('refnotes').get<string>('server.path'),
    workspaceFolder: fileFolders()[0],
    extensionPath: context.extensionPath,
    platform: process.platform,
    isExecutable,
  });
  if (!found.ok) {
    setPhase('failed');
    log(found.message);
    const choice = await vscode.window.showErrorMessage(`refnotes: ${found.message}`, 'Open Settings', 'Show Log');
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'refnotes.server.path');
    } else if (choice === 'Show Log') {
      output.show(true);
    }
    return;
  }
  log(`Using the ${found.source} server ${found.command}.`);

  // vscode-languageclient appends `--stdio` for TransportKind.stdio; `refnotes serve` accepts it.
  const executable = { command: found.command, args: ['serve'], transport: TransportKind.stdio };
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
      // Corpus files opened in the editor: hover and go-to work in sources too.
      { scheme: 'file', language: 'plaintext', pattern: '**/{corpus,sources}/**' },
    ],
    outputChannel: output,
    initializationOptions: serverSettingsFor(undefined),
    markdown: { isTrusted: false, supportHtml: false },
    middleware: {
      provideWorkspaceDiagnostics: (resultIds, token, resultReporter, next) =>
        workspacePulls.take() ? next(resultIds, token, resultReporter) : { items: [] },
      workspace: {
        // Answer the `refnotes` section in the server's shape, not VS Code's raw one.
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) {
            return answers;
          }
          return params.items.map((item, index) =>
            item.section === 'refnotes'
              ? serverSettingsFor(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
              : answers[index],
          );
        },
      },
    },
  };

  const next = new LanguageClient('refnotes', 'refnotes', serverOptions, clientOptions);
  next.onDidChangeState((event) => {
    if (event.newState === State.Running) {
      setPhase('running');
    } else if (event.newState === State.Starting) {
      setPhase('starting');
    } else {
      progress.clear();
      setPhase(phase === 'failed' ? 'failed' : 'stopped');
    }
  });
  client = next;
  statuses.clear();
  workspacePulls.markDirty();
  setPhase('starting');
  next.onNotification(STATUS_NOTIFICATION, (status: ServerStatus) => {
    statuses.set(status?.root ?? '', status);
    refreshStatusItem();
  });
  try {
    await next.start();
  } catch (error) {
    log(`The server did not start: ${String(error)}`);
    setPhase('failed');
    return;
  }
  // Replaces the client's own progress handler so indexing shows in our item.
  next.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
    const subscription = next.onProgress(WorkDoneProgress.type, token, (value) => {
      if (value.kind === 'begin') {
        progress.set(token, { title: value.title, message: value.message, percentage: value.percentage });
      } else if (value.kind === 'report') {
        const previous = progress.get(token) ?? {};
        progress.set(token, {
          title: previous.title,
          message: value.message ?? previous.message,
          percentage: value.percentage ?? previous.percentage,
        });
      } else {
        progress.delete(token);
        subscription.dispose();
      }
      refreshStatusItem();
    });
  });
  setPhase('running');
}

async function stopClient(): Promise<void> {
  const current = client;
  client = undefined;
  progress.clear();
  if (current) {
    try {
      await current.dispose(2000);
    } catch (error) {
      log(`Stopping the server: ${String(error)}`);
    }
  }
}

async function restart(context: vscode.ExtensionContext, byUser: boolean): Promise<void> {
  if (starting) {
    await starting;
  }
  log(byUser ? 'Restarting the server.' : 'Restarting the server for the changed setting.');
  await stopClient();
  setPhase('stopped');
  await startIfWanted(context);
  if (byUser && !client) {
    void vscode.window.showWarningMessage(
      'refnotes: not restarted, this workspace has no refnotes.toml, corpus or sources folder, nor a refnotes.corpus setting.',
    );
  }
}

function onConfigurationChanged(context: vscode.ExtensionContext, event: vscode.ConfigurationChangeEvent): void {
  if (!event.affectsConfiguration('refnotes')) {
    return;
  }
  if (RESTART_KEYS.some((key) => event.affectsConfiguration(key))) {
    void restart(context, false);
    return;
  }
  if (!client) {
    void startIfWanted(context);
    return;
  }
  workspacePulls.markDirty();
  if (client.isRunning()) {
    void client.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { refnotes: serverSettingsFor(undefined) },
    });
  }
}

function serverSettingsFor(scope: vscode.Uri | undefined): ServerSettings {
  const config = vscode.workspace.getConfiguration('refnotes', scope);
  return serverSettings({
    get: (key) => config.get(key),
    isSet: (key) => {
      const inspected = config.inspect(key);
      return (
        inspected !== undefined &&
        (inspected.globalValue !== undefined ||
          inspected.workspaceValue !== undefined ||
          inspected.workspaceFolderValue !== undefined)
      );
    },
  });
}

function setPhase(next: ClientPhase): void {
  phase = next;
  refreshStatusItem();
}

function refreshStatusItem(): void {
  const inFlight = [...progress.values()].pop();
  const view = statusView(phase, lastStatus(), inFlight);
  statusItem.text = view.text;
  statusItem.tooltip = view.tooltip;
  statusItem.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  statusItem.show();
}

function log(message: string): void {
  output.appendLine(`[refnotes] ${message}`);
}

function runningClient(): LanguageClient | undefined {
  if (client?.isRunning()) {
    return client;
  }
  void vscode.window.showWarningMessage('refnotes: the server is not running (see the refnotes log).');
  output.show(true);
  return undefined;
}

async function showCorpusReport(): Promise<void> {
  const current = runningClient();
  if (!current) {
    return;
  }
  const folder = vscode.window.activeTextEditor
    ? vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri)
    : vscode.workspace.workspaceFolders?.[0];
  let markdown: string | undefined;
  try {
    const result = await current.sendRequest(CORPUS_REPORT_METHOD, {
      workspaceFolder: folder ? current.code2ProtocolConverter.asUri(folder.uri) : null,
    });
    markdown = reportMarkdown(result);
  } catch (error) {
    if (!isMethodNotFound(error)) {
      log(`${CORPUS_REPORT_METHOD} failed: ${String(error)}`);
    }
  }
  if (markdown === undefined) {
    markdown = fallbackReport(await corpusSymbols(current), lastStatus());
  }
  const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: '/refnotes corpus report.md' });
  reports.set(uri.toString(), markdown);
  reportChanged.fire(uri);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(document, 'markdown');
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    await vscode.window.showTextDocument(document, { preview: true });
  }
}

async function corpusSymbols(current: LanguageClient): Promise<CorpusSymbol[] | undefined> {
  if (!current.initializeResult?.capabilities.workspaceSymbolProvider) {
    return undefined;
  }
  try {
    const symbols = await current.sendRequest(WorkspaceSymbolRequest.type, { query: '' });
    return (symbols ?? []).map((symbol) => {
      const location = symbol.location;
      const uri = vscode.Uri.parse(location.uri);
      const line = 'range' in location ? `:${location.range.start.line + 1}` : '';
      return {
        name: symbol.name,
        kind: symbol.kind,
        containerName: symbol.containerName,
        where: `${path.basename(uri.fsPath)}${line}`,
      };
    });
  } catch (error) {
    log(`workspace/symbol failed: ${String(error)}`);
    return undefined;
  }
}

/**
 * Checks every note in the workspace: asks the server for workspace
 * diagnostics when it offers them (the client then shows them in Problems),
 * else opens each Markdown note so the server checks it.
 */
async function checkWorkspace(): Promise<void> {
  const current = runningClient();
  if (!current) {
    return;
  }
  const provider = current.initializeResult?.capabilities.diagnosticProvider;
  const pull = provider && 'workspaceDiagnostics' in provider && provider.workspaceDiagnostics;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'refnotes: checking the workspace', cancellable: true },
    async (_progress, token) => {
      if (pull) {
        workspacePulls.markDirty();
        const report: WorkspaceDiagnosticReport = await current.sendRequest(
          WorkspaceDiagnosticRequest.type,
          { previousResultIds: [] },
          token,
        );
        const counts = [0, 0, 0, 0];
        let notes = 0;
        for (const item of report?.items ?? []) {
          notes += 1;
          if (item.kind === 'full') {
            for (const diagnostic of item.items) {
              counts[(diagnostic.severity ?? 1) - 1] += 1;
            }
          }
        }
        const summary = `${notes} ${notes === 1 ? 'note' : 'notes'}: ${counts[0]} errors, ${counts[1]} warnings, ${counts[2]} information`;
        log(`Workspace check: ${summary}.`);
        void vscode.window.showInformationMessage(`refnotes: checked ${summary}.`);
      } else {
        const notes = await vscode.workspace.findFiles(
          '**/*.{md,markdown}',
          '{**/node_modules/**,**/corpus/**,**/sources/**,**/.git/**}',
          1000,
          token,
        );
        for (const note of notes) {
          if (token.isCancellationRequested) {
            break;
          }
          await vscode.workspace.openTextDocument(note);
        }
        log(`Workspace check: opened ${notes.length} notes for the server to check.`);
        void vscode.window.showInformationMessage(
          `refnotes: opened ${notes.length} notes for checking; their findings are in the Problems panel.`,
        );
      }
    },
  );
  await vscode.commands.executeCommand('workbench.actions.view.problems');
}
