//! Pandoc-style citations in notes (`[@key]`, `[see @a, p. 3; @b]`), and
//! resolving their keys to corpus documents.

use memchr::memchr;

use super::{Citation, CiteKey};
use crate::text::Span;

/// Every bracketed citation in `text`, spans relative to `text`.
///
/// Each `;`-separated part of the brackets must hold one key (`@key`, `-@key`
/// or `@{key with spaces}`) at a word start, so `[mail a@b.com]` and links
/// (`[@a](url)`) are not citations, and neither is a bare `@handle` in prose.
pub fn find(text: &str) -> Vec<Citation> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(offset) = memchr(b'[', &bytes[at..]) {
        let open = at + offset;
        match parse_at(text, open) {
            Some(citation) => {
                at = citation.span.end();
                found.push(citation);
            }
            None => at = open + 1,
        }
    }
    found
}

/// The citation whose `[` is at byte `open` of `text`, if there is one.
pub fn parse_at(text: &str, open: usize) -> Option<Citation> {
    let bytes = text.as_bytes();
    if bytes.get(open) != Some(&b'[') {
        return None;
    }
    let inner_start = open + 1;
    let close = inner_start + find_close(&bytes[inner_start..])?;
    if bytes.get(close + 1) == Some(&b'(') {
        return None;
    }
    if open > 0 && bytes[open - 1] == b'!' {
        return None;
    }
    let mut keys = Vec::new();
    let mut part_start = inner_start;
    while part_start <= close {
        let part_end = memchr(b';', &bytes[part_start..close]).map_or(close, |n| part_start + n);
        if !text[part_start..part_end].trim().is_empty() {
            keys.push(parse_part(text, part_start, part_end)?);
        }
        part_start = part_end + 1;
    }
    if keys.is_empty() {
        return None;
    }
    Some(Citation {
        span: Span::new(open, close + 1),
        keys,
    })
}

/// The offset of the `]` closing a bracket, when no other bracket opens first.
fn find_close(bytes: &[u8]) -> Option<usize> {
    let close = memchr(b']', bytes)?;
    match memchr(b'[', &bytes[..close]) {
        // `@{...}` keys may hold brackets only inside their braces; keep simple.
        Some(_) => None,
        None => Some(close),
    }
}

/// One `;`-separated part: an optional prefix, the key, an optional locator.
fn parse_part(text: &str, start: usize, end: usize) -> Option<CiteKey> {
    let bytes = text.as_bytes();
    let mut i = start;
    let at = loop {
        let offset = memchr(b'@', &bytes[i..end])?;
        let at = i + offset;
        let before = if at > start { bytes[at - 1] } else { b' ' };
        let at_word_start = at == start
            || before.is_ascii_whitespace()
            || (before == b'-' && (at - 1 == start || bytes[at - 2].is_ascii_whitespace()));
        if at_word_start {
            break at;
        }
        i = at + 1;
    };
    let (key_span, after_key) = if bytes.get(at + 1) == Some(&b'{') {
        let close = at + 2 + memchr(b'}', &bytes[at + 2..end])?;
        (Span::new(at + 2, close), close + 1)
    } else {
        let key_end = plain_key_end(text, at + 1, end);
        (Span::new(at + 1, key_end), key_end)
    };
    if key_span.is_empty() {
        return None;
    }
    let locator = text[after_key..end].trim();
    let locator = locator.strip_prefix(',').unwrap_or(locator).trim();
    let locator = if locator.chars().all(|c| c.is_ascii_punctuation()) {
        ""
    } else {
        locator
    };
    Some(CiteKey {
        key: key_span.slice(text).to_string(),
        span: key_span,
        locator: (!locator.is_empty()).then(|| locator.to_string()),
    })
}

