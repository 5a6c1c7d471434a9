// The outbox ("Gửi ra ngoài"): the settings screen's section (the destinations with what
// waits for each, removing one after a confirmation, adding a folder, a webhook or the
// public status host, and "Gửi ngay") and the panel the banner "N changes waiting to be
// sent" opens for those who may not change settings. Addresses come from Rust with any
// password hidden; a webhook's secret goes in from a password box and never comes back.
import { call } from '../api.js';
import { t } from '../i18n.js';
import { h, clear } from '../dom.js';
import { field, onSubmit } from './form.js';

// The kinds a destination can be, in the order the form offers them.
const KINDS = ['folder', 'webhook', 'public-status'];

function kindWord(kind) { return t('ui.outbox.kind.' + kind); }

// A failure in plain words, the system's own wording behind it for whoever fixes it.
function detailed(plain, detail) {
  return h('span', { title: detail ? t('ui.outbox.error_detail', { detail }) : null }, plain);
}

// One destination: its kind and address, and what waits for it (the age and the last
// error only while something waits). `remove`, when given, adds the remove button.
function destinationBlock(d, remove) {
  const row = (label, value, cls) => h('div', { class: 'kv' }, h('dt', {}, label), h('dd', { class: cls || null }, value));
  const block = h('div', { class: 'outbox-dest', id: 'outbox-dest-' + d.id, dataset: { id: String(d.id), kind: d.kind } },
    h('div', { class: 'outbox-head' },
      h('strong', {}, `#${d.id} ${kindWord(d.kind)}`),
      h('span', { class: 'outbox-address' }, d.target),
      remove ? h('button', { type: 'button', class: 'link outbox-remove', id: 'outbox-remove-' + d.id, onclick: () => remove(d, block) }, t('ui.settings.remove')) : null),
    h('dl', {},
      d.kind === 'public-status' ? row(t('field.outbox.public_url'), d.public_url, 'outbox-address') : null,
      d.kind === 'folder' && d.desk ? row(t('ui.outbox.col.desk'), d.desk) : null,
      d.kind !== 'public-status' ? row(t('ui.outbox.col.personal'), d.personal ? t('ui.outbox.yes') : t('ui.outbox.no'), 'outbox-personal') : null,
      row(t('ui.outbox.col.pending'), String(d.pending), 'outbox-pending'),
      d.oldest_age ? row(t('ui.outbox.col.oldest'), d.oldest_age, 'outbox-oldest') : null,
      d.last_error ? row(t('ui.outbox.col.error'), detailed(d.last_error, d.last_error_detail), 'outbox-error') : null));
  return block;
}

// "Gửi ngay": one pass over everything waiting, and what it did in words. `after` runs once
// it is done (the list and the banner show the new counts).
function sendNow(after) {
  const button = h('button', { type: 'button', id: 'outbox-send-now' }, t('ui.outbox.send_now'));
  const result = h('span', { class: 'outbox-send-result', id: 'outbox-send-result', role: 'status' });
  button.addEventListener('click', async () => {
    button.disabled = true;
    result.textContent = t('ui.outbox.sending');
    try {
      const r = await call('outbox_send_now');
      result.textContent = r.reason
        ? t('ui.outbox.sent_reason', { sent: r.sent, pending: r.pending, reason: r.reason })
        : t('ui.outbox.sent', { sent: r.sent, pending: r.pending });
      result.title = r.reason_detail ? t('ui.outbox.error_detail', { detail: r.reason_detail }) : '';
    } catch (e) {
      result.textContent = e.message || String(e);
    } finally {
      button.disabled = false;
      await after();
    }
  });
  return h('div', { class: 'actions outbox-send' }, button, result);
}

// What waits, for anyone who sees the desk (the banner's panel): a clerk needs to know
// that it is being sent, since when it waits and why it has not gone, and may try again.
export async function outboxPanel() {
  const list = h('div', { class: 'outbox-list', id: 'outbox-panel-list' });
  const load = async () => {
    clear(list);
    try {
      const all = await call('outbox_status');
      list.append(...all.filter((d) => d.pending > 0).map((d) => destinationBlock(d, null)));
    } catch (e) {
      list.append(h('div', { class: 'field-error', role: 'alert' }, e.message || String(e)));
    }
  };
  await load();
  // "Gửi ngay" and its answer above the list, in view however long the list grows.
  const panel = h('div', {},
    h('h2', {}, t('ui.outbox.panel_title')),
    sendNow(load),
    list);
  // Read again while it stays open, with each count of the banner.
  panel.reload = load;
  return panel;
}

