//! Editor settings: the `refnotes` section of `initializationOptions` and
//! `workspace/configuration`, mirrored as one camelCase serde struct.

use std::collections::BTreeMap;

use serde::Deserialize;

/// What an editor may set for refnotes. Every field is optional in JSON.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// Corpus folders, relative to the workspace folder (used when the folder
    /// has no `refnotes.toml`).
    pub corpus: Vec<String>,
    /// Severity per finding code: `error`, `warning`, `information`, `hint` or `off`.
    pub severity: BTreeMap<String, String>,
    /// Extra relative tolerance when comparing figures (0.01 = 1%).
    pub tolerance: Option<f64>,
    pub inlay_hints: InlayHintSettings,
    /// Follow symbolic links in the corpus folders, wherever they lead.
    pub follow_symlinks: bool,
    /// Let a workspace's `refnotes.toml` name corpus folders outside the
    /// folder it sits in.
    pub allow_external_corpus: bool,
    /// The team's shared index (`postgres://host/db?collection=NAME`), used
    /// when the folder's `refnotes.toml` names none.
    pub shared: Option<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct InlayHintSettings {
    pub enable: bool,
}

impl Default for InlayHintSettings {
    fn default() -> InlayHintSettings {
        InlayHintSettings { enable: true }
    }
}

impl Settings {
    /// Reads settings from a JSON value that is either the `refnotes` section
    /// itself or an object holding it under `refnotes`. Anything unreadable
    /// falls back to the defaults, with a warning in the log.
    pub fn from_json(value: Option<&serde_json::Value>) -> Settings {
        let Some(value) = value else {
            return Settings::default();
        };
        let section = value.get("refnotes").unwrap_or(value);
        if section.is_null() {
            return Settings::default();
        }
        match Settings::deserialize(section) {
            Ok(settings) => settings,
            Err(error) => {
                tracing::warn!("ignoring unreadable refnotes settings: {error}");
                Settings::default()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_read_camel_case_and_nested_sections() {
        let nested = json!({"refnotes": {
            "corpus": ["sources"],
            "severity": {"unsupported-figure": "off"},
            "tolerance": 0.02,
            "inlayHints": {"enable": false}
        }});
        let settings = Settings::from_json(Some(&nested));
        assert_eq!(settings.corpus, vec!["sources".to_string()]);
        assert_eq!(settings.severity["unsupported-figure"], "off");
        assert_eq!(settings.tolerance, Some(0.02));
        assert!(!settings.inlay_hints.enable);
        let flat = json!({"tolerance": 0.5});
        assert_eq!(Settings::from_json(Some(&flat)).tolerance, Some(0.5));
    }

    #[test]
    fn unreadable_or_missing_settings_fall_back_to_defaults() {
        for value in [json!(null), json!({"corpus": 3}), json!("text")] {
            let settings = Settings::from_json(Some(&value));
            assert_eq!(settings, Settings::default(), "{value}");
        }
        assert!(Settings::from_json(None).inlay_hints.enable);
    }
}
