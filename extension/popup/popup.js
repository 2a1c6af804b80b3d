// The toolbar popup: pairing state, pairing (showing the code to compare), tags, clip buttons.

/* global ext, findBridge, requestPairing, waitForPairing, captureTab, sendClip, parseTags */
'use strict';

const $ = (id) => document.getElementById(id);

function say(text, isError = false) {
  $('result').textContent = text;
  $('result').className = isError ? 'error' : '';
}

// Shows what fits where we stand: app not running, not paired, or ready to clip.
async function refresh() {
  $('pairing').hidden = true;
  $('clipping').hidden = true;
  try {
    const bridge = await findBridge();
    if (bridge.paired) {
      $('status').textContent = 'Connected to Clipbook.';
      $('clipping').hidden = false;
      const { lastTags } = await ext.storage.local.get('lastTags');
      $('tags').value = lastTags || '';
    } else {
      $('status').textContent = 'This browser is not paired with Clipbook yet.';
      $('pairing').hidden = false;
    }
    return bridge;
  } catch (e) {
    $('status').textContent = e.message;
    return null;
  }
}

async function pair() {
  say('');
  $('pair').disabled = true;
  try {
    const bridge = await findBridge();
    const { request, code } = await requestPairing(bridge.port);
    $('code').textContent = code;
    $('code-box').hidden = false;
    const status = await waitForPairing(bridge.port, request);
    if (status === 'accepted') say('Paired.');
    else if (status === 'rejected') say('Clipbook refused the pairing.', true);
    else say('No answer in time: try again.', true);
  } catch (e) {
    say(e.message, true);
  } finally {
    $('pair').disabled = false;
    $('code-box').hidden = true;
    await refresh();
  }
}

async function clip(selectionOnly) {
  say('Clipping…');
  const tagsText = $('tags').value;
  await ext.storage.local.set({ lastTags: tagsText });
  try {
    const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
    const captured = await captureTab(tab.id, selectionOnly);
    const clipped = await sendClip(captured, parseTags(tagsText));
    say(clipped.created ? `Clipped: ${clipped.title}` : `Already in Clipbook: ${clipped.title}`);
  } catch (e) {
    say(e.message, true);
    if (e.code === 'unauthorized' || e.code === 'origin_not_paired') await refresh();
  }
}

$('pair').addEventListener('click', pair);
$('clip-page').addEventListener('click', () => clip(false));
$('clip-selection').addEventListener('click', () => clip(true));
refresh();
