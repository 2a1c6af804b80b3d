//! Clipping from a local server: every way a fetch can go, right or wrong.

#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use clipbook_fetch::{
    BatchLimits, ClipError, ClipOptions, FetchConfig, Page, clip_batch, clip_rendered, clip_url,
    image_client,
};
use clipbook_store::{Library, ListRequest};
use common::{PNG, Response, Server, article_page};

fn server() -> Server {
    Server::start(|req| {
        let page = |title: &str| article_page(title, &["/img/ok.png", "/img/broken.png"]);
        match req.path() {
            "/article" | "/article/1" => Response::html(&page("Un vaste réseau démantelé")),
            "/article/2" => Response::html(&page("Deuxième article")),
            "/redirect" => Response::redirect("/redirect/2"),
            "/redirect/2" => Response::redirect("/article/1"),
            "/loop-a" => Response::redirect("/loop-b"),
            "/loop-b" => Response::redirect("/loop-a"),
            "/slow" => Response::html(&page("Lent")).delayed(Duration::from_secs(4)),
            "/huge" => Response::html(&"<p>bla</p>".repeat(300_000)),
            "/gzip" => {
                let mut enc =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                enc.write_all(page("Compressé en gzip").as_bytes()).unwrap();
                Response::new(200, "text/html; charset=utf-8", enc.finish().unwrap())
                    .header("Content-Encoding", "gzip")
            }
            "/br" => {
                let mut out = Vec::new();
                let mut enc = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
                enc.write_all(page("Compressé en brotli").as_bytes())
                    .unwrap();
                drop(enc);
                Response::new(200, "text/html; charset=utf-8", out).header("Content-Encoding", "br")
            }
            "/latin1-header" => {
                let html = page("Économie française").replace("<meta charset=\"utf-8\">", "");
                let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&html);
                Response::new(200, "text/html; charset=ISO-8859-1", bytes.into_owned())
            }
            "/latin1-meta" => {
                let html = page("Économie française").replace(
                    "<meta charset=\"utf-8\">",
                    "<meta charset=\"windows-1252\">",
                );
                let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&html);
                Response::new(200, "text/html", bytes.into_owned())
            }
            "/latin1-wrong-header" => {
                let html = page("Économie française").replace(
                    "<meta charset=\"utf-8\">",
                    "<meta charset=\"windows-1252\">",
                );
                let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&html);
                Response::new(200, "text/html; charset=utf-8", bytes.into_owned())
            }
            "/missing" => Response::new(404, "text/html", "<h1>Not found</h1>"),
            "/error" => Response::new(500, "text/html", "<h1>Oops</h1>"),
            "/doc.pdf" => Response::new(200, "application/pdf", b"%PDF-1.7 ...".to_vec()),
            "/data" => Response::new(200, "application/json", b"{\"a\": 1}".to_vec()),
            "/nothing" => {
                Response::html("<html><body><nav><a href='/'>Accueil</a></nav></body></html>")
            }
            "/consent" => {
                Response::redirect("/consent/ok").header("Set-Cookie", "consent=yes; Path=/")
            }
            "/consent/ok" => {
                if req
                    .header("Cookie")
                    .is_some_and(|c| c.contains("consent=yes"))
                {
                    Response::html(&page("Après le consentement"))
                } else {
                    Response::new(403, "text/html", "<p>consent first</p>")
                }
            }
            "/img/ok.png" | "/img/lead.jpg" => Response::new(200, "image/png", PNG.to_vec()),
            "/img/broken.png" => Response::new(404, "text/html", "missing"),
            "/img/huge.png" => Response::new(200, "image/png", vec![0u8; 300_000]),
            "/img/html.png" => Response::html("<p>not an image</p>"),
            "/with-bad-images" => Response::html(&article_page(
                "Images difficiles",
                &["/img/ok.png", "/img/huge.png", "/img/html.png"],
            )),
            _ => Response::new(404, "text/plain", "no route"),
        }
    })
}

