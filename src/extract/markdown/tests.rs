//! Tests for the Markdown reader: what is prose, front matter, ignore
//! comments, and spans on odd input.

use expect_test::{expect, Expect};

use super::*;

/// One line per block: its kind and its text with hidden parts in ⟦⟧.
fn render(text: &str) -> String {
    let prose = parse(text);
    let mut out = String::new();
    for block in &prose.blocks {
        let mut shown = String::new();
        let mut at = block.span.start();
        for hidden in prose
            .hidden
            .iter()
            .filter(|h| block.span.contains_span(**h))
        {
            shown.push_str(&text[at..hidden.start()]);
            shown.push('⟦');
            shown.push_str(hidden.slice(text));
            shown.push('⟧');
            at = hidden.end();
        }
        shown.push_str(&text[at..block.span.end()]);
        out.push_str(&format!(
            "{:?}: {}\n",
            block.kind,
            shown.replace("\r\n", "⏎").replace('\n', "⏎")
        ));
    }
    for directive in &prose.ignores {
        out.push_str(&format!(
            "ignore line {} {:?}\n",
            directive.line, directive.codes
        ));
    }
    out
}

fn check(text: &str, expected: Expect) {
    let prose = parse(text);
    for span in prose
        .blocks
        .iter()
        .map(|b| b.span)
        .chain(prose.hidden.iter().copied())
    {
        assert!(text.is_char_boundary(span.start()) && text.is_char_boundary(span.end()));
    }
    for pair in prose.hidden.windows(2) {
        assert!(
            pair[0].end < pair[1].start,
            "hidden spans overlap: {pair:?}"
        );
    }
    expected.assert_eq(&render(text));
}

#[test]
fn front_matter_fields() {
    let text = "---\ntitle: \"Halvard: Q3\"\ndate: 2025-10-28\nurl: 'https://example.com/it''s'\nrefnotes: false # off\n---\nBody.\n";
    let front = front_matter(text).expect("front matter");
    assert_eq!(front.title.as_deref(), Some("Halvard: Q3"));
    assert_eq!(front.date.as_deref(), Some("2025-10-28"));
    assert_eq!(front.url.as_deref(), Some("https://example.com/it's"));
    assert!(!front.refnotes_enabled);
    assert_eq!(
        front.span.slice(text),
        &text[..text.find("---\nBody").unwrap() + 3]
    );
    let prose = parse(text);
    assert_eq!(prose.front_matter, Some(front));
    assert_eq!(prose.blocks.len(), 1);
    assert_eq!(prose.blocks[0].span.slice(text), "Body.");

    let crlf = "---\r\ntitle: Plain title\r\n---\r\nBody.\r\n";
    let front = front_matter(crlf).expect("crlf front matter");
    assert_eq!(front.title.as_deref(), Some("Plain title"));
    assert!(front.refnotes_enabled);
    for not_front in [
        "---\n\nText\n---\n",
        "Text\n---\n",
        "---\ntitle: x\n",
        "---",
    ] {
        assert_eq!(front_matter(not_front), None, "{not_front:?}");
    }
}

