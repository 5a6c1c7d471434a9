//! A restore tells the truth about itself: a file without the backup marker is refused
//! unless accepted explicitly, the swap is written to the access log (file, digest, heads),
//! and the accounts it changes are named, so an old backup cannot quietly bring back a
//! disabled account or an old password. On SQLite and PostgreSQL.

use crate::common;

use common::{actor, birth_request, fresh_sqlite, ready_stores};
use motcua_core::accounts::{NewAccount, Role};
use motcua_core::i18n::Lang;
use motcua_core::store::backup::BackupError;
use motcua_core::store::{AccountDifference, Unmarked};
use motcua_core::vntime::now;
use motcua_core::CoreError;
use sha2::{Digest, Sha256};

fn account(name: &str, roles: Vec<Role>) -> NewAccount {
    NewAccount {
        name: name.into(),
        display_name: name.into(),
        roles,
        password: "Mot-cua-2026".into(),
    }
}

#[tokio::test]
async fn a_restore_names_the_accounts_it_changes_and_logs_itself() {
    for t in ready_stores().await {
        let s = &t.store;
        let dir = tempfile::tempdir().unwrap();
        s.create_account(
            &account("quanly", vec![Role::Administrator]),
            &actor(),
            now(),
        )
        .await
        .unwrap();
        s.create_account(&account("tiepnhan", vec![Role::Reception]), &actor(), now())
            .await
            .unwrap();
        s.create_account(&account("xuly", vec![Role::Processing]), &actor(), now())
            .await
            .unwrap();
        s.intake(
            &birth_request("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"),
            &actor(),
        )
        .await
        .unwrap();
        let file = dir.path().join(format!("old.{}", s.backup_extension()));
        s.backup(&file).await.unwrap();

        // After the backup: one account disabled, one re-roled, one new password, one new
        // account, one removed from the backup's point of view.
        s.set_disabled("tiepnhan", true, &actor(), now())
            .await
            .unwrap();
        s.set_roles(
            "xuly",
            &[Role::Processing, Role::Supervisor],
            &actor(),
            now(),
        )
        .await
        .unwrap();
        s.reset_password("quanly", "Mat-khau-moi-2027", &actor(), now())
            .await
            .unwrap();
        s.create_account(&account("moi", vec![Role::Reception]), &actor(), now())
            .await
            .unwrap();

        let report = s
            .restore(&file, &dir.path().join("aside"), Unmarked::Refuse, &actor())
            .await
            .unwrap();
        let changes: Vec<(String, Vec<AccountDifference>)> = report
            .accounts
            .iter()
            .map(|c| (c.name.clone(), c.differences.clone()))
            .collect();
        assert_eq!(
            changes,
            vec![
                ("moi".to_string(), vec![AccountDifference::Removed]),
                ("quanly".to_string(), vec![AccountDifference::Password]),
                ("tiepnhan".to_string(), vec![AccountDifference::Enabled]),
                ("xuly".to_string(), vec![AccountDifference::Roles]),
            ],
            "{}",
            t.name
        );
        let xuly = report.accounts.iter().find(|c| c.name == "xuly").unwrap();
        assert_eq!(
            (xuly.roles_before.as_str(), xuly.roles_after.as_str()),
            ("processing,supervisor", "processing"),
            "{}",
            t.name
        );
        assert!(!s.account("tiepnhan").await.unwrap().disabled);

        // The access log's newest entry is the restore: which file, its digest, the heads.
        let digest = format!("{:x}", Sha256::digest(std::fs::read(&file).unwrap()));
        assert_eq!(report.sha256, digest);
        let log = s.access_log(None, 1).await.unwrap();
        let entry = &log[0];
        assert_eq!(entry.kind, "restored", "{}", t.name);
        assert_eq!(entry.actor, "tester");
        assert_eq!(entry.subject, file.display().to_string());
        assert_eq!(entry.data["sha256"], digest.as_str());
        let heads = entry.data["heads"].as_array().unwrap();
        let events_head = heads.iter().find(|h| h["chain"] == "events").unwrap();
        assert_eq!(events_head["entries"], 1, "{}: {heads:?}", t.name);
        assert_eq!(
            serde_json::to_value(&report.heads).unwrap(),
            entry.data["heads"]
        );
        assert_eq!(entry.data["accounts"].as_array().unwrap().len(), 4);
        // The restored entry is chained like every other.
        let audit = s.verify_audit().await.unwrap();
        assert!(audit.ok, "{}: {audit:?}", t.name);
    }
}

