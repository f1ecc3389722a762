//! The VS Code extension names every finding code the engine has: its
//! settings (`package.json`) and the list it sends to the server
//! (`src/settings.ts`) are compared with `Code::ALL`, so a new code cannot be
//! forgotten there.

use std::path::Path;

use refnotes::check::Code;

fn extension_file(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("editors/vscode")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn engine_codes() -> Vec<&'static str> {
    Code::ALL.iter().map(|code| code.as_str()).collect()
}

/// The quoted strings of the TypeScript array constant `name`.
fn typescript_list(source: &str, name: &str) -> Vec<String> {
    let start = source
        .find(&format!("export const {name} = ["))
        .unwrap_or_else(|| panic!("settings.ts defines {name}"));
    let body = &source[start..];
    let body = &body[body.find('[').unwrap() + 1..body.find(']').unwrap()];
    body.split(',')
        .map(|item| item.trim().trim_matches('\''))
        .filter(|item| !item.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_extension_sends_every_code_to_the_server() {
    let settings = extension_file("src/settings.ts");
    assert_eq!(
        typescript_list(&settings, "SEVERITY_CODES"),
        engine_codes(),
        "editors/vscode/src/settings.ts SEVERITY_CODES"
    );
    let levels = typescript_list(&settings, "SEVERITY_LEVELS");
    for level in &levels {
        assert!(
            refnotes::project::parse_severity_setting(level).is_some(),
            "settings.ts offers {level:?}, which the server does not read"
        );
    }
}

#[test]
fn the_extension_has_a_setting_per_code_with_the_engine_default() {
    let manifest: serde_json::Value =
        serde_json::from_str(&extension_file("package.json")).expect("package.json is JSON");
    let properties = manifest["contributes"]["configuration"]["properties"]
        .as_object()
        .expect("contributes.configuration.properties");
    let prefix = "refnotes.severity.";
    // serde_json's map is sorted, so the lists are compared sorted.
    let settings: Vec<&str> = properties
        .keys()
        .filter_map(|key| key.strip_prefix(prefix))
        .collect();
    let mut codes = engine_codes();
    codes.sort_unstable();
    assert_eq!(settings, codes, "package.json severity settings");
    for code in Code::ALL {
        let setting = &properties[&format!("{prefix}{code}")];
        assert_eq!(
            setting["default"],
            code.default_severity().as_str(),
            "the default of {prefix}{code}"
        );
        for level in setting["enum"].as_array().expect("an enum of levels") {
            let level = level.as_str().expect("a level name");
            assert!(
                refnotes::project::parse_severity_setting(level).is_some(),
                "{prefix}{code} offers {level:?}, which the server does not read"
            );
        }
        // The description says what the code means, in the engine's words.
        let description = code.description();
        let lowered = description[..1].to_lowercase() + &description[1..];
        let text = setting["markdownDescription"].as_str().unwrap_or_default();
        assert!(
            text.contains(&lowered) || text.contains(description.trim_end_matches('.')),
            "{prefix}{code}: {text:?} does not say {description:?}"
        );
    }
}
