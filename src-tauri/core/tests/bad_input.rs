//! Whatever people paste or scanners type: thousands of generated inputs for the intake
//! JSON, the scan parser and the catalog import. None may panic; every refusal is a clear
//! error naming its field where there is one; a refused intake writes nothing.

use crate::common;

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::TimeZone;
use motcua_core::error::{CoreError, FieldError};
use motcua_core::i18n::Lang;
use motcua_core::intake::{validate, IntakeRequest};
use motcua_core::procedure::{starter_catalog, Catalog};
use motcua_core::slip::parse_scan;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};

/// Text people paste: any character, with the troublesome ones made likely.
fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        2 => "[\\PC\\p{Cc}\u{202E}\u{200B}\u{FEFF}'\";%_\\\\ ]{0,40}",
        1 => "[a-zA-ZÀ-ỹ '\\-.]{0,120}",
        1 => "[0-9 +().-]{0,20}",
        1 => Just("Robert'); DROP TABLE dossiers;--".to_string()),
        1 => Just("😀👍🏽🏠".repeat(30)),
        1 => Just("שלום عليكم".to_string()),
        1 => "x{0,5000}",
    ]
}

/// Any JSON value, nested a little.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        nasty_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A plausible intake request with fields made wrong in every way.
fn intake_json() -> impl Strategy<Value = Value> {
    let field = || prop_oneof![3 => nasty_text().prop_map(Value::String), 1 => any_json()];
    let doc = (field(), any_json(), any::<i64>()).prop_map(
        |(name, originals, copies)| json!({"name": name, "originals": originals, "copies": copies}),
    );
    (
        prop_oneof![Just(json!("1.001193")), Just(json!("2.000815")), field()],
        (field(), field(), field(), field(), field()),
        prop::option::of(prop::collection::vec(doc, 0..4)),
        prop_oneof![any::<i64>().prop_map(|n| json!(n)), any_json()],
        prop_oneof![
            Just(json!({"method": "desk"})),
            (field(), field(), field()).prop_map(
                |(a, p, r)| json!({"method": "post", "address": a, "phone": p, "recipient": r})
            ),
            any_json(),
        ],
        prop_oneof![
            Just(json!("2027-03-03T09:00:00+07:00")),
            Just(json!("2027-02-30T09:00:00+07:00")),
            field()
        ],
        field(),
        prop::option::of(any_json()),
    )
        .prop_map(
            |(
                procedure,
                (name, id, phone, email, address),
                documents,
                sets,
                ret,
                at,
                note,
                extra,
            )| {
                let mut v = json!({
                    "procedure": procedure,
                    "applicant": {"name": name, "id_number": id, "phone": phone,
                                  "email": email, "address": address},
                    "sets": sets, "return": ret, "received_at": at, "note": note
                });
                if let Some(docs) = documents {
                    v["documents"] = Value::Array(docs);
                }
                if let Some(extra) = extra {
                    v["submitter"] = extra;
                }
                v
            },
        )
}

/// A valid request with at most one field replaced by pasted text: many are accepted, so
/// the store's accepting path is exercised as much as its refusals.
fn near_valid_intake() -> impl Strategy<Value = Value> {
    let names = prop::sample::select(vec![
        "Nguyễn Văn An",
        "Lê Thị Bình",
        "O'Neil Trần",
        "Nguyễn Thị Minh Khai",
        "Đặng-Lê Hoà",
    ]);
    let spot = prop::sample::select(vec![
        "",
        "name",
        "id_number",
        "phone",
        "email",
        "address",
        "note",
        "sets",
    ]);
    (names, spot, nasty_text(), any::<i64>()).prop_map(|(name, spot, text, n)| {
        let mut v = json!({
            "procedure": "1.001193",
            "applicant": {"name": name, "id_number": "079203001234", "phone": "0912345678",
                          "email": "", "address": "Số 12, ấp Bình Hòa"},
            "received_at": "2027-03-03T09:00:00+07:00", "note": ""
        });
        match spot {
            "" => {}
            "note" => v["note"] = text.into(),
            "sets" => v["sets"] = json!(n),
            field => v["applicant"][field] = text.into(),
        }
        v
    })
}

