//! One function per command: read the arguments, call the store, print the result.

use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clipbook_store::{ClippingPatch, Filters, Library, ListRequest, Sort};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::cli::{
    Cli, CollectionCommand, Command, EditArgs, FilterArgs, ImportArgs, ImportFormat, PageArgs,
    ShowArgs, ShowFormat, SortArg, TagCommand,
};
use crate::output::{day, print_json, print_rows, print_rows_json};

fn open(db: Option<PathBuf>) -> Result<Library> {
    let path = match db {
        Some(path) => path,
        None => clipbook_store::default_library_path()?,
    };
    Ok(Library::open(&path)?)
}

pub fn run(cli: Cli) -> Result<()> {
    if let Command::Extract(args) = &cli.command {
        return crate::extract::run(args);
    }
    let lib = open(cli.db)?;
    match cli.command {
        Command::Extract(_) => Ok(()),
        Command::Add(args) => crate::add::add(lib, &args),
        Command::Export(args) => export(&lib, &args),
        Command::Refetch { ids, fetch } => crate::add::refetch(lib, &ids, &fetch),
        Command::List(args) => list(&lib, String::new(), args.filters.into(), &args.page),
        Command::Search(args) => list(&lib, args.query, args.filters.into(), &args.page),
        Command::Show(args) => show(&lib, &args),
        Command::Edit(args) => edit(&lib, args),
        Command::Delete { ids } => {
            let n = lib.delete_clippings(&ids)?;
            say(&format!("deleted {n} clipping{}", plural(n)))
        }
        Command::Tag(cmd) => tag(&lib, cmd),
        Command::Collection(cmd) => collection(&lib, cmd),
        Command::Import(args) if args.from == ImportFormat::Jsonl => import(&lib, &args),
        Command::Import(args) => crate::import::run(lib, &args),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A confirmation, on stdout.
fn say(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "{text}")?;
    Ok(())
}

impl From<FilterArgs> for Filters {
    fn from(f: FilterArgs) -> Self {
        Filters {
            tags: f.tags,
            collection: f.collection,
            site: f.site,
            language: f.lang,
            since: f.since,
            until: f.until,
        }
    }
}

fn sort(arg: Option<SortArg>) -> Option<Sort> {
    arg.map(|s| match s {
        SortArg::Date => Sort::Date,
        SortArg::Added => Sort::Added,
        SortArg::Title => Sort::Title,
        SortArg::Position => Sort::Position,
        SortArg::Relevance => Sort::Relevance,
    })
}

fn list(lib: &Library, query: String, filters: Filters, page: &PageArgs) -> Result<()> {
    let req = ListRequest {
        query,
        filters,
        sort: sort(page.sort),
        limit: page.limit,
        offset: page.offset,
    };
    let rows = lib.list(&req)?;
    if page.json {
        return print_rows_json(&rows);
    }
    print_rows(&rows)?;
    let shown = rows.len();
    let total = if shown < page.limit && (shown > 0 || page.offset == 0) {
        page.offset + shown
    } else {
        usize::try_from(lib.count(&req)?).unwrap_or(usize::MAX)
    };
    if total == 0 && req.query.is_empty() && req.filters == Filters::default() {
        eprintln!("the library is empty: clip an article with `clipbook add URL`");
    } else if total == 0 {
        eprintln!("no clippings match");
    } else if shown < total {
        eprintln!(
            "showing {}–{} of {total} (use --limit and --offset to see more)",
            page.offset + 1,
            page.offset + shown
        );
    }
    Ok(())
}

fn show(lib: &Library, args: &ShowArgs) -> Result<()> {
    let c = lib.clipping(args.id)?;
    let mut out = io::stdout().lock();
    let source = c
        .site_name
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| c.host.clone());
    let byline: Vec<String> = [
        Some(source),
        (!c.authors.is_empty()).then(|| c.authors.join(", ")),
        c.published_at.as_deref().map(|d| day(Some(d)).to_string()),
        c.language.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    match args.format {
        ShowFormat::Json => {
            #[derive(Serialize)]
            struct Full<'a> {
                #[serde(flatten)]
                clipping: &'a clipbook_store::Clipping,
                images: Vec<clipbook_store::ImageInfo>,
            }
            drop(out);
            let images = lib.images(c.id)?;
            return print_json(&Full {
                clipping: &c,
                images,
            });
        }
        ShowFormat::Html => writeln!(out, "{}", c.content_html)?,
        ShowFormat::Text => {
            writeln!(out, "{}", c.title)?;
            writeln!(out, "{}", byline.join(" · "))?;
            writeln!(out, "{}", c.url)?;
            if !c.tags.is_empty() {
                writeln!(out, "Tags: {}", c.tags.join(", "))?;
            }
            if !c.collections.is_empty() {
                writeln!(out, "Collections: {}", c.collections.join(", "))?;
            }
            writeln!(out, "\n{}", c.content_text)?;
            if !c.notes.trim().is_empty() {
                writeln!(out, "\nNotes:\n{}", c.notes.trim())?;
            }
        }
        ShowFormat::Markdown => {
            let images = lib.images(c.id)?;
            let md = clipbook_export::markdown::article_markdown(&c, &|_| None, &images)?;
            write!(out, "{md}")?;
        }
    }
    out.flush()?;
    Ok(())
}

