//! The browser bridge as the app runs it: a paired extension sends a page (or a selection) and
//! it lands in the library; the window hears of the pairing request and of the new clipping.

#![allow(clippy::unwrap_used)]

#[path = "../../fetch/tests/common/mod.rs"]
mod common;

use std::sync::{Arc, Mutex};

use clipbook_desktop::bridge::{self, BridgeEvents, PairingPrompt};
use clipbook_desktop::{ClipResult, Desktop};
use clipbook_store::Library;
use common::article_page;
use serde_json::{Value, json};

const EXTENSION: &str = "chrome-extension://abcdefghijklmnopabcdefghijklmnop";

#[derive(Clone, Default)]
struct Window {
    prompts: Arc<Mutex<Vec<PairingPrompt>>>,
    clipped: Arc<Mutex<Vec<ClipResult>>>,
}

impl BridgeEvents for Window {
    fn pairing_requested(&self, prompt: PairingPrompt) {
        self.prompts.lock().unwrap().push(prompt);
    }
    fn clipped(&self, result: &ClipResult) {
        self.clipped.lock().unwrap().push(result.clone());
    }
}

async fn post(port: u16, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}{path}"))
        .header("Origin", EXTENSION)
        .header("Content-Type", "application/json")
        .body(body.to_string());
    if let Some(token) = token {
        req = req.header("Authorization", format!("Bearer {token}"));
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (
        status,
        serde_json::from_str(&resp.text().await.unwrap()).unwrap(),
    )
}

#[tokio::test]
async fn a_paired_extension_clips_pages_and_selections_into_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("library.sqlite");
    let desktop = Arc::new(Desktop::with_library(
        Library::open(&library).unwrap(),
        "clipbook://localhost/",
    ));
    let window = Window::default();
    let running = bridge::start(Arc::clone(&desktop), &library, 0, window.clone())
        .await
        .unwrap();
    let port = running.port();

    // Pairing: the window is asked, the user accepts, the extension gets its token.
    let (status, asked) = post(port, "/pair", None, json!({"name": "Clipbook for Chrome"})).await;
    assert_eq!(status, 201, "{asked}");
    let prompt = window.prompts.lock().unwrap().last().cloned().unwrap();
    assert_eq!(prompt.origin, EXTENSION);
    assert_eq!(prompt.code, asked["code"].as_str().unwrap());
    running.answer_pairing(&prompt.id, true).unwrap();
    let answer: Value = serde_json::from_str(
        &reqwest::Client::new()
            .get(format!(
                "http://127.0.0.1:{port}/pair/{}",
                asked["request"].as_str().unwrap()
            ))
            .header("Origin", EXTENSION)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(answer["status"], "accepted");
    let token = answer["token"].as_str().unwrap().to_string();
    let status = bridge::status(Ok(&running), &library).unwrap();
    assert_eq!(status.port, Some(port));
    assert_eq!(status.paired.len(), 1);
    assert_eq!(status.paired[0].name, "Clipbook for Chrome");
    assert!(
        dir.path().join("bridge-pairings.json").exists(),
        "kept beside the library"
    );

    // A page behind a paywall, as the browser shows it: clipped whole, with the tags typed.
    let html = article_page("Réservé aux abonnés", &[]);
    let (status, clipped) = post(
        port,
        "/clip",
        Some(&token),
        json!({"url": "https://journal.example/2020/11/12/abonnes", "html": html,
               "tags": ["presse/abonnés"]}),
    )
    .await;
    assert_eq!(status, 200, "{clipped}");
    assert_eq!(clipped["title"], "Réservé aux abonnés");
    assert_eq!(clipped["created"], true);
    let id = clipped["id"].as_i64().unwrap();
    let view = desktop.reader(id).unwrap();
    assert!(
        view.clipping
            .content_text
            .contains("Les abonnés ne risquent")
    );
    assert_eq!(view.clipping.tags, vec!["presse/abonnés"]);
    assert_eq!(
        window.clipped.lock().unwrap().len(),
        1,
        "the window hears of it"
    );

    // Only the selection.
    let (status, part) = post(
        port,
        "/clip",
        Some(&token),
        json!({"url": "https://journal.example/2020/11/12/autre", "html": html,
               "selection_html": "<p>L'opération visait un réseau <b>européen</b>.</p>"}),
    )
    .await;
    assert_eq!(status, 200, "{part}");
    let view = desktop.reader(part["id"].as_i64().unwrap()).unwrap();
    assert_eq!(
        view.clipping.content_text,
        "L'opération visait un réseau européen."
    );
    assert_eq!(view.clipping.authors, vec!["Claire Martin"]);

    // A page with nothing to clip says so in plain words, and stores nothing.
    let (status, refused) = post(
        port,
        "/clip",
        Some(&token),
        json!({"url": "https://journal.example/vide", "html": "<html><body><p>Connexion</p></body></html>"}),
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["error"]["code"], "no_article", "{refused}");
    assert_eq!(desktop.library_info().unwrap().clippings, 2);

    // Revoked: the token no longer works.
    assert!(
        running
            .tokens()
            .revoke(&prompt_pairing_id(&running))
            .unwrap()
    );
    let (status, _) = post(
        port,
        "/clip",
        Some(&token),
        json!({"url": "https://journal.example/x", "html": html}),
    )
    .await;
    assert!(status == 401 || status == 403, "{status}");
    running.stop().await;
}

fn prompt_pairing_id(running: &clipbook_bridge::RunningBridge) -> String {
    running.tokens().list().unwrap()[0].id.clone()
}

#[test]
fn allowed_sites_are_kept_as_origins_and_nonsense_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = bridge::sites_file(&dir.path().join("library.sqlite"));
    assert!(
        bridge::load_allowed_sites(&file).is_empty(),
        "none at first"
    );
    let kept = bridge::save_allowed_sites(
        &file,
        &[
            "https://www.LeMonde.fr/international/article.html".into(),
            "  ".into(),
            "news.example".into(),
            "https://www.lemonde.fr".into(),
        ],
    )
    .unwrap();
    assert_eq!(kept, vec!["https://www.lemonde.fr", "https://news.example"]);
    assert_eq!(bridge::load_allowed_sites(&file), kept);
    let err = bridge::save_allowed_sites(&file, &["javascript:alert(1)".into()]).unwrap_err();
    assert_eq!(err.code, "invalid_input");
    assert_eq!(
        bridge::load_allowed_sites(&file),
        kept,
        "a refused list changes nothing"
    );
}
