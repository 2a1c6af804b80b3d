//! The article as the reader shows it: stored images served by the app, the text's direction.

use std::sync::LazyLock;

use clipbook_store::ImageInfo;
use regex::Regex;

use crate::dto::Direction;

/// `srcset`/`sizes` would send the web view after remote copies; the stored image is in `src`.
static SRCSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\s(?:srcset|sizes)="[^"]*""#).unwrap_or_else(|e| panic!("srcset regex: {e}"))
});

/// Points each stored image of `html` (sanitised: attributes double-quoted, `&` and `"`
/// escaped) at `base` + `image/<hash>`.
pub fn local_images(html: &str, images: &[ImageInfo], base: &str) -> String {
    let mut body = SRCSET.replace_all(html, "").into_owned();
    for image in images {
        let Some(hash) = &image.hash else { continue };
        let from = format!(
            "src=\"{}\"",
            image.url.replace('&', "&amp;").replace('"', "&quot;")
        );
        body = body.replace(&from, &format!("src=\"{base}image/{hash}\""));
    }
    body
}

/// Right to left for the languages written that way.
pub fn direction(language: Option<&str>) -> Direction {
    const RTL: [&str; 9] = ["ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv"];
    match language {
        Some(lang) if RTL.contains(&lang.split('-').next().unwrap_or(lang)) => Direction::Rtl,
        _ => Direction::Ltr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(url: &str, hash: Option<&str>) -> ImageInfo {
        ImageInfo {
            url: url.into(),
            content_type: None,
            hash: hash.map(str::to_string),
            size: None,
            width: None,
            height: None,
            is_lead: false,
            error: None,
        }
    }

    #[test]
    fn stored_images_are_served_locally_and_srcset_dropped() {
        let html = r#"<figure><img src="https://x.example/a.jpg?w=1&amp;h=2" srcset="https://x.example/a-2x.jpg 2x" alt="A"></figure><img src="https://x.example/b.jpg">"#;
        let images = [
            image("https://x.example/a.jpg?w=1&h=2", Some("abc")),
            image("https://x.example/b.jpg", None),
        ];
        let out = local_images(html, &images, "clipbook://localhost/");
        assert_eq!(
            out,
            r#"<figure><img src="clipbook://localhost/image/abc" alt="A"></figure><img src="https://x.example/b.jpg">"#
        );
    }

    #[test]
    fn arabic_and_hebrew_read_right_to_left() {
        assert_eq!(direction(Some("ar")), Direction::Rtl);
        assert_eq!(direction(Some("he-IL")), Direction::Rtl);
        assert_eq!(direction(Some("fr")), Direction::Ltr);
        assert_eq!(direction(None), Direction::Ltr);
    }
}
