//! The checker on small multi-file fixtures: a corpus written for the test and
//! a note, with the expected findings marked under the words they are about
//! (`support::markers`).

use refnotes::check::{analyze_note, check_note, CheckOptions, ClaimKind, Code, Finding, Verdict};
use refnotes::corpus::{Corpus, CorpusOptions, SourceText};

mod support;
use support::markers;

const WIRE: &str = "Marlowe Shipping to sell ferry arm\n\n\
Marlowe Shipping Plc said on Tuesday it had agreed to sell its Northgate Ferries unit to Castell Maritime for £75m ($95m), ending a 40-year run on the Irish Sea routes.\n\n\
The sale, announced on March 3, is expected to close by the end of June. Northgate carried 1.2 million passengers last year and employs about 640 people.\n\n\
“This is the right moment to let a dedicated ferry operator take Northgate forward,” chief executive Ines Varga said.\n\n\
Marlowe shares rose 3.4% to 212 pence in London.\n";

const RELEASE: &str = "---\ntitle: Castell Maritime agrees Northgate purchase\ndate: 2024-03-04\n---\n\
Castell Maritime Group (CMG) today confirmed it will acquire Northgate Ferries from Marlowe Shipping for up to £78 million, including a deferred payment of £3 million.\n\n\
Castell expects the deal to lift its annual revenue by roughly 18 percent. The company has operated coastal routes since 1998.\n";

const TRADE: &str = "Ferry market notes\n\n\
Castell Maritime has been a partner of Marlowe Shipping since 2011 on freight bookings.\n\n\
Analysts at Penrose Research said the Irish Sea ferry market is worth about €2.1 billion a year.\n";

fn source(id: &str, text: &str, markdown: bool) -> SourceText {
    SourceText {
        id: id.into(),
        path: format!("corpus/{id}.{}", if markdown { "md" } else { "txt" }).into(),
        title: id.into(),
        text: text.into(),
        markdown,
        ..SourceText::default()
    }
}

fn sources() -> Vec<SourceText> {
    vec![
        source("castell-release", RELEASE, true),
        source("trade-notes", TRADE, false),
        source("wire-marlowe", WIRE, false),
    ]
}

fn corpus() -> Corpus {
    Corpus::from_sources(sources(), CorpusOptions::default())
}

/// What the checker reports for a note against `corpus`, as marked findings.
fn found(corpus: &Corpus, note: &str, only: Option<Code>) -> Vec<markers::Marked> {
    check_note(corpus, note, &CheckOptions::default())
        .iter()
        .filter(|f| only.is_none_or(|code| f.code == code))
        .map(|f| (f.span.start(), f.span.end(), f.code.as_str().to_string()))
        .collect()
}

/// Asserts that the checker reports exactly the findings marked under the
/// note's lines (see [`markers`]), on exactly the marked words.
fn assert_findings(annotated: &str) {
    let (note, _) = markers::parse(annotated);
    markers::assert_marked(annotated, found(&corpus(), &note, None));
}

fn only(note: &str, code: Code) -> Vec<Finding> {
    check_note(&corpus(), note, &CheckOptions::default())
        .into_iter()
        .filter(|f| f.code == code)
        .collect()
}

#[test]
fn faithful_notes_draw_nothing() {
    let note = "# Northgate sale\n\n\
- Marlowe is selling Northgate Ferries to Castell for £75m ($95m). [@wire]\n\
- Castell will pay up to £78 million including deferred payments. [@castell]\n\
- The deal was announced on March 3.\n\
- Northgate carried 1.2 million passengers last year.\n\
- Castell expects revenue to rise by about 18%.\n\
- Castell and Marlowe have been partners since 2011.\n\
- Varga: “This is the right moment to let a dedicated ferry operator take Northgate forward.”\n";
    assert_findings(note);
}

