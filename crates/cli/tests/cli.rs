//! The `clipbook` binary, driven as a user drives it: every command, and every error a user
//! can make, against a library in a temporary folder.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

struct Env {
    dir: TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("library.db")
    }

    fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("clipbook").unwrap();
        cmd.env("CLIPBOOK_DB", self.db())
            .env_remove("HOME")
            .env("HOME", self.dir.path());
        cmd
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self
            .cmd()
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// Fails with one plain `error:` line and status 1.
    fn fails(&self, args: &[&str], message: &str) {
        let out = self
            .cmd()
            .args(args)
            .assert()
            .code(1)
            .get_output()
            .stderr
            .clone();
        let stderr = String::from_utf8(out).unwrap();
        assert_eq!(
            stderr.lines().count(),
            1,
            "one line of error for {args:?}: {stderr}"
        );
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(
            stderr.contains(message),
            "{args:?}: expected {message:?} in {stderr}"
        );
        assert!(
            !stderr.contains("panicked") && !stderr.contains("backtrace"),
            "{stderr}"
        );
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// A library with three articles.
    fn seeded() -> Env {
        let env = Env::new();
        let file = env.write("seed.jsonl", SEED);
        let out = env.ok(&["import", file.to_str().unwrap()]);
        assert!(out.contains("imported 3 clippings"), "{out}");
        env
    }
}

const SEED: &str = r#"{"url":"https://www.numerama.com/tech/iptv?utm_source=rss","title":"IPTV : un vaste réseau européen démantelé","author":"David Igue","published":"2020-11-12T10:31:00+01:00","site_name":"Numerama","language":"fr","html":"<p>Cinq mille serveurs mis hors service.</p><h2>IPTV : 10,6 millions d’euros</h2><p>Les *gains* estimés.</p>","tags":["piracy/iptv"]}
{"url":"https://example.org/football","title":"Football streaming crackdown","authors":["Jane Roe","John Doe"],"published":"2021-03-01","site_name":"Example News","language":"en","text":"Illegal IPTV streams of football matches were shut down.","tags":["piracy","sport"]}
{"url":"https://lemonde.fr/budget","title":"Le budget 2022","published":"2021-09-20","language":"fr","text":"Le gouvernement présente son budget.","tags":["politics"]}
"#;

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn every_command_has_help() {
    let env = Env::new();
    for args in [
        vec!["--help"],
        vec!["list", "--help"],
        vec!["search", "--help"],
        vec!["show", "--help"],
        vec!["edit", "--help"],
        vec!["delete", "--help"],
        vec!["import", "--help"],
        vec!["tag", "--help"],
        vec!["tag", "add", "--help"],
        vec!["tag", "merge", "--help"],
        vec!["collection", "--help"],
        vec!["collection", "new", "--help"],
        vec!["collection", "move", "--help"],
    ] {
        env.cmd()
            .args(&args)
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage"));
    }
    env.cmd()
        .args(["list", "--help"])
        .assert()
        .stdout(predicate::str::contains("word_count"));
}

#[test]
fn list_filters_and_sorts() {
    let env = Env::seeded();
    assert_eq!(ids(&env.json(&["list", "--json"])), vec![3, 2, 1]);
    assert_eq!(
        ids(&env.json(&["list", "--json", "--sort", "title"])),
        vec![2, 1, 3]
    );
    assert_eq!(
        ids(&env.json(&["list", "--json", "--tag", "piracy"])),
        vec![2, 1]
    );
    assert_eq!(
        ids(&env.json(&["list", "--json", "--lang", "fr"])),
        vec![3, 1]
    );
    assert_eq!(
        ids(&env.json(&["list", "--json", "--site", "lemonde.fr"])),
        vec![3]
    );
    assert_eq!(
        ids(&env.json(&["list", "--json", "--site", "NUMERAMA"])),
        vec![1]
    );
    assert_eq!(
        ids(&env.json(&[
            "list",
            "--json",
            "--since",
            "2021-01-01",
            "--until",
            "2021-03-01"
        ])),
        vec![2]
    );
    assert_eq!(
        ids(&env.json(&["list", "--json", "--limit", "1", "--offset", "1"])),
        vec![2]
    );
    let row = &env.json(&["list", "--json", "--tag", "piracy/iptv"])[0];
    for field in [
        "id",
        "url",
        "title",
        "authors",
        "published_at",
        "site_name",
        "host",
        "language",
        "lead_image_url",
        "excerpt",
        "word_count",
        "tags",
        "created_at",
    ] {
        assert!(row.get(field).is_some(), "--json rows have a {field} field");
    }
    assert_eq!(row["authors"], serde_json::json!(["David Igue"]));
    let text = env.ok(&["list", "--tag", "piracy/iptv"]);
    assert!(
        text.contains("IPTV : un vaste réseau européen démantelé"),
        "{text}"
    );
    assert!(
        text.contains("Numerama") && text.contains("2020-11-12") && text.contains("[piracy/iptv]")
    );
}

