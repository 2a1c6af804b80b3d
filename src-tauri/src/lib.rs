//! Clipbook's desktop shell: Tauri commands that adapt `clipbook_desktop::Desktop` to the web
//! UI, events for background jobs and outside changes, and the `clipbook:` protocol that serves
//! stored images. No logic lives here: each command is a one-line call.

pub mod rendering;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clipbook_desktop::bridge::{self, BridgeEvents, BridgeStatus, PairingPrompt, RunningBridge};
use clipbook_desktop::dto::ExportFinished;
use clipbook_desktop::import::{ImportEvent, ImportRequest};
use clipbook_desktop::{
    AppError, ClipEvent, ClipFileRequest, ClipRequest, ClipResult, Desktop, Edit, ExportEvent,
    ExportRequest, Facets, LibraryInfo, ListPage, ListQuery, NewCollection, ReaderView,
};
use tauri::http::{Response, StatusCode, header};
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_opener::OpenerExt;

type Res<T> = Result<T, AppError>;

/// The app's state: the core, what this session exported (the only files it may open), and
/// the browser bridge.
struct Shell {
    desktop: Arc<Desktop>,
    /// The library file (the bridge's settings live beside it).
    library: PathBuf,
    exported: Mutex<HashSet<PathBuf>>,
    bridge: Mutex<BridgeState>,
}

/// The browser bridge, from the window's point of view.
enum BridgeState {
    Starting,
    Running(RunningBridge),
    Failed(String),
}

type Ctx<'a> = State<'a, Shell>;

/// How often the library file is checked for changes made elsewhere (the CLI, an import).
const WATCH_INTERVAL: Duration = Duration::from_millis(700);

/// Where the web view finds the `clipbook:` protocol.
#[cfg(any(windows, target_os = "android"))]
const IMAGE_BASE: &str = "http://clipbook.localhost/";
#[cfg(not(any(windows, target_os = "android")))]
const IMAGE_BASE: &str = "clipbook://localhost/";

#[tauri::command(async)]
fn library_info(s: Ctx<'_>) -> Res<LibraryInfo> {
    s.desktop.library_info()
}

#[tauri::command(async)]
fn list_clippings(s: Ctx<'_>, req: ListQuery) -> Res<ListPage> {
    s.desktop.list(&req)
}

#[tauri::command(async)]
fn list_ids(s: Ctx<'_>, req: ListQuery) -> Res<Vec<i64>> {
    s.desktop.ids(&req)
}

#[tauri::command(async)]
fn facets(s: Ctx<'_>) -> Res<Facets> {
    s.desktop.facets()
}

#[tauri::command(async)]
fn get_clipping(s: Ctx<'_>, id: i64) -> Res<ReaderView> {
    s.desktop.reader(id)
}

#[tauri::command(async)]
fn edit_clipping(s: Ctx<'_>, id: i64, edit: Edit) -> Res<clipbook_desktop::store::Clipping> {
    s.desktop.edit(id, &edit)
}

#[tauri::command(async)]
fn set_clipping_tags(s: Ctx<'_>, id: i64, tags: Vec<String>) -> Res<Vec<String>> {
    s.desktop.set_tags(id, &tags)
}

#[tauri::command(async)]
fn tag_clippings(s: Ctx<'_>, ids: Vec<i64>, tags: Vec<String>) -> Res<usize> {
    Ok(s.desktop.library().tag_clippings(&ids, &tags)?)
}

#[tauri::command(async)]
fn untag_clippings(s: Ctx<'_>, ids: Vec<i64>, tags: Vec<String>) -> Res<usize> {
    Ok(s.desktop.library().untag_clippings(&ids, &tags)?)
}

#[tauri::command(async)]
fn delete_clippings(s: Ctx<'_>, ids: Vec<i64>) -> Res<usize> {
    Ok(s.desktop.library().delete_clippings(&ids)?)
}

