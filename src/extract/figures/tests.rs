//! Tests for the figure extractor: tricky prose, traps that must not be
//! figures, spans, the seed and eval corpora, and unicode safety.

use super::*;
use crate::extract::DateParts;

/// One figure in a compact, reviewable form:
/// `text|kind|value|unit|qualifier` then `|per=..`, `|eq=text:value unit`
/// and `|low..high` when the bounds are not the plain ones.
fn brief(text: &str, f: &Figure) -> String {
    let kind = format!("{:?}", f.kind).to_lowercase();
    let qualifier = format!("{:?}", f.qualifier).to_lowercase();
    let mut s = format!(
        "{}|{}|{}|{}|{}",
        f.span.slice(text),
        kind,
        f.value,
        f.unit,
        qualifier
    );
    if let Some(per) = &f.per {
        s.push_str(&format!("|per={per}"));
    }
    if let Some(eq) = &f.equivalent {
        s.push_str(&format!(
            "|eq={}:{} {}:{:?}",
            eq.span.slice(text),
            eq.value,
            eq.unit,
            eq.qualifier
        ));
    }
    if f.qualifier == Qualifier::Range {
        s.push_str(&format!(
            "|{}..{}",
            f.low.unwrap_or(f64::NAN),
            f.high.unwrap_or(f64::NAN)
        ));
    }
    s
}

fn briefs(text: &str) -> Vec<String> {
    find(text).iter().map(|f| brief(text, f)).collect()
}

#[track_caller]
fn check(text: &str, expected: &[&str]) {
    let got = briefs(text);
    assert_eq!(got, expected, "\ntext: {text}");
}

#[test]
fn money_with_currency_and_scale() {
    check(
        "It paid $300 million, US$300m, $1.13bn and $4.62 billion.",
        &[
            "$300 million|money|300000000|USD|exact",
            "US$300m|money|300000000|USD|exact",
            "$1.13bn|money|1130000000|USD|exact",
            "$4.62 billion|money|4620000000|USD|exact",
        ],
    );
    check(
        "Deals: £75m, €1.1 billion, RMB 2 billion, Rmb2bn and HK$5bn.",
        &[
            "£75m|money|75000000|GBP|exact",
            "€1.1 billion|money|1100000000|EUR|exact",
            "RMB 2 billion|money|2000000000|CNY|exact",
            "Rmb2bn|money|2000000000|CNY|exact",
            "HK$5bn|money|5000000000|HKD|exact",
        ],
    );
    check(
        "They paid 2 billion yuan, 300 million dollars, 5 million euros and 10 million pounds.",
        &[
            "2 billion yuan|money|2000000000|CNY|exact",
            "300 million dollars|money|300000000|USD|exact",
            "5 million euros|money|5000000|EUR|exact",
            "10 million pounds|money|10000000|GBP|exact",
        ],
    );
    check(
        "Shares closed at $61.15, up from $0.62; he owes $190,000 and A$2.5 million.",
        &[
            "$61.15|money|61.15|USD|exact",
            "$0.62|money|0.62|USD|exact",
            "$190,000|money|190000|USD|exact",
            "A$2.5 million|money|2500000|AUD|exact",
        ],
    );
    check(
        "a billion dollars, two million euros, 5 million Hong Kong dollars, 3 million U.S. dollars",
        &[
            "a billion dollars|money|1000000000|USD|exact",
            "two million euros|money|2000000|EUR|exact",
            "5 million Hong Kong dollars|money|5000000|HKD|exact",
            "3 million U.S. dollars|money|3000000|USD|exact",
        ],
    );
}

#[test]
fn yen_sign_depends_on_context() {
    check(
        "Sony earned ¥5 billion.",
        &["¥5 billion|money|5000000000|JPY|exact"],
    );
    check(
        "The Chinese firm paid ¥5 billion.",
        &["¥5 billion|money|5000000000|CNY|exact"],
    );
}

#[test]
fn pounds_of_weight_are_not_money() {
    check(
        "He bought 10 pounds of flour.",
        &["10 pounds|quantity|10|pound|exact"],
    );
    check(
        "The London club paid 10 pounds sterling.",
        &["10 pounds sterling|money|10|GBP|exact"],
    );
}

