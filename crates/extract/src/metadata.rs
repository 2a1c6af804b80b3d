//! Metadata, gathered from every place a page states it, each value tagged with its source so
//! the caller can show where it came from. Order of trust: JSON-LD, OpenGraph / `article:*`,
//! `<meta>` (author, dates, `dc.*`, parsely, sailthru …), microdata, `<time datetime>`, visible
//! bylines and dates, URL patterns.

use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

use crate::dates;
use crate::dom::{Dom, ElementExt, Kind, collapse_ws};
use crate::rules;

/// A value and the name of where it came from.
pub(crate) type Sourced<T> = (T, &'static str);

#[derive(Default, Debug)]
pub(crate) struct Found {
    pub titles: Vec<Sourced<String>>,
    pub title_tag: Option<String>,
    pub authors: Vec<Sourced<Vec<String>>>,
    pub org_authors: Vec<Sourced<Vec<String>>>,
    pub published: Vec<Sourced<String>>,
    pub modified: Vec<Sourced<String>>,
    pub language: Vec<Sourced<String>>,
    pub site_name: Vec<Sourced<String>>,
    pub canonical: Vec<Sourced<String>>,
    pub image: Vec<Sourced<String>>,
    pub description: Vec<Sourced<String>>,
    pub base_href: Option<String>,
    pub is_article_type: bool,
}

/// Elements whose dates are about other pages: lists of related or recent posts, sidebars,
/// comment threads. "Never take a date from a related-post list."
static FOREIGN_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"related|recommend|sidebar|widget|comment|popular|trending|more-?stories|read-?next|",
        r"teaser|recent|latest|archive|footer|newsletter|promo|outbrain|taboola|carousel|slider|",
        r"next-?post|prev-?post|previous|post-?nav|nav-?links|card"
    ))
    .expect("static regex")
});
pub(crate) static BYLINE_CLASS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"byline|author|autor|auteur|writer|creator|contributor|reporter|journalist|firma|signature")
        .expect("static regex")
});
pub(crate) static BYLINE_EXCLUDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"author-?box|bio|about|avatar|comment|image|img|photo|pic|thumb|social|follow|twitter|mail|title|desc|role|job|position|date|time|related|widget|sidebar")
        .expect("static regex")
});
static DATE_CLASS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"publi|date|time|posted|dateline|byline|meta|fecha|datum|data")
        .expect("static regex")
});
/// `BYLINE_CLASS` or `DATE_CLASS`: one search tells most signatures (which have neither)
/// apart, instead of one per pattern.
static BYLINE_OR_DATE_CLASS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        "{}|{}",
        BYLINE_CLASS.as_str(),
        DATE_CLASS.as_str()
    ))
    .expect("static regex")
});
static MODIFIED_CLASS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"updat|modif|revis|aktualisiert|actualiz|mise-?a-?jour").expect("static regex")
});

/// The element's id and classes, lowercased (see [`Dom::signature`]; made once per element).
pub(crate) fn signature<'d>(dom: &'d Dom<'_>, i: usize) -> &'d str {
    dom.signature(i)
}

/// How far up `in_foreign_context` looks.
const FOREIGN_CONTEXT_DEPTH: usize = 64;

pub(crate) fn in_foreign_context(dom: &Dom<'_>, i: usize) -> bool {
    dom.ancestors(i)
        .take(FOREIGN_CONTEXT_DEPTH)
        .any(|a| is_foreign_container(dom, a))
}

/// An element that makes what it holds foreign (see `FOREIGN_CONTEXT`).
fn is_foreign_container(dom: &Dom<'_>, a: usize) -> bool {
    if matches!(dom.tag(a), "aside" | "nav" | "footer") {
        return true;
    }
    // (`FOREIGN_CONTEXT` has no match in an empty signature.)
    let sig = signature(dom, a);
    !sig.is_empty() && FOREIGN_CONTEXT.is_match(sig)
}

/// `in_foreign_context` for many elements of one page: the bylines and dates of a header share
/// their ancestors, whose verdicts are worked out once.
struct ForeignContext {
    /// Per node: `None` until asked, then `is_foreign_container`.
    verdicts: Vec<Option<bool>>,
}

impl ForeignContext {
    fn new(dom: &Dom<'_>) -> Self {
        ForeignContext {
            verdicts: vec![None; dom.len()],
        }
    }

    fn test(&mut self, dom: &Dom<'_>, i: usize) -> bool {
        dom.ancestors(i)
            .take(FOREIGN_CONTEXT_DEPTH)
            .any(|a| *self.verdicts[a].get_or_insert_with(|| is_foreign_container(dom, a)))
    }
}

/// The values of the attributes `names` (each as `ElementExt::attr_value` gives it), in one
/// pass over the element's attributes instead of one pass per name.
fn attr_values<'e, const K: usize>(
    e: &'e scraper::node::Element,
    names: [&str; K],
) -> [Option<&'e str>; K] {
    let mut out = [None; K];
    for (q, v) in e.attrs.iter() {
        if q.prefix.is_some() || !q.ns.is_empty() {
            continue;
        }
        let local: &str = &q.local;
        for (slot, name) in out.iter_mut().zip(names) {
            // The first attribute of that name, as `attr_value` finds it.
            if slot.is_none() && local == name {
                *slot = Some(&**v);
            }
        }
    }
    out
}