#[test]
fn search_ranks_and_highlights() {
    let env = Env::seeded();
    let hits = env.json(&["search", "iptv", "--json"]);
    assert_eq!(ids(&hits), vec![1, 2], "a title match ranks first");
    assert_eq!(
        hits[1]["snippet_html"],
        "Illegal <mark>IPTV</mark> streams of football matches were shut down."
    );
    assert_eq!(
        ids(&env.json(&["search", "iptv -football", "--json"])),
        vec![1]
    );
    assert_eq!(ids(&env.json(&["search", "demantele", "--json"])), vec![1]);
    assert_eq!(
        ids(&env.json(&["search", "budg*", "--json", "--lang", "fr"])),
        vec![3]
    );
    let text = env.ok(&["search", "football"]);
    assert!(
        text.contains("[football] matches"),
        "matches are marked when not on a terminal: {text}"
    );
    for hostile in [
        "\"",
        "NEAR(",
        ")",
        "*",
        "-",
        "OR",
        "a:b",
        "'; DROP TABLE clipping; --",
    ] {
        env.cmd().args(["search", hostile]).assert().success();
    }
}

#[test]
fn show_in_every_format() {
    let env = Env::seeded();
    let text = env.ok(&["show", "1"]);
    assert!(
        text.starts_with(
            "IPTV : un vaste réseau européen démantelé\nNumerama · David Igue · 2020-11-12 · fr\n"
        ),
        "{text}"
    );
    assert!(text.contains("Cinq mille serveurs mis hors service.\n\nIPTV : 10,6 millions d’euros"));
    let md = env.ok(&["show", "1", "--format", "markdown"]);
    assert!(md.contains("## IPTV : 10,6 millions d’euros"), "{md}");
    assert!(
        md.contains(r"Les \*gains\* estimés."),
        "Markdown characters are escaped: {md}"
    );
    let html = env.ok(&["show", "1", "--format", "html"]);
    assert!(
        html.contains("<h2>IPTV : 10,6 millions d’euros</h2>"),
        "{html}"
    );
    let json = env.json(&["show", "1", "--format", "json"]);
    assert_eq!(json["canonical_url"], "https://www.numerama.com/tech/iptv");
    assert_eq!(json["tags"], serde_json::json!(["piracy/iptv"]));
    assert!(
        json["content_text"]
            .as_str()
            .unwrap()
            .contains("Cinq mille")
    );
    assert!(json["images"].is_array());
}

