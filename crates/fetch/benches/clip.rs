//! End-to-end clipping benchmark: a local server serves distinct article pages with two images
//! each (1200×750 JPEGs, the size of a news site's inline photo); they are clipped through the
//! real path (HTTP, extraction, image downloads, each image made ready for print, one
//! transaction each) into a library on disk. Prints clippings/s and the peak memory.
//!
//! `cargo bench -p clipbook-fetch --bench clip` (pages: `CLIPBOOK_BENCH_PAGES`, default 1000).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::Instant;

use clipbook_fetch::{BatchLimits, ClipOptions, FetchConfig, clip_batch};
use clipbook_store::Library;
use common::{Response, Server, article_page};

/// Peak resident memory of this process, in MB (Linux; 0 elsewhere).
fn peak_memory_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// A photo-like 1200×750 JPEG (smooth shading and grain), made once.
fn base_jpeg() -> &'static [u8] {
    static JPEG: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    JPEG.get_or_init(|| {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let img = image::RgbImage::from_fn(1200, 750, |px, py| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let grain = (x % 24) as u32;
            image::Rgb([
                (px * 200 / 1200 + grain) as u8,
                (py * 180 / 750 + grain) as u8,
                ((px + py) * 120 / 1950 + grain) as u8,
            ])
        });
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82)
            .encode_image(&img)
            .unwrap();
        out
    })
}

/// The photo, made distinct for each name by a JPEG comment segment carrying the name (the
/// library stores images once per content).
fn image_bytes(name: &str) -> Vec<u8> {
    let base = base_jpeg();
    let mut out = Vec::with_capacity(base.len() + name.len() + 4);
    out.extend_from_slice(&base[..2]); // SOI
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend_from_slice(&((name.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(&base[2..]);
    out
}

fn main() {
    let pages: usize = std::env::var("CLIPBOOK_BENCH_PAGES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let quick = !std::env::args().any(|a| a == "--bench");
    let pages = if quick { pages.min(20) } else { pages };
    let server = Server::start(|req| {
        let path = req.path();
        if let Some(n) = path.strip_prefix("/article/") {
            let page = article_page(
                &format!("Article {n} : le réseau démantelé"),
                &[&format!("/img/{n}-a.jpg"), &format!("/img/{n}-b.jpg")],
            )
            .replace("/img/lead.jpg", &format!("/img/{n}-a.jpg"));
            Response::html(&page)
        } else if path.starts_with("/img/") {
            Response::new(200, "image/jpeg", image_bytes(path))
        } else {
            Response::new(404, "text/plain", "no")
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let lib = Arc::new(Library::open(dir.path().join("bench.db")).unwrap());
    let urls: Vec<String> = (0..pages)
        .map(|i| server.url(&format!("/article/{i}")))
        .collect();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let config = FetchConfig::default();
    // One site serves everything here; allow the overall limit per host too, as a local
    // archive or intranet would.
    let limits = BatchLimits {
        concurrency: 6,
        per_host: 6,
    };
    let start = Instant::now();
    let report = rt.block_on(clip_batch(
        Arc::clone(&lib),
        urls,
        &config,
        limits,
        &ClipOptions::default(),
        |_| {},
        std::future::pending(),
    ));
    let elapsed = start.elapsed().as_secs_f64();
    let failed: Vec<String> = report
        .failed()
        .map(|i| format!("{}: {:?}", i.url, i.result.as_ref().err()))
        .take(3)
        .collect();
    assert!(failed.is_empty(), "every page clips: {failed:?}");
    let images: i64 = (1..=pages as i64)
        .map(|id| lib.images(id).map(|i| i.len() as i64).unwrap_or(0))
        .sum();
    println!(
        "clipped {pages} pages ({images} images, 1200×750 JPEGs of {} KB) in {elapsed:.1} s",
        base_jpeg().len() / 1024
    );
    println!("  clippings/s            {:>8.1}", pages as f64 / elapsed);
    println!("  peak memory            {:>8.1} MB", peak_memory_mb());
}
