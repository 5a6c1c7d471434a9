// After saving: the dossier's code and appointment, the receipt itself as an image drawn from
// the same layout as the PDF (WebKitGTK cannot show PDFs), and what to do next.
import { call } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, vnTime } from '../dom.js';
import { receiptIssuer } from './receipt.js';

export function showPreview(ctx, dossier, { print, onNew }) {
  const status = h('div', { class: 'receipt-status', id: 'preview-status', role: 'status' });
  const image = h('div', { class: 'receipt-image', id: 'receipt-preview' }, t('ui.preview.loading'));
  const newBtn = h('button', { class: 'primary', id: 'preview-new' }, t('ui.preview.new'), h('kbd', {}, 'Enter'));
  const printBtn = h('button', { id: 'preview-print' }, t('ui.print'), h('kbd', {}, 'Ctrl+P'));
  const openBtn = h('button', { id: 'preview-open' }, t('ui.open_pdf'));
  const showBtn = h('button', { id: 'preview-show' }, t('ui.preview.show'));
  const box = h('div', { class: 'modal-box', tabindex: '-1', id: 'preview-box' },
      h('div', { class: 'preview-head' },
        h('div', {},
          h('div', { class: 'hint' }, t('ui.preview.saved')),
          h('h2', { class: 'code', id: 'preview-code' }, dossier.code),
          h('div', {}, t('cli.due_at'), ': ', h('strong', { id: 'preview-due' }, vnTime(dossier.due_at)))),
        h('div', { class: 'actions' }, newBtn, printBtn, openBtn, showBtn)),
      status,
      image);
  const dialog = h('div', { class: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'preview-code', id: 'preview' }, box);

  const close = () => { document.removeEventListener('keydown', keys, true); dialog.remove(); };
  const issue = receiptIssuer(status, dossier.code);
  printBtn.addEventListener('click', issue('print_receipt'));
  openBtn.addEventListener('click', issue('open_receipt'));
  newBtn.addEventListener('click', () => { close(); onNew(); });
  showBtn.addEventListener('click', () => { close(); onNew(); ctx.openDossier(dossier.code); });
  // The box, not a button, has the focus at first: a save key pressed twice must not land on
  // "register another" and throw the preview away.
  function keys(ev) {
    const onBox = document.activeElement === box || document.activeElement === newBtn;
    if (ev.key === 'Escape' || (ev.key === 'Enter' && !ev.ctrlKey && !ev.altKey && onBox)) {
      ev.preventDefault(); ev.stopImmediatePropagation(); close(); onNew();
    } else if (ev.ctrlKey && (ev.key === 'p' || ev.key === 'P')) {
      ev.preventDefault(); printBtn.click();
    } else if (ev.ctrlKey && ev.key === 'Enter') {
      // The save-and-print key pressed again: the dossier exists; nothing more to save.
      ev.preventDefault(); ev.stopImmediatePropagation();
    }
  }
  document.addEventListener('keydown', keys, true);
  document.body.append(dialog);
  box.focus();

  call('receipt_preview', { code: dossier.code }).then((svg) => {
    const img = h('img', { alt: t('ui.preview.alt'), src: 'data:image/svg+xml;base64,' + base64(svg) });
    clear(image).append(img);
  }, (e) => { clear(image).append(h('div', { class: 'banner error' }, e.message)); });
  if (print) issue('print_receipt')();
}

function base64(text) {
  const bytes = new TextEncoder().encode(text);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
