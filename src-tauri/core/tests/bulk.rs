//! Bulk loading (the benchmark's test data) keeps the intake's rules: codes consecutive per
//! day from the first number, register lines per year, search terms, events, hand-overs; and
//! refuses a history the lifecycle would refuse. On SQLite and PostgreSQL.

mod common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::{actor, agency_input, stores};
use motcua_core::calendar::due_at;
use motcua_core::handover::Rating;
use motcua_core::intake::validate;
use motcua_core::sample::Sampler;
use motcua_core::status::Status;
use motcua_core::store::{BulkDossier, Store};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

async fn dossier(
    store: &Store,
    sampler: &mut Sampler,
    received: DateTime<Utc>,
    steps: Vec<(Duration, Status)>,
    rating: Option<Rating>,
) -> BulkDossier {
    let procedure = store.procedure("2.000815").await.unwrap().unwrap();
    let req = sampler.request(&procedure, received);
    let limit = procedure.limit;
    let intake = validate(&req, Some(procedure), received).unwrap();
    let calendar = store.work_calendar().await.unwrap();
    let hours = store.office_hours().await.unwrap();
    BulkDossier {
        due_at: due_at(&calendar, &hours, limit, intake.received_at),
        intake,
        steps: steps
            .into_iter()
            .map(|(after, s)| (received + after, s))
            .collect(),
        rating,
    }
}

#[tokio::test]
async fn bulk_loading_numbers_like_intake_and_keeps_history() {
    for t in stores().await {
        let s = &t.store;
        s.setup(&agency_input(5001)).await.unwrap();
        let mut sampler = Sampler::new(1);
        let mon = "2025-03-03T09:00:00+07:00";
        let tue = "2025-03-04T09:00:00+07:00";
        // Out of order on purpose: the load numbers in order of reception.
        let batch = vec![
            dossier(s, &mut sampler, at(tue), vec![], None).await,
            dossier(
                s,
                &mut sampler,
                at(mon),
                vec![
                    (Duration::minutes(10), Status::Processing),
                    (Duration::hours(2), Status::Ready),
                    (Duration::hours(3), Status::Returned),
                ],
                Some(Rating::VerySatisfied),
            )
            .await,
            dossier(
                s,
                &mut sampler,
                at(mon) + Duration::minutes(5),
                vec![(Duration::minutes(1), Status::Withdrawn)],
                None,
            )
            .await,
        ];
        let codes = s.insert_bulk(&batch, &actor()).await.unwrap();
        assert_eq!(
            codes,
            [
                "000.00.14.H56-250303-5001",
                "000.00.14.H56-250303-5002",
                "000.00.14.H56-250304-5001"
            ],
            "{}",
            t.name
        );
        // A second batch and then an ordinary intake continue the same day's numbers.
        let more = vec![dossier(s, &mut sampler, at(mon) + Duration::hours(1), vec![], None).await];
        let codes2 = s.insert_bulk(&more, &actor()).await.unwrap();
        assert_eq!(codes2, ["000.00.14.H56-250303-5003"], "{}", t.name);
        let req = common::birth_request("Trần Thị Bình", "2025-03-03T15:00:00+07:00");
        let d = s.intake(&req, &actor()).await.unwrap();
        assert_eq!(d.code, "000.00.14.H56-250303-5004", "{}", t.name);
        assert_eq!(d.register.line, 5, "{}", t.name);

        let returned = s.dossier(&codes[0]).await.unwrap();
        assert_eq!(returned.status, Status::Returned, "{}", t.name);
        assert_eq!(returned.version, 4, "{}", t.name);
        assert_eq!(returned.register.line, 1, "{}", t.name);
        assert_eq!(returned.applicant.name, batch[1].intake.applicant.name);
        let kinds: Vec<String> = s
            .events(&codes[0])
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            kinds,
            ["created", "status_changed", "status_changed", "handed_over"],
            "{}",
            t.name
        );
        assert_eq!(
            s.dossier(&codes[1]).await.unwrap().status,
            Status::Withdrawn
        );

        // Found by name without diacritics, by ID number and by phone.
        let name = motcua_core::text::fold(&returned.applicant.name);
        let by_name = s.search(&name, 50).await.unwrap();
        assert!(by_name.iter().any(|h| h.code == codes[0]), "{}", t.name);
        let by_id = s.search(&returned.applicant.id_number, 50).await.unwrap();
        assert!(by_id.iter().any(|h| h.code == codes[0]), "{}", t.name);
        let by_phone = s.search(&returned.applicant.phone, 50).await.unwrap();
        assert!(by_phone.iter().any(|h| h.code == codes[0]), "{}", t.name);

        // The report sees the resolution, the withdrawal and the rating.
        let day = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
        let report = s
            .report(day, NaiveDate::from_ymd_opt(2025, 3, 31).unwrap())
            .await
            .unwrap();
        assert_eq!(report.totals.received_total, 5, "{}", t.name);
        assert_eq!(report.totals.resolved_total, 1, "{}", t.name);
        assert_eq!(report.totals.closed_total, 1, "{}", t.name);
        assert_eq!(report.totals.rating_very_satisfied, 1, "{}", t.name);
    }
}

#[tokio::test]
async fn a_history_the_lifecycle_refuses_writes_nothing() {
    for t in stores().await {
        let s = &t.store;
        s.setup(&agency_input(1)).await.unwrap();
        let mut sampler = Sampler::new(2);
        let received = at("2025-03-03T09:00:00+07:00");
        let good = dossier(s, &mut sampler, received, vec![], None).await;
        // Returned straight from accepted skips the ready result.
        let bad = dossier(
            s,
            &mut sampler,
            received,
            vec![(Duration::hours(1), Status::Returned)],
            None,
        )
        .await;
        let err = s.insert_bulk(&[good, bad], &actor()).await.unwrap_err();
        assert_eq!(err.kind(), "invalid", "{}", t.name);
        assert_eq!(s.count().await.unwrap(), 0, "{}", t.name);
        // A step before reception is refused too.
        let early = dossier(
            s,
            &mut sampler,
            received,
            vec![(Duration::hours(-1), Status::Processing)],
            None,
        )
        .await;
        assert!(s.insert_bulk(&[early], &actor()).await.is_err());
        assert_eq!(s.count().await.unwrap(), 0, "{}", t.name);
    }
}