/// A label from the language table, not a raw key.
fn assert_labelled(e: &FieldError) {
    for lang in [Lang::Vi, Lang::En] {
        let label = e.label(lang);
        assert!(
            !label.starts_with("field."),
            "no label for field {:?} ({lang:?})",
            e.field
        );
        assert!(!e.problem.message(lang).is_empty());
    }
}

fn assert_clear(err: &CoreError) {
    for lang in [Lang::Vi, Lang::En] {
        let m = err.message(lang);
        assert!(!m.trim().is_empty(), "{err:?}");
    }
    for e in err.field_errors() {
        assert_labelled(e);
    }
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .with_ymd_and_hms(2027, 3, 3, 2, 0, 0)
        .single()
        .unwrap_or_default()
}

fn check_intake(text: &str) {
    match IntakeRequest::from_json(text) {
        Err(e) => assert_clear(&e),
        Ok(req) => {
            let procedure = starter_catalog()
                .into_iter()
                .find(|p| p.code == req.procedure.trim());
            match validate(&req, procedure, &[], now()) {
                Ok(valid) => {
                    assert!(!valid.applicant.name.is_empty());
                }
                Err(e) => {
                    assert!(matches!(e, CoreError::Invalid(ref list) if !list.is_empty()));
                    assert_clear(&e);
                }
            }
        }
    }
}

#[test]
fn intake_json_never_panics_and_every_refusal_names_its_field() {
    let mut runner = TestRunner::new(config(3000));
    runner
        .run(&prop_oneof![intake_json(), near_valid_intake()], |v| {
            check_intake(&v.to_string());
            Ok(())
        })
        .unwrap();
    let mut runner = TestRunner::new(config(1500));
    runner
        .run(
            &prop_oneof![any::<String>(), any_json().prop_map(|v| v.to_string())],
            |s| {
                check_intake(&s);
                Ok(())
            },
        )
        .unwrap();
}

/// Code-like pieces, so that generated scans reach deep into the parser.
fn scan_input() -> impl Strategy<Value = String> {
    let code = "[0-9A-Za-z.]{1,16}-[0-9]{0,7}-[0-9]{0,6}";
    prop_oneof![
        2 => any::<String>(),
        2 => (code, "[0-9A-Za-z]{0,20}").prop_map(|(c, t)| format!("MC1:{c}:{t}")),
        2 => (code, "[0-9A-Za-z]{0,20}", "[?&#=/;a-z]{0,6}")
            .prop_map(|(c, t, junk)| format!("http://10.0.0.1/d/{c}?k={t}{junk}")),
        1 => (code, "[ \t]{0,3}").prop_map(|(c, s)| format!("{s}{c}{s}")),
        1 => "[mMcC1:/?=&k.\\-0-9A-Z ]{0,60}",
    ]
}

#[test]
fn scans_never_panic_and_what_they_accept_is_a_canonical_code() {
    let mut runner = TestRunner::new(config(5000));
    runner
        .run(&scan_input(), |s| {
            if let Some(found) = parse_scan(&s) {
                prop_assert!(found.code.is_ascii());
                prop_assert_eq!(found.code.to_ascii_uppercase(), found.code.clone());
                let again = parse_scan(&found.code);
                prop_assert_eq!(again.map(|a| a.code), Some(found.code.clone()));
                if let Some(tag) = &found.tag {
                    prop_assert_eq!(tag.to_ascii_uppercase(), tag.clone());
                }
            }
            Ok(())
        })
        .unwrap();
}

