//! What is done to a page's text before html5ever parses it.
//!
//! **What no rule reads is removed.** Scripts (JSON-LD kept) and stylesheets are emptied, inline
//! SVG drawings too, comments longer than a mark are kept empty, and `data-*` attributes no rule
//! reads are dropped: on the corpus, 57% of the bytes (on `aeb-dev`, scripts were 30% and
//! stylesheets 27%). One scan finds them, following the tokenizer's rules for comments, quoted
//! attribute values, raw-text elements, script escapes and SVG/MathML content; wherever it
//! cannot be sure what the tokenizer will do (a script holding `<!--` then `<script`, a
//! self-closing `<script/>`, an end tag that never comes, an integration point), it leaves the
//! rest of the page as it is. The same scan measures how deep the tags nest, and makes each run
//! of spaces between tags one space (a line break if it holds one), but in `<pre>` and
//! `<listing>`: rules and the renderer read a run as one, and indentation is what makes most
//! whitespace-only text nodes too long for the parser to keep inline.
//!
//! **Pathological nesting is cut.** html5ever checks "is there a `<p>` in button scope?" on
//! every block start tag by walking the stack of open elements, so 100,000 nested `<div>`s cost
//! 10^10 steps (minutes). Real pages nest a few dozen levels deep; when a page's tags nest deeper
//! than `MAX_NESTING`, the start tags beyond that depth (and their end tags) are dropped before
//! parsing. Their text is kept.

use std::borrow::Cow;

use crate::dom::is_html_space;
use crate::rules::MAX_NESTING;

/// The text html5ever should parse: raw text that is never read removed, nesting limited.
pub(crate) fn prepare(text: &str) -> Cow<'_, str> {
    let (emptied, depth) = remove_unread(text);
    if depth.is_some_and(|d| d <= MAX_NESTING) {
        return emptied;
    }
    match emptied {
        Cow::Borrowed(t) => limit_nesting(t),
        Cow::Owned(t) => {
            let limited = match limit_nesting(&t) {
                Cow::Owned(o) => Some(o),
                Cow::Borrowed(_) => None,
            };
            Cow::Owned(limited.unwrap_or(t))
        }
    }
}

/// Elements whose contents the tokenizer reads as text up to their end tag (in HTML content).
/// `script` and `style` are emptied; the others are only stepped over, so that a `<script>` in
/// a `<textarea>` is not taken for one.
const RAW_TEXT: [&[u8]; 9] = [
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
    b"noscript",
];

/// Start tags that end an `<svg>` or `<math>` element when met inside it ("breakout" in the
/// tree builder's rules for foreign content; `font` too when it has a `color`, `face` or
/// `size` attribute).
#[rustfmt::skip]
const BREAKOUT: [&[u8]; 44] = [
    b"b", b"big", b"blockquote", b"body", b"br", b"center", b"code", b"dd", b"div", b"dl",
    b"dt", b"em", b"embed", b"h1", b"h2", b"h3", b"h4", b"h5", b"h6", b"head", b"hr", b"i",
    b"img", b"li", b"listing", b"menu", b"meta", b"nobr", b"ol", b"p", b"pre", b"ruby", b"s",
    b"small", b"span", b"strong", b"strike", b"sub", b"sup", b"table", b"tt", b"u", b"ul",
    b"var",
];

/// Elements inside `<svg>` or `<math>` whose contents follow HTML's rules again ("integration
/// points"): where the scan would have to switch rules twice, it stops instead.
const INTEGRATION_POINTS: [&[u8]; 9] = [
    b"foreignobject",
    b"desc",
    b"title",
    b"mi",
    b"mo",
    b"mn",
    b"ms",
    b"mtext",
    b"annotation-xml",
];

/// An open `<svg>` or `<math>` element: its contents are markup (no raw text) until it ends.
struct Foreign<'t> {
    /// Where its contents start (an `<svg>`'s are emptied when it ends).
    start: usize,
    is_svg: bool,
    /// The names of the elements open inside it, itself first.
    open: Vec<&'t [u8]>,
}

