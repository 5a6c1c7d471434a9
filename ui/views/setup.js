// First run, in two steps: the first administrator (who holds every role until there are
// other accounts, and is signed in at once), then the agency that will print the receipts
// with this desk's printer and paper. A database set up from the command line without an
// account shows only the first step.
import { call } from '../api.js';
import { t } from '../i18n.js';
import { h } from '../dom.js';
import { onSubmit, checkPasswordsMatch, field } from './form.js';

export function renderSetup(ctx) {
  const needAdmin = !ctx.state.accounts;
  const needAgency = !needAdmin && !ctx.state.set_up;
  const printer = h('select', { name: 'printer', id: 'setup-printer' }, h('option', { value: '' }, t('ui.settings.default_printer')));
  const agencyPart = needAgency ? [
    field('agency.governing_body', t('field.agency.governing_body'), h('input', { name: 'governing_body', placeholder: 'UBND XÃ HƯỚNG THỌ PHÚ', autocomplete: 'off' })),
    field('agency.unit', t('field.agency.unit'), h('input', { name: 'unit', placeholder: 'TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG', autocomplete: 'off' })),
    field('agency.place', t('field.agency.place'), h('input', { name: 'place', placeholder: 'Hướng Thọ Phú', autocomplete: 'off' })),
    field('agency.code', t('field.agency.code'), h('input', { name: 'agency_code', placeholder: '000.00.14.H56', autocomplete: 'off', spellcheck: 'false' })),
    field('agency.first_number', t('field.agency.first_number'), h('input', { name: 'first_number', type: 'number', min: '1', value: '1' })),
    h('div', { class: 'grid2' },
      field('printer', t('setting.printer'), printer),
      field('paper', t('setting.paper'), h('select', { name: 'paper', id: 'setup-paper' },
        h('option', { value: 'a5' }, 'A5'), h('option', { value: 'a4' }, 'A4'), h('option', { value: '80mm' }, '80 mm')))),
  ] : [];
  const adminPart = needAdmin ? [
    h('p', { class: 'hint' }, t('ui.setup.admin_hint')),
    h('div', { class: 'grid2' },
      field('account.name', t('field.account.name'), h('input', { name: 'admin_name', id: 'setup-admin-name', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off', placeholder: 'canbo1' })),
      field('account.display_name', t('field.account.display_name'), h('input', { name: 'admin_display_name', id: 'setup-admin-display', autocomplete: 'off' }))),
    h('div', { class: 'grid2' },
      field('account.password', t('field.account.password'), h('input', { name: 'admin_password', id: 'setup-admin-password', type: 'password', autocomplete: 'new-password' })),
      field('account.password_again', t('field.account.password_again'), h('input', { name: 'admin_password_again', id: 'setup-admin-password2', type: 'password', autocomplete: 'new-password' }))),
    h('p', { class: 'hint' }, t('ui.password_rules')),
  ] : [];
  const form = h('form', { class: 'card setup', id: 'setup-form', novalidate: true },
    h('h1', {}, needAdmin ? t('ui.setup.admin_title') : t('ui.setup.title')),
    needAgency ? h('p', { class: 'hint' }, t('ui.setup.hint')) : null,
    ...agencyPart,
    ...adminPart,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'setup-save' }, t('ui.setup.save')),
      h('button', { type: 'button', class: 'link', onclick: ctx.switchLang }, t('ui.switch_lang'))),
  );
  if (needAgency) {
    call('list_printers').then((ps) => ps.forEach((p) => printer.append(h('option', { value: p.name, selected: p.default }, p.name))), () => {});
  }
  onSubmit(form, async (data) => {
    if (needAdmin) {
      checkPasswordsMatch(data.get('admin_password') || '', data.get('admin_password_again') || '');
      await call('create_first_administrator', { input: {
        name: data.get('admin_name') || '',
        display_name: data.get('admin_display_name') || '',
        roles: [],
        password: data.get('admin_password') || '',
      } });
    }
    if (needAgency) {
      await call('setup_agency', { input: {
        agency_code: data.get('agency_code') || '',
        governing_body: data.get('governing_body') || '',
        unit: data.get('unit') || '',
        place: data.get('place') || '',
        first_number: Number(data.get('first_number') || 1),
      } });
      // The desk's own printer and paper; the agency is saved even if these are refused.
      for (const key of ['printer', 'paper']) {
        await call('settings_set', { key, value: data.get(key) || '' });
      }
    }
    await ctx.reload();
  });
  ctx.root.append(h('main', { class: 'center' }, form));
  form.querySelector('input').focus();
}

// A desk that has only its computer's name ("DESKTOP-7F3K2", "vm") is asked for a name of
// its own the first time someone signs in there: it is what the dossiers' history and the
// register say about where a dossier was received.
export function renderDeskName(ctx) {
  const name = h('input', { name: 'desk', id: 'desk-name', autocomplete: 'off', placeholder: t('ui.desk_name.placeholder') });
  const form = h('form', { class: 'card setup', id: 'desk-name-form', novalidate: true },
    h('h1', {}, t('ui.desk_name.title')),
    h('p', { class: 'hint' }, t('ui.desk_name.hint')),
    field('desk', t('field.desk'), name),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'desk-name-save' }, t('ui.desk_name.save')),
      h('button', { type: 'button', class: 'link', onclick: ctx.switchLang }, t('ui.switch_lang'))));
  onSubmit(form, async () => {
    await call('name_desk', { name: name.value });
    await ctx.reload();
  });
  ctx.root.append(h('main', { class: 'center' }, form));
  name.focus();
}
