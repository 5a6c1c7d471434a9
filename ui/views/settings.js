// Settings: every named setting (the same ones, validated the same way, as
// `motcua settings set`), the calendar's table of notices, the catalog, the desk's database
// and the outbox's destinations (views/outbox.js). This desk's own choices
// (printer, paper, language, scanner) apply when chosen; an office-wide value (the agency
// code on every future dossier, the first number, office hours, …) changes only through
// "Sửa", then "Lưu", then a confirmation that shows the old and the new value, and the core
// records both in the audit trail.
import { call } from '../api.js';
import { t, lang } from '../i18n.js';
import { dateInput } from '../dates.js';
import { h, clear, vnDate } from '../dom.js';
import { onSubmit, errorText, field } from './form.js';
import { inForceLine } from './forms.js';
import { outboxSection } from './outbox.js';

const GROUPS = [
  ['ui.settings.agency', ['agency-code', 'governing-body', 'unit', 'place', 'contact', 'first-number', 'form-set']],
  ['ui.settings.desk', ['printer', 'paper', 'language', 'scanner-port']],
  ['ui.settings.lookup', ['lookup-url', 'status-server', 'national-portal', 'public-status-keep-days']],
  ['ui.settings.wording', ['office-label', 'desk-phone', 'authorities']],
  ['ui.settings.time', ['office-hours', 'calendar.nov24-compensate', 'backup-keep', 'idle-lock-minutes']],
];

const CHOICES = {
  paper: [['a5', 'A5'], ['a4', 'A4'], ['80mm', '80 mm']],
  language: [['vi', 'Tiếng Việt'], ['en', 'English']],
  'calendar.nov24-compensate': [['false', null], ['true', null]],
  'form-set': [['tt01-2018', null], ['tt03-2025', null]],
  'national-portal': [['false', null], ['true', null]],
};