/// The longest comment that is kept whole, as it may be a mark a rule reads.
const COMMENT_MARK_MAX: usize = 16;

/// What the scan removes: `text[copied..]` is not in `out` yet.
#[derive(Default)]
struct Cuts {
    out: Option<String>,
    copied: usize,
}

impl Cuts {
    /// Leaves `text[from..to]` out.
    fn cut(&mut self, text: &str, from: usize, to: usize) {
        debug_assert!(from >= self.copied, "cuts are made in order");
        if to > from && from >= self.copied {
            let o = self
                .out
                .get_or_insert_with(|| String::with_capacity(text.len() / 2));
            o.push_str(&text[self.copied..from]);
            self.copied = to;
        }
    }

    fn finish(self, text: &str) -> Cow<'_, str> {
        match self.out {
            None => Cow::Borrowed(text),
            Some(mut o) => {
                o.push_str(&text[self.copied..]);
                Cow::Owned(o)
            }
        }
    }
}

/// The page with the contents of its scripts (except JSON-LD), stylesheets, inline SVG drawings
/// and long comments removed, and its unread `data-*` attributes (the elements themselves kept);
/// and how deep its tags nest, when the scan read the whole page (`None` when it stopped early).
fn remove_unread(text: &str) -> (Cow<'_, str>, Option<usize>) {
    let b = text.as_bytes();
    let mut cuts = Cuts::default();
    let (mut depth, mut max_depth) = (0usize, 0usize);
    let mut foreign: Option<Foreign<'_>> = None;
    // How many `<pre>`/`<listing>` elements are open, whose text keeps its spaces; and whether
    // that count can be trusted (an element that blocks an end tag's scope, met inside one,
    // may keep it open past its `</pre>`).
    let (mut pre, mut listing, mut collapsing) = (0usize, 0usize, true);
    let mut complete = false;
    let mut i = 0;
    // Every index the scan stops at is just past an ASCII byte, so on a char boundary.
    loop {
        let Some(lt) = find_byte(b, i, b'<') else {
            complete = true;
            break;
        };
        if collapsing && pre + listing == 0 && foreign.is_none() {
            collapse_spaces(&mut cuts, text, i, lt);
        }
        let Some(&next) = b.get(lt + 1) else {
            complete = true;
            break;
        };
        if next == b'!' {
            // A comment, a doctype, or a bogus comment: nothing in it is a tag. In SVG,
            // `<![CDATA[` opens text that ends at `]]>`.
            let end = if foreign.is_some() && b[lt..].starts_with(b"<![CDATA[") {
                memchr::memmem::find(&b[lt..], b"]]>").map(|k| lt + k + 3)
            } else {
                markup_declaration_end(b, lt)
            };
            let Some(end) = end else {
                break;
            };
            // A comment's words are never read, but short ones may be marks (React's `<!--$?-->`
            // … `<!--/$-->` around a streamed boundary's fallback, read by `dom.rs`): a longer
            // comment is kept, empty, so that the tree keeps its shape.
            if foreign.is_none() && b[lt..].starts_with(b"<!--") {
                let body_end = if b[..end].ends_with(b"--!>") {
                    end - 4
                } else {
                    end - 3
                };
                if body_end > lt + 4 + COMMENT_MARK_MAX {
                    cuts.cut(text, lt + 4, body_end);
                }
            }
            i = end;
            continue;
        }
        let closing = next == b'/';
        if next == b'?' || (closing && !b.get(lt + 2).is_some_and(u8::is_ascii_alphabetic)) {
            // `<?…>` and `</ …>` are bogus comments; `</>` is dropped.
            let Some(gt) = find_byte(b, lt + 1, b'>') else {
                break;
            };
            i = gt + 1;
            continue;
        }
        let name_start = lt + 1 + usize::from(closing);
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1; // a lone '<' is text
            continue;
        }
        // Attributes no rule reads are left out: `data-*` ones (but lazy images' sources) are
        // a tenth of what is left of a page once its scripts are gone. Not inside a drawing,
        // which may go whole.
        let in_foreign = foreign.is_some();
        let mut font_breaks_out = false;
        let extent = tag_extent(b, name_start, |name, from, to| {
            // Not when an '=' follows: it would become the previous attribute's value.
            let equals_next = b[to..].iter().find(|&&c| !is_html_space(c)) == Some(&b'=');
            if !in_foreign && !equals_next && is_unread_data_attribute(name) {
                cuts.cut(text, from, to);
            }
            font_breaks_out |= [&b"color"[..], b"face", b"size"]
                .iter()
                .any(|a| a.eq_ignore_ascii_case(name));
        });
        let Some((name_end, tag_end, self_closing)) = extent else {
            break;
        };
        i = tag_end;
        let name = &b[name_start..name_end];
        if counted(name) && !self_closing {
            if closing {
                depth = depth.saturating_sub(1);
            } else {
                depth += 1;
                max_depth = max_depth.max(depth);
            }
        }
        let is_svg = name.eq_ignore_ascii_case(b"svg");
        let is_math = name.eq_ignore_ascii_case(b"math");
        if let Some(f) = foreign.as_mut() {
            if closing {
                // An end tag closes the element of its name open inside. With none, the tree
                // builder reads it by HTML's rules, which may or may not end the drawing: stop.
                match f.open.iter().rposition(|o| o.eq_ignore_ascii_case(name)) {
                    Some(0) => {
                        if f.is_svg {
                            cuts.cut(text, f.start, lt);
                        }
                        foreign = None;
                    }
                    Some(k) => f.open.truncate(k),
                    None => break,
                }
                continue;
            }
            let breaks_out = BREAKOUT.iter().any(|t| t.eq_ignore_ascii_case(name))
                || (name.eq_ignore_ascii_case(b"font") && font_breaks_out);
            if !breaks_out {
                if INTEGRATION_POINTS
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(name))
                {
                    // An icon's `<title>Share</title>`: text only, so the rules do not matter.
                    let plain_text = !self_closing
                        && f.is_svg
                        && (name.eq_ignore_ascii_case(b"title")
                            || name.eq_ignore_ascii_case(b"desc"))
                        && end_tag(b, tag_end, name).is_some_and(|close| {
                            i = close;
                            find_byte(&b[..close], tag_end, b'<').is_none()
                        });
                    if !plain_text {
                        break;
                    }
                    // Its end tag is read next, and closes it.
                    f.open.push(name);
                } else if !self_closing {
                    f.open.push(name);
                }
                continue;
            }
            // The drawing holds HTML: it ends here, left as it is, and this tag is HTML.
            foreign = None;
        }
        // (`</pre>` closes only a `<pre>`, `</listing>` only a `<listing>`.)
        let any_preformatted = pre + listing > 0;
        let preformatted = if name.eq_ignore_ascii_case(b"pre") {
            Some(&mut pre)
        } else if name.eq_ignore_ascii_case(b"listing") {
            Some(&mut listing)
        } else {
            None
        };
        if closing {
            if let Some(open) = preformatted {
                *open = open.saturating_sub(1);
            }
            continue;
        }
        match preformatted {
            Some(open) => *open += 1,
            None if any_preformatted
                && (is_svg
                    || is_math
                    || HOLD_PRE_OPEN.iter().any(|t| t.eq_ignore_ascii_case(name))) =>
            {
                collapsing = false;
            }
            None => {}
        }
        if is_svg || is_math {
            if !self_closing {
                foreign = Some(Foreign {
                    start: tag_end,
                    is_svg,
                    open: vec![name],
                });
            }
            continue;
        }
        if name.eq_ignore_ascii_case(b"plaintext") {
            break; // the rest of the page is text
        }
        let Some(raw) = RAW_TEXT.iter().find(|r| r.eq_ignore_ascii_case(name)) else {
            continue;
        };
        if self_closing {
            // Whether `<script/>` opens raw text depends on where it is (in HTML it does, in
            // SVG it does not): stop here.
            break;
        }
        let Some(close) = end_tag(b, tag_end, raw) else {
            break;
        };
        let emptied = match *raw {
            b"style" => true,
            // A script holding "<!--" and then "<script" may run past its first end tag
            // ("double escaped"); "<!--" alone (old pages hide scripts so) does not matter.
            b"script" if may_run_past_end_tag(&b[tag_end..close]) => break,
            b"script" => !may_be_json_ld(&b[name_end..tag_end]),
            _ => false,
        };
        if emptied {
            cuts.cut(text, tag_end, close);
        }
        i = close;
    }
    (cuts.finish(text), complete.then_some(max_depth))
}

