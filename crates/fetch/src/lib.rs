//! Clipping from the web: an address (or a page in hand) becomes a clipping with its offline
//! images, in one transaction; a list of addresses becomes a batch with bounded concurrency, a
//! result per address, and a clean stop.
//!
//! The network is reqwest (rustls); extraction is `clipbook-extract`; storage is
//! `clipbook-store`. Everything here is async (tokio); library calls run on blocking threads.

mod batch;
mod clip;
mod error;
mod http;

pub use batch::{BatchItem, BatchLimits, BatchReport, clip_batch};
pub use clip::{
    ClipOptions, Clipped, clip_page, clip_rendered, clip_url, download_images, extract_page,
    extract_selected, image_urls, new_clipping, prepare_collection, refetch,
};
pub use error::ClipError;
pub use http::{FetchConfig, Image, Page, fetch_image, fetch_page, image_client};
