// A dossier's forms from its panel, numbered by the form set in force (Thông tư 03/2025 or
// 01/2018, named with the day it took effect at the top), and the post's word on a result
// sent by post. Only the forms the dossier's status allows are offered (the core refuses the
// others and its message is shown): the supplement request while the dossier can still wait
// for papers, the refusal while it can still be refused, the apology while it is being
// resolved, the stop notice (2025 only: "Dừng giải quyết", which stops the dossier) while it
// can still stop, the control slip always. Each is issued through the core, kept beside the
// database, and offered to open; errors appear next to their field.
import { call } from '../api.js';
import { t } from '../i18n.js';
import { dateInput } from '../dates.js';
import { h, clear, vnDate } from '../dom.js';
import { may } from '../permissions.js';
import { icon } from '../icons.js';

// The statuses a dossier can be stopped from (the core's lifecycle says the same).
const STOPPABLE = [2, 4, 5, 6];

// "Biểu mẫu theo Thông tư 03/2025/TT-VPCP (từ 15/09/2025)": the set in force and since when
// the office prints it (never recorded: a database from before the setting).
export function inForceLine(set) {
  return set.since
    ? t('ui.forms.in_force', { circular: set.circular, since: vnDate(set.since) })
    : t('ui.forms.in_force_plain', { circular: set.circular });
}

// "Mẫu 05 – Thông báo dừng giải quyết hồ sơ": the form's number in the set and its name.
function formLabel(set, form) {
  const entry = set.forms.find((f) => f.form === form);
  const name = form === 'apology' && set.form_set === 'tt03-2025' ? t('form.apology_letter') : t('form.' + form);
  return entry ? t('form.numbered', { number: entry.number, title: name }) : name;
}

const input = (attrs) => h('input', { autocomplete: 'off', spellcheck: 'false', ...attrs });

// The forms go into the panel's menu (`menu`), under the line naming the set in force; the
// one being filled in, and what issuing it left to say, into the panel's working area
// (`work`), where the clerk is looking.
export function renderForms(menu, work, d, reopen) {
  const inForce = h('p', { class: 'menu-hint', id: 'form-set-in-force' });
  const editor = h('div', { class: 'form-editor', id: 'form-editor' });
  const result = h('div', { class: 'export-result', id: 'form-result', role: 'status' });
  menu.append(inForce);
  work.append(editor, result);
  if ((d.return || {}).method === 'post' && d.status_code === 10) work.append(delivery(d));
  let set = null;

  Promise.all([call('next_statuses', { code: d.code }), call('form_set_in_force')]).then(([next, inSet]) => {
    set = inSet;
    inForce.textContent = inForceLine(set);
    const has = (form) => set.forms.some((f) => f.form === form);
    // Under 2025 the plain move to 8 is not offered: the stop notice makes it.
    const can = (s) => next.includes(s) || d.status_code === s;
    const desk = may('issue_desk_form');
    const offered = [
      ['supplement', desk && can(5)],
      ['refusal', desk && can(3)],
      ['apology', may('issue_slip') && [2, 4, 5, 6].includes(d.status_code)],
      ['stop', has('stop') && may('transition') && STOPPABLE.includes(d.status_code)],
      ['control', desk],
    ];
    for (const [form, ok] of offered) {
      if (!ok) continue;
      const label = form === 'stop' ? t('ui.forms.stop_action') : formLabel(set, form);
      menu.append(h('button', { type: 'button', class: 'link', id: 'form-' + form, title: formLabel(set, form), onclick: () => open(form) }, icon('form'), label));
    }
    if (!menu.querySelector('button')) menu.remove();
  }, () => {});

  function open(form) {
    clear(result);
    const fields = h('div', { class: 'form-fields' });
    const submit = h('button', { type: 'submit', class: 'primary', id: 'form-issue' }, t('ui.forms.issue'));
    const el = h('form', { class: 'handover', id: 'form-' + form + '-editor', novalidate: true },
      h('h3', {}, formLabel(set, form)), fields,
      h('div', { class: 'actions' }, submit,
        h('button', { type: 'button', class: 'link', onclick: () => clear(editor) }, t('ui.cancel'))));
    const build = BUILDERS[form](fields, d);
    el.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      for (const e of el.querySelectorAll('.field-error')) e.textContent = '';
      for (const e of el.querySelectorAll('.invalid')) e.classList.remove('invalid');
      clear(result);
      submit.disabled = true;
      try {
        const r = await call('issue_form', { code: d.code, request: { form, ...build() }, open: false });
        clear(editor);
        result.className = 'export-result banner ok';
        // The clerk opens the paper with "Mở"; where it is kept is the app's business.
        const said = r.letter ? t('ui.forms.letter_issued', { number: r.number, letter: r.letter }) : t('ui.forms.issued', { number: r.number });
        result.append(h('span', { id: 'form-issued' }, said), ' ',
          h('button', { type: 'button', id: 'form-open', dataset: { path: r.path }, onclick: () => call('open_file', { path: r.path }).catch((e) => result.append(h('div', { class: 'field-error' }, e.message))) }, t('ui.open')));
        // The panel shows the new status or appointment; the result line stays with it.
        if (r.dossier.version !== d.version) { result.id = 'form-notice'; reopen(d.code, result); }
      } catch (e) {
        let placed = 0;
        for (const f of e.fields || []) {
          const at = el.querySelector(`[data-field="${CSS.escape(f.field)}"]`);
          if (at) {
            at.classList.add('invalid');
            const err = at.querySelector('.field-error');
            if (err) err.textContent = f.message;
            placed++;
          }
        }
        if (placed < (e.fields || []).length || !placed) {
          result.className = 'export-result banner error';
          result.append(h('span', { id: 'form-error' }, e.message));
        }
      } finally {
        submit.disabled = false;
      }
    });
    clear(editor).append(el);
    el.scrollIntoView({ block: 'nearest' });
    const first = el.querySelector('input, textarea');
    if (first) first.focus();
  }
}

