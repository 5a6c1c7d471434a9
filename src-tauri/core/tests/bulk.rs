//! Bulk loading (the benchmark's test data) keeps the intake's rules: codes consecutive per
//! day from the first number, register lines per year, search terms, events, hand-overs; and
//! refuses a history the lifecycle would refuse. On SQLite and PostgreSQL.

use crate::common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::{actor, agency_input, stores};
use motcua_core::calendar::due_at;
use motcua_core::handover::Rating;
use motcua_core::intake::validate;
use motcua_core::sample::Sampler;
use motcua_core::status::Status;
use motcua_core::store::{BulkDossier, NewScan, Store};

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
    let intake = validate(&req, Some(procedure), &[], received).unwrap();
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
            .report(
                day,
                NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(),
                motcua_core::vntime::now(),
            )
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

/// The report's SQL aggregate against `report::build`, the rules in Rust, over a generated
/// year: every month, a quarter and the whole year, facts read back from each dossier's
/// events and scans (some dossiers with every checklist row scanned, some with only the
/// first, some results scanned).
#[tokio::test]
async fn the_report_query_counts_what_the_rules_say() {
    use motcua_core::report::{build, Facts};
    for t in stores().await {
        let s = &t.store;
        s.setup(&agency_input(1)).await.unwrap();
        let mut sampler = Sampler::new(9);
        let procedures = s.procedures(false).await.unwrap();
        let calendar = s.work_calendar().await.unwrap();
        let hours = s.office_hours().await.unwrap();
        // Histories stop in mid-October: later dossiers are still in progress.
        let now = at("2025-10-15T12:00:00+07:00");
        let mut batch = Vec::new();
        for i in 0..600 {
            let received = at("2025-01-02T08:00:00+07:00") + Duration::hours(i * 14);
            let p = sampler.procedure(&procedures).unwrap().clone();
            let req = sampler.request(&p, received);
            let limit = p.limit;
            let intake = validate(&req, Some(p), &[], received).unwrap();
            let due = due_at(&calendar, &hours, limit, received);
            let h = sampler.history(received, due, now);
            batch.push(BulkDossier {
                intake,
                due_at: due,
                steps: h.steps,
                rating: h.rating,
            });
        }
        let codes = s.insert_bulk(&batch, &actor()).await.unwrap();
        let work = tempfile::tempdir().unwrap();
        if t.name != "sqlite" {
            let folder = work.path().join("scans");
            s.set_named("Quầy 1", "scans-folder", folder.to_str().unwrap())
                .await
                .unwrap();
        }
        let page = small_pdf(work.path());
        for (i, code) in codes.iter().enumerate() {
            let rows = s.dossier(code).await.unwrap().documents.len() as u32;
            let new = |doc: u32, result: bool| NewScan {
                doc,
                result,
                pdf: page.clone(),
            };
            let mut scans: Vec<NewScan> = match i % 9 {
                0 | 4 => (1..=rows).map(|doc| new(doc, false)).collect(),
                7 => vec![new(1, false)],
                _ => Vec::new(),
            };
            if i % 5 == 1 || i % 9 == 0 {
                scans.push(new(0, true));
            }
            if !scans.is_empty() {
                s.add_scans(code, scans, &actor()).await.unwrap();
            }
        }

        let mut facts = Vec::new();
        for code in &codes {
            let d = s.dossier(code).await.unwrap();
            let (checklist_rows, data_rows, scanned_rows, result_scanned) =
                common::scan_facts(s, &d).await;
            let events = s.events(code).await.unwrap();
            let first = |statuses: &[Status]| {
                events
                    .iter()
                    .filter(|e| e.to_status.is_some_and(|st| statuses.contains(&st)))
                    .map(|e| e.at)
                    .min()
            };
            let handed = events.iter().find(|e| e.kind == "handed_over");
            let rating = handed.and_then(|e| match e.data["rating"].as_str() {
                Some("very_satisfied") => Some(1),
                Some("satisfied") => Some(2),
                Some("unsatisfied") => Some(3),
                _ => None,
            });
            facts.push(Facts {
                field: d.procedure.field.clone(),
                procedure: d.procedure.code.clone(),
                procedure_name: d.procedure.name.clone(),
                online: d.channel.as_str() == "online",
                received_at: d.received_at,
                due_at: d.due_at,
                ready_at: first(&[Status::Ready]),
                returned_at: first(&[Status::Returned]),
                closed_at: first(&[Status::Refused, Status::Withdrawn, Status::Stopped]),
                handed_at: handed.map(|e| e.at),
                rating,
                pauses: pauses(&events),
                checklist_rows,
                data_rows,
                scanned_rows,
                result_scanned,
            });
        }
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let mut periods: Vec<(NaiveDate, NaiveDate)> = (1..=12)
            .map(|m| {
                let next = if m == 12 {
                    date(2026, 1, 1)
                } else {
                    date(2025, m + 1, 1)
                };
                (date(2025, m, 1), next.pred_opt().unwrap())
            })
            .collect();
        periods.push((date(2025, 4, 1), date(2025, 6, 30)));
        periods.push((date(2025, 1, 1), date(2025, 12, 31)));
        let mut resolved = 0;
        for (from, to) in periods {
            let sql = s.report(from, to, now).await.unwrap();
            let rules = build(from, to, now, &facts);
            assert_eq!(sql, rules, "{} {from}..{to}", t.name);
            resolved += sql.totals.resolved_total;
        }
        // The year has something of each kind to count.
        let year = s
            .report(date(2025, 1, 1), date(2025, 12, 31), now)
            .await
            .unwrap();
        let c = year.totals;
        assert!(
            resolved > 0 && c.resolved_early > 0 && c.resolved_late > 0,
            "{c:?}"
        );
        assert!(c.in_progress_total > 0 && c.closed_total > 0, "{c:?}");
        assert!(
            c.rating_very_satisfied > 0 && c.rating_satisfied > 0,
            "{c:?}"
        );
        assert!(
            c.components_digitised > 0 && c.components_digitised < c.received_in_period(),
            "{c:?}"
        );
        assert!(
            c.results_digitised > 0 && c.results_digitised < c.resolved_total,
            "{c:?}"
        );
    }
}

