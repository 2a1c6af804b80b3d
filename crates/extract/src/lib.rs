//! Article extraction for Clipbook: page bytes in, the article a reader sees out — its body
//! (sanitised HTML, plain text, Markdown) and its metadata, each field tagged with where it came
//! from. Pure: no network, no disk, no database, so it can be tested, fuzzed and benchmarked
//! alone, and re-run on the original HTML the library keeps when it improves.
//!
//! ```
//! use clipbook_extract::{extract, Config};
//!
//! let html = br#"<html lang="en"><head><title>Moon found to be cheese - Daily Planet</title>
//! <meta property="og:site_name" content="Daily Planet"></head><body>
//! <nav><a href="/">Home</a> <a href="/world">World</a></nav>
//! <article><h1>Moon found to be cheese</h1><p class="byline">By Lois Lane</p>
//! <p>Scientists said on Tuesday that the Moon, long suspected of being made of rock, is in fact
//! a very large wheel of cheese, according to samples returned by the latest mission.</p>
//! <p>The finding, published in a peer-reviewed journal, surprised almost everyone involved.</p>
//! </article><footer>(c) Daily Planet</footer></body></html>"#;
//! let url = url::Url::parse("https://planet.example/2020/11/12/moon").ok();
//! let a = extract(html, url.as_ref(), None, &Config::default()).unwrap();
//! assert_eq!(a.title.as_deref(), Some("Moon found to be cheese"));
//! assert_eq!(a.authors, vec!["Lois Lane".to_string()]);
//! assert_eq!(a.published.as_deref(), Some("2020-11-12"));
//! assert!(a.text.starts_with("Scientists said on Tuesday"));
//! assert!(!a.text.contains("Home"));
//! ```

mod charset;
mod content;
mod dates;
mod dom;
mod guard;
mod markdown;
mod metadata;
mod output;
pub mod rules;

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use url::Url;

use crate::dom::ElementExt;

pub use crate::probe::is_probably_article;
mod probe;

/// Converts article HTML, as [`extract`] writes [`Article::html`] (sanitised: well-formed,
/// attributes quoted, text escaped), to the CommonMark (with GFM tables) of
/// [`Article::markdown`]. Total on any input: it never panics, takes linear time, and markup
/// it does not understand passes its text through.
pub fn html_to_markdown(html: &str) -> String {
    markdown::to_markdown(html)
}

/// Settings of one extraction. `Config::default()` is what the app uses.
#[derive(Debug, Clone)]
pub struct Config {
    /// When the page was fetched. Needed to turn "il y a 3 heures" / "3 hours ago" into a
    /// date; without it relative dates are ignored rather than guessed.
    pub fetch_time: Option<DateTime<FixedOffset>>,
    /// Inputs larger than this are refused with [`ExtractError::TooLarge`]. Real article pages
    /// are under 5 MB; the limit bounds the memory one call can take (html5ever's tree takes
    /// roughly ten times the input).
    pub max_input_bytes: usize,
    /// Whether figure captions go into `text` (they are always kept in `html`/`markdown`).
    /// Off by default: readers and both reference corpora treat captions as apart from the
    /// article's running text.
    pub captions_in_text: bool,
    /// Whether to produce `markdown` (skipping it saves about 2% of the time).
    pub markdown: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            fetch_time: None,
            max_input_bytes: 32 * 1024 * 1024,
            captions_in_text: false,
            markdown: true,
        }
    }
}

/// Why no article could be produced. Every input gives an [`Article`] or one of these.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ExtractError {
    #[error("the input is empty")]
    Empty,
    #[error("the input is {size} bytes, over the limit of {limit}")]
    TooLarge { size: usize, limit: usize },
    #[error("the input is not HTML ({0})")]
    NotHtml(&'static str),
}

impl ExtractError {
    /// A stable code for the UI to branch on (never on the message).
    pub fn code(&self) -> &'static str {
        match self {
            ExtractError::Empty => "empty",
            ExtractError::TooLarge { .. } => "too_large",
            ExtractError::NotHtml(_) => "not_html",
        }
    }
}

/// The article a reader sees, and where each piece of metadata came from.
#[derive(Debug, Clone, Serialize, Default, PartialEq)]
pub struct Article {
    /// The URL the page was fetched from, as given.
    pub url: Option<String>,
    /// The page's own idea of its address (`<link rel=canonical>`, `og:url`, JSON-LD), absolute.
    pub canonical_url: Option<String>,
    /// The headline, without the site's name glued before or after it.
    pub title: Option<String>,
    /// Author names, without "By/Par/Von…" prefixes, dates or job titles.
    pub authors: Vec<String>,
    /// Publication date: RFC 3339 with the page's offset when it gives a time, else `YYYY-MM-DD`.
    pub published: Option<String>,
    /// Last modification date, same format.
    pub modified: Option<String>,
    /// Primary language subtag (`fr`, `en`), from markup, else detected from the text.
    pub language: Option<String>,
    pub site_name: Option<String>,
    /// Absolute URL of the main image.
    pub lead_image: Option<String>,
    pub description: Option<String>,
    /// Plain text: one block per paragraph separated by a blank line, headings on their own line.
    pub text: String,
    /// CommonMark (GFM tables) of the article body.
    pub markdown: String,
    /// The article body as sanitised HTML (ammonia): structure kept, URLs absolute.
    pub html: String,
    pub word_count: usize,
    pub reading_minutes: u32,
    /// How sure the extractor is that `text` is one article, 0–1.
    pub confidence: f32,
    /// For each metadata field, the name of its source (`json-ld`, `opengraph`, `meta`,
    /// `microdata`, `time-element`, `byline-text`, `date-text`, `h1`, `title-tag`, `url`,
    /// `detected`, …).
    pub metadata_sources: BTreeMap<String, String>,
}

fn check_input(bytes: &[u8], config: &Config) -> Result<(), ExtractError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExtractError::Empty);
    }
    if bytes.len() > config.max_input_bytes {
        return Err(ExtractError::TooLarge {
            size: bytes.len(),
            limit: config.max_input_bytes,
        });
    }
    probe::sniff_binary(bytes)
}