// A row with its own error line, tagged with the field path the core names in its errors.
function cell(path, label, control) {
  return h('label', { class: 'cell', dataset: { field: path } }, label, control, h('span', { class: 'field-error', role: 'alert' }));
}

// Each builder lays out its form's fields and returns a function reading them back.
const BUILDERS = {
  supplement(fields, d) {
    const rows = h('div', { class: 'rows', id: 'missing-rows' });
    const renumber = () => [...rows.children].forEach((r, i) => {
      r.dataset.field = `supplement.missing[${i}]`;
      r.querySelector('.doc').dataset.field = `supplement.missing[${i}].document`;
      r.querySelector('.why').dataset.field = `supplement.missing[${i}].reason`;
    });
    const row = (document, reason) => {
      const r = h('div', { class: 'missing-row' },
        h('div', { class: 'doc' }, cell('', t('field.supplement.missing.document'), input({ class: 'missing-document', value: document }))),
        h('div', { class: 'why' }, cell('', t('field.supplement.missing.reason'), input({ class: 'missing-reason', value: reason }))),
        h('button', { type: 'button', class: 'link remove', title: t('ui.forms.remove'), 'aria-label': t('ui.forms.remove'), onclick: () => { r.remove(); renumber(); } }, '✕'));
      return r;
    };
    // Prefilled from the documents the dossier was received with: the clerk keeps the
    // missing ones, writes why, and removes the rest.
    for (const doc of d.documents) rows.append(row(doc.name, ''));
    if (!d.documents.length) rows.append(row('', ''));
    renumber();
    const guide = h('textarea', { rows: '2', id: 'supplement-guide' });
    fields.append(
      h('p', { class: 'hint' }, t('ui.forms.supplement_hint')),
      h('div', { class: 'field', dataset: { field: 'supplement.missing' } }, rows, h('span', { class: 'field-error', role: 'alert' })),
      h('button', { type: 'button', class: 'small', id: 'add-missing', onclick: () => { rows.append(row('', '')); renumber(); rows.lastChild.querySelector('input').focus(); } }, t('ui.forms.add_document')),
      cell('supplement.guide', t('field.supplement.guide'), guide));
    // A cell's data-field is on its wrapper so the core's paths find them.
    return () => ({
      missing: [...rows.children].map((r) => ({ document: r.querySelector('.missing-document').value, reason: r.querySelector('.missing-reason').value })),
      guide: guide.value,
    });
  },

  refusal(fields) {
    const rows = h('div', { class: 'rows', id: 'refusal-rows' });
    const renumber = () => [...rows.children].forEach((r, i) => { r.dataset.field = `refusal.reasons[${i}]`; });
    const row = () => {
      const r = h('div', { class: 'missing-row' },
        cell('', t('field.refusal.reasons'), input({ class: 'refusal-reason' })),
        h('button', { type: 'button', class: 'link remove', title: t('ui.forms.remove'), 'aria-label': t('ui.forms.remove'), onclick: () => { r.remove(); renumber(); } }, '✕'));
      return r;
    };
    rows.append(row());
    renumber();
    fields.append(
      h('p', { class: 'hint' }, t('ui.forms.refusal_hint')),
      h('div', { class: 'field', dataset: { field: 'refusal.reasons' } }, rows, h('span', { class: 'field-error', role: 'alert' })),
      h('button', { type: 'button', class: 'small', id: 'add-reason', onclick: () => { rows.append(row()); renumber(); rows.lastChild.querySelector('input').focus(); } }, t('ui.forms.add_reason')));
    return () => ({ reasons: [...rows.querySelectorAll('.refusal-reason')].map((i) => i.value) });
  },

  apology(fields) {
    const reason = h('textarea', { rows: '2', id: 'apology-reason' });
    const due = dateInput({ id: 'apology-new-due' });
    fields.append(
      h('p', { class: 'hint' }, t('ui.forms.apology_hint')),
      cell('apology.reason', t('field.apology.reason'), reason),
      cell('apology.new_due', t('field.apology.new_due'), due));
    return () => ({ reason: reason.value, new_due: due.value });
  },

  // A usual reason chosen, or the clerk's own words; what happens to fees already paid.
  stop(fields) {
    const choice = h('select', { id: 'stop-reason-choice' },
      ['request', 'not_completed', 'other'].map((k) => h('option', { value: k }, t('ui.forms.stop_reason.' + k))));
    const other = h('textarea', { rows: '2', id: 'stop-reason' });
    const otherCell = cell('stop.reason', t('ui.forms.stop_reason_other'), other);
    otherCell.hidden = true;
    choice.addEventListener('change', () => { otherCell.hidden = choice.value !== 'other'; if (!otherCell.hidden) other.focus(); });
    const fees = h('select', { id: 'stop-fees' },
      ['none', 'refunded', 'kept'].map((k) => h('option', { value: k }, t('ui.forms.fees.' + k))));
    fields.append(
      h('p', { class: 'hint' }, t('ui.forms.stop_hint')),
      cell('stop.reason_choice', t('ui.forms.stop_reason_choice'), choice),
      otherCell,
      cell('stop.fees', t('field.stop.fees'), fees));
    // The core reads a usual reason by its key.
    return () => ({ reason: choice.value === 'other' ? other.value : choice.value, fees: fees.value });
  },

  control(fields) {
    fields.append(h('p', { class: 'hint' }, t('ui.forms.control_hint')));
    return () => ({});
  },
};