pub(crate) fn collect(
    dom: &Dom<'_>,
    skip: &dyn Fn(usize) -> bool,
    fetch: Option<chrono::DateTime<chrono::FixedOffset>>,
) -> Found {
    let mut f = Found::default();
    let mut metas: Vec<(String, &str)> = Vec::new();
    for i in 0..dom.len() {
        let Kind::Elem(e) = dom.kind[i] else { continue };
        match e.name() {
            "html" => {
                if let Some(l) = e.attr_value("lang").or_else(|| e.attr_value("xml:lang")) {
                    f.language.push((l.to_string(), "html-lang"));
                }
            }
            "meta" => {
                let key = e
                    .attr_value("property")
                    .or_else(|| e.attr_value("name"))
                    .or_else(|| e.attr_value("itemprop"))
                    .or_else(|| e.attr_value("http-equiv"));
                if let (Some(k), Some(c)) = (key, e.attr_value("content")) {
                    let c = c.trim();
                    if !c.is_empty() {
                        metas.push((k.trim().to_ascii_lowercase(), c));
                        if e.attr_value("itemprop").is_some()
                            && e.attr_value("property").is_none()
                            && e.attr_value("name").is_none()
                        {
                            microdata_meta(&mut f, &k.to_ascii_lowercase(), c);
                        }
                    }
                }
            }
            "link" => {
                let rel = e.attr_value("rel").unwrap_or("").to_ascii_lowercase();
                if rel.split_whitespace().any(|r| r == "canonical") {
                    if let Some(h) = e.attr_value("href") {
                        f.canonical.push((h.trim().to_string(), "link-canonical"));
                    }
                }
            }
            "base" if f.base_href.is_none() => {
                f.base_href = e.attr_value("href").map(|h| h.trim().to_string());
            }
            "title" if f.title_tag.is_none() => {
                let t = dom.text_of(i, &|_| false);
                if !t.is_empty() {
                    f.title_tag = Some(t);
                }
            }
            "script" => {
                let ty = e.attr_value("type").unwrap_or("").to_ascii_lowercase();
                if ty.contains("ld+json") {
                    let raw = dom.text_of_raw(i);
                    json_ld(&mut f, &raw);
                }
            }
            _ => {}
        }
    }
    meta_tags(&mut f, &metas);
    microdata_and_time(dom, &mut f, skip, fetch);
    f
}

impl Dom<'_> {
    /// Raw (uncollapsed) text of a node: script contents.
    pub(crate) fn text_of_raw(&self, i: usize) -> String {
        let mut s = String::new();
        for j in i..self.end[i] as usize {
            if let Kind::Text(t) = self.kind[j] {
                s.push_str(t);
            }
        }
        s
    }
}

fn microdata_meta(f: &mut Found, k: &str, c: &str) {
    match k {
        "datepublished" => push_date(&mut f.published, c, "microdata"),
        "datemodified" => push_date(&mut f.modified, c, "microdata"),
        "headline" => f.titles.push((c.to_string(), "microdata")),
        "inlanguage" => f.language.push((c.to_string(), "microdata")),
        _ => {}
    }
}

fn push_date(v: &mut Vec<Sourced<String>>, raw: &str, src: &'static str) {
    if let Some(d) = dates::parse_machine(raw) {
        v.push((d, src));
    }
}

fn push_authors(v: &mut Vec<Sourced<Vec<String>>>, raw: &str, src: &'static str) {
    let a = clean_authors(raw);
    if !a.is_empty() {
        v.push((a, src));
    }
}

