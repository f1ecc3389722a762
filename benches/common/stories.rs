//! Stories: wire stories, press releases and transcripts that restate the
//! companies' facts amid background prose; [`generate_corpus`].

use std::fmt::Write as _;
use std::path::PathBuf;

use refnotes::corpus::SourceText;

use super::companies::{capitalized_word, company, Company};
use super::numbers::{
    count_text, decimal, money, percent, scaled_short, share_price, with_commas, Date,
};
use super::vocabulary::{
    Vocabulary, BANKS, CITIES, FIRST_NAMES, MONTHS, OUTLETS, RESEARCH_FIRMS, TOPICS, WEEKDAYS,
};
use super::Rng;

/// What one story is about.
pub(super) struct Story<'a> {
    pub(super) vocabulary: &'a Vocabulary,
    pub(super) main: &'a Company,
    pub(super) other: &'a Company,
    pub(super) target: &'a Company,
    pub(super) date: Date,
}

/// How many kinds of sentence [`sentence`] writes.
const SENTENCE_KINDS: usize = 23;

/// Deals sentence kinds like cards, reshuffling when the deck runs out, so a
/// story repeats itself no more than real coverage does.
struct Deck {
    cards: Vec<usize>,
}

impl Deck {
    pub(super) fn new() -> Deck {
        Deck { cards: Vec::new() }
    }

    pub(super) fn draw(&mut self, rng: &mut Rng) -> usize {
        if self.cards.is_empty() {
            self.cards = (0..SENTENCE_KINDS).collect();
            for i in (1..self.cards.len()).rev() {
                let j = rng.below(i + 1);
                self.cards.swap(i, j);
            }
        }
        self.cards.pop().unwrap_or(0)
    }
}

/// One sentence of a story of the given kind, stating some of its companies'
/// facts (or, for the last few kinds, none).
pub(super) fn sentence(rng: &mut Rng, story: &Story<'_>, kind: usize) -> String {
    let mut text = sentence_text(rng, story, kind);
    // A sentence that ends on an abbreviation ("Inc.") takes no second period.
    if text.ends_with("..") {
        text.pop();
    }
    text
}

fn sentence_text(rng: &mut Rng, story: &Story<'_>, kind: usize) -> String {
    let main = story.main;
    let subject = main.mention(rng);
    match kind {
        0 => format!(
            "{subject} said on {} it had agreed to buy {} for {}, its largest purchase since {}.",
            rng.pick(WEEKDAYS),
            story.target.full_name(),
            money(rng, main.deal_usd),
            rng.between(main.founded.clamp(1990, 2011) as u64, 2011),
        ),
        1 => format!(
            "The agreement with {} was signed {}, according to a filing with the {} exchange.",
            story.target.short,
            main.deal_signed.short(),
            rng.pick(CITIES),
        ),
        2 => format!(
            "{subject} reported quarterly revenue of {}, up {} from a year earlier.",
            money(rng, main.revenue_usd),
            percent(rng, main.growth_pct.abs()),
        ),
        3 => format!(
            "The company employs about {} people in {} countries.",
            with_commas(main.employees),
            count_text(rng, main.countries),
        ),
        4 => format!(
            "{subject}, founded in {}, has been a partner of {} since {}.",
            main.founded,
            story.other.short,
            main.partner_since,
        ),
        5 => format!(
            "{subject} accounts for roughly {} of {} revenue in {}, and held roughly half of the market in {}, according to {}.",
            percent(rng, main.share_pct),
            main.industry.to_lowercase(),
            main.country,
            story.date.year,
            rng.pick(RESEARCH_FIRMS),
        ),
        6 => {
            let saying = rng.pick_ref(&main.boss.sayings);
            format!(
                "“{},” said {}, {} of {}.",
                saying.trim_end_matches('.'),
                main.boss.full(),
                main.boss.title,
                main.short
            )
        }
        7 => {
            let saying = rng.pick_ref(&main.finance_chief.sayings).clone();
            format!(
                "{} added: “{saying}”",
                main.finance_chief.formal()
            )
        }
        8 => {
            let price = rng.float(3.0, 400.0);
            let value = main.revenue_usd * rng.float(1.0, 6.0);
            let rise = (rng.float(0.1, 12.0) * 10.0).round() / 10.0;
            format!(
                "Shares of {subject} rose {} to {} in {} trading on {}, valuing the company at {}.",
                percent(rng, rise),
                share_price(price),
                rng.pick(CITIES),
                rng.pick(WEEKDAYS),
                money(rng, value),
            )
        }
        9 => format!(
            "It now expects full-year organic growth of {}% to {}%, and earnings of {} to {} a share.",
            decimal(main.guidance_low_pct, 1),
            decimal(main.guidance_low_pct + 1.0, 1),
            share_price(main.margin_pct / 10.0),
            share_price(main.margin_pct / 10.0 + 0.1),
        ),
        10 => format!(
            "Regulators in {} fined the group €{} in {} {} over {}.",
            main.country,
            scaled_short(rng.between(1, 40) as f64 * 1e8),
            MONTHS[story.date.month].0,
            story.date.year,
            rng.pick(TOPICS),
        ),
        11 => {
            let years = rng.between(2, 5);
            format!(
                "{subject} will cut about {} jobs over the next {} years, {} told reporters.",
                with_commas(rng.between(2, 80) * 100),
                count_text(rng, years),
                main.boss.formal(),
            )
        }
        12 => format!(
            "An outage on {} lasted {} seconds and affected {} customers in the U.S. and Europe.",
            story.date.short(),
            rng.between(20, 400),
            with_commas(rng.between(1, 900) * 1000),
        ),
        13 => format!(
            "{}’s {} plants produced {} tonnes last year, or about {} barrels a day of fuel equivalent.",
            main.short,
            count_text(rng, main.plants),
            with_commas(main.output_tonnes),
            with_commas(main.output_tonnes / 50),
        ),
        14 => format!(
            "About two-thirds of the {} analysts polled by {} expect a higher dividend; a dozen expect a cut.",
            rng.between(14, 40),
            rng.pick(BANKS),
        ),
        15 => format!(
            "{} is based in {}, where it has operated since {}.",
            main.introduce(),
            main.city,
            main.founded,
        ),
        16 => format!(
            "Rivals such as {} and {} have moved faster into {}, analysts at {} said in a note to clients.",
            story.other.full_name(),
            story.target.short,
            main.industry.to_lowercase(),
            rng.pick(BANKS),
        ),
        17 => format!(
            "The board declared a quarterly dividend of {} cents a share, payable {}.",
            main.dividend_cents,
            story.date.long(rng),
        ),
        18 => format!(
            "Gross margin widened {} basis points to {}.",
            main.margin_change_bp,
            percent(rng, main.margin_pct),
        ),
        20 => format!(
            "Analysts said the move reflects rising competition in {}, where {} has lost ground to {}.",
            main.industry.to_lowercase(),
            main.short,
            story.other.full_name(),
        ),
        21 => format!(
            "{} did not immediately respond to a request for comment on {}’s plans.",
            story.other.short, main.short,
        ),
        22 => format!(
            "People familiar with the talks, who asked not to be named, said {} had also approached {}.",
            main.short,
            story.target.introduce(),
        ),
        _ => format!(
            "The U.S. unit, run by {} until {} {}, was folded into {} Co. Ltd. in {} — a move that took {} months.",
            main.boss.formal(),
            MONTHS[rng.below(12)].1,
            rng.between(1, 28),
            story.other.short,
            rng.between(2000, 2024),
            rng.between(3, 30),
        ),
    }
}

