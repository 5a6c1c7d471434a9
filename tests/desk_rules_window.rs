//! Two rules the window cannot bend, called from the real page under Xvfb as its own
//! scripts call the commands: no role moves a dossier to status 10 except through the
//! hand-over (which records who received the result), and the intake's reception time is
//! the desk's clock, never a time sent by the page.

use crate::support;

use serde_json::{json, Value};
use support::window::Window;
use support::{birth, Scenario, PASSWORD};

fn kind(err: &Value) -> &str {
    err["kind"].as_str().unwrap_or("")
}

#[tokio::test]
async fn only_the_hand_over_reaches_10_and_the_page_cannot_set_the_reception_time() {
    let roles = [
        ("letan", "reception"),
        ("xuly", "processing"),
        ("giamsat", "supervisor"),
        ("quantri", "administrator"),
    ];
    // One account holding every role, as a small commune's only clerk may.
    let mut staffed = Scenario::new().clerk("tatca", &["reception", "processing", "supervisor"]);
    for (account, role) in roles {
        staffed = staffed.clerk(account, &[role]);
    }
    // The command line works as a signed-in clerk too.
    let staffed = staffed.signed_in("tatca").dossier_today("Nguyễn Văn An");
    let code = staffed.code();
    let desk = staffed.desk;
    desk.ok(&["transition", &code, "--to", "9"]);

    let w = Window::open_bare(&desk, Some("en")).await;
    w.wait_css("#login-form").await;
    for account in ["letan", "xuly", "giamsat", "quantri", "tatca"] {
        w.invoke("login", json!({ "name": account, "password": PASSWORD }))
            .await
            .unwrap_or_else(|e| panic!("login {account}: {e}"));
        let err = w
            .invoke("transition_dossier", json!({ "code": code, "to": 10 }))
            .await
            .expect_err(account);
        // A role without status changes is refused for that; every other one because only
        // the hand-over may.
        assert!(
            ["forbidden", "handover_only"].contains(&kind(&err)),
            "{account}: {err}"
        );
        if ["xuly", "tatca"].contains(&account) {
            assert_eq!(kind(&err), "handover_only", "{account}: {err}");
            assert!(
                err["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains("only the hand-over"),
                "{err}"
            );
        }
        let nexts = w
            .invoke("next_statuses", json!({ "code": code }))
            .await
            .ok();
        if let Some(nexts) = nexts {
            assert!(!nexts.as_array().unwrap().contains(&json!(10)), "{nexts}");
        }
        w.invoke("logout", json!({})).await.unwrap();
    }
    assert_eq!(desk.json(&["show", &code, "--json"])["status_code"], 9);

    // Reception: a backdated intake from the page is refused, the clock's is taken.
    w.invoke("login", json!({ "name": "letan", "password": PASSWORD }))
        .await
        .unwrap();
    let mut backdated = birth("Lê Thị Bình", "2020-01-02T09:00:00+07:00");
    backdated["request_id"] = json!("backdated-1");
    let err = w
        .invoke("intake", json!({ "request": backdated }))
        .await
        .expect_err("a reception time from the page");
    assert_eq!(
        err["fields"][0]["field"], "received_at",
        "the error names the field: {err}"
    );
    let listed = desk.json(&["list", "--date", "2020-01-02", "--json"]);
    assert!(listed.as_array().unwrap().is_empty(), "{listed}");
    let before = motcua_core::vntime::now();
    backdated.as_object_mut().unwrap().remove("received_at");
    backdated["request_id"] = json!("now-1");
    let saved = w
        .invoke("intake", json!({ "request": backdated }))
        .await
        .unwrap();
    let received =
        chrono::DateTime::parse_from_rfc3339(saved["received_at"].as_str().unwrap()).unwrap();
    assert!(received >= before - chrono::Duration::seconds(5), "{saved}");

    // The hand-over still moves the ready dossier to 10.
    w.invoke(
        "hand_over_result",
        json!({ "code": code, "input": { "method": "person", "receiver_name": "Nguyễn Văn An", "receiver_id": "079203001234", "authorisation": "", "tracking": "", "rating": 1 } }),
    )
    .await
    .unwrap();
    assert_eq!(desk.json(&["show", &code, "--json"])["status_code"], 10);
    w.close().await;
}