fn meta_tags(f: &mut Found, metas: &[(String, &str)]) {
    // Two passes so OpenGraph outranks plain `<meta>` whatever their order in the page.
    for (k, c) in metas {
        let c = *c;
        match k.as_str() {
            "og:title" => f.titles.push((c.to_string(), "opengraph")),
            "og:site_name" => f.site_name.push((c.to_string(), "opengraph")),
            "og:image" | "og:image:url" | "og:image:secure_url" => {
                f.image.push((c.to_string(), "opengraph"))
            }
            "og:description" => f.description.push((c.to_string(), "opengraph")),
            "og:url" => f.canonical.push((c.to_string(), "opengraph")),
            "og:locale" => f.language.push((c.to_string(), "opengraph")),
            "og:type" if c.to_ascii_lowercase().contains("article") => {
                f.is_article_type = true;
            }
            "article:published_time" | "og:published_time" | "article:published" => {
                push_date(&mut f.published, c, "opengraph")
            }
            "article:modified_time" | "og:updated_time" | "article:modified" => {
                push_date(&mut f.modified, c, "opengraph")
            }
            "article:author" | "og:article:author" if !looks_like_url(c) => {
                push_authors(&mut f.authors, c, "opengraph")
            }
            _ => {}
        }
    }
    for (k, c) in metas {
        let c = *c;
        match k.as_str() {
            "twitter:title" | "dc.title" | "dcterms.title" | "parsely-title" | "sailthru.title" => {
                f.titles.push((c.to_string(), "meta"))
            }
            "author"
            | "dc.creator"
            | "dcterms.creator"
            | "parsely-author"
            | "sailthru.author"
            | "byl"
            | "citation_author"
            | "article.author"
            | "cxenseparse:author"
            | "twitter:creator:name"
            | "analyticsattributes.author"
            | "dc.contributor"
                if !looks_like_url(c) && !c.starts_with('@') =>
            {
                push_authors(&mut f.authors, c, "meta")
            }
            "date"
            | "pubdate"
            | "publishdate"
            | "publish-date"
            | "publish_date"
            | "published_time"
            | "publication_date"
            | "dc.date"
            | "dc.date.issued"
            | "dcterms.date"
            | "dcterms.issued"
            | "dcterms.created"
            | "dc.date.created"
            | "parsely-pub-date"
            | "sailthru.date"
            | "article.published"
            | "citation_date"
            | "citation_publication_date"
            | "original-publish-date"
            | "datepublished"
            | "article_date_original"
            | "cxenseparse:recs:publishtime"
            | "date.available"
            | "pub_date"
            | "release_date"
            | "og:article:published_time"
            | "displaydate"
            | "published-date"
            | "article:published_date"
            | "parsely-pub_date"
            | "publish_time"
            | "published" => push_date(&mut f.published, c, "meta"),
            "last-modified" | "dc.date.modified" | "dcterms.modified" | "article.updated"
            | "lastmod" | "revised" | "datemodified" | "updated" => {
                push_date(&mut f.modified, c, "meta")
            }
            "description" | "twitter:description" | "dc.description" => {
                f.description.push((c.to_string(), "meta"))
            }
            "twitter:image" | "twitter:image:src" | "thumbnail" => {
                f.image.push((c.to_string(), "meta"))
            }
            "application-name" | "apple-mobile-web-app-title" | "publisher" | "dc.publisher" => {
                f.site_name.push((c.to_string(), "meta"))
            }
            "content-language" | "language" | "dc.language" => {
                f.language.push((c.to_string(), "meta"))
            }
            _ => {}
        }
    }
    // Twitter's label/data pairs (Yoast prints `twitter:label1 = "Written by"`,
    // `twitter:data1 = the author`).
    for (k, c) in metas {
        let Some(n) = k.strip_prefix("twitter:label") else {
            continue;
        };
        let label = c.trim().to_ascii_lowercase();
        if !matches!(
            label.as_str(),
            "written by" | "author" | "by" | "auteur" | "autor"
        ) {
            continue;
        }
        let key = format!("twitter:data{n}");
        if let Some((_, d)) = metas.iter().find(|(k, _)| *k == key) {
            if !looks_like_url(d) && !d.starts_with('@') {
                push_authors(&mut f.authors, d, "meta");
            }
        }
    }
}

/// Author pages' paths, ASCII case-insensitive (what a lowercased copy searched with `contains`
/// found, without the copy).
static AUTHOR_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i-u)/(authors?|writers?|autor|auteur|autore|redacteur|journalist|people|staff|",
        r"profiles?|contributors?|team)/|\?author="
    ))
    .expect("static regex")
});

/// Author archive links (`/author/jane-doe/`, `/authors/…`, `/writers/…`, `/profile/…`): their
/// text is a byline on nearly every CMS.
pub(crate) fn is_author_url(href: &str) -> bool {
    AUTHOR_URL.is_match(href)
}

fn looks_like_url(s: &str) -> bool {
    s.starts_with("http://")
        || s.starts_with("https://")
        || s.starts_with("www.")
        || s.starts_with('/')
}

// ---------------------------------------------------------------------------------------------
// JSON-LD
// ---------------------------------------------------------------------------------------------

fn parse_json_lenient(raw: &str) -> Option<Value> {
    let t = raw
        .trim()
        .trim_start_matches("<!--")
        .trim_end_matches("-->")
        .trim();
    let t = t
        .trim_start_matches("//<![CDATA[")
        .trim_end_matches("//]]>")
        .trim();
    if let Ok(v) = serde_json::from_str(t) {
        return Some(v);
    }
    // Raw newlines and tabs inside strings are the commonest breakage.
    let cleaned: String = t
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if let Ok(v) = serde_json::from_str(&cleaned) {
        return Some(v);
    }
    // Trailing junk (a stray `;`) after the value.
    let mut de = serde_json::Deserializer::from_str(&cleaned).into_iter::<Value>();
    de.next().and_then(Result::ok)
}

fn type_names(v: &Value) -> Vec<String> {
    match v.get("@type") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}

fn is_article_type(t: &str) -> bool {
    let t = t.rsplit('/').next().unwrap_or(t);
    t.ends_with("Article")
        || t.ends_with("BlogPosting")
        || t == "Report"
        || t == "Review"
        || t == "Posting"
        || t == "SocialMediaPosting"
        || t == "LiveBlogPosting"
        || t == "Recipe"
        || t == "HowTo"
        || t == "Guide"
}