#[test]
fn blocks_and_markers() {
    check(
        "# Heading one #\n\
         Para line one\n\
         lazy line two.\n\
         \n\
         - item one\n\
         \x20 continued here\n\
         - [ ] task item\n\
         \x20 1. nested ordered\n\
         > quoted line\n\
         > second quoted\n\
         \n\
         Setext title\n\
         ===\n\
         ***\n\
         ## Closing hashes ##   \n\
         #hashtag is text\n",
        expect![[r#"
            Heading: Heading one
            Paragraph: Para line one⏎lazy line two.
            ListItem: item one⏎  continued here
            ListItem: task item
            ListItem: nested ordered
            BlockQuote: quoted line⏎⟦> ⟧second quoted
            Heading: Setext title
            Heading: Closing hashes
            Paragraph: #hashtag is text
        "#]],
    );
}

#[test]
fn code_and_html_are_not_prose() {
    check(
        "Before.\n\
         ```rust\n\
         let x = \"$300 million\";\n\
         ```\n\
         ~~~~\n\
         ~~~\n\
         still code\n\
         ~~~~\n\
         \n\
         \x20   indented code\n\
         \n\
         <div class=\"note\">\n\
         hidden html\n\
         </div>\n\
         \n\
         [ref]: https://example.com \"Title\"\n\
         After.\n\
         ````\n\
         unclosed fence runs to the end\n",
        expect![[r#"
            Paragraph: Before.
            Paragraph: After.
        "#]],
    );
}

#[test]
fn inline_hidden_spans() {
    check(
        "Use ``code with ` tick`` and `x`, see [the text](https://a.com/x_(y) \"A title\") \
         and ![alt `c`](img.png) <https://auto.link> <b>bold</b> \
         visit https://example.com/path?q=1. or www.example.org), \
         cite [@000] and [@a; @b], note[^1], [ref link][id], \\`escaped`.\n",
        expect![[r#"
            Paragraph: Use ⟦``code with ` tick``⟧ and ⟦`x`⟧, see ⟦[⟧the text⟦](https://a.com/x_(y) "A title")⟧ and ⟦![alt `c`](img.png)⟧ ⟦<https://auto.link>⟧ ⟦<b>⟧bold⟦</b>⟧ visit ⟦https://example.com/path?q=1⟧. or ⟦www.example.org⟧), cite [@000] and [@a; @b], note⟦[^1]⟧, ⟦[⟧ref link⟦][id]⟧, \`escaped`.
        "#]],
    );
}

#[test]
fn multi_line_links_and_quotes() {
    check(
        "> A quote with [a link\n> over lines](http://x.y) ends.\n\
         > - a list in a quote\n",
        expect![[r#"
            BlockQuote: A quote with ⟦[⟧a link⏎⟦> ⟧over lines⟦](http://x.y)⟧ ends.
            ListItem: a list in a quote
        "#]],
    );
}

#[test]
fn tables() {
    check(
        "| Company | Price |\n\
         |:--------|------:|\n\
         | Sinnet  | `2bn` yuan |\n\
         | AWS \\| China | $300m |\n\
         Not a row\n\
         \n\
         a | b\n\
         --|--\n\
         1 | 2\n",
        expect![[r#"
            TableRow: Company ⟦|⟧ Price
            TableRow: Sinnet  ⟦|⟧ ⟦`2bn`⟧ yuan
            TableRow: AWS \| China ⟦|⟧ $300m
            Paragraph: Not a row
            TableRow: a ⟦|⟧ b
            TableRow: 1 ⟦|⟧ 2
        "#]],
    );
}

#[test]
fn ignore_directives() {
    check(
        "Line zero.\n\
         <!-- refnotes-ignore -->\n\
         \n\
         Line three is ignored.\n\
         Line four. <!-- refnotes-ignore figure-mismatch, misquote -->\n\
         <!-- refnotes-ignore-file -->\n\
         `<!-- refnotes-ignore -->` in code\n\
         ```\n\
         <!-- refnotes-ignore -->\n\
         ```\n\
         <!-- refnotes-ignore misquote --> Text after it.\n\
         <!-- refnotes-ignore unknown-source -->\n",
        expect![[r#"
            Paragraph: Line zero.
            Paragraph: Line three is ignored.⏎Line four. ⟦<!-- refnotes-ignore figure-mismatch, misquote -->⟧
            Paragraph: ⟦`<!-- refnotes-ignore -->`⟧ in code
            Paragraph: ⟦<!-- refnotes-ignore misquote -->⟧ Text after it.
            ignore line 3 []
            ignore line 4 ["figure-mismatch", "misquote"]
            ignore line 10 ["misquote"]
            ignore line 12 ["unknown-source"]
        "#]],
    );
}

#[test]
fn crlf_and_unicode() {
    check(
        "---\r\ntitle: T\r\n---\r\n# Café “quoted” — £5\r\n\r\n- item é\r\n  more ’s\r\n<!-- refnotes-ignore -->\r\n\r\nLast 😀 line.",
        expect![[r#"
            Heading: Café “quoted” — £5
            ListItem: item é⏎  more ’s
            Paragraph: Last 😀 line.
            ignore line 9 []
        "#]],
    );
}

#[test]
fn list_context_and_indented_paragraphs() {
    check(
        "1. First item\n\
         2) Second item\n\
         \n\
         \x20  A second paragraph of item two.\n\
         \n\
         \x20      code inside the item\n\
         \n\
         Back to text\n\
         2. a list number cannot interrupt\n\
         - but a bullet can\n\
         * * *\n\
         + plus item\n",
        expect![[r#"
            ListItem: First item
            ListItem: Second item
            Paragraph: A second paragraph of item two.
            Paragraph: Back to text⏎2. a list number cannot interrupt
            ListItem: but a bullet can
            ListItem: plus item
        "#]],
    );
}

#[test]
fn never_panics_on_fragments() {
    let samples = [
        "",
        "\n",
        "\r",
        "#",
        "# ",
        "-",
        "- ",
        "1.",
        ">",
        "> ",
        "```",
        "~~~",
        "<",
        "<!--",
        "<!-- x",
        "[",
        "]",
        "![",
        "[a](",
        "[a](<",
        "[a](\"t",
        "`",
        "``a`",
        "|",
        "|\n|-|",
        "a|b\n-|-\n|",
        "---\n",
        "---\nx",
        "<https://",
        "http://",
        "www.",
        "\\",
        "[^",
        "[^]",
        "<a href=\"x",
        "é<é>é",
        "é|é\n-|-\né|é",
        "> - [ ] ",
        "***",
        "=\n=",
        "a\n===",
        "    ",
        "\t\tcode",
    ];
    for text in samples {
        let prose = parse(text);
        for span in prose
            .blocks
            .iter()
            .map(|b| b.span)
            .chain(prose.hidden.iter().copied())
        {
            assert!(
                span.end() <= text.len() && span.start() <= span.end(),
                "{text:?}"
            );
            assert!(text.is_char_boundary(span.start()) && text.is_char_boundary(span.end()));
        }
    }
}

/// Random mixes of markup characters through every text extractor.
#[test]
fn fuzzed_markup_never_panics() {
    use crate::extract::{citations, quotes, sentences};
    let pieces = [
        "`",
        "``",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "!",
        "@",
        "#",
        "-",
        "*",
        "|",
        ":",
        "\n",
        "\r\n",
        "\r",
        " ",
        "    ",
        "\t",
        "\"",
        "'",
        "“",
        "”",
        "‘",
        "’",
        "…",
        ".",
        "?",
        "é",
        "£",
        "😀",
        "<!--",
        "-->",
        "```",
        "~~~",
        "---",
        "http://",
        "www.",
        "[@a]",
        "[^1]",
        "Inc.",
        "A",
        "b",
        "1.",
        "\\",
        "refnotes-ignore",
        "\u{feff}",
    ];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..20000 {
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut text = String::new();
        for _ in 0..(next() % 40) {
            text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
        }
        let prose = parse(&text);
        let boundary = |span: Span| {
            span.start() <= span.end()
                && text.is_char_boundary(span.start())
                && text.is_char_boundary(span.end())
        };
        assert!(prose.hidden.iter().all(|&h| boundary(h)), "{text:?}");
        for block in &prose.blocks {
            assert!(boundary(block.span), "{text:?}");
            for sentence in sentences::split(&text, block.span) {
                assert!(
                    boundary(sentence) && block.span.contains_span(sentence),
                    "{text:?}"
                );
            }
            let body = block.span.slice(&text);
            for quote in quotes::find(body) {
                assert!(body.is_char_boundary(quote.inner.start()), "{text:?}");
                assert!(body.is_char_boundary(quote.inner.end()), "{text:?}");
            }
            for citation in citations::find(body) {
                assert!(body.is_char_boundary(citation.span.end()), "{text:?}");
            }
        }
        for block in sentences::plain_blocks(&text) {
            assert!(boundary(block), "{text:?}");
            let _ = sentences::split(&text, block);
        }
    }
}

#[test]
fn shared_notes_and_sources() {
    let mut paths: Vec<std::path::PathBuf> = vec![
        crate::test_support::shared("eval/dev/aws-china/notes.md"),
        crate::test_support::shared("eval/dev/halvard/notes.md"),
        crate::test_support::shared("eval/dev/halvard/corpus/halvard-q3-release.md"),
    ];
    if let Ok(entries) = std::fs::read_dir(crate::test_support::shared("seeds")) {
        paths.extend(entries.flatten().map(|e| e.path()));
    }
    for path in paths {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let prose = parse(&text);
        for block in &prose.blocks {
            assert!(text.is_char_boundary(block.span.start()));
            assert!(text.is_char_boundary(block.span.end()));
        }
        let name = path.to_string_lossy();
        let blocks: Vec<&str> = prose.blocks.iter().map(|b| b.span.slice(&text)).collect();
        if name.ends_with("aws-china/notes.md") {
            assert!(
                blocks
                    .iter()
                    .any(|b| b.contains("\nThe buyout is also covered in [@007].\n")),
                "{blocks:#?}"
            );
            assert!(blocks.contains(&"AWS in China: reading notes"));
            assert!(prose.hidden.is_empty(), "{:?}", prose.hidden);
        } else if name.ends_with("halvard-q3-release.md") {
            let front = prose.front_matter.as_ref().expect("front matter");
            assert_eq!(front.date.as_deref(), Some("2025-10-28"));
            assert!(blocks[0].starts_with("Halvard Foods Inc."));
        } else if name.ends_with("halvard/notes.md") {
            assert!(prose.blocks.iter().any(|b| b.kind == BlockKind::ListItem
                && b.span.slice(&text) == "See [@halvard-q4] for next quarter."));
        }
    }
}
