//! Writing the selected article out: structural HTML (only the elements a reader needs, every
//! URL absolute, lazy images resolved, no empty wrappers) and plain text, in one iterative walk.
//! The HTML is then sanitised by `ammonia` and converted to Markdown by `markdown.rs` in `lib.rs`.

use regex::Regex;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::LazyLock;
use url::Url;

use crate::content::{Selection, is_block};
use crate::dom::{Dom, ElementExt, Kind, collapse_ws};
use crate::rules;

pub(crate) struct Rendered {
    pub html: String,
    pub text: String,
    pub images: Vec<String>,
}

pub(crate) struct RenderCtx<'a> {
    pub base: Option<&'a Url>,
    /// The resolved title, normalised: a heading or paragraph repeating it is dropped.
    pub title_norm: String,
    /// Normalised author names: a short block naming them is the byline, not the article.
    pub author_norms: Vec<String>,
    pub captions_in_text: bool,
}

static NOSCRIPT_IMG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<img\b[^>]*?\ssrc\s*=\s*["']([^"']+)["'][^>]*>"#).expect("static regex")
});
static NOSCRIPT_ALT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?is)\salt\s*=\s*["']([^"']*)["']"#).expect("static regex"));

pub(crate) fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn escape_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

fn escape_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// Resolves `href` against the base; without a base only absolute URLs survive.
pub(crate) fn absolutize(base: Option<&Url>, href: &str) -> Option<String> {
    let h = href.trim();
    if h.is_empty() || h.starts_with('#') {
        return None;
    }
    let lower = h.get(..11).unwrap_or(h).to_ascii_lowercase();
    if lower.starts_with("javascript:")
        || lower.starts_with("data:")
        || lower.starts_with("vbscript")
    {
        return None;
    }
    match base {
        Some(b) => b.join(h).ok().map(String::from),
        None => Url::parse(h)
            .ok()
            .map(String::from)
            .or_else(|| Some(h.to_string())),
    }
}

/// Best candidate of a `srcset`: the widest (`w`) or densest (`x`) one.
pub(crate) fn best_srcset(srcset: &str) -> Option<&str> {
    let mut best: Option<(f32, &str)> = None;
    for cand in srcset.split(", ").flat_map(|c| c.split(",\n")) {
        let mut parts = cand.split_whitespace();
        let Some(url) = parts.next() else { continue };
        let w = parts
            .next()
            .and_then(|d| d.trim_end_matches(['w', 'x', 'W', 'X']).parse::<f32>().ok())
            .unwrap_or(1.0);
        if best.is_none_or(|(bw, _)| w > bw) {
            best = Some((w, url));
        }
    }
    best.map(|(_, u)| u)
}

fn is_placeholder(src: &str) -> bool {
    let s = src.trim().to_ascii_lowercase();
    s.is_empty()
        || s.starts_with("data:")
        || s.contains("placeholder")
        || s.contains("blank.gif")
        || s.contains("spacer.gif")
        || s.contains("pixel.gif")
        || s.contains("lazy")
        || s.contains("loading")
        || s == "about:blank"
}

/// Where lazy-loading pages keep an image's real URL, in the order they are tried.
pub(crate) const LAZY_IMAGE_SOURCES: [&str; 7] = [
    "data-src",
    "data-lazy-src",
    "data-original",
    "data-lazy",
    "data-url",
    "data-hi-res-src",
    "data-full-src",
];

/// Where they keep its candidate list, tried before `srcset`.
pub(crate) const LAZY_IMAGE_SRCSETS: [&str; 2] = ["data-srcset", "data-lazy-srcset"];

/// The real image URL of an `<img>`, whichever lazy-loading convention the page uses.
pub(crate) fn image_src<'a>(attr: &dyn Fn(&str) -> Option<&'a str>) -> Option<&'a str> {
    for a in LAZY_IMAGE_SOURCES {
        if let Some(v) = attr(a).filter(|v| !is_placeholder(v)) {
            return Some(v);
        }
    }
    for a in LAZY_IMAGE_SRCSETS.into_iter().chain(["srcset"]) {
        if let Some(v) = attr(a).and_then(best_srcset).filter(|v| !is_placeholder(v)) {
            return Some(v);
        }
    }
    attr("src").filter(|v| !is_placeholder(v))
}

#[derive(Clone, Copy, PartialEq)]
enum Sep {
    Para,
    Item,
}

