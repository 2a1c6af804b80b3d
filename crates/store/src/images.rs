//! Images of a clipping's offline copy, stored once per distinct content (by SHA-256).

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::clippings::require_clipping;
use crate::dates::now;
use crate::db::Library;
use crate::error::Result;

/// An image to keep with a clipping: its bytes when the download worked, else why it failed.
#[derive(Debug, Clone, Default)]
pub struct NewImage {
    /// The image's address in the article (absolute).
    pub url: String,
    pub content_type: Option<String>,
    pub bytes: Option<Vec<u8>>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// True for the article's lead image.
    pub is_lead: bool,
    /// Why the download failed; the article keeps the remote URL.
    pub error: Option<String>,
    /// The image made ready for print when it was clipped, kept beside it (see
    /// [`Library::print_image`]).
    pub print: Option<PrintVersion>,
}

/// A version of an image made ready for print, and the recipe that made it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintVersion {
    pub recipe: String,
    pub ext: String,
    pub bytes: Vec<u8>,
}

/// A stored image, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageInfo {
    pub url: String,
    pub content_type: Option<String>,
    /// SHA-256 of the bytes (hex); `None` when the download failed.
    pub hash: Option<String>,
    pub size: Option<i64>,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub is_lead: bool,
    pub error: Option<String>,
}

/// Hex SHA-256: the name an image's bytes are stored under.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Stores an image of a clipping inside the caller's transaction. Returns its hash.
pub(crate) fn put_image_in(
    conn: &Connection,
    clipping_id: i64,
    image: &NewImage,
) -> Result<Option<String>> {
    let hash = match &image.bytes {
        Some(bytes) => {
            let hash = content_hash(bytes);
            conn.execute(
                "INSERT OR IGNORE INTO blob (hash, size, bytes) VALUES (?1, ?2, ?3)",
                params![hash, bytes.len() as i64, bytes],
            )?;
            if let Some(print) = &image.print {
                keep_print_image_in(conn, &hash, print)?;
            }
            Some(hash)
        }
        None => None,
    };
    conn.execute(
        "INSERT INTO image (clipping_id, url, content_type, blob_hash, width, height, is_lead, error, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (clipping_id, url) DO UPDATE SET content_type = excluded.content_type,
            blob_hash = excluded.blob_hash, width = excluded.width, height = excluded.height,
            is_lead = excluded.is_lead, error = excluded.error",
        params![
            clipping_id,
            image.url,
            image.content_type,
            hash,
            image.width,
            image.height,
            image.is_lead,
            image.error,
            now()
        ],
    )?;
    Ok(hash)
}

/// Keeps the print-ready version of a stored image (replacing one of the same recipe). An image
/// no longer stored is left alone.
fn keep_print_image_in(conn: &Connection, hash: &str, print: &PrintVersion) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO print_image (blob_id, recipe, ext, bytes)
         SELECT id, ?2, ?3, ?4 FROM blob WHERE hash = ?1",
    )?
    .execute(params![hash, print.recipe, print.ext, print.bytes])?;
    Ok(())
}

impl Library {
    /// Stores an image of a clipping (replacing an earlier one with the same URL).
    pub fn put_image(&self, clipping_id: i64, image: &NewImage) -> Result<Option<String>> {
        self.write(|tx| {
            require_clipping(tx, clipping_id)?;
            put_image_in(tx, clipping_id, image)
        })
    }

