//! The words the figure extractor reads: number words, scales, currencies,
//! units, months, qualifiers and the small grammar words around counted nouns.
//!
//! Every lookup takes a lowercase ASCII word unless its name says `raw`
//! (abbreviations such as "MW" or "Nov" are case-sensitive).

use std::sync::LazyLock;

/// Every word that can start a figure on its own, lowercase: number words,
/// "a"/"an"/"half", months and their abbreviations, and currency codes.
const ANCHOR_WORDS: &[&str] = &[
    "a",
    "an",
    "half",
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "usd",
    "eur",
    "gbp",
    "jpy",
    "cny",
    "rmb",
    "hkd",
    "aud",
    "cad",
    "sgd",
    "nzd",
    "chf",
    "inr",
    "rs",
    "krw",
    "twd",
    "sek",
    "nok",
    "dkk",
    "brl",
    "mxn",
    "zar",
    "rub",
];

const FILTER_BITS: usize = 4096;

/// A bit per hash of (length, first, second and last letter) of each anchor
/// word: most prose words miss it, so they cost one lookup.
static ANCHOR_FILTER: LazyLock<[u64; FILTER_BITS / 64]> = LazyLock::new(|| {
    let mut bits = [0u64; FILTER_BITS / 64];
    for word in ANCHOR_WORDS {
        let h = anchor_hash(word.as_bytes());
        bits[h / 64] |= 1 << (h % 64);
    }
    bits
});

fn anchor_hash(word: &[u8]) -> usize {
    let n = word.len();
    let first = word[0].to_ascii_lowercase() as usize;
    let second = word.get(1).map_or(0, |c| c.to_ascii_lowercase()) as usize;
    let last = word[n - 1].to_ascii_lowercase() as usize;
    let h = (n * 0x9E37) ^ (first * 0x85EB) ^ (second * 0xC2B2) ^ (last * 0x27D4);
    (h ^ (h >> 12)) % FILTER_BITS
}

/// False for a word that certainly cannot start a figure.
pub(super) fn may_be_anchor(word: &[u8]) -> bool {
    if word.is_empty() {
        return false;
    }
    let h = anchor_hash(word);
    ANCHOR_FILTER[h / 64] & (1 << (h % 64)) != 0
}

