// One dossier: whose it is and when it is due, what comes next, every field and the timeline.
import { call } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, vnTime } from '../dom.js';
import { renderForms } from './forms.js';
import { receiptIssuer } from './receipt.js';
import { errorText } from './form.js';
import { icon } from '../icons.js';
import { may } from '../permissions.js';
import { vnToday } from '../dates.js';
import { dossierPapers } from './scans.js';

// `notice` is what the last action left to say (an issued form with its Open button),
// kept across the panel's redraw. Whose dossier, its status and its appointment stay at the
// top while the rest scrolls; under them the usual next step is the one primary button, and
// the rarer moves wait behind "more". What a step asks for opens just below them.
export function renderDossier(panel, view, { close, scan, reopen, notice, transfer }) {
  const d = view.dossier;
  const status = h('div', { class: 'receipt-status', id: 'receipt-status', role: 'status' });
  const issue = receiptIssuer(status, d.code);
  const scanBanner = !scan ? null : scan.tag === 'invalid'
    ? h('div', { class: 'banner error', role: 'alert', id: 'scan-banner' }, t('scan.invalid'))
    : h('div', { class: 'banner ' + (scan.tag === 'verified' ? 'ok' : 'warn'), id: 'scan-banner' }, t('scan.' + scan.tag));
  const row = (label, value) => value ? h('div', { class: 'kv' }, h('dt', {}, label), h('dd', {}, value)) : null;
  const ret = d.return || {};
  const post = ret.method === 'post';
  const sub = d.submitter;
  const work = h('div', { class: 'detail-work', id: 'detail-work' });
  // Each checklist row with its digitised pages, and the result's row.
  const papers = dossierPapers(d);
  const buttons = h('div', { class: 'actions next', id: 'detail-actions' });
  const more = h('details', { class: 'more', id: 'more-actions' },
    h('summary', { class: 'button' }, t('ui.more'), icon('more')),
    h('div', { class: 'menu', id: 'more-menu' }));
  // Native append would print a null child as the text "null".
  clear(panel).append(...[
    h('div', { class: 'detail-top' },
      h('div', { class: 'detail-head' },
        h('h2', { class: 'code', id: 'detail-code' }, d.code),
        h('button', { class: 'link close', onclick: close, 'aria-label': t('ui.close'), title: `${t('ui.close')} (Esc)` }, icon('close'))),
      h('div', { class: 'detail-status' },
        h('span', { class: 'status s' + d.status_code, id: 'detail-status' }, t('status.' + d.status_code)),
        overdue(d) ? h('span', { class: 'status late' }, t('ui.overdue')) : null),
      h('div', { class: 'detail-who', id: 'detail-applicant' }, d.applicant.name),
      h('div', { class: 'detail-what' }, d.procedure.name),
      h('div', { class: 'detail-when' + (overdue(d) ? ' late' : '') }, icon('calendar'), t('ui.detail.due'), ' ',
        h('strong', { id: 'detail-due' }, vnTime(d.due_at))),
      buttons),
    scanBanner,
    status,
    notice || null,
    work,
    h('dl', {},
      row(t('cli.procedure'), `${d.procedure.code} – ${d.procedure.name}`),
      d.authority ? row(t('field.authority'), d.authority) : null,
      row(t('field.applicant.id_number'), d.applicant.id_number),
      row(t('field.applicant.phone'), d.applicant.phone),
      row(t('field.applicant.email'), d.applicant.email),
      row(t('field.applicant.address'), d.applicant.address),
      sub ? row(t('field.submitter.name'), [sub.name, sub.id_number, sub.phone].filter(Boolean).join(' · ')) : null,
      row(t('cli.received_at'), vnTime(d.received_at)),
      row(t('field.sets'), String(d.sets)),
      row(t('field.return.method'), post
        ? `${t('ui.intake.by_post')}: ${[ret.recipient, ret.phone, ret.address, ret.commune, ret.province].filter(Boolean).join(', ')}`
        : t('ui.intake.at_desk')),
      row(t('field.note'), d.note),
      row(t('cli.register'), `${d.register.book}/${d.register.year} – ${d.register.line}`),
      row(t('ui.desk'), d.desk)),
    h('h3', {}, t('field.documents')),
    papers.list,
    h('h3', {}, t('ui.history')),
    h('ol', { class: 'timeline', id: 'timeline' }, view.events.map((e) => h('li', {},
      h('span', { class: 'nowrap' }, vnTime(e.at)), ' ',
      h('strong', {}, t('event.' + e.kind)), e.to_status ? ` → ${t('status.' + e.to_status)}` : '',
      ' · ', e.actor, e.note ? h('div', { class: 'note' }, e.note) : null,
      e.kind === 'handed_over' ? h('div', { class: 'note' }, collected(e.data || {})) : null)))].filter(Boolean));
  steps(d, { buttons, more, work, reopen, transfer, issue, papers });
  // The menu hangs from the panel's fixed top, so it scrolls within itself rather than
  // running off a low window.
  more.addEventListener('toggle', () => {
    if (!more.open) return;
    const menu = more.querySelector('.menu');
    menu.style.maxHeight = Math.max(160, window.innerHeight - menu.getBoundingClientRect().top - 12) + 'px';
  });
  // A choice in the menu closes it, as menus do.
  more.addEventListener('click', (ev) => { if (ev.target.closest('.menu button')) more.open = false; });
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

// The usual next step for the dossier's status, as this person's roles allow it: hand it to
// the processing unit, take the result back, return it to the citizen, or the plain status
// move that comes next. Every other allowed move, the forms and the receipt's PDF are in the
// menu; a move from the menu asks first, with room for a note.
const USUAL = { 1: 2, 2: 4, 4: 9, 5: 4, 6: 4 };
function steps(d, { buttons, more, work, reopen, transfer, issue, papers }) {
  const menu = more.querySelector('.menu');
  const error = h('div', { class: 'field-error', role: 'alert', id: 'lifecycle-error' });
  const fail = (e) => { error.textContent = errorText(e); };
  const move = async (to, note) => {
    error.textContent = '';
    try {
      await call('transition_dossier', { code: d.code, to, note, expectedVersion: d.version });
      reopen(d.code);
    } catch (e) { fail(e); }
  };
  const section = (title) => { const s = h('div', { class: 'menu-section' }, h('div', { class: 'menu-title' }, title)); menu.append(s); return s; };
  const item = (id, iconName, label, onclick) => h('button', { type: 'button', class: 'link', id, onclick }, icon(iconName), label);

  const handing = d.status_code === 9 && may('handover') ? handover(d, reopen, fail, papers) : null;
  work.append(error);
  if (handing) work.append(handing);
  const formsWork = h('div', { class: 'forms-work' });
  work.append(formsWork);

  buttons.append(h('button', { type: 'button', class: 'secondary', id: 'print-receipt', onclick: issue('print_receipt') }, icon('print'), t('ui.print')), more);
  // The menu's order is how often each is needed: the forms, the rarer moves, the PDF.
  const forms = section(t('ui.forms.title'));
  const moveList = section(t('ui.more.moves'));
  const receipt = section(t('ui.more.receipt'));
  receipt.append(item('open-receipt', 'open', t('ui.open_pdf'), issue('open_receipt')));

  const primary = (id, iconName, label, onclick) => buttons.prepend(
    h('button', { type: 'button', class: 'primary', id, onclick }, icon(iconName), label));
  if (handing) {
    primary('next-handover', 'result', t('ui.next.handover'), () => {
      handing.scrollIntoView({ block: 'nearest' });
      handing.querySelector('#handover-name').focus();
    });
  }

  call('next_statuses', { code: d.code }).then((next) => {
    const moves = may('transition') ? next.filter((s) => s !== 10) : [];
    const usual = USUAL[d.status_code];
    let shown = null;
    // Papers go to the processing unit once accepted (or completed); a result comes back
    // once the unit has it: both on the hand-over list the two sides sign.
    const toUnit = [2, 5].includes(d.status_code) && next.includes(4);
    const back = [4, 6].includes(d.status_code) && next.includes(9);
    if (!handing && (toUnit || back) && may('transfer') && transfer) {
      primary(back ? 'next-back' : 'next-transfer', 'transfer', t(back ? 'ui.next.back' : 'ui.next.transfer'),
        () => transfer([d.code], back ? 'back' : 'to_unit'));
    } else if (!handing && moves.includes(usual)) {
      shown = usual;
      primary('move-' + usual, 'next', t('ui.next.to.' + usual), () => move(usual, ''));
    }
    const rare = moves.filter((s) => s !== shown);
    for (const to of rare) {
      moveList.append(item('move-' + to, 'next', t('status.' + to), () => confirmMove(to)));
    }
    if (!rare.length) moveList.remove();
    renderForms(forms, formsWork, d, reopen);
  }, () => {});

  function confirmMove(to) {
    const note = h('input', { id: 'transition-note', placeholder: t('field.note'), autocomplete: 'off' });
    const box = h('form', { class: 'confirm-move handover', id: 'move-confirm-box', novalidate: true },
      h('p', {}, t('ui.move.confirm', { status: t('status.' + to) })),
      h('label', {}, t('field.note'), note),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', id: 'move-confirm' }, t('ui.move.yes')),
        h('button', { type: 'button', class: 'link', id: 'move-cancel', onclick: () => box.remove() }, t('ui.cancel'))));
    box.addEventListener('submit', (ev) => { ev.preventDefault(); move(to, note.value); });
    const old = work.querySelector('#move-confirm-box');
    if (old) old.remove();
    work.prepend(box);
    box.scrollIntoView({ block: 'nearest' });
    note.focus();
  }
}

// The result is digitised before it is returned: the hand-over shows whether it is, with
// the scan buttons right there. A desk without a scanner must still return results, so a
// result not digitised is a warning, not a refusal.
function handover(d, reopen, fail, papers) {
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
    papers.resultBox(),
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

