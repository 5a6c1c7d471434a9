// Registering a dossier, keyboard first: procedure by type-ahead, applicant (filled from the
// ID card or the citizen's last dossier), the documents checklist, return at the desk or by
// post, the live appointment, and Ctrl+Enter to save and print.
import { call } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, vnTime } from '../dom.js';
import { field, clearFieldErrors, showFieldErrors } from './form.js';
import { onScan, looksLikeIdCard, looksLikeSlip } from '../scanner.js';
import { confirmDiscard } from '../confirm.js';
import { showPreview } from './preview.js';
import { deskScanning, scanTools, sayLine, stagedChips } from './scans.js';

function newRequestId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const input = (attrs) => h('input', { autocomplete: 'off', spellcheck: 'false', ...attrs });

export function renderIntake(ctx, container) {
  let requestId = newRequestId();
  let procedure = null;
  let saving = null;
  // The desk's scanner and watched folder, for each row's scan buttons.
  let desk = { scanner: false, folder: false };
  deskScanning().then((d) => { desk = d; });

  // Procedure picker: type a name without diacritics or a code, arrows to choose, Enter.
  const procInput = input({ id: 'f-procedure', placeholder: t('ui.intake.procedure_hint'), role: 'combobox', 'aria-expanded': 'false', 'aria-controls': 'procedure-options' });
  const options = h('ul', { class: 'options', id: 'procedure-options', role: 'listbox', hidden: true });
  const chosen = h('div', { class: 'chosen', id: 'procedure-chosen' });
  let offered = [];
  let active = 0;

  const name = input({ name: 'applicant.name' });
  const idNumber = input({ name: 'applicant.id_number', inputmode: 'numeric' });
  const phone = input({ name: 'applicant.phone', inputmode: 'tel' });
  const email = input({ name: 'applicant.email', type: 'email' });
  const address = input({ name: 'applicant.address' });
  const returning = h('div', { class: 'offer', id: 'returning-offer', hidden: true });
  const idCardNote = h('div', { class: 'banner warn', id: 'idcard-note', role: 'status', hidden: true });

  const bySomeoneElse = h('input', { type: 'checkbox', id: 'f-submitter-toggle' });
  const subName = input({ name: 'submitter.name' });
  const subId = input({ name: 'submitter.id_number', inputmode: 'numeric' });
  const subPhone = input({ name: 'submitter.phone', inputmode: 'tel' });
  const submitterBox = h('div', { class: 'grid3', hidden: true },
    field('submitter.name', t('field.submitter.name'), subName),
    field('submitter.id_number', t('field.submitter.id_number'), subId),
    field('submitter.phone', t('field.submitter.phone'), subPhone));
  bySomeoneElse.addEventListener('change', () => { submitterBox.hidden = !bySomeoneElse.checked; });

  const docsBody = h('tbody', { id: 'documents' });
  const addDoc = h('button', { type: 'button', class: 'small', id: 'add-document' }, '+ ' + t('ui.intake.add_document'));
  addDoc.addEventListener('click', () => { const r = docRow({ name: '', originals: 0, copies: 1 }, docsBody.children.length, true); docsBody.append(r); r.querySelector('.doc-name').focus(); });

  const sets = input({ name: 'sets', type: 'number', min: '1', max: '99', value: '1' });
  const atDesk = h('input', { type: 'radio', name: 'return', value: 'desk', id: 'return-desk', checked: true });
  const byPost = h('input', { type: 'radio', name: 'return', value: 'post', id: 'return-post' });
  const postAddress = input({ name: 'return.address' });
  const postCommune = input({ name: 'return.commune' });
  const postProvince = input({ name: 'return.province' });
  const postRecipient = input({ name: 'return.recipient' });
  const postPhone = input({ name: 'return.phone', inputmode: 'tel' });
  const postBox = h('div', { class: 'postal', id: 'postal-fields', hidden: true },
    field('return.recipient', t('field.return.recipient'), postRecipient),
    field('return.phone', t('field.return.phone'), postPhone),
    field('return.address', t('field.return.address'), postAddress),
    h('div', { class: 'grid2' },
      field('return.commune', t('field.return.commune'), postCommune),
      field('return.province', t('field.return.province'), postProvince)));
  for (const r of [atDesk, byPost]) r.addEventListener('change', () => { postBox.hidden = !byPost.checked; });
  // Any-desk intake: the competent authority, when it is not this office, from the
  // office's list (settings); offered only for a procedure receivable at any desk.
  const authority = h('select', { name: 'authority', id: 'f-authority' });
  const authorityBox = h('div', { id: 'authority-box', hidden: true },
    field('authority', t('field.authority'), authority),
    h('div', { class: 'hint' }, t('ui.intake.any_desk')));
  const note = h('textarea', { name: 'note', rows: '2' });
  const due = h('div', { class: 'due', id: 'due-preview', 'aria-live': 'polite' }, t('ui.intake.due_none'));

  const saveBtn = h('button', { type: 'submit', class: 'primary', id: 'intake-save-print', title: 'Ctrl+Enter' }, t('ui.intake.save_print'), h('kbd', {}, 'Ctrl+Enter'));
  const saveOnly = h('button', { type: 'button', id: 'intake-save', title: 'Ctrl+S' }, t('ui.intake.save'), h('kbd', {}, 'Ctrl+S'));
  const clearBtn = h('button', { type: 'button', class: 'link', id: 'intake-clear' }, t('ui.intake.clear'));

  const form = h('form', { class: 'intake', id: 'intake-form', novalidate: true },
    h('div', { class: 'intake-cols' },
      h('section', { class: 'col' },
        h('h2', {}, t('ui.intake.title')),
        h('div', { class: 'field picker', dataset: { field: 'procedure' } },
          h('label', { for: 'f-procedure' }, t('field.procedure')),
          procInput, options, chosen,
          h('div', { class: 'field-error', id: 'f-procedure-error', role: 'alert' })),
        idCardNote,
        h('div', { class: 'grid2' },
          field('applicant.id_number', t('field.applicant.id_number'), idNumber),
          field('applicant.name', t('field.applicant.name'), name)),
        returning,
        h('div', { class: 'grid2' },
          field('applicant.phone', t('field.applicant.phone'), phone),
          field('applicant.email', t('field.applicant.email'), email)),
        field('applicant.address', t('field.applicant.address'), address),
        h('label', { class: 'check' }, bySomeoneElse, ' ', t('ui.intake.submitter')),
        submitterBox),
      h('section', { class: 'col' },
        h('div', { class: 'docs-head' }, h('h3', {}, t('field.documents')), addDoc),
        h('div', { class: 'field', dataset: { field: 'documents' } },
          h('table', { class: 'docs' },
            h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, t('field.documents.name')), h('th', {}, t('ui.intake.originals')), h('th', {}, t('ui.intake.copies')))),
            docsBody),
          h('div', { class: 'field-error', role: 'alert' })),
        h('div', { class: 'grid2' },
          field('sets', t('field.sets'), sets),
          h('fieldset', { class: 'return' }, h('legend', {}, t('field.return.method')),
            h('label', {}, atDesk, ' ', t('ui.intake.at_desk')),
            h('label', {}, byPost, ' ', t('ui.intake.by_post')))),
        postBox,
        authorityBox,
        field('note', t('field.note'), note),
        due)),
    h('footer', { class: 'intake-actions' }, saveBtn, saveOnly, clearBtn,
      h('span', { class: 'hint' }, t('ui.intake.keys'))));

  function docRow(d, i, custom) {
    const checked = h('input', { type: 'checkbox', class: 'doc-on', checked: true, 'aria-label': t('ui.intake.received') });
    const nameEl = custom
      ? input({ class: 'doc-name', value: d.name, 'aria-label': t('field.documents.name') })
      : h('span', { class: 'doc-name' }, d.name);
    const originals = input({ type: 'number', class: 'num', min: '0', max: '99', value: String(d.originals), 'aria-label': t('ui.intake.originals') });
    const copies = input({ type: 'number', class: 'num', min: '0', max: '99', value: String(d.copies), 'aria-label': t('ui.intake.copies') });
    // A document the catalog marks as obtainable from data: ticked, it is taken from the
    // database or VNeID and counts neither originals nor copies.
    const fromData = d.from_data ? h('input', { type: 'checkbox', class: 'doc-data', id: `doc-data-${i}` }) : null;
    if (fromData) {
      fromData.addEventListener('change', () => {
        for (const n of [originals, copies]) {
          n.disabled = fromData.checked;
          if (fromData.checked) n.value = '0';
          else n.value = n.defaultValue;
        }
        if (fromData.checked) checked.checked = true;
        // Taken from data, the row has no paper to scan.
        tools.hidden = fromData.checked;
      });
    }
    // Papers scanned or chosen for this row, attached once the dossier is registered.
    const staged = [];
    const chips = h('div', { class: 'staged-box' });
    const drawChips = () => {
      clear(chips).append(stagedChips(String(i + 1), staged, (k) => {
        const [gone] = staged.splice(k, 1);
        call('discard_staged', { tokens: [gone.token] }).catch(() => {});
        drawChips();
      }));
    };
    const say = sayLine(`intake-${i + 1}`);
    const tools = scanTools({ id: `intake-${i + 1}`, result: false, desk, say: say.say,
      stageInto: (list) => { staged.push(...list); checked.checked = true; drawChips(); } });
    const row = h('tr', { dataset: { index: String(i) } },
      h('td', {}, checked),
      h('td', { class: 'field', dataset: { field: `documents[${i}].name` } }, nameEl,
        fromData ? h('label', { class: 'check doc-data-label', for: `doc-data-${i}` }, fromData, ' ', t('ui.intake.from_data')) : null,
        tools, chips, say,
        h('div', { class: 'field-error' }),
        h('div', { class: 'field', dataset: { field: `documents[${i}].from_data` } }, h('div', { class: 'field-error' }))),
      h('td', { class: 'field', dataset: { field: `documents[${i}].originals` } }, originals, h('div', { class: 'field-error' })),
      h('td', { class: 'field', dataset: { field: `documents[${i}].copies` } }, copies, h('div', { class: 'field-error' })));
    row.staged = staged;
    row.read = () => checked.checked ? {
      name: custom ? nameEl.value : d.name,
      originals: Number(originals.value || 0),
      copies: Number(copies.value || 0),
      from_data: !!(fromData && fromData.checked),
    } : null;
    return row;
  }

  async function offer(text) {
    try {
      offered = (await call('procedures', { text })).slice(0, 12);
    } catch (e) { offered = []; }
    active = 0;
    clear(options);
    options.hidden = offered.length === 0;
    procInput.setAttribute('aria-expanded', String(!options.hidden));
    offered.forEach((p, i) => options.append(h('li', {
      role: 'option', id: 'proc-opt-' + i, class: i === active ? 'active' : '',
      dataset: { code: p.code },
      onmousedown: (ev) => { ev.preventDefault(); choose(p); },
    }, h('span', { class: 'code' }, p.code), ' ', p.name)));
  }

  function highlight() {
    [...options.children].forEach((li, i) => li.classList.toggle('active', i === active));
    const li = options.children[active];
    if (li) { li.scrollIntoView({ block: 'nearest' }); procInput.setAttribute('aria-activedescendant', li.id); }
  }

  async function choose(p) {
    procedure = p;
    procInput.value = `${p.code} – ${p.name}`;
    options.hidden = true;
    procInput.setAttribute('aria-expanded', 'false');
    clear(chosen).append(h('span', { class: 'hint' }, `${p.field} · ${limitText(p.limit)}${p.fee_text ? ' · ' + p.fee_text : ''}`));
    discardStaged();
    clear(docsBody);
    p.documents.filter((d) => d.required).forEach((d, i) => docsBody.append(docRow(d, i, false)));
    p.documents.filter((d) => !d.required).forEach((d, i) => {
      const r = docRow(d, docsBody.children.length + i, false);
      r.querySelector('.doc-on').checked = false;
      docsBody.append(r);
    });
    showAuthorities(p);
    refreshDue();
    idNumber.focus();
  }

  async function showAuthorities(p) {
    authorityBox.hidden = !p.any_desk;
    clear(authority).append(h('option', { value: '' }, t('ui.intake.authority_self')));
    if (!p.any_desk) return;
    const names = await call('authorities').catch(() => []);
    authority.append(...names.map((n) => h('option', { value: n }, n)));
  }

  let dueTimer = null;
  async function refreshDue() {
    clearTimeout(dueTimer);
    if (!procedure) return;
    try {
      const r = await call('preview_due', { procedure: procedure.code });
      clear(due).append(t('ui.intake.due'), ' ', h('strong', { id: 'due-at' }, vnTime(r.due_at)));
    } catch (e) {
      clear(due).append(h('span', { class: 'error' }, e.message));
    }
    // The appointment moves with the clock (the same-day cutoff, the end of the day).
    // Rust does not count this timer's call as activity, so an unattended form still locks.
    dueTimer = setTimeout(refreshDue, 60000);
  }

  let procTimer = null;
  procInput.addEventListener('input', () => {
    procedure = null;
    clearTimeout(procTimer);
    procTimer = setTimeout(() => offer(procInput.value.trim()), 80);
  });
  procInput.addEventListener('focus', () => { if (!procedure) offer(procInput.value.trim()); });
  procInput.addEventListener('blur', () => setTimeout(() => { options.hidden = true; }, 150));
  procInput.addEventListener('keydown', (ev) => {
    if (options.hidden) return;
    if (ev.key === 'ArrowDown') { ev.preventDefault(); active = Math.min(active + 1, offered.length - 1); highlight(); }
    else if (ev.key === 'ArrowUp') { ev.preventDefault(); active = Math.max(active - 1, 0); highlight(); }
    else if (ev.key === 'Enter' || ev.key === 'Tab') {
      if (offered[active] && !ev.ctrlKey) { ev.preventDefault(); choose(offered[active]); }
    } else if (ev.key === 'Escape') { options.hidden = true; }
  });

  // A returning citizen: a known ID number offers their last name, phone and address.
  let lastAsked = '';
  idNumber.addEventListener('input', async () => {
    const v = idNumber.value.trim();
    if (!/^\d{9}$|^\d{12}$/.test(v) || v === lastAsked) { if (!/^\d{9}$|^\d{12}$/.test(v)) returning.hidden = true; return; }
    lastAsked = v;
    try {
      const a = await call('last_applicant', { idNumber: v });
      if (!a || idNumber.value.trim() !== v) { returning.hidden = true; return; }
      const fill = h('button', { type: 'button', class: 'small primary', id: 'returning-fill' }, t('ui.intake.fill') + ' (Alt+F)');
      const apply = () => {
        name.value = a.name; phone.value = a.phone || ''; email.value = a.email || ''; address.value = a.address;
        returning.hidden = true;
        phone.focus();
      };
      fill.addEventListener('click', apply);
      returning.apply = apply;
      clear(returning).append(h('span', {}, t('ui.intake.returning', { name: a.name })), ' ', fill);
      returning.hidden = false;
    } catch (e) { returning.hidden = true; }
  });

  async function idCard(text) {
    try {
      const card = await call('parse_id_card', { text });
      idNumber.value = card.id_number || '';
      lastAsked = idNumber.value;
      returning.hidden = true;
      name.value = card.name || '';
      address.value = card.address || '';
      for (const el of form.querySelectorAll('.field.check-me')) el.classList.remove('check-me');
      const suspect = card.suspect || [];
      for (const f of suspect) {
        const box = form.querySelector(`.field[data-field="applicant.${CSS.escape(f)}"]`);
        if (box) box.classList.add('check-me');
      }
      idCardNote.hidden = false;
      idCardNote.className = suspect.length ? 'banner warn' : 'banner ok';
      idCardNote.textContent = suspect.length ? t('ui.intake.idcard_check') : t('ui.intake.idcard_read');
      (suspect.length ? form.querySelector('.field.check-me input') : phone).focus();
    } catch (e) {
      idCardNote.hidden = false;
      idCardNote.className = 'banner error';
      idCardNote.textContent = e.message;
    }
  }

  onScan((text) => {
    if (looksLikeIdCard(text)) { idCard(text); return true; }
    if (looksLikeSlip(text)) {
      idCardNote.hidden = false;
      idCardNote.className = 'banner warn';
      idCardNote.textContent = t('ui.intake.not_idcard');
      return true;
    }
    return false;
  });

  function request() {
    const documents = [...docsBody.children].map((r) => r.read()).filter(Boolean);
    const post = byPost.checked;
    return {
      procedure: procedure ? procedure.code : procInput.value.trim().split(/\s/)[0] || '',
      applicant: { name: name.value, id_number: idNumber.value, phone: phone.value, email: email.value, address: address.value },
      submitter: bySomeoneElse.checked ? { name: subName.value, id_number: subId.value, phone: subPhone.value } : null,
      documents,
      sets: Number(sets.value || 1),
      return: post
        ? { method: 'post', recipient: postRecipient.value, phone: postPhone.value, address: postAddress.value, commune: postCommune.value, province: postProvince.value }
        : { method: 'desk' },
      note: note.value,
      authority: procedure && procedure.any_desk ? authority.value : '',
      request_id: requestId,
    };
  }

  // One save at a time; a second click or key while saving waits for the same answer, and
  // the request id makes even a resent form return the same dossier.
  async function save(print) {
    if (saving) return saving;
    clearFieldErrors(form);
    saving = (async () => {
      form.classList.add('busy');
      try {
        const dossier = await call('intake', { request: request() });
        const failed = await attachStaged(dossier.code);
        showPreview(ctx, dossier, { print, onNew: reset });
        const status = document.getElementById('preview-status');
        if (failed.length && status) {
          status.before(h('div', { class: 'banner error', id: 'preview-scans-error', role: 'alert' }, failed.join(' ')));
        }
      } catch (e) {
        showFieldErrors(form, e);
      } finally {
        form.classList.remove('busy');
        saving = null;
      }
    })();
    return saving;
  }

  // Each checked row's staged papers into the registered dossier: the row's number there is
  // its place among the checked rows. What fails stays staged and is said on the preview.
  async function attachStaged(code) {
    const failed = [];
    const rows = [...docsBody.children].filter((r) => r.read());
    for (const [k, r] of rows.entries()) {
      if (!r.staged.length) continue;
      try {
        await call('attach_staged', { code, doc: k + 1, result: false, tokens: r.staged.map((s) => s.token) });
        r.staged.length = 0;
      } catch (e) {
        failed.push(t('ui.scans.attach_failed', { row: k + 1, message: e.message }));
      }
    }
    return failed;
  }

  // Staged papers of rows that go away (another procedure, a cleared form) are dropped.
  function discardStaged() {
    const tokens = [...docsBody.children].flatMap((r) => (r.staged || []).map((s) => s.token));
    if (tokens.length) call('discard_staged', { tokens }).catch(() => {});
  }

  function reset() {
    discardStaged();
    requestId = newRequestId();
    procedure = null;
    form.reset();
    clear(docsBody); clear(chosen); clear(authority);
    authorityBox.hidden = true;
    clear(due).append(t('ui.intake.due_none'));
    postBox.hidden = true; submitterBox.hidden = true; returning.hidden = true; idCardNote.hidden = true;
    lastAsked = '';
    clearFieldErrors(form);
    for (const el of form.querySelectorAll('.field.check-me')) el.classList.remove('check-me');
    procInput.focus();
  }

  form.addEventListener('submit', (ev) => { ev.preventDefault(); save(true); });
  saveOnly.addEventListener('click', () => save(false));
  // Unsaved work: anything typed or chosen since the form was last empty.
  function dirty() {
    if (procedure) return true;
    if ([...docsBody.children].some((r) => r.staged && r.staged.length)) return true;
    return [...form.querySelectorAll('input, textarea')]
      .some((el) => !['radio', 'checkbox', 'hidden', 'number'].includes(el.type) && el.value.trim() !== el.defaultValue.trim());
  }
  clearBtn.addEventListener('click', async () => { if (!dirty() || await confirmDiscard()) reset(); });
  form.addEventListener('keydown', (ev) => {
    if (ev.ctrlKey && ev.key === 'Enter') { ev.preventDefault(); save(true); }
    else if (ev.ctrlKey && (ev.key === 's' || ev.key === 'S')) { ev.preventDefault(); save(false); }
    else if (ev.altKey && (ev.key === 'f' || ev.key === 'F') && !returning.hidden && returning.apply) { ev.preventDefault(); returning.apply(); }
    // Enter in a field moves on instead of submitting half a form.
    else if (ev.key === 'Enter' && !ev.ctrlKey && ev.target.tagName === 'INPUT' && ev.target !== procInput) {
      ev.preventDefault();
      const focusable = [...form.querySelectorAll('input:not([type=radio]), textarea, button')].filter((el) => !el.closest('[hidden]') && !el.disabled);
      const next = focusable[focusable.indexOf(ev.target) + 1];
      if (next) next.focus();
    }
  });

  clear(container).append(form);
  procInput.focus();
  return { reset, dirty, destroy: () => clearTimeout(dueTimer) };
}

function limitText(limit) {
  if (!limit) return '';
  if (limit.unit === 'same_day') return t('ui.limit.same_day', { cutoff: String(limit.cutoff || '').slice(0, 5) });
  return t(limit.unit === 'calendar_days' ? 'ui.limit.calendar_days' : 'ui.limit.working_days', { n: limit.days });
}
