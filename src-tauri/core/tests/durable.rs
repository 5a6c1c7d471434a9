//! Nothing lost: backups and restores on every engine, moving a commune's database into a
//! centre's, a full disk, a read-only disk, a PostgreSQL server that stops and comes back,
//! and strange text stored exactly.

use crate::common;
use crate::private_server;

use std::path::Path;
use std::process::Command;

use common::{actor, agency_input, birth_request, fresh_postgres, fresh_sqlite, ready_stores};
use motcua_core::agency::AgencyInput;
use motcua_core::error::Problem;
use motcua_core::intake::IntakeRequest;
use motcua_core::status::Status;
use motcua_core::store::backup::BackupError;
use motcua_core::store::{transfer, verify_backup, Store, Unmarked};
use motcua_core::CoreError;
use private_server::{is_root, run, PrivateServer};

const DAY: &str = "2027-03-03T09:00:00+07:00";

fn code(n: u32) -> String {
    format!("000.00.14.H56-270303-{n:04}")
}

async fn intake_n(store: &Store, names: &[&str]) -> Vec<String> {
    let mut codes = Vec::new();
    for name in names {
        codes.push(
            store
                .intake(&birth_request(name, DAY), &actor())
                .await
                .unwrap()
                .code,
        );
    }
    codes
}

fn kind<T: std::fmt::Debug>(r: Result<T, CoreError>) -> (String, String, String) {
    let e = r.expect_err("an error");
    (
        e.kind().to_string(),
        e.to_string(),
        e.message(motcua_core::i18n::Lang::En),
    )
}