/// A cardinal number word below a hundred ("seven", "forty").
pub(super) fn small_number(word: &str) -> Option<u64> {
    Some(match word {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

/// A scale word written out after a number, as a power of ten.
pub(super) fn scale_word(word: &str) -> Option<i32> {
    Some(match word {
        "thousand" => 3,
        "million" | "mn" | "mln" => 6,
        "billion" | "bn" | "bln" => 9,
        "trillion" | "tn" | "trn" => 12,
        "lakh" => 5,
        "crore" => 7,
        _ => return None,
    })
}

/// A scale glued to the digits ("$300m", "$1.13bn"): its power of ten, and
/// whether it is only a scale when the figure is money (a bare "100m" may be
/// metres, "5k" a race).
pub(super) fn glued_scale(raw: &str) -> Option<(i32, bool)> {
    Some(match raw {
        "k" | "K" => (3, true),
        "m" | "M" => (6, true),
        "b" | "B" => (9, true),
        "mn" | "mln" | "Mn" => (6, false),
        "bn" | "bln" | "Bn" | "BN" => (9, false),
        "tn" | "trn" | "Tn" => (12, false),
        _ => return None,
    })
}

/// A unit of time, singular.
pub(super) fn duration_unit(word: &str) -> Option<&'static str> {
    Some(match word {
        "year" | "years" | "yr" | "yrs" => "year",
        "month" | "months" => "month",
        "week" | "weeks" | "wk" | "wks" => "week",
        "day" | "days" => "day",
        "hour" | "hours" | "hr" | "hrs" => "hour",
        "minute" | "minutes" | "min" | "mins" => "minute",
        "second" | "seconds" | "sec" | "secs" => "second",
        "decade" | "decades" => "decade",
        "century" | "centuries" => "century",
        "quarter" | "quarters" => "quarter",
        _ => return None,
    })
}

/// A word that may sit between a number and its unit of time
/// ("three consecutive years", "12 more months").
pub(super) fn duration_modifier(word: &str) -> bool {
    matches!(
        word,
        "consecutive"
            | "straight"
            | "successive"
            | "full"
            | "more"
            | "additional"
            | "further"
            | "business"
            | "calendar"
            | "trading"
            | "working"
            | "fiscal"
            | "financial"
            | "long"
    )
}

/// A unit of measure written as a word: its normal form, singular.
pub(super) fn quantity_word(word: &str) -> Option<&'static str> {
    Some(match word {
        "tonne" | "tonnes" => "tonne",
        "ton" | "tons" => "ton",
        "barrel" | "barrels" => "barrel",
        "gallon" | "gallons" => "gallon",
        "litre" | "litres" | "liter" | "liters" => "liter",
        "ounce" | "ounces" => "ounce",
        "pound" | "pounds" => "pound",
        "kilogram" | "kilograms" | "kilo" | "kilos" => "kg",
        "gram" | "grams" => "gram",
        "kilometre" | "kilometres" | "kilometer" | "kilometers" => "km",
        "mile" | "miles" => "mile",
        "metre" | "metres" | "meter" | "meters" => "meter",
        "foot" | "feet" => "foot",
        "acre" | "acres" => "acre",
        "hectare" | "hectares" => "hectare",
        "megawatt" | "megawatts" => "mw",
        "gigawatt" | "gigawatts" => "gw",
        "kilowatt" | "kilowatts" => "kw",
        "degree" | "degrees" => "degree",
        "bushel" | "bushels" => "bushel",
        "carat" | "carats" => "carat",
        "gigabyte" | "gigabytes" => "gb",
        "terabyte" | "terabytes" => "tb",
        "times" => "times",
        _ => return None,
    })
}

/// The second word of a two-word unit after "metric", "square" or "cubic".
pub(super) fn compound_quantity(first: &str, second: &str) -> Option<&'static str> {
    Some(match (first, second) {
        ("metric", "ton" | "tons" | "tonne" | "tonnes") => "tonne",
        ("square", "foot" | "feet") => "square foot",
        ("square", "metre" | "metres" | "meter" | "meters") => "square meter",
        ("square", "mile" | "miles") => "square mile",
        ("square", "kilometre" | "kilometres" | "kilometer" | "kilometers") => "square km",
        ("cubic", "foot" | "feet") => "cubic foot",
        ("cubic", "metre" | "metres" | "meter" | "meters") => "cubic meter",
        ("sq", "ft") => "square foot",
        ("megawatt" | "megawatts", "hour" | "hours") => "mwh",
        ("gigawatt" | "gigawatts", "hour" | "hours") => "gwh",
        ("kilowatt" | "kilowatts", "hour" | "hours") => "kwh",
        ("terawatt" | "terawatts", "hour" | "hours") => "twh",
        _ => return None,
    })
}

/// A unit abbreviation, case as written: its normal form and what it is per.
pub(super) fn quantity_abbrev(raw: &str) -> Option<(&'static str, Option<&'static str>)> {
    Some(match raw {
        "MW" => ("mw", None),
        "GW" => ("gw", None),
        "kW" | "KW" => ("kw", None),
        "MWh" => ("mwh", None),
        "GWh" => ("gwh", None),
        "TWh" => ("twh", None),
        "kWh" => ("kwh", None),
        "km" => ("km", None),
        "kg" => ("kg", None),
        "cm" => ("cm", None),
        "mm" => ("mm", None),
        "lb" | "lbs" => ("pound", None),
        "oz" => ("ounce", None),
        "mph" => ("mph", None),
        "ft" => ("foot", None),
        "bbl" | "bbls" => ("barrel", None),
        "bpd" => ("barrel", Some("day")),
        "GB" => ("gb", None),
        "TB" => ("tb", None),
        "TEU" | "TEUs" => ("teu", None),
        _ => return None,
    })
}

