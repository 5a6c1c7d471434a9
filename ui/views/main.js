// The desk's lists: today's intake, due today, overdue, ready to collect, and every dossier
// with filters; search by name, code, ID number or phone; a dossier opens beside the list.
import { call } from '../api.js';
import { t } from '../i18n.js';
import { dateInput } from '../dates.js';
import { h, clear, vnTime } from '../dom.js';
import { onScan, looksLikeIdCard } from '../scanner.js';
import { renderDossier, overdue } from './dossier.js';
import { may } from '../permissions.js';

const PAGE = 50;
const LISTS = ['today', 'due_today', 'overdue', 'ready', 'all'];

export function renderMain(ctx, container, search) {
  const tabs = h('nav', { class: 'tabs', role: 'tablist' });
  const filters = h('form', { class: 'filters', id: 'filters', hidden: true });
  const heading = h('h2', { id: 'list-title' });
  const list = h('div', { id: 'dossier-list', class: 'list' });
  const pager = h('div', { class: 'pager', id: 'pager' });
  // Dossiers ticked on the lists, to hand over together on the hand-over screen.
  const selected = new Set();
  const handOver = h('button', { type: 'button', class: 'primary', id: 'transfer-selected', hidden: true, onclick: () => ctx.transfer([...selected]) });
  const selection = (code, on) => {
    if (on) selected.add(code); else selected.delete(code);
    handOver.hidden = selected.size === 0;
    handOver.textContent = t('ui.transfer.selected', { n: selected.size });
  };
  const detail = h('aside', { id: 'detail', class: 'detail', hidden: true, tabindex: '-1' });
  let current = 'today';
  let offset = 0;
  let searching = '';

  for (const name of LISTS) {
    tabs.append(h('button', {
      role: 'tab', id: 'tab-' + name, type: 'button',
      onclick: () => { searching = ''; search.value = ''; show(name, 0); },
    }, t('ui.list.' + name)));
  }

  const status = h('select', { name: 'status', id: 'filter-status' },
    h('option', { value: '' }, t('ui.filter.any_status')),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((s) => h('option', { value: String(s) }, t('status.' + s))));
  const from = dateInput({ name: 'from', id: 'filter-from' });
  const to = dateInput({ name: 'to', id: 'filter-to' });
  const procedure = h('select', { name: 'procedure', id: 'filter-procedure' }, h('option', { value: '' }, t('ui.filter.any_procedure')));
  call('procedures', {}).then((ps) => ps.forEach((p) => procedure.append(h('option', { value: p.code }, `${p.code} – ${p.name}`))), () => {});
  filters.append(
    h('label', {}, t('cli.status'), status),
    h('label', {}, t('field.from'), from),
    h('label', {}, t('field.to'), to),
    h('label', { class: 'grow' }, t('cli.procedure'), procedure));
  filters.addEventListener('change', () => show('all', 0));
  filters.addEventListener('submit', (ev) => { ev.preventDefault(); show('all', 0); });

  const dashboard = h('div', { class: 'dashboard', id: 'dashboard' });
  clear(container).append(h('div', { class: 'workspace' },
    h('section', { class: 'listpane' }, dashboard, tabs, filters, h('div', { class: 'list-head' }, heading, handOver), list, pager), detail));

  // The day at a glance; each figure opens its list.
  async function figures() {
    try {
      const f = await call('dashboard_figures');
      const rate = f.month_on_time_rate === null || f.month_on_time_rate === undefined
        ? '—' : `${Math.round(f.month_on_time_rate * 100)}%`;
      const share = (r) => (r === null || r === undefined ? '—' : `${Math.round(r * 100)}%`);
      const counted = ['rate', 'digitised'];
      const tile = (name, value, cls, title) => h('button', { type: 'button', class: 'tile ' + (cls || ''), id: 'dash-' + name, title: title || '', onclick: () => !counted.includes(name) && show(name, 0) },
        h('strong', {}, String(value)), h('span', {}, t('ui.dash.' + name)));
      // This month's digitisation: every component of the dossiers received · the results.
      const digitised = tile('digitised', `${share(f.month_components_rate)} · ${share(f.month_results_rate)}`, '',
        t('ui.dash.digitised_detail', { full: f.month_components_digitised, received: f.month_received, results: f.month_results_digitised, resolved: f.month_resolved }));
      const time = (/T(\d{2}:\d{2})/.exec(f.as_of || '') || [])[1] || '';
      clear(dashboard).append(
        tile('due_today', f.due_today), tile('overdue', f.overdue, f.overdue ? 'alert' : ''),
        tile('ready', f.ready_not_collected), tile('rate', rate), digitised,
        h('span', { class: 'as-of', id: 'dash-as-of' }, t('ui.dash.as_of', { time })));
    } catch (e) { clear(dashboard); }
  }
  figures();

  async function show(name, at) {
    current = name; offset = at;
    filters.hidden = name !== 'all';
    for (const b of tabs.children) b.setAttribute('aria-selected', String(b.id === 'tab-' + name));
    heading.textContent = t('ui.list.' + name + '.title');
    const query = { limit: PAGE, offset };
    if (name === 'today') query.date = 'today';
    else if (name === 'all') {
      if (status.value) query.status = Number(status.value);
      if (from.value) query.from = from.value;
      if (to.value) query.to = to.value;
      if (procedure.value) query.procedure = procedure.value;
    } else query.worklist = name;
    await fill(() => call('list_dossiers', { query }), t('ui.list.' + name + '.empty'));
    if (at === 0) figures();
  }

  async function showSearch(text) {
    searching = text;
    heading.textContent = t('ui.search.title', { text });
    for (const b of tabs.children) b.setAttribute('aria-selected', 'false');
    filters.hidden = true;
    await fill(async () => ({ rows: await call('search_dossiers', { text }), has_more: false }), t('ui.search.empty'));
  }

  // Only the latest request draws: a slow answer for a tab left a moment ago must not
  // replace the list the clerk has just chosen.
  let drawing = 0;
  async function fill(load, emptyText) {
    const mine = ++drawing;
    try {
      const page = await load();
      if (mine !== drawing) return;
      clear(list).append(page.rows.length ? table(page.rows, open, selected, selection) : h('p', { class: 'empty' }, emptyText));
      clear(pager);
      if (!searching && (offset > 0 || page.has_more)) {
        pager.append(
          h('button', { type: 'button', id: 'page-prev', disabled: offset === 0, onclick: () => show(current, Math.max(0, offset - PAGE)) }, '‹ ' + t('ui.page.prev')),
          h('span', {}, t('ui.page.n', { n: offset / PAGE + 1 })),
          h('button', { type: 'button', id: 'page-next', disabled: !page.has_more, onclick: () => show(current, offset + PAGE) }, t('ui.page.next') + ' ›'));
      }
    } catch (e) {
      if (mine === drawing) clear(list).append(h('div', { class: 'banner error', role: 'alert' }, e.message));
    }
  }

  async function open(code, scan, notice) {
    try {
      const view = await call('get_dossier', { code });
      renderDossier(detail, view, { close: () => { detail.hidden = true; search.focus(); }, scan, notice, transfer: ctx.transfer, reopen: (c, n) => { open(c, null, n); show(current, offset); } });
      // Another dossier starts at its top; a redraw after an action shows what it left to say.
      if (notice && notice.isConnected) notice.scrollIntoView({ block: 'nearest' });
      else detail.scrollTop = 0;
    } catch (e) {
      detail.hidden = false;
      clear(detail).append(h('div', { class: 'banner error', role: 'alert', id: 'scan-error' }, e.message));
    }
  }

  // Check-in: a scanned slip anywhere on this screen opens its dossier; a scanned ID card
  // finds the citizen's dossiers.
  async function scanned(text) {
    if (looksLikeIdCard(text)) {
      const id = (text.match(/\d{12}|\d{9}/) || [''])[0];
      search.value = id;
      return showSearch(id);
    }
    try {
      const scan = await call('scan_slip', { input: text });
      search.value = '';
      await open(scan.code, scan);
    } catch (e) {
      if (e.kind === 'not_a_slip') {
        search.value = text;
        showSearch(text);
      } else {
        detail.hidden = false;
        clear(detail).append(h('div', { class: 'banner error', role: 'alert', id: 'scan-error' }, e.message));
      }
    }
  }
  onScan((text) => { scanned(text); return true; });

  let timer = null;
  const onInput = () => {
    clearTimeout(timer);
    const text = search.value.trim();
    timer = setTimeout(() => (text ? showSearch(text) : show(current, 0)), 150);
  };
  const onKey = (ev) => {
    if (ev.key === 'Escape') { search.value = ''; searching = ''; show(current, 0); }
    // A code typed by hand (or a scanner too slow to be told from a person) and Enter.
    if (ev.key === 'Enter' && search.value.trim()) { clearTimeout(timer); scanned(search.value.trim()); }
    if (ev.key === 'ArrowDown') { const first = list.querySelector('tr.row'); if (first) { ev.preventDefault(); first.focus(); } }
  };
  search.addEventListener('input', onInput);
  search.addEventListener('keydown', onKey);
  detail.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { detail.hidden = true; search.focus(); } });

  if (search.value.trim()) showSearch(search.value.trim()); else show('today', 0);
  return {
    open,
    destroy: () => { search.removeEventListener('input', onInput); search.removeEventListener('keydown', onKey); clearTimeout(timer); },
  };
}

