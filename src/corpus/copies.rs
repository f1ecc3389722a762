//! Documents that are copies of one another: a wire story syndicated to many
//! sites, a page saved twice, a PDF and its HTML twin. Front ends show one
//! document of such a group and say how many copies agree, rather than list
//! the same sentence twenty times.
//!
//! Computed once per corpus, in two passes over each document's words
//! (lower-cased letters and digits, everything else a separator, so markup
//! and spacing do not matter):
//! - a hash of the whole word sequence groups exact copies;
//! - a MinHash signature of its five-word shingles, banded
//!   (locality-sensitive hashing), finds near copies; a pair in one bucket
//!   joins a group only when its signatures agree in at least
//!   [`NEAR_COPY_AGREEMENT`] of their places (an estimate of the shingle sets'
//!   Jaccard similarity). Each bucket compares its members with its first
//!   only, so a bucket that many unrelated documents fall into costs a
//!   linear pass, not a quadratic one.

use super::union_find::UnionFind;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use super::{Corpus, DocId};

/// Words in a shingle.
const SHINGLE: usize = 5;
/// MinHash values per document, in [`BANDS`] bands of equal width.
const SIGNATURE: usize = 32;
const BANDS: usize = 8;
/// How many of the 32 MinHash places must agree for a near copy: 26/32 ≈ an
/// estimated Jaccard similarity of 0.8 between the shingle sets.
const NEAR_COPY_AGREEMENT: usize = 26;
/// Documents shorter than this (in words) are grouped only when identical:
/// a few shared sentences would make two short pieces look alike.
const MIN_NEAR_WORDS: usize = 40;

/// Which documents of a corpus are copies of which.
#[derive(Clone, Debug, Default)]
pub struct Copies {
    /// For each document, the first document of its group (itself when alone).
    leader: Vec<u32>,
    /// For each document, how many documents its group holds (set on leaders).
    size: Vec<u32>,
}

impl Copies {
    /// Finds the groups of copies in `corpus`.
    pub fn find(corpus: &Corpus) -> Copies {
        let documents = corpus.documents();
        let signatures: Vec<(u64, Option<[u32; SIGNATURE]>)> = documents
            .par_iter()
            .map(|doc| signature(&doc.text))
            .collect();
        let mut groups = UnionFind::new(documents.len());
        let mut exact: HashMap<u64, usize> = HashMap::new();
        for (index, (whole, _)) in signatures.iter().enumerate() {
            let first = *exact.entry(*whole).or_insert(index);
            groups.join(first, index);
        }
        let rows = SIGNATURE / BANDS;
        for band in 0..BANDS {
            let mut buckets: HashMap<&[u32], usize> = HashMap::new();
            for (index, (_, minhash)) in signatures.iter().enumerate() {
                let Some(minhash) = minhash else {
                    continue;
                };
                let key = &minhash[band * rows..(band + 1) * rows];
                let first = *buckets.entry(key).or_insert(index);
                if first == index || groups.find(first) == groups.find(index) {
                    continue;
                }
                let other = signatures[first].1.as_ref().expect("bucketed with one");
                let agree = minhash.iter().zip(other).filter(|(a, b)| a == b).count();
                if agree >= NEAR_COPY_AGREEMENT {
                    groups.join(first, index);
                }
            }
        }
        let leader: Vec<u32> = (0..documents.len())
            .map(|index| groups.find(index) as u32)
            .collect();
        let mut size = vec![0u32; documents.len()];
        for &first in &leader {
            size[first as usize] += 1;
        }
        Copies { leader, size }
    }

    /// The document that stands for `doc`'s group (`doc` itself when it has no copies).
    pub fn leader(&self, doc: DocId) -> DocId {
        DocId(self.leader.get(doc.index()).copied().unwrap_or(doc.0))
    }

    /// How many documents `doc`'s group holds, itself included.
    pub fn group_size(&self, doc: DocId) -> usize {
        let leader = self.leader(doc);
        self.size.get(leader.index()).copied().unwrap_or(1).max(1) as usize
    }

    /// Whether `a` and `b` are copies of one another (or the same document).
    pub fn same(&self, a: DocId, b: DocId) -> bool {
        self.leader(a) == self.leader(b)
    }

    /// How many groups of two or more documents there are.
    pub fn group_count(&self) -> usize {
        self.size.iter().filter(|&&n| n > 1).count()
    }
}

