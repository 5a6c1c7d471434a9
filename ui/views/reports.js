// Reports: the Biểu 06 table for a period (this month, last month, this quarter, this year
// or two dates), by field and procedure with totals, the digitisation rate apart from it
// (the form is a legal one), and its exports (XLSX, CSV, PDF) with the register book. There is no file dialog: a path in the Documents folder is proposed,
// the clerk may edit it, and an existing file is replaced only after a second press.
import { call } from '../api.js';
import { t, lang } from '../i18n.js';
import { dateInput, dmy } from '../dates.js';
import { h, clear } from '../dom.js';
import { errorText } from './form.js';

const PERIODS = ['this_month', 'last_month', 'this_quarter', 'this_year', 'custom'];

// The counters under their group, in the order of the printed Biểu 06.
const GROUPS = [
  ['received', [['carried_over', 'received_carried_over'], ['online', 'received_online'], ['direct', 'received_direct'], ['total', 'received_total']]],
  ['resolved', [['early', 'resolved_early'], ['on_time', 'resolved_on_time'], ['late', 'resolved_late'], ['total', 'resolved_total']]],
  ['in_progress', [['within', 'in_progress_within'], ['overdue', 'in_progress_overdue'], ['total', 'in_progress_total']]],
  ['closed', [['total', 'closed_total']]],
  ['ratings', [['very_satisfied', 'rating_very_satisfied'], ['satisfied', 'rating_satisfied'], ['unsatisfied', 'rating_unsatisfied']]],
];

// The digitisation table: received in the period and digitised, resolved and with the
// result digitised, each with its rate (percent from the core, null: nothing to count).
const DIGITISATION = [
  ['dig_components', [['dig_received', (c) => (c.received_online || 0) + (c.received_direct || 0)], ['dig_full', (c) => c.components_digitised || 0], ['dig_rate', (c) => percent(c.components_digitised_percent), 'total']]],
  ['dig_results', [['dig_resolved', (c) => c.resolved_total || 0], ['dig_result', (c) => c.results_digitised || 0], ['dig_rate', (c) => percent(c.results_digitised_percent), 'total']]],
];

// 75 → "75,0 %" in Vietnamese, "75.0%" in English; "—" when there was nothing to count.
export function percent(value) {
  if (value === null || value === undefined) return '—';
  const n = Number(value).toFixed(1);
  return lang() === 'en' ? `${n}%` : `${n.replace('.', ',')} %`;
}

const EXPORTS = [
  ['report_xlsx', 'report', 'xlsx'],
  ['report_csv', 'report', 'csv'],
  ['report_pdf', 'report', 'pdf'],
  ['register', 'register', 'pdf'],
];

const iso = (y, m, d) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const lastDay = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();

// Today in Vietnam (UTC+7), whatever the computer's zone.
function vnToday() {
  const d = new Date(Date.now() + 7 * 3600 * 1000);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1 };
}

export function periodDates(name) {
  const { y, m } = vnToday();
  if (name === 'last_month') {
    const [py, pm] = m === 1 ? [y - 1, 12] : [y, m - 1];
    return [iso(py, pm, 1), iso(py, pm, lastDay(py, pm))];
  }
  if (name === 'this_quarter') {
    const first = Math.floor((m - 1) / 3) * 3 + 1;
    return [iso(y, first, 1), iso(y, first + 2, lastDay(y, first + 2))];
  }
  if (name === 'this_year') return [iso(y, 1, 1), iso(y, 12, 31)];
  return [iso(y, m, 1), iso(y, m, lastDay(y, m))];
}

