// The manifest asks for no more than it needs and names files that exist; the README carries
// the bookmarklet built from the current bookmarklet.js, and that code parses.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { bookmarkletUrl } from '../build-bookmarklet.mjs';

const root = new URL('../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');

test('the manifest asks only for what the extension uses', () => {
  const manifest = JSON.parse(read('manifest.json'));
  assert.equal(manifest.manifest_version, 3);
  assert.deepEqual(manifest.permissions.sort(), ['activeTab', 'contextMenus', 'scripting', 'storage']);
  assert.deepEqual(manifest.host_permissions, ['http://127.0.0.1/*', 'http://localhost/*'],
    'the extension reaches the local app only, never the web');
  assert.ok(manifest.browser_specific_settings.gecko.id, 'Firefox needs an id');
  const files = [
    manifest.action.default_popup,
    manifest.background.service_worker,
    ...manifest.background.scripts,
    'content/capture.js',
    ...Object.values(manifest.icons),
    ...Object.values(manifest.action.default_icon),
  ];
  for (const file of files) assert.ok(existsSync(new URL(file, root)), `${file} exists`);
});

test('the README carries the current bookmarklet, and it parses', () => {
  const url = bookmarkletUrl();
  assert.ok(read('README.md').includes(url), 'run `node build-bookmarklet.mjs` and paste its line into README.md');
  const code = decodeURIComponent(url.slice('javascript:'.length));
  assert.doesNotThrow(() => new Function(code), 'the joined lines are still valid JavaScript');
  assert.ok(!code.includes('0.0.0.0'));
});
