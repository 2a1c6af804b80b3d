//! Turning page bytes into text: the character set is taken, in order of trust, from a byte-order
//! mark, the HTTP header, the document's own `<meta charset>` / `http-equiv` declaration, and
//! finally statistical detection (`chardetng`); decoding is done by `encoding_rs`.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use regex::bytes::Regex;
use std::sync::LazyLock;

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

/// Decodes `bytes`, returning the text, the encoding used and where its name came from.
pub(crate) fn decode(
    bytes: &[u8],
    header_charset: Option<&str>,
    tld: Option<&str>,
) -> (String, &'static Encoding, CharsetSource) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), enc, CharsetSource::Bom);
    }
    let (enc, source) = choose(bytes, header_charset, tld);
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), enc, source)
}

fn choose(
    bytes: &[u8],
    header_charset: Option<&str>,
    tld: Option<&str>,
) -> (&'static Encoding, CharsetSource) {
    if let Some(enc) = header_charset.and_then(|l| Encoding::for_label(l.trim().as_bytes())) {
        // A header claiming UTF-16 on a byte stream without a BOM is nearly always wrong
        // (the HTML standard treats it as UTF-8 too).
        let enc = utf16_to_utf8(enc);
        if enc != UTF_8 || std::str::from_utf8(bytes).is_ok() {
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
        let valid_utf8 = std::str::from_utf8(bytes).is_ok();
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
    if std::str::from_utf8(bytes).is_ok() {
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