/// Where a bare key starting at `start` ends: it begins with a letter, digit
/// or `_`, may hold internal punctuation, and drops trailing `.`, `:`.
fn plain_key_end(text: &str, start: usize, end: usize) -> usize {
    let rest = &text[start..end];
    let mut chars = rest.char_indices();
    match chars.next() {
        Some((_, c)) if c.is_alphanumeric() || c == '_' => {}
        _ => return start,
    }
    let mut key_end = rest.len();
    for (i, c) in rest.char_indices() {
        if !(c.is_alphanumeric() || "_-.:/#$%&+?<>~".contains(c)) {
            key_end = i;
            break;
        }
    }
    start + rest[..key_end].trim_end_matches(['.', ':']).len()
}

/// What a citation key names among the corpus's document ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Exactly one document: its index in `ids`.
    Unique(usize),
    /// Several documents share the key as a prefix: their indexes.
    Ambiguous(Vec<usize>),
    Unknown,
}

/// Resolves `key` against document ids.
///
/// In order, the first rule that matches anything decides: the exact id; ids
/// that start with `key`; the last path component of ids equal to `key`, then
/// starting with it ("sub/doc-a" is named by "doc-a" and "doc"). When nothing
/// matches, the same rules are tried again ignoring case. Several matches are
/// [`Resolution::Ambiguous`], with indexes in `ids` order.
pub fn resolve(key: &str, ids: &[&str]) -> Resolution {
    if key.is_empty() {
        return Resolution::Unknown;
    }
    if let Some(found) = resolve_with(key, ids, |id, key| id == key, |id, key| id.starts_with(key))
    {
        return found;
    }
    let key = key.to_lowercase();
    resolve_with(
        &key,
        ids,
        |id, key| id.to_lowercase() == key,
        |id, key| id.to_lowercase().starts_with(key),
    )
    .unwrap_or(Resolution::Unknown)
}

fn resolve_with(
    key: &str,
    ids: &[&str],
    equal: impl Fn(&str, &str) -> bool,
    prefix: impl Fn(&str, &str) -> bool,
) -> Option<Resolution> {
    let last_component =
        |id: &'_ str| -> String { id.rsplit(['/', '\\']).next().unwrap_or(id).to_string() };
    let rules: [&dyn Fn(&str) -> bool; 4] = [
        &|id| equal(id, key),
        &|id| prefix(id, key),
        &|id| equal(&last_component(id), key),
        &|id| prefix(&last_component(id), key),
    ];
    for rule in rules {
        let matches: Vec<usize> = (0..ids.len()).filter(|&i| rule(ids[i])).collect();
        match matches.len() {
            0 => continue,
            1 => return Some(Resolution::Unique(matches[0])),
            _ => return Some(Resolution::Ambiguous(matches)),
        }
    }
    None
}

/// The ids of a corpus sorted four ways (as written and lower-cased, whole
/// and by last path component), so that [`resolve`]'s rules are range
/// lookups: a note's citations are resolved on every check, and a scan of
/// every id (lower-casing each one when a key has no exact match) cost
/// milliseconds per key on a large corpus.
#[derive(Debug, Default)]
pub struct KeyIndex {
    /// One table per rule of [`resolve`]: ids as written, their last path
    /// components, and both lower-cased; each (text, index in `ids`), sorted.
    tables: [Vec<(Box<str>, u32)>; 4],
}

impl KeyIndex {
    pub fn new(ids: &[&str]) -> KeyIndex {
        let table = |text: &dyn Fn(&str) -> String| {
            let mut table: Vec<(Box<str>, u32)> = ids
                .iter()
                .enumerate()
                .map(|(i, id)| (text(id).into_boxed_str(), i as u32))
                .collect();
            table.sort_unstable();
            table
        };
        KeyIndex {
            tables: [
                table(&|id| id.to_string()),
                table(&|id| last_component(id).to_string()),
                table(&str::to_lowercase),
                // Lower-casing never makes or removes a path separator, so
                // this is the last component of the lower-cased id too.
                table(&|id| last_component(id).to_lowercase()),
            ],
        }
    }