fn str_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => {
            let s = collapse_ws(&html_unescape(s));
            (!s.is_empty()).then_some(s)
        }
        Value::Array(a) => a.iter().find_map(|x| str_of(Some(x))),
        Value::Object(o) => str_of(o.get("name")).or_else(|| str_of(o.get("@value"))),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn url_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Array(a) => a.iter().find_map(|x| url_of(Some(x))),
        Value::Object(o) => url_of(o.get("url"))
            .or_else(|| url_of(o.get("contentUrl")))
            .or_else(|| url_of(o.get("@id"))),
        _ => None,
    }
}

/// JSON-LD strings sometimes carry HTML entities (`&amp;`, `&#8217;`).
fn html_unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let frag = scraper::Html::parse_fragment(s);
    frag.root_element().text().collect()
}

fn json_ld(f: &mut Found, raw: &str) {
    let Some(root) = parse_json_lenient(raw) else {
        return;
    };
    // Flatten: every object anywhere (top level, arrays, `@graph`), with an explicit stack.
    let mut objects: Vec<&Value> = Vec::new();
    let mut stack: Vec<(&Value, usize)> = vec![(&root, 0)];
    while let Some((v, depth)) = stack.pop() {
        if depth > rules::MAX_JSON_DEPTH {
            continue;
        }
        match v {
            Value::Array(a) => stack.extend(a.iter().rev().map(|x| (x, depth + 1))),
            Value::Object(o) => {
                objects.push(v);
                if let Some(g) = o.get("@graph") {
                    stack.push((g, depth + 1));
                }
                if let Some(m) = o.get("mainEntity") {
                    stack.push((m, depth + 1));
                }
            }
            _ => {}
        }
    }
    let by_id = |id: &str| -> Option<&Value> {
        objects.iter().copied().find(|o| {
            o.get("@id").and_then(Value::as_str) == Some(id)
                && o.as_object().is_some_and(|m| m.len() > 1)
        })
    };
    let mut article_found = false;
    for o in &objects {
        let types = type_names(o);
        if types
            .iter()
            .any(|t| t == "WebSite" || t == "Organization" || t == "NewsMediaOrganization")
            && types.iter().all(|t| !is_article_type(t))
        {
            if types.iter().any(|t| t == "WebSite") {
                if let Some(n) = str_of(o.get("name")) {
                    f.site_name.push((n, "json-ld"));
                }
            }
            continue;
        }
        let article = types.iter().any(|t| is_article_type(t));
        let page = types
            .iter()
            .any(|t| t.ends_with("WebPage") || t == "ItemPage");
        if !article && !page {
            continue;
        }
        if article {
            if article_found {
                continue; // the first article object describes the page; later ones are lists
            }
            article_found = true;
            f.is_article_type = true;
        }
        let src = "json-ld";
        if article {
            if let Some(h) = str_of(o.get("headline")).or_else(|| str_of(o.get("name"))) {
                f.titles.insert(0, (h, src));
            }
            if let Some(a) = o.get("author").or_else(|| o.get("creator")) {
                let mut names = Vec::new();
                let list: Vec<&Value> = match a {
                    Value::Array(v) => v.iter().collect(),
                    other => vec![other],
                };
                let mut orgs = Vec::new();
                for item in list {
                    let resolved = match item.get("@id").and_then(Value::as_str) {
                        Some(id) if item.get("name").is_none() => by_id(id).unwrap_or(item),
                        _ => item,
                    };
                    let org = type_names(resolved)
                        .iter()
                        .any(|t| t.contains("Organization") || t == "Corporation");
                    if let Some(n) = str_of(Some(resolved)) {
                        if !looks_like_url(&n) {
                            if org {
                                orgs.extend(clean_authors(&n))
                            } else {
                                names.extend(clean_authors(&n))
                            }
                        }
                    }
                }
                dedupe(&mut names);
                if !names.is_empty() {
                    f.authors.insert(0, (names, src));
                }
                if !orgs.is_empty() {
                    // An organisation as author is a fallback: a visible byline names people.
                    f.org_authors.push((orgs, src));
                }
            }
            if let Some(p) = o.get("publisher") {
                let resolved = match p.get("@id").and_then(Value::as_str) {
                    Some(id) if p.get("name").is_none() => by_id(id).unwrap_or(p),
                    _ => p,
                };
                if let Some(n) = str_of(Some(resolved)) {
                    f.site_name.push((n, src));
                }
            }
            if let Some(i) = url_of(o.get("image")).or_else(|| url_of(o.get("thumbnailUrl"))) {
                f.image.insert(0, (i, src));
            }
            if let Some(d) = str_of(o.get("description")) {
                f.description.insert(0, (d, src));
            }
        }
        let (pubs, mods) = (f.published.len(), f.modified.len());
        if let Some(d) = str_of(o.get("datePublished")).or_else(|| str_of(o.get("dateCreated"))) {
            if let Some(d) = dates::parse_machine(&d) {
                // Article dates outrank a WebPage's; keep them first.
                if article {
                    f.published.insert(0, (d, src))
                } else {
                    f.published.insert(pubs.min(f.published.len()), (d, src))
                }
            }
        }
        if let Some(d) = str_of(o.get("dateModified")) {
            if let Some(d) = dates::parse_machine(&d) {
                if article {
                    f.modified.insert(0, (d, src))
                } else {
                    f.modified.insert(mods.min(f.modified.len()), (d, src))
                }
            }
        }
        if let Some(l) = str_of(o.get("inLanguage")) {
            f.language.push((l, src));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Microdata, <time>, bylines
// ---------------------------------------------------------------------------------------------

fn microdata_and_time(
    dom: &Dom<'_>,
    f: &mut Found,
    skip: &dyn Fn(usize) -> bool,
    fetch: Option<chrono::DateTime<chrono::FixedOffset>>,
) {
    let mut time_pub: Vec<(u8, String)> = Vec::new();
    let mut time_mod: Vec<String> = Vec::new();
    let mut bylines: Vec<(u8, Vec<String>)> = Vec::new();
    let mut text_dates: Vec<(u8, String)> = Vec::new();
    let mut foreign = ForeignContext::new(dom);
    for i in 0..dom.len() {
        let Kind::Elem(e) = dom.kind[i] else { continue };
        let name = e.name();
        if matches!(
            name,
            "script" | "style" | "head" | "meta" | "link" | "title"
        ) {
            continue;
        }
        let [itemprop, rel, href] = attr_values(e, ["itemprop", "rel", "href"]);
        let itemprop = itemprop.map(str::to_ascii_lowercase);
        match itemprop.as_deref() {
            Some("author") | Some("creator") if !foreign.test(dom, i) => {
                // The name may be a nested itemprop="name" or the element's own text.
                let name = (i + 1..dom.end[i] as usize)
                    .find(|&j| {
                        dom.attr(j, "itemprop")
                            .is_some_and(|p| p.eq_ignore_ascii_case("name"))
                    })
                    .map(|j| {
                        dom.attr(j, "content")
                            .map(String::from)
                            .unwrap_or_else(|| dom.text_of(j, skip))
                    })
                    .or_else(|| e.attr_value("content").map(String::from))
                    .unwrap_or_else(|| dom.text_of(i, skip));
                if name.chars().count() < 120 {
                    let a = clean_authors(&name);
                    if !a.is_empty() {
                        bylines.push((0, a));
                    }
                }
            }
            Some("datepublished") | Some("datecreated") if name != "meta" => {
                if let Some(d) = e
                    .attr_value("datetime")
                    .or_else(|| e.attr_value("content"))
                    .and_then(dates::parse_machine)
                {
                    f.published.push((d, "microdata"));
                }
            }
            Some("datemodified") if name != "meta" => {
                if let Some(d) = e
                    .attr_value("datetime")
                    .or_else(|| e.attr_value("content"))
                    .and_then(dates::parse_machine)
                {
                    f.modified.push((d, "microdata"));
                }
            }
            Some("headline") if name != "meta" => {
                let t = dom.text_of(i, skip);
                if !t.is_empty() && t.len() < 400 {
                    f.titles.push((t, "microdata"));
                }
            }
            _ => {}
        }
        if name == "time" && !foreign.test(dom, i) {
            let raw = e
                .attr_value("datetime")
                .map(String::from)
                .unwrap_or_else(|| dom.text_of(i, skip));
            if let Some(d) = dates::parse_machine(&raw) {
                let mut ctx = signature(dom, i).to_string();
                for a in dom.ancestors(i).take(3) {
                    ctx.push(' ');
                    ctx.push_str(signature(dom, a));
                }
                if MODIFIED_CLASS.is_match(&ctx) && !ctx.contains("publi") {
                    time_mod.push(d);
                } else {
                    let rank = if e.attr_value("pubdate").is_some() || ctx.contains("publi") {
                        0
                    } else {
                        1
                    };
                    time_pub.push((rank, d));
                }
            }
        }
        // Bylines and dates are small elements: larger ones are not looked at further.
        let text_len_ok = dom.end[i] as usize - i < 60;
        if !text_len_ok {
            continue;
        }
        let sig = signature(dom, i);
        // (The class patterns have no match in an empty signature.)
        let byline_or_date = !sig.is_empty() && BYLINE_OR_DATE_CLASS.is_match(sig);
        let rel_author = rel.is_some_and(|r| r.eq_ignore_ascii_case("author"))
            || (name == "a" && href.is_some_and(is_author_url));
        if (rel_author
            || (byline_or_date && BYLINE_CLASS.is_match(sig) && !BYLINE_EXCLUDE.is_match(sig)))
            && !foreign.test(dom, i)
        {
            let t = dom.text_of(i, skip);
            let n = t.chars().count();
            if (2..160).contains(&n) {
                let a = clean_authors(&t);
                if !a.is_empty() {
                    bylines.push((if rel_author { 1 } else { 2 }, a));
                }
            }
        }
        if byline_or_date && DATE_CLASS.is_match(sig) && !foreign.test(dom, i) {
            let t = dom.text_of(i, skip);
            if t.chars().count() < 200 {
                if let Some(d) = dates::parse_text(&t, fetch, None) {
                    text_dates.push((if sig.contains("publi") { 0 } else { 1 }, d));
                }
            }
        }
    }
    time_pub.sort_by_key(|(r, _)| *r);
    f.published
        .extend(time_pub.into_iter().map(|(_, d)| (d, "time-element")));
    f.modified
        .extend(time_mod.into_iter().map(|d| (d, "time-element")));
    bylines.sort_by_key(|(r, _)| *r);
    f.authors.extend(bylines.into_iter().map(|(r, a)| {
        // itemprop=author is declared; class and rel=author are guesses from markup.
        (
            a,
            if r == 0 {
                "microdata"
            } else {
                "byline-element"
            },
        )
    }));
    text_dates.sort_by_key(|(r, _)| *r);
    f.published
        .extend(text_dates.into_iter().map(|(_, d)| (d, "date-text")));
}

// ---------------------------------------------------------------------------------------------
// Cleaning
// ---------------------------------------------------------------------------------------------

static MONTH_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}$|^the author$|^admin$|^author$|^staff$")
        .expect("static regex")
});

