//! One address (or one page in hand) to one clipping: fetch, extract, download the images,
//! store it all in one transaction.

use std::collections::HashSet;
use std::sync::Arc;

use clipbook_extract::Article;
use clipbook_store::{Library, NewClipping, NewImage, PrintVersion, StoreError};
use tokio::sync::Semaphore;
use url::Url;

use crate::error::ClipError;
use crate::http::{FetchConfig, Page, fetch_image, fetch_page};

/// Below this many words, what the extractor found is a stub, a teaser or a form, not an article.
const MIN_ARTICLE_WORDS: usize = 15;

/// What to put on each new clipping.
#[derive(Debug, Clone, Default)]
pub struct ClipOptions {
    pub tags: Vec<String>,
    /// A hand-ordered collection each clipping is appended to (created when missing).
    pub collection: Option<String>,
}

/// A clipping made (or found) for an address.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Clipped {
    pub id: i64,
    pub title: String,
    /// False when the article was already in the library (the new tags were merged onto it).
    pub created: bool,
    pub images_saved: usize,
    /// Images left as remote links, with why.
    pub images_failed: Vec<(String, String)>,
}

/// Runs blocking library work off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ClipError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(result) => result.map_err(ClipError::Store),
        Err(join) => Err(ClipError::Network(format!("internal task failed: {join}"))),
    }
}

pub(crate) fn parse_url(input: &str) -> Result<Url, ClipError> {
    clipbook_store::parse_web_url(input).map_err(|e| ClipError::InvalidUrl(e.to_string()))
}

/// The extractor's settings for a page fetched now ("3 hours ago" is read from now).
fn extract_config() -> clipbook_extract::Config {
    clipbook_extract::Config {
        fetch_time: Some(chrono::Utc::now().fixed_offset()),
        ..clipbook_extract::Config::default()
    }
}

/// Extracts the article of a page, refusing pages with no article in them.
pub fn extract_page(page: &Page) -> Result<Article, ClipError> {
    let article = clipbook_extract::extract(
        &page.bytes,
        Some(&page.url),
        page.charset.as_deref(),
        &extract_config(),
    )
    .map_err(|e| ClipError::NoArticle(e.to_string()))?;
    if article.text.trim().is_empty() {
        return Err(ClipError::NoArticle("the page has no readable text".into()));
    }
    if article.word_count < MIN_ARTICLE_WORDS {
        return Err(ClipError::NoArticle(format!(
            "only {} words of text: a login wall, a teaser or an empty page?",
            article.word_count
        )));
    }
    Ok(article)
}

/// The images an article shows, lead image first: absolute http(s) URLs, each once.
pub fn image_urls(article: &Article, max: usize) -> Vec<Url> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let lead = article.lead_image.iter().cloned();
    let doc = scraper::Html::parse_fragment(&article.html);
    let selector = scraper::Selector::parse("img[src]").ok();
    let inline: Vec<String> = selector
        .iter()
        .flat_map(|sel| {
            doc.select(sel)
                .filter_map(|img| img.value().attr("src").map(str::to_string))
        })
        .collect();
    for candidate in lead.chain(inline) {
        let Ok(url) = Url::parse(&candidate) else {
            continue;
        };
        if matches!(url.scheme(), "http" | "https") && seen.insert(url.to_string()) {
            out.push(url);
        }
        if out.len() == max {
            break;
        }
    }
    out
}

