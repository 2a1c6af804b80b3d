//! An empty Tauri 2 window (a blank page, no commands, no state): the baseline the desktop
//! benchmark (`tests/e2e/bench.py`) measures Clipbook's memory and start against.
//! `--like-clipbook`: drawn the way Clipbook chooses on this machine (see `rendering.rs`).

fn main() {
    if std::env::args().any(|a| a == "--like-clipbook") {
        clipbook_app::rendering::choose();
    }
    let mut context = tauri::generate_context!();
    // Not Clipbook's window: one blank page.
    context.config_mut().app.windows.clear();
    let result = tauri::Builder::default()
        .setup(|app| {
            tauri::WebviewWindowBuilder::new(
                app,
                "main",
                tauri::WebviewUrl::App("blank.html".into()),
            )
            .title("Empty")
            .inner_size(1280.0, 800.0)
            .build()?;
            Ok(())
        })
        .run(context);
    if let Err(e) = result {
        eprintln!("empty window: {e}");
        std::process::exit(1);
    }
}
