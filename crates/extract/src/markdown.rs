//! Markdown from the sanitised article HTML, without a second HTML parser.
//!
//! The input is ammonia's serialisation of `output.rs`'s elements: well formed, every
//! non-void element closed, attributes double-quoted, text escaped. A small tokenizer turns
//! it into a flat pre-order arena (each element knows where its subtree ends) and one loop
//! with an explicit stack writes CommonMark (GFM tables), so no input can overflow the call
//! stack. Any other `&str` still gives an answer in linear time: unknown elements pass their
//! content through, nesting deeper than [`MAX_DEPTH`] is flattened, markup that does not parse
//! is text.
//!
//! Conventions follow htmd's, which wrote our Markdown before: ATX headings, `*   ` bullets,
//! `1.  ` numbers padded to the widest number, `* * *` rules, `*em*` and `**strong**`, fenced
//! code, inline links, tables padded to their column widths. Where htmd's Markdown did not
//! read back as the HTML it came from, this module differs: a `br` is a backslash hard break
//! (no trailing spaces), Markdown characters are escaped only where they would be read as
//! Markdown (at the start of a line, `_` inside a word is left alone), a table without `th`
//! is still a table, `|` in a cell is `\|`, a `pre` without `code` is still a code block,
//! adjacent lists alternate their markers so they stay two lists, a space at the edge of a
//! link's or emphasis's text is written outside it, adjacent emphases of one kind are one,
//! and emphasis whose delimiters CommonMark would not read as such (`a*"b"*c`) is written as
//! plain text. A start tag that never ends makes the rest of the input text.

use std::borrow::Cow;

use crate::dom::is_html_space;

/// Deeper nesting than this is flattened: start tags past it are ignored (their content is
/// kept). Article markup nests a few levels; the limit only bounds hostile input.
const MAX_DEPTH: usize = 512;
/// How many open elements an end tag looks through for its start tag (keeps stray end tags
/// linear).
const END_TAG_SEARCH: usize = 64;
/// How many nodes an emphasis closer looks ahead for the character that follows it.
const LOOKAHEAD: usize = 256;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tag {
    Text,
    P,
    H(u8),
    Ul,
    Ol,
    Li,
    Blockquote,
    Pre,
    Code,
    Table,
    Caption,
    Tr,
    Cell,
    /// thead, tbody, tfoot.
    Section,
    Thead,
    A,
    Em,
    Strong,
    Img,
    Br,
    Hr,
    /// Any other block element (figure, figcaption, dl, dt, dd, div…): a paragraph break.
    Block,
    /// Script, style and the like: dropped with their content.
    Skip,
    /// Any other element: its content passes through.
    Inline,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Attr {
    Href,
    Title,
    Src,
    Alt,
    Start,
    Class,
}

struct Node<'a> {
    tag: Tag,
    /// Index just past this node's subtree.
    end: usize,
    /// Decoded text (text nodes only): the input's own when it holds no reference.
    text: Cow<'a, str>,
    attrs: Vec<(Attr, String)>,
}

impl Node<'_> {
    fn attr(&self, a: Attr) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| *k == a)
            .map(|(_, v)| v.as_str())
    }
}

fn tag_of(name: &[u8]) -> Tag {
    match name {
        b"p" => Tag::P,
        [b'h', d @ b'1'..=b'6'] => Tag::H(d - b'0'),
        b"ul" | b"menu" | b"dir" => Tag::Ul,
        b"ol" => Tag::Ol,
        b"li" => Tag::Li,
        b"blockquote" => Tag::Blockquote,
        b"pre" | b"listing" | b"xmp" => Tag::Pre,
        b"code" | b"tt" | b"samp" => Tag::Code,
        b"table" => Tag::Table,
        b"caption" => Tag::Caption,
        b"tr" => Tag::Tr,
        b"td" | b"th" => Tag::Cell,
        b"thead" => Tag::Thead,
        b"tbody" | b"tfoot" => Tag::Section,
        b"a" => Tag::A,
        b"em" | b"i" => Tag::Em,
        b"strong" | b"b" => Tag::Strong,
        b"img" => Tag::Img,
        b"br" => Tag::Br,
        b"hr" => Tag::Hr,
        b"figure" | b"figcaption" | b"dl" | b"dt" | b"dd" | b"div" | b"section" | b"article"
        | b"aside" | b"header" | b"footer" | b"main" | b"nav" | b"address" | b"details"
        | b"summary" | b"center" | b"fieldset" | b"form" | b"hgroup" | b"search" => Tag::Block,
        b"script" | b"style" | b"title" | b"template" | b"textarea" | b"head" | b"noscript"
        | b"iframe" | b"noembed" | b"noframes" | b"svg" | b"math" | b"select" => Tag::Skip,
        _ => Tag::Inline,
    }
}

fn is_void(name: &[u8]) -> bool {
    matches!(
        name,
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
            | b"keygen"
    )
}

/// Elements whose content the tokenizer does not read as markup.
fn is_raw_text(name: &[u8]) -> bool {
    matches!(
        name,
        b"script" | b"style" | b"textarea" | b"title" | b"xmp" | b"iframe" | b"noembed"
    )
}

fn attr_of(name: &[u8]) -> Option<Attr> {
    [
        (&b"href"[..], Attr::Href),
        (b"title", Attr::Title),
        (b"src", Attr::Src),
        (b"alt", Attr::Alt),
        (b"start", Attr::Start),
        (b"class", Attr::Class),
    ]
    .into_iter()
    .find(|(n, _)| n.eq_ignore_ascii_case(name))
    .map(|(_, a)| a)
}

/// Appends `s` with character references decoded: the named ones HTML serialisers write and a
/// few common others, and numeric ones; anything else stays as it is.
fn decode_into(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match decode_reference(after) {
            Some((c, used)) => {
                out.push(c);
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// The character a reference (the text after `&`) stands for, and the bytes it used
/// (through the `;`).
fn decode_reference(after: &str) -> Option<(char, usize)> {
    let b = after.as_bytes();
    let semi = b.iter().take(34).position(|&c| c == b';')?;
    let body = &after[..semi];
    if let Some(num) = body.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            if hex.is_empty() || hex.len() > 8 || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
                return None;
            }
            u32::from_str_radix(hex, 16).ok()?
        } else {
            if num.is_empty() || num.len() > 10 || !num.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            num.parse::<u32>().ok()?
        };
        let c = match code {
            0 => '\u{FFFD}',
            c => char::from_u32(c).unwrap_or('\u{FFFD}'),
        };
        return Some((c, semi + 1));
    }
    let c = match body {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "shy" => '\u{ad}',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "middot" => '·',
        "bull" => '•',
        "deg" => '°',
        "times" => '×',
        "euro" => '€',
        "pound" => '£',
        "sect" => '§',
        "zwj" => '\u{200d}',
        "zwnj" => '\u{200c}',
        "lrm" => '\u{200e}',
        "rlm" => '\u{200f}',
        "thinsp" => '\u{2009}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        _ => return None,
    };
    Some((c, semi + 1))
}

/// Finds byte `c` in `b` from `from`, remembering where a search found nothing so that no
/// stretch of the input is searched twice in vain.
struct Finder {
    /// Per searched byte, the smallest start from which a search failed.
    failed: [usize; 4],
}

impl Finder {
    fn slot(c: u8) -> usize {
        match c {
            b'"' => 0,
            b'\'' => 1,
            b'>' => 2,
            _ => 3,
        }
    }

    fn find(&mut self, b: &[u8], from: usize, c: u8) -> Option<usize> {
        let s = Self::slot(c);
        if from >= self.failed[s] {
            return None;
        }
        match memchr::memchr(c, b.get(from..)?) {
            Some(p) => Some(from + p),
            None => {
                self.failed[s] = from;
                None
            }
        }
    }
}

struct Builder<'a> {
    nodes: Vec<Node<'a>>,
    /// Open elements: node index and the name's byte range in the input.
    open: Vec<(usize, usize, usize)>,
    /// The text node later text may still be appended to.
    text_open: Option<usize>,
    /// Start tags ignored past `MAX_DEPTH` still waiting for their end tag.
    ignored: usize,
}

impl<'a> Builder<'a> {
    fn text(&mut self, s: &'a str) {
        if s.is_empty() {
            return;
        }
        if let Some(t) = self.text_open {
            decode_into(self.nodes[t].text.to_mut(), s);
            return;
        }
        let text = if memchr::memchr(b'&', s.as_bytes()).is_some() {
            let mut text = String::with_capacity(s.len());
            decode_into(&mut text, s);
            Cow::Owned(text)
        } else {
            Cow::Borrowed(s)
        };
        self.text_open = Some(self.nodes.len());
        self.nodes.push(Node {
            tag: Tag::Text,
            end: self.nodes.len() + 1,
            text,
            attrs: Vec::new(),
        });
    }

    fn close_to(&mut self, depth: usize) {
        let len = self.nodes.len();
        while self.open.len() > depth {
            if let Some((n, _, _)) = self.open.pop() {
                self.nodes[n].end = len;
            }
        }
    }
}

fn is_name_byte(c: u8) -> bool {
    !is_html_space(c) && !matches!(c, b'/' | b'>')
}

/// Case-insensitive search for `</name` from `from`; returns its position.
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut at = from;
    while let Some(p) = memchr::memmem::find(b.get(at..)?, b"</") {
        let start = at + p;
        let n = &b[start + 2..];
        if n.len() >= name.len()
            && n[..name.len()].eq_ignore_ascii_case(name)
            && n.get(name.len())
                .is_none_or(|&c| !is_name_byte(c) || c == b'/')
        {
            return Some(start);
        }
        at = start + 2;
    }
    None
}

/// Tokenizes `html` into a flat pre-order arena.
fn parse(html: &str) -> Vec<Node<'_>> {
    let b = html.as_bytes();
    let mut f = Finder {
        failed: [usize::MAX; 4],
    };
    let mut t = Builder {
        nodes: Vec::new(),
        open: Vec::new(),
        text_open: None,
        ignored: 0,
    };
    let mut pos = 0;
    let mut text_start = 0;
    while let Some(p) = memchr::memchr(b'<', &b[pos..]) {
        let lt = pos + p;
        let next = b.get(lt + 1).copied();
        match next {
            Some(b'!') | Some(b'?') => {
                t.text(&html[text_start..lt]);
                t.text_open = None;
                let end = if b[lt..].starts_with(b"<!--") {
                    memchr::memmem::find(&b[lt + 4..], b"-->").map(|e| lt + 4 + e + 3)
                } else {
                    f.find(b, lt + 2, b'>').map(|e| e + 1)
                };
                pos = end.unwrap_or(b.len());
                text_start = pos;
            }
            Some(b'/') if b.get(lt + 2).is_some_and(u8::is_ascii_alphabetic) => {
                let name_start = lt + 2;
                let mut name_end = name_start;
                while name_end < b.len() && is_name_byte(b[name_end]) {
                    name_end += 1;
                }
                let Some(gt) = f.find(b, name_end, b'>') else {
                    // An end tag that never ends: the rest is text.
                    break;
                };
                t.text(&html[text_start..lt]);
                t.text_open = None;
                let name = &b[name_start..name_end];
                if t.ignored > 0 {
                    t.ignored -= 1;
                } else {
                    let found = t
                        .open
                        .iter()
                        .rev()
                        .take(END_TAG_SEARCH)
                        .position(|&(_, s, e)| b[s..e].eq_ignore_ascii_case(name));
                    if let Some(back) = found {
                        let depth = t.open.len() - back - 1;
                        t.close_to(depth);
                    }
                }
                pos = gt + 1;
                text_start = pos;
            }
            Some(c) if c.is_ascii_alphabetic() => {
                match start_tag(html, lt, &mut f) {
                    Some(st) => {
                        t.text(&html[text_start..lt]);
                        t.text_open = None;
                        pos = st.end;
                        let name = &b[st.name.0..st.name.1];
                        let mut buf = [0u8; 16];
                        let lower: &[u8] = if name.len() <= buf.len() {
                            let l = &mut buf[..name.len()];
                            l.copy_from_slice(name);
                            l.make_ascii_lowercase();
                            l
                        } else {
                            // No element we know has a name this long.
                            b"-"
                        };
                        let tag = tag_of(lower);
                        if is_raw_text(lower) {
                            // Content up to the end tag is not markup; none of it is kept.
                            let close = find_end_tag(b, pos, lower).unwrap_or(b.len());
                            let gt = f.find(b, close, b'>').map_or(b.len(), |g| g + 1);
                            if tag != Tag::Skip {
                                t.text(&html[pos..close]);
                                t.text_open = None;
                            }
                            pos = gt;
                        } else if is_void(lower) {
                            t.nodes.push(Node {
                                tag,
                                end: t.nodes.len() + 1,
                                text: Cow::Borrowed(""),
                                attrs: st.attrs,
                            });
                        } else if t.open.len() >= MAX_DEPTH {
                            if !st.self_closing {
                                t.ignored += 1;
                            }
                        } else {
                            let idx = t.nodes.len();
                            t.nodes.push(Node {
                                tag,
                                end: idx + 1,
                                text: Cow::Borrowed(""),
                                attrs: st.attrs,
                            });
                            if !st.self_closing {
                                t.open.push((idx, st.name.0, st.name.1));
                                if tag == Tag::Pre && b.get(pos) == Some(&b'\n') {
                                    // As in HTML, a newline right after <pre> is not content.
                                    pos += 1;
                                }
                            }
                        }
                        text_start = pos;
                    }
                    // A start tag that never ends: the rest is text (looking for tags in it
                    // again would make the scan quadratic).
                    None => break,
                }
            }
            _ => pos = lt + 1,
        }
    }
    t.text(&html[text_start..]);
    t.close_to(0);
    t.nodes
}

