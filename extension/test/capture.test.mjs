// The page script (content/capture.js) in headless Chromium, against a page served on
// 127.0.0.1: the whole rendered page with lazy images' real addresses, and a selection alone.
// When the bridge's fake app is built (cargo build -p clipbook-bridge --example fake_app), the
// capture is also sent to it from the page, through a real browser's CORS preflight.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const CAPTURE = join(here, '..', 'content', 'capture.js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// A 1×1 GIF, the placeholder lazy loaders put in src.
const PIXEL = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEklEQVR4nGP4z8CAFWEXHbQSACj/P8Fu7N9hAAAAAElFTkSuQmCC',
  'base64',
);

const ARTICLE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>IPTV network taken down</title></head>
<body>
  <nav>Home · World · Business</nav>
  <article>
    <h1>IPTV network taken down</h1>
    <p id="first">Europol and eleven countries took down an illegal IPTV network on Tuesday.</p>
    <img id="shown" src="/img/top.png" alt="Servers">
    <p id="second">The network served more than two million subscribers.</p>
    <div style="height: 5000px"></div>
    <img id="lazy" class="lazy" src="${PIXEL}" data-src="/img/late.png" alt="Raid">
    <p id="third">Investigators seized servers in three countries.</p>
  </article>
  <div id="comments"></div>
  <script>
    // Rendered by script, as many sites do: must be in the capture.
    document.getElementById('comments').innerHTML = '<p>Comment added by script</p>';
  </script>
</body></html>`;

let server;
let origin;
let browser; // a persistent context: the only way Playwright takes our own --user-data-dir
let userDataDir;

before(async () => {
  server = createServer((req, res) => {
    if (req.url.startsWith('/img/')) {
      res.writeHead(200, { 'Content-Type': 'image/png' });
      res.end(PNG);
    } else {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(ARTICLE);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  userDataDir = mkdtempSync(join(tmpdir(), 'clipbook-chromium-'));
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: FLAGS,
    headless: true,
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

async function openArticle() {
  const page = await browser.newPage();
  await page.goto(`${origin}/2024/iptv`, { waitUntil: 'load' });
  await page.addScriptTag({ content: readFileSync(CAPTURE, 'utf8') });
  return page;
}

test('the whole rendered page is captured, with lazy images at their real address', async () => {
  const page = await openArticle();
  const captured = await page.evaluate(() => globalThis.clipbookCapture({}));
  assert.equal(captured.url, `${origin}/2024/iptv`);
  assert.equal(captured.title, 'IPTV network taken down');
  assert.equal(captured.selection_html, null);
  assert.match(captured.html, /^<html/);
  assert.match(captured.html, /Europol and eleven countries/);
  assert.match(captured.html, /Comment added by script/, 'what scripts rendered is kept');
  assert.match(captured.html, new RegExp(`<img id="lazy"[^>]*src="${origin}/img/late.png"`),
    'the image below the fold has its real address, not the placeholder');
  assert.match(captured.html, new RegExp(`<img id="shown"[^>]*src="${origin}/img/top.png"`));
  const lazy = await page.getAttribute('#lazy', 'src');
  assert.equal(lazy, PIXEL, 'the page itself is left as it was');
  await page.close();
});

test('a selection is captured alone', async () => {
  const page = await openArticle();
  const captured = await page.evaluate(() => {
    const range = document.createRange();
    range.selectNode(document.getElementById('second'));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    return globalThis.clipbookCapture({ selectionOnly: true });
  });
  assert.equal(
    captured.selection_html,
    '<p id="second">The network served more than two million subscribers.</p>',
  );
  assert.match(captured.html, /Europol/, 'the whole page still comes along, for its metadata');

  const inside = await page.evaluate(() => {
    const text = document.getElementById('first').firstChild;
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(text, 'Europol and eleven countries'.length);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    return globalThis.clipbookCapture({ selectionOnly: true }).selection_html;
  });
  assert.equal(inside, '<p>Europol and eleven countries</p>');

  const none = await page.evaluate(() => {
    getSelection().removeAllRanges();
    return globalThis.clipbookCapture({ selectionOnly: true }).selection_html;
  });
  assert.equal(none, null);
  await page.close();
});

// The fake app of crates/bridge, when built: FAKE_APP, or the default cargo target folder.
function fakeAppPath() {
  const target = process.env.CARGO_TARGET_DIR || join(here, '..', '..', 'target');
  const path = process.env.FAKE_APP || join(target, 'debug', 'examples', 'fake_app');
  return existsSync(path) ? path : null;
}

test('a capture reaches the bridge from a real browser page', { skip: !fakeAppPath() && 'fake_app not built' }, async () => {
  const app = spawn(fakeAppPath(), ['--port', '0', '--allow-origin', origin, '--accept-all'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    // Its stdout, one JSON event a line, read as a queue: next(kind) waits for that kind.
    const seen = [];
    let wake = () => {};
    let ended = false;
    const lines = createInterface({ input: app.stdout });
    lines.on('line', (line) => { seen.push(JSON.parse(line)); wake(); });
    lines.on('close', () => { ended = true; wake(); });
    const next = async (kind) => {
      for (;;) {
        const at = seen.findIndex((event) => event.event === kind);
        if (at >= 0) return seen.splice(at, 1)[0];
        if (ended) throw new Error(`fake_app ended before a ${kind} event`);
        await new Promise((resolve) => { wake = resolve; });
      }
    };
    const { port } = await next('listening');

    const page = await openArticle();
    // The bookmarklet's path: a web origin allowed in the app pairs, then clips. Every call
    // is a cross-origin JSON request, so Chromium preflights it and checks CORS.
    const answer = await page.evaluate(async (bridge) => {
      const json = { 'Content-Type': 'application/json' };
      const asked = await (await fetch(`${bridge}/pair`, {
        method: 'POST', headers: json, body: JSON.stringify({ name: 'test' }),
      })).json();
      const pairing = await (await fetch(`${bridge}/pair/${asked.request}`)).json();
      const captured = globalThis.clipbookCapture({});
      const response = await fetch(`${bridge}/clip`, {
        method: 'POST',
        headers: { ...json, Authorization: `Bearer ${pairing.token}` },
        body: JSON.stringify({ ...captured, tags: ['piracy/iptv'] }),
      });
      return { status: pairing.status, clip: await response.json() };
    }, `http://127.0.0.1:${port}`);

    assert.equal(answer.status, 'accepted');
    assert.deepEqual(answer.clip, { id: 1, title: 'IPTV network taken down', created: true });
    const { request } = await next('pairing');
    assert.equal(request.origin, origin);
    const { page: received } = await next('clip');
    assert.equal(received.url, `${origin}/2024/iptv`);
    assert.deepEqual(received.tags, ['piracy/iptv']);
    assert.match(received.html, /Europol and eleven countries/);
    await page.close();

    // The same page under another origin (localhost is not 127.0.0.1 to a browser), not
    // allowed in the app: the preflight is refused, so the browser never sends the request.
    const stranger = await browser.newPage();
    await stranger.goto(`${origin.replace('127.0.0.1', 'localhost')}/2024/iptv`);
    const refused = await stranger.evaluate(async (bridge) => {
      try {
        await fetch(`${bridge}/pair`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ name: 'stranger' }),
        });
        return 'sent';
      } catch (e) {
        return e.name;
      }
    }, `http://127.0.0.1:${port}`);
    assert.equal(refused, 'TypeError', 'CORS blocks an origin the app did not allow');
    await stranger.close();
    assert.equal(seen.filter((e) => e.event === 'pairing').length, 0,
      'the refused origin never reached the app');
  } finally {
    app.kill();
  }
});