export async function renderSettings(ctx, container) {
  const page = h('div', { class: 'settings', id: 'settings' }, h('h1', {}, t('ui.settings.title')));
  clear(container).append(h('div', { class: 'scroll' }, page));
  let settings;
  try {
    settings = await call('settings_list');
  } catch (e) {
    page.append(h('div', { class: 'banner error', role: 'alert' }, e.message));
    return {};
  }
  const printers = await call('list_printers').catch(() => []);
  const ports = await call('list_serial_ports').catch(() => []);
  const byKey = new Map(settings.map((s) => [s.key, s]));
  const placed = new Set();

  const section = (title, keys) => {
    const rows = keys.filter((k) => byKey.has(k)).map((k) => { placed.add(k); return settingRow(byKey.get(k)); });
    return rows.length ? h('section', { class: 'card wide' }, h('h2', {}, t(title)), rows) : null;
  };
  // Every section is ready before any is shown: a field the clerk (or a scanner) is
  // already typing into never loses the focus to a section arriving late.
  const [noticeBox, catalogBox, databaseBox, outboxBox] = await Promise.all([notices(), catalogEditor(), database(), outboxSection()]);
  page.append(...GROUPS.map(([title, keys]) => section(title, keys)));
  const others = settings.map((s) => s.key).filter((k) => !placed.has(k));
  if (others.length) page.append(section('ui.settings.other', others));
  page.append(noticeBox, catalogBox, databaseBox, outboxBox);
  // Nothing is focused or selected on arrival: a stray key must not edit a setting.
  return {};

  function settingRow(s) {
    const id = 'setting-' + s.key.replace(/[^a-z0-9]+/g, '-');
    let control;
    if (s.key === 'printer') {
      control = h('select', { id },
        h('option', { value: '' }, t('ui.settings.default_printer')),
        printers.map((p) => h('option', { value: p.name, selected: p.name === s.value }, p.name + (p.default ? ' *' : ''))));
      if (s.value && !printers.some((p) => p.name === s.value)) control.append(h('option', { value: s.value, selected: true }, s.value));
    } else if (CHOICES[s.key]) {
      control = h('select', { id }, CHOICES[s.key].map(([v, label]) =>
        h('option', { value: v, selected: v === s.value }, label || t('ui.settings.' + v))));
    } else {
      control = h('input', { id, value: s.value, autocomplete: 'off', spellcheck: 'false', list: s.key === 'scanner-port' ? 'serial-ports' : null });
    }
    if (!s.desk) return officeRow(s, id, control);
    const error = h('div', { class: 'field-error', id: id + '-error', role: 'alert' });
    const saved = h('span', { class: 'saved', id: id + '-saved', 'aria-live': 'polite' });
    const box = h('div', { class: 'field setting', dataset: { key: s.key } },
      h('label', { for: id }, t('setting.' + s.key), s.desk ? h('span', { class: 'tag' }, t('ui.settings.this_desk')) : null),
      h('div', { class: 'setting-row' }, control, saved),
      h('div', { class: 'hint' }, t('setting.' + s.key + '.hint')),
      error,
      s.key === 'scanner-port' ? h('datalist', { id: 'serial-ports' }, ports.map((p) => h('option', { value: p }))) : null);
    let last = s.value;
    const save = async () => {
      const value = control.value;
      if (value === last) return;
      error.textContent = ''; saved.textContent = '';
      box.classList.remove('invalid');
      try {
        // The serial scanner's port also restarts its reader.
        const r = s.key === 'scanner-port'
          ? (await call('set_scanner_port', { port: value }), { value: value.trim() })
          : await call('settings_set', { key: s.key, value });
        last = r.value;
        if (control.tagName === 'INPUT') control.value = r.value;
        saved.textContent = '✓ ' + t('cli.saved');
        if (s.key === 'language' && r.value !== lang()) await ctx.setLanguage(r.value);
        if (s.key === 'unit') ctx.refreshTitle();
      } catch (e) {
        box.classList.add('invalid');
        error.textContent = errorText(e);
      }
    };
    control.addEventListener('change', save);
    control.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); save(); } });
    return box;
  }

  // An office-wide value: shown, changed only on purpose.
  function officeRow(s, id, control) {
    const shown = (v) => {
      const choice = (CHOICES[s.key] || []).find(([c]) => c === v);
      if (choice) return choice[1] || t('ui.settings.' + v);
      return v === '' ? '—' : v;
    };
    let last = s.value;
    const current = h('span', { class: 'setting-value', id: id + '-value' }, shown(last));
    const edit = h('button', { type: 'button', class: 'small', id: id + '-edit' }, t('ui.settings.edit'));
    const save = h('button', { type: 'button', class: 'primary small', id: id + '-save' }, t('ui.settings.save'));
    const cancel = h('button', { type: 'button', class: 'link', id: id + '-cancel' }, t('ui.cancel'));
    const confirmBox = h('div', { class: 'confirm banner warn', id: id + '-confirm', role: 'alertdialog', hidden: true });
    const editing = h('div', { class: 'setting-row', hidden: true }, control, save, cancel);
    const error = h('div', { class: 'field-error', id: id + '-error', role: 'alert' });
    const saved = h('span', { class: 'saved', id: id + '-saved', 'aria-live': 'polite' });
    const box = h('div', { class: 'field setting', dataset: { key: s.key } },
      h('label', { for: id }, t('setting.' + s.key)),
      h('div', { class: 'setting-row', id: id + '-view' }, current, edit, saved),
      editing, confirmBox,
      h('div', { class: 'hint' }, t('setting.' + s.key + '.hint')),
      error);
    // The form set says which circular is in force and since when the office prints it.
    const inForce = s.key === 'form-set' ? h('div', { class: 'hint', id: 'settings-form-set-in-force' }) : null;
    const showInForce = () => inForce && call('form_set_in_force').then((set) => { inForce.textContent = inForceLine(set); }, () => {});
    if (inForce) { box.append(inForce); showInForce(); }
    const view = box.querySelector('#' + CSS.escape(id + '-view'));
    const close = () => {
      editing.hidden = true; confirmBox.hidden = true; view.hidden = false;
      control.value = last;
      edit.focus();
    };
    edit.addEventListener('click', () => {
      saved.textContent = ''; error.textContent = ''; box.classList.remove('invalid');
      view.hidden = true; editing.hidden = false;
      control.focus();
    });
    cancel.addEventListener('click', close);
    const ask = () => {
      const value = control.value;
      if (value === last) { close(); return; }
      clear(confirmBox).append(
        h('p', { id: id + '-confirm-text' }, t('ui.settings.confirm_change', { name: t('setting.' + s.key), old: shown(last), new: shown(value) })),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'primary', id: id + '-confirm-yes', onclick: () => apply(value) }, t('ui.settings.confirm_yes')),
          h('button', { type: 'button', class: 'link', onclick: () => { confirmBox.hidden = true; editing.hidden = false; control.focus(); } }, t('ui.cancel'))));
      editing.hidden = true; confirmBox.hidden = false;
      confirmBox.querySelector('button').focus();
    };
    save.addEventListener('click', ask);
    control.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') { ev.preventDefault(); ask(); }
      if (ev.key === 'Escape') { ev.preventDefault(); close(); }
    });
    async function apply(value) {
      error.textContent = ''; box.classList.remove('invalid');
      try {
        const r = await call('settings_set', { key: s.key, value });
        last = r.value;
        current.textContent = shown(last);
        close();
        saved.textContent = '✓ ' + t('cli.saved');
        if (s.key === 'unit') ctx.refreshTitle();
        showInForce();
      } catch (e) {
        confirmBox.hidden = true; editing.hidden = false;
        box.classList.add('invalid');
        error.textContent = errorText(e);
        control.focus();
      }
    }
    return box;
  }
}

