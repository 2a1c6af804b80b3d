//! A small HTTP/1.1 server on 127.0.0.1 for hermetic tests: each test starts its own on port 0
//! and answers from a table of routes. Every response closes its connection.

#![allow(dead_code, clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub struct Request {
    /// Path and query, as requested.
    pub target: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
}

#[derive(Default)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Duration,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            ..Default::default()
        }
    }
    pub fn html(body: &str) -> Response {
        Response::new(200, "text/html; charset=utf-8", body)
    }
    pub fn redirect(to: &str) -> Response {
        Response {
            status: 302,
            headers: vec![("Location".into(), to.into())],
            ..Default::default()
        }
    }
    pub fn header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.into(), value.into()));
        self
    }
    pub fn delayed(mut self, delay: Duration) -> Response {
        self.delay = delay;
        self
    }
}

pub type Handler = dyn Fn(&Request) -> Response + Send + Sync;

pub struct Server {
    pub addr: SocketAddr,
    /// Every target requested, in order.
    pub hits: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let hits = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let seen = Arc::clone(&hits);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (handler, seen) = (Arc::clone(&handler), Arc::clone(&seen));
                std::thread::spawn(move || serve(stream, &*handler, &seen));
            }
        });
        Server { addr, hits }
    }

    pub fn url(&self, target: &str) -> String {
        format!("http://{}{target}", self.addr)
    }

    pub fn hit_count(&self, prefix: &str) -> usize {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|t| t.starts_with(prefix))
            .count()
    }
}

fn serve(stream: TcpStream, handler: &Handler, seen: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    seen.lock().unwrap().push(target.clone());
    let response = handler(&Request { target, headers });
    std::thread::sleep(response.delay);
    let mut out = stream;
    let reason = match response.status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    };
    let mut head = format!("HTTP/1.1 {} {reason}\r\n", response.status);
    for (k, v) in &response.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        response.body.len()
    ));
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(&response.body);
    let _ = out.flush();
}

/// A news article page of our own, in French, with a lead image, two inline images and the
/// boilerplate around it.
pub fn article_page(title: &str, images: &[&str]) -> String {
    let figures: String = images
        .iter()
        .map(|src| {
            format!(
                "<figure><img src=\"{src}\" alt=\"\"><figcaption>Illustration</figcaption></figure>"
            )
        })
        .collect();
    format!(
        r#"<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>{title} - Le Quotidien</title>
<meta property="og:site_name" content="Le Quotidien">
<meta property="og:image" content="/img/lead.jpg">
<meta name="author" content="Claire Martin">
<meta property="article:published_time" content="2020-11-12T10:31:00+01:00">
</head><body>
<div class="cookie-banner">Nous utilisons des cookies. <button>Accepter</button></div>
<nav><a href="/">Accueil</a> <a href="/economie">Économie</a></nav>
<article><h1>{title}</h1>
<p>Les enquêteurs de plusieurs pays européens ont mis hors service des milliers de serveurs
utilisés pour diffuser illégalement des chaînes de télévision payantes, selon un communiqué.</p>
{figures}
<p>L'opération, préparée pendant deux ans, visait un réseau qui revendiquait des centaines de
milliers d'abonnés dans toute l'Europe et encaissait des millions d'euros chaque année.</p>
<p>Les abonnés ne risquent pour l'instant rien, précisent les autorités, qui comptent toutefois
poursuivre les revendeurs identifiés au cours de cette longue enquête internationale.</p>
</article>
<aside><h3>À lire aussi</h3><ul><li><a href="/autre">Un autre article</a></li></ul></aside>
<footer>© Le Quotidien — Mentions légales</footer></body></html>"#
    )
}

/// A 1×1 transparent PNG (valid: checksums right, so it decodes).
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0B, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0x60, 0x00, 0x02, 0x00,
    0x00, 0x05, 0x00, 0x01, 0xE9, 0xFA, 0xDC, 0xD8, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44,
    0xAE, 0x42, 0x60, 0x82,
];
