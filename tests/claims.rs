//! Claims read the way a reader reads them: who a figure is about when a
//! sentence says "they", when a note names someone the source's clause does
//! not, when names differ only by a number; what measure and period a note's
//! heading lends the figures under it. Each test is a case that a checker
//! reading words rather than claims gets wrong.

use refnotes::check::{check_note, CheckOptions, Code};
use refnotes::corpus::{Corpus, CorpusOptions, SourceText};
use refnotes::text::LineIndex;

fn corpus(sources: &[(&str, &str)]) -> Corpus {
    Corpus::from_sources(
        sources
            .iter()
            .map(|(id, text)| SourceText {
                id: (*id).into(),
                path: format!("corpus/{id}.txt").into(),
                title: (*id).into(),
                text: (*text).into(),
                ..SourceText::default()
            })
            .collect(),
        CorpusOptions::default(),
    )
}

/// Sources built at run time, as the `(id, text)` pairs the helpers take.
fn borrowed(sources: &[(String, String)]) -> Vec<(&str, &str)> {
    sources
        .iter()
        .map(|(id, text)| (id.as_str(), text.as_str()))
        .collect()
}

/// The 1-based lines of `note` that draw a figure mismatch.
fn mismatches(sources: &[(&str, &str)], note: &str) -> Vec<usize> {
    let lines = LineIndex::new(note);
    check_note(&corpus(sources), note, &CheckOptions::default())
        .iter()
        .filter(|f| f.code == Code::FigureMismatch)
        .map(|f| lines.line_of(f.span.start()) + 1)
        .collect()
}

const SEASON: &[(&str, &str)] = &[
    (
        "club-statement",
        "Harrowgate season review\n\n\
         Champions Harrowgate scored 81 league goals and conceded 33. \
         Captain Daniel Okonjo scored 22 league goals.\n",
    ),
    (
        "wire-title-race",
        "Title race wrap\n\n\
         In second place, Kelsing finished on 84 points after leading for much of the winter. \
         They scored 88 goals, more than any other side.\n\n\
         Kelsing striker Mateo Ruiz was the top scorer with 27 goals, five more than Daniel Okonjo.\n",
    ),
];

#[test]
fn a_sentence_opening_with_they_is_about_whom_the_sentence_before_named() {
    let note =
        "# Season\n\n- Harrowgate scored 88 league goals.\n- Harrowgate scored 81 league goals.\n";
    assert_eq!(mismatches(SEASON, note), vec![3]);
}

#[test]
fn a_clause_naming_someone_else_does_not_support_a_named_subject() {
    let note = "# Season\n\n- Okonjo scored 27 league goals.\n- Ruiz scored 27 goals.\n";
    assert_eq!(mismatches(SEASON, note), vec![3]);
}

#[test]
fn names_that_differ_by_a_number_are_different_subjects() {
    let sources = &[(
        "wire",
        "Trial wrap\n\n\
         In the ORCHID-2 trial, patients on brenvatide lost 9.8% of their body weight.\n\n\
         In the earlier ORCHID-1 trial, patients lost 11.2% of their body weight.\n",
    )];
    let note = "## ORCHID-2\n- Patients lost 11.2% of their body weight at 52 weeks.\n";
    assert_eq!(mismatches(sources, note), vec![2]);
}

const STATISTICS: &[(&str, &str)] = &[
    (
        "gdp-release",
        "GDP first quarterly estimate, Castria\n\n\
         Gross domestic product grew by 0.4% in Quarter 2 (Apr to June) 2026, revised up from \
         the first estimate of 0.3% growth. GDP growth in Quarter 1 (Jan to Mar) 2026 has been \
         revised down to 0.5%.\n\n\
         In output terms, production output fell by 0.2%. Manufacturing, the largest part of \
         production, fell by 0.6%.\n",
    ),
    (
        "wire-rates",
        "Rates decision\n\nThe Bank of Castria held its main rate at 4.25% on Thursday.\n",
    ),
];

#[test]
fn a_heading_lends_its_measure_and_period_to_figures_that_name_none() {
    let note = "# Castria notes\n\n## GDP (second quarter)\n\
                - Q1 growth is now put at 0.6%.\n\
                - Q2 growth was revised up to 0.4% from 0.3%.\n";
    assert_eq!(mismatches(STATISTICS, note), vec![4]);
}