#[tokio::test]
async fn a_backup_restores_everything_and_keeps_the_current_database_aside() {
    for t in ready_stores().await {
        let s = &t.store;
        let dir = tempfile::tempdir().unwrap();
        let codes = intake_n(s, &["Nguyễn Văn An", "Lê Thị Bình", "Trần Văn Cường"]).await;
        s.transition(
            &codes[0],
            Status::Processing,
            "bắt đầu",
            None,
            None,
            &actor(),
        )
        .await
        .unwrap();
        let before = s.dossier(&codes[0]).await.unwrap();
        let history = s.events(&codes[0]).await.unwrap();

        let file = dir.path().join(format!("backup.{}", s.backup_extension()));
        let made = s.backup(&file).await.unwrap();
        assert!(made.checksum_verified, "{}", t.name);
        assert_eq!(made.rows["dossiers"], 3, "{}", t.name);
        assert_eq!(made.rows["events"], 4, "{}", t.name);
        let checked = verify_backup(&file).await.unwrap();
        assert_eq!(checked.rows, made.rows);

        // Work goes on after the backup, then the backup is restored.
        let later = intake_n(s, &["Phạm Thị Dung"]).await;
        assert_eq!(later[0], code(4));
        s.transition(&codes[1], Status::Processing, "", None, None, &actor())
            .await
            .unwrap();
        let aside = dir.path().join("backups");
        let restored = s
            .restore(&file, &aside, Unmarked::Refuse, &actor())
            .await
            .unwrap();
        assert_eq!(s.count().await.unwrap(), 3, "{}", t.name);
        assert_eq!(s.dossier(&codes[0]).await.unwrap(), before);
        assert_eq!(s.events(&codes[0]).await.unwrap(), history);
        assert_eq!(s.dossier(&codes[1]).await.unwrap().status, Status::Accepted);
        assert!(matches!(
            s.dossier(&later[0]).await,
            Err(CoreError::DossierNotFound { .. })
        ));
        // The database as it was is kept aside, and is itself a good backup.
        let previous = verify_backup(Path::new(&restored.previous)).await.unwrap();
        assert_eq!(previous.rows["dossiers"], 4, "{}", t.name);
        // Numbering goes on after the numbers given out since the backup (code 4 is on a
        // receipt somewhere: never given twice), `check` says why 4 has no dossier, and
        // history stays append-only.
        assert_eq!(intake_n(s, &["Võ Văn Em"]).await[0], code(5), "{}", t.name);
        let health = s.health().await.unwrap();
        assert!(health.ok(), "{}: {health:?}", t.name);
        assert_eq!(health.lost_by_restore.len(), 1, "{}: {health:?}", t.name);
        assert!(
            common::raw(&t, "DELETE FROM events").await.is_err(),
            "{}: the append-only rule is back",
            t.name
        );
        // Ids continue past the restored ones (PostgreSQL sequences were reset).
        s.transition(&codes[2], Status::Processing, "", None, None, &actor())
            .await
            .unwrap();
        assert_eq!(s.events(&codes[2]).await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn a_backup_taken_while_desks_register_is_consistent() {
    for t in ready_stores().await {
        let s = t.store.clone();
        let writer = tokio::spawn(async move {
            let mut n = 0;
            for i in 0..60 {
                let name = format!("Người Nộp {}", ["An", "Bình", "Chi"][i % 3]);
                s.intake(&birth_request(&name, DAY), &actor())
                    .await
                    .unwrap();
                n += 1;
            }
            n
        });
        let dir = tempfile::tempdir().unwrap();
        let mut taken = Vec::new();
        for i in 0..3 {
            let file = dir
                .path()
                .join(format!("b{i}.{}", t.store.backup_extension()));
            taken.push(t.store.backup(&file).await.unwrap());
        }
        assert_eq!(writer.await.unwrap(), 60);
        for report in taken {
            // Each copy is a snapshot: as many "created" events as dossiers.
            assert_eq!(report.rows["dossiers"], report.rows["events"], "{}", t.name);
            let restored = fresh_sqlite().await;
            restored
                .store
                .restore(
                    Path::new(&report.path),
                    &dir.path().join("aside"),
                    Unmarked::Refuse,
                    &actor(),
                )
                .await
                .unwrap();
            let health = restored.store.health().await.unwrap();
            assert!(health.ok(), "{}: {health:?}", t.name);
        }
    }
}

#[tokio::test]
async fn a_damaged_or_newer_backup_is_refused_and_nothing_changes() {
    for t in ready_stores().await {
        let s = &t.store;
        let dir = tempfile::tempdir().unwrap();
        intake_n(s, &["Nguyễn Văn An", "Lê Thị Bình"]).await;
        let file = dir.path().join(format!("good.{}", s.backup_extension()));
        s.backup(&file).await.unwrap();
        let bytes = std::fs::read(&file).unwrap();
        let aside = dir.path().join("aside");

        // Truncated.
        let cut = dir.path().join("cut");
        std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
        // One name altered inside the copy: the engine's own check cannot see it.
        let altered = dir.path().join("altered");
        let needle = "Lê Thị Bình".as_bytes();
        let at = bytes
            .windows(needle.len())
            .position(|w| w == needle)
            .expect("the name is in the backup");
        let mut changed = bytes.clone();
        changed[at] = b'X';
        std::fs::write(&altered, &changed).unwrap();
        // Not a backup at all.
        let junk = dir.path().join("junk");
        std::fs::write(&junk, "hello\n").unwrap();
        // From a newer version.
        let newer = dir.path().join("newer");
        std::fs::write(&newer, &bytes).unwrap();
        if s.backup_extension() == "db" {
            let pool = sqlx::any::AnyPoolOptions::new()
                .max_connections(1)
                .connect(&format!("sqlite://{}", newer.display()))
                .await
                .unwrap();
            sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (9999, 'future', TRUE, x'00', 0)")
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        } else {
            let text = String::from_utf8(bytes.clone()).unwrap();
            let version = motcua_core::store::supported_version();
            let text = text.replacen(
                &format!("\"schema_version\":{version}"),
                "\"schema_version\":9999",
                1,
            );
            std::fs::write(&newer, text).unwrap();
        }

        for (file, want) in [
            (
                &cut,
                ["backup.corrupt", "backup.incomplete", "backup.checksum"].as_slice(),
            ),
            (&altered, ["backup.checksum", "backup.corrupt"].as_slice()),
            (&junk, ["backup.not_a_backup"].as_slice()),
            (&newer, ["backup.newer"].as_slice()),
        ] {
            let err = s
                .restore(file, &aside, Unmarked::Refuse, &actor())
                .await
                .expect_err("refused");
            let CoreError::Backup(BackupError::Invalid { reason, .. }) = &err else {
                panic!("{}: {file:?}: {err:?}", t.name);
            };
            assert!(want.contains(reason), "{}: {file:?}: {reason}", t.name);
            let en = err.message(motcua_core::i18n::Lang::En);
            assert!(
                en.starts_with("Cannot use the backup") && en.contains("was not changed"),
                "{en}"
            );
        }
        assert_eq!(s.count().await.unwrap(), 2, "{}", t.name);
        assert!(s.health().await.unwrap().ok());
    }
}

#[tokio::test]
async fn daily_backups_are_taken_once_a_day_and_the_oldest_dropped() {
    let t = ready_stores().await.remove(0);
    let s = &t.store;
    let dir = tempfile::tempdir().unwrap();
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2027, 3, d).unwrap();
    assert_eq!(s.get_named("Quầy 1", "backup-keep").await.unwrap(), "14");
    s.set_named("Quầy 1", "backup-keep", "2").await.unwrap();
    assert!(s.set_named("Quầy 1", "backup-keep", "-1").await.is_err());
    assert!(s.set_named("Quầy 1", "backup-keep", "lots").await.is_err());
    assert!(s.daily_backup(dir.path(), day(1)).await.unwrap().is_some());
    assert!(
        s.daily_backup(dir.path(), day(1)).await.unwrap().is_none(),
        "one a day"
    );
    intake_n(s, &["Nguyễn Văn An"]).await;
    s.daily_backup(dir.path(), day(2)).await.unwrap().unwrap();
    let third = s.daily_backup(dir.path(), day(3)).await.unwrap().unwrap();
    assert_eq!(third.rows["dossiers"], 1);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "motcua-2027-03-02.db",
            "motcua-2027-03-02.db.heads.json",
            "motcua-2027-03-03.db",
            "motcua-2027-03-03.db.heads.json"
        ],
        "each backup with the chains' heads beside it, pruned with it"
    );
    // The heads noted with the last backup are those of the chains then.
    let noted: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("motcua-2027-03-03.db.heads.json")).unwrap(),
    )
    .unwrap();
    let heads = s.verify_audit().await.unwrap().heads;
    assert_eq!(noted, serde_json::to_value(&heads).unwrap());
    assert_eq!(serde_json::to_value(&third.heads).unwrap(), noted);
    let pins: Vec<String> = heads.iter().map(|h| h.hash.clone()).collect();
    assert!(s.verify_audit_expecting(&pins).await.unwrap().ok);
}

