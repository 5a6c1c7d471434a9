//! Digitised papers in the store on both engines: images made a small PDF, a PDF kept as it
//! is, the files private under the scans folder with their hash in the dossier's chained
//! history; a changed or missing file found by `verify_audit`; a bad file refused with
//! nothing written; PostgreSQL without the `scans-folder` setting refused, naming it.

use std::path::{Path, PathBuf};

use motcua_core::audit::ScanFileFault;
use motcua_core::scans::{self, ScanError, Source};
use motcua_core::store::{NewScan, ScanRecord, Store};
use motcua_core::CoreError;

use crate::common::{actor, birth_request, ready_stores, TestStore};

fn grey_page(dir: &Path, name: &str) -> PathBuf {
    // A 200 dpi A4 page of grey text-like stripes.
    let img = image::GrayImage::from_fn(1654, 2339, |x, y| {
        let ink = (y / 24) % 3 == 0 && (x / 9) % 7 != 0 && x > 150 && x < 1500;
        image::Luma([if ink { 40 } else { 235 }])
    });
    let path = dir.join(name);
    img.save_with_format(&path, image::ImageFormat::Png)
        .unwrap();
    path
}

async fn dossier(s: &Store) -> String {
    s.intake(
        &birth_request("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"),
        &actor(),
    )
    .await
    .unwrap()
    .code
}

/// One grey page made a PDF and added to checklist row `doc` of `code`: what the store
/// recorded, and the PDF's bytes.
async fn add_page(s: &Store, code: &str, doc: u32, dir: &Path) -> (Vec<ScanRecord>, Vec<u8>) {
    let page = grey_page(dir, "p1.png");
    let pdf = scans::prepare_files(&[page], Source::File).unwrap();
    let stored = s
        .add_scans(
            code,
            vec![NewScan {
                doc,
                result: false,
                pdf: pdf[0].clone(),
            }],
            &actor(),
        )
        .await
        .unwrap();
    (stored, pdf[0].bytes.clone())
}

/// The folder the scans go to: beside the SQLite file, or a folder of the test's own set
/// as `scans-folder` on PostgreSQL (which has no "beside").
async fn scans_folder(t: &TestStore, own: &Path) -> PathBuf {
    if t.name == "sqlite" {
        return Path::new(&t.location).parent().unwrap().join("scans");
    }
    let missing = t.store.scans_root().await.unwrap_err();
    assert!(
        matches!(missing, CoreError::Scan(ScanError::NoScansFolder)),
        "{missing:?}"
    );
    assert!(missing.to_string().contains("scans-folder"), "{missing}");
    let folder = own.join("shared-scans");
    t.store
        .set_named("Quầy 1", "scans-folder", folder.to_str().unwrap())
        .await
        .unwrap();
    folder
}

#[tokio::test]
async fn pages_and_a_pdf_are_stored_chained_and_verified() {
    for t in ready_stores().await {
        let work = tempfile::tempdir().unwrap();
        let code = dossier(&t.store).await;
        if t.name == "postgres" {
            let refused = t
                .store
                .add_scans(&code, vec![], &actor())
                .await
                .unwrap_err();
            assert!(matches!(refused, CoreError::Scan(ScanError::NothingGiven)));
        }
        let folder = scans_folder(&t, work.path()).await;
        let pages = [
            grey_page(work.path(), "p1.png"),
            grey_page(work.path(), "p2.png"),
        ];
        let prepared = scans::prepare_files(&pages, Source::File).unwrap();
        assert_eq!(prepared.len(), 1, "two images make one PDF");
        assert_eq!(prepared[0].pages, 2);
        assert!(
            prepared[0].bytes.len() < 2 * 150 * 1024,
            "{} bytes",
            prepared[0].bytes.len()
        );
        let pdf = prepared[0].bytes.clone();
        let stored = t
            .store
            .add_scans(
                &code,
                vec![NewScan {
                    doc: 1,
                    result: false,
                    pdf: prepared.into_iter().next().unwrap(),
                }],
                &actor(),
            )
            .await
            .unwrap();
        let year_code = format!("2027/{code}");
        assert_eq!(stored[0].file, format!("{year_code}/1-1.pdf"));
        let on_disk = folder.join(&stored[0].file);
        assert_eq!(std::fs::read(&on_disk).unwrap(), pdf);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&on_disk), 0o600, "{}", t.name);
            assert_eq!(mode(on_disk.parent().unwrap()), 0o700, "{}", t.name);
        }
        // The result, attached as the agency's PDF: kept byte for byte.
        let result_pdf = work.path().join("ket-qua.pdf");
        std::fs::write(&result_pdf, &pdf).unwrap();
        let kept = scans::prepare_files(&[result_pdf], Source::File).unwrap();
        let result = t
            .store
            .add_scans(
                &code,
                vec![NewScan {
                    doc: 0,
                    result: true,
                    pdf: kept.into_iter().next().unwrap(),
                }],
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(result[0].file, format!("{year_code}/result-1.pdf"));
        let list = t.store.scans(&code).await.unwrap();
        assert_eq!(list.len(), 2);
        assert!(!list[0].result && list[1].result);
        let events = t.store.events(&code).await.unwrap();
        let scanned: Vec<_> = events.iter().filter(|e| e.kind == "scanned").collect();
        assert_eq!(scanned.len(), 2);
        assert_eq!(scanned[0].data["sha256"], stored[0].sha256.as_str());
        assert_eq!(scanned[0].data["pages"], 2);
        let report = t.store.verify_audit().await.unwrap();
        assert!(report.ok, "{}: {report:?}", t.name);

        // Changed behind the app's back, then gone: each named.
        let mut changed = pdf.clone();
        changed.extend_from_slice(b"%edited\n");
        std::fs::write(&on_disk, &changed).unwrap();
        let report = t.store.verify_audit().await.unwrap();
        assert!(!report.ok);
        assert_eq!(report.scan_files.len(), 1, "{report:?}");
        assert_eq!(report.scan_files[0].fault, ScanFileFault::Changed);
        assert_eq!(report.scan_files[0].file, on_disk.display().to_string());
        std::fs::remove_file(&on_disk).unwrap();
        let report = t.store.verify_audit().await.unwrap();
        assert_eq!(report.scan_files[0].fault, ScanFileFault::Missing);
        let words = report.problems(motcua_core::i18n::Lang::En).join("\n");
        assert!(words.contains(&on_disk.display().to_string()), "{words}");
    }
}