struct Open {
    end: usize,
    /// Output tag written for this element, if any.
    tag: Option<&'static str>,
    html_mark: usize,
    text_mark: usize,
    events: usize,
    /// A block boundary in the source (div, p, li …).
    block: bool,
    h1: bool,
    level: Option<u8>,
    caption: bool,
    /// The nearest output tag at or above this element (kept per entry so finding it is O(1)
    /// however deep the page nests).
    top: Option<&'static str>,
}

struct Writer<'c, 'a> {
    ctx: &'c RenderCtx<'a>,
    html: String,
    text: String,
    line: String,
    line_sep: Sep,
    last_sep: Option<Sep>,
    /// Count of text characters and images written, to detect empty wrappers.
    events: usize,
    implicit_p: Option<(usize, usize)>,
    images: Vec<String>,
    seen_images: HashSet<String>,
    pre: usize,
    caption_depth: usize,
    /// The last heading written, while nothing has followed it: (html mark, text mark,
    /// events after it, level). A heading whose section was all furniture is rolled back.
    pending_heading: Option<(usize, usize, usize, u8)>,
}

impl Writer<'_, '_> {
    /// Rolls back the pending heading if nothing followed it and the next thing is a heading
    /// of the same or a higher rank (`level` 0 = end of the article).
    fn drop_orphan_heading(&mut self, level: u8) {
        if let Some((hm, tm, ev, l)) = self.pending_heading {
            if ev == self.events && level <= l && self.line.trim().is_empty() {
                cut(&mut self.html, hm);
                cut(&mut self.text, tm);
                if self.text.is_empty() {
                    self.last_sep = None;
                }
            }
        }
        self.pending_heading = None;
    }

    fn flush_line(&mut self) {
        let l = self.line.trim();
        if !l.is_empty() {
            if let Some(prev) = self.last_sep {
                self.text
                    .push_str(if prev == Sep::Item && self.line_sep == Sep::Item {
                        "\n"
                    } else {
                        "\n\n"
                    });
            }
            self.text.push_str(l);
            self.last_sep = Some(self.line_sep);
        }
        self.line.clear();
        self.line_sep = Sep::Para;
    }

    fn close_implicit_p(&mut self) {
        if let Some((mark, ev)) = self.implicit_p.take() {
            if self.events == ev {
                cut(&mut self.html, mark);
            } else {
                self.html.push_str("</p>");
            }
        }
    }

    fn ensure_inline_context(&mut self, top: Option<&'static str>) {
        let accepts_inline = matches!(
            top,
            Some(
                "p" | "h2"
                    | "h3"
                    | "h4"
                    | "h5"
                    | "h6"
                    | "li"
                    | "td"
                    | "th"
                    | "dt"
                    | "dd"
                    | "figcaption"
                    | "pre"
                    | "caption"
                    | "a"
                    | "em"
                    | "strong"
                    | "code"
                    | "sub"
                    | "sup"
                    | "mark"
                    | "del"
                    | "q"
                    | "cite"
                    | "abbr"
                    | "kbd"
            )
        );
        if !accepts_inline && self.implicit_p.is_none() {
            self.implicit_p = Some((self.html.len(), self.events));
            self.html.push_str("<p>");
        }
    }

    fn image(&mut self, src: &str, alt: Option<&str>, top: Option<&'static str>) {
        let Some(abs) = absolutize(self.ctx.base, src) else {
            return;
        };
        if !self.seen_images.insert(abs.clone()) {
            return;
        }
        if top != Some("figure") {
            self.ensure_inline_context(top);
        }
        self.html.push_str("<img src=\"");
        escape_attr(&mut self.html, &abs);
        self.html.push('"');
        if let Some(a) = alt.map(collapse_ws).filter(|a| !a.is_empty()) {
            self.html.push_str(" alt=\"");
            escape_attr(&mut self.html, &a);
            self.html.push('"');
        }
        self.html.push('>');
        self.events += 1;
        self.images.push(abs);
    }
}

fn output_tag(name: &str) -> Option<&'static str> {
    Some(match name {
        "p" => "p",
        "h1" | "h2" => "h2",
        "h3" => "h3",
        "h4" => "h4",
        "h5" => "h5",
        "h6" => "h6",
        "ul" => "ul",
        "ol" => "ol",
        "li" => "li",
        "blockquote" => "blockquote",
        "pre" => "pre",
        "table" => "table",
        "thead" => "thead",
        "tbody" => "tbody",
        "tfoot" => "tfoot",
        "tr" => "tr",
        "th" => "th",
        "td" => "td",
        "caption" => "caption",
        "figure" => "figure",
        "figcaption" => "figcaption",
        "dl" => "dl",
        "dt" => "dt",
        "dd" => "dd",
        "a" => "a",
        "em" | "i" => "em",
        "strong" | "b" => "strong",
        "code" | "tt" => "code",
        "sub" => "sub",
        "sup" => "sup",
        "mark" => "mark",
        "del" | "s" | "strike" => "del",
        "q" => "q",
        "cite" => "cite",
        "abbr" => "abbr",
        "kbd" => "kbd",
        _ => return None,
    })
}