#[test]
fn cents_and_per_unit() {
    check(
        "It declared a dividend of 52 cents per share and earned $1.37 a share.",
        &[
            "52 cents per share|money|0.52|USD|exact|per=share",
            "$1.37 a share|money|1.37|USD|exact|per=share",
        ],
    );
    check(
        "Oil was $70 a barrel and output 500,000 barrels a day.",
        &[
            "$70 a barrel|money|70|USD|exact|per=barrel",
            "500,000 barrels a day|quantity|500000|barrel|exact|per=day",
        ],
    );
    check(
        "Sales were $4.33 billion a year earlier.",
        &["$4.33 billion|money|4330000000|USD|exact"],
    );
}

#[test]
fn equivalents_in_brackets() {
    let text = "Sinnet would buy the unit for up to 2 billion yuan ($301.2 million), it said.";
    check(
        text,
        &["2 billion yuan ($301.2 million)|money|2000000000|CNY|atmost|eq=$301.2 million:301200000 USD:AtMost"],
    );
    let figures = find(text);
    let f = &figures[0];
    assert_eq!(f.high, Some(2e9));
    assert_eq!(f.low, None);
    let eq = f.equivalent.as_ref().unwrap();
    assert_eq!(eq.high, Some(301.2e6));
    assert_eq!(eq.step, 1e5);
    check(
        "for €1.1 billion ($1.28 billion) on August 4 and £75m ($141m).",
        &[
            "€1.1 billion ($1.28 billion)|money|1100000000|EUR|exact|eq=$1.28 billion:1280000000 USD:Exact",
            "August 4|date|804||exact",
            "£75m ($141m)|money|75000000|GBP|exact|eq=$141m:141000000 USD:Exact",
        ],
    );
    check(
        "It cost 2 billion yuan (about $300 million).",
        &["2 billion yuan (about $300 million)|money|2000000000|CNY|exact|eq=$300 million:300000000 USD:About"],
    );
    check(
        "It cost €1.1 billion, or about $1.3 billion, in cash.",
        &["€1.1 billion, or about $1.3 billion|money|1100000000|EUR|exact|eq=$1.3 billion:1300000000 USD:About"],
    );
    // Without "or" the second amount is its own figure.
    check(
        "Brightwater cost €1.1 billion, about $1.3 billion.",
        &[
            "€1.1 billion|money|1100000000|EUR|exact",
            "$1.3 billion|money|1300000000|USD|about",
        ],
    );
    // Same currency in brackets is not an equivalent.
    check(
        "Revenue was $5 million ($3 million in Q3).",
        &[
            "$5 million|money|5000000|USD|exact",
            "$3 million|money|3000000|USD|exact",
        ],
    );
}

#[test]
fn percentages() {
    check(
        "Roughly 80 percent, 80%, 80 per cent, 6.8% and up 6.8% and -3% and minus 2%.",
        &[
            "80 percent|percent|80|%|about",
            "80%|percent|80|%|exact",
            "80 per cent|percent|80|%|exact",
            "6.8%|percent|6.8|%|exact",
            "6.8%|percent|6.8|%|exact",
            "-3%|percent|-3|%|exact",
            "2%|percent|-2|%|exact",
        ],
    );
    check(
        "Margin rose 2.8 percentage points, then 140 basis points, 140 bps and 140bp.",
        &[
            "2.8 percentage points|percent|2.8|pp|exact",
            "140 basis points|percent|140|bp|exact",
            "140 bps|percent|140|bp|exact",
            "140bp|percent|140|bp|exact",
        ],
    );
    check(
        "Volumes rose 2.3% and price added 2.8 points.",
        &[
            "2.3%|percent|2.3|%|exact",
            "2.8 points|percent|2.8|pp|exact",
        ],
    );
    check(
        "The Dow fell 300 points on Monday.",
        &["300 points|quantity|300|point|exact"],
    );
    check("Losses were (3%) of sales.", &["3%|percent|3|%|exact"]);
}