// What the post says of a result it carried: delivered, or returned to the sender.
function delivery(d) {
  const status = h('select', { id: 'delivery-status' },
    h('option', { value: 'delivered' }, t('delivery.delivered')),
    h('option', { value: 'returned' }, t('delivery.returned')));
  const at = dateInput({ id: 'delivery-at' });
  const note = input({ id: 'delivery-note' });
  const result = h('div', { class: 'export-result', id: 'delivery-result', role: 'status' });
  const form = h('form', { class: 'handover', id: 'delivery-form', novalidate: true },
    h('h3', {}, t('ui.delivery.title')),
    cell('delivery.status', t('field.delivery.status'), status),
    cell('delivery.at', t('field.delivery.at'), at),
    cell('delivery.note', t('field.delivery.note'), note),
    h('button', { type: 'submit', class: 'primary', id: 'delivery-save' }, t('ui.delivery.save')),
    result);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const e of form.querySelectorAll('.field-error')) e.textContent = '';
    clear(result);
    try {
      const r = await call('record_delivery', { code: d.code, input: { status: status.value, note: note.value }, at: at.value || null });
      result.className = 'export-result banner ok';
      result.textContent = t('ui.delivery.saved', { status: t('delivery.' + r.status) });
    } catch (e) {
      let placed = 0;
      for (const f of e.fields || []) {
        const box = form.querySelector(`[data-field="${CSS.escape(f.field)}"] .field-error`);
        if (box) { box.textContent = f.message; placed++; }
      }
      if (!placed) { result.className = 'export-result banner error'; result.textContent = e.message; }
    }
  });
  return form;
}
