// Desk scanners in keyboard mode are keyboards that type very fast: a burst of keys ending
// in Enter is a scan, wherever the focus is, if it reads as what a desk scans (a receipt's
// QR or barcode, an ID card's QR). The burst's characters are then taken back out of the
// field they fell into, so a scan never leaves a QR payload in a name field. Anything else,
// however fast, is typing and stays where it was typed, and a password field is always
// typing. A scanner in serial mode is read by the Rust side, which sends each line as a
// `scanner-line` event.
const MAX_GAP_MS = 50;
const MIN_LENGTH = 6;

let handler = null;
let burst = fresh(0);

function fresh(at) {
  return { text: '', last: at, target: null, before: null };
}

function editable(el) {
  if (!el) return false;
  if (el.tagName === 'TEXTAREA') return true;
  return el.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit', 'number'].includes(el.type);
}

// One screen listens at a time: the main screen opens dossiers, the intake form reads ID cards.
// The handler answers whether it took the scan; a burst it leaves (a fast typist, a code
// typed into a form) stays where it was typed.
export function onScan(fn) { handler = fn; }

document.addEventListener('keydown', (ev) => {
  const at = performance.now();
  if (at - burst.last > MAX_GAP_MS) {
    burst = fresh(at);
    const el = document.activeElement;
    if (editable(el)) { burst.target = el; burst.before = el.value; }
  }
  burst.last = at;
  if (ev.key === 'Enter') {
    let text = burst.text;
    let { target, before } = burst;
    burst = fresh(0);
    // Some scanners pause between keys, and a busy computer can hold keys back mid-burst
    // (the intake form looks a number up as soon as its 12th digit is in); but no clerk
    // types a '|' or "MC1:" into a field, so a field ending in an ID card or a slip payload
    // is a scan whatever its pace, however the burst was split. That holds even when the
    // last part alone reads like a card: the rest of a card after its number does.
    const el = document.activeElement;
    if (el && el.type === 'password') return;
    let paused = false;
    if (editable(el)) {
      const at = el.value.search(/\d{9,12}\s*\||MC1:|https?:\/\//i);
      const begunBefore = el === target && before !== null && at < before.length;
      if (at >= 0 && (!scannable(text) || begunBefore) && scannable(el.value.slice(at))) {
        text = el.value.slice(at);
        target = el;
        before = el.value.slice(0, at);
        paused = true;
      }
    }
    // A burst that only completes what was typed before it (a typist's pause split a code)
    // is still typing.
    if (!paused && before && scannable(before + text)) return;
    if (text.length < MIN_LENGTH || !scannable(text) || !handler || !handler(text)) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
    if (target && target.value !== before) {
      target.value = before;
      target.dispatchEvent(new Event('input', { bubbles: true }));
    }
    return;
  }
  if (ev.key.length === 1 && !ev.ctrlKey && !ev.altKey && !ev.metaKey) burst.text += ev.key;
}, true);

const events = window.__TAURI__ && window.__TAURI__.event;
if (events) {
  events.listen('scanner-line', (e) => {
    const line = typeof e.payload === 'string' ? e.payload : (e.payload && e.payload.line) || '';
    if (line && handler) handler(line);
  });
}

// What a desk scanner reads: a receipt's QR payload or lookup URL, its barcode (the dossier
// code), or an ID card's QR.
function scannable(text) {
  return looksLikeSlip(text) || looksLikeIdCard(text) || /^\s*[\w.]+-\d{6}-\d{4,}\s*$/.test(text);
}

// A receipt's QR payload or a lookup URL: never typed by hand.
export function looksLikeSlip(text) {
  return /^\s*(MC1:|https?:\/\/)/i.test(text);
}

// An ID card's QR (domain §8) is fields separated by '|' and starts with the 12-digit number;
// a receipt's payload is MC1:…, a URL or a bare code.
export function looksLikeIdCard(text) {
  return /^\s*\d{12}\s*\|/.test(text) || (text.split('|').length >= 5 && /\d{9,12}/.test(text));
}