#[tauri::command(async)]
fn rename_tag(s: Ctx<'_>, from: String, to: String) -> Res<usize> {
    Ok(s.desktop.library().rename_tag(&from, &to)?)
}

#[tauri::command(async)]
fn merge_tags(s: Ctx<'_>, from: String, into: String) -> Res<usize> {
    Ok(s.desktop.library().merge_tags(&from, &into)?)
}

#[tauri::command(async)]
fn delete_tag(s: Ctx<'_>, name: String) -> Res<usize> {
    Ok(s.desktop.library().delete_tag(&name)?)
}

#[tauri::command(async)]
fn create_collection(
    s: Ctx<'_>,
    req: NewCollection,
) -> Res<clipbook_desktop::store::CollectionInfo> {
    s.desktop.new_collection(&req)
}

#[tauri::command(async)]
fn rename_collection(s: Ctx<'_>, from: String, to: String) -> Res<()> {
    Ok(s.desktop.library().rename_collection(&from, &to)?)
}

#[tauri::command(async)]
fn delete_collection(s: Ctx<'_>, name: String) -> Res<()> {
    Ok(s.desktop.library().delete_collection(&name)?)
}

#[tauri::command(async)]
fn add_to_collection(s: Ctx<'_>, name: String, ids: Vec<i64>) -> Res<usize> {
    Ok(s.desktop.library().add_to_collection(&name, &ids)?)
}

#[tauri::command(async)]
fn remove_from_collection(s: Ctx<'_>, name: String, ids: Vec<i64>) -> Res<usize> {
    Ok(s.desktop.library().remove_from_collection(&name, &ids)?)
}

#[tauri::command(async)]
fn move_in_collection(s: Ctx<'_>, name: String, id: i64, position: usize) -> Res<()> {
    Ok(s.desktop
        .library()
        .move_in_collection(&name, id, position)?)
}

#[tauri::command(async)]
fn clip_urls(app: AppHandle, s: Ctx<'_>, req: ClipRequest) -> Res<u32> {
    let (job, work) = s.desktop.clip_job(req, move |event| {
        let _ = match event {
            ClipEvent::Progress(p) => app.emit("clip-progress", p),
            ClipEvent::Finished(f) => app.emit("clip-finished", f),
        };
    })?;
    tauri::async_runtime::spawn(work);
    Ok(job)
}

/// Imports another tool's export; progress through `import-progress`, then `import-finished`.
/// Stopped with `cancel_clip`.
#[tauri::command(async)]
fn import_file(app: AppHandle, s: Ctx<'_>, req: ImportRequest) -> Res<u32> {
    let (job, work) = s.desktop.import_job(req, move |event| {
        let _ = match event {
            ImportEvent::Progress(p) => app.emit("import-progress", p),
            ImportEvent::Finished(f) => app.emit("import-finished", f),
        };
    })?;
    tauri::async_runtime::spawn(work);
    Ok(job)
}

#[tauri::command(async)]
fn cancel_clip(s: Ctx<'_>, job: u32) {
    s.desktop.cancel_clip(job);
}

#[tauri::command]
async fn clip_file(s: Ctx<'_>, req: ClipFileRequest) -> Res<ClipResult> {
    s.desktop.clip_file(req).await
}

#[tauri::command(async)]
fn start_export(app: AppHandle, s: Ctx<'_>, req: ExportRequest) -> Res<u32> {
    let handle = app.clone();
    let (job, work) = s.desktop.export_job(req, move |event| {
        let _ = match event {
            ExportEvent::Progress(p) => handle.emit("export-progress", p),
            ExportEvent::Finished(f) => {
                remember_export(&handle, &f);
                handle.emit("export-finished", f)
            }
        };
    })?;
    tauri::async_runtime::spawn_blocking(work);
    Ok(job)
}

fn remember_export(app: &AppHandle, finished: &ExportFinished) {
    if let Some(report) = &finished.report {
        let shell = app.state::<Shell>();
        lock(&shell.exported).insert(report.path.clone());
    }
}