/// A document's whole-text hash and, when it is long enough, its MinHash signature.
fn signature(text: &str) -> (u64, Option<[u32; SIGNATURE]>) {
    let mut whole = std::collections::hash_map::DefaultHasher::new();
    let mut window = [0u64; SHINGLE];
    let mut words = 0usize;
    let mut minhash = [u32::MAX; SIGNATURE];
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for ch in word.chars().flat_map(char::to_lowercase) {
            ch.hash(&mut hasher);
        }
        let hash = hasher.finish();
        hash.hash(&mut whole);
        window[words % SHINGLE] = hash;
        words += 1;
        if words >= SHINGLE {
            // The shingle's hash: its words in order, oldest first.
            let mut shingle = 0u64;
            for offset in 0..SHINGLE {
                let word = window[(words + offset) % SHINGLE];
                shingle = (shingle ^ word)
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                    .rotate_left(29);
            }
            for (place, slot) in minhash.iter_mut().enumerate() {
                let mixed = mix(shingle ^ SEEDS[place]);
                *slot = (*slot).min((mixed >> 32) as u32);
            }
        }
    }
    let near = (words >= MIN_NEAR_WORDS).then_some(minhash);
    (whole.finish(), near)
}

/// SplitMix64's finaliser: a cheap, well-spread permutation of 64 bits.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// One seed per MinHash place: each makes `mix` a different hash function.
const SEEDS: [u64; SIGNATURE] = {
    let mut seeds = [0u64; SIGNATURE];
    let mut i = 0;
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    while i < SIGNATURE {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        seeds[i] = z ^ (z >> 31);
        i += 1;
    }
    seeds
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{CorpusOptions, SourceText};

    const STORY: &str = "Harbor Lane Foods said on Tuesday it will buy Millbrook Dairy for \
        $410 million in cash, its largest purchase in a decade. The chief executive, Dana \
        Ortiz, said the dairy's brands would keep their names and that no plants would \
        close. Millbrook, founded in 1931, employs 1,200 people in three states and sold \
        $880 million of milk, cheese and yoghurt last year. Analysts said the price, about \
        eleven times earnings, was fair for a business growing this slowly, and shares of \
        Harbor Lane rose 3 percent in early trading.";

    fn source(id: &str, text: String) -> SourceText {
        SourceText {
            id: id.into(),
            path: format!("/corpus/{id}.txt").into(),
            title: id.into(),
            text,
            ..SourceText::default()
        }
    }

    #[test]
    fn exact_and_near_copies_group_and_different_stories_do_not() {
        let sources = vec![
            source("wire", STORY.to_string()),
            // Re-saved: other spacing and case, a line break in a sentence.
            source("resaved", STORY.replace(". ", ".\n\n").to_uppercase()),
            // Syndicated: a site's dateline and a footer around the same story.
            source(
                "site",
                format!("PORTLAND (Wire) - {STORY}\n\nCopyright 2024 The Daily Site."),
            ),
            // The same subject, other words: not a copy.
            source(
                "other",
                "Harbor Lane Foods agreed to acquire Millbrook Dairy, a family-owned \
                 business, in a deal valued at $410 million. Millbrook's 1,200 workers \
                 will stay on, the companies said in a joint statement on Tuesday, and \
                 its three plants will keep running. The deal needs the approval of \
                 regulators and is expected to close by the end of the summer, after \
                 which Millbrook's founders will leave the board."
                    .to_string(),
            ),
            source("short", "Markets closed higher.".to_string()),
            source("short-copy", "Markets closed higher.".to_string()),
            source("short-other", "Markets closed lower.".to_string()),
        ];
        let corpus = Corpus::from_sources(sources, CorpusOptions::default());
        let copies = Copies::find(&corpus);
        let id = |name: &str| {
            DocId(
                corpus
                    .documents()
                    .iter()
                    .position(|d| d.id == name)
                    .unwrap() as u32,
            )
        };
        assert!(copies.same(id("wire"), id("resaved")));
        assert!(copies.same(id("wire"), id("site")));
        assert!(!copies.same(id("wire"), id("other")));
        assert_eq!(copies.group_size(id("site")), 3);
        assert_eq!(copies.leader(id("site")), copies.leader(id("resaved")));
        assert!(copies.same(id("short"), id("short-copy")));
        assert!(!copies.same(id("short"), id("short-other")));
        assert_eq!(copies.group_size(id("other")), 1);
        assert_eq!(copies.group_count(), 2);
    }

    #[test]
    fn an_empty_corpus_has_no_groups() {
        let corpus = Corpus::from_sources(Vec::new(), CorpusOptions::default());
        let copies = Copies::find(&corpus);
        assert_eq!(copies.group_count(), 0);
        assert_eq!(copies.group_size(DocId(3)), 1);
        assert_eq!(copies.leader(DocId(3)), DocId(3));
    }
}
