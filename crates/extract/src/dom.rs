//! A flat, pre-order view of the parsed document. Every walk in the crate is a loop over this
//! array, never a recursion, so a page of 100,000 nested `<div>`s costs time, not stack.
//! The subtree of node `i` is exactly `i..end[i]`.

use ego_tree::iter::Edge;
use scraper::node::Element;
use scraper::{Html, Node};

pub(crate) const NONE: u32 = u32::MAX;

#[derive(Clone, Copy)]
pub(crate) enum Kind<'a> {
    Elem(&'a Element),
    Text(&'a str),
    Other,
}

pub(crate) struct Dom<'a> {
    pub kind: Vec<Kind<'a>>,
    pub parent: Vec<u32>,
    pub end: Vec<u32>,
}

impl<'a> Dom<'a> {
    pub(crate) fn new(html: &'a Html) -> Self {
        let mut kind = Vec::new();
        let mut parent = Vec::new();
        let mut end = Vec::new();
        let mut stack: Vec<u32> = Vec::new();
        for edge in html.tree.root().traverse() {
            match edge {
                Edge::Open(node) => {
                    let idx = kind.len() as u32;
                    kind.push(match node.value() {
                        Node::Element(e) => Kind::Elem(e),
                        Node::Text(t) => Kind::Text(&t.text),
                        _ => Kind::Other,
                    });
                    parent.push(stack.last().copied().unwrap_or(NONE));
                    end.push(idx + 1);
                    stack.push(idx);
                }
                Edge::Close(_) => {
                    if let Some(idx) = stack.pop() {
                        end[idx as usize] = kind.len() as u32;
                    }
                }
            }
        }
        Dom { kind, parent, end }
    }

    pub(crate) fn len(&self) -> usize {
        self.kind.len()
    }

    pub(crate) fn elem(&self, i: usize) -> Option<&'a Element> {
        match self.kind[i] {
            Kind::Elem(e) => Some(e),
            _ => None,
        }
    }

    pub(crate) fn tag(&self, i: usize) -> &'a str {
        match self.kind[i] {
            Kind::Elem(e) => e.name(),
            _ => "",
        }
    }

    pub(crate) fn attr(&self, i: usize, name: &str) -> Option<&'a str> {
        self.elem(i).and_then(|e| e.attr(name))
    }

    /// Ancestors of `i`, nearest first (not including `i`).
    pub(crate) fn ancestors(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let mut cur = self.parent[i];
        std::iter::from_fn(move || {
            if cur == NONE {
                return None;
            }
            let c = cur as usize;
            cur = self.parent[c];
            Some(c)
        })
    }

    /// Direct children of `i`.
    pub(crate) fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let end = self.end[i] as usize;
        let mut cur = i + 1;
        std::iter::from_fn(move || {
            if cur >= end {
                return None;
            }
            let c = cur;
            cur = self.end[c] as usize;
            Some(c)
        })
    }

    /// Collapsed text of the subtree, skipping nodes for which `skip` is true.
    pub(crate) fn text_of(&self, i: usize, skip: &dyn Fn(usize) -> bool) -> String {
        let mut out = String::new();
        let end = self.end[i] as usize;
        let mut j = i;
        while j < end {
            if j != i && skip(j) {
                j = self.end[j] as usize;
                continue;
            }
            if let Kind::Text(t) = self.kind[j] {
                out.push_str(t);
            } else if matches!(self.tag(j), "br" | "p" | "div" | "li") && !out.ends_with(' ') {
                out.push(' ');
            }
            j += 1;
        }
        collapse_ws(&out)
    }
}

/// Collapses runs of whitespace (including no-break spaces) into one space and trims.
pub(crate) fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for ch in s.chars() {
        if ch.is_whitespace() || ch == '\u{200b}' {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(ch);
        }
    }
    out
}