// The notice table: extra days off and make-up working days from the government's yearly
// notices; the appointment of every new dossier follows it.
async function notices() {
  const box = h('section', { class: 'card wide', id: 'notices' }, h('h2', {}, t('ui.settings.notices')),
    h('p', { class: 'hint' }, t('ui.settings.notices_hint')));
  const body = h('tbody');
  const form = h('form', { class: 'notice-add', id: 'notice-add', novalidate: true });
  const date = dateInput({ name: 'date', id: 'notice-date', required: true });
  const kind = h('select', { name: 'kind', id: 'notice-kind' },
    h('option', { value: 'off' }, t('cli.day_off')), h('option', { value: 'work' }, t('cli.working_day')));
  const reason = h('input', { name: 'reason', id: 'notice-reason', autocomplete: 'off' });
  const reference = h('input', { name: 'reference', id: 'notice-reference', autocomplete: 'off' });
  const error = h('div', { class: 'field-error', role: 'alert', id: 'notice-error' });
  form.append(
    h('label', {}, t('field.notice.date'), date),
    h('label', {}, t('ui.settings.kind'), kind),
    h('label', { class: 'grow' }, t('field.notice.reason'), reason),
    h('label', { class: 'grow' }, t('field.notice.reference'), reference),
    h('button', { type: 'submit', class: 'primary', id: 'notice-save' }, t('ui.settings.add')),
    error);
  const load = async () => {
    clear(body);
    const all = await call('calendar_notices').catch(() => []);
    const year = new Date().getFullYear();
    for (const n of all.filter((n) => Number(n.date.slice(0, 4)) >= year - 1)) {
      body.append(h('tr', {},
        h('td', { class: 'nowrap' }, vnDate(n.date)),
        h('td', {}, n.kind === 'work' ? t('cli.working_day') : t('cli.day_off')),
        h('td', {}, n.reason),
        h('td', { class: 'hint' }, n.reference),
        h('td', {}, h('button', { type: 'button', class: 'link', onclick: async () => { await call('calendar_remove', { date: n.date }); load(); } }, t('ui.settings.remove')))));
    }
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    try {
      await call('calendar_add', { date: date.value, work: kind.value === 'work', reason: reason.value, reference: reference.value });
      form.reset();
      load();
    } catch (e) {
      error.textContent = errorText(e);
    }
  });
  box.append(h('table', { class: 'dossiers notices' },
    h('thead', {}, h('tr', {}, h('th', {}, t('field.notice.date')), h('th', {}, t('ui.settings.kind')), h('th', {}, t('field.notice.reason')), h('th', {}, t('field.notice.reference')), h('th', {}, ''))),
    body), form);
  await load();
  return box;
}