#[test]
fn fractions_are_percentages() {
    check(
        "Roughly half of the market, a third of revenue, one-third of staff, two-thirds of users and four-fifths of sales.",
        &[
            "half|percent|50|%|about",
            "a third|percent|33.333333333333336|%|exact",
            "one-third|percent|33.333333333333336|%|exact",
            "two-thirds|percent|66.66666666666667|%|exact",
            "four-fifths|percent|80|%|exact",
        ],
    );
    check(
        "A quarter of revenue came from China; more than half the staff left.",
        &["A quarter|percent|25|%|exact", "half|percent|50|%|above"],
    );
    check(
        "Profits fell by a quarter.",
        &["a quarter|percent|25|%|exact"],
    );
    for text in [
        "It was the third quarter.",
        "Sales rose a quarter earlier.",
        "It fell for a third consecutive month.",
        "In the first half of the year.",
        "Results for the second half were weak.",
        "A half-year report.",
        "It took a quarter of a century.",
    ] {
        let got = briefs(text);
        assert!(
            got.iter().all(|g| !g.contains("|percent|")),
            "{text}: {got:?}"
        );
    }
    let f = &find("a third of revenue")[0];
    assert_eq!(f.step, 1.0);
}

#[test]
fn counts() {
    check(
        "More than 15,000 #CubeAlumni experts, 13000 workers, about 38,000 people in 31 countries.",
        &[
            "15,000 #CubeAlumni experts|count|15000|expert|above",
            "13000 workers|count|13000|worker|exact",
            "38,000 people|count|38000|person|about",
            "31 countries|count|31|country|exact",
        ],
    );
    check(
        "Our brands gained share in eight of our ten largest categories.",
        &[
            "eight|count|8|category|exact",
            "ten largest categories|count|10|category|exact",
        ],
    );
    check(
        "It opened over a dozen overseas data centers; the two companies agreed; re-read the 3 longest pieces.",
        &[
            "a dozen overseas data centers|count|12|center|above",
            "two companies|count|2|company|exact",
            "3 longest pieces|count|3|piece|exact",
        ],
    );
    check(
        "a hundred people, two hundred stores, 1.2 million customers",
        &[
            "a hundred people|count|100|person|exact",
            "two hundred stores|count|200|store|exact",
            "1.2 million customers|count|1200000|customer|exact",
        ],
    );
    check(
        "The country has 1.4 billion and a 300-person team.",
        &[
            "1.4 billion|count|1400000000||exact",
            "300-person|count|300|person|exact",
        ],
    );
}

#[test]
fn not_figures() {
    for text in [
        "Microsoft works with 21Vianet in China.",
        "Results for Q3 and H1 on 4G and 5G networks; COVID-19 hit the A320 line.",
        "Call at 2pm on Thursday, or at 2 p.m., or 10:30.",
        "Office 365 and Azure, Qihoo 360 and PapayaMobile.",
        "Windows 10 users and Boeing 737 jets.",
        "1. First point\n2) Second point\n  3. Third",
        "One industry official said one of the firms left.",
        "Thousands of customers, millions of users, dozens of firms, hundreds of films.",
        "The third quarter was the 1st, 2nd and 3rd best.",
        "Version 1.2.3 at 10.0.0.1, see #42 and @user123, file 000_846349f2e14b5448.",
        "Call 555-123-4567 today.",
        "In the late 2000s and the 1920s and the '90s.",
        "It ran 100m and 5k races.",
        "Meet on Monday. Tuesday is fine.",
        "The 10-K and Form 10-Q.",
        "He said one thing.",
        "May we go? March on.",
    ] {
        let got = briefs(text);
        assert!(got.is_empty(), "{text}: {got:?}");
    }
}

#[test]
fn hyphenated_and_worded_edge_cases() {
    check(
        "A 25-basis-point cut, a 2-percentage-point gain, a three-fold rise and a $300-million deal.",
        &[
            "25-basis-point|percent|25|bp|exact",
            "2-percentage-point|percent|2|pp|exact",
            "three-fold|quantity|3|times|exact",
            "$300-million|money|300000000|USD|exact",
        ],
    );
    check(
        "It took one year, then one-year terms, half a million people and 300 million US dollars.",
        &[
            "one year|duration|1|year|exact",
            "one-year|duration|1|year|exact",
            "half a million people|count|500000|person|exact",
            "300 million US dollars|money|300000000|USD|exact",
        ],
    );
    for text in [
        "In the twenty-first century, one day, he waited one second.",
        "It has 20-plus years and 30-odd staff.",
        "The No. 2 carmaker and the .5% fee.",
        "Zero emissions and a 3-for-1 split.",
        "Plus or minus nothing.",
    ] {
        let got = briefs(text);
        assert!(got.is_empty(), "{text}: {got:?}");
    }
    check(
        "Revenue of $1.25 billion, plus or minus 2%.",
        &[
            "$1.25 billion|money|1250000000|USD|exact",
            "2%|percent|2|%|exact",
        ],
    );
    check(
        "1.2m vehicles, 300m daily users, 450,000 b/d at $82.50/bbl; the Dow fell 120 points, or 0.3%.",
        &[
            "1.2m vehicles|count|1200000|vehicle|exact",
            "300m daily users|count|300000000|user|exact",
            "450,000 b/d|quantity|450000|barrel|exact|per=day",
            "$82.50/bbl|money|82.5|USD|exact|per=barrel",
            "120 points|quantity|120|point|exact",
            "0.3%|percent|0.3|%|exact",
        ],
    );
}

