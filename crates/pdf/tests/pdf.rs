//! The press review read back as its readers get it: text extracted with pdftotext (installed
//! by `scripts/setup.sh`), page count from pdfinfo.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use clipbook_export::Selection;
use clipbook_pdf::{Paper, PdfOptions, export_pdf};
use clipbook_store::{Library, NewClipping, NewImage, PrintVersion};

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 250) as u8, (y % 250) as u8, 120])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&img)
        .unwrap();
    out
}

fn library() -> Library {
    let lib = Library::open_in_memory().unwrap();
    let add = |n: u32, title: &str, html: &str, lang: &str, images: Vec<NewImage>| {
        lib.add_clipping(&NewClipping {
            url: format!("https://news.example/2020/11/12/{n}-un-titre-assez-long-pour-devoir-passer-a-la-ligne-dans-la-marge-du-document?utm=x&id={n}"),
            title: title.into(),
            authors: vec!["David Igue".into()],
            published_at: Some("2020-11-12T10:31:00+01:00".into()),
            site_name: Some("Numerama".into()),
            language: Some(lang.into()),
            content_html: html.into(),
            notes: if n == 1 { "Pour la revue de lundi.".into() } else { String::new() },
            images,
            ..Default::default()
        })
        .unwrap()
        .id
    };
    let body = "<p>Une vaste opération policière européenne a mis hors service 5500 serveurs.</p>\
        <h2>IPTV : 10,6 millions d’euros de gains…</h2>\
        <ul><li>premier point</li><li>second point</li></ul>\
        <blockquote><p>Une citation des enquêteurs.</p></blockquote>\
        <figure><img src=\"https://cdn.example/a.jpg\" alt=\"Serveurs\"><figcaption>Des serveurs saisis</figcaption></figure>\
        <figure><img src=\"https://cdn.example/corrupt.jpg\" alt=\"Cassée\"></figure>\
        <figure><img src=\"https://cdn.example/huge.jpg\"></figure>\
        <table><tr><th>Pays</th><th>Serveurs</th></tr><tr><td>France</td><td>1200</td></tr></table>";
    add(
        1,
        "IPTV : un vaste réseau européen démantelé",
        body,
        "fr",
        vec![
            NewImage {
                url: "https://cdn.example/a.jpg".into(),
                content_type: Some("image/jpeg".into()),
                bytes: Some(jpeg(800, 500)),
                ..Default::default()
            },
            NewImage {
                url: "https://cdn.example/corrupt.jpg".into(),
                content_type: Some("image/jpeg".into()),
                bytes: Some(b"\xff\xd8\xff garbage".to_vec()),
                ..Default::default()
            },
            NewImage {
                url: "https://cdn.example/huge.jpg".into(),
                content_type: Some("image/jpeg".into()),
                bytes: Some(jpeg(4000, 3000)),
                ..Default::default()
            },
        ],
    );
    add(
        2,
        "#panic(\"x\") ] [ $ @label <b>",
        "<p>Texte avec $maths$ et #set et ] [ et @ref.</p>",
        "fr",
        vec![],
    );
    add(
        3,
        "Пример статьи на русском и ελληνικά",
        "<p>Москва — текст статьи. Και ελληνικό κείμενο.</p>",
        "ru",
        vec![],
    );
    add(
        4,
        "تفكيك شبكة قرصنة أوروبية",
        "<p>أعلنت الشرطة الأوروبية تفكيك شبكة واسعة لقرصنة البث التلفزيوني.</p>",
        "ar",
        vec![],
    );
    add(
        5,
        "欧洲大型盗版网络被捣毁",
        "<p>警方关闭了五千五百台服务器。</p>",
        "zh",
        vec![],
    );
    lib
}

