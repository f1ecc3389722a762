//! The words before a figure: its qualifier ("about", "up to", "no more
//! than"), "between", a verb of movement, a capitalised name, "minus".

use crate::extract::Qualifier;

use super::{lx, Context, Lower, Scan};

impl Scan<'_> {
    pub(super) fn context(&self, start: usize) -> Context {
        let mut ctx = self.plain_context();
        ctx.lead_start = start;
        let mut words: [(usize, usize); 5] = [(0, 0); 5];
        let mut n = 0;
        let mut at = start;
        while n < 5 {
            match self.prev_word(at) {
                Some(w) => {
                    words[n] = w;
                    at = w.0;
                    n += 1;
                }
                None => break,
            }
        }
        let lows: [Lower; 5] = std::array::from_fn(|k| {
            if k < n {
                self.lower(words[k])
            } else {
                Lower::empty()
            }
        });
        let word = |k: usize| lows.get(k).map(|l| l.as_str()).unwrap_or("");
        // "~5%", "≈ $3bn".
        let before = self.skip_ws_back(start);
        if let Some(c) = self.char_before(before) {
            if c == '~' || c == '≈' {
                ctx.qualifier = Qualifier::About;
                ctx.lead_start = before - c.len_utf8();
            }
        }
        if ctx.qualifier == Qualifier::Exact {
            if let Some((qualifier, used)) = qualifier_of(word(0), word(1), word(2)) {
                let up_to_verb =
                    qualifier == Qualifier::AtMost && used == 2 && word(1) == "up" && {
                        // "rose up to 225", "took the total up to 225", "brings
                        // its order book up to 225": the "up" of a phrasal verb.
                        let mut change = lx::up_to_object(word(2));
                        for k in 2..n {
                            let w = word(k);
                            if change || lx::is_movement_verb(w) {
                                change = true;
                                break;
                            }
                            if lx::determiner(w) {
                                continue;
                            }
                            if lx::ends_noun_phrase(w) || lx::comparative(w) {
                                break;
                            }
                        }
                        change
                    };
                if !up_to_verb {
                    ctx.qualifier = qualifier;
                    ctx.lead_start = words[used - 1].0;
                }
                ctx.up_to_verb = up_to_verb;
            }
        }
        let first_lead = if ctx.lead_start == start {
            0
        } else {
            (0..n)
                .find(|&k| words[k].0 == ctx.lead_start)
                .map_or(0, |k| k + 1)
        };
        let lead = |k: usize| word(first_lead + k);
        ctx.minus = word(0) == "minus" && word(1) != "or";
        ctx.between = lead(0) == "between";
        for k in 0..2 {
            if first_lead + k < n {
                ctx.lead_words[k] = words[first_lead + k];
            }
        }
        // A capitalised word right before the number that does not open a
        // sentence: "Windows 10", "Qihoo 360", "Boeing 737".
        if n > 0 && words[0].1 == self.skip_ws_back(start) && ctx.lead_start == start {
            let w = words[0];
            let first = self.b[w.0];
            let possessive = matches!(self.byte(w.1), b'\'');
            let lower = self.lower(w);
            let common = lx::ends_noun_phrase(lower.as_str())
                || qualifier_of(lower.as_str(), "", "").is_some()
                || lx::sentence_opener(lower.as_str());
            if first.is_ascii_uppercase()
                && !possessive
                && !(self.opens_sentence(w.0) && common)
                && lx::month(self.text(w)).is_none()
            {
                ctx.after_name = true;
            }
        }
        ctx
    }

    /// "from $4.33 billion to ...", "rose 4% to 5%", "rose by 2% to 3%",
    /// "climbed up to 5% to 6%": a change from one figure to another.
    pub(super) fn change_not_range(&self, ctx: &Context) -> bool {
        if ctx.up_to_verb {
            return true;
        }
        let lead0 = self.lower(ctx.lead_words[0]);
        let lead1 = self.lower(ctx.lead_words[1]);
        let (lead0, lead1) = (lead0.as_str(), lead1.as_str());
        (lead0 == "from" && !lx::range_from_lead(lead1))
            || lx::is_past_movement(lead0)
            || (lead0 == "by" && lx::is_movement_verb(lead1))
    }

    pub(super) fn skip_ws_back(&self, mut i: usize) -> usize {
        while i > 0 && matches!(self.b[i - 1], b' ' | b'\t') {
            i -= 1;
        }
        i
    }

    /// True when the word at `i` starts a sentence, line or quotation.
    fn opens_sentence(&self, i: usize) -> bool {
        let mut j = i;
        while j > 0 && matches!(self.b[j - 1], b' ' | b'\t') {
            j -= 1;
        }
        match self.char_before(j) {
            None => true,
            Some(c) => matches!(
                c,
                '.' | '!'
                    | '?'
                    | ':'
                    | ';'
                    | '\n'
                    | '\r'
                    | '"'
                    | '“'
                    | '‘'
                    | '('
                    | '['
                    | '-'
                    | '–'
                    | '—'
                    | '*'
                    | '#'
                    | '>'
                    | '|'
            ),
        }
    }
}

/// The qualifier phrase ending just before a figure, given the nearest
/// three words (nearest first), and how many words it uses.
pub(super) fn qualifier_of(w0: &str, w1: &str, w2: &str) -> Option<(Qualifier, usize)> {
    use Qualifier::*;
    let three = match (w2, w1, w0) {
        ("no" | "not", "more", "than") => Some(AtMost),
        ("slightly" | "little" | "just", "more", "than") => Some(JustOver),
        ("well", "more", "than") => Some(Above),
        ("a", "little", "over" | "above") => Some(JustOver),
        ("a", "little", "under" | "below") => Some(Nearly),
        ("just", "shy", "of") => Some(Nearly),
        ("slightly" | "just" | "little", "less" | "fewer", "than") => Some(Nearly),
        ("in", "excess", "of") => Some(Above),
        ("as", "much" | "many", "as") => Some(AtMost),
        ("as", "few" | "little", "as") => Some(AtLeast),
        ("no" | "not", "less" | "fewer", "than") => Some(AtLeast),
        ("a", "maximum", "of") => Some(AtMost),
        ("a", "minimum", "of") => Some(AtLeast),
        _ => None,
    };
    if let Some(q) = three {
        return Some((q, 3));
    }
    let two = match (w1, w0) {
        ("up", "to") => Some(AtMost),
        ("at", "most") => Some(AtMost),
        ("less" | "fewer", "than") => Some(Below),
        ("at", "least") => Some(AtLeast),
        ("more" | "greater", "than") => Some(Above),
        ("upwards" | "upward", "of") => Some(Above),
        ("well", "over" | "above") => Some(Above),
        ("just" | "slightly", "over" | "above") => Some(JustOver),
        ("just" | "slightly", "under" | "below") => Some(Nearly),
        ("close", "to") => Some(Nearly),
        ("an", "estimated") => Some(About),
        _ => None,
    };
    if let Some(q) = two {
        return Some((q, 2));
    }
    let one = match w0 {
        "about" | "around" | "roughly" | "approximately" | "approx" | "some" | "circa"
        | "estimated" => Some(About),
        "nearly" | "almost" => Some(Nearly),
        "over" | "above" | "exceeding" => Some(Above),
        "under" | "below" => Some(Below),
        _ => None,
    };
    one.map(|q| (q, 1))
}