/// A commune's agency, different from the centre's.
fn commune_input() -> AgencyInput {
    AgencyInput {
        agency_code: "000.00.21.H56".into(),
        governing_body: "UBND XÃ TÂN PHÚ".into(),
        unit: "BỘ PHẬN MỘT CỬA".into(),
        place: "Tân Phú".into(),
        first_number: Some(1),
    }
}

#[tokio::test]
async fn a_commune_database_moves_into_a_centre_keeping_codes_events_and_numbering() {
    let target = match fresh_postgres().await {
        Some(pg) => pg,
        None => fresh_sqlite().await,
    };
    let centre = &target.store;
    centre.setup(&agency_input(1)).await.unwrap();
    let centre_codes = intake_n(centre, &["Nguyễn Văn An", "Lê Thị Bình"]).await;

    let commune = fresh_sqlite().await;
    let c = &commune.store;
    c.setup(&commune_input()).await.unwrap();
    let mut moved = Vec::new();
    for name in ["Trần Văn Cường", "Phạm Thị Dung", "Võ Văn Em"] {
        moved.push(c.intake(&birth_request(name, DAY), &actor()).await.unwrap());
    }
    c.transition(
        &moved[0].code,
        Status::Processing,
        "thụ lý",
        None,
        None,
        &actor(),
    )
    .await
    .unwrap();
    c.transition(
        &moved[0].code,
        Status::SupplementRequested,
        "",
        None,
        None,
        &actor(),
    )
    .await
    .unwrap();
    let history = c.events(&moved[0].code).await.unwrap();
    let slip = c.qr_payload(&moved[1].code).await.unwrap();

    let report = transfer::transfer(c, centre, &actor()).await.unwrap();
    assert_eq!(report.dossiers, 3, "{}", target.name);
    assert!(!report.settings_copied);
    assert_eq!(
        report.register_renumbered, 3,
        "after the centre's two lines"
    );
    assert_eq!(centre.count().await.unwrap(), 5);
    for d in &moved {
        let there = centre.dossier(&d.code).await.unwrap();
        assert_eq!(there.applicant, d.applicant);
        assert_eq!(there.issuer.code.to_string(), "000.00.21.H56");
    }
    assert_eq!(
        centre.dossier(&moved[2].code).await.unwrap().register.line,
        5
    );
    let events = centre.events(&moved[0].code).await.unwrap();
    assert_eq!(events.len(), history.len() + 1);
    for (a, b) in events.iter().zip(&history) {
        assert_eq!(
            (&a.kind, a.at, &a.note, a.to_status),
            (&b.kind, b.at, &b.note, b.to_status)
        );
    }
    assert_eq!(events.last().unwrap().kind, "imported");
    assert_eq!(centre.pauses(&moved[0].code).await.unwrap().len(), 1);
    // The commune's own slips still scan as genuine at the centre.
    assert!(centre.scan(&slip).await.unwrap().verified);
    assert!(centre.health().await.unwrap().ok());
    // The moved history joined the centre's hash chain: the trail still verifies.
    let audit = centre.verify_audit().await.unwrap();
    assert!(audit.ok, "{}: {audit:?}", target.name);
    // The centre's numbering goes on untouched.
    assert_eq!(intake_n(centre, &["Đỗ Thị Giang"]).await[0], code(3));
    assert_eq!(centre_codes, [code(1), code(2)]);

    // Moving the same database again is refused by name, and nothing is written.
    let (kind_, vi, en) = kind(transfer::transfer(c, centre, &actor()).await);
    assert_eq!(kind_, "transfer_conflict");
    assert!(
        en.contains(&moved[0].code) && en.contains("3 dossier codes"),
        "{en}"
    );
    assert!(vi.contains("Không chuyển dữ liệu"), "{vi}");
    assert_eq!(centre.count().await.unwrap(), 6);
}

