// Digitised papers in the window: the "Quét" / "Chọn tệp" / "Vừa quét" buttons a checklist
// row (or the result) gets in the intake form and the dossier panel, each row's state and
// thumbnails in the panel, and the page viewer. Papers are staged first (scanned or read and
// made a PDF by the core, held in memory) and then attached to their row: at once in the
// panel, right after registration in the intake form.
import { call } from '../api.js';
import { t } from '../i18n.js';
import { h, clear } from '../dom.js';
import { errorText } from './form.js';
import { icon } from '../icons.js';
import { may } from '../permissions.js';

// The desk's scanner and watched folder, asked once a form is drawn.
export async function deskScanning() {
  try {
    const r = await call('list_scans', { code: '' });
    return { scanner: r.scanner, folder: r.folder };
  } catch (e) { return { scanner: false, folder: false }; }
}

// The buttons of one row. `stageInto(list)` receives what was staged (the panel attaches it
// at once; the intake form keeps it for the row); errors and progress are told in `say`.
// `id` names the row's buttons for the keyboard and the tests (`scan-1`, `scan-result`).
export function scanTools({ id, result, desk, stageInto, say }) {
  const pages = h('input', { type: 'number', class: 'num scan-pages', id: `scan-pages-${id}`, min: '1', max: '50', value: '1', 'aria-label': t('ui.scans.pages'), title: t('ui.scans.pages') });
  const scan = h('button', { type: 'button', class: 'small', id: `scan-${id}`, title: desk.scanner ? '' : t('ui.scans.no_scanner') }, icon('scan'), t('ui.scans.scan'));
  const file = h('input', { type: 'file', id: `scan-file-${id}`, class: 'scan-file', multiple: true, accept: '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png' });
  const choose = h('button', { type: 'button', class: 'small', id: `scan-choose-${id}`, onclick: () => file.click() }, icon('open'), t('ui.scans.choose'));
  const waiting = h('div', { class: 'incoming-list', id: `scan-incoming-list-${id}`, hidden: true });
  const recent = desk.folder
    ? h('button', { type: 'button', class: 'small', id: `scan-incoming-${id}`, 'aria-expanded': 'false' }, icon('clock'), t('ui.scans.incoming'))
    : null;
  // Enter in the page count scans, and never submits the form around the row.
  pages.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.ctrlKey) { ev.preventDefault(); ev.stopPropagation(); scan.click(); }
  });
  const busy = async (label, work) => {
    for (const b of [scan, choose, recent]) if (b) b.disabled = true;
    say(label, 'busy');
    try {
      const staged = await work();
      say('', '');
      await stageInto(staged);
    } catch (e) {
      say(errorText(e), 'error');
    } finally {
      for (const b of [scan, choose, recent]) if (b) b.disabled = false;
    }
  };
  scan.addEventListener('click', () => busy(t('ui.scans.scanning'), async () =>
    [await call('stage_scan', { pages: Math.max(1, Number(pages.value) || 1), result })]));
  file.addEventListener('change', () => {
    const files = [...file.files];
    file.value = '';
    if (!files.length) return;
    busy(t('ui.scans.reading'), async () => {
      const staged = [];
      for (const f of files) {
        const bytes = new Uint8Array(await f.arrayBuffer());
        staged.push(await call('stage_file', bytes, { headers: { 'x-name': encodeURIComponent(f.name), 'x-result': String(result) } }));
      }
      return staged;
    });
  });
  if (recent) {
    recent.addEventListener('click', async () => {
      if (!waiting.hidden) { waiting.hidden = true; recent.setAttribute('aria-expanded', 'false'); return; }
      clear(waiting);
      try {
        const files = await call('incoming_scans');
        if (!files.length) waiting.append(h('div', { class: 'hint' }, t('ui.scans.incoming_none')));
        // Newest first: the paper the copier just left is the one the clerk wants.
        for (const f of [...files].reverse()) {
          waiting.append(h('button', { type: 'button', class: 'link incoming-file', dataset: { name: f.name },
            onclick: () => { waiting.hidden = true; busy(t('ui.scans.reading'), async () => [await call('stage_incoming', { name: f.name, result })]); } },
          h('span', { class: 'name' }, f.name), ' ', h('span', { class: 'hint' }, `${kb(f.bytes)} · ${f.modified.slice(11, 16)}`)));
        }
      } catch (e) { say(errorText(e), 'error'); return; }
      waiting.hidden = false;
      recent.setAttribute('aria-expanded', 'true');
    });
  }
  return h('div', { class: 'scan-tools' },
    h('div', { class: 'scan-buttons' }, scan, pages, choose, file, recent), waiting);
}