fn optional(value: Option<String>) -> Option<Option<String>> {
    value.map(|v| Some(v).filter(|v| !v.trim().is_empty()))
}

fn edit(lib: &Library, args: EditArgs) -> Result<()> {
    let patch = ClippingPatch {
        title: args.title,
        notes: args.notes,
        authors: (!args.authors.is_empty()).then_some(args.authors),
        published_at: optional(args.published),
        site_name: optional(args.site),
        language: optional(args.lang),
    };
    if patch.title.is_none()
        && patch.notes.is_none()
        && patch.authors.is_none()
        && patch.published_at.is_none()
        && patch.site_name.is_none()
        && patch.language.is_none()
    {
        bail!("nothing to change: give --title, --notes, --author, --published, --site or --lang");
    }
    let c = lib.update_clipping(args.id, &patch)?;
    say(&format!("updated clipping {}: {}", c.id, c.title))
}

fn tag(lib: &Library, cmd: TagCommand) -> Result<()> {
    match cmd {
        TagCommand::Add { id, tags } => {
            let n = lib.tag_clippings(&[id], &tags)?;
            say(&format!("added {n} tag{} to clipping {id}", plural(n)))
        }
        TagCommand::Remove { id, tags } => {
            let n = lib.untag_clippings(&[id], &tags)?;
            say(&format!("removed {n} tag{} from clipping {id}", plural(n)))
        }
        TagCommand::List { json } => {
            let tags = lib.tags()?;
            if json {
                return print_json(&tags);
            }
            let mut out = io::stdout().lock();
            for t in &tags {
                let depth = t.name.matches('/').count();
                let leaf = t.name.rsplit('/').next().unwrap_or(&t.name);
                let counts = if t.total == t.count {
                    t.count.to_string()
                } else {
                    format!("{} ({} with sub-tags)", t.count, t.total)
                };
                writeln!(out, "{}{leaf}  {counts}", "  ".repeat(depth))?;
            }
            if tags.is_empty() {
                eprintln!("no tags yet: add one with `clipbook tag add ID TAG`");
            }
            Ok(())
        }
        TagCommand::Rename { old, new } => {
            let n = lib.rename_tag(&old, &new)?;
            say(&format!("renamed {n} tag{}", plural(n)))
        }
        TagCommand::Merge { from, into } => {
            lib.merge_tags(&from, &into)?;
            say(&format!("merged \"{from}\" into \"{into}\""))
        }
        TagCommand::Delete { tag } => {
            let n = lib.delete_tag(&tag)?;
            say(&format!(
                "deleted {n} tag{} (the clippings stay)",
                plural(n)
            ))
        }
    }
}

fn collection(lib: &Library, cmd: CollectionCommand) -> Result<()> {
    match cmd {
        CollectionCommand::New {
            name,
            description,
            query,
            filters,
        } => {
            let filters: Filters = filters.into();
            let saved = query.is_some() || filters != Filters::default();
            let query = query.unwrap_or_default();
            let info = lib.create_collection(
                &name,
                &description,
                saved.then_some((query.as_str(), &filters)),
            )?;
            say(&format!(
                "created {} collection \"{}\" ({} clipping{})",
                if saved {
                    "saved-search"
                } else {
                    "hand-ordered"
                },
                info.name,
                info.count,
                plural(usize::try_from(info.count).unwrap_or(0))
            ))
        }
        CollectionCommand::Add { name, ids } => {
            let n = lib.add_to_collection(&name, &ids)?;
            say(&format!("added {n} clipping{} to \"{name}\"", plural(n)))
        }
        CollectionCommand::Remove { name, ids } => {
            let n = lib.remove_from_collection(&name, &ids)?;
            say(&format!(
                "removed {n} clipping{} from \"{name}\"",
                plural(n)
            ))
        }
        CollectionCommand::Move { name, id, position } => {
            lib.move_in_collection(&name, id, position as usize)?;
            say(&format!(
                "moved clipping {id} to position {position} in \"{name}\""
            ))
        }
        CollectionCommand::List { json } => {
            let all = lib.collections()?;
            if json {
                return print_json(&all);
            }
            let mut out = io::stdout().lock();
            for c in &all {
                let kind = match &c.query {
                    Some(q) if !q.is_empty() => format!("saved search \"{q}\""),
                    Some(_) => "saved search".to_string(),
                    None => "hand-ordered".to_string(),
                };
                writeln!(
                    out,
                    "{}  {} clipping{}  {kind}",
                    c.name,
                    c.count,
                    plural(c.count as usize)
                )?;
            }
            if all.is_empty() {
                eprintln!("no collections yet: create one with `clipbook collection new NAME`");
            }
            Ok(())
        }
        CollectionCommand::Show { name, page } => {
            let info = lib.collection(&name)?;
            if !page.json {
                let mut out = io::stdout().lock();
                writeln!(
                    out,
                    "{} — {} clipping{}",
                    info.name,
                    info.count,
                    plural(info.count as usize)
                )?;
                if !info.description.is_empty() {
                    writeln!(out, "{}", info.description)?;
                }
            }
            let filters = Filters {
                collection: Some(info.name.clone()),
                ..Filters::default()
            };
            list(lib, String::new(), filters, &page)
        }
        CollectionCommand::Rename { old, new } => {
            lib.rename_collection(&old, &new)?;
            say(&format!("renamed \"{old}\" to \"{new}\""))
        }
        CollectionCommand::Delete { name } => {
            lib.delete_collection(&name)?;
            say(&format!(
                "deleted collection \"{name}\" (its clippings stay)"
            ))
        }
    }
}

