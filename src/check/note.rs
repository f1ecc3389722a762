//! Checking one note: finds its claims, asks the corpus about each, and turns
//! the answers into findings, honouring the note's ignore comments and its
//! `refnotes: false` front matter.

use crate::check::figures::{self, SentenceContext};
use crate::check::fit;
use crate::check::{
    quotes, CheckOptions, Claim, ClaimKind, Code, Edit, Finding, Fix, NoteAnalysis, Related,
    SourceRef, Verdict,
};
use crate::corpus::{Corpus, DocId, EntityId};
use crate::extract::citations::Resolution;
use crate::extract::{self, claims, TextAnalysis};
use crate::text::{LineIndex, Span};

/// Quotations shorter than this are phrases, not quotes worth checking.
const MIN_QUOTE_WORDS: usize = 4;
/// Sources listed in a message at most.
const MAX_LISTED: usize = 3;

pub fn analyze_note(corpus: &Corpus, note: &str, options: &CheckOptions) -> NoteAnalysis {
    analyze_note_cached(corpus, note, options, &mut NoteCache::default())
}

/// Results of checking sentences, kept between runs over one note so that an
/// edit re-checks only the sentences it touched. A cache belongs to one note;
/// it empties itself when the corpus or the options change.
#[derive(Debug, Default)]
pub struct NoteCache {
    corpus: u64,
    tolerance: f64,
    sentences: std::collections::HashMap<String, CachedSentence>,
}

#[derive(Debug)]
struct CachedSentence {
    /// Where the sentence started when it was checked; its spans are shifted
    /// by how far it has moved since.
    origin: usize,
    claims: Vec<Claim>,
    findings: Vec<Finding>,
    used: bool,
}

impl NoteCache {
    fn prepare(&mut self, corpus: &Corpus, options: &CheckOptions) {
        if self.corpus != corpus.generation() || self.tolerance != options.tolerance {
            self.sentences.clear();
            self.corpus = corpus.generation();
            self.tolerance = options.tolerance;
        }
        for entry in self.sentences.values_mut() {
            entry.used = false;
        }
    }
}

/// [`analyze_note`], reusing what `cache` holds for sentences that have not
/// changed and keeping the new results for the next run.
pub fn analyze_note_cached(
    corpus: &Corpus,
    note: &str,
    options: &CheckOptions,
    cache: &mut NoteCache,
) -> NoteAnalysis {
    analyze_note_cancellable(corpus, note, options, cache, &|| false)
        .expect("an analysis nobody cancels finishes")
}

/// [`analyze_note_cached`] that gives up, returning `None`, once `cancelled`
/// says so; it asks before each sentence, and no sentence costs much (long
/// ones are cut into bounded pieces), so an editor's superseded analysis
/// stops within milliseconds. The cache keeps what was finished.
pub fn analyze_note_cancellable(
    corpus: &Corpus,
    note: &str,
    options: &CheckOptions,
    cache: &mut NoteCache,
    cancelled: &dyn Fn() -> bool,
) -> Option<NoteAnalysis> {
    let analysis = extract::analyze(note, true, true);
    let enabled = analysis
        .prose
        .as_ref()
        .and_then(|p| p.front_matter.as_ref())
        .is_none_or(|fm| fm.refnotes_enabled);
    if !enabled {
        return Some(NoteAnalysis::default());
    }
    let mut result = NoteAnalysis::default();
    if corpus.is_empty() {
        result.findings.push(Finding {
            span: Span::new(0, 0),
            code: Code::NoCorpus,
            severity: Code::NoCorpus.default_severity(),
            message: "the corpus holds no documents, so nothing in this note was checked".into(),
            related: Vec::new(),
            fixes: Vec::new(),
        });
        return Some(result);
    }
    cache.prepare(corpus, options);
    let scopes = fit::scopes(corpus, note, &analysis);
    let running = quotes_running_into(&analysis);
    for (index, sentence) in analysis.sentences.iter().enumerate() {
        if cancelled() {
            return None;
        }
        let scope = &scopes[index];
        let key = sentence_key(note, &analysis, index as u32, &running[index], scope);
        let index = index as u32;
        if let Some(entry) = cache.sentences.get_mut(&key) {
            let delta = sentence.start() as i64 - entry.origin as i64;
            result
                .claims
                .extend(entry.claims.iter().cloned().map(|c| shift_claim(c, delta)));
            result.findings.extend(
                entry
                    .findings
                    .iter()
                    .cloned()
                    .map(|f| shift_finding(f, delta)),
            );
            entry.used = true;
            continue;
        }
        let mut one = NoteAnalysis::default();
        check_sentence(corpus, note, &analysis, index, scope, options, &mut one);
        result.claims.extend(one.claims.iter().cloned());
        result.findings.extend(one.findings.iter().cloned());
        cache.sentences.insert(
            key,
            CachedSentence {
                origin: sentence.start(),
                claims: one.claims,
                findings: one.findings,
                used: true,
            },
        );
    }
    cache.sentences.retain(|_, entry| entry.used);
    apply_ignores(note, &analysis, &mut result.findings);
    result.claims.sort_by_key(|c| (c.span.start, c.span.end));
    result.findings.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code))
    });
    Some(result)
}

