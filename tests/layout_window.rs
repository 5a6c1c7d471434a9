//! Every screen of the real window at the sizes commune offices have: 1366×768, 1280×720 and
//! 1024×768 at 100 %, and the same screens at 125 % display scaling (the CSS pixels a page
//! gets then: 1093×614, 1024×576, 819×614). Nothing may stick out sideways (the page, the
//! header, a screen's scrolling areas: only the report's own table scrolls across, inside
//! its card), the header keeps one height on every screen, everything in it stays inside
//! the window, the intake's save bar is always in view, and the dossier panel's menu opens
//! inside the window; the dashboard shows this month's digitisation rate. A screenshot of
//! each is left
//! under the test's target folder (`screenshots/layout-…`) for a person to look at.

use crate::support;

use support::window::Window;
use support::Desk;

const SIZES: [(u32, u32, &str); 6] = [
    (1366, 768, "1366x768"),
    (1280, 720, "1280x720"),
    (1024, 768, "1024x768"),
    (1093, 614, "1366x768-125"),
    (1024, 576, "1280x720-125"),
    (819, 614, "1024x768-125"),
];

/// Each screen: its button in the header, and what shows it is drawn.
const SCREENS: [(&str, &str, &str); 6] = [
    ("lists", "#nav-lists", "#dossier-list > *"),
    ("intake", "#nav-intake", "#intake-form"),
    ("reports", "#nav-reports", "#report-totals"),
    ("transfer", "#nav-transfer", "#transfer-form"),
    ("settings", "#nav-settings", "#notices"),
    ("accounts", "#nav-accounts", "#accounts"),
];

/// What is wrong with the layout on screen, if anything, in words for the failure message.
pub(crate) const CHECK: &str = "
  const problems = [];
  const wide = [document.documentElement, document.body,
    ...document.querySelectorAll('.topbar, .screen, .scroll, .listpane, .detail, .workspace, .card, form, .intake-cols, .col, .modal-box')]
    .filter((el) => el.offsetParent !== null || el === document.documentElement || el === document.body)
    .filter((el) => !el.closest('.report-table'))
    .find((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'hidden');
  if (wide) problems.push(`sideways: ${wide.id || wide.className || wide.tagName} needs ${wide.scrollWidth} px, has ${wide.clientWidth}`);
  const bar = document.querySelector('.topbar');
  for (const el of bar.querySelectorAll('button, summary, input, .brand')) {
    if (el.offsetParent === null) continue;
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 || r.left < -1) problems.push(`header: ${el.id || el.className} from ${Math.round(r.left)} to ${Math.round(r.right)} of ${window.innerWidth}`);
  }
  const save = document.querySelector('.intake-actions');
  if (save) {
    const r = save.getBoundingClientRect();
    if (r.bottom > window.innerHeight + 1 || r.top < 0) problems.push(`save bar at ${Math.round(r.top)}–${Math.round(r.bottom)} of ${window.innerHeight}`);
  }
  const menu = document.querySelector('details.more[open] .menu');
  if (menu) {
    const r = menu.getBoundingClientRect();
    const panel = menu.closest('.detail').getBoundingClientRect();
    if (r.bottom > window.innerHeight + 1 || r.left < panel.left - 1 || r.right > panel.right + 1) problems.push(`the dossier's menu runs out of the panel or the window: ${Math.round(r.left)}–${Math.round(r.right)} × ${Math.round(r.top)}–${Math.round(r.bottom)}`);
  }
  const list = document.querySelector('.listpane');
  const detail = document.querySelector('.detail:not([hidden])');
  if (list && detail && list.getBoundingClientRect().width < 300 && detail.getBoundingClientRect().left > 0)
    problems.push(`the list is crushed to ${Math.round(list.getBoundingClientRect().width)} px beside the dossier`);
  return { problems, header: Math.round(bar.getBoundingClientRect().height) };";

