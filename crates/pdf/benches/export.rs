//! Export benchmark: 200 clippings (each with a 1600×1000 JPEG and ~1,000 words) to a PDF press
//! review, and 10,000 clippings to a Markdown folder. Prints time, peak memory and file size.
//!
//! `cargo bench -p clipbook-pdf --bench export`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use clipbook_export::{ExportOptions, Format, Selection, export};
use clipbook_pdf::{Paper, PdfOptions, export_pdf};
use clipbook_store::{Library, NewClipping, NewImage};

const WORDS: &[&str] = &[
    "réseau",
    "serveurs",
    "enquête",
    "européen",
    "opération",
    "abonnés",
    "chaînes",
    "illégal",
    "police",
    "justice",
    "millions",
    "euros",
    "plateforme",
    "droits",
    "diffusion",
    "sport",
    "télévision",
    "pirates",
    "autorités",
    "revendeurs",
    "le",
    "la",
    "les",
    "des",
    "un",
    "une",
    "et",
    "à",
    "dans",
    "pour",
    "avec",
    "sur",
    "qui",
    "a",
    "été",
    "selon",
    "plusieurs",
    "pays",
];

/// Peak resident memory since the last reset, in MB (Linux).
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Resets the peak so that it measures the export alone (Linux: `5` in clear_refs).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn jpeg(seed: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(1600, 1000, |x, y| {
        image::Rgb([
            ((x * 7 + seed * 13) % 256) as u8,
            ((y * 3 + seed) % 256) as u8,
            ((x ^ y) % 256) as u8,
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&img)
        .unwrap();
    out
}

fn article_html(n: usize) -> String {
    let mut html = String::new();
    let mut word = n;
    for p in 0..10 {
        if p == 4 {
            html.push_str("<h2>Un intertitre de l’article</h2>");
        }
        if p == 2 {
            html.push_str(&format!("<figure><img src=\"https://cdn.example/{n}.jpg\" alt=\"Photo\"><figcaption>Photo de l’article {n}</figcaption></figure>"));
        }
        html.push_str("<p>");
        for i in 0..100 {
            word = (word * 31 + 7) % WORDS.len();
            if i > 0 {
                html.push(' ');
            }
            html.push_str(WORDS[word]);
        }
        html.push_str(".</p>");
    }
    html
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let lib = Library::open(dir.path().join("bench.db")).unwrap();
    let images: Vec<Vec<u8>> = (0..200).map(jpeg).collect();
    let mut ids = Vec::new();
    for n in 0..10_000usize {
        let id = lib
            .add_clipping(&NewClipping {
                url: format!("https://news{}.example/article/{n}", n % 40),
                title: format!("Article {n} : un vaste réseau démantelé, des serveurs saisis"),
                authors: vec!["Claire Martin".into()],
                published_at: Some(format!("2020-11-{:02}", 1 + n % 28)),
                site_name: Some(format!("Journal {}", n % 40)),
                language: Some("fr".into()),
                content_html: article_html(n),
                images: vec![NewImage {
                    url: format!("https://cdn.example/{n}.jpg"),
                    content_type: Some("image/jpeg".into()),
                    bytes: Some(images[n % 200].clone()),
                    ..Default::default()
                }],
                ..Default::default()
            })
            .unwrap()
            .id;
        ids.push(id);
    }
    drop(images);

    let out = dir.path().join("revue.pdf");
    let options = PdfOptions {
        out: out.clone(),
        force: true,
        paper: Paper::A4,
        title: Some("Benchmark".into()),
    };
    reset_peak();
    let start = Instant::now();
    let report = export_pdf(
        &lib,
        &Selection::Ids(ids[..200].to_vec()),
        &options,
        &mut |_, _| {},
    )
    .unwrap();
    let secs = start.elapsed().as_secs_f64();
    println!("PDF of 200 articles (1600×1000 JPEG and ~1,000 words each)");
    println!("  time                 {secs:>8.2} s");
    println!("  peak memory          {:>8.0} MB", peak_mb());
    println!(
        "  file size            {:>8.1} MB ({} pages, {} images)",
        report.bytes as f64 / 1e6,
        report.pages,
        report.images
    );

    let folder = dir.path().join("notes");
    let options = ExportOptions {
        format: Format::MarkdownDir,
        out: folder,
        force: true,
        remote_images: false,
        title: None,
    };
    reset_peak();
    let start = Instant::now();
    let report = export(&lib, &Selection::Ids(ids.clone()), &options, &mut |_, _| {}).unwrap();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "markdown-dir of {} clippings ({} images)",
        report.clippings, report.images
    );
    println!("  time                 {secs:>8.2} s");
    println!("  peak memory          {:>8.0} MB", peak_mb());
}
