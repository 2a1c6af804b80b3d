//! Furniture inside the chosen article that no class gives away.

#![allow(clippy::unwrap_used)]

use clipbook_extract::{Article, Config, extract};

const PROSE: &str = r#"<p>Winter is the time to prune an apple tree, while it is dormant and its branches are bare enough to see where each one goes.</p>
<p>Start with the dead, damaged and crossing branches, then open the centre so that light and air reach the fruit all summer.</p>
<p>Cut just above an outward-facing bud, at a slant, and never take more than a quarter of the canopy in a single year, however untidy it looks.</p>"#;

fn article(body: &str) -> Article {
    let html = format!(
        r#"<!DOCTYPE html><html lang="en"><head><title>How to prune an apple tree</title></head>
<body><nav><a href="/">Home</a></nav><div class="wrap"><h1>How to prune an apple tree</h1>{body}</div>
<footer>Garden Notes</footer></body></html>"#
    );
    let url = url::Url::parse("https://garden.example/prune").unwrap();
    extract(html.as_bytes(), Some(&url), None, &Config::default()).unwrap()
}

#[test]
fn a_forms_fine_print_is_not_text() {
    let a = article(&format!(
        r#"{PROSE}<p>Critics call pruning cruel; I agree to an extent, but an unpruned tree crops badly and breaks under its own weight in a wet year.</p>
<div><h3>Get our garden letter</h3><p>By submitting this form, you agree to our Terms of Use and Privacy Policy.</p>
<p>We will never sell your information. Unsubscribe at any time.</p></div>{PROSE}"#
    ));
    assert!(a.text.contains("I agree to an extent"), "{}", a.text);
    assert!(!a.text.contains("By submitting"), "{}", a.text);
    assert!(!a.text.contains("Unsubscribe"), "{}", a.text);
}

#[test]
fn teaser_cards_go_with_their_thumbnails_and_heading() {
    let cards: String = ["Best pruning saws", "Best loppers", "Best ladders", "Best gloves"]
        .iter()
        .enumerate()
        .map(|(n, t)| {
            format!(
                r#"<a href="/guide-{n}" class="c-posts__item"><img src="/thumb-{n}.jpg" alt=""><div class="c-posts__title">{t}</div></a>"#
            )
        })
        .collect();
    let a = article(&format!(
        r#"{PROSE}<div class="box"><h3>Tools &amp; Kit</h3><div>{cards}</div></div><div class="box"><h3>More guides</h3><div>{cards}</div></div><h3>After pruning</h3>{PROSE}"#
    ));
    assert!(a.text.contains("outward-facing bud"), "{}", a.text);
    assert!(!a.html.contains("thumb-1.jpg"), "{}", a.html);
    assert!(!a.text.contains("Tools & Kit"), "{}", a.text);
    assert!(a.text.contains("After pruning"), "{}", a.text);
}

#[test]
fn a_block_that_opens_by_asking_the_reader_to_join_is_not_text() {
    let a = article(&format!(
        r#"{PROSE}<p>To enter the show, you must become a member of the society first.</p><p>Join the Facebook group – https://facebook.example/pruners</p><h3>Become a Member</h3>{PROSE}"#
    ));
    assert!(a.text.contains("you must become a member"), "{}", a.text);
    assert!(!a.text.contains("Facebook group"), "{}", a.text);
    assert!(!a.text.contains("Become a Member"), "{}", a.text);
}

#[test]
fn reading_time_pager_and_pin_prompts_are_interface_text() {
    let a = article(&format!(
        r#"<p>11 min read</p>{PROSE}<p>Page 1 of 8</p>{PROSE}<p>Pin this for later!</p>{PROSE}"#
    ));
    assert!(!a.text.contains("min read"), "{}", a.text);
    assert!(!a.text.contains("Page 1 of 8"), "{}", a.text);
    assert!(!a.text.contains("Pin this"), "{}", a.text);
}
