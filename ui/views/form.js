// Labelled fields with a place for their error, and the mapping of a core error onto them.
import { h } from '../dom.js';

export function field(path, label, input, extra = {}) {
  const id = 'f-' + path.replace(/[^a-z0-9]+/gi, '-');
  input.id = input.id || id;
  input.dataset.field = path;
  return h('div', { class: 'field ' + (extra.class || ''), dataset: { field: path } },
    h('label', { for: input.id }, label),
    input,
    h('div', { class: 'field-error', id: id + '-error', role: 'alert' }));
}

export function clearFieldErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
  const general = form.querySelector('.form-error');
  if (general) general.remove();
}

export function showFieldErrors(form, error) {
  let placed = 0;
  for (const f of (error && error.fields) || []) {
    const box = form.querySelector(`.field[data-field="${CSS.escape(f.field)}"]`);
    if (box) {
      box.classList.add('invalid');
      box.querySelector('.field-error').textContent = f.message;
      // The message is about the value that was refused: once the clerk changes it, it no
      // longer applies (the next save checks the new value).
      const fixed = () => {
        box.classList.remove('invalid');
        box.querySelector('.field-error').textContent = '';
        box.removeEventListener('input', fixed);
        box.removeEventListener('change', fixed);
      };
      box.addEventListener('input', fixed);
      box.addEventListener('change', fixed);
      placed++;
    }
  }
  if (placed === 0 || placed < ((error && error.fields) || []).length) {
    form.prepend(h('div', { class: 'banner error form-error', role: 'alert' }, (error && error.message) || String(error)));
  }
  const first = form.querySelector('.field.invalid input, .field.invalid select, .field.invalid textarea');
  if (first) {
    first.scrollIntoView({ block: 'center' });
    first.focus();
  }
}
