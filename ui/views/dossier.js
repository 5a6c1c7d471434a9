// One dossier: every field, the appointment, the timeline, and reprint / open PDF.
import { call } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, vnTime } from '../dom.js';

export function renderDossier(panel, view, { close, scan }) {
  const d = view.dossier;
  const status = h('div', { class: 'receipt-status', id: 'receipt-status', role: 'status' });
  const issue = (command) => async () => {
    status.className = 'receipt-status';
    status.textContent = '…';
    try {
      const r = await call(command, { code: d.code });
      status.className = 'receipt-status ok';
      status.textContent = (command === 'print_receipt' ? t('ui.printed') : t('ui.opened')) +
        (r.reprint ? ` (${t('cli.reprint')} ${r.reprint})` : '');
    } catch (e) {
      status.className = 'receipt-status banner error';
      status.textContent = e.message;
    }
  };
  const scanBanner = !scan ? null : scan.tag === 'invalid'
    ? h('div', { class: 'banner error', role: 'alert', id: 'scan-banner' }, t('scan.invalid'))
    : h('div', { class: 'banner ' + (scan.tag === 'verified' ? 'ok' : 'warn'), id: 'scan-banner' }, t('scan.' + scan.tag));
  const row = (label, value) => value ? h('div', { class: 'kv' }, h('dt', {}, label), h('dd', {}, value)) : null;
  const ret = d.return || {};
  const post = ret.method === 'post';
  const sub = d.submitter;
  clear(panel).append(
    h('div', { class: 'detail-head' },
      h('h2', { class: 'code', id: 'detail-code' }, d.code),
      h('button', { class: 'link', onclick: close, 'aria-label': t('ui.close'), title: 'Esc' }, '✕')),
    scanBanner,
    h('div', { class: 'detail-status' },
      h('span', { class: 'status s' + d.status_code, id: 'detail-status' }, t('status.' + d.status_code)),
      overdue(d) ? h('span', { class: 'status late' }, t('ui.overdue')) : null),
    h('div', { class: 'actions' },
      h('button', { class: 'primary', id: 'print-receipt', onclick: issue('print_receipt') }, t('ui.print')),
      h('button', { id: 'open-receipt', onclick: issue('open_receipt') }, t('ui.open_pdf'))),
    status,
    h('dl', {},
      row(t('cli.procedure'), `${d.procedure.code} – ${d.procedure.name}`),
      row(t('field.applicant.name'), d.applicant.name),
      row(t('field.applicant.id_number'), d.applicant.id_number),
      row(t('field.applicant.phone'), d.applicant.phone),
      row(t('field.applicant.email'), d.applicant.email),
      row(t('field.applicant.address'), d.applicant.address),
      sub ? row(t('field.submitter.name'), [sub.name, sub.id_number, sub.phone].filter(Boolean).join(' · ')) : null,
      row(t('cli.received_at'), vnTime(d.received_at)),
      row(t('cli.due_at'), vnTime(d.due_at)),
      row(t('field.sets'), String(d.sets)),
      row(t('field.return.method'), post
        ? `${t('ui.intake.by_post')}: ${[ret.recipient, ret.phone, ret.address, ret.commune, ret.province].filter(Boolean).join(', ')}`
        : t('ui.intake.at_desk')),
      row(t('field.note'), d.note),
      row(t('cli.register'), `${d.register.book}/${d.register.year} – ${d.register.line}`),
      row(t('ui.desk'), d.desk)),
    h('h3', {}, t('field.documents')),
    h('ol', {}, d.documents.map((doc) => h('li', {}, `${doc.name} (${doc.originals} ${t('cli.originals')}, ${doc.copies} ${t('cli.copies')})`))),
    h('h3', {}, t('ui.history')),
    h('ol', { class: 'timeline', id: 'timeline' }, view.events.map((e) => h('li', {},
      h('span', { class: 'nowrap' }, vnTime(e.at)), ' ',
      h('strong', {}, t('event.' + e.kind)), e.to_status ? ` → ${t('status.' + e.to_status)}` : '',
      ' · ', e.actor, e.note ? h('div', { class: 'note' }, e.note) : null))));
  panel.hidden = false;
}

// Late is derived from the appointment, never stored.
export function overdue(d) {
  return [1, 2, 4].includes(d.status_code) && d.due_at && new Date(d.due_at) < new Date();
}
