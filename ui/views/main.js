// The first screen: today's dossiers, search, and a dossier's details.
import { call } from '../api.js';
import { t, lang } from '../i18n.js';
import { h, clear, vnTime } from '../dom.js';

export function renderMain(ctx) {
  const { state } = ctx;
  const search = h('input', {
    type: 'search', id: 'search', class: 'search',
    placeholder: t('ui.search.placeholder'), 'aria-label': t('ui.search.placeholder'),
    autocomplete: 'off', spellcheck: 'false',
  });
  const heading = h('h2', { id: 'list-title' });
  const list = h('div', { id: 'dossier-list', class: 'list' });
  const detail = h('aside', { id: 'detail', class: 'detail', hidden: true });

  const header = h('header', { class: 'topbar' },
    h('div', { class: 'brand' },
      h('strong', {}, 'Một Cửa'),
      h('span', { class: 'unit', id: 'unit-name' }, state.agency ? state.agency.unit : '')),
    search,
    h('button', { class: 'link', id: 'lang-switch', onclick: ctx.switchLang }, t('ui.switch_lang')));

  const warnings = (state.warnings || []).map((w) => h('div', { class: 'banner warn', role: 'status' }, w));

  ctx.root.append(header, ...warnings, h('main', { class: 'workspace' },
    h('section', { class: 'listpane' }, heading, list), detail));

  async function showToday() {
    heading.textContent = t('ui.today.title');
    await fill(() => call('list_dossiers', { query: { date: 'today' } }), t('ui.today.empty'));
  }

  async function showSearch(text) {
    heading.textContent = t('ui.search.title', { text });
    await fill(() => call('search_dossiers', { text }), t('ui.search.empty'));
  }

  async function fill(load, emptyText) {
    try {
      const rows = await load();
      clear(list).append(rows.length ? table(rows, open) : h('p', { class: 'empty' }, emptyText));
    } catch (e) {
      clear(list).append(h('div', { class: 'banner error', role: 'alert' }, e.message));
    }
  }

  async function open(code, scan) {
    try {
      const view = await call('get_dossier', { code });
      renderDetail(detail, view, () => { detail.hidden = true; search.focus(); }, scan);
    } catch (e) {
      detail.hidden = false;
      clear(detail).append(h('div', { class: 'banner error', role: 'alert' }, e.message));
    }
  }

  let timer = null;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    const text = search.value.trim();
    timer = setTimeout(() => (text ? showSearch(text) : showToday()), 150);
  });
  search.addEventListener('keydown', async (ev) => {
    if (ev.key === 'Escape') { search.value = ''; showToday(); }
    if (ev.key === 'Enter') {
      // A desk scanner types the slip's QR payload or barcode and presses Enter.
      const text = search.value.trim();
      if (!text) return;
      try {
        const scan = await call('scan_slip', { input: text });
        clearTimeout(timer);
        search.value = '';
        await open(scan.code, scan);
        showToday();
      } catch (e) {
        if (e.kind !== 'not_a_slip') {
          clear(list).prepend(h('div', { class: 'banner error', role: 'alert', id: 'scan-error' }, e.message));
        }
      }
    }
  });

  showToday();
  search.focus();
}

function table(rows, open) {
  const head = h('tr', {},
    h('th', {}, t('cli.code')), h('th', {}, t('ui.col.applicant')), h('th', {}, t('cli.procedure')),
    h('th', {}, t('cli.received_at')), h('th', {}, t('cli.due_at')), h('th', {}, t('cli.status')));
  const body = rows.map((d) => h('tr', {
      tabindex: '0', class: 'row', dataset: { code: d.code },
      onclick: () => open(d.code),
      onkeydown: (ev) => { if (ev.key === 'Enter') open(d.code); },
    },
    h('td', { class: 'code' }, d.code),
    h('td', {}, d.applicant_name),
    h('td', {}, d.procedure_name),
    h('td', { class: 'nowrap' }, vnTime(d.received_at)),
    h('td', { class: 'nowrap' }, vnTime(d.due_at)),
    h('td', {}, h('span', { class: 'status s' + d.status_code }, t('status.' + d.status_code)))));
  return h('table', { class: 'dossiers' }, h('thead', {}, head), h('tbody', {}, body));
}

function renderDetail(detail, view, close, scan) {
  const d = view.dossier;
  const status = h('div', { class: 'receipt-status', id: 'receipt-status', role: 'status' });
  const issue = (command) => async () => {
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
  clear(detail).append(
    h('div', { class: 'detail-head' },
      h('h2', { class: 'code', id: 'detail-code' }, d.code),
      h('button', { class: 'link', onclick: close, 'aria-label': t('ui.close') }, '✕')),
    scanBanner,
    h('span', { class: 'status s' + d.status_code }, t('status.' + d.status_code)),
    h('div', { class: 'actions' },
      h('button', { class: 'primary', id: 'print-receipt', onclick: issue('print_receipt') }, t('ui.print')),
      h('button', { id: 'open-receipt', onclick: issue('open_receipt') }, t('ui.open_pdf'))),
    status,
    h('dl', {},
      row(t('cli.procedure'), `${d.procedure.code} – ${d.procedure.name}`),
      row(t('field.applicant.name'), d.applicant.name),
      row(t('field.applicant.id_number'), d.applicant.id_number),
      row(t('field.applicant.phone'), d.applicant.phone),
      row(t('field.applicant.address'), d.applicant.address),
      row(t('cli.received_at'), vnTime(d.received_at)),
      row(t('cli.due_at'), vnTime(d.due_at)),
      row(t('cli.register'), `${d.register.book}/${d.register.year} – ${d.register.line}`)),
    h('h3', {}, t('field.documents')),
    h('ol', {}, d.documents.map((doc) => h('li', {}, `${doc.name} (${doc.originals} ${t('cli.originals')}, ${doc.copies} ${t('cli.copies')})`))),
    h('h3', {}, t('ui.history')),
    h('ol', { class: 'timeline' }, view.events.map((e) => h('li', {},
      h('span', { class: 'nowrap' }, vnTime(e.at)), ' ',
      t('event.' + e.kind), e.to_status ? ` → ${t('status.' + e.to_status)}` : '', ' · ', e.actor))));
  detail.hidden = false;
  void lang;
}