/// A sentence of background prose: Zipf-drawn words, now and then a name
/// (a person or place made up on the spot, so names are many and mostly
/// rare) or a figure in one of the forms news copy uses.
fn filler_sentence(rng: &mut Rng, vocabulary: &Vocabulary) -> String {
    let length = rng.between(8, 28);
    let mut text = String::with_capacity(length as usize * 8);
    for i in 0..length {
        if i > 0 {
            text.push(' ');
        }
        match rng.below(100) {
            0..=2 if i > 0 => {
                let syllables = rng.between(2, 3) as usize;
                let _ = write!(
                    text,
                    "{} {}",
                    rng.pick(FIRST_NAMES),
                    capitalized_word(rng, syllables)
                );
            }
            3 if i > 0 => text.push_str(&capitalized_word(rng, 2)),
            4 => {
                let _ = write!(
                    text,
                    "{} {}",
                    with_commas(rng.between(2, 90_000)),
                    vocabulary.word(rng)
                );
            }
            5 if rng.chance(40) => {
                let amount = rng.float(0.1, 95.0);
                let figure = match rng.below(6) {
                    0 => percent(rng, amount),
                    1 => money(rng, amount * 5e8),
                    2 => Date::random(rng, 1990, 2025).long(rng),
                    3 => format!("{} kilometres", amount.round() as u64 * 30 + 2),
                    4 => format!("{} years", count_text(rng, amount as u64 / 3 + 2)),
                    _ => rng.between(1950, 2025).to_string(),
                };
                text.push_str(&figure);
            }
            _ => text.push_str(vocabulary.word(rng)),
        }
    }
    // Capitalize the first letter, end with a period.
    let mut chars = text.chars();
    let mut sentence: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    };
    sentence.push('.');
    sentence
}

/// Share of a story's sentences that are background prose, in percent.
const FILLER_PERCENT: u64 = 55;

/// The next sentence of a story: background prose or a fact from the deck.
fn next_sentence(rng: &mut Rng, story: &Story<'_>, deck: &mut Deck) -> String {
    if rng.chance(FILLER_PERCENT) {
        filler_sentence(rng, story.vocabulary)
    } else {
        let kind = deck.draw(rng);
        sentence(rng, story, kind)
    }
}