/// A time-unit abbreviation glued to digits ("5yrs", "10min").
pub(super) fn duration_abbrev(raw: &str) -> Option<&'static str> {
    Some(match raw {
        "yr" | "yrs" => "year",
        "hr" | "hrs" => "hour",
        "min" | "mins" => "minute",
        "sec" | "secs" => "second",
        _ => return None,
    })
}

/// An ISO-style currency code written before or after an amount ("RMB 2
/// billion", "300 million USD"), case as written.
pub(super) fn currency_code(raw: &str) -> Option<&'static str> {
    Some(match raw {
        "USD" => "USD",
        "EUR" => "EUR",
        "GBP" => "GBP",
        "JPY" => "JPY",
        "CNY" | "RMB" | "Rmb" => "CNY",
        "HKD" => "HKD",
        "AUD" => "AUD",
        "CAD" => "CAD",
        "SGD" => "SGD",
        "NZD" => "NZD",
        "CHF" => "CHF",
        "INR" | "Rs" => "INR",
        "KRW" => "KRW",
        "TWD" => "TWD",
        "SEK" => "SEK",
        "NOK" => "NOK",
        "DKK" => "DKK",
        "BRL" => "BRL",
        "MXN" => "MXN",
        "ZAR" => "ZAR",
        "RUB" => "RUB",
        _ => return None,
    })
}

/// Letters glued before a dollar sign ("US$", "HK$", "A$").
pub(super) fn dollar_prefix(raw: &str) -> Option<&'static str> {
    Some(match raw {
        "US" => "USD",
        "HK" => "HKD",
        "A" | "AU" => "AUD",
        "C" | "CA" | "CAN" => "CAD",
        "S" | "SG" => "SGD",
        "NZ" => "NZD",
        "NT" => "TWD",
        "R" => "BRL",
        "MX" => "MXN",
        _ => return None,
    })
}

/// A currency sign that is not "$" (the caller handles "¥", whose currency
/// depends on the text around it).
pub(super) fn currency_sign(c: char) -> Option<&'static str> {
    Some(match c {
        '£' => "GBP",
        '€' => "EUR",
        '₹' => "INR",
        '₩' => "KRW",
        '₽' => "RUB",
        '₪' => "ILS",
        '₦' => "NGN",
        '¥' | '￥' => "JPY",
        _ => return None,
    })
}

