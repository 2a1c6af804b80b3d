//! Writing safely: temporary names renamed at the end, and file names made from titles.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::{ExportError, Format, write_error};

/// Longest file name made from a title, in characters (before " (2)" and ".md").
const MAX_NAME_CHARS: usize = 80;

/// Names Windows refuses for a file, whatever its extension.
const WINDOWS_RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// A file name (without extension) from a title, safe on every system and unique among `used`
/// (compared without case, as macOS and Windows do): no path separators, no `..`, no control
/// or reserved characters, no Windows reserved names, at most 80 characters; accents are kept.
pub fn safe_file_name(title: &str, used: &mut HashSet<String>) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '#' | '^' | '[' | ']' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let mut name = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    name = name.chars().take(MAX_NAME_CHARS).collect();
    name = name
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string();
    if name.is_empty() {
        name = "Untitled".into();
    }
    let stem = name.split('.').next().unwrap_or("").to_ascii_lowercase();
    if WINDOWS_RESERVED.contains(&stem.as_str()) {
        name.push('_');
    }
    let mut candidate = name.clone();
    let mut n = 2;
    while !used.insert(candidate.to_lowercase()) {
        candidate = format!("{name} ({n})");
        n += 1;
    }
    candidate
}

/// Where an export is being written, and where it goes when done.
pub struct Target {
    /// Temporary folder beside the destination holding everything being written.
    staging: PathBuf,
    /// (what was written in staging, its final place)
    moves: Vec<(PathBuf, PathBuf)>,
}

impl Target {
    /// A single output file (for exporters outside this crate, such as the PDF).
    pub fn single_file(out: &Path, force: bool) -> Result<Target, ExportError> {
        Target::prepare(out, Format::Json, force)
    }

    /// Refuses to overwrite without `force`, and makes the staging folder.
    pub(crate) fn prepare(out: &Path, format: Format, force: bool) -> Result<Target, ExportError> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| n != ".." && n != ".")
            .ok_or_else(|| ExportError::Write {
                path: out.to_path_buf(),
                source: std::io::Error::other("the destination needs a file or folder name"),
            })?;
        if !parent.is_dir() {
            return Err(ExportError::Write {
                path: out.to_path_buf(),
                source: std::io::Error::other(format!(
                    "the folder {} does not exist",
                    parent.display()
                )),
            });
        }
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        let mut moves = Vec::new();
        match format {
            Format::MarkdownDir => moves.push((staging.join("export"), out.to_path_buf())),
            Format::Markdown => {
                moves.push((staging.join(&name), out.to_path_buf()));
                let assets = assets_dir_name(&name);
                moves.push((staging.join(&assets), parent.join(&assets)));
            }
            Format::Html | Format::Json => moves.push((staging.join(&name), out.to_path_buf())),
        }
        if !force {
            if let Some((_, existing)) = moves.iter().find(|(_, to)| to.exists()) {
                return Err(ExportError::Exists(existing.clone()));
            }
        }
        if staging.exists() {
            let _ = fs::remove_dir_all(&staging);
        }
        fs::create_dir_all(&staging).map_err(write_error(&staging))?;
        if format == Format::MarkdownDir {
            fs::create_dir_all(staging.join("export")).map_err(write_error(&staging))?;
        }
        Ok(Target { staging, moves })
    }

    /// The staged path of the main output.
    pub fn main(&self) -> &Path {
        &self.moves[0].0
    }

    /// The staged assets folder of a single Markdown file.
    pub(crate) fn assets(&self) -> Option<&Path> {
        self.moves.get(1).map(|(from, _)| from.as_path())
    }

    /// Moves everything into place.
    pub fn commit(self) -> Result<(), ExportError> {
        // Assets first: the file that refers to them appears last.
        for (from, to) in self.moves.iter().rev() {
            if !from.exists() {
                continue;
            }
            if to.is_dir() {
                fs::remove_dir_all(to).map_err(write_error(to))?;
            } else if to.exists() {
                fs::remove_file(to).map_err(write_error(to))?;
            }
            fs::rename(from, to).map_err(write_error(to))?;
        }
        let _ = fs::remove_dir_all(&self.staging);
        Ok(())
    }

    /// Removes what was written.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.staging);
    }
}

/// `review.md` keeps its images in `review_assets/`.
pub(crate) fn assets_dir_name(file_name: &str) -> String {
    let stem = file_name.strip_suffix(".md").unwrap_or(file_name);
    format!("{stem}_assets")
}

/// The extension for an image's content type.
pub(crate) fn image_extension(content_type: Option<&str>) -> &'static str {
    match content_type.unwrap_or("").to_ascii_lowercase().as_str() {
        "image/jpeg" | "image/jpg" | "image/pjpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/avif" => "avif",
        "image/svg+xml" => "svg",
        _ => "img",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(title: &str) -> String {
        safe_file_name(title, &mut HashSet::new())
    }

    #[test]
    fn file_names_from_titles_are_safe_everywhere_and_keep_accents() {
        assert_eq!(
            name("IPTV : un vaste réseau démantelé"),
            "IPTV un vaste réseau démantelé"
        );
        assert_eq!(name("../../etc/passwd"), "etc passwd");
        assert_eq!(name("a/b\\c|d?e*f\"g<h>i"), "a b c d e f g h i");
        assert_eq!(name("CON"), "CON_");
        assert_eq!(name("nul.txt"), "nul.txt_");
        assert_eq!(name("..."), "Untitled");
        assert_eq!(name("line\nbreak\ttab\u{7}"), "line break tab");
        assert_eq!(name(&"é".repeat(200)).chars().count(), 80);
        assert_eq!(name("  trailing dots... "), "trailing dots");
    }

    #[test]
    fn file_names_are_unique_ignoring_case() {
        let mut used = HashSet::new();
        assert_eq!(safe_file_name("Budget", &mut used), "Budget");
        assert_eq!(safe_file_name("budget", &mut used), "budget (2)");
        assert_eq!(safe_file_name("BUDGET", &mut used), "BUDGET (3)");
    }
}
