//! The desktop app's commands and jobs, without a window: what the UI asks, what it gets back,
//! and the events a job sends.

#[path = "../../fetch/tests/common/mod.rs"]
mod common;

use std::sync::{Arc, Mutex};

use clipbook_desktop::*;
use clipbook_store::{Filters, Library};
use common::{Response, Server, article_page};

/// A real image (the shared fixture's 1×1 PNG has a bad checksum: decoders refuse it).
fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(320, 200, |x, y| image::Rgb([x as u8, y as u8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

const BASE: &str = "clipbook://localhost/";

fn site() -> Server {
    Server::start(|req| match req.path() {
        "/a" => Response::html(&article_page("Un vaste réseau démantelé", &["/img/a.png"])),
        "/b" => Response::html(&article_page("Les serveurs saisis", &[])),
        "/img/a.png" | "/img/lead.jpg" => Response::new(200, "image/png", png()),
        _ => Response::new(404, "text/html", "<p>not here</p>"),
    })
}

fn desktop() -> Arc<Desktop> {
    Arc::new(Desktop::with_library(
        Library::open_in_memory().expect("library"),
        BASE,
    ))
}

/// Runs a clipping job to its end and returns what it reported.
fn clip(desktop: &Arc<Desktop>, urls: &[String], tags: &[&str]) -> Vec<ClipEvent> {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&events);
    let req = ClipRequest {
        urls: urls.to_vec(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        collection: None,
    };
    let (_job, work) = desktop
        .clip_job(req, move |e| sink.lock().expect("lock").push(e))
        .expect("job starts");
    tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(work);
    events.lock().expect("lock").clone()
}

fn progress(events: &[ClipEvent]) -> Vec<(String, ClipState)> {
    events
        .iter()
        .filter_map(|e| match e {
            ClipEvent::Progress(p) => Some((p.url.clone(), p.state)),
            ClipEvent::Finished(_) => None,
        })
        .collect()
}

#[test]
fn a_clipping_job_reports_every_address_then_a_summary() {
    let server = site();
    let desktop = desktop();
    let (a, b, missing) = (server.url("/a"), server.url("/b"), server.url("/gone"));
    let urls = vec![a.clone(), b.clone(), missing.clone(), a.clone()];
    let events = clip(&desktop, &urls, &["piracy/iptv"]);
    let states = progress(&events);
    // First every address is "working" (the duplicate too: the UI listed it)…
    assert_eq!(
        states[..4]
            .iter()
            .filter(|(_, s)| *s == ClipState::Working)
            .count(),
        4
    );
    // …then each distinct one finishes once.
    let finished: Vec<_> = states[4..].to_vec();
    assert_eq!(finished.len(), 3, "{finished:?}");
    assert!(finished.contains(&(a.clone(), ClipState::Added)));
    assert!(finished.contains(&(b.clone(), ClipState::Added)));
    assert!(finished.contains(&(missing.clone(), ClipState::Failed)));
    let failure = events
        .iter()
        .find_map(|e| match e {
            ClipEvent::Progress(p) if p.state == ClipState::Failed => p.error.clone(),
            _ => None,
        })
        .expect("the failure says why");
    assert_eq!(failure.code, "http_status");
    assert!(failure.message.contains("404"), "{}", failure.message);
    match events.last() {
        Some(ClipEvent::Finished(f)) => {
            assert_eq!((f.added, f.existing, f.failed, f.duplicates), (2, 0, 1, 1));
        }
        other => panic!("the job ends with a summary, not {other:?}"),
    }

    // The list shows them, with the tag, newest first, and the sidebar counts them.
    let page = desktop
        .list(&ListQuery {
            limit: 50,
            ..ListQuery::default()
        })
        .expect("list");
    assert_eq!(page.total, 2);
    assert!(page.rows.iter().all(|r| r.summary.tags == ["piracy/iptv"]));
    let facets = desktop.facets().expect("facets");
    assert_eq!(facets.total, 2);
    assert_eq!(
        facets
            .tags
            .iter()
            .find(|t| t.name == "piracy")
            .map(|t| t.total),
        Some(2)
    );
    assert_eq!(facets.languages[0].value, "fr");

    // Clipping the same address again finds it.
    let again = clip(&desktop, std::slice::from_ref(&a), &[]);
    assert!(progress(&again).contains(&(a, ClipState::Existing)));
}

#[test]
fn searches_carry_highlighted_snippets_and_thumbnails() {
    let server = site();
    let desktop = desktop();
    clip(&desktop, &[server.url("/a"), server.url("/b")], &[]);
    let page = desktop
        .list(&ListQuery {
            query: "démantelé".into(),
            limit: 50,
            ..ListQuery::default()
        })
        .expect("search");
    assert_eq!(page.total, 1);
    let row = &page.rows[0];
    assert_eq!(row.summary.title, "Un vaste réseau démantelé");
    let snippet = row.snippet_html.as_deref().expect("a snippet");
    assert!(snippet.contains("<mark>"), "{snippet}");
    // The lead image was stored: the row points at its thumbnail, which the protocol serves.
    let thumb = row.thumbnail.as_deref().expect("a thumbnail");
    let path = thumb.strip_prefix(BASE).expect("served by the app");
    let (kind, bytes) = desktop.image(path).expect("thumbnail served");
    assert_eq!(kind, "image/jpeg");
    assert!(image::load_from_memory(&bytes).is_ok());
    // Paths that are not a stored hash are refused.
    assert!(desktop.image("image/../../etc/passwd").is_none());
    assert!(
        desktop
            .image(&format!("image/{}", "0".repeat(64)))
            .is_none()
    );
}

#[test]
fn the_reader_serves_stored_images_and_edits_are_kept() {
    let server = site();
    let desktop = desktop();
    clip(&desktop, &[server.url("/a")], &[]);
    let id = desktop
        .list(&ListQuery {
            limit: 1,
            ..ListQuery::default()
        })
        .expect("list")
        .rows[0]
        .summary
        .id;
    let view = desktop.reader(id).expect("reader");
    assert_eq!(view.direction, Direction::Ltr);
    assert!(!view.body_html.contains("/img/a.png"), "{}", view.body_html);
    let src = view
        .body_html
        .split("src=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("an image");
    let (kind, bytes) = desktop
        .image(src.strip_prefix(BASE).expect("local"))
        .expect("served");
    assert_eq!(
        (kind.as_str(), bytes.as_slice()),
        ("image/png", png().as_slice())
    );

    let edited = desktop
        .edit(
            id,
            &Edit {
                title: Some("  Un titre corrigé ".into()),
                notes: Some("Pour la revue de presse".into()),
            },
        )
        .expect("edit");
    assert_eq!(
        (edited.title.as_str(), edited.notes.as_str()),
        ("Un titre corrigé", "Pour la revue de presse")
    );
    let err = desktop
        .edit(
            id,
            &Edit {
                title: Some(" ".into()),
                notes: None,
            },
        )
        .unwrap_err();
    assert_eq!(err.code, "invalid_input");

    let tags = desktop
        .set_tags(id, &["piracy/iptv".into(), "europe".into()])
        .expect("tags");
    assert_eq!(tags, ["europe", "piracy/iptv"]);
    let tags = desktop.set_tags(id, &["europe".into()]).expect("tags");
    assert_eq!(tags, ["europe"]);
    assert_eq!(desktop.reader(9999).unwrap_err().code, "clipping_not_found");
}

#[test]
fn exports_report_progress_and_plain_errors() {
    let server = site();
    let desktop = desktop();
    clip(&desktop, &[server.url("/a"), server.url("/b")], &["revue"]);
    desktop
        .new_collection(&NewCollection {
            name: "Revue du 12".into(),
            description: String::new(),
            saved: Some(SavedSearch {
                query: String::new(),
                filters: Filters {
                    tags: vec!["revue".into()],
                    ..Filters::default()
                },
            }),
        })
        .expect("smart collection");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("revue.md");
    let run = |force: bool| {
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&events);
        let req = ExportRequest {
            selection: ExportSelection::Collection {
                value: "Revue du 12".into(),
            },
            format: ExportFormat::Markdown,
            path: out.display().to_string(),
            force,
            paper: Paper::A4,
        };
        let (_job, work) = desktop
            .export_job(req, move |e| sink.lock().expect("lock").push(e))
            .expect("job");
        work();
        events.lock().expect("lock").clone()
    };
    let events = run(false);
    let last_progress = events.iter().rev().find_map(|e| match e {
        ExportEvent::Progress(p) => Some((p.done, p.total)),
        ExportEvent::Finished(_) => None,
    });
    assert_eq!(last_progress, Some((2, 2)));
    match events.last() {
        Some(ExportEvent::Finished(f)) => {
            let report = f.report.as_ref().expect("exported");
            assert_eq!(report.clippings, 2);
        }
        other => panic!("{other:?}"),
    }
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(text.contains("Les serveurs saisis"));
    // Again without "replace": refused in words, the file untouched.
    match run(false).last() {
        Some(ExportEvent::Finished(f)) => {
            let error = f.error.as_ref().expect("refused");
            assert_eq!(error.code, "exists");
            assert!(
                error.message.contains("already exists"),
                "{}",
                error.message
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(run(true).last(), Some(ExportEvent::Finished(f)) if f.report.is_some()));
}

#[test]
fn a_saved_page_is_clipped_from_its_declared_address() {
    let desktop = desktop();
    let dir = tempfile::tempdir().expect("tempdir");
    let page = article_page("Une page enregistrée", &[]).replace(
        "<head>",
        "<head><link rel=\"canonical\" href=\"https://quotidien.example/2020/11/12/page\">",
    );
    let with_url = dir.path().join("saved.html");
    std::fs::write(&with_url, page).expect("write");
    let clipped = tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(desktop.clip_file(ClipFileRequest {
            path: with_url.display().to_string(),
            url: None,
            tags: vec!["saved".into()],
        }))
        .expect("clipped");
    assert!(clipped.created);
    assert_eq!(clipped.title, "Une page enregistrée");
    let stored = desktop.library().clipping(clipped.id).expect("stored");
    assert_eq!(stored.url, "https://quotidien.example/2020/11/12/page");

    let bare = dir.path().join("bare.html");
    std::fs::write(&bare, article_page("Sans adresse", &[])).expect("write");
    let err = tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(desktop.clip_file(ClipFileRequest {
            path: bare.display().to_string(),
            url: None,
            tags: vec![],
        }))
        .unwrap_err();
    assert_eq!(err.code, "no_url");
}

#[test]
fn an_empty_clip_request_is_refused_and_stopping_a_finished_job_is_harmless() {
    let desktop = desktop();
    let req = ClipRequest {
        urls: vec!["  ".into()],
        tags: vec![],
        collection: None,
    };
    assert_eq!(
        desktop.clip_job(req, |_| {}).err().map(|e| e.code),
        Some("invalid_input".into())
    );
    desktop.cancel_clip(42);
}

/// Runs an import job to its end and returns what it reported.
fn import(desktop: &Arc<Desktop>, req: import::ImportRequest) -> Vec<import::ImportEvent> {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&events);
    let (_job, work) = desktop
        .import_job(req, move |e| sink.lock().expect("lock").push(e))
        .expect("job starts");
    tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(work);
    events.lock().expect("lock").clone()
}

fn finished(events: &[import::ImportEvent]) -> import::ImportFinished {
    match events.last() {
        Some(import::ImportEvent::Finished(f)) => f.clone(),
        other => panic!("the job did not finish: {other:?}"),
    }
}

#[test]
fn an_import_reports_progress_and_a_second_run_adds_nothing() {
    let server = site();
    let desktop = desktop();
    let dir = tempfile::tempdir().expect("tempdir");
    let list = dir.path().join("urls.txt");
    std::fs::write(
        &list,
        format!(
            "# morning\n{a}\n{b}\njavascript:alert(1)\n{a}?utm_source=x\n",
            a = server.url("/a"),
            b = server.url("/b")
        ),
    )
    .expect("write");
    let req = import::ImportRequest {
        path: list.display().to_string(),
        format: import::ImportFormat::Urls,
        tags: vec!["import/liste".into()],
    };
    let events = import(&desktop, req.clone());
    let done = finished(&events);
    assert!(done.error.is_none(), "{:?}", done.error);
    assert_eq!(done.progress.total, 2);
    assert_eq!(done.progress.done, 2);
    assert_eq!(done.progress.fetched, 2, "{:?}", done.failures);
    assert_eq!(done.problems.len(), 1, "the javascript: line");
    assert!(
        done.problems[0].location.contains("line 4"),
        "{:?}",
        done.problems
    );
    assert_eq!(done.duplicates, 1);
    let progress = events
        .iter()
        .filter(|e| matches!(e, import::ImportEvent::Progress(_)))
        .count();
    assert!(progress >= 2, "progress before the end");
    let page = desktop
        .list(&ListQuery {
            filters: Filters {
                tags: vec!["import/liste".into()],
                ..Filters::default()
            },
            limit: 10,
            ..ListQuery::default()
        })
        .expect("list");
    assert_eq!(page.total, 2);

    let again = finished(&import(&desktop, req));
    assert_eq!((again.progress.fetched, again.progress.existing), (0, 2));

    let missing = finished(&import(
        &desktop,
        import::ImportRequest {
            path: dir.path().join("nope.html").display().to_string(),
            format: import::ImportFormat::Pocket,
            tags: vec![],
        },
    ));
    let error = missing.error.expect("an error");
    assert!(error.message.contains("nope.html"), "{}", error.message);
}
