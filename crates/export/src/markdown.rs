//! Markdown exports: one file (images in `<name>_assets/`), or a folder of notes with YAML front
//! matter, an `assets/` folder and an `index.md`.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::Path;

use clipbook_store::{Clipping, ImageInfo, Library};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Serialize;

use crate::files::{Target, image_extension, safe_file_name};
use crate::{
    ExportError, ExportOptions, Item, Resolved, date_range, day, load, source, summary_day,
    write_error,
};

/// Characters escaped in a link destination (the rest, accents included, stays readable).
const LINK: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'(')
    .add(b')')
    .add(b'<')
    .add(b'>')
    .add(b'#')
    .add(b'%');

/// Escapes what would turn a line of plain text into Markdown syntax.
pub fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.chars().enumerate() {
        let special = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~'
        ) || (i == 0 && matches!(c, '#' | '+' | '-' | '=' | '!'));
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `source · author · date · [original](url)` line under an article's title.
pub fn metadata_line(c: &Clipping) -> String {
    let mut parts = vec![escape_inline(crate::source(c))];
    if !c.authors.is_empty() {
        parts.push(escape_inline(&c.authors.join(", ")));
    }
    let d = c.published_at.as_deref().and_then(|p| p.get(..10));
    if let Some(d) = d {
        parts.push(d.to_string());
    }
    parts.push(format!("[original](<{}>)", c.url.replace('>', "%3E")));
    parts.join(" · ")
}

/// An HTML attribute value as ammonia writes it, to find an image's `src` in a stored body.
fn attribute_escaped(url: &str) -> String {
    url.replace('&', "&amp;").replace('"', "&quot;")
}

/// The body of a clipping in Markdown, as `clipbook extract` writes it. `image_link` maps an
/// image's original URL to the link to write instead (a local file), or `None` to keep the
/// original.
pub fn body_markdown(
    c: &Clipping,
    image_link: &dyn Fn(&str) -> Option<String>,
    images: &[ImageInfo],
) -> String {
    // The article's title is the `#` heading: the body's own headings go one level down.
    let mut html = c
        .content_html
        .replace("<h1", "<h2")
        .replace("</h1>", "</h2>");
    for image in images {
        if let Some(link) = image_link(&image.url) {
            html = html.replace(
                &format!("src=\"{}\"", attribute_escaped(&image.url)),
                &format!("src=\"{}\"", attribute_escaped(&link)),
            );
        }
    }
    clipbook_extract::html_to_markdown(&html).trim().to_string()
}

/// A whole article: `#` title, metadata line, body, the user's notes as a quote.
pub fn article_markdown(
    c: &Clipping,
    image_link: &dyn Fn(&str) -> Option<String>,
    images: &[ImageInfo],
) -> Result<String, ExportError> {
    let mut out = format!("# {}\n\n{}\n\n", escape_inline(&c.title), metadata_line(c));
    let body = body_markdown(c, image_link, images);
    if !body.is_empty() {
        out.push_str(&body);
        out.push_str("\n\n");
    }
    if !c.notes.trim().is_empty() {
        out.push_str("> **Notes**\n>\n");
        let lines: Vec<&str> = c.notes.trim().lines().collect();
        for (i, line) in lines.iter().enumerate() {
            // A trailing backslash is a hard line break: the user's lines stay lines.
            let brk = if i + 1 < lines.len() && !line.trim().is_empty() {
                "\\"
            } else {
                ""
            };
            out.push_str(&format!("> {}{brk}\n", escape_inline(line)));
        }
        out.push('\n');
    }
    Ok(out)
}

/// A heading's anchor as GitHub and most renderers make it, unique in `used`.
fn anchor(title: &str, used: &mut HashSet<String>) -> String {
    let slug: String = title
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c)
            } else if c == ' ' {
                Some('-')
            } else {
                None
            }
        })
        .collect();
    let mut candidate = slug.clone();
    let mut n = 1;
    while !used.insert(candidate.clone()) {
        candidate = format!("{slug}-{n}");
        n += 1;
    }
    candidate
}

/// Copies a clipping's stored images into `dir`, once per content. Returns original URL → file
/// name.
fn copy_images(
    lib: &Library,
    item: &Item,
    dir: &Path,
    written: &mut HashSet<String>,
) -> Result<HashMap<String, String>, ExportError> {
    let mut names = HashMap::new();
    for image in &item.images {
        let Some(hash) = &image.hash else { continue };
        let name = format!(
            "{}.{}",
            &hash[..hash.len().min(16)],
            image_extension(image.content_type.as_deref())
        );
        if written.insert(name.clone()) {
            // An image that vanished from the library is linked at its original address.
            let Some(bytes) = lib.image_bytes(hash)? else {
                continue;
            };
            fs::create_dir_all(dir).map_err(write_error(dir))?;
            let path = dir.join(&name);
            fs::write(&path, bytes).map_err(write_error(&path))?;
        }
        names.insert(image.url.clone(), name);
    }
    Ok(names)
}

fn link_to(folder: &str, name: &str) -> String {
    utf8_percent_encode(&format!("{folder}/{name}"), LINK).to_string()
}