fn catalog_json() -> impl Strategy<Value = Value> {
    let text = || prop_oneof![3 => nasty_text().prop_map(Value::String), 1 => any_json()];
    let limit = prop_oneof![
        any::<u32>().prop_map(|d| json!({"unit": "working_days", "days": d})),
        any::<i64>().prop_map(|d| json!({"unit": "calendar_days", "days": d})),
        Just(json!({"unit": "same_day", "cutoff": "15:00:00"})),
        Just(json!({"unit": "same_day", "cutoff": "25:00"})),
        any_json(),
    ];
    let document = (text(), any::<i64>(), any::<u32>(), any::<bool>())
        .prop_map(|(n, o, c, r)| json!({"name": n, "originals": o, "copies": c, "required": r}));
    let procedure = (
        prop_oneof![
            Just(json!("1.001193")),
            "[0-9.A-Za-z_-]{0,12}".prop_map(Value::String),
            text()
        ],
        text(),
        text(),
        limit,
        prop_oneof![Just(json!("extend")), Just(json!("restart")), text()],
        text(),
        prop::collection::vec(document, 0..4),
        any::<bool>(),
    )
        .prop_map(|(code, name, field, limit, policy, fee, docs, active)| {
            json!({"code": code, "name": name, "field": field, "limit": limit,
                   "pause_policy": policy, "fee_text": fee, "documents": docs, "active": active})
        });
    prop_oneof![
        4 => prop::collection::vec(procedure, 0..5).prop_map(|p| json!({"procedures": p})),
        1 => any_json(),
    ]
}

#[test]
fn catalog_imports_never_panic_and_every_refusal_is_clear() {
    let check = |text: &str| match Catalog::parse(text) {
        Ok(catalog) => {
            for p in &catalog.procedures {
                assert!(motcua_core::procedure::is_procedure_code(&p.code));
                assert!(!p.name.is_empty());
            }
        }
        Err(e) => assert_clear(&e),
    };
    let mut runner = TestRunner::new(config(3000));
    runner
        .run(&catalog_json(), |v| {
            check(&v.to_string());
            Ok(())
        })
        .unwrap();
    let mut runner = TestRunner::new(config(1000));
    runner
        .run(&any::<String>(), |s| {
            check(&s);
            Ok(())
        })
        .unwrap();
}

/// Through the store, on every engine: a refused intake writes nothing at all, an accepted
/// one is read back as it was stored.
#[test]
fn generated_intakes_through_the_store_write_nothing_when_refused() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let stores = runtime.block_on(common::ready_stores());
    for t in &stores {
        // Rows of dossiers and events; the day counters are checked by `health` at the end
        // (a counter bumped by a refused intake would show as a gap).
        let rows = |t: &common::TestStore| {
            let h = runtime.block_on(t.store.health()).unwrap();
            (h.dossiers, h.events)
        };
        let accepted = AtomicU64::new(0);
        let mut runner = TestRunner::new(config(400));
        runner
            .run(&prop_oneof![intake_json(), near_valid_intake()], |v| {
                let before = rows(t);
                let result = IntakeRequest::from_json(&v.to_string()).and_then(|req| {
                    runtime.block_on(t.store.intake_at(&req, &common::actor(), now()))
                });
                match result {
                    Ok(d) => {
                        accepted.fetch_add(1, Ordering::Relaxed);
                        let back = runtime.block_on(t.store.dossier(&d.code)).unwrap();
                        prop_assert_eq!(back, d);
                    }
                    Err(e) => {
                        assert_clear(&e);
                        prop_assert_eq!(rows(t), before, "{}: {}", t.name, e);
                    }
                }
                Ok(())
            })
            .unwrap();
        let health = runtime.block_on(t.store.health()).unwrap();
        assert!(health.ok(), "{}: {health:?}", t.name);
        eprintln!(
            "{}: {} of 400 generated intakes accepted",
            t.name,
            accepted.load(Ordering::Relaxed)
        );
    }
}
