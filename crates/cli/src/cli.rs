//! The command line: every command, argument and help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const JSON_FIELDS: &str = "\
JSON output (--json): one array of objects with these stable fields:
  id, url, title, authors (list), published_at (RFC 3339 or YYYY-MM-DD, or null), site_name,
  host (the URL's host without www.), language (e.g. \"fr\"), lead_image_url, excerpt,
  word_count, tags (list), created_at (RFC 3339, UTC); search results add snippet (plain text)
  and snippet_html (matches inside <mark>, HTML-escaped).";

const DATES: &str = "\
Dates (--since, --until): YYYY-MM-DD, YYYY-MM, YYYY, RFC 3339, today, yesterday, or Nd / Nw
(days / weeks ago). Both ends are included. A clipping's date is its publication date, or the
day it was clipped when the page gave none.";

#[derive(Debug, Parser)]
#[command(
    name = "clipbook",
    version,
    about = "Clipbook: a library of news clippings — list, search, tag, collect and import",
    after_help = "The desktop app and this tool work on the same library file.\n\
                  Run `clipbook COMMAND --help` for each command's options."
)]
pub struct Cli {
    /// The library file [default: ~/.local/share/clipbook/library.db]. Created if missing.
    #[arg(long, global = true, env = "CLIPBOOK_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Clip articles from their addresses: fetch, extract, save the images for offline reading
    #[command(
        after_long_help = "Addresses come from the arguments, from --file (one per line, \
        # starts a comment), or from standard input when neither is given. Each address becomes a \
        clipping or fails with a reason; a failure never stops the others. An address already in \
        the library is not fetched again (its tags are merged), so running the same list twice \
        adds only what is missing. Ctrl-C stops cleanly: what finished stays.\n\
        JSON output (--json): one object per address as it finishes: {url, status (added, \
        existing or failed), id, title, images_saved, images_failed [{url, reason}], error, code}."
    )]
    Add(AddArgs),
    /// Fetch clippings again; when an article changed, its previous version is kept
    Refetch {
        #[arg(required = true, value_name = "ID")]
        ids: Vec<i64>,
        #[command(flatten)]
        fetch: FetchArgs,
    },
    /// List clippings, newest first, with filters
    #[command(after_long_help = format!("{JSON_FIELDS}\n\n{DATES}"))]
    List(ListArgs),
    /// Full-text search, best matches first, with highlighted snippets
    #[command(after_long_help = format!("Query syntax: words (all must appear), \"a phrase\", prefix*, -excluded, \
        and OR between alternatives. Accents and case are ignored. Anything else is read as \
        plain words.\n\n{JSON_FIELDS}\n\n{DATES}"))]
    Search(SearchArgs),
    /// Show one clipping: its metadata and the article
    Show(ShowArgs),
    /// Edit a clipping's title, notes or metadata
    Edit(EditArgs),
    /// Delete clippings (all or none: an unknown id deletes nothing)
    Delete {
        /// Ids of the clippings to delete
        #[arg(required = true, value_name = "ID")]
        ids: Vec<i64>,
    },
    /// Tags: add, remove, list, rename, merge, delete (nested with '/', e.g. piracy/iptv)
    #[command(subcommand)]
    Tag(TagCommand),
    /// Collections: hand-ordered lists of clippings, or saved searches
    #[command(subcommand)]
    Collection(CollectionCommand),
    /// Import articles: from Pocket, browser bookmarks, Wallabag, Omnivore, a list of addresses,
    /// or JSON Lines of articles already extracted
    #[command(after_long_help = "--from says what FILE is:\n\
        jsonl (the default): articles already extracted, one JSON object per line with at least \
        \"url\"; also read: canonical_url, title, author (a name or a list), authors, published, \
        modified, site_name, language, lead_image, description, html, text, word_count, notes, \
        tags, metadata_sources, fetched_at, original_html. Other fields are ignored, so the \
        output of `clipbook extract --jsonl` imports as it is; its error lines are skipped. The \
        import is one transaction: a bad line imports nothing and names its line number.\n\
        pocket: Pocket's HTML export (ril_export.html) or its CSV (tags, date added).\n\
        netscape: a bookmark file from a browser, Raindrop, linkding, Pinboard or Shiori; a \
        bookmark's folders become a nested tag (Press/Europe), its TAGS and description come \
        along.\n\
        wallabag: Wallabag's JSON export, with each article's content (nothing is fetched).\n\
        omnivore: Omnivore's export, its .zip or the folder it unzips to (metadata_*.json and \
        content/*.md, whose Markdown becomes the article).\n\
        urls: one address per line; blank lines and # comments are skipped.\n\
        Articles that come with their content are stored as they are (sanitised like every \
        article); the others are fetched like `clipbook add` does (progress, --concurrency, \
        Ctrl-C). Tags and dates added come along. Articles already in the library (same \
        canonical URL) are not added or fetched again, only their tags merged: running the same \
        import twice adds nothing twice. A malformed entry is reported with its line or entry \
        and the others are imported; the exit status is 1 when any entry failed or had a \
        problem.\n\
        JSON output (--json): with --from jsonl the summary {added, existing, skipped}; with the \
        other formats one object per entry as it is done: {url, status (added, existing or \
        failed), id, title, error}, and for fetched ones the fields of `clipbook add --json`.")]
    Import(ImportArgs),
    /// Export clippings: a PDF press review, Markdown (one file, or an Obsidian-ready folder),
    /// HTML or JSON
    #[command(
        after_long_help = "Choose what with --collection (in its order), --tag (newest \
        first), --query (best matches first) or ids (in the order given).\n\
        markdown: one .md file with a table of contents; images are copied into NAME_assets/ \
        beside it (--remote-images links to the originals instead).\n\
        markdown-dir: a folder with one .md per clipping (YAML front matter: title, author, \
        published, source, url, tags, clipped, language), assets/ and index.md; Obsidian, Hugo \
        and Jekyll read it as it is.\n\
        html: one self-contained file (images inlined), readable on screen and printable.\n\
        json: every field of every clipping.\n\
        pdf: a typeset press review: cover, contents with page numbers, one article per page \
        with its source, author, date and address (--paper a4 or letter).\n\
        The export is written under a temporary name and renamed when complete; an existing \
        file or folder is only replaced with --force."
    )]
    Export(ExportArgs),
    /// Extract the article from saved pages (no library needed): JSON with its text, Markdown,
    /// HTML and metadata
    #[command(
        after_long_help = "Fields: source, url, canonical_url, title, author (the \
        authors joined with \", \"), authors, published, modified, language, site_name, \
        lead_image, description, text, markdown, html, word_count, reading_minutes, confidence, \
        metadata_sources. With --jsonl a file that fails prints {\"source\", \"error\"} and the \
        run goes on; the exit status is 1 when any file failed."
    )]
    Extract(ExtractArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// One Markdown file with a table of contents
    Markdown,
    /// A folder of Markdown notes with YAML front matter
    MarkdownDir,
    /// One self-contained HTML file
    Html,
    /// Every field, as JSON
    Json,
    /// A typeset press review
    Pdf,
}