#[test]
fn per_share_and_negative_money() {
    check(
        "Net income was $2.1 billion, or $1.02 per diluted share; EBITDA was -$3m.",
        &[
            "$2.1 billion|money|2100000000|USD|exact",
            "$1.02 per diluted share|money|1.02|USD|exact|per=share",
            "-$3m|money|-3000000|USD|exact",
        ],
    );
}

#[test]
fn years() {
    check(
        "Partners since 2016, a late 2013 release, in 2017, Q3 2025, fiscal 2024 and mid-2025.",
        &[
            "2016|year|2016||exact",
            "2013|year|2013||exact",
            "2017|year|2017||exact",
            "2025|year|2025||exact",
            "2024|year|2024||exact",
            "2025|year|2025||exact",
        ],
    );
    let f = &find("since 2016")[0];
    assert_eq!(f.date.unwrap().year, Some(2016));
    assert_eq!(f.step, 1.0);
    check(
        "From 2019-2021 it grew.",
        &["2019|year|2019||exact", "2021|year|2021||exact"],
    );
    check(
        "about 2000 workers",
        &["2000 workers|count|2000|worker|about"],
    );
}

#[test]
fn dates() {
    check(
        "Signed Nov. 10, on November 10, 10 November, 31 December 2004, December 15, 2025 and Sept. 27, 2025.",
        &[
            "Nov. 10|date|1110||exact",
            "November 10|date|1110||exact",
            "10 November|date|1110||exact",
            "31 December 2004|date|20041231||exact",
            "December 15, 2025|date|20251215||exact",
            "Sept. 27, 2025|date|20250927||exact",
        ],
    );
    check(
        "Dated 2025-10-28; in January; in May; since March 2020.",
        &[
            "2025-10-28|date|20251028||exact",
            "January|date|100||exact",
            "May|date|500||exact",
            "March 2020|date|20200300||exact",
        ],
    );
    let f = &find("payable December 15, 2025")[0];
    assert_eq!(
        f.date,
        Some(DateParts {
            year: Some(2025),
            month: Some(12),
            day: Some(15)
        })
    );
    check("Theresa May said so.", &[]);
}

#[test]
fn durations_and_quantities() {
    check(
        "After 12 years at the helm, 65 seconds, the next twelve months, three decades, an 18-month plan, a decade.",
        &[
            "12 years|duration|12|year|exact",
            "65 seconds|duration|65|second|exact",
            "twelve months|duration|12|month|exact",
            "three decades|duration|3|decade|exact",
            "18-month|duration|18|month|exact",
            "a decade|duration|1|decade|exact",
        ],
    );
    check(
        "It shipped 1.2 million tonnes, built 100 MW and 3GW, drove 5 km and 20 miles, lifted 10 kg.",
        &[
            "1.2 million tonnes|quantity|1200000|tonne|exact",
            "100 MW|quantity|100|mw|exact",
            "3GW|quantity|3|gw|exact",
            "5 km|quantity|5|km|exact",
            "20 miles|quantity|20|mile|exact",
            "10 kg|quantity|10|kg|exact",
        ],
    );
    check(
        "Debt was 2.7 times EBITDA, below 2.5 times, or 2.7x.",
        &[
            "2.7 times|quantity|2.7|times|exact",
            "2.5 times|quantity|2.5|times|below",
            "2.7x|quantity|2.7|times|exact",
        ],
    );
    check(
        "Growth over 12 years; more than 12 years; about 25 minutes.",
        &[
            "12 years|duration|12|year|exact",
            "12 years|duration|12|year|above",
            "25 minutes|duration|25|minute|about",
        ],
    );
}

