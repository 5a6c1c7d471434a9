// Builds elements from data without ever parsing it as HTML, so a name like
// "<img onerror=…>" is shown as text.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

// Vietnam wall-clock from an RFC 3339 string that already carries +07:00.
export function vnTime(rfc3339) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(rfc3339 || '');
  return m ? `${m[4]}:${m[5]} ${m[3]}/${m[2]}/${m[1]}` : '';
}

export function vnDate(rfc3339) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(rfc3339 || '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}
