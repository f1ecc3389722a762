//! Quotations: verbatim in a source, misquoted (with the closest passage and
//! a fix) or not found.

use crate::check::{
    quotes, Claim, ClaimKind, Code, Edit, Fix, NoteAnalysis, Related, SourceRef, Verdict,
};
use crate::corpus::{Corpus, DocId};
use crate::text::Span;

use super::citations::Cited;
use super::{finding, MIN_QUOTE_WORDS};

pub(super) fn check_quotes(
    corpus: &Corpus,
    note: &str,
    quotes_here: &[(crate::extract::Quote, u32)],
    (cited, searches): (&mut Cited, &mut quotes::QuoteSearches),
    result: &mut NoteAnalysis,
) {
    for (quote, _) in quotes_here {
        let inner = quote.inner.slice(note);
        let found = searches.verbatim(corpus, inner);
        if !found.is_empty() {
            result.claims.push(Claim {
                span: quote.span,
                kind: ClaimKind::Quote {
                    quote: quote.clone(),
                },
                sources: found
                    .iter()
                    .map(|p| SourceRef {
                        doc: p.doc,
                        span: p.span,
                        sentence: sentence_around(corpus, p.doc, p.span),
                        verdict: Verdict::Agrees,
                    })
                    .collect(),
            });
            if quote.word_count >= MIN_QUOTE_WORDS {
                let supporting: Vec<(DocId, Span)> =
                    found.iter().map(|p| (p.doc, p.span)).collect();
                cited.not_stating(quote.span, "this quote", &supporting);
            }
            continue;
        }
        if quote.word_count < MIN_QUOTE_WORDS {
            continue;
        }
        let closest = searches.closest(corpus, inner).filter(|p| p.overlap >= 0.5);
        let mut related = Vec::new();
        let mut fixes = Vec::new();
        let message = match &closest {
            Some(passage) => {
                let doc = corpus.document(passage.doc);
                let words = passage.span.slice(&doc.text);
                related.push(Related {
                    doc: passage.doc,
                    span: passage.span,
                    message: format!("closest source passage: “{words}”"),
                });
                fixes.push(Fix {
                    title: format!("Quote {} exactly", doc.id),
                    edits: vec![Edit {
                        span: quote.inner,
                        text: words.to_string(),
                    }],
                    preferred: true,
                });
                format!(
                    "no source contains this quotation; closest is “{words}” [{}]",
                    doc.id
                )
            }
            None => "no source contains this quotation".to_string(),
        };
        result.claims.push(Claim {
            span: quote.span,
            kind: ClaimKind::Quote {
                quote: quote.clone(),
            },
            sources: closest
                .iter()
                .map(|p| SourceRef {
                    doc: p.doc,
                    span: p.span,
                    sentence: sentence_around(corpus, p.doc, p.span),
                    verdict: Verdict::Differs,
                })
                .collect(),
        });
        result
            .findings
            .push(finding(quote.span, Code::Misquote, message, related, fixes));
    }
}

/// The source sentence holding `span` (or the span itself when it crosses sentences).
pub(super) fn sentence_around(corpus: &Corpus, doc: DocId, span: Span) -> Span {
    let analysis = &corpus.facts(doc).analysis;
    analysis
        .sentence_at(span.start())
        .map(|i| analysis.sentences[i].cover(span))
        .unwrap_or(span)
}
