// Một Cửa desk window: start-up, sign-in, language, and the screens under one top bar.
// The screens, their keys and who may open them are the table in screens.js; Ctrl+L locks.
import { call, onSessionLost, onOffline, onCalled } from './api.js';
import { loadStrings, setLang, lang, t } from './i18n.js';
import { h, clear } from './dom.js';
import { onScan } from './scanner.js';
import { setActions, may } from './permissions.js';
import { vnToday } from './dates.js';
import { confirmDiscard } from './confirm.js';
import { icon } from './icons.js';
import { renderSetup, renderDeskName } from './views/setup.js';
import { renderLogin, renderLock } from './views/login.js';
import { passwordDialog } from './views/accounts.js';
import { SCREENS, HOME, findScreen, screenForKey, mayOpen, allowedOr } from './screens.js';
import { outboxPanel } from './views/outbox.js';

const root = document.getElementById('app');
let screen = null;

async function start() {
  try {
    await loadStrings();
    render(await call('app_state'), HOME);
    // The first screen is on the page: `motcua bench --window` times start-up up to here.
    call('first_screen').catch(() => {});
  } catch (e) {
    clear(root).append(h('div', { class: 'banner error', role: 'alert' }, e.message || String(e)));
  }
}

function title(state) {
  // The same title as the native window, so a screen reader and WebDriver see it too.
  document.title = state.agency ? `Một Cửa — ${state.agency.unit}` : 'Một Cửa';
}

