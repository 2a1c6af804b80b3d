//! Export benchmark: 200 clippings (each with a 1600×1000 JPEG and ~1,000 words) to a PDF press
//! review, and 10,000 clippings to a Markdown folder. Prints time, peak memory and file size.
//!
//! The library is filled the way clipping fills it: each image with its print-ready version
//! (`clipbook_print_images::prepare`), whose cost is printed too. A second, small library
//! without print-ready versions (clipped by an older version of Clipbook) shows what an export
//! costs when it has to prepare the images itself.
//!
//! `cargo bench -p clipbook-pdf --bench export`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use clipbook_export::{ExportOptions, Format, Selection, export};
use clipbook_pdf::{Paper, PdfOptions, export_pdf};
use clipbook_store::{Library, NewClipping, NewImage, PrintVersion};

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

/// Peak resident memory of this process, in MB (Linux).
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

/// Runs one export in this process (a child of the benchmark, so that its peak memory is the
/// export's own) and prints its figures.
fn child(kind: &str, db: &std::path::Path, out: &std::path::Path) {
    let lib = Library::open(db).unwrap();
    let ids: Vec<i64> = (1..=10_000).collect();
    let start = Instant::now();
    if kind == "pdf-unprepared" {
        let options = PdfOptions {
            out: out.to_path_buf(),
            force: true,
            paper: Paper::A4,
            title: Some("Benchmark".into()),
        };
        let mut images = 0.0;
        export_pdf(
            &lib,
            &Selection::Ids(ids[..200].to_vec()),
            &options,
            &mut |done, _| {
                if done == 1 {
                    images = start.elapsed().as_secs_f64();
                }
            },
        )
        .unwrap();
        println!("PDF of the same 200 articles clipped without print-ready images (older library)");
        println!(
            "  time                 {:>8.2} s (of which images prepared {images:.2} s)",
            start.elapsed().as_secs_f64()
        );
        println!("  peak memory          {:>8.0} MB", peak_mb());
    } else if kind == "pdf" {
        let options = PdfOptions {
            out: out.to_path_buf(),
            force: true,
            paper: Paper::A4,
            title: Some("Benchmark".into()),
        };
        // Progress is reported per article once the images are ready: the first call marks
        // the end of image preparation, the last the start of typesetting.
        let mut marks: Vec<f64> = Vec::new();
        let report = export_pdf(
            &lib,
            &Selection::Ids(ids[..200].to_vec()),
            &options,
            &mut |done, total| {
                if done == 1 || done == total {
                    marks.push(start.elapsed().as_secs_f64());
                }
            },
        )
        .unwrap();
        let secs = start.elapsed().as_secs_f64();
        let (images, typesetting) = match (marks.first(), marks.last()) {
            (Some(&first), Some(&last)) => (first, secs - last),
            _ => (0.0, 0.0),
        };
        println!("PDF of 200 articles (1600×1000 JPEG and ~1,000 words each)");
        println!("  time                 {secs:>8.2} s");
        println!(
            "    of which images    {images:>8.2} s (print-ready versions read from the library)"
        );
        println!("    of which typst     {typesetting:>8.2} s (layout and PDF writing)");
        println!("  peak memory          {:>8.0} MB", peak_mb());
        println!(
            "  file size            {:>8.1} MB ({} pages, {} images)",
            report.bytes as f64 / 1e6,
            report.pages,
            report.images
        );
        // The same review exported again (after a correction, say): what is left is typst.
        let start = Instant::now();
        export_pdf(
            &lib,
            &Selection::Ids(ids[..200].to_vec()),
            &options,
            &mut |_, _| {},
        )
        .unwrap();
        println!(
            "  exported again       {:>8.2} s",
            start.elapsed().as_secs_f64()
        );
    } else {
        let options = ExportOptions {
            format: Format::MarkdownDir,
            out: out.to_path_buf(),
            force: true,
            remote_images: false,
            title: None,
        };
        let report = export(&lib, &Selection::Ids(ids), &options, &mut |_, _| {}).unwrap();
        let secs = start.elapsed().as_secs_f64();
        println!(
            "markdown-dir of {} clippings ({} images)",
            report.clippings, report.images
        );
        println!("  time                 {secs:>8.2} s");
        println!("  peak memory          {:>8.0} MB", peak_mb());
    }
}

/// A library of `count` clippings, image `n % 200` in clipping `n`, with the print-ready
/// versions given.
fn fill(db: &std::path::Path, count: usize, images: &[Vec<u8>], prints: &[Option<PrintVersion>]) {
    let lib = Library::open(db).unwrap();
    for n in 0..count {
        lib.add_clipping(&NewClipping {
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
                bytes: Some(images[n % images.len()].clone()),
                print: prints[n % prints.len()].clone(),
                ..Default::default()
            }],
            ..Default::default()
        })
        .unwrap();
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--child") {
        child(
            &args[pos + 1],
            std::path::Path::new(&args[pos + 2]),
            std::path::Path::new(&args[pos + 3]),
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let images: Vec<Vec<u8>> = (0..200).map(jpeg).collect();
    let avg = images.iter().map(Vec::len).sum::<usize>() as f64 / images.len() as f64 / 1e3;
    // What clipping does on its blocking threads for each image it downloads.
    let start = Instant::now();
    let prints: Vec<Option<PrintVersion>> = images
        .iter()
        .map(|bytes| clipbook_print_images::print_version(bytes))
        .collect();
    let per_image = start.elapsed().as_secs_f64() * 1e3 / images.len() as f64;
    let db = dir.path().join("bench.db");
    fill(&db, 10_000, &images, &prints);
    println!("library: 10,000 clippings, 200 distinct 1600×1000 JPEGs of {avg:.0} KB on average");
    println!(
        "  each image made ready for print when clipped: {per_image:.1} ms of CPU (one thread)"
    );
    let older = dir.path().join("older.db");
    fill(&older, 200, &images, &vec![None; images.len()]);
    let exe = std::env::current_exe().unwrap();
    for (kind, db, out) in [
        ("pdf", &db, dir.path().join("revue.pdf")),
        ("pdf-unprepared", &older, dir.path().join("older.pdf")),
        ("markdown-dir", &db, dir.path().join("notes")),
    ] {
        let status = std::process::Command::new(&exe)
            .arg("--child")
            .arg(kind)
            .arg(db)
            .arg(&out)
            .status()
            .unwrap();
        assert!(status.success(), "the {kind} export failed");
    }
}
