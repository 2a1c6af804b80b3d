//! `clipbook import --from …` with every format, into temporary libraries, fetching from a
//! local server: content that comes along is stored, the rest fetched, nothing twice.

#![allow(clippy::unwrap_used)]

#[path = "../../fetch/tests/common/mod.rs"]
mod common;

use std::path::Path;

use assert_cmd::Command;
use common::{Response, Server, article_page};
use serde_json::Value;

fn server() -> Server {
    Server::start(|req| match req.path() {
        p if p.starts_with("/news/") => {
            let n = p.trim_start_matches("/news/");
            Response::html(&article_page(&format!("Article numéro {n}"), &[]))
        }
        _ => Response::new(404, "text/html", "<p>no</p>"),
    })
}

fn cmd(db: &Path) -> Command {
    let mut cmd = Command::cargo_bin("clipbook").unwrap();
    cmd.env("CLIPBOOK_DB", db);
    cmd
}

fn list(db: &Path) -> Vec<Value> {
    let out = cmd(db)
        .args(["list", "--json", "--sort", "title"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

fn import(db: &Path, from: &str, file: &Path) -> (i32, String, String) {
    let out = cmd(db)
        .args(["import", "--from", from, "--tag", "imported"])
        .arg(file)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn tags_of(rows: &[Value], title: &str) -> Vec<String> {
    let row = rows
        .iter()
        .find(|r| r["title"] == title)
        .unwrap_or_else(|| panic!("no clipping titled {title:?} in {rows:#?}"));
    serde_json::from_value(row["tags"].clone()).unwrap()
}

#[test]
fn pocket_html_is_fetched_with_its_tags_and_dates_and_a_second_run_adds_nothing() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("library.db");
    let export = dir.path().join("ril_export.html");
    std::fs::write(
        &export,
        format!(
            "<!DOCTYPE html><html><head><title>Pocket Export</title></head><body>\
             <h1>Unread</h1><ul>\
             <li><a href=\"{}\" time_added=\"1605175200\" tags=\"piracy,iptv\">One</a></li>\
             <li><a href=\"{}\" time_added=\"1605175200\" tags=\"\">Two</a></li>\
             </ul><h1>Read Archive</h1><ul>\
             <li><a href=\"{}\" time_added=\"1500000000\" tags=\"\">Missing</a></li>\
             </ul></body></html>",
            server.url("/news/1"),
            server.url("/news/2?utm_source=pocket"),
            server.url("/gone"),
        ),
    )
    .unwrap();

    let (code, _, err) = import(&db, "pocket", &export);
    assert_eq!(code, 1, "the missing page fails the run: {err}");
    assert!(
        err.contains("fetched 2") && err.contains("failed 1"),
        "{err}"
    );
    let rows = list(&db);
    assert_eq!(rows.len(), 2, "what could be fetched is kept: {rows:#?}");
    assert_eq!(
        tags_of(&rows, "Article numéro 1"),
        ["imported", "iptv", "piracy"]
    );
    let one = rows
        .iter()
        .find(|r| r["title"] == "Article numéro 1")
        .unwrap();
    assert_eq!(
        one["created_at"], "2020-11-12T10:00:00Z",
        "the date it was saved in Pocket is kept"
    );

    let (code, _, err) = import(&db, "pocket", &export);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("fetched 0, already in the library 2, failed 1"),
        "a second run fetches only what is missing: {err}"
    );
    assert_eq!(list(&db).len(), 2);
}

#[test]
fn pocket_csv_reports_a_malformed_line_and_imports_the_rest() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("library.db");
    let export = dir.path().join("part_000000.csv");
    std::fs::write(
        &export,
        format!(
            "title,url,time_added,tags,status\n\
             \"Quoted, with a comma\",{},1605175200,press|press/europe,unread\n\
             Broken,javascript:alert(1),1605175200,,unread\n",
            server.url("/news/3"),
        ),
    )
    .unwrap();
    let (code, _, err) = import(&db, "pocket", &export);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("part_000000.csv: line 3: \"javascript:alert(1)\" is not a web page"),
        "the problem names the file and line: {err}"
    );
    let rows = list(&db);
    assert_eq!(rows.len(), 1);
    assert_eq!(
        tags_of(&rows, "Article numéro 3"),
        ["imported", "press", "press/europe"]
    );
}