#[tokio::test]
async fn a_file_without_the_backup_marker_is_refused_unless_accepted() {
    let source = fresh_sqlite().await;
    source.store.setup(&common::agency_input(1)).await.unwrap();
    source
        .store
        .intake(
            &birth_request("Lê Thị Bình", "2027-03-03T09:00:00+07:00"),
            &actor(),
        )
        .await
        .unwrap();
    // A plain copy of a database file: a good database, but nothing marks it as a backup.
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.db");
    common::raw(&source, &format!("VACUUM INTO '{}'", plain.display()))
        .await
        .unwrap();

    let target = fresh_sqlite().await;
    let s = &target.store;
    s.setup(&common::agency_input(1)).await.unwrap();
    let aside = dir.path().join("aside");
    let err = s
        .restore(&plain, &aside, Unmarked::Refuse, &actor())
        .await
        .unwrap_err();
    let CoreError::Backup(BackupError::Invalid { reason, .. }) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*reason, "backup.unmarked");
    let en = err.message(Lang::En);
    assert!(en.contains(&plain.display().to_string()), "{en}");
    assert!(en.contains("--unmarked"), "{en}");
    assert!(en.contains("was not changed"), "{en}");
    assert!(err.message(Lang::Vi).contains("--unmarked"));
    assert_eq!(s.count().await.unwrap(), 0);
    // Refused before anything was done: not even the copy of the current database.
    assert!(!aside.exists());

    let report = s
        .restore(&plain, &aside, Unmarked::Accept, &actor())
        .await
        .unwrap();
    assert!(!report.restored.checksum_verified);
    assert_eq!(s.count().await.unwrap(), 1);
    assert_eq!(s.access_log(None, 1).await.unwrap()[0].kind, "restored");
}

#[tokio::test]
async fn numbers_given_out_after_the_backup_are_not_given_again() {
    use motcua_core::outbox::{DestinationKind, NewDestination};
    use motcua_core::status::Status;
    for t in ready_stores().await {
        let s = &t.store;
        let dir = tempfile::tempdir().unwrap();
        s.add_destination(
            NewDestination {
                kind: DestinationKind::Webhook,
                target: "http://127.0.0.1:9/hook".into(),
                public_url: String::new(),
                secret: "bi-mat-du-dai-cho-webhook".into(),
                personal: false,
                timeout_ms: Some(1000),
            },
            "Quầy 1",
            now(),
        )
        .await
        .unwrap();
        let first = s
            .intake(
                &birth_request("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        let file = dir.path().join(format!("old.{}", s.backup_extension()));
        s.backup(&file).await.unwrap();

        // After the backup: a second dossier (its code on a receipt, its line in the book)
        // and a change of the first that a receiver was sent as seq 2.
        let lost = s
            .intake(
                &birth_request("Trần Thị Bình", "2027-03-03T10:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        s.transition(&first.code, Status::Processing, "", None, None, &actor())
            .await
            .unwrap();
        let seqs_of_first = |rows: Vec<(i64, String, i64, String)>| -> Vec<i64> {
            rows.into_iter()
                .filter(|(_, code, _, _)| code == &first.code)
                .map(|(_, _, seq, _)| seq)
                .collect()
        };
        assert_eq!(seqs_of_first(crate::outbox::rows(&t).await), vec![1, 2]);

        s.restore(&file, &dir.path().join("aside"), Unmarked::Refuse, &actor())
            .await
            .unwrap();
        let next = s
            .intake(
                &birth_request("Lê Văn Cường", "2027-03-03T11:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        assert_ne!(next.code, lost.code, "{}: a code given twice", t.name);
        assert!(
            (next.register.book, next.register.line) > (lost.register.book, lost.register.line),
            "{}: {:?} after {:?}",
            t.name,
            next.register,
            lost.register
        );
        // `check` tells the lost number apart from a dossier deleted behind the app's back.
        let health = s.health().await.unwrap();
        assert!(health.ok(), "{}: {health:?}", t.name);
        assert!(health.gaps.is_empty(), "{}", t.name);
        assert_eq!(
            health
                .lost_by_restore
                .iter()
                .map(|g| (g.first, g.last, g.dossiers, g.counter))
                .collect::<Vec<_>>(),
            // Numbers 1 and 3 have dossiers; 2 went with the restore.
            vec![(1, 3, 2, Some(3))],
            "{}",
            t.name
        );
        // The first dossier's next change is seq 3: 2 went out before the restore.
        s.transition(&first.code, Status::Processing, "", None, None, &actor())
            .await
            .unwrap();
        assert_eq!(
            seqs_of_first(crate::outbox::rows(&t).await),
            vec![1, 3],
            "{}",
            t.name
        );
        let audit = s.verify_audit().await.unwrap();
        assert!(audit.ok, "{}: {audit:?}", t.name);
    }
}
