//! A flat, pre-order view of the parsed document. Every walk in the crate is a loop over this
//! array, never a recursion, so a page of 100,000 nested `<div>`s costs time, not stack.
//! The subtree of node `i` is exactly `i..end[i]`.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

use ego_tree::NodeRef;
use ego_tree::iter::Edge;
use scraper::node::Element;
use scraper::{Html, Node};

pub(crate) const NONE: u32 = u32::MAX;

/// Whether a rule reads this `data-*` attribute: only lazy images' sources do
/// (`output::image_src`). The others are dropped before parsing (`guard.rs`); reading another
/// one is a bug that debug builds catch.
pub(crate) fn is_data_attribute_read(name: &[u8]) -> bool {
    crate::output::LAZY_IMAGE_SOURCES
        .iter()
        .chain(&crate::output::LAZY_IMAGE_SRCSETS)
        .any(|r| r.as_bytes().eq_ignore_ascii_case(name))
}

/// Attribute look-up without `Element::attr`'s cost: that interns the name as an atom on every
/// call (a hash and a lock), and the rules look attributes up on most elements many times.
pub(crate) trait ElementExt {
    /// The value of the HTML attribute `name` (no namespace), as `Element::attr` gives it.
    fn attr_value(&self, name: &str) -> Option<&str>;

    /// The element's id, as `Element::id` gives it, without filling its cache (a clone of the
    /// value) on every element asked.
    fn id_attr(&self) -> Option<&str>;
}

impl ElementExt for Element {
    fn attr_value(&self, name: &str) -> Option<&str> {
        debug_assert!(
            !name.starts_with("data-") || is_data_attribute_read(name.as_bytes()),
            "{name} is dropped before parsing: see is_data_attribute_read"
        );
        // The key `Element::attr` searches for: no prefix, the empty namespace, `name`.
        // Attribute names are unique on an element, so the first such key is the one.
        self.attrs
            .iter()
            .find(|(q, _)| q.prefix.is_none() && q.ns.is_empty() && &*q.local == name)
            .map(|(_, v)| &**v)
    }

    fn id_attr(&self) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(q, _)| &*q.local == "id")
            .map(|(_, v)| &**v)
    }
}

#[derive(Clone, Copy)]
pub(crate) enum Kind<'a> {
    Elem(&'a Element),
    Text(&'a str),
    Other,
}

#[derive(Default)]
pub(crate) struct Dom<'a> {
    pub kind: Vec<Kind<'a>>,
    pub parent: Vec<u32>,
    pub end: Vec<u32>,
    /// Each element's signature (see [`Dom::signature`]), made the first time it is asked for:
    /// the rules ask for the same elements' many times over.
    sigs: Vec<OnceCell<String>>,
}

/// Builds a [`Dom`] from open and close events in pre-order.
#[derive(Default)]
struct Builder<'a> {
    dom: Dom<'a>,
    /// The nodes opened and not yet closed.
    stack: Vec<u32>,
}

impl<'a> Builder<'a> {
    fn with_capacity(nodes: usize) -> Self {
        Builder {
            dom: Dom {
                kind: Vec::with_capacity(nodes),
                parent: Vec::with_capacity(nodes),
                end: Vec::with_capacity(nodes),
                sigs: Vec::with_capacity(nodes),
            },
            stack: Vec::new(),
        }
    }

    fn open(&mut self, node: NodeRef<'a, Node>) {
        let dom = &mut self.dom;
        let idx = dom.kind.len() as u32;
        dom.kind.push(match node.value() {
            Node::Element(e) => Kind::Elem(e),
            Node::Text(t) => Kind::Text(&t.text),
            _ => Kind::Other,
        });
        dom.parent.push(self.stack.last().copied().unwrap_or(NONE));
        dom.end.push(idx + 1);
        dom.sigs.push(OnceCell::new());
        self.stack.push(idx);
    }

    fn close(&mut self) {
        if let Some(idx) = self.stack.pop() {
            self.dom.end[idx as usize] = self.dom.kind.len() as u32;
        }
    }
}

