//! Small copies of lead images for the list: a row shows 64 px, and decoding full-size photos
//! for every visible row would cost the web view hundreds of megabytes.

use std::collections::{HashMap, VecDeque};
use std::io::Cursor;
use std::sync::{Arc, Mutex};

/// The longest side of a thumbnail, in pixels (twice the row's size, for HiDPI screens).
const SIDE: u32 = 128;
/// Thumbnails kept in memory (about 5 KB each).
const CAPACITY: usize = 2000;

/// Makes a JPEG thumbnail; `None` when the bytes are not a decodable image.
pub fn thumbnail(bytes: &[u8]) -> Option<Vec<u8>> {
    let img = image::load_from_memory(bytes).ok()?;
    let small = img.thumbnail(SIDE, SIDE).to_rgb8();
    let mut out = Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&small)
        .ok()?;
    Some(out.into_inner())
}

/// Thumbnails by image hash, and the hashes in the order they were made.
type Entries = (HashMap<String, Arc<Vec<u8>>>, VecDeque<String>);

/// Recently made thumbnails by image hash, oldest dropped first.
#[derive(Default)]
pub struct Cache {
    inner: Mutex<Entries>,
}

impl Cache {
    pub fn get_or_make(
        &self,
        hash: &str,
        make: impl FnOnce() -> Option<Vec<u8>>,
    ) -> Option<Arc<Vec<u8>>> {
        if let Some(hit) = self.lock().0.get(hash) {
            return Some(Arc::clone(hit));
        }
        let made = Arc::new(make()?);
        let mut guard = self.lock();
        let (map, order) = &mut *guard;
        if map.insert(hash.to_string(), Arc::clone(&made)).is_none() {
            order.push_back(hash.to_string());
        }
        while order.len() > CAPACITY {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
        Some(made)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_photo_becomes_a_small_jpeg() {
        let big = image::RgbImage::from_fn(1600, 1000, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut png = Cursor::new(Vec::new());
        big.write_to(&mut png, image::ImageFormat::Png)
            .expect("png");
        let thumb = thumbnail(png.get_ref()).expect("thumbnail");
        let back = image::load_from_memory(&thumb).expect("decodes");
        assert_eq!((back.width(), back.height()), (128, 80));
        assert!(thumb.len() < 20_000, "{} bytes", thumb.len());
        assert!(thumbnail(b"not an image").is_none());
    }

    #[test]
    fn the_cache_makes_each_thumbnail_once() {
        let cache = Cache::default();
        let mut calls = 0;
        for _ in 0..3 {
            cache.get_or_make("h", || {
                calls += 1;
                Some(vec![1])
            });
        }
        assert_eq!(calls, 1);
        assert!(cache.get_or_make("bad", || None).is_none());
    }
}
