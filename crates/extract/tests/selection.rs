//! Clipping a selection: the body is what the user selected, the metadata the page's.

#![allow(clippy::unwrap_used)]

use clipbook_extract::{Config, extract_selection};

const PAGE: &str = r#"<!DOCTYPE html><html lang="fr"><head>
<title>Le réseau démantelé - Tech Actu</title>
<meta property="og:site_name" content="Tech Actu">
<meta property="article:published_time" content="2020-11-12T10:30:00+01:00">
<meta name="author" content="David Igue">
</head><body><nav><a href="/">Accueil</a></nav>
<article><h1>Le réseau démantelé</h1>
<p>Premier paragraphe de l'article, assez long pour être retenu par l'extracteur comme contenu.</p>
<p>Deuxième paragraphe, celui que l'utilisateur a choisi de garder dans sa revue de presse.</p>
</article><aside>Articles similaires</aside></body></html>"#;

fn url() -> url::Url {
    url::Url::parse("https://tech.example/2020/11/12/reseau").unwrap()
}

#[test]
fn the_body_is_the_selection_and_the_metadata_the_page() {
    let selection = r#"<p>Deuxième paragraphe, celui que l'utilisateur a choisi
        <a href="/autre">de garder</a> <img src="/img/a.jpg" onerror="alert(1)"></p>
        <script>alert(1)</script><ul><li>un point</li></ul>"#;
    let a = extract_selection(
        PAGE.as_bytes(),
        selection,
        Some(&url()),
        None,
        &Config::default(),
    )
    .unwrap();
    assert_eq!(a.title.as_deref(), Some("Le réseau démantelé"));
    assert_eq!(a.authors, vec!["David Igue".to_string()]);
    assert_eq!(a.published.as_deref(), Some("2020-11-12T10:30:00+01:00"));
    assert_eq!(a.language.as_deref(), Some("fr"));
    assert!(a.text.starts_with("Deuxième paragraphe"), "{}", a.text);
    assert!(!a.text.contains("Premier paragraphe"), "{}", a.text);
    assert!(a.text.contains("un point"));
    assert!(
        a.html.contains(r#"href="https://tech.example/autre""#),
        "{}",
        a.html
    );
    assert!(
        a.html.contains(r#"src="https://tech.example/img/a.jpg""#),
        "{}",
        a.html
    );
    assert!(a.html.contains("<li>"), "{}", a.html);
    assert!(
        !a.html.contains("script") && !a.html.contains("onerror"),
        "{}",
        a.html
    );
    assert!(
        a.markdown
            .lines()
            .any(|l| l.starts_with('*') && l.ends_with("un point")),
        "{}",
        a.markdown
    );
    assert_eq!(
        a.metadata_sources.get("content").map(String::as_str),
        Some("selection")
    );
    assert!(a.word_count >= 10);
}

#[test]
fn an_empty_selection_is_an_error() {
    let err = extract_selection(
        PAGE.as_bytes(),
        "  ",
        Some(&url()),
        None,
        &Config::default(),
    );
    assert!(err.is_err());
}
