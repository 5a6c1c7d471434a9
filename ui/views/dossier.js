// One dossier: every field, the appointment, the timeline, and reprint / open PDF.
import { call } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, vnTime } from '../dom.js';
import { renderForms } from './forms.js';
import { may } from '../permissions.js';
import { vnToday } from '../dates.js';

// `notice` is what the last action left to say (an issued form with its Open button),
// kept across the panel's redraw.
export function renderDossier(panel, view, { close, scan, reopen, notice }) {
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
  // Native append would print a null child as the text "null".
  clear(panel).append(...[
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
    notice || null,
    actions(d, reopen),
    h('dl', {},
      row(t('cli.procedure'), `${d.procedure.code} – ${d.procedure.name}`),
      d.authority ? row(t('field.authority'), d.authority) : null,
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
      ' · ', e.actor, e.note ? h('div', { class: 'note' }, e.note) : null,
      e.kind === 'handed_over' ? h('div', { class: 'note' }, collected(e.data || {})) : null)))].filter(Boolean));
  panel.hidden = false;
}

// Who took the result and how satisfied the citizen was, as the hand-over recorded it.
const RATINGS = { very_satisfied: 1, satisfied: 2, unsatisfied: 3 };
function collected(data) {
  const who = data.method === 'post' ? t('ui.timeline.by_post')
    : data.is_applicant ? t('ui.timeline.by_applicant') : t('ui.timeline.by_authorised');
  const rating = RATINGS[data.rating] ? `${t('field.handover.rating')}: ${t('ui.rating.' + RATINGS[data.rating])}` : '';
  return [who, rating].filter(Boolean).join(' · ');
}

// Late is derived from the appointment date, never stored (the RFC 3339 text is in +07:00).
export function overdue(d) {
  return [2, 4].includes(d.status_code) && d.due_at && d.due_at.slice(0, 10) < vnToday();
}

// What the desk can do next: the allowed status moves (with a note) and, for a ready result,
// the hand-over with the citizen's satisfaction rating.
function actions(d, reopen) {
  const box = h('div', { class: 'lifecycle', id: 'lifecycle' });
  const error = h('div', { class: 'field-error', role: 'alert', id: 'lifecycle-error' });
  const note = h('input', { id: 'transition-note', placeholder: t('field.note'), autocomplete: 'off' });
  const moves = h('div', { class: 'moves', id: 'moves' });
  const fail = (e) => { error.textContent = (e.fields && e.fields.length) ? e.fields.map((f) => f.message).join('; ') : e.message; };
  if (may('transition')) call('next_statuses', { code: d.code }).then((next) => {
    for (const to of next.filter((s) => s !== 10)) {
      moves.append(h('button', {
        type: 'button', class: 'small', id: 'move-' + to,
        onclick: async () => {
          error.textContent = '';
          try {
            await call('transition_dossier', { code: d.code, to, note: note.value, expectedVersion: d.version });
            reopen(d.code);
          } catch (e) { fail(e); }
        },
      }, '→ ' + t('status.' + to)));
    }
  }, () => {});
  if (may('transition')) box.append(h('div', { class: 'move-row' }, note, moves));
  if (d.status_code === 9 && may('handover')) box.append(handover(d, reopen, fail));
  box.append(error);
  renderForms(box, d, reopen);
  return box;
}

function handover(d, reopen, fail) {
  const name = h('input', { name: 'receiver_name', id: 'handover-name', value: d.applicant.name, autocomplete: 'off' });
  const id = h('input', { name: 'receiver_id', id: 'handover-id', value: d.applicant.id_number, autocomplete: 'off' });
  const authorisation = h('input', { name: 'authorisation', id: 'handover-authorisation', autocomplete: 'off' });
  // A result the citizen asked to receive by post is handed to the post office instead.
  const byPost = h('input', { type: 'checkbox', id: 'handover-post', checked: (d.return || {}).method === 'post' });
  const tracking = h('input', { name: 'tracking', id: 'handover-tracking', autocomplete: 'off' });
  const trackingBox = h('label', { hidden: !byPost.checked }, t('field.handover.tracking'), tracking);
  byPost.addEventListener('change', () => { trackingBox.hidden = !byPost.checked; });
  const ratings = [1, 2, 3].map((r) => h('label', { class: 'rating' },
    h('input', { type: 'radio', name: 'rating', value: String(r), id: 'rating-' + r }), ' ', t('ui.rating.' + r)));
  const form = h('form', { class: 'handover', id: 'handover-form', novalidate: true },
    h('h3', {}, t('ui.handover.title')),
    h('label', {}, t('field.handover.receiver_name'), name),
    h('label', {}, t('field.handover.receiver_id'), id),
    h('label', {}, t('field.handover.authorisation'), authorisation),
    h('label', { class: 'rating' }, byPost, ' ', t('ui.handover.by_post')),
    trackingBox,
    h('fieldset', {}, h('legend', {}, t('field.handover.rating')), ratings),
    h('button', { type: 'submit', class: 'primary', id: 'handover-save' }, t('ui.handover.save')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const chosen = form.querySelector('input[name=rating]:checked');
    try {
      await call('hand_over_result', {
        code: d.code,
        input: { method: byPost.checked ? 'post' : 'person', receiver_name: name.value, receiver_id: id.value, authorisation: authorisation.value, tracking: byPost.checked ? tracking.value : '', rating: chosen ? Number(chosen.value) : null },
      });
      reopen(d.code);
    } catch (e) { fail(e); }
  });
  return form;
}