/// How a currency word after an amount names its currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum CurrencyWord {
    /// Always this currency ("yuan", "euros").
    Fixed(&'static str),
    /// "dollars": US dollars unless an adjective says otherwise.
    Dollar,
    /// "pounds": sterling or weight, depending on context.
    Pound,
    /// Hundredths of the adjective's currency, else of the US dollar.
    Cent,
    /// Hundredths of sterling.
    Pence,
    /// A currency word that is also an everyday word ("won", "rand", "real"):
    /// money only after a scale word or a national adjective.
    Ambiguous(&'static str),
    /// Shared by several countries ("pesos"): money only with an adjective.
    NeedsAdjective,
}

pub(super) fn currency_word(word: &str) -> Option<CurrencyWord> {
    use CurrencyWord::*;
    Some(match word {
        "dollar" | "dollars" => Dollar,
        "yuan" | "renminbi" => Fixed("CNY"),
        "euro" | "euros" => Fixed("EUR"),
        "pound" | "pounds" => Pound,
        "sterling" => Fixed("GBP"),
        "yen" => Fixed("JPY"),
        "rupee" | "rupees" => Fixed("INR"),
        "franc" | "francs" => Fixed("CHF"),
        "ruble" | "rubles" | "rouble" | "roubles" => Fixed("RUB"),
        "lira" | "liras" => Fixed("TRY"),
        "reais" => Fixed("BRL"),
        "riyal" | "riyals" => Fixed("SAR"),
        "dirham" | "dirhams" => Fixed("AED"),
        "krona" | "kronor" => Fixed("SEK"),
        "zloty" | "zlotys" => Fixed("PLN"),
        "ringgit" => Fixed("MYR"),
        "baht" => Fixed("THB"),
        "rupiah" => Fixed("IDR"),
        "shekel" | "shekels" => Fixed("ILS"),
        "naira" => Fixed("NGN"),
        "cent" | "cents" => Cent,
        "pence" => Pence,
        "won" => Ambiguous("KRW"),
        "rand" => Ambiguous("ZAR"),
        "real" => Ambiguous("BRL"),
        "dong" => Ambiguous("VND"),
        "peso" | "pesos" | "krone" | "kroner" => NeedsAdjective,
        _ => return None,
    })
}

/// A national adjective before a currency word, and the currency it names
/// for that word ("Hong Kong dollars", "Swiss francs").
pub(super) fn adjective_currency(adjective: &str, word: &str) -> Option<&'static str> {
    let dollar = matches!(word, "dollar" | "dollars");
    let cent = matches!(word, "cent" | "cents");
    Some(match adjective {
        "us" | "u.s." | "american" if dollar || cent => "USD",
        "hong kong" if dollar => "HKD",
        "australian" if dollar || cent => "AUD",
        "canadian" if dollar || cent => "CAD",
        "singapore" | "singaporean" if dollar => "SGD",
        "new zealand" if dollar => "NZD",
        "taiwan" | "taiwanese" | "new taiwan" if dollar => "TWD",
        "euro" if cent => "EUR",
        "chinese" if matches!(word, "yuan" | "renminbi") => "CNY",
        "japanese" if word == "yen" => "JPY",
        "indian" if word.starts_with("rupee") => "INR",
        "pakistani" if word.starts_with("rupee") => "PKR",
        "swiss" if word.starts_with("franc") => "CHF",
        "south korean" | "korean" if word == "won" => "KRW",
        "south african" if word == "rand" => "ZAR",
        "brazilian" if matches!(word, "real" | "reais") => "BRL",
        "mexican" if word.starts_with("peso") => "MXN",
        "philippine" if word.starts_with("peso") => "PHP",
        "argentine" | "argentinian" if word.starts_with("peso") => "ARS",
        "chilean" if word.starts_with("peso") => "CLP",
        "colombian" if word.starts_with("peso") => "COP",
        "norwegian" if word.starts_with("kron") => "NOK",
        "danish" if word.starts_with("kron") => "DKK",
        "swedish" if word.starts_with("kron") => "SEK",
        "russian" if word.starts_with("ruble") || word.starts_with("rouble") => "RUB",
        "turkish" if word.starts_with("lira") => "TRY",
        "saudi" if word.starts_with("riyal") => "SAR",
        _ => return None,
    })
}

/// The first word of a national adjective that may take a second word
/// ("hong" kong, "new" zealand, "south" korean).
pub(super) fn adjective_continues(first: &str) -> Option<&'static [&'static str]> {
    Some(match first {
        "hong" => &["kong"],
        "new" => &["zealand", "taiwan"],
        "south" => &["korean", "african"],
        _ => return None,
    })
}

/// A month name, case as written: full names in title case ("November"),
/// and abbreviations ("Nov", "Sept") that the caller accepts with or without
/// a full stop. Lowercase "may" and "march" are verbs, so never months.
pub(super) fn month(raw: &str) -> Option<(u8, bool)> {
    Some(match raw {
        "January" => (1, false),
        "February" => (2, false),
        "March" => (3, false),
        "April" => (4, false),
        "May" => (5, false),
        "June" => (6, false),
        "July" => (7, false),
        "August" => (8, false),
        "September" => (9, false),
        "October" => (10, false),
        "November" => (11, false),
        "December" => (12, false),
        "Jan" => (1, true),
        "Feb" => (2, true),
        "Mar" => (3, true),
        "Apr" => (4, true),
        "Jun" => (6, true),
        "Jul" => (7, true),
        "Aug" => (8, true),
        "Sep" | "Sept" => (9, true),
        "Oct" => (10, true),
        "Nov" => (11, true),
        "Dec" => (12, true),
        _ => return None,
    })
}

/// Words before a month name that show it is used as a month ("in May").
pub(super) fn month_preposition(word: &str, month: u8) -> bool {
    match word {
        "in" | "since" | "until" | "till" | "through" | "during" | "early" | "late" | "mid"
        | "last" | "next" | "this" | "before" | "after" => true,
        // "by May" and "of May" are as likely to be the surname.
        "by" | "from" | "of" | "end" => month != 5,
        _ => false,
    }
}

