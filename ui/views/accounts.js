// The administrator's screen: staff accounts (add, roles, disable, reset password) and the
// audit trail (the three hash chains and every covered record verified, the chains' heads to copy,
// the newest access-log entries). Every change is
// checked again in Rust; this screen only shows what the account may do.
import { call } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, vnTime } from '../dom.js';
import { onSubmit, checkPasswordsMatch, field } from './form.js';

const ROLES = ['reception', 'processing', 'supervisor', 'administrator'];

function rolesPicker(prefix, selected = []) {
  return h('div', { class: 'roles-pick', role: 'group' },
    ROLES.map((r) => h('label', {},
      h('input', { type: 'checkbox', name: 'role', value: r, id: `${prefix}-role-${r}`, checked: selected.includes(r) }),
      t('role.' + r))));
}

function pickedRoles(el) {
  return [...el.querySelectorAll('input[name=role]:checked')].map((c) => c.value);
}

function accountState(a) {
  if (a.disabled) return t('ui.accounts.disabled');
  if (a.locked_until) return t('ui.accounts.locked_until', { until: vnTime(a.locked_until) });
  return t('ui.accounts.active');
}

export async function renderAccounts(ctx, body) {
  clear(body);
  const list = h('tbody', {});
  const audit = h('section', { class: 'card wide', id: 'audit' });
  const addForm = h('form', { class: 'card wide', id: 'account-form', novalidate: true },
    h('h2', {}, t('ui.accounts.add')),
    h('div', { class: 'grid2' },
      field('account.name', t('field.account.name'), h('input', { name: 'name', id: 'account-name', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off' })),
      field('account.display_name', t('field.account.display_name'), h('input', { name: 'display_name', id: 'account-display', autocomplete: 'off' }))),
    field('account.roles', t('field.account.roles'), rolesPicker('new')),
    field('account.password', t('field.account.password'), h('input', { name: 'password', id: 'account-password', type: 'password', autocomplete: 'new-password' })),
    h('p', { class: 'hint' }, t('ui.password_rules')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'account-add' }, t('ui.accounts.add'))));

  async function refresh() {
    const accounts = await call('list_accounts');
    clear(list);
    for (const a of accounts) {
      const roles = rolesPicker('acc-' + a.name, a.roles);
      const row = h('tr', { class: 'account', dataset: { name: a.name } },
        h('td', { class: 'code' }, a.name),
        h('td', {}, a.display_name),
        h('td', {}, roles),
        h('td', { class: 'state' }, accountState(a)),
        h('td', { class: 'nowrap' },
          h('button', { type: 'button', class: 'link save-roles', onclick: () => act(row, () => call('set_account_roles', { name: a.name, roles: pickedRoles(roles) })) }, t('ui.accounts.save_roles')),
          h('button', { type: 'button', class: 'link toggle', onclick: () => act(row, () => call('set_account_disabled', { name: a.name, disabled: !a.disabled })) }, a.disabled ? t('ui.accounts.enable') : t('ui.accounts.disable')),
          h('button', { type: 'button', class: 'link reset', onclick: () => resetPassword(a.name) }, t('ui.accounts.reset'))));
      list.append(row);
    }
  }

  async function act(row, fn) {
    const old = row.querySelector('.row-error');
    if (old) old.remove();
    try {
      await fn();
      await refresh();
    } catch (e) {
      row.lastChild.append(h('div', { class: 'field-error row-error', role: 'alert' }, e.message));
    }
  }

  function resetPassword(name) {
    passwordDialog(t('ui.accounts.reset_title', { name }), false, (current, next) => call('reset_account_password', { name, password: next }));
  }

  onSubmit(addForm, async (data) => {
    await call('create_account', { input: {
      name: data.get('name') || '', display_name: data.get('display_name') || '',
      roles: pickedRoles(addForm), password: data.get('password') || '',
    } });
    addForm.reset();
    await refresh();
  });

  // The chains' heads, to be noted away from the database and given back later to
  // `motcua audit verify --expect`: deleting the newest entries is then found.
  function headsTable(heads) {
    return h('div', { id: 'audit-heads' },
      h('p', {}, t('ui.audit.heads')),
      h('table', { class: 'accounts' },
        h('tbody', {}, heads.map((head) => {
          const hash = h('code', { class: 'code head-hash' }, head.hash);
          const copy = h('button', { type: 'button', class: 'link copy-head' }, t('ui.audit.copy'));
          copy.addEventListener('click', async () => {
            try {
              await navigator.clipboard.writeText(head.hash);
            } catch (_) {
              // Without clipboard access the hash is selected for Ctrl+C.
              const range = document.createRange();
              range.selectNodeContents(hash);
              const sel = window.getSelection();
              sel.removeAllRanges();
              sel.addRange(range);
              document.execCommand('copy');
            }
            copy.textContent = t('ui.audit.copied');
          });
          return h('tr', {},
            h('td', {}, t('audit.chain.' + head.chain)),
            h('td', { class: 'nowrap' }, String(head.entries)),
            h('td', {}, hash),
            h('td', {}, copy));
        }))));
  }

  async function showAudit() {
    clear(audit).append(h('h2', {}, t('ui.audit.title')));
    try {
      const v = await call('audit_status');
      audit.append(v.report.ok
        ? h('p', { class: 'audit-ok', id: 'audit-result' }, t('ui.audit.ok', { n: v.report.checked }))
        : h('p', { class: 'audit-broken', id: 'audit-result', role: 'alert' }, v.broken || t('ui.audit.broken')));
      audit.append(headsTable(v.report.heads));
      audit.append(h('table', { class: 'accounts', id: 'access-log' },
        h('thead', {}, h('tr', {}, ['ui.audit.at', 'ui.audit.actor', 'ui.audit.desk', 'ui.audit.kind', 'ui.audit.subject'].map((k) => h('th', {}, t(k))))),
        h('tbody', {}, v.recent.map((e) => h('tr', {},
          h('td', { class: 'nowrap' }, vnTime(e.at)), h('td', {}, e.actor), h('td', {}, e.desk),
          h('td', {}, t('access.' + e.kind)), h('td', { class: 'code' }, e.subject))))));
    } catch (e) {
      audit.append(h('div', { class: 'banner error', role: 'alert' }, e.message));
    }
  }

  body.append(h('div', { class: 'listpane', id: 'accounts-screen' },
    h('h2', {}, t('ui.accounts.title')),
    h('table', { class: 'accounts', id: 'accounts' },
      h('thead', {}, h('tr', {}, ['field.account.name', 'field.account.display_name', 'field.account.roles', 'ui.accounts.state', ''].map((k) => h('th', {}, k ? t(k) : '')))),
      list),
    addForm,
    audit));
  try {
    await refresh();
  } catch (e) {
    body.prepend(h('div', { class: 'banner error', role: 'alert' }, e.message));
  }
  showAudit();
  return {};
}

// A small dialog for a new password: the person's own (asks the current one too) or a
// reset by the administrator.
export function passwordDialog(title, own, submit) {
  const form = h('form', { class: 'modal-box narrow', id: 'password-form', novalidate: true },
    h('h2', {}, title),
    own ? field('account.current_password', t('field.account.current_password'), h('input', { name: 'current', id: 'pw-current', type: 'password', autocomplete: 'current-password' })) : null,
    field('account.new_password', t('field.account.new_password'), h('input', { name: 'next', id: 'pw-new', type: 'password', autocomplete: 'new-password' })),
    field('account.password_again', t('field.account.password_again'), h('input', { name: 'again', id: 'pw-again', type: 'password', autocomplete: 'new-password' })),
    h('p', { class: 'hint' }, t('ui.password_rules')),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'pw-save' }, t('ui.save')),
      h('button', { type: 'button', class: 'link', onclick: () => dialog.remove() }, t('ui.cancel'))));
  const dialog = h('div', { class: 'modal', role: 'dialog', 'aria-modal': 'true', id: 'password-dialog' }, form);
  onSubmit(form, async (data) => {
    checkPasswordsMatch(data.get('next') || '', data.get('again') || '');
    try {
      await submit(data.get('current') || '', data.get('next') || '');
    } catch (e) {
      // The core names the new password `account.password`; here that box is the new one.
      if (e.fields) e.fields = e.fields.map((f) => f.field === 'account.password' ? { ...f, field: 'account.new_password' } : f);
      throw e;
    }
    dialog.remove();
  });
  dialog.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') dialog.remove(); });
  document.body.append(dialog);
  form.querySelector('input').focus();
}