const TABLE_TAGS: &[&str] = &[
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
];

/// A table used for layout (nested tables, a single row, cells full of paragraphs) is
/// unwrapped; a data table is kept. The scan is bounded so nested tables stay linear.
fn is_layout_table(dom: &Dom<'_>, t: usize) -> bool {
    let end = dom.end[t] as usize;
    if end - t > 20_000 {
        return true;
    }
    let mut rows = 0;
    let mut paras = 0;
    for j in t + 1..end {
        match dom.tag(j) {
            "table" => return true,
            "tr" => rows += 1,
            "p" | "div" | "h1" | "h2" | "h3" | "ul" | "ol" | "blockquote" => paras += 1,
            _ => {}
        }
    }
    rows <= 1 || paras > rows * 2
}

/// "November 19, 2019 / 12:21 AM" and the like: a date with a few words around it.
fn is_mostly_date(t: &str) -> bool {
    if crate::dates::parse_text(t, None, None).is_none() {
        return false;
    }
    let words = t
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    words <= rules::DATELINE_MAX_WORDS
}

fn is_boilerplate_block(ctx: &RenderCtx<'_>, text: &str, h1: bool) -> bool {
    let t = text.trim();
    let chars = t.chars().count();
    if chars == 0 {
        return false;
    }
    if !ctx.title_norm.is_empty()
        && (h1 || {
            // `norm` keeps the alphanumeric characters, each lowercased to one or more: a block
            // with more of them than the title has characters is not the title (most blocks
            // are told so without normalising them).
            let limit = ctx.title_norm.chars().count();
            t.chars()
                .filter(|c| c.is_alphanumeric())
                .take(limit + 1)
                .count()
                <= limit
                && norm(t) == ctx.title_norm
        })
    {
        return true;
    }
    if chars < 40 && rules::INTERFACE_WORD.is_match(t) || t.chars().all(|c| !c.is_alphanumeric()) {
        return true;
    }
    if chars < 100 && (rules::DATELINE.is_match(t) || is_mostly_date(t)) {
        return true;
    }
    if chars < rules::CALL_TO_ACTION_CHARS
        && (rules::JOIN_CALL.is_match(t) || rules::CALL_TO_ACTION.is_match(t))
    {
        return true;
    }
    if chars < rules::FORM_FINE_PRINT_CHARS
        && rules::FORM_FINE_PRINT_HINT.is_match(t)
        && rules::FORM_FINE_PRINT.is_match(t)
    {
        return true;
    }
    if chars < rules::DISCLOSURE_CHARS
        && rules::DISCLOSURE_HINT.is_match(t)
        && rules::DISCLOSURE.is_match(t)
    {
        return true;
    }
    if chars < rules::SHORT_BOILERPLATE_CHARS && rules::BOILERPLATE_TEXT.is_match(t) {
        return true;
    }
    if chars < 100 && !ctx.author_norms.is_empty() {
        let stripped = norm(&rules::AUTHOR_PREFIX.replace(t, ""));
        if ctx
            .author_norms
            .iter()
            .any(|a| !a.is_empty() && stripped.starts_with(a.as_str()))
        {
            return true;
        }
    }
    false
}

