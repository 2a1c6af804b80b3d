//! Images made ready for print before they reach the document: checked (a corrupt image would
//! abort the whole typesetting), and scaled down to print resolution (a 4000-pixel photo prints
//! no better than a 1400-pixel one, and weighs ten times more in the file).

use std::io::Cursor;

use image::{GenericImageView, ImageFormat, ImageReader};

/// Longest side kept, in pixels: the full text width (16 cm) at 190 dpi, more than print
/// needs for photographs. typst holds every image decoded in memory (3 bytes a pixel), so this
/// bounds both the file and the memory of a long review.
const MAX_SIDE: u32 = 1200;
/// JPEG quality for re-encoded images: no visible loss in print.
const JPEG_QUALITY: u8 = 82;

/// A prepared image: its bytes and extension for the document.
pub struct Prepared {
    pub bytes: Vec<u8>,
    pub ext: &'static str,
}

/// Checks and scales an image. `None` when it cannot be decoded (the article shows a
/// placeholder).
pub fn prepare(bytes: &[u8]) -> Option<Prepared> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let format = reader.format()?;
    let decoded = reader.decode().ok()?;
    let (w, h) = decoded.dimensions();
    if w == 0 || h == 0 {
        return None;
    }
    let small_enough = w.max(h) <= MAX_SIDE;
    match format {
        // Already fine for print: embed the original bytes (typst copies JPEG as it is).
        ImageFormat::Jpeg if small_enough => Some(Prepared {
            bytes: bytes.to_vec(),
            ext: "jpg",
        }),
        ImageFormat::Png if small_enough => Some(Prepared {
            bytes: bytes.to_vec(),
            ext: "png",
        }),
        _ => {
            let scaled = if small_enough {
                decoded
            } else {
                decoded.thumbnail(MAX_SIDE, MAX_SIDE)
            };
            let mut out = Vec::new();
            if scaled.color().has_alpha() {
                scaled
                    .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
                    .ok()?;
                Some(Prepared {
                    bytes: out,
                    ext: "png",
                })
            } else {
                let rgb = scaled.to_rgb8();
                let mut encoder =
                    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
                encoder.encode_image(&rgb).ok()?;
                Some(Prepared {
                    bytes: out,
                    ext: "jpg",
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 255) as u8, (y % 255) as u8, 90])
        });
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&img)
            .unwrap();
        out
    }

    #[test]
    fn large_images_are_scaled_small_ones_kept_corrupt_ones_refused() {
        let big = prepare(&jpeg(3000, 1500)).unwrap();
        let dims = image::load_from_memory(&big.bytes).unwrap().dimensions();
        assert_eq!(dims, (1200, 600));
        let small = jpeg(800, 500);
        assert_eq!(prepare(&small).unwrap().bytes, small, "kept as it is");
        assert!(prepare(b"not an image").is_none());
    }
}