#[tokio::test]
async fn a_commune_moves_into_an_empty_centre_database_and_numbering_continues() {
    let target = match fresh_postgres().await {
        Some(pg) => pg,
        None => fresh_sqlite().await,
    };
    let commune = fresh_sqlite().await;
    let c = &commune.store;
    c.setup(&agency_input(1)).await.unwrap();
    c.set_named("Quầy 1", "office-hours", "07:30-11:30,13:30-17:00")
        .await
        .unwrap();
    let codes = intake_n(c, &["Nguyễn Văn An", "Lê Thị Bình"]).await;
    let report = transfer::transfer(c, &target.store, &actor())
        .await
        .unwrap();
    assert!(report.settings_copied);
    assert_eq!(report.register_renumbered, 0);
    let centre = &target.store;
    assert_eq!(centre.agency().await.unwrap(), c.agency().await.unwrap());
    assert_eq!(
        centre.get_named("Quầy 1", "office-hours").await.unwrap(),
        c.get_named("Quầy 1", "office-hours").await.unwrap()
    );
    for code in &codes {
        let a = c.dossier(code).await.unwrap();
        assert_eq!(centre.dossier(code).await.unwrap(), a, "{}", target.name);
    }
    // The same day's numbering continues after the moved dossiers.
    assert_eq!(intake_n(centre, &["Trần Văn Cường"]).await[0], code(3));
    assert!(centre.health().await.unwrap().ok());
}

