//! HTML pages: the article's text, not the page around it.
//!
//! `dom_smoothie` (a port of Mozilla's Readability) picks the main content;
//! when it finds no article, the whole body is read with navigation, headers,
//! footers, asides, forms, scripts and cookie banners left out. Either way the
//! chosen HTML is walked into headings, paragraphs and table rows, with an
//! element mark before each block that has an `id`, so a span maps back to
//! `page.html#id`. EPUB chapters come through here too.

use std::path::Path;

use dom_query::{Document, NodeRef};

use super::{ConvertError, Converted, Rendition};

/// Elements whose text is never the article's.
const NEVER_TEXT: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "form", "button", "iframe", "select",
    "textarea", "head", "nav", "object", "canvas",
];

/// Page furniture, left out when no article was found.
const FURNITURE: &[&str] = &["header", "footer", "aside", "menu"];

/// Class or id words of page furniture.
const FURNITURE_WORDS: &[&str] = &[
    "cookie",
    "consent",
    "banner",
    "navbar",
    "menu",
    "sidebar",
    "footer",
    "subscribe",
    "share",
    "related",
    "breadcrumb",
    "advert",
    "promo",
    "popup",
    "modal",
];

/// Elements that hold one block of text.
const LEAF_BLOCKS: &[&str] = &[
    "p",
    "pre",
    "dt",
    "dd",
    "figcaption",
    "caption",
    "summary",
    "address",
    "td",
    "th",
];

/// Elements that hold blocks.
const CONTAINERS: &[&str] = &[
    "html",
    "body",
    "main",
    "article",
    "section",
    "div",
    "ul",
    "ol",
    "dl",
    "li",
    "blockquote",
    "figure",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "details",
    "center",
    "hgroup",
    "header",
    "footer",
    "aside",
    "fieldset",
];

/// Below this many characters, Readability's pick is taken for a miss and the
/// whole body is read instead.
const MIN_ARTICLE_CHARS: usize = 140;

pub(super) fn convert(html: &str, original: &Path) -> Result<Converted, ConvertError> {
    let mut rendition = Rendition::new(original);
    write_html(html, &mut rendition, true, true);
    rendition.finish()
}

/// Writes a page's metadata (when `with_metadata`) and article text, found
/// by Readability when `find_article` (an EPUB chapter is all article).
pub(super) fn write_html(
    html: &str,
    rendition: &mut Rendition,
    with_metadata: bool,
    find_article: bool,
) {
    let document = Document::from(html);
    // Readability slows to a crawl on absurd nesting; the plain walk copes.
    let find_article = find_article && nesting(&document.root()) <= MAX_READABILITY_NESTING;
    let article = find_article.then(|| readability(html)).flatten();
    if with_metadata {
        let meta = |selector: &str, attribute: &str| {
            document
                .select(selector)
                .attr(attribute)
                .map(|value| value.trim().to_string())
                .filter(|value| !value.is_empty())
        };
        let page_title = document.select("title").text().trim().to_string();
        let title = article
            .as_ref()
            .map(|article| article.title.trim().to_string())
            .filter(|title| !title.is_empty())
            .or(meta("meta[property='og:title']", "content"))
            .or((!page_title.is_empty()).then_some(page_title));
        rendition.set_title(title);
        rendition.set_date(
            meta("meta[name='date']", "content")
                .or(meta("meta[property='article:published_time']", "content"))
                .or(meta("meta[name='dcterms.date']", "content"))
                .or(meta("meta[name='DC.date']", "content"))
                .or(article.as_ref().and_then(|a| a.published_time.clone()))
                .or(meta("time[datetime]", "datetime")),
        );
        rendition.set_url(
            meta("link[rel='canonical']", "href").or(meta("meta[property='og:url']", "content")),
        );
    }
    let content = article
        .map(|article| article.content.to_string())
        .filter(|content| {
            Document::from(content.as_str()).text().trim().len() >= MIN_ARTICLE_CHARS
        });
    let mut walker = Walker {
        out: rendition,
        inline: String::new(),
        skip_furniture: content.is_none() && find_article,
        depth: 0,
    };
    match content {
        Some(content) => {
            let article = Document::from(content.as_str());
            walker.walk(&article.root());
        }
        None => walker.walk(&document.root()),
    }
    walker.flush();
}

/// Deeper pages than this are read without Readability.
const MAX_READABILITY_NESTING: usize = 400;

/// How deep elements nest under `root`, counted without recursion.
fn nesting(root: &NodeRef) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(*root, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        stack.extend(
            node.element_children()
                .into_iter()
                .map(|child| (child, depth + 1)),
        );
    }
    deepest
}

fn readability(html: &str) -> Option<dom_smoothie::Article> {
    let mut reader = dom_smoothie::Readability::new(html, None, None).ok()?;
    reader.parse().ok()
}

struct Walker<'r> {
    out: &'r mut Rendition,
    inline: String,
    skip_furniture: bool,
    depth: usize,
}

/// Below this nesting, an element's text is taken whole rather than walked,
/// so a pathologically deep page costs no more stack.
const MAX_DEPTH: usize = 200;

