// The login screen, and the lock screen of a session left idle or locked on demand.
import { call } from '../api.js';
import { t } from '../i18n.js';
import { h } from '../dom.js';
import { onSubmit, field } from './form.js';

function card(ctx, parent, id, title, hint, fields, submitLabel, submit, extra = []) {
  const form = h('form', { class: 'card setup login', id, novalidate: true },
    h('h1', {}, title),
    hint ? h('p', { class: 'hint' }, hint) : null,
    ...fields,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: id + '-submit' }, submitLabel),
      ...extra,
      h('button', { type: 'button', class: 'link', onclick: ctx.switchLang }, t('ui.switch_lang'))));
  onSubmit(form, submit, () => {
    const pw = form.querySelector('input[type=password]');
    if (pw) { pw.value = ''; if (!form.querySelector('.field.invalid')) pw.focus(); }
  });
  parent.append(h('main', { class: 'center' }, form));
  const first = form.querySelector('input:not([type=hidden])');
  if (first) first.focus();
  return form;
}

export function renderLogin(ctx) {
  const unit = [ctx.state.agency ? ctx.state.agency.unit : '', ctx.state.desk].filter(Boolean).join(' · ');
  card(ctx, ctx.root, 'login-form', t('ui.login.title'), unit, [
    field('account.name', t('field.account.name'), h('input', { name: 'name', id: 'login-name', autocomplete: 'username', spellcheck: 'false', autocapitalize: 'off' })),
    field('account.password', t('field.account.password'), h('input', { name: 'password', id: 'login-password', type: 'password', autocomplete: 'current-password' })),
  ], t('ui.login.submit'), async (data) => {
    await call('login', { name: data.get('name') || '', password: data.get('password') || '' });
    await ctx.reload();
  });
}

// Over the working screen, which stays as it was underneath (a half-typed intake is not
// lost), and hides it completely: no citizen's data shows on a locked desk.
export function renderLock(ctx, session) {
  if (document.getElementById('lock-overlay')) return;
  const overlay = h('div', { class: 'lock-overlay', id: 'lock-overlay' });
  document.body.append(overlay);
  card(ctx, overlay, 'lock-form', t('ui.lock.title'), t('ui.lock.hint', { name: session.display_name || session.account }), [
    field('account.password', t('field.account.password'), h('input', { name: 'password', id: 'unlock-password', type: 'password', autocomplete: 'current-password' })),
  ], t('ui.lock.submit'), async (data) => {
    await call('unlock_session', { password: data.get('password') || '' });
    overlay.remove();
    ctx.resume();
  }, [h('button', { type: 'button', class: 'link', id: 'lock-logout', onclick: async () => { if (!(await ctx.mayLeave())) return; overlay.remove(); await call('logout'); await ctx.reload(); } }, t('ui.lock.other_user'))]);
}