/// Elements inside which `</pre>` is ignored: those that end the scope in which an end tag
/// looks for its element (MathML's and SVG's are reached through `<math>` and `<svg>`), and
/// `<select>`, whose contents ignore every end tag but a few.
const HOLD_PRE_OPEN: [&[u8]; 10] = [
    b"applet",
    b"caption",
    b"html",
    b"table",
    b"td",
    b"th",
    b"marquee",
    b"object",
    b"template",
    b"select",
];

/// Leaves out of `text[from..to]` (text between tags, outside `<pre>`) every space but one in
/// each run of two or more: rules and the renderer read runs of spaces as one, and a run of
/// indentation is what takes a text node past what fits inline in the parser's strings (8
/// bytes), so most whitespace-only nodes are no longer a heap allocation. A line break is the
/// one kept when the run holds one.
fn collapse_spaces(cuts: &mut Cuts, text: &str, from: usize, to: usize) {
    let b = text.as_bytes();
    let mut k = from;
    while k + 1 < to {
        if !(is_html_space(b[k]) && is_html_space(b[k + 1])) {
            k += 1;
            continue;
        }
        let start = k;
        while k < to && is_html_space(b[k]) {
            k += 1;
        }
        match b[start..k].iter().position(|&c| c == b'\n') {
            Some(nl) => {
                cuts.cut(text, start, start + nl);
                cuts.cut(text, start + nl + 1, k);
            }
            None => cuts.cut(text, start + 1, k),
        }
    }
}

