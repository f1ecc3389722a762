//! Whether a source claim is about what a note claim is about: the same
//! subject, measure, period and role, or at least nothing that says
//! otherwise. A source figure about another company, another measure or
//! another period neither supports nor contradicts a note's figure, however
//! close its value and however many words its sentence shares.

use crate::corpus::index::{ClaimFrame, DocFacts};
use crate::corpus::{Corpus, EntityId};
use crate::extract::claims::{self, Direction, Measure, Period, Role};
use crate::extract::{Figure, FigureKind, TextAnalysis};
use crate::text::Span;

/// What a note figure is about, with its names resolved against the corpus.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NoteFrame {
    /// The entities it is about: named in its clause, else in its sentence,
    /// else inherited from the note's structure (see [`scopes`]).
    pub subjects: Vec<EntityId>,
    pub measures: Vec<Measure>,
    pub period: Period,
    pub role: Role,
    pub direction: Option<Direction>,
    /// The figure is a date or a year.
    pub dates_event: bool,
    /// The subjects are named in the claim's own sentence, not inherited
    /// from a heading or an earlier sentence.
    pub named_here: bool,
    /// The measures come from the heading above: they rule out sources
    /// about other measures but do not make a source more specific.
    pub measures_inherited: bool,
    /// The words naming the measure, when another clause of the sentence
    /// names it: they are this figure's context as much as the other's.
    pub measure_named_at: Option<Span>,
}

impl NoteFrame {
    /// A source's own claim read as a note's, for comparing sources with each other.
    pub fn of_source(frame: &ClaimFrame) -> NoteFrame {
        let subjects = if frame.clause_subjects.is_empty() {
            frame.nearby_subjects.clone()
        } else {
            frame.clause_subjects.clone()
        };
        NoteFrame {
            named_here: !frame.clause_subjects.is_empty(),
            measures_inherited: false,
            measure_named_at: None,
            subjects,
            measures: frame.measures.clone(),
            period: frame.period,
            role: frame.role,
            direction: frame.direction,
            dates_event: false,
        }
    }
}

/// A note claim's frame in a few words, its subjects by their corpus names.
pub fn describe(corpus: &Corpus, frame: &NoteFrame) -> String {
    let names: Vec<&str> = frame
        .subjects
        .iter()
        .map(|e| corpus.entity(*e).name.as_str())
        .collect();
    claims::describe(&names, &frame.measures, &frame.period, frame.role)
}

/// How well a source claim fits a note claim.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fit {
    /// Some part of the two frames says they are different facts.
    pub conflict: bool,
    /// The source names the note's subject where it states the figure.
    pub subject: bool,
    /// ...and the note's sentence names it too, rather than inheriting it
    /// from a heading: then the subject tells facts apart as well.
    pub subject_named_here: bool,
    /// Both name the measure, and it is the same.
    pub measure: bool,
    /// Both date the figure, alike.
    pub period: bool,
}

impl Fit {
    /// How many of subject, measure and period both sides state alike (0-3).
    pub fn score(self) -> u8 {
        u8::from(self.subject) + u8::from(self.measure) + u8::from(self.period)
    }

    /// How many of measure and period, the parts that tell facts about one
    /// subject apart, both sides state alike; and the subject, where both
    /// sentences name it ("Energy orders fell 5%": the part of the company).
    pub fn specific(self) -> u8 {
        u8::from(self.measure) + u8::from(self.period) + u8::from(self.subject_named_here)
    }
}