pub(crate) fn render(dom: &Dom<'_>, sel: &Selection, ctx: &RenderCtx<'_>) -> Rendered {
    let mut w = Writer {
        ctx,
        html: String::new(),
        text: String::new(),
        line: String::new(),
        line_sep: Sep::Para,
        last_sep: None,
        events: 0,
        implicit_p: None,
        images: Vec::new(),
        seen_images: HashSet::new(),
        pre: 0,
        caption_depth: 0,
        pending_heading: None,
    };
    let mut layout_tables: HashSet<usize> = HashSet::new();
    for &root in &sel.roots {
        let mut stack: Vec<Open> = Vec::new();
        let end = dom.end[root] as usize;
        let mut i = root;
        loop {
            // Close every element whose subtree ends here.
            while let Some(top) = stack.last() {
                if i < top.end {
                    break;
                }
                let Some(o) = stack.pop() else { break };
                close(&mut w, o);
            }
            if i >= end {
                break;
            }
            if sel.skip[i] || sel.removed[i] || sel.dropped[i] {
                // noscript fallbacks for lazy images are the one skipped thing we read.
                if dom.tag(i) == "noscript" && !sel.removed[i] {
                    noscript_image(&mut w, dom, i, stack.last().and_then(|o| o.top));
                }
                i = dom.end[i] as usize;
                continue;
            }
            let top = stack.last().and_then(|o| o.top);
            match dom.kind[i] {
                Kind::Text(t) => {
                    if w.pre > 0 {
                        if !t.is_empty() {
                            w.ensure_inline_context(top);
                            escape_text(&mut w.html, t);
                            w.line.push_str(t);
                            w.events += t.len();
                        }
                    } else {
                        let c = collapse_ws(t);
                        let lead = t.starts_with(|c: char| c.is_whitespace());
                        let trail = t.ends_with(|c: char| c.is_whitespace());
                        if c.is_empty() {
                            if lead && !w.line.is_empty() && !w.line.ends_with(' ') {
                                w.line.push(' ');
                                w.html.push(' ');
                            }
                        } else {
                            w.ensure_inline_context(top);
                            if lead && !w.line.is_empty() && !w.line.ends_with(' ') {
                                w.line.push(' ');
                                w.html.push(' ');
                            }
                            escape_text(&mut w.html, &c);
                            if w.caption_depth == 0 || ctx.captions_in_text {
                                w.line.push_str(&c);
                            }
                            if trail {
                                w.line.push(' ');
                                w.html.push(' ');
                            }
                            w.events += c.len();
                        }
                    }
                    i += 1;
                }
                Kind::Other => i += 1,
                Kind::Elem(e) => {
                    let name = e.name();
                    let block = is_block(name);
                    if name == "br" {
                        if w.pre > 0 {
                            w.html.push('\n');
                            w.line.push('\n');
                        } else if !w.line.trim().is_empty() {
                            w.html.push_str("<br>");
                            w.line.push('\n');
                        }
                        i += 1;
                        continue;
                    }
                    if name == "img" {
                        if let Some(src) = image_src(&|a| e.attr_value(a)) {
                            w.image(src, e.attr_value("alt"), top);
                        }
                        i += 1;
                        continue;
                    }
                    if name == "hr" {
                        w.close_implicit_p();
                        w.flush_line();
                        i += 1;
                        continue;
                    }
                    if block {
                        w.close_implicit_p();
                        w.flush_line();
                    }
                    if let Some(level) = heading_level(name) {
                        w.drop_orphan_heading(level);
                        // The rollback may have cut below marks of open elements.
                        for o in &mut stack {
                            o.text_mark = o.text_mark.min(w.text.len());
                            o.html_mark = o.html_mark.min(w.html.len());
                        }
                    }
                    let mut tag = output_tag(name);
                    if name == "table" && is_layout_table(dom, i) {
                        layout_tables.insert(i);
                    }
                    if tag.is_some() && TABLE_TAGS.contains(&name) {
                        let table = std::iter::once(i)
                            .chain(dom.ancestors(i))
                            .find(|&a| dom.tag(a) == "table");
                        if table.is_none_or(|t| layout_tables.contains(&t)) {
                            tag = None;
                        }
                    }
                    if stack.len() > rules::MAX_OUTPUT_DEPTH {
                        tag = None;
                    }
                    let mut open = Open {
                        end: dom.end[i] as usize,
                        tag: None,
                        html_mark: w.html.len(),
                        text_mark: w.text.len(),
                        events: w.events,
                        block,
                        h1: name == "h1",
                        level: heading_level(name),
                        caption: name == "figcaption"
                            || (e.attr_value("class").is_some()
                                && rules::CAPTION.is_match(crate::metadata::signature(dom, i))),
                        top,
                    };
                    if let Some(t) = tag {
                        let inline = !is_block(name);
                        if inline {
                            w.ensure_inline_context(top);
                            open.html_mark = w.html.len();
                        }
                        let href = if t == "a" {
                            e.attr_value("href").and_then(|h| absolutize(ctx.base, h))
                        } else {
                            None
                        };
                        if t == "a" && href.is_none() {
                            // An anchor without a usable target is just its text.
                        } else {
                            open.tag = Some(t);
                            w.html.push('<');
                            w.html.push_str(t);
                            if let Some(h) = href {
                                w.html.push_str(" href=\"");
                                escape_attr(&mut w.html, &h);
                                w.html.push('"');
                            }
                            if t == "ol" {
                                if let Some(s) = e
                                    .attr_value("start")
                                    .and_then(|s| s.trim().parse::<i64>().ok())
                                {
                                    let _ = write!(w.html, " start=\"{s}\"");
                                }
                            }
                            if matches!(t, "td" | "th") {
                                for a in ["colspan", "rowspan"] {
                                    if let Some(v) =
                                        e.attr_value(a).and_then(|v| v.trim().parse::<u16>().ok())
                                    {
                                        let _ = write!(w.html, " {a}=\"{v}\"");
                                    }
                                }
                            }
                            w.html.push('>');
                        }
                    }
                    if open.tag.is_some() {
                        open.top = open.tag;
                    }
                    if name == "pre" {
                        w.pre += 1;
                    }
                    if name == "li" || name == "dt" || name == "dd" {
                        w.line_sep = Sep::Item;
                    }
                    if open.caption {
                        w.caption_depth += 1;
                    }
                    if name == "picture" {
                        // <picture>: the <img> inside carries the fallback; <source>s are skipped.
                    }
                    stack.push(open);
                    i += 1;
                }
            }
        }
        w.close_implicit_p();
        w.flush_line();
        w.drop_orphan_heading(0);
    }
    Rendered {
        html: w.html,
        text: w.text,
        images: w.images,
    }
}

