//! Citations: each `[@key]` is a claim; a key that names no source, or
//! several, is a finding. The documents the keys name go on to the figure
//! and quote checks, which say when a cited source does not state the fact.

use crate::check::{Claim, ClaimKind, Code, Edit, Fix, NoteAnalysis, SourceRef, Verdict};
use crate::corpus::{Corpus, DocId};
use crate::extract::citations::Resolution;
use crate::text::Span;

use super::finding;

/// The documents a sentence cites (resolved keys only), with the key's span and text.
pub(super) struct Cited {
    keys: Vec<(DocId, Span, String)>,
}

impl Cited {
    pub(super) fn docs(&self) -> &[(DocId, Span, String)] {
        &self.keys
    }
}

pub(super) fn check_citations(
    corpus: &Corpus,
    citations: &[(crate::extract::Citation, u32)],
    result: &mut NoteAnalysis,
) -> Cited {
    let mut keys = Vec::new();
    for (citation, _) in citations {
        for key in &citation.keys {
            let resolution = corpus.resolve_key(&key.key);
            let doc = match &resolution {
                Resolution::Unique(i) => Some(DocId(*i as u32)),
                _ => None,
            };
            result.claims.push(Claim {
                span: key.span,
                kind: ClaimKind::Citation {
                    key: key.key.clone(),
                    doc,
                },
                sources: doc
                    .map(|d| SourceRef {
                        doc: d,
                        span: Span::new(0, 0),
                        sentence: Span::new(0, 0),
                        verdict: Verdict::Agrees,
                    })
                    .into_iter()
                    .collect(),
            });
            match resolution {
                Resolution::Unique(i) => keys.push((DocId(i as u32), key.span, key.key.clone())),
                Resolution::Unknown => result.findings.push(finding(
                    key.span,
                    Code::UnknownSource,
                    format!("no source matches @{}", key.key),
                    Vec::new(),
                    Vec::new(),
                )),
                Resolution::Ambiguous(docs) => {
                    let names: Vec<&str> = docs
                        .iter()
                        .map(|&i| corpus.document(DocId(i as u32)).id.as_str())
                        .collect();
                    let fixes = names
                        .iter()
                        .map(|name| Fix {
                            title: format!("Cite {name}"),
                            edits: vec![Edit {
                                span: key.span,
                                text: (*name).to_string(),
                            }],
                            preferred: false,
                        })
                        .collect();
                    result.findings.push(finding(
                        key.span,
                        Code::UnknownSource,
                        format!(
                            "@{} is ambiguous: it could mean {}",
                            key.key,
                            names.join(", ")
                        ),
                        Vec::new(),
                        fixes,
                    ));
                }
            }
        }
    }
    Cited { keys }
}