#[test]
fn misstated_figures_are_mismatches() {
    assert_findings(
        r#"
        Marlowe agreed to sell Northgate Ferries to Castell for £85m.
                                                                ^^^^ figure-mismatch
        The Northgate sale was announced on March 13.
                                            ^^^^^^^^ figure-mismatch
        Castell has been a partner of Marlowe since 2015.
                                                    ^^^^ figure-mismatch
        Castell expects the deal to lift annual revenue by 28 percent.
                                                           ^^^^^^^^^^ figure-mismatch
        "#,
    );
}

#[test]
fn mismatch_message_names_what_sources_say_and_offers_a_fix() {
    let found = only(
        "Marlowe agreed to sell Northgate Ferries to Castell for £85m.\n",
        Code::FigureMismatch,
    );
    let finding = &found[0];
    assert!(
        finding.message.starts_with("note says £85m; sources say "),
        "{}",
        finding.message
    );
    assert!(
        finding.message.contains("£75m ($95m) [wire-marlowe]"),
        "{}",
        finding.message
    );
    assert!(!finding.related.is_empty());
    let fix = &finding.fixes[0];
    assert!(fix.preferred);
    assert_eq!(fix.edits[0].text, "£75m");
}

#[test]
fn agreement_honours_precision_qualifiers_and_the_sources_rate() {
    // $95m is the wire's own dollar figure; £75m converts at its rate.
    assert_findings("Castell is paying about $95 million for Northgate Ferries.\n");
    assert_findings("Castell is paying $0.095 billion for Northgate Ferries.\n");
    // "up to £78 million" allows £76m.
    assert_findings("Castell will pay £76 million for Northgate Ferries.\n");
    // A figure well above the cap is wrong.
    assert_findings(
        r#"
        Castell will pay £120 million for Northgate Ferries.
                         ^^^^^^^^^^^^ figure-mismatch
        "#,
    );
}

#[test]
fn numbers_with_no_link_to_the_corpus_draw_nothing() {
    let note = "Reading time: about 25 minutes.\n\nTODO: print 3 copies before the 10am meeting.\n";
    assert_findings(note);
}

#[test]
fn misquotes_point_at_the_closest_passage() {
    let note = "Varga said: “This is the perfect moment to let a dedicated ferry operator take Northgate forward.”\n";
    let found = only(note, Code::Misquote);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.contains("[wire-marlowe]"),
        "{}",
        found[0].message
    );
    let fix = &found[0].fixes[0];
    assert_eq!(
        fix.edits[0].text,
        "This is the right moment to let a dedicated ferry operator take Northgate forward"
    );
    // Straight quotes and case do not matter; a three-word phrase is no quote.
    assert_findings("She called it \"the RIGHT moment to let a dedicated ferry operator\".\n");
    assert_findings("It was “a bold move”.\n");
}

#[test]
fn citations_must_name_one_source_that_says_it() {
    assert_findings(
        r#"
        See [@bloomberg] for more.
              ^^^^^^^^^ unknown-source
        "#,
    );
    let ambiguous = only("Castell explains the deal [@c].\n", Code::UnknownSource);
    assert_eq!(ambiguous.len(), 0, "a unique prefix resolves");
    let wrong = "The Irish Sea ferry market is worth about €2.1 billion a year [@wire].\n";
    assert_findings(
        r#"
        The Irish Sea ferry market is worth about €2.1 billion a year [@wire].
                                                                        ^^^^ wrong-source
        "#,
    );
    let finding = &only(wrong, Code::WrongSource)[0];
    assert!(
        finding.message.contains("trade-notes"),
        "{}",
        finding.message
    );
    assert_eq!(finding.fixes[0].edits[0].text, "trade");
    let quote = "Varga: “This is the right moment to let a dedicated ferry operator take Northgate forward” [@castell].\n";
    assert_eq!(
        found(&corpus(), quote, None),
        [(
            quote.find("castell").unwrap(),
            quote.find("castell").unwrap() + "castell".len(),
            "wrong-source".to_string()
        )]
    );
}

