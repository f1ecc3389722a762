//! The crate's layers, read from `src/`: a module imports only from the layers
//! below its own (the order is ARCHITECTURE.md's), and no two sibling modules
//! anywhere import from each other, directly or round a longer loop. Test code
//! (an inline `#[cfg(test)] mod … { … }` and `tests.rs` files) is left out: a test may
//! reach across layers to compare them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level modules, lowest first. `lib.rs`, `main.rs` and
/// `test_support.rs` sit outside the order.
const LAYERS: [&str; 9] = [
    "text", "extract", "corpus", "shared", "check", "config", "project", "server", "cli",
];
const OUTSIDE: [&str; 3] = ["lib", "main", "test_support"];

/// Imports that still cross a layer downwards-up, each with why it stays.
/// Remove an entry when its import goes; a stale entry fails the test.
const KNOWN: [(&str, &str, &str); 0] = [];

/// A module's path from the crate root: `src/server/backend/config.rs` is
/// `server::backend::config`; `mod.rs` is its folder's module.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    let stem = last.strip_suffix(".rs").expect("a .rs file").to_string();
    if stem != "mod" {
        parts.push(stem);
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The file's text without test code and comments.
fn code_of(text: &str) -> String {
    // An inline test module (`#[cfg(test)] mod tests { … }`) ends the file's code.
    let inline_tests = text.match_indices("#[cfg(test)]\nmod ").find(|(at, _)| {
        let line = text[at + "#[cfg(test)]\n".len()..]
            .lines()
            .next()
            .unwrap_or("");
        line.ends_with('{')
    });
    let text = match inline_tests {
        Some((at, _)) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every module path the code names through `crate::` or `super::`, braces
/// opened one level (`use super::{a, b::c}` names `a` and `b::c`).
fn named_paths(module: &[String], code: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let mut at = 0;
    while let Some(next) = code[at..]
        .find("crate::")
        .into_iter()
        .chain(code[at..].find("super::"))
        .min()
    {
        at += next;
        let glued = at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        let mut base = Vec::new();
        let mut skip = 0;
        if code[at..].starts_with("crate::") {
            skip = "crate::".len();
        } else {
            // `super` of `a::b` is `a`, whether b is `a/b.rs` or `a/b/mod.rs`.
            base = module.to_vec();
            while code[at + skip..].starts_with("super::") {
                base.pop();
                skip += "super::".len();
            }
        }
        if glued {
            at += skip;
            continue;
        }
        let (prefix, tail) = idents(&code[at + skip..]);
        base.extend(prefix);
        match tail.strip_prefix('{') {
            Some(inner) => {
                let end = inner.find('}').unwrap_or(inner.len());
                for item in inner[..end].split(',') {
                    let mut path = base.clone();
                    path.extend(idents(item.trim()).0);
                    found.push(path);
                }
            }
            None => found.push(base),
        }
        at += skip;
    }
    found
}

/// The `a::b::c` identifiers at the start of `text`, and what follows them
/// (from the `{` of `a::{b, c}`).
fn idents(text: &str) -> (Vec<String>, &str) {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if end == 0 {
            return (out, rest);
        }
        out.push(rest[..end].to_string());
        match rest[end..].strip_prefix("::") {
            Some(next) => rest = next,
            None => return (out, &rest[end..]),
        }
    }
}

/// One import between two sibling modules: (parent, from, to) and the file.
type Edge = (Vec<String>, String, String, String);

fn sibling_edges() -> Vec<Edge> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_path(&src, f)).collect();
    let mut edges = Vec::new();
    for file in &files {
        if file.file_name().is_some_and(|name| name == "tests.rs") {
            continue;
        }
        let module = module_path(&src, file);
        let text = std::fs::read_to_string(file).expect("readable source");
        let shown = file
            .strip_prefix(root)
            .expect("under the crate")
            .to_string_lossy()
            .replace('\\', "/");
        for mut target in named_paths(&module, &code_of(&text)) {
            // The longest prefix that is a module of ours.
            while !target.is_empty() && !modules.contains(&target) {
                target.pop();
            }
            let common = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            // A module naming its own ancestor or descendant is no sibling edge.
            if common == module.len() || common == target.len() {
                continue;
            }
            edges.push((
                module[..common].to_vec(),
                module[common].clone(),
                target[common].clone(),
                shown.clone(),
            ));
        }
    }
    edges.sort();
    edges.dedup();
    edges
}