#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum PaperArg {
    #[default]
    A4,
    Letter,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["collection", "tag", "query", "ids"])))]
pub struct ExportArgs {
    /// Clippings to export, in this order
    #[arg(value_name = "ID")]
    pub ids: Vec<i64>,
    /// A collection, in its order
    #[arg(long, value_name = "NAME")]
    pub collection: Option<String>,
    /// Clippings with this tag (or one below it)
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// The clippings a search finds
    #[arg(long, value_name = "QUERY")]
    pub query: Option<String>,
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Where to write (a file; a folder for markdown-dir)
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Replace what is already at PATH
    #[arg(long)]
    pub force: bool,
    /// Link images at their original addresses instead of copying or inlining them
    #[arg(long)]
    pub remote_images: bool,
    /// Paper size of a PDF
    #[arg(long, value_enum, default_value_t = PaperArg::A4)]
    pub paper: PaperArg,
    /// The title on top [default: the collection's name, the tag or the search]
    #[arg(long)]
    pub title: Option<String>,
    /// Print what was written as JSON: {path, clippings, images}
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct FetchArgs {
    /// The User-Agent sent to sites [default: a current desktop browser's]
    #[arg(long, value_name = "TEXT")]
    pub user_agent: Option<String>,
    /// The Accept-Language sent to sites [default: fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7]
    #[arg(long, value_name = "LANGS")]
    pub accept_language: Option<String>,
    /// Give up on a page after this many seconds
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub timeout: u64,
    /// Do not download images (the clipping links to them)
    #[arg(long)]
    pub no_images: bool,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Addresses of articles
    #[arg(value_name = "URL")]
    pub urls: Vec<String>,
    /// Read addresses from a file, one per line
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Clip a page saved from a browser instead of fetching it (needs --url)
    #[arg(long, value_name = "FILE", requires = "url", conflicts_with_all = ["urls", "file"])]
    pub html: Option<PathBuf>,
    /// The address the page given with --html came from
    #[arg(long, value_name = "URL", requires = "html")]
    pub url: Option<String>,
    /// Tag every clipping (repeatable)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Add every clipping to this hand-ordered collection (created if missing)
    #[arg(long, value_name = "NAME")]
    pub collection: Option<String>,
    /// Pages fetched at once
    #[arg(long, default_value_t = 6, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
    pub concurrency: u32,
    /// Pages fetched at once from one site
    #[arg(long, default_value_t = 2, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=16))]
    pub per_host: u32,
    /// One JSON object per address, as each finishes
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub fetch: FetchArgs,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Saved pages: .html, or gzip-compressed (recognised by content, whatever the name); - reads
    /// standard input
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The address the pages came from (makes links absolute, helps find dates)
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// One JSON object per line, one line per file (for `clipbook import` and scoring)
    #[arg(long)]
    pub jsonl: bool,
}

#[derive(Debug, Clone, Args)]
pub struct FilterArgs {
    /// Only clippings with this tag or one below it (repeat: all must match)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Only clippings in this collection (or matching this saved search)
    #[arg(long, value_name = "NAME")]
    pub collection: Option<String>,
    /// Only clippings from this source: a site name or a host (lemonde.fr)
    #[arg(long, value_name = "SITE")]
    pub site: Option<String>,
    /// Only clippings in this language (en, fr, de…)
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// Only clippings dated on or after this day
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only clippings dated on or before this day
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    /// Publication date, newest first
    Date,
    /// Date clipped, newest first
    Added,
    /// Title, A to Z
    Title,
    /// A hand-ordered collection's own order
    Position,
    /// Best match first (search)
    Relevance,
}

#[derive(Debug, Args)]
pub struct PageArgs {
    /// Order of the results [default: relevance for a search, the collection's order with
    /// --collection, else date]
    #[arg(long, value_enum)]
    pub sort: Option<SortArg>,
    /// At most this many clippings
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub limit: usize,
    /// Skip this many clippings first (to page through results)
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// Print JSON (fields below)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub page: PageArgs,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for (quote it in the shell when it has several words)
    #[arg(value_name = "QUERY")]
    pub query: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub page: PageArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ShowFormat {
    /// Metadata, then the article as plain text
    Text,
    /// The article as Markdown, with a metadata header
    Markdown,
    /// The article's sanitised HTML body
    Html,
    /// Every field, including the body, tags, collections and images
    Json,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    pub id: i64,
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    pub id: i64,
    /// A new title
    #[arg(long)]
    pub title: Option<String>,
    /// Your notes on the clipping (replaces the current notes; "" clears them)
    #[arg(long)]
    pub notes: Option<String>,
    /// The author(s) (repeat for several; replaces the current ones)
    #[arg(long = "author", value_name = "NAME")]
    pub authors: Vec<String>,
    /// The publication date (YYYY-MM-DD or RFC 3339; "" clears it)
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
    /// The source's name ("" clears it)
    #[arg(long, value_name = "NAME")]
    pub site: Option<String>,
    /// The language code ("" clears it)
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TagCommand {
    /// Put tags on a clipping (new tags are created)
    Add {
        id: i64,
        #[arg(required = true, value_name = "TAG")]
        tags: Vec<String>,
    },
    /// Take tags off a clipping (the tags stay in the library)
    Remove {
        id: i64,
        #[arg(required = true, value_name = "TAG")]
        tags: Vec<String>,
    },
    /// Every tag with its number of clippings (own, and with the tags below it)
    #[command(
        after_long_help = "JSON output (--json): an array of {name, count, total}: \
        count is the clippings with exactly this tag, total those with it or a tag below it."
    )]
    List {
        #[arg(long)]
        json: bool,
    },
    /// Rename a tag; the tags below it follow (piracy/iptv → copyright/iptv)
    Rename { old: String, new: String },
    /// Move every clipping of FROM (and the tags below it) onto INTO, then delete FROM
    Merge { from: String, into: String },
    /// Delete a tag and the tags below it from every clipping (the clippings stay)
    Delete { tag: String },
}

#[derive(Debug, Subcommand)]
pub enum CollectionCommand {
    /// Create a collection: hand-ordered, or a saved search with --query and/or filters
    New {
        name: String,
        /// A description, shown on the cover of exports
        #[arg(long, default_value = "")]
        description: String,
        /// Make it a saved search for these words (evaluated each time it is read)
        #[arg(long, value_name = "QUERY")]
        query: Option<String>,
        #[command(flatten)]
        filters: FilterArgs,
    },
    /// Append clippings to a hand-ordered collection
    Add {
        name: String,
        #[arg(required = true, value_name = "ID")]
        ids: Vec<i64>,
    },
    /// Take clippings out of a hand-ordered collection (they stay in the library)
    Remove {
        name: String,
        #[arg(required = true, value_name = "ID")]
        ids: Vec<i64>,
    },
    /// Move a clipping to a position (1 is first) in a hand-ordered collection
    Move {
        name: String,
        id: i64,
        #[arg(value_parser = clap::value_parser!(u32).range(1..))]
        position: u32,
    },
    /// Every collection, with its kind and size
    #[command(
        after_long_help = "JSON output (--json): an array of {id, name, description, \
        kind (\"manual\" or \"saved-search\"), query, filters, count, created_at}."
    )]
    List {
        #[arg(long)]
        json: bool,
    },
    /// A collection's clippings, in its order
    Show {
        name: String,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Rename a collection
    Rename { old: String, new: String },
    /// Delete a collection (its clippings stay in the library)
    Delete { name: String },
}

/// What `clipbook import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ImportFormat {
    /// Articles already extracted, one JSON object per line (`clipbook extract --jsonl`)
    #[default]
    Jsonl,
    /// Pocket's export: HTML or CSV
    Pocket,
    /// A Netscape bookmark file (browsers, Raindrop, linkding, Shiori)
    Netscape,
    /// Wallabag's JSON export, with the articles' content
    Wallabag,
    /// Omnivore's export: the .zip or its unzipped folder
    Omnivore,
    /// One address per line
    Urls,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import (a folder for an unzipped Omnivore export), or - for standard input
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// What the file is
    #[arg(long, value_enum, default_value_t = ImportFormat::Jsonl)]
    pub from: ImportFormat,
    /// Tag every imported clipping (repeatable)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// JSON output (see below)
    #[arg(long)]
    pub json: bool,
    /// Pages fetched at once (for entries that come without their content)
    #[arg(long, default_value_t = 6, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
    pub concurrency: u32,
    /// Pages fetched at once from one site
    #[arg(long, default_value_t = 2, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=16))]
    pub per_host: u32,
    #[command(flatten)]
    pub fetch: FetchArgs,
}