#[test]
fn one_wrong_citation_is_one_finding_listing_its_figures() {
    let note = "Northgate carried 1.2 million passengers last year and employs about 640 people [@castell].\n";
    assert_findings(
        r#"
        Northgate carried 1.2 million passengers last year and employs about 640 people [@castell].
                                                                                          ^^^^^^^ wrong-source
        "#,
    );
    let finding = &only(note, Code::WrongSource)[0];
    assert_eq!(
        finding.message,
        "@castell does not state 1.2 million passengers or 640 people; wire-marlowe does"
    );
    assert_eq!(finding.related.len(), 2, "{:?}", finding.related);
    // The quick fix cites the source that states them, and then the finding is gone.
    let [fix] = finding.fixes.as_slice() else {
        panic!("one fix: {:?}", finding.fixes)
    };
    assert!(fix.preferred);
    let edit = &fix.edits[0];
    let fixed = format!(
        "{}{}{}",
        &note[..edit.span.start()],
        edit.text,
        &note[edit.span.end()..]
    );
    assert_eq!(
        fixed,
        "Northgate carried 1.2 million passengers last year and employs about 640 people [@wire-marlowe].\n"
    );
    assert_findings(&fixed);
}

#[test]
fn ignore_comments_and_front_matter_opt_out() {
    let ignored = "<!-- refnotes-ignore figure-mismatch -->\nMarlowe agreed to sell Northgate to Castell for £85m.\n";
    assert_findings(ignored);
    assert_findings(
        r#"
        <!-- refnotes-ignore misquote -->
        Marlowe agreed to sell Northgate to Castell for £85m.
                                                        ^^^^ figure-mismatch
        "#,
    );
    let off = "---\nrefnotes: false\n---\nMarlowe agreed to sell Northgate to Castell for £85m. [@nowhere]\n";
    assert_findings(off);
}

#[test]
fn code_and_link_targets_are_not_prose() {
    let note = "Run `refnotes check --max 85` and see [the 2015 filing](https://example.com/85m-2015).\n\n```\nMarlowe sold Northgate for £85m.\n```\n";
    assert_findings(note);
}

#[test]
fn claims_carry_their_sources_for_hover_and_go_to() {
    let note = "Marlowe is selling Northgate Ferries to Castell for £75m. [@wire]\n";
    let analysis = analyze_note(&corpus(), note, &CheckOptions::default());
    let figure = analysis
        .claims
        .iter()
        .find(|c| matches!(c.kind, ClaimKind::Figure { .. }))
        .expect("the figure is a claim");
    assert_eq!(figure.span.slice(note), "£75m");
    let source = &figure.sources[0];
    assert_eq!(source.verdict, Verdict::Agrees);
    let corpus = corpus();
    assert_eq!(corpus.document(source.doc).id, "wire-marlowe");
    assert_eq!(
        source.span.slice(&corpus.document(source.doc).text),
        "£75m ($95m)"
    );
    let name = analysis
        .claim_at(note.find("Castell").unwrap())
        .expect("a name claim");
    let ClaimKind::Entity { entity } = name.kind else {
        panic!("expected an entity, got {:?}", name.kind)
    };
    let info = corpus.entity(entity);
    assert!(
        info.aliases.iter().chain([&info.name]).any(|n| n == "CMG"),
        "{info:?}"
    );
    assert!(info.document_count() >= 2);
    let citation = analysis
        .claim_at(note.find("wire").unwrap())
        .expect("a citation claim");
    assert!(matches!(
        &citation.kind,
        ClaimKind::Citation { doc: Some(_), .. }
    ));
}

#[test]
fn source_conflicts_are_kept_as_data() {
    let a = "Northgate Ferries employs about 640 people on its Irish Sea routes.\n";
    let b = "Northgate Ferries employs about 710 people on its Irish Sea routes, the union said.\n";
    let source = |id: &str, text: &str| SourceText {
        id: id.into(),
        text: text.into(),
        ..SourceText::default()
    };
    let corpus = Corpus::from_sources(
        vec![source("a", a), source("b", b)],
        CorpusOptions::default(),
    );
    assert_eq!(corpus.conflicts().len(), 1, "{:?}", corpus.conflicts());
    // A note that agrees with either side is not faulted.
    let note = "Northgate Ferries employs about 640 people.\n";
    assert!(check_note(&corpus, note, &CheckOptions::default()).is_empty());
}

