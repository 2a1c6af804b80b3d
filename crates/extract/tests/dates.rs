//! Which date is the article's: the header's shown date against the page's metadata.

#![allow(clippy::unwrap_used)]

use clipbook_extract::{Config, extract};

/// A page declaring `published`/`modified` in JSON-LD and showing `header` under its headline.
fn page(published: &str, modified: &str, header: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><title>How to prune an apple tree</title>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"Article",
"headline":"How to prune an apple tree","datePublished":"{published}","dateModified":"{modified}"}}</script>
</head><body><nav><a href="/">Home</a> <a href="/garden">Garden</a></nav>
<article><h1>How to prune an apple tree</h1>
<div class="meta"><span class="author">Sam Example</span> <span class="when">{header}</span></div>
<p>Winter is the time to prune an apple tree, while it is dormant and its branches are bare enough to see where each one goes.</p>
<p>Start with the dead, damaged and crossing branches, then open the centre so that light and air reach the fruit all summer.</p>
<p>Cut just above an outward-facing bud, at a slant, and never take more than a quarter of the canopy in a single year, however untidy it looks.</p>
<p>Clean the blades between trees, burn or bin what shows signs of canker, and leave the last of the thin twigs to the birds over the winter.</p>
</article><footer>Garden Notes</footer></body></html>"#
    )
}

fn published(html: &str) -> Option<String> {
    let url = url::Url::parse("https://garden.example/prune-apple-tree").unwrap();
    extract(html.as_bytes(), Some(&url), None, &Config::default())
        .unwrap()
        .published
}

#[test]
fn an_unlabelled_header_date_that_is_the_declared_revision_is_the_date_readers_see() {
    let html = page(
        "2019-03-01T10:00:00+00:00",
        "2024-06-05T09:00:00+00:00",
        "June 5, 2024",
    );
    assert_eq!(published(&html).as_deref(), Some("2024-06-05"));
}

#[test]
fn an_updated_label_leaves_the_declared_publication() {
    let html = page(
        "2019-03-01T10:00:00+00:00",
        "2024-06-05T09:00:00+00:00",
        "Updated June 5, 2024",
    );
    assert_eq!(
        published(&html).as_deref(),
        Some("2019-03-01T10:00:00+00:00")
    );
}

#[test]
fn a_later_header_date_that_is_not_the_revision_leaves_the_declared_publication() {
    // Today's date in a header bar, or a date the metadata does not know.
    let html = page(
        "2019-03-01T10:00:00+00:00",
        "2019-03-02T09:00:00+00:00",
        "June 5, 2024",
    );
    assert_eq!(
        published(&html).as_deref(),
        Some("2019-03-01T10:00:00+00:00")
    );
}

#[test]
fn an_ambiguous_numeric_date_is_read_the_way_the_metadata_declares_it() {
    // "09.10.2024" is 9 October day-first, 10 September month-first: the metadata says which.
    let html = page(
        "2024-09-10T16:07:00+00:00",
        "2024-09-10T16:07:00+00:00",
        "09.10.2024",
    );
    assert_eq!(
        published(&html).as_deref(),
        Some("2024-09-10T16:07:00+00:00")
    );
}

#[test]
fn an_update_label_in_the_date_element_or_just_before_its_link_counts() {
    for header in [
        r#"<time datetime="2024-06-05T09:00:00+00:00">Updated on June 5, 2024 at 12:35 PM</time>"#,
        r#"Last updated on <a href="/prune-apple-tree">June 5, 2024</a>"#,
    ] {
        let html = page(
            "2019-03-01T10:00:00+00:00",
            "2024-06-05T09:00:00+00:00",
            header,
        )
        .replace("How to prune", "First timers: how to prune");
        assert_eq!(
            published(&html).as_deref(),
            Some("2019-03-01T10:00:00+00:00"),
            "{header}"
        );
    }
}

