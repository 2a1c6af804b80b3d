//! The UI's TypeScript declarations (`ui/src/lib/bindings.ts`) are generated from the Rust
//! records that cross the IPC boundary. This test fails when the committed file is stale;
//! `UPDATE_BINDINGS=1 cargo test -p clipbook-desktop --test bindings` rewrites it.

use std::path::PathBuf;

use clipbook_desktop::*;
use clipbook_store::{Clipping, ClippingSummary, CollectionInfo, Facet, Filters, Sort, TagCount};
use ts_rs::{Config, TS};

fn bindings() -> String {
    // Ids and counts are far below 2^53: plain numbers, not bigint.
    let cfg = Config::new().with_large_int("number");
    let decls = [
        Sort::decl(&cfg),
        Filters::decl(&cfg),
        ClippingSummary::decl(&cfg),
        Clipping::decl(&cfg),
        TagCount::decl(&cfg),
        CollectionInfo::decl(&cfg),
        Facet::decl(&cfg),
        ListQuery::decl(&cfg),
        Row::decl(&cfg),
        ListPage::decl(&cfg),
        Facets::decl(&cfg),
        Direction::decl(&cfg),
        ReaderView::decl(&cfg),
        Edit::decl(&cfg),
        SavedSearch::decl(&cfg),
        NewCollection::decl(&cfg),
        ClipRequest::decl(&cfg),
        ClipState::decl(&cfg),
        ClipProgress::decl(&cfg),
        ClipFinished::decl(&cfg),
        ClipFileRequest::decl(&cfg),
        ClipResult::decl(&cfg),
        ExportFormat::decl(&cfg),
        ExportSelection::decl(&cfg),
        Paper::decl(&cfg),
        ExportRequest::decl(&cfg),
        ExportProgress::decl(&cfg),
        ExportReport::decl(&cfg),
        ExportFinished::decl(&cfg),
        AppError::decl(&cfg),
        LibraryInfo::decl(&cfg),
        bridge::PairingPrompt::decl(&cfg),
        bridge::PairedBrowser::decl(&cfg),
        bridge::BridgeStatus::decl(&cfg),
        import::ImportFormat::decl(&cfg),
        import::ImportRequest::decl(&cfg),
        import::ImportProgress::decl(&cfg),
        import::ImportIssue::decl(&cfg),
        import::ImportFinished::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust records by crates/desktop/tests/bindings.rs: do not edit.\n\
         // Regenerate: UPDATE_BINDINGS=1 cargo test -p clipbook-desktop --test bindings\n",
    );
    for decl in decls {
        out.push_str("\nexport ");
        out.push_str(decl.trim());
        out.push('\n');
    }
    out
}

#[test]
fn ui_bindings_are_up_to_date() {
    let path = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("../../ui/src/lib/bindings.ts");
    let expected = bindings();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &expected).expect("write bindings.ts");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "{} is stale: run UPDATE_BINDINGS=1 cargo test -p clipbook-desktop --test bindings",
        path.display()
    );
}
