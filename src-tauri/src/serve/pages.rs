//! The pages, rendered on the server: small, no script, no external resource, readable on
//! an old phone. Every text a person reads comes from the locale tables.

use chrono::{DateTime, Utc};
use motcua_core::i18n::{t, tf, Lang};
use motcua_core::public_status::{Collect, PublicStatus};
use motcua_core::status::Status;
use motcua_core::vntime::to_vn;

use super::html::{esc, query_value};

/// Who runs the page: shown in its header and footer.
#[derive(Debug, Clone, Default)]
pub struct Office {
    pub governing_body: String,
    pub unit: String,
    pub contact: String,
}

/// Which lookup page: the phone's (`/`) or the waiting-room screen's (`/kiosk`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Phone,
    Kiosk,
}

impl Screen {
    fn path(self) -> &'static str {
        match self {
            Screen::Phone => "/",
            Screen::Kiosk => "/kiosk",
        }
    }
}

/// What a lookup on the kiosk found.
pub enum KioskAnswer {
    /// Nothing asked yet.
    Blank,
    /// A scanned slip whose tag checks out.
    Status(Box<PublicStatus>),
    /// A bare code that is on the public list of results ready to collect.
    Ready(String),
    /// A bare code (barcode or typed): without the slip's tag only the public list can be
    /// consulted, whether or not the code exists.
    ScanQr,
    /// Anything else, including a wrong tag: the same answer as an unknown code.
    NotFound,
}

const CSS: &str = "body{margin:0;font-family:Arial,Helvetica,sans-serif;font-size:17px;line-height:1.45;color:#1b1b1b;background:#efefe9}\
header{background:#8f1d1d;color:#fff;padding:10px 14px;text-align:center}\
header .gov{font-size:13px}header .unit{font-size:15px;font-weight:bold}\
main{display:block;max-width:560px;margin:0 auto;padding:10px 16px 14px;background:#fff}\
h1{font-size:21px;margin:6px 0 8px}\
.code{margin:0 0 8px;word-wrap:break-word}.code span{font-family:monospace;font-size:16px}\
.state{margin:10px 0;padding:10px 12px;border-left:6px solid #777;background:#eee;font-weight:bold}\
.state.ready{border-color:#1f7a35;background:#e2f3e5}.state.wait{border-color:#a86400;background:#fff2d9}\
.state.stop{border-color:#8f1d1d;background:#fbe7e7}\
.note{margin:8px 0;padding:8px 10px;background:#f6f6f2;border:1px solid #ddd}\
.warn{margin:8px 0;padding:8px 10px;background:#fbe7e7;border:1px solid #e3b4b4}\
dl{margin:6px 0}dt{color:#555;font-size:14px;margin-top:8px}dd{margin:0;font-weight:bold}\
.small{font-size:13px;color:#666}\
footer{display:block;max-width:560px;margin:0 auto;padding:10px 16px 18px;font-size:14px;color:#333}\
a{color:#0b55a0}\
label{display:block;margin:6px 0}\
input{width:100%;box-sizing:border-box;font-size:18px;padding:8px;border:1px solid #888}\
button{margin-top:8px;font-size:18px;padding:8px 18px;background:#0b55a0;color:#fff;border:0}\
h2{font-size:18px;margin:18px 0 6px}\
ul.codes{list-style:none;margin:0;padding:0}ul.codes li{font-family:monospace;padding:5px 0;border-bottom:1px solid #ddd;word-wrap:break-word}\
body.kiosk{font-size:26px}body.kiosk main,body.kiosk footer{max-width:1100px}\
body.kiosk h1{font-size:34px}body.kiosk input,body.kiosk button{font-size:28px}\
body.kiosk .code span,body.kiosk ul.codes li{font-size:28px}body.kiosk h2{font-size:30px}body.kiosk .small{font-size:18px}body.kiosk header .unit{font-size:24px}\
body.kiosk header .gov,body.kiosk dt,body.kiosk footer{font-size:20px}";

