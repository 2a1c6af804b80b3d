//! Cheap checks that run before (or instead of) a full parse: is this text at all, and does
//! it look like an article?

use crate::ExtractError;
use crate::rules;

/// Refuses well-known binary formats and byte streams full of control characters.
pub(crate) fn sniff_binary(bytes: &[u8]) -> Result<(), ExtractError> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "png image"),
        (b"GIF87a", "gif image"),
        (b"GIF89a", "gif image"),
        (b"\xff\xd8\xff", "jpeg image"),
        (b"%PDF-", "pdf document"),
        (b"PK\x03\x04", "zip archive"),
        (b"\x1f\x8b", "gzip data (decompress first)"),
        (b"RIFF", "riff media"),
        (b"\x00\x00\x01\x00", "icon"),
        (b"wOFF", "font"),
        (b"wOF2", "font"),
        (b"\x7fELF", "executable"),
        (b"BM", "bmp image"),
    ];
    for (m, what) in MAGIC {
        if bytes.starts_with(m)
            && !(m.len() <= 2
                && *what == "bmp image"
                && bytes.get(2).is_some_and(u8::is_ascii_alphabetic))
        {
            return Err(ExtractError::NotHtml(what));
        }
    }
    if encoding_rs::Encoding::for_bom(bytes).is_some() {
        return Ok(());
    }
    let head = &bytes[..bytes.len().min(1024)];
    let control = head
        .iter()
        .filter(|&&b| b < 0x09 || (b > 0x0d && b < 0x20))
        .count();
    if control as f32 > rules::BINARY_CONTROL_SHARE * head.len() as f32 {
        return Err(ExtractError::NotHtml("binary data"));
    }
    Ok(())
}

/// A quick yes/no before extraction: does the page carry article metadata or enough
/// paragraph text to be worth reading (Readability's `isProbablyReaderable`, on bytes, without
/// building a tree)? Runs in microseconds on a typical page.
pub fn is_probably_article(bytes: &[u8]) -> bool {
    if sniff_binary(bytes).is_err() || bytes.is_empty() {
        return false;
    }
    let lower_head: Vec<u8> = bytes[..bytes.len().min(256 * 1024)].to_ascii_lowercase();
    let has = |needle: &[u8]| lower_head.windows(needle.len()).any(|w| w == needle);
    let article_meta = has(b"\"newsarticle\"")
        || has(b"\"article\"")
        || has(b"\"blogposting\"")
        || has(b"content=\"article\"")
        || has(b"article:published_time");
    // Sum over <p> blocks of sqrt(letters - 140): long paragraphs count, short ones not at all.
    let mut score = 0.0f64;
    let mut i = 0;
    let b = &lower_head;
    while let Some(off) = find(&b[i..], b"<p") {
        let start = i + off + 2;
        i = start;
        if !b
            .get(start)
            .is_some_and(|c| *c == b'>' || c.is_ascii_whitespace())
        {
            continue;
        }
        let end = find(&b[start..], b"</p").map_or(b.len().min(start + 8192), |e| start + e);
        let mut letters = 0usize;
        let mut in_tag = false;
        for &c in &b[start..end] {
            match c {
                b'<' => in_tag = true,
                b'>' => in_tag = false,
                c if !in_tag && !c.is_ascii_whitespace() => letters += 1,
                _ => {}
            }
        }
        if letters > 140 {
            score += ((letters - 140) as f64).sqrt();
        }
        i = end;
        if score > 20.0 {
            return true;
        }
    }
    article_meta && score > 5.0
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
