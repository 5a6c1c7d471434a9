// The window's icons: drawn here as strokes on a 24-pixel grid, so they come with the app
// (no icon font, nothing fetched) and take the colour of the text beside them. Each one is
// decoration beside a word, hidden from screen readers.
const NS = 'http://www.w3.org/2000/svg';

const SHAPES = {
  intake: ['M14 3H6a1 1 0 0 0-1 1v16a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V8z', 'M14 3v5h5', 'M12 11v6', 'M9 14h6'],
  lists: ['M3 6a1 1 0 0 1 1-1h5l2 2h9a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1z'],
  reports: ['M4 20h16', 'M7 16v-5', 'M12 16V6', 'M17 16v-8'],
  transfer: ['M4 8h13', 'M13 4l4 4-4 4', 'M20 16H7', 'M11 12l-4 4 4 4'],
  settings: ['M4 6h10', 'M18 6h2', 'M4 12h4', 'M12 12h8', 'M4 18h12', 'M20 18h0', { c: [16, 6, 2] }, { c: [10, 12, 2] }, { c: [18, 18, 2] }],
  accounts: [{ c: [9, 8, 3] }, 'M3 20a6 6 0 0 1 12 0', { c: [17, 9, 2.5] }, 'M16 14a5 5 0 0 1 5 5'],
  user: [{ c: [12, 8, 4] }, 'M4 21a8 8 0 0 1 16 0'],
  search: [{ c: [11, 11, 6] }, 'M20 20l-4.5-4.5'],
  print: ['M7 9V3h10v6', 'M7 17H5a1 1 0 0 1-1-1v-6a1 1 0 0 1 1-1h14a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1h-2', 'M7 14h10v7H7z'],
  open: ['M14 4h6v6', 'M20 4l-9 9', 'M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5'],
  lock: ['M6 11h12a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1v-8a1 1 0 0 1 1-1z', 'M8 11V7a4 4 0 0 1 8 0v4'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  more: ['M6 9l6 6 6-6'],
  clock: [{ c: [12, 12, 9] }, 'M12 7v5l3 2'],
  check: ['M5 12l5 5 9-10'],
  alert: ['M12 3L2 20h20z', 'M12 10v4', 'M12 17v.5'],
  language: [{ c: [12, 12, 9] }, 'M3 12h18', 'M12 3a14 14 0 0 1 0 18', 'M12 3a14 14 0 0 0 0 18'],
  next: ['M5 12h14', 'M13 6l6 6-6 6'],
  result: ['M3 8h18v4H3z', 'M5 12v8h14v-8', 'M12 8v12'],
  calendar: ['M4 5h16a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1z', 'M3 10h18', 'M8 3v4', 'M16 3v4'],
  logout: ['M15 4h4a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1h-4', 'M10 17l-5-5 5-5', 'M5 12h11'],
  key: [{ c: [8, 15, 4] }, 'M11 12l8-8', 'M16 7l2 2', 'M19 4l2 2'],
  scan: ['M4 14h16v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1z', 'M6 14l2-9h8l2 9', 'M3 11h18'],
  form: ['M6 3h12a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1z', 'M9 8h6', 'M9 12h6', 'M9 16h3'],
};

export function icon(name) {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const s of SHAPES[name] || []) {
    const el = document.createElementNS(NS, typeof s === 'string' ? 'path' : 'circle');
    if (typeof s === 'string') el.setAttribute('d', s);
    else { el.setAttribute('cx', s.c[0]); el.setAttribute('cy', s.c[1]); el.setAttribute('r', s.c[2]); }
    svg.append(el);
  }
  return svg;
}
