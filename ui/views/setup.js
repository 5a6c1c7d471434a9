// First run: the agency that will print the receipts.
import { call } from '../api.js';
import { t } from '../i18n.js';
import { h } from '../dom.js';
import { showFieldErrors, clearFieldErrors, field } from './form.js';

export function renderSetup(ctx) {
  const printer = h('select', { name: 'printer', id: 'setup-printer' }, h('option', { value: '' }, t('ui.settings.default_printer')));
  call('list_printers').then((ps) => ps.forEach((p) => printer.append(h('option', { value: p.name, selected: p.default }, p.name))), () => {});
  const form = h('form', { class: 'card setup', id: 'setup-form', novalidate: true },
    h('h1', {}, t('ui.setup.title')),
    h('p', { class: 'hint' }, t('ui.setup.hint')),
    field('agency.governing_body', t('field.agency.governing_body'), h('input', { name: 'governing_body', placeholder: 'UBND XÃ HƯỚNG THỌ PHÚ', autocomplete: 'off' })),
    field('agency.unit', t('field.agency.unit'), h('input', { name: 'unit', placeholder: 'TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG', autocomplete: 'off' })),
    field('agency.place', t('field.agency.place'), h('input', { name: 'place', placeholder: 'Hướng Thọ Phú', autocomplete: 'off' })),
    field('agency.code', t('field.agency.code'), h('input', { name: 'agency_code', placeholder: '000.00.14.H56', autocomplete: 'off', spellcheck: 'false' })),
    field('agency.first_number', t('field.agency.first_number'), h('input', { name: 'first_number', type: 'number', min: '1', value: '1' })),
    h('div', { class: 'grid2' },
      field('printer', t('setting.printer'), printer),
      field('paper', t('setting.paper'), h('select', { name: 'paper', id: 'setup-paper' },
        h('option', { value: 'a5' }, 'A5'), h('option', { value: 'a4' }, 'A4'), h('option', { value: '80mm' }, '80 mm')))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'setup-save' }, t('ui.setup.save')),
      h('button', { type: 'button', class: 'link', onclick: ctx.switchLang }, t('ui.switch_lang'))),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    const data = new FormData(form);
    const input = {
      agency_code: data.get('agency_code') || '',
      governing_body: data.get('governing_body') || '',
      unit: data.get('unit') || '',
      place: data.get('place') || '',
      first_number: Number(data.get('first_number') || 1),
    };
    try {
      await call('setup_agency', { input });
      // The desk's own printer and paper; the agency is saved even if these are refused.
      for (const key of ['printer', 'paper']) {
        await call('settings_set', { key, value: data.get(key) || '' });
      }
      await ctx.reload();
    } catch (e) {
      showFieldErrors(form, e);
    }
  });
  ctx.root.append(h('main', { class: 'center' }, form));
  form.querySelector('input').focus();
}
