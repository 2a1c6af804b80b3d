// Talking to the Clipbook app's local service (crates/bridge): find it, pair, clip.
// Shared by the popup (a <script> tag) and the background script (importScripts in Chrome's
// service worker, the manifest's "scripts" list in Firefox). Plain script, no modules.
//
// The pairing token lives in the extension's own storage (chrome.storage.local), never in a
// page. It is sent only in the Authorization header.

/* global chrome, browser */
'use strict';

const ext = globalThis.browser ?? globalThis.chrome;

// The app listens on the first free port of these (crates/bridge: DEFAULT_PORT + 10).
const BRIDGE_PORTS = Array.from({ length: 11 }, (_, i) => 52525 + i);

// An error the popup can show as it is.
class ClipbookError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

// fetch with a time limit, turning "nothing answers" into a plain error.
async function bridgeFetch(port, path, options = {}, timeoutMs = 5000) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return await fetch(`http://127.0.0.1:${port}${path}`, { ...options, signal: controller.signal });
  } catch {
    throw new ClipbookError('not_running', 'Clipbook is not running. Open the Clipbook app and try again.');
  } finally {
    clearTimeout(timer);
  }
}

// The JSON answer, or the app's {"error":{"code","message"}} as a ClipbookError.
async function bridgeJson(response) {
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const error = body && body.error;
    throw new ClipbookError(error ? error.code : 'failed',
      error ? error.message : `Clipbook answered ${response.status}.`);
  }
  return body;
}

// Finds the app: the port that worked last time first, then the others.
// Returns { port, paired, hasToken } or throws not_running.
async function findBridge() {
  const { port: known, token } = await ext.storage.local.get(['port', 'token']);
  const ports = known ? [known, ...BRIDGE_PORTS.filter((p) => p !== known)] : BRIDGE_PORTS;
  for (const port of ports) {
    try {
      const response = await bridgeFetch(port, '/ping', {}, 800);
      const body = await response.json();
      if (body.app === 'clipbook') {
        await ext.storage.local.set({ port });
        return { port, paired: Boolean(body.paired && token), hasToken: Boolean(token) };
      }
    } catch {
      // Not this port: try the next.
    }
  }
  throw new ClipbookError('not_running', 'Clipbook is not running. Open the Clipbook app and try again.');
}

// Asks the app to pair; returns { request, code } for the user to compare with the app's.
async function requestPairing(port) {
  const name = navigator.userAgent.includes('Firefox') ? 'Clipbook for Firefox' : 'Clipbook for Chrome';
  const response = await bridgeFetch(port, '/pair', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  return bridgeJson(response);
}

// Waits for the user's answer in the app (each call long-polls up to 20 s); stores the token.
// Resolves to 'accepted', 'rejected' or 'expired'.
async function waitForPairing(port, request) {
  for (;;) {
    const response = await bridgeFetch(port, `/pair/${encodeURIComponent(request)}`, {}, 30000);
    const body = await bridgeJson(response);
    if (body.status === 'accepted') {
      await ext.storage.local.set({ token: body.token, port });
      return 'accepted';
    }
    if (body.status !== 'pending') return body.status;
  }
}

// Sends a captured page ({url, title, html, selection_html}) with tags; returns
// { id, title, created }. A refused token is forgotten, so that the popup offers to pair again.
async function sendClip(captured, tags) {
  const { port } = await findBridge();
  const { token } = await ext.storage.local.get('token');
  if (!token) throw new ClipbookError('not_paired', 'Pair with Clipbook first.');
  const response = await bridgeFetch(port, '/clip', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ ...captured, tags }),
  }, 120000);
  if (response.status === 401 || response.status === 403) await ext.storage.local.remove('token');
  return bridgeJson(response);
}

// Captures the tab with content/capture.js (the whole page, or only the selection).
async function captureTab(tabId, selectionOnly) {
  await ext.scripting.executeScript({ target: { tabId }, files: ['content/capture.js'] });
  const [result] = await ext.scripting.executeScript({
    target: { tabId },
    func: (only) => globalThis.clipbookCapture({ selectionOnly: only }),
    args: [selectionOnly],
  });
  const captured = result && result.result;
  if (!captured) throw new ClipbookError('capture_failed', 'This page cannot be read (browser pages and the web store are off limits).');
  if (selectionOnly && !captured.selection_html) throw new ClipbookError('no_selection', 'Select some text on the page first.');
  return captured;
}

// Tags typed as "piracy/iptv, Europol" → ["piracy/iptv", "Europol"].
function parseTags(text) {
  return (text || '').split(',').map((t) => t.trim()).filter(Boolean);
}
