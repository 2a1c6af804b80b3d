// Background script: the "Clip with Clipbook" context-menu entry (page or selection).
// The result shows on the toolbar button: a check mark, or "!" with the error as its tooltip.

/* global importScripts, ext, captureTab, sendClip, parseTags */
'use strict';

// Chrome's service worker loads the shared code here; Firefox lists it in the manifest.
if (typeof importScripts === 'function') importScripts('bridge.js');

ext.runtime.onInstalled.addListener(() => {
  ext.contextMenus.create({ id: 'clip-page', title: 'Clip with Clipbook', contexts: ['page'] });
  ext.contextMenus.create({ id: 'clip-selection', title: 'Clip selection with Clipbook', contexts: ['selection'] });
});

ext.contextMenus.onClicked.addListener(async (info, tab) => {
  if (!tab || tab.id === undefined) return;
  await showResult(tab.id, '…', 'Clipping…');
  try {
    const captured = await captureTab(tab.id, info.menuItemId === 'clip-selection');
    const { lastTags } = await ext.storage.local.get('lastTags');
    const clipped = await sendClip(captured, parseTags(lastTags));
    await showResult(tab.id, '✓', `Clipped: ${clipped.title}`);
  } catch (e) {
    await showResult(tab.id, '!', e.message || 'Clipping failed.');
  }
});

async function showResult(tabId, badge, title) {
  await ext.action.setBadgeText({ tabId, text: badge });
  await ext.action.setTitle({ tabId, title });
}