struct StartTag {
    name: (usize, usize),
    attrs: Vec<(Attr, String)>,
    self_closing: bool,
    /// Index just past the `>`.
    end: usize,
}

/// Reads the start tag at `lt`, or `None` if it never ends (then it is text).
fn start_tag(html: &str, lt: usize, f: &mut Finder) -> Option<StartTag> {
    let b = html.as_bytes();
    let name_start = lt + 1;
    let mut i = name_start;
    while i < b.len() && is_name_byte(b[i]) {
        i += 1;
    }
    let name = (name_start, i);
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < b.len() && is_html_space(b[i]) {
            i += 1;
        }
        match b.get(i)? {
            b'>' => {
                return Some(StartTag {
                    name,
                    attrs,
                    self_closing,
                    end: i + 1,
                });
            }
            b'/' => {
                i += 1;
                self_closing = b.get(i) == Some(&b'>');
                continue;
            }
            _ => {}
        }
        self_closing = false;
        let a_start = i;
        i += 1;
        while i < b.len() && !matches!(b[i], b'=' | b'>' | b'/') && !is_html_space(b[i]) {
            i += 1;
        }
        let a_name = &b[a_start..i];
        while i < b.len() && is_html_space(b[i]) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < b.len() && is_html_space(b[i]) {
            i += 1;
        }
        let (v_start, v_end) = match *b.get(i)? {
            q @ (b'"' | b'\'') => {
                let close = f.find(b, i + 1, q)?;
                let r = (i + 1, close);
                i = close + 1;
                r
            }
            _ => {
                let s = i;
                while i < b.len() && b[i] != b'>' && !is_html_space(b[i]) {
                    i += 1;
                }
                (s, i)
            }
        };
        if let Some(a) = attr_of(a_name) {
            if attrs.iter().all(|(k, _)| *k != a) {
                let mut v = String::new();
                decode_into(&mut v, &html[v_start..v_end]);
                attrs.push((a, v));
            }
        }
    }
}

/// CommonMark's Unicode whitespace (line starts and ends count as whitespace).
fn is_ws(c: char) -> bool {
    c.is_whitespace()
}

/// CommonMark's punctuation (ASCII punctuation, Unicode P and S), approximated as neither
/// alphanumeric nor whitespace.
fn is_punct(c: char) -> bool {
    !c.is_alphanumeric()
        && !c.is_whitespace()
        // Format characters and combining marks are neither.
        && !matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{300}'..='\u{36f}')
}

fn left_flanking(prev: char, next: char) -> bool {
    !is_ws(next) && (!is_punct(next) || is_ws(prev) || is_punct(prev))
}

