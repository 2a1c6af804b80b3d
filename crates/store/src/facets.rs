//! What the desktop app's sidebar and list need besides listings: the sources and languages to
//! filter by, the rows' stored lead images, and a cheap way to notice that the library changed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use crate::db::Library;
use crate::error::{Result, StoreError};

/// A value to filter on, with how many clippings have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Facet {
    /// What the filter takes (a host, a language code).
    pub value: String,
    /// What to show (the site's name, the language code).
    pub label: String,
    pub count: i64,
}

/// The sources with the most clippings this returns: a sidebar, not a report.
const MAX_SOURCES: i64 = 200;

/// Sources with their names and counts. `clipping_by_host_site` (host, site_name) answers it
/// alone: reading each row's site name from the table instead took ~500 ms on a
/// 100,000-clipping library, most of the sidebar's time.
const SOURCES_SQL: &str = "SELECT host, coalesce(max(nullif(site_name, '')), host), count(*) AS n
     FROM clipping GROUP BY host ORDER BY n DESC, host LIMIT ?1";

impl Library {
    /// Sources (by host, named by their most common site name), most clippings first.
    pub fn sources(&self) -> Result<Vec<Facet>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(SOURCES_SQL)?;
            let rows = stmt.query_map([MAX_SOURCES], |r| {
                Ok(Facet {
                    value: r.get(0)?,
                    label: r.get(1)?,
                    count: r.get(2)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Languages of the clippings, most clippings first (unknown language left out).
    pub fn languages(&self) -> Result<Vec<Facet>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT language, count(*) AS n FROM clipping WHERE language IS NOT NULL
                 GROUP BY language ORDER BY n DESC, language",
            )?;
            let rows = stmt.query_map([], |r| {
                let code: String = r.get(0)?;
                Ok(Facet {
                    label: code.clone(),
                    value: code,
                    count: r.get(1)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The stored lead image (its hash) of each of these clippings that has one.
    pub fn lead_images(&self, ids: &[i64]) -> Result<HashMap<i64, String>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let ids =
            serde_json::to_string(ids).map_err(|e| StoreError::InvalidInput(e.to_string()))?;
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT clipping_id, blob_hash FROM image
                 WHERE clipping_id IN (SELECT value FROM json_each(?1))
                   AND is_lead = 1 AND blob_hash IS NOT NULL",
            )?;
            let rows = stmt.query_map([ids], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// A watch on the library file that tells when anyone (this process or another, such as
    /// the CLI) committed a change. `None` for a library in memory.
    pub fn watch(&self) -> Result<Option<ChangeWatch>> {
        match self.path() {
            Some(path) => ChangeWatch::open(path).map(Some),
            None => Ok(None),
        }
    }
}

/// Notices commits to a library through SQLite's `data_version`, which changes when another
/// connection commits. Its own read-only connection: the pool's readers would each count apart.
pub struct ChangeWatch {
    conn: Connection,
    last: i64,
}

impl ChangeWatch {
    fn open(path: &Path) -> Result<ChangeWatch> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let last = data_version(&conn)?;
        Ok(ChangeWatch { conn, last })
    }

    /// True when something was committed since the last call (or since the watch opened).
    pub fn changed(&mut self) -> Result<bool> {
        let now = data_version(&self.conn)?;
        let changed = now != self.last;
        self.last = now;
        Ok(changed)
    }
}

fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

/// Where the library lives unless told otherwise: `~/.local/share/clipbook/library.db` on
/// Linux. The CLI and the desktop app open the same file. The folder is created.
pub fn default_library_path() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "clipbook").ok_or_else(|| {
        StoreError::InvalidInput(
            "cannot find your home folder; pass --db PATH or set CLIPBOOK_DB".into(),
        )
    })?;
    let dir = dirs.data_dir();
    std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
        context: format!("cannot create the folder {}", dir.display()),
        source,
    })?;
    Ok(dir.join("library.db"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::NewImage;
    use crate::model::NewClipping;

    fn clip(lib: &Library, url: &str, site: Option<&str>, lang: Option<&str>) -> i64 {
        lib.add_clipping(&NewClipping {
            url: url.into(),
            title: format!("Title of {url}"),
            site_name: site.map(str::to_string),
            language: lang.map(str::to_string),
            content_html: "<p>Some words of an article body.</p>".into(),
            ..NewClipping::default()
        })
        .expect("add")
        .id
    }

    #[test]
    fn sources_are_read_from_an_index_alone() {
        let lib = Library::open_in_memory().expect("open");
        let plan: Vec<String> = lib
            .read(|conn| {
                let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {SOURCES_SQL}"))?;
                let rows = stmt.query_map([MAX_SOURCES], |r| r.get::<_, String>(3))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            })
            .expect("plan");
        assert!(
            plan.iter().any(|step| step.contains("COVERING INDEX")),
            "{plan:?}"
        );
    }

    #[test]
    fn sources_and_languages_count_clippings() {
        let lib = Library::open_in_memory().expect("open");
        clip(
            &lib,
            "https://www.lemonde.fr/a",
            Some("Le Monde"),
            Some("fr"),
        );
        clip(&lib, "https://lemonde.fr/b", None, Some("fr"));
        clip(&lib, "https://bbc.co.uk/c", Some("BBC"), Some("en"));
        clip(&lib, "https://example.org/d", None, None);
        let sources = lib.sources().expect("sources");
        assert_eq!(
            sources[0],
            Facet {
                value: "lemonde.fr".into(),
                label: "Le Monde".into(),
                count: 2
            }
        );
        assert_eq!(sources.len(), 3);
        assert_eq!(sources[2].label, "example.org");
        let langs = lib.languages().expect("languages");
        let pairs: Vec<_> = langs.iter().map(|f| (f.value.as_str(), f.count)).collect();
        assert_eq!(pairs, [("fr", 2), ("en", 1)]);
    }

    #[test]
    fn lead_images_only_for_stored_ones() {
        let lib = Library::open_in_memory().expect("open");
        let a = clip(&lib, "https://a.example/1", None, None);
        let b = clip(&lib, "https://a.example/2", None, None);
        let stored = NewImage {
            url: "https://a.example/lead.jpg".into(),
            bytes: Some(vec![1, 2, 3]),
            is_lead: true,
            ..NewImage::default()
        };
        lib.put_image(a, &stored).expect("put");
        let failed = NewImage {
            url: "https://a.example/lead2.jpg".into(),
            error: Some("HTTP 404".into()),
            is_lead: true,
            ..NewImage::default()
        };
        lib.put_image(b, &failed).expect("put");
        let leads = lib.lead_images(&[a, b]).expect("leads");
        assert_eq!(leads.len(), 1);
        assert_eq!(leads[&a], crate::images::content_hash(&[1, 2, 3]));
    }

    #[test]
    fn a_watch_sees_commits_from_other_connections() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("library.db");
        let lib = Library::open(&path).expect("open");
        let mut watch = lib.watch().expect("watch").expect("a file library");
        assert!(!watch.changed().expect("poll"));
        clip(&lib, "https://a.example/1", None, None);
        assert!(watch.changed().expect("poll"));
        assert!(!watch.changed().expect("poll"), "a change is reported once");
        // Another process's library handle (the CLI) is another connection too.
        let other = Library::open(&path).expect("open again");
        clip(&other, "https://a.example/2", None, None);
        assert!(watch.changed().expect("poll"));
    }
}