/// Extracts the article from a page.
///
/// `url` is where the page came from (used to make links absolute and as a last source of
/// dates); `content_type_charset` is the `charset` of the HTTP `Content-Type` header, if any.
pub fn extract(
    bytes: &[u8],
    url: Option<&Url>,
    content_type_charset: Option<&str>,
    config: &Config,
) -> Result<Article, ExtractError> {
    check_input(bytes, config)?;
    let tld = url
        .and_then(|u| u.host_str())
        .and_then(|h| h.rsplit('.').next());
    let (text, _enc, cs_source) = charset::decode(bytes, content_type_charset, tld);
    let doc = scraper::Html::parse_document(&guard::prepare(&text));
    let dom = dom::Dom::new(&doc);
    let skip = content::base_skip(&dom);
    let found = metadata::collect(&dom, &|i| skip[i], config.fetch_time);
    let mut sel = content::select(&dom, skip);

    let mut sources = BTreeMap::new();
    sources.insert("charset".to_string(), cs_source.name().to_string());
    let mut put = |field: &str, src: &str| {
        sources.insert(field.to_string(), src.to_string());
    };

    let page_url = url.cloned();
    let canonical = found.canonical.iter().find_map(|(c, s)| {
        output::absolutize(page_url.as_ref(), c)
            .filter(|c| Url::parse(c).is_ok())
            .map(|c| (c, *s))
    });
    let base = found
        .base_href
        .as_deref()
        .and_then(|b| match &page_url {
            Some(u) => u.join(b).ok(),
            None => Url::parse(b).ok(),
        })
        .or_else(|| page_url.clone())
        .or_else(|| canonical.as_ref().and_then(|(c, _)| Url::parse(c).ok()));

    let site_names: Vec<String> = found
        .site_name
        .iter()
        .map(|(s, _)| s.clone())
        .chain(
            base.as_ref()
                .and_then(|u| u.host_str())
                .map(|h| h.trim_start_matches("www.").to_string()),
        )
        .chain(
            base.as_ref()
                .and_then(|u| u.host_str())
                .and_then(site_domain),
        )
        .collect();
    let (title, headline_at) = resolve_title(&dom, &found, &sel, &site_names);
    let lang_hint = found
        .language
        .iter()
        .find_map(|(l, s)| metadata::primary_subtag(l).map(|l| (l, *s)));
    // An "author" that is the site or publisher itself is a fallback: a byline names people.
    let site_norms: Vec<String> = site_names.iter().map(|s| output::norm(s)).collect();
    let is_site = |a: &Vec<String>| {
        a.iter().all(|n| {
            let n = output::norm(n);
            site_norms
                .iter()
                .any(|s| !s.is_empty() && (s.contains(&n) || n.contains(s.as_str())))
        })
    };
    // Declared authors first (JSON-LD, meta, microdata), then the byline the article's header
    // prints, then author-classed elements elsewhere on the page (which also catch "Full
    // bio" links and author boxes of other posts).
    let authors = found
        .authors
        .iter()
        .find(|(a, s)| *s != "byline-element" && !is_site(a))
        .cloned()
        .or_else(|| header_byline(&dom, &sel, headline_at).map(|a| (a, "byline-text")))
        .or_else(|| found.authors.iter().find(|(a, _)| !is_site(a)).cloned())
        .or_else(|| found.authors.first().cloned())
        .or_else(|| page_credit(&dom, &sel).map(|a| (a, "credit-text")))
        .or_else(|| found.org_authors.first().cloned());
    let ctx = output::RenderCtx {
        base: base.as_ref(),
        title_norm: title
            .as_ref()
            .map(|(t, _)| output::norm(t))
            .unwrap_or_default(),
        author_norms: authors
            .as_ref()
            .map(|(a, _)| a.iter().map(|n| output::norm(n)).collect())
            .unwrap_or_default(),
        captions_in_text: config.captions_in_text,
    };
    if let Some((names, _)) = &authors {
        content::drop_author_bio(&dom, &mut sel, names, &site_norms);
    }
    let rendered = output::render(&dom, &sel, &ctx);

    let mut article = Article {
        url: url.map(|u| u.to_string()),
        ..Article::default()
    };
    if let Some((t, s)) = title {
        put("title", s);
        article.title = Some(t);
    }
    if let Some((a, s)) = authors {
        put("authors", s);
        article.authors = a;
    }
    let lang_for_dates = lang_hint.as_ref().map(|(l, _)| l.as_str());
    let declared_days: Vec<&str> = found
        .published
        .iter()
        .filter(|(_, src)| !matches!(*src, "date-text" | "time-element"))
        .filter_map(|(d, _)| d.get(..10))
        .collect();
    let shown = shown_date(
        &dom,
        &sel,
        headline_at,
        config.fetch_time,
        lang_for_dates,
        &declared_days,
    )
    .or_else(|| {
        let (_, end) = header_range(&dom, &sel, headline_at)?;
        labelled_date(&dom, &sel, end, config.fetch_time, lang_for_dates)
    });
    // The header's date and the metadata's disagree mostly when the header shows a later
    // "updated" or today's date: the earlier of the two is the publication. Unless the header
    // shows, with no "Updated" label, the very day the page declares as its revision: then the
    // page presents its revised date as the article's, and that is the date readers see. And
    // unless the header's date is one the metadata also declares as a publication: pages that
    // carry several JSON-LD objects or tags disagree, and the one the header confirms is right.
    // "03/10/2023" read month-first on an English page whose URL or metadata says 3 October:
    // the page writes day-first.
    let url_date = page_url.as_ref().and_then(|u| dates::from_url(u.path()));
    let shown = shown.map(|((d, src), at, update)| {
        let Some(o) = (match dom.kind[at] {
            dom::Kind::Text(t) => dates::other_reading(t, lang_for_dates),
            _ => None,
        }) else {
            return ((d, src), at, update);
        };
        // The metadata's own value for that day, with its time, else the day.
        let declared_value = found
            .published
            .iter()
            .filter(|(_, s)| !matches!(*s, "date-text" | "time-element"))
            .chain(found.modified.iter())
            .find(|(m, _)| m.get(..10) == Some(o.as_str()))
            .cloned();
        match declared_value {
            Some(v) => (v, at, update),
            None if url_date.as_deref() == Some(o.as_str()) => ((o, src), at, update),
            None => ((d, src), at, update),
        }
    });
    let revised_day = found.modified.first().and_then(|(d, _)| d.get(..10));
    let declared = |day: Option<&str>| day.is_some_and(|d| declared_days.contains(&d));
    let shown = match (shown, found.published.first()) {
        (Some((s, _, update)), Some(_))
            if declared(s.0.get(..10)) || (!update && s.0.get(..10) == revised_day) =>
        {
            Some(s)
        }
        (Some((s, _, _)), Some(m)) if m.0.get(..10) < s.0.get(..10) => Some(m.clone()),
        (s, _) => s.map(|(s, _, _)| s),
    };
    let published = shown
        .or_else(|| found.published.first().cloned())
        .or_else(|| {
            let path = page_url
                .as_ref()
                .map(|u| u.path().to_string())
                .or_else(|| {
                    canonical
                        .as_ref()
                        .and_then(|(c, _)| Url::parse(c).ok())
                        .map(|u| u.path().to_string())
                })?;
            dates::from_url(&path).map(|d| (d, "url"))
        })
        // A page that declares only when it was modified: that is the closest to a date the
        // reader has (and at least no later than the page).
        .or_else(|| found.modified.first().cloned());
    if let Some((d, s)) = published {
        put("published", s);
        article.published = Some(d);
    }
    if let Some((d, s)) = found.modified.first().cloned() {
        put("modified", s);
        article.modified = Some(d);
    }
    if let Some((c, s)) = canonical {
        put("canonical_url", s);
        article.canonical_url = Some(c);
    }
    if let Some((n, s)) = found.site_name.first() {
        put("site_name", s);
        article.site_name = Some(n.clone());
    }
    if let Some((i, s)) = found
        .image
        .iter()
        .find_map(|(i, s)| output::absolutize(base.as_ref(), i).map(|i| (i, *s)))
    {
        put("lead_image", s);
        article.lead_image = Some(i);
    } else if let Some(i) = rendered.images.first() {
        put("lead_image", "content");
        article.lead_image = Some(i.clone());
    }
    if let Some((d, s)) = found.description.first() {
        put("description", s);
        article.description = Some(dom::collapse_ws(d));
    }
    match lang_hint {
        Some((l, s)) => {
            put("language", s);
            article.language = Some(l);
        }
        None => {
            let sample: String = rendered.text.chars().take(3000).collect();
            if let Some(info) = whatlang::detect(&sample) {
                put("language", "detected");
                article.language = Some(lang_code(info.lang()).to_string());
            }
        }
    }

    article.html = sanitize(&rendered.html);
    if config.markdown && !article.html.is_empty() {
        article.markdown = markdown::to_markdown(&article.html);
    }
    let counts = word_counts(&rendered.text);
    article.word_count = counts.0;
    article.reading_minutes = reading_minutes(counts);
    article.text = rendered.text;
    article.confidence = confidence(&sel, found.is_article_type, &article);
    article.metadata_sources = sources;
    Ok(article)
}