#[tokio::test]
async fn a_bad_file_or_row_is_refused_and_nothing_is_written() {
    for t in ready_stores().await {
        let work = tempfile::tempdir().unwrap();
        let code = dossier(&t.store).await;
        let folder = scans_folder(&t, work.path()).await;
        let notes = work.path().join("ghi-chu.txt");
        std::fs::write(&notes, "không phải bản quét").unwrap();
        let page = grey_page(work.path(), "p1.png");
        let refused =
            scans::prepare_files(&[page.clone(), notes.clone()], Source::File).unwrap_err();
        assert_eq!(
            refused,
            ScanError::NotAPaper {
                file: notes.display().to_string()
            }
        );
        let fake_pdf = work.path().join("hong.pdf");
        std::fs::write(&fake_pdf, b"%PDF-1.4\nnot really\n").unwrap();
        let refused =
            scans::prepare_files(std::slice::from_ref(&fake_pdf), Source::File).unwrap_err();
        assert!(
            matches!(&refused, ScanError::Unreadable { file, .. } if *file == fake_pdf.display().to_string()),
            "{refused:?}"
        );
        // A row the checklist does not have.
        let rows = t.store.dossier(&code).await.unwrap().documents.len() as u32;
        let pdf = scans::prepare_files(&[page], Source::File).unwrap();
        let refused = t
            .store
            .add_scans(
                &code,
                vec![NewScan {
                    doc: rows + 1,
                    result: false,
                    pdf: pdf[0].clone(),
                }],
                &actor(),
            )
            .await
            .unwrap_err();
        assert_eq!(refused.field_errors()[0].field, "doc");
        assert!(!folder.exists() || walk(&folder).is_empty(), "{}", t.name);
        assert!(t.store.scans(&code).await.unwrap().is_empty());
        assert!(t.store.verify_audit().await.unwrap().ok);
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[tokio::test]
async fn a_backup_carries_the_papers_and_a_restore_puts_them_back() {
    for t in ready_stores().await {
        let work = tempfile::tempdir().unwrap();
        let code = dossier(&t.store).await;
        let folder = scans_folder(&t, work.path()).await;
        let (stored, pdf_bytes) = add_page(&t.store, &code, 1, work.path()).await;
        let out = work
            .path()
            .join(format!("backup.{}", t.store.backup_extension()));
        let report = t.store.backup(&out).await.unwrap();
        assert_eq!(report.scan_files, 1, "{}", t.name);
        let copy = work
            .path()
            .join(format!("backup.{}.scans", t.store.backup_extension()))
            .join(&stored[0].file);
        assert_eq!(std::fs::read(&copy).unwrap(), pdf_bytes);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        // The folder lost: the audit says so, the restore brings the file back.
        std::fs::remove_dir_all(&folder).unwrap();
        assert!(!t.store.verify_audit().await.unwrap().ok);
        let restored = t
            .store
            .restore(
                &out,
                &work.path().join("aside"),
                motcua_core::store::Unmarked::Refuse,
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(restored.restored.scan_files, 1, "{}", t.name);
        assert_eq!(
            std::fs::read(folder.join(&stored[0].file)).unwrap(),
            pdf_bytes
        );
        let report = t.store.verify_audit().await.unwrap();
        assert!(report.ok, "{}: {report:?}", t.name);
    }
}

#[tokio::test]
async fn migrate_carries_the_papers_into_the_centres_folder() {
    for target in ready_stores().await {
        let work = tempfile::tempdir().unwrap();
        let source = crate::common::fresh_sqlite().await;
        source
            .store
            .setup(&crate::common::agency_input(1))
            .await
            .unwrap();
        let code = dossier(&source.store).await;
        let (stored, pdf_bytes) = add_page(&source.store, &code, 1, work.path()).await;
        if target.name == "postgres" {
            let refused =
                motcua_core::store::transfer::transfer(&source.store, &target.store, &actor())
                    .await
                    .unwrap_err();
            assert!(refused.to_string().contains("scans-folder"), "{refused}");
            assert!(target.store.scans(&code).await.is_err(), "nothing moved");
        }
        let folder = scans_folder(&target, work.path()).await;
        let report = motcua_core::store::transfer::transfer(&source.store, &target.store, &actor())
            .await
            .unwrap();
        assert_eq!(report.scan_files, 1, "{}", target.name);
        assert_eq!(
            std::fs::read(folder.join(&stored[0].file)).unwrap(),
            pdf_bytes
        );
        assert_eq!(target.store.scans(&code).await.unwrap().len(), 1);
        let audit = target.store.verify_audit().await.unwrap();
        assert!(audit.ok, "{}: {audit:?}", target.name);
    }
}

/// The text layer on both engines with the real Tesseract: the paper replaced by the same
/// page with text, its new hash in the row and the chain (`audit verify` passes), carried by
/// a backup and put back by a restore; a paper changed behind the app's back is not made
/// searchable (its new hash would hide the change) and is not taken again.
#[tokio::test]
async fn a_text_layer_replaces_the_paper_and_the_chain_backup_and_restore_follow() {
    let tesseract = motcua_core::scans::ocr::detect();
    assert!(
        tesseract.is_ready(),
        "tesseract-ocr and tesseract-ocr-vie are installed by tests/run-all.sh: {tesseract:?}"
    );
    let motcua_core::scans::ocr::Availability::Ready { program } = tesseract else {
        return;
    };
    let program = PathBuf::from(program);
    for t in ready_stores().await {
        let work = tempfile::tempdir().unwrap();
        let code = dossier(&t.store).await;
        let folder = scans_folder(&t, work.path()).await;
        let (stored, original) = add_page(&t.store, &code, 1, work.path()).await;
        let (tampered, _) = add_page(&t.store, &code, 1, work.path()).await;
        let status = t.store.text_status().await.unwrap();
        assert_eq!((status.pending, status.done), (2, 0), "{}", t.name);

        let made = t
            .store
            .make_next_text_layer(&program, &actor())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(made.text_layer, "done", "{}: {made:?}", t.name);
        let on_disk = folder.join(&stored[0].file);
        let now = std::fs::read(&on_disk).unwrap();
        assert_ne!(now, original);
        assert_eq!(made.bytes_after, now.len() as u64);
        assert!(
            now.len() < original.len() + 20 * 1024,
            "{} bytes",
            now.len()
        );
        let listed = t.store.scans(&code).await.unwrap();
        assert_eq!(listed[0].text_layer, "done");
        assert_eq!(listed[0].bytes, now.len() as u64);
        assert_ne!(listed[0].sha256, stored[0].sha256);
        let events = t.store.events(&code).await.unwrap();
        let text = events.iter().find(|e| e.kind == "scan_text").unwrap();
        assert_eq!(text.data["previous_sha256"], stored[0].sha256.as_str());
        assert_eq!(text.data["sha256"], listed[0].sha256.as_str());
        let report = t.store.verify_audit().await.unwrap();
        assert!(report.ok, "{}: {report:?}", t.name);

        // Changed behind the app's back: left as it is, failed, not taken again.
        let second = folder.join(&tampered[0].file);
        let mut bytes = std::fs::read(&second).unwrap();
        let last = bytes.len() - 2;
        bytes[last] ^= 0x01;
        std::fs::write(&second, &bytes).unwrap();
        let refused = t
            .store
            .make_next_text_layer(&program, &actor())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(refused.text_layer, "failed", "{}: {refused:?}", t.name);
        assert_eq!(std::fs::read(&second).unwrap(), bytes);
        assert!(t
            .store
            .make_next_text_layer(&program, &actor())
            .await
            .unwrap()
            .is_none());
        let status = t.store.text_status().await.unwrap();
        assert_eq!((status.pending, status.done, status.failed), (0, 1, 1));
        assert_eq!(status.failures[0].file, tampered[0].file);
        bytes[last] ^= 0x01;
        std::fs::write(&second, &bytes).unwrap();

        // The backup carries the paper with its text; a restore puts that one back.
        let out = work
            .path()
            .join(format!("backup.{}", t.store.backup_extension()));
        t.store.backup(&out).await.unwrap();
        std::fs::remove_dir_all(&folder).unwrap();
        t.store
            .restore(
                &out,
                &work.path().join("aside"),
                motcua_core::store::Unmarked::Refuse,
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(std::fs::read(&on_disk).unwrap(), now, "{}", t.name);
        let report = t.store.verify_audit().await.unwrap();
        assert!(report.ok, "{}: {report:?}", t.name);
        // A failed paper goes back in the queue when asked.
        assert_eq!(t.store.retry_text_layers().await.unwrap(), 1);
    }
}
