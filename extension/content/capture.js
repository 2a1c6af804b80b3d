// Clipbook's page script: what the user's browser shows, as HTML.
//
// Injected into the current tab with chrome.scripting.executeScript (files: [this file]), then
// called as clipbookCapture({ selectionOnly }). It only reads the page: it works on a copy of the
// document, so the page the user is reading is left exactly as it was. It has no dependency on
// extension APIs, so a test can load it into an ordinary page.
//
// Returns { url, title, html, selection_html }:
// - html: the whole document after rendering (scripts have run, comments loaded), with every
//   image's real address: lazy loaders keep it in data-src or similar until the image scrolls
//   into view, so an image the user has not scrolled to would otherwise be a placeholder.
// - selection_html: the selected part of the page, serialised, or null when nothing is selected.

(function (global) {
  'use strict';

  // Attributes where lazy-loading scripts keep an image's real address.
  const LAZY_SRC = ['data-src', 'data-lazy-src', 'data-original', 'data-lazy', 'data-url'];
  const LAZY_SRCSET = ['data-srcset', 'data-lazy-srcset'];

  // The address to keep for an image: the one the browser shows, unless it is a placeholder
  // (nothing loaded yet, or an inline data: image) and a lazy loader holds the real one.
  function realSource(img) {
    const shown = img.currentSrc || img.getAttribute('src') || '';
    const placeholder = !shown || shown.startsWith('data:') || (img.complete && img.naturalWidth <= 1);
    if (placeholder) {
      for (const name of LAZY_SRC) {
        const value = img.getAttribute(name);
        if (value) return new URL(value, document.baseURI).href;
      }
    }
    return shown ? new URL(shown, document.baseURI).href : '';
  }

  function realSrcset(img) {
    for (const name of LAZY_SRCSET) {
      const value = img.getAttribute(name);
      if (value) return value;
    }
    return img.getAttribute('srcset');
  }

  // Gives the copies the real addresses of the originals (same order in both trees).
  function fixImages(originals, copies) {
    for (let i = 0; i < originals.length && i < copies.length; i++) {
      const src = realSource(originals[i]);
      if (src) copies[i].setAttribute('src', src);
      const srcset = realSrcset(originals[i]);
      if (srcset) copies[i].setAttribute('srcset', srcset);
      copies[i].removeAttribute('loading');
    }
  }

  function captureDocument() {
    const copy = document.documentElement.cloneNode(true);
    fixImages(document.querySelectorAll('img'), copy.querySelectorAll('img'));
    return copy.outerHTML;
  }

  // The selection as HTML: each range's contents, images fixed as in the whole page. A
  // selection inside one paragraph's text comes back as that text in a <p>.
  function captureSelection() {
    const selection = global.getSelection && global.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
    const box = document.createElement('div');
    for (let i = 0; i < selection.rangeCount; i++) {
      const range = selection.getRangeAt(i);
      const fragment = range.cloneContents();
      const originals = [];
      const root = range.commonAncestorContainer;
      if (root.querySelectorAll) {
        for (const img of root.querySelectorAll('img')) {
          if (selection.containsNode(img, true)) originals.push(img);
        }
      }
      fixImages(originals, fragment.querySelectorAll('img'));
      if (!fragment.firstElementChild) {
        const p = document.createElement('p');
        p.append(fragment);
        box.append(p);
      } else {
        box.append(fragment);
      }
    }
    const html = box.innerHTML.trim();
    return html ? html : null;
  }

  // options.selectionOnly: the caller wants the selection; null when there is none (the
  // caller then says so rather than clipping the whole page unasked).
  function clipbookCapture(options) {
    const selectionOnly = Boolean(options && options.selectionOnly);
    return {
      url: global.location.href,
      title: document.title || null,
      html: captureDocument(),
      selection_html: selectionOnly ? captureSelection() : null,
    };
  }

  global.clipbookCapture = clipbookCapture;
})(globalThis);