#[tokio::test]
async fn strange_text_is_stored_and_shown_exactly_or_refused_clearly() {
    for t in ready_stores().await {
        let s = &t.store;
        let long_address = "Số 12, ấp Bình Hòa ".repeat(13);
        let exact = [
            ("address", "Số 1 — 🏠 đường 😀 «Nguyễn Huệ»"),
            ("address", "شارع ٢٣ — רחוב הרצל 5, Quận 1"),
            ("address", "Robert'); DROP TABLE dossiers;-- ấp 3"),
            ("address", "1' OR '1'='1 /* */ \\ % _ $1 ?"),
            (
                "note",
                "Ghi chú: 👍🏽 \u{200B} zero-width, \"quotes\", <b>html</b>, ${x}",
            ),
            ("address", long_address.trim()),
        ];
        for (field, text) in exact {
            let mut json: serde_json::Value = serde_json::json!({
                "procedure": "1.001193",
                "applicant": {"name": "Nguyễn Văn An", "id_number": "079203001234",
                              "address": "Số 12, ấp Bình Hòa"},
                "received_at": DAY
            });
            if field == "note" {
                json["note"] = text.into();
            } else {
                json["applicant"]["address"] = text.into();
            }
            let req = IntakeRequest::from_json(&json.to_string()).unwrap();
            let d = s.intake(&req, &actor()).await.unwrap();
            let back = s.dossier(&d.code).await.unwrap();
            let stored = if field == "note" {
                &back.note
            } else {
                &back.applicant.address
            };
            assert_eq!(stored, text, "{}", t.name);
            let listed = s.search(&d.code, 5).await.unwrap();
            assert_eq!(listed[0].code, d.code);
        }
        // A name in any script is a name; an SQL-looking or control-laden one is not.
        let names = s.search("nguyen van an", 50).await.unwrap();
        assert_eq!(names.len(), exact.len(), "{}", t.name);
        let before = s.count().await.unwrap();
        let refused: [(&str, &str, Problem); 6] = [
            (
                "name",
                "Robert'); DROP TABLE dossiers;--",
                Problem::NotAName,
            ),
            ("name", "Nguyễn\u{0007}Văn", Problem::ForbiddenChars),
            ("address", "ấp 3\u{202E}evil", Problem::ForbiddenChars),
            ("address", "ấp\u{0000}3", Problem::ForbiddenChars),
            ("name", "An 😀", Problem::NotAName),
            (
                "address",
                &"x".repeat(10_000),
                Problem::TooLong { max: 300 },
            ),
        ];
        for (field, text, problem) in refused {
            let mut json: serde_json::Value = serde_json::json!({
                "procedure": "1.001193",
                "applicant": {"name": "Nguyễn Văn An", "id_number": "079203001234",
                              "address": "Số 12"},
                "received_at": DAY
            });
            json["applicant"][field] = text.into();
            let req = IntakeRequest::from_json(&json.to_string()).unwrap();
            let err = s.intake(&req, &actor()).await.expect_err("refused");
            let fields = err.field_errors();
            assert_eq!(fields.len(), 1, "{}: {text:?}: {err}", t.name);
            assert_eq!(fields[0].field, format!("applicant.{field}"));
            if let Problem::TooLong { .. } = problem {
                assert!(matches!(fields[0].problem, Problem::TooLong { .. }));
            } else {
                assert_eq!(fields[0].problem, problem, "{text:?}");
            }
            assert!(!err.to_string().is_empty());
        }
        assert_eq!(s.count().await.unwrap(), before, "nothing written");
        assert!(common::raw(&t, "SELECT COUNT(*) FROM dossiers")
            .await
            .is_ok());
    }
}

