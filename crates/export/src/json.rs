//! JSON export: every field of every clipping, for other tools.

use std::fs;
use std::io::Write;

use clipbook_store::{Clipping, ImageInfo, Library};
use serde::Serialize;

use crate::files::Target;
use crate::{ExportError, Resolved, load, write_error};

#[derive(Serialize)]
struct Record<'a> {
    #[serde(flatten)]
    clipping: &'a Clipping,
    images: &'a [ImageInfo],
}

/// A JSON array, one object per clipping, written as it goes.
pub(crate) fn write(
    lib: &Library,
    resolved: &Resolved,
    target: &Target,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<usize, ExportError> {
    let path = target.main().to_path_buf();
    let mut out = std::io::BufWriter::new(fs::File::create(&path).map_err(write_error(&path))?);
    let total = resolved.clippings.len();
    out.write_all(b"[\n").map_err(write_error(&path))?;
    for (i, id) in resolved.ids().enumerate() {
        let item = load(lib, id)?;
        let record = Record {
            clipping: &item.clipping,
            images: &item.images,
        };
        serde_json::to_writer_pretty(&mut out, &record).map_err(|e| ExportError::Write {
            path: path.clone(),
            source: e.into(),
        })?;
        out.write_all(if i + 1 < total { b",\n" } else { b"\n" })
            .map_err(write_error(&path))?;
        progress(i + 1, total);
    }
    out.write_all(b"]\n").map_err(write_error(&path))?;
    out.flush().map_err(write_error(&path))?;
    Ok(0)
}
