//! An article body as data for the template: sanitised HTML turned into a small tree of blocks
//! and inlines. Text travels as strings, which typst prints as they are: nothing in an article
//! can be read as typst markup.

use ego_tree::NodeRef;
use scraper::{Html, Node};
use serde::Serialize;

/// Deeper nesting than this is flattened (the walk is recursive; sanitised bodies from real
/// pages stay far below it).
const MAX_DEPTH: usize = 48;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Inline {
    Text { s: String },
    Em { c: Vec<Inline> },
    Strong { c: Vec<Inline> },
    Link { url: String, c: Vec<Inline> },
    Code { s: String },
    Br,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Block {
    P {
        c: Vec<Inline>,
    },
    H {
        level: u8,
        c: Vec<Inline>,
    },
    Ul {
        items: Vec<Vec<Block>>,
    },
    Ol {
        start: i64,
        items: Vec<Vec<Block>>,
    },
    Quote {
        c: Vec<Block>,
    },
    /// `img`: the image's path in the document, or `None` for the placeholder.
    Figure {
        img: Option<String>,
        alt: String,
        cap: Vec<Inline>,
    },
    Table {
        cols: usize,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Pre {
        s: String,
    },
    Hr,
}

/// Maps an image's original URL to its path in the document (`None`: not available offline).
pub type ImagePath<'a> = &'a dyn Fn(&str) -> Option<String>;

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "blockquote"
            | "figure"
            | "table"
            | "pre"
            | "hr"
            | "div"
            | "section"
            | "article"
            | "dl"
            | "dt"
            | "dd"
            | "header"
            | "footer"
            | "aside"
            | "main"
            | "li"
            | "figcaption"
    )
}

struct Walker<'a> {
    images: ImagePath<'a>,
}