#[test]
fn a_time_element_declared_as_the_modification_is_an_update() {
    // WordPress themes print both and hide `time.updated` with their stylesheet.
    let header = r#"<span class="posted-on"><time class="updated" datetime="2024-06-05T09:00:00+00:00" itemprop="dateModified">June 5, 2024</time><time class="entry-date published" datetime="2019-03-01T10:00:00+00:00" itemprop="datePublished">March 1, 2019</time></span>"#;
    let html = page(
        "2019-03-01T10:00:00+00:00",
        "2024-06-05T09:00:00+00:00",
        header,
    );
    assert_eq!(
        published(&html).as_deref(),
        Some("2019-03-01T10:00:00+00:00")
    );
}

#[test]
fn a_header_date_that_one_of_several_declarations_confirms_wins() {
    // A second, stale JSON-LD object declares an earlier date; the header and OpenGraph agree.
    let html = page("2023-03-01", "2023-03-28", "December 18, 2024").replace(
        "</head>",
        r#"<meta property="article:published_time" content="2024-12-18T21:09:22+00:00"></head>"#,
    );
    assert_eq!(published(&html).as_deref(), Some("2024-12-18"));
}

#[test]
fn a_meta_tag_named_published_is_read() {
    let html = page("", "", "").replace(
        "</head>",
        r#"<meta name="published" content="July 17, 2025"></head>"#,
    );
    assert_eq!(published(&html).as_deref(), Some("2025-07-17"));
}

#[test]
fn a_byline_of_like_fields_is_not_a_list_of_entries() {
    let header = r#"</span></div><div class="meta-wrap"><div class="meta-info">By Sam Example</div><div class="meta-info">Published Apr 26, 2023</div><div class="meta-info">Updated Aug 21, 2024</div><div class="meta-info">Reading time 15 minutes</div></div><div><span>"#;
    let html = page("2024-08-21", "2024-08-21", header);
    assert_eq!(published(&html).as_deref(), Some("2023-04-26"));
}

#[test]
fn a_labelled_date_below_the_article_stands_in_for_a_header_without_one() {
    let html = page("", "", "").replace(
        "</article>",
        r#"<div class="article-foot"><h3>Published</h3><p><span>August 30, 2024</span></p></div></article>"#,
    );
    assert_eq!(published(&html).as_deref(), Some("2024-08-30"));
    let html = page("", "", "").replace(
        "</article>",
        r#"<p style="text-align:right">Last updated: November 13, 2025</p></article>"#,
    );
    assert_eq!(published(&html).as_deref(), Some("2025-11-13"));
}

#[test]
fn dates_in_comments_below_the_article_are_not_its_date() {
    let html = page("", "", "").replace(
        "</article>",
        r#"</article><div class="comments"><p>Posted on March 3, 2025 by a reader</p><p>Great tips, thank you for writing them down so clearly.</p></div>"#,
    );
    assert_eq!(published(&html), None);
}

#[test]
fn of_several_header_dates_the_one_the_metadata_declares_wins() {
    let header = r#"</span></div><p class="note">A preprint was first published on April 4, 2019.</p><p>Published on June 25, 2019 in Issue 6</p><div><span>"#;
    let html = page("2019-06-25", "2019-06-25", header);
    assert_eq!(published(&html).as_deref(), Some("2019-06-25"));
}

#[test]
fn a_numeric_date_is_read_in_the_order_the_url_confirms() {
    let html = page("", "", "03/10/2023");
    let url =
        url::Url::parse("https://garden.example/blog/2023/october/03/prune-apple-tree").unwrap();
    let a = extract(html.as_bytes(), Some(&url), None, &Config::default()).unwrap();
    assert_eq!(a.published.as_deref(), Some("2023-10-03"));
}

#[test]
fn a_credit_with_a_date_below_the_article_dates_it() {
    let html = page("", "", "").replace(
        "</article>",
        r#"<div class="credits"><p>Written by <a href="/team/sam">Sam Example</a></p><p>April 8, 2024</p></div></article>"#,
    );
    assert_eq!(published(&html).as_deref(), Some("2024-04-08"));
}