#[test]
fn a_place_is_not_the_bank_named_after_it() {
    // The note's title names Castria, which the statistics release names too;
    // reading it as the Bank of Castria would rule the release out.
    let corpus = corpus(STATISTICS);
    let bank = corpus.entity_named("Bank of Castria");
    assert!(bank.is_some());
    assert_ne!(corpus.entity_named("Castria"), bank);
}

const CALL: &[(&str, &str)] = &[(
    "northwind-call",
    "Northwind Foods fourth-quarter call\n\n\
     Northwind Foods posted revenue of $2.1 billion in the fourth quarter. \
     Severance costs were $85 million in the quarter, mostly for closing the Dunmore bakery, \
     and we expect about $30 million more in the first half of 2026.\n",
)];

#[test]
fn a_later_clause_with_its_own_figure_keeps_its_period_and_names_to_itself() {
    let note = "# Northwind Foods, fourth quarter\n\n- Severance costs were $95 million in the quarter.\n- Severance costs were $85 million in the quarter.\n";
    assert_eq!(mismatches(CALL, note), vec![3]);
}

#[test]
fn a_measure_named_once_is_the_context_of_every_figure_it_measures() {
    let sources = &[(
        "brenmoor-results",
        "Brenmoor Foods results\n\n\
         Brenmoor Foods reported adjusted earnings per share of $1.42 for the fourth quarter, \
         compared with $1.25 a year earlier. Revenue rose 4% to $880 million.\n",
    )];
    let note = "# Brenmoor Foods, fourth quarter\n\n- Adjusted EPS $1.42, against $1.52 a year earlier.\n- Adjusted EPS $1.42, against $1.25 a year earlier.\n";
    assert_eq!(mismatches(sources, note), vec![3]);
}

const KELLAM: &[(&str, &str)] = &[
    (
        "kellam-release",
        "Kellam Group results\n\nKellam Group published its results on Tuesday.\n\n\
         - Fourth-quarter revenue fell 2% to $2.2 billion; organic revenue fell 5%.\n\
         - Marine revenue fell 3% to $0.9 billion.\n\
         - Full-year revenue was $8.1 billion, up 5% from $7.7 billion in 2024.\n",
    ),
    (
        "kellam-call",
        "Kellam Group call\n\nThe Marine division had a weak quarter: orders fell 9% in the \
         fourth quarter as shipyards delayed contracts.\n",
    ),
];

#[test]
fn a_subject_both_sentences_name_outweighs_support_that_names_none() {
    let note = "# Kellam Group, fourth quarter\n\n- Marine orders fell 5% in the fourth quarter.\n- Marine orders fell 9% in the fourth quarter.\n";
    assert_eq!(mismatches(KELLAM, note), vec![3]);
}

#[test]
fn a_year_earlier_is_not_the_year_of_the_heading_and_the_heading_year_is_a_label() {
    let note = "# Kellam Group, full year 2025\n\n- Revenue $8.1bn, up 5% from $7.9bn.\n- Revenue $8.1bn, up 5% from $7.7bn.\n";
    assert_eq!(mismatches(KELLAM, note), vec![3]);
}

#[test]
fn a_year_earlier_in_both_is_the_same_period() {
    let sources = &[
        (
            "velmar-cpi",
            "Consumer price inflation, Velmar: May 2026\n\n\
             The Consumer Prices Index (CPI) rose by 2.8% in the 12 months to May 2026, down \
             from 3.0% in April. A year earlier, in May 2025, the CPI annual rate was 1.9%.\n",
        ),
        (
            "kestrel-port",
            "Harbour works\n\nThe Kestrel Port authority said dredging the outer channel \
             would cost $40 million, and that inflation in building costs ran at 6% last year.\n",
        ),
    ];
    let note = "# Velmar inflation (May)\n\n- A year earlier CPI inflation stood at 2.1%.\n- A year earlier CPI inflation stood at 1.9%.\n";
    assert_eq!(mismatches(sources, note), vec![3]);
}

#[test]
fn holding_a_share_of_something_is_a_stake_not_any_proportion() {
    let sources = &[
        (
            "kestrel-wire",
            "Kestrel Basin partners\n\nNorcap runs Kestrel Basin with a 55% stake. \
             Vantor Resources holds 30% and Elm Petro the remaining 15%.\n",
        ),
        (
            "norcap-outlook",
            "Norcap outlook\n\nNorcap expects Kestrel Basin to lift its output by about a \
             third, to 400,000 barrels a day in 2028.\n",
        ),
    ];
    let note = "# Kestrel Basin\n\n- Vantor Resources holds 35% of Kestrel Basin.\n- Vantor Resources holds 30% of Kestrel Basin.\n";
    assert_eq!(mismatches(sources, note), vec![3]);
}

