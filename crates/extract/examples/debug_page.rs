//! Prints how the extractor sees one page (`.html` or `.html.gz`): chosen container, removed
//! furniture, text. For tuning against the corpus.
use std::io::Read;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: debug_page FILE")?;
    let raw = std::fs::read(&path)?;
    let mut bytes = Vec::new();
    if raw.starts_with(&[0x1f, 0x8b]) {
        flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut bytes)?;
    } else {
        bytes = raw;
    }
    println!("{}", clipbook_extract::debug_selection(&bytes));
    Ok(())
}