/// Compares a note claim with a source claim in a document naming `doc_entities`.
pub fn fit(corpus: &Corpus, note: &NoteFrame, source: &ClaimFrame, doc: &DocFacts) -> Fit {
    let mut fit = Fit::default();
    let conflict = |fit: Fit| Fit {
        conflict: true,
        ..fit
    };
    match subject_fit(corpus, note, source, doc) {
        Some(true) => {
            fit.subject = true;
            fit.subject_named_here = note.named_here;
        }
        Some(false) => return conflict(fit),
        None => {}
    }
    // A date or a year dates an event: the same event noun on both sides
    // ("signed the agreement on", "the day the agreement was signed") ties
    // them, but another measure in its sentence does not make it another fact.
    match measures_compatible(&note.measures, &source.measures) {
        Some(true) => fit.measure = !note.measures_inherited,
        Some(false) if !note.dates_event => return conflict(fit),
        _ => {}
    }
    if !note.period.compatible(&source.period) {
        return conflict(fit);
    }
    fit.period = (note.period.year.is_some() && source.period.year.is_some())
        || (note.period.part.is_some() && source.period.part.is_some())
        // "A year earlier … was 2.2%" and "a year earlier it stood at 2.4%".
        || (note.period.relative == Some(claims::Relative::Earlier)
            && source.period.relative == Some(claims::Relative::Earlier));
    let rates =
        note.measures.iter().any(claims::is_rate) && source.measures.iter().any(claims::is_rate);
    let level_or_change = |r: Role| matches!(r, Role::Level | Role::Change);
    // A rate's change is its level ("growth of 0.3%"), and so may be the
    // level it changed from ("revised up from 0.3% growth").
    let same_rate = rates
        && ((level_or_change(note.role) && level_or_change(source.role))
            || note.role == Role::Change
            || source.role == Role::Change);
    if !note.role.compatible(source.role) && !same_rate {
        return conflict(fit);
    }
    // "Fell 5%" and "rose 5%" are two facts, however alike the amounts.
    if matches!((note.direction, source.direction), (Some(a), Some(b)) if a != b) {
        return conflict(fit);
    }
    fit
}

/// Some(true) when the source names the note's subject where it states the
/// figure, Some(false) when it is about someone else (the document never
/// names the note's subject, or the figure's clause names others and neither
/// its sentence nor the one before names the note's subject), None when
/// neither can be told.
fn subject_fit(
    corpus: &Corpus,
    note: &NoteFrame,
    source: &ClaimFrame,
    doc: &DocFacts,
) -> Option<bool> {
    if note.subjects.is_empty() {
        return None;
    }
    let named = |ids: &[EntityId]| ids.iter().any(|id| note.subjects.contains(id));
    if !may_be_about(note, doc) {
        return Some(false);
    }
    if named(&source.clause_subjects)
        || (source.clause_subjects.is_empty() && named(&source.sentence_subjects))
    {
        return Some(true);
    }
    // A clause that names nobody is about what its sentence names ("…, with
    // aerospace revenue of $1.21 billion").
    let stated_about = if source.clause_subjects.is_empty() {
        &source.sentence_subjects
    } else {
        &source.clause_subjects
    };
    if stated_about.is_empty() {
        return None;
    }
    // A note sentence that names whom its figure is about, read against a
    // source clause that names others ("Kelsing striker Mateo Ruiz … with
    // 27 goals, five more than Okonjo"): the clause is about them.
    // (Not for dates: a dateline's place or whoever acted that day stands
    // beside the date of many events.)
    let named_against = note.named_here && !note.dates_event && !source.clause_subjects.is_empty();
    // A clause naming nobody may be about whom the sentences around name;
    // one naming others is about them (a date excepted, as above).
    if (source.clause_subjects.is_empty() || note.dates_event) && named(&source.nearby_subjects) {
        return None;
    }
    // "European" beside "European Commission", "Castria" beside "Bank of
    // Castria": names sharing a word may be one subject written two ways.
    let note_words: Vec<&str> = note
        .subjects
        .iter()
        .flat_map(|id| corpus.entity(*id).name.split_whitespace())
        .collect();
    if stated_about.iter().any(|id| {
        corpus
            .entity(*id)
            .name
            .split_whitespace()
            .any(|w| note_words.iter().any(|n| n.eq_ignore_ascii_case(w)))
    }) {
        return None;
    }
    // The clause names others: it is about them only if the document states
    // figures about the note's subject elsewhere (else the note's "subject"
    // may be who reports, not what is reported on).
    let elsewhere = note
        .subjects
        .iter()
        .any(|id| doc.figure_subjects.binary_search(id).is_ok());
    (named_against || elsewhere).then_some(false)
}

/// Whether a document may be about the note claim's subject: it names it,
/// or the note claim has none.
pub fn may_be_about(note: &NoteFrame, doc: &DocFacts) -> bool {
    note.subjects.is_empty()
        || note
            .subjects
            .iter()
            .any(|id| doc.entities.binary_search(id).is_ok())
}