fn close(w: &mut Writer<'_, '_>, o: Open) {
    if o.block
        || o.tag.is_some_and(|t| {
            !matches!(
                t,
                "a" | "em"
                    | "strong"
                    | "code"
                    | "sub"
                    | "sup"
                    | "mark"
                    | "del"
                    | "q"
                    | "cite"
                    | "abbr"
                    | "kbd"
            )
        })
    {
        w.close_implicit_p();
    }
    if o.tag == Some("pre") {
        w.pre = w.pre.saturating_sub(1);
    }
    if o.caption {
        w.caption_depth = w.caption_depth.saturating_sub(1);
    }
    if o.block {
        // The block's visible text is what was flushed since it opened plus the open line.
        let mut block_text = w.text.get(o.text_mark..).unwrap_or("").to_string();
        block_text.push(' ');
        block_text.push_str(&w.line);
        // Only short blocks can be interface text; the longest kind judged is fine print.
        if block_text.trim().chars().count() < rules::FORM_FINE_PRINT_CHARS
            && is_boilerplate_block(w.ctx, &block_text, o.h1)
        {
            cut(&mut w.html, o.html_mark);
            cut(&mut w.text, o.text_mark);
            w.line.clear();
            if w.text.is_empty() {
                w.last_sep = None;
            }
            w.implicit_p = None;
            return;
        }
    }
    if let Some(t) = o.tag {
        if w.events == o.events {
            cut(&mut w.html, o.html_mark);
        } else {
            w.html.push_str("</");
            w.html.push_str(t);
            w.html.push('>');
        }
    }
    if o.block {
        w.flush_line();
    }
    if let Some(level) = o.level {
        if w.events > o.events {
            w.pending_heading = Some((o.html_mark, o.text_mark, w.events, level));
        }
    }
}

/// Truncates at `at`, or at the nearest character boundary below it: marks are byte offsets
/// taken earlier and a rollback may have moved the end since.
fn cut(s: &mut String, at: usize) {
    if at >= s.len() {
        return;
    }
    let mut at = at;
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    s.truncate(at);
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

fn noscript_image(w: &mut Writer<'_, '_>, dom: &Dom<'_>, i: usize, top: Option<&'static str>) {
    let raw = dom.text_of_raw(i);
    if let Some(c) = NOSCRIPT_IMG.captures(&raw) {
        // Skip when the lazy <img> beside it already resolved to an image.
        let p = dom.parent[i];
        if p != crate::dom::NONE {
            let p = p as usize;
            let has_img = (p..dom.end[p] as usize).any(|j| {
                dom.tag(j) == "img"
                    && dom
                        .elem(j)
                        .is_some_and(|e| image_src(&|a| e.attr_value(a)).is_some())
            });
            if has_img {
                return;
            }
        }
        let src = c.get(1).map_or("", |m| m.as_str()).replace("&amp;", "&");
        let alt = NOSCRIPT_ALT
            .captures(c.get(0).map_or("", |m| m.as_str()))
            .and_then(|a| a.get(1))
            .map(|m| m.as_str().to_string());
        w.image(&src, alt.as_deref(), top);
    }
}