impl Walker<'_> {
    fn text_of(node: NodeRef<'_, Node>) -> String {
        let mut s = String::new();
        for d in node.descendants() {
            if let Node::Text(t) = d.value() {
                s.push_str(t);
            }
        }
        s
    }

    fn figure_for(&self, src: Option<&str>, alt: &str, cap: Vec<Inline>) -> Block {
        Block::Figure {
            img: src.and_then(|s| (self.images)(s)),
            alt: alt.to_string(),
            cap,
        }
    }

    /// The inlines one node contributes. Images met inline are returned apart as figures.
    fn inline_node(
        &self,
        child: NodeRef<'_, Node>,
        depth: usize,
        figures: &mut Vec<Block>,
    ) -> Vec<Inline> {
        let el = match child.value() {
            Node::Text(t) => return vec![Inline::Text { s: t.to_string() }],
            Node::Element(el) => el,
            _ => return Vec::new(),
        };
        if depth >= MAX_DEPTH {
            return vec![Inline::Text {
                s: Self::text_of(child),
            }];
        }
        match el.name() {
            "em" | "i" | "cite" | "var" | "dfn" => {
                vec![Inline::Em {
                    c: self.inlines(child, depth + 1, figures),
                }]
            }
            "strong" | "b" => vec![Inline::Strong {
                c: self.inlines(child, depth + 1, figures),
            }],
            "a" => {
                let c = self.inlines(child, depth + 1, figures);
                match el.attr("href").filter(|h| h.starts_with("http")) {
                    Some(url) => vec![Inline::Link {
                        url: url.to_string(),
                        c,
                    }],
                    None => c,
                }
            }
            "code" | "kbd" | "samp" => vec![Inline::Code {
                s: Self::text_of(child),
            }],
            "br" => vec![Inline::Br],
            "img" => {
                figures.push(self.figure_for(
                    el.attr("src"),
                    el.attr("alt").unwrap_or(""),
                    Vec::new(),
                ));
                Vec::new()
            }
            _ => self.inlines(child, depth + 1, figures),
        }
    }

    /// Inline content of `node`'s children.
    fn inlines(
        &self,
        node: NodeRef<'_, Node>,
        depth: usize,
        figures: &mut Vec<Block>,
    ) -> Vec<Inline> {
        node.children()
            .flat_map(|child| self.inline_node(child, depth, figures))
            .collect()
    }

    fn flush(pending: &mut Vec<Inline>, out: &mut Vec<Block>) {
        let c = tidy(std::mem::take(pending));
        if !c.is_empty() {
            out.push(Block::P { c });
        }
    }

    /// Block content of `node`'s children.
    fn blocks(&self, node: NodeRef<'_, Node>, depth: usize) -> Vec<Block> {
        let mut out = Vec::new();
        let mut pending: Vec<Inline> = Vec::new();
        for child in node.children() {
            let el = match child.value() {
                Node::Text(t) => {
                    pending.push(Inline::Text { s: t.to_string() });
                    continue;
                }
                Node::Element(el) => el,
                _ => continue,
            };
            let name = el.name();
            if !is_block(name) && name != "img" {
                let mut figures = Vec::new();
                pending.extend(self.inline_node(child, depth, &mut figures));
                if !figures.is_empty() {
                    Self::flush(&mut pending, &mut out);
                    out.extend(figures);
                }
                continue;
            }
            Self::flush(&mut pending, &mut out);
            if depth >= MAX_DEPTH {
                let s = Self::text_of(child);
                if !s.trim().is_empty() {
                    out.push(Block::P {
                        c: tidy(vec![Inline::Text { s }]),
                    });
                }
                continue;
            }
            match name {
                "p" | "dt" | "dd" | "figcaption" => {
                    let mut figures = Vec::new();
                    let c = tidy(self.inlines(child, depth + 1, &mut figures));
                    if !c.is_empty() {
                        out.push(Block::P { c });
                    }
                    out.extend(figures);
                }
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                    let level = name[1..].parse().unwrap_or(2);
                    let c = tidy(self.inlines(child, depth + 1, &mut Vec::new()));
                    if !c.is_empty() {
                        out.push(Block::H { level, c });
                    }
                }
                "ul" | "ol" => {
                    let items: Vec<Vec<Block>> = child
                        .children()
                        .filter(|li| matches!(li.value(), Node::Element(e) if e.name() == "li"))
                        .map(|li| self.blocks(li, depth + 1))
                        .collect();
                    if !items.is_empty() {
                        if name == "ol" {
                            let start = el.attr("start").and_then(|s| s.parse().ok()).unwrap_or(1);
                            out.push(Block::Ol { start, items });
                        } else {
                            out.push(Block::Ul { items });
                        }
                    }
                }
                "blockquote" => {
                    let c = self.blocks(child, depth + 1);
                    if !c.is_empty() {
                        out.push(Block::Quote { c });
                    }
                }
                "figure" => {
                    let img = child.descendants().find_map(|d| match d.value() {
                        Node::Element(e) if e.name() == "img" => Some(e),
                        _ => None,
                    });
                    let cap = child
                        .descendants()
                        .find(|d| matches!(d.value(), Node::Element(e) if e.name() == "figcaption"))
                        .map(|fc| tidy(self.inlines(fc, depth + 1, &mut Vec::new())))
                        .unwrap_or_default();
                    match img {
                        Some(img) => out.push(self.figure_for(
                            img.attr("src"),
                            img.attr("alt").unwrap_or(""),
                            cap,
                        )),
                        None => out.extend(self.blocks(child, depth + 1)),
                    }
                }
                "img" => out.push(self.figure_for(
                    el.attr("src"),
                    el.attr("alt").unwrap_or(""),
                    Vec::new(),
                )),
                "table" => {
                    let rows: Vec<Vec<Vec<Inline>>> = child
                        .descendants()
                        .filter(|d| matches!(d.value(), Node::Element(e) if e.name() == "tr"))
                        .map(|tr| {
                            tr.children()
                                .filter(|c| matches!(c.value(), Node::Element(e) if matches!(e.name(), "td" | "th")))
                                .map(|cell| tidy(self.inlines(cell, depth + 1, &mut Vec::new())))
                                .collect::<Vec<_>>()
                        })
                        .filter(|r: &Vec<Vec<Inline>>| !r.is_empty())
                        .collect();
                    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
                    if cols > 0 {
                        let rows = rows
                            .into_iter()
                            .map(|mut r| {
                                r.resize(cols, Vec::new());
                                r
                            })
                            .collect();
                        out.push(Block::Table { cols, rows });
                    }
                }
                "pre" => out.push(Block::Pre {
                    s: Self::text_of(child),
                }),
                "hr" => out.push(Block::Hr),
                _ => out.extend(self.blocks(child, depth + 1)),
            }
        }
        Self::flush(&mut pending, &mut out);
        out
    }
}