/// Extracts a part of a page the user selected in their browser: the metadata (title, authors,
/// dates, language…) come from the whole page, as [`extract`] finds them; the body is the
/// selection, rendered and sanitised the same way (links and images absolute, lazy images
/// resolved, scripts and page furniture dropped) but not pruned, since the user chose it.
///
/// `selection_html` is a fragment as the browser serialised it (UTF-8).
pub fn extract_selection(
    page: &[u8],
    selection_html: &str,
    url: Option<&Url>,
    content_type_charset: Option<&str>,
    config: &Config,
) -> Result<Article, ExtractError> {
    if selection_html.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    check_input(selection_html.as_bytes(), config)?;
    let mut article = extract(page, url, content_type_charset, config)?;
    let base = article
        .url
        .as_deref()
        .or(article.canonical_url.as_deref())
        .and_then(|u| Url::parse(u).ok());
    let doc = scraper::Html::parse_document(&guard::prepare(&format!(
        "<!DOCTYPE html><html><body>{selection_html}</body></html>"
    )));
    let dom = dom::Dom::new(&doc);
    let skip: Vec<bool> = content::base_skip(&dom)
        .into_iter()
        .enumerate()
        .map(|(i, s)| s || content::hidden(&dom, i))
        .collect();
    let body = (0..dom.len()).find(|&i| dom.tag(i) == "body").unwrap_or(0);
    let n = dom.len();
    let sel = content::Selection {
        skip,
        removed: vec![false; n],
        dropped: vec![false; n],
        roots: vec![body],
        page_prose: 0,
        selected_prose: 0,
    };
    let ctx = output::RenderCtx {
        base: base.as_ref(),
        title_norm: String::new(),
        author_norms: Vec::new(),
        captions_in_text: config.captions_in_text,
    };
    let rendered = output::render(&dom, &sel, &ctx);
    article.html = sanitize(&rendered.html);
    article.markdown = if config.markdown && !article.html.is_empty() {
        markdown::to_markdown(&article.html)
    } else {
        String::new()
    };
    let counts = word_counts(&rendered.text);
    article.word_count = counts.0;
    article.reading_minutes = reading_minutes(counts);
    article.text = rendered.text;
    // The user chose the text: no doubt about what the article is.
    article.confidence = if article.text.is_empty() { 0.0 } else { 1.0 };
    article
        .metadata_sources
        .insert("content".to_string(), "selection".to_string());
    Ok(article)
}

/// The site's own domain under a subdomain (`promotions.example.com` → `example.com`), which
/// titles name; `None` when the host is that already, or when the last two labels are a
/// public suffix like `co.uk` (a second-level label of three letters or fewer).
fn site_domain(host: &str) -> Option<String> {
    let labels: Vec<&str> = host.trim_start_matches("www.").split('.').collect();
    if labels.len() < 3 {
        return None;
    }
    let sld = labels[labels.len() - 2];
    (sld.len() > 3).then(|| format!("{sld}.{}", labels[labels.len() - 1]))
}

