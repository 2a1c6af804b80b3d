//! Opening a library: one function configures every connection, migrations bring the schema up
//! to date, and [`Library`] hands out connections to readers and the single writer.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{Result, StoreError};

/// `PRAGMA application_id` of a Clipbook library ("Clip" in ASCII). A SQLite file without it is
/// some other program's database, and is refused rather than modified.
pub const APPLICATION_ID: i32 = 0x436C_6970;

/// The migrations, in order. Migration N (1-based) brings `user_version` from N-1 to N.
/// Never edit a migration that has landed: append a new one.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_library.sql"),
    include_str!("../migrations/0002_print_images.sql"),
    include_str!("../migrations/0003_sources_index.sql"),
];

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a connection waits for another writer (another thread, the CLI beside the desktop
/// app) before it reports [`StoreError::Busy`].
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The writer's page cache, in KiB: imports of a 100,000-clipping library want its indexes and
/// FTS segments at hand.
const CACHE_KIB: i64 = 64 * 1024;

/// Each reader's page cache, in KiB. Readers are several and would each keep a copy of the
/// same hot pages (five 64 MB caches were most of the desktop app's memory after a long
/// scroll); past this, pages come from the operating system's file cache, a copy away.
const READER_CACHE_KIB: i64 = 8 * 1024;

/// Readers kept open for reuse; more can be open at once, extra ones are closed after use.
const MAX_IDLE_READERS: usize = 4;

/// A Clipbook library: a SQLite file (or an in-memory database for tests).
///
/// Concurrency: one writer connection behind a mutex serialises this process's writes, and each
/// write is a `BEGIN IMMEDIATE` transaction so that writers in other processes (the CLI beside
/// the desktop app) queue on SQLite's lock instead of failing half-way. Readers come from a small
/// pool of separate connections and, thanks to WAL, never wait for the writer. `Library` is
/// `Send + Sync`: share it with an `Arc`.
pub struct Library {
    path: Option<PathBuf>,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// Searches with more matches than this are not ranked by bm25 (`listing::RANK_LIMIT`;
    /// tests lower it).
    rank_limit: AtomicUsize,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// Configures a freshly opened connection. Every connection of a library goes through here.
fn configure(conn: &Connection, file_backed: bool) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Every statement the store runs is cached (prepare_cached); they all fit.
    conn.set_prepared_statement_cache_capacity(64);
    conn.pragma_update(None, "foreign_keys", true)?;
    if file_backed {
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::InvalidInput(format!(
                "the library could not switch to write-ahead logging (journal mode is {mode})"
            )));
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
    }
    // SQLite's default page cache is 2 MB; a 100,000-clipping library's indexes and FTS
    // segments want more to insert and search without re-reading pages.
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    Ok(())
}

/// A reader's connection (the writer is opened in [`Library::open`]).
fn open_connection(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    configure(&conn, true)?;
    conn.pragma_update(None, "cache_size", -READER_CACHE_KIB)?;
    Ok(conn)
}

/// Refuses, before SQLite touches it, a path that cannot be a library: a missing folder, a
/// directory, or a file that is not SQLite at all.
fn check_path(path: &Path) -> Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        return Err(StoreError::MissingFolder(parent));
    }
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => return Err(StoreError::NotALibrary(path.to_path_buf())),
        Ok(meta) if meta.len() > 0 => {
            let mut header = [0u8; 16];
            let read = fs::File::open(path)
                .and_then(|mut f| f.read_exact(&mut header))
                .map_err(|source| StoreError::Io {
                    context: format!("cannot read {}", path.display()),
                    source,
                });
            if read.is_err() || &header != b"SQLite format 3\0" {
                return Err(StoreError::NotALibrary(path.to_path_buf()));
            }
        }
        _ => {}
    }
    Ok(())
}

