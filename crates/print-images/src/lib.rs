//! Images made ready for print before they reach a PDF press review: checked (a corrupt image
//! would abort the whole typesetting), and scaled down to print resolution (a 4000-pixel photo
//! prints no better than a 1400-pixel one, and weighs ten times more in the file).
//!
//! Clipping calls [`print_version`] on each image it downloads and the library keeps the result
//! beside the original, so that an export reads print-ready images instead of decoding photographs
//! (about 25 ms of CPU for a 1600×1000 JPEG). An export prepares only what the library lacks:
//! images clipped by an older version, or kept under an older [`recipe`].

use std::io::Cursor;

use clipbook_store::PrintVersion;
use image::{GenericImageView, ImageFormat, ImageReader};

/// Longest side kept, in pixels: the full text width of an A4 page (16.4 cm) at 150 dpi, the
/// resolution office printers and press-review PDFs read on screen need for photographs (what
/// PDF tools call the "ebook" setting). Larger images cost file size, memory and time with no
/// visible gain.
const MAX_SIDE: u32 = 968;
/// JPEG quality for re-encoded images. With `MAX_SIDE` this is the "ebook" setting (150 dpi,
/// medium JPEG quality): photos look right printed or on screen, and a
/// review of a few hundred articles stays small enough to be mailed.
const JPEG_QUALITY: u8 = 66;

/// Wraps a JPEG in a one-page PDF that draws it. typst decodes every raster image it is given
/// and keeps the pixels in memory (3 bytes a pixel: 200 photos ≈ 1 GB), but embeds a PDF page
/// as it is: the JPEG reaches the press review byte for byte and is never decoded.
fn jpeg_in_pdf(jpeg: &[u8], width: u32, height: u32, gray: bool) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(jpeg.len() + 1024);
    let mut offsets = Vec::with_capacity(5);
    out.extend_from_slice(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
    let content = format!("q {width} 0 0 {height} 0 0 cm /Im0 Do Q\n");
    let objects: [Vec<u8>; 3] = [
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] \
             /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>"
        )
        .into_bytes(),
    ];
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    offsets.push(out.len());
    let color = if gray { "/DeviceGray" } else { "/DeviceRGB" };
    out.extend_from_slice(
        format!(
            "4 0 obj\n<< /Type /XObject /Subtype /Image /Width {width} /Height {height} \
             /ColorSpace {color} /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
            jpeg.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(jpeg);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    offsets.push(out.len());
    out.extend_from_slice(
        format!(
            "5 0 obj\n<< /Length {} >>\nstream\n{content}endstream\nendobj\n",
            content.len()
        )
        .as_bytes(),
    );
    let xref = out.len();
    out.extend_from_slice(b"xref\n0 6\n0000000000 65535 f \n");
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    out
}

/// The number of colour components a JPEG declares in its frame header (1 gray, 3 colour,
/// 4 CMYK), or `None` when no frame header is found.
fn jpeg_components(jpeg: &[u8]) -> Option<u8> {
    let mut i = 2;
    while i + 9 < jpeg.len() {
        if jpeg[i] != 0xFF {
            return None;
        }
        let marker = jpeg[i + 1];
        let len = usize::from(u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]));
        // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC).
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            return jpeg.get(i + 9).copied();
        }
        i += 2 + len;
    }
    None
}

/// Scales RGB pixels so that the longest side is `MAX_SIDE` (SIMD bilinear resampling: a
/// tenth of the time of `image`'s own). Returns width, height and pixels.
fn scale_rgb(rgb: image::RgbImage, small_enough: bool) -> Option<(u32, u32, Vec<u8>)> {
    use fast_image_resize::images::Image;
    use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
    let (w, h) = rgb.dimensions();
    if small_enough {
        return Some((w, h, rgb.into_raw()));
    }
    let scale = f64::from(MAX_SIDE) / f64::from(w.max(h));
    let dw = ((f64::from(w) * scale).round() as u32).max(1);
    let dh = ((f64::from(h) * scale).round() as u32).max(1);
    let src = Image::from_vec_u8(w, h, rgb.into_raw(), PixelType::U8x3).ok()?;
    let mut dst = Image::new(dw, dh, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Bilinear));
    Resizer::new().resize(&src, &mut dst, &options).ok()?;
    Some((dw, dh, dst.into_vec()))
}