fn config() -> FetchConfig {
    FetchConfig {
        timeout: Duration::from_secs(2),
        connect_timeout: Duration::from_secs(2),
        max_page_bytes: 1024 * 1024,
        max_image_bytes: 100 * 1024,
        ..FetchConfig::default()
    }
}

struct Env {
    server: Server,
    lib: Arc<Library>,
    config: FetchConfig,
}

impl Env {
    fn new() -> Env {
        Env {
            server: server(),
            lib: Arc::new(Library::open_in_memory().unwrap()),
            config: config(),
        }
    }

    async fn clip(&self, target: &str) -> Result<clipbook_fetch::Clipped, ClipError> {
        let images = image_client(&self.config).unwrap();
        let url = if target.starts_with("http") {
            target.to_string()
        } else {
            self.server.url(target)
        };
        clip_url(
            &self.lib,
            &url,
            &self.config,
            &images,
            &ClipOptions::default(),
        )
        .await
    }
}

#[tokio::test]
async fn an_article_becomes_a_clipping_with_its_images_and_original_page() {
    let env = Env::new();
    let clipped = env.clip("/article/1").await.unwrap();
    assert!(clipped.created);
    assert_eq!(clipped.title, "Un vaste réseau démantelé");
    assert_eq!(
        clipped.images_saved, 2,
        "the lead image and the one that loads"
    );
    assert_eq!(clipped.images_failed.len(), 1);
    assert!(
        clipped.images_failed[0].1.contains("404"),
        "{:?}",
        clipped.images_failed
    );
    let c = env.lib.clipping(clipped.id).unwrap();
    assert_eq!(c.url, env.server.url("/article/1"));
    assert_eq!(c.authors, vec!["Claire Martin"]);
    assert_eq!(c.language.as_deref(), Some("fr"));
    assert!(c.content_text.contains("Les enquêteurs"));
    assert!(
        !c.content_text.contains("cookies"),
        "boilerplate is left out"
    );
    assert!(c.fetched_at.is_some());
    let original = env.lib.original_html(clipped.id).unwrap().unwrap();
    assert!(
        String::from_utf8(original)
            .unwrap()
            .contains("cookie-banner"),
        "the page as fetched"
    );
    let images = env.lib.images(clipped.id).unwrap();
    assert_eq!(images.len(), 3);
    assert!(images[0].is_lead && images[0].hash.is_some());
    let print = env
        .lib
        .print_image(
            images[0].hash.as_deref().unwrap(),
            &clipbook_print_images::recipe(),
        )
        .unwrap();
    assert!(
        print.is_some(),
        "the image was made ready for print when it was clipped"
    );
    let broken = images
        .iter()
        .find(|i| i.url.ends_with("broken.png"))
        .unwrap();
    assert!(
        broken.hash.is_none() && broken.error.is_some(),
        "a failed image keeps its URL and reason"
    );
}

#[tokio::test]
async fn redirects_are_followed_and_the_final_url_is_kept() {
    let env = Env::new();
    let clipped = env.clip("/redirect").await.unwrap();
    assert_eq!(
        env.lib.clipping(clipped.id).unwrap().url,
        env.server.url("/article/1")
    );
    let err = env.clip("/loop-a").await.unwrap_err();
    assert!(matches!(err, ClipError::RedirectLoop { .. }), "{err}");
    assert!(err.to_string().contains("loop"));
}

#[tokio::test]
async fn cookies_set_along_a_redirect_are_sent_back() {
    let env = Env::new();
    let clipped = env.clip("/consent").await.unwrap();
    assert_eq!(clipped.title, "Après le consentement");
}

#[tokio::test]
async fn a_slow_server_times_out_and_a_huge_page_is_refused() {
    let env = Env::new();
    let err = env.clip("/slow").await.unwrap_err();
    assert!(matches!(err, ClipError::Timeout { seconds: 2 }), "{err}");
    let err = env.clip("/huge").await.unwrap_err();
    assert_eq!(err.to_string(), "the page is larger than the 1 MB limit");
}