fn right_flanking(prev: char, next: char) -> bool {
    !is_ws(prev) && (!is_punct(prev) || is_ws(next) || is_punct(next))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Emph {
    Em,
    Strong,
    Link,
}

impl Emph {
    fn marker(self) -> &'static str {
        match self {
            Emph::Em => "*",
            Emph::Strong => "**",
            Emph::Link => "[",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum OpenState {
    /// Not written yet: written before the first content, dropped if there is none.
    Pending,
    /// Written at this byte offset.
    Written(usize),
    /// No delimiters for this element (empty, nested in its own kind, or not flanking).
    Off,
}

struct Inline {
    kind: Emph,
    state: OpenState,
    /// The output's length when it opened: anything past it is its content.
    at: usize,
}

struct Container {
    /// `None` for a block quote; the marker (with its spaces) for a list item.
    marker: Option<String>,
    started: bool,
}

/// Where Markdown is being written: the output, its containers and what is pending.
struct Writer {
    out: String,
    containers: Vec<Container>,
    /// Separation asked for before the next content: 0 none, 1 a new line, 2 a blank line.
    sep: u8,
    /// The output ends a line (or is empty): the next content writes the containers' prefixes.
    line_start: bool,
    /// Nothing but prefixes on the current line yet: line-start escapes apply.
    fresh: bool,
    /// Written before the next content of this block (a heading's `## `).
    lead: &'static str,
    /// Where the current heading's text starts.
    lead_end: usize,
    pending_space: bool,
    pending_breaks: u8,
    /// A nested list just ended inside an item: text after it needs a blank line.
    after_nested_list: bool,
    inlines: Vec<Inline>,
    /// Index of the first `Pending` entry of `inlines`.
    first_pending: usize,
    /// The last emphasis closer: kind, where it starts, where its opener is.
    last_closer: Option<(Emph, usize, usize)>,
    /// Start of the run of closers ending at the end of the output.
    closer_run: Option<(usize, usize)>,
    /// The last code span: where it starts and ends, and its text.
    last_code: Option<(usize, usize, String)>,
    /// The last list ended here (output length, container depth, bullet).
    last_list: Option<(usize, usize, char)>,
    /// > 0: blocks are spaces (inside headings, links, emphasis, table cells).
    flat: u32,
    /// > 0: line breaks are spaces too (inside headings and table cells).
    oneline: u32,
    /// Writing a table cell: no line-start escapes.
    cell: bool,
    /// Set when anything is pending, so plain text can skip the checks.
    dirty: bool,
    /// Where the current line's content starts (after the prefixes), if it is a line start
    /// for Markdown (not after a heading's `#`).
    line_content: usize,
}

impl Writer {
    fn new(cell: bool) -> Self {
        Writer {
            out: String::new(),
            containers: Vec::new(),
            sep: 0,
            line_start: true,
            fresh: true,
            lead: "",
            lead_end: 0,
            pending_space: false,
            pending_breaks: 0,
            after_nested_list: false,
            inlines: Vec::new(),
            first_pending: 0,
            last_closer: None,
            closer_run: None,
            last_code: None,
            last_list: None,
            flat: u32::from(cell),
            oneline: u32::from(cell),
            cell,
            dirty: true,
            line_content: 0,
        }
    }

    fn space(&mut self) {
        self.pending_space = true;
        self.dirty = true;
    }

    fn block_start(&mut self, sep: u8) {
        if self.flat > 0 {
            self.space();
            return;
        }
        self.sep = self.sep.max(sep);
        self.pending_space = false;
        self.pending_breaks = 0;
        self.after_nested_list = false;
        self.dirty = true;
    }

    fn block_end(&mut self, sep: u8) {
        if self.flat > 0 {
            self.space();
            return;
        }
        self.sep = self.sep.max(sep);
        self.pending_space = false;
        self.pending_breaks = 0;
        self.lead = "";
        self.dirty = true;
    }

    fn write_prefix(&mut self, blank: bool) {
        let from = self.out.len();
        for c in &mut self.containers {
            if blank && !c.started {
                break;
            }
            match &c.marker {
                None => self.out.push_str("> "),
                Some(m) if !c.started => self.out.push_str(m),
                Some(m) => {
                    for _ in 0..m.chars().count() {
                        self.out.push(' ');
                    }
                }
            }
            if !blank {
                c.started = true;
            }
        }
        if blank {
            let keep = self.out[from..].trim_end_matches(' ').len();
            self.out.truncate(from + keep);
        }
    }

    /// Everything pending before content whose first character is `next`.
    fn begin(&mut self, next: char) {
        if !self.dirty {
            return;
        }
        if self.after_nested_list {
            self.sep = self.sep.max(2);
            self.after_nested_list = false;
        }
        if self.pending_breaks > 0 {
            // Two breaks are a paragraph break.
            if self.pending_breaks >= 2 {
                self.sep = self.sep.max(2);
            } else if self.sep == 0 && !self.line_start && !self.fresh {
                self.out.push_str("\\\n");
                self.line_start = true;
            }
            self.pending_breaks = 0;
            self.pending_space = false;
        }
        if self.sep > 0 {
            if !self.out.is_empty() {
                if !self.line_start {
                    self.out.push('\n');
                }
                if self.sep == 2 {
                    self.write_prefix(true);
                    self.out.push('\n');
                }
                self.line_start = true;
            }
            self.sep = 0;
        }
        if self.line_start {
            self.write_prefix(false);
            self.line_content = self.out.len();
            self.line_start = false;
            self.fresh = true;
            self.pending_space = false;
            self.last_closer = None;
            self.closer_run = None;
        }
        if !self.lead.is_empty() {
            self.out.push_str(self.lead);
            self.lead = "";
            self.lead_end = self.out.len();
            self.fresh = false;
            self.pending_space = false;
        }
        let mut prev = None;
        if self.pending_space {
            if !self.fresh {
                self.out.push(' ');
                prev = Some(' ');
            }
            self.pending_space = false;
        }
        if self.first_pending < self.inlines.len() {
            let before = self.out.len();
            let mut prev = prev
                .or_else(|| self.out.chars().next_back())
                .unwrap_or('\n');
            let mut i = self.first_pending;
            while i < self.inlines.len() {
                if self.inlines[i].state != OpenState::Pending {
                    i += 1;
                    continue;
                }
                if self.inlines[i].kind == Emph::Link {
                    // `!` before `[` would make the link an image.
                    if let Some(bang) = self.out.strip_suffix('!') {
                        let slashes = bang.bytes().rev().take_while(|&b| b == b'\\').count();
                        if slashes % 2 == 0 {
                            self.out.insert(self.out.len() - 1, '\\');
                        }
                    }
                    self.inlines[i].state = OpenState::Written(self.out.len());
                    self.out.push('[');
                    prev = '[';
                    i += 1;
                    continue;
                }
                // A run of emphasis openers is one delimiter run.
                let mut j = i;
                while j < self.inlines.len()
                    && (self.inlines[j].kind != Emph::Link
                        || self.inlines[j].state != OpenState::Pending)
                {
                    j += 1;
                }
                let after = if j < self.inlines.len() { '[' } else { next };
                // Right after a closer the run would join it (`**a***b*`).
                let joins = prev == '*'
                    && self
                        .closer_run
                        .is_some_and(|(_, end)| end == self.out.len());
                // An opener that could also close would close an emphasis still open.
                let outer_open = self.inlines[..i]
                    .iter()
                    .any(|e| e.kind != Emph::Link && matches!(e.state, OpenState::Written(_)));
                let ok = left_flanking(prev, after)
                    && !joins
                    && !(outer_open && right_flanking(prev, after));
                for k in i..j {
                    if self.inlines[k].state != OpenState::Pending {
                        continue;
                    }
                    if ok {
                        self.inlines[k].state = OpenState::Written(self.out.len());
                        self.out.push_str(self.inlines[k].kind.marker());
                        prev = '*';
                    } else {
                        self.inlines[k].state = OpenState::Off;
                    }
                }
                i = j;
            }
            self.first_pending = self.inlines.len();
            if self.out.len() > before {
                self.fresh = false;
            }
        }
        self.dirty = false;
    }

    fn raw(&mut self, s: &str) {
        if let Some(c) = s.chars().next() {
            self.begin(c);
            self.out.push_str(s);
            self.fresh = false;
        }
    }

    fn text(&mut self, s: &str) {
        let b = s.as_bytes();
        let mut escape_at = usize::MAX;
        let mut i = 0;
        while i < b.len() {
            if is_html_space(b[i]) {
                self.space();
                i += 1;
                continue;
            }
            // The common case: nothing pending, mid-line, no character Markdown reads.
            if !self.dirty && !self.fresh {
                let mut j = i;
                loop {
                    while j < b.len() && j != escape_at && is_plain(b[j]) {
                        j += 1;
                    }
                    // One space between two words is written as it is.
                    if j > i
                        && b.get(j) == Some(&b' ')
                        && j + 1 != escape_at
                        && b.get(j + 1).is_some_and(|&c| is_plain(c))
                    {
                        j += 1;
                        continue;
                    }
                    break;
                }
                if j > i {
                    self.out.push_str(&s[i..j]);
                    i = j;
                    continue;
                }
            }
            let Some(c) = s[i..].chars().next() else {
                break;
            };
            self.begin(c);
            let rest = &s[i + c.len_utf8()..];
            if std::mem::take(&mut self.fresh)
                && !self.cell
                && let Some(k) = line_start_escape(&s[i..])
            {
                escape_at = i + k;
            }
            if i == escape_at || needs_escape(c, &self.out, rest) {
                self.out.push('\\');
            }
            self.out.push(c);
            i += c.len_utf8();
        }
    }

    /// Opens emphasis or a link; `closes` says whether emphasis's closer will be read as one.
    fn open_inline(&mut self, kind: Emph, closes: bool) {
        if kind != Emph::Link {
            if !closes
                || self
                    .inlines
                    .iter()
                    .any(|e| e.kind == kind && e.state != OpenState::Off)
            {
                self.inlines.push(Inline {
                    kind,
                    state: OpenState::Off,
                    at: self.out.len(),
                });
                return;
            }
            // `<em>a</em><em>b</em>` (or with a space between) is one emphasis: reopen the
            // last one.
            let only_space = self.sep == 0
                && self.pending_breaks == 0
                && self.lead.is_empty()
                && !self.line_start
                && !self.after_nested_list
                && self.first_pending >= self.inlines.len();
            if let Some((k, closer, opener)) = self.last_closer
                && k == kind
                && self.out.len() == closer + kind.marker().len()
                && only_space
            {
                self.out.truncate(closer);
                if std::mem::take(&mut self.pending_space) {
                    self.out.push(' ');
                }
                self.dirty = false;
                self.last_closer = None;
                self.closer_run = None;
                self.inlines.push(Inline {
                    kind,
                    state: OpenState::Written(opener),
                    at: self.out.len(),
                });
                return;
            }
        }
        if self.first_pending >= self.inlines.len() {
            self.first_pending = self.inlines.len();
        }
        self.inlines.push(Inline {
            kind,
            state: OpenState::Pending,
            at: self.out.len(),
        });
        self.dirty = true;
    }

    /// Closes the innermost inline; `next` is the character after it in the document.
    fn close_emphasis(&mut self, next: impl FnOnce() -> char) {
        let Some(e) = self.inlines.pop() else { return };
        self.first_pending = self.first_pending.min(self.inlines.len());
        let OpenState::Written(pos) = e.state else {
            return;
        };
        let run_start = match self.closer_run {
            Some((s, end)) if end == self.out.len() => s,
            _ => self.out.len(),
        };
        let prev = self.out[..run_start].chars().next_back().unwrap_or('\n');
        let next = if self.pending_space {
            ' '
        } else if self.pending_breaks > 0 || self.sep > 0 {
            '\n'
        } else {
            next()
        };
        let m = e.kind.marker();
        if right_flanking(prev, next) {
            let at = self.out.len();
            self.out.push_str(m);
            self.closer_run = Some((run_start, self.out.len()));
            self.last_closer = Some((e.kind, at, pos));
        } else {
            self.out.replace_range(pos..pos + m.len(), "");
            if pos == self.line_content
                && !self.cell
                && let Some(k) = line_start_escape(&self.out[pos..])
            {
                self.out.insert(pos + k, '\\');
            }
            self.last_closer = None;
            self.closer_run = None;
        }
    }

    fn close_link(&mut self, href: &str, title: Option<&str>) {
        let Some(e) = self.inlines.pop() else { return };
        self.first_pending = self.first_pending.min(self.inlines.len());
        if e.state == OpenState::Pending {
            // No content: `[](url)`.
            self.inlines.push(e);
            self.begin('[');
            self.inlines.pop();
            self.first_pending = self.first_pending.min(self.inlines.len());
        }
        self.out.push_str("](");
        push_destination(&mut self.out, href);
        if let Some(t) = title {
            push_title(&mut self.out, t);
        }
        self.out.push(')');
        self.last_closer = None;
        self.closer_run = None;
        self.fresh = false;
    }

    fn image(&mut self, src: &str, alt: &str, title: Option<&str>) {
        self.begin('!');
        self.out.push_str("![");
        let mut last_space = true;
        for (i, c) in alt.char_indices() {
            if c.is_whitespace() {
                if !last_space {
                    self.out.push(' ');
                }
                last_space = true;
                continue;
            }
            last_space = false;
            let rest = &alt[i + c.len_utf8()..];
            if matches!(c, '\\' | '[' | ']' | '*' | '_' | '`')
                || c == '<'
                    && rest.starts_with(|n: char| n.is_ascii_alphabetic() || "/!?".contains(n))
                || c == '&' && looks_like_reference(rest)
            {
                self.out.push('\\');
            }
            self.out.push(c);
        }
        if self.out.ends_with(' ') {
            self.out.pop();
        }
        self.out.push_str("](");
        push_destination(&mut self.out, src);
        if let Some(t) = title {
            push_title(&mut self.out, t);
        }
        self.out.push(')');
        self.fresh = false;
        self.last_closer = None;
        self.closer_run = None;
    }

    fn code_span(&mut self, code: &str) {
        let mut code: String = code
            .chars()
            .map(|c| match c {
                '\n' | '\r' | '\t' | '\x0c' => ' ',
                c => c,
            })
            .collect();
        if code.trim_matches(' ').is_empty() {
            return;
        }
        // Spaces at the edges are kept, outside the backticks.
        if code.starts_with(' ') {
            self.space();
        }
        let trail = code.ends_with(' ');
        let keep = code.trim_end_matches(' ').len();
        code.truncate(keep);
        code.drain(..code.len() - code.trim_start_matches(' ').len());
        self.begin('`');
        // Two code spans in a row would share their backticks: write them as one.
        if let Some((start, end, prev)) = self.last_code.take()
            && end == self.out.len()
        {
            self.out.truncate(start);
            code.insert_str(0, &prev);
        }
        let text = code.as_str();
        // The shortest run of backticks that does not occur in the code.
        let mut runs = Vec::new();
        let mut run = 0usize;
        for b in text.bytes().chain(std::iter::once(b' ')) {
            if b == b'`' {
                run += 1;
            } else if run > 0 {
                runs.push(run);
                run = 0;
            }
        }
        let n = (1..).find(|n| !runs.contains(n)).unwrap_or(1);
        let pad = text.starts_with('`') || text.ends_with('`');
        let start = self.out.len();
        let fence = "`".repeat(n);
        self.out.push_str(&fence);
        if pad {
            self.out.push(' ');
        }
        self.out.push_str(text);
        if pad {
            self.out.push(' ');
        }
        self.out.push_str(&fence);
        self.fresh = false;
        self.last_closer = None;
        self.closer_run = None;
        self.last_code = Some((start, self.out.len(), code));
        if trail {
            self.space();
        }
    }

    /// Writes whole lines (a code block, a table) as one block.
    fn lines<'a>(&mut self, lines: impl Iterator<Item = &'a str>) {
        let mut first = true;
        for line in lines {
            if first {
                self.begin('|');
                first = false;
            } else {
                self.out.push('\n');
                let blank = line.trim_end().is_empty();
                self.write_prefix(blank);
            }
            self.out.push_str(line.trim_end_matches([' ', '\t', '\r']));
        }
        // Prefixes of an empty first line end with spaces.
        let keep = self.out.trim_end_matches(' ').len();
        self.out.truncate(keep);
        self.fresh = false;
    }

    fn finish(mut self) -> String {
        // Only Markdown's whitespace: a no-break space is text.
        let keep = self.out.trim_end_matches([' ', '\t', '\n']).len();
        self.out.truncate(keep);
        self.out
    }
}

/// A byte that is text as it is, mid-line (multi-byte characters included).
fn is_plain(b: u8) -> bool {
    !is_html_space(b) && !matches!(b, b'\\' | b'*' | b'`' | b'[' | b']' | b'_' | b'<' | b'&')
}

/// Where a backslash must go so that `s`, at the start of a line, does not start a block
/// (a heading, a quote, a list item, a rule, a fence, a setext underline).
fn line_start_escape(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let at = |k: usize| b.get(k).copied();
    let space_or_end = |k: usize| at(k).is_none_or(is_html_space);
    match *b.first()? {
        b'>' | b'=' => Some(0),
        b'#' => {
            let run = b.iter().take_while(|&&c| c == b'#').count();
            (run <= 6 && space_or_end(run)).then_some(0)
        }
        b'-' | b'+' => (space_or_end(1) || b[0] == b'-' && at(1) == Some(b'-')).then_some(0),
        b'~' => s.starts_with("~~~").then_some(0),
        b'0'..=b'9' => {
            let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
            (digits <= 9 && matches!(at(digits), Some(b'.' | b')')) && space_or_end(digits + 1))
                .then_some(digits)
        }
        _ => None,
    }
}

/// Whether `c`, written after `before` and followed by `rest`, needs a backslash to be read
/// as text: always for `\`, `*`, backticks and brackets; `_` unless inside a word; `<` when
/// it could open a tag or an autolink; `&` when it could start a character reference.
fn needs_escape(c: char, before: &str, rest: &str) -> bool {
    match c {
        '\\' | '*' | '`' | '[' | ']' => true,
        '_' => {
            let prev_word = before
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let next_word = rest.chars().next().is_some_and(char::is_alphanumeric);
            !(prev_word && next_word)
        }
        '<' => rest
            .chars()
            .next()
            .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
        '&' => looks_like_reference(rest),
        _ => false,
    }
}

/// `&name;` that is not one we decode but that a Markdown reader might.
fn looks_like_reference(rest: &str) -> bool {
    let b = rest.as_bytes();
    let (digits, max): (fn(&u8) -> bool, usize) = match b {
        [b'#', b'x' | b'X', ..] => (u8::is_ascii_hexdigit, 6),
        [b'#', ..] => (u8::is_ascii_digit, 7),
        [c, ..] if c.is_ascii_alphabetic() => (u8::is_ascii_alphanumeric, 32),
        _ => return false,
    };
    let skip = match b {
        [b'#', b'x' | b'X', ..] => 2,
        [b'#', ..] => 1,
        _ => 0,
    };
    let n = b[skip..]
        .iter()
        .take(max + 1)
        .take_while(|c| digits(c))
        .count();
    n > 0 && n <= max && b.get(skip + n) == Some(&b';')
}

fn push_destination(out: &mut String, url: &str) {
    let pointy = url.is_empty()
        || url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '(' | ')' | '<' | '>'));
    if pointy {
        out.push('<');
    }
    for (i, c) in url.char_indices() {
        match c {
            '\n' => out.push_str("%0A"),
            '\r' => out.push_str("%0D"),
            '\\' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '&' if looks_like_reference(&url[i + 1..]) => out.push_str("\\&"),
            c => out.push(c),
        }
    }
    if pointy {
        out.push('>');
    }
}