    /// [`resolve`] against the ids the index was built from.
    pub fn resolve(&self, key: &str) -> Resolution {
        if key.is_empty() {
            return Resolution::Unknown;
        }
        let [ids, lasts, lower_ids, lower_lasts] = &self.tables;
        if let Some(found) = resolve_in(key, ids, lasts) {
            return found;
        }
        resolve_in(&key.to_lowercase(), lower_ids, lower_lasts).unwrap_or(Resolution::Unknown)
    }
}

/// [`resolve_with`]'s rules over sorted tables: equal ids, ids starting with
/// `key`, then the same for last components; matches in id order.
fn resolve_in(key: &str, ids: &[(Box<str>, u32)], lasts: &[(Box<str>, u32)]) -> Option<Resolution> {
    for (table, whole) in [(ids, true), (ids, false), (lasts, true), (lasts, false)] {
        let first = table.partition_point(|(text, _)| **text < *key);
        let mut matches: Vec<usize> = table[first..]
            .iter()
            .take_while(|(text, _)| {
                if whole {
                    **text == *key
                } else {
                    text.starts_with(key)
                }
            })
            .map(|(_, i)| *i as usize)
            .collect();
        match matches.len() {
            0 => continue,
            1 => return Some(Resolution::Unique(matches[0])),
            _ => {
                matches.sort_unstable();
                return Some(Resolution::Ambiguous(matches));
            }
        }
    }
    None
}

