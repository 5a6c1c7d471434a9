//! Moving a commune into a centre keeps the truth: a commune whose history does not verify
//! is refused before anything is written, its access log joins the centre's chain with
//! where each entry came from, and the centre's status page answers for the commune's
//! receipts as its desk scanner does.

use crate::common;

use common::{actor, agency_input, birth_request, fresh_postgres, fresh_sqlite, raw, TestStore};
use motcua_core::agency::AgencyInput;
use motcua_core::audit::AuditError;
use motcua_core::i18n::Lang;
use motcua_core::slip;
use motcua_core::store::transfer;
use motcua_core::vntime::now;
use motcua_core::CoreError;

const DAY: &str = "2027-03-03T09:00:00+07:00";

fn commune_input() -> AgencyInput {
    AgencyInput {
        agency_code: "000.00.21.H56".into(),
        governing_body: "UBND XÃ TÂN PHÚ".into(),
        unit: "BỘ PHẬN MỘT CỬA".into(),
        place: "Tân Phú".into(),
        first_number: Some(1),
    }
}

/// A centre already set up (its own slip secret) with one dossier of its own (its code).
async fn centre() -> (TestStore, String) {
    let target = match fresh_postgres().await {
        Some(pg) => pg,
        None => fresh_sqlite().await,
    };
    target.store.setup(&agency_input(1)).await.unwrap();
    let own = target
        .store
        .intake(&birth_request("Nguyễn Văn An", DAY), &actor())
        .await
        .unwrap();
    (target, own.code)
}

#[tokio::test]
async fn a_commune_whose_history_was_edited_is_not_moved() {
    let (target, _) = centre().await;
    let commune = fresh_sqlite().await;
    let c = &commune.store;
    c.setup(&commune_input()).await.unwrap();
    let moved = c
        .intake(&birth_request("Trần Văn Cường", DAY), &actor())
        .await
        .unwrap();
    raw(
        &commune,
        "DROP TRIGGER events_no_update; UPDATE events SET actor = 'x' WHERE id = 1;",
    )
    .await
    .unwrap();
    let err = transfer::transfer(c, &target.store, &actor())
        .await
        .unwrap_err();
    assert!(
        matches!(err, CoreError::Audit(AuditError::SourceBroken(_))),
        "{err:?}"
    );
    assert_eq!(err.kind(), "source_audit_broken");
    assert!(
        err.message(Lang::En).contains("source database's history"),
        "{}",
        err.message(Lang::En)
    );
    assert!(err.message(Lang::Vi).contains("Không chuyển"));
    // Nothing of the commune reached the centre.
    assert_eq!(target.store.count().await.unwrap(), 1);
    assert!(matches!(
        target.store.dossier(&moved.code).await.unwrap_err(),
        CoreError::DossierNotFound { .. }
    ));
    assert!(target.store.access_log(None, 100).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_access_log_moves_along_and_the_status_page_accepts_the_communes_slips() {
    let (target, own) = centre().await;
    let centre = &target.store;
    let commune = fresh_sqlite().await;
    let c = &commune.store;
    c.setup(&commune_input()).await.unwrap();
    let moved = c
        .intake(&birth_request("Trần Văn Cường", DAY), &actor())
        .await
        .unwrap();
    c.open_record(&moved.code, &actor(), now()).await.unwrap();
    c.log_export(&actor(), "report 2027-03", 1, now())
        .await
        .unwrap();
    let source_log = c.access_log(None, 100).await.unwrap();
    assert_eq!(source_log.len(), 2);
    let source_heads = c.verify_audit().await.unwrap().heads;
    let tag = slip::tag(&c.slip_secret().await.unwrap(), &moved.code);
    let payload = c.qr_payload(&moved.code).await.unwrap();
    // The centre has its own secret: before the move, the commune's tag is not its.
    assert_ne!(
        c.slip_secret().await.unwrap(),
        centre.slip_secret().await.unwrap()
    );

    let report = transfer::transfer(c, centre, &actor()).await.unwrap();
    assert_eq!(report.access_entries, 2);
    assert_eq!(report.source_heads, source_heads);
    assert_eq!(report.rows.get("audit_log"), Some(&3));

    // Oldest first, each as it was, marked with where it came from; then the move itself.
    let log = centre.access_log(None, 100).await.unwrap();
    assert_eq!(log.len(), 3, "{log:?}");
    let imported: Vec<_> = log.iter().rev().take(2).collect();
    for (there, here) in source_log.iter().rev().zip(&imported) {
        assert_eq!(
            (
                &there.kind,
                &there.subject,
                there.at,
                &there.actor,
                &there.desk
            ),
            (&here.kind, &here.subject, here.at, &here.actor, &here.desk)
        );
        assert_eq!(here.data["imported"]["from"], "000.00.21.H56");
        assert_eq!(here.data["imported"]["id"], there.id);
    }
    assert_eq!(imported[1].data["rows"], 1, "the export's own data is kept");
    assert_eq!(log[0].kind, "database_imported");
    assert_eq!(log[0].subject, "000.00.21.H56");
    assert_eq!(log[0].data["dossiers"], 1);
    assert_eq!(log[0].data["access_entries"], 2);
    assert_eq!(
        log[0].data["source_heads"][0]["hash"],
        source_heads[0].hash.as_str()
    );
    let audit = centre.verify_audit().await.unwrap();
    assert!(audit.ok, "{}: {audit:?}", target.name);

    // The status page answers for the commune's receipt as the desk scanner does, and
    // still for the centre's own; a wrong tag is still nothing.
    assert!(centre.scan(&payload).await.unwrap().verified);
    let public = centre.public_status(&moved.code, &tag).await.unwrap();
    assert!(public.is_some(), "{}", target.name);
    let own_tag = slip::tag(&centre.slip_secret().await.unwrap(), &own);
    assert!(centre
        .public_status(&own, &own_tag)
        .await
        .unwrap()
        .is_some());
    let wrong = slip::tag(b"not a secret of this centre", &moved.code);
    assert!(centre
        .public_status(&moved.code, &wrong)
        .await
        .unwrap()
        .is_none());
}
