// Clipbook's bookmarklet: for browsers without the extension. It runs with the page's origin,
// so the Clipbook app must allow that site first (Settings › Browser › Sites allowed to pair).
// The first time on a site it pairs (the app shows the same code), then it clips the page,
// or only the selection when there is one. Its token is kept in that site's localStorage.
// `node build-bookmarklet.mjs` turns this file into the javascript: URL in README.md.
(async () => {
  const KEY = 'clipbook-bridge';
  const saved = JSON.parse(localStorage.getItem(KEY) || '{}');
  const ports = [saved.port, ...Array.from({ length: 11 }, (_, i) => 52525 + i)].filter(Boolean);
  const call = async (port, path, body) => {
    const headers = { 'Content-Type': 'application/json' };
    if (saved.token) headers.Authorization = 'Bearer ' + saved.token;
    const init = body ? { method: 'POST', headers, body: JSON.stringify(body) } : {};
    const response = await fetch('http://127.0.0.1:' + port + path, init);
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.error ? answer.error.message : 'Clipbook answered ' + response.status);
    return answer;
  };
  let port = 0;
  let paired = false;
  for (const p of ports) {
    try {
      paired = (await call(p, '/ping')).paired;
      port = p;
      break;
    } catch (e) {
      port = 0;
    }
  }
  if (!port) throw new Error('Clipbook is not running, or this site is not allowed in its settings.');
  if (!paired || !saved.token) {
    const asked = await call(port, '/pair', { name: 'Clipbook bookmarklet' });
    alert('Clipbook asks to pair this site. Check that it shows the code ' + asked.code + ', accept it there, then press OK.');
    let status = { status: 'pending' };
    while (status.status === 'pending') status = await call(port, '/pair/' + asked.request);
    if (status.status !== 'accepted') throw new Error('Pairing ' + status.status + '.');
    saved.token = status.token;
  }
  saved.port = port;
  localStorage.setItem(KEY, JSON.stringify(saved));
  const tags = prompt('Clipbook: tags, separated by commas', saved.tags || '');
  if (tags === null) return;
  saved.tags = tags;
  localStorage.setItem(KEY, JSON.stringify(saved));
  const selection = getSelection();
  let selectionHtml = null;
  if (selection && !selection.isCollapsed) {
    const box = document.createElement('div');
    for (let i = 0; i < selection.rangeCount; i++) box.append(selection.getRangeAt(i).cloneContents());
    selectionHtml = box.innerHTML;
  }
  const clipped = await call(port, '/clip', {
    url: location.href,
    title: document.title,
    html: document.documentElement.outerHTML,
    selection_html: selectionHtml,
    tags: tags.split(',').map((t) => t.trim()).filter(Boolean),
  });
  alert('Clipped: ' + clipped.title);
})().catch((e) => alert('Clipbook: ' + e.message));