/// Only what this session exported may be opened or shown: the window cannot open any file.
fn exported_path(s: &Shell, path: &str) -> Res<PathBuf> {
    let path = PathBuf::from(path);
    if lock(&s.exported).contains(&path) {
        Ok(path)
    } else {
        Err(AppError::invalid(format!(
            "{} was not exported in this session",
            path.display()
        )))
    }
}

#[tauri::command(async)]
fn open_export(app: AppHandle, s: Ctx<'_>, path: String) -> Res<()> {
    let path = exported_path(&s, &path)?;
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| AppError::new("open", format!("cannot open {}: {e}", path.display())))
}

#[tauri::command(async)]
fn reveal_export(app: AppHandle, s: Ctx<'_>, path: String) -> Res<()> {
    let path = exported_path(&s, &path)?;
    app.opener()
        .reveal_item_in_dir(&path)
        .map_err(|e| AppError::new("open", format!("cannot show {}: {e}", path.display())))
}

/// Opens a clipping's original address in the system browser (web addresses only).
#[tauri::command(async)]
fn open_original(app: AppHandle, s: Ctx<'_>, id: i64) -> Res<()> {
    let url = s.desktop.library().clipping(id)?.url;
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(AppError::invalid(format!("{url} is not a web address")));
    }
    app.opener()
        .open_url(&url, None::<&str>)
        .map_err(|e| AppError::new("open", format!("cannot open {url}: {e}")))
}

#[tauri::command(async)]
fn bridge_status(s: Ctx<'_>) -> Res<BridgeStatus> {
    match &*lock(&s.bridge) {
        BridgeState::Running(running) => bridge::status(Ok(running), &s.library),
        BridgeState::Starting => bridge::status(Err("the browser bridge is starting"), &s.library),
        BridgeState::Failed(why) => bridge::status(Err(why), &s.library),
    }
}

/// The sites whose pages may pair through the bookmarklet.
#[tauri::command(async)]
fn set_allowed_sites(s: Ctx<'_>, sites: Vec<String>) -> Res<Vec<String>> {
    let kept = bridge::save_allowed_sites(&bridge::sites_file(&s.library), &sites)?;
    if let BridgeState::Running(running) = &*lock(&s.bridge) {
        running.set_allowed_web_origins(&kept);
    }
    Ok(kept)
}

#[tauri::command(async)]
fn answer_pairing(s: Ctx<'_>, id: String, accept: bool) -> Res<()> {
    match &*lock(&s.bridge) {
        BridgeState::Running(running) => running
            .answer_pairing(&id, accept)
            .map_err(|e| AppError::new(e.code(), e.to_string())),
        _ => Err(AppError::new(
            "bridge_off",
            "the browser bridge is not running",
        )),
    }
}