impl Walker<'_> {
    fn walk(&mut self, node: &NodeRef) {
        if self.depth >= MAX_DEPTH {
            self.inline.push_str(&node.text());
            return;
        }
        self.depth += 1;
        self.walk_children(node);
        self.depth -= 1;
    }

    fn walk_children(&mut self, node: &NodeRef) {
        for child in node.children() {
            if child.is_text() {
                self.inline.push_str(&child.text());
                continue;
            }
            if !child.is_element() {
                continue;
            }
            let name = child
                .node_name()
                .map(|name| name.to_ascii_lowercase())
                .unwrap_or_default();
            if NEVER_TEXT.contains(&name.as_str()) || child.has_attr("hidden") {
                continue;
            }
            if self.skip_furniture && is_furniture(&child, &name) {
                continue;
            }
            if name == "br" {
                self.inline.push('\n');
                continue;
            }
            if let Some(level) = heading_level(&name) {
                self.flush();
                self.mark(&child);
                self.out.heading(level, &child.text());
            } else if name == "tr" {
                self.flush();
                self.mark(&child);
                let cells: Vec<String> = child
                    .element_children()
                    .iter()
                    .filter(|cell| {
                        cell.node_name().is_some_and(|n| {
                            n.eq_ignore_ascii_case("td") || n.eq_ignore_ascii_case("th")
                        })
                    })
                    .map(|cell| cell.text().to_string())
                    .collect();
                self.out.row(&cells);
            } else if LEAF_BLOCKS.contains(&name.as_str()) {
                self.flush();
                self.mark(&child);
                // A paragraph may hold inline markup; walking it keeps
                // scripts and line breaks inside it right.
                self.walk(&child);
                self.flush();
            } else if CONTAINERS.contains(&name.as_str()) {
                self.flush();
                self.mark(&child);
                self.walk(&child);
                self.flush();
            } else {
                self.walk(&child);
            }
        }
    }

    fn mark(&mut self, node: &NodeRef) {
        if let Some(id) = node.id_attr() {
            let id = id.trim();
            if !id.is_empty() && !id.starts_with("readability-") {
                self.out.fragment(id);
            }
        }
    }

    fn flush(&mut self) {
        if !self.inline.trim().is_empty() {
            self.out.paragraph(&self.inline);
        }
        self.inline.clear();
    }
}

fn heading_level(name: &str) -> Option<usize> {
    let digit = name.strip_prefix('h')?;
    let level: usize = digit.parse().ok()?;
    (1..=6).contains(&level).then_some(level)
}

fn is_furniture(node: &NodeRef, name: &str) -> bool {
    if FURNITURE.contains(&name) {
        return true;
    }
    let role = node.attr("role").map(|r| r.to_ascii_lowercase());
    if matches!(
        role.as_deref(),
        Some("navigation" | "banner" | "contentinfo" | "complementary" | "dialog")
    ) {
        return true;
    }
    let words = format!(
        "{} {}",
        node.class().as_deref().unwrap_or(""),
        node.id_attr().as_deref().unwrap_or("")
    )
    .to_ascii_lowercase();
    FURNITURE_WORDS.iter().any(|word| words.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(html: &str) -> Converted {
        convert(html, Path::new("page.html")).unwrap()
    }

    #[test]
    fn the_article_is_read_and_the_page_around_it_is_not() {
        let html = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/formats/press-release.html"
        ))
        .unwrap();
        let converted = text_of(&html);
        let text = &converted.text;
        // Readability takes the <h1> as the title, and the byline out.
        assert!(text.contains("\n## The city's response\n"), "{text}");
        assert!(
            text.contains("Researchers examined 41,920 emergency admissions"),
            "{text}"
        );
        assert!(text.contains("The city will spend $850,000 on cooling centres this summer"));
        for furniture in [
            "cookies",
            "Contact the council",
            "99%",
            "harbour budget",
            "All rights reserved",
        ] {
            assert!(!text.contains(furniture), "{furniture:?} in {text}");
        }
        assert_eq!(converted.date.as_deref(), Some("2025-03-18"));
        assert_eq!(
            converted.url.as_deref(),
            Some("https://news.portmere.example/2025/03/heat-study")
        );
        assert!(converted
            .title
            .as_deref()
            .unwrap()
            .starts_with("Northgate study links heatwaves to hospital surges"));
        // The element with an id is marked, so a span maps to `#cooling`.
        let origin = super::super::origin_of(super::super::Format::Html, text, None);
        let spend = text.find("$850,000").unwrap();
        assert_eq!(origin.url_fragment(spend).as_deref(), Some("#cooling"));
    }

    #[test]
    fn a_deeply_nested_page_neither_overflows_the_stack_nor_loses_its_text() {
        // 3,000 levels aborted the process on a default 2 MiB thread stack.
        let depth = 3_000;
        let html = format!(
            "<html><body>{}<p>Revenue rose 4% in the deepest paragraph.</p>{}</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        match super::super::convert(
            super::super::Format::Html,
            Path::new("deep.html"),
            html.as_bytes(),
        ) {
            Ok(converted) => assert!(converted
                .text
                .contains("Revenue rose 4% in the deepest paragraph.")),
            Err(err) => panic!("{err}"),
        }
    }

    #[test]
    fn without_an_article_the_body_is_read_without_its_furniture() {
        let converted = text_of(
            "<html><head><title>Prices</title><script>var x = '$5';</script></head><body>\
             <nav>Home | About</nav><div class=\"cookie-notice\">Accept 3 cookies</div>\
             <h2>Prices</h2><table><tr><th>Item</th><th>Price</th></tr>\
             <tr><td>Tea</td><td>$2.50</td></tr></table><p>Open daily.</p>\
             <footer>© 2025</footer></body></html>",
        );
        let body = converted.text.split_once("\n\n").unwrap().1;
        assert_eq!(
            body,
            "## Prices\n\n| Item | Price |\n\n| Tea | $2.50 |\n\nOpen daily.\n"
        );
        assert_eq!(converted.title.as_deref(), Some("Prices"));
    }
}