/// Names how [`prepare`] makes an image ready for print, for the versions the library keeps
/// (`Library::keep_print_image`): a change of size or quality prepares every image again.
pub fn recipe() -> String {
    format!("{MAX_SIDE}px-q{JPEG_QUALITY}")
}

/// The extensions [`print_version`] gives: a JPEG wrapped in a one-page PDF, or a PNG.
pub const EXTENSIONS: [&str; 2] = ["pdf", "png"];

/// The image made ready for print, under the current [`recipe`]. `None` when it cannot be
/// decoded (the article shows a placeholder).
pub fn print_version(bytes: &[u8]) -> Option<PrintVersion> {
    let prepared = prepare(bytes)?;
    Some(PrintVersion {
        recipe: recipe(),
        ext: prepared.ext.to_string(),
        bytes: prepared.bytes,
    })
}

/// A prepared image: its bytes and extension for the document.
struct Prepared {
    bytes: Vec<u8>,
    ext: &'static str,
}

/// Checks and scales an image.
fn prepare(bytes: &[u8]) -> Option<Prepared> {
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
    let (jpeg, w, h, gray) = match format {
        // Already fine for print, and in the colour spaces a PDF can take as it is.
        ImageFormat::Jpeg
            if small_enough && matches!(jpeg_components(bytes), Some(1) | Some(3)) =>
        {
            (bytes.to_vec(), w, h, jpeg_components(bytes) == Some(1))
        }
        ImageFormat::Png if small_enough => {
            return Some(Prepared {
                bytes: bytes.to_vec(),
                ext: "png",
            });
        }
        _ if !decoded.color().has_alpha() => {
            let rgb = scale_rgb(decoded.to_rgb8(), small_enough)?;
            let (w, h) = (u16::try_from(rgb.0).ok()?, u16::try_from(rgb.1).ok()?);
            let mut out = Vec::new();
            // jpeg-encoder: several times faster than image's own encoder.
            jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY)
                .encode(&rgb.2, w, h, jpeg_encoder::ColorType::Rgb)
                .ok()?;
            (out, rgb.0, rgb.1, false)
        }
        _ => {
            let scaled = if small_enough {
                decoded
            } else {
                decoded.thumbnail(MAX_SIDE, MAX_SIDE)
            };
            if scaled.color().has_alpha() {
                let mut out = Vec::new();
                scaled
                    .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
                    .ok()?;
                return Some(Prepared {
                    bytes: out,
                    ext: "png",
                });
            }
            let rgb = scaled.to_rgb8();
            let (w, h) = (
                u16::try_from(rgb.width()).ok()?,
                u16::try_from(rgb.height()).ok()?,
            );
            let mut out = Vec::new();
            // jpeg-encoder: several times faster than image's own encoder.
            jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY)
                .encode(rgb.as_raw(), w, h, jpeg_encoder::ColorType::Rgb)
                .ok()?;
            (out, rgb.width(), rgb.height(), false)
        }
    };
    Some(Prepared {
        bytes: jpeg_in_pdf(&jpeg, w, h, gray),
        ext: "pdf",
    })
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
        assert_eq!(big.ext, "pdf");
        let text = String::from_utf8_lossy(&big.bytes);
        assert!(
            text.contains("/Width 968 /Height 484"),
            "scaled to print size"
        );
        let small = jpeg(800, 500);
        let kept = prepare(&small).unwrap();
        assert!(
            kept.bytes
                .windows(small.len())
                .any(|w| w == small.as_slice()),
            "the JPEG is kept byte for byte"
        );
        assert_eq!(jpeg_components(&small), Some(3));
        assert!(prepare(b"not an image").is_none());
    }
}
