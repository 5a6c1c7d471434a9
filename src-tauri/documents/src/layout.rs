//! A display list of pages (text runs, strokes, filled boxes, in millimetres from the top-left
//! corner) and a page builder that flows paragraphs, column blocks and tables into it.
//!
//! The PDF and the on-screen SVG preview are both drawn from the same list, so what the desk
//! sees is what prints. Every element knows its bounding box, so tests can prove that nothing
//! leaves the printable area and no two text runs overlap.

use serde::Serialize;

use crate::fonts::{Face, Fonts, MM_PER_PT};

/// Tolerance for comparisons of computed positions, in millimetres.
pub const EPS: f32 = 0.01;

/// Space kept between a float (a QR code) and the text flowing beside it.
const FLOAT_GAP: f32 = 1.5;

/// A line narrower than this beside a float reads badly; the text goes below the float.
const MIN_BAND: f32 = 40.0;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BoxMm {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl BoxMm {
    pub fn new(x: f32, y: f32, w: f32, h: f32) -> BoxMm {
        BoxMm { x, y, w, h }
    }

    pub fn right(&self) -> f32 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }

    /// Whether the interiors meet (touching edges do not count).
    pub fn overlaps(&self, other: &BoxMm) -> bool {
        self.x < other.right() - EPS
            && other.x < self.right() - EPS
            && self.y < other.bottom() - EPS
            && other.y < self.bottom() - EPS
    }

    pub fn contains(&self, other: &BoxMm) -> bool {
        other.x >= self.x - EPS
            && other.y >= self.y - EPS
            && other.right() <= self.right() + EPS
            && other.bottom() <= self.bottom() + EPS
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Margins {
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
    pub left: f32,
}

impl Margins {
    pub fn new(top: f32, right: f32, bottom: f32, left: f32) -> Margins {
        Margins {
            top,
            right,
            bottom,
            left,
        }
    }
}

/// A run of text in one face and size, set on `baseline` from `x`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextRun {
    pub x: f32,
    pub baseline: f32,
    pub size_pt: f32,
    pub face: Face,
    pub text: String,
    /// Measured advance width.
    pub width: f32,
    /// The face's ascent and descent at this size: the vertical extent of the run.
    pub ascent: f32,
    pub descent: f32,
}

impl TextRun {
    pub fn bbox(&self) -> BoxMm {
        BoxMm::new(
            self.x,
            self.baseline - self.ascent,
            self.width,
            self.ascent + self.descent,
        )
    }
}

/// A straight stroke; `dash` is (on, off) lengths.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stroke {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    pub thickness: f32,
    pub dash: Option<(f32, f32)>,
}