impl<'a> Dom<'a> {
    pub(crate) fn new(html: &'a Html) -> Self {
        let segments = streamed_segments(html);
        if segments.is_empty() {
            return Self::in_document_order(html);
        }
        let mut built = Builder::default();
        let mut used: HashSet<ego_tree::NodeId> = HashSet::new();
        let placed: HashSet<ego_tree::NodeId> = segments.values().map(|n| n.id()).collect();
        // Open(node) writes the node and schedules its children then its Close.
        let mut work: Vec<Option<NodeRef<'a, Node>>> = vec![Some(html.tree.root())];
        while let Some(step) = work.pop() {
            let Some(node) = step else {
                built.close();
                continue;
            };
            built.open(node);
            work.push(None);
            // A streamed boundary's placeholder is replaced by its segment's children.
            let mut children: Vec<NodeRef<'a, Node>> = Vec::new();
            let mut lists = vec![without_fallbacks(node, &segments, &placed).into_iter()];
            while let Some(list) = lists.last_mut() {
                let Some(c) = list.next() else {
                    lists.pop();
                    continue;
                };
                match boundary_segment(c, &segments).filter(|seg| used.insert(seg.id())) {
                    Some(seg) => lists.push(without_fallbacks(seg, &segments, &placed).into_iter()),
                    None => children.push(c),
                }
            }
            work.extend(children.into_iter().rev().map(Some));
        }
        built.dom
    }

    fn in_document_order(html: &'a Html) -> Self {
        let mut built = Builder::with_capacity(html.tree.nodes().count());
        for edge in html.tree.root().traverse() {
            match edge {
                Edge::Open(node) => built.open(node),
                Edge::Close(_) => built.close(),
            }
        }
        built.dom
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

    /// The element's id and classes, lowercased, `_` read as `-` (empty for other nodes): what
    /// the class and id rules are matched against.
    pub(crate) fn signature(&self, i: usize) -> &str {
        self.sigs[i].get_or_init(|| {
            let Some(e) = self.elem(i) else {
                return String::new();
            };
            let id = e.id_attr();
            // The classes as `Element::classes` lists them (every `class` attribute's words,
            // sorted, without repeats), read without interning each one as an atom.
            let mut classes: Vec<&str> = e
                .attrs
                .iter()
                .filter(|(q, _)| &*q.local == "class")
                .flat_map(|(_, v)| v.split_ascii_whitespace())
                .collect();
            if id.is_none() && classes.is_empty() {
                return String::new();
            }
            classes.sort_unstable();
            classes.dedup();
            let mut s = String::with_capacity(
                id.map_or(0, str::len) + classes.iter().map(|c| c.len() + 1).sum::<usize>(),
            );
            if let Some(id) = id {
                s.push_str(id);
            }
            // Utility classes with an arbitrary selector (`[&_figcaption]:mt-2`,
            // `lg:[&>aside]:hidden`) style the element's descendants: their words say nothing
            // about the element itself.
            for c in classes.into_iter().filter(|c| !c.contains('[')) {
                s.push(' ');
                s.push_str(c);
            }
            s.make_ascii_lowercase();
            if s.contains('_') {
                s = s.replace('_', "-");
            }
            s
        })
    }

    pub(crate) fn attr(&self, i: usize, name: &str) -> Option<&'a str> {
        self.elem(i).and_then(|e| e.attr_value(name))
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

    /// Whether `text_of(i, skip)` would be longer than `max` characters, found without
    /// building it (stops as soon as it is).
    pub(crate) fn text_longer_than(
        &self,
        i: usize,
        skip: &dyn Fn(usize) -> bool,
        max: usize,
    ) -> bool {
        // As `collapse_ws` counts: each non-space character, and one space between words.
        let (mut count, mut space) = (0usize, false);
        for j in self.shown(i, skip) {
            if let Kind::Text(t) = self.kind[j] {
                for ch in t.chars() {
                    if ch.is_whitespace() || ch == '\u{200b}' {
                        space = true;
                    } else {
                        count += 1 + usize::from(space && count > 0);
                        space = false;
                        if count > max {
                            return true;
                        }
                    }
                }
            } else if matches!(self.tag(j), "br" | "p" | "div" | "li") {
                space = true;
            }
        }
        false
    }

    /// The nodes of `i`'s subtree in document order, `i` first, less the subtrees of those for
    /// which `skip` is true.
    fn shown<'s>(
        &'s self,
        i: usize,
        skip: &'s dyn Fn(usize) -> bool,
    ) -> impl Iterator<Item = usize> + 's {
        let end = self.end[i] as usize;
        let mut j = i;
        std::iter::from_fn(move || {
            while j < end {
                let at = j;
                if at != i && skip(at) {
                    j = self.end[at] as usize;
                    continue;
                }
                j += 1;
                return Some(at);
            }
            None
        })
    }

    /// Collapsed text of the subtree, skipping nodes for which `skip` is true.
    pub(crate) fn text_of(&self, i: usize, skip: &dyn Fn(usize) -> bool) -> String {
        let mut out = String::new();
        for j in self.shown(i, skip) {
            if let Kind::Text(t) = self.kind[j] {
                out.push_str(t);
            } else if matches!(self.tag(j), "br" | "p" | "div" | "li") && !out.ends_with(' ') {
                out.push(' ');
            }
        }
        collapse_ws(&out)
    }
}