fn is_unread_data_attribute(name: &[u8]) -> bool {
    name.get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"data-"))
        && !crate::dom::is_data_attribute_read(name)
}

fn may_run_past_end_tag(script: &[u8]) -> bool {
    memchr::memmem::find(script, b"<!--").is_some_and(|c| {
        script[c..]
            .windows(7)
            .any(|w| w.eq_ignore_ascii_case(b"<script"))
    })
}

fn find_byte(b: &[u8], from: usize, needle: u8) -> Option<usize> {
    Some(from + memchr::memchr(needle, b.get(from..)?)?)
}

/// Where `<!…` (at `lt`) ends, just past it: a comment at its `-->` (or `--!>`; `<!-->` and
/// `<!--->` are empty comments), anything else (doctype, CDATA outside SVG) at the next `>`.
/// `None` when it runs to the end of the page.
fn markup_declaration_end(b: &[u8], lt: usize) -> Option<usize> {
    let rest = &b[lt..];
    if !rest.starts_with(b"<!--") {
        return Some(find_byte(b, lt + 2, b'>')? + 1);
    }
    if rest[4..].starts_with(b">") {
        return Some(lt + 5);
    }
    if rest[4..].starts_with(b"->") {
        return Some(lt + 6);
    }
    let mut k = lt + 4;
    loop {
        let dash = k + memchr::memmem::find(b.get(k..)?, b"--")?;
        let after = &b[dash + 2..];
        if after.starts_with(b">") {
            return Some(dash + 3);
        }
        if after.starts_with(b"!>") {
            return Some(dash + 4);
        }
        k = dash + 1;
    }
}

