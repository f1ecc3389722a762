//! Figures: each factual figure of a sentence asked of the corpus, and the
//! answer (supported, mismatched, unsupported, wrongly sourced) as findings.

use crate::check::figure_words;
use crate::check::figures::SentenceContext;
use crate::check::{
    figures, fit, CheckOptions, Claim, ClaimKind, Code, Edit, Fix, NoteAnalysis, Related,
    SourceRef, Verdict,
};
use crate::corpus::{Corpus, DocId, EntityId};
use crate::extract::TextAnalysis;
use crate::extract::{self, claims};
use crate::text::Span;

use super::citations::Cited;
use super::{finding, inside_quote, of_sentence, MAX_LISTED};

pub(super) fn check_figures(
    corpus: &Corpus,
    note: &str,
    analysis: &TextAnalysis,
    (sentence_index, scope): (u32, &fit::Scope),
    (cited, subjects): (&mut Cited, &mut figures::SubjectDocuments),
    options: &CheckOptions,
    result: &mut NoteAnalysis,
) {
    let mut context_of: Option<(u32, SentenceContext)> = None;
    let in_sentence = of_sentence(&analysis.figures, sentence_index);
    let own_view = is_own_view(note, analysis, sentence_index);
    let all_figures: Vec<&extract::Figure> = in_sentence.iter().map(|(f, _)| f).collect();
    let frames = fit::note_frames(corpus, note, analysis, sentence_index, &all_figures, scope);
    for (position, (figure, sentence)) in in_sentence.iter().enumerate() {
        let frame = &frames[position];
        if inside_quote(analysis, figure.span) {
            continue;
        }
        // "## Full year 2025" names the period of the figures under it; it
        // states no fact of its own.
        if scope.in_heading
            && figure.kind == extract::FigureKind::Year
            && claims::labels_a_period(note, figure.span)
        {
            continue;
        }
        let span = analysis.sentences[*sentence as usize];
        let same_kind: Vec<Span> = in_sentence
            .iter()
            .filter(|(f, _)| f.kind == figure.kind)
            .map(|(f, _)| f.span)
            .collect();
        let segmented;
        let context = if same_kind.len() > 1 {
            let index = same_kind
                .iter()
                .position(|s| *s == figure.span)
                .unwrap_or(0);
            let segment = figures::segment_of(note, span, &same_kind, index);
            segmented =
                SentenceContext::for_figure(corpus, note, span, segment, frame.measure_named_at);
            &segmented
        } else {
            if context_of.as_ref().is_none_or(|(s, _)| s != sentence) {
                context_of = Some((*sentence, SentenceContext::new(corpus, note, span)));
            }
            &context_of.as_ref().expect("set above").1
        };
        let cited_docs: Vec<DocId> = cited.docs().iter().map(|(d, _, _)| *d).collect();
        let candidates = figures::candidates_cached(
            corpus,
            context,
            figure,
            frame,
            (&cited_docs, options.tolerance),
            subjects,
        );
        let mut verdict = figures::judge(corpus, context, figure, &candidates, &cited_docs);
        let citing = cited.docs();
        // The cited source first, then exact agreement, then closeness.
        verdict.support.sort_by(|a, b| {
            let cited = |c: &figures::Candidate| citing.iter().any(|(d, _, _)| *d == c.doc);
            cited(b)
                .cmp(&cited(a))
                .then(b.agrees_strictly.cmp(&a.agrees_strictly))
                .then(b.similarity.total_cmp(&a.similarity))
        });
        let written = figure.span.slice(note);
        if tracing::enabled!(tracing::Level::DEBUG) {
            let names: Vec<&str> = frame
                .subjects
                .iter()
                .map(|e| corpus.entity(*e).name.as_str())
                .collect();
            tracing::debug!(note = written, frame = ?frame, subjects = ?names, "note claim");
            for c in candidates
                .iter()
                .filter(|c| c.agrees || c.similarity > 0.0)
                .take(16)
            {
                tracing::debug!(
                    note = written,
                    source = %figure_words::describe(corpus, c),
                    doc = %corpus.document(c.doc).id,
                    similarity = c.similarity,
                    shared = c.shared_terms,
                    agrees = c.agrees,
                    fit = ?c.fit,
                    frame = ?corpus.facts(c.doc).claims.get(c.figure).map(|f| {
                        let name = |ids: &[EntityId]| -> Vec<String> {
                            ids.iter().map(|e| corpus.entity(*e).name.clone()).collect()
                        };
                        (name(&f.clause_subjects), name(&f.nearby_subjects), f)
                    }),
                    "figure candidate"
                );
            }
        }
        if tracing::enabled!(tracing::Level::DEBUG) {
            let brief = |cs: &[figures::Candidate]| -> Vec<String> {
                cs.iter()
                    .take(4)
                    .map(|c| {
                        format!(
                            "{} in {} (similarity {:.2}, {:?})",
                            figure_words::describe(corpus, c),
                            corpus.document(c.doc).id,
                            c.similarity,
                            c.fit
                        )
                    })
                    .collect()
            };
            tracing::debug!(
                note = written,
                support = ?brief(&verdict.support),
                rivals = ?brief(&verdict.rivals),
                "figure verdict"
            );
        }
        result
            .claims
            .push(figure_claim(corpus, figure, frame, &verdict));
        if !verdict.support.is_empty() {
            let supporting: Vec<(DocId, Span)> = verdict
                .support
                .iter()
                .map(|c| (c.doc, figures::source_figure(corpus, c).0.span))
                .collect();
            cited.not_stating(figure.span, written, &supporting);
            continue;
        }
        // The writer's own estimates are theirs to make.
        if own_view {
            continue;
        }
        if !verdict.rivals.is_empty()
            && figures::literal_support(corpus, context, note, figure, frame).is_some()
        {
            continue;
        }
        if !verdict.rivals.is_empty() {
            let listed = list_sources(corpus, &verdict.rivals);
            let related = verdict
                .rivals
                .iter()
                .take(MAX_LISTED * 2)
                .map(|c| {
                    let (source, _) = figures::source_figure(corpus, c);
                    Related {
                        doc: c.doc,
                        span: source.span,
                        message: format!("source says {}", figure_words::describe(corpus, c)),
                    }
                })
                .collect();
            let best = &verdict.rivals[0];
            let replacement = figure_words::rewrite(note, figure, corpus, best);
            let fixes = vec![Fix {
                title: format!(
                    "Replace with {replacement} (as {} says)",
                    corpus.document(best.doc).id
                ),
                edits: vec![Edit {
                    span: figure.span,
                    text: replacement,
                }],
                preferred: true,
            }];
            result.findings.push(finding(
                figure.span,
                Code::FigureMismatch,
                format!("note says {written}; sources say {listed}"),
                related,
                fixes,
            ));
            continue;
        }
        if context.is_linked()
            && mentions_corpus_entity(corpus, analysis, *sentence)
            && is_factual(figure)
        {
            result.findings.push(finding(
                figure.span,
                Code::UnsupportedFigure,
                format!("no source states {written}"),
                Vec::new(),
                Vec::new(),
            ));
        }
    }
}

