use super::*;
use crate::extract;

/// The frames of the figures of a one-sentence text.
fn frames_of(text: &str) -> Vec<(String, Frame)> {
    let analysis = extract::analyze(text, false, false);
    let sentence = analysis.sentences[0];
    let figures: Vec<&Figure> = analysis.figures.iter().map(|(f, _)| f).collect();
    let names: Vec<Span> = analysis.names.iter().map(|(n, _)| n.span).collect();
    let keys: Vec<String> = analysis.names.iter().map(|(n, _)| n.key.clone()).collect();
    KEYS.with(|k| *k.borrow_mut() = keys);
    frames(text, sentence, &figures, &names)
        .into_iter()
        .zip(&figures)
        .map(|(frame, f)| (f.span.slice(text).to_string(), frame))
        .collect()
}

thread_local! {
    static KEYS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn clause_subject(frame: &Frame) -> String {
    KEYS.with(|k| k.borrow()[frame.clause_subjects[0]].clone())
}

fn heads(frame: &Frame) -> Vec<&str> {
    frame.measures.iter().map(|m| m.head).collect()
}

#[test]
fn change_and_level_in_one_clause() {
    let f = frames_of("Revenue rose 6.4% to $42bn in the quarter.");
    assert_eq!(f[0].1.role, Role::Change);
    assert_eq!(f[1].1.role, Role::Level);
    assert_eq!(heads(&f[0].1), ["revenue"]);
    assert_eq!(heads(&f[1].1), ["revenue"]);
}

#[test]
fn from_is_an_earlier_level() {
    let f = frames_of("Adjusted EPS was $1.21, up from 98 cents.");
    assert_eq!(f[0].1.role, Role::Level);
    assert_eq!(f[1].1.role, Role::From);
    assert_eq!(f[1].1.period.relative, Some(Relative::Earlier));
    assert_eq!(heads(&f[1].1), ["eps"]);
    assert_eq!(f[0].1.measures[0].modifier_names(), ["adjusted"]);
}

#[test]
fn each_clause_has_its_own_measure_and_subject() {
    let f = frames_of("Acme's revenue rose 5% while Zenith's profit fell 3%.");
    assert_eq!(heads(&f[0].1), ["revenue"]);
    assert_eq!(heads(&f[1].1), ["profit"]);
    assert_eq!(clause_subject(&f[0].1), "acme");
    assert_eq!(clause_subject(&f[1].1), "zenith");
    let f = frames_of("Lindqvist said Halvard's sales rose 5%.");
    assert_eq!(f[0].1.clause_subjects.len(), 1);
    assert_eq!(clause_subject(&f[0].1), "halvard");
}

#[test]
fn periods_per_clause() {
    let f =
        frames_of("The bank expects growth of 1.9% this year and 2.6% in each of the next two.");
    assert_eq!(f[0].1.period.relative, Some(Relative::Current));
    assert_eq!(f[1].1.period.relative, Some(Relative::Later));
    assert!(!f[0].1.period.compatible(&f[1].1.period));
    assert_eq!(f[0].1.role, Role::Change);
}

#[test]
fn quarter_labels_and_a_year_earlier() {
    let f = frames_of("Q2 2020 sales were $4.1 billion, against $3.9 billion a year earlier.");
    // The year is a figure too: figures are 2020, $4.1 billion, $3.9 billion.
    assert_eq!(f[1].1.period.part, Some(PeriodPart::Q2));
    assert_eq!(f[1].1.period.year, Some(2020));
    assert_eq!(f[1].1.period.relative, None);
    assert_eq!(f[2].1.period.relative, Some(Relative::Earlier));
    let f = frames_of("Orders fell 8% in the fourth quarter and 5% for the year.");
    assert_eq!(f[0].1.period.part, Some(PeriodPart::Q4));
    assert_eq!(f[1].1.period.part, Some(PeriodPart::FullYear));
    let f = frames_of("Fourth-quarter profit was $2 million.");
    assert_eq!(f[0].1.period.part, Some(PeriodPart::Q4));
    let f = frames_of("In the fourth quarter profit was $2 million.");
    assert_eq!(f[0].1.period.part, Some(PeriodPart::Q4));
    let f = frames_of("GDP grew by 0.4% in Quarter 2 (Apr to June) 2026.");
    let growth = f.iter().find(|(w, _)| w == "0.4%").expect("0.4% read");
    assert_eq!(growth.1.period.part, Some(PeriodPart::Q2));
    assert_eq!(growth.1.period.year, Some(2026));
}

#[test]
fn a_unit_in_capitals_is_not_a_subject_and_a_later_year_dates_its_own_clause() {
    let f = frames_of("It will reach 1.2 GW and the first 480MW by 2028.");
    assert!(f.len() >= 2);
    assert!(f.iter().all(|(_, frame)| frame.clause_subjects.is_empty()));
    let f = frames_of("Adjusted EPS was $7.92, up 11% from $7.15 in 2024.");
    let level = f.iter().find(|(w, _)| w == "$7.92").expect("$7.92 read");
    assert_eq!(level.1.period.year, None);
    let earlier = f.iter().find(|(w, _)| w == "$7.15").expect("$7.15 read");
    assert_eq!(earlier.1.period.year, Some(2024));
}

#[test]
fn how_a_price_is_paid_is_not_its_measure() {
    let f = frames_of("Harbor Lane will buy Millbrook for $410 million in cash.");
    assert!(heads(&f[0].1).is_empty(), "{:?}", heads(&f[0].1));
}

#[test]
fn modifiers_keep_measures_apart() {
    let f = frames_of("Organic sales grew 5.1% and net sales rose 6.8%.");
    let (organic, net) = (f[0].1.measures[0], f[1].1.measures[0]);
    assert_eq!(organic.modifier_names(), ["organic"]);
    assert!(!organic.compatible(net));
    let plain = frames_of("Sales grew 5.1%.")[0].1.measures[0];
    assert!(organic.compatible(plain));
    let diluted_gaap = frames_of("Diluted GAAP EPS was $0.84.")[0].1.measures[0];
    let diluted = frames_of("Diluted EPS was $0.48.")[0].1.measures[0];
    let adjusted = frames_of("Non-GAAP EPS was $1.21.")[0].1.measures[0];
    assert!(diluted_gaap.compatible(diluted));
    assert!(!diluted_gaap.compatible(adjusted));
    let f = frames_of("Gross margin rose to 34.6%.");
    assert_eq!(f[0].1.measures[0].modifier_names(), ["gross"]);
}

#[test]
fn reported_is_a_basis_only_where_it_cannot_be_a_verb() {
    let names = |text: &str| frames_of(text)[0].1.measures[0].modifier_names();
    assert_eq!(
        names("Brenmoor reported adjusted earnings per share of $1.42."),
        ["adjusted"]
    );
    assert!(names("Brenmoor reported EPS of $1.42.").is_empty());
    assert_eq!(
        names("On a reported basis, EPS was $1.31."),
        Vec::<&str>::new()
    );
    assert_eq!(names("The reported EPS was $1.31."), ["gaap"]);
}

#[test]
fn a_table_cell_is_measured_by_its_header_and_dated_by_the_caption() {
    let text = "**Segment results, fourth quarter 2025**\n\n\
                | Segment | Revenue | Change | Segment margin |\n\
                |---|---|---|---|\n\
                | Energy | $1.09 billion | down 3% | 14.1% |\n";
    let analysis = extract::analyze(text, true, false);
    let row = analysis.sentences.len() - 1;
    let figures: Vec<&Figure> = analysis
        .figures
        .iter()
        .filter(|(_, s)| *s as usize == row)
        .map(|(f, _)| f)
        .collect();
    let frames = frames(text, analysis.sentences[row], &figures, &[]);
    let heads: Vec<Vec<&str>> = frames
        .iter()
        .map(|f| f.measures.iter().map(|m| m.head).collect())
        .collect();
    assert_eq!(heads, [vec!["revenue"], vec![], vec!["margin"]]);
    assert_eq!(frames[2].period.part, Some(PeriodPart::Q4));
    assert_eq!(frames[2].period.year, Some(2025));
    assert_eq!(frames[1].role, Role::Change);
}

#[test]
fn an_improvement_by_a_mean_is_a_change() {
    let f = frames_of("The score improved by a mean of 8.6 points with the drug.");
    assert_eq!(f[0].1.role, Role::Change);
}

#[test]
fn capitalised_vocabulary_is_not_a_subject() {
    assert!(is_vocabulary("GAAP EPS"));
    assert!(is_vocabulary("Q3"));
    assert!(!is_vocabulary("Halvard Foods"));
}

#[test]
fn measure_words_are_sorted_for_lookup() {
    assert!(MEASURE_WORDS.windows(2).all(|w| w[0].0 < w[1].0));
}

#[test]
fn change_nouns_after_the_figure() {
    let f = frames_of("Halvard reported a 6% rise in sales.");
    assert_eq!(f[0].1.role, Role::Change);
    let f = frames_of("Halvard holds a 6% stake in Nordvik.");
    assert_eq!(f[0].1.role, Role::Level);
    assert_eq!(heads(&f[0].1), ["stake"]);
}

#[test]
fn a_figure_with_a_word_of_its_own_only_assumes_the_measure_it_borrows() {
    let f = frames_of("Services inflation was 4.9%, food 2.7%.");
    assert_eq!(heads(&f[1].1), ["inflation"]);
    assert!(f[1].1.measure_assumed);
    let f = frames_of("Adjusted EPS was $2.14, against $1.78 a year earlier.");
    assert_eq!(heads(&f[1].1), ["eps"]);
    assert!(!f[1].1.measure_assumed);
    assert!(f[1].1.measure_named_at.is_some());
}

#[test]
fn a_change_goes_the_way_its_nearest_change_word_says() {
    let f =
        frames_of("Revenue rose 6.4% to $42bn, while costs fell 3% and margins improved 2 points.");
    assert_eq!(f[0].1.direction, Some(Direction::Up));
    assert_eq!(f[1].1.direction, None, "a level has no direction");
    assert_eq!(f[2].1.direction, Some(Direction::Down));
    assert_eq!(f[3].1.direction, None, "improved says no sign");
    let f = frames_of("It posted a 5% decline in orders after a 2% gain.");
    assert_eq!(f[0].1.direction, Some(Direction::Down));
    assert_eq!(f[1].1.direction, Some(Direction::Up));
    // "lost" is a fall: shares that lost 8% did not rise 8%.
    let f = frames_of("The stock had lost 14% this year before it gained 11.4% on Monday.");
    assert_eq!(f[0].1.role, Role::Change);
    assert_eq!(f[0].1.direction, Some(Direction::Down));
    assert_eq!(f[1].1.direction, Some(Direction::Up));
}

#[test]
fn a_change_measured_from_a_year_earlier_dates_none_of_the_sentence() {
    let text = "Tessaly's grain exports rose 4% from a year earlier to 11.2 million tonnes, \
                while its fruit exports climbed 8% to 42 million crates.";
    let f = frames_of(text);
    assert!(
        f.iter().all(|(_, frame)| frame.period.relative.is_none()),
        "{f:?}"
    );
    // With a figure of its own between, the earlier period is that figure's.
    let f =
        frames_of("Exports were 11.2 million tonnes, against 9.8 million tonnes a year earlier.");
    assert_eq!(f[0].1.period.relative, None);
    assert_eq!(f[1].1.period.relative, Some(Relative::Earlier));
}

#[test]
fn frames_read_back_from_the_index_are_the_same_and_unknown_measures_are_refused() {
    let text = "Acme's adjusted revenue rose 5% to $4.6bn in 2023, and net profit fell 2%.";
    for (_, frame) in frames_of(text) {
        let bytes = postcard::to_allocvec(&frame).unwrap();
        assert_eq!(postcard::from_bytes::<Frame>(&bytes).unwrap(), frame);
        for measure in &frame.measures {
            let back: Measure =
                postcard::from_bytes(&postcard::to_allocvec(measure).unwrap()).unwrap();
            assert_eq!(back, *measure);
        }
    }
    let unknown = serde_json::json!({ "head": "vibes", "modifiers": 0 });
    assert!(serde_json::from_value::<Measure>(unknown).is_err());
}

#[test]
fn a_result_at_one_time_point_is_not_the_result_at_another() {
    let horizon = |text: &str, figure: &str| {
        let frames = frames_of(text);
        let (_, frame) = frames.into_iter().find(|(f, _)| f == figure).expect(figure);
        frame.period
    };
    let over_40 = horizon(
        "Patients on the drug lost 11.2% of their weight over 40 weeks, against 1.3% on placebo.",
        "11.2%",
    );
    assert_eq!(over_40.horizon_days, Some(280));
    let placebo = horizon(
        "Patients on the drug lost 11.2% of their weight over 40 weeks, against 1.3% on placebo.",
        "1.3%",
    );
    assert_eq!(placebo.horizon_days, None, "another clause's span");
    let at_52 = horizon(
        "Patients on the drug lost 9.8% of their weight at 52 weeks.",
        "9.8%",
    );
    assert_eq!(at_52.horizon_days, Some(364));
    assert!(!over_40.compatible(&at_52));
    let in_12_months = horizon("They lost 9.8% in 12 months.", "9.8%");
    assert!(at_52.compatible(&in_12_months));
}

#[test]
fn a_relative_period_after_a_clause_break_is_the_next_figures() {
    let f = frames_of(
        "Regular earnings were £612 a week and total earnings £655; a year earlier, they stood at £590.",
    );
    assert_eq!(f[1].1.period.relative, None, "{:?}", f[1]);
    assert_eq!(f[2].1.period.relative, Some(Relative::Earlier));
    // A comma may only part a list: last year is still this figure's.
    let g = frames_of("It sold $880 million of milk, cheese and yoghurt last year.");
    assert_eq!(g[0].1.period.relative, Some(Relative::Earlier));
}

#[test]
fn a_source_clause_ends_at_the_strongest_break_between_two_figures() {
    fn clause_after(text: &str, first: &str, second: &str) -> String {
        let at = |s: &str| {
            let start = text.find(s).unwrap();
            Span::new(start, start + s.len())
        };
        let split = strongest_split_between(text, at(first), at(second)).unwrap();
        text[split..].to_string()
    }
    let revenue = "Total revenue was $1.84 billion, up 14% year over year; subscription revenue was $1.62 billion, up 17%.";
    assert!(clause_after(revenue, "14%", "17%").starts_with("subscription revenue"));
    let output = "Output will ramp up through 2026 and reach a plateau, the company said, in 2027.";
    assert!(clause_after(output, "2026", "2027").starts_with("reach a plateau"));
}

#[test]
fn a_change_named_as_the_subject_of_was_is_a_change_past_an_aside() {
    let f = frames_of(
        "Annual growth in employees' regular earnings (excluding bonuses) was 4.6% in June, \
         and growth in total earnings (including bonuses) was 4.1%.",
    );
    assert_eq!(f[0].0, "4.6%");
    assert_eq!(f[0].1.role, Role::Change);
    assert_eq!(f[2].0, "4.1%");
    assert_eq!(f[2].1.role, Role::Change);
    let f = frames_of("Total earnings in the region (including bonuses) were $4.1bn.");
    assert_eq!(f[0].1.role, Role::Level);
}

#[test]
fn change_nouns_are_change_words_after_a_figure_too() {
    for noun in CHANGE_NOUNS {
        assert!(CHANGE_AFTER.contains(noun), "{noun}");
    }
}
