//! Turning page bytes into text: the character set is taken, in order of trust, from a byte-order
//! mark, the HTTP header, the document's own `<meta charset>` / `http-equiv` declaration, and
//! finally statistical detection (`chardetng`); decoding is done by `encoding_rs`.

use std::borrow::Cow;
use std::sync::LazyLock;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use regex::bytes::Regex;

use crate::rules;

/// Where the character set came from (reported in `metadata_sources["charset"]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CharsetSource {
    Bom,
    Header,
    Meta,
    Detected,
}

impl CharsetSource {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Bom => "bom",
            Self::Header => "http-header",
            Self::Meta => "meta",
            Self::Detected => "detected",
        }
    }
}

/// `<meta charset="…">` and `<meta http-equiv="content-type" content="…; charset=…">`; the
/// attribute order varies, so the pattern only looks for `charset=` inside a `<meta` tag.
static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"#)
        .expect("static regex")
});

/// Decodes `bytes`, returning the text, the encoding used and where its name came from. Valid
/// UTF-8 (most pages) is borrowed, not copied.
pub(crate) fn decode<'a>(
    bytes: &'a [u8],
    header_charset: Option<&str>,
    tld: Option<&str>,
) -> (Cow<'a, str>, &'static Encoding, CharsetSource) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text, enc, CharsetSource::Bom);
    }
    // Whether the bytes are valid UTF-8 is asked up to three times; checked once.
    let checked = std::cell::OnceCell::new();
    let utf8 = || *checked.get_or_init(|| std::str::from_utf8(bytes).ok());
    let (enc, source) = choose(bytes, header_charset, tld, &|| utf8().is_some());
    let text = match (enc == UTF_8).then(utf8).flatten() {
        Some(valid) => Cow::Borrowed(valid),
        None => enc.decode_without_bom_handling(bytes).0,
    };
    let text = match repair_double_encoding(&text) {
        Some(repaired) => Cow::Owned(repaired),
        None => text,
    };
    (text, enc, source)
}

/// The byte a character stands for when UTF-8 was read as Latin-1 or Windows-1252.
fn as_byte(c: char) -> Option<u8> {
    let b = match c {
        '\u{0}'..='\u{ff}' => c as u32 as u8,
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8a,
        '‹' => 0x8b,
        'Œ' => 0x8c,
        'Ž' => 0x8e,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9a,
        '›' => 0x9b,
        'œ' => 0x9c,
        'ž' => 0x9e,
        'Ÿ' => 0x9f,
        _ => return None,
    };
    Some(b)
}

