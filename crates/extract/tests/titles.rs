//! Which text is the article's title: the visible headline against the page's metadata.

#![allow(clippy::unwrap_used)]

use clipbook_extract::{Config, extract};

const BODY: &str = r#"<p>Winter is the time to prune an apple tree, while it is dormant and its branches are bare enough to see where each one goes.</p>
<p>Start with the dead, damaged and crossing branches, then open the centre so that light and air reach the fruit all summer.</p>
<p>Cut just above an outward-facing bud, at a slant, and never take more than a quarter of the canopy in a single year, however untidy it looks.</p>"#;

fn title(head: &str, body: &str) -> Option<String> {
    let html = format!(
        r#"<!DOCTYPE html><html lang="en"><head>{head}</head><body><nav><a href="/">Home</a></nav>
<main>{body}</main><footer>Garden Notes</footer></body></html>"#
    );
    let url = url::Url::parse("https://gardennotes.example/post").unwrap();
    extract(html.as_bytes(), Some(&url), None, &Config::default())
        .unwrap()
        .title
}

#[test]
fn a_one_word_section_h1_from_the_middle_of_the_title_is_not_the_headline() {
    let got = title(
        r#"<title>How we pruned the orchard, the hedge, the roses and the vines | Garden Notes</title>
<meta property="og:title" content="How we pruned the orchard, the hedge, the roses and the vines">"#,
        &format!("<article>{BODY}<h1>Roses</h1>{BODY}</article>"),
    );
    assert_eq!(
        got.as_deref(),
        Some("How we pruned the orchard, the hedge, the roses and the vines")
    );
}

#[test]
fn a_label_before_the_headline_that_the_title_lacks_is_dropped() {
    let got = title(
        r#"<title>Best pruning saws of 2025 (Tested &amp; Ranked) | Orchard Supply Co</title>"#,
        &format!(
            r#"<article><h1 class="headline"><strong>Blog:</strong> Best pruning saws of 2025 (Tested &amp; Ranked)</h1>{BODY}</article>"#
        ),
    );
    assert_eq!(
        got.as_deref(),
        Some("Best pruning saws of 2025 (Tested & Ranked)")
    );
}

#[test]
fn an_h1_that_reads_as_a_standfirst_gives_way_to_the_declared_title() {
    let got = title(
        r#"<title>The 10 Best Fruit Trees for Small Gardens | Garden Notes</title>"#,
        &format!(
            r#"<article><h1>Learn which fruit trees crop well in a small garden, and how to choose the right rootstock for yours.</h1>{BODY}</article>"#
        ),
    );
    assert_eq!(
        got.as_deref(),
        Some("The 10 Best Fruit Trees for Small Gardens")
    );
}

#[test]
fn a_short_headline_ending_with_a_full_stop_stays() {
    let got = title(
        r#"<title>Garden Notes</title>"#,
        &format!(r#"<article><h1>Prune in winter. Not in spring.</h1>{BODY}</article>"#),
    );
    assert_eq!(got.as_deref(), Some("Prune in winter. Not in spring."));
}