fn headline(rng: &mut Rng, story: &Story<'_>) -> String {
    match rng.below(4) {
        0 => format!(
            "{} to buy {} in {} deal",
            story.main.short,
            story.target.short,
            money(rng, story.main.deal_usd)
        ),
        1 => format!(
            "{} sales rise {} as {} demand holds up",
            story.main.short,
            percent(rng, story.main.growth_pct.abs()),
            story.main.industry.to_lowercase()
        ),
        2 => format!(
            "{} faces tighter rules in {}",
            story.main.short, story.main.country
        ),
        _ => format!(
            "{} and {} deepen partnership",
            story.main.short, story.other.short
        ),
    }
}

/// Appends paragraphs of prose to `text` until it holds about `target` bytes.
fn write_paragraphs(rng: &mut Rng, story: &Story<'_>, text: &mut String, target: usize) {
    let mut deck = Deck::new();
    let _ = writeln!(text, "{}", sentence_with_intro(story));
    while text.len() < target {
        text.push('\n');
        for i in 0..rng.between(2, 5) {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(&next_sentence(rng, story, &mut deck));
        }
        text.push('\n');
    }
}

fn sentence_with_intro(story: &Story<'_>) -> String {
    format!(
        "{}, based in {}, said it remains committed to customers in {}.",
        story.main.introduce(),
        story.main.city,
        story.main.country
    )
}

fn write_transcript(rng: &mut Rng, story: &Story<'_>, text: &mut String, target: usize) {
    let mut deck = Deck::new();
    let _ = writeln!(text, "Operator: Good morning, and welcome to the call.");
    while text.len() < target {
        let speaker = if rng.chance(50) {
            &story.main.boss
        } else {
            &story.main.finance_chief
        };
        let _ = write!(text, "\n{}, {}: ", speaker.full(), speaker.title);
        for i in 0..rng.between(2, 5) {
            if i > 0 {
                text.push(' ');
            }
            if rng.chance(30) {
                let saying: &String = rng.pick_ref(&speaker.sayings);
                text.push_str(saying);
            } else {
                text.push_str(&next_sentence(rng, story, &mut deck));
            }
        }
        text.push('\n');
    }
}

/// A corpus of synthetic news documents totalling at least `bytes` bytes
/// (stopping at the first document past it), each 2–8 KB. The same `bytes`
/// and `seed` always give the same documents, ids and text.
///
/// Ids look like `wire-2019-03-14-000123`: unique, in order, never a prefix of
/// one another. A third of the documents are Markdown with front matter
/// (`title`, `date`, `url`); a sixth are earnings-call transcripts.
pub fn generate_corpus(bytes: usize, seed: u64) -> Vec<SourceText> {
    let mut rng = Rng::new(seed);
    let vocabulary = Vocabulary::new(seed);
    let company_count = (bytes / 20_000).clamp(40, 6_000);
    let companies: Vec<Company> = (0..company_count)
        .map(|i| company(&mut rng, i, company_count))
        .collect();
    let mut sources = Vec::with_capacity(bytes / 5_000 + 1);
    // Each document is written into one reused buffer and copied out at its
    // exact length, so the corpus leaves no half-used allocations behind and
    // the memory bench sees the text's own size.
    let mut text = String::with_capacity(16_000);
    let mut total = 0;
    while total < bytes {
        let serial = sources.len();
        let main = &companies[rng.below(companies.len())];
        let story = Story {
            vocabulary: &vocabulary,
            main,
            other: &companies[rng.below(companies.len())],
            target: &companies[main.deal_target],
            date: Date::random(&mut rng, 2014, 2024),
        };
        let outlet = rng.pick(OUTLETS);
        let id = format!("{outlet}-{}-{serial:06}", story.date.iso());
        let title = headline(&mut rng, &story);
        let target = rng.between(2_000, 8_000) as usize;
        text.clear();
        let markdown = outlet == "release" || (outlet != "call" && rng.chance(20));
        if markdown {
            let _ = write!(
                text,
                "---\ntitle: {title}\ndate: {}\nurl: https://news.example.com/{outlet}/{serial}\n---\n\n# {title}\n\n",
                story.date.iso()
            );
            if rng.chance(50) {
                let _ = write!(
                    text,
                    "- Revenue: {}\n- Margin: {}\n- Employees: {}\n\n",
                    money(&mut rng, main.revenue_usd),
                    percent(&mut rng, main.margin_pct),
                    with_commas(main.employees)
                );
            }
        } else {
            let _ = writeln!(text, "{title}");
        }
        if outlet == "call" {
            write_transcript(&mut rng, &story, &mut text, target);
        } else {
            write_paragraphs(&mut rng, &story, &mut text, target);
        }
        let text = text.as_str().to_owned();
        total += text.len();
        sources.push(SourceText {
            path: PathBuf::from(format!(
                "corpus/{id}.{}",
                if markdown { "md" } else { "txt" }
            )),
            id,
            title,
            date: Some(story.date.iso()),
            url: markdown.then(|| format!("https://news.example.com/{outlet}/{serial}")),
            text,
            markdown,
            origin: None,
        });
    }
    sources
}