/// A fraction's denominator: its size and whether the word is plural.
pub(super) fn denominator(word: &str) -> Option<(u32, bool)> {
    Some(match word {
        "third" => (3, false),
        "thirds" => (3, true),
        "quarter" => (4, false),
        "quarters" => (4, true),
        "fifth" => (5, false),
        "fifths" => (5, true),
        "sixth" => (6, false),
        "sixths" => (6, true),
        "seventh" => (7, false),
        "sevenths" => (7, true),
        "eighth" => (8, false),
        "eighths" => (8, true),
        "ninth" => (9, false),
        "ninths" => (9, true),
        "tenth" => (10, false),
        "tenths" => (10, true),
        _ => return None,
    })
}

/// Words that may follow a fraction used as a share ("a third of", "a fifth
/// higher"); anything else ("a third consecutive", "a quarter earlier") reads
/// as an ordinal or a calendar quarter.
pub(super) fn fraction_follower(word: &str) -> bool {
    matches!(
        word,
        "of" | "to"
            | "from"
            | "since"
            | "in"
            | "on"
            | "than"
            | "and"
            | "or"
            | "versus"
            | "compared"
            | "last"
            | "this"
            | "between"
    ) || comparative(word)
}

pub(super) fn comparative(word: &str) -> bool {
    matches!(
        word,
        "more"
            | "less"
            | "fewer"
            | "higher"
            | "lower"
            | "larger"
            | "smaller"
            | "bigger"
            | "cheaper"
            | "greater"
    )
}

/// Words after "half" that make it a share ("half of", "half the market").
pub(super) fn half_follower(word: &str) -> bool {
    matches!(
        word,
        "of" | "the"
            | "its"
            | "their"
            | "our"
            | "his"
            | "her"
            | "all"
            | "that"
            | "those"
            | "these"
            | "this"
            | "what"
            | "my"
            | "your"
    )
}

/// Things a "per" or "a" phrase after a figure may be per ("a share").
pub(super) fn per_after_article(word: &str) -> Option<&'static str> {
    Some(match word {
        "share" => "share",
        "barrel" => "barrel",
        "day" => "day",
        "week" => "week",
        "month" => "month",
        "year" => "year",
        "hour" => "hour",
        "minute" => "minute",
        "night" => "night",
        "ton" => "ton",
        "tonne" => "tonne",
        "unit" => "unit",
        "piece" => "piece",
        "head" => "head",
        "person" => "person",
        "ounce" => "ounce",
        "gallon" => "gallon",
        "litre" | "liter" => "liter",
        "pound" => "pound",
        "kilogram" | "kilo" => "kg",
        "seat" => "seat",
        "user" => "user",
        "subscriber" => "subscriber",
        "customer" => "customer",
        "employee" => "employee",
        "passenger" => "passenger",
        "mile" => "mile",
        "megawatt" => "mw",
        "year-end" => return None,
        _ => return None,
    })
}

/// Words after "a year" (and the like) that make it a time reference rather
/// than a rate ("$4.3 billion a year earlier").
pub(super) fn time_reference_follower(word: &str) -> bool {
    matches!(
        word,
        "earlier"
            | "ago"
            | "before"
            | "later"
            | "after"
            | "prior"
            | "previously"
            | "back"
            | "on"
            | "from"
            | "since"
            | "into"
            | "out"
    )
}

