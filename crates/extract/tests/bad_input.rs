//! Any bytes give an Article or a typed error: never a panic, a hang or unbounded memory.

use std::time::{Duration, Instant};

use clipbook_extract::{Config, ExtractError, extract, is_probably_article};

mod support;

fn run(bytes: &[u8]) -> Result<clipbook_extract::Article, ExtractError> {
    extract(bytes, None, None, &Config::default())
}

#[test]
fn empty_input_is_a_typed_error() {
    assert_eq!(run(b"").err(), Some(ExtractError::Empty));
    assert_eq!(run(b"  \n\t ").err(), Some(ExtractError::Empty));
    assert!(!is_probably_article(b""));
}

#[test]
fn png_bytes_are_not_html() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    assert!(matches!(run(png), Err(ExtractError::NotHtml(_))));
    assert!(!is_probably_article(png));
}

#[test]
fn random_binary_is_not_html() {
    // A deterministic xorshift stream: bytes with many control characters.
    let mut x: u32 = 0x1234_5678;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x & 0xff) as u8
        })
        .collect();
    assert!(matches!(run(&bytes), Err(ExtractError::NotHtml(_))));
}

#[test]
fn invalid_utf8_is_decoded_not_rejected() {
    let mut bytes = b"<html><body><article><p>".to_vec();
    bytes.extend_from_slice(b"Caf\xe9 cr\xe8me \xff\xfe broken bytes in a paragraph that is long enough to be read as the article body of this page.");
    bytes.extend_from_slice(b"</p></article></body></html>");
    let a = run(&bytes).unwrap_or_else(|e| panic!("invalid UTF-8 should still decode: {e}"));
    assert!(a.text.contains("broken bytes"), "{}", a.text);
}

#[test]
fn one_hundred_thousand_nested_divs_do_not_overflow_the_stack() {
    let depth = 100_000;
    let mut html = String::with_capacity(depth * 12);
    html.push_str("<html><body>");
    for _ in 0..depth {
        html.push_str("<div>");
    }
    html.push_str("<p>Deep inside a very deeply nested page there is still a paragraph of text to extract.</p>");
    for _ in 0..depth {
        html.push_str("</div>");
    }
    html.push_str("</body></html>");
    let t = Instant::now();
    let r = run(html.as_bytes());
    assert!(r.is_ok(), "{r:?}");
    assert!(
        t.elapsed() < Duration::from_secs(60),
        "took {:?}",
        t.elapsed()
    );
}

#[test]
fn a_page_of_only_scripts_gives_an_empty_article() {
    let html = "<html><head><script>var a = 1;</script></head><body><script>document.write('<p>hi</p>')</script><noscript>Enable JavaScript</noscript></body></html>";
    let a = run(html.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert!(a.text.is_empty(), "{:?}", a.text);
    assert_eq!(a.confidence, 0.0);
}

#[test]
fn oversized_input_is_refused_before_parsing() {
    let config = Config {
        max_input_bytes: 1024,
        ..Config::default()
    };
    let big = vec![b'a'; 2048];
    assert!(matches!(
        extract(&big, None, None, &config),
        Err(ExtractError::TooLarge {
            size: 2048,
            limit: 1024
        })
    ));
}

#[test]
fn markup_soup_does_not_panic() {
    for s in [
        "<",
        "<<<>>>",
        "<p",
        "</p></p></div>",
        "<table><td><table><td>x",
        "<a href='javascript:alert(1)'>x</a>",
        "<img src=x onerror=alert(1)>",
        "<svg><p>x</svg>",
        "<!--",
        "<![CDATA[x]]>",
        "\u{feff}<p>x",
        "<html lang='\u{0}'>",
        "<meta charset='bogus'><p>x",
        "<base href='::'><a href='/x'>y</a>",
        "<script type='application/ld+json'>{\"@graph\": [[[[[[[[[[]]]]]]]]]]}</script>",
        "<script type='application/ld+json'>{\"@type\":\"NewsArticle\",\"author\":{\"@id\":\"#a\"}}</script>",
    ] {
        let _ = run(s.as_bytes());
        let _ = is_probably_article(s.as_bytes());
    }
}

#[test]
fn hostile_markup_is_sanitised() {
    let html = r#"<html><body><article>
        <p onclick="steal()">A paragraph of the article that is long enough to count as prose for the extractor to keep it.</p>
        <p>Another paragraph with <a href="javascript:alert(1)">a bad link</a> and <a href="https://ok.example/">a good one</a>, also long.</p>
        <iframe src="https://evil.example/"></iframe><script>alert(1)</script><form><input></form>
        </article></body></html>"#;
    let a = run(html.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    for bad in [
        "onclick",
        "javascript:",
        "<script",
        "<iframe",
        "<form",
        "<input",
    ] {
        assert!(
            !a.html.contains(bad),
            "{bad} survived sanitising: {}",
            a.html
        );
    }
    assert!(a.html.contains("https://ok.example/"), "{}", a.html);
}

/// A small deterministic fuzzer over the fixture pages: every prefix (every 61 bytes), byte
/// flips, and tag soup spliced in. Regression for a panic found this way: a rolled-back
/// heading left a byte mark inside a multi-byte character.
#[test]
fn mutated_fixture_pages_never_panic() {
    let dir = support::corpus::crate_dir().join("../../tests/pages");
    let mut sources = Vec::new();
    for e in std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
    {
        if let Ok(b) = std::fs::read(e.path().join("source.html")) {
            sources.push(b);
        }
    }
    let mut x: u32 = 0x9e37_79b9;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x as usize
    };
    let soup: &[&[u8]] = &[
        b"<h2>",
        b"</h2>",
        b"<div>",
        b"</p>",
        b"<li>",
        b"<table><td>",
        b"\xe2\x80",
        b"<h1>T</h1>",
        b"<!--",
        b"<noscript><img src=a.jpg>",
    ];
    for src in &sources {
        for cut in (0..src.len()).step_by(61) {
            let _ = run(&src[..cut]);
        }
        for _ in 0..30 {
            let mut m = src.clone();
            for _ in 0..8 {
                let i = next() % m.len().max(1);
                if next() % 2 == 0 {
                    m[i] = (next() & 0xff) as u8;
                } else {
                    let s = soup[next() % soup.len()];
                    m.splice(i..i, s.iter().copied());
                }
            }
            let _ = run(&m);
        }
    }
}