// ---------------------------------------------------------------------------------------
// Faults of the machine: these need root (a tmpfs mount, a private PostgreSQL server run as
// the postgres user), as the test command and CI run.

/// A small tmpfs of its own, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        run(
            "mount",
            &[
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size}"),
                "tmpfs",
                dir.path().to_str().unwrap(),
            ],
        );
        SmallDisk { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A closed pool's connections finish closing on their own threads, which can take a
    /// while on a loaded machine; until then the disk counts as open for writing.
    fn remount(&self, options: &str) {
        let args = [
            "-o".to_string(),
            format!("remount,{options}"),
            self.path().display().to_string(),
        ];
        for _ in 0..300 {
            if Command::new("mount")
                .args(&args)
                .output()
                .is_ok_and(|o| o.status.success())
            {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        // Say who holds the disk, then fail with mount's own message.
        let mut holders = Vec::new();
        for proc_entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let fd_dir = proc_entry.path().join("fd");
            for fd in std::fs::read_dir(&fd_dir).into_iter().flatten().flatten() {
                if let Ok(target) = std::fs::read_link(fd.path()) {
                    let name = proc_entry.file_name();
                    if target.starts_with(self.path())
                        && name.to_string_lossy().chars().all(|c| c.is_ascii_digit())
                    {
                        let cmd = std::fs::read_to_string(proc_entry.path().join("cmdline"))
                            .unwrap_or_default()
                            .replace('\0', " ");
                        holders.push(format!("{}: {cmd}", target.display()));
                    }
                }
            }
        }
        eprintln!("files open on {}: {holders:?}", self.path().display());
        run(
            "mount",
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
        );
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

#[tokio::test]
async fn a_full_disk_is_a_clear_error_nothing_is_half_written_and_work_resumes() {
    if !is_root() {
        eprintln!("skipped: mounting a small disk needs root");
        return;
    }
    let disk = SmallDisk::mount("1536k");
    let db = disk.path().join("motcua.db");
    let store = Store::open(db.to_str().unwrap()).await.unwrap();
    store.setup(&agency_input(1)).await.unwrap();
    let mut done = 0u32;
    let err = loop {
        let name = format!("Người Nộp {}", ["An", "Bình", "Chi"][done as usize % 3]);
        match store.intake(&birth_request(&name, DAY), &actor()).await {
            Ok(d) => {
                done += 1;
                assert_eq!(d.code, code(done));
                assert!(done < 5000, "the disk never filled");
            }
            Err(e) => break e,
        }
    };
    assert_eq!(err.kind(), "disk_full", "{err:?}");
    assert!(err.to_string().contains("đầy"), "{err}");
    assert!(
        err.message(motcua_core::i18n::Lang::En).contains("disk"),
        "{err}"
    );
    assert!(done > 0, "some intakes fit before the disk filled");
    // Reading still works and the database is whole: every reported intake, no half one.
    let health = store.health().await.unwrap();
    assert!(health.ok(), "{health:?}");
    assert_eq!(health.dossiers, i64::from(done));
    // Space comes back: the same store carries on, numbering without a gap.
    disk.remount("size=64m");
    let next = store
        .intake(&birth_request("Trần Văn Cường", DAY), &actor())
        .await
        .unwrap();
    assert_eq!(next.code, code(done + 1));
    assert!(store.health().await.unwrap().ok());
    store.close().await;
    eprintln!("disk full after {done} intakes on a 1.5 MB disk");
}

#[tokio::test]
async fn a_read_only_disk_is_a_clear_error_and_the_database_stays_whole() {
    if !is_root() {
        eprintln!("skipped: mounting a small disk needs root");
        return;
    }
    // The database is made elsewhere and copied onto the small disk as one file: a closed
    // pool's connections finish closing on their own threads, and a disk with a file still
    // open for writing cannot be made read-only.
    let t = fresh_sqlite().await;
    t.store.setup(&agency_input(1)).await.unwrap();
    intake_n(&t.store, &["Nguyễn Văn An", "Lê Thị Bình"]).await;
    let disk = SmallDisk::mount("32m");
    let db = disk.path().join("motcua.db");
    let location = db.to_str().unwrap().to_string();
    t.store.backup(&db).await.unwrap();
    t.store.close().await;

    disk.remount("ro");
    let refused = match Store::open(&location).await {
        Err(e) => e,
        Ok(s) => {
            let e = s
                .intake(&birth_request("Trần Văn Cường", DAY), &actor())
                .await
                .expect_err("a read-only disk refuses the intake");
            s.close().await;
            e
        }
    };
    assert_eq!(refused.kind(), "read_only", "{refused:?}");
    assert!(
        refused
            .message(motcua_core::i18n::Lang::En)
            .contains("cannot be written"),
        "{refused}"
    );

    disk.remount("rw");
    let store = Store::open(&location).await.unwrap();
    let health = store.health().await.unwrap();
    assert!(health.ok(), "{health:?}");
    assert_eq!(health.dossiers, 2);
    assert_eq!(intake_n(&store, &["Trần Văn Cường"]).await[0], code(3));
    store.close().await;
}

#[tokio::test]
async fn the_desk_says_when_postgresql_is_offline_and_carries_on_when_it_is_back() {
    if !is_root() {
        assert!(
            std::env::var("MOTCUA_REQUIRE_POSTGRES").is_err(),
            "a private PostgreSQL server needs root here"
        );
        eprintln!("skipped: a private PostgreSQL server needs root");
        return;
    }
    let Some(server) = PrivateServer::start_new() else {
        assert!(
            std::env::var("MOTCUA_REQUIRE_POSTGRES").is_err(),
            "PostgreSQL is not installed"
        );
        return;
    };
    let store = Store::open(&server.url()).await.unwrap();
    store.setup(&agency_input(1)).await.unwrap();
    assert_eq!(intake_n(&store, &["Nguyễn Văn An"]).await[0], code(1));

    // A desk registering when the server stops: each intake is whole or not there at all.
    let desk = store.clone();
    let stream = tokio::spawn(async move {
        let mut codes = Vec::new();
        loop {
            match desk
                .intake(&birth_request("Lê Thị Bình", DAY), &actor())
                .await
            {
                Ok(d) => codes.push(d.code),
                Err(e) => return (codes, e),
            }
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    server.stop();
    let (codes, err) = stream.await.unwrap();
    assert_eq!(err.kind(), "offline", "{err:?}");
    assert!(err.to_string().contains("Mất kết nối"), "{err}");
    assert!(
        err.message(motcua_core::i18n::Lang::En)
            .contains("The database is offline"),
        "{err}"
    );
    let (ping, _, _) = kind(store.ping().await);
    assert_eq!(ping, "offline");

    server.start();
    // The same store, without a restart.
    store.ping().await.unwrap();
    let health = store.health().await.unwrap();
    assert!(health.ok(), "{health:?}");
    // Every reported intake is there, whole. The one in flight when the server stopped may
    // have committed without its answer reaching the desk (the error says to try again,
    // and a form's request id makes that retry return the same dossier).
    for (i, c) in codes.iter().enumerate() {
        assert_eq!(*c, code(i as u32 + 2));
        assert_eq!(store.events(c).await.unwrap().len(), 1);
    }
    let stored = health.dossiers as usize;
    assert!(
        stored == codes.len() + 1 || stored == codes.len() + 2,
        "{stored} stored, {} reported",
        codes.len()
    );
    let next = intake_n(&store, &["Trần Văn Cường"]).await;
    assert_eq!(next[0], code(stored as u32 + 1));
    store.close().await;
}

#[tokio::test]
async fn opening_a_database_on_a_stopped_server_says_offline() {
    if !is_root() {
        return;
    }
    let Some(server) = PrivateServer::start_new() else {
        return;
    };
    server.stop();
    let (k, _, en) = kind(Store::open(&server.url()).await);
    assert_eq!(k, "offline", "{en}");
}