#[test]
fn edit_and_delete() {
    let env = Env::seeded();
    env.ok(&[
        "edit",
        "1",
        "--title",
        "Nouveau titre",
        "--notes",
        "À relire",
        "--author",
        "A. B.",
    ]);
    let json = env.json(&["show", "1", "--format", "json"]);
    assert_eq!(json["title"], "Nouveau titre");
    assert_eq!(json["notes"], "À relire");
    assert_eq!(json["authors"], serde_json::json!(["A. B."]));
    assert_eq!(
        ids(&env.json(&["search", "relire", "--json"])),
        vec![1],
        "notes are searchable"
    );
    env.fails(&["edit", "1"], "nothing to change");
    env.fails(&["edit", "1", "--published", "someday"], "is not a date");
    env.fails(&["edit", "42", "--title", "x"], "no clipping with id 42");
    env.fails(&["delete", "1", "42"], "no clipping with id 42");
    assert_eq!(
        ids(&env.json(&["list", "--json"])).len(),
        3,
        "a failed delete deletes nothing"
    );
    assert!(
        env.ok(&["delete", "1", "2"])
            .contains("deleted 2 clippings")
    );
    assert_eq!(ids(&env.json(&["list", "--json"])), vec![3]);
}

#[test]
fn tag_commands() {
    let env = Env::seeded();
    env.ok(&["tag", "add", "3", "Économie/Budget", "france"]);
    let tags = env.json(&["tag", "list", "--json"]);
    let names: Vec<&str> = tags
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    // "Économie" is listed as the parent of "Économie/Budget" (with no clipping of its own).
    assert_eq!(
        names,
        vec![
            "Économie",
            "Économie/Budget",
            "france",
            "piracy",
            "piracy/iptv",
            "politics",
            "sport"
        ]
    );
    let piracy = tags
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "piracy")
        .unwrap();
    assert_eq!(
        (piracy["count"].as_i64(), piracy["total"].as_i64()),
        (Some(1), Some(2))
    );
    let tree = env.ok(&["tag", "list"]);
    assert!(
        tree.contains("piracy  1 (2 with sub-tags)\n  iptv  1\n"),
        "{tree}"
    );

    env.ok(&["tag", "rename", "piracy", "Copyright"]);
    assert_eq!(
        ids(&env.json(&["list", "--json", "--tag", "copyright/iptv"])),
        vec![1]
    );
    env.fails(&["list", "--tag", "piracy"], "no tag named \"piracy\"");
    env.fails(&["tag", "rename", "sport", "politics"], "already exists");

    env.ok(&["tag", "merge", "sport", "politics"]);
    assert_eq!(
        ids(&env.json(&["list", "--json", "--tag", "politics"])),
        vec![3, 2]
    );
    env.fails(
        &["tag", "merge", "nope", "politics"],
        "no tag named \"nope\"",
    );
    env.fails(
        &["tag", "merge", "politics", "nope"],
        "no tag named \"nope\"",
    );

    env.ok(&["tag", "remove", "3", "FRANCE"]);
    env.fails(&["tag", "remove", "3", "never"], "no tag named \"never\"");
    env.fails(&["tag", "add", "99", "x"], "no clipping with id 99");
    env.fails(&["tag", "add", "1", " / "], "not a valid tag name");
    env.ok(&["tag", "delete", "copyright"]);
    assert_eq!(
        ids(&env.json(&["list", "--json"])).len(),
        3,
        "deleting a tag keeps clippings"
    );
    env.fails(&["tag", "delete", "copyright"], "no tag named");
}