#[tauri::command(async)]
fn revoke_pairing(s: Ctx<'_>, id: String) -> Res<bool> {
    match &*lock(&s.bridge) {
        BridgeState::Running(running) => running
            .tokens()
            .revoke(&id)
            .map_err(|e| AppError::new(e.code(), e.to_string())),
        _ => Err(AppError::new(
            "bridge_off",
            "the browser bridge is not running",
        )),
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The window hears of pairing requests and of pages clipped from the browser.
struct WindowEvents(AppHandle);

impl BridgeEvents for WindowEvents {
    fn pairing_requested(&self, prompt: PairingPrompt) {
        let _ = self.0.emit("bridge-pairing", prompt);
    }
    fn clipped(&self, result: &ClipResult) {
        let _ = self.0.emit("bridge-clipped", result);
    }
}

/// Starts the local clipper service the browser extension talks to; the window learns
/// whether it runs from `bridge_status`.
fn start_bridge(app: AppHandle, desktop: Arc<Desktop>, library: PathBuf) {
    tauri::async_runtime::spawn(async move {
        let started = bridge::start(
            desktop,
            &library,
            bridge::bridge_port(),
            WindowEvents(app.clone()),
        )
        .await;
        let state = match started {
            Ok(running) => BridgeState::Running(running),
            Err(e) => {
                eprintln!("clipbook: the browser bridge did not start: {e}");
                BridgeState::Failed(e.message)
            }
        };
        *lock(&app.state::<Shell>().bridge) = state;
    });
}

/// Serves `clipbook://localhost/image/<hash>` and `…/thumb/<hash>`: the work (reading, making a
/// thumbnail) on a blocking thread, the answer handed back to WebKit on the main thread (its
/// objects are not thread-safe).
fn image_protocol(
    ctx: tauri::UriSchemeContext<'_, tauri::Wry>,
    request: tauri::http::Request<Vec<u8>>,
    responder: tauri::UriSchemeResponder,
) {
    let app = ctx.app_handle().clone();
    let desktop = Arc::clone(&app.state::<Shell>().desktop);
    let path = request.uri().path().to_string();
    tauri::async_runtime::spawn_blocking(move || {
        let response = match desktop.image(&path) {
            Some((kind, bytes)) => Response::builder()
                .header(header::CONTENT_TYPE, kind)
                // Stored under their content's hash: they never change.
                .header(header::CACHE_CONTROL, "max-age=31536000, immutable")
                .body(bytes.as_ref().clone()),
            None => Response::builder()
                .status(StatusCode::NOT_FOUND)
                .body(Vec::new()),
        }
        .unwrap_or_else(|_| Response::new(Vec::new()));
        let _ = app.run_on_main_thread(move || responder.respond(response));
    });
}

/// Tells the UI when anyone changed the library (this window, the CLI, an import).
fn watch_library(app: AppHandle, desktop: &Desktop) {
    let watch = match desktop.library().watch() {
        Ok(Some(watch)) => watch,
        Ok(None) => return,
        Err(e) => {
            eprintln!("clipbook: cannot watch the library for changes: {e}");
            return;
        }
    };
    std::thread::spawn(move || {
        let mut watch = watch;
        loop {
            std::thread::sleep(WATCH_INTERVAL);
            match watch.changed() {
                Ok(true) => {
                    let _ = app.emit("library-changed", ());
                }
                Ok(false) => {}
                Err(e) => eprintln!("clipbook: checking the library for changes failed: {e}"),
            }
        }
    });
}

fn open_desktop() -> Res<(Desktop, PathBuf)> {
    let path = clipbook_desktop::library_path()?;
    Ok((Desktop::open(&path, IMAGE_BASE)?, path))
}

pub fn run() {
    let (desktop, library) = match open_desktop() {
        Ok((desktop, path)) => (Arc::new(desktop), path),
        Err(e) => {
            eprintln!("clipbook: {e}");
            std::process::exit(1);
        }
    };
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(Shell {
            desktop: Arc::clone(&desktop),
            library: library.clone(),
            exported: Mutex::new(HashSet::new()),
            bridge: Mutex::new(BridgeState::Starting),
        })
        .register_asynchronous_uri_scheme_protocol("clipbook", image_protocol)
        .setup(move |app| {
            watch_library(app.handle().clone(), &desktop);
            start_bridge(app.handle().clone(), Arc::clone(&desktop), library.clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            library_info,
            list_clippings,
            list_ids,
            facets,
            get_clipping,
            edit_clipping,
            set_clipping_tags,
            tag_clippings,
            untag_clippings,
            delete_clippings,
            rename_tag,
            merge_tags,
            delete_tag,
            create_collection,
            rename_collection,
            delete_collection,
            add_to_collection,
            remove_from_collection,
            move_in_collection,
            clip_urls,
            cancel_clip,
            clip_file,
            import_file,
            start_export,
            open_export,
            reveal_export,
            open_original,
            bridge_status,
            answer_pairing,
            revoke_pairing,
            set_allowed_sites,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("clipbook: the window could not start: {e}");
        std::process::exit(1);
    }
}