fn export(lib: &Library, args: &crate::cli::ExportArgs) -> Result<()> {
    use clipbook_export::{ExportOptions, Format, Selection};
    let selection = if let Some(name) = &args.collection {
        Selection::Collection(name.clone())
    } else if let Some(tag) = &args.tag {
        Selection::Tag(tag.clone())
    } else if let Some(q) = &args.query {
        Selection::Query(q.clone())
    } else {
        Selection::Ids(args.ids.clone())
    };
    let format = match args.format {
        crate::cli::ExportFormat::Markdown => Format::Markdown,
        crate::cli::ExportFormat::MarkdownDir => Format::MarkdownDir,
        crate::cli::ExportFormat::Html => Format::Html,
        crate::cli::ExportFormat::Json => Format::Json,
        crate::cli::ExportFormat::Pdf => return export_pdf(lib, &selection, args),
    };
    let options = ExportOptions {
        format,
        out: args.out.clone(),
        force: args.force,
        remote_images: args.remote_images,
        title: args.title.clone(),
    };
    let bar = if io::stderr().is_terminal() {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("exporting [{bar:30}] {pos}/{len} · {eta} left")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let report = clipbook_export::export(lib, &selection, &options, &mut |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
    let report = report?;
    if args.json {
        return print_json(&report);
    }
    say(&format!(
        "exported {} clipping{} to {}{}",
        report.clippings,
        plural(report.clippings),
        report.path.display(),
        if report.images > 0 {
            format!(" ({} image{})", report.images, plural(report.images))
        } else {
            String::new()
        }
    ))
}

fn export_pdf(
    lib: &Library,
    selection: &clipbook_export::Selection,
    args: &crate::cli::ExportArgs,
) -> Result<()> {
    let options = clipbook_pdf::PdfOptions {
        out: args.out.clone(),
        force: args.force,
        paper: match args.paper {
            crate::cli::PaperArg::A4 => clipbook_pdf::Paper::A4,
            crate::cli::PaperArg::Letter => clipbook_pdf::Paper::Letter,
        },
        title: args.title.clone(),
    };
    let bar = if io::stderr().is_terminal() {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message("preparing articles");
        bar
    } else {
        ProgressBar::hidden()
    };
    let report = clipbook_pdf::export_pdf(lib, selection, &options, &mut |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        if done == total {
            bar.set_message("typesetting");
        }
    });
    bar.finish_and_clear();
    let report = report?;
    if args.json {
        return print_json(&report);
    }
    say(&format!(
        "exported {} clipping{} to {} ({} pages, {:.1} MB)",
        report.clippings,
        plural(report.clippings),
        report.path.display(),
        report.pages,
        report.bytes as f64 / 1e6
    ))
}

fn import(lib: &Library, args: &ImportArgs) -> Result<()> {
    let reader: Box<dyn BufRead> = if args.file.as_os_str() == "-" {
        Box::new(BufReader::new(io::stdin().lock()))
    } else {
        let file = File::open(&args.file)
            .with_context(|| format!("cannot open {}", args.file.display()))?;
        Box::new(BufReader::new(file))
    };
    let bar = if io::stderr().is_terminal() {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} importing: {pos} lines read ({per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let report = lib.import_jsonl(reader, &args.tags, |lines| bar.set_position(lines as u64));
    bar.finish_and_clear();
    let report = report?;
    if args.json {
        return print_json(&report);
    }
    let mut summary = format!(
        "imported {} clipping{}; {} already in the library",
        report.added,
        plural(report.added),
        report.existing
    );
    if report.skipped > 0 {
        summary.push_str(&format!(
            "; skipped {} extraction error line{}",
            report.skipped,
            plural(report.skipped)
        ));
    }
    say(&summary)
}
