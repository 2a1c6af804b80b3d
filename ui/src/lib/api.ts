// The only module that talks to Tauri. Every command of the contract has a typed function here;
// every rejection is normalised to an AppError so callers can branch on `code`.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { open as openDialog, save as saveDialog } from "@tauri-apps/plugin-dialog";
import type {
  AppError, BridgeStatus, ClipFileRequest, ImportFinished, ImportProgress, ImportRequest, ClipFinished, ClipProgress, ClipRequest, ClipResult, Clipping,
  CollectionInfo, Edit, ExportFinished, ExportProgress, ExportRequest, Facets, LibraryInfo,
  ListPage, ListQuery, NewCollection, PairingPrompt, ReaderView,
} from "./bindings";

export function toAppError(e: unknown): AppError {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const o = e as { code: unknown; message: unknown };
    return { code: String(o.code), message: String(o.message) };
  }
  if (typeof e === "string") return { code: "internal", message: e };
  if (e instanceof Error) return { code: "internal", message: e.message };
  return { code: "internal", message: String(e) };
}

export function isAppError(e: unknown): e is AppError {
  return !!e && typeof e === "object" && "code" in e && "message" in e;
}

async function call<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toAppError(e);
  }
}

export const libraryInfo = () => call<LibraryInfo>("library_info");
export const listClippings = (req: ListQuery) => call<ListPage>("list_clippings", { req });
export const listIds = (req: ListQuery) => call<number[]>("list_ids", { req });
export const facets = () => call<Facets>("facets");
export const getClipping = (id: number) => call<ReaderView>("get_clipping", { id });
export const editClipping = (id: number, edit: Edit) => call<Clipping>("edit_clipping", { id, edit });
export const setClippingTags = (id: number, tags: string[]) =>
  call<string[]>("set_clipping_tags", { id, tags });
export const tagClippings = (ids: number[], tags: string[]) =>
  call<number>("tag_clippings", { ids, tags });
export const untagClippings = (ids: number[], tags: string[]) =>
  call<number>("untag_clippings", { ids, tags });
export const deleteClippings = (ids: number[]) => call<number>("delete_clippings", { ids });
export const renameTag = (from: string, to: string) => call<number>("rename_tag", { from, to });
export const mergeTags = (from: string, into: string) => call<number>("merge_tags", { from, into });
export const deleteTag = (name: string) => call<number>("delete_tag", { name });
export const createCollection = (req: NewCollection) =>
  call<CollectionInfo>("create_collection", { req });
export const renameCollection = (from: string, to: string) =>
  call<null>("rename_collection", { from, to });
export const deleteCollection = (name: string) => call<null>("delete_collection", { name });
export const addToCollection = (name: string, ids: number[]) =>
  call<number>("add_to_collection", { name, ids });
export const removeFromCollection = (name: string, ids: number[]) =>
  call<number>("remove_from_collection", { name, ids });
export const moveInCollection = (name: string, id: number, position: number) =>
  call<null>("move_in_collection", { name, id, position });
export const clipUrls = (req: ClipRequest) => call<number>("clip_urls", { req });
export const cancelClip = (job: number) => call<null>("cancel_clip", { job });
export const clipFile = (req: ClipFileRequest) => call<ClipResult>("clip_file", { req });
export const startExport = (req: ExportRequest) => call<number>("start_export", { req });
export const importFile = (req: ImportRequest) => call<number>("import_file", { req });
export const bridgeStatus = () => call<BridgeStatus>("bridge_status");
export const answerPairing = (id: string, accept: boolean) =>
  call<null>("answer_pairing", { id, accept });
export const revokePairing = (id: string) => call<boolean>("revoke_pairing", { id });
export const setAllowedSites = (sites: string[]) => call<string[]>("set_allowed_sites", { sites });

/** Subscribes to a backend event; returns a synchronous unsubscribe function. */
function on<T>(name: string, cb: (payload: T) => void): () => void {
  let stopped = false;
  let unlisten: (() => void) | null = null;
  listen<T>(name, (e) => {
    if (!stopped) cb(e.payload);
  })
    .then((u) => {
      if (stopped) u();
      else unlisten = u;
    })
    .catch(() => {
      /* outside Tauri (tests, plain browser): no events */
    });
  return () => {
    stopped = true;
    unlisten?.();
  };
}

export const onClipProgress = (cb: (p: ClipProgress) => void) => on("clip-progress", cb);
export const onClipFinished = (cb: (p: ClipFinished) => void) => on("clip-finished", cb);
export const onExportProgress = (cb: (p: ExportProgress) => void) => on("export-progress", cb);
export const onExportFinished = (cb: (p: ExportFinished) => void) => on("export-finished", cb);
export const onImportProgress = (cb: (p: ImportProgress) => void) => on("import-progress", cb);
export const onImportFinished = (cb: (p: ImportFinished) => void) => on("import-finished", cb);
export const onLibraryChanged = (cb: () => void) => on<null>("library-changed", () => cb());
export const onBridgePairing = (cb: (p: PairingPrompt) => void) => on("bridge-pairing", cb);
export const onBridgeClipped = (cb: (r: ClipResult) => void) => on("bridge-clipped", cb);

async function wrap<T>(p: () => Promise<T>): Promise<T> {
  try {
    return await p();
  } catch (e) {
    throw toAppError(e);
  }
}

/** Native "save as" dialog; resolves to the chosen path or null when cancelled. */
export const chooseSavePath = (defaultPath: string, extension: string | null) =>
  wrap(() =>
    saveDialog({
      defaultPath,
      filters: extension ? [{ name: extension.toUpperCase(), extensions: [extension] }] : undefined,
    }),
  );

/** Native "open" dialog for a saved web page. */
export const chooseHtmlFile = (title: string) =>
  wrap(async () => {
    const r = await openDialog({
      title,
      multiple: false,
      directory: false,
      filters: [{ name: "HTML", extensions: ["html", "htm", "xhtml"] }],
    });
    return typeof r === "string" ? r : null;
  });

/** Native "open" dialog for another tool's export. */
export const chooseImportFile = (title: string, name: string, extensions: string[]) =>
  wrap(async () => {
    const r = await openDialog({ title, multiple: false, directory: false, filters: [{ name, extensions }] });
    return typeof r === "string" ? r : null;
  });

// Opening goes through Clipbook's commands: the window itself may not open files or URLs.
/** Opens a clipping's original address in the system browser. */
export const openOriginal = (id: number) => call<null>("open_original", { id });
/** Opens a file this session exported. */
export const openFile = (path: string) => call<null>("open_export", { path });
/** Shows a file this session exported in its folder. */
export const showInFolder = (path: string) => call<null>("reveal_export", { path });