function kb(bytes) { return `${Math.max(1, Math.round(bytes / 1024))} KB`; }

// A line that says what a row's tools are doing: "Đang quét…", or the error at the row.
export function sayLine(id) {
  const line = h('div', { class: 'scan-say', id: `scan-say-${id}`, role: 'status' });
  line.say = (text, kind) => { line.textContent = text; line.className = 'scan-say ' + (kind || ''); line.setAttribute('role', kind === 'error' ? 'alert' : 'status'); };
  return line;
}

// The papers of a dossier in its panel: each checklist row with its state, thumbnails and
// tools, and the result's row. Returns the list element and `resultBox(target)`, which draws
// the result's state and tools again inside the hand-over step.
export function dossierPapers(d) {
  const rowsList = h('ol', { class: 'papers' });
  const resultSlot = h('div', { class: 'papers-result' });
  // The result is no component of the dossier: under its own heading, not numbered.
  const list = h('div', { id: 'papers' }, rowsList, h('h3', {}, t('ui.scans.result')), resultSlot);
  let handoverBox = null;
  let state = { scans: [], scanner: false, folder: false };
  const rows = d.documents.map((doc, i) => ({ id: String(i + 1), doc: i + 1, result: false,
    label: `${doc.name} (${doc.originals} ${t('cli.originals')}, ${doc.copies} ${t('cli.copies')})` }));
  const result = { id: 'result', doc: 0, result: true };

  async function refresh() {
    try { state = await call('list_scans', { code: d.code }); } catch (e) { state = { scans: [], scanner: false, folder: false }; }
    clear(rowsList).append(...rows.map((r) => paperRow(r, false)));
    clear(resultSlot).append(paperRow(result, false));
    if (handoverBox) drawHandover();
  }

  function stored(r) { return state.scans.filter((s) => (r.result ? s.result : !s.result && s.doc === r.doc)); }

  function paperRow(r, compact) {
    const mine = stored(r);
    const pages = mine.reduce((n, s) => n + s.pages, 0);
    // In the hand-over a result not digitised is said by the warning above it.
    const mark = compact && !pages ? null : h('span', { class: 'digitised ' + (pages ? 'yes' : 'no'), id: `${compact ? 'handover-' : ''}digitised-${r.id}` },
      pages ? t(compact ? 'ui.scans.result_done' : 'ui.scans.done', { pages }) : t('ui.scans.none'));
    const say = sayLine((compact ? 'handover-' : '') + r.id);
    const allowed = r.result ? may('handover') : may('intake');
    const tools = allowed ? scanTools({
      id: (compact ? 'handover-' : '') + r.id, result: r.result, desk: state, say: say.say,
      stageInto: async (staged) => {
        await call('attach_staged', { code: d.code, doc: r.doc, result: r.result, tokens: staged.map((s) => s.token) });
        await refresh();
      },
    }) : null;
    return h(compact || r.result ? 'div' : 'li', { class: 'paper' + (r.result ? ' result' : ''), id: `${compact ? 'handover-' : ''}paper-${r.id}` },
      h('div', { class: 'paper-head' }, r.result ? null : h('span', { class: 'paper-name' }, r.label), mark),
      thumbs(d.code, mine),
      tools, say);
  }

  function drawHandover() {
    const pages = stored(result).reduce((n, s) => n + s.pages, 0);
    // Native append would print a null child as the text "null".
    clear(handoverBox).append(...[
      pages ? null : h('div', { class: 'banner warn', id: 'result-not-digitised', role: 'status' }, t('ui.scans.result_missing')),
      paperRow(result, true)].filter(Boolean));
  }

  refresh();
  return {
    list,
    resultBox() { handoverBox = h('div', { class: 'handover-result', id: 'handover-result' }); drawHandover(); return handoverBox; },
  };
}