#[test]
fn ranges() {
    check(
        "Growth of 3% to 3.5%, 3 to 3.5%, $40 to $50, $40-$50, $40–50, and 4% to 5%.",
        &[
            "3% to 3.5%|percent|3|%|range|3..3.5",
            "3 to 3.5%|percent|3|%|range|3..3.5",
            "$40 to $50|money|40|USD|range|40..50",
            "$40-$50|money|40|USD|range|40..50",
            "$40–50|money|40|USD|range|40..50",
            "4% to 5%|percent|4|%|range|4..5",
        ],
    );
    check(
        "Earnings of $5.10 to $5.20 a share, between 4 and 5 percent, $4 to 5 billion, 10-12 years.",
        &[
            "$5.10 to $5.20 a share|money|5.1|USD|range|per=share|5.1..5.2",
            "4 and 5 percent|percent|4|%|range|4..5",
            "$4 to 5 billion|money|4000000000|USD|range|4000000000..5000000000",
            "10-12 years|duration|10|year|range|10..12",
        ],
    );
    check(
        "It expects 4% to 5%, up from 3% to 4%.",
        &[
            "4% to 5%|percent|4|%|range|4..5",
            "3% to 4%|percent|3|%|range|3..4",
        ],
    );
    // Changes, not ranges.
    check(
        "Sales rose from $4.33 billion to $4.62 billion; shares rose 4.2% to $61.15; margin fell 2% to 30%.",
        &[
            "$4.33 billion|money|4330000000|USD|exact",
            "$4.62 billion|money|4620000000|USD|exact",
            "4.2%|percent|4.2|%|exact",
            "$61.15|money|61.15|USD|exact",
            "2%|percent|2|%|exact",
            "30%|percent|30|%|exact",
        ],
    );
    // A failed range leaves the first amount as written.
    check(
        "Prices went from $500 to $2 billion.",
        &[
            "$500|money|500|USD|exact",
            "$2 billion|money|2000000000|USD|exact",
        ],
    );
    check(
        "Bids of $500 to $2 billion.",
        &[
            "$500|money|500|USD|exact",
            "$2 billion|money|2000000000|USD|exact",
        ],
    );
    let f = &find("$5.10 to $5.20 a share")[0];
    assert_eq!(f.step, 0.01);
    assert_eq!((f.low, f.high), (Some(5.1), Some(5.2)));
}

#[test]
fn qualifiers_and_bounds() {
    let cases: &[(&str, Qualifier, Option<f64>, Option<f64>)] = &[
        (
            "about 300 stores",
            Qualifier::About,
            Some(300.0),
            Some(300.0),
        ),
        ("around $5 million", Qualifier::About, Some(5e6), Some(5e6)),
        (
            "roughly 80 percent",
            Qualifier::About,
            Some(80.0),
            Some(80.0),
        ),
        ("some 500 jobs", Qualifier::About, Some(500.0), Some(500.0)),
        (
            "an estimated 38,000 people",
            Qualifier::About,
            Some(38e3),
            Some(38e3),
        ),
        ("~5%", Qualifier::About, Some(5.0), Some(5.0)),
        ("up to $300 million", Qualifier::AtMost, None, Some(3e8)),
        ("at most 5%", Qualifier::AtMost, None, Some(5.0)),
        (
            "no more than 20 stores",
            Qualifier::AtMost,
            None,
            Some(20.0),
        ),
        ("as much as $2 billion", Qualifier::AtMost, None, Some(2e9)),
        ("less than 5%", Qualifier::Below, None, Some(5.0)),
        ("under $10", Qualifier::Below, None, Some(10.0)),
        (
            "fewer than 100 employees",
            Qualifier::Below,
            None,
            Some(100.0),
        ),
        ("nearly $5 million", Qualifier::Nearly, None, Some(5e6)),
        ("almost 7%", Qualifier::Nearly, None, Some(7.0)),
        ("just under 50%", Qualifier::Nearly, None, Some(50.0)),
        (
            "close to 1,000 stores",
            Qualifier::Nearly,
            None,
            Some(1000.0),
        ),
        ("just shy of $2 billion", Qualifier::Nearly, None, Some(2e9)),
        ("at least 40 firms", Qualifier::AtLeast, Some(40.0), None),
        ("no less than 10%", Qualifier::AtLeast, Some(10.0), None),
        ("more than $190,000", Qualifier::Above, Some(190000.0), None),
        ("over 500 stores", Qualifier::Above, Some(500.0), None),
        ("in excess of $1 billion", Qualifier::Above, Some(1e9), None),
        ("upwards of 200 jobs", Qualifier::Above, Some(200.0), None),
        ("just over 10%", Qualifier::JustOver, Some(10.0), None),
        (
            "slightly more than 3 million users",
            Qualifier::JustOver,
            Some(3e6),
            None,
        ),
        ("a little over $50", Qualifier::JustOver, Some(50.0), None),
        ("exactly 7 stores", Qualifier::Exact, Some(7.0), Some(7.0)),
    ];
    for &(text, qualifier, low, high) in cases {
        let figures = find(text);
        assert_eq!(figures.len(), 1, "{text}: {:?}", briefs(text));
        let f = &figures[0];
        assert_eq!(
            (f.qualifier, f.low, f.high),
            (qualifier, low, high),
            "{text}"
        );
        // The qualifier is never inside the span.
        assert!(
            !f.span
                .slice(text)
                .starts_with(|c: char| c.is_ascii_lowercase() && c != 'a'),
            "{text}: span {:?}",
            f.span.slice(text)
        );
    }
}

