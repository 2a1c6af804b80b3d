//! How the window is drawn on a Linux machine without a GPU.
//!
//! WebKitGTK composites the page's layers with OpenGL. Without a GPU that this user can open (a
//! DRM render node), Mesa runs that OpenGL on the CPU (llvmpipe): every frame goes through an
//! emulated GPU, which is slower and heavier than drawing the page directly. Measured with the
//! 100,000-clipping library under Xvfb (`make bench-app`, 2026-11-29): after scrolling 5,000
//! rows the app needs 264–288 MB (PSS) instead of 381–440 MB; in repeated searches, the frame
//! after the answer took 20–37 ms instead of 36–110 ms on a loaded machine.
//!
//! So without a render node Clipbook starts WebKit with compositing off. Whoever sets
//! `WEBKIT_DISABLE_COMPOSITING_MODE` themselves (to 0 or 1) decides instead.

use std::ffi::OsString;
use std::path::Path;

/// The variable WebKitGTK reads at start.
const DISABLE_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Whether the window should be drawn without compositing: no render node can be opened, or
/// OpenGL is forced to software anyway.
pub fn draw_without_compositing(render_node: bool, software_gl: bool) -> bool {
    !render_node || software_gl
}

/// Whether a DRM render node (`/dev/dri/renderD*`) in `dir` can be opened by this user.
pub fn has_render_node(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|entry| {
        entry.file_name().to_string_lossy().starts_with("renderD")
            && std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(entry.path())
                .is_ok()
    })
}

/// On Linux without a GPU, starts this program again (same process, same arguments) with
/// compositing off, unless the variable is already set. Call first thing in `main`: WebKit reads
/// the variable when it starts. Returns when nothing needs to change, or when starting again
/// failed (the window is then drawn as WebKit chooses).
pub fn choose() {
    if !cfg!(target_os = "linux") || std::env::var_os(DISABLE_COMPOSITING).is_some() {
        return;
    }
    let software_gl = std::env::var_os("LIBGL_ALWAYS_SOFTWARE").is_some_and(|v| v != "0");
    if !draw_without_compositing(has_render_node(Path::new("/dev/dri")), software_gl) {
        return;
    }
    restart_with(DISABLE_COMPOSITING, "1");
}

/// Replaces this process with itself, one variable added (`exec`: the same process id, which
/// tauri-driver and the desktop's process list keep seeing).
#[cfg(unix)]
fn restart_with(key: &str, value: &str) {
    use std::os::unix::process::CommandExt;
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let mut args = std::env::args_os();
    let arg0 = args.next().unwrap_or_else(|| OsString::from(&exe));
    let err = std::process::Command::new(&exe)
        .arg0(arg0)
        .args(args)
        .env(key, value)
        .exec();
    eprintln!("clipbook: could not start again with {key}={value}: {err}");
}

#[cfg(not(unix))]
fn restart_with(_key: &str, _value: &str) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compositing_stays_on_with_a_gpu() {
        assert!(!draw_without_compositing(true, false));
        assert!(draw_without_compositing(false, false));
        assert!(draw_without_compositing(true, true));
    }

    #[test]
    fn finds_render_nodes_it_can_open() {
        let dir = std::env::temp_dir().join(format!("clipbook-dri-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        assert!(!has_render_node(&dir), "empty folder");
        std::fs::write(dir.join("card0"), b"").expect("card0");
        assert!(!has_render_node(&dir), "a card node is not a render node");
        std::fs::write(dir.join("renderD128"), b"").expect("renderD128");
        assert!(has_render_node(&dir));
        assert!(!has_render_node(&dir.join("missing")));
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}
