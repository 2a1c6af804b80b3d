//! `clipbook add` and `refetch` against a local server, as a user runs them — including being
//! killed in the middle of a batch.

#![allow(clippy::unwrap_used)]

#[path = "../../fetch/tests/common/mod.rs"]
mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use assert_cmd::Command;
use common::{PNG, Response, Server, article_page};
use serde_json::Value;

fn server() -> Server {
    let version = Arc::new(AtomicUsize::new(1));
    Server::start(move |req| match req.path() {
        p if p.starts_with("/news/") => {
            let n = p.trim_start_matches("/news/");
            Response::html(&article_page(
                &format!("Article numéro {n}"),
                &["/img/a.png"],
            ))
            .delayed(if n.starts_with("slow") {
                Duration::from_millis(300)
            } else {
                Duration::ZERO
            })
        }
        "/edited" => {
            let v = version.fetch_add(1, Ordering::SeqCst);
            let page = article_page("Article corrigé", &[]);
            Response::html(&if v == 1 {
                page
            } else {
                page.replace("des millions", "des milliards")
            })
        }
        "/doc.pdf" => Response::new(200, "application/pdf", b"%PDF-1.4".to_vec()),
        "/img/a.png" | "/img/lead.jpg" => Response::new(200, "image/png", PNG.to_vec()),
        _ => Response::new(404, "text/html", "<p>no</p>"),
    })
}

fn cmd(db: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("clipbook").unwrap();
    cmd.env("CLIPBOOK_DB", db);
    cmd
}

fn json_lines(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn add_from_arguments_a_file_and_stdin_with_tags_and_a_collection() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("library.db");
    let out = cmd(&db)
        .args(["add", "--json", "--tag", "revue", "--collection", "Lundi"])
        .arg(server.url("/news/1"))
        .arg(server.url("/doc.pdf"))
        .assert()
        .code(1)
        .get_output()
        .clone();
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 2);
    let ok = lines.iter().find(|l| l["status"] == "added").unwrap();
    assert_eq!(ok["title"], "Article numéro 1");
    assert_eq!(ok["images_saved"], 2);
    let failed = lines.iter().find(|l| l["status"] == "failed").unwrap();
    assert_eq!(failed["code"], "not_html");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("added 1, already in the library 0, failed 1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: 1 of 2 addresses could not be clipped"),
        "{stderr}"
    );

    let list = dir.path().join("urls.txt");
    std::fs::write(
        &list,
        format!(
            "# morning list\n{}\n\n{}?utm_source=x\n",
            server.url("/news/2"),
            server.url("/news/1")
        ),
    )
    .unwrap();
    let out = cmd(&db)
        .args(["add", "--file"])
        .arg(&list)
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("] added    #2  Article numéro 2"),
        "{stdout}"
    );
    assert!(
        stdout.contains("] existing #1  Article numéro 1"),
        "{stdout}"
    );

    cmd(&db)
        .arg("add")
        .write_stdin(format!("{}\n", server.url("/news/3")))
        .assert()
        .success();
    let listed: Value =
        serde_json::from_slice(&cmd(&db).args(["list", "--json"]).output().unwrap().stdout)
            .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 3);
    let lundi: Value = serde_json::from_slice(
        &cmd(&db)
            .args(["collection", "show", "Lundi", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(lundi.as_array().unwrap().len(), 1);
}

#[test]
fn add_a_saved_page_and_refetch_keeps_versions() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("library.db");
    let saved = dir.path().join("page.html");
    std::fs::write(&saved, article_page("Page enregistrée", &[])).unwrap();
    cmd(&db)
        .args(["add", "--html"])
        .arg(&saved)
        .args(["--url", "https://www.example.com/saved"])
        .assert()
        .success()
        .stdout(predicates::str::contains("added    #1  Page enregistrée"));
    cmd(&db)
        .args(["add", "--html"])
        .arg(&saved)
        .assert()
        .code(2);

    cmd(&db)
        .args(["add", &server.url("/edited")])
        .assert()
        .success();
    cmd(&db)
        .args(["refetch", "2"])
        .assert()
        .success()
        .stdout(predicates::str::contains("the article changed"));
    let shown: Value = serde_json::from_slice(
        &cmd(&db)
            .args(["show", "2", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        shown["content_text"]
            .as_str()
            .unwrap()
            .contains("des milliards")
    );
    cmd(&db)
        .args(["refetch", "99"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no clipping with id 99"));
}

#[test]
fn a_batch_killed_midway_leaves_a_sound_library_with_every_reported_clipping() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("library.db");
    let list = dir.path().join("urls.txt");
    let urls: String = (0..200)
        .map(|i| format!("{}\n", server.url(&format!("/news/slow{i}"))))
        .collect();
    std::fs::write(&list, urls).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("clipbook"))
        .env("CLIPBOOK_DB", &db)
        .args([
            "add",
            "--json",
            "--concurrency",
            "4",
            "--per-host",
            "4",
            "--file",
        ])
        .arg(&list)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut reported = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while reported.len() < 8 {
        let line = lines.next().unwrap().unwrap();
        let v: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["status"], "added", "{line}");
        reported.push(v["id"].as_i64().unwrap());
    }
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();

    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    for id in &reported {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM clipping_content WHERE clipping_id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            n, 1,
            "clipping {id} was reported done, so it is whole in the library"
        );
    }
    drop(conn);
    // Running the same list again finishes the job without duplicates.
    cmd(&db)
        .args([
            "add",
            "--concurrency",
            "8",
            "--per-host",
            "8",
            "--no-images",
            "--file",
        ])
        .arg(&list)
        .assert()
        .success();
    let count: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM clipping", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 200);
}

#[test]
fn ctrl_c_stops_a_batch_cleanly_and_says_what_is_left() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("library.db");
    let list = dir.path().join("urls.txt");
    let urls: String = (0..100)
        .map(|i| format!("{}\n", server.url(&format!("/news/slow{i}"))))
        .collect();
    std::fs::write(&list, urls).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("clipbook"))
        .env("CLIPBOOK_DB", &db)
        .args(["add", "--json", "--concurrency", "2", "--file"])
        .arg(&list)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut reported = 0;
    while reported < 3 {
        lines.next().unwrap().unwrap();
        reported += 1;
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let reported = reported + lines.map_while(Result::ok).count();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "interrupted");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("not done; run the same command again to finish"),
        "{stderr}"
    );
    let count: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM clipping", [], |r| r.get(0))
        .unwrap();
    assert!(
        count as usize >= reported && count < 100,
        "{count} stored, {reported} reported"
    );
}