impl Stroke {
    pub fn bbox(&self) -> BoxMm {
        let t = self.thickness / 2.0;
        let (x0, x1) = (self.x1.min(self.x2), self.x1.max(self.x2));
        let (y0, y1) = (self.y1.min(self.y2), self.y1.max(self.y2));
        // Butt caps: a horizontal stroke is thick only vertically, and the other way round.
        let (dx, dy) = if (y1 - y0).abs() < EPS {
            (0.0, t)
        } else if (x1 - x0).abs() < EPS {
            (t, 0.0)
        } else {
            (t, t)
        };
        BoxMm::new(x0 - dx, y0 - dy, x1 - x0 + 2.0 * dx, y1 - y0 + 2.0 * dy)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Element {
    Text(TextRun),
    Line(Stroke),
    /// A black filled rectangle (QR modules, barcode bars).
    Fill(BoxMm),
}

impl Element {
    pub fn bbox(&self) -> BoxMm {
        match self {
            Element::Text(t) => t.bbox(),
            Element::Line(l) => l.bbox(),
            Element::Fill(b) => *b,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub margins: Margins,
    pub elements: Vec<Element>,
}

impl Page {
    /// The area inside the margins: nothing is drawn outside it.
    pub fn printable(&self) -> BoxMm {
        BoxMm::new(
            self.margins.left,
            self.margins.top,
            self.width - self.margins.left - self.margins.right,
            self.height - self.margins.top - self.margins.bottom,
        )
    }

    pub fn text_runs(&self) -> impl Iterator<Item = &TextRun> {
        self.elements.iter().filter_map(|e| match e {
            Element::Text(t) => Some(t),
            _ => None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Layout {
    pub pages: Vec<Page>,
}

impl Layout {
    /// What a printed page must never show: an element outside the printable box, text over
    /// text, or text over a QR or barcode module. Empty when the layout is sound.
    pub fn defects(&self) -> Vec<String> {
        let mut found = Vec::new();
        for (n, page) in self.pages.iter().enumerate() {
            let printable = page.printable();
            for e in &page.elements {
                if !printable.contains(&e.bbox()) {
                    found.push(format!("page {n}: {e:?} leaves {printable:?}"));
                }
            }
            let texts: Vec<&TextRun> = page.text_runs().collect();
            for (i, a) in texts.iter().enumerate() {
                for b in &texts[i + 1..] {
                    if a.bbox().overlaps(&b.bbox()) {
                        found.push(format!("page {n}: {a:?} overlaps {b:?}"));
                    }
                }
                for e in &page.elements {
                    if let Element::Fill(f) = e {
                        if a.bbox().overlaps(f) {
                            found.push(format!("page {n}: {a:?} overlaps a module at {f:?}"));
                        }
                    }
                }
            }
        }
        found
    }

    /// All text of the layout in reading order, runs joined by spaces: for tests and search.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for page in &self.pages {
            for run in page.text_runs() {
                out.push_str(&run.text);
                out.push(' ');
            }
        }
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub face: Face,
    pub text: String,
    /// Never broken at its spaces (phone and ID numbers typed in groups).
    pub keep: bool,
}

impl Span {
    pub fn new(face: Face, text: impl Into<String>) -> Span {
        Span {
            face,
            text: text.into(),
            keep: false,
        }
    }

    pub fn kept(face: Face, text: impl Into<String>) -> Span {
        Span {
            face,
            text: text.into(),
            keep: true,
        }
    }
}

/// A paragraph: styled spans wrapped at spaces into lines of `size * leading` height.
#[derive(Debug, Clone, PartialEq)]
pub struct Para {
    pub spans: Vec<Span>,
    pub size: f32,
    pub leading: f32,
    pub align: Align,
    pub space_before: f32,
    pub space_after: f32,
    /// In a column, wrap into lines of even length ("TRUNG TÂM PHỤC VỤ / HÀNH CHÍNH CÔNG"
    /// rather than a long line and an orphan).
    pub balance: bool,
}

impl Para {
    pub fn new(size: f32) -> Para {
        Para {
            spans: Vec::new(),
            size,
            leading: 1.2,
            align: Align::Left,
            space_before: 0.0,
            space_after: 0.0,
            balance: false,
        }
    }

    pub fn span(mut self, face: Face, text: impl Into<String>) -> Para {
        self.spans.push(Span::new(face, text));
        self
    }

    /// A span that never breaks at its spaces.
    pub fn kept(mut self, face: Face, text: impl Into<String>) -> Para {
        self.spans.push(Span::kept(face, text));
        self
    }

    pub fn balanced(mut self) -> Para {
        self.balance = true;
        self
    }

    pub fn align(mut self, align: Align) -> Para {
        self.align = align;
        self
    }

    pub fn center(self) -> Para {
        self.align(Align::Center)
    }

    pub fn leading(mut self, leading: f32) -> Para {
        self.leading = leading;
        self
    }

    pub fn before(mut self, mm: f32) -> Para {
        self.space_before = mm;
        self
    }

    pub fn after(mut self, mm: f32) -> Para {
        self.space_after = mm;
        self
    }

    pub fn line_height(&self) -> f32 {
        self.size * self.leading * MM_PER_PT
    }

    fn is_empty(&self) -> bool {
        self.spans.iter().all(|s| s.text.trim().is_empty())
    }
}

/// One column of a side-by-side block.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Left edge and width as fractions of the frame width.
    pub left: f32,
    pub width: f32,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Para(Para),
    /// A centred horizontal rule `width` mm long (capped to the column), with space around.
    Rule {
        width: f32,
        thickness: f32,
        space: f32,
    },
    Space(f32),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableColumn {
    pub title: String,
    /// Relative width.
    pub weight: f32,
    pub align: Align,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<TableColumn>,
    pub rows: Vec<Vec<String>>,
    pub size: f32,
    pub leading: f32,
    pub rule: f32,
    /// A header row above the column titles: each title spans so many columns, in order.
    /// An empty title leaves its columns' titles spanning both header rows. None: one row.
    pub groups: Vec<(String, usize)>,
    /// Rows set in bold (totals).
    pub bold_rows: Vec<usize>,
}

/// A table's header, wrapped: column titles and, optionally, the group row above them as
/// (first column, end column, title lines).
struct Head {
    titles: Vec<Vec<LineOut>>,
    groups: Vec<(usize, usize, Vec<LineOut>)>,
    group_h: f32,
    title_h: f32,
}

impl Head {
    fn height(&self) -> f32 {
        self.group_h + self.title_h
    }
}

impl Table {
    /// A table with one header row and the engine's usual rules.
    pub fn new(columns: Vec<TableColumn>, rows: Vec<Vec<String>>, size: f32) -> Table {
        Table {
            columns,
            rows,
            size,
            leading: 1.15,
            rule: 0.2,
            groups: Vec::new(),
            bold_rows: Vec::new(),
        }
    }
}

impl TableColumn {
    pub fn new(title: impl Into<String>, weight: f32, align: Align) -> TableColumn {
        TableColumn {
            title: title.into(),
            weight,
            align,
        }
    }
}

const CELL_PAD_X: f32 = 1.2;
const CELL_PAD_Y: f32 = 0.5;

/// A word piece or a run of spaces, already measured.
#[derive(Debug, Clone)]
struct Token {
    face: Face,
    text: String,
    width: f32,
}

/// What wrapping works on: an unbreakable word (possibly in several faces) or a space.
#[derive(Debug, Clone)]
enum Unit {
    Word(Vec<Token>),
    Glue(Token),
}

#[derive(Debug, Clone, Default)]
struct LineOut {
    tokens: Vec<Token>,
    width: f32,
}

fn tokens_width(tokens: &[Token]) -> f32 {
    tokens.iter().map(|t| t.width).sum()
}

/// Sets text into pages: a cursor moving down the current frame, floats beside the flow, and
/// page breaks that repeat a continuation heading (and a table's header row).
pub struct Builder<'f> {
    fonts: &'f Fonts,
    width: f32,
    height: f32,
    margins: Margins,
    pages: Vec<Page>,
    frame: BoxMm,
    y: f32,
    floats: Vec<BoxMm>,
    breaks: Breaks,
    overflowed: bool,
    continuation: Vec<Para>,
    /// Height kept free at the foot of every page (page numbers).
    footer: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Breaks {
    /// A new page when the frame is full.
    Allowed,
    /// Content must fit the frame; `overflowed` records when it did not.
    Forbidden,
    /// One page that grows as long as needed (roll paper).
    Grow,
}

impl<'f> Builder<'f> {
    pub fn new(fonts: &'f Fonts, width: f32, height: f32, margins: Margins) -> Builder<'f> {
        let mut b = Builder {
            fonts,
            width,
            height,
            margins,
            pages: Vec::new(),
            frame: BoxMm::new(0.0, 0.0, 0.0, 0.0),
            y: 0.0,
            floats: Vec::new(),
            breaks: Breaks::Allowed,
            overflowed: false,
            continuation: Vec::new(),
            footer: 0.0,
        };
        b.push_page();
        b
    }

    /// A single page `width` wide whose height follows the content (thermal roll paper).
    pub fn roll(fonts: &'f Fonts, width: f32, margins: Margins) -> Builder<'f> {
        let mut b = Builder::new(fonts, width, f32::MAX / 4.0, margins);
        b.breaks = Breaks::Grow;
        b
    }

    pub fn fonts(&self) -> &'f Fonts {
        self.fonts
    }

    /// From now on content that does not fit the frame sets `overflowed` instead of breaking.
    pub fn forbid_breaks(&mut self) {
        self.breaks = Breaks::Forbidden;
    }

    pub fn overflowed(&self) -> bool {
        self.overflowed
    }

    pub fn frame(&self) -> BoxMm {
        self.frame
    }

    pub fn y(&self) -> f32 {
        self.y
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Limits the flow on the current page to `top..bottom` (e.g. one half of an A4 sheet).
    pub fn set_frame(&mut self, top: f32, bottom: f32) {
        self.frame = BoxMm::new(
            self.margins.left,
            top,
            self.width - self.margins.left - self.margins.right,
            bottom - top,
        );
        self.y = top;
        self.floats.clear();
    }

    /// Paragraphs set at the top of every page this builder adds from now on.
    pub fn set_continuation(&mut self, paras: Vec<Para>) {
        self.continuation = paras;
    }

    fn push_page(&mut self) {
        self.pages.push(Page {
            width: self.width,
            height: self.height,
            margins: self.margins,
            elements: Vec::new(),
        });
        let bottom = self.height - self.margins.bottom - self.footer;
        self.set_frame(self.margins.top, bottom);
    }

    /// Keeps `h` mm at the foot of this page and every later one out of the flow.
    pub fn reserve_footer(&mut self, h: f32) {
        self.footer = h.max(0.0);
        let bottom = self.height - self.margins.bottom - self.footer;
        if self.frame.bottom() > bottom {
            self.frame.h = (bottom - self.frame.y).max(0.0);
        }
    }

    /// Writes `text(page, pages)` (1-based) centred at the foot of every page, inside the
    /// space `reserve_footer` kept.
    pub fn number_pages(&mut self, size: f32, text: impl Fn(usize, usize) -> String) {
        let total = self.pages.len();
        let baseline =
            self.height - self.margins.bottom - self.fonts.descent_mm(Face::Italic, size);
        let runs: Vec<TextRun> = (0..total)
            .map(|i| {
                let mut run = self.text_run(Face::Italic, size, 0.0, baseline, &text(i + 1, total));
                run.x = self.margins.left
                    + (self.width - self.margins.left - self.margins.right - run.width) / 2.0;
                run
            })
            .collect();
        for (page, run) in self.pages.iter_mut().zip(runs) {
            page.elements.push(Element::Text(run));
        }
    }

    /// Starts a new page with the continuation heading.
    pub fn new_page(&mut self) {
        self.push_page();
        let heading = std::mem::take(&mut self.continuation);
        for p in &heading {
            self.paragraph(p);
        }
        self.continuation = heading;
    }

    /// Starts a new page without the continuation heading (a new document or copy).
    pub fn fresh_page(&mut self) {
        self.push_page();
    }

    fn fits(&self, h: f32) -> bool {
        self.y + h <= self.frame.bottom() + EPS
    }

    /// Makes room for `h` mm: breaks the page if needed. Returns whether it broke.
    pub fn ensure(&mut self, h: f32) -> bool {
        if self.fits(h) {
            return false;
        }
        match self.breaks {
            Breaks::Grow => false,
            Breaks::Forbidden => {
                self.overflowed = true;
                false
            }
            Breaks::Allowed => {
                self.new_page();
                true
            }
        }
    }

    pub fn space(&mut self, mm: f32) {
        self.y = (self.y + mm).min(self.frame.bottom().max(self.y));
    }

    pub fn push(&mut self, e: Element) {
        if let Some(page) = self.pages.last_mut() {
            page.elements.push(e);
        }
    }

    pub fn extend(&mut self, elements: impl IntoIterator<Item = Element>) {
        if let Some(page) = self.pages.last_mut() {
            page.elements.extend(elements);
        }
    }

    pub fn stroke(
        &mut self,
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        thickness: f32,
        dash: Option<(f32, f32)>,
    ) {
        self.push(Element::Line(Stroke {
            x1,
            y1,
            x2,
            y2,
            thickness,
            dash,
        }));
    }

    /// A text run at a given place, for callers that position text themselves.
    pub fn text_run(&self, face: Face, size: f32, x: f32, baseline: f32, text: &str) -> TextRun {
        let text = self.fonts.prepare(face, text);
        TextRun {
            x,
            baseline,
            size_pt: size,
            face,
            width: self.fonts.width_mm(face, size, &text),
            ascent: self.fonts.ascent_mm(face, size),
            descent: self.fonts.descent_mm(face, size),
            text,
        }
    }

    pub fn text_width(&self, face: Face, size: f32, text: &str) -> f32 {
        self.fonts
            .width_mm(face, size, &self.fonts.prepare(face, text))
    }

    /// Moves the cursor below every float.
    pub fn clear(&mut self) {
        for f in self.floats.drain(..) {
            self.y = self.y.max(f.bottom());
        }
    }

    /// Reserves a `w` × `h` box at the right edge of the frame, starting at the cursor; text
    /// flows beside it until the cursor passes its bottom.
    pub fn float_right(&mut self, w: f32, h: f32) -> BoxMm {
        self.ensure(h);
        let b = BoxMm::new(self.frame.right() - w, self.y, w, h);
        self.floats.push(b);
        b
    }

    /// Reserves a `w` × `h` box in the flow, beside any float if there is room, and moves the
    /// cursor below it.
    pub fn block(&mut self, w: f32, h: f32, align: Align) -> BoxMm {
        self.ensure(h);
        let (mut l, mut r) = self.band(self.y, self.y + h);
        if r - l < w - EPS {
            self.clear();
            self.ensure(h);
            (l, r) = self.band(self.y, self.y + h);
        }
        let x = match align {
            Align::Left => l,
            Align::Right => r - w,
            Align::Center => l + ((r - l) - w) / 2.0,
        };
        let b = BoxMm::new(x, self.y, w, h);
        self.y += h;
        b
    }

    /// The free horizontal interval of the frame between `top` and `bottom`.
    fn band(&self, top: f32, bottom: f32) -> (f32, f32) {
        let (mut l, mut r) = (self.frame.x, self.frame.right());
        let centre = self.frame.x + self.frame.w / 2.0;
        for f in &self.floats {
            if f.y < bottom - EPS && f.bottom() > top + EPS {
                if f.x + f.w / 2.0 >= centre {
                    r = r.min(f.x - FLOAT_GAP);
                } else {
                    l = l.max(f.right() + FLOAT_GAP);
                }
            }
        }
        (l, r)
    }

    fn units(&self, spans: &[Span], size: f32) -> Vec<Unit> {
        let mut units: Vec<Unit> = Vec::new();
        for span in spans {
            let text = self.fonts.prepare(span.face, &span.text);
            if span.keep {
                let token = Token {
                    face: span.face,
                    width: self.fonts.width_mm(span.face, size, &text),
                    text,
                };
                match units.last_mut() {
                    Some(Unit::Word(tokens)) => tokens.push(token),
                    _ => units.push(Unit::Word(vec![token])),
                }
                continue;
            }
            let mut piece = String::new();
            let mut piece_is_space = false;
            let flush = |piece: &mut String, is_space: bool, units: &mut Vec<Unit>| {
                if piece.is_empty() {
                    return;
                }
                let token = Token {
                    face: span.face,
                    width: self.fonts.width_mm(span.face, size, piece),
                    text: std::mem::take(piece),
                };
                match (is_space, units.last_mut()) {
                    (true, _) => units.push(Unit::Glue(token)),
                    // A word continuing from the previous span (no space between) stays one word.
                    (false, Some(Unit::Word(tokens))) => tokens.push(token),
                    (false, _) => units.push(Unit::Word(vec![token])),
                }
            };
            for c in text.chars() {
                let is_space = c == ' ';
                if is_space != piece_is_space {
                    flush(&mut piece, piece_is_space, &mut units);
                    piece_is_space = is_space;
                }
                piece.push(c);
            }
            flush(&mut piece, piece_is_space, &mut units);
        }
        units
    }

    /// Splits a word too long for any line so that its head fits `max_w` (at least one char).
    fn split_word(&self, tokens: &[Token], max_w: f32, size: f32) -> (Vec<Token>, Vec<Token>) {
        let mut head = Vec::new();
        let mut used = 0.0;
        for (i, token) in tokens.iter().enumerate() {
            if used + token.width <= max_w + EPS {
                used += token.width;
                head.push(token.clone());
                continue;
            }
            let mut taken = String::new();
            let mut rest = String::new();
            let mut w = used;
            for c in token.text.chars() {
                let cw = self
                    .fonts
                    .width_mm(token.face, size, c.encode_utf8(&mut [0; 4]));
                let nothing_yet = head.is_empty() && taken.is_empty();
                if rest.is_empty() && (w + cw <= max_w + EPS || nothing_yet) {
                    w += cw;
                    taken.push(c);
                } else {
                    rest.push(c);
                }
            }
            if !taken.is_empty() {
                let width = self.fonts.width_mm(token.face, size, &taken);
                head.push(Token {
                    face: token.face,
                    text: taken,
                    width,
                });
            }
            let mut tail = Vec::new();
            if !rest.is_empty() {
                let width = self.fonts.width_mm(token.face, size, &rest);
                tail.push(Token {
                    face: token.face,
                    text: rest,
                    width,
                });
            }
            tail.extend(tokens[i + 1..].iter().cloned());
            return (head, tail);
        }
        (head, Vec::new())
    }

    /// Takes the next line of at most `max_w` from `units[*pos..]`.
    fn next_line(&self, units: &mut [Unit], pos: &mut usize, max_w: f32, size: f32) -> LineOut {
        let mut line = LineOut::default();
        let mut glue: Option<Token> = None;
        while *pos < units.len() {
            match &units[*pos] {
                Unit::Glue(t) => {
                    if !line.tokens.is_empty() {
                        glue = Some(t.clone());
                    }
                    *pos += 1;
                }
                Unit::Word(tokens) => {
                    let word_w = tokens_width(tokens);
                    let glue_w = glue.as_ref().map_or(0.0, |g| g.width);
                    if line.width + glue_w + word_w <= max_w + EPS {
                        if let Some(g) = glue.take() {
                            line.tokens.push(g);
                        }
                        line.tokens.extend(tokens.iter().cloned());
                        line.width += glue_w + word_w;
                        *pos += 1;
                    } else if line.tokens.is_empty() {
                        let (head, tail) = self.split_word(tokens, max_w, size);
                        line.width = tokens_width(&head);
                        line.tokens = head;
                        if tail.is_empty() {
                            *pos += 1;
                        } else {
                            units[*pos] = Unit::Word(tail);
                        }
                        return line;
                    } else {
                        return line;
                    }
                }
            }
        }
        line
    }

    /// Wraps at a fixed width; a balanced paragraph narrows the width as far as it can
    /// without needing another line.
    fn wrap_column(&self, p: &Para, width: f32) -> Vec<LineOut> {
        let lines = self.wrap_fixed(p, width);
        if !p.balance || lines.len() < 2 {
            return lines;
        }
        let n = lines.len();
        let (mut lo, mut hi) = (width / n as f32, width);
        for _ in 0..12 {
            let mid = (lo + hi) / 2.0;
            if self.wrap_fixed(p, mid).len() <= n {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        self.wrap_fixed(p, hi)
    }

    /// Wraps a paragraph at a fixed width (no floats), for blocks measured before drawing.
    fn wrap_fixed(&self, p: &Para, width: f32) -> Vec<LineOut> {
        let mut units = self.units(&p.spans, p.size);
        let mut pos = 0;
        let mut lines = Vec::new();
        while pos < units.len() {
            let line = self.next_line(&mut units, &mut pos, width, p.size);
            if !line.tokens.is_empty() {
                lines.push(line);
            }
        }
        lines
    }

    /// Draws one line whose box starts at `top`, merging same-face tokens into runs.
    fn emit_line(&mut self, line: &LineOut, x: f32, top: f32, size: f32, leading: f32) {
        // One baseline for the whole line, whatever faces it mixes.
        let ascent = line
            .tokens
            .iter()
            .map(|t| self.fonts.ascent_mm(t.face, size))
            .fold(0.0, f32::max);
        let descent = line
            .tokens
            .iter()
            .map(|t| self.fonts.descent_mm(t.face, size))
            .fold(0.0, f32::max);
        let lh = size * leading * MM_PER_PT;
        let baseline = top + (lh - ascent - descent) / 2.0 + ascent;
        let mut runs: Vec<TextRun> = Vec::new();
        let mut cx = x;
        for token in &line.tokens {
            match runs.last_mut() {
                Some(run) if run.face == token.face => {
                    run.text.push_str(&token.text);
                    run.width += token.width;
                }
                _ => {
                    let ascent = self.fonts.ascent_mm(token.face, size);
                    let descent = self.fonts.descent_mm(token.face, size);
                    runs.push(TextRun {
                        x: cx,
                        baseline,
                        size_pt: size,
                        face: token.face,
                        text: token.text.clone(),
                        width: token.width,
                        ascent,
                        descent,
                    });
                }
            }
            cx += token.width;
        }
        self.extend(runs.into_iter().map(Element::Text));
    }

    fn aligned_x(&self, align: Align, l: f32, r: f32, w: f32) -> f32 {
        match align {
            Align::Left => l,
            Align::Right => r - w,
            Align::Center => {
                // Centre on the whole frame when the line clears the floats, so a title stays
                // on the page's axis beside a QR code; otherwise in the free band.
                let cx = self.frame.x + (self.frame.w - w) / 2.0;
                if cx >= l - EPS && cx + w <= r + EPS {
                    cx
                } else {
                    l + ((r - l) - w).max(0.0) / 2.0
                }
            }
        }
    }

    /// Sets a paragraph in the flow, line by line, beside floats and across page breaks.
    pub fn paragraph(&mut self, p: &Para) {
        if p.is_empty() {
            return;
        }
        self.space(p.space_before);
        let lh = p.line_height();
        let mut units = self.units(&p.spans, p.size);
        let mut pos = 0;
        while pos < units.len() {
            self.ensure(lh);
            let (mut l, mut r) = self.band(self.y, self.y + lh);
            if r - l < MIN_BAND.min(self.frame.w / 2.0) {
                self.clear();
                self.ensure(lh);
                (l, r) = self.band(self.y, self.y + lh);
            }
            let line = self.next_line(&mut units, &mut pos, r - l, p.size);
            if line.tokens.is_empty() {
                continue;
            }
            let x = self.aligned_x(p.align, l, r, line.width);
            self.emit_line(&line, x, self.y, p.size, p.leading);
            self.y += lh;
        }
        self.space(p.space_after);
    }

    /// Width of a paragraph set on one line.
    pub fn natural_width(&self, p: &Para) -> f32 {
        self.units(&p.spans, p.size)
            .iter()
            .map(|u| match u {
                Unit::Word(tokens) => tokens_width(tokens),
                Unit::Glue(t) => t.width,
            })
            .sum()
    }

    /// Width free for a line of height `h` at the cursor, beside any float.
    pub fn band_width(&self, h: f32) -> f32 {
        let (l, r) = self.band(self.y, self.y + h);
        r - l
    }

    /// Height a paragraph takes at a fixed width.
    pub fn measure(&self, p: &Para, width: f32) -> f32 {
        if p.is_empty() {
            return 0.0;
        }
        p.space_before + self.wrap_column(p, width).len() as f32 * p.line_height() + p.space_after
    }

    fn item_height(&self, item: &Item, width: f32) -> f32 {
        match item {
            Item::Para(p) => self.measure(p, width),
            Item::Rule { space, .. } => *space,
            Item::Space(mm) => *mm,
        }
    }

    /// Side-by-side columns (a letterhead, signature boxes), kept together on one page.
    pub fn columns(&mut self, cols: &[Column]) {
        self.clear();
        let fw = self.frame.w;
        let height = cols
            .iter()
            .map(|c| {
                c.items
                    .iter()
                    .map(|i| self.item_height(i, c.width * fw))
                    .sum::<f32>()
            })
            .fold(0.0, f32::max);
        self.ensure(height);
        let top = self.y;
        for col in cols {
            let x = self.frame.x + col.left * fw;
            let w = col.width * fw;
            let mut y = top;
            for item in &col.items {
                match item {
                    Item::Para(p) => {
                        if p.is_empty() {
                            continue;
                        }
                        y += p.space_before;
                        for line in self.wrap_column(p, w) {
                            let lx = match p.align {
                                Align::Left => x,
                                Align::Right => x + w - line.width,
                                Align::Center => x + (w - line.width) / 2.0,
                            };
                            self.emit_line(&line, lx, y, p.size, p.leading);
                            y += p.line_height();
                        }
                        y += p.space_after;
                    }
                    Item::Rule {
                        width,
                        thickness,
                        space,
                    } => {
                        let rw = width.min(w);
                        let ry = y + space / 2.0;
                        self.stroke(
                            x + (w - rw) / 2.0,
                            ry,
                            x + (w + rw) / 2.0,
                            ry,
                            *thickness,
                            None,
                        );
                        y += space;
                    }
                    Item::Space(mm) => y += mm,
                }
            }
        }
        self.y = top + height;
    }

    /// A ruled table across the frame. Rows never split unless taller than a page; the header
    /// (with its group row, if any) is repeated after every page break.
    pub fn table(&mut self, t: &Table) {
        self.clear();
        let half = t.rule / 2.0;
        let left = self.frame.x + half;
        let total_w = self.frame.w - t.rule;
        let widths = self.column_widths(t, total_w);
        let mut edges = vec![left];
        for w in &widths {
            let last = edges.last().copied().unwrap_or(left);
            edges.push(last + w);
        }
        let lh = t.size * t.leading * MM_PER_PT;
        let head = self.table_head_cells(t, &edges, lh);
        let aligns: Vec<Align> = t.columns.iter().map(|c| c.align).collect();
        let lines_of =
            |cells: &[Vec<LineOut>]| cells.iter().map(Vec::len).max().unwrap_or(0).max(1);

        let rows: Vec<Vec<Vec<LineOut>>> = t
            .rows
            .iter()
            .enumerate()
            .map(|(r, row)| {
                let face = if t.bold_rows.contains(&r) {
                    Face::Bold
                } else {
                    Face::Regular
                };
                widths
                    .iter()
                    .enumerate()
                    .map(|(i, w)| {
                        let text = row.get(i).map(String::as_str).unwrap_or("");
                        self.cell_lines(t, text, face, *w)
                    })
                    .collect()
            })
            .collect();

        let first_h = rows
            .first()
            .map_or(0.0, |r| lines_of(r) as f32 * lh + 2.0 * CELL_PAD_Y);
        self.ensure(head.height() + first_h.min(lh + 2.0 * CELL_PAD_Y));
        self.table_head(&edges, &head, lh, t);

        for row in &rows {
            let n = lines_of(row);
            let mut start = 0;
            let mut broke = false;
            while start < n {
                let avail = ((self.frame.bottom() - self.y - 2.0 * CELL_PAD_Y + EPS) / lh)
                    .floor()
                    .max(0.0) as usize;
                let take = if avail >= n - start || self.breaks != Breaks::Allowed {
                    n - start
                } else if start == 0 && !broke {
                    // Move the whole row to the next page rather than split it.
                    0
                } else {
                    // Taller than a page: split it, at least a line per page.
                    avail.max(1)
                };
                if take == 0 {
                    broke = true;
                    self.new_page();
                    self.table_head(&edges, &head, lh, t);
                    continue;
                }
                if self.breaks == Breaks::Forbidden
                    && !self.fits(take as f32 * lh + 2.0 * CELL_PAD_Y)
                {
                    self.overflowed = true;
                }
                self.table_segment(&edges, row, &aligns, start, start + take, lh, t, false);
                start += take;
                if start < n {
                    self.new_page();
                    self.table_head(&edges, &head, lh, t);
                }
            }
        }
    }

    /// A cell's text wrapped to its width; a line break in the text starts a new line, and
    /// an empty line between two breaks keeps its height (room to sign, on the control slip).
    fn cell_lines(&self, t: &Table, text: &str, face: Face, w: f32) -> Vec<LineOut> {
        let mut lines = Vec::new();
        let pieces: Vec<&str> = text.split('\n').collect();
        let last = pieces.len() - 1;
        for (i, piece) in pieces.into_iter().enumerate() {
            let p = Para::new(t.size).leading(t.leading).span(face, piece);
            let wrapped = self.wrap_fixed(&p, (w - 2.0 * CELL_PAD_X).max(1.0));
            if wrapped.is_empty() && i > 0 && i < last {
                lines.push(LineOut::default());
            }
            lines.extend(wrapped);
        }
        lines
    }

    /// The header's cells wrapped to their widths, and the rows' heights.
    fn table_head_cells(&self, t: &Table, edges: &[f32], lh: f32) -> Head {
        let ncols = t.columns.len();
        let titles: Vec<Vec<LineOut>> = t
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| self.cell_lines(t, &c.title, Face::Bold, edges[i + 1] - edges[i]))
            .collect();
        let mut groups = Vec::new();
        let mut col = 0;
        for (title, span) in &t.groups {
            let end = (col + span).min(ncols);
            if end > col {
                let lines = if title.trim().is_empty() {
                    Vec::new()
                } else {
                    self.cell_lines(t, title, Face::Bold, edges[end] - edges[col])
                };
                groups.push((col, end, lines));
            }
            col = end;
        }
        if !groups.is_empty() && col < ncols {
            groups.push((col, ncols, Vec::new()));
        }
        let height = |n: usize| n.max(1) as f32 * lh + 2.0 * CELL_PAD_Y;
        let merged = |c: usize| {
            groups
                .iter()
                .any(|(a, b, lines)| lines.is_empty() && (*a..*b).contains(&c))
        };
        let group_h = if groups.is_empty() {
            0.0
        } else {
            height(groups.iter().map(|g| g.2.len()).max().unwrap_or(0))
        };
        let mut title_h = height(
            titles
                .iter()
                .enumerate()
                .filter(|(c, _)| !merged(*c))
                .map(|(_, l)| l.len())
                .max()
                .unwrap_or(0),
        );
        for (c, lines) in titles.iter().enumerate() {
            if merged(c) {
                title_h = title_h.max(height(lines.len()) - group_h);
            }
        }
        Head {
            titles,
            groups,
            group_h,
            title_h,
        }
    }

    /// Draws the header: the plain title row, or the group row over the title row with
    /// untitled groups' titles spanning both.
    fn table_head(&mut self, edges: &[f32], head: &Head, lh: f32, t: &Table) {
        if head.groups.is_empty() {
            let n = head.titles.iter().map(Vec::len).max().unwrap_or(0).max(1);
            let aligns = vec![Align::Center; head.titles.len()];
            self.table_segment(edges, &head.titles, &aligns, 0, n, lh, t, true);
            return;
        }
        let top = self.y;
        let (gh, th) = (head.group_h, head.title_h);
        let half = t.rule / 2.0;
        let (l, r) = (edges[0], edges[edges.len() - 1]);
        self.stroke(l - half, top, r + half, top, t.rule, None);
        for (a, b, lines) in &head.groups {
            if !lines.is_empty() {
                self.centred_lines(lines, edges[*a], edges[*b], top, gh, lh, t);
                self.stroke(edges[*a], top + gh, edges[*b], top + gh, t.rule, None);
            }
        }
        for (c, lines) in head.titles.iter().enumerate() {
            let spans_both = head
                .groups
                .iter()
                .any(|(a, b, g)| g.is_empty() && (*a..*b).contains(&c));
            let (y, h) = if spans_both {
                (top, gh + th)
            } else {
                (top + gh, th)
            };
            self.centred_lines(lines, edges[c], edges[c + 1], y, h, lh, t);
        }
        for (i, x) in edges.iter().enumerate() {
            // Inside a titled group the column rules start under the group's title.
            let inside_titled = head
                .groups
                .iter()
                .any(|(a, b, g)| !g.is_empty() && *a < i && i < *b);
            let y0 = if inside_titled { top + gh } else { top };
            self.stroke(*x, y0, *x, top + gh + th, t.rule, None);
        }
        self.stroke(
            l - half,
            top + gh + th,
            r + half,
            top + gh + th,
            t.rule,
            None,
        );
        self.y = top + gh + th;
    }

    /// Lines centred both ways in the box from `x0` to `x1`, `top` to `top + h`.
    #[allow(clippy::too_many_arguments)]
    fn centred_lines(
        &mut self,
        lines: &[LineOut],
        x0: f32,
        x1: f32,
        top: f32,
        h: f32,
        lh: f32,
        t: &Table,
    ) {
        let y = top + (h - lines.len() as f32 * lh) / 2.0;
        for (k, line) in lines.iter().enumerate() {
            let lx = x0 + (x1 - x0 - line.width) / 2.0;
            self.emit_line(line, lx, y + k as f32 * lh, t.size, t.leading);
        }
    }

    /// Column widths from the weights, widened first where a word of a header or a cell (a
    /// dossier code) would otherwise break inside, then, if there is still room, where a
    /// short header would break at all; the widening comes out of the other columns in
    /// proportion to their spare width.
    fn column_widths(&self, t: &Table, total_w: f32) -> Vec<f32> {
        let weight: f32 = t
            .columns
            .iter()
            .map(|c| c.weight.max(0.0))
            .sum::<f32>()
            .max(EPS);
        let mut widths: Vec<f32> = t
            .columns
            .iter()
            .map(|c| c.weight.max(0.0) / weight * total_w)
            .collect();
        let longest = |face: Face, text: &str| {
            text.split_whitespace()
                .map(|w| self.text_width(face, t.size, w))
                .fold(0.0, f32::max)
        };
        let pad = 2.0 * CELL_PAD_X + 0.2;
        let words: Vec<f32> = t
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let cells = t
                    .rows
                    .iter()
                    .enumerate()
                    .filter_map(|(r, row)| {
                        let face = if t.bold_rows.contains(&r) {
                            Face::Bold
                        } else {
                            Face::Regular
                        };
                        row.get(i).map(|text| longest(face, text))
                    })
                    .fold(0.0, f32::max);
                longest(Face::Bold, &c.title).max(cells) + pad
            })
            .collect();
        widen(&mut widths, &words);
        let headers: Vec<f32> = t
            .columns
            .iter()
            .zip(&words)
            .map(|(c, word)| {
                let whole = self.text_width(Face::Bold, t.size, &c.title) + pad;
                if whole - pad <= total_w * 0.2 {
                    whole.max(*word)
                } else {
                    *word
                }
            })
            .collect();
        widen(&mut widths, &headers);
        widths
    }

    /// Draws lines `from..to` of every cell of a row, with its rules.
    #[allow(clippy::too_many_arguments)]
    fn table_segment(
        &mut self,
        edges: &[f32],
        cells: &[Vec<LineOut>],
        aligns: &[Align],
        from: usize,
        to: usize,
        lh: f32,
        t: &Table,
        top_rule: bool,
    ) {
        let top = self.y;
        let h = (to - from) as f32 * lh + 2.0 * CELL_PAD_Y;
        for (i, lines) in cells.iter().enumerate() {
            let (x0, x1) = (edges[i], edges.get(i + 1).copied().unwrap_or(edges[i]));
            let align = aligns.get(i).copied().unwrap_or(Align::Left);
            for (k, line) in lines.iter().enumerate().take(to).skip(from) {
                let lx = match align {
                    Align::Left => x0 + CELL_PAD_X,
                    Align::Right => x1 - CELL_PAD_X - line.width,
                    Align::Center => x0 + (x1 - x0 - line.width) / 2.0,
                };
                self.emit_line(
                    line,
                    lx,
                    top + CELL_PAD_Y + (k - from) as f32 * lh,
                    t.size,
                    t.leading,
                );
            }
        }
        let (l, r) = (edges[0], edges[edges.len() - 1]);
        if top_rule {
            self.stroke(l - t.rule / 2.0, top, r + t.rule / 2.0, top, t.rule, None);
        }
        self.stroke(
            l - t.rule / 2.0,
            top + h,
            r + t.rule / 2.0,
            top + h,
            t.rule,
            None,
        );
        for x in edges {
            self.stroke(*x, top, *x, top + h, t.rule, None);
        }
        self.y = top + h;
    }

    /// The finished pages. A roll page is cut just below its content.
    pub fn finish(mut self) -> Layout {
        if self.breaks == Breaks::Grow {
            let bottom = self
                .y
                .max(self.floats.iter().map(BoxMm::bottom).fold(0.0, f32::max));
            if let Some(page) = self.pages.last_mut() {
                page.height = bottom + self.margins.bottom;
            }
        }
        Layout { pages: self.pages }
    }
}

/// Raises every width below its minimum, taking the difference from the widths above theirs
/// in proportion to their spare; leaves the widths alone when there is not enough spare.
fn widen(widths: &mut [f32], minimums: &[f32]) {
    let deficit: f32 = widths
        .iter()
        .zip(minimums)
        .map(|(w, m)| (m - w).max(0.0))
        .sum();
    if deficit <= 0.0 {
        return;
    }
    let spare: f32 = widths
        .iter()
        .zip(minimums)
        .map(|(w, m)| (w - m).max(0.0))
        .sum();
    if spare <= deficit {
        return;
    }
    for (w, m) in widths.iter_mut().zip(minimums) {
        if *w < *m {
            *w = *m;
        } else {
            *w -= (*w - m) / spare * deficit;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts;

    fn builder() -> Builder<'static> {
        Builder::new(
            fonts::load().unwrap(),
            100.0,
            60.0,
            Margins::new(5.0, 5.0, 5.0, 5.0),
        )
    }

    fn runs(layout: &Layout) -> Vec<&TextRun> {
        layout.pages.iter().flat_map(|p| p.text_runs()).collect()
    }

    #[test]
    fn paragraphs_wrap_inside_the_frame_and_break_pages() {
        let mut b = builder();
        let text = "Số 12, ấp Bình Hòa, xã Hướng Thọ Phú, tỉnh Tây Ninh. ".repeat(20);
        b.paragraph(&Para::new(11.0).span(Face::Regular, &text));
        let layout = b.finish();
        assert!(layout.pages.len() > 1);
        for page in &layout.pages {
            for run in page.text_runs() {
                assert!(page.printable().contains(&run.bbox()), "{run:?}");
            }
        }
        let joined: String = runs(&layout)
            .iter()
            .map(|r| r.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            joined.split_whitespace().collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_word_longer_than_the_line_is_split() {
        let mut b = builder();
        let word = "X".repeat(200);
        b.paragraph(&Para::new(10.0).span(Face::Bold, &word));
        let layout = b.finish();
        let all: String = runs(&layout).iter().map(|r| r.text.as_str()).collect();
        assert_eq!(all, word);
        assert!(runs(&layout).iter().all(|r| r.width <= 90.0 + EPS));
    }

    #[test]
    fn kept_spans_do_not_break_at_their_spaces() {
        let mut b = builder();
        let filler = "Số điện thoại của người nộp hồ sơ thay là";
        b.paragraph(
            &Para::new(10.0)
                .span(Face::Regular, filler)
                .span(Face::Regular, " ")
                .kept(Face::Regular, "0987 654 321"),
        );
        let layout = b.finish();
        assert!(
            runs(&layout)
                .iter()
                .any(|r| r.text.contains("0987 654 321")),
            "{:?}",
            runs(&layout)
        );
    }

    #[test]
    fn text_flows_beside_a_float_then_takes_the_full_width() {
        let mut b = builder();
        let float = b.float_right(30.0, 20.0);
        b.paragraph(&Para::new(10.0).span(Face::Regular, "chữ ".repeat(120)));
        let layout = b.finish();
        for run in runs(&layout) {
            assert!(!run.bbox().overlaps(&float), "{run:?} under the float");
        }
        let widest_beside = runs(&layout)
            .iter()
            .filter(|r| r.baseline < float.bottom())
            .map(|r| r.bbox().right())
            .fold(0.0, f32::max);
        let widest_below = runs(&layout)
            .iter()
            .filter(|r| r.baseline > float.bottom() + 5.0)
            .map(|r| r.bbox().right())
            .fold(0.0, f32::max);
        assert!(
            widest_beside <= float.x && widest_below > float.x,
            "{widest_beside} {widest_below}"
        );
    }

    #[test]
    fn forbidden_breaks_report_overflow() {
        let mut b = builder();
        b.forbid_breaks();
        b.paragraph(&Para::new(11.0).span(Face::Regular, "một dòng"));
        assert!(!b.overflowed());
        b.paragraph(&Para::new(11.0).span(Face::Regular, "rất nhiều chữ ".repeat(100)));
        assert!(b.overflowed());
        assert_eq!(b.page_count(), 1);
    }

    #[test]
    fn balanced_lines_are_even() {
        let b = builder();
        let p = Para::new(10.0)
            .balanced()
            .span(Face::Bold, "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG");
        let narrow = b.text_width(Face::Bold, 10.0, "TRUNG TÂM PHỤC VỤ HÀNH") + 0.5;
        let plain = b.wrap_fixed(&p, narrow);
        let balanced = b.wrap_column(&p, narrow);
        assert_eq!(plain.len(), 2);
        assert_eq!(balanced.len(), 2);
        let spread = |ls: &[LineOut]| (ls[0].width - ls[1].width).abs();
        assert!(spread(&balanced) < spread(&plain));
    }
}