#[test]
fn an_empty_corpus_says_so_once() {
    let corpus = Corpus::from_sources(Vec::new(), CorpusOptions::default());
    let found = check_note(
        &corpus,
        "Anything at all, $5 million.\n",
        &CheckOptions::default(),
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, Code::NoCorpus);
}

#[test]
fn the_sentence_cache_gives_what_a_fresh_check_gives_after_edits() {
    use refnotes::check::{analyze_note_cached, NoteCache};
    let corpus = corpus();
    let options = CheckOptions::default();
    let mut cache = NoteCache::default();
    let before = "Intro.\n\nMarlowe agreed to sell Northgate Ferries to Castell for £85m. [@wire]\n\nVarga: “This is the perfect moment to let a dedicated ferry operator take Northgate forward.”\n";
    // The edit lengthens the first line with multi-byte characters, so every
    // later sentence moves; one figure is also corrected.
    let after = "A longer intro — with “curly” quotes.\n\nMarlowe agreed to sell Northgate Ferries to Castell for £75m. [@wire]\n\nVarga: “This is the perfect moment to let a dedicated ferry operator take Northgate forward.”\n";
    for note in [before, after, before] {
        let cached = analyze_note_cached(&corpus, note, &options, &mut cache);
        assert_eq!(cached, analyze_note(&corpus, note, &options));
        assert!(!cached.findings.is_empty());
    }
    // A corpus rebuilt from the same sources is a new corpus: nothing is reused.
    let rebuilt = corpus.with_changes(Vec::new(), &[]);
    let fresh = analyze_note_cached(&rebuilt, after, &options, &mut cache);
    assert_eq!(fresh, analyze_note(&rebuilt, after, &options));
}

#[test]
fn an_acronym_in_a_note_reads_as_the_name_it_abbreviates() {
    let source = |id: &str, text: &str| SourceText {
        id: id.into(),
        text: text.into(),
        ..SourceText::default()
    };
    let corpus = Corpus::from_sources(
        vec![
            source("oil", "Crude markets\n\nWest Texas Intermediate settled at $74.95 a barrel on Friday, while Brent crude ended at $78.10.\n"),
            source("other", "Refiners\n\nRefining margins narrowed in the quarter, the company said.\n"),
        ],
        CorpusOptions::default(),
    );
    let lines = |note: &str| -> Vec<&'static str> {
        check_note(&corpus, note, &CheckOptions::default())
            .iter()
            .map(|f| f.code.as_str())
            .collect()
    };
    assert_eq!(
        lines("WTI settled at $79.45 a barrel.\n"),
        ["figure-mismatch"]
    );
    assert_eq!(
        lines("WTI settled at $74.95 a barrel.\n"),
        Vec::<&str>::new()
    );
}

#[test]
fn the_writers_own_estimates_are_not_checked_against_the_sources() {
    assert_findings("My own estimate: Castell could pay £85m for Northgate Ferries.\n");
    assert_findings("We think Castell will pay £85m for Northgate Ferries.\n");
    // "US$" is no first person, and a quoted "we" is the source's.
    assert_findings(
        r#"
        Castell will pay US$150m for Northgate Ferries.
                         ^^^^^^^ figure-mismatch
        "#,
    );
    assert_findings(
        r#"
        Castell said “we will pay” £85m for Northgate Ferries.
                                   ^^^^ figure-mismatch
        "#,
    );
}