#[test]
fn up_to_after_a_verb_is_not_a_bound() {
    for text in [
        "Orders rose up to 225 firm orders.",
        "Sales climbed up to $5 million.",
        "It ramped up to 500 units.",
        "That took the total up to 225 aircraft.",
        "The deal brings its order book up to 225 firm orders.",
        "Output went up to 5%.",
        "They scaled production up to 500 units.",
    ] {
        let figures = find(text);
        assert_eq!(figures.len(), 1, "{text}");
        assert_eq!(figures[0].qualifier, Qualifier::Exact, "{text}");
    }
    for text in [
        "a deal valued at up to $300 million",
        "for up to 2 billion yuan",
        "Fines of up to 4% of revenue.",
        "It will hire up to 500 people.",
        "Up to 30 stores may close.",
        "It offers loans up to $1 million.",
    ] {
        let figures = find(text);
        assert_eq!(figures.len(), 1, "{text}");
        assert_eq!(figures[0].qualifier, Qualifier::AtMost, "{text}");
    }
    // "over" only bounds a figure right after it.
    check(
        "It grew over the last decade to 500 stores.",
        &["500 stores|count|500|store|exact"],
    );
}

#[test]
fn step_is_the_place_of_the_last_digit() {
    let cases: &[(&str, f64)] = &[
        ("$300 million", 1e8),
        ("2 billion yuan", 1e9),
        ("$301.2 million", 1e5),
        ("15,000 experts", 1e3),
        ("38,000 people", 1e3),
        ("$4.62", 0.01),
        ("$4.60", 0.01),
        ("80 percent", 10.0),
        ("52 cents", 0.01),
        ("since 2016", 1.0),
        ("twenty companies", 1.0),
        ("a dozen stores", 1.0),
        ("two million people", 1e6),
        ("$0 fees", 1.0),
        ("2.5 billion yuan", 1e8),
    ];
    for &(text, step) in cases {
        let figures = find(text);
        assert_eq!(figures.len(), 1, "{text}: {:?}", briefs(text));
        assert_eq!(figures[0].step, step, "{text}");
    }
}

#[test]
fn tricky_unicode_text() {
    let text = "“We paid £75m — about 8% of sales,” she said; it’s €1.1 billion… and ¥5 billion.";
    check(
        text,
        &[
            "£75m|money|75000000|GBP|exact",
            "8%|percent|8|%|about",
            "€1.1 billion|money|1100000000|EUR|exact",
            "¥5 billion|money|5000000000|JPY|exact",
        ],
    );
    check(
        "Sales rose 5%\u{a0}to $2\u{a0}billion.",
        &[
            "5%|percent|5|%|exact",
            "$2\u{a0}billion|money|2000000000|USD|exact",
        ],
    );
}

