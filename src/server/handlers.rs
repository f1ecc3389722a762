//! The handler table: every protocol method the server answers, each one a few
//! lines that convert in, call a feature and convert out.

use std::collections::HashMap;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::LanguageServer;

use serde_json::json;

use super::backend::{Backend, IndexState, Session};
use super::convert;
use super::features::completion::{self, EntryKind};
use super::features::{self, references::Place, symbols};
use super::settings::Settings;

/// The most workspace symbols and workspace-diagnostic files one answer carries.
const WORKSPACE_SYMBOL_LIMIT: usize = 500;
const WORKSPACE_NOTE_LIMIT: usize = 2_000;

/// What the server offers, given what the client can do.
pub fn capabilities(session: &Session) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(convert::encoding_kind(session.encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["@".to_string()]),
            resolve_provider: Some(true),
            ..CompletionOptions::default()
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        inlay_hint_provider: Some(OneOf::Left(true)),
        diagnostic_provider: session.pull_diagnostics.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("refnotes".to_string()),
                inter_file_dependencies: true,
                workspace_diagnostics: true,
                ..DiagnosticOptions::default()
            })
        }),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let session = Session::from_capabilities(&params.capabilities);
        let settings = Settings::from_json(params.initialization_options.as_ref());
        #[allow(deprecated)]
        let folders: Vec<_> = match (params.workspace_folders, params.root_uri) {
            (Some(folders), _) if !folders.is_empty() => folders
                .iter()
                .filter_map(|f| convert::uri_to_path(&f.uri))
                .collect(),
            (_, Some(root)) => convert::uri_to_path(&root).into_iter().collect(),
            _ => Vec::new(),
        };
        let capabilities = capabilities(&session);
        self.start_session(session, settings, folders);
        Ok(InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "refnotes".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            ..InitializeResult::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.start_workspaces().await;
    }

    async fn shutdown(&self) -> Result<()> {
        self.mark_shutdown();
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        self.open_document(doc.uri, doc.version, doc.text);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let changes = params
            .content_changes
            .into_iter()
            .map(convert::text_change)
            .collect();
        let doc = params.text_document;
        self.change_document(doc.uri, doc.version, changes);
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        self.save_document(&params.text_document.uri);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.close_document(params.text_document.uri).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.reconfigure(Some(params.settings)).await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let paths = |folders: Vec<WorkspaceFolder>| {
            folders
                .iter()
                .filter_map(|f| convert::uri_to_path(&f.uri))
                .collect()
        };
        self.add_folders(paths(params.event.added), paths(params.event.removed));
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        self.files_changed(params.changes).await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        let Some(snapshot) = self.snapshot(&at.text_document.uri) else {
            return Ok(None);
        };
        let analysed = self.analysis(&snapshot).await;
        let offset = convert::offset(&snapshot.note, at.position, snapshot.unit);
        let found = features::hover::hover(
            &snapshot.corpus,
            &snapshot.prepared.copies,
            &analysed.analysis,
            &snapshot.note.text,
            offset,
        );
        Ok(found.map(|hover| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: hover.markdown,
            }),
            range: Some(convert::note_range(
                &snapshot.note,
                hover.span,
                snapshot.unit,
            )),
        }))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        let Some(snapshot) = self.snapshot(&at.text_document.uri) else {
            return Ok(None);
        };
        let analysed = self.analysis(&snapshot).await;
        let offset = convert::offset(&snapshot.note, at.position, snapshot.unit);
        let locations: Vec<Location> = features::definition::definition(
            &snapshot.corpus,
            &snapshot.prepared.copies,
            &analysed.analysis,
            offset,
        )
        .into_iter()
        .filter_map(|target| convert::source_location(&snapshot.corpus, target, snapshot.unit))
        .collect();
        Ok((!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations)))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let at = params.text_document_position;
        let Some(snapshot) = self.snapshot(&at.text_document.uri) else {
            return Ok(None);
        };
        let offset = convert::offset(&snapshot.note, at.position, snapshot.unit);
        let notes = self.open_notes(&snapshot).await;
        let analyses: Vec<_> = notes.iter().map(|(_, a)| &a.analysis).collect();
        let places = features::references::references(&snapshot.corpus, &analyses, 0, offset);
        let locations: Vec<Location> = places
            .into_iter()
            .filter_map(|place| match place {
                Place::Source(target) => {
                    convert::source_location(&snapshot.corpus, target, snapshot.unit)
                }
                Place::Note { note, span } => {
                    let (other, _) = notes.get(note)?;
                    Some(Location::new(
                        other.uri.clone(),
                        convert::note_range(&other.note, span, snapshot.unit),
                    ))
                }
            })
            .collect();
        Ok((!locations.is_empty()).then_some(locations))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some(snapshot) = self.snapshot(&uri) else {
            return Ok(None);
        };
        let analysed = self.analysis(&snapshot).await;
        let findings = features::diagnostics::findings(&analysed.analysis, &snapshot.config);
        let range = convert::span(&snapshot.note, params.range, snapshot.unit);
        let note = &snapshot.note;
        let actions =
            features::code_actions::code_actions(&note.text, &note.lines, &findings, range);
        let response: CodeActionResponse = actions
            .into_iter()
            .map(|action| {
                let edits = action
                    .edits
                    .iter()
                    .map(|edit| convert::text_edit(note, edit, snapshot.unit))
                    .collect();
                let diagnostic = convert::diagnostic(
                    &findings[action.finding],
                    note,
                    &snapshot.corpus,
                    &snapshot.prepared.copies,
                    snapshot.unit,
                );
                CodeActionOrCommand::CodeAction(CodeAction {
                    title: action.title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic]),
                    edit: Some(WorkspaceEdit {
                        changes: Some(HashMap::from([(uri.clone(), edits)])),
                        ..WorkspaceEdit::default()
                    }),
                    is_preferred: action.preferred.then_some(true),
                    ..CodeAction::default()
                })
            })
            .collect();
        Ok((!response.is_empty()).then_some(response))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let at = params.text_document_position;
        let Some(snapshot) = self.snapshot(&at.text_document.uri) else {
            return Ok(None);
        };
        let offset = convert::offset(&snapshot.note, at.position, snapshot.unit);
        let hints = self
            .last_analysis(&snapshot.uri)
            .map(|last| completion::hints(&last.analysis, &snapshot.note.text, offset))
            .unwrap_or_default();
        let Some(found) = completion::completion(
            &snapshot.corpus,
            &snapshot.prepared.completion,
            &snapshot.note.text,
            offset,
            &hints,
        ) else {
            return Ok(None);
        };
        let replace = convert::note_range(&snapshot.note, found.replace, snapshot.unit);
        let items = found
            .items
            .into_iter()
            .enumerate()
            .map(|(rank, entry)| CompletionItem {
                kind: Some(match entry.kind {
                    EntryKind::Document => CompletionItemKind::REFERENCE,
                    EntryKind::Entity => CompletionItemKind::CONSTANT,
                }),
                detail: entry.detail.clone(),
                filter_text: entry
                    .detail
                    .filter(|_| entry.kind == EntryKind::Document)
                    .map(|title| format!("{} {title}", entry.label)),
                // Our ranking, not the client's alphabetical order.
                sort_text: Some(format!("{rank:04}")),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                    replace,
                    entry.label.clone(),
                ))),
                // The documentation is sent only for the item the editor shows.
                data: entry
                    .doc
                    .map(|doc| json!({"doc": doc.0, "corpus": snapshot.corpus.generation()})),
                label: entry.label,
                ..CompletionItem::default()
            })
            .collect();
        Ok(Some(CompletionResponse::List(CompletionList {
            is_incomplete: found.incomplete,
            items,
        })))
    }

    async fn completion_resolve(&self, mut item: CompletionItem) -> Result<CompletionItem> {
        let wanted = item
            .data
            .as_ref()
            .and_then(|data| Some((data.get("doc")?.as_u64()?, data.get("corpus")?.as_u64()?)));
        let Some((doc, generation)) = wanted else {
            return Ok(item);
        };
        // The corpus the item came from; a document index means nothing in another.
        let corpus = self
            .corpora()
            .into_iter()
            .find(|(_, corpus, _, _)| corpus.generation() == generation)
            .map(|(_, corpus, _, _)| corpus);
        if let Some(corpus) = corpus {
            item.documentation =
                completion::document_documentation(&corpus, crate::corpus::DocId(doc as u32)).map(
                    |value| {
                        Documentation::MarkupContent(MarkupContent {
                            kind: MarkupKind::Markdown,
                            value,
                        })
                    },
                );
        }
        Ok(item)
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some(snapshot) = self.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        let analysed = self.analysis(&snapshot).await;
        let note = &snapshot.note;
        let found = symbols::document_symbols(&note.text, &note.lines, &analysed.analysis);
        let unit = snapshot.unit;
        fn convert_symbol(
            symbol: symbols::Symbol,
            note: &super::document::TextSnapshot,
            unit: crate::text::ColumnUnit,
        ) -> DocumentSymbol {
            #[allow(deprecated)]
            DocumentSymbol {
                name: if symbol.name.trim().is_empty() {
                    "(untitled)".to_string()
                } else {
                    symbol.name
                },
                detail: None,
                kind: symbol_kind(symbol.kind),
                tags: None,
                deprecated: None,
                range: convert::note_range(note, symbol.span, unit),
                selection_range: convert::note_range(note, symbol.selection, unit),
                children: (!symbol.children.is_empty()).then(|| {
                    symbol
                        .children
                        .into_iter()
                        .map(|child| convert_symbol(child, note, unit))
                        .collect()
                }),
            }
        }
        let nested = found
            .into_iter()
            .map(|s| convert_symbol(s, note, unit))
            .collect();
        Ok(Some(DocumentSymbolResponse::Nested(nested)))
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let unit = self.session().encoding;
        let mut found = Vec::new();
        for (_, corpus, _, _) in self.corpora() {
            let remaining = WORKSPACE_SYMBOL_LIMIT.saturating_sub(found.len());
            for symbol in symbols::workspace_symbols(&corpus, &params.query, remaining) {
                let Some(location) = convert::source_location(&corpus, symbol.place, unit) else {
                    continue;
                };
                #[allow(deprecated)]
                found.push(SymbolInformation {
                    name: symbol.name,
                    kind: symbol_kind(symbol.kind),
                    tags: None,
                    deprecated: None,
                    location,
                    container_name: symbol.container,
                });
            }
        }
        Ok(Some(WorkspaceSymbolResponse::Flat(found)))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let Some(snapshot) = self.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        if !snapshot.config.inlay_hints {
            return Ok(Some(Vec::new()));
        }
        let analysed = self.analysis(&snapshot).await;
        let range = convert::span(&snapshot.note, params.range, snapshot.unit);
        let hints = features::inlay_hints::inlay_hints(&snapshot.corpus, &analysed.analysis, range)
            .into_iter()
            .map(|hint| InlayHint {
                position: convert::position(
                    &snapshot.note.text,
                    &snapshot.note.lines,
                    hint.offset,
                    snapshot.unit,
                ),
                label: InlayHintLabel::String(hint.label),
                kind: None,
                text_edits: None,
                tooltip: hint.tooltip.map(InlayHintTooltip::String),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
            .collect();
        Ok(Some(hints))
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let items = match self.snapshot(&params.text_document.uri) {
            Some(snapshot) => self.diagnostics(&snapshot).await.unwrap_or_default(),
            None => Vec::new(),
        };
        let result_id = result_id(&items);
        let report = if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                    result_id,
                },
            })
        } else {
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(result_id),
                    items,
                },
            })
        };
        Ok(DocumentDiagnosticReportResult::Report(report))
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        let previous: HashMap<Uri, String> = params
            .previous_result_ids
            .into_iter()
            .map(|previous| (previous.uri, previous.value))
            .collect();
        let mut items = Vec::new();
        for (config, corpus, prepared, state) in self.corpora() {
            if state == IndexState::Indexing || config.root.as_os_str().is_empty() {
                continue;
            }
            let notes = tokio::task::spawn_blocking({
                let config = std::sync::Arc::clone(&config);
                move || workspace_notes(&config)
            })
            .await
            .unwrap_or_default();
            for path in notes {
                let Some(uri) = convert::path_to_uri(&path) else {
                    continue;
                };
                let (version, diagnostics) = match self.snapshot(&uri) {
                    Some(snapshot) => (
                        Some(i64::from(snapshot.version)),
                        self.diagnostics(&snapshot).await.unwrap_or_default(),
                    ),
                    None => {
                        let Ok(text) = std::fs::read_to_string(&path) else {
                            continue;
                        };
                        let config = std::sync::Arc::clone(&config);
                        let corpus = std::sync::Arc::clone(&corpus);
                        let prepared = std::sync::Arc::clone(&prepared);
                        let unit = self.session().encoding;
                        let diagnostics = tokio::task::spawn_blocking(move || {
                            let note = super::document::TextSnapshot::new(text);
                            let analysis = crate::check::analyze_note(
                                &corpus,
                                &note.text,
                                &crate::check::CheckOptions {
                                    tolerance: config.tolerance,
                                },
                            );
                            features::diagnostics::findings(&analysis, &config)
                                .iter()
                                .map(|f| {
                                    convert::diagnostic(f, &note, &corpus, &prepared.copies, unit)
                                })
                                .collect::<Vec<_>>()
                        })
                        .await
                        .unwrap_or_default();
                        (None, diagnostics)
                    }
                };
                let result_id = result_id(&diagnostics);
                if previous.get(&uri) == Some(&result_id) {
                    items.push(WorkspaceDocumentDiagnosticReport::Unchanged(
                        WorkspaceUnchangedDocumentDiagnosticReport {
                            uri,
                            version,
                            unchanged_document_diagnostic_report:
                                UnchangedDocumentDiagnosticReport { result_id },
                        },
                    ));
                    continue;
                }
                items.push(WorkspaceDocumentDiagnosticReport::Full(
                    WorkspaceFullDocumentDiagnosticReport {
                        uri,
                        version,
                        full_document_diagnostic_report: FullDocumentDiagnosticReport {
                            result_id: Some(result_id),
                            items: diagnostics,
                        },
                    },
                ));
            }
        }
        Ok(WorkspaceDiagnosticReportResult::Report(
            WorkspaceDiagnosticReport { items },
        ))
    }
}

/// A pull report's `resultId`: a hash of what it says, so the same
/// diagnostics (after an edit that moved none of them, or a second pull) are
/// answered "unchanged" without the server keeping what it sent.
fn result_id(items: &[Diagnostic]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_vec(items)
        .unwrap_or_default()
        .hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

fn symbol_kind(kind: symbols::SymbolKind) -> SymbolKind {
    match kind {
        symbols::SymbolKind::Heading => SymbolKind::NAMESPACE,
        symbols::SymbolKind::Figure => SymbolKind::NUMBER,
        symbols::SymbolKind::Quote => SymbolKind::STRING,
        symbols::SymbolKind::Citation => SymbolKind::KEY,
        symbols::SymbolKind::Entity => SymbolKind::OBJECT,
        symbols::SymbolKind::Document => SymbolKind::FILE,
    }
}

/// The Markdown notes under a workspace folder, walked as `refnotes check`
/// walks a folder.
fn workspace_notes(config: &super::workspace::WorkspaceConfig) -> Vec<std::path::PathBuf> {
    config.workspace_notes(WORKSPACE_NOTE_LIMIT)
}
