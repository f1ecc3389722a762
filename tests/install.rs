//! What a user who wants the binary gets: a release build without debug info
//! (with it the binary is about 60 MB), while benches keep line tables for
//! profiling, and the README says how to put it on PATH right after its
//! first commands.

use std::path::Path;

fn crate_file(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `debug` setting of a Cargo profile, `None` when the profile leaves it
/// at Cargo's default.
fn profile_debug(manifest: &toml::Table, profile: &str) -> Option<toml::Value> {
    manifest
        .get("profile")
        .and_then(|p| p.get(profile))
        .and_then(|p| p.get("debug"))
        .cloned()
}

/// Whether a `debug` value asks for any debug info at all.
fn has_debug_info(value: &toml::Value) -> bool {
    match value {
        toml::Value::Boolean(on) => *on,
        toml::Value::Integer(level) => *level > 0,
        toml::Value::String(level) => !matches!(level.as_str(), "none" | "0"),
        other => panic!("Cargo.toml: unexpected debug setting {other}"),
    }
}

#[test]
fn the_release_binary_has_no_debug_info_and_benches_do() {
    let manifest: toml::Table = crate_file("Cargo.toml").parse().expect("Cargo.toml parses");
    if let Some(debug) = profile_debug(&manifest, "release") {
        assert!(
            !has_debug_info(&debug),
            "Cargo.toml: [profile.release] debug = {debug} puts debug info in the user's binary"
        );
    }
    let bench = profile_debug(&manifest, "bench").expect("Cargo.toml: [profile.bench] sets debug");
    assert!(
        has_debug_info(&bench),
        "Cargo.toml: benches keep debug info for profiling"
    );
}

#[test]
fn the_readme_says_how_to_install_right_after_its_first_commands() {
    let readme = crate_file("README.md");
    let fence = readme.find("```").expect("README.md has a code block");
    let body = &readme[fence + 3..];
    let first_block = &body[..body.find("```").expect("the block closes")];
    // The first block is the two commands a fresh machine runs: the example
    // and the tests; how to install comes right after it, before any section.
    assert_eq!(
        first_block.lines().filter(|l| l.starts_with("cargo ")).count(),
        2,
        "README.md's first code block should hold the two commands (example, tests):\n{first_block}"
    );
    let after = &body[body.find("```").expect("the block closes")..];
    let before_next_section = &after[..after.find("\n## ").unwrap_or(after.len())];
    assert!(
        before_next_section.contains("cargo install --path ."),
        "README.md does not say `cargo install --path .` right after its first commands"
    );
}