#[test]
fn collection_commands() {
    let env = Env::seeded();
    env.ok(&[
        "collection",
        "new",
        "Revue de presse",
        "--description",
        "Le matin",
    ]);
    env.ok(&["collection", "add", "Revue de presse", "2", "3", "1"]);
    assert_eq!(
        ids(&env.json(&["collection", "show", "revue de presse", "--json"])),
        vec![2, 3, 1]
    );
    env.ok(&["collection", "move", "Revue de presse", "1", "1"]);
    assert_eq!(
        ids(&env.json(&["collection", "show", "Revue de presse", "--json"])),
        vec![1, 2, 3]
    );
    env.ok(&["collection", "remove", "Revue de presse", "2"]);
    assert_eq!(
        ids(&env.json(&["list", "--collection", "Revue de presse", "--json"])),
        vec![1, 3]
    );
    let shown = env.ok(&["collection", "show", "Revue de presse"]);
    assert!(
        shown.starts_with("Revue de presse — 2 clippings\nLe matin\n"),
        "{shown}"
    );

    env.ok(&[
        "collection",
        "new",
        "IPTV watch",
        "--query",
        "iptv",
        "--tag",
        "piracy",
    ]);
    assert_eq!(
        ids(&env.json(&["collection", "show", "IPTV watch", "--json"])),
        vec![1, 2]
    );
    env.ok(&["tag", "add", "3", "piracy"]);
    env.ok(&["edit", "3", "--notes", "iptv too"]);
    assert_eq!(
        ids(&env.json(&["collection", "show", "IPTV watch", "--json"])).len(),
        3,
        "evaluated when read"
    );
    env.fails(
        &["collection", "add", "IPTV watch", "1"],
        "is a saved search",
    );

    let all = env.json(&["collection", "list", "--json"]);
    let kinds: Vec<(&str, &str, i64)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap(),
                c["kind"].as_str().unwrap(),
                c["count"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("IPTV watch", "saved-search", 3),
            ("Revue de presse", "manual", 2)
        ]
    );

    env.fails(&["collection", "new", "revue DE presse"], "already exists");
    env.fails(
        &["collection", "show", "Nope"],
        "no collection named \"Nope\"",
    );
    env.fails(&["collection", "add", "Nope", "1"], "no collection named");
    env.fails(
        &["collection", "add", "Revue de presse", "77"],
        "no clipping with id 77",
    );
    env.fails(
        &["collection", "remove", "Revue de presse", "2"],
        "not in collection",
    );
    env.fails(
        &["collection", "new", "Bad", "--since", "yesteryear"],
        "is not a date",
    );
    env.cmd()
        .args(["collection", "move", "Revue de presse", "1", "0"])
        .assert()
        .code(2);
    env.ok(&["collection", "rename", "Revue de presse", "Revue"]);
    env.ok(&["collection", "delete", "Revue"]);
    env.fails(&["collection", "delete", "Revue"], "no collection named");
    assert_eq!(ids(&env.json(&["list", "--json"])).len(), 3);
}

#[test]
fn import_is_atomic_and_idempotent() {
    let env = Env::seeded();
    let again = env.write("again.jsonl", SEED);
    let out = env.ok(&[
        "import",
        again.to_str().unwrap(),
        "--tag",
        "batch",
        "--json",
    ]);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        report,
        serde_json::json!({"added": 0, "existing": 3, "skipped": 0})
    );
    assert_eq!(
        ids(&env.json(&["list", "--json", "--tag", "batch"])).len(),
        3,
        "tags merged onto existing"
    );

    let bad = env.write(
        "bad.jsonl",
        "{\"url\":\"https://ex.com/new\",\"title\":\"New\"}\n{oops\n",
    );
    env.fails(&["import", bad.to_str().unwrap()], "line 2");
    assert_eq!(
        ids(&env.json(&["list", "--json"])).len(),
        3,
        "nothing of a bad file is imported"
    );
    env.fails(
        &["import", "/no/such/file.jsonl"],
        "cannot open /no/such/file.jsonl",
    );

    let out = env
        .cmd()
        .args(["import", "-"])
        .write_stdin("{\"url\":\"https://ex.com/stdin\",\"text\":\"from stdin\"}\n")
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("imported 1 clipping;"));
}

