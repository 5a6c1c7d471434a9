// Asking before work is thrown away: a half-typed intake is the citizen's time. The modal
// sits above everything, the lock screen included, and keeps the work unless the clerk
// chooses otherwise (Escape and the default button keep it).
import { t } from './i18n.js';
import { h } from './dom.js';

export function confirmDiscard() {
  return new Promise((resolve) => {
    const done = (discard) => { dialog.remove(); resolve(discard); };
    const keep = h('button', { type: 'button', class: 'primary', id: 'discard-keep', onclick: () => done(false) }, t('ui.discard.keep'));
    const box = h('div', { class: 'modal-box narrow', role: 'document' },
      h('h2', {}, t('ui.discard.title')),
      h('p', {}, t('ui.discard.text')),
      h('div', { class: 'actions' }, keep,
        h('button', { type: 'button', class: 'danger', id: 'discard-yes', onclick: () => done(true) }, t('ui.discard.yes'))));
    const dialog = h('div', { class: 'modal on-top', role: 'alertdialog', 'aria-modal': 'true', id: 'discard-dialog' }, box);
    dialog.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); done(false); } });
    document.body.append(dialog);
    keep.focus();
  });
}