/// Whether a note sentence gives the writer's own view rather than what the
/// sources say: it speaks in the first person ("my estimate", "we expect")
/// outside any quotation. Modal verbs alone are no sign: news reports rules
/// and forecasts with "could reach" too.
fn is_own_view(note: &str, analysis: &TextAnalysis, sentence: u32) -> bool {
    const FIRST_PERSON: &[&str] = &[
        "i", "i'm", "i'd", "i've", "me", "my", "we", "we're", "we'd", "we've", "our", "ours", "us",
    ];
    let span = analysis.sentences[sentence as usize];
    extract::words::tokens(span.slice(note)).any(|token| {
        let at = Span::new(
            token.span.start() + span.start(),
            token.span.end() + span.start(),
        );
        let word = at.slice(note);
        // "US$300m" and "ME" are not "us" and "me".
        let shouted = word.len() > 1 && word.chars().all(|c| !c.is_lowercase());
        let quoted = inside_quote(analysis, at);
        !quoted && !shouted && FIRST_PERSON.contains(&extract::words::normalize(word).as_ref())
    })
}

/// A figure as a claim: the supporting sources first, then the disagreeing ones.
pub(super) fn figure_claim(
    corpus: &Corpus,
    figure: &extract::Figure,
    frame: &fit::NoteFrame,
    verdict: &figures::FigureVerdict,
) -> Claim {
    let sources = verdict
        .support
        .iter()
        .map(|c| (c, Verdict::Agrees))
        .chain(verdict.rivals.iter().map(|c| (c, Verdict::Differs)))
        .map(|(c, verdict)| {
            let (source, sentence) = figures::source_figure(corpus, c);
            SourceRef {
                doc: c.doc,
                span: source.span,
                sentence,
                verdict,
            }
        })
        .collect();
    Claim {
        span: figure.span,
        kind: ClaimKind::Figure {
            figure: figure.clone(),
            reading: fit::describe(corpus, frame),
        },
        sources,
    }
}

/// Money and shares are the facts notes are checked for; a count or a
/// duration about a named company may just as well be the writer's own.
fn is_factual(figure: &extract::Figure) -> bool {
    matches!(
        figure.kind,
        extract::FigureKind::Money | extract::FigureKind::Percent
    )
}

fn mentions_corpus_entity(corpus: &Corpus, analysis: &TextAnalysis, sentence: u32) -> bool {
    of_sentence(&analysis.names, sentence)
        .iter()
        .any(|(name, _)| corpus.entity_named(&name.key).is_some())
}

/// "2 billion yuan ($300 million) [000_…], up to $301.2 million [001_…]".
fn list_sources(corpus: &Corpus, candidates: &[figures::Candidate]) -> String {
    let mut items: Vec<(String, DocId)> = Vec::new();
    for c in candidates {
        let text = figure_words::describe(corpus, c);
        if !items.iter().any(|(t, d)| *t == text && *d == c.doc) {
            items.push((text, c.doc));
        }
    }
    let mut docs_listed: Vec<DocId> = Vec::new();
    let mut parts = Vec::new();
    for (text, doc) in items {
        if docs_listed.contains(&doc) {
            continue;
        }
        docs_listed.push(doc);
        parts.push(format!("{text} [{}]", corpus.document(doc).id));
        if parts.len() == MAX_LISTED {
            break;
        }
    }
    parts.join(", ")
}