/// The frame every page shares. `lang_link` is the query (relative to the page) that shows
/// it in the other language; `refresh` sends the browser to a URL after some seconds.
fn page(
    lang: Lang,
    office: &Office,
    title: &str,
    body: &str,
    lang_link: &str,
    refresh: Option<(u32, String)>,
    screen_class: &str,
) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("<!DOCTYPE html>\n<html lang=\"");
    out.push_str(lang.code());
    out.push_str("\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    if let Some((seconds, url)) = refresh {
        out.push_str(&format!(
            "<meta http-equiv=\"refresh\" content=\"{seconds};url={}\">",
            esc(&url)
        ));
    }
    out.push_str("<title>");
    out.push_str(&esc(title));
    if !office.unit.is_empty() {
        out.push_str(" – ");
        out.push_str(&esc(&office.unit));
    }
    // An empty icon keeps browsers from asking for /favicon.ico on every visit.
    out.push_str("</title><link rel=\"icon\" href=\"data:,\"><style>");
    out.push_str(CSS);
    out.push_str("</style></head><body");
    if !screen_class.is_empty() {
        out.push_str(&format!(" class=\"{screen_class}\""));
    }
    out.push_str("><header>");
    if !office.governing_body.is_empty() {
        out.push_str(&format!(
            "<div class=\"gov\">{}</div>",
            esc(&office.governing_body)
        ));
    }
    if !office.unit.is_empty() {
        out.push_str(&format!("<div class=\"unit\">{}</div>", esc(&office.unit)));
    }
    out.push_str("</header><main>");
    out.push_str(body);
    out.push_str("</main><footer>");
    if !office.contact.is_empty() {
        out.push_str(&format!(
            "<p>{}: {}</p>",
            esc(&t(lang, "public.contact")),
            esc(&office.contact)
        ));
    }
    out.push_str(&format!(
        "<p><a href=\"{}\" lang=\"{}\">{}</a></p>",
        esc(lang_link),
        other(lang).code(),
        esc(&t(lang, "public.switch_lang"))
    ));
    out.push_str("</footer></body></html>\n");
    out
}

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Vi => Lang::En,
        Lang::En => Lang::Vi,
    }
}

fn checked_at(now: DateTime<Utc>, lang: Lang) -> String {
    tf(
        lang,
        "public.checked_at",
        &[("time", &to_vn(now).format("%H:%M %d/%m/%Y").to_string())],
    )
}

/// The status block of one dossier: the same on a phone and on the kiosk.
fn status_block(s: &PublicStatus, lang: Lang, now: DateTime<Utc>) -> String {
    let class = if s.ready {
        "ready"
    } else if s.in_progress() {
        "wait"
    } else if s.status == Status::Returned {
        ""
    } else {
        "stop"
    };
    let mut out = String::new();
    out.push_str(&format!(
        "<p class=\"code\">{}: <span>{}</span></p>",
        esc(&t(lang, "public.code")),
        esc(&s.code)
    ));
    out.push_str(&format!(
        "<p class=\"state {class}\">{}</p>",
        esc(&s.status_words(lang))
    ));
    if s.overdue(now) {
        out.push_str(&format!(
            "<p class=\"warn\">{}</p>",
            esc(&t(lang, "public.overdue"))
        ));
    }
    if s.status.pauses_clock() {
        out.push_str(&format!(
            "<p class=\"note\">{}</p>",
            esc(&t(lang, "public.paused"))
        ));
    }
    out.push_str("<dl>");
    let mut row = |label: &str, value: &str| {
        out.push_str(&format!(
            "<dt>{}</dt><dd>{}</dd>",
            esc(&t(lang, label)),
            esc(value)
        ));
    };
    row("public.applicant", &s.applicant);
    row("public.procedure", &s.procedure);
    if s.in_progress() {
        row("public.appointment", &s.appointment_words(lang));
    }
    if s.ready || s.in_progress() {
        row("public.collect", &s.collect_words(lang));
    }
    out.push_str("</dl>");
    if s.ready && s.collect == Collect::Desk {
        out.push_str(&format!(
            "<p class=\"note\">{}</p>",
            esc(&t(lang, "public.bring_receipt"))
        ));
    }
    out.push_str(&format!(
        "<p class=\"small\">{}</p>",
        esc(&checked_at(now, lang))
    ));
    out
}

/// `/d/{code}?k={tag}`: one dossier.
pub fn status(s: &PublicStatus, tag: &str, lang: Lang, now: DateTime<Utc>) -> String {
    let office = Office {
        governing_body: s.governing_body.clone(),
        unit: s.unit.clone(),
        contact: s.contact.clone(),
    };
    let title = t(lang, "public.title");
    let body = format!("<h1>{}</h1>{}", esc(&title), status_block(s, lang, now));
    let link = format!("?k={}&lang={}", query_value(tag), other(lang).code());
    page(lang, &office, &title, &body, &link, None, "")
}

