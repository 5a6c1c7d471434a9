// Một Cửa desk window: start-up, language, and the screens under one top bar.
//   F2 new intake · F3 search and lists · F4 reports · F6 hand-over · F9 settings
import { call, onOffline } from './api.js';
import { loadStrings, setLang, lang, t } from './i18n.js';
import { h, clear } from './dom.js';
import { onScan } from './scanner.js';
import { renderSetup } from './views/setup.js';
import { renderMain } from './views/main.js';
import { renderIntake } from './views/intake.js';
import { renderSettings } from './views/settings.js';
import { renderReports } from './views/reports.js';
import { renderTransfer } from './views/transfer.js';

const root = document.getElementById('app');
let screen = null;

async function start() {
  try {
    await loadStrings();
    render(await call('app_state'), 'lists');
  } catch (e) {
    clear(root).append(h('div', { class: 'banner error', role: 'alert' }, e.message || String(e)));
  }
}

function title(state) {
  // The same title as the native window, so a screen reader and WebDriver see it too.
  document.title = state.agency ? `Một Cửa — ${state.agency.unit}` : 'Một Cửa';
}

function render(state, view) {
  clear(root);
  title(state);
  if (state.error) {
    root.append(h('div', { class: 'banner error', role: 'alert', id: 'db-error' }, t('ui.db_error'), ' ', state.error));
    return;
  }
  const ctx = {
    state,
    root,
    switchLang: () => ctx.setLanguage(lang() === 'vi' ? 'en' : 'vi'),
    setLanguage: async (code) => {
      await setLang(code);
      render(await call('app_state'), current);
    },
    reload: async () => render(await call('app_state'), 'lists'),
    refreshTitle: async () => title(await call('app_state')),
    openDossier: (code) => go('lists').then((s) => s.open && s.open(code)),
    transfer: (codes) => go('transfer', { codes }),
  };
  if (!state.set_up) {
    renderSetup(ctx);
    return;
  }

  const search = h('input', {
    type: 'search', id: 'search', class: 'search',
    placeholder: t('ui.search.placeholder'), 'aria-label': t('ui.search.placeholder'),
    autocomplete: 'off', spellcheck: 'false',
  });
  const nav = (view, key, label) => h('button', { class: 'nav', id: 'nav-' + view, type: 'button', onclick: () => go(view) }, label, h('kbd', {}, key));
  const header = h('header', { class: 'topbar' },
    h('div', { class: 'brand' },
      h('strong', {}, 'Một Cửa'),
      h('span', { class: 'unit', id: 'unit-name' }, state.agency.unit)),
    nav('intake', 'F2', t('ui.nav.intake')),
    nav('lists', 'F3', t('ui.nav.lists')),
    search,
    nav('reports', 'F4', t('ui.nav.reports')),
    nav('transfer', 'F6', t('ui.nav.transfer')),
    nav('settings', 'F9', t('ui.nav.settings')),
    h('button', { class: 'link', id: 'lang-switch', type: 'button', onclick: ctx.switchLang }, t('ui.switch_lang')));
  const warnings = (state.warnings || []).map((w) => h('div', { class: 'banner warn', role: 'status' }, w));
  const body = h('div', { class: 'screen', id: 'screen' });
  root.append(header, offline, ...warnings, body);

  let current = view;
  async function go(next, options = {}) {
    if (screen && screen.destroy) screen.destroy();
    onScan(null);
    current = next;
    for (const b of header.querySelectorAll('.nav')) b.classList.toggle('current', b.id === 'nav-' + next);
    search.hidden = next !== 'lists';
    if (next === 'intake') screen = renderIntake(ctx, body);
    else if (next === 'settings') screen = await renderSettings(ctx, body);
    else if (next === 'reports') screen = renderReports(ctx, body);
    else if (next === 'transfer') screen = renderTransfer(ctx, body, options.codes || []);
    else { screen = renderMain(ctx, body, search); search.focus(); }
    return screen;
  }
  keys = (ev) => {
    if (document.querySelector('.modal')) return;
    if (ev.key === 'F2') { ev.preventDefault(); go('intake'); }
    else if (ev.key === 'F3') { ev.preventDefault(); if (current !== 'lists') go('lists'); else search.focus(); }
    else if (ev.key === 'F4') { ev.preventDefault(); go('reports'); }
    else if (ev.key === 'F6') { ev.preventDefault(); go('transfer'); }
    else if (ev.key === 'F9') { ev.preventDefault(); go('settings'); }
  };
  go(view);
}

// The offline banner lives outside the screens, so showing or hiding it never redraws the
// screen under it (a half-typed intake form stays as it is). The database is asked every
// few seconds, and at once after any command fails because it is unreachable.
const POLL_MS = 4000;
const offline = h('div', { class: 'banner error offline', id: 'offline-banner', role: 'alert', hidden: true });
let polling = null;
function online() { offline.hidden = true; offline.textContent = ''; }
async function checkDatabase() {
  clearTimeout(polling);
  try {
    await call('database_status');
    online();
  } catch (e) {
    if (e.kind === 'offline') {
      offline.textContent = t('ui.offline');
      offline.hidden = false;
    } else online();
  }
  polling = setTimeout(checkDatabase, POLL_MS);
}
onOffline(() => {
  offline.textContent = t('ui.offline');
  offline.hidden = false;
  clearTimeout(polling);
  polling = setTimeout(checkDatabase, POLL_MS);
});
polling = setTimeout(checkDatabase, POLL_MS);

// One listener for the whole life of the window: screens come and go.
let keys = () => {};
document.addEventListener('keydown', (ev) => keys(ev));

start();