#[test]
fn netscape_bookmarks_become_nested_tags() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("library.db");
    let export = dir.path().join("bookmarks.html");
    std::fs::write(
        &export,
        format!(
            "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n\
             <DT><H3>Bookmarks</H3>\n<DL><p>\n<DT><H3>Press</H3>\n<DL><p>\n\
             <DT><A HREF=\"{}\" ADD_DATE=\"1605175200\" TAGS=\"iptv\">One</A>\n\
             <DD>A description\n</DL><p>\n</DL><p>\n</DL><p>\n",
            server.url("/news/4"),
        ),
    )
    .unwrap();
    let (code, _, err) = import(&db, "netscape", &export);
    assert_eq!(code, 0, "{err}");
    let rows = list(&db);
    assert_eq!(
        tags_of(&rows, "Article numéro 4"),
        ["Bookmarks/Press", "imported", "iptv"]
    );
}

#[test]
fn wallabag_content_is_stored_without_fetching_and_sanitised() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("library.db");
    let export = dir.path().join("wallabag.json");
    // Nothing listens on these addresses: an attempt to fetch would fail the run.
    let entries = serde_json::json!([
        {"title": "Stored", "url": "http://127.0.0.1:9/stored",
         "content": "<p>Le corps <script>alert(1)</script>de l'article.</p>",
         "tags": [{"id": 1, "label": "press", "slug": "press"}],
         "created_at": "2020-11-12T11:00:00+0100", "published_by": ["Jane Roe"],
         "language": "fr_FR", "domain_name": "example.com"},
        {"title": "No address", "content": "<p>x</p>"}
    ]);
    std::fs::write(&export, entries.to_string()).unwrap();
    let (code, _, err) = import(&db, "wallabag", &export);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("added 1 with their content, fetched 0"),
        "{err}"
    );
    assert!(
        err.contains("wallabag.json: entry 2 (\"No address\"): it has no address"),
        "{err}"
    );
    let rows = list(&db);
    assert_eq!(tags_of(&rows, "Stored"), ["imported", "press"]);
    let id = rows[0]["id"].as_i64().unwrap();
    let out = cmd(&db)
        .args(["show", &id.to_string(), "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let shown: Value = serde_json::from_slice(&out).unwrap();
    let html = shown["content_html"].as_str().unwrap();
    assert!(
        html.contains("Le corps") && !html.contains("script"),
        "sanitised: {html}"
    );
    assert_eq!(shown["authors"], serde_json::json!(["Jane Roe"]));
    assert_eq!(shown["language"], "fr");

    let (code, _, err) = import(&db, "wallabag", &export);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("added 0 with their content, fetched 0, already in the library 1"),
        "{err}"
    );
}

#[test]
fn omnivore_folder_markdown_becomes_the_article() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("library.db");
    let export = dir.path().join("omnivore");
    std::fs::create_dir_all(export.join("content")).unwrap();
    std::fs::write(
        export.join("metadata_0_to_1.json"),
        r#"[{"id":"1","slug":"iptv","title":"IPTV","url":"http://127.0.0.1:9/iptv",
             "labels":["piracy"],"savedAt":"2020-11-12T10:00:00.000Z"}]"#,
    )
    .unwrap();
    std::fs::write(export.join("content/iptv.md"), "Un **vaste** réseau.\n").unwrap();
    let (code, _, err) = import(&db, "omnivore", &export);
    assert_eq!(code, 0, "{err}");
    let rows = list(&db);
    assert_eq!(tags_of(&rows, "IPTV"), ["imported", "piracy"]);
    let out = cmd(&db)
        .args(["show", &rows[0]["id"].to_string(), "--format", "html"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("<strong>vaste</strong>"));
}

#[test]
fn a_url_list_with_json_lines_and_a_file_of_the_wrong_kind() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("library.db");
    let list_file = dir.path().join("urls.txt");
    std::fs::write(
        &list_file,
        format!("# morning\n\n{}\nplace:recent\n", server.url("/news/5")),
    )
    .unwrap();
    let out = cmd(&db)
        .args(["import", "--from", "urls", "--json"])
        .arg(&list_file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "line 4 is a problem");
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["status"], "added");
    assert_eq!(lines[0]["title"], "Article numéro 5");
    assert!(String::from_utf8_lossy(&out.stderr).contains("urls.txt: line 4: "));

    let (code, _, err) = import(&db, "wallabag", &list_file);
    assert_eq!(code, 1);
    assert!(
        err.contains("error: this is not a Wallabag export: it is not JSON"),
        "{err}"
    );
}
