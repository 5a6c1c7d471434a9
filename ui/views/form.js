// Labelled fields with a place for their error, the mapping of a core error onto them, and
// the submit every form of the window shares.
import { h } from '../dom.js';
import { t } from '../i18n.js';

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

// A form's submit: the last errors cleared, `work` done with what the form holds, a refusal
// shown at its fields (and handed to `failed`, when given). A second submit while the first
// is still at work is ignored: Enter pressed twice must not save twice.
export function onSubmit(form, work, failed) {
  let busy = false;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (busy) return;
    busy = true;
    clearFieldErrors(form);
    try {
      await work(new FormData(form));
    } catch (e) {
      showFieldErrors(form, e);
      if (failed) failed(e);
    } finally {
      busy = false;
    }
  });
}

// Two password boxes that differ, refused before anything is sent, at the second box.
export function checkPasswordsMatch(password, again) {
  if (password === again) return;
  const message = t('ui.password_mismatch');
  throw { kind: 'invalid', message, fields: [{ field: 'account.password_again', message }] };
}

// A refusal in one line, for a place with no field to point at: what each field was refused
// for, or else the error's own message.
export function errorText(e) {
  return (e.fields && e.fields.length) ? e.fields.map((f) => f.message).join('; ') : e.message;
}