#[test]
fn odd_notes_never_panic_and_spans_stay_on_character_boundaries() {
    const PIECES: &[&str] = &[
        "Castell",
        " paid ",
        "£75m",
        " ($95m)",
        "“",
        "”",
        "\"",
        "’s",
        " — ",
        "–",
        "about ",
        "up to ",
        "more than ",
        "2011",
        "March 3",
        " 18 percent",
        "1.2 million passengers",
        "[@",
        "wire",
        "]",
        "[@nowhere; @c]",
        ". ",
        "\n",
        "\n\n",
        "- ",
        "# ",
        "`code £85m`",
        "é",
        "😀",
        "中文",
        "We ",
        "WTI ",
        "Marlowe Shipping Plc",
        "(CMG)",
        "…",
        "<!-- refnotes-ignore -->",
        "$",
        "%",
        ",",
        "0.",
        "¥",
        "€2.1 billion a year",
        " between 4 and 5%",
    ];
    let corpus = corpus();
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..400 {
        let mut note = String::new();
        for _ in 0..24 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            note.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
        }
        let analysis = analyze_note(&corpus, &note, &CheckOptions::default());
        for finding in &analysis.findings {
            assert!(note.is_char_boundary(finding.span.start()), "{note:?}");
            assert!(note.is_char_boundary(finding.span.end()), "{note:?}");
            for fix in &finding.fixes {
                for edit in &fix.edits {
                    assert!(edit.span.end() <= note.len(), "{note:?}");
                }
            }
        }
    }
}

/// The example corpus, loaded as `refnotes check` loads it.
fn example_corpus() -> Corpus {
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/aws-china"));
    let config = refnotes::config::Config::load(&root.join("refnotes.toml")).unwrap();
    let loaded = refnotes::corpus::load::load(&config.corpus, &config.load_options()).unwrap();
    Corpus::from_sources(loaded.sources, config.corpus_options())
}

/// Regression: a sentence's cached results were reused although an earlier
/// sentence had opened an HTML comment or a code span over it.
#[test]
fn the_sentence_cache_sees_what_an_earlier_sentence_opened() {
    use refnotes::check::{analyze_note_cached, NoteCache};
    let corpus = example_corpus();
    let options = CheckOptions::default();
    let plain =
        "The deal closed.\nChinese firms hold roughly 60 percent of cloud services revenue in China. -->\n";
    let fresh = analyze_note(&corpus, plain, &options);
    assert!(
        fresh
            .findings
            .iter()
            .any(|f| f.code == Code::FigureMismatch),
        "{:?}",
        fresh.findings
    );
    // An HTML comment, a code span and a quotation opened in the first
    // sentence and closed at the end of the second.
    for (opener, closer) in [("<!-- ", " -->"), ("`", "`"), ("“", "”")] {
        let mut cache = NoteCache::default();
        let opened = plain
            .replace("closed", &format!("{opener}closed"))
            .replace(" -->", closer);
        for note in [plain, opened.as_str(), plain, opened.as_str()] {
            let cached = analyze_note_cached(&corpus, note, &options, &mut cache);
            assert_eq!(
                cached,
                analyze_note(&corpus, note, &options),
                "after an edit to {note:?}"
            );
        }
    }
}

/// Two companies reporting in the same words, for the claim model: a figure
/// is about a subject, a measure, a period and a role.
fn claims_corpus() -> Corpus {
    let source = |id: &str, text: &str| SourceText {
        id: id.into(),
        path: format!("corpus/{id}.txt").into(),
        title: id.into(),
        text: text.into(),
        ..SourceText::default()
    };
    Corpus::from_sources(
        vec![
            source(
                "acme-results",
                "Acme Tools reports first-half results\n\n\
                 Acme Tools said on Monday that its net profit rose 76% in the first half. \
                 Revenue rose 6.4% to $42 million. Net income was $12.4 million, compared \
                 with $9.1 million a year earlier. Acme's operating margin rose 2.1 points \
                 to 18.5%.\n",
            ),
            source(
                "zenith-results",
                "Zenith Labs posts first-half gains\n\n\
                 Zenith Labs said on Monday that its net profit surged 70% in the first half. \
                 Revenue climbed 5% to $61 million.\n",
            ),
        ],
        CorpusOptions::default(),
    )
}

/// [`assert_findings`] against the claims corpus, for figure mismatches.
fn assert_claim_findings(annotated: &str) {
    let (note, _) = markers::parse(annotated);
    markers::assert_marked(
        annotated,
        found(&claims_corpus(), &note, Some(Code::FigureMismatch)),
    );
}