/// Checks that an open SQLite database is a Clipbook library (or empty), without writing.
fn check_identity(conn: &Connection, path: &Path) -> Result<()> {
    let not_a_library = |_| StoreError::NotALibrary(path.to_path_buf());
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(not_a_library)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(not_a_library)?;
    let objects: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(not_a_library)?;
    if app_id != APPLICATION_ID && !(app_id == 0 && version == 0 && objects == 0) {
        return Err(StoreError::NotALibrary(path.to_path_buf()));
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Applies the migrations this database has not seen, each in its own transaction.
fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Read inside the write lock: another process may have migrated meanwhile.
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version == SCHEMA_VERSION {
            return Ok(());
        }
        let idx = usize::try_from(version).unwrap_or(usize::MAX);
        let Some(sql) = MIGRATIONS.get(idx) else {
            return Err(StoreError::NotALibrary(path.to_path_buf()));
        };
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}

impl Library {
    /// Opens (creating it if needed) the library at `path`. Refuses, leaving the file untouched,
    /// a path in a missing folder, a file that is not a Clipbook library, and a library written
    /// by a newer version.
    pub fn open(path: impl AsRef<Path>) -> Result<Library> {
        let path = path.as_ref();
        check_path(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags)?;
        check_identity(&conn, path)?;
        configure(&conn, true)?;
        migrate(&mut conn, path)?;
        Ok(Library {
            path: Some(path.to_path_buf()),
            writer: Mutex::new(conn),
            readers: Mutex::new(Vec::new()),
            rank_limit: AtomicUsize::new(crate::listing::RANK_LIMIT),
        })
    }

    /// A private, empty library in memory, for tests. Reads share the writer's connection.
    pub fn open_in_memory() -> Result<Library> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn, false)?;
        migrate(&mut conn, Path::new(":memory:"))?;
        Ok(Library {
            path: None,
            writer: Mutex::new(conn),
            readers: Mutex::new(Vec::new()),
            rank_limit: AtomicUsize::new(crate::listing::RANK_LIMIT),
        })
    }

    pub(crate) fn rank_limit(&self) -> usize {
        self.rank_limit.load(Ordering::Relaxed)
    }

    /// Lowers the number of matches above which searches are not ranked by bm25, so tests
    /// reach that path with a handful of clippings.
    #[cfg(test)]
    pub(crate) fn set_rank_limit(&self, n: usize) {
        self.rank_limit.store(n, Ordering::Relaxed);
    }

    /// The library's file, or `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn lock_writer(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock drops its Transaction, which rolls back: the connection
        // itself is still sound, so a poisoned lock is safe to take over.
        self.writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` in one write transaction: all of it is committed, or none of it.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.lock_writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Runs `f` on a read connection, inside one read transaction so that it sees one snapshot.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let Some(path) = &self.path else {
            let conn = self.lock_writer();
            return f(&conn);
        };
        let pooled = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => open_connection(path)?,
        };
        conn.execute_batch("BEGIN DEFERRED")?;
        let value = f(&conn);
        let end = conn.execute_batch("COMMIT");
        let mut readers = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if end.is_ok() && readers.len() < MAX_IDLE_READERS {
            readers.push(conn);
        }
        drop(readers);
        let value = value?;
        end?;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NewClipping;
    use std::sync::Arc;

    #[test]
    fn refuses_files_that_are_not_libraries_and_leaves_them_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("notes.txt");
        fs::write(&text, "hello").unwrap();
        assert!(matches!(
            Library::open(&text),
            Err(StoreError::NotALibrary(_))
        ));
        assert_eq!(fs::read(&text).unwrap(), b"hello");

        let other = dir.path().join("other.sqlite");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        let before = fs::read(&other).unwrap();
        assert!(matches!(
            Library::open(&other),
            Err(StoreError::NotALibrary(_))
        ));
        assert_eq!(fs::read(&other).unwrap(), before);

        assert!(matches!(
            Library::open(dir.path()),
            Err(StoreError::NotALibrary(_))
        ));
        let missing = dir.path().join("no/such/folder/library.db");
        assert!(matches!(
            Library::open(&missing),
            Err(StoreError::MissingFolder(_))
        ));
    }

    #[test]
    fn refuses_a_library_from_a_newer_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("library.db");
        drop(Library::open(&path).unwrap());
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        let err = Library::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
    }

    #[test]
    fn reopening_keeps_the_data_and_the_configuration() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("library.db");
        let lib = Library::open(&path).unwrap();
        lib.add_clipping(&NewClipping {
            url: "https://ex.com/a".into(),
            ..Default::default()
        })
        .unwrap();
        drop(lib);
        let lib = Library::open(&path).unwrap();
        assert_eq!(lib.count_clippings().unwrap(), 1);
        let (mode, fk): (String, i64) = lib
            .read(|c| {
                Ok((
                    c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
                    c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?,
                ))
            })
            .unwrap();
        assert_eq!((mode.as_str(), fk), ("wal", 1));
    }

    #[test]
    fn threads_write_and_read_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Arc::new(Library::open(dir.path().join("library.db")).unwrap());
        let handles: Vec<_> = (0..4)
            .map(|t| {
                let lib = Arc::clone(&lib);
                std::thread::spawn(move || {
                    for i in 0..50 {
                        lib.add_clipping(&NewClipping {
                            url: format!("https://ex.com/{t}/{i}"),
                            content_text: "words".into(),
                            tags: vec![format!("thread/{t}")],
                            ..Default::default()
                        })
                        .unwrap();
                        lib.count_clippings().unwrap();
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(lib.count_clippings().unwrap(), 200);
    }

    #[test]
    fn two_libraries_on_one_file_share_writes() {
        // The desktop app and the CLI open the same file from two processes; two `Library`
        // values stand in for them.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("library.db");
        let a = Library::open(&path).unwrap();
        let b = Library::open(&path).unwrap();
        a.add_clipping(&NewClipping {
            url: "https://ex.com/a".into(),
            ..Default::default()
        })
        .unwrap();
        b.add_clipping(&NewClipping {
            url: "https://ex.com/b".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(a.count_clippings().unwrap(), 2);
        assert_eq!(b.count_clippings().unwrap(), 2);
    }
}
