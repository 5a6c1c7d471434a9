// Batch hand-over between the desk and the processing unit: dossiers are added by scanning
// their receipts (a scan adds to the list here instead of opening the dossier), by typing
// their codes, or from the lists' check boxes; one press moves them all, or none, and
// writes the hand-over list both sides sign.
import { call } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, vnTime } from '../dom.js';
import { onScan, looksLikeIdCard } from '../scanner.js';
import { field, clearFieldErrors, showFieldErrors } from './form.js';

export function renderTransfer(ctx, container, initial, direction) {
  const items = []; // {code, version, applicant_name, procedure_name, due_at, status_code}
  const code = h('input', { id: 'transfer-code', autocomplete: 'off', spellcheck: 'false', placeholder: t('ui.transfer.code_hint') });
  const add = h('button', { type: 'button', id: 'transfer-add' }, t('ui.transfer.add'));
  const addError = h('div', { class: 'field-error', id: 'transfer-add-error', role: 'alert' });
  const body = h('tbody', { id: 'transfer-items' });
  const count = h('span', { id: 'transfer-count', class: 'hint' });
  const toUnit = h('input', { type: 'radio', name: 'direction', value: 'to_unit', id: 'direction-to-unit', checked: direction !== 'back' });
  const back = h('input', { type: 'radio', name: 'direction', value: 'back', id: 'direction-back', checked: direction === 'back' });
  const unit = h('input', { autocomplete: 'off' });
  // Usually the person signed in carries the dossiers; they may name someone else.
  const session = (ctx.state && ctx.state.session) || {};
  const giver = h('input', { autocomplete: 'off', value: session.display_name || '' });
  const receiver = h('input', { autocomplete: 'off' });
  const note = h('textarea', { rows: '2' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'transfer-submit' }, t('ui.transfer.submit'));
  const result = h('div', { class: 'export-result', id: 'transfer-result', role: 'status' });
  const confirmBox = h('div', { class: 'confirm banner', id: 'transfer-confirm', role: 'alertdialog', hidden: true });

  const form = h('form', { class: 'transfer', id: 'transfer-form', novalidate: true },
    h('section', { class: 'col' },
      h('h2', {}, t('ui.transfer.title')),
      h('p', { class: 'hint' }, t('ui.transfer.hint')),
      h('div', { class: 'field', dataset: { field: 'transfer.codes' } },
        h('label', { for: 'transfer-code' }, t('ui.transfer.code')),
        h('div', { class: 'setting-row' }, code, add),
        addError,
        h('div', { class: 'field-error', role: 'alert' })),
      h('div', { class: 'list-head' }, count),
      h('table', { class: 'dossiers' },
        h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, t('cli.code')), h('th', {}, t('ui.col.applicant')),
          h('th', {}, t('cli.procedure')), h('th', {}, t('cli.due_at')), h('th', {}, t('cli.status')), h('th', {}, ''))),
        body)),
    h('section', { class: 'col side' },
      h('fieldset', { class: 'return field', dataset: { field: 'transfer.direction' } },
        h('legend', {}, t('field.transfer.direction')),
        h('label', {}, toUnit, ' ', t('transfer.to_unit')),
        h('label', {}, back, ' ', t('transfer.back')),
        h('div', { class: 'field-error', role: 'alert' })),
      field('transfer.unit', t('field.transfer.unit'), unit),
      field('transfer.giver', t('field.transfer.giver'), giver),
      field('transfer.receiver', t('field.transfer.receiver'), receiver),
      field('transfer.note', t('field.transfer.note'), note),
      submit,
      confirmBox,
      result));

  function redraw() {
    clear(body);
    if (!items.length) body.append(h('tr', {}, h('td', { colspan: '7', class: 'empty' }, t('ui.transfer.empty'))));
    items.forEach((d, i) => body.append(h('tr', { dataset: { code: d.code } },
      h('td', {}, String(i + 1)),
      h('td', { class: 'code' }, d.code),
      h('td', {}, d.applicant_name),
      h('td', { class: 'proc' }, d.procedure_name),
      h('td', { class: 'nowrap' }, vnTime(d.due_at)),
      h('td', {}, h('span', { class: 'status s' + d.status_code }, t('status.' + d.status_code))),
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => { items.splice(i, 1); redraw(); } }, t('ui.transfer.remove'))))));
    count.textContent = t('ui.transfer.count', { n: items.length });
  }

  // A code typed or scanned: looked up, so the clerk sees whose dossier went on the list.
  async function addCode(text) {
    addError.textContent = '';
    const typed = text.trim();
    if (!typed) return;
    try {
      const found = /^\s*(MC1:|https?:\/\/)/i.test(typed) ? (await call('scan_slip', { input: typed })).code : typed;
      const view = await call('get_dossier', { code: found });
      const d = view.dossier;
      if (items.some((x) => x.code === d.code)) {
        addError.textContent = t('ui.transfer.already', { code: d.code });
      } else {
        items.push({ code: d.code, version: d.version, applicant_name: d.applicant.name, procedure_name: d.procedure.name, due_at: d.due_at, status_code: d.status_code });
        // Hand-over to processing proposes the competent authority an any-desk dossier names.
        if (d.authority && toUnit.checked && !unit.value.trim()) unit.value = d.authority;
        redraw();
      }
      code.value = '';
    } catch (e) {
      addError.textContent = e.message;
    }
    code.focus();
  }
  add.addEventListener('click', () => addCode(code.value));
  code.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); addCode(code.value); } });
  onScan((text) => { if (looksLikeIdCard(text)) return false; addCode(text); return true; });

  // Nothing moves before the clerk has seen what will: how many, which, to whom.
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    clear(result);
    const toUnitNow = !back.checked;
    clear(confirmBox).append(
      h('p', { id: 'transfer-confirm-text' }, t(toUnitNow ? 'ui.transfer.confirm_to_unit' : 'ui.transfer.confirm_back', {
        n: items.length, unit: unit.value.trim() || '—', giver: giver.value.trim() || '—', receiver: receiver.value.trim() || '—',
      })),
      h('ul', { class: 'confirm-codes' }, items.map((d) => h('li', {}, d.code, ' – ', d.applicant_name))),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', id: 'transfer-confirm-yes', onclick: move }, t('ui.transfer.confirm_yes')),
        h('button', { type: 'button', class: 'link', id: 'transfer-confirm-no', onclick: () => { confirmBox.hidden = true; submit.hidden = false; submit.focus(); } }, t('ui.cancel'))));
    confirmBox.hidden = false;
    submit.hidden = true;
    confirmBox.querySelector('#transfer-confirm-yes').focus();
    confirmBox.scrollIntoView({ block: 'nearest' });
  });

  async function move() {
    confirmBox.hidden = true;
    submit.hidden = false;
    clear(result);
    result.className = 'export-result';
    submit.disabled = true;
    try {
      const r = await call('transfer_dossiers', {
        input: {
          items: items.map((d) => ({ code: d.code, version: d.version })),
          direction: back.checked ? 'back' : 'to_unit',
          unit: unit.value, giver: giver.value, receiver: receiver.value, note: note.value,
        },
        open: false,
      });
      items.splice(0, items.length);
      redraw();
      result.className = 'export-result banner ok';
      // The clerk opens the list with "Mở"; where it is kept is the app's business.
      result.append(h('span', { id: 'transfer-done' }, t('ui.transfer.done', { n: r.batch.rows.length, batch: r.batch.id })), ' ',
        h('button', { type: 'button', id: 'transfer-open', dataset: { path: r.path }, onclick: () => call('open_file', { path: r.path }).catch((e) => result.append(h('div', { class: 'field-error' }, e.message))) }, t('ui.open')));
    } catch (e) {
      // Which dossier and why; nothing was moved.
      if (e.fields && e.fields.length) showFieldErrors(form, e);
      result.className = 'export-result banner error';
      result.append(h('strong', {}, t('ui.transfer.refused')), ' ', h('span', { id: 'transfer-error' }, e.message));
    } finally {
      submit.disabled = false;
    }
  }

  clear(container).append(h('div', { class: 'scroll' }, form));
  redraw();
  (async () => { for (const c of initial) await addCode(c); })();
  code.focus();
  return {};
}
