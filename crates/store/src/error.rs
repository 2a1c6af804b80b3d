use std::path::PathBuf;

/// Everything the library store can refuse or fail at. Each variant's message is a sentence a
/// user can act on; [`StoreError::code`] gives the UI a stable string to branch on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no clipping with id {0}")]
    ClippingNotFound(i64),
    #[error("no tag named \"{0}\"")]
    TagNotFound(String),
    #[error("a tag named \"{0}\" already exists (use `tag merge` to combine two tags)")]
    TagExists(String),
    #[error("\"{name}\" is not a valid tag name: {reason}")]
    InvalidTag { name: String, reason: &'static str },
    #[error("cannot {action}: {reason}")]
    InvalidTagOperation { action: String, reason: String },
    #[error("no collection named \"{0}\"")]
    CollectionNotFound(String),
    #[error("a collection named \"{0}\" already exists")]
    CollectionExists(String),
    #[error("\"{name}\" is not a valid collection name: {reason}")]
    InvalidCollectionName { name: String, reason: &'static str },
    #[error("collection \"{0}\" is a saved search: its clippings come from its query, not by hand")]
    SavedSearchCollection(String),
    #[error("clipping {id} is not in collection \"{collection}\"")]
    NotInCollection { collection: String, id: i64 },
    #[error("\"{url}\" is not a web address: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error(
        "\"{0}\" is not a date: use YYYY-MM-DD, YYYY-MM, YYYY, a full RFC 3339 time, `today`, `yesterday` or a number of days ago such as `7d`"
    )]
    InvalidDate(String),
    #[error("line {line}: {message}")]
    ImportLine { line: usize, message: String },
    #[error("{0}")]
    InvalidInput(String),
    #[error("the folder {} does not exist", .0.display())]
    MissingFolder(PathBuf),
    #[error("{} is not a Clipbook library; it was left untouched", .0.display())]
    NotALibrary(PathBuf),
    #[error(
        "{} was written by a newer version of Clipbook (library format {found}, this version reads up to {supported}); update Clipbook to open it",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("the library is busy (another program is writing to it); try again in a moment")]
    Busy,
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl StoreError {
    /// A stable identifier for the kind of error, for the UI and `--json` outputs.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::ClippingNotFound(_) => "clipping_not_found",
            StoreError::TagNotFound(_) => "tag_not_found",
            StoreError::TagExists(_) => "tag_exists",
            StoreError::InvalidTag { .. } => "invalid_tag",
            StoreError::InvalidTagOperation { .. } => "invalid_tag_operation",
            StoreError::CollectionNotFound(_) => "collection_not_found",
            StoreError::CollectionExists(_) => "collection_exists",
            StoreError::InvalidCollectionName { .. } => "invalid_collection_name",
            StoreError::SavedSearchCollection(_) => "saved_search_collection",
            StoreError::NotInCollection { .. } => "not_in_collection",
            StoreError::InvalidUrl { .. } => "invalid_url",
            StoreError::InvalidDate(_) => "invalid_date",
            StoreError::ImportLine { .. } => "import_line",
            StoreError::InvalidInput(_) => "invalid_input",
            StoreError::MissingFolder(_) => "missing_folder",
            StoreError::NotALibrary(_) => "not_a_library",
            StoreError::TooNew { .. } => "library_too_new",
            StoreError::Busy => "busy",
            StoreError::Io { .. } => "io",
            StoreError::Sqlite(_) => "database",
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        match err.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy
            }
            _ => StoreError::Sqlite(err),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