#[test]
fn no_panics_and_spans_on_char_boundaries() {
    // A deterministic pseudo-random mix of ASCII, digits, signs and multibyte text.
    let pieces = [
        "$", "£", "€", "¥", "₹", "%", "-", "–", "—", "−", ",", ".", "(", ")", " ", "\n", "1", "23",
        "4.5", "1,000", "million", "bn", "m", "a", "dozen", "half", "third", "of", "to", "Nov.",
        "May", "2016", "é", "中文", "😀", "“", "”", "’", "#", "@", "up", "to", "about", "per",
        "share", "US", "HK", "RMB", "yuan", "cents", "x", "times", "years", "\u{a0}", "bp", ":",
        "/", "between", "and", "one", "two", "twenty", "-", "s",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..4000 {
        let mut text = String::new();
        let len = (state % 24) as usize + 1;
        for _ in 0..len {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(pieces[(state % pieces.len() as u64) as usize]);
        }
        for f in find(&text) {
            assert!(text.is_char_boundary(f.span.start()), "{text:?}");
            assert!(text.is_char_boundary(f.span.end()), "{text:?}");
            assert!(f.span.start() <= f.span.end() && f.span.end() <= text.len());
            assert!(f.value.is_finite() && f.step > 0.0, "{text:?}");
            if let Some(eq) = &f.equivalent {
                assert!(f.span.contains_span(eq.span), "{text:?}");
            }
        }
    }
    // Cut real prose at every byte that is a char boundary.
    let prose = "Über “2 billion yuan ($300 million)” — 中文 £75m, 80 %, Nov. 10 😀 half of 3–4%";
    for (i, _) in prose.char_indices() {
        let _ = find(&prose[i..]);
        let _ = find(&prose[..i]);
    }
}

#[test]
fn figures_are_in_order_and_do_not_overlap() {
    let text = "In 2016, Halvard paid $4.62 billion, up 6.8% from $4.33 billion, for 31 countries on Nov. 10.";
    let figures = find(text);
    for pair in figures.windows(2) {
        assert!(pair[0].span.end() <= pair[1].span.start());
    }
    assert_eq!(figures.len(), 6, "{:?}", briefs(text));
}

fn read_dir_texts(dir: std::path::PathBuf) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = entries
        .flatten()
        .filter_map(|e| {
            let path = e.path();
            let bytes = std::fs::read(&path).ok()?;
            Some((
                path.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ))
        })
        .collect();
    out.sort();
    out
}

/// True when `figures` holds one with this text, kind, value, unit and qualifier.
fn has(
    text: &str,
    figures: &[Figure],
    slice: &str,
    kind: FigureKind,
    value: f64,
    unit: &str,
    q: Qualifier,
) -> bool {
    figures.iter().any(|f| {
        f.span.slice(text) == slice
            && f.kind == kind
            && (f.value - value).abs() <= 1e-9 * value.abs().max(1.0)
            && f.unit == unit
            && f.qualifier == q
    })
}

#[test]
fn seed_articles() {
    let docs = read_dir_texts(crate::test_support::shared("seeds"));
    if docs.is_empty() {
        return;
    }
    let mut all = Vec::new();
    for (name, text) in &docs {
        let figures = find(text);
        for f in &figures {
            assert!(
                text.is_char_boundary(f.span.start()) && text.is_char_boundary(f.span.end()),
                "{name}"
            );
        }
        all.push((text.as_str(), figures));
    }
    let any = |slice: &str, kind, value, unit: &str, q| {
        all.iter()
            .any(|(t, fs)| has(t, fs, slice, kind, value, unit, q))
    };
    use FigureKind as K;
    use Qualifier as Q;
    assert!(any(
        "2 billion yuan ($300 million)",
        K::Money,
        2e9,
        "CNY",
        Q::Exact
    ));
    assert!(any(
        "2 billion yuan ($301.2 million)",
        K::Money,
        2e9,
        "CNY",
        Q::AtMost
    ));
    assert!(any("80 percent", K::Percent, 80.0, "%", Q::About));
    assert!(any("Nov. 10", K::Date, 1110.0, "", Q::Exact));
    assert!(any("2016", K::Year, 2016.0, "", Q::Exact));
    assert!(any(
        "a dozen overseas data centers",
        K::Count,
        12.0,
        "center",
        Q::Above
    ));
    assert!(any("$300 million", K::Money, 3e8, "USD", Q::AtMost));
    assert!(any("$300 million", K::Money, 3e8, "USD", Q::About));
    assert!(any(
        "15,000 #CubeAlumni experts",
        K::Count,
        15000.0,
        "expert",
        Q::Above
    ));
    assert!(any("12 years", K::Duration, 12.0, "year", Q::Exact));
    assert!(any("$190,000", K::Money, 190000.0, "USD", Q::Above));
    assert!(any("half", K::Percent, 50.0, "%", Q::About));
    assert!(any("$33 billion", K::Money, 33e9, "USD", Q::Exact));
    // Traps in the seeds: nothing glued to "21Vianet", "Office 365", "Qihoo 360".
    for (text, figures) in &all {
        for f in figures {
            let s = f.span.slice(text);
            assert!(
                !matches!(s, "21" | "365" | "360" | "1" | "2" | "3"),
                "{s:?}"
            );
        }
    }
}