/// Whether two lists of measures may name one quantity; None when either
/// side names none.
pub fn measures_compatible(a: &[Measure], b: &[Measure]) -> Option<bool> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    Some(a.iter().any(|x| b.iter().any(|y| x.compatible(*y))))
}

/// What a note sentence inherits from the note's structure.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scope {
    /// The entities it is about when it names nobody (see [`scopes`]).
    pub subjects: Vec<EntityId>,
    /// Its nearest heading, whose measure and period ("## GDP (second
    /// quarter)") hold for the figures under it that name none.
    pub heading: Option<Span>,
    /// The sentence is a heading itself.
    pub in_heading: bool,
}

/// What each sentence of a note names itself, as [`scopes`] resolves it,
/// kept between runs over one note: resolving a name reads the corpus's name
/// tables and the measure vocabulary, and a keystroke changes the names of
/// one sentence, not those of the whole note. An entry is keyed by all the
/// answer reads (the sentence's text, whether it is a heading, each name's
/// place, words, key and doubt), so a hit answers what resolving would. It
/// holds for one corpus: clear it when the corpus changes.
#[derive(Debug, Default)]
pub struct OwnNames {
    run: u32,
    resolved: std::collections::HashMap<String, (Vec<EntityId>, u32)>,
}

/// Runs since its last use after which a sentence's names leave [`OwnNames`].
const OWN_NAMES_RUNS_KEPT: u32 = 4;

impl OwnNames {
    pub fn clear(&mut self) {
        self.resolved.clear();
    }
}

/// The entities each sentence of a note inherits when it names nobody: those
/// of the previous sentence of its paragraph or list item, its parent list
/// item, its nearest heading that names any, and the front matter's
/// `subject` or `title`, all together (a reader takes any of them as meant).
pub fn scopes(corpus: &Corpus, note: &str, analysis: &TextAnalysis) -> Vec<Scope> {
    scopes_cached(corpus, note, analysis, &mut OwnNames::default())
}