/// One Markdown file with a table of contents; images in `<name>_assets/`.
pub(crate) fn write_file(
    lib: &Library,
    resolved: &Resolved,
    title: &str,
    options: &ExportOptions,
    target: &Target,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<usize, ExportError> {
    let path = target.main().to_path_buf();
    let assets = target.assets().map(Path::to_path_buf);
    let assets_name = assets
        .as_ref()
        .and_then(|a| a.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let total = resolved.clippings.len();

    // First pass: the table of contents needs every title, date and source (small data).
    let mut used = HashSet::new();
    anchor(title, &mut used);
    let mut toc = Vec::with_capacity(total);
    let mut days = Vec::with_capacity(total);
    for c in &resolved.clippings {
        days.push(summary_day(c).to_string());
        toc.push(format!(
            "{}. [{}](#{}) — {}, {}",
            toc.len() + 1,
            escape_inline(&c.title),
            anchor(&c.title, &mut used),
            escape_inline(c.source()),
            summary_day(c)
        ));
    }
    let mut out = std::io::BufWriter::new(fs::File::create(&path).map_err(write_error(&path))?);
    let mut head = format!("# {}\n\n", escape_inline(title));
    if !resolved.description.is_empty() && options.title.is_none() {
        head.push_str(&format!("{}\n\n", escape_inline(&resolved.description)));
    }
    head.push_str(&format!(
        "{} · {} article{}\n\n## Contents\n\n{}\n\n---\n\n",
        date_range(&days),
        total,
        if total == 1 { "" } else { "s" },
        toc.join("\n")
    ));
    out.write_all(head.as_bytes()).map_err(write_error(&path))?;

    let mut written = HashSet::new();
    for (i, id) in resolved.ids().enumerate() {
        let item = load(lib, id)?;
        let names = match (&assets, options.remote_images) {
            (Some(dir), false) => copy_images(lib, &item, dir, &mut written)?,
            _ => HashMap::new(),
        };
        let link = |url: &str| names.get(url).map(|n| link_to(&assets_name, n));
        let md = article_markdown(&item.clipping, &link, &item.images)?;
        out.write_all(md.as_bytes()).map_err(write_error(&path))?;
        if i + 1 < total {
            out.write_all(b"---\n\n").map_err(write_error(&path))?;
        }
        progress(i + 1, total);
    }
    out.flush().map_err(write_error(&path))?;
    Ok(written.len())
}

#[derive(Serialize)]
struct FrontMatter<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<&'a str>,
    source: &'a str,
    url: &'a str,
    tags: &'a [String],
    clipped: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
}

/// The YAML front matter of a note, written by a YAML serialiser (never pasted together).
pub fn front_matter(c: &Clipping) -> Result<String, ExportError> {
    let fm = FrontMatter {
        title: &c.title,
        author: (!c.authors.is_empty()).then(|| c.authors.join(", ")),
        published: c.published_at.as_deref(),
        source: source(c),
        url: &c.url,
        tags: &c.tags,
        clipped: &c.created_at,
        language: c.language.as_deref(),
    };
    let yaml = serde_norway::to_string(&fm).map_err(|e| ExportError::Convert {
        id: c.id,
        message: e.to_string(),
    })?;
    Ok(format!("---\n{yaml}---\n\n"))
}

/// A folder of notes: one `.md` per clipping with YAML front matter, `assets/`, `index.md`.
pub(crate) fn write_dir(
    lib: &Library,
    resolved: &Resolved,
    title: &str,
    options: &ExportOptions,
    target: &Target,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<usize, ExportError> {
    let dir = target.main().to_path_buf();
    let assets = dir.join("assets");
    let total = resolved.clippings.len();
    let mut used = HashSet::new();
    used.insert("index".to_string());
    let mut written = HashSet::new();
    let mut index = Vec::with_capacity(total);
    let mut days = Vec::with_capacity(total);
    for (i, id) in resolved.ids().enumerate() {
        let item = load(lib, id)?;
        let c = &item.clipping;
        let names = if options.remote_images {
            HashMap::new()
        } else {
            copy_images(lib, &item, &assets, &mut written)?
        };
        let link = |url: &str| names.get(url).map(|n| link_to("assets", n));
        let name = safe_file_name(&c.title, &mut used);
        let note = format!(
            "{}{}",
            front_matter(c)?,
            article_markdown(c, &link, &item.images)?
        );
        let path = dir.join(format!("{name}.md"));
        fs::write(&path, note).map_err(write_error(&path))?;
        days.push(day(c).to_string());
        index.push(format!(
            "{}. [{}]({}) — {}, {}",
            i + 1,
            escape_inline(&c.title),
            utf8_percent_encode(&format!("{name}.md"), LINK),
            escape_inline(source(c)),
            day(c)
        ));
        progress(i + 1, total);
    }
    let index_md = format!(
        "# {}\n\n{} · {} article{}\n\n{}\n",
        escape_inline(title),
        date_range(&days),
        total,
        if total == 1 { "" } else { "s" },
        index.join("\n")
    );
    let path = dir.join("index.md");
    fs::write(&path, index_md).map_err(write_error(&path))?;
    Ok(written.len())
}