/// A tag whose name starts at `name_start`: where its name ends, where the tag ends (just
/// past its `>`), and whether it ends with `/>`. Attributes are read as the tokenizer reads
/// them (a quoted value may hold `>`), and each one's name and extent handed to `attribute`.
fn tag_extent(
    b: &[u8],
    name_start: usize,
    mut attribute: impl FnMut(&[u8], usize, usize),
) -> Option<(usize, usize, bool)> {
    let name_end = name_start
        + b[name_start..]
            .iter()
            .position(|&c| is_html_space(c) || c == b'/' || c == b'>')?;
    let mut k = name_end;
    loop {
        // Between attributes: a '/' right before the '>' makes the tag self-closing.
        let mut slash = false;
        loop {
            match *b.get(k)? {
                b'/' => slash = true,
                c if is_html_space(c) => slash = false,
                _ => break,
            }
            k += 1;
        }
        if b[k] == b'>' {
            return Some((name_end, k + 1, slash));
        }
        // A name (its first character may be '='), then maybe '=' and a value.
        let start = k;
        k += 1 + b
            .get(k + 1..)?
            .iter()
            .position(|&c| is_html_space(c) || matches!(c, b'/' | b'>' | b'='))?;
        let name = &b[start..k];
        let mut after_name = k;
        while is_html_space(*b.get(after_name)?) {
            after_name += 1;
        }
        if b[after_name] == b'=' {
            k = after_name + 1;
            while is_html_space(*b.get(k)?) {
                k += 1;
            }
            match b[k] {
                q @ (b'"' | b'\'') => k = find_byte(b, k + 1, q)? + 1,
                b'>' => {}
                _ => k += b[k..].iter().position(|&c| is_html_space(c) || c == b'>')?,
            }
        }
        attribute(name, start, k);
    }
}

/// Where the end tag of raw-text element `name` starts, searching from `from`: `</name` (any
/// case) followed by a space, '/' or '>'.
fn end_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut k = from;
    loop {
        let lt = k + memchr::memmem::find(b.get(k..)?, b"</")?;
        let n = lt + 2;
        let named = b
            .get(n..n + name.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(name));
        if named
            && b.get(n + name.len())
                .is_some_and(|&c| is_html_space(c) || c == b'/' || c == b'>')
        {
            return Some(lt);
        }
        k = lt + 1;
    }
}

/// Whether a script start tag's attributes (`attrs`, after the name) may declare JSON-LD:
/// any JSON type, or a character reference (`type="application/ld&#x2B;json"` is seen).
fn may_be_json_ld(attrs: &[u8]) -> bool {
    attrs
        .windows(4)
        .any(|w| w.eq_ignore_ascii_case(b"json") || w.starts_with(b"&#"))
}

/// Elements whose end tag is often omitted or that never have one: they do not count as depth.
/// `name` is lowercase.
fn not_counted(name: &[u8]) -> bool {
    matches!(
        name,
        b"p" | b"li"
            | b"dt"
            | b"dd"
            | b"option"
            | b"optgroup"
            | b"tr"
            | b"td"
            | b"th"
            | b"thead"
            | b"tbody"
            | b"tfoot"
            | b"colgroup"
            | b"rb"
            | b"rt"
            | b"rp"
            | b"html"
            | b"head"
            | b"body"
            | b"br"
            | b"img"
            | b"input"
            | b"meta"
            | b"link"
            | b"hr"
            | b"area"
            | b"base"
            | b"col"
            | b"embed"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
            | b"frame"
            | b"keygen"
    )
}

/// Whether a tag of this name (ASCII letters and digits, any case) counts as depth.
fn counted(name: &[u8]) -> bool {
    // No uncounted name is longer than 8 letters; shorter ones are lowercased on the stack.
    let mut buf = [0u8; 8];
    let Some(lower) = buf.get_mut(..name.len()) else {
        return true;
    };
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    !not_counted(lower)
}

struct Tag {
    start: usize,
    end: usize,
    closing: bool,
    counted: bool,
    self_closing: bool,
}

