// Dates as Vietnamese write them: day first, in every field and on every screen, whatever
// the computer's locale (a browser date picker would follow the locale: mm/dd/yyyy under
// en-US). The core reads what the clerk types (05/12/2026, 5/12, 5-12-26) and says which
// field is wrong; the page only formats.
import { t } from './i18n.js';
import { h } from './dom.js';

export function dateInput(attrs) {
  return h('input', {
    type: 'text', inputmode: 'numeric', autocomplete: 'off', spellcheck: 'false',
    class: 'date', placeholder: t('ui.date_placeholder'), maxlength: '10', ...attrs,
  });
}

// `2026-12-05` (or the start of an RFC 3339 moment) as `05/12/2026`.
export function dmy(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (iso || '');
}

// Today's date in Vietnam (UTC+7) whatever the computer's zone, as YYYY-MM-DD.
export function vnToday() {
  return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
}