function render(state, view) {
  // The login and lock screens take no scans: a fast typist's password is typing.
  onScan(null);
  clear(root);
  const overlay = document.getElementById('lock-overlay');
  if (overlay) overlay.remove();
  title(state);
  if (state.error) {
    root.append(h('div', { class: 'banner error', role: 'alert', id: 'db-error' }, t('ui.db_error'), ' ', state.error));
    return;
  }
  const ctx = {
    state,
    root,
    switchLang: async () => { if (await ctx.mayLeave()) await ctx.setLanguage(lang() === 'vi' ? 'en' : 'vi'); },
    // Whether the current screen may be left: asked when it holds unsaved work.
    mayLeave: async () => !(screen && screen.dirty && screen.dirty()) || confirmDiscard(),
    setLanguage: async (code) => {
      await setLang(code);
      render(await call('app_state'), current);
    },
    reload: async () => render(await call('app_state'), HOME),
    resume: () => { if (screen && screen.focus) screen.focus(); },
    refreshTitle: async () => title(await call('app_state')),
    openDossier: (code) => go('lists').then((s) => s.open && s.open(code)),
    transfer: (codes, direction) => go('transfer', { codes, direction }),
  };
  // A new database: the first administrator (and the agency); a database set up from the
  // command line with accounts: sign in first, then the agency (a supervisor's setting).
  if (!state.accounts) {
    renderSetup(ctx);
    return;
  }
  if (state.session.state !== 'active') {
    renderLogin(ctx);
    return;
  }
  if (!state.set_up) {
    renderSetup(ctx);
    return;
  }
  if (!state.desk_named) {
    renderDeskName(ctx);
    return;
  }
  const session = state.session;
  setActions(session.actions);
  view = allowedOr(view);

  const search = h('input', {
    type: 'search', id: 'search', class: 'search',
    placeholder: t('ui.search.placeholder'), 'aria-label': t('ui.search.placeholder'),
    autocomplete: 'off', spellcheck: 'false',
  });
  // Each screen's button: its icon, its word (only the icon on a narrow window, except for
  // the screen in use) and its key.
  const nav = (s) => {
    if (!mayOpen(s.id)) return null;
    const label = t(s.label);
    return h('button', { class: 'nav', id: 'nav-' + s.id, type: 'button', title: `${label} (${s.key})`, onclick: () => go(s.id) },
      icon(s.icon), h('span', { class: 'label' }, label), h('kbd', {}, s.key));
  };
  const header = h('header', { class: 'topbar' },
    h('div', { class: 'brand', title: state.agency.unit },
      h('strong', {}, 'Một Cửa'),
      h('span', { class: 'unit', id: 'unit-name' }, state.agency.unit)),
    h('nav', { class: 'navs' }, SCREENS.map(nav)),
    h('div', { class: 'search-box' }, icon('search'), search),
    // Who is signed in, with what they do less often behind it; Ctrl+L locks at once.
    h('details', { class: 'usermenu' },
      h('summary', { title: session.account }, icon('user'), h('span', { id: 'who' }, session.display_name || session.account)),
      h('div', { class: 'menu' },
        h('button', { class: 'link', id: 'lock', type: 'button', onclick: lockNow }, icon('lock'), t('ui.user.lock'), ' ', h('kbd', {}, 'Ctrl+L')),
        h('button', { class: 'link', id: 'change-password', type: 'button', onclick: ownPassword }, icon('key'), t('ui.user.password')),
        h('button', { class: 'link', id: 'logout', type: 'button', onclick: logout }, icon('logout'), t('ui.user.logout')))),
    h('button', { class: 'lang', id: 'lang-switch', type: 'button', lang: lang() === 'vi' ? 'en' : 'vi', title: t('ui.switch_lang'), onclick: ctx.switchLang },
      icon('language'), h('span', { class: 'label' }, t('ui.switch_lang'))));
  // The missing calendar notice concerns whoever keeps the calendar; they may put it off
  // until tomorrow.
  const noticeLater = localStorage.getItem('notice-banner-dismissed') === vnToday();
  const warnings = may('calendar') && !noticeLater
    ? (state.warnings || []).map((w) => h('div', { class: 'banner warn', role: 'status', id: 'notice-banner' }, w, ' ',
      h('button', { type: 'button', class: 'link', id: 'notice-banner-open', onclick: () => go('settings').then(() => { const n = document.getElementById('notices'); if (n) n.scrollIntoView(); }) }, t('ui.notice_banner.open')), ' ',
      h('button', { type: 'button', class: 'link', id: 'notice-banner-dismiss', onclick: (ev) => { localStorage.setItem('notice-banner-dismissed', vnToday()); ev.target.closest('.banner').remove(); } }, t('ui.notice_banner.dismiss'))))
    : [];
  const body = h('div', { class: 'screen', id: 'screen' });
  root.append(header, offline, waiting, ...warnings, body);

  function closeMenu() { const m = header.querySelector('.usermenu'); if (m) m.open = false; }
  function ownPassword() {
    closeMenu();
    passwordDialog(t('ui.user.password_title'), true, (current, next) => call('change_own_password', { current, newPassword: next }));
  }
  async function lockNow() {
    closeMenu();
    renderLock(ctx, await call('lock_session'));
  }
  async function logout() {
    closeMenu();
    if (!(await ctx.mayLeave())) return;
    if (screen && screen.destroy) screen.destroy();
    await call('logout');
    await ctx.reload();
  }
  // Asked again rather than trusted: a refusal can arrive late, from a call made before
  // this person signed in, and must not redraw the screen they are now working on.
  sessionLost = async () => {
    const status = await call('session_status');
    if (status.state === 'locked') renderLock(ctx, status);
    else if (status.state === 'logged_out') await ctx.reload();
  };

  // The banner of changes waiting: a person who keeps the settings goes to the destinations;
  // anyone else gets what waits, since when and why, and "Gửi ngay", in a panel under it.
  openWaiting = async () => {
    if (may('settings')) {
      await go('settings');
      const section = document.getElementById('outbox');
      if (section) section.scrollIntoView();
      return;
    }
    if (!waitingPanel.hidden) { waitingPanel.hidden = true; return; }
    const panel = await outboxPanel();
    clear(waitingPanel).append(
      h('button', { type: 'button', class: 'link', id: 'outbox-panel-close', onclick: () => { waitingPanel.hidden = true; } }, t('ui.close')),
      panel);
    waitingPanel.hidden = false;
  };
  waitingPanel.hidden = true;
  countWaiting();

  let current = view;
  async function go(next, options = {}) {
    if (!mayOpen(next)) return screen;
    if (next !== current && !(await ctx.mayLeave())) return screen;
    if (screen && screen.destroy) screen.destroy();
    onScan(null);
    current = next;
    for (const b of header.querySelectorAll('.nav')) b.classList.toggle('current', b.id === 'nav-' + next);
    const shown = findScreen(next);
    search.parentElement.hidden = !shown.search;
    screen = await shown.render(ctx, body, { search, options });
    return screen;
  }
  keys = (ev) => {
    if (document.getElementById('lock-overlay')) return;
    if (ev.ctrlKey && (ev.key === 'l' || ev.key === 'L')) { ev.preventDefault(); lockNow(); return; }
    if (document.querySelector('.modal')) return;
    const keyed = screenForKey(ev.key);
    if (!keyed) return;
    ev.preventDefault();
    if (keyed.again && current === keyed.id) keyed.again({ search });
    else go(keyed.id);
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

// The changes waiting to be sent, beside the offline banner and, like it, outside the
// screens. Counted every 15 seconds (a timer's call: it keeps nobody signed in) and soon
// after any command the window makes, so the clerk's own intake shows at once; hidden at 0
// and for a person who does not see dossiers.
const WAITING_MS = 15000;
const waitingText = h('button', { type: 'button', class: 'link', id: 'outbox-banner-open', title: '', onclick: () => openWaiting() });
const waitingPanel = h('div', { class: 'outbox-panel', id: 'outbox-panel', hidden: true });
const waiting = h('div', { class: 'banner warn outbox-banner', id: 'outbox-banner', role: 'status', hidden: true }, waitingText, waitingPanel);
let openWaiting = () => {};
let counting = null;
async function countWaiting() {
  clearTimeout(counting);
  counting = setTimeout(countWaiting, WAITING_MS);
  if (!document.getElementById('who') || document.getElementById('lock-overlay') || !may('view_dossier')) {
    waiting.hidden = true;
    return;
  }
  try {
    const n = await call('outbox_pending');
    waitingText.textContent = n === 0 ? '' : t('ui.outbox.banner', { n });
    waitingText.title = t('ui.outbox.banner_hint');
    waiting.hidden = n === 0;
    if (n === 0) waitingPanel.hidden = true;
    const shown = waitingPanel.lastChild;
    if (!waitingPanel.hidden && shown && shown.reload) await shown.reload();
  } catch (e) {
    // Offline: the offline banner says so; the count stays as it was until the next try.
  }
}
// Calls that change nothing, made by timers or by this count itself.
const QUIET = new Set(['outbox_pending', 'outbox_status', 'outbox_destinations', 'database_status', 'session_status', 'touch_session', 'ui_strings']);
let soon = null;
onCalled((command) => {
  if (QUIET.has(command)) return;
  clearTimeout(soon);
  soon = setTimeout(countWaiting, 300);
});
counting = setTimeout(countWaiting, WAITING_MS);

// One listener for the whole life of the window: screens come and go.
let keys = () => {};
document.addEventListener('keydown', (ev) => keys(ev));

// Locked or signed out while working: Rust refused a command, or the idle time ran out.
let sessionLost = () => {};
onSessionLost((kind) => sessionLost(kind));

// Typing and clicking keep the session open even when they call nothing; the status is
// also polled so an idle desk locks (and hides its data) without anyone touching it.
let lastTouch = 0;
function activity() {
  const now = Date.now();
  if (now - lastTouch < 30000 || document.getElementById('lock-overlay') || !document.getElementById('who')) return;
  lastTouch = now;
  call('touch_session').catch(() => {});
}
document.addEventListener('keydown', activity, true);
document.addEventListener('mousedown', activity, true);
setInterval(async () => {
  if (!document.getElementById('who') || document.getElementById('lock-overlay')) return;
  const status = await call('session_status').catch(() => null);
  if (status && status.state !== 'active') sessionLost(status.state === 'locked' ? 'session_locked' : 'not_logged_in');
}, 15000);

start();
