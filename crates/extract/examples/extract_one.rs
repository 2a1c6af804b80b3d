//! Prints the Article extracted from one page (`.html` or `.html.gz`) as pretty JSON.
use std::io::Read;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: extract_one FILE [URL]")?;
    let url = std::env::args()
        .nth(2)
        .and_then(|u| url::Url::parse(&u).ok());
    let raw = std::fs::read(&path)?;
    let mut bytes = Vec::new();
    if raw.starts_with(&[0x1f, 0x8b]) {
        flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut bytes)?;
    } else {
        bytes = raw;
    }
    let a = clipbook_extract::extract(&bytes, url.as_ref(), None, &Default::default())?;
    println!("{}", serde_json::to_string_pretty(&a)?);
    Ok(())
}
