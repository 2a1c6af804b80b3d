// Generated from the Rust records by crates/desktop/tests/bindings.rs: do not edit.
// Regenerate: UPDATE_BINDINGS=1 cargo test -p clipbook-desktop --test bindings

export type Sort = "date" | "added" | "title" | "position" | "relevance";

export type Filters = { 
/**
 * Every tag must be present (a tag includes its descendants).
 */
tags: Array<string>, collection: string | null, 
/**
 * A site name or a host.
 */
site: string | null, language: string | null, since: string | null, until: string | null, };

export type ClippingSummary = { id: number, url: string, title: string, authors: Array<string>, published_at: string | null, site_name: string | null, 
/**
 * The URL's host without `www.`: the source to show when `site_name` is missing.
 */
host: string, language: string | null, lead_image_url: string | null, excerpt: string | null, word_count: number, tags: Array<string>, 
/**
 * RFC 3339, UTC.
 */
created_at: string, };

export type Clipping = { id: number, url: string, canonical_url: string, title: string, authors: Array<string>, published_at: string | null, modified_at: string | null, site_name: string | null, host: string, language: string | null, lead_image_url: string | null, excerpt: string | null, content_html: string, content_text: string, word_count: number, notes: string, metadata_sources: { [key in string]: string }, tags: Array<string>, collections: Array<string>, has_original_html: boolean, fetched_at: string | null, created_at: string, updated_at: string, };

export type TagCount = { name: string, 
/**
 * Clippings tagged with exactly this tag.
 */
count: number, 
/**
 * Clippings tagged with it or any of its descendants (what filtering by it shows).
 */
total: number, };

export type CollectionInfo = { id: number, name: string, description: string, 
/**
 * "manual" or "saved-search".
 */
kind: string, query: string | null, filters: Filters | null, count: number, created_at: string, };

export type Facet = { 
/**
 * What the filter takes (a host, a language code).
 */
value: string, 
/**
 * What to show (the site's name, the language code).
 */
label: string, count: number, };

export type ListQuery = { query: string, filters: Filters, sort: Sort | null, offset: number, limit: number, };

export type Row = { 
/**
 * Escaped text with `<mark>` around the matches (searches only).
 */
snippet_html: string | null, 
/**
 * The address of the stored lead image's thumbnail.
 */
thumbnail: string | null, id: number, url: string, title: string, authors: Array<string>, published_at: string | null, site_name: string | null, 
/**
 * The URL's host without `www.`: the source to show when `site_name` is missing.
 */
host: string, language: string | null, lead_image_url: string | null, excerpt: string | null, word_count: number, tags: Array<string>, 
/**
 * RFC 3339, UTC.
 */
created_at: string, };

export type ListPage = { rows: Array<Row>, 
/**
 * How many rows the whole listing has.
 */
total: number, };

export type Facets = { total: number, tags: Array<TagCount>, collections: Array<CollectionInfo>, sources: Array<Facet>, languages: Array<Facet>, };

export type Direction = "ltr" | "rtl";

export type ReaderView = { clipping: Clipping, 
/**
 * The sanitised body with stored images pointing at the app's image protocol.
 */
body_html: string, direction: Direction, };

export type Edit = { title: string | null, notes: string | null, };

export type SavedSearch = { query: string, filters: Filters, };

export type NewCollection = { name: string, description: string, 
/**
 * A smart collection: this search, kept up to date.
 */
saved: SavedSearch | null, };

export type ClipRequest = { urls: Array<string>, tags: Array<string>, collection: string | null, };

export type ClipState = "working" | "added" | "existing" | "failed" | "duplicate" | "stopped";

export type ClipProgress = { job: number, url: string, state: ClipState, id: number | null, title: string | null, error: AppError | null, };

export type ClipFinished = { job: number, added: number, existing: number, failed: number, duplicates: number, stopped: number, };

export type ClipFileRequest = { path: string, 
/**
 * The page's original address; found in the page itself when missing.
 */
url: string | null, tags: Array<string>, };

export type ClipResult = { id: number, title: string, created: boolean, };

export type ExportFormat = "pdf" | "markdown" | "markdown-dir" | "html" | "json";

export type ExportSelection = { "kind": "collection", value: string, } | { "kind": "tag", value: string, } | { "kind": "query", value: string, } | { "kind": "ids", ids: Array<number>, };

export type Paper = "a4" | "letter";

export type ExportRequest = { selection: ExportSelection, format: ExportFormat, path: string, force: boolean, paper: Paper, };

export type ExportProgress = { job: number, done: number, total: number, };

export type ExportReport = { path: string, clippings: number, images: number, };

export type ExportFinished = { job: number, report: ExportReport | null, error: AppError | null, };

export type AppError = { code: string, message: string, };

export type LibraryInfo = { path: string, clippings: number, };

export type PairingPrompt = { id: string, origin: string, code: string, name: string, };

export type PairedBrowser = { id: string, origin: string, name: string, 
/**
 * Unix seconds.
 */
created: number, };

export type BridgeStatus = { 
/**
 * The port on 127.0.0.1, when the service runs.
 */
port: number | null, 
/**
 * Why it does not run, in plain words.
 */
error: string | null, paired: Array<PairedBrowser>, 
/**
 * Web origins allowed to pair (for the bookmarklet), e.g. `https://www.lemonde.fr`.
 */
allowed_sites: Array<string>, };

export type ImportFormat = "pocket" | "netscape" | "wallabag" | "omnivore" | "urls";

export type ImportRequest = { 
/**
 * The export file (or Omnivore's unzipped folder).
 */
path: string, format: ImportFormat, 
/**
 * Added to every imported clipping.
 */
tags: Array<string>, };

export type ImportProgress = { job: number, done: number, total: number, 
/**
 * Stored with the content the export had.
 */
added: number, 
/**
 * Fetched from the web.
 */
fetched: number, existing: number, failed: number, };

export type ImportIssue = { 
/**
 * The address, or the line or entry of the file.
 */
location: string, message: string, };

export type ImportFinished = { job: number, 
/**
 * The last counts.
 */
progress: ImportProgress, failures: Array<ImportIssue>, problems: Array<ImportIssue>, 
/**
 * Entries repeated in the file (merged).
 */
duplicates: number, 
/**
 * Entries not done because the user stopped: running the same import again finishes.
 */
stopped: number, 
/**
 * The file could not be read at all.
 */
error: AppError | null, };