#[test]
fn eval_corpus() {
    // (The aws-china dev case reads the seed articles, tested above.)
    let docs = read_dir_texts(crate::test_support::shared("eval/dev/halvard/corpus"));
    if docs.is_empty() {
        return;
    }
    let all: Vec<(&str, Vec<Figure>)> = docs.iter().map(|(_, t)| (t.as_str(), find(t))).collect();
    let any = |slice: &str, kind, value, unit: &str, q| {
        all.iter()
            .any(|(t, fs)| has(t, fs, slice, kind, value, unit, q))
    };
    use FigureKind as K;
    use Qualifier as Q;
    assert!(any("52 cents per share", K::Money, 0.52, "USD", Q::Exact));
    assert!(any(
        "€1.1 billion ($1.28 billion)",
        K::Money,
        1.1e9,
        "EUR",
        Q::Exact
    ));
    assert!(any("140 basis points", K::Percent, 140.0, "bp", Q::Exact));
    assert!(any("2.7 times", K::Quantity, 2.7, "times", Q::Exact));
    assert!(any("2.5 times", K::Quantity, 2.5, "times", Q::Below));
    assert!(any("$5.10 to $5.20", K::Money, 5.1, "USD", Q::Range));
    assert!(any(
        "$5.10 to $5.20 a share",
        K::Money,
        5.1,
        "USD",
        Q::Range
    ));
    assert!(any("4% to 5%", K::Percent, 4.0, "%", Q::Range));
    assert!(any("3% to 4%", K::Percent, 3.0, "%", Q::Range));
    assert!(any("38,000 people", K::Count, 38000.0, "person", Q::About));
    assert!(any(
        "36,000 employees",
        K::Count,
        36000.0,
        "employee",
        Q::About
    ));
    assert!(any("twelve months", K::Duration, 12.0, "month", Q::Exact));
    assert!(any("2.8 points", K::Percent, 2.8, "pp", Q::Exact));
    assert!(any("7%", K::Percent, 7.0, "%", Q::Nearly));
    assert!(any("$650 million", K::Money, 6.5e8, "USD", Q::About));
    assert!(any("September 27, 2025", K::Date, 20250927.0, "", Q::Exact));
    assert!(any("December 15, 2025", K::Date, 20251215.0, "", Q::Exact));
    assert!(any("eight", K::Count, 8.0, "category", Q::Exact));
    assert!(any("2026", K::Year, 2026.0, "", Q::Exact));
    assert!(any("$61.15", K::Money, 61.15, "USD", Q::Exact));
}

#[test]
fn a_dashed_range_after_a_verb_of_movement_is_still_a_range() {
    for text in ["Sales up 5-6% for the year.", "Sales rose 5–6%."] {
        let found = find(text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        assert_eq!(found[0].qualifier, Qualifier::Range, "{text}");
        assert_eq!(
            (found[0].low, found[0].high),
            (Some(5.0), Some(6.0)),
            "{text}"
        );
    }
    // "rose 4% to 5%" stays a change from one figure to another.
    assert_eq!(find("Sales rose 4% to 5%.").len(), 2);
}

#[test]
fn first_number_skips_currency_and_trailing_dots() {
    assert_eq!(first_number("$4.62 billion"), Some((Span::new(1, 5), 4.62)));
    assert_eq!(first_number("15,000."), Some((Span::new(0, 6), 15000.0)));
    assert_eq!(first_number("two"), None);
}