/// React's streamed server rendering sends a page's late parts as `<div hidden id="S:n">` at
/// the end of the body, and a script moves each into its `<template id="B:n">` placeholder;
/// without scripts the article is hidden at the bottom. The segments by their number.
/// Only segments with a placeholder in the page are listed (the others stay where they are).
fn streamed_segments(html: &Html) -> HashMap<&str, NodeRef<'_, Node>> {
    let mut out = HashMap::new();
    let mut slots = HashSet::new();
    for node in html.tree.nodes() {
        if let Node::Element(e) = node.value() {
            let name = e.name();
            if name == "div" && e.attr_value("hidden").is_some() {
                if let Some(n) = e.id_attr().and_then(|id| id.strip_prefix("S:")) {
                    out.insert(n, node);
                }
            } else if name == "template" {
                let id = e.id_attr().unwrap_or("");
                if let Some(n) = id.strip_prefix("B:").or_else(|| id.strip_prefix("P:")) {
                    slots.insert(n);
                }
            }
        }
    }
    out.retain(|n, _| slots.contains(n));
    out
}

/// The children of `node`, less streamed segments (placed where their boundary is) and the
/// fallback after each boundary ("Loading…", up to the boundary's closing `<!--/$-->`).
fn without_fallbacks<'a>(
    node: NodeRef<'a, Node>,
    segments: &HashMap<&str, NodeRef<'a, Node>>,
    placed: &HashSet<ego_tree::NodeId>,
) -> Vec<NodeRef<'a, Node>> {
    let mut out = Vec::new();
    let mut in_fallback = false;
    // Without the `<!--/$-->` marks (a page saved without comments) nothing is taken for a
    // fallback: what follows a boundary may be the article.
    let marked = node
        .children()
        .any(|c| c.value().as_comment().is_some_and(|t| t.trim() == "/$"));
    for c in node.children() {
        if in_fallback {
            if c.value().as_comment().is_some_and(|t| t.trim() == "/$") {
                in_fallback = false;
            }
            continue;
        }
        if placed.contains(&c.id()) {
            continue;
        }
        // `B:` boundaries have a fallback; `P:` placeholders do not.
        if marked
            && boundary_segment(c, segments).is_some()
            && c.value()
                .as_element()
                .and_then(|e| e.id_attr())
                .is_some_and(|id| id.starts_with("B:"))
        {
            in_fallback = true;
        }
        out.push(c);
    }
    out
}

/// The segment that fills `node` when it is a `<template id="B:n">` placeholder.
fn boundary_segment<'a>(
    node: NodeRef<'a, Node>,
    segments: &HashMap<&str, NodeRef<'a, Node>>,
) -> Option<NodeRef<'a, Node>> {
    let Node::Element(e) = node.value() else {
        return None;
    };
    if e.name() != "template" {
        return None;
    }
    let id = e.id_attr()?;
    let n = id.strip_prefix("B:").or_else(|| id.strip_prefix("P:"))?;
    segments.get(n).copied()
}

/// HTML's ASCII whitespace, as the tokenizer reads it (the pre-parse scan and the Markdown
/// writer's tokenizer share it).
pub(crate) fn is_html_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_longer_than_counts_as_text_of_does() {
        let html = Html::parse_document(
            "<div id=a> One\u{200b} two<br>three<p>four</p>  <span>f\u{e9}\u{e9}</span> </div>",
        );
        let dom = Dom::new(&html);
        let skip_span = |j: usize| dom.tag(j) == "span";
        for i in 0..dom.len() {
            for skip in [&(|_| false) as &dyn Fn(usize) -> bool, &skip_span] {
                let n = dom.text_of(i, skip).chars().count();
                for max in 0..n + 2 {
                    assert_eq!(
                        dom.text_longer_than(i, skip, max),
                        n > max,
                        "node {i}, max {max}"
                    );
                }
            }
        }
    }
}
