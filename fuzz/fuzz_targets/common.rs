//! What the fuzz targets share: the bundled example corpus, built once, and
//! checks that every span of a text lies on its character boundaries.
// Each target uses only some of these.
#![allow(dead_code)]

use std::sync::OnceLock;

use refnotes::corpus::{Corpus, CorpusOptions, SourceText};
use refnotes::text::Span;

/// The AWS China example corpus, compiled in so a target needs no files.
pub fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let source = |id: &str, text: &str, markdown: bool| SourceText {
            id: id.into(),
            path: format!("corpus/{id}").into(),
            title: id.into(),
            text: text.into(),
            markdown,
            ..SourceText::default()
        };
        let files = [
            (
                "geekwire-2013-kaifu-lee",
                include_str!("../../examples/aws-china/corpus/geekwire-2013-kaifu-lee.txt"),
                false,
            ),
            (
                "reuters",
                include_str!("../../examples/aws-china/corpus/reuters-2017-11-14.txt"),
                false,
            ),
            (
                "siliconangle",
                include_str!("../../examples/aws-china/corpus/siliconangle-2017-11-14.md"),
                true,
            ),
            (
                "variety",
                include_str!("../../examples/aws-china/corpus/variety-2017-11-14.md"),
                true,
            ),
        ];
        let sources = files
            .into_iter()
            .map(|(id, text, markdown)| source(id, text, markdown))
            .collect();
        Corpus::from_sources(sources, CorpusOptions::default())
    })
}

/// Panics unless `span` fits `text` and starts and ends between characters.
pub fn assert_on_boundaries(text: &str, span: Span, what: &str) {
    assert!(span.start <= span.end, "{what}: reversed span {span:?}");
    assert!(span.end() <= text.len(), "{what}: {span:?} past the end");
    assert!(
        text.is_char_boundary(span.start()) && text.is_char_boundary(span.end()),
        "{what}: {span:?} inside a character"
    );
}
