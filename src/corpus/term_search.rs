//! Searching the term index for the documents a note's words point to: those
//! holding every one of a set of terms, and the few sharing the most weight of
//! them. Both read each posting once into flat arrays, because at a million
//! postings (a common word in a large corpus) hashing each one per keystroke
//! was most of a re-check's time.

use super::index::TermIndex;

/// The documents whose sentences use every term of `terms`, ascending: the
/// rarest term's postings, kept where each other term's postings hold them.
pub fn documents_with_all(index: &TermIndex, terms: &[u32]) -> Vec<u32> {
    let mut lists: Vec<&[u32]> = terms.iter().map(|&t| index.documents_with(t)).collect();
    lists.sort_by_key(|list| list.len());
    let Some((rarest, others)) = lists.split_first() else {
        return Vec::new();
    };
    let mut found = rarest.to_vec();
    for list in others {
        // Both ascending: each search starts where the last one ended.
        let mut from = 0;
        found.retain(|doc| {
            from += list[from..].partition_point(|d| d < doc);
            list.get(from) == Some(doc)
        });
        if found.is_empty() {
            break;
        }
    }
    found
}

/// The `limit` documents with the highest sum of the weights of the terms
/// they use, best first (ties by document id), each with its sum. A term for
/// which `skip` says yes, given its document count, is not read.
pub fn best_documents(
    index: &TermIndex,
    weighted: &[(u32, f64)],
    skip: impl Fn(usize) -> bool,
    limit: usize,
) -> Vec<(u32, f64)> {
    let mut scores: Vec<f64> = Vec::new();
    let mut seen: Vec<bool> = Vec::new();
    let mut touched: Vec<u32> = Vec::new();
    for &(term, weight) in weighted {
        let postings = index.documents_with(term);
        if postings.is_empty() || skip(postings.len()) {
            continue;
        }
        if scores.is_empty() {
            scores = vec![0.0; index.document_count()];
            seen = vec![false; index.document_count()];
        }
        for &doc in postings {
            let at = doc as usize;
            if !seen[at] {
                seen[at] = true;
                touched.push(doc);
            }
            scores[at] += weight;
        }
    }
    let mut ranked: Vec<(u32, f64)> = touched
        .into_iter()
        .map(|doc| (doc, scores[doc as usize]))
        .collect();
    let order = |a: &(u32, f64), b: &(u32, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if ranked.len() > limit {
        ranked.select_nth_unstable_by(limit, order);
        ranked.truncate(limit);
    }
    ranked.sort_by(order);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Corpus;
    use crate::test_support::corpus;

    fn ids(corpus: &Corpus, words: &[&str]) -> Vec<u32> {
        words
            .iter()
            .map(|word| {
                let term =
                    &crate::extract::context::terms(word, crate::text::Span::new(0, word.len()))[0];
                corpus.terms().id(term).expect("indexed")
            })
            .collect()
    }

    #[test]
    fn all_terms_are_the_intersection_of_their_postings() {
        let corpus = corpus(&[
            "Harbour cranes arrived in Tessaly.",
            "Cranes idle.",
            "The harbour of Tessaly bought cranes.",
            "Tessaly harbour.",
            "Cranes, harbour and Tessaly again.",
        ]);
        let terms = ids(&corpus, &["cranes", "harbour", "tessaly"]);
        assert_eq!(documents_with_all(corpus.terms(), &terms), vec![0, 2, 4]);
        assert_eq!(documents_with_all(corpus.terms(), &[]), Vec::<u32>::new());
    }

    #[test]
    fn best_documents_rank_by_shared_weight_and_skip_what_they_are_told() {
        let corpus = corpus(&[
            "Cranes idle.",
            "Harbour cranes in Tessaly.",
            "Tessaly harbour.",
            "Cranes, and nothing else shared.",
        ]);
        let terms = ids(&corpus, &["cranes", "harbour", "tessaly"]);
        let weighted: Vec<(u32, f64)> = terms
            .iter()
            .zip([1.0, 2.0, 4.0])
            .map(|(&t, w)| (t, w))
            .collect();
        let best = best_documents(corpus.terms(), &weighted, |_| false, 10);
        assert_eq!(best, vec![(1, 7.0), (2, 6.0), (0, 1.0), (3, 1.0)]);
        assert_eq!(
            best_documents(corpus.terms(), &weighted, |_| false, 1),
            vec![(1, 7.0)]
        );
        // "cranes", in three documents, is skipped; a tie goes to the lower id.
        let rarer = best_documents(corpus.terms(), &weighted, |n| n >= 3, 10);
        assert_eq!(rarer, vec![(1, 6.0), (2, 6.0)]);
        assert!(best_documents(corpus.terms(), &weighted, |n| n >= 2, 10).is_empty());
    }
}
