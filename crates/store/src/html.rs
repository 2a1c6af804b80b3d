//! The article body's HTML: sanitising what is stored, and plain text from it.

use std::collections::HashSet;
use std::sync::LazyLock;

use scraper::{Html, Node};

/// Tags an article body may keep: its structure and inline formatting, never anything active.
const ALLOWED_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
];

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.tags(ALLOWED_TAGS.iter().copied().collect())
        .generic_attributes(["lang", "dir", "title"].into_iter().collect())
        .tag_attributes(
            [
                ("a", ["href"].into_iter().collect()),
                (
                    "img",
                    ["src", "alt", "width", "height"].into_iter().collect(),
                ),
                ("td", ["colspan", "rowspan"].into_iter().collect()),
                ("th", ["colspan", "rowspan", "scope"].into_iter().collect()),
                ("ol", ["start", "reversed"].into_iter().collect()),
                ("time", ["datetime"].into_iter().collect()),
                ("q", ["cite"].into_iter().collect()),
                ("blockquote", ["cite"].into_iter().collect()),
            ]
            .into_iter()
            .collect(),
        )
        // Keep only a code block's language (`language-rust`), which Markdown export needs.
        .add_tag_attributes("code", ["class"])
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("code", "class") => {
                let lang = value
                    .split_whitespace()
                    .find(|c| c.starts_with("language-"))?;
                lang.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '#' | '_'))
                    .then(|| lang.to_string().into())
            }
            _ => Some(value.into()),
        })
        // `clipbook-image:` references an image of the offline copy (stored by hash).
        .url_schemes(
            ["http", "https", "mailto", "clipbook-image"]
                .into_iter()
                .collect(),
        )
        .link_rel(Some("noopener noreferrer"))
        .clean_content_tags(
            ["script", "style", "template", "noscript"]
                .into_iter()
                .collect(),
        )
        .strip_comments(true);
    b
});

/// Removes from an article body everything that could run, load or submit: scripts, styles,
/// frames, objects, forms, event attributes, `javascript:` URLs.
pub fn sanitize_html(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

static BLOCKS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tr",
        "ul",
    ]
    .into_iter()
    .collect()
});

/// Plain text of an HTML body: one block per paragraph, blocks separated by a blank line.
pub fn html_to_text(html: &str) -> String {
    let doc = Html::parse_fragment(html);
    let mut blocks: Vec<String> = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, blocks: &mut Vec<String>| {
        let text = current.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            blocks.push(text);
        }
        current.clear();
    };
    // An iterative walk: deep nesting cannot overflow the stack.
    for edge in doc.root_element().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => match node.value() {
                Node::Text(text) => current.push_str(text),
                Node::Element(el) if el.name() == "br" => current.push(' '),
                Node::Element(el) if BLOCKS.contains(el.name()) => flush(&mut current, &mut blocks),
                Node::Element(el) if matches!(el.name(), "td" | "th") => current.push(' '),
                _ => {}
            },
            ego_tree::iter::Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    if BLOCKS.contains(el.name()) {
                        flush(&mut current, &mut blocks);
                    }
                }
            }
        }
    }
    flush(&mut current, &mut blocks);
    blocks.join("\n\n")
}

/// HTML for a body known only as plain text: one paragraph per blank-line-separated block.
pub fn text_to_html(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape_html(p).replace('\n', "<br>")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text made safe to place in HTML, in an element or a quoted attribute.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Words in a text, as a reader would count them.
pub fn word_count(text: &str) -> i64 {
    i64::try_from(
        text.split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count(),
    )
    .unwrap_or(i64::MAX)
}

/// The first sentences of a text, at most about `max` characters, cut at a word boundary.
pub fn excerpt(text: &str, max: usize) -> String {
    let first = text.split("\n\n").next().unwrap_or_default().trim();
    if first.chars().count() <= max {
        return first.to_string();
    }
    let cut: String = first.chars().take(max).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) => &cut[..i],
        None => &cut,
    };
    format!(
        "{}…",
        cut.trim_end_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitising_removes_everything_active() {
        let dirty = r#"<p onclick="x()">Hi <a href="javascript:alert(1)">there</a></p>
            <script>alert(1)</script><style>p{}</style><iframe src="https://x"></iframe>
            <form><input></form><object data="x"></object><embed src="y">
            <img src="https://ex.com/a.jpg" onerror="x()" alt="A">"#;
        let clean = sanitize_html(dirty);
        for bad in [
            "onclick",
            "javascript",
            "script",
            "style",
            "iframe",
            "form",
            "input",
            "object",
            "embed",
            "onerror",
            "alert",
        ] {
            assert!(!clean.contains(bad), "{bad} survived sanitising: {clean}");
        }
        assert!(
            clean.contains(r#"<img src="https://ex.com/a.jpg" alt="A">"#),
            "{clean}"
        );
        assert!(clean.contains("<p>Hi"), "{clean}");
    }

    #[test]
    fn sanitising_keeps_structure() {
        let html = "<h2>Sub</h2><ul><li>a</li></ul><blockquote><p>q</p></blockquote>\
            <figure><img src=\"https://e.com/i.png\"><figcaption>c</figcaption></figure>\
            <table><tr><td colspan=\"2\">x</td></tr></table><pre><code class=\"language-rust\">fn</code></pre>";
        let clean = sanitize_html(html);
        for keep in [
            "<h2>",
            "<ul>",
            "<li>",
            "<blockquote>",
            "<figure>",
            "<figcaption>",
            "colspan=\"2\"",
            "class=\"language-rust\"",
        ] {
            assert!(clean.contains(keep), "{keep} was lost: {clean}");
        }
    }

    #[test]
    fn text_has_one_block_per_paragraph() {
        let text = html_to_text(
            "<h1>Title</h1><p>One <b>bold</b>\n word.</p><ul><li>a</li><li>b</li></ul>",
        );
        assert_eq!(text, "Title\n\nOne bold word.\n\na\n\nb");
    }

    #[test]
    fn deeply_nested_html_does_not_overflow_the_stack() {
        let html = "<div>".repeat(5_000) + "deep" + &"</div>".repeat(5_000);
        assert_eq!(html_to_text(&html), "deep");
    }

    #[test]
    fn text_becomes_escaped_paragraphs() {
        assert_eq!(text_to_html("a < b\n\nc"), "<p>a &lt; b</p>\n<p>c</p>");
    }

    #[test]
    fn excerpt_cuts_at_a_word() {
        assert_eq!(
            excerpt("Un vaste réseau démantelé.", 100),
            "Un vaste réseau démantelé."
        );
        assert_eq!(
            excerpt("Un vaste réseau démantelé, cinq mille serveurs", 20),
            "Un vaste réseau…"
        );
        assert_eq!(word_count("Un vaste — réseau"), 3);
    }
}