/// The visible headline when the page has one (the ground truth readers see), else the
/// metadata title without the site's name.
fn resolve_title(
    dom: &dom::Dom<'_>,
    found: &metadata::Found,
    sel: &content::Selection,
    site_names: &[String],
) -> (Option<(String, &'static str)>, Option<usize>) {
    let norm = output::norm;
    let metas: Vec<String> = found
        .titles
        .iter()
        .map(|(t, _)| t.clone())
        .chain(found.title_tag.clone())
        .map(|t| norm(&t))
        .filter(|t| t.len() >= 4)
        .collect();
    let sites: Vec<String> = site_names
        .iter()
        .map(|s| norm(s))
        .filter(|s| !s.is_empty())
        .collect();
    let raw_titles: Vec<&str> = found
        .titles
        .iter()
        .map(|(t, _)| t.as_str())
        .chain(found.title_tag.as_deref())
        .collect();
    let first_root = sel.roots.first().copied().unwrap_or(0);
    // (position, text) of each plausible headline: an <h1> outside navigation and footers
    // that is not just the site's name (logos are often an <h1>).
    let mut h1s: Vec<(usize, String)> = Vec::new();
    for i in 0..dom.len() {
        if dom.tag(i) != "h1" || sel.skip[i] {
            continue;
        }
        if dom
            .ancestors(i)
            .take(64)
            .any(|a| sel.skip[a] || matches!(dom.tag(a), "nav" | "footer" | "aside"))
        {
            continue;
        }
        let t = dom.text_of(i, &|j| sel.skip[j]);
        let n = norm(&t);
        if t.chars().count() < 3
            || t.chars().count() > 400
            || sites
                .iter()
                .any(|s| *s == n || s.contains(&n) && n.len() < 12)
        {
            continue;
        }
        h1s.push((i, t));
    }
    for (i, h) in &h1s {
        let nh = norm(h);
        // A short <h1> inside a longer title echoes it only as its start ("Restaurant" of
        // "Restaurant definition & meaning"): one word from its middle ("… Cursor, Discord,
        // and …") is a section heading that happens to name it.
        let echoes = |m: &String| {
            nh.contains(m.as_str())
                || m.find(nh.as_str())
                    .is_some_and(|at| at == 0 || nh.len() >= rules::ECHOED_HEADING_MIN_CHARS)
        };
        // An <h1> holding the whole of a title less its "| Site" end echoes it too.
        let holds_title = || {
            raw_titles.iter().any(|t| {
                let core = norm(&metadata::strip_subtitle(t));
                core.len() >= rules::ECHOED_HEADING_MIN_CHARS && nh.contains(&core)
            })
        };
        if nh.len() >= 4 && (metas.iter().any(echoes) || holds_title()) {
            // An <h1> the title only holds as its "… | Blog name" end is the blog's name
            // when a lower heading carries the rest of the title.
            if raw_titles.iter().any(|t| metadata::is_title_end(t, &nh)) {
                if let Some((j, hd)) = echoed_heading(dom, sel, &metas)
                    .filter(|(_, hd)| norm(hd).len() > nh.len() && !norm(hd).contains(&nh))
                {
                    return (Some((metadata::strip_subtitle(&hd), "heading")), Some(j));
                }
            }
            // An <h1> that prints the date with the title ("Dec 18 2025 Title"): the title
            // is the headline.
            // So does one that prefixes the title with a label the metadata does not carry
            // ("Blog: Title", "Title: …").
            let hc = dom::collapse_ws(h);
            let inner = raw_titles
                .iter()
                .flat_map(|t| {
                    let t = dom::collapse_ws(&metadata::clean_title(t, site_names));
                    [metadata::strip_subtitle(&t), t]
                })
                .filter(|t| !t.is_empty() && t.len() < hc.len())
                .find(|t| {
                    hc.find(t.as_str()).is_some_and(|at| {
                        let rest = format!("{} {}", &hc[..at], &hc[at + t.len()..]);
                        let label = hc[..at].trim_end();
                        (rest.split_whitespace().count() <= 4
                            && dates::parse_text(&rest, None, None).is_some())
                            || (at + t.len() == hc.len()
                                && label.ends_with(':')
                                && label.split_whitespace().count()
                                    <= rules::HEADLINE_LABEL_MAX_WORDS)
                    })
                });
            if let Some(t) = inner {
                return (Some((t, "h1")), Some(*i));
            }
            return (Some((metadata::strip_subtitle(h), "h1")), Some(*i));
        }
    }
    // No <h1> is the headline the metadata names (blog themes make the blog's name the <h1>
    // and the post's title an <h2>): a lower heading the metadata title echoes is.
    if let Some((i, h)) = echoed_heading(dom, sel, &metas) {
        return (Some((metadata::strip_subtitle(&h), "heading")), Some(i));
    }
    // Otherwise the headline nearest the article: the last <h1> before it, else the first in it.
    let before = h1s.iter().rfind(|(i, _)| *i <= first_root);
    let inside = h1s.iter().find(|(i, _)| *i > first_root);
    if let Some((i, h)) = before.or(inside) {
        // A one-to-three-word <h1> that the metadata does not echo is a section label
        // ("Webcams", "Our blog"); a longer metadata title is then the headline. So is one
        // that reads as a sentence of prose, a standfirst styled as the page's heading
        // ("Make the most of your stay with these ten travel hacks.").
        let words = h.split_whitespace().count();
        let label = words <= 3;
        let standfirst = words >= rules::STANDFIRST_MIN_WORDS && h.trim_end().ends_with(['.', '!']);
        let declared = found
            .titles
            .first()
            .map(|(t, s)| (t.as_str(), *s))
            .or(found.title_tag.as_deref().map(|t| (t, "title-tag")));
        match declared {
            Some((t, s)) if label && t.split_whitespace().count() > 3 => {
                return (Some((metadata::clean_title(t, site_names), s)), Some(*i));
            }
            Some((t, s)) if standfirst && t.split_whitespace().count() > 3 => {
                return (Some((metadata::clean_title(t, site_names), s)), Some(*i));
            }
            _ => return (Some((metadata::strip_subtitle(h), "h1")), Some(*i)),
        }
    }
    if let Some((t, s)) = found.titles.first() {
        return (Some((metadata::clean_title(t, site_names), *s)), None);
    }
    (
        found
            .title_tag
            .as_ref()
            .map(|t| (metadata::clean_title(t, site_names), "title-tag")),
        None,
    )
}

/// The first `<h2>`/`<h3>` outside navigation whose text is most of a metadata title (`metas`
/// are normalised): the headline on pages whose `<h1>` is not the article's.
fn echoed_heading(
    dom: &dom::Dom<'_>,
    sel: &content::Selection,
    metas: &[String],
) -> Option<(usize, String)> {
    if metas.is_empty() {
        return None;
    }
    // Only above the article's prose: an echoed heading below its first paragraph is a
    // section of it ("What is social commerce?"), not its headline.
    let root = sel.roots.first().copied().unwrap_or(0);
    let prose_at = (root..dom.len().min(root + rules::HEADER_SCAN_NODES))
        .find(|&j| {
            dom.tag(j) == "p"
                && dom.text_longer_than(j, &|k| sel.skip[k], rules::HEADER_END_PARAGRAPH_CHARS - 1)
        })
        .unwrap_or(dom.len());
    for i in 0..prose_at {
        if !matches!(dom.tag(i), "h2" | "h3") || sel.skip[i] {
            continue;
        }
        let t = dom.text_of(i, &|j| sel.skip[j]);
        let n = output::norm(&t);
        if n.len() < rules::ECHOED_HEADING_MIN_CHARS || t.chars().count() > 400 {
            continue;
        }
        let echoed = metas
            .iter()
            .any(|m| m.contains(&n) && n.len() * 2 >= m.len());
        // Not in navigation or a comment thread ("12 comments on <title>").
        if echoed
            && !dom.ancestors(i).take(64).any(|a| {
                sel.skip[a]
                    || matches!(dom.tag(a), "nav" | "footer" | "aside")
                    || metadata::signature(dom, a).contains("comment")
            })
        {
            return Some((i, t));
        }
    }
    None
}

/// The article header: from the headline (or the article's start) to its second paragraph.
fn header_range(
    dom: &dom::Dom<'_>,
    sel: &content::Selection,
    headline_at: Option<usize>,
) -> Option<(usize, usize)> {
    let root = *sel.roots.first()?;
    let start = headline_at.unwrap_or(root);
    let mut end = dom.len();
    let mut i = start.max(root);
    let mut scanned = 0;
    let mut paragraphs = 0;
    while i < dom.len() && scanned < rules::HEADER_SCAN_NODES {
        if matches!(dom.tag(i), "p")
            && dom.text_longer_than(i, &|j| sel.skip[j], rules::HEADER_END_PARAGRAPH_CHARS - 1)
        {
            paragraphs += 1;
            if paragraphs == rules::HEADER_END_PARAGRAPHS {
                end = i;
                break;
            }
        }
        i += 1;
        scanned += 1;
    }
    Some((start, end.min(start + rules::HEADER_SCAN_NODES * 4)))
}

/// The byline printed in the article header: an author-classed element or `rel=author` link,
/// or a "By …" / "Par …" line.
fn header_byline(
    dom: &dom::Dom<'_>,
    sel: &content::Selection,
    headline_at: Option<usize>,
) -> Option<Vec<String>> {
    let (start, end) = header_range(dom, sel, headline_at)?;
    let mut i = start;
    let mut after_by = false;
    while i < end {
        if sel.skip[i] {
            i = dom.end[i] as usize;
            continue;
        }
        match dom.kind[i] {
            dom::Kind::Elem(e) => {
                let sig = metadata::signature(dom, i);
                let by_attr = e
                    .attr_value("rel")
                    .is_some_and(|r| r.eq_ignore_ascii_case("author"))
                    || e.attr_value("itemprop")
                        .is_some_and(|r| r.eq_ignore_ascii_case("author"))
                    || (metadata::BYLINE_CLASS.is_match(sig)
                        && !metadata::BYLINE_EXCLUDE.is_match(sig))
                    || (e.name() == "a"
                        && e.attr_value("href").is_some_and(metadata::is_author_url));
                if by_attr && (dom.end[i] as usize - i) < 60 && !in_comments(dom, i) {
                    if let Some(a) = byline_names(dom, sel, i) {
                        return Some(a);
                    }
                    let t = dom.text_of(i, &|j| sel.skip[j]);
                    if t.chars().count() < 160 {
                        let a = metadata::clean_authors(&t);
                        if !a.is_empty() {
                            return Some(a);
                        }
                    }
                }
            }
            dom::Kind::Text(t) if t.len() < 200 => {
                let tt = t.trim();
                // A category link (`rel=tag`) between "By" and the name is not the name.
                let in_tag = dom
                    .ancestors(i)
                    .take(2)
                    .any(|a| dom.attr(a, "rel").is_some_and(|r| r.contains("tag")));
                if after_by && !tt.is_empty() && !in_tag {
                    let a = metadata::clean_authors(tt);
                    return (!a.is_empty()).then_some(a);
                }
                // A comment signed "By …" is not the article's byline.
                if BY_LINE.is_match(tt) && !in_comments(dom, i) {
                    if BY_ALONE.is_match(tt) {
                        after_by = true;
                    } else {
                        let a = metadata::clean_authors(tt);
                        if !a.is_empty() {
                            return Some(a);
                        }
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The names inside a byline element that also holds a label, a role or the outlet ("By
/// <a>Jane Doe</a>, <span>Senior Writer</span>"): its links to author pages, else its
/// name-classed part. `None` when it has neither: then its whole text is the byline.
fn byline_names(dom: &dom::Dom<'_>, sel: &content::Selection, i: usize) -> Option<Vec<String>> {
    let end = dom.end[i] as usize;
    let mut names: Vec<String> = Vec::new();
    let mut named: Option<usize> = None;
    for j in i + 1..end {
        if sel.skip[j] {
            continue;
        }
        let e = match dom.kind[j] {
            dom::Kind::Elem(e) => e,
            // The reviewer or editor credited after the author is not an author.
            dom::Kind::Text(t) if rules::NOT_AUTHOR_CREDIT.is_match(t) => break,
            _ => continue,
        };
        let link = e
            .attr_value("rel")
            .is_some_and(|r| r.eq_ignore_ascii_case("author"))
            || (e.name() == "a" && e.attr_value("href").is_some_and(metadata::is_author_url));
        if link {
            names.extend(metadata::clean_authors(&dom.text_of(j, &|k| sel.skip[k])));
        } else if named.is_none() {
            let sig = metadata::signature(dom, j);
            let prop = e
                .attr_value("itemprop")
                .is_some_and(|p| p.eq_ignore_ascii_case("name"));
            if prop || (sig.contains("name") && metadata::BYLINE_CLASS.is_match(sig)) {
                named = Some(j);
            }
        }
    }
    if names.is_empty() {
        names = named
            .map(|j| metadata::clean_authors(&dom.text_of(j, &|k| sel.skip[k])))
            .unwrap_or_default();
    }
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(n.to_lowercase()));
    (!names.is_empty()).then_some(names)
}

/// "By Jane Doe", "Par David Igue", "Von …", "Por …", "Door …", "Di …", "Written by …".
static BY_LINE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"^(?i:by|par|von|por|door|di|written by|posted by|auteur|autor|autore)\b\s*:?\s*(\p{Lu}|$)")
        .expect("static regex")
});
static BY_ALONE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"^(?i:by|par|von|por|door|di|written by|posted by|auteur|autor|autore)\s*:?$",
    )
    .expect("static regex")
});

/// Whether `i` is inside a comment thread (its bylines sign comments, not the article).
fn in_comments(dom: &dom::Dom<'_>, i: usize) -> bool {
    dom.ancestors(i)
        .take(64)
        .filter(|&a| !matches!(dom.tag(a), "body" | "html"))
        .any(|a| metadata::signature(dom, a).contains("comment"))
}

/// An explicit author credit anywhere on the page outside comments and related posts, for
/// pages whose header names no one: "Written by Jane Doe" in an author box below the article,
/// or a label ("Author", "Article by") followed by the name.
fn page_credit(dom: &dom::Dom<'_>, sel: &content::Selection) -> Option<Vec<String>> {
    for (i, t) in sel.texts(dom, 0) {
        let tt = t.trim();
        let label = CREDIT_LABEL.is_match(tt);
        if (label || CREDIT_LINE.is_match(tt))
            && tt.len() < 200
            && !metadata::in_foreign_context(dom, i)
        {
            let text = if label {
                // The name is the next text, close by.
                (i + 1..dom.len().min(i + rules::CREDIT_NAME_LOOKAHEAD))
                    .find_map(|j| match dom.kind[j] {
                        dom::Kind::Text(n) if !n.trim().is_empty() && !sel.skip[j] => {
                            Some(n.trim())
                        }
                        _ => None,
                    })
                    .unwrap_or("")
            } else {
                tt
            };
            let a = metadata::clean_authors(text);
            if !a.is_empty() && text.len() < 100 {
                return Some(a);
            }
        }
    }
    None
}

/// "Written by Jane Doe", "Article by …", "Authored by …" (not a bare "by": "Powered by …").
static CREDIT_LINE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"^(?i:written by|authored by|article by|words by|story by)\s*:?\s*\p{Lu}")
        .expect("static regex")
});
/// "Written by", "Authored by" … opening a text, with or without the name after it.
static CREDIT_LINE_LABEL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"^(?i:written by|authored by|article by|words by|story by)\b")
        .expect("static regex")
});
/// A credit label alone, with the name in the next element ("<h3>Author</h3><p>Jane Doe</p>").
static CREDIT_LABEL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"^(?i:authors?|contributors?|written by|authored by|article by|words by|story by)\s*:?$",
    )
    .expect("static regex")
});

