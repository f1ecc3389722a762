//! Citations: each `[@key]` is a claim; a key that names no source, or
//! several, is a finding. The documents the keys name go on to the figure
//! and quote checks, which note each fact the cited sources do not state
//! while another source does; the sentence's citation then gets one
//! `wrong-source` finding listing them all.

use crate::check::{Claim, ClaimKind, Code, Edit, Fix, NoteAnalysis, Related, SourceRef, Verdict};
use crate::corpus::{Corpus, DocId};
use crate::extract::citations::Resolution;
use crate::text::Span;

use super::{finding, MAX_LISTED};

/// The documents a sentence cites (resolved keys only), with the key's span
/// and text, and the facts of the sentence they turn out not to state.
pub(super) struct Cited {
    keys: Vec<(DocId, Span, String)>,
    not_stated: Vec<NotStated>,
}

/// A figure or quote the cited sources do not state, and where other sources do.
struct NotStated {
    span: Span,
    claim: String,
    places: Vec<(DocId, Span)>,
}

impl Cited {
    pub(super) fn docs(&self) -> &[(DocId, Span, String)] {
        &self.keys
    }

    /// Notes the claim at `span` (`claim` is how a message names it) when
    /// the sentence cites sources, none of them among `supporting`, the
    /// places that state it.
    pub(super) fn not_stating(&mut self, span: Span, claim: &str, supporting: &[(DocId, Span)]) {
        let cites_a_supporter = self
            .keys
            .iter()
            .any(|(doc, _, _)| supporting.iter().any(|(d, _)| d == doc));
        if self.keys.is_empty() || supporting.is_empty() || cites_a_supporter {
            return;
        }
        let mut places: Vec<(DocId, Span)> = Vec::new();
        for &(doc, span) in supporting {
            if !places.iter().any(|(d, _)| *d == doc) {
                places.push((doc, span));
            }
        }
        places.truncate(MAX_LISTED);
        self.not_stated.push(NotStated {
            span,
            claim: claim.to_string(),
            places,
        });
    }

    /// One `wrong-source` finding on the sentence's first citation for all
    /// the claims it does not state: a wrong citation is one mistake however
    /// many figures its sentence holds. The quick fixes cite the sources that
    /// state the most of them, the first preferred.
    pub(super) fn report_wrong_source(mut self, corpus: &Corpus, result: &mut NoteAnalysis) {
        let Some((_, key_span, key)) = self.keys.first() else {
            return;
        };
        if self.not_stated.is_empty() {
            return;
        }
        self.not_stated
            .sort_by_key(|n| (n.span.start(), n.span.end()));
        // Sources by how many of the claims they state, then by first mention.
        let mut sources: Vec<(DocId, usize)> = Vec::new();
        for &(doc, _) in self.not_stated.iter().flat_map(|n| &n.places) {
            match sources.iter_mut().find(|(d, _)| *d == doc) {
                Some((_, count)) => *count += 1,
                None => sources.push((doc, 1)),
            }
        }
        sources.sort_by_key(|&(_, count)| std::cmp::Reverse(count));
        sources.truncate(MAX_LISTED);
        let names: Vec<&str> = sources
            .iter()
            .map(|&(d, _)| corpus.document(d).id.as_str())
            .collect();
        let claims: Vec<&str> = self.not_stated.iter().map(|n| n.claim.as_str()).collect();
        let mut related: Vec<Related> = Vec::new();
        for &(d, span) in self.not_stated.iter().flat_map(|n| &n.places) {
            if related.iter().any(|r| r.doc == d && r.span == span) {
                continue;
            }
            let doc = corpus.document(d);
            related.push(Related {
                doc: d,
                span,
                message: format!("{} says {}", doc.id, span.slice(&doc.text)),
            });
        }
        let fixes = sources
            .iter()
            .enumerate()
            .map(|(i, &(doc, _))| Fix {
                title: format!("Cite {} instead", corpus.document(doc).id),
                edits: vec![Edit {
                    span: *key_span,
                    text: shortest_unique_key(corpus, doc, key.len()),
                }],
                preferred: i == 0,
            })
            .collect();
        result.findings.push(finding(
            *key_span,
            Code::WrongSource,
            format!(
                "@{key} does not state {}; {} {}",
                list_claims(&claims),
                names.join(", "),
                if names.len() == 1 { "does" } else { "do" }
            ),
            related,
            fixes,
        ));
    }
}

/// "2016", "a dozen or 2016", "$5m, 2016 or this quote".
fn list_claims(claims: &[&str]) -> String {
    match claims {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// The shortest prefix of `doc`'s id, at least `min_len` long, that names it alone.
fn shortest_unique_key(corpus: &Corpus, doc: DocId, min_len: usize) -> String {
    let id = &corpus.document(doc).id;
    // Keys end where the id's words do: "trade" of "trade-notes", not "trad".
    let boundaries = id
        .char_indices()
        .filter(|(_, c)| matches!(c, '-' | '_' | '/' | '.' | ' '))
        .map(|(i, _)| i)
        .chain([id.len()]);
    for end in boundaries {
        if end < min_len {
            continue;
        }
        let prefix = &id[..end];
        if corpus.resolve_key(prefix) == Resolution::Unique(doc.index()) {
            return prefix.to_string();
        }
    }
    id.clone()
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
    Cited {
        keys,
        not_stated: Vec::new(),
    }
}
