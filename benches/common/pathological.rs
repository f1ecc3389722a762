//! Hostile inputs a fast checker must still take in its stride: sentences of
//! hundreds of kilobytes, one line of thousands of figures, long runs of
//! ranges, citations and quotations, megabyte lines of digits or commas, and a
//! single source file at the default size limit. Shared by the `pathological`
//! bench (which times them) and the engine tests (which check they give
//! results).

/// A note that should be checked in well under a second.
pub struct Case {
    pub name: &'static str,
    pub note: String,
}

/// A small deterministic generator, so every run sees the same text.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// `bytes` of the vocabulary's words in random order with no sentence end
/// until the last character: one sentence.
pub fn one_sentence(vocabulary: &str, bytes: usize) -> String {
    let words: Vec<&str> = vocabulary
        .split_whitespace()
        .map(|w| w.trim_end_matches(['.', '!', '?', '…']))
        .filter(|w| !w.is_empty())
        .collect();
    let mut rng = Rng(0x5eed_0f5e);
    let mut text = String::with_capacity(bytes + 16);
    while text.len() < bytes {
        text.push_str(words[rng.below(words.len())]);
        text.push(' ');
    }
    text.truncate(text.trim_end().len());
    text.push_str(".\n");
    text
}

/// Every pathological note; `vocabulary` is real prose to draw words from.
pub fn notes(vocabulary: &str) -> Vec<Case> {
    let joined = |items: Vec<String>, separator: &str| items.join(separator);
    vec![
        Case {
            name: "sentence-100KB",
            note: one_sentence(vocabulary, 100_000),
        },
        Case {
            name: "sentence-200KB",
            note: one_sentence(vocabulary, 200_000),
        },
        Case {
            name: "dollars-1-to-8000",
            note: format!(
                "{}\n",
                joined((1..=8000).map(|i| format!("${i}")).collect(), " ")
            ),
        },
        Case {
            name: "range-list",
            note: format!(
                "Cloud revenue in China grew {} last year.\n",
                joined(
                    (1..6000)
                        .map(|i| format!("{i}-{} percent", i + 1))
                        .collect(),
                    ", "
                )
            ),
        },
        Case {
            name: "percent-run",
            note: format!(
                "Chinese firms hold {}.\n",
                joined(
                    (0..5000)
                        .map(|i| format!("{} percent of cloud services revenue", i % 100))
                        .collect(),
                    ", "
                )
            ),
        },
        Case {
            name: "citation-run",
            note: format!(
                "Sinnet paid 2 billion yuan {}.\n",
                joined((0..8000).map(|_| "[@reuters]".to_string()).collect(), " ")
            ),
        },
        Case {
            name: "citation-keys",
            note: format!(
                "Sinnet paid 2 billion yuan [{}].\n",
                joined((0..8000).map(|_| "@reuters".to_string()).collect(), "; ")
            ),
        },
        Case {
            name: "quote-run",
            note: format!(
                "An AWS spokesman said {}.\n",
                joined(
                    (0..4000)
                        .map(|i| format!("“we comply with Chinese law {i}”"))
                        .collect(),
                    " "
                )
            ),
        },
        Case {
            name: "digits-1MB",
            note: format!("{}\n", "7".repeat(1_000_000)),
        },
        Case {
            name: "commas-1MB",
            note: format!("{}\n", "1,".repeat(500_000)),
        },
    ]
}