#[test]
fn a_number_written_less_precisely_than_the_note_does_not_support_it() {
    let trial: &[(&str, &str)] = &[(
        "trial-results",
        "Trial results\n\n\
         Over a median follow-up of 26 months (interquartile range, 19 to 33), serious adverse \
         events were reported in 28.3% of patients receiving the drug and 31.0% of patients \
         receiving placebo.\n",
    )];
    let note = "# Trial\n\n- Serious adverse events: 28.3% on the drug, 33.0% on placebo.\n- Serious adverse events: 28.3% on the drug, 31.0% on placebo.\n";
    assert_eq!(mismatches(trial, note), vec![3]);
}

#[test]
fn a_fall_is_not_supported_by_a_rise_of_the_same_amount() {
    let shares: &[(&str, &str)] = &[(
        "market-report",
        "Market report\n\n\
         Harlow Mining shares rose 8% on Monday after the company raised its copper forecast. \
         On Tuesday Harlow Mining shares fell 6% as copper prices slipped.\n",
    )];
    let note = "# Harlow\n\n- Harlow Mining shares fell 8% on Tuesday.\n- Harlow Mining shares fell 6% on Tuesday.\n";
    assert_eq!(mismatches(shares, note), vec![3]);
}

#[test]
fn a_rival_named_after_a_descriptor_is_the_subject_of_its_figures() {
    let results: &[(&str, &str)] = &[
        (
            "vessel-results",
            "Vessel Labs fourth quarter\n\n\
             Vessel Labs said revenue rose 6% in the fourth quarter. Instruments revenue was \
             $1.52 billion in the quarter, up 11%.\n",
        ),
        (
            "wire-peers",
            "Peers report\n\n\
             Rival Ostrava Instruments last week reported fourth-quarter revenue of $2.96 \
             billion, with instruments revenue of $1.21 billion, up 9%.\n",
        ),
    ];
    let note = "# Vessel Labs\n\n- Ostrava instruments revenue: $1.52bn.\n- Ostrava instruments revenue: $1.21bn.\n";
    assert_eq!(mismatches(results, note), vec![3]);
}

#[test]
fn a_level_after_a_change_from_a_year_earlier_is_this_periods() {
    let trade: &[(&str, &str)] = &[(
        "trade-report",
        "Trade report\n\n\
         Elsewhere, Tessaly's grain exports rose 4% from a year earlier to 11.2 million tonnes in \
         September, while its fruit exports climbed 8% to 42 million tonnes.\n",
    )];
    let note = "# Trade\n\n- Tessaly's September fruit exports were 24 million tonnes.\n- Tessaly's September fruit exports were 42 million tonnes.\n";
    assert_eq!(mismatches(trade, note), vec![3]);
}

#[test]
fn a_result_at_another_time_point_does_not_support_the_notes() {
    let trial: &[(&str, &str)] = &[
        (
            "trial-release",
            "Trial release\n\n\
             Patients treated with velotide lost a mean of 9.8% of their body weight at 52 weeks, \
             compared with 1.3% for placebo.\n",
        ),
        (
            "earlier-study",
            "Earlier study\n\n\
             In last year's smaller study, patients on velotide lost 11.2% of their body weight \
             over 40 weeks.\n",
        ),
    ];
    let note = "# Velotide\n\n- Patients on velotide lost 11.2% of their body weight at 52 weeks.\n- Patients on velotide lost 9.8% of their body weight at 52 weeks.\n";
    assert_eq!(mismatches(trial, note), vec![3]);
}

#[test]
fn a_coarser_amount_about_something_else_does_not_support_a_precise_one() {
    let trial: &[(&str, &str)] = &[
        (
            "trial-release",
            "Trial release\n\n\
             Patients treated with velotide lost a mean of 9.8% of their body weight, compared \
             with 1.3% for placebo.\n",
        ),
        (
            "outcomes",
            "Outcomes\n\n\
             Among patients on velotide, weight-related hospital stays were reduced by 11%, a difference that was not \
             significant.\n",
        ),
    ];
    let note = "# Velotide\n\n- Patients on velotide lost 11.2% of their body weight.\n- Patients on velotide lost 9.8% of their body weight.\n";
    assert_eq!(mismatches(trial, note), vec![3]);
}