#[test]
fn a_heading_names_the_subject_of_the_figures_under_it() {
    assert_claim_findings(
        r#"
        # Desk notes

        ## Acme Tools
        - Net profit rose 70%.
                          ^^^ figure-mismatch

        ## Zenith Labs
        - Net profit rose 70%.
        "#,
    );
}

#[test]
fn the_previous_sentence_and_a_parent_item_name_the_subject() {
    assert_claim_findings(
        r#"
        Acme Tools reported on Monday. Its net profit rose 70%.
                                                           ^^^ figure-mismatch

        - Acme Tools
          - net profit rose 70%
                            ^^^ figure-mismatch
        - Zenith Labs
          - net profit rose 70%
        "#,
    );
}

#[test]
fn front_matter_names_the_subject() {
    assert_claim_findings(
        r#"
        ---
        subject: Acme Tools
        ---
        Net profit rose 70%.
                        ^^^ figure-mismatch
        "#,
    );
    let note = "---\nsubject: Zenith Labs\n---\nNet profit rose 70%.\n";
    assert_claim_findings(note);
}

#[test]
fn last_years_figure_stated_as_this_years_is_a_mismatch() {
    assert_claim_findings(
        r#"
        Acme's net income was $9.1 million.
                              ^^^^^^^^^^^^ figure-mismatch
        "#,
    );
    assert_claim_findings("Acme's net income was $9.1 million a year earlier.\n");
    assert_claim_findings("Acme's net income was $12.4 million.\n");
}

#[test]
fn a_change_does_not_support_a_level() {
    let found: Vec<Finding> = check_note(
        &claims_corpus(),
        "Acme's operating margin was 2.1%.\n",
        &CheckOptions::default(),
    )
    .into_iter()
    .filter(|f| f.code == Code::FigureMismatch)
    .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].message.contains("18.5%"), "{}", found[0].message);
    assert_claim_findings("Acme's operating margin rose 2.1 points to 18.5%.\n");
}

#[test]
fn measure_synonyms_meet() {
    assert_claim_findings("Acme's turnover rose to $42 million.\n");
    assert_claim_findings(
        r#"
        Acme's turnover rose to $44 million.
                                ^^^^^^^^^^^ figure-mismatch
        "#,
    );
}