// The procedure catalog: what the intake's picker offers. A province edits it to its own
// codes (the land procedure ships with the placeholder DD.001), time limits and documents.
async function catalogEditor() {
  const box = h('section', { class: 'card wide', id: 'catalog' }, h('h2', {}, t('ui.catalog.title')),
    h('p', { class: 'hint' }, t('ui.catalog.hint')));
  const body = h('tbody');
  const editor = h('div', { id: 'procedure-editor' });
  const limitText = (l) => l.unit === 'same_day'
    ? t('ui.catalog.same_day', { cutoff: (l.cutoff || '').slice(0, 5) })
    : t('ui.catalog.' + l.unit, { days: l.days });
  const load = async () => {
    clear(body);
    let list = [];
    try { list = await call('catalog'); } catch (e) { box.append(h('div', { class: 'banner error', role: 'alert' }, e.message)); }
    for (const p of list) {
      body.append(h('tr', { class: p.active ? '' : 'inactive', dataset: { code: p.code } },
        h('td', { class: 'code' }, p.code),
        h('td', {}, p.name),
        h('td', {}, p.field),
        h('td', { class: 'nowrap' }, limitText(p.limit)),
        h('td', {}, p.active ? t('ui.catalog.active') : t('ui.catalog.inactive')),
        h('td', {}, h('button', { type: 'button', class: 'link edit-procedure', onclick: () => edit(p) }, t('ui.catalog.edit')))));
    }
  };
  const blank = { code: '', name: '', field: '', limit: { unit: 'working_days', days: 1 }, pause_policy: 'extend', fee_text: '', documents: [], active: true };

  function edit(p) {
    const original = p.code;
    const docs = h('tbody');
    const docRow = (d) => {
      const row = h('tr', { class: 'doc' },
        h('td', {}, h('input', { name: 'doc-name', value: d.name, 'aria-label': t('field.procedure.documents.name') })),
        h('td', {}, h('input', { name: 'doc-originals', type: 'number', min: '0', max: '99', value: d.originals, 'aria-label': t('field.procedure.documents.originals') })),
        h('td', {}, h('input', { name: 'doc-copies', type: 'number', min: '0', max: '99', value: d.copies, 'aria-label': t('field.procedure.documents.copies') })),
        h('td', { class: 'center' }, h('input', { name: 'doc-from-data', type: 'checkbox', checked: !!d.from_data, 'aria-label': t('field.procedure.documents.from_data') })),
        h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => row.remove() }, t('ui.settings.remove'))));
      docs.append(row);
    };
    p.documents.forEach(docRow);
    const unit = h('select', { name: 'unit', id: 'procedure-unit' },
      ['working_days', 'calendar_days', 'same_day'].map((u) => h('option', { value: u, selected: u === p.limit.unit }, t('ui.catalog.unit.' + u))));
    const days = h('input', { name: 'days', id: 'procedure-days', type: 'number', min: '0', max: '365', value: p.limit.days ?? 1 });
    const cutoff = h('input', { name: 'cutoff', id: 'procedure-cutoff', type: 'time', value: (p.limit.cutoff || '15:00').slice(0, 5) });
    const form = h('form', { class: 'procedure-form', id: 'procedure-form', novalidate: true },
      h('h3', {}, original ? t('ui.catalog.editing', { code: original }) : t('ui.catalog.new')),
      h('div', { class: 'grid2' },
        field('procedure.code', t('field.procedure.code'), h('input', { name: 'code', id: 'procedure-code', value: p.code, autocomplete: 'off', spellcheck: 'false' })),
        field('procedure.field', t('field.procedure.field'), h('input', { name: 'field', id: 'procedure-field', value: p.field, autocomplete: 'off' }))),
      field('procedure.name', t('field.procedure.name'), h('input', { name: 'name', id: 'procedure-name', value: p.name, autocomplete: 'off' })),
      h('div', { class: 'grid2' },
        field('procedure.limit', t('field.procedure.limit'), h('div', { class: 'setting-row' }, unit, days, cutoff)),
        field('procedure.pause_policy', t('field.procedure.pause_policy'), h('select', { name: 'pause_policy', id: 'procedure-pause' },
          ['extend', 'restart'].map((v) => h('option', { value: v, selected: v === p.pause_policy }, t('ui.catalog.pause.' + v)))))),
      field('procedure.fee_text', t('field.procedure.fee_text'), h('input', { name: 'fee_text', id: 'procedure-fee', value: p.fee_text, autocomplete: 'off' })),
      field('procedure.documents', t('field.procedure.documents'), h('table', { class: 'docs' },
        h('thead', {}, h('tr', {}, h('th', {}, t('field.procedure.documents.name')), h('th', {}, t('field.procedure.documents.originals')), h('th', {}, t('field.procedure.documents.copies')), h('th', { title: t('ui.catalog.from_data_hint') }, t('field.procedure.documents.from_data')), h('th', {}))),
        docs)),
      h('button', { type: 'button', class: 'link', id: 'procedure-add-doc', onclick: () => docRow({ name: '', originals: 1, copies: 0 }) }, t('ui.catalog.add_document')),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'active', id: 'procedure-active', checked: p.active }), t('ui.catalog.offered')),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'any_desk', id: 'procedure-any-desk', checked: !!p.any_desk }), t('field.procedure.any_desk')),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', id: 'procedure-save' }, t('ui.save')),
        h('button', { type: 'button', class: 'link', onclick: () => clear(editor) }, t('ui.cancel'))));
    const showLimit = () => { days.hidden = unit.value === 'same_day'; cutoff.hidden = unit.value !== 'same_day'; };
    unit.addEventListener('change', showLimit);
    showLimit();
    onSubmit(form, async (data) => {
      const limit = unit.value === 'same_day'
        ? { unit: 'same_day', cutoff: (cutoff.value || '15:00') + ':00' }
        : { unit: unit.value, days: Number(days.value || 0) };
      const procedure = {
        code: data.get('code') || '', name: data.get('name') || '', field: data.get('field') || '',
        limit, pause_policy: data.get('pause_policy'), fee_text: data.get('fee_text') || '',
        documents: [...docs.querySelectorAll('tr.doc')].map((r) => ({
          name: r.querySelector('[name=doc-name]').value,
          originals: Number(r.querySelector('[name=doc-originals]').value || 0),
          copies: Number(r.querySelector('[name=doc-copies]').value || 0),
          required: true,
          from_data: r.querySelector('[name=doc-from-data]').checked,
        })),
        active: form.querySelector('#procedure-active').checked,
        any_desk: form.querySelector('#procedure-any-desk').checked,
      };
      await call('save_procedure', { procedure, replaces: original && original !== procedure.code ? original : null });
      clear(editor);
      await load();
    });
    clear(editor).append(form);
    form.querySelector('#procedure-code').focus();
  }

  box.append(
    h('table', { class: 'accounts', id: 'catalog-table' },
      h('thead', {}, h('tr', {}, ['field.procedure.code', 'field.procedure.name', 'field.procedure.field', 'field.procedure.limit', 'ui.accounts.state', ''].map((k) => h('th', {}, k ? t(k) : '')))),
      body),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'link', id: 'procedure-new', onclick: () => edit({ ...blank }) }, t('ui.catalog.new'))),
    editor);
  await load();
  return box;
}