#[test]
fn lower_layers_never_import_higher_ones() {
    let mut violations = Vec::new();
    let mut known_seen = BTreeSet::new();
    for (parent, from, to, file) in sibling_edges() {
        if !parent.is_empty() || OUTSIDE.contains(&from.as_str()) {
            continue;
        }
        let rank = |name: &str| {
            LAYERS
                .iter()
                .position(|layer| *layer == name)
                .unwrap_or_else(|| {
                    panic!("`{name}` is in no layer: add it to LAYERS and ARCHITECTURE.md")
                })
        };
        if OUTSIDE.contains(&to.as_str()) || rank(&from) >= rank(&to) {
            continue;
        }
        if let Some(known) = KNOWN.iter().find(|(f, t, _)| *f == file && *t == to) {
            known_seen.insert(known.0);
            continue;
        }
        violations.push(format!("{file}: `{from}` imports `{to}`, a higher layer"));
    }
    for (file, to, _) in KNOWN {
        assert!(
            known_seen.contains(file),
            "{file} no longer imports `{to}`: remove its entry from KNOWN"
        );
    }
    assert!(
        violations.is_empty(),
        "layers, lowest first: {}\n{}",
        LAYERS.join(" → "),
        violations.join("\n")
    );
}

#[test]
fn no_sibling_modules_import_each_other_round_a_loop() {
    let mut graphs: BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    let mut files: BTreeMap<(Vec<String>, String, String), BTreeSet<String>> = BTreeMap::new();
    for (parent, from, to, file) in sibling_edges() {
        if KNOWN.iter().any(|(f, t, _)| *f == file && *t == to) {
            continue;
        }
        graphs
            .entry(parent.clone())
            .or_default()
            .entry(from.clone())
            .or_default()
            .insert(to.clone());
        files.entry((parent, from, to)).or_default().insert(file);
    }
    let mut cycles = Vec::new();
    for (parent, graph) in &graphs {
        if let Some(cycle) = find_cycle(graph) {
            let steps: Vec<String> = cycle
                .windows(2)
                .map(|pair| {
                    let key = (parent.clone(), pair[0].clone(), pair[1].clone());
                    let named: Vec<&str> = files[&key].iter().map(String::as_str).collect();
                    format!("{} → {} ({})", pair[0], pair[1], named.join(", "))
                })
                .collect();
            let place = if parent.is_empty() {
                "crate".to_string()
            } else {
                parent.join("::")
            };
            cycles.push(format!("in {place}: {}", steps.join("; ")));
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

/// A cycle in `graph` as its nodes, first repeated last, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, done, path) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, graph, &mut done, &mut Vec::new()) {
            return Some(cycle);
        }
    }
    None
}

#[test]
fn the_reader_sees_imports_in_every_form() {
    let module = vec!["server".to_string(), "backend".to_string()];
    let code = "use super::{convert, features::hover};\nuse crate::check::{Code, fit};\n\
                let x = super::super::text::Span::new(0, 0); notcrate::x; Foo::super_thing;";
    let found = named_paths(&module, code);
    let shown: Vec<String> = found.iter().map(|path| path.join("::")).collect();
    assert_eq!(
        shown,
        [
            "server::convert",
            "server::features::hover",
            "check::Code",
            "check::fit",
            "text::Span::new"
        ]
    );
    let mut graph = BTreeMap::new();
    graph.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    graph.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    assert_eq!(find_cycle(&graph), None);
    graph.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(
        find_cycle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}