export function renderReports(ctx, container) {
  const period = h('select', { id: 'report-period', 'aria-label': t('ui.report.period') },
    PERIODS.map((p) => h('option', { value: p }, t('ui.report.' + p))));
  const from = dateInput({ id: 'report-from', 'aria-label': t('field.from') });
  const to = dateInput({ id: 'report-to', 'aria-label': t('field.to') });
  const error = h('div', { class: 'field-error', id: 'report-error', role: 'alert' });
  const table = h('div', { class: 'report-table', id: 'report-table' });
  const range = h('p', { class: 'hint', id: 'report-range' });

  const what = h('select', { id: 'export-kind', 'aria-label': t('ui.export.what') },
    EXPORTS.map(([key]) => h('option', { value: key }, t('ui.export.' + key))));
  const path = h('input', { id: 'export-path', class: 'path', autocomplete: 'off', spellcheck: 'false', 'aria-label': t('ui.export.path') });
  const write = h('button', { type: 'button', class: 'primary', id: 'export-write' }, t('ui.export.write'));
  const result = h('div', { class: 'export-result', id: 'export-result', role: 'status' });

  const setDates = () => {
    if (period.value === 'custom') return;
    [from.value, to.value] = periodDates(period.value).map(dmy);
  };
  period.addEventListener('change', () => { setDates(); show(); });
  for (const el of [from, to]) el.addEventListener('change', () => { period.value = 'custom'; show(); });

  async function show() {
    error.textContent = '';
    try {
      const report = await call('report_figures', { from: from.value, to: to.value });
      range.textContent = t('ui.report.range', { from: dmy(report.from), to: dmy(report.to) })
        + ' · ' + t('ui.report.as_of', asOf(report));
      clear(table).append(...(report.rows.length
        ? [figures(report), h('h2', { class: 'digitisation-title' }, t('ui.report.digitisation')), digitisation(report)]
        : [h('p', { class: 'empty' }, t('ui.report.empty'))]));
    } catch (e) {
      clear(table);
      error.textContent = errorText(e);
    }
    suggest();
  }

  async function suggest() {
    const [, kind, format] = EXPORTS.find(([key]) => key === what.value);
    try {
      const r = await call('suggest_export_path', { kind, from: from.value, to: to.value, format });
      path.value = r.path;
    } catch (e) { /* the period's error is already shown */ }
    armed = false;
    clear(result);
  }
  what.addEventListener('change', suggest);

  // A first press on an existing file asks; a second press (Ghi đè) replaces it.
  let armed = false;
  path.addEventListener('input', () => { armed = false; clear(result); });
  async function exportFile(overwrite) {
    const [, kind, format] = EXPORTS.find(([key]) => key === what.value);
    clear(result);
    result.className = 'export-result';
    try {
      const target = await call('path_exists', { path: path.value });
      if (target.exists && !overwrite) {
        armed = true;
        result.className = 'export-result banner warn';
        result.append(h('span', { id: 'export-exists' }, t('ui.export.exists')), ' ',
          h('button', { type: 'button', id: 'export-overwrite', onclick: () => exportFile(true) }, t('ui.export.overwrite')),
          h('button', { type: 'button', class: 'link', onclick: () => { armed = false; clear(result); path.focus(); } }, t('ui.cancel')));
        return;
      }
      const written = kind === 'register'
        ? await call('export_register', { from: from.value, to: to.value, path: path.value })
        : await call('export_report', { from: from.value, to: to.value, format, path: path.value });
      armed = false;
      result.className = 'export-result banner ok';
      result.append(h('span', { id: 'export-written' }, t('ui.export.written', { path: written.path })), ' ',
        h('button', { type: 'button', id: 'export-open', onclick: () => call('open_file', { path: written.path }).catch((e) => { result.append(h('div', { class: 'field-error' }, e.message)); }) }, t('ui.open')));
    } catch (e) {
      result.className = 'export-result banner error';
      result.textContent = errorText(e);
    }
  }
  write.addEventListener('click', () => exportFile(armed));
  path.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); exportFile(armed); } });

  clear(container).append(h('div', { class: 'scroll' }, h('div', { class: 'reports', id: 'reports' },
    h('h1', {}, t('ui.report.title')),
    h('div', { class: 'filters report-period' },
      h('label', {}, t('ui.report.period'), period),
      h('label', {}, t('field.from'), from),
      h('label', {}, t('field.to'), to),
      h('button', { type: 'button', id: 'report-show', onclick: show }, t('ui.report.show'))),
    error, range, table,
    h('section', { class: 'card wide export', id: 'export' },
      h('h2', {}, t('ui.export.title')),
      h('div', { class: 'export-row' }, what, path, write),
      result))));
  setDates();
  show();
  period.focus();
  return {};
}

// The moment "in progress" was judged at: a period that has ended reads "24:00" of its last
// day rather than midnight of the next.
function asOf(report) {
  const m = /T(\d{2}:\d{2})/.exec(report.as_of || '');
  const time = m ? m[1] : '';
  return time === '00:00' ? { time: '24:00', date: dmy(report.to) } : { time, date: dmy(report.as_of) };
}

// Biểu 06: two header rows (groups, then their counters), a row per procedure under its
// field, and the totals.
function figures(report) {
  const top = h('tr', {},
    h('th', { rowspan: '2' }, t('ui.report.field')),
    h('th', { rowspan: '2' }, t('ui.report.procedure')),
    GROUPS.map(([group, cols]) => h('th', { colspan: String(cols.length), class: 'group' }, t('ui.report.' + group))));
  const sub = h('tr', {}, GROUPS.map(([, cols]) => cols.map(([label]) => h('th', { class: 'num' }, t('ui.report.' + label)))));
  const cells = (c) => GROUPS.map(([, cols]) => cols.map(([label, key]) =>
    h('td', { class: 'num' + (label === 'total' ? ' total' : ''), dataset: { key } }, String(c[key] || 0))));
  const rows = report.rows.map((r) => h('tr', { dataset: { procedure: r.procedure } },
    h('td', {}, r.field),
    h('td', {}, h('span', { class: 'code' }, r.procedure), ' ', r.procedure_name),
    cells(r)));
  const totals = h('tr', { class: 'totals', id: 'report-totals' },
    h('td', { colspan: '2' }, t('ui.report.totals')), cells(report.totals));
  return h('table', { class: 'dossiers figures' }, h('thead', {}, top, sub), h('tbody', {}, rows, totals));
}

// The digitisation rate by field and procedure, with its totals, under the same two-row head.
function digitisation(report) {
  const top = h('tr', {},
    h('th', { rowspan: '2' }, t('ui.report.field')),
    h('th', { rowspan: '2' }, t('ui.report.procedure')),
    DIGITISATION.map(([group, cols]) => h('th', { colspan: String(cols.length), class: 'group' }, t('ui.report.' + group))));
  const sub = h('tr', {}, DIGITISATION.map(([, cols]) => cols.map(([label]) => h('th', { class: 'num' }, t('ui.report.' + label)))));
  const cells = (c) => DIGITISATION.map(([group, cols]) => cols.map(([label, value, cls]) =>
    h('td', { class: 'num' + (cls ? ' ' + cls : ''), dataset: { key: group + '.' + label } }, String(value(c)))));
  const rows = report.rows.map((r) => h('tr', { dataset: { procedure: r.procedure } },
    h('td', {}, r.field),
    h('td', {}, h('span', { class: 'code' }, r.procedure), ' ', r.procedure_name),
    cells(r)));
  const totals = h('tr', { class: 'totals', id: 'digitisation-totals' },
    h('td', { colspan: '2' }, t('ui.report.totals')), cells(report.totals));
  return h('table', { class: 'dossiers figures digitisation', id: 'digitisation' }, h('thead', {}, top, sub), h('tbody', {}, rows, totals));
}