/// Text that was UTF-8 encoded twice (a CMS read UTF-8 as Latin-1 and saved it again as
/// UTF-8: "Investorâ\u{80}\u{99}s", "donâ€™t"): each such sequence decoded once more. `None`
/// when the text shows fewer than `rules::MOJIBAKE_MIN_SEQUENCES` of them, so one odd "Â£"
/// in real Latin-1 prose is left alone.
fn repair_double_encoding(text: &str) -> Option<String> {
    // Every sequence starts with a Latin-1 letter from Â to ô, which UTF-8 writes as 0xC3
    // 0x82..=0xB4: count the sequences there first, so most pages cost one byte scan.
    // `contains` on bytes is a fast memchr, and most pages have no 0xC3 byte in most 4 KiB
    // blocks: only blocks with one are walked.
    let bytes = text.as_bytes();
    let mut found = 0;
    'blocks: for (n, block) in bytes.chunks(4096).enumerate() {
        if memchr::memchr(0xc3, block).is_none() {
            continue;
        }
        for (k, &b) in block.iter().enumerate() {
            let p = n * 4096 + k;
            if b == 0xc3
                && bytes.get(p + 1).is_some_and(|n| (0x82..=0xb4).contains(n))
                && redecode(&text[p..]).is_some()
            {
                found += 1;
                if found >= rules::MOJIBAKE_MIN_SEQUENCES {
                    break 'blocks;
                }
            }
        }
    }
    if found < rules::MOJIBAKE_MIN_SEQUENCES {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(p) = rest
        .as_bytes()
        .windows(2)
        .position(|w| w[0] == 0xc3 && (0x82..=0xb4).contains(&w[1]))
    {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        match redecode(rest) {
            Some((fixed, used)) => {
                out.push_str(fixed.encode_utf8(&mut [0u8; 4]));
                rest = &rest[used..];
            }
            None => {
                // Keep the letter (two bytes) and look further.
                out.push_str(&rest[..2]);
                rest = &rest[2..];
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

/// The character a double-encoded sequence at the start of `s` stands for, and the bytes of
/// `s` it takes: the characters read back as the bytes they came from, decoded as UTF-8.
fn redecode(s: &str) -> Option<(char, usize)> {
    let mut chars = s.char_indices();
    let (_, lead) = chars.next()?;
    let first = as_byte(lead)?;
    let need = match first {
        0xc2..=0xdf => 1,
        0xe0..=0xef => 2,
        0xf0..=0xf4 => 3,
        _ => return None,
    };
    let mut buf = [first, 0, 0, 0];
    let mut end = lead.len_utf8();
    for slot in buf.iter_mut().skip(1).take(need) {
        let (at, c) = chars.next()?;
        match as_byte(c)? {
            b @ 0x80..=0xbf => *slot = b,
            _ => return None,
        }
        end = at + c.len_utf8();
    }
    let fixed = std::str::from_utf8(&buf[..=need]).ok()?.chars().next()?;
    Some((fixed, end))
}

fn choose(
    bytes: &[u8],
    header_charset: Option<&str>,
    tld: Option<&str>,
    valid_utf8: &dyn Fn() -> bool,
) -> (&'static Encoding, CharsetSource) {
    if let Some(enc) = header_charset.and_then(|l| Encoding::for_label(l.trim().as_bytes())) {
        // A header claiming UTF-16 on a byte stream without a BOM is nearly always wrong
        // (the HTML standard treats it as UTF-8 too).
        let enc = utf16_to_utf8(enc);
        if enc != UTF_8 || valid_utf8() {
            return (enc, CharsetSource::Header);
        }
    }
    let head = &bytes[..bytes.len().min(rules::CHARSET_PRESCAN_BYTES)];
    if let Some(enc) = META_CHARSET
        .captures(head)
        .and_then(|c| c.get(1))
        .and_then(|m| Encoding::for_label(m.as_bytes()))
    {
        let enc = utf16_to_utf8(enc);
        // Pages that declare UTF-8 but are not (old CMS templates copied onto Latin-1
        // content) are common; pages that declare a legacy encoding but are valid UTF-8 with
        // non-ASCII bytes exist too. Trust valid UTF-8 over the declaration in both cases.
        let valid_utf8 = valid_utf8();
        if enc == UTF_8 && valid_utf8 {
            return (enc, CharsetSource::Meta);
        }
        if enc != UTF_8 {
            if valid_utf8 && !bytes.is_ascii() && is_latin_family(enc) {
                return (UTF_8, CharsetSource::Detected);
            }
            return (enc, CharsetSource::Meta);
        }
    }
    if valid_utf8() {
        return (UTF_8, CharsetSource::Detected);
    }
    let mut det = chardetng::EncodingDetector::new();
    // Feeding a bounded prefix keeps detection cheap on huge pages; 64 KiB is far more than
    // chardetng needs to tell encodings apart.
    det.feed(&bytes[..bytes.len().min(rules::CHARSET_DETECT_BYTES)], true);
    let tld = tld.map(str::as_bytes);
    let enc = det.guess(tld, true);
    (enc, CharsetSource::Detected)
}

fn utf16_to_utf8(enc: &'static Encoding) -> &'static Encoding {
    if enc == UTF_16LE || enc == UTF_16BE {
        UTF_8
    } else {
        enc
    }
}

fn is_latin_family(enc: &'static Encoding) -> bool {
    enc == WINDOWS_1252
        || enc.name().starts_with("ISO-8859")
        || enc.name().starts_with("windows-125")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_encoded_utf8_is_repaired() {
        let twice = "Investor\u{e2}\u{80}\u{99}s guide, don\u{e2}\u{80}\u{99}t, caf\u{c3}\u{a9}";
        assert_eq!(
            repair_double_encoding(twice).as_deref(),
            Some("Investor\u{2019}s guide, don\u{2019}t, caf\u{e9}")
        );
        assert_eq!(
            repair_double_encoding(
                "don\u{e2}\u{20ac}\u{2122}t, it\u{e2}\u{20ac}\u{2122}s, caf\u{c3}\u{a9}"
            )
            .as_deref(),
            Some("don\u{2019}t, it\u{2019}s, caf\u{e9}")
        );
        // Real Latin-1 prose, and a lone odd pair, are left alone.
        assert_eq!(
            repair_double_encoding("Caf\u{e9} cr\u{e8}me, na\u{ef}ve"),
            None
        );
        assert_eq!(repair_double_encoding("Price: \u{c2}\u{a3}5"), None);
    }

    #[test]
    fn bom_wins_over_everything() {
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("<meta charset=iso-8859-1>é".as_bytes());
        let (t, e, s) = decode(&b, Some("koi8-r"), None);
        assert_eq!(e, UTF_8);
        assert_eq!(s, CharsetSource::Bom);
        assert!(t.ends_with('é'));
    }

    #[test]
    fn meta_declaration_decodes_windows_1252() {
        let b = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><p>caf\xe9</p>";
        let (t, e, s) = decode(b, None, None);
        assert_eq!(e, WINDOWS_1252);
        assert_eq!(s, CharsetSource::Meta);
        assert!(t.contains("café"));
    }

    #[test]
    fn header_charset_is_used_for_koi8() {
        let b = b"<p>\xf0\xd2\xc9\xd7\xc5\xd4</p>"; // "Привет" in KOI8-R
        let (t, _, s) = decode(b, Some("KOI8-R"), None);
        assert_eq!(s, CharsetSource::Header);
        assert!(t.contains("Привет"), "{t}");
    }

    #[test]
    fn false_utf8_declaration_falls_back_to_detection() {
        let b = b"<meta charset=utf-8><p>Le caf\xe9 est tr\xe8s bon, d\xe9j\xe0 vu.</p>";
        let (t, _, s) = decode(b, None, None);
        assert_eq!(s, CharsetSource::Detected);
        assert!(t.contains("café"), "{t}");
    }
}
