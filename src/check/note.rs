//! Checking one note: finds its claims, asks the corpus about each, and turns
//! the answers into findings, honouring the note's ignore comments and its
//! `refnotes: false` front matter.

mod citations;
mod figure_findings;
mod name_claims;
mod quote_findings;
mod source;

pub use source::analyze_source;

use citations::check_citations;
use figure_findings::check_figures;
use name_claims::{name_claims, EntitySources};
use quote_findings::check_quotes;

use crate::check::{figures, fit};
use crate::check::{CheckOptions, Claim, ClaimKind, Code, Finding, Fix, NoteAnalysis, Related};
use crate::corpus::Corpus;
use crate::extract::{self, of_sentence, TextAnalysis};
use crate::text::{LineIndex, Span};

/// Quotations shorter than this are phrases, not quotes worth checking.
const MIN_QUOTE_WORDS: usize = 4;
/// Sources listed in a message at most.
const MAX_LISTED: usize = 3;

pub fn analyze_note(corpus: &Corpus, note: &str, options: &CheckOptions) -> NoteAnalysis {
    analyze_note_cached(corpus, note, options, &mut NoteCache::default())
}

/// Results of reading blocks and checking sentences, kept between runs over
/// one note so that an edit re-reads only the block it touched and re-checks
/// only the sentences whose key (see [`sentence_key`]) it changed. A cache
/// belongs to one note; its sentences are dropped when the corpus or the
/// options change. Entries unused for a few runs are dropped, so an undo, or
/// a figure changed and changed back, finds its old results.
#[derive(Debug, Default)]
pub struct NoteCache {
    corpus: u64,
    tolerance: f64,
    run: u32,
    sentences: std::collections::HashMap<String, CachedSentence>,
    blocks: extract::BlockCache,
    /// What is worked out once per corpus and kept across sentences and runs.
    known: Known,
    /// What each sentence names itself, for the corpus `corpus` says.
    own_names: fit::OwnNames,
}

/// Answers that depend on the corpus alone, for the corpus a [`NoteCache`]
/// says, shared by all the sentences it checks.
#[derive(Debug, Default)]
struct Known {
    /// Each name's sources.
    entities: EntitySources,
    /// The documents naming each set of subjects of a note figure.
    subjects: figures::SubjectDocuments,
    /// Where each quotation's words stand in the corpus.
    quotes: crate::check::quotes::QuoteSearches,
}

/// Runs since its last use after which a sentence's results leave the cache.
const SENTENCE_RUNS_KEPT: u32 = 4;

#[derive(Debug)]
struct CachedSentence {
    /// Where the sentence started when it was checked; its spans are shifted
    /// by how far it has moved since.
    origin: usize,
    claims: Vec<Claim>,
    findings: Vec<Finding>,
    last_run: u32,
}

impl NoteCache {
    fn prepare(&mut self, corpus: &Corpus, options: &CheckOptions) {
        if self.corpus != corpus.generation() || self.tolerance != options.tolerance {
            self.sentences.clear();
            self.known.entities.clear();
            self.known.subjects.clear();
            self.known.quotes.clear();
            self.own_names.clear();
            self.corpus = corpus.generation();
            self.tolerance = options.tolerance;
        }
        self.run = self.run.wrapping_add(1);
        self.known.quotes.start_run(self.run);
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
    let analysis = extract::analyze_cached(note, true, &mut cache.blocks);
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
    let scopes = fit::scopes_cached(corpus, note, &analysis, &mut cache.own_names);
    let running = quotes_running_into(&analysis);
    let run = cache.run;
    let mut labels = HeadingLabels::default();
    // One buffer for every sentence's key: looking a sentence up allocates
    // nothing; only a sentence checked anew keeps a copy.
    let mut key = String::new();
    for (index, sentence) in analysis.sentences.iter().enumerate() {
        if cancelled() {
            return None;
        }
        let scope = &scopes[index];
        let heading = scope.heading.map(|h| labels.of(note, h));
        sentence_key(
            &mut key,
            note,
            &analysis,
            (index as u32, &running[index]),
            scope,
            heading,
        );
        let index = index as u32;
        if let Some(entry) = cache.sentences.get_mut(key.as_str()) {
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
            entry.last_run = run;
            continue;
        }
        let mut one = NoteAnalysis::default();
        check_sentence(
            corpus,
            note,
            &analysis,
            (index, scope),
            options,
            &mut cache.known,
            &mut one,
        );
        result.claims.extend(one.claims.iter().cloned());
        result.findings.extend(one.findings.iter().cloned());
        cache.sentences.insert(
            key.clone(),
            CachedSentence {
                origin: sentence.start(),
                claims: one.claims,
                findings: one.findings,
                last_run: run,
            },
        );
    }
    cache
        .sentences
        .retain(|_, entry| run.wrapping_sub(entry.last_run) < SENTENCE_RUNS_KEPT);
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
/// subjects it inherits from the note's structure, whether it is a heading,
/// and what its heading says of measures and periods (not the heading's
/// words: typing in a heading re-checks the sentences under it only when
/// that changes). Two sentences with one key give the same claims and
/// findings, moved. Written into `key`, which it clears first.
fn sentence_key(
    key: &mut String,
    note: &str,
    analysis: &TextAnalysis,
    (sentence, running_in): (u32, &[Span]),
    scope: &fit::Scope,
    heading: Option<&str>,
) {
    use std::fmt::Write;
    let span = analysis.sentences[sentence as usize];
    key.clear();
    key.push_str(span.slice(note));
    key.push_str("\u{0}s");
    for entity in &scope.subjects {
        let _ = write!(key, "{},", entity.0);
    }
    if let Some(heading) = heading {
        key.push_str("\u{0}t");
        key.push_str(heading);
    }
    if scope.in_heading {
        key.push_str("\u{0}H");
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
}

/// What each heading says of measures and periods (`fit::note_frames`
/// reads it through `claims::label_frame`), written out for sentence keys;
/// worked out once per heading and run, as the sentences under a heading
/// come one after another.
#[derive(Default)]
struct HeadingLabels {
    last: Option<(Span, String)>,
}

impl HeadingLabels {
    fn of(&mut self, note: &str, heading: Span) -> &str {
        if self.last.as_ref().is_none_or(|(span, _)| *span != heading) {
            let (measures, period) = crate::extract::claims::label_frame(heading.slice(note));
            self.last = Some((heading, format!("{measures:?}{period:?}")));
        }
        self.last.as_ref().map_or("", |(_, label)| label.as_str())
    }
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
    (sentence, scope): (u32, &fit::Scope),
    options: &CheckOptions,
    known: &mut Known,
    result: &mut NoteAnalysis,
) {
    let mut cited = check_citations(corpus, of_sentence(&analysis.citations, sentence), result);
    check_figures(
        corpus,
        note,
        analysis,
        (sentence, scope),
        (&mut cited, &mut known.subjects),
        options,
        result,
    );
    check_quotes(
        corpus,
        note,
        of_sentence(&analysis.quotes, sentence),
        (&mut cited, &mut known.quotes),
        result,
    );
    cited.report_wrong_source(corpus, result);
    name_claims(
        corpus,
        of_sentence(&analysis.names, sentence),
        &mut known.entities,
        result,
    );
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