static AUTHOR_SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?:,|;|\s&\s|\sand\s|\set\s|\sund\s|\sy\s|\se\s|\sen\s|\s\+\s|/)\s*")
        .expect("static regex")
});

/// Lower-case function words between capitalised ones: an organisation's name, not a person's.
static ORGANISATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{Lu}\S*\s(?:for|of)\s\p{Lu}").expect("static regex"));
/// Splits an organisation's byline: only on list punctuation.
static LIST_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*(?:,|;|/)\s*").expect("static regex"));

fn dedupe(v: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    v.retain(|s| seen.insert(s.to_lowercase()));
}

/// Turns a byline into names: no "By/Par/Von…" prefix, no date, role or e-mail glued on.
pub(crate) fn clean_authors(raw: &str) -> Vec<String> {
    let mut s = collapse_ws(raw);
    for _ in 0..2 {
        let stripped = rules::AUTHOR_PREFIX.replace(&s, "").into_owned();
        if stripped == s {
            break;
        }
        s = stripped;
    }
    if let Some(m) = rules::AUTHOR_TAIL.find(&s) {
        s.truncate(m.start());
    }
    if let Some(m) = rules::NOT_AUTHOR_CREDIT.find(&s).filter(|m| m.start() > 0) {
        s.truncate(m.start());
    }
    let s = s.trim_matches(|c: char| c.is_whitespace() || ",;:|-–—·•".contains(c));
    // "Doe, Jane" (library style, common in `<meta name=author>`): one comma between two
    // single words is a surname first, not two authors.
    if let Some((last, first)) = s.split_once(',') {
        let (last, first) = (last.trim(), first.trim());
        if !first.contains(',')
            && last.split_whitespace().count() == 1
            && first.split_whitespace().count() == 1
            && !rules::AUTHOR_ROLE.is_match(first)
            && first.chars().next().is_some_and(char::is_uppercase)
        {
            return vec![format!("{first} {last}")];
        }
    }
    // A byline printed twice in one element ("Jane Doe Jane Doe": a visible and a
    // screen-reader copy) is one byline.
    let words: Vec<&str> = s.split_whitespace().collect();
    let half = words.len() / 2;
    let twice;
    let s = if half > 0 && words.len() % 2 == 0 && words[..half] == words[half..] {
        twice = words[..half].join(" ");
        twice.as_str()
    } else {
        s
    };
    // An organisation ("Center for Drug Evaluation and Research") is one name: its "and"
    // does not join two people.
    let split: &Regex = if ORGANISATION.is_match(s) {
        &LIST_SPLIT
    } else {
        &AUTHOR_SPLIT
    };
    let mut out = Vec::new();
    for part in split.split(s) {
        let p = part.trim_matches(|c: char| c.is_whitespace() || ",;:|-–—·•.()".contains(c));
        let p = rules::AUTHOR_PREFIX.replace(p, "");
        let p = p.trim();
        // A count after a name ("Jane Doe 4": her post count) is not part of it.
        let p = match p.rsplit_once(' ') {
            Some((name, n))
                if n.chars().all(|c| c.is_ascii_digit())
                    && name.split(' ').count() >= 2
                    && name.split(' ').all(|w| {
                        w.chars().next().is_some_and(char::is_uppercase)
                            && w.chars().all(char::is_alphabetic)
                    }) =>
            {
                name
            }
            _ => p,
        };
        if p.is_empty() {
            continue;
        }
        if rules::AUTHOR_ROLE.is_match(p) && !out.is_empty() {
            // "Jane Doe, Trial Attorney at Smith & Jones": the rest is the employer.
            if p.contains(" at ") || p.contains(" of ") {
                break;
            }
            continue;
        }
        // An unrendered template variable ("page.head.extra.author").
        if p.contains(['{', '}'])
            || (!p.contains(' ')
                && p.matches('.').count() >= 2
                && p.split('.').all(|w| w.len() >= 3 && w == w.to_lowercase()))
        {
            continue;
        }
        let words = p.split_whitespace().count();
        let chars = p.chars().count();
        if words == 0
            || words > 6
            || !(2..=60).contains(&chars)
            || !p.chars().any(char::is_alphabetic)
        {
            continue;
        }
        if p.contains("http")
            || p.contains('@')
            || p.contains("www.")
            || dates::parse_text(p, None, None).is_some()
            || MONTH_ONLY.is_match(p)
        {
            continue;
        }
        out.push(p.to_string());
    }
    dedupe(&mut out);
    out
}

