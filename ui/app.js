// Một Cửa desk window: start-up, language and the screens.
import { call } from './api.js';
import { loadStrings, setLang, lang, t } from './i18n.js';
import { h, clear } from './dom.js';
import { renderSetup } from './views/setup.js';
import { renderMain } from './views/main.js';

const root = document.getElementById('app');

async function start() {
  try {
    await loadStrings();
    const state = await call('app_state');
    render(state);
    // The first screen is on the page: `motcua bench --window` times start-up up to here.
    call('first_screen').catch(() => {});
  } catch (e) {
    clear(root).append(h('div', { class: 'banner error', role: 'alert' }, e.message || String(e)));
  }
}

function render(state) {
  clear(root);
  // The same title as the native window, so a screen reader and WebDriver see it too.
  document.title = state.agency ? `Một Cửa — ${state.agency.unit}` : 'Một Cửa';
  if (state.error) {
    root.append(h('div', { class: 'banner error', role: 'alert', id: 'db-error' }, t('ui.db_error'), ' ', state.error));
    return;
  }
  const ctx = {
    state,
    root,
    switchLang: async () => {
      await setLang(lang() === 'vi' ? 'en' : 'vi');
      render(await call('app_state'));
    },
    reload: async () => render(await call('app_state')),
  };
  if (!state.set_up) renderSetup(ctx);
  else renderMain(ctx);
}

start();