// This desk's database: kept in its configuration file, not in the database. Switching
// tests the connection first and takes effect when the app is opened again. Passwords are
// never shown (the core hides them as ***).
async function database() {
  const box = h('section', { class: 'card wide', id: 'database' }, h('h2', {}, t('ui.db.title')));
  const facts = h('dl', { id: 'database-facts' });
  const location = h('input', { id: 'database-location', autocomplete: 'off', spellcheck: 'false', placeholder: 'postgres://…  /srv/motcua/motcua.db' });
  const save = h('button', { type: 'button', class: 'primary', id: 'database-save' }, t('ui.db.test_save'));
  const error = h('div', { class: 'field-error', id: 'database-error', role: 'alert' });
  const result = h('div', { class: 'export-result', id: 'database-result', role: 'status' });
  const show = (v) => {
    const row = (label, value, id) => h('div', { class: 'kv' }, h('dt', {}, label), h('dd', { id }, value));
    clear(facts).append(
      row(t('ui.db.current'), v.database, 'database-current'),
      row(t('ui.db.source'), t('ui.db.source.' + v.source), 'database-source'),
      v.configured && v.source !== 'file' ? row(t('ui.db.configured'), v.configured, 'database-configured') : null,
      row(t('ui.db.file'), v.file, 'database-file'));
  };
  try { show(await call('database_config')); } catch (e) { error.textContent = e.message; }
  const submit = async () => {
    error.textContent = '';
    result.className = 'export-result';
    result.textContent = t('ui.db.testing');
    save.disabled = true;
    try {
      const v = await call('choose_database', { location: location.value });
      show(v);
      location.value = '';
      result.className = 'export-result banner ok';
      result.textContent = t('ui.db.saved', { database: v.configured });
      if (v.source === 'flag' || v.source === 'env') result.append(h('div', {}, t('ui.db.overridden')));
    } catch (e) {
      result.className = 'export-result';
      result.textContent = '';
      error.textContent = errorText(e);
    } finally {
      save.disabled = false;
    }
  };
  save.addEventListener('click', submit);
  location.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); submit(); } });
  box.append(facts,
    h('div', { class: 'field setting', dataset: { field: 'database' } },
      h('label', { for: 'database-location' }, t('ui.db.new')),
      h('div', { class: 'setting-row' }, location, save),
      h('div', { class: 'hint' }, t('ui.db.hint')),
      error),
    result);
  return box;
}
