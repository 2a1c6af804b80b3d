//! A self-contained HTML file: every image inlined, a stylesheet that reads well on screen and
//! prints one article per page.

use std::fs;
use std::io::Write;

use base64::Engine;
use clipbook_store::{Library, escape_html as escape};

use crate::files::Target;
use crate::{
    ExportError, ExportOptions, Resolved, date_range, load, source, summary_day, write_error,
};

const STYLE: &str = r#"
:root { color-scheme: light; }
body { font: 17px/1.6 Georgia, "Iowan Old Style", "Noto Serif", serif; color: #1d1d1f;
  max-width: 42rem; margin: 3rem auto; padding: 0 1.25rem; hyphens: auto; }
h1, h2, h3, h4 { font-family: "Helvetica Neue", Arial, "Noto Sans", sans-serif; line-height: 1.25; }
.cover { border-bottom: 2px solid #1d1d1f; margin-bottom: 2rem; }
.cover h1 { font-size: 2.2rem; margin-bottom: .3rem; }
.cover p { color: #555; margin: .2rem 0; }
nav ol { padding-left: 1.4rem; } nav li { margin: .3rem 0; }
nav .src, .meta { color: #666; font-size: .9rem; font-family: "Helvetica Neue", Arial, sans-serif; }
article { border-top: 1px solid #ccc; padding-top: 1.5rem; margin-top: 2.5rem; }
article > h1 { font-size: 1.7rem; margin: 0 0 .4rem; }
img { max-width: 100%; height: auto; }
figure { margin: 1.2rem 0; } figcaption { color: #555; font-size: .9rem; }
blockquote { border-left: 3px solid #bbb; margin-left: 0; padding-left: 1rem; color: #333; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .3rem .5rem; }
pre { overflow-x: auto; background: #f5f5f5; padding: .8rem; }
a { color: #0b57d0; overflow-wrap: anywhere; }
.notes { background: #fff8dc; padding: .6rem 1rem; border-radius: 4px; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  nav, article { break-before: page; }
  article { border: 0; margin: 0; }
  a { color: inherit; text-decoration: none; }
}
"#;

pub(crate) fn write(
    lib: &Library,
    resolved: &Resolved,
    title: &str,
    options: &ExportOptions,
    target: &Target,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<usize, ExportError> {
    let path = target.main().to_path_buf();
    let total = resolved.clippings.len();
    let mut toc = String::new();
    let mut days = Vec::with_capacity(total);
    for (i, c) in resolved.clippings.iter().enumerate() {
        days.push(summary_day(c).to_string());
        toc.push_str(&format!(
            "<li><a href=\"#a{}\">{}</a> <span class=\"src\">{} · {}</span></li>\n",
            i + 1,
            escape(&c.title),
            escape(c.source()),
            summary_day(c)
        ));
    }
    let mut out = std::io::BufWriter::new(fs::File::create(&path).map_err(write_error(&path))?);
    let description = if options.title.is_none() && !resolved.description.is_empty() {
        format!("<p>{}</p>", escape(&resolved.description))
    } else {
        String::new()
    };
    let head = format!(
        "<!doctype html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"Clipbook\">\n<title>{t}</title>\n<style>{STYLE}</style>\n\
         </head>\n<body>\n<header class=\"cover\"><h1>{t}</h1>{description}<p>{range} · {total} article{s}</p></header>\n\
         <nav><h2>Contents</h2><ol>\n{toc}</ol></nav>\n",
        t = escape(title),
        range = escape(&date_range(&days)),
        s = if total == 1 { "" } else { "s" },
    );
    out.write_all(head.as_bytes()).map_err(write_error(&path))?;
    let mut inlined = 0;
    for (i, id) in resolved.ids().enumerate() {
        let item = load(lib, id)?;
        let c = &item.clipping;
        // The body was sanitised before it was stored: it is safe to include as it is.
        let mut body = c.content_html.clone();
        if !options.remote_images {
            for image in &item.images {
                let Some(hash) = &image.hash else { continue };
                let Some(bytes) = lib.image_bytes(hash)? else {
                    continue;
                };
                let data = format!(
                    "data:{};base64,{}",
                    image.content_type.as_deref().unwrap_or("image/png"),
                    base64::engine::general_purpose::STANDARD.encode(&bytes)
                );
                let from = format!(
                    "src=\"{}\"",
                    image.url.replace('&', "&amp;").replace('"', "&quot;")
                );
                if body.contains(&from) {
                    body = body.replace(&from, &format!("src=\"{data}\""));
                    inlined += 1;
                }
            }
        }
        let mut meta = vec![escape(source(c))];
        if !c.authors.is_empty() {
            meta.push(escape(&c.authors.join(", ")));
        }
        if let Some(d) = c.published_at.as_deref().and_then(|p| p.get(..10)) {
            meta.push(d.to_string());
        }
        meta.push(format!("<a href=\"{}\">original</a>", escape(&c.url)));
        let notes = if c.notes.trim().is_empty() {
            String::new()
        } else {
            format!(
                "<aside class=\"notes\"><strong>Notes</strong><p>{}</p></aside>",
                escape(c.notes.trim()).replace('\n', "<br>")
            )
        };
        let lang = c
            .language
            .as_deref()
            .map(|l| format!(" lang=\"{}\"", escape(l)))
            .unwrap_or_default();
        let article = format!(
            "<article id=\"a{}\"{lang} dir=\"auto\">\n<h1>{}</h1>\n<p class=\"meta\">{}</p>\n{body}\n{notes}\n</article>\n",
            i + 1,
            escape(&c.title),
            meta.join(" · "),
        );
        out.write_all(article.as_bytes())
            .map_err(write_error(&path))?;
        progress(i + 1, total);
    }
    out.write_all(b"</body>\n</html>\n")
        .map_err(write_error(&path))?;
    out.flush().map_err(write_error(&path))?;
    Ok(inlined)
}