/// Downloads an article's images, a few at once. A failed image is recorded with its reason and
/// never fails the clipping.
pub async fn download_images(
    client: &reqwest::Client,
    article: &Article,
    config: &FetchConfig,
) -> Vec<NewImage> {
    if !config.download_images {
        return Vec::new();
    }
    let urls = image_urls(article, config.max_images);
    let lead = article.lead_image.clone();
    let limit = Arc::new(Semaphore::new(config.images_at_once.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for (index, url) in urls.into_iter().enumerate() {
        let (client, config, limit) = (client.clone(), config.clone(), Arc::clone(&limit));
        let is_lead = lead.as_deref() == Some(url.as_str());
        tasks.spawn(async move {
            let _permit = limit.acquire_owned().await;
            let result = fetch_image(&client, &url, &config).await;
            let image = match result {
                Ok(image) => NewImage {
                    url: url.to_string(),
                    print: print_version(&image.bytes).await,
                    content_type: Some(image.content_type),
                    bytes: Some(image.bytes),
                    is_lead,
                    ..Default::default()
                },
                Err(err) => NewImage {
                    url: url.to_string(),
                    error: Some(err.to_string()),
                    is_lead,
                    ..Default::default()
                },
            };
            (index, image)
        });
    }
    let mut images: Vec<(usize, NewImage)> = Vec::new();
    while let Some(done) = tasks.join_next().await {
        if let Ok(image) = done {
            images.push(image);
        }
    }
    images.sort_by_key(|(index, _)| *index);
    images.into_iter().map(|(_, image)| image).collect()
}

/// The image made ready for print now, on a blocking thread, so that a PDF export of the
/// clipping does not decode it (`None` for what cannot be decoded: the export shows a
/// placeholder).
async fn print_version(bytes: &[u8]) -> Option<PrintVersion> {
    // A copy for the blocking thread: should a decoder panic on hostile bytes, the original is
    // still stored (a copy costs microseconds beside the decoding's milliseconds).
    let bytes = bytes.to_vec();
    tokio::task::spawn_blocking(move || clipbook_print_images::print_version(&bytes))
        .await
        .ok()
        .flatten()
}

/// The clipping to store for an extracted page.
pub fn new_clipping(
    page: &Page,
    article: Article,
    images: Vec<NewImage>,
    tags: &[String],
) -> NewClipping {
    let title = article
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| page.url.to_string());
    NewClipping {
        url: page.url.to_string(),
        canonical_url: article.canonical_url,
        title,
        authors: article.authors,
        published_at: article.published,
        modified_at: article.modified,
        site_name: article.site_name,
        language: article.language,
        lead_image_url: article.lead_image,
        excerpt: article.description,
        content_html: article.html,
        content_text: article.text,
        word_count: i64::try_from(article.word_count).ok(),
        notes: String::new(),
        metadata_sources: article.metadata_sources,
        original_html: Some(page.bytes.clone()),
        original_content_type: page.content_type.clone(),
        fetched_at: Some(chrono::Utc::now().timestamp()),
        added_at: None,
        tags: tags.to_vec(),
        images,
    }
}

/// Stores a clipping (one transaction), then files it in the collection.
async fn store(
    lib: &Arc<Library>,
    new: NewClipping,
    options: &ClipOptions,
) -> Result<Clipped, ClipError> {
    let title = new.title.clone();
    let images_saved = new.images.iter().filter(|i| i.bytes.is_some()).count();
    let images_failed: Vec<(String, String)> = new
        .images
        .iter()
        .filter_map(|i| i.error.clone().map(|e| (i.url.clone(), e)))
        .collect();
    let outcome = {
        let lib = Arc::clone(lib);
        blocking(move || lib.add_clipping(&new)).await?
    };
    file_in_collection(lib, outcome.id, options).await?;
    Ok(Clipped {
        id: outcome.id,
        title,
        created: outcome.created,
        images_saved: if outcome.created { images_saved } else { 0 },
        images_failed: if outcome.created {
            images_failed
        } else {
            Vec::new()
        },
    })
}

async fn file_in_collection(
    lib: &Arc<Library>,
    id: i64,
    options: &ClipOptions,
) -> Result<(), ClipError> {
    if let Some(name) = options.collection.clone() {
        let lib = Arc::clone(lib);
        blocking(move || lib.add_to_collection(&name, &[id]).map(|_| ())).await?;
    }
    Ok(())
}

/// Makes sure the collection clippings go to exists (creating a hand-ordered one), before a
/// batch starts, so a typo fails once and early rather than on every address.
pub fn prepare_collection(lib: &Library, options: &ClipOptions) -> Result<(), ClipError> {
    if let Some(name) = &options.collection {
        match lib.collection(name) {
            Ok(info) if info.kind == "manual" => {}
            Ok(info) => return Err(StoreError::SavedSearchCollection(info.name).into()),
            Err(StoreError::CollectionNotFound(_)) => {
                lib.create_collection(name, "", None)?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// An address already in the library: merge the tags, file it, report it.
async fn existing(
    lib: &Arc<Library>,
    id: i64,
    options: &ClipOptions,
) -> Result<Clipped, ClipError> {
    let (l, tags) = (Arc::clone(lib), options.tags.clone());
    let title = blocking(move || {
        if !tags.is_empty() {
            l.tag_clippings(&[id], &tags)?;
        }
        let row = l.summaries(&[id])?;
        Ok(row.into_iter().next().map(|c| c.title).unwrap_or_default())
    })
    .await?;
    file_in_collection(lib, id, options).await?;
    Ok(Clipped {
        id,
        title,
        created: false,
        images_saved: 0,
        images_failed: Vec::new(),
    })
}

/// Clips one address: the whole path a user's "add" takes.
pub async fn clip_url(
    lib: &Arc<Library>,
    input: &str,
    config: &FetchConfig,
    images: &reqwest::Client,
    options: &ClipOptions,
) -> Result<Clipped, ClipError> {
    let url = parse_url(input)?;
    let known = {
        let (lib, url) = (Arc::clone(lib), url.to_string());
        blocking(move || lib.find_by_url(&url)).await?
    };
    if let Some(id) = known {
        return existing(lib, id, options).await;
    }
    let page = fetch_page(&url, config).await?;
    clip_page(lib, page, config, images, options).await
}

/// Extracts on a blocking thread: extraction is CPU work that would stall the network tasks.
async fn extract_off_thread(page: &Arc<Page>) -> Result<Article, ClipError> {
    let page = Arc::clone(page);
    tokio::task::spawn_blocking(move || extract_page(&page))
        .await
        .map_err(|e| ClipError::Network(format!("internal task failed: {e}")))?
}

/// Clips a page already fetched (or saved from a browser).
pub async fn clip_page(
    lib: &Arc<Library>,
    page: Page,
    config: &FetchConfig,
    images: &reqwest::Client,
    options: &ClipOptions,
) -> Result<Clipped, ClipError> {
    let page = Arc::new(page);
    let article = extract_off_thread(&page).await?;
    let downloaded = download_images(images, &article, config).await;
    let new = new_clipping(&page, article, downloaded, &options.tags);
    store(lib, new, options).await
}

/// Clips a page as the user's browser rendered it (the browser bridge, `POST /clip`). With a
/// selection, only the selected part becomes the body; the metadata still come from the page.
pub async fn clip_rendered(
    lib: &Arc<Library>,
    page: Page,
    selection_html: Option<String>,
    config: &FetchConfig,
    images: &reqwest::Client,
    options: &ClipOptions,
) -> Result<Clipped, ClipError> {
    let Some(selection) = selection_html.filter(|s| !s.trim().is_empty()) else {
        return clip_page(lib, page, config, images, options).await;
    };
    let page = Arc::new(page);
    let article = {
        let page = Arc::clone(&page);
        tokio::task::spawn_blocking(move || extract_selected(&page, &selection))
            .await
            .map_err(|e| ClipError::Network(format!("internal task failed: {e}")))??
    };
    let downloaded = download_images(images, &article, config).await;
    let new = new_clipping(&page, article, downloaded, &options.tags);
    store(lib, new, options).await
}

/// The article made of the part of a page the user selected.
pub fn extract_selected(page: &Page, selection_html: &str) -> Result<Article, ClipError> {
    let article = clipbook_extract::extract_selection(
        &page.bytes,
        selection_html,
        Some(&page.url),
        page.charset.as_deref(),
        &extract_config(),
    )
    .map_err(|e| ClipError::NoArticle(e.to_string()))?;
    if article.text.trim().is_empty() {
        return Err(ClipError::NoArticle(
            "the selection has no readable text".into(),
        ));
    }
    Ok(article)
}

/// Fetches a clipping's page again; when the article changed, the previous version is kept.
pub async fn refetch(
    lib: &Arc<Library>,
    id: i64,
    config: &FetchConfig,
    images: &reqwest::Client,
) -> Result<clipbook_store::RefreshOutcome, ClipError> {
    let url = {
        let lib = Arc::clone(lib);
        blocking(move || Ok(lib.clipping(id)?.url)).await?
    };
    let page = Arc::new(fetch_page(&parse_url(&url)?, config).await?);
    let article = extract_off_thread(&page).await?;
    let downloaded = download_images(images, &article, config).await;
    let new = new_clipping(&page, article, downloaded, &[]);
    let lib = Arc::clone(lib);
    blocking(move || lib.refresh_clipping(id, &new)).await
}