function table(rows, open, selected, selection) {
  // Ticking dossiers to hand over is for those who carry them to and from the unit.
  const picks = may('transfer');
  const head = h('tr', {},
    picks ? h('th', { class: 'pick' }, '') : null,
    h('th', {}, t('cli.code')), h('th', {}, t('ui.col.applicant')), h('th', { class: 'col-proc' }, t('cli.procedure')),
    h('th', { class: 'col-received' }, t('cli.received_at')), h('th', {}, t('cli.due_at')), h('th', {}, t('cli.status')));
  const body = rows.map((d) => h('tr', {
      tabindex: '0', class: 'row', dataset: { code: d.code },
      onclick: () => open(d.code),
      onkeydown: (ev) => {
        if (ev.key === 'Enter') open(d.code);
        else if (ev.key === 'ArrowDown' && ev.target.nextElementSibling) { ev.preventDefault(); ev.target.nextElementSibling.focus(); }
        else if (ev.key === 'ArrowUp' && ev.target.previousElementSibling) { ev.preventDefault(); ev.target.previousElementSibling.focus(); }
      },
    },
    picks ? h('td', { class: 'pick', onclick: (ev) => ev.stopPropagation() },
      h('input', { type: 'checkbox', class: 'pick-box', 'aria-label': t('ui.transfer.select') + ' ' + d.code, checked: selected.has(d.code),
        onchange: (ev) => selection(d.code, ev.target.checked) })) : null,
    h('td', { class: 'code' }, d.code),
    // Masked by the core: enough to tell two namesakes apart at the counter.
    h('td', {}, d.applicant_name,
      d.applicant_id_number ? h('div', { class: 'muted id-masked' }, d.applicant_id_number) : null),
    h('td', { class: 'proc col-proc' }, d.procedure_name,
      d.authority ? h('div', { class: 'muted authority' }, t('field.authority') + ': ' + d.authority) : null),
    h('td', { class: 'nowrap col-received' }, vnTime(d.received_at)),
    h('td', { class: 'nowrap col-due' + (overdue(d) ? ' late' : '') }, vnTime(d.due_at)),
    h('td', {}, h('span', { class: 'status s' + d.status_code }, t('status.' + d.status_code)))));
  return h('table', { class: 'dossiers' }, h('thead', {}, head), h('tbody', {}, body));
}