/// Grammar words that end a noun phrase, so a counted noun cannot lie past them.
pub(super) fn ends_noun_phrase(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "the"
            | "and"
            | "or"
            | "but"
            | "nor"
            | "of"
            | "to"
            | "in"
            | "on"
            | "at"
            | "for"
            | "from"
            | "by"
            | "with"
            | "without"
            | "into"
            | "onto"
            | "over"
            | "under"
            | "than"
            | "as"
            | "per"
            | "via"
            | "about"
            | "after"
            | "before"
            | "since"
            | "until"
            | "during"
            | "between"
            | "through"
            | "across"
            | "against"
            | "among"
            | "within"
            | "is"
            | "are"
            | "was"
            | "were"
            | "be"
            | "been"
            | "being"
            | "am"
            | "pm"
            | "has"
            | "have"
            | "had"
            | "do"
            | "does"
            | "did"
            | "will"
            | "would"
            | "shall"
            | "should"
            | "can"
            | "could"
            | "may"
            | "might"
            | "must"
            | "that"
            | "which"
            | "who"
            | "whom"
            | "whose"
            | "what"
            | "when"
            | "where"
            | "why"
            | "how"
            | "this"
            | "these"
            | "those"
            | "it"
            | "its"
            | "they"
            | "them"
            | "their"
            | "he"
            | "him"
            | "his"
            | "she"
            | "her"
            | "we"
            | "us"
            | "our"
            | "you"
            | "your"
            | "i"
            | "me"
            | "my"
            | "not"
            | "no"
            | "so"
            | "if"
            | "then"
            | "also"
            | "just"
            | "only"
            | "each"
            | "every"
            | "said"
            | "says"
            | "say"
            | "according"
            | "up"
            | "down"
            | "out"
            | "off"
            | "while"
            | "because"
            | "percent"
            | "cent"
            | "times"
            | "o"
            | "versus"
            | "vs"
            | "ago"
            | "earlier"
            | "later"
    )
}

/// Irregular plural nouns that are counted, with their singular.
fn irregular_plural(word: &str) -> Option<&'static str> {
    Some(match word {
        "people" => "person",
        "men" => "man",
        "women" => "woman",
        "children" => "child",
        "staff" => "staff",
        "staffers" => "staffer",
        "personnel" => "personnel",
        "aircraft" => "aircraft",
        "spacecraft" => "spacecraft",
        "cattle" => "cattle",
        "sheep" => "sheep",
        "mice" => "mouse",
        "geese" => "goose",
        "teeth" => "tooth",
        "alumni" => "alumnus",
        "criteria" => "criterion",
        "police" => "police",
        "fish" => "fish",
        "deer" => "deer",
        "series" => "series",
        "species" => "species",
        "lives" => "life",
        "wives" => "wife",
        "knives" => "knife",
        "shelves" => "shelf",
        "halves" => "half",
        "leaves" => "leaf",
        "wolves" => "wolf",
        "thieves" => "thief",
        "buses" => "bus",
        "gases" => "gas",
        "movies" => "movie",
        "cookies" => "cookie",
        "calories" => "calorie",
        "rookies" => "rookie",
        "selfies" => "selfie",
        "zombies" => "zombie",
        "pies" => "pie",
        "ties" => "tie",
        "lies" => "lie",
        "freebies" => "freebie",
        "niches" => "niche",
        "caches" => "cache",
        "headaches" => "headache",
        "avalanches" => "avalanche",
        "cliches" => "cliche",
        _ => return None,
    })
}

/// Words ending in "s" that are not plural nouns.
fn s_word_not_plural(word: &str) -> bool {
    matches!(
        word,
        "as" | "is"
            | "was"
            | "has"
            | "his"
            | "its"
            | "this"
            | "thus"
            | "yes"
            | "us"
            | "plus"
            | "minus"
            | "less"
            | "unless"
            | "across"
            | "perhaps"
            | "always"
            | "sometimes"
            | "besides"
            | "whereas"
            | "towards"
            | "afterwards"
            | "nevertheless"
            | "does"
            | "goes"
            | "says"
            | "makes"
            | "takes"
            | "gets"
            | "comes"
            | "means"
            | "remains"
            | "includes"
            | "shows"
            | "seems"
            | "needs"
            | "looks"
            | "runs"
            | "leads"
            | "holds"
            | "plans"
            | "expects"
            | "sees"
            | "gives"
            | "keeps"
            | "puts"
            | "sets"
            | "helps"
            | "adds"
            | "wants"
            | "uses"
            | "starts"
            | "ends"
            | "rises"
            | "falls"
            | "grows"
            | "gains"
            | "owns"
            | "employs"
            | "reports"
            | "represents"
            | "accounts"
            | "equals"
            | "totals"
            | "amounts"
            | "costs"
            | "pays"
            | "sells"
            | "buys"
            | "offers"
            | "lets"
            | "whereby"
            | "thanks"
            | "news"
            | "ones"
            | "others"
            | "various"
            | "previous"
            | "serious"
            | "famous"
            | "numerous"
            | "enormous"
            | "obvious"
            | "anonymous"
            | "analysis"
            | "basis"
            | "crisis"
            | "thesis"
            | "status"
            | "bonus"
            | "focus"
            | "campus"
            | "census"
            | "virus"
            | "surplus"
            | "chassis"
            | "overseas"
            | "nowadays"
            | "percents"
            | "cents"
            | "points"
            | "s"
    )
}