/// Whether `i` sits in one of several like siblings (live-blog updates, comment or teaser
/// lists): their dates are the entries', not the article's. A byline's fields ("By …",
/// "Published …", "Updated …", "Reading time …") are like siblings too, but each holds a
/// label and a value, no entry's title or text.
fn in_repeated_block(dom: &dom::Dom<'_>, i: usize) -> bool {
    dom.ancestors(i).take(4).any(|a| {
        let p = dom.parent[a];
        if p == dom::NONE
            || dom.tag(a).is_empty()
            || matches!(dom.tag(a), "p" | "span" | "a" | "body")
        {
            return false;
        }
        if !dom.text_longer_than(a, &|_| false, rules::BYLINE_FIELD_MAX_CHARS) {
            return false;
        }
        let sig = (dom.tag(a), metadata::signature(dom, a));
        if sig.1.is_empty() {
            return false;
        }
        dom.children(p as usize)
            .filter(|&c| dom.tag(c) == sig.0 && metadata::signature(dom, c) == sig.1)
            .take(3)
            .count()
            >= 3
    })
}

/// The date the page shows with the article: in its header, between the headline and the
/// first paragraph (bylines, "Updated on …", `<time>`). Readers take this date as the
/// article's, and pages keep it more accurate than stale metadata. With the date: the node it
/// was read from and whether it is labelled as an update. `declared`: the days the metadata
/// declares as the publication.
fn shown_date(
    dom: &dom::Dom<'_>,
    sel: &content::Selection,
    headline_at: Option<usize>,
    fetch: Option<DateTime<FixedOffset>>,
    lang: Option<&str>,
    declared: &[&str],
) -> Option<((String, &'static str), usize, bool)> {
    let (start, end) = header_range(dom, sel, headline_at)?;
    // Nodes to look at, in order of preference: the header below the headline, then a few
    // nodes above it, nearest first (themes print "Section · date" above the title).
    let floor = start.saturating_sub(rules::HEADER_LOOKBACK_NODES);
    let below = start..end;
    let above = (floor..start).rev();
    let mut update: Option<((String, &'static str), usize, bool)> = None;
    let mut first: Option<((String, &'static str), usize, bool)> = None;
    for i in below.chain(above) {
        if sel.skip[i] || (i < start && dom.ancestors(i).take(64).any(|a| sel.skip[a])) {
            continue;
        }
        let found = match dom.kind[i] {
            dom::Kind::Elem(e) if e.name() == "time" => e
                .attr_value("datetime")
                .and_then(dates::parse_machine)
                .map(|d| (d, "time-element")),
            dom::Kind::Text(t) if t.trim().len() < rules::DATE_TEXT_MAX_CHARS => {
                dates::parse_text(t, fetch, lang).map(|d| (d, "byline-text"))
            }
            _ => None,
        };
        let Some(found) = found else { continue };
        if in_repeated_block(dom, i) {
            continue;
        }
        // "Updated …" dates stand in only when the page shows no other.
        if is_update_label(dom, i) {
            update.get_or_insert((found, i, true));
            continue;
        }
        // A date the metadata also declares as the publication outranks the others the header
        // shows ("Preprint first published 04.Apr.2019" above "Published on 25.Jun.2019").
        let confirmed = found.0.get(..10).is_some_and(|d| declared.contains(&d));
        if confirmed {
            return Some((found, i, false));
        }
        if first.is_none() {
            first = Some((found, i, false));
            if declared.is_empty() {
                break;
            }
        }
    }
    first.or(update)
}

/// `Some(true)` for an update label, `Some(false)` for a publication label, `None` when `s` has
/// neither. In text holding both, the first one labels the date read from it.
fn verdict(s: &str, both_by_order: bool) -> Option<bool> {
    let update = rules::UPDATE_LABEL.find(s).map(|m| m.start());
    let publish = rules::PUBLISH_LABEL.find(s).map(|m| m.start());
    match (update, publish) {
        (Some(_), None) => Some(true),
        (None, Some(_)) => Some(false),
        (Some(u), Some(p)) if both_by_order => Some(u < p),
        _ => None,
    }
}

/// A date the page labels as its publication ("Published August 13, 2025", "<h3>Published</h3>
/// <time …>") or, failing that, its update, anywhere from `from` on: for pages that print it
/// below the article or in a side column rather than in the header. Comments and lists of
/// entries are not the article's.
fn labelled_date(
    dom: &dom::Dom<'_>,
    sel: &content::Selection,
    from: usize,
    fetch: Option<DateTime<FixedOffset>>,
    lang: Option<&str>,
) -> Option<((String, &'static str), usize, bool)> {
    let mut update = None;
    for (i, t) in sel.texts(dom, from) {
        let t = t.trim();
        let label = if t.len() <= rules::DATE_TEXT_MAX_CHARS {
            // A credit ("Written by" + name + date) dates the article like "Published".
            verdict(t, true).or_else(|| CREDIT_LINE_LABEL.is_match(t).then_some(false))
        } else {
            None
        };
        let Some(is_update) = label else {
            continue;
        };
        // The date in the label's own text, else in the next few nodes ("Published" <time>).
        let mut found = dates::parse_text(t, fetch, lang).map(|d| ((d, "labelled-text"), i));
        let mut j = i + 1;
        while found.is_none() && j < dom.len().min(i + rules::DATE_LABEL_LOOKAHEAD_NODES) {
            found = match dom.kind[j] {
                dom::Kind::Elem(e) if e.name() == "time" => e
                    .attr_value("datetime")
                    .and_then(dates::parse_machine)
                    .map(|d| ((d, "labelled-time"), j)),
                dom::Kind::Text(n) if !n.trim().is_empty() => {
                    if n.trim().len() > rules::DATE_TEXT_MAX_CHARS {
                        break;
                    }
                    dates::parse_text(n, fetch, lang).map(|d| ((d, "labelled-text"), j))
                }
                _ => None,
            };
            j += 1;
        }
        if let Some((d, at)) = found {
            if !in_comments(dom, at) && !in_repeated_block(dom, at) {
                if !is_update {
                    return Some((d, at, false));
                }
                update.get_or_insert((d, at, true));
            }
        }
    }
    update
}

/// Whether the date at `i` is labelled as a modification ("Updated", "Last modified",
/// `itemprop="dateModified"`, `class="updated"`). The nearest label decides: the date's own
/// text, then the short label text just before it, then the element's `itemprop` and classes,
/// then its parents' classes. A headline or a class list far up the page says nothing of it
/// ("… for First Timers" is not a "first published").
fn is_update_label(dom: &dom::Dom<'_>, i: usize) -> bool {
    let own = match dom.kind[i] {
        dom::Kind::Text(t) => t.to_string(),
        _ => dom.text_of(i, &|_| false),
    };
    if let Some(v) = verdict(&own, true) {
        return v;
    }
    // The label is often its own text node just before the date ("Last updated on" <a>date</a>).
    let mut seen = 0;
    let mut j = i;
    while j > 0 && seen < 2 {
        j -= 1;
        if dom.end[j] as usize > i {
            continue; // an ancestor of the date
        }
        if let dom::Kind::Text(t) = dom.kind[j] {
            let t = t.trim();
            if t.is_empty() {
                continue;
            }
            if t.chars().count() > rules::DATE_LABEL_MAX_CHARS {
                break;
            }
            if let Some(v) = verdict(t, true) {
                return v;
            }
            seen += 1;
        }
    }
    let element = match dom.kind[i] {
        dom::Kind::Elem(_) => Some(i),
        _ => None,
    };
    for a in element.into_iter().chain(dom.ancestors(i).take(2)) {
        if let Some(prop) = dom.elem(a).and_then(|e| e.attr_value("itemprop")) {
            if let Some(v) = verdict(prop, false) {
                return v;
            }
        }
        if let Some(v) = verdict(metadata::signature(dom, a), false) {
            return v;
        }
    }
    false
}

fn sanitize(html: &str) -> String {
    if html.is_empty() {
        return String::new();
    }
    SANITIZER.clean(html).to_string()
}

/// The sanitiser's settings, made once (building them costs about as much as cleaning a
/// short article).
static SANITIZER: std::sync::LazyLock<ammonia::Builder<'static>> = std::sync::LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_relative(ammonia::UrlRelative::PassThrough);
    b
});

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

/// Words (Chinese and Japanese counted by the character) and CJK characters of `text`, in one
/// pass: what `Article::word_count` and `reading_minutes` need.
fn word_counts(text: &str) -> (usize, usize) {
    let (mut words, mut all_cjk) = (0, 0);
    for w in text.split_whitespace() {
        let (mut cjk, mut alphanumeric) = (0, false);
        for c in w.chars() {
            if is_cjk(c) {
                cjk += 1;
            } else if !alphanumeric && c.is_alphanumeric() {
                alphanumeric = true;
            }
        }
        if cjk > 0 {
            // Chinese and Japanese are not space-separated: count characters (Korean is, but
            // counting its syllables keeps reading time comparable).
            words += cjk;
            all_cjk += cjk;
        } else if alphanumeric {
            words += 1;
        }
    }
    (words, all_cjk)
}

/// Reading time from [`word_counts`]'s figures.
fn reading_minutes((words, cjk): (usize, usize)) -> u32 {
    let other = words.saturating_sub(cjk);
    // ≈ 230 words a minute for alphabetic scripts, ≈ 500 characters for CJK.
    let m = other as f64 / 230.0 + cjk as f64 / 500.0;
    if m == 0.0 {
        0
    } else {
        m.ceil().max(1.0) as u32
    }
}

fn confidence(sel: &content::Selection, article_type: bool, a: &Article) -> f32 {
    if a.text.is_empty() {
        return 0.0;
    }
    let prose = sel.selected_prose as f32;
    let volume = (prose / 1500.0).min(1.0);
    let share = if sel.page_prose == 0 {
        0.0
    } else {
        prose / sel.page_prose as f32
    };
    let mut c = 0.15 + 0.45 * volume + 0.2 * share.min(1.0);
    if article_type {
        c += 0.1;
    }
    if a.title.is_some() {
        c += 0.05;
    }
    if a.published.is_some() {
        c += 0.05;
    }
    if prose < 200.0 {
        c *= 0.5;
    }
    c.clamp(0.0, 1.0)
}

/// ISO 639-1 where it exists (what `lang` attributes use), else whatlang's ISO 639-3 code.
fn lang_code(l: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match l {
        Eng => "en",
        Fra => "fr",
        Deu => "de",
        Spa => "es",
        Ita => "it",
        Por => "pt",
        Nld => "nl",
        Rus => "ru",
        Ukr => "uk",
        Pol => "pl",
        Ces => "cs",
        Slk => "sk",
        Swe => "sv",
        Dan => "da",
        Nob => "nb",
        Fin => "fi",
        Est => "et",
        Lav => "lv",
        Lit => "lt",
        Hun => "hu",
        Ron => "ro",
        Bul => "bg",
        Srp => "sr",
        Hrv => "hr",
        Slv => "sl",
        Ell => "el",
        Tur => "tr",
        Ara => "ar",
        Heb => "he",
        Pes => "fa",
        Urd => "ur",
        Hin => "hi",
        Ben => "bn",
        Tam => "ta",
        Tel => "te",
        Mar => "mr",
        Guj => "gu",
        Kan => "kn",
        Mal => "ml",
        Pan => "pa",
        Tha => "th",
        Vie => "vi",
        Ind => "id",
        Jpn => "ja",
        Kor => "ko",
        Cmn => "zh",
        Cat => "ca",
        Epo => "eo",
        Afr => "af",
        Bel => "be",
        Kat => "ka",
        Hye => "hy",
        Aze => "az",
        Uzb => "uz",
        Yid => "yi",
        Lat => "la",
        Jav => "jv",
        Khm => "km",
        Mya => "my",
        Sin => "si",
        Nep => "ne",
        Amh => "am",
        Zul => "zu",
        Sna => "sn",
        Aka => "ak",
        Ori => "or",
        Tuk => "tk",
        Tgl => "tl",
        Mkd => "mk",
    }
}

/// Describes the chosen article container(s): for tuning with the corpus, not for the app.
#[doc(hidden)]
pub fn debug_selection(bytes: &[u8]) -> String {
    let (text, _, _) = charset::decode(bytes, None, None);
    let doc = scraper::Html::parse_document(&guard::prepare(&text));
    let dom = dom::Dom::new(&doc);
    let skip = content::base_skip(&dom);
    let sel = content::select(&dom, skip);
    let found = metadata::collect(&dom, &|i| sel.skip[i], None);
    let (title, at) = resolve_title(&dom, &found, &sel, &[]);
    let range = header_range(&dom, &sel, at);
    let shown = shown_date(&dom, &sel, at, None, None, &[]);
    let mut out = format!(
        "page_prose={} selected_prose={} title={title:?} at={at:?} header={range:?} shown={shown:?}\n",
        sel.page_prose, sel.selected_prose
    );
    out.push_str(&format!(
        "authors={:?}\norg_authors={:?}\npublished={:?}\ntitles={:?} tag={:?}\nheader_byline={:?}\n",
        found.authors,
        found.org_authors,
        found.published,
        found.titles,
        found.title_tag,
        header_byline(&dom, &sel, at)
    ));
    if let Some((_, i, _)) = &shown {
        let path: Vec<String> = std::iter::once(*i)
            .chain(dom.ancestors(*i).take(3))
            .map(|a| format!("{}[{}]", dom.tag(a), metadata::signature(&dom, a)))
            .collect();
        out.push_str(&format!("shown at {i}: {}\n", path.join(" < ")));
    }
    for &r in &sel.roots {
        let path: Vec<String> = std::iter::once(r)
            .chain(dom.ancestors(r))
            .map(|a| format!("{}[{}]", dom.tag(a), metadata::signature(&dom, a)))
            .collect();
        out.push_str(&format!("root {r}: {}\n", path.join(" < ")));
    }
    let removed: Vec<String> = (0..dom.len())
        .filter(|&i| sel.removed[i] && !dom.ancestors(i).take(200).any(|a| sel.removed[a]))
        .map(|i| {
            format!(
                "  removed {}[{}] {}",
                dom.tag(i),
                metadata::signature(&dom, i),
                dom.text_of(i, &|_| false)
                    .chars()
                    .take(80)
                    .collect::<String>()
            )
        })
        .collect();
    out.push_str(&removed.join("\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::site_domain;

    #[test]
    fn site_domain_drops_subdomains_not_public_suffixes() {
        assert_eq!(
            site_domain("promotions.example.com").as_deref(),
            Some("example.com")
        );
        assert_eq!(site_domain("www.example.com"), None);
        assert_eq!(site_domain("news.bbc.co.uk"), None);
    }
}
