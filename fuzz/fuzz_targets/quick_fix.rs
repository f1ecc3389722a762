//! Applying a finding's preferred quick fix removes that finding and changes
//! nothing else: every finding outside the fixed sentence is still there,
//! moved by the edit's change in length.
#![no_main]

use libfuzzer_sys::fuzz_target;
use refnotes::check::{analyze_note, CheckOptions, Finding};
use refnotes::extract;

mod common;

/// A finding's place and kind, enough to tell it from the others.
fn key(finding: &Finding, delta: i64) -> (u32, u32, &'static str) {
    let span = finding.span.shifted(delta);
    (span.start, span.end, finding.code.as_str())
}

fuzz_target!(|note: &str| {
    let corpus = common::corpus();
    let options = CheckOptions::default();
    let analysis = analyze_note(corpus, note, &options);
    let sentences = extract::analyze(note, true, true).sentences;
    for finding in analysis.findings.iter().take(4) {
        let Some(fix) = finding.fixes.iter().find(|f| f.preferred) else {
            continue;
        };
        let [edit] = fix.edits.as_slice() else {
            continue;
        };
        let Some(sentence) = sentences.iter().find(|s| s.contains_span(finding.span)) else {
            continue;
        };
        let fixed = format!(
            "{}{}{}",
            &note[..edit.span.start()],
            edit.text,
            &note[edit.span.end()..]
        );
        let delta = edit.text.len() as i64 - edit.span.len() as i64;
        let after = analyze_note(corpus, &fixed, &options);
        let fixed_span =
            refnotes::text::Span::new(edit.span.start(), edit.span.start() + edit.text.len());
        // The same finding, its words updated by the edit, must be gone. (Another
        // may take its place: citing the source that states one claim of a
        // sentence can leave another of its claims uncited.)
        let old_text = edit.span.slice(note);
        let same = |f: &Finding| {
            f.code == finding.code
                && f.span.overlaps(fixed_span)
                && (f.message == finding.message
                    || (!old_text.is_empty()
                        && f.message == finding.message.replace(old_text, &edit.text)))
        };
        assert!(
            !after.findings.iter().any(same),
            "the fix {:?} left its finding {:?} in {fixed:?}",
            fix.title,
            finding.message
        );
        // The edited stretch: the fixed sentence, grown to every sentence of
        // the fixed text it now touches (a quotation made exact may bring a
        // sentence end with it). Findings wholly before or after it must stay.
        let grown_end = (i64::from(sentence.end) + delta) as u32;
        let mut from = sentence.start;
        let mut to_after = grown_end;
        for s in extract::analyze(&fixed, true, true).sentences {
            if s.start <= to_after && s.end >= from {
                from = from.min(s.start);
                to_after = to_after.max(s.end);
            }
        }
        let to_before = (i64::from(to_after) - delta) as u32;
        let mut kept: Vec<_> = analysis
            .findings
            .iter()
            .filter(|f| f.span.end < from || f.span.start > to_before)
            .map(|f| key(f, if f.span.start > to_before { delta } else { 0 }))
            .collect();
        let mut now: Vec<_> = after
            .findings
            .iter()
            .filter(|f| f.span.end < from || f.span.start > to_after)
            .map(|f| key(f, 0))
            .collect();
        kept.sort_unstable();
        now.sort_unstable();
        assert_eq!(kept, now, "the fix {:?} changed other findings", fix.title);
    }
});