fn tags(text: &str) -> impl Iterator<Item = Tag> + '_ {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        loop {
            // `str::find` with an ASCII char searches with memchr; `i` is always just past an
            // ASCII byte ('<' or '>'), so a char boundary.
            let start = i + text.get(i..)?.find('<')?;
            let closing = b.get(start + 1) == Some(&b'/');
            let name_start = start + 1 + usize::from(closing);
            let name_len = b
                .get(name_start..)?
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric())
                .count();
            if name_len == 0 || !b[name_start].is_ascii_alphabetic() {
                i = start + 1;
                continue;
            }
            let end = name_start + text.get(name_start..)?.find('>')? + 1;
            let name = &b[name_start..name_start + name_len];
            i = end;
            return Some(Tag {
                start,
                end,
                closing,
                counted: counted(name),
                self_closing: b[end - 2] == b'/',
            });
        }
    })
}

/// Returns the text unchanged unless its tags nest deeper than `MAX_NESTING`.
pub(crate) fn limit_nesting(text: &str) -> Cow<'_, str> {
    let mut depth = 0usize;
    let mut max = 0usize;
    for t in tags(text).filter(|t| t.counted && !t.self_closing) {
        if t.closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            max = max.max(depth);
        }
    }
    if max <= MAX_NESTING {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut depth = 0usize;
    let mut dropped = 0usize;
    for t in tags(text).filter(|t| t.counted && !t.self_closing) {
        let drop = if t.closing {
            if dropped > 0 {
                dropped -= 1;
                true
            } else {
                depth = depth.saturating_sub(1);
                false
            }
        } else if depth >= MAX_NESTING {
            dropped += 1;
            true
        } else {
            depth += 1;
            false
        };
        if drop {
            out.push_str(&text[last..t.start]);
            last = t.end;
        }
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_styles_are_emptied_json_ld_kept() {
        let page = concat!(
            "<head><style media=all>p { color: red }</style>",
            "<script>var a = '<p>not text</p>';</script>",
            "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\"}</script>",
            "<script type='application/ld&#x2B;json'>{}</script>",
            "<script><!-- hidden from old browsers //--></script>",
            "</head><body><p>Text</p><SCRIPT src=x.js>x()</SCRIPT ><p>More</p></body>"
        );
        assert_eq!(
            prepare(page),
            concat!(
                "<head><style media=all></style><script></script>",
                "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\"}</script>",
                "<script type='application/ld&#x2B;json'>{}</script>",
                "<script></script>",
                "</head><body><p>Text</p><SCRIPT src=x.js></SCRIPT ><p>More</p></body>"
            )
        );
    }

    #[test]
    fn what_only_looks_like_a_script_is_left_alone() {
        for page in [
            // in a comment, a quoted attribute value, a textarea, a title
            "<!-- <script> --><p>Text</p><!-- </script> -->",
            "<a title='<script>'>Text</a><p>more</p><a title=\"</script>\">x</a>",
            "<textarea><script></textarea><p>Text</p><script></script>",
            "<title>a <style> b</title><p>Text</p><style></style>",
            // no end tag: the tokenizer reads to the end of the page as script
            "<p>Text</p><script>never ends",
            // self-closing: raw text in HTML, not in SVG; not ours to guess
            "<p>Text</p><style/><style>p{}</style>",
            // "double escaped": this script does not end at its first end tag
            "<script><!--<script></script>--></script><p>Text</p>",
            "<p>Text</p><script><!-- document.write('<SCRIPT src=x></SCRIPT>') --></script>",
            "<p>1 < 2 and 3 <> 4</p><plaintext><script>x</script>",
        ] {
            assert_eq!(prepare(page), page, "{page}");
        }
    }

    #[test]
    fn svg_drawings_are_emptied_unless_they_hold_html() {
        assert_eq!(
            prepare(concat!(
                "<p>A<svg viewBox='0 0 9 9'><title>Share</title><path d='M0 0h9'/>",
                "<svg><g><circle r=1 /></g></svg><![CDATA[ </svg> ]]><text>x</text></svg>B</p>",
                "<SVG><use href=#i></use></SVG><style>x</style>"
            )),
            concat!(
                "<p>A<svg viewBox='0 0 9 9'></svg>B</p>",
                "<SVG></SVG><style></style>"
            )
        );
        // In a drawing, `<style>` and `<script>` hold markup, not raw text.
        assert_eq!(
            prepare("<svg><path/><style>.a{}</style><script>x</script></svg><style>p{}</style>"),
            "<svg></svg><style></style>"
        );
        // `<p>` ends the drawing in the tree builder: what follows is the page's text.
        for page in [
            "<svg><path d=x /><p>Text</p></svg><p>More</p>",
            "<svg><foreignObject><div>Text</div></foreignObject></svg>",
            "<svg><g>never closed",
            // an end tag that closes nothing in the drawing is read by HTML's rules
            "<div><svg><g></div>Text</svg>",
            "<svg><title>a <b>bold</b> title</title></svg>",
            "<math><mi><style>x</style></mi></math>",
        ] {
            assert_eq!(prepare(page), page, "{page}");
        }
    }

    #[test]
    fn runs_of_spaces_are_one_but_in_preformatted_text() {
        assert_eq!(
            prepare("<ul>\n    <li>a  b</li>\t\t<li>c</li> \r\n </ul>"),
            "<ul>\n<li>a b</li>\t<li>c</li>\n</ul>"
        );
        let code = "<pre>\n  x  = 1\n</pre>  <listing>  y</listing>  <pre><b> z  </b></pre>";
        assert_eq!(
            prepare(code),
            "<pre>\n  x  = 1\n</pre> <listing>  y</listing> <pre><b> z  </b></pre>"
        );
        // `</pre>` in a table cell inside the `<pre>` is ignored: the cell's text stays in it.
        let unsure = "<pre><table><td>a  </pre>  b</td></table></pre>  c";
        assert_eq!(prepare(unsure), unsure);
    }

    #[test]
    fn unread_data_attributes_are_dropped() {
        assert_eq!(
            prepare(concat!(
                "<div data-props='{\"a\":\"<b>\"}' class=x DATA-id=7 data-flag>",
                "<img data-src=\"/a.jpg\" data-lazy-srcset='b.jpg 2x' data-x = y src=s.gif/>",
                "<p title=\"data-x=1\">data-x=1</p></div>"
            )),
            concat!(
                "<div  class=x  >",
                "<img data-src=\"/a.jpg\" data-lazy-srcset='b.jpg 2x'  src=s.gif/>",
                "<p title=\"data-x=1\">data-x=1</p></div>"
            )
        );
        // Not inside a drawing (which is emptied whole, or kept whole).
        let page = "<svg data-a=1><path data-b=2 /><p data-c=3>x</p></svg>";
        assert_eq!(
            prepare(page),
            "<svg ><path data-b=2 /><p data-c=3>x</p></svg>"
        );
    }

    #[test]
    fn comments_are_emptied_and_end_where_the_tokenizer_ends_them() {
        assert_eq!(
            prepare("<!--><style>a</style><!---><?php x ?></ x><style>b</style>"),
            "<!--><style></style><!---><?php x ?></ x><style></style>"
        );
        assert_eq!(
            prepare("<!-- a --!><style>a</style><!DOCTYPE html><style>b</style>"),
            "<!-- a --!><style></style><!DOCTYPE html><style></style>"
        );
        assert_eq!(
            prepare(concat!(
                "<p>a<!-- a long comment -- with --- <p> -->d</p><!--$?--><template></template>",
                "<!--[if IE]><p>an old browser's page<![endif]--><!--/$--><!-- --!><style>x</style>",
            )),
            "<p>a<!---->d</p><!--$?--><template></template><!----><!--/$--><!-- --!><style></style>"
        );
    }

    /// What a reader or a rule can see of a parsed page: elements with the attributes rules
    /// read, and text, outside the places the scan empties (scripts, stylesheets, drawings,
    /// comments).
    fn seen(page: &str) -> Vec<String> {
        let html = scraper::Html::parse_document(page);
        let mut out = Vec::new();
        for node in html.tree.root().descendants() {
            let hidden = node.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| matches!(e.name(), "script" | "style" | "svg"))
            });
            if hidden {
                continue;
            }
            match node.value() {
                scraper::Node::Element(e) => {
                    let mut attrs: Vec<String> = e
                        .attrs()
                        .filter(|(n, _)| {
                            !n.starts_with("data-")
                                || crate::dom::is_data_attribute_read(n.as_bytes())
                        })
                        .map(|(n, v)| format!("{n}={v}"))
                        .collect();
                    attrs.sort();
                    out.push(format!("<{} {}>", e.name(), attrs.join(" ")));
                }
                // Runs of spaces read as one (rules and the renderer collapse them), but in
                // preformatted text.
                scraper::Node::Text(t) => {
                    let preformatted = node.ancestors().any(|a| {
                        a.value()
                            .as_element()
                            .is_some_and(|e| matches!(e.name(), "pre" | "listing"))
                    });
                    out.push(if preformatted {
                        t.text.to_string()
                    } else {
                        t.text
                            .split(|c: char| c.is_ascii_whitespace())
                            .filter(|w| !w.is_empty())
                            .collect::<Vec<_>>()
                            .join(" ")
                            + if t.text.ends_with(|c: char| c.is_ascii_whitespace()) {
                                " "
                            } else {
                                ""
                            }
                    });
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn preparing_a_page_never_changes_what_is_read_of_it() {
        // Pages stitched at random from the pieces the scan has to tell apart.
        const PIECES: [&str; 72] = [
            "<script>",
            "</script>",
            "<script type=application/ld+json>",
            "<style>",
            "</style>",
            "<!--",
            "-->",
            "--!>",
            "<!-->",
            "<svg>",
            "</svg>",
            "<svg/>",
            "<p>",
            "</p>",
            "<div>",
            "<b>",
            "<textarea>",
            "</textarea>",
            "<title>",
            "</title >",
            "<noscript>",
            "</noscript>",
            "<![CDATA[",
            "]]>",
            "<a href=\"",
            "\"",
            "'",
            "=",
            ">",
            "/",
            " ",
            " data-x=",
            " data-src=",
            "<img",
            "<math>",
            "</math>",
            "<foreignObject>",
            "<template>",
            "</template>",
            "<plaintext>",
            "<?x ",
            "</ x>",
            "text ",
            "<",
            "<SCRIPT>",
            "</SVG>",
            "<g>",
            "</g>",
            "<desc>",
            "</desc>",
            "<mi>",
            "<font color=red>",
            "<font>",
            "<table>",
            "<td>",
            "<select>",
            "<xmp>",
            "</xmp>",
            "<iframe>",
            "</iframe>",
            "<!DOCTYPE html>",
            "<script/>",
            "<style/>",
            "&amp;",
            "<pre>",
            "</pre>",
            "<listing>",
            " \n  ",
            "\t\t",
            "\r\n ",
            "&#32; ",
            "<object>",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..50_000 {
            let n = 2 + next() % 24;
            let page: String = (0..n)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let prepared = prepare(&page);
            assert_eq!(
                seen(&prepared),
                seen(&page),
                "page: {page:?}\nprepared: {prepared:?}"
            );
        }
    }

    #[test]
    fn shallow_pages_are_untouched() {
        let s = "<div><p>x<div>y</div></p></div>";
        assert!(matches!(limit_nesting(s), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_cut_at_the_limit_and_text_kept() {
        let n = MAX_NESTING * 3;
        let s = format!(
            "{}<b>deep text</b>{}",
            "<div class=x>".repeat(n),
            "</div>".repeat(n)
        );
        for out in [limit_nesting(&s), prepare(&s)] {
            assert_eq!(out.matches("<div").count(), MAX_NESTING);
            assert_eq!(out.matches("</div>").count(), MAX_NESTING);
            assert!(out.contains("deep text"));
        }
    }
}