const TITLE_SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " :: ", " · ", " • ", " / ", " « ", " » ", " ~ ", " > ", ": ",
];

/// Where each of `TITLE_SEPARATORS` first and last starts in a title (what `find` and `rfind`
/// give), found in one pass over it: a title is searched for every separator, from both ends.
struct Separators {
    at: [Option<(usize, usize)>; TITLE_SEPARATORS.len()],
}

impl Separators {
    fn of(t: &str) -> Self {
        let mut at = [None; TITLE_SEPARATORS.len()];
        let bytes = t.as_bytes();
        for i in 0..bytes.len() {
            // Every separator starts with one of these (ASCII, so `i` starts a character).
            if !matches!(bytes[i], b' ' | b':') {
                continue;
            }
            for (slot, sep) in at.iter_mut().zip(TITLE_SEPARATORS) {
                if bytes[i..].starts_with(sep.as_bytes()) {
                    let first = slot.map_or(i, |(first, _)| first);
                    *slot = Some((first, i));
                }
            }
        }
        Separators { at }
    }

    fn slot(&self, sep: &str) -> Option<(usize, usize)> {
        let k = TITLE_SEPARATORS.iter().position(|s| *s == sep)?;
        self.at[k]
    }

    /// `t.find(sep)`.
    fn first(&self, sep: &str) -> Option<usize> {
        self.slot(sep).map(|(first, _)| first)
    }

