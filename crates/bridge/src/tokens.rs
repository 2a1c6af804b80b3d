//! Pairings that outlive the app: one JSON file, tokens stored as their SHA-256.
//!
//! The file is read on every check, so that a revocation made through any `TokenStore` on the
//! same file (the settings screen's, the running service's) takes effect at once.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::secret::{self, RandomError};

/// A paired browser, as a settings screen lists it. The token itself is never kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pairing {
    /// Pass it to [`TokenStore::revoke`].
    pub id: String,
    pub origin: String,
    pub name: String,
    pub created: DateTime<Utc>,
}

/// Reading or writing the pairings failed.
#[derive(Debug, thiserror::Error)]
pub enum TokenStoreError {
    #[error("could not read the paired browsers from {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the paired browsers file {path} is damaged; delete it and pair again")]
    Damaged { path: PathBuf },
    #[error("could not save the paired browsers to {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Random(#[from] RandomError),
}

impl TokenStoreError {
    /// A stable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            TokenStoreError::Read { .. } => "tokens_unreadable",
            TokenStoreError::Damaged { .. } => "tokens_damaged",
            TokenStoreError::Write { .. } => "tokens_unwritable",
            TokenStoreError::Random(_) => "random_failed",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredPairing {
    id: String,
    origin: String,
    name: String,
    created: DateTime<Utc>,
    token_sha256: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct TokenFile {
    version: u32,
    pairings: Vec<StoredPairing>,
}

/// The paired browsers: in a file, or in memory when there is no file (tests).
#[derive(Debug)]
pub struct TokenStore {
    path: Option<PathBuf>,
    /// Guards read-modify-write cycles in this process; holds the pairings when there is no
    /// file.
    memory: Mutex<Vec<StoredPairing>>,
}

impl TokenStore {
    /// Opens the pairings at `path` (a missing file is no pairing yet), or in memory for
    /// `None`. A damaged file is an error here rather than pairings silently lost.
    pub fn open(path: Option<PathBuf>) -> Result<TokenStore, TokenStoreError> {
        let store = TokenStore {
            path,
            memory: Mutex::new(Vec::new()),
        };
        store.with(|_| Ok(()))?;
        Ok(store)
    }

    /// Every paired browser, oldest first.
    pub fn list(&self) -> Result<Vec<Pairing>, TokenStoreError> {
        self.with(|pairings| {
            Ok(pairings
                .iter()
                .map(|p| Pairing {
                    id: p.id.clone(),
                    origin: p.origin.clone(),
                    name: p.name.clone(),
                    created: p.created,
                })
                .collect())
        })
    }

    /// Forgets a pairing: its token stops working at once. False when there was none.
    pub fn revoke(&self, id: &str) -> Result<bool, TokenStoreError> {
        self.update(|pairings| {
            let before = pairings.len();
            pairings.retain(|p| p.id != id);
            Ok(pairings.len() != before)
        })
    }

    /// Records a new pairing and returns its token, the only time the token exists in clear.
    pub(crate) fn add(&self, origin: &str, name: &str) -> Result<String, TokenStoreError> {
        let token = secret::new_token()?;
        let pairing = StoredPairing {
            id: secret::new_id()?,
            origin: origin.to_string(),
            name: name.to_string(),
            created: Utc::now(),
            token_sha256: secret::hash_token(&token),
        };
        self.update(|pairings| {
            pairings.push(pairing);
            Ok(())
        })?;
        Ok(token)
    }

    /// Whether `token` was given to `origin`.
    pub(crate) fn check(&self, origin: &str, token: &str) -> Result<bool, TokenStoreError> {
        let hash = secret::hash_token(token);
        self.with(|pairings| {
            Ok(pairings
                .iter()
                .any(|p| p.origin == origin && secret::same_hash(&p.token_sha256, &hash)))
        })
    }

    /// Whether `origin` has at least one pairing.
    pub(crate) fn is_paired(&self, origin: &str) -> Result<bool, TokenStoreError> {
        self.with(|pairings| Ok(pairings.iter().any(|p| p.origin == origin)))
    }

    /// Runs `f` over the current pairings.
    fn with<T>(
        &self,
        f: impl FnOnce(&[StoredPairing]) -> Result<T, TokenStoreError>,
    ) -> Result<T, TokenStoreError> {
        let memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
        match &self.path {
            None => f(&memory),
            Some(path) => f(&read_file(path)?.pairings),
        }
    }

    /// Runs `f` over the current pairings and saves what it left.
    fn update<T>(
        &self,
        f: impl FnOnce(&mut Vec<StoredPairing>) -> Result<T, TokenStoreError>,
    ) -> Result<T, TokenStoreError> {
        let mut memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
        match &self.path {
            None => f(&mut memory),
            Some(path) => {
                let mut file = read_file(path)?;
                let result = f(&mut file.pairings)?;
                write_file(path, &file)?;
                Ok(result)
            }
        }
    }
}

fn read_file(path: &Path) -> Result<TokenFile, TokenStoreError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(TokenFile::default()),
        Err(source) => {
            return Err(TokenStoreError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    serde_json::from_slice(&bytes).map_err(|_| TokenStoreError::Damaged {
        path: path.to_path_buf(),
    })
}

/// Writes the whole file under a temporary name, then renames it into place: a crash leaves
/// the old file or the new one, never half of one. Readable by the user only.
fn write_file(path: &Path, file: &TokenFile) -> Result<(), TokenStoreError> {
    let write_error = |source| TokenStoreError::Write {
        path: path.to_path_buf(),
        source,
    };
    let file = TokenFile {
        version: 1,
        pairings: file.pairings.clone(),
    };
    let json = serde_json::to_vec_pretty(&file).map_err(|e| write_error(e.into()))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(write_error)?;
    }
    let mut temp_name = path.as_os_str().to_owned();
    temp_name.push(".tmp");
    let temp = PathBuf::from(temp_name);
    let mut out = private_file(&temp).map_err(write_error)?;
    out.write_all(&json).map_err(write_error)?;
    out.sync_all().map_err(write_error)?;
    fs::rename(&temp, path).map_err(write_error)
}

#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<fs::File> {
    fs::File::create(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pairing_is_kept_hashed_and_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/pairings.json");
        let store = TokenStore::open(Some(path.clone())).unwrap();
        let token = store
            .add("moz-extension://abc", "Clipbook for Firefox")
            .unwrap();

        let text = fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains(&token),
            "the token must never be written in clear"
        );
        assert!(text.contains(&secret::hash_token(&token)));

        let reopened = TokenStore::open(Some(path)).unwrap();
        assert!(reopened.check("moz-extension://abc", &token).unwrap());
        assert!(
            !reopened.check("moz-extension://other", &token).unwrap(),
            "a token works only for the origin it was given to"
        );
        let listed = reopened.list().unwrap();
        assert_eq!(listed.len(), 1);
        assert!(reopened.revoke(&listed[0].id).unwrap());
        assert!(!store.check("moz-extension://abc", &token).unwrap());
    }

    #[test]
    fn a_damaged_file_is_an_error_not_an_empty_list() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pairings.json");
        fs::write(&path, "{not json").unwrap();
        let err = TokenStore::open(Some(path)).unwrap_err();
        assert_eq!(err.code(), "tokens_damaged");
    }
}