#[tokio::test]
async fn gzip_and_brotli_pages_are_decoded() {
    let env = Env::new();
    assert_eq!(env.clip("/gzip").await.unwrap().title, "Compressé en gzip");
    assert_eq!(env.clip("/br").await.unwrap().title, "Compressé en brotli");
}

#[tokio::test]
async fn legacy_charsets_from_the_header_or_the_page() {
    let env = Env::new();
    for target in ["/latin1-header", "/latin1-meta", "/latin1-wrong-header"] {
        let clipped = env.clip(target).await.unwrap();
        assert_eq!(clipped.title, "Économie française", "{target}");
        let text = env.lib.clipping(clipped.id).unwrap().content_text;
        assert!(text.contains("enquêteurs"), "{target}: {text}");
    }
}

#[tokio::test]
async fn http_errors_and_non_pages_say_what_they_are() {
    let env = Env::new();
    let err = env.clip("/missing").await.unwrap_err();
    assert_eq!(err.to_string(), "the server answered HTTP 404 Not Found");
    let err = env.clip("/error").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "the server answered HTTP 500 Internal Server Error"
    );
    let err = env.clip("/doc.pdf").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "the address is a PDF document (application/pdf), not a web page"
    );
    let err = env.clip("/data").await.unwrap_err();
    assert_eq!(err.code(), "not_html");
    let err = env.clip("/nothing").await.unwrap_err();
    assert_eq!(err.code(), "no_article", "{err}");
    let err = env.clip("ftp://example.com/x").await.unwrap_err();
    assert_eq!(err.code(), "invalid_url");
    assert_eq!(
        env.lib.count_clippings().unwrap(),
        0,
        "no failure stores anything"
    );
}

#[tokio::test]
async fn refused_connections_and_unknown_hosts() {
    let env = Env::new();
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let err = env.clip(&format!("http://{closed}/a")).await.unwrap_err();
    assert!(matches!(err, ClipError::Refused { .. }), "{err}");
    let err = env.clip("http://no-such-host.invalid/a").await.unwrap_err();
    assert!(matches!(err, ClipError::Dns { .. }), "{err}");
}

#[tokio::test]
async fn images_that_are_too_big_or_not_images_stay_remote() {
    let env = Env::new();
    let clipped = env.clip("/with-bad-images").await.unwrap();
    let reasons: Vec<&str> = clipped
        .images_failed
        .iter()
        .map(|(_, r)| r.as_str())
        .collect();
    assert!(
        reasons.contains(&"the image is larger than the 100 KB limit"),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("not an image (text/html)")),
        "{reasons:?}"
    );
    assert_eq!(clipped.images_saved, 2);
}

#[tokio::test]
async fn the_same_article_under_tracking_parameters_is_one_clipping() {
    let env = Env::new();
    let a = env
        .clip("/article/1?utm_source=twitter&utm_medium=social")
        .await
        .unwrap();
    let b = env.clip("/article/1?fbclid=abc#comments").await.unwrap();
    assert!(a.created && !b.created);
    assert_eq!(a.id, b.id);
    assert_eq!(env.lib.count_clippings().unwrap(), 1);
    assert_eq!(
        env.server.hit_count("/article/1"),
        1,
        "the second address is known: not fetched again"
    );
}