/// The singular of a plural counted noun ("countries" -> "country"), or
/// `None` when the word does not look like a plural noun.
pub(super) fn singular_of_plural(word: &str) -> Option<String> {
    if let Some(singular) = irregular_plural(word) {
        return Some(singular.to_string());
    }
    let n = word.len();
    if n < 3 || !word.ends_with('s') || s_word_not_plural(word) {
        return None;
    }
    if word.ends_with("ss") || word.ends_with("us") || word.ends_with("is") || word.ends_with("'s")
    {
        return None;
    }
    if word.ends_with("ous") {
        return None;
    }
    if n > 4 && word.ends_with("ies") {
        return Some(format!("{}y", &word[..n - 3]));
    }
    if word.ends_with("sses")
        || word.ends_with("shes")
        || word.ends_with("ches")
        || word.ends_with("xes")
        || word.ends_with("zzes")
    {
        return Some(word[..n - 2].to_string());
    }
    Some(word[..n - 1].to_string())
}

/// Verbs of movement, base form: "rose up to 5%" and "fell 5% to 3%" state a
/// change, not a bound or a range.
const MOVEMENT_VERBS: &[&str] = &[
    "rise",
    "climb",
    "increase",
    "go",
    "ramp",
    "scale",
    "move",
    "jump",
    "shoot",
    "edge",
    "tick",
    "push",
    "bring",
    "step",
    "boost",
    "revise",
    "mark",
    "trade",
    "add",
    "sum",
    "round",
    "build",
    "run",
    "count",
    "lead",
    "pick",
    "speed",
    "lift",
    "jack",
    "hike",
    "bump",
    "ratchet",
    "inch",
    "creep",
    "drift",
    "grow",
    "soar",
    "surge",
    "spike",
    "gear",
    "firm",
    "level",
    "trend",
    "bid",
    "bounce",
    "come",
    "fall",
    "drop",
    "decline",
    "decrease",
    "slip",
    "slide",
    "sink",
    "gain",
    "lose",
    "cut",
    "raise",
    "lower",
    "expand",
    "contract",
    "narrow",
    "widen",
    "plunge",
    "tumble",
    "ease",
    "improve",
    "rebound",
    "recover",
    "advance",
    "retreat",
    "dip",
    "shrink",
    "swell",
    "balloon",
    "double",
    "triple",
    "halve",
    "accelerate",
    "slow",
    "fell",
    "rose",
    "grew",
    "went",
    "came",
    "took",
    "brought",
    "built",
    "ran",
    "led",
    "shot",
    "slid",
    "sank",
    "shrank",
    "lost",
    "sped",
    "crept",
    "risen",
    "grown",
    "gone",
    "fallen",
    "sunk",
    "shrunk",
    "come",
];