    /// A clipping's images, lead image first.
    pub fn images(&self, clipping_id: i64) -> Result<Vec<ImageInfo>> {
        self.read(|conn| {
            require_clipping(conn, clipping_id)?;
            let mut stmt = conn.prepare_cached(
                "SELECT i.url, i.content_type, i.blob_hash, b.size, i.width, i.height, i.is_lead, i.error
                 FROM image i LEFT JOIN blob b ON b.hash = i.blob_hash
                 WHERE i.clipping_id = ?1 ORDER BY i.is_lead DESC, i.id",
            )?;
            let rows = stmt.query_map([clipping_id], |r| {
                Ok(ImageInfo {
                    url: r.get(0)?,
                    content_type: r.get(1)?,
                    hash: r.get(2)?,
                    size: r.get(3)?,
                    width: r.get(4)?,
                    height: r.get(5)?,
                    is_lead: r.get(6)?,
                    error: r.get(7)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The print-ready version of a stored image that an earlier export prepared with this
    /// recipe: its bytes and their extension.
    pub fn print_image(&self, hash: &str, recipe: &str) -> Result<Option<(Vec<u8>, String)>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT p.bytes, p.ext FROM print_image p JOIN blob b ON b.id = p.blob_id
                 WHERE b.hash = ?1 AND p.recipe = ?2",
            )?;
            Ok(stmt
                .query_row([hash, recipe], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?)
        })
    }

    /// Keeps the print-ready version of a stored image (replacing one of the same recipe). An
    /// image no longer stored is left alone.
    pub fn keep_print_image(&self, hash: &str, print: &PrintVersion) -> Result<()> {
        self.write(|tx| keep_print_image_in(tx, hash, print))
    }

    /// The bytes stored under a hash.
    pub fn image_bytes(&self, hash: &str) -> Result<Option<Vec<u8>>> {
        self.read(|conn| {
            Ok(conn
                .query_row("SELECT bytes FROM blob WHERE hash = ?1", [hash], |r| {
                    r.get(0)
                })
                .optional()?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NewClipping;

    fn clip(lib: &Library, n: u32, images: Vec<NewImage>) -> i64 {
        let new = NewClipping {
            url: format!("https://ex.com/{n}"),
            title: "t".into(),
            content_text: "x".into(),
            images,
            ..Default::default()
        };
        lib.add_clipping(&new).unwrap().id
    }

    fn blobs(lib: &Library) -> i64 {
        lib.read(|c| Ok(c.query_row("SELECT count(*) FROM blob", [], |r| r.get(0))?))
            .unwrap()
    }

    #[test]
    fn identical_images_are_stored_once_and_collected_with_their_last_clipping() {
        let lib = Library::open_in_memory().unwrap();
        let img = |url: &str| NewImage {
            url: url.into(),
            content_type: Some("image/png".into()),
            bytes: Some(vec![1, 2, 3]),
            ..Default::default()
        };
        let a = clip(&lib, 1, vec![img("https://ex.com/a.png")]);
        let b = clip(&lib, 2, vec![img("https://cdn.ex.com/same.png")]);
        assert_eq!(blobs(&lib), 1);
        let hash = lib.images(a).unwrap()[0].hash.clone().unwrap();
        assert_eq!(lib.image_bytes(&hash).unwrap(), Some(vec![1, 2, 3]));
        lib.delete_clippings(&[a]).unwrap();
        assert_eq!(blobs(&lib), 1, "still used by the second clipping");
        lib.delete_clippings(&[b]).unwrap();
        assert_eq!(blobs(&lib), 0, "no clipping uses it any more");
    }

    #[test]
    fn a_failed_image_keeps_its_url_and_reason() {
        let lib = Library::open_in_memory().unwrap();
        let id = clip(
            &lib,
            1,
            vec![NewImage {
                url: "https://ex.com/broken.jpg".into(),
                error: Some("HTTP 404 Not Found".into()),
                ..Default::default()
            }],
        );
        let images = lib.images(id).unwrap();
        assert_eq!(images[0].hash, None);
        assert_eq!(images[0].error.as_deref(), Some("HTTP 404 Not Found"));
    }

    #[test]
    fn print_ready_versions_are_kept_per_recipe_and_go_with_their_image() {
        let lib = Library::open_in_memory().unwrap();
        let version = |recipe: &str, bytes: &[u8]| PrintVersion {
            recipe: recipe.into(),
            ext: "pdf".into(),
            bytes: bytes.to_vec(),
        };
        let id = clip(
            &lib,
            1,
            vec![NewImage {
                url: "https://ex.com/a.jpg".into(),
                bytes: Some(vec![9; 64]),
                print: Some(version("968px", b"clipped")),
                ..Default::default()
            }],
        );
        let hash = lib.images(id).unwrap()[0].hash.clone().unwrap();
        assert_eq!(
            lib.print_image(&hash, "968px").unwrap(),
            Some((b"clipped".to_vec(), "pdf".to_string())),
            "the version made when clipping is kept with the image"
        );
        lib.keep_print_image(&hash, &version("968px", b"smaller"))
            .unwrap();
        assert_eq!(
            lib.print_image(&hash, "968px").unwrap(),
            Some((b"smaller".to_vec(), "pdf".to_string())),
            "one version per recipe, the last kept"
        );
        assert_eq!(lib.print_image(&hash, "800px").unwrap(), None);
        lib.keep_print_image("no-such-hash", &version("968px", b"x"))
            .unwrap();
        let count = |lib: &Library| -> i64 {
            lib.read(|c| Ok(c.query_row("SELECT count(*) FROM print_image", [], |r| r.get(0))?))
                .unwrap()
        };
        assert_eq!(
            count(&lib),
            1,
            "nothing kept for an image the library does not hold"
        );
        lib.delete_clippings(&[id]).unwrap();
        assert_eq!(count(&lib), 0, "deleted with the image");
    }
}
