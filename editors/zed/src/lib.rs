//! Zed extension that runs the refnotes language server for Markdown notes.

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

struct Refnotes;

impl zed::Extension for Refnotes {
    fn new() -> Self {
        Refnotes
    }

    fn language_server_command(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let settings = LspSettings::for_worktree("refnotes", worktree).ok();
        let configured = settings
            .as_ref()
            .and_then(|settings| settings.binary.as_ref())
            .and_then(|binary| binary.path.clone());
        let command = configured
            .or_else(|| worktree.which("refnotes"))
            .ok_or_else(|| {
                "refnotes is not on PATH: run `cargo install --path .` in a refnotes checkout, \
                 or set lsp.refnotes.binary.path"
                    .to_string()
            })?;
        Ok(zed::Command {
            command,
            args: vec!["serve".to_string()],
            env: worktree.shell_env(),
        })
    }

    fn language_server_initialization_options(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree("refnotes", worktree)
            .ok()
            .and_then(|settings| settings.initialization_options))
    }

    fn language_server_workspace_configuration(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree("refnotes", worktree)
            .ok()
            .and_then(|settings| settings.settings))
    }
}

zed::register_extension!(Refnotes);