#[test]
fn a_figure_claim_says_how_it_was_read() {
    let analysis = analyze_note(
        &claims_corpus(),
        "## Acme Tools\n- Net income was $9.1 million a year earlier.\n",
        &CheckOptions::default(),
    );
    let reading = analysis
        .claims
        .iter()
        .find_map(|c| match &c.kind {
            ClaimKind::Figure { reading, .. } => Some(reading.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(reading, "about Acme Tools; net profit; earlier; level");
}

#[path = "../benches/common/pathological.rs"]
mod pathological;

/// The bundled example: real prose to build pathological notes from.
fn example_corpus_and_notes() -> (Corpus, String) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/aws-china/corpus");
    let sources = refnotes::corpus::load::load(&[root], &Default::default())
        .expect("the example corpus loads")
        .sources;
    let vocabulary = sources
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    (
        Corpus::from_sources(sources, CorpusOptions::default()),
        vocabulary,
    )
}

/// Inputs that once took seconds to minutes (quadratic in a sentence's
/// length) still give their results; how fast is for `cargo bench --bench
/// pathological` to say.
#[test]
fn pathological_notes_are_checked_to_the_end() {
    let (corpus, vocabulary) = example_corpus_and_notes();
    for case in pathological::notes(&vocabulary) {
        let analysis = analyze_note(&corpus, &case.note, &CheckOptions::default());
        let figures = analysis
            .claims
            .iter()
            .filter(|c| matches!(c.kind, ClaimKind::Figure { .. }))
            .count();
        let expected_figures = match case.name {
            "dollars-1-to-8000" => 8000,
            "range-list" => 5999,
            "percent-run" => 5000,
            _ => 0,
        };
        assert!(
            figures >= expected_figures,
            "{}: {figures} figures",
            case.name
        );
        if case.name.starts_with("sentence") {
            // Every piece of the sentence was read: claims reach its end.
            let last = analysis
                .claims
                .iter()
                .map(|c| c.span.end())
                .max()
                .unwrap_or(0);
            assert!(
                last > case.note.len() * 9 / 10,
                "{}: claims end at {last}",
                case.name
            );
        }
        if case.name == "quote-run" {
            let misquotes = analysis
                .findings
                .iter()
                .filter(|f| f.code == Code::Misquote)
                .count();
            assert_eq!(misquotes, 4000);
        }
        for finding in &analysis.findings {
            assert!(case.note.is_char_boundary(finding.span.start()));
            assert!(case.note.is_char_boundary(finding.span.end()));
        }
    }
}

/// The editor's superseded analyses stop between sentences, and what they
/// finished before stopping still serves the next run.
#[test]
fn a_cancelled_analysis_stops_and_leaves_a_usable_cache() {
    use refnotes::check::{analyze_note_cancellable, NoteCache};
    let corpus = corpus();
    let note = "Marlowe sold Northgate for £90m.\n\nNorthgate carried 1.2 million passengers last year.\n\nMarlowe shares rose 3.4% to 212 pence.\n";
    let options = CheckOptions::default();
    let mut cache = NoteCache::default();
    assert_eq!(
        analyze_note_cancellable(&corpus, note, &options, &mut cache, &|| true),
        None
    );
    let asked = std::cell::Cell::new(0);
    let after_two = || {
        asked.set(asked.get() + 1);
        asked.get() > 2
    };
    assert_eq!(
        analyze_note_cancellable(&corpus, note, &options, &mut cache, &after_two),
        None
    );
    assert_eq!(asked.get(), 3, "asked once before each sentence");
    let resumed = analyze_note_cancellable(&corpus, note, &options, &mut cache, &|| false);
    assert_eq!(resumed, Some(analyze_note(&corpus, note, &options)));
    assert!(!resumed.unwrap().findings.is_empty());
}

/// Found by the quick-fix fuzz target: a range in the note ("25% to 30%")
/// against a single figure in a source was "fixed" by swapping its first
/// number only ("18% to 30%"), which is still wrong.
#[test]
fn the_fix_for_a_misstated_range_replaces_the_whole_range() {
    let corpus = corpus();
    let note = "Castell expects the Northgate deal to lift its annual revenue by 25% to 30%.\n";
    let findings = only(note, Code::FigureMismatch);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let fix = &findings[0].fixes[0];
    assert_eq!(fix.edits[0].span.slice(note), "25% to 30%");
    assert_eq!(fix.edits[0].text, "18 percent");
    let fixed = note.replace("25% to 30%", &fix.edits[0].text);
    assert!(check_note(&corpus, &fixed, &CheckOptions::default())
        .iter()
        .all(|f| f.code != Code::FigureMismatch));
}

/// Found by the cached-vs-fresh fuzz target: a misstated day was "fixed" by
/// scaling its digits like an amount ("Nov. 05" became "Nov. 5.02").
#[test]
fn the_fix_for_a_misstated_date_is_the_sources_date() {
    let note = "Marlowe announced the Northgate sale on March 5, ending a 40-year run.\n";
    let findings = only(note, Code::FigureMismatch);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let edit = &findings[0].fixes[0].edits[0];
    assert_eq!(edit.span.slice(note), "March 5");
    assert_eq!(edit.text, "March 3");
}

/// A source with more figures than `LARGE_DOCUMENT_FIGURES` is read through
/// its term postings: the mismatch a small source shows is found in it too.
#[test]
fn a_figure_in_a_huge_source_is_found_through_its_sentences_words() {
    let fact = "Castell Maritime agreed to acquire Northgate Ferries for £78 million.\n\n";
    let filler: String = (0..5_000)
        .map(|i| {
            format!(
                "Lot {i} of the harbour auction fetched ${} thousand.\n\n",
                i % 90 + 1
            )
        })
        .collect();
    let note = "Castell Maritime agreed to acquire Northgate Ferries for £90 million.\n";
    for text in [fact.to_string(), format!("{filler}{fact}{filler}")] {
        let corpus = Corpus::from_sources(
            vec![SourceText {
                id: "castell".into(),
                path: "corpus/castell.txt".into(),
                title: "castell".into(),
                text,
                ..SourceText::default()
            }],
            CorpusOptions::default(),
        );
        assert_eq!(
            corpus.facts(refnotes::corpus::DocId(0)).is_large(),
            corpus.documents()[0].text.len() > 100_000
        );
        let findings = check_note(&corpus, note, &CheckOptions::default());
        let codes: Vec<Code> = findings.iter().map(|f| f.code).collect();
        assert_eq!(codes, [Code::FigureMismatch], "{findings:?}");
        assert!(
            findings[0].message.contains("£78 million"),
            "{}",
            findings[0].message
        );
    }
}

#[test]
fn a_name_leads_with_what_the_sources_state_about_it() {
    let corpus = claims_corpus();
    let analysis = analyze_note(
        &corpus,
        "Acme Tools is on the list.\n",
        &CheckOptions::default(),
    );
    let name = analysis
        .claims
        .iter()
        .find(|c| matches!(c.kind, ClaimKind::Entity { .. }))
        .expect("a name claim");
    let first = &name.sources[0];
    let text = &corpus.document(first.doc).text;
    // The headline names Acme first, but says nothing of its figures.
    assert!(
        first.sentence.slice(text).contains("76%"),
        "{}",
        first.sentence.slice(text)
    );
}

const HARBOUR: &str = "Harbour notes\n\n\
The harbour master’s view — shared by the unions — is that the Dublin–Holyhead crossing will keep its winter timetable.\n\n\
Crews were told on Monday.\n";

#[test]
fn a_misquote_fix_pastes_the_source_words_at_paragraph_starts_and_ends() {
    let mut sources = sources();
    sources.push(source("harbour-notes", HARBOUR, false));
    let corpus = Corpus::from_sources(sources, CorpusOptions::default());
    let right = "This is the right moment to let a dedicated ferry operator take Northgate forward";
    let london = "Marlowe shares rose 3.4% to 212 pence in London";
    let harbour = "The harbour master’s view — shared by the unions — is that the Dublin–Holyhead crossing will keep its winter timetable";
    for (quote, expected) in [
        // The passage starts a paragraph: its first word changed, a word put
        // before it, a word left out, its last word changed.
        ("That is the right moment to let a dedicated ferry operator take Northgate forward", right),
        ("Indeed this is the right moment to let a dedicated ferry operator take Northgate forward", right),
        ("This is the right moment to let a ferry operator take Northgate forward", right),
        ("This is the right moment to let a dedicated ferry operator take Northgate onward", right),
        // The passage ends a paragraph and the document.
        ("Marlowe shares rose 3.4% to 212 pence in Paris", london),
        ("Marlowe shares rose 3.4% to 212 pence in London today", london),
        ("Marlowe stock rose 3.4% to 212 pence in London", london),
        // Curly apostrophes, dashes and an en dash inside a word pair.
        ("The harbour master's view - shared by the unions - is that the Dublin-Holyhead crossing will keep its summer timetable", harbour),
        ("The harbour master’s view — shared by all the unions — is that the Dublin–Holyhead crossing will keep its winter timetable", harbour),
    ] {
        let note = format!("They said: “{quote}”.\n");
        let found: Vec<Finding> = check_note(&corpus, &note, &CheckOptions::default())
            .into_iter()
            .filter(|f| f.code == Code::Misquote)
            .collect();
        assert_eq!(found.len(), 1, "{quote}");
        let fix = &found[0].fixes[0].edits[0];
        assert_eq!(fix.text, expected, "the fix for “{quote}”");
        assert_eq!(fix.span.slice(&note), quote, "the fix replaces the quotation's words");
        let related = &found[0].related[0];
        assert_eq!(
            related.span.slice(&corpus.document(related.doc).text),
            expected,
            "the related passage of “{quote}”"
        );
    }
}
