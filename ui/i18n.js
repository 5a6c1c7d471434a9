// Labels come from the core's language tables (core/locales/*.json): one place per language.
import { call } from './api.js';

let table = {};
let current = 'vi';

export async function loadStrings() {
  const r = await call('ui_strings');
  table = r.strings; current = r.lang;
  document.documentElement.lang = current;
}

export async function setLang(lang) {
  const r = await call('set_lang', { lang });
  table = r.strings; current = r.lang;
  document.documentElement.lang = current;
}

export function lang() { return current; }

export function t(key, args = {}) {
  let s = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : key;
  for (const [k, v] of Object.entries(args)) s = s.split(`{${k}}`).join(String(v));
  return s;
}
