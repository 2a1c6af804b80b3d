// Turns bookmarklet.js into a javascript: URL: full-line comments dropped, indentation
// removed, lines joined, the whole percent-encoded. bookmarklet.js is written for this (every
// statement ends with a semicolon or a brace, no line comment after code).
// `node build-bookmarklet.mjs` prints the URL; the test checks README.md carries the current one.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function bookmarkletUrl() {
  const source = readFileSync(new URL('./bookmarklet.js', import.meta.url), 'utf8');
  const code = source
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('//'))
    .join('');
  return 'javascript:' + encodeURIComponent(code);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(bookmarkletUrl());