fn push_title(out: &mut String, title: &str) {
    let mut words = title.split_whitespace().peekable();
    if words.peek().is_none() {
        return;
    }
    out.push_str(" \"");
    let mut first = true;
    for w in words {
        if !first {
            out.push(' ');
        }
        first = false;
        for (i, c) in w.char_indices() {
            if matches!(c, '"' | '\\') || c == '&' && looks_like_reference(&w[i + 1..]) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
}

/// The first character written after the node at `i` (a block, a break or the end count as
/// a line end).
fn next_char(nodes: &[Node], mut i: usize, end: usize) -> char {
    let mut steps = 0;
    while i < end && steps < LOOKAHEAD {
        steps += 1;
        let n = &nodes[i];
        match n.tag {
            Tag::Text => match n.text.chars().next() {
                Some(c) if c.is_whitespace() => return ' ',
                Some(c) => return c,
                None => i += 1,
            },
            Tag::A if n.attr(Attr::Href).is_some() => return '[',
            Tag::Img if n.attr(Attr::Src).is_some() => return '!',
            Tag::Code if !text_of(nodes, i + 1, n.end.min(i + 64)).trim().is_empty() => return '`',
            Tag::Skip => i = n.end,
            // An opener right after a closer is never written: look at the content.
            Tag::Inline | Tag::A | Tag::Img | Tag::Em | Tag::Strong | Tag::Code => i += 1,
            _ => return '\n',
        }
    }
    '\n'
}

/// Whether the closer of the emphasis at `e` (its subtree ends at `sub_end`) will be
/// right-flanking: the last character its content writes against the one after it. Decided
/// before the opener is written, so that delimiters are never taken back (which could join
/// what was on either side of them, such as two code spans).
fn closer_flanks(nodes: &[Node], e: usize, sub_end: usize, end: usize) -> bool {
    if sub_end - e > 4096 {
        return true;
    }
    // `<em>a</em><em>b</em>` is one emphasis: this closer is not written.
    if sub_end < end && nodes[sub_end].tag == nodes[e].tag {
        return true;
    }
    let mut last = None;
    let mut space_after = false;
    let mut j = e + 1;
    while j < sub_end {
        let n = &nodes[j];
        match n.tag {
            Tag::Text => {
                if let Some(c) = n
                    .text
                    .trim_end_matches(|c: char| c.is_ascii_whitespace())
                    .chars()
                    .next_back()
                {
                    last = Some(c);
                    space_after = n.text.ends_with(|c: char| c.is_ascii_whitespace());
                } else if !n.text.is_empty() {
                    space_after = true;
                }
                j += 1;
            }
            Tag::A if n.attr(Attr::Href).is_some() => {
                // Spaces at the end of a link's text are written after it.
                last = Some(')');
                space_after =
                    text_of(nodes, j + 1, n.end).ends_with(|c: char| c.is_ascii_whitespace());
                j = n.end;
            }
            Tag::Img if n.attr(Attr::Src).is_some() => {
                last = Some(')');
                space_after = false;
                j += 1;
            }
            Tag::Code | Tag::Pre => {
                let t = text_of(nodes, j + 1, n.end);
                if !t.trim_matches(|c: char| c.is_ascii_whitespace()).is_empty() {
                    last = Some('`');
                    space_after = t.ends_with(|c: char| c.is_ascii_whitespace());
                }
                j = n.end;
            }
            Tag::Skip => j = n.end,
            Tag::Inline | Tag::A | Tag::Img | Tag::Em | Tag::Strong => j += 1,
            _ => {
                space_after = true;
                j += 1;
            }
        }
    }
    let Some(prev) = last else { return true };
    let next = if space_after {
        ' '
    } else {
        next_char(nodes, sub_end, end)
    };
    right_flanking(prev, next)
}

/// The text of a subtree, breaks as newlines (for code).
fn text_of(nodes: &[Node], start: usize, end: usize) -> String {
    let mut s = String::new();
    let mut i = start;
    while i < end {
        let n = &nodes[i];
        match n.tag {
            Tag::Text => s.push_str(&n.text),
            Tag::Br => s.push('\n'),
            Tag::Skip => {
                i = n.end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    s
}

fn language<'n>(n: &'n Node<'_>) -> Option<&'n str> {
    n.attr(Attr::Class)?
        .split_ascii_whitespace()
        .find_map(|c| c.strip_prefix("language-"))
        .filter(|l| !l.is_empty() && !l.contains('`'))
}

enum Frame {
    /// Nothing to do at the end.
    Plain,
    Block,
    Heading,
    Quote,
    List {
        in_item: bool,
        bullet: char,
    },
    Item,
    /// A list where blocks are spaces.
    FlatList,
    Emphasis,
    Link(usize),
}

struct ListState {
    ordered: bool,
    next: u64,
    /// Digits of the highest number.
    digits: usize,
    bullet: char,
}

fn list_start(n: &Node) -> u64 {
    n.attr(Attr::Start)
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(0, 999_999_999) as u64
}

fn ordered_marker(n: u64, digits: usize, delim: char) -> String {
    let num = n.to_string();
    let spaces = (2 + digits).saturating_sub(num.len()).clamp(1, 4);
    let mut m = String::with_capacity(num.len() + 1 + spaces);
    m.push_str(&num);
    m.push(delim);
    for _ in 0..spaces {
        m.push(' ');
    }
    m
}

/// Writes the nodes `start..end` into `w`.
fn walk(w: &mut Writer, nodes: &[Node], start: usize, end: usize) {
    let mut stack: Vec<(usize, Frame)> = Vec::new();
    let mut lists: Vec<ListState> = Vec::new();
    let mut i = start;
    loop {
        while let Some((node_end, _)) = stack.last() {
            if *node_end > i && i < end {
                break;
            }
            let Some((node_end, frame)) = stack.pop() else {
                break;
            };
            close(w, nodes, node_end, end, frame, &mut lists);
        }
        if i >= end {
            break;
        }
        let n = &nodes[i];
        let sub_end = n.end.min(end);
        let frame = match n.tag {
            Tag::Text => {
                w.text(&n.text);
                i += 1;
                continue;
            }
            Tag::Skip => {
                i = sub_end;
                continue;
            }
            Tag::Br => {
                if w.oneline > 0 {
                    w.space();
                } else if !w.fresh && !w.line_start {
                    // Inside emphasis or a link that already holds something, breaks in a row
                    // are one: no paragraph can break it.
                    let inside = w.inlines.iter().any(|e| w.out.len() > e.at);
                    w.pending_breaks = if inside {
                        1
                    } else {
                        w.pending_breaks.saturating_add(1)
                    };
                    w.pending_space = false;
                    w.dirty = true;
                }
                i += 1;
                continue;
            }
            Tag::Img => {
                if let Some(src) = n.attr(Attr::Src) {
                    w.image(src, n.attr(Attr::Alt).unwrap_or(""), n.attr(Attr::Title));
                }
                i += 1;
                continue;
            }
            Tag::Hr => {
                if w.flat > 0 {
                    w.space();
                } else {
                    w.block_start(2);
                    // A rule first in an item must not read as a rule of the item's bullet.
                    let bullet = w
                        .containers
                        .last()
                        .filter(|c| !c.started)
                        .and_then(|c| c.marker.as_deref())
                        .and_then(|m| m.chars().next());
                    w.raw(if bullet == Some('*') {
                        "- - -"
                    } else {
                        "* * *"
                    });
                    w.block_end(2);
                }
                i += 1;
                continue;
            }
            Tag::Code => {
                w.code_span(&text_of(nodes, i + 1, sub_end));
                i = sub_end;
                continue;
            }
            Tag::Pre => {
                let mut code = text_of(nodes, i + 1, sub_end);
                if w.flat > 0 {
                    w.code_span(&code);
                } else {
                    let keep = code.trim_end().len();
                    code.truncate(keep);
                    let lang = language(n).or_else(|| {
                        nodes
                            .get(i + 1)
                            .filter(|c| c.tag == Tag::Code && i + 1 < sub_end)
                            .and_then(language)
                    });
                    let mut run = 0;
                    let mut longest = 0;
                    for b in code.bytes() {
                        if b == b'`' {
                            run += 1;
                            longest = longest.max(run);
                        } else {
                            run = 0;
                        }
                    }
                    let fence = "`".repeat((longest + 1).max(3));
                    w.block_start(2);
                    let open = format!("{fence}{}", lang.unwrap_or(""));
                    let body = if code.is_empty() {
                        None
                    } else {
                        Some(code.as_str())
                    };
                    w.lines(
                        std::iter::once(open.as_str())
                            .chain(body.into_iter().flat_map(str::lines))
                            .chain(std::iter::once(fence.as_str())),
                    );
                    w.block_end(2);
                }
                i = sub_end;
                continue;
            }
            Tag::Table if w.flat == 0 => {
                table(w, nodes, i, sub_end);
                i = sub_end;
                continue;
            }
            Tag::P
            | Tag::Block
            | Tag::Caption
            | Tag::Table
            | Tag::Tr
            | Tag::Cell
            | Tag::Section
            | Tag::Thead => {
                w.block_start(2);
                Frame::Block
            }
            Tag::H(level) => {
                if w.flat > 0 {
                    w.space();
                    Frame::Block
                } else {
                    w.block_start(2);
                    w.lead = &"###### "[6 - level as usize..];
                    w.flat += 1;
                    w.oneline += 1;
                    Frame::Heading
                }
            }
            Tag::Blockquote => {
                if w.flat > 0 {
                    w.space();
                    Frame::Block
                } else {
                    w.block_start(2);
                    w.containers.push(Container {
                        marker: None,
                        started: false,
                    });
                    Frame::Quote
                }
            }
            Tag::Ul | Tag::Ol => {
                if w.flat > 0 {
                    w.space();
                    lists.push(ListState {
                        ordered: n.tag == Tag::Ol,
                        next: list_start(n),
                        digits: 1,
                        bullet: '.',
                    });
                    Frame::FlatList
                } else {
                    let in_item = w.containers.last().is_some_and(|c| c.marker.is_some())
                        && stack.last().is_some_and(|(_, f)| matches!(f, Frame::Item));
                    w.block_start(if in_item { 1 } else { 2 });
                    let ordered = n.tag == Tag::Ol;
                    // A list right after another of the same kind would continue it.
                    let (a, b) = if ordered { ('.', ')') } else { ('*', '-') };
                    let bullet = match w.last_list {
                        Some((len, depth, c))
                            if len == w.out.len() && depth == w.containers.len() && c == a =>
                        {
                            b
                        }
                        _ => a,
                    };
                    let start = list_start(n);
                    let mut items = 0u64;
                    let mut j = i + 1;
                    while j < sub_end {
                        if nodes[j].tag == Tag::Li {
                            items += 1;
                        }
                        j = nodes[j].end.max(j + 1);
                    }
                    let highest = (start + items.saturating_sub(1)).min(999_999_999);
                    lists.push(ListState {
                        ordered,
                        next: start,
                        digits: highest.to_string().len(),
                        bullet,
                    });
                    Frame::List { in_item, bullet }
                }
            }
            Tag::Li => {
                if w.flat > 0 {
                    w.space();
                    if let Some(l) = lists.last_mut().filter(|l| l.ordered) {
                        // One line cannot hold a list: keep the numbers as text.
                        w.text(&format!("{}. ", l.next));
                        l.next = (l.next + 1).min(999_999_999);
                    }
                    Frame::Block
                } else {
                    w.block_start(1);
                    let marker = match lists.last_mut() {
                        Some(l) if l.ordered => {
                            let m = ordered_marker(l.next, l.digits, l.bullet);
                            l.next = (l.next + 1).min(999_999_999);
                            m
                        }
                        Some(l) => format!("{}   ", l.bullet),
                        None => "*   ".to_string(),
                    };
                    w.containers.push(Container {
                        marker: Some(marker),
                        started: false,
                    });
                    Frame::Item
                }
            }
            Tag::Em | Tag::Strong => {
                let closes = closer_flanks(nodes, i, sub_end, end);
                w.open_inline(
                    if n.tag == Tag::Em {
                        Emph::Em
                    } else {
                        Emph::Strong
                    },
                    closes,
                );
                w.flat += 1;
                Frame::Emphasis
            }
            Tag::A => {
                let inside_link = w.inlines.iter().any(|e| e.kind == Emph::Link);
                if n.attr(Attr::Href).is_some() && !inside_link {
                    w.open_inline(Emph::Link, true);
                    w.flat += 1;
                    Frame::Link(i)
                } else {
                    Frame::Plain
                }
            }
            Tag::Inline => Frame::Plain,
        };
        stack.push((sub_end, frame));
        i += 1;
    }
}

fn close(
    w: &mut Writer,
    nodes: &[Node],
    node_end: usize,
    end: usize,
    frame: Frame,
    lists: &mut Vec<ListState>,
) {
    match frame {
        Frame::Plain => {}
        Frame::Block => w.block_end(2),
        Frame::Heading => {
            w.flat = w.flat.saturating_sub(1);
            w.oneline = w.oneline.saturating_sub(1);
            if w.lead.is_empty() && !w.line_start && w.out.ends_with('#') {
                // A closing run of `#` would be read as the heading's end.
                let run = w.out.bytes().rev().take_while(|&b| b == b'#').count();
                let at = w.out.len() - run;
                if at == w.lead_end || w.out.as_bytes().get(at.wrapping_sub(1)) == Some(&b' ') {
                    w.out.insert(at, '\\');
                }
            }
            w.block_end(2);
        }
        Frame::FlatList => {
            lists.pop();
            w.space();
        }
        Frame::Quote => {
            w.containers.pop();
            w.block_end(2);
        }
        Frame::List { in_item, bullet } => {
            lists.pop();
            w.block_end(if in_item { 1 } else { 2 });
            w.after_nested_list = in_item;
            w.last_list = Some((w.out.len(), w.containers.len(), bullet));
        }
        Frame::Item => {
            if w.containers.last().is_some_and(|c| !c.started) {
                // An empty item still holds its place (and its number).
                w.begin('\n');
                let keep = w.out.trim_end_matches(' ').len();
                w.out.truncate(keep);
                w.fresh = false;
            }
            w.containers.pop();
            w.block_end(1);
        }
        Frame::Emphasis => {
            w.flat = w.flat.saturating_sub(1);
            w.close_emphasis(|| next_char(nodes, node_end, end));
        }
        Frame::Link(a) => {
            w.flat = w.flat.saturating_sub(1);
            let n = &nodes[a];
            w.close_link(n.attr(Attr::Href).unwrap_or(""), n.attr(Attr::Title));
        }
    }
}

/// Writes the table at `t` as a GFM table: the header row is the first row of `thead`, else
/// the first row; every cell one line.
fn table(w: &mut Writer, nodes: &[Node], t: usize, end: usize) {
    let mut captions = Vec::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut header: Option<usize> = None;
    let mut in_thead_until = 0;
    let mut i = t + 1;
    while i < end {
        let n = &nodes[i];
        match n.tag {
            Tag::Caption => {
                captions.push(i);
                i = n.end;
            }
            Tag::Thead => {
                in_thead_until = n.end;
                i += 1;
            }
            Tag::Section => i += 1,
            Tag::Tr => {
                let mut cells = Vec::new();
                let mut j = i + 1;
                while j < n.end {
                    let c = &nodes[j];
                    if c.tag == Tag::Cell {
                        let mut cw = Writer::new(true);
                        walk(&mut cw, nodes, j + 1, c.end);
                        let s = cw.finish();
                        cells.push(s.replace('\n', " ").replace('|', "\\|"));
                    }
                    j = c.end.max(j + 1);
                }
                if !cells.is_empty() {
                    if header.is_none() && i < in_thead_until {
                        header = Some(rows.len());
                    }
                    rows.push(cells);
                }
                i = n.end;
            }
            _ => i = n.end.max(i + 1),
        }
    }
    w.block_start(2);
    for c in captions {
        w.block_start(2);
        w.flat += 1;
        w.oneline += 1;
        walk(w, nodes, c + 1, nodes[c].end);
        w.flat -= 1;
        w.oneline -= 1;
        w.block_end(2);
    }
    if rows.is_empty() {
        w.block_end(2);
        return;
    }
    if let Some(h) = header.filter(|&h| h > 0) {
        let r = rows.remove(h);
        rows.insert(0, r);
    }
    let cols = rows.iter().map(Vec::len).max().unwrap_or(1);
    let mut widths = vec![1usize; cols];
    for r in &rows {
        for (k, c) in r.iter().enumerate() {
            widths[k] = widths[k].max(c.chars().count());
        }
    }
    let mut text = String::new();
    for (ri, r) in rows.iter().enumerate() {
        if ri > 0 {
            text.push('\n');
        }
        text.push('|');
        for (k, width) in widths.iter().enumerate() {
            let c = r.get(k).map_or("", String::as_str);
            text.push(' ');
            text.push_str(c);
            for _ in c.chars().count()..*width {
                text.push(' ');
            }
            text.push_str(" |");
        }
        if ri == 0 {
            text.push_str("\n|");
            for width in &widths {
                text.push(' ');
                for _ in 0..*width {
                    text.push('-');
                }
                text.push_str(" |");
            }
        }
    }
    w.block_start(2);
    w.lines(text.lines());
    w.block_end(2);
}

/// Converts sanitised article HTML to CommonMark (with GFM tables).
pub(crate) fn to_markdown(html: &str) -> String {
    let nodes = parse(html);
    let mut w = Writer::new(false);
    // Markdown is about as long as the text: a third of the HTML is plenty to start with.
    w.out.reserve(html.len() / 3);
    walk(&mut w, &nodes, 0, nodes.len());
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::to_markdown as md;

    #[test]
    fn headings_paragraphs_and_rules() {
        assert_eq!(
            md("<h2>Title</h2><p>One.</p><p>Two.</p>"),
            "## Title\n\nOne.\n\nTwo."
        );
        assert_eq!(md("<h1>a</h1><h6>b</h6>"), "# a\n\n###### b");
        assert_eq!(md("<p>a</p><hr><p>b</p>"), "a\n\n* * *\n\nb");
        // A heading is one line; a closing run of `#` is escaped.
        assert_eq!(md("<h3>a<br>b <p>c</p></h3>"), "### a b c");
        assert_eq!(
            md("<h2>C #</h2><h2>#</h2><h2>C#</h2>"),
            "## C \\#\n\n## \\#\n\n## C#"
        );
    }

    #[test]
    fn whitespace_is_collapsed_and_trimmed() {
        assert_eq!(md("  <p>  a \n\t b  </p>\n\n<p> c</p> "), "a b\n\nc");
        assert_eq!(md("<p>a <em> b </em> c</p>"), "a *b* c");
        assert_eq!(md("<p>a<a href=\"u\"> b </a>c</p>"), "a [b](u) c");
        assert!(!md("<p>a </p><ul><li>b </li></ul>").contains(" \n"));
    }

    #[test]
    fn empty_elements_vanish() {
        assert_eq!(md(""), "");
        assert_eq!(
            md("<p></p><h2> </h2><blockquote></blockquote><em></em><p>x</p>"),
            "x"
        );
        assert_eq!(md("<p><strong> </strong>a<code> </code></p>"), "a");
        // An empty item keeps its place.
        assert_eq!(
            md("<ol><li>a</li><li></li><li>c</li></ol>"),
            "1.  a\n2.\n3.  c"
        );
    }

    #[test]
    fn emphasis() {
        assert_eq!(
            md("<p><em>a</em> <strong>b</strong> <em><strong>c</strong></em></p>"),
            "*a* **b** ***c***"
        );
        // Emphasis next to its own kind, a space between, is one.
        assert_eq!(
            md("<p><strong>a</strong> <strong>b</strong></p>"),
            "**a b**"
        );
        // Nested in its own kind, or adjacent to its own kind: one emphasis.
        assert_eq!(md("<p><em>a <em>b</em></em></p>"), "*a b*");
        assert_eq!(md("<p><em>a</em><em>b</em></p>"), "*ab*");
        // Delimiters CommonMark would not read as emphasis are left out.
        assert_eq!(md("<p>a<em>\"b\"</em>c</p>"), "a\"b\"c");
        assert_eq!(md("<p>a <em>\"b\"</em> c</p>"), "a *\"b\"* c");
        assert_eq!(md("<p>x<strong>y</strong>z</p>"), "x**y**z");
    }

    #[test]
    fn links_and_images() {
        assert_eq!(
            md(
                "<p><a href=\"https://x.y/a\" title=\"T &quot;q&quot;\" rel=\"noopener noreferrer\">t</a></p>"
            ),
            "[t](https://x.y/a \"T \\\"q\\\"\")"
        );
        assert_eq!(
            md("<p><a href=\"https://x.y/a b\">t</a></p>"),
            "[t](<https://x.y/a b>)"
        );
        assert_eq!(
            md("<p><a href=\"https://x.y/p(1)\">t</a></p>"),
            "[t](<https://x.y/p(1)>)"
        );
        assert_eq!(md("<p><a href=\"u\"></a></p>"), "[](u)");
        assert_eq!(md("<p><a>no href</a></p>"), "no href");
        assert_eq!(
            md("<p><img src=\"i.png\" alt=\"a [b] *c*\"></p>"),
            "![a \\[b\\] \\*c\\*](i.png)"
        );
        assert_eq!(md("<p><img alt=\"no src\"></p>"), "");
        assert_eq!(
            md("<p><a href=\"l\"><img src=\"i\" alt=\"x\"></a></p>"),
            "[![x](i)](l)"
        );
        // `&` that could read as a reference is escaped; a query string is left alone.
        assert_eq!(
            md("<p><a href=\"u?a=1&amp;b=2\">t</a></p>"),
            "[t](u?a=1&b=2)"
        );
        assert_eq!(
            md("<p><a href=\"u?a&amp;copy;\">t</a></p>"),
            "[t](u?a\\&copy;)"
        );
    }

    #[test]
    fn breaks() {
        assert_eq!(md("<p>a<br>b</p>"), "a\\\nb");
        // At the edges of a block a break has nothing to break; two are a paragraph break.
        assert_eq!(md("<p><br>a<br></p><p>b<br> </p>"), "a\n\nb");
        assert_eq!(md("<p>a<br><br>b</p>"), "a\n\nb");
        assert_eq!(md("<blockquote><p>a<br>b</p></blockquote>"), "> a\\\n> b");
        assert_eq!(md("<ul><li>a<br>b</li></ul>"), "*   a\\\n    b");
        assert_eq!(md("<p><strong>a<br></strong>b</p>"), "**a**\\\nb");
    }

    #[test]
    fn lists() {
        assert_eq!(md("<ul><li>a</li><li>b</li></ul>"), "*   a\n*   b");
        assert_eq!(
            md("<ol start=\"9\"><li>a</li><li>b</li></ol>"),
            "9.   a\n10.  b"
        );
        assert_eq!(
            md("<ul><li>a<ul><li>b<ol><li>c</li></ol></li></ul></li><li>d</li></ul>"),
            "*   a\n    *   b\n        1.  c\n*   d"
        );
        // Paragraphs in an item make a loose list, indented to the marker's width.
        assert_eq!(
            md("<ol><li><p>a</p><p>b</p></li><li>c</li></ol>"),
            "1.  a\n\n    b\n\n2.  c"
        );
        // Text after a nested list is not a lazy continuation of its last item.
        assert_eq!(
            md("<ul><li>a<ul><li>b</li></ul>c</li></ul>"),
            "*   a\n    *   b\n\n    c"
        );
        // Two lists in a row stay two lists.
        assert_eq!(
            md("<ul><li>a</li></ul><ul><li>b</li></ul>"),
            "*   a\n\n-   b"
        );
        assert_eq!(
            md("<ol><li>a</li></ol><ol><li>b</li></ol>"),
            "1.  a\n\n1)  b"
        );
        // An item starting with a rule does not read as a rule.
        assert_eq!(md("<ul><li><hr></li></ul>"), "*   - - -");
        assert_eq!(md("<ol start=\"-3\"><li>a</li></ol>"), "0.  a");
    }

    #[test]
    fn blockquotes() {
        assert_eq!(
            md("<blockquote><p>a</p><p>b</p></blockquote>"),
            "> a\n>\n> b"
        );
        assert_eq!(
            md("<blockquote><p>a</p><blockquote><p>b</p></blockquote></blockquote><p>c</p>"),
            "> a\n>\n> > b\n\nc"
        );
        assert_eq!(
            md("<ul><li><blockquote>q</blockquote></li></ul>"),
            "*   > q"
        );
    }

    #[test]
    fn code() {
        assert_eq!(md("<p><code>a*b</code></p>"), "`a*b`");
        assert_eq!(md("<p><code>a`b</code></p>"), "``a`b``");
        assert_eq!(md("<p><code>`a</code></p>"), "`` `a ``");
        assert_eq!(md("<p><code>a\n b</code></p>"), "`a  b`");
        assert_eq!(
            md("<pre><code class=\"language-rust\">fn main() {\n    x &lt; 1;\n}\n</code></pre>"),
            "```rust\nfn main() {\n    x < 1;\n}\n```"
        );
        assert_eq!(md("<pre>a ```\n\nb</pre>"), "````\na ```\n\nb\n````");
        assert_eq!(md("<pre>\nfirst</pre>"), "```\nfirst\n```");
        assert_eq!(md("<pre></pre>"), "```\n```");
        assert_eq!(
            md("<blockquote><pre>a\n\nb</pre></blockquote>"),
            "> ```\n> a\n>\n> b\n> ```"
        );
        assert_eq!(
            md("<ol><li><pre>a\nb</pre></li></ol>"),
            "1.  ```\n    a\n    b\n    ```"
        );
        // Markdown inside code is code.
        assert_eq!(md("<pre>*a* [b]</pre>"), "```\n*a* [b]\n```");
    }

    #[test]
    fn tables() {
        assert_eq!(
            md(
                "<table><thead><tr><th>Name</th><th>N</th></tr></thead><tbody><tr><td>a</td><td>10</td></tr><tr><td>long name</td><td>2</td></tr></tbody></table>"
            ),
            "| Name      | N  |\n| --------- | -- |\n| a         | 10 |\n| long name | 2  |"
        );
        // Without th the first row is the header; short rows are padded; `|` is escaped;
        // blocks in a cell are one line.
        assert_eq!(
            md(
                "<table><tr><td>a|b</td><td><p>c</p><p>d<br>e</p></td></tr><tr><td>f</td></tr></table>"
            ),
            "| a\\|b | c d e |\n| ---- | ----- |\n| f    |       |"
        );
        assert_eq!(
            md("<table><caption>Cap</caption><tr><td>a</td></tr></table>"),
            "Cap\n\n| a |\n| - |"
        );
        // A thead after the body rows still gives the header.
        assert_eq!(
            md(
                "<table><tbody><tr><td>b</td></tr></tbody><thead><tr><th>h</th></tr></thead></table>"
            ),
            "| h |\n| - |\n| b |"
        );
        assert_eq!(md("<table></table><p>x</p>"), "x");
        // A table in a cell is text.
        assert_eq!(
            md("<table><tr><td><table><tr><td>x</td><td>y</td></tr></table></td></tr></table>"),
            "| x y |\n| --- |"
        );
        assert_eq!(
            md("<ul><li><table><tr><td>a</td></tr></table></li></ul>"),
            "*   | a |\n    | - |"
        );
    }

    #[test]
    fn figures_and_definitions() {
        assert_eq!(
            md(
                "<figure><img src=\"f.jpg\" alt=\"F\"><figcaption>The <em>cap</em></figcaption></figure>"
            ),
            "![F](f.jpg)\n\nThe *cap*"
        );
        assert_eq!(md("<dl><dt>T</dt><dd>D</dd></dl>"), "T\n\nD");
    }

    #[test]
    fn escaping_in_text() {
        assert_eq!(
            md("<p>a*b_c [d] `e` \\f</p>"),
            "a\\*b_c \\[d\\] \\`e\\` \\\\f"
        );
        // `_` inside a word cannot be emphasis.
        assert_eq!(md("<p>snake_case _x_</p>"), "snake_case \\_x\\_");
        assert_eq!(
            md("<p>&lt;b&gt; a &lt; b &lt;/i&gt; &lt;!-- c</p>"),
            "\\<b> a < b \\</i> \\<!-- c"
        );
        assert_eq!(
            md("<p>&amp;amp; &amp;#42; a &amp; b</p>"),
            "\\&amp; \\&#42; a & b"
        );
        // Line starts: only what would start a block is escaped.
        for (html, want) in [
            ("# a", "\\# a"),
            ("#hashtag", "#hashtag"),
            ("####### seven", "####### seven"),
            ("&gt; q", "\\> q"),
            ("- a", "\\- a"),
            ("-5 degrees", "-5 degrees"),
            ("---", "\\---"),
            ("+ a", "\\+ a"),
            ("+1", "+1"),
            ("1. a", "1\\. a"),
            ("2) b", "2\\) b"),
            ("1.5 m", "1.5 m"),
            ("2024. Year", "2024\\. Year"),
            ("= x", "\\= x"),
            ("~~~", "\\~~~"),
            ("~x", "~x"),
        ] {
            assert_eq!(md(&format!("<p>{html}</p>")), want, "{html}");
            // Not at a line start: nothing to escape.
            assert_eq!(
                md(&format!("<p>x {html}</p>")),
                format!("x {html}").replace("&gt;", ">"),
                "{html}"
            );
        }
        assert_eq!(md("<p>a<br>- b</p>"), "a\\\n\\- b");
        assert_eq!(md("<ul><li>1. a</li></ul>"), "*   1\\. a");
        assert_eq!(md("<h2>1. a</h2>"), "## 1. a");
    }

    #[test]
    fn entities() {
        assert_eq!(
            md("<p>&amp;&lt;&gt;&quot;&apos;&nbsp;&#65;&#x42;&#X43;&copy;&mdash;</p>"),
            "&<>\"'\u{a0}ABC©—"
        );
        // Unknown or broken references stay text (escaped where Markdown would read them).
        assert_eq!(
            md("<p>&bogus; &amp &#xZZ; &#;</p>"),
            "\\&bogus; &amp &#xZZ; &#;"
        );
        assert_eq!(
            md("<p>&#0;&#xD800;&#x110000;</p>"),
            "\u{fffd}\u{fffd}\u{fffd}"
        );
        assert_eq!(
            md("<p><img src=\"a?b=1&amp;c=2\" alt=\"&quot;x&quot;\"></p>"),
            "![\"x\"](a?b=1&c=2)"
        );
    }

    #[test]
    fn unknown_and_skipped_elements() {
        assert_eq!(
            md(
                "<p><span>a</span> <sub>2</sub><sup>3</sup> <mark>m</mark> <q>q</q> <kbd>k</kbd> <x-y>z</x-y></p>"
            ),
            "a 23 m q k z"
        );
        assert_eq!(
            md("<p>a<script>b</script><style>c</style><!-- d -->e</p>"),
            "ae"
        );
        assert_eq!(md("<div><section>a</section>b</div>"), "a\n\nb");
    }

    #[test]
    fn malformed_markup_degrades_to_text() {
        assert_eq!(md("a < b and c <d"), "a < b and c \\<d");
        assert_eq!(md("<p>unclosed <em>em"), "unclosed *em*");
        assert_eq!(md("<p>a</b></p>b</p>"), "a\n\nb");
        assert_eq!(
            md("<p title=\"never closed>x"),
            "\\<p title=\"never closed>x"
        );
        assert_eq!(md("<p>a</p><p b='c>d"), "a\n\n\\<p b='c>d");
        assert_eq!(md("x <a href='u'>y</a> <br/> z"), "x [y](u)\\\nz");
        assert_eq!(md("<!-- never closed <p>x</p>"), "");
        assert_eq!(md("<script>never closed"), "");
        assert_eq!(md("</p></em>x"), "x");
    }

    #[test]
    fn hostile_input_is_linear_and_never_panics() {
        let deep = "<div>".repeat(100_000) + "x" + &"</div>".repeat(100_000);
        assert_eq!(md(&deep), "x");
        let deep_inline = "<em><a href=\"u\"><strong>".repeat(30_000) + "x";
        assert!(md(&deep_inline).contains('x'));
        let lists = "<ul><li>".repeat(50_000) + "x";
        assert!(md(&lists).ends_with('x'));
        let quotes = "<blockquote>".repeat(100_000) + "x";
        assert!(md(&quotes).ends_with("> x"));
        let stray = "</div>".repeat(100_000) + &"<p>".repeat(100_000) + "x";
        assert_eq!(md(&stray), "x");
        let unterminated = "<a title=\"".repeat(100_000);
        assert_eq!(md(&unterminated).len(), unterminated.len() + 100_000);
        let lt = "<".repeat(100_000) + &"<x".repeat(50_000);
        let _ = md(&lt);
        let amps = "&".repeat(100_000) + &"&#".repeat(50_000);
        let _ = md(&amps);
        // Arbitrary bytes as text: never a panic.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..2_000 {
            let mut s = String::new();
            for _ in 0..40 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let pieces = [
                    "<",
                    ">",
                    "</",
                    "<p>",
                    "</p>",
                    "<li>",
                    "<ol start=\"x\">",
                    "<table>",
                    "<tr>",
                    "<td>",
                    "<pre>",
                    "\n",
                    "&",
                    "&#",
                    ";",
                    "\"",
                    "'",
                    "=",
                    "<a href=",
                    "é",
                    "*",
                    "`",
                    "<br>",
                    "<h2>",
                    "<!--",
                    "-->",
                    "<code>",
                    "</a>",
                    "<blockquote>",
                    " ",
                ];
                s.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let out = md(&s);
            assert!(!out.lines().any(|l| l.ends_with(' ')), "{s:?} → {out:?}");
        }
    }
}

/// The round trip: random article bodies made of the elements the renderer writes, with text
/// full of characters Markdown treats specially, converted to Markdown and read back by
/// pulldown-cmark (tables on). Both HTML trees (the input and pulldown-cmark's) are parsed by
/// html5ever and reduced to the same normal form; "the same" means:
///
/// - **Text**: the concatenated text (image alt texts included), whitespace collapsed, with a
///   line end at every block boundary and break (a space inside headings and table cells,
///   which are one line), is identical.
/// - **Structure**: the sequence of headings (with level), paragraph boundaries, lists (kind,
///   start), items, block quotes, code blocks (language and text), rules, tables (rows and
///   cells; the first row is the header, `thead`/`tbody`/`th` are not told apart, trailing
///   empty cells are dropped, the caption comes first as a paragraph), links (href, title),
///   images (src, alt), inline code (text), breaks, and trimmed text is identical. Breaks are
///   generated between inline elements, not inside emphasis or links. Paragraph
///   boundaries are collapsed and dropped next to other block tokens, so `figure`, `dl` and
///   the `p` of a tight or loose item compare equal; a break next to a block boundary is
///   dropped, and two or more in a row are a paragraph boundary (that is how they read).
/// - **Emphasis** is left out of the structure: a delimiter run CommonMark cannot read as
///   emphasis is written as plain text, so the output may hold fewer emphases, never more,
///   and over the whole run at least 80% of them must survive.
#[cfg(test)]
mod roundtrip {
    use super::to_markdown;
    use ego_tree::NodeRef;
    use scraper::{Html, Node};

    /// xorshift64, and how many elements a parent gets at most.
    struct Rng(u64, usize);

    impl Rng {
        fn count(&mut self) -> usize {
            1 + self.below(self.1)
        }
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[self.below(xs.len())]
        }
    }

    const WORDS: &[&str] = &[
        "word",
        "Text",
        "é",
        "naïve",
        "snake_case",
        "_under_",
        "__dunder__",
        "*star*",
        "**two**",
        "a*b",
        "5 * 3",
        "[x]",
        "a]b",
        "[link](u)",
        "\\",
        "back\\slash",
        "`tick`",
        "``",
        "#",
        "# h",
        "#tag",
        "1.",
        "2)",
        "10.",
        "-",
        "- item",
        "+",
        "+ x",
        ">",
        "> q",
        "=",
        "===",
        "---",
        "~~~",
        "~x~",
        "<b>",
        "</i>",
        "<",
        "< b",
        "<!--",
        "&amp;",
        "&copy;",
        "&#42;",
        "&",
        "|",
        "a|b",
        "!",
        "![i](s)",
        "(",
        ")",
        "\"",
        "'",
        ":",
        "http://x.y/z",
        "<http://a>",
        "***",
        "_",
        "—",
        "\u{a0}",
        "x_",
        "_x",
        "$",
        "%",
        "{",
        "}",
        "@",
        "^",
    ];
    const HREFS: &[&str] = &[
        "https://e.x/a",
        "https://e.x/a_b*c*",
        "https://e.x/p(1)",
        "https://e.x/a b",
        "https://e.x/?q=1&b=2",
        "https://e.x/?q=1&copy;",
        "https://e.x/<x>",
        "https://e.x/back\\slash",
        "mailto:a@e.x",
    ];

    fn esc(s: &str, attr: bool) -> String {
        let mut o = String::new();
        for c in s.chars() {
            match c {
                '&' => o.push_str("&amp;"),
                '<' => o.push_str("&lt;"),
                '>' => o.push_str("&gt;"),
                '"' if attr => o.push_str("&quot;"),
                '\u{a0}' => o.push_str("&nbsp;"),
                c => o.push(c),
            }
        }
        o
    }

    fn text(r: &mut Rng, out: &mut String) {
        for k in 0..1 + r.below(4) {
            if k > 0 || r.below(4) == 0 {
                out.push_str(r.pick(&[" ", " ", "  ", "\n", " \t"]));
            }
            let w = r.pick(WORDS);
            if r.below(8) == 0 && w.len() == 1 {
                // The same character as a numeric reference.
                out.push_str(&format!("&#{};", w.chars().next().map_or(0, |c| c as u32)));
            } else {
                out.push_str(&esc(w, false));
            }
        }
        if r.below(4) == 0 {
            out.push(' ');
        }
    }

    fn inline(r: &mut Rng, out: &mut String, depth: usize, in_link: bool) {
        for _ in 0..r.count() {
            match r.below(if depth > 2 { 1 } else { 12 }) {
                0..=3 => text(r, out),
                4 => {
                    out.push_str("<em>");
                    inline(r, out, depth + 1, in_link);
                    out.push_str("</em>");
                }
                5 => {
                    out.push_str("<strong>");
                    inline(r, out, depth + 1, in_link);
                    out.push_str("</strong>");
                }
                6 if !in_link => {
                    let href = r.pick(HREFS);
                    out.push_str(&format!("<a href=\"{}\"", esc(href, true)));
                    if r.below(3) == 0 {
                        let t = r.pick(&["Title", "a \"q\" b", "x & y", "back\\slash"]);
                        out.push_str(&format!(" title=\"{}\"", esc(t, true)));
                    }
                    out.push_str(" rel=\"noopener noreferrer\">");
                    inline(r, out, depth + 1, true);
                    out.push_str("</a>");
                }
                7 => {
                    out.push_str("<code>");
                    let mut t = String::new();
                    text(r, &mut t);
                    out.push_str(&t);
                    out.push_str("</code>");
                }
                8 => {
                    let alt = r.pick(&["", "Alt text", "a [b]", "snake_case *x*", "x_y"]);
                    let src = r.pick(HREFS);
                    out.push_str(&format!("<img src=\"{}\"", esc(src, true)));
                    if !alt.is_empty() {
                        out.push_str(&format!(" alt=\"{}\"", esc(alt, true)));
                    }
                    out.push('>');
                }
                // Breaks only between inline elements: at the edges of emphasis and links
                // (`<em><br>a</em>`) where the break goes is a matter of taste.
                9 if depth == 0 => out.push_str("<br>"),
                9 => text(r, out),
                _ => {
                    let tag = r.pick(&["sub", "sup", "mark", "del", "q", "cite", "abbr", "kbd"]);
                    out.push_str(&format!("<{tag}>"));
                    inline(r, out, depth + 1, in_link);
                    out.push_str(&format!("</{tag}>"));
                }
            }
        }
    }

    fn blocks(r: &mut Rng, out: &mut String, depth: usize) {
        for _ in 0..r.count() {
            match r.below(if depth > 2 { 3 } else { 12 }) {
                0..=2 => {
                    out.push_str("<p>");
                    inline(r, out, 0, false);
                    out.push_str("</p>");
                }
                3 => {
                    let h = 1 + r.below(6);
                    out.push_str(&format!("<h{h}>"));
                    inline(r, out, 0, false);
                    out.push_str(&format!("</h{h}>"));
                }
                4 | 5 => {
                    let ordered = r.below(2) == 0;
                    let tag = if ordered { "ol" } else { "ul" };
                    out.push_str(&format!("<{tag}"));
                    if ordered && r.below(3) == 0 {
                        out.push_str(&format!(" start=\"{}\"", r.below(12)));
                    }
                    out.push('>');
                    for _ in 0..1 + r.below(12) {
                        out.push_str("<li>");
                        if r.below(2) == 0 {
                            inline(r, out, 0, false);
                        } else {
                            blocks(r, out, depth + 1);
                        }
                        out.push_str("</li>");
                    }
                    out.push_str(&format!("</{tag}>"));
                }
                6 => {
                    out.push_str("<blockquote>");
                    blocks(r, out, depth + 1);
                    out.push_str("</blockquote>");
                }
                7 => {
                    let lang = r.below(3) == 0;
                    out.push_str("<pre>");
                    if lang {
                        out.push_str("<code class=\"language-rust\">");
                    }
                    for k in 0..1 + r.below(4) {
                        if k > 0 {
                            out.push_str(r.pick(&["\n", "\n\n"]));
                        }
                        out.push_str(&esc(
                            r.pick(&[
                                "fn x() {",
                                "  ```",
                                "    *a* [b]",
                                "}",
                                "<p>",
                                "~~~",
                                "# no",
                                "a`b",
                            ]),
                            false,
                        ));
                    }
                    if lang {
                        out.push_str("</code>");
                    }
                    out.push_str("</pre>");
                }
                8 => {
                    out.push_str("<table>");
                    if r.below(3) == 0 {
                        out.push_str("<caption>");
                        inline(r, out, 1, false);
                        out.push_str("</caption>");
                    }
                    let head = r.below(2) == 0;
                    let cols = 1 + r.below(4);
                    for row in 0..1 + r.below(4) {
                        if row == 0 && head {
                            out.push_str("<thead>");
                        } else if row == 1 && head || row == 0 {
                            out.push_str("<tbody>");
                        }
                        out.push_str("<tr>");
                        for _ in 0..1 + r.below(cols) {
                            let cell = if row == 0 && head { "th" } else { "td" };
                            out.push_str(&format!("<{cell}>"));
                            if r.below(4) == 0 {
                                out.push_str("<p>");
                                inline(r, out, 1, false);
                                out.push_str("</p><p>");
                                inline(r, out, 1, false);
                                out.push_str("</p>");
                            } else {
                                inline(r, out, 1, false);
                            }
                            out.push_str(&format!("</{cell}>"));
                        }
                        out.push_str("</tr>");
                        if row == 0 && head {
                            out.push_str("</thead>");
                        }
                    }
                    out.push_str("</tbody></table>");
                }
                9 => {
                    out.push_str(&format!(
                        "<figure><img src=\"{}\" alt=\"Photo\">",
                        esc(r.pick(HREFS), true)
                    ));
                    if r.below(2) == 0 {
                        out.push_str("<figcaption>");
                        inline(r, out, 0, false);
                        out.push_str("</figcaption>");
                    }
                    out.push_str("</figure>");
                }
                10 => {
                    out.push_str("<dl><dt>");
                    inline(r, out, 0, false);
                    out.push_str("</dt><dd>");
                    inline(r, out, 0, false);
                    out.push_str("</dd></dl>");
                }
                _ => out.push_str("<hr>"),
            }
        }
    }

    #[derive(Debug, Clone, PartialEq)]
    enum Tok {
        Text(String),
        Para,
        Br,
        Open(String),
        Close(String),
        Leaf(String),
    }

    #[derive(Default)]
    struct Norm {
        toks: Vec<Tok>,
        text: String,
        /// The emphases: kind, text, and whether inside one of the same kind.
        emphases: Vec<(String, String, bool)>,
        /// Inside a heading or a table cell: breaks and blocks are spaces.
        oneline: usize,
        /// Where each emphasis or link around here started: inside one that already holds
        /// something, breaks in a row are one (no paragraph can break it).
        inline: Vec<usize>,
    }

    fn attr(e: &scraper::node::Element, name: &str) -> String {
        let v = e.attr(name).unwrap_or("");
        // pulldown-cmark percent-encodes some characters of URLs: compare decoded.
        let mut out = Vec::new();
        let b = v.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%'
                && let Some(h) = v.get(i + 1..i + 3)
                && let Ok(x) = u8::from_str_radix(h, 16)
            {
                out.push(x);
                i += 3;
                continue;
            }
            out.push(b[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    fn collapse(s: &str) -> String {
        s.split(|c: char| c.is_ascii_whitespace())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    impl Norm {
        fn boundary(&mut self) {
            if self.oneline > 0 {
                self.text.push(' ');
                self.toks.push(Tok::Text(" ".into()));
            } else {
                self.toks.push(Tok::Para);
                self.text.push('\n');
            }
        }

        fn walk(&mut self, n: NodeRef<'_, Node>) {
            for c in n.children() {
                match c.value() {
                    Node::Text(t) => {
                        self.toks.push(Tok::Text(t.to_string()));
                        // A line end in text is a space; `\n` in `text` is a boundary.
                        self.text.push_str(&t.replace(['\n', '\r', '\t'], " "));
                    }
                    Node::Element(e) => self.element(c, e),
                    _ => {}
                }
            }
        }

        fn element(&mut self, n: NodeRef<'_, Node>, e: &scraper::node::Element) {
            let name = e.name();
            match name {
                "p" | "figure" | "figcaption" | "dl" | "dt" | "dd" | "div" => {
                    self.boundary();
                    self.walk(n);
                    self.boundary();
                }
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                    let before = self.toks.len();
                    self.boundary();
                    self.toks.push(Tok::Open(name.to_string()));
                    self.oneline += 1;
                    self.walk(n);
                    self.oneline -= 1;
                    self.toks.push(Tok::Close(name.to_string()));
                    self.boundary();
                    // An empty heading is not written.
                    if !self.toks[before..].iter().any(|t| {
                        matches!(t, Tok::Text(s) if !s.trim().is_empty())
                            || matches!(t, Tok::Leaf(_))
                    }) {
                        self.toks.truncate(before);
                    }
                }
                "ul" | "ol" | "li" | "blockquote" => {
                    let label = if name == "ol" {
                        format!("ol {}", e.attr("start").unwrap_or("1"))
                    } else {
                        name.to_string()
                    };
                    let before = self.toks.len();
                    self.toks.push(Tok::Open(label.clone()));
                    self.text.push('\n');
                    self.walk(n);
                    self.toks.push(Tok::Close(label));
                    self.text.push('\n');
                    // An empty quote is not written.
                    if name == "blockquote"
                        && !self.toks[before + 1..].iter().any(|t| {
                            matches!(t, Tok::Text(s) if !s.trim().is_empty())
                                || matches!(t, Tok::Leaf(_) | Tok::Open(_))
                        })
                    {
                        self.toks.truncate(before);
                    }
                }
                "pre" => {
                    let code = n
                        .first_child()
                        .and_then(|c| c.value().as_element().map(|e| (c, e)));
                    let lang = code
                        .and_then(|(_, e)| e.attr("class"))
                        .or(e.attr("class"))
                        .unwrap_or("")
                        .to_string();
                    let t: String = n
                        .descendants()
                        .filter_map(|d| d.value().as_text().map(|t| t.to_string()))
                        .collect();
                    let t: Vec<&str> = t.lines().map(str::trim_end).collect();
                    let t = t.join("\n").trim_end().to_string();
                    self.toks.push(Tok::Leaf(format!("pre {lang} {t:?}")));
                    self.text.push_str(&format!("\n{t}\n"));
                }
                "hr" => {
                    self.toks.push(Tok::Leaf("hr".into()));
                    self.text.push('\n');
                }
                "br" => {
                    if self.oneline > 0 {
                        self.text.push(' ');
                        self.toks.push(Tok::Text(" ".into()));
                    } else if self.inline.iter().any(|&at| {
                        self.toks[at..].iter().any(|t| {
                            !matches!(t, Tok::Text(s) if s.trim().is_empty()) && *t != Tok::Br
                        })
                    }) && matches!(
                        self.toks.iter().rev().find(|t| {
                            !matches!(t, Tok::Text(s) if s.trim().is_empty())
                                && !matches!(t, Tok::Open(s) | Tok::Close(s) if s.starts_with("a "))
                        }),
                        Some(Tok::Br)
                    ) {
                    } else {
                        self.toks.push(Tok::Br);
                        self.text.push('\n');
                    }
                }
                "img" => {
                    let alt = collapse(e.attr("alt").unwrap_or(""));
                    self.toks
                        .push(Tok::Leaf(format!("img {:?} {alt:?}", attr(e, "src"))));
                    self.text.push_str(&alt);
                }
                "code" => {
                    let t: String = n
                        .descendants()
                        .filter_map(|d| d.value().as_text().map(|t| t.to_string()))
                        .collect();
                    let t = t.replace(['\n', '\t', '\r'], " ");
                    let trimmed = t.trim_matches(' ');
                    if !trimmed.is_empty() {
                        // Spaces at the edges are text around the code.
                        if t.starts_with(' ') {
                            self.toks.push(Tok::Text(" ".into()));
                        }
                        self.toks.push(Tok::Leaf(format!("code {trimmed:?}")));
                        if t.ends_with(' ') {
                            self.toks.push(Tok::Text(" ".into()));
                        }
                        self.text.push_str(&t);
                    }
                }
                "a" => {
                    let label = format!(
                        "a {:?} {:?}",
                        attr(e, "href"),
                        collapse(e.attr("title").unwrap_or(""))
                    );
                    self.toks.push(Tok::Open(label.clone()));
                    self.inline.push(self.toks.len());
                    self.walk(n);
                    self.inline.pop();
                    self.toks.push(Tok::Close(label));
                }
                "em" | "strong" => {
                    let t: String = n
                        .descendants()
                        .filter_map(|d| d.value().as_text().map(|t| t.to_string()))
                        .collect();
                    let nested = n
                        .ancestors()
                        .any(|a| a.value().as_element().is_some_and(|a| a.name() == name));
                    if !t.trim().is_empty() {
                        self.emphases.push((name.to_string(), collapse(&t), nested));
                    }
                    self.inline.push(self.toks.len());
                    self.walk(n);
                    self.inline.pop();
                }
                "table" => self.table(n),
                _ => self.walk(n),
            }
        }

        fn table(&mut self, n: NodeRef<'_, Node>) {
            let rows: Vec<NodeRef<'_, Node>> = n
                .descendants()
                .filter(|d| d.value().as_element().is_some_and(|e| e.name() == "tr"))
                .collect();
            for c in n.children() {
                if c.value()
                    .as_element()
                    .is_some_and(|e| e.name() == "caption")
                {
                    self.boundary();
                    self.oneline += 1;
                    self.walk(c);
                    self.oneline -= 1;
                    self.boundary();
                }
            }
            if rows.is_empty() {
                return;
            }
            self.toks.push(Tok::Open("table".into()));
            self.text.push('\n');
            for row in rows {
                let mut cells: Vec<(Vec<Tok>, String)> = Vec::new();
                for cell in row.children().filter(|c| {
                    c.value()
                        .as_element()
                        .is_some_and(|e| matches!(e.name(), "td" | "th"))
                }) {
                    let mut sub = Norm {
                        oneline: 1,
                        ..Norm::default()
                    };
                    sub.walk(cell);
                    self.emphases.extend(sub.emphases);
                    cells.push((sub.toks, sub.text));
                }
                while cells.last().is_some_and(|(t, s)| {
                    s.trim().is_empty() && !t.iter().any(|t| matches!(t, Tok::Leaf(_)))
                }) {
                    cells.pop();
                }
                self.toks.push(Tok::Open("tr".into()));
                for (toks, text) in cells {
                    self.toks.push(Tok::Open("td".into()));
                    self.toks.extend(toks);
                    self.toks.push(Tok::Close("td".into()));
                    self.text.push_str(&text);
                    self.text.push('\n');
                }
                self.toks.push(Tok::Close("tr".into()));
            }
            self.toks.push(Tok::Close("table".into()));
            self.text.push('\n');
        }
    }

    fn is_block(t: &Tok) -> bool {
        match t {
            Tok::Para => true,
            Tok::Open(s) | Tok::Close(s) => !s.starts_with("a "),
            Tok::Leaf(s) => s == "hr" || s.starts_with("pre "),
            _ => false,
        }
    }

    /// The structure: text trimmed and collapsed, breaks and paragraph boundaries tidied.
    fn structure(toks: Vec<Tok>) -> Vec<Tok> {
        // Merge text, collapse it, drop what is only whitespace.
        let mut v: Vec<Tok> = Vec::new();
        for t in toks {
            match (v.last_mut(), t) {
                (Some(Tok::Text(a)), Tok::Text(b)) => a.push_str(&b),
                // Code spans in a row are one.
                (Some(Tok::Leaf(a)), Tok::Leaf(b))
                    if a.starts_with("code ") && b.starts_with("code ") =>
                {
                    a.pop();
                    a.push_str(&b[6..]);
                }
                (_, t) => v.push(t),
            }
        }
        let v: Vec<Tok> = v
            .into_iter()
            .filter_map(|t| match t {
                Tok::Text(s) => {
                    let s = collapse(&s);
                    (!s.is_empty()).then_some(Tok::Text(s))
                }
                t => Some(t),
            })
            .collect();
        // A break at the start (end) of a link's text is the same as one before (after) it.
        let mut v = v;
        for k in 1..v.len() {
            let (a, b) = (&v[k - 1], &v[k]);
            if matches!((a, b), (Tok::Open(s), Tok::Br) | (Tok::Br, Tok::Close(s)) if s.starts_with("a "))
            {
                v.swap(k - 1, k);
            }
        }
        // Breaks: two or more in a row (links between them aside) are a paragraph boundary;
        // next to a block (links aside), nothing.
        let inline_tag = |t: &Tok| matches!(t, Tok::Open(s) | Tok::Close(s) if s.starts_with("a "));
        let mut w: Vec<Tok> = Vec::new();
        for t in v {
            if t == Tok::Br {
                let prev = w.iter().rev().find(|t| !inline_tag(t));
                if prev == Some(&Tok::Br) {
                    if let Some(p) = w.iter().rposition(|t| *t == Tok::Br) {
                        w[p] = Tok::Para;
                    }
                    continue;
                }
                if prev.is_none_or(is_block) {
                    continue;
                }
            }
            if is_block(&t)
                && let Some(p) = w.iter().rposition(|t| !inline_tag(t))
                && w[p] == Tok::Br
            {
                w.remove(p);
            }
            w.push(t);
        }
        if let Some(p) = w.iter().rposition(|t| !inline_tag(t))
            && w[p] == Tok::Br
        {
            w.remove(p);
        }
        // Paragraph boundaries: only between inline content.
        let mut out: Vec<Tok> = Vec::new();
        for t in w {
            if t == Tok::Para && out.last().is_none_or(is_block) {
                continue;
            }
            if is_block(&t) && t != Tok::Para && matches!(out.last(), Some(Tok::Para)) {
                out.pop();
            }
            out.push(t);
        }
        // Links aside, a boundary before a block or the end is none.
        let keep: Vec<bool> = (0..out.len())
            .map(|k| {
                out[k] != Tok::Para
                    || out[k + 1..]
                        .iter()
                        .find(|t| !inline_tag(t))
                        .is_some_and(|t| !is_block(t))
            })
            .collect();
        out.into_iter()
            .zip(keep)
            .filter_map(|(t, k)| k.then_some(t))
            .collect()
    }

    fn flat_text(s: &str) -> String {
        let mut out = String::new();
        let mut ws: Option<bool> = None;
        for c in s.chars() {
            if c.is_ascii_whitespace() {
                let nl = c == '\n';
                ws = Some(ws.unwrap_or(false) || nl);
                continue;
            }
            if let Some(nl) = ws.take()
                && !out.is_empty()
            {
                out.push(if nl { '\n' } else { ' ' });
            }
            out.push(c);
        }
        out
    }

    fn normalise(html: &str) -> Norm {
        let doc = Html::parse_fragment(html);
        let mut n = Norm::default();
        n.walk(doc.tree.root());
        n
    }

    #[test]
    fn markdown_reads_back_as_the_html_it_came_from() {
        let mut r = Rng(0x9e37_79b9_7f4a_7c15, 1);
        let (mut kept, mut all) = (0, 0);
        for case in 0..4_000 {
            // Small bodies first, so a failure shows on the smallest one.
            r.1 = 1 + case / 1_000;
            let mut html = String::new();
            blocks(&mut r, &mut html, 0);
            let md = to_markdown(&html);
            assert!(
                !md.lines().any(|l| l.ends_with([' ', '\t'])),
                "trailing space:\n{md}"
            );
            assert!(!md.contains("\n\n\n"), "two blank lines:\n{md}");
            let mut back = String::new();
            let parser =
                pulldown_cmark::Parser::new_ext(&md, pulldown_cmark::Options::ENABLE_TABLES);
            pulldown_cmark::html::push_html(&mut back, parser);
            let want = normalise(&html);
            let got = normalise(&back);
            let context = format!("case {case}\nHTML: {html}\nMarkdown:\n{md}\nback: {back}");
            let (g, w) = (flat_text(&got.text), flat_text(&want.text));
            let at = g.chars().zip(w.chars()).take_while(|(a, b)| a == b).count();
            let tail = |s: &str| {
                s.chars()
                    .skip(at.saturating_sub(20))
                    .take(60)
                    .collect::<String>()
            };
            assert!(
                g == w,
                "text differs: got {:?}, want {:?}\n{context}",
                tail(&g),
                tail(&w)
            );
            let (g, w) = (structure(got.toks), structure(want.toks));
            let at = g.iter().zip(&w).take_while(|(a, b)| a == b).count();
            assert!(
                g == w,
                "structure differs: got {:?}\nwant {:?}\n{context}",
                &g[at.saturating_sub(3)..(at + 4).min(g.len())],
                &w[at.saturating_sub(3)..(at + 4).min(w.len())]
            );
            // Every emphasis read back is (part of) one in the HTML, or of adjacent ones.
            for (kind, text, _) in &got.emphases {
                let same: String = want
                    .emphases
                    .iter()
                    .filter(|(k, _, nested)| k == kind && !nested)
                    .flat_map(|e| e.1.chars().filter(|c| !c.is_whitespace()))
                    .collect();
                let bare: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                assert!(
                    want.emphases
                        .iter()
                        .any(|(k, t, _)| k == kind && t.contains(text.as_str()))
                        || same.contains(bare.as_str()),
                    "emphasis invented: {kind} {text:?}\nwant {:?}\n{context}",
                    want.emphases
                );
            }
            // How much of the emphasised text stays emphasised (adjacent ones merge).
            let size = |e: &Vec<(String, String, bool)>| -> usize {
                e.iter()
                    .filter(|e| !e.2)
                    .map(|e| e.1.chars().filter(|c| !c.is_whitespace()).count())
                    .sum()
            };
            kept += size(&got.emphases).min(size(&want.emphases));
            all += size(&want.emphases);
        }
        assert!(
            kept * 10 >= all * 8,
            "only {kept} of {all} emphasised characters kept"
        );
    }
}