// The settings screen's section. The banner follows its changes by itself (app.js counts
// again after every command the window makes).
export async function outboxSection() {
  const box = h('section', { class: 'card wide', id: 'outbox' }, h('h2', {}, t('ui.outbox.title')),
    h('p', { class: 'hint' }, t('ui.outbox.hint')));
  const list = h('div', { class: 'outbox-list', id: 'outbox-list' });
  const load = async () => {
    clear(list);
    let all = [];
    try {
      all = await call('outbox_status');
    } catch (e) {
      list.append(h('div', { class: 'field-error', role: 'alert' }, e.message || String(e)));
      return;
    }
    if (!all.length) list.append(h('p', { id: 'outbox-none' }, t('ui.outbox.none')));
    list.append(...all.map((d) => destinationBlock(d, askRemove)));
  };
  const afterChange = load;

  // Removing drops what still waits for it: asked first, in place, as office settings are.
  function askRemove(d, block) {
    if (block.querySelector('.confirm')) return;
    const confirmBox = h('div', { class: 'confirm banner warn', id: 'outbox-remove-confirm', role: 'alertdialog' },
      h('p', {}, t('ui.outbox.remove_confirm', { id: d.id, address: d.target, pending: d.pending })),
      h('div', { class: 'field-error', role: 'alert' }),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'danger', id: 'outbox-remove-yes', onclick: yes }, t('ui.outbox.remove_yes')),
        h('button', { type: 'button', class: 'link', onclick: () => confirmBox.remove() }, t('ui.cancel'))));
    block.append(confirmBox);
    confirmBox.querySelector('button').focus();
    async function yes() {
      try {
        await call('outbox_remove', { id: d.id });
        await afterChange();
      } catch (e) {
        confirmBox.querySelector('.field-error').textContent = e.message || String(e);
      }
    }
  }

  box.append(list, sendNow(afterChange), addForm(afterChange));
  await load();
  return box;
}

// Adding a destination: the fields of the kind chosen, each refusal at its field.
function addForm(afterChange) {
  const kind = h('select', { name: 'kind', id: 'outbox-kind' }, KINDS.map((k) => h('option', { value: k }, kindWord(k))));
  const target = h('input', { name: 'target', id: 'outbox-target', autocomplete: 'off', spellcheck: 'false' });
  const publicUrl = h('input', { name: 'public_url', id: 'outbox-public-url', autocomplete: 'off', spellcheck: 'false', placeholder: 'https://' });
  // A password box: the secret is typed or pasted, never shown, never filled in again.
  const secret = h('input', { name: 'secret', id: 'outbox-secret', type: 'password', autocomplete: 'new-password' });
  const timeout = h('input', { name: 'timeout', id: 'outbox-timeout', type: 'number', min: '1', max: '300', value: '10' });
  const personal = h('input', { name: 'personal', id: 'outbox-personal', type: 'checkbox' });
  const targetField = field('outbox.target', '', target);
  const publicField = field('outbox.public_url', t('ui.outbox.public_url'), publicUrl);
  const secretField = field('outbox.secret', t('field.outbox.secret'), secret);
  secretField.append(h('div', { class: 'hint' }, t('ui.outbox.secret_hint')));
  const timeoutField = field('outbox.timeout', t('field.outbox.timeout'), timeout, { class: 'narrow' });
  const personalBox = h('label', { class: 'check' }, personal, t('field.outbox.personal'));
  const kindHint = h('p', { class: 'hint', id: 'outbox-kind-hint' });
  const done = h('div', { class: 'export-result', id: 'outbox-added', role: 'status' });
  const form = h('form', { class: 'outbox-add', id: 'outbox-add', novalidate: true },
    h('h3', {}, t('ui.outbox.add_title')),
    field('outbox.kind', t('field.outbox.kind'), kind, { class: 'narrow' }),
    kindHint, targetField, publicField, secretField, timeoutField, personalBox,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'outbox-save' }, t('ui.outbox.add'))),
    done);
  const show = () => {
    const k = kind.value;
    targetField.querySelector('label').textContent = t({ folder: 'ui.outbox.folder_path', webhook: 'ui.outbox.webhook_url', 'public-status': 'ui.outbox.put_url' }[k]);
    target.placeholder = k === 'folder' ? '' : 'https://';
    kindHint.textContent = t({ folder: 'ui.outbox.folder_hint', webhook: 'ui.outbox.secret_hint', 'public-status': 'ui.outbox.public_hint' }[k]);
    kindHint.hidden = k === 'webhook';
    publicField.hidden = k !== 'public-status';
    secretField.hidden = k !== 'webhook';
    timeoutField.hidden = k !== 'webhook';
    personalBox.hidden = k === 'public-status';
  };
  kind.addEventListener('change', () => { done.textContent = ''; done.className = 'export-result'; show(); });
  show();
  onSubmit(form, async () => {
    done.textContent = ''; done.className = 'export-result';
    const k = kind.value;
    const input = {
      kind: k,
      target: target.value,
      public_url: k === 'public-status' ? publicUrl.value : '',
      secret: k === 'webhook' ? secret.value : '',
      personal: k !== 'public-status' && personal.checked,
      timeout_seconds: k === 'webhook' && timeout.value !== '' ? Number(timeout.value) : null,
    };
    const added = await call('outbox_add', { input });
    secret.value = ''; target.value = ''; publicUrl.value = ''; personal.checked = false;
    done.className = 'export-result banner ok';
    done.textContent = t('ui.outbox.added', { id: added.id });
    await afterChange();
  });
  return form;
}