/// What a sentence's results depend on: its own text, the whole text of any
/// quotation that starts in it (which may run past its end), and the state an
/// earlier sentence leaves open over it: the parts an HTML comment, code span,
/// fence or front matter hides, any quotation running into it, and the
/// subjects it inherits from the note's structure. Two sentences with one
/// key give the same claims and findings, moved.
fn sentence_key(
    note: &str,
    analysis: &TextAnalysis,
    sentence: u32,
    running_in: &[Span],
    scope: &fit::Scope,
) -> String {
    use std::fmt::Write;
    let span = analysis.sentences[sentence as usize];
    let mut key = span.slice(note).to_string();
    key.push_str("\u{0}s");
    for entity in &scope.subjects {
        let _ = write!(key, "{},", entity.0);
    }
    if let Some(heading) = scope.heading {
        key.push_str("\u{0}t");
        key.push_str(heading.slice(note));
    }
    // Offsets in the key are relative to the sentence, so a moved sentence
    // keeps its key; parts outside it are clipped away.
    let relative = |other: Span| {
        let start = other.start().max(span.start()) - span.start();
        let end = other.end().min(span.end()).saturating_sub(span.start());
        (start, end.max(start))
    };
    if let Some(prose) = &analysis.prose {
        let first = prose.hidden.partition_point(|h| h.end() <= span.start());
        for hidden in prose.hidden[first..]
            .iter()
            .take_while(|h| h.start() < span.end())
        {
            let (start, end) = relative(*hidden);
            let _ = write!(key, "\u{0}h{start}-{end}");
        }
    }
    for (quote, _) in of_sentence(&analysis.quotes, sentence) {
        key.push('\u{0}');
        key.push_str(quote.span.slice(note));
    }
    for quote in running_in {
        let (start, end) = relative(*quote);
        let _ = write!(key, "\u{0}q{start}-{end}");
    }
    key
}

/// For each sentence, the quotations that started before it and run into it.
fn quotes_running_into(analysis: &TextAnalysis) -> Vec<Vec<Span>> {
    let mut running = Vec::with_capacity(analysis.sentences.len());
    let mut open: Vec<Span> = Vec::new();
    let mut next = 0;
    for sentence in &analysis.sentences {
        while let Some((quote, _)) = analysis
            .quotes
            .get(next)
            .filter(|(quote, _)| quote.span.start() < sentence.start())
        {
            open.push(quote.span);
            next += 1;
        }
        open.retain(|quote| quote.end() > sentence.start());
        running.push(open.clone());
    }
    running
}