    /// `t.rfind(sep)`.
    fn last(&self, sep: &str) -> Option<usize> {
        self.slot(sep).map(|(_, last)| last)
    }
}

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// `norm(s) == n`, without making `norm(s)` (and stopping at the first difference).
fn norm_is(s: &str, n: &str) -> bool {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .eq(n.chars())
}

/// `!norm(s).is_empty()`: a letter or digit (each lowercases to at least one character).
fn has_alphanumeric(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

/// Whether `norm_h` (normalised) is the first or last part of `title` split at a separator
/// ("Blog name | Post", "Post - Blog name"), with something else in the rest.
pub(crate) fn is_title_end(title: &str, norm_h: &str) -> bool {
    let at = Separators::of(title);
    TITLE_SEPARATORS.iter().any(|sep| {
        let first = at
            .first(sep)
            .map(|p| (&title[..p], &title[p + sep.len()..]));
        let last = at.last(sep).map(|p| (&title[p + sep.len()..], &title[..p]));
        [first, last]
            .into_iter()
            .flatten()
            .any(|(end, rest)| norm_is(end, norm_h) && has_alphanumeric(rest))
    })
}

/// Removes a site name glued before or after a title (" - Site", " | Site", "Site : …").
pub(crate) fn clean_title(title: &str, site_names: &[String]) -> String {
    let t = collapse_ws(title);
    let sites: Vec<String> = site_names
        .iter()
        .map(|s| norm(s))
        .filter(|s| s.len() >= 2)
        .collect();
    let at = Separators::of(&t);
    // (Without a site name, no segment is one: nothing to normalise.)
    for sep in TITLE_SEPARATORS.iter().filter(|_| !sites.is_empty()) {
        if let Some(pos) = at.last(sep) {
            let (head, tail) = (&t[..pos], &t[pos + sep.len()..]);
            let nt = norm(tail);
            if sites
                .iter()
                .any(|s| nt == *s || (nt.contains(s.as_str()) && nt.len() < s.len() + 12))
            {
                return clean_title(head, site_names);
            }
        }
        if let Some(pos) = at.first(sep) {
            let (head, tail) = (&t[..pos], &t[pos + sep.len()..]);
            if sites.iter().any(|s| norm_is(head, s)) && !tail.trim().is_empty() {
                return clean_title(tail, site_names);
            }
        }
    }
    // A domain name printed before the title without a separator ("example.com Title").
    for site in site_names
        .iter()
        .filter(|s| s.contains('.') && !s.contains(' '))
    {
        if let Some(rest) = t
            .get(..site.len())
            .filter(|head| head.eq_ignore_ascii_case(site))
            .and_then(|_| t[site.len()..].strip_prefix(' '))
        {
            if !rest.trim().is_empty() {
                return clean_title(rest, site_names);
            }
        }
    }
    // No known site name: drop a short last segment after a strong separator when what is
    // left still reads as a headline.
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " • "] {
        if let Some(pos) = at.last(sep) {
            let (head, tail) = (&t[..pos], &t[pos + sep.len()..]);
            if tail.split_whitespace().count() <= 4 && head.split_whitespace().count() >= 3 {
                return head.trim().to_string();
            }
        }
    }
    t
}

