//! Exports read back the way their users read them: Markdown as text (snapshots), front matter
//! with a YAML parser, HTML and JSON as documents.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use clipbook_export::{ExportError, ExportOptions, Format, Selection, export};
use clipbook_store::{Library, NewClipping, NewImage};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n-not-really-a-png-but-bytes";

/// Titles and bodies chosen to break naive exporters.
fn library() -> Library {
    let lib = Library::open_in_memory().unwrap();
    let add = |n: u32, title: &str, html: &str, date: &str, images: Vec<NewImage>, notes: &str| {
        lib.add_clipping(&NewClipping {
            url: format!("https://news.example/{n}?a=1&b=2"),
            title: title.into(),
            authors: vec!["Claire Martin".into(), "Jo Doe".into()],
            published_at: Some(date.into()),
            site_name: Some("Le Quotidien".into()),
            language: Some("fr".into()),
            content_html: html.into(),
            notes: notes.into(),
            tags: vec!["piracy/iptv".into(), "revue".into()],
            images,
            ..Default::default()
        })
        .unwrap()
        .id
    };
    add(
        1,
        "IPTV : un vaste réseau européen démantelé",
        "<h1>Ignored duplicate title</h1><p>Les enquêteurs ont mis <em>hors service</em> 5500 serveurs.</p>\
         <h2>IPTV : 10,6 millions d’euros de gains…</h2><ul><li>un</li><li>deux</li></ul>\
         <blockquote><p>Une citation.</p></blockquote>\
         <figure><img src=\"https://cdn.example/a.png?w=1&amp;h=2\" alt=\"Serveurs\"><figcaption>Des serveurs</figcaption></figure>\
         <figure><img src=\"https://cdn.example/broken.jpg\" alt=\"Cassée\"></figure>\
         <table><tr><th>Pays</th><th>Serveurs</th></tr><tr><td>France</td><td>1 | 2</td></tr></table>",
        "2020-11-12T10:31:00+01:00",
        vec![
            NewImage {
                url: "https://cdn.example/a.png?w=1&h=2".into(),
                content_type: Some("image/png".into()),
                bytes: Some(PNG.to_vec()),
                ..Default::default()
            },
            NewImage {
                url: "https://cdn.example/broken.jpg".into(),
                error: Some("HTTP 404 Not Found".into()),
                ..Default::default()
            },
        ],
        "À citer lundi.\nDeuxième ligne *sans* gras.",
    );
    add(
        2,
        "Title: with \"quotes\" 'single' --- # hash\nand a newline",
        "<p>*Not bold* and _not italic_, [not a link](x), `not code`, # not a heading.</p>",
        "2020-11-13",
        vec![],
        "",
    );
    add(
        3,
        "#panic(\"x\") ] [ $ @label <script>",
        "<p>$x$ and \\\\ backslashes</p>",
        "2020-11-14",
        vec![],
        "",
    );
    lib.create_collection("Revue du 14", "Pour la direction", None)
        .unwrap();
    lib.add_to_collection("Revue du 14", &[3, 1, 2]).unwrap();
    lib
}

fn options(out: &Path, format: Format) -> ExportOptions {
    ExportOptions {
        format,
        out: out.to_path_buf(),
        force: false,
        remote_images: false,
        title: None,
    }
}

fn run(lib: &Library, out: &Path, format: Format) -> clipbook_export::ExportReport {
    export(
        lib,
        &Selection::Collection("Revue du 14".into()),
        &options(out, format),
        &mut |_, _| {},
    )
    .unwrap()
}

fn redact(text: &str) -> String {
    // The clipping time is when the test ran.
    let mut out = String::new();
    for line in text.lines() {
        if let Some(i) = line.find("clipped: ") {
            out.push_str(&line[..i + 9]);
            out.push_str("[time]");
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

#[test]
fn markdown_file_with_contents_and_copied_images() {
    let lib = library();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("revue.md");
    let report = run(&lib, &out, Format::Markdown);
    assert_eq!((report.clippings, report.images), (3, 1));
    let md = std::fs::read_to_string(&out).unwrap();
    insta::assert_snapshot!("markdown_file", md);
    let assets: Vec<_> = std::fs::read_dir(dir.path().join("revue_assets"))
        .unwrap()
        .collect();
    assert_eq!(assets.len(), 1, "one image stored, one copied");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("partial")),
        "nothing left behind: {names:?}"
    );
}

#[test]
fn markdown_file_with_remote_images_keeps_the_urls() {
    let lib = library();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("revue.md");
    let mut opts = options(&out, Format::Markdown);
    opts.remote_images = true;
    export(&lib, &Selection::Ids(vec![1]), &opts, &mut |_, _| {}).unwrap();
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.contains("https://cdn.example/a.png?w=1&h=2"), "{md}");
    assert!(!dir.path().join("revue_assets").exists());
}

#[derive(serde::Deserialize, Debug)]
struct Front {
    title: String,
    author: String,
    published: String,
    source: String,
    url: String,
    tags: Vec<String>,
    clipped: String,
    language: String,
}