/// Whether the checks above find anything sticking out at 1024×768 shown at 125 % (819×614
/// CSS pixels, the narrowest size), with `css` scrolled into view and a picture named
/// `<name>-1024x768-125-vi`; back to 1366×768 after.
pub(crate) async fn fits_the_narrowest(w: &Window, name: &str, css: &str) {
    w.resize(819, 614).await;
    w.client
        .execute(
            &format!("document.querySelector({css:?}).scrollIntoView()"),
            vec![],
        )
        .await
        .unwrap();
    let out = w.client.execute(CHECK, vec![]).await.unwrap();
    w.capture(&format!("{name}-1024x768-125-vi"), 819, 614);
    assert_eq!(out["problems"], serde_json::json!([]), "{name} at 819×614");
    w.resize(1366, 768).await;
}

async fn check(w: &Window, what: &str, size: (u32, u32), header: &mut Option<i64>) {
    let out = w.client.execute(CHECK, vec![]).await.unwrap();
    let height = out["header"].as_i64().unwrap_or_default();
    let mut problems: Vec<String> = out["problems"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    match header {
        Some(h) if *h != height => problems.push(format!("header {height} px high, was {h}")),
        _ => *header = Some(height),
    }
    w.capture(what, size.0, size.1);
    assert!(problems.is_empty(), "{what}: {}", problems.join("; "));
}

#[tokio::test]
async fn every_screen_fits_the_usual_screens_at_100_and_125_percent() {
    let desk = Desk::ready();
    desk.intake(&support::birth(
        "Nguyễn Thị Hồng Nhung",
        "2026-01-05T09:00:00+07:00",
    ));
    // One person who sees every screen: a small office's head, who also keeps the accounts.
    desk.account(
        "truongbp",
        &["reception", "processing", "supervisor", "administrator"],
    );
    let w = Window::open_bare(&desk, None).await;
    w.login("truongbp", support::PASSWORD).await;
    for lang in ["vi", "en"] {
        if lang == "en" {
            w.resize(1366, 768).await;
            w.click("#lang-switch").await;
            w.wait_text("#nav-intake", |t| t.starts_with("Intake"))
                .await;
        }
        // English labels are longer: the tightest sizes show whether they still fit.
        let sizes = SIZES.iter().filter(|(w, _, _)| lang == "vi" || *w < 1100);
        for (width, height, size) in sizes {
            w.resize(*width, *height).await;
            let mut header = None;
            for (screen, nav, ready) in SCREENS {
                w.click(nav).await;
                w.wait_css(ready).await;
                check(
                    &w,
                    &format!("{screen}-{size}-{lang}"),
                    (*width, *height),
                    &mut header,
                )
                .await;
            }
            w.click("#nav-lists").await;
            w.click("#tab-all").await;
            w.wait_text("#dossier-list", |t| t.contains("Hồng Nhung"))
                .await;
            w.click("#dossier-list tr.row td.code").await;
            w.wait_text("#detail", |t| t.contains("Hồng Nhung")).await;
            // With its menu open: the rarer moves and the forms must be reachable too.
            w.click("#more-actions > summary").await;
            w.wait_css("#form-control").await;
            check(
                &w,
                &format!("dossier-{size}-{lang}"),
                (*width, *height),
                &mut header,
            )
            .await;
        }
    }
    // Once the layouts are checked (today's list would fill): a dossier of this month, its one
    // checklist row scanned, and the dashboard's digitisation tile says 100 % of this month's
    // dossiers, and "—" for results (none yet).
    desk.login("truongbp", support::PASSWORD);
    let received = motcua_core::vntime::now() - chrono::Duration::minutes(1);
    let this_month = desk.intake(&support::birth(
        "Nguyễn Thị Hồng Nhung",
        &motcua_core::vntime::rfc3339_vn(received),
    ));
    let page = desk.path("trang.jpg");
    support::tool(
        "convert",
        &["-size", "200x300", "xc:white", page.to_str().unwrap()],
    );
    desk.ok(&[
        "scans",
        "add",
        this_month["code"].as_str().unwrap(),
        "--doc",
        "1",
        "--file",
        page.to_str().unwrap(),
    ]);
    w.resize(1366, 768).await;
    w.click("#nav-intake").await;
    w.click("#nav-lists").await;
    w.wait_text("#dash-digitised", |t| t.starts_with("100% · —"))
        .await;
    w.capture("dashboard-1366x768-en", 1366, 768);
    w.close().await;
}