/// [`scopes`], with each sentence's own names taken from `known` when its
/// key is there, and kept there for the next run.
pub fn scopes_cached(
    corpus: &Corpus,
    note: &str,
    analysis: &TextAnalysis,
    known: &mut OwnNames,
) -> Vec<Scope> {
    known.run = known.run.wrapping_add(1);
    let run = known.run;
    // Headings are written in title case: a capitalised word there may be
    // a plain word that some source writes as a label in capitals.
    let resolve = |sentence: u32, heading: bool| -> Vec<EntityId> {
        let mut ids = Vec::new();
        let span = analysis.sentences[sentence as usize];
        // Names come in sentence order: read only this sentence's, so a
        // note's scopes cost its names once, not its names once per sentence.
        for (name, _) in crate::extract::of_sentence(&analysis.names, sentence) {
            if claims::is_speaker(note, span, name.span)
                || claims::is_vocabulary(name.span.slice(note))
            {
                continue;
            }
            if let Some(id) = corpus.entity_of_name(name) {
                // "## Results" meets a source's "RESULTS" label, not a name.
                let label = corpus.entity(id).name.chars().all(|c| !c.is_lowercase());
                if heading && name.doubtful && label {
                    continue;
                }
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        ids
    };
    // One buffer for every sentence's key: a lookup allocates nothing.
    let mut key = String::new();
    let mut resolved = |sentence: u32, heading: bool| -> Vec<EntityId> {
        use std::fmt::Write;
        let span = analysis.sentences[sentence as usize];
        key.clear();
        key.push_str(span.slice(note));
        key.push_str(if heading { "\u{0}H" } else { "\u{0}-" });
        for (name, _) in crate::extract::of_sentence(&analysis.names, sentence) {
            let start = name.span.start() as i64 - span.start() as i64;
            let _ = write!(
                key,
                "\u{0}{start}\u{0}{}\u{0}{}\u{0}{}",
                name.span.slice(note),
                name.key,
                name.doubtful
            );
        }
        if let Some((ids, last)) = known.resolved.get_mut(key.as_str()) {
            *last = run;
            return ids.clone();
        }
        let ids = resolve(sentence, heading);
        known.resolved.insert(key.clone(), (ids.clone(), run));
        ids
    };
    let mut document: Vec<EntityId> = Vec::new();
    let mut blocks: &[crate::extract::markdown::Block] = &[];
    if let Some(prose) = &analysis.prose {
        blocks = &prose.blocks;
        if let Some(front) = &prose.front_matter {
            for text in [&front.subject, &front.title].into_iter().flatten() {
                document.extend(names_in(corpus, text));
            }
        }
    }
    let mut headings: Vec<(usize, Vec<EntityId>, Span)> = Vec::new();
    let mut lists: Vec<(usize, Vec<EntityId>)> = Vec::new();
    let mut scopes = Vec::with_capacity(analysis.sentences.len());
    let mut block_index = 0;
    let mut current_block: Option<usize> = None;
    let mut previous_in_block: Vec<EntityId> = Vec::new();
    for (index, sentence) in analysis.sentences.iter().enumerate() {
        while block_index < blocks.len() && blocks[block_index].span.end() < sentence.start() {
            block_index += 1;
        }
        let block = blocks
            .get(block_index)
            .filter(|b| b.span.start() <= sentence.start());
        let block_id = block.map(|_| block_index);
        if block_id != current_block {
            current_block = block_id;
            previous_in_block.clear();
            if let Some(block) = block {
                enter_block(note, block, &mut headings, &mut lists);
            }
        }
        // Everything a reader may take the sentence to be about: the
        // sentence before it in its paragraph, its parent list item, its
        // nearest heading that names anyone, and the note's own subject.
        let mut inherited = previous_in_block.clone();
        let from_lists = lists.iter().rev().find(|(_, ids)| !ids.is_empty());
        let from_headings = headings
            .iter()
            .rev()
            .find(|(_, ids, _)| !ids.is_empty())
            .map(|(_, ids, _)| ids);
        for ids in from_lists
            .map(|(_, ids)| ids)
            .into_iter()
            .chain(from_headings)
        {
            extend_unique(&mut inherited, ids);
        }
        extend_unique(&mut inherited, &document);
        let in_heading =
            block.is_some_and(|b| b.kind == crate::extract::markdown::BlockKind::Heading);
        let own = resolved(index as u32, in_heading);
        scopes.push(Scope {
            subjects: inherited,
            heading: headings
                .last()
                .map(|(_, _, span)| *span)
                .filter(|_| !in_heading),
            in_heading,
        });
        if !own.is_empty() {
            previous_in_block = own.clone();
            if let Some(block) = block {
                use crate::extract::markdown::BlockKind;
                match block.kind {
                    BlockKind::Heading => {
                        if let Some(last) = headings.last_mut() {
                            if last.1.is_empty() {
                                last.1 = own;
                            }
                        }
                    }
                    BlockKind::ListItem => {
                        if let Some(last) = lists.last_mut() {
                            if last.1.is_empty() {
                                last.1 = own;
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    known
        .resolved
        .retain(|_, (_, last)| run.wrapping_sub(*last) < OWN_NAMES_RUNS_KEPT);
    scopes
}

fn extend_unique(ids: &mut Vec<EntityId>, more: &[EntityId]) {
    for id in more {
        if !ids.contains(id) {
            ids.push(*id);
        }
    }
}

/// Updates the heading and list stacks on entering a block.
fn enter_block(
    note: &str,
    block: &crate::extract::markdown::Block,
    headings: &mut Vec<(usize, Vec<EntityId>, Span)>,
    lists: &mut Vec<(usize, Vec<EntityId>)>,
) {
    use crate::extract::markdown::BlockKind;
    let line_start = note[..block.span.start()].rfind('\n').map_or(0, |i| i + 1);
    let marker = &note[line_start..block.span.start()];
    match block.kind {
        BlockKind::Heading => {
            let level = marker.chars().filter(|c| *c == '#').count().max(1);
            while headings.last().is_some_and(|(l, _, _)| *l >= level) {
                headings.pop();
            }
            headings.push((level, Vec::new(), block.span));
            lists.clear();
        }
        BlockKind::ListItem => {
            let indent = marker.len() - marker.trim_start().len();
            while lists.last().is_some_and(|(i, _)| *i >= indent) {
                lists.pop();
            }
            lists.push((indent, Vec::new()));
        }
        _ => lists.clear(),
    }
}

/// The corpus entities a short text (a title, a subject) names.
fn names_in(corpus: &Corpus, text: &str) -> Vec<EntityId> {
    let mut ids = Vec::new();
    if let Some(id) = corpus.entity_named(text.trim()) {
        ids.push(id);
    }
    for mention in crate::extract::entities::find(text).mentions {
        if let Some(id) = corpus.entity_named(&mention.key) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}

/// The frames of one note sentence's figures, in order: names resolved
/// against the corpus, and `scope` for the subject where the sentence names
/// nobody the corpus knows.
pub fn note_frames(
    corpus: &Corpus,
    note: &str,
    analysis: &TextAnalysis,
    sentence: u32,
    figures: &[&Figure],
    scope: &Scope,
) -> Vec<NoteFrame> {
    let span: Span = analysis.sentences[sentence as usize];
    let named: Vec<(Span, EntityId)> = crate::extract::of_sentence(&analysis.names, sentence)
        .iter()
        .filter(|(n, _)| !claims::is_vocabulary(n.span.slice(note)))
        .filter_map(|(n, _)| Some((n.span, corpus.entity_of_name(n)?)))
        .collect();
    let spans: Vec<Span> = named.iter().map(|(s, _)| *s).collect();
    let heading = scope.heading.map(|h| claims::label_frame(h.slice(note)));
    claims::frames(note, span, figures, &spans)
        .into_iter()
        .zip(figures)
        .map(|(frame, figure)| {
            let pick = |indexes: &[usize]| crate::corpus::index::entities_at(&named, indexes);
            let mut subjects = pick(&frame.clause_subjects);
            if subjects.is_empty() {
                subjects = pick(&frame.sentence_subjects);
            }
            let named_here = !subjects.is_empty();
            if subjects.is_empty() {
                subjects = scope.subjects.clone();
            }
            let (mut measures, mut period) = (frame.measures, frame.period);
            let mut measures_inherited = frame.measure_assumed;
            if let Some((heading_measures, heading_period)) = &heading {
                if measures.is_empty() {
                    measures = heading_measures.clone();
                    measures_inherited = !measures.is_empty();
                }
                period.part = period.part.or(heading_period.part);
                // A year earlier than the heading's year is not that year.
                if period.relative != Some(claims::Relative::Earlier) {
                    period.year = period.year.or(heading_period.year);
                }
            }
            NoteFrame {
                named_here,
                measures_inherited,
                measure_named_at: frame.measure_named_at,
                subjects,
                measures,
                period,
                role: frame.role,
                direction: frame.direction,
                dates_event: matches!(figure.kind, FigureKind::Date | FigureKind::Year),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same words resolve differently as a heading (where a capitalised
    /// word may be a source's label) and as a sentence: a memo that keyed
    /// them alike would answer one with the other's names.
    #[test]
    fn remembered_names_answer_as_resolving_them_would() {
        let corpus = crate::test_support::corpus(&[
            "RESULTS\n\nAcme Corp sold 5 ships in 2023. RESULTS came late.",
            "RESULTS\n\nThe RESULTS were read by RESULTS staff.",
        ]);
        // "Results." is the first sentence of each: the heading's, then the
        // paragraph's, whose names the sentence after it inherits.
        let heading = "# Results.\n\nIt sold 5 ships.\n";
        let paragraph = "Results. It sold 5 ships.\n";
        let fresh = |note: &str| scopes(&corpus, note, &crate::extract::analyze(note, true, true));
        assert!(
            fresh(heading)[1].subjects.is_empty(),
            "{:?}",
            fresh(heading)
        );
        assert!(
            !fresh(paragraph)[1].subjects.is_empty(),
            "{:?}",
            fresh(paragraph)
        );
        let mut known = OwnNames::default();
        for note in [heading, paragraph, heading, paragraph] {
            let analysis = crate::extract::analyze(note, true, true);
            assert_eq!(
                scopes_cached(&corpus, note, &analysis, &mut known),
                fresh(note),
                "{note}"
            );
        }
    }
}