#[test]
fn markdown_folder_front_matter_round_trips_through_a_yaml_parser() {
    let lib = library();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("Revue");
    run(&lib, &out, Format::MarkdownDir);
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    insta::assert_debug_snapshot!("markdown_dir_files", files);
    for id in 1..=3 {
        let c = lib.clipping(id).unwrap();
        let file = files.iter().filter(|f| f.ends_with(".md")).find(|f| {
            let text = std::fs::read_to_string(out.join(f)).unwrap();
            text.contains(&format!("url: {}", c.url)) || text.contains(&format!("url: '{}'", c.url))
        });
        let text = std::fs::read_to_string(out.join(file.unwrap())).unwrap();
        let yaml = text
            .strip_prefix("---\n")
            .unwrap()
            .split("\n---\n")
            .next()
            .unwrap();
        let front: Front = serde_norway::from_str(yaml).unwrap();
        assert_eq!(
            front.title, c.title,
            "the title survives YAML whatever it holds"
        );
        assert_eq!(front.author, "Claire Martin, Jo Doe");
        assert_eq!(Some(front.published), c.published_at);
        assert_eq!(front.source, "Le Quotidien");
        assert_eq!(front.url, c.url);
        assert_eq!(front.tags, vec!["piracy/iptv", "revue"]);
        assert_eq!(front.clipped, c.created_at);
        assert_eq!(front.language, "fr");
    }
    let index = std::fs::read_to_string(out.join("index.md")).unwrap();
    insta::assert_snapshot!("markdown_dir_index", index);
    let note =
        std::fs::read_to_string(out.join("IPTV un vaste réseau européen démantelé.md")).unwrap();
    insta::assert_snapshot!("markdown_dir_note", redact(&note));
    assert_eq!(std::fs::read_dir(out.join("assets")).unwrap().count(), 1);
}

#[test]
fn html_is_one_self_contained_file() {
    let lib = library();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("revue.html");
    let report = run(&lib, &out, Format::Html);
    assert_eq!(report.images, 1);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(
        html.contains("src=\"data:image/png;base64,"),
        "images are inlined"
    );
    assert!(
        html.contains("src=\"https://cdn.example/broken.jpg\""),
        "a missing image stays a link"
    );
    assert!(
        html.contains("#panic(&quot;x&quot;) ] [ $ @label &lt;script&gt;"),
        "titles are escaped"
    );
    assert!(!html.contains("<script"), "nothing runs");
    assert!(html.contains("@media print"));
    let first = html.find("Revue du 14").unwrap();
    assert!(first < html.find("Pour la direction").unwrap());
}

#[test]
fn json_holds_every_field() {
    let lib = library();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("revue.json");
    run(&lib, &out, Format::Json);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(
        items
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        vec![3, 1, 2],
        "the collection's order"
    );
    for field in [
        "url",
        "canonical_url",
        "title",
        "authors",
        "published_at",
        "content_html",
        "content_text",
        "notes",
        "tags",
        "images",
        "created_at",
    ] {
        assert!(items[1].get(field).is_some(), "{field}");
    }
    assert_eq!(items[1]["images"].as_array().unwrap().len(), 2);
}

#[test]
fn existing_outputs_are_kept_unless_forced() {
    let lib = library();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("revue.md");
    std::fs::write(&out, "mine").unwrap();
    let err = export(
        &lib,
        &Selection::Ids(vec![1]),
        &options(&out, Format::Markdown),
        &mut |_, _| {},
    )
    .unwrap_err();
    assert!(matches!(err, ExportError::Exists(_)), "{err}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine");
    let mut forced = options(&out, Format::Markdown);
    forced.force = true;
    export(&lib, &Selection::Ids(vec![1]), &forced, &mut |_, _| {}).unwrap();
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("# Clippings")
    );

    let folder = dir.path().join("notes");
    std::fs::create_dir(&folder).unwrap();
    let err = export(
        &lib,
        &Selection::Tag("revue".into()),
        &options(&folder, Format::MarkdownDir),
        &mut |_, _| {},
    )
    .unwrap_err();
    assert!(matches!(err, ExportError::Exists(_)));
}

#[test]
fn selections_by_tag_search_and_ids_and_their_errors() {
    let lib = library();
    let dir = tempfile::tempdir().unwrap();
    let mut done = Vec::new();
    let report = export(
        &lib,
        &Selection::Query("serveurs".into()),
        &options(&dir.path().join("q.json"), Format::Json),
        &mut |d, t| done.push((d, t)),
    )
    .unwrap();
    assert_eq!(report.clippings, 1);
    assert_eq!(done, vec![(1, 1)], "progress after each clipping");
    let err = export(
        &lib,
        &Selection::Ids(vec![1, 99]),
        &options(&dir.path().join("x.md"), Format::Markdown),
        &mut |_, _| {},
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "no clipping with id 99");
    let err = export(
        &lib,
        &Selection::Query("zebra".into()),
        &options(&dir.path().join("y.md"), Format::Markdown),
        &mut |_, _| {},
    )
    .unwrap_err();
    assert_eq!(err.code(), "empty");
    let err = export(
        &lib,
        &Selection::Tag("nope".into()),
        &options(&dir.path().join("z.md"), Format::Markdown),
        &mut |_, _| {},
    )
    .unwrap_err();
    assert_eq!(err.code(), "tag_not_found");
    assert!(!dir.path().join("x.md").exists() && !dir.path().join("y.md").exists());
}