// A row's stored pages as thumbnails; a PDF whose pages are not pictures is one tile with
// its page count. A click opens the viewer on that page.
function thumbs(code, records) {
  const box = h('div', { class: 'thumbs' });
  const pages = records.flatMap((s) => Array.from({ length: s.pages }, (_, i) => ({ file: s.file, page: i + 1, pages: s.pages })));
  // A long PDF is shown by its first pages; the viewer goes through them all.
  const shown = pages.slice(0, 8);
  shown.forEach((p, i) => {
    const tile = h('button', { type: 'button', class: 'thumb', dataset: { file: p.file, page: String(p.page) }, 'aria-label': t('ui.scans.page', { n: i + 1, total: pages.length }),
      onclick: () => openViewer(code, pages, i) });
    box.append(tile);
    picture(code, p, false).then((url) => {
      if (url) tile.append(h('img', { src: url, alt: '' }));
      else if (p.page === 1) tile.append(h('span', { class: 'pdf-tile' }, t('ui.scans.pdf_tile', { pages: p.pages })));
      else tile.remove();
    });
  });
  if (pages.length > shown.length) box.append(h('span', { class: 'hint more-pages' }, `+${pages.length - shown.length}`));
  return box;
}

async function picture(code, p, large) {
  try {
    const bytes = await call('scan_page', { code, file: p.file, page: p.page, large });
    const data = bytes instanceof ArrayBuffer ? bytes : new Uint8Array(bytes).buffer;
    return data.byteLength ? URL.createObjectURL(new Blob([data], { type: 'image/jpeg' })) : null;
  } catch (e) { return null; }
}

// The page viewer: a large page, previous and next, and the PDF in the system's viewer.
export function openViewer(code, pages, start) {
  let at = start;
  const img = h('img', { id: 'viewer-image', alt: '' });
  const tile = h('div', { class: 'pdf-tile large', id: 'viewer-pdf', hidden: true });
  const where = h('span', { id: 'viewer-where' });
  const prev = h('button', { type: 'button', id: 'viewer-prev', onclick: () => show(at - 1) }, t('ui.scans.prev'));
  const next = h('button', { type: 'button', id: 'viewer-next', onclick: () => show(at + 1) }, t('ui.scans.next'));
  const status = h('div', { class: 'scan-say', id: 'viewer-status', role: 'status' });
  const open = h('button', { type: 'button', id: 'viewer-open', onclick: async () => {
    try { await call('open_scan', { code, file: pages[at].file }); } catch (e) { status.textContent = errorText(e); status.className = 'scan-say error'; }
  } }, icon('open'), t('ui.scans.open'));
  const closeBtn = h('button', { type: 'button', class: 'link', id: 'viewer-close', 'aria-label': t('ui.close'), title: `${t('ui.close')} (Esc)` }, icon('close'));
  const box = h('div', { class: 'modal-box viewer-box', tabindex: '-1' },
    h('div', { class: 'viewer-bar' }, prev, where, next, open, closeBtn),
    status,
    h('div', { class: 'viewer-page' }, img, tile));
  const dialog = h('div', { class: 'modal', role: 'dialog', 'aria-modal': 'true', id: 'scan-viewer' }, box);
  let shownUrl = null;
  const close = () => { document.removeEventListener('keydown', keys, true); if (shownUrl) URL.revokeObjectURL(shownUrl); dialog.remove(); };
  closeBtn.addEventListener('click', close);
  function keys(ev) {
    if (ev.key === 'Escape') { ev.preventDefault(); ev.stopImmediatePropagation(); close(); }
    else if (ev.key === 'ArrowLeft') { ev.preventDefault(); show(at - 1); }
    else if (ev.key === 'ArrowRight') { ev.preventDefault(); show(at + 1); }
  }
  async function show(i) {
    if (i < 0 || i >= pages.length) return;
    at = i;
    where.textContent = t('ui.scans.page', { n: i + 1, total: pages.length });
    prev.disabled = i === 0;
    next.disabled = i === pages.length - 1;
    status.textContent = '';
    const url = await picture(code, pages[i], true);
    if (at !== i) { if (url) URL.revokeObjectURL(url); return; }
    if (shownUrl) URL.revokeObjectURL(shownUrl);
    shownUrl = url;
    img.hidden = !url;
    tile.hidden = !!url;
    if (url) img.src = url;
    else tile.textContent = t('ui.scans.pdf_tile', { pages: pages[i].pages });
  }
  document.addEventListener('keydown', keys, true);
  document.body.append(dialog);
  box.focus();
  show(start);
}

// In the intake form: a row's staged papers as small chips, each removable.
export function stagedChips(id, staged, onRemove) {
  return h('div', { class: 'staged', id: `staged-${id}` }, staged.map((s, i) =>
    h('span', { class: 'chip', dataset: { token: String(s.token) } },
      t('ui.scans.staged', { pages: s.pages, size: kb(s.bytes) }), ' ',
      h('button', { type: 'button', class: 'link', 'aria-label': t('ui.scans.remove'), title: t('ui.scans.remove'), onclick: () => onRemove(i) }, icon('close')))));
}
