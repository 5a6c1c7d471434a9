//! Test stores: every store test runs on a fresh SQLite file and, when the test command
//! has started PostgreSQL (MOTCUA_TEST_POSTGRES=postgres://…/postgres), on a fresh
//! PostgreSQL database too.

#![allow(dead_code)]

use motcua_core::agency::AgencyInput;
use motcua_core::store::{Actor, Store};
use sqlx::any::AnyPoolOptions;
use sqlx::Executor;

pub struct TestStore {
    pub name: &'static str,
    pub store: Store,
    pub location: String,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub async fn fresh_sqlite() -> TestStore {
    let dir = tempfile::tempdir().unwrap();
    let location = dir.path().join("motcua.db").to_string_lossy().into_owned();
    let store = Store::open(&location).await.unwrap();
    TestStore {
        name: "sqlite",
        store,
        location,
        _dir: Some(dir),
    }
}

/// A new empty PostgreSQL database on the test server, if there is one.
pub async fn fresh_postgres_url() -> Option<String> {
    let admin = match std::env::var("MOTCUA_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            assert!(
                std::env::var("MOTCUA_REQUIRE_POSTGRES").is_err(),
                "MOTCUA_REQUIRE_POSTGRES is set but MOTCUA_TEST_POSTGRES is not"
            );
            return None;
        }
    };
    crate::pg_leftovers::drop_those_of_ended_runs(&admin);
    sqlx::any::install_default_drivers();
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let name = format!("motcua_t{}_{}_{}", std::process::id(), n, rand_suffix());
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(&admin)
        .await
        .unwrap();
    pool.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    pool.close().await;
    let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
    Some(format!("{base}/{name}"))
}

fn rand_suffix() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or(0)
}

pub async fn fresh_postgres() -> Option<TestStore> {
    let location = fresh_postgres_url().await?;
    let store = Store::open(&location).await.unwrap();
    Some(TestStore {
        name: "postgres",
        store,
        location,
        _dir: None,
    })
}

/// Fresh stores on every engine available to this test run.
pub async fn stores() -> Vec<TestStore> {
    let mut all = vec![fresh_sqlite().await];
    if let Some(pg) = fresh_postgres().await {
        all.push(pg);
    }
    all
}

pub fn agency_input(first_number: i64) -> AgencyInput {
    AgencyInput {
        agency_code: "000.00.14.H56".into(),
        governing_body: "UBND XÃ HƯỚNG THỌ PHÚ".into(),
        unit: "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG".into(),
        place: "Hướng Thọ Phú".into(),
        first_number: Some(first_number),
    }
}

/// Fresh, set-up stores.
pub async fn ready_stores() -> Vec<TestStore> {
    let all = stores().await;
    for s in &all {
        s.store.setup(&agency_input(1)).await.unwrap();
    }
    all
}

pub fn actor() -> Actor {
    Actor::new("tester", "Quầy 1")
}

/// A valid birth-registration request received at `received_at`.
pub fn birth_request(name: &str, received_at: &str) -> motcua_core::intake::IntakeRequest {
    let json = serde_json::json!({
        "procedure": "1.001193",
        "applicant": {
            "name": name,
            "id_number": "079203001234",
            "phone": "0912345678",
            "email": "",
            "address": "Số 12, ấp Bình Hòa, xã Hướng Thọ Phú, tỉnh Tây Ninh"
        },
        "received_at": received_at
    });
    motcua_core::intake::IntakeRequest::from_json(&json.to_string()).unwrap()
}

/// Runs SQL on the test database behind the store's back, as someone with direct access to
/// the database file or server could.
pub async fn raw(t: &TestStore, sql: &str) -> Result<u64, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let url = if t.name == "sqlite" {
        format!("sqlite://{}", t.location)
    } else {
        t.location.clone()
    };
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await?;
    let result = sqlx::query(sql)
        .execute(&pool)
        .await
        .map(|r| r.rows_affected());
    pool.close().await;
    result
}

/// What the report's definition needs of a dossier's papers: how many checklist rows it has,
/// which came from data, which rows were scanned, and whether its result was.
pub async fn scan_facts(
    store: &Store,
    dossier: &motcua_core::dossier::Dossier,
) -> (u32, Vec<u32>, Vec<u32>, bool) {
    let scanned = store.scans(&dossier.code).await.unwrap();
    (
        dossier.documents.len() as u32,
        (1..)
            .zip(&dossier.documents)
            .filter(|(_, doc)| doc.from_data)
            .map(|(row, _)| row)
            .collect(),
        scanned
            .iter()
            .filter(|r| !r.result)
            .map(|r| r.doc)
            .collect(),
        scanned.iter().any(|r| r.result),
    )
}