/// The answer for an unknown code, a wrong tag or anything malformed: one page, the same
/// bytes whatever was asked, so it tells nothing about which codes exist.
pub fn not_found(lang: Lang, office: &Office) -> String {
    let title = t(lang, "public.not_found_title");
    let body = format!(
        "<h1>{}</h1><p class=\"state stop\">{}</p><p><a href=\"/\">{}</a></p>",
        esc(&title),
        esc(&t(lang, "public.not_found")),
        esc(&t(lang, "public.lookup_prompt"))
    );
    let link = format!("?lang={}", other(lang).code());
    page(lang, office, &title, &body, &link, None, "")
}

pub fn too_many(lang: Lang) -> String {
    let title = t(lang, "public.too_many_title");
    let body = format!(
        "<h1>{}</h1><p class=\"state wait\">{}</p>",
        esc(&title),
        esc(&t(lang, "public.too_many"))
    );
    let link = format!("?lang={}", other(lang).code());
    page(lang, &Office::default(), &title, &body, &link, None, "")
}

pub fn error(lang: Lang) -> String {
    let title = t(lang, "public.error_title");
    let body = format!(
        "<h1>{}</h1><p class=\"state stop\">{}</p>",
        esc(&title),
        esc(&t(lang, "public.error"))
    );
    let link = format!("?lang={}", other(lang).code());
    page(lang, &Office::default(), &title, &body, &link, None, "")
}

/// `/` and `/kiosk`: the lookup form, the answer to the last lookup, and the codes of the
/// results waiting at the desk. The kiosk goes back to its blank form by itself, so the
/// next person in the waiting room does not see the last one's dossier.
pub fn lookup(
    screen: Screen,
    lang: Lang,
    office: &Office,
    answer: &KioskAnswer,
    ready: &[String],
    now: DateTime<Utc>,
) -> String {
    let title = t(lang, "public.title");
    let mut body = format!("<h1>{}</h1>", esc(&title));
    body.push_str(&format!(
        "<form method=\"get\" action=\"{}\"><label for=\"q\">{}</label>\
         <input type=\"text\" id=\"q\" name=\"q\" autofocus autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\">\
         <input type=\"hidden\" name=\"lang\" value=\"{}\"><button type=\"submit\">{}</button></form>",
        screen.path(),
        esc(&t(lang, "public.lookup_prompt")),
        lang.code(),
        esc(&t(lang, "public.lookup_button"))
    ));
    match answer {
        KioskAnswer::Blank => {}
        KioskAnswer::Status(s) => body.push_str(&status_block(s, lang, now)),
        KioskAnswer::Ready(code) => body.push_str(&format!(
            "<p class=\"state ready\">{}</p>",
            esc(&tf(lang, "public.kiosk_code_ready", &[("code", code)]))
        )),
        KioskAnswer::ScanQr => body.push_str(&format!(
            "<p class=\"state\">{}</p>",
            esc(&t(lang, "public.kiosk_scan_qr"))
        )),
        KioskAnswer::NotFound => body.push_str(&format!(
            "<p class=\"state stop\">{}</p>",
            esc(&t(lang, "public.not_found"))
        )),
    }
    body.push_str(&format!(
        "<h2>{}</h2>",
        esc(&t(lang, "public.kiosk_ready_title"))
    ));
    if ready.is_empty() {
        body.push_str(&format!(
            "<p>{}</p>",
            esc(&t(lang, "public.kiosk_ready_empty"))
        ));
    } else {
        body.push_str("<ul class=\"codes\">");
        for code in ready {
            body.push_str(&format!("<li>{}</li>", esc(code)));
        }
        body.push_str("</ul>");
    }
    body.push_str(&format!(
        "<p class=\"small\">{}</p>",
        esc(&checked_at(now, lang))
    ));
    let home = format!("{}?lang={}", screen.path(), lang.code());
    let refresh = match (screen, answer) {
        (Screen::Kiosk, KioskAnswer::Blank) => Some((60, home)),
        (Screen::Kiosk, _) => Some((20, home)),
        (Screen::Phone, _) => None,
    };
    let class = match screen {
        Screen::Kiosk => "kiosk",
        Screen::Phone => "",
    };
    let link = format!("?lang={}", other(lang).code());
    page(lang, office, &title, &body, &link, refresh, class)
}