#[test]
fn bad_library_paths_are_refused_and_left_untouched() {
    let env = Env::new();
    env.cmd()
        .args(["--db", "/no/such/folder/library.db", "list"])
        .assert()
        .code(1)
        .stderr("error: the folder /no/such/folder does not exist\n");
    let text = env.write("notes.txt", "my notes");
    env.cmd()
        .args(["--db", text.to_str().unwrap(), "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "is not a Clipbook library; it was left untouched",
        ));
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "my notes");

    let other = env.dir.path().join("other.sqlite");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    env.cmd()
        .args(["--db", other.to_str().unwrap(), "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a Clipbook library"));

    let newer = env.dir.path().join("newer.db");
    env.cmd()
        .args(["--db", newer.to_str().unwrap(), "list"])
        .assert()
        .success();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 1000)
        .unwrap();
    env.cmd()
        .args(["--db", newer.to_str().unwrap(), "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("newer version of Clipbook"));
}

#[test]
fn user_errors_are_one_plain_line() {
    let env = Env::seeded();
    env.fails(&["show", "42"], "no clipping with id 42");
    env.fails(&["list", "--since", "12/11/2020"], "is not a date");
    env.fails(&["list", "--tag", "unknown"], "no tag named \"unknown\"");
    env.fails(
        &["list", "--collection", "unknown"],
        "no collection named \"unknown\"",
    );
    env.fails(&["list", "--lang", "français!"], "is not a language code");
    env.cmd().args(["show", "abc"]).assert().code(2);
    env.cmd().args(["frobnicate"]).assert().code(2);
}

#[test]
fn default_library_lives_in_the_data_folder() {
    let env = Env::new();
    let mut cmd = Command::cargo_bin("clipbook").unwrap();
    cmd.env_remove("CLIPBOOK_DB")
        .env("HOME", env.dir.path())
        .env_remove("XDG_DATA_HOME");
    cmd.arg("list").assert().success();
    assert!(Path::new(&env.dir.path().join(".local/share/clipbook/library.db")).exists());
}

const PAGE: &str = r#"<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Un vaste réseau démantelé - Le Journal</title>
<meta property="og:site_name" content="Le Journal">
<meta name="author" content="Marie Curie">
<meta property="article:published_time" content="2020-11-12T10:31:00+01:00">
</head><body><nav><a href="/">Accueil</a> <a href="/tech">Tech</a></nav>
<article><h1>Un vaste réseau démantelé</h1>
<p>Les enquêteurs de plusieurs pays européens ont mis hors service des milliers de serveurs
utilisés pour diffuser illégalement des chaînes de télévision payantes, selon Europol.</p>
<p>L'opération, préparée pendant deux ans, a visé un réseau qui revendiquait des centaines de
milliers d'abonnés dans toute l'Europe et qui encaissait des millions d'euros chaque année.</p>
<p>Les abonnés, eux, ne risquent pour l'instant rien, précisent les autorités, qui comptent
toutefois poursuivre les revendeurs identifiés au cours de l'enquête.</p></article>
<footer>© Le Journal — Mentions légales</footer></body></html>"#;

#[test]
fn extract_prints_articles_as_json_lines_that_import_reads() {
    let env = Env::new();
    let page = env.write("page.html", PAGE);
    let gz_path = env.dir.path().join("page.bin");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, PAGE.as_bytes()).unwrap();
    std::fs::write(&gz_path, gz.finish().unwrap()).unwrap();
    let empty = env.write("empty.html", "");

    let out = env
        .cmd()
        .args([
            "extract",
            "--jsonl",
            "--url",
            "https://journal.example/tech/reseau",
        ])
        .args([&page, &gz_path, &empty])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let lines: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "one line per file, failures included");
    for line in &lines[..2] {
        assert_eq!(line["title"], "Un vaste réseau démantelé");
        assert_eq!(line["author"], "Marie Curie");
        assert_eq!(line["language"], "fr");
        assert!(line["text"].as_str().unwrap().contains("Europol"));
        assert!(!line["text"].as_str().unwrap().contains("Mentions légales"));
        for field in [
            "source",
            "url",
            "canonical_url",
            "authors",
            "published",
            "modified",
            "site_name",
            "lead_image",
            "description",
            "markdown",
            "html",
            "word_count",
            "confidence",
            "metadata_sources",
        ] {
            assert!(line.get(field).is_some(), "extract prints {field}");
        }
    }
    assert_eq!(
        lines[1]["source"],
        gz_path.to_str().unwrap(),
        "gzip is recognised by content"
    );
    assert_eq!(lines[2]["source"], empty.to_str().unwrap());
    assert!(lines[2]["error"].as_str().unwrap().contains("empty"));
    assert!(
        !env.db().exists(),
        "extract needs no library and creates none"
    );

    let jsonl = env.write(
        "out.jsonl",
        &lines
            .iter()
            .map(|l| l.to_string() + "\n")
            .collect::<String>(),
    );
    let report = env.json(&["import", jsonl.to_str().unwrap(), "--json"]);
    assert_eq!(
        report,
        serde_json::json!({"added": 1, "existing": 1, "skipped": 1})
    );
    let shown = env.json(&["show", "1", "--format", "json"]);
    assert_eq!(shown["authors"], serde_json::json!(["Marie Curie"]));
    assert_eq!(shown["site_name"], "Le Journal");
}