/// Checks everything in one sentence: its citations, figures, quotations and names.
fn check_sentence(
    corpus: &Corpus,
    note: &str,
    analysis: &TextAnalysis,
    sentence: u32,
    scope: &fit::Scope,
    options: &CheckOptions,
    result: &mut NoteAnalysis,
) {
    let cited = check_citations(corpus, of_sentence(&analysis.citations, sentence), result);
    check_figures(
        corpus,
        note,
        analysis,
        (sentence, scope),
        &cited,
        options,
        result,
    );
    check_quotes(
        corpus,
        note,
        of_sentence(&analysis.quotes, sentence),
        &cited,
        result,
    );
    name_claims(corpus, of_sentence(&analysis.names, sentence), result);
}

/// The items of one sentence from a list in sentence order.
fn of_sentence<T>(items: &[(T, u32)], sentence: u32) -> &[(T, u32)] {
    let start = items.partition_point(|(_, s)| *s < sentence);
    let end = items.partition_point(|(_, s)| *s <= sentence);
    &items[start..end]
}

fn shift_claim(mut claim: Claim, delta: i64) -> Claim {
    claim.span = claim.span.shifted(delta);
    match &mut claim.kind {
        ClaimKind::Figure { figure, .. } => figure.shift(delta),
        ClaimKind::Quote { quote } => *quote = quote.clone().shifted(delta),
        ClaimKind::Entity { .. } | ClaimKind::Citation { .. } => {}
    }
    claim
}

fn shift_finding(mut finding: Finding, delta: i64) -> Finding {
    finding.span = finding.span.shifted(delta);
    for fix in &mut finding.fixes {
        for edit in &mut fix.edits {
            edit.span = edit.span.shifted(delta);
        }
    }
    finding
}

/// The documents a sentence cites (resolved keys only), with the key's span and text.
struct Cited {
    keys: Vec<(DocId, Span, String)>,
}

impl Cited {
    fn docs(&self) -> &[(DocId, Span, String)] {
        &self.keys
    }
}

