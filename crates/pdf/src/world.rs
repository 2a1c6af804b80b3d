//! The typst `World` of one press review: the template, its data and images as in-memory files,
//! and fonts built into the binary.

use std::collections::HashMap;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Fonts bundled with typst (Libertinus, New Computer Modern, DejaVu Sans Mono) and the Noto
/// fonts embedded by build.rs (Arabic, Hebrew, CJK, Noto Sans): the same output on every
/// machine, whatever fonts it has.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

include!(concat!(env!("OUT_DIR"), "/extra_fonts.rs"));

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .chain(EXTRA_FONTS.iter().copied())
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

static LIBRARY: LazyLock<LazyHash<Library>> =
    LazyLock::new(|| LazyHash::new(Library::builder().build()));

/// A file id for a virtual path. Ids are interned for the life of the process (at most 65,535):
/// callers reuse stable paths (`/img/0.jpg`, …) rather than new names.
pub fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

pub struct PressWorld {
    main: FileId,
    source: Source,
    files: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
}

impl PressWorld {
    pub fn new(
        template: &str,
        files: HashMap<FileId, Bytes>,
        today: (i32, u8, u8),
    ) -> Option<PressWorld> {
        let main = file_id("/main.typ")?;
        Some(PressWorld {
            main,
            source: Source::new(main, template.to_string()),
            files,
            today: Datetime::from_ymd(today.0, today.1, today.2),
        })
    }
}

impl World for PressWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            Ok(self.source.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main {
            return Ok(Bytes::from_string(self.source.clone()));
        }
        self.files.get(&id).cloned().ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}