/// One small page as a stored PDF, for tests that need a scan, not a realistic one.
fn small_pdf(dir: &std::path::Path) -> motcua_core::scans::PreparedPdf {
    let img = image::GrayImage::from_fn(60, 80, |x, y| image::Luma([((x * y) % 250) as u8]));
    let path = dir.join("page.png");
    img.save_with_format(&path, image::ImageFormat::Png)
        .unwrap();
    motcua_core::scans::prepare_files(&[path], motcua_core::scans::Source::File)
        .unwrap()
        .remove(0)
}

/// Every event written by the fast intake, by bulk loading (alone and beside desks
/// registering at the same time) and by later moves stays on the one hash chain that
/// `motcua audit verify` walks.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn intake_and_bulk_loading_keep_the_audit_chain() {
    for t in stores().await {
        let s = &t.store;
        s.setup(&agency_input(1)).await.unwrap();
        let first = s
            .intake(
                &common::birth_request("Nguyễn Văn An", "2027-03-03T08:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        let mut sampler = Sampler::new(7);
        let mut batch = Vec::new();
        for i in 0..40 {
            let steps = match i % 3 {
                0 => vec![],
                1 => vec![(Duration::hours(1), Status::Processing)],
                _ => vec![
                    (Duration::hours(1), Status::Processing),
                    (Duration::hours(2), Status::Ready),
                    (Duration::hours(3), Status::Returned),
                ],
            };
            let rating = (i % 3 == 2).then_some(Rating::Satisfied);
            let received = at("2025-03-03T09:00:00+07:00") + Duration::minutes(i);
            batch.push(dossier(s, &mut sampler, received, steps, rating).await);
        }
        // Two desks register while the batch loads: their events queue on the chain's head.
        let desks: Vec<_> = (0..2)
            .map(|desk| {
                let s = s.clone();
                tokio::spawn(async move {
                    let actor = motcua_core::store::Actor::new("tester", format!("Quầy {desk}"));
                    for _ in 0..5 {
                        s.intake(
                            &common::birth_request("Trần Thị Bình", "2027-03-04T09:00:00+07:00"),
                            &actor,
                        )
                        .await
                        .unwrap();
                    }
                })
            })
            .collect();
        let (half, rest) = batch.split_at(20);
        s.insert_bulk(half, &actor()).await.unwrap();
        s.insert_bulk(rest, &actor()).await.unwrap();
        for desk in desks {
            desk.await.unwrap();
        }
        s.transition(&first.code, Status::Processing, "", None, None, &actor())
            .await
            .unwrap();

        // First intake, ten at the desks, 40 loaded, their 13 + 13 × 3 later moves, one move.
        let events: i64 = 1 + 10 + 40 + 13 + 13 * 3 + 1;
        let report = s.verify_audit().await.unwrap();
        assert!(report.ok, "{}: {report:?}", t.name);
        assert_eq!(report.heads[0].entries, events, "{}", t.name);
        assert_eq!(
            report.mismatches,
            [],
            "{}: every loaded dossier is covered",
            t.name
        );

        // The chain notices an event edited behind the app's back.
        let drop = if t.name == "sqlite" {
            "DROP TRIGGER events_no_update"
        } else {
            "DROP TRIGGER events_no_change ON events"
        };
        common::raw(&t, drop).await.unwrap();
        common::raw(
            &t,
            "UPDATE events SET note = 'sửa' WHERE id = (SELECT MAX(id) - 5 FROM events)",
        )
        .await
        .unwrap();
        let report = s.verify_audit().await.unwrap();
        assert!(!report.ok, "{}: tampering not noticed", t.name);
    }
}

/// The intervals in which a dossier's clock stood still, read from its status moves.
fn pauses(events: &[motcua_core::store::Event]) -> Vec<motcua_core::report::Pause> {
    let stopped = |s: Option<Status>| s.is_some_and(|s| s.code() == 5 || s.code() == 6);
    let mut out: Vec<motcua_core::report::Pause> = Vec::new();
    for e in events {
        if stopped(e.to_status) && !stopped(e.from_status) {
            out.push(motcua_core::report::Pause {
                from: e.at,
                until: None,
            });
        } else if stopped(e.from_status) && !stopped(e.to_status) && e.to_status.is_some() {
            if let Some(last) = out.last_mut() {
                last.until = Some(e.at);
            }
        }
    }
    out
}