fn last_component(id: &str) -> &str {
    id.rsplit(['/', '\\']).next().unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders citations as `[whole] key{locator} key2` for compact tables.
    fn render(text: &str) -> Vec<String> {
        find(text)
            .iter()
            .map(|c| {
                let keys: Vec<String> = c
                    .keys
                    .iter()
                    .map(|k| {
                        assert_eq!(k.span.slice(text), k.key);
                        match &k.locator {
                            Some(l) => format!("{}{{{l}}}", k.key),
                            None => k.key.clone(),
                        }
                    })
                    .collect();
                format!("{} => {}", c.span.slice(text), keys.join(" "))
            })
            .collect()
    }

    #[test]
    fn finds_pandoc_citations() {
        let cases: &[(&str, &[&str])] = &[
            ("Sold. [@000]", &["[@000] => 000"]),
            ("As said [@key, p. 3].", &["[@key, p. 3] => key{p. 3}"]),
            ("As said [@key p. 3].", &["[@key p. 3] => key{p. 3}"]),
            ("Both [@a; @b].", &["[@a; @b] => a b"]),
            (
                "[see @key, pp. 3-4]",
                &["[see @key, pp. 3-4] => key{pp. 3-4}"],
            ),
            ("Smith says [-@smith04].", &["[-@smith04] => smith04"]),
            (
                "[@halvard-q3-release]",
                &["[@halvard-q3-release] => halvard-q3-release"],
            ),
            ("[@doc.]", &["[@doc.] => doc"]),
            ("[@sub/doc-a:]", &["[@sub/doc-a:] => sub/doc-a"]),
            (
                "[@{key with spaces}, p. 2]",
                &["[@{key with spaces}, p. 2] => key with spaces{p. 2}"],
            ),
            ("[@_under]", &["[@_under] => _under"]),
            ("Mail [a@b.com] now", &[]),
            ("[@a](https://example.com)", &[]),
            ("Follow @contextchina for more", &[]),
            ("[text](url) and [@x]", &["[@x] => x"]),
            ("[@a; see b]", &[]),
            ("[@]", &[]),
            ("[@a", &[]),
            ("[[@a]]", &["[@a] => a"]),
            ("£5 [@è-doc] “q”", &["[@è-doc] => è-doc"]),
            ("![@img](x.png)", &[]),
            ("[@a][@b]", &["[@a] => a", "[@b] => b"]),
            ("[@a] [@b]", &["[@a] => a", "[@b] => b"]),
        ];
        for (text, expected) in cases {
            assert_eq!(&render(text), expected, "citations in {text:?}");
        }
    }

    #[test]
    fn key_spans_exclude_the_at_sign() {
        let text = "x [see @abc, p. 1; @de]";
        let citation = &find(text)[0];
        assert_eq!(citation.keys[0].span, Span::new(8, 11));
        assert_eq!(citation.keys[1].span.slice(text), "de");
        assert_eq!(citation.span, Span::new(2, text.len()));
    }

    #[test]
    fn resolves_keys() {
        let ids = [
            "000_846349f2e14b5448",
            "001_a209481eced24fbb",
            "sub/doc-a",
            "sub/doc-b",
            "other/Report",
            "wire",
            "wire-outlook",
        ];
        let cases: &[(&str, Resolution)] = &[
            ("000", Resolution::Unique(0)),
            ("000_846349f2e14b5448", Resolution::Unique(0)),
            ("00", Resolution::Ambiguous(vec![0, 1])),
            ("002", Resolution::Unknown),
            ("", Resolution::Unknown),
            ("doc-a", Resolution::Unique(2)),
            ("doc", Resolution::Ambiguous(vec![2, 3])),
            ("sub/doc-b", Resolution::Unique(3)),
            ("sub", Resolution::Ambiguous(vec![2, 3])),
            ("wire", Resolution::Unique(5)),
            ("wire-", Resolution::Unique(6)),
            ("report", Resolution::Unique(4)),
            ("REP", Resolution::Unique(4)),
            ("Report", Resolution::Unique(4)),
            ("SUB/DOC-A", Resolution::Unique(2)),
        ];
        for (key, expected) in cases {
            assert_eq!(&resolve(key, &ids), expected, "resolving {key:?}");
        }
        assert_eq!(resolve("a", &[]), Resolution::Unknown);
        let index = KeyIndex::new(&ids);
        for (key, expected) in cases {
            assert_eq!(&index.resolve(key), expected, "indexed {key:?}");
        }
        assert_eq!(KeyIndex::new(&[]).resolve("a"), Resolution::Unknown);
    }

    proptest::proptest! {
        /// The index answers as the rules read over every id do, whatever
        /// the ids' case, separators and shared prefixes.
        #[test]
        fn the_key_index_resolves_as_the_rules_do(
            ids in proptest::collection::vec("[aAbB0_/\\\\.é-]{0,6}", 0..12),
            key in "[aAbB0_/\\\\.É-]{0,4}",
        ) {
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(KeyIndex::new(&ids).resolve(&key), resolve(&key, &ids));
        }
    }

    #[test]
    fn never_panics_and_stays_on_char_boundaries() {
        let samples = [
            "[",
            "]",
            "[@",
            "[@{",
            "[@{x",
            "[@{}]",
            "[;]",
            "[ ; @a ;]",
            "[-@]",
            "[@é]",
            "[@a,]",
            "[@a;;@b]",
            "é[@é",
            "[@😀]",
            "[@a\u{2019}s]",
        ];
        for s in samples {
            for c in find(s) {
                assert!(s.is_char_boundary(c.span.start()) && s.is_char_boundary(c.span.end()));
                for k in &c.keys {
                    assert!(s.is_char_boundary(k.span.start()) && s.is_char_boundary(k.span.end()));
                }
            }
        }
    }

    #[test]
    fn shared_notes_citations() {
        let mut checked = false;
        for path in [
            crate::test_support::shared("eval/dev/aws-china/notes.md"),
            crate::test_support::shared("eval/dev/halvard/notes.md"),
        ] {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let keys: Vec<String> = find(&text)
                .into_iter()
                .flat_map(|c| c.keys.into_iter().map(|k| k.key))
                .collect();
            if path.to_string_lossy().contains("aws-china") {
                assert!(keys.iter().any(|k| k == "000"), "{keys:?}");
                assert!(keys.iter().any(|k| k == "007"), "{keys:?}");
            } else {
                assert!(keys.iter().any(|k| k == "halvard-q3-release"), "{keys:?}");
                assert!(keys.iter().any(|k| k == "wire"), "{keys:?}");
            }
            checked = true;
        }
        let _ = checked;
    }
}