/// True for any form of a verb of movement ("rose", "climbed", "ramping").
pub(super) fn is_movement_verb(word: &str) -> bool {
    if MOVEMENT_VERBS.contains(&word) {
        return true;
    }
    if word.len() < 3 {
        return false;
    }
    let stems = [
        word.strip_suffix("ing"),
        word.strip_suffix("ed"),
        word.strip_suffix("es"),
        word.strip_suffix('s'),
        word.strip_suffix('d'),
    ];
    stems.into_iter().flatten().any(|stem| {
        stem.len() >= 2
            && MOVEMENT_VERBS.iter().any(|verb| {
                *verb == stem
                    // "rising" -> "ris" + "e".
                    || (verb.len() == stem.len() + 1 && verb.starts_with(stem) && verb.ends_with('e'))
                    // "stepped" -> "stepp" -> "step".
                    || (stem.len() == verb.len() + 1
                        && stem.starts_with(verb)
                        && stem.as_bytes()[stem.len() - 1] == stem.as_bytes()[stem.len() - 2])
                    // "intensified" -> "intensifi" -> "intensify".
                    || (verb.len() == stem.len()
                        && verb.ends_with('y')
                        && stem.ends_with('i')
                        && verb[..verb.len() - 1] == stem[..stem.len() - 1])
            })
    })
}

/// Past or progressive forms of a movement verb: "rose 4% to 5%" is a
/// change, while the base form in guidance ("expects sales to rise 4% to 5%")
/// still introduces a range.
pub(super) fn is_past_movement(word: &str) -> bool {
    if matches!(word, "up" | "down") {
        return true;
    }
    if !is_movement_verb(word) {
        return false;
    }
    word.ends_with("ed")
        || word.ends_with("ing")
        || matches!(
            word,
            "fell"
                | "rose"
                | "grew"
                | "went"
                | "came"
                | "took"
                | "brought"
                | "built"
                | "ran"
                | "led"
                | "shot"
                | "slid"
                | "sank"
                | "shrank"
                | "lost"
                | "sped"
                | "crept"
                | "cut"
                | "risen"
                | "grown"
                | "fallen"
        )
}

/// Words between which and "up to" the "up" belongs to a phrasal verb
/// ("taking the total up to 225"), so "up to" is not a bound.
pub(super) fn up_to_object(word: &str) -> bool {
    matches!(
        word,
        "it" | "them"
            | "total"
            | "tally"
            | "count"
            | "number"
            | "figure"
            | "level"
            | "stake"
            | "holding"
            | "holdings"
            | "tab"
            | "bill"
            | "price"
            | "prices"
            | "forecast"
            | "outlook"
            | "guidance"
            | "target"
            | "estimate"
            | "estimates"
            | "book"
            | "backlog"
            | "fleet"
            | "headcount"
            | "workforce"
    )
}

/// Words after "from" that start a prior range rather than a change:
/// "up from 3% to 4%" and "ranging from 3% to 4%".
pub(super) fn range_from_lead(word: &str) -> bool {
    matches!(
        word,
        "up" | "down" | "ranging" | "range" | "ranges" | "ranged" | "varying" | "varies" | "vary"
    )
}

/// Capitalised words that open a sentence before a count without naming
/// anything ("Only 12 stores", "All 31 countries").
pub(super) fn sentence_opener(word: &str) -> bool {
    matches!(
        word,
        "all"
            | "only"
            | "another"
            | "just"
            | "exactly"
            | "nearly"
            | "some"
            | "both"
            | "fully"
            | "roughly"
            | "around"
            | "approximately"
            | "almost"
            | "those"
            | "these"
            | "while"
            | "yet"
            | "still"
            | "now"
            | "today"
            | "yesterday"
            | "last"
            | "next"
            | "overall"
            | "including"
            | "excluding"
            | "plus"
    )
}

/// Words after a hyphenated number that are not the thing counted:
/// ordinals ("twenty-first"), "20-plus", "30-odd", "3-to-1".
pub(super) fn not_a_hyphen_noun(word: &str) -> bool {
    matches!(
        word,
        "plus"
            | "odd"
            | "something"
            | "ish"
            | "first"
            | "second"
            | "third"
            | "way"
            | "year-old"
            | "old"
            | "fold"
            | "digit"
            | "point"
            | "percent"
    ) || word.ends_with("th")
}

/// Determiners and possessives inside a noun phrase.
pub(super) fn determiner(word: &str) -> bool {
    matches!(
        word,
        "the" | "its" | "their" | "our" | "his" | "her" | "a" | "an" | "this" | "that" | "your"
    )
}