/// Collapses whitespace inside text runs and trims the ends of a paragraph.
fn tidy(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut last_space = true;
    fn walk(items: Vec<Inline>, out: &mut Vec<Inline>, last_space: &mut bool) {
        for item in items {
            match item {
                Inline::Text { s } => {
                    let mut t = String::with_capacity(s.len());
                    for c in s.chars() {
                        if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' {
                            if !*last_space {
                                t.push(' ');
                                *last_space = true;
                            }
                        } else {
                            t.push(c);
                            *last_space = false;
                        }
                    }
                    if !t.is_empty() {
                        out.push(Inline::Text { s: t });
                    }
                }
                Inline::Em { c } => {
                    let mut inner = Vec::new();
                    walk(c, &mut inner, last_space);
                    if !inner.is_empty() {
                        out.push(Inline::Em { c: inner });
                    }
                }
                Inline::Strong { c } => {
                    let mut inner = Vec::new();
                    walk(c, &mut inner, last_space);
                    if !inner.is_empty() {
                        out.push(Inline::Strong { c: inner });
                    }
                }
                Inline::Link { url, c } => {
                    let mut inner = Vec::new();
                    walk(c, &mut inner, last_space);
                    out.push(Inline::Link { url, c: inner });
                }
                Inline::Br => {
                    out.push(Inline::Br);
                    *last_space = true;
                }
                code @ Inline::Code { .. } => {
                    out.push(code);
                    *last_space = false;
                }
            }
        }
    }
    walk(inlines, &mut out, &mut last_space);
    // Trim a trailing space.
    if let Some(Inline::Text { s }) = out.last_mut() {
        let trimmed = s.trim_end().to_string();
        *s = trimmed;
        if s.is_empty() {
            out.pop();
        }
    }
    out
}

/// The blocks of an article body.
pub fn blocks(html: &str, images: ImagePath<'_>) -> Vec<Block> {
    let doc = Html::parse_fragment(html);
    let walker = Walker { images };
    walker.blocks(*doc.root_element(), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text { s: s.into() }
    }

    #[test]
    fn structure_is_kept_and_text_stays_text() {
        let html = "<h2>Titre</h2><p>Un <em>vaste</em> réseau <a href=\"https://x.fr\">lien</a>,\n  #panic(\"x\")</p>\
            <ul><li>un</li><li><p>deux</p></li></ul><blockquote><p>cité</p></blockquote>\
            <figure><img src=\"https://i/a.png\" alt=\"A\"><figcaption>Légende</figcaption></figure>\
            <table><tr><th>a</th><th>b</th></tr><tr><td>1</td></tr></table><pre>x  y</pre>";
        let out = blocks(html, &|url| {
            (url == "https://i/a.png").then(|| "/img/0.jpg".to_string())
        });
        assert_eq!(
            out[0],
            Block::H {
                level: 2,
                c: vec![text("Titre")]
            }
        );
        assert_eq!(
            out[1],
            Block::P {
                c: vec![
                    text("Un "),
                    Inline::Em {
                        c: vec![text("vaste")]
                    },
                    text(" réseau "),
                    Inline::Link {
                        url: "https://x.fr".into(),
                        c: vec![text("lien")]
                    },
                    text(", #panic(\"x\")"),
                ]
            }
        );
        assert!(matches!(&out[2], Block::Ul { items } if items.len() == 2));
        assert!(matches!(&out[3], Block::Quote { .. }));
        assert_eq!(
            out[4],
            Block::Figure {
                img: Some("/img/0.jpg".into()),
                alt: "A".into(),
                cap: vec![text("Légende")]
            }
        );
        assert!(matches!(&out[5], Block::Table { cols: 2, rows } if rows[1].len() == 2));
        assert_eq!(out[6], Block::Pre { s: "x  y".into() });
    }

    #[test]
    fn unavailable_images_become_placeholders_and_deep_nesting_is_flattened() {
        let out = blocks("<p>avant <img src=\"https://i/b.png\"> après</p>", &|_| {
            None
        });
        assert!(
            matches!(&out[1], Block::Figure { img: None, .. }),
            "{out:?}"
        );
        let deep = "<div>".repeat(200) + "profond" + &"</div>".repeat(200);
        let out = blocks(&deep, &|_| None);
        assert_eq!(
            out,
            vec![Block::P {
                c: vec![text("profond")]
            }]
        );
    }
}