#[test]
fn a_year_is_the_one_whose_clause_names_the_notes_event() {
    let field: &[(&str, &str)] = &[(
        "field-release",
        "Field release\n\n\
         Drilling at the Varnes field will continue through 2026 and output is expected to \
         reach its peak of 90,000 barrels a day in 2028.\n",
    )];
    let note = "# Varnes\n\n- Varnes output should reach its peak in 2026.\n- Drilling at Varnes continues through 2026.\n- Varnes output should reach its peak in 2028.\n";
    assert_eq!(mismatches(field, note), vec![3]);
}

const READOUT: &[(&str, &str)] = &[
    (
        "wire-readout",
        "Trial readout\n\n\
         Velmara Bio's weekly shot cut the risk of hospitalisation for heart failure by 32% \
         and lowered the risk of the trial's main composite goal by 24% in 3,900 patients.\n",
    ),
    (
        "session-transcript",
        "Session transcript\n\n\
         Velmara Bio's chief medical officer presented the trial's results. In the run-in phase, troponin, a marker of the heart's strain and of its risk, fell 18% from baseline before the first shot.\n",
    ),
];

#[test]
fn an_equal_round_value_in_an_unrelated_sentence_does_not_outweigh_the_subjects_own_figure() {
    let note = "# Velmara Bio\n\n- The shot lowered the risk of the main composite goal by 18%.\n- The shot lowered the risk of the main composite goal by 24%.\n";
    assert_eq!(mismatches(READOUT, note), vec![3]);
}

#[test]
fn a_mismatch_names_the_figure_whose_clause_states_the_notes_fact() {
    let note = "# Velmara Bio\n\n- The shot lowered the risk of the main composite goal by 18%.\n";
    let findings = check_note(&corpus(READOUT), note, &CheckOptions::default());
    let mismatch = findings
        .iter()
        .find(|f| f.code == Code::FigureMismatch)
        .expect("the 18% is contradicted");
    assert!(
        mismatch.message.contains("sources say 24%"),
        "{}",
        mismatch.message
    );
    // The other clause's 32% is about another end point: it is not listed,
    // nor offered as a place to go.
    assert!(!mismatch.message.contains("32%"), "{}", mismatch.message);
    assert_eq!(mismatch.related.len(), 1, "{:?}", mismatch.related);
}

#[test]
fn a_date_is_tied_to_its_event_by_the_noun_both_name() {
    // The note's other words ("welders", "Gdansk") are in the corpus but not
    // in the source's sentence, so the words alone say little; "purchase" on
    // both sides says the date is the signing's.
    let mut sources: Vec<(String, String)> = vec![
        (
            "filing".into(),
            "Deal filing\n\nVarnholt Logistics is selling its freight arm to Osterby Freight. \
             The company said the purchase was signed on March 3.\n"
                .into(),
        ),
        (
            "port".into(),
            "Port news\n\nShipyards in Gdansk and Rotterdam hired welders and riveters.\n".into(),
        ),
    ];
    for i in 0..30 {
        sources.push((
            format!("filler-{i}"),
            format!(
                "Filler {i}\n\nThe firms signed an agreement on the sale of stores after a \
                 purchase offer, the company said on Monday.\n"
            ),
        ));
    }
    let sources = borrowed(&sources);
    let note = "# Varnholt Logistics\n\n- Varnholt and Osterby signed the purchase agreement with welders and riveters in Gdansk on March 9.\n";
    assert_eq!(mismatches(&sources, note), vec![3]);
}

#[test]
fn a_sentence_opening_plain_word_is_not_the_longer_name_it_ends() {
    // "Markets" opens the note's sentence; the corpus knows "Halden Capital
    // Markets" as a name but uses "markets" as a plain word far more often.
    let mut sources: Vec<(String, String)> = vec![(
        "wire-rates".into(),
        "Rates wire\n\nThe Bank of Castria held its rate at 4.25%. Financial markets now \
         price a cut to 4.00% by December.\n"
            .into(),
    )];
    for i in 0..12 {
        sources.push((
            format!("broker-{i}"),
            format!(
                "Broker note {i}\n\nHalden Capital Markets said emerging markets and bond \
                 markets were calm on day {i}.\n"
            ),
        ));
        sources.push((
            format!("markets-{i}"),
            format!(
                "Markets wrap {i}\n\nStock markets rose on day {i} as bond markets steadied.\n"
            ),
        ));
    }
    let sources = borrowed(&sources);
    let note = "# Rates\n\n- Markets price a cut to 4.00% by December.\n- Markets price a cut to 3.50% by December.\n";
    assert_eq!(mismatches(&sources, note), vec![4]);
}