fn pdftotext(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext is installed by scripts/setup.sh (make test runs it)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn pages(path: &Path) -> usize {
    let out = Command::new("pdfinfo")
        .arg(path)
        .output()
        .expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8(out.stdout).unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn a_press_review_with_cover_contents_and_one_article_per_page() {
    let lib = library();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("revue.pdf");
    let options = PdfOptions {
        out: out.clone(),
        force: false,
        paper: Paper::A4,
        title: Some("Revue du 12 novembre".into()),
    };
    let report = export_pdf(
        &lib,
        &Selection::Ids(vec![1, 2, 3, 4, 5]),
        &options,
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(report.clippings, 5);
    assert_eq!(
        report.images, 2,
        "the corrupt image is left out, the huge one scaled"
    );
    let text = pdftotext(&out);
    for expected in [
        "Revue du 12 novembre",
        "5 articles",
        "Contents",
        "IPTV : un vaste réseau européen démantelé",
        "10,6 millions d’euros de gains",
        "#panic(\"x\") ] [ $ @label <b>",
        "Texte avec $maths$ et #set et ] [ et @ref.",
        "Москва",
        "ελληνικό",
        "五千五百台服务器",
        "Numerama · David Igue · 2020-11-12",
        "Image not available offline: Cassée",
        "Pour la revue de lundi.",
    ] {
        assert!(
            text.contains(expected),
            "the PDF shows {expected:?}:\n{text}"
        );
    }
    let toc = text.split("Contents").nth(1).unwrap();
    assert!(
        toc.contains("IPTV : un vaste réseau européen démantelé"),
        "the contents list the articles"
    );
    let n = pages(&out);
    assert!(
        n >= 5,
        "cover, contents and one page per article at least: {n}"
    );
    assert_eq!(report.pages, n);
    assert!(
        report.bytes < 2_000_000,
        "a scaled image keeps the file small: {} bytes",
        report.bytes
    );
}

#[test]
fn the_next_export_uses_the_print_ready_images_the_first_one_kept() {
    let lib = library();
    let dir = tempfile::tempdir().unwrap();
    let export = |name: &str| {
        let options = PdfOptions {
            out: dir.path().join(name),
            force: false,
            paper: Paper::A4,
            title: None,
        };
        export_pdf(&lib, &Selection::Ids(vec![1]), &options, &mut |_, _| {}).unwrap()
    };
    let first = export("first.pdf");
    let hash = |url: &str| {
        let images = lib.images(1).unwrap();
        let image = images.iter().find(|i| i.url == url).unwrap();
        image.hash.clone().unwrap()
    };
    let recipe = clipbook_print_images::recipe();
    for url in ["https://cdn.example/a.jpg", "https://cdn.example/huge.jpg"] {
        let (bytes, ext) = lib.print_image(&hash(url), &recipe).unwrap().unwrap();
        assert_eq!(ext, "pdf", "{url}: a JPEG wrapped in a one-page PDF");
        assert!(
            bytes.len() < 200_000,
            "{url}: kept scaled ({} bytes)",
            bytes.len()
        );
    }
    let corrupt = hash("https://cdn.example/corrupt.jpg");
    assert_eq!(
        lib.print_image(&corrupt, &recipe).unwrap(),
        None,
        "nothing kept for a corrupt image"
    );

    // The next export reads the kept version: make the huge image's a 1×1 PNG and see it printed.
    let mut tiny = Vec::new();
    image::RgbImage::from_pixel(1, 1, image::Rgb([200, 200, 200]))
        .write_to(
            &mut std::io::Cursor::new(&mut tiny),
            image::ImageFormat::Png,
        )
        .unwrap();
    let version = PrintVersion {
        recipe: recipe.clone(),
        ext: "png".into(),
        bytes: tiny,
    };
    lib.keep_print_image(&hash("https://cdn.example/huge.jpg"), &version)
        .unwrap();
    let second = export("second.pdf");
    assert_eq!(second.images, first.images);
    assert_eq!(second.pages, first.pages);
    assert!(
        second.bytes < first.bytes,
        "the kept 1×1 version was used: {} bytes, then {}",
        first.bytes,
        second.bytes
    );
    assert!(pdftotext(&dir.path().join("second.pdf")).contains("IPTV : un vaste réseau"));
}

#[test]
fn letter_paper_and_refusing_to_overwrite() {
    let lib = library();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.pdf");
    std::fs::write(&out, "mine").unwrap();
    let mut options = PdfOptions {
        out: out.clone(),
        force: false,
        paper: Paper::Letter,
        title: None,
    };
    let err = export_pdf(&lib, &Selection::Ids(vec![2]), &options, &mut |_, _| {}).unwrap_err();
    assert_eq!(err.code(), "exists");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine");
    options.force = true;
    export_pdf(&lib, &Selection::Ids(vec![2]), &options, &mut |_, _| {}).unwrap();
    let info =
        String::from_utf8(Command::new("pdfinfo").arg(&out).output().unwrap().stdout).unwrap();
    assert!(info.contains("612 x 792 pts"), "US letter: {info}");
}
