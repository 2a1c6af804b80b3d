//! Builds the list of fonts embedded in the binary beside typst's own (Libertinus, New Computer
//! Modern, DejaVu Sans Mono cover Latin, Greek and Cyrillic only): Noto fonts for Arabic,
//! Hebrew and CJK, and Noto Sans for headings. They come from Debian's fonts-noto-core and
//! fonts-noto-cjk, which `scripts/setup.sh` installs. A font missing at build time is left out
//! with a warning (its scripts then print as boxes), so the build itself never fails on it.

use std::path::Path;

const FONTS: &[&str] = &[
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSerifHebrew-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSerifHebrew-Bold.ttf",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
];

fn main() {
    let mut entries = Vec::new();
    for font in FONTS {
        println!("cargo:rerun-if-changed={font}");
        if Path::new(font).exists() {
            entries.push(format!("include_bytes!({font:?}).as_slice()"));
        } else {
            println!(
                "cargo:warning=font {font} not found: run scripts/setup.sh (its scripts will print as boxes in PDFs)"
            );
        }
    }
    let code = format!(
        "/// Fonts embedded at build time (see build.rs).\npub static EXTRA_FONTS: &[&[u8]] = &[{}];\n",
        entries.join(", ")
    );
    let out = std::env::var("OUT_DIR").map(|d| Path::new(&d).join("extra_fonts.rs"));
    if let Ok(out) = out {
        if let Err(e) = std::fs::write(&out, code) {
            println!("cargo:warning=cannot write {}: {e}", out.display());
        }
    }
}
