//! A pre-parse guard against pathological nesting. html5ever checks "is there a `<p>` in
//! button scope?" on every block start tag by walking the stack of open elements, so 100,000
//! nested `<div>`s cost 10^10 steps (minutes). Real pages nest a few dozen levels deep; when a
//! page's tags nest deeper than `MAX_NESTING`, the start tags beyond that depth (and their end
//! tags) are dropped before parsing. Their text is kept.

use std::borrow::Cow;

use crate::rules::MAX_NESTING;

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
        let out = limit_nesting(&s);
        assert_eq!(out.matches("<div").count(), MAX_NESTING);
        assert_eq!(out.matches("</div>").count(), MAX_NESTING);
        assert!(out.contains("deep text"));
    }
}
