//! Any bytes must give an Article or a typed error: never a panic, a hang or runaway memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let config = clipbook_extract::Config::default();
    let _ = clipbook_extract::is_probably_article(data);
    if let Ok(a) = clipbook_extract::extract(data, None, None, &config) {
        assert!((0.0..=1.0).contains(&a.confidence));
    }
});
