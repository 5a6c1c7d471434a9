// The window's screens, one row each, in the order of the header's buttons: the header's
// nav, the function keys, the router (`go()` in app.js) and the role check all read this
// table, so a new screen is one row here (with its label in core/locales and its icon).
//
// A row: `id` (its button is `#nav-<id>`, which the window tests click); `key`, the key that
// opens it; `label`, its word in the language tables; `icon`, its drawing in icons.js;
// `action`, what the person's roles must allow for it to be offered (the core checks every
// command again); `search`, whether the header's search box shows with it; `render(ctx,
// body, env)`, which draws it and returns the screen (`dirty`, `destroy`, `focus`, `open`),
// where `env` holds the header's `search` box and the `options` go() was given; `again`,
// what its key does when the screen is already open (otherwise it is drawn afresh).
import { may } from './permissions.js';
import { renderIntake } from './views/intake.js';
import { renderMain } from './views/main.js';
import { renderReports } from './views/reports.js';
import { renderTransfer } from './views/transfer.js';
import { renderSettings } from './views/settings.js';
import { renderAccounts } from './views/accounts.js';

export const SCREENS = [
  {
    id: 'intake', key: 'F2', label: 'ui.nav.intake', icon: 'intake', action: 'intake',
    render: (ctx, body) => renderIntake(ctx, body),
  },
  {
    id: 'lists', key: 'F3', label: 'ui.nav.lists', icon: 'lists', action: 'view_dossier', search: true,
    render: (ctx, body, { search }) => {
      const screen = renderMain(ctx, body, search);
      search.focus();
      return screen;
    },
    again: ({ search }) => search.focus(),
  },
  {
    id: 'reports', key: 'F4', label: 'ui.nav.reports', icon: 'reports', action: 'report',
    render: (ctx, body) => renderReports(ctx, body),
  },
  {
    id: 'transfer', key: 'F6', label: 'ui.nav.transfer', icon: 'transfer', action: 'transfer',
    render: (ctx, body, { options }) => renderTransfer(ctx, body, options.codes || [], options.direction),
  },
  {
    id: 'settings', key: 'F9', label: 'ui.nav.settings', icon: 'settings', action: 'settings',
    render: (ctx, body) => renderSettings(ctx, body),
  },
  {
    id: 'accounts', key: 'F10', label: 'ui.nav.accounts', icon: 'accounts', action: 'manage_accounts',
    render: (ctx, body) => renderAccounts(ctx, body),
  },
];

// The screen shown after signing in, when the person's roles allow it.
export const HOME = 'lists';

export function findScreen(id) { return SCREENS.find((s) => s.id === id); }

export function screenForKey(key) { return SCREENS.find((s) => s.key === key); }

// A screen the person's roles cannot use is not offered, nor opened by its key.
export function mayOpen(id) {
  const s = findScreen(id);
  return Boolean(s) && may(s.action);
}

// Where someone lands who may not see the screen asked for: the first one they may.
export function allowedOr(id) {
  if (mayOpen(id)) return id;
  const first = SCREENS.find((s) => may(s.action));
  return first ? first.id : HOME;
}