#[test]
fn export_in_every_format_and_refuse_to_overwrite() {
    let env = Env::seeded();
    env.ok(&["collection", "new", "Revue"]);
    env.ok(&["collection", "add", "Revue", "3", "1"]);
    let out = env.dir.path().join("revue.md");
    let printed = env.ok(&[
        "export",
        "--collection",
        "Revue",
        "--format",
        "markdown",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(printed.contains("exported 2 clippings to"), "{printed}");
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.starts_with("# Revue\n"), "{md}");
    assert!(
        md.find("Le budget 2022").unwrap() < md.find("IPTV : un vaste").unwrap(),
        "collection order"
    );
    env.fails(
        &[
            "export",
            "--collection",
            "Revue",
            "--format",
            "markdown",
            "--out",
            out.to_str().unwrap(),
        ],
        "already exists (add --force to replace it)",
    );
    env.ok(&[
        "export",
        "--collection",
        "Revue",
        "--format",
        "markdown",
        "--out",
        out.to_str().unwrap(),
        "--force",
    ]);

    let dir = env.dir.path().join("notes");
    env.ok(&[
        "export",
        "--tag",
        "piracy",
        "--format",
        "markdown-dir",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(dir.join("index.md").exists());
    assert!(
        dir.join("IPTV un vaste réseau européen démantelé.md")
            .exists()
    );

    let html = env.dir.path().join("r.html");
    env.ok(&[
        "export",
        "--query",
        "iptv",
        "--format",
        "html",
        "--out",
        html.to_str().unwrap(),
    ]);
    assert!(
        std::fs::read_to_string(&html)
            .unwrap()
            .contains("<!doctype html>")
    );
    let json = env.dir.path().join("r.json");
    let report = env.json(&[
        "export",
        "2",
        "1",
        "--format",
        "json",
        "--out",
        json.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(report["clippings"], 2);
    let items: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(ids(&items), vec![2, 1], "ids in the order given");

    let pdf = env.dir.path().join("revue.pdf");
    let printed = env.ok(&[
        "export",
        "--collection",
        "Revue",
        "--format",
        "pdf",
        "--paper",
        "letter",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert!(
        printed.contains("exported 2 clippings to") && printed.contains("pages"),
        "{printed}"
    );
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (scripts/setup.sh)");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Revue") && text.contains("Le budget 2022"),
        "{text}"
    );

    env.fails(
        &[
            "export",
            "77",
            "--format",
            "json",
            "--out",
            env.dir.path().join("x.json").to_str().unwrap(),
        ],
        "no clipping with id 77",
    );
    env.fails(
        &[
            "export",
            "--tag",
            "nope",
            "--format",
            "json",
            "--out",
            env.dir.path().join("y.json").to_str().unwrap(),
        ],
        "no tag named",
    );
    env.fails(
        &[
            "export",
            "1",
            "--format",
            "json",
            "--out",
            "/no/such/dir/x.json",
        ],
        "does not exist",
    );
    env.cmd()
        .args(["export", "--format", "json", "--out", "x.json"])
        .assert()
        .code(2);
}

#[test]
fn an_empty_library_says_how_to_start() {
    let env = Env::new();
    env.cmd()
        .arg("list")
        .assert()
        .success()
        .stderr("the library is empty: clip an article with `clipbook add URL`\n");
    let env = Env::seeded();
    env.cmd()
        .args(["search", "zebra"])
        .assert()
        .success()
        .stderr("no clippings match\n");
}