fn check_citations(
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

fn finding(
    span: Span,
    code: Code,
    message: String,
    related: Vec<Related>,
    fixes: Vec<Fix>,
) -> Finding {
    Finding {
        span,
        code,
        severity: code.default_severity(),
        message,
        related,
        fixes,
    }
}

/// Whether the span lies inside a quotation: quoted figures are checked with
/// their quotation. Quotations never overlap (only the outermost of nested
/// ones is kept) and come in text order, so only the last one starting at or
/// before the span can hold it: a lookup, not a scan of the note's quotes.
fn inside_quote(analysis: &TextAnalysis, span: Span) -> bool {
    let before = analysis
        .quotes
        .partition_point(|(q, _)| q.span.start <= span.start);
    before > 0 && analysis.quotes[before - 1].0.span.contains_span(span)
}

fn check_figures(
    corpus: &Corpus,
    note: &str,
    analysis: &TextAnalysis,
    (sentence_index, scope): (u32, &fit::Scope),
    cited: &Cited,
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
        let candidates = figures::candidates(
            corpus,
            context,
            figure,
            frame,
            &cited_docs,
            options.tolerance,
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
                .filter(|c| c.agrees || (c.similarity > 0.0 && !c.fit.conflict))
                .take(16)
            {
                tracing::debug!(
                    note = written,
                    source = %figures::describe(corpus, c),
                    doc = %corpus.document(c.doc).id,
                    similarity = c.similarity,
                    shared = c.shared_terms,
                    agrees = c.agrees,
                    comparable = c.comparable,
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
                            figures::describe(corpus, c),
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
            report_wrong_source(corpus, citing, &supporting, written, result);
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
                        message: format!("source says {}", figures::describe(corpus, c)),
                    }
                })
                .collect();
            let best = &verdict.rivals[0];
            let replacement = figures::rewrite(note, figure, corpus, best);
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
fn figure_claim(
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
        let text = figures::describe(corpus, c);
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

/// A sentence that cites sources none of which state its claim, while another
/// source does, cites the wrong source.
fn report_wrong_source(
    corpus: &Corpus,
    citing: &[(DocId, Span, String)],
    supporting: &[(DocId, Span)],
    claim: &str,
    result: &mut NoteAnalysis,
) {
    let cites_a_supporter = citing
        .iter()
        .any(|(doc, _, _)| supporting.iter().any(|(d, _)| d == doc));
    if citing.is_empty() || supporting.is_empty() || cites_a_supporter {
        return;
    }
    let (_, key_span, key) = &citing[0];
    let mut places: Vec<(DocId, Span)> = Vec::new();
    for &(doc, span) in supporting {
        if !places.iter().any(|(d, _)| *d == doc) {
            places.push((doc, span));
        }
    }
    places.truncate(MAX_LISTED);
    let right = places[0].0;
    let right_id = &corpus.document(right).id;
    let names: Vec<&str> = places
        .iter()
        .map(|&(d, _)| corpus.document(d).id.as_str())
        .collect();
    let replacement = shortest_unique_key(corpus, right, key.len());
    result.findings.push(finding(
        *key_span,
        Code::WrongSource,
        format!(
            "@{key} does not state {claim}; {} {}",
            names.join(", "),
            if names.len() == 1 { "does" } else { "do" }
        ),
        places
            .iter()
            .map(|&(d, span)| {
                let doc = corpus.document(d);
                Related {
                    doc: d,
                    span,
                    message: format!("{} says {}", doc.id, span.slice(&doc.text)),
                }
            })
            .collect(),
        vec![Fix {
            title: format!("Cite {right_id} instead"),
            edits: vec![Edit {
                span: *key_span,
                text: replacement,
            }],
            preferred: true,
        }],
    ));
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

fn check_quotes(
    corpus: &Corpus,
    note: &str,
    quotes_here: &[(crate::extract::Quote, u32)],
    cited: &Cited,
    result: &mut NoteAnalysis,
) {
    for (quote, _) in quotes_here {
        let inner = quote.inner.slice(note);
        let found = quotes::find_verbatim(corpus, inner);
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
                report_wrong_source(corpus, cited.docs(), &supporting, "this quote", result);
            }
            continue;
        }
        if quote.word_count < MIN_QUOTE_WORDS {
            continue;
        }
        let closest = quotes::closest(corpus, inner).filter(|p| p.overlap >= 0.5);
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
fn sentence_around(corpus: &Corpus, doc: DocId, span: Span) -> Span {
    let analysis = &corpus.facts(doc).analysis;
    analysis
        .sentence_at(span.start())
        .map(|i| analysis.sentences[i].cover(span))
        .unwrap_or(span)
}

fn name_claims(
    corpus: &Corpus,
    names: &[(crate::extract::entities::NameMention, u32)],
    result: &mut NoteAnalysis,
) {
    for (name, _) in names {
        let Some(entity) = corpus.entity_named(&name.key) else {
            continue;
        };
        let info = corpus.entity(entity);
        // The entity's claims first: mentions in sentences that state a
        // figure about it, then the other mentions (of a bounded few).
        let mut mentions: Vec<(DocId, Span)> = info
            .mentions
            .iter()
            .take(MAX_MENTIONS_READ)
            .copied()
            .collect();
        mentions.sort_by_key(|&(doc, span)| !states_figure_about(corpus, doc, span, entity));
        let sources = mentions
            .into_iter()
            .take(20)
            .map(|(doc, span)| SourceRef {
                doc,
                span,
                sentence: sentence_around(corpus, doc, span),
                verdict: Verdict::Agrees,
            })
            .collect();
        result.claims.push(Claim {
            span: name.span,
            kind: ClaimKind::Entity { entity },
            sources,
        });
    }
}

/// Mentions of a name read when ordering what hover shows of it, at most.
const MAX_MENTIONS_READ: usize = 200;

/// Whether the source sentence holding `span` states a figure about
/// `entity`: one whose clause names it, or any when the clause names nobody.
fn states_figure_about(corpus: &Corpus, doc: DocId, span: Span, entity: EntityId) -> bool {
    let facts = corpus.facts(doc);
    let Some(sentence) = facts.analysis.sentence_at(span.start()) else {
        return false;
    };
    let figures = &facts.analysis.figures;
    let start = figures.partition_point(|(_, s)| (*s as usize) < sentence);
    let end = figures.partition_point(|(_, s)| (*s as usize) <= sentence);
    (start..end).any(|i| {
        facts.claims.get(i).is_some_and(|claim| {
            claim.clause_subjects.is_empty() || claim.clause_subjects.contains(&entity)
        })
    })
}

fn apply_ignores(note: &str, analysis: &TextAnalysis, findings: &mut Vec<Finding>) {
    let Some(prose) = &analysis.prose else { return };
    if prose.ignores.is_empty() {
        return;
    }
    let lines = LineIndex::new(note);
    findings.retain(|f| {
        let line = lines.line_of(f.span.start());
        !prose.ignores.iter().any(|ignore| {
            ignore.line == line
                && (ignore.codes.is_empty() || ignore.codes.iter().any(|c| c == f.code.as_str()))
        })
    });
}

/// A source document as the editor shows it: each figure with what the other
/// sources say of the same fact, its names, and its conflicts as findings.
pub fn analyze_source(corpus: &Corpus, doc: DocId) -> NoteAnalysis {
    let mut result = NoteAnalysis::default();
    let Some(document) = corpus.documents().get(doc.index()) else {
        return result;
    };
    let facts = corpus.facts(doc);
    let text = &document.text;
    let mut context_of: Option<(u32, SentenceContext)> = None;
    for (index, (figure, sentence)) in facts.analysis.figures.iter().enumerate() {
        let frame = facts
            .claims
            .get(index)
            .map(fit::NoteFrame::of_source)
            .unwrap_or_default();
        if context_of.as_ref().is_none_or(|(s, _)| s != sentence) {
            let span = facts.analysis.sentences[*sentence as usize];
            context_of = Some((*sentence, SentenceContext::new(corpus, text, span)));
        }
        let context = &context_of.as_ref().expect("set above").1;
        let candidates: Vec<_> = figures::candidates(corpus, context, figure, &frame, &[], 0.0)
            .into_iter()
            .filter(|c| c.doc != doc)
            .collect();
        let verdict = figures::judge(corpus, context, figure, &candidates, &[]);
        result
            .claims
            .push(figure_claim(corpus, figure, &frame, &verdict));
    }
    for &(name, entity) in &facts.names {
        let sources = corpus
            .entity(entity)
            .mentions
            .iter()
            .filter(|(d, _)| *d != doc)
            .take(20)
            .map(|&(d, span)| SourceRef {
                doc: d,
                span,
                sentence: sentence_around(corpus, d, span),
                verdict: Verdict::Agrees,
            })
            .collect();
        result.claims.push(Claim {
            span: name,
            kind: ClaimKind::Entity { entity },
            sources,
        });
    }
    for conflict in corpus.conflicts() {
        let Some(mine) = conflict.statements.iter().find(|(d, _, _)| *d == doc) else {
            continue;
        };
        let others: Vec<&(DocId, Span, Span)> = conflict
            .statements
            .iter()
            .filter(|(d, _, _)| *d != doc)
            .collect();
        let said: Vec<String> = others
            .iter()
            .map(|(d, span, _)| {
                let other = corpus.document(*d);
                format!("{} [{}]", span.slice(&other.text), other.id)
            })
            .collect();
        result.findings.push(finding(
            mine.1,
            Code::SourceConflict,
            format!(
                "sources disagree: this says {}, {}",
                mine.1.slice(text),
                said.join(", ")
            ),
            others
                .iter()
                .map(|(d, span, _)| Related {
                    doc: *d,
                    span: *span,
                    message: format!(
                        "{} says {}",
                        corpus.document(*d).id,
                        span.slice(&corpus.document(*d).text)
                    ),
                })
                .collect(),
            Vec::new(),
        ));
    }
    result.claims.sort_by_key(|c| (c.span.start, c.span.end));
    result
}
