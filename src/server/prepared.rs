//! What the server derives from a corpus once, when the corpus is swapped
//! in, so that requests only look things up: which documents are copies of
//! each other, and the completion index.

use crate::corpus::copies::Copies;
use crate::corpus::Corpus;

use super::features::completion::CompletionIndex;

#[derive(Debug, Default)]
pub struct Prepared {
    pub copies: Copies,
    pub completion: CompletionIndex,
}

impl Prepared {
    /// Builds everything for `corpus`; seconds on a gigabyte, so callers run
    /// it on the blocking pool, next to the work that made the corpus.
    pub fn build(corpus: &Corpus) -> Prepared {
        let (copies, completion) =
            rayon::join(|| Copies::find(corpus), || CompletionIndex::build(corpus));
        Prepared { copies, completion }
    }
}