/// A headline's trailing segment after a spaced dash or bar is a tag line or a section name
/// ("… | Opinion", "… – Top 19 Companies"); the headline is what comes before, if that still
/// reads as one (three words or more).
pub(crate) fn strip_subtitle(h: &str) -> String {
    let t = collapse_ws(h);
    let at = Separators::of(&t);
    for sep in [" | ", " – ", " — ", " - "] {
        if let Some(pos) = at.last(sep) {
            let (head, tail) = (&t[..pos], &t[pos + sep.len()..]);
            if head.split_whitespace().count() >= 3 && tail.split_whitespace().count() <= 6 {
                // "Title | Section | Site": the next tag line off too.
                return strip_subtitle(head);
            }
        }
    }
    t
}

/// Language tag to its primary subtag: `fr-FR` → `fr`, `en_US` → `en`.
pub(crate) fn primary_subtag(tag: &str) -> Option<String> {
    let p = tag
        .trim()
        .split(['-', '_', ',', ';', ' '])
        .next()?
        .to_ascii_lowercase();
    (p.len() >= 2 && p.len() <= 3 && p.chars().all(|c| c.is_ascii_alphabetic())).then_some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_prefixes_and_tails_are_removed() {
        assert_eq!(clean_authors("Par David Igue"), vec!["David Igue"]);
        assert_eq!(
            clean_authors("By Jane Doe and John Roe"),
            vec!["Jane Doe", "John Roe"]
        );
        assert_eq!(
            clean_authors("Von Max Mustermann | 12.11.2020"),
            vec!["Max Mustermann"]
        );
        assert_eq!(
            clean_authors("Por Ana García - 12 de noviembre de 2020"),
            vec!["Ana García"]
        );
        assert_eq!(clean_authors("Jane Doe, Senior Reporter"), vec!["Jane Doe"]);
        assert_eq!(
            clean_authors("by JANE DOE Updated 3 hours ago"),
            vec!["JANE DOE"]
        );
        assert_eq!(
            clean_authors("Center for Drug Evaluation and Research"),
            vec!["Center for Drug Evaluation and Research"]
        );
        assert_eq!(clean_authors("Jane Doe Jane Doe"), vec!["Jane Doe"]);
        assert_eq!(clean_authors("Jane Doe 4"), vec!["Jane Doe"]);
        assert_eq!(
            clean_authors("Jane Doe, Trial Attorney at Smith & Jones"),
            vec!["Jane Doe"]
        );
        assert!(clean_authors("page.head.extra.author").is_empty());
        assert_eq!(clean_authors("Authored by: Jane Doe"), vec!["Jane Doe"]);
    }

    #[test]
    fn separators_are_found_as_find_and_rfind_find_them() {
        for t in [
            "",
            "A | B | C",
            "A - - B",
            "Le Monde : IPTV – démantelé — x :: y · z • w / v « u » t ~ s > r: q",
            "a: b:: c ::: d",
            "   ",
        ] {
            let at = Separators::of(t);
            for sep in TITLE_SEPARATORS {
                assert_eq!(at.first(sep), t.find(sep), "{t:?} {sep:?}");
                assert_eq!(at.last(sep), t.rfind(sep), "{t:?} {sep:?}");
            }
        }
    }

    #[test]
    fn title_ends_are_found() {
        assert!(is_title_end(
            "Notes on scrapers | Workbench Diaries",
            "workbenchdiaries"
        ));
        assert!(is_title_end(
            "Engora Data Blog: Small models",
            "engoradatablog"
        ));
        assert!(!is_title_end("Workbench Diaries", "workbenchdiaries"));
        assert!(!is_title_end(
            "Notes on scrapers | Workbench Diaries",
            "notes"
        ));
    }

    #[test]
    fn title_suffixes_are_removed() {
        let site = vec!["Le Monde Numérique".to_string()];
        assert_eq!(
            clean_title("IPTV : un réseau démantelé - Le Monde Numérique", &site),
            "IPTV : un réseau démantelé"
        );
        assert_eq!(
            clean_title("Le Monde Numérique : IPTV démantelé", &site),
            "IPTV démantelé"
        );
        assert_eq!(
            clean_title("A long headline about things | Example", &[]),
            "A long headline about things"
        );
        assert_eq!(
            clean_title("Spider-Man - the review", &[]),
            "Spider-Man - the review"
        );
        let host = vec!["example.com".to_string()];
        assert_eq!(clean_title("example.com Vibe Coding", &host), "Vibe Coding");
        assert_eq!(
            clean_title("GAME CHANGER | Example.com", &host),
            "GAME CHANGER"
        );
        assert_eq!(
            strip_subtitle("How to sleep through the night | Patient Education | Hospital"),
            "How to sleep through the night"
        );
    }
}