#[tokio::test]
async fn a_batch_reports_every_address_and_loses_none() {
    let env = Env::new();
    env.lib.create_collection("Revue", "", None).unwrap();
    let urls: Vec<String> = [
        "/article/1",
        "/article/2",
        "/missing",
        "/doc.pdf",
        "/article/1?utm_source=x",
        "/gzip",
    ]
    .iter()
    .map(|t| env.server.url(t))
    .collect();
    let options = ClipOptions {
        tags: vec!["revue/lundi".into()],
        collection: Some("Revue".into()),
    };
    let mut seen = 0;
    let report = clip_batch(
        Arc::clone(&env.lib),
        urls,
        &env.config,
        BatchLimits {
            concurrency: 3,
            per_host: 2,
        },
        &options,
        |_| seen += 1,
        std::future::pending(),
    )
    .await;
    assert_eq!(report.duplicates, 1);
    assert_eq!(seen, 5);
    assert_eq!(
        (report.added(), report.existing(), report.failed().count()),
        (3, 0, 2)
    );
    let tagged = env.lib.count(&ListRequest {
        filters: clipbook_store::Filters {
            tags: vec!["revue".into()],
            ..Default::default()
        },
        ..Default::default()
    });
    assert_eq!(tagged.unwrap(), 3);
    assert_eq!(env.lib.collection("Revue").unwrap().count, 3);

    // The same list again adds nothing and fetches no page again.
    let before = env.server.hit_count("/article");
    let again = clip_batch(
        Arc::clone(&env.lib),
        vec![env.server.url("/article/1"), env.server.url("/article/2")],
        &env.config,
        BatchLimits::default(),
        &options,
        |_| {},
        std::future::pending(),
    )
    .await;
    assert_eq!((again.added(), again.existing()), (0, 2));
    assert_eq!(env.server.hit_count("/article"), before);
}

#[tokio::test]
async fn a_stopped_batch_keeps_what_finished() {
    let env = Env::new();
    let urls = vec![env.server.url("/article/1"), env.server.url("/slow")];
    let report = clip_batch(
        Arc::clone(&env.lib),
        urls,
        &env.config,
        BatchLimits::default(),
        &ClipOptions::default(),
        |_| {},
        tokio::time::sleep(Duration::from_millis(1500)),
    )
    .await;
    assert_eq!(report.added(), 1);
    assert_eq!(report.not_done, vec![env.server.url("/slow")]);
    assert_eq!(env.lib.count_clippings().unwrap(), 1);
}

#[tokio::test]
async fn a_failed_secure_connection_is_named_as_such() {
    let env = Env::new();
    // The test server speaks plain HTTP: a TLS handshake with it fails.
    let url = format!("https://{}/article/1", env.server.addr);
    let err = env.clip(&url).await.unwrap_err();
    assert_eq!(err.code(), "tls", "{err}");
    assert!(
        err.to_string()
            .starts_with("the secure connection to 127.0.0.1 failed"),
        "{err}"
    );
}

#[tokio::test]
async fn a_page_from_the_browser_is_clipped_whole_or_as_its_selection() {
    let env = Env::new();
    let images = image_client(&env.config).unwrap();
    let page = |path: &str| Page {
        url: url::Url::parse(&env.server.url(path)).unwrap(),
        content_type: Some("text/html; charset=utf-8".into()),
        charset: Some("utf-8".into()),
        bytes: article_page("Réservé aux abonnés", &[]).into_bytes(),
    };
    let options = ClipOptions {
        tags: vec!["presse/abonnés".into()],
        collection: None,
    };
    let whole = clip_rendered(
        &env.lib,
        page("/rendered/1"),
        None,
        &env.config,
        &images,
        &options,
    )
    .await
    .unwrap();
    let c = env.lib.clipping(whole.id).unwrap();
    assert_eq!(c.title, "Réservé aux abonnés");
    assert!(c.content_text.contains("Les abonnés ne risquent"));
    assert_eq!(c.tags, vec!["presse/abonnés"]);

    let selection = "<p>L'opération, préparée pendant deux ans, visait un réseau.</p>".to_string();
    let part = clip_rendered(
        &env.lib,
        page("/rendered/2"),
        Some(selection),
        &env.config,
        &images,
        &ClipOptions::default(),
    )
    .await
    .unwrap();
    let c = env.lib.clipping(part.id).unwrap();
    assert_eq!(c.title, "Réservé aux abonnés", "the page's metadata");
    assert_eq!(c.authors, vec!["Claire Martin"]);
    assert_eq!(
        c.content_text,
        "L'opération, préparée pendant deux ans, visait un réseau."
    );

    let blank = clip_rendered(
        &env.lib,
        page("/rendered/3"),
        Some("<script>x()</script>".into()),
        &env.config,
        &images,
        &ClipOptions::default(),
    )
    .await;
    assert!(matches!(blank, Err(ClipError::NoArticle(_))), "{blank:?}");
}
