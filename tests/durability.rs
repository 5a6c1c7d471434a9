//! Several desks on one database, and nothing lost: real `motcua` processes registering at
//! once on one SQLite file and on one PostgreSQL database, two desks changing one dossier,
//! desks killed at random moments, and the backup, restore, migrate and check commands.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use motcua_core::store::Store;
use support::{birth, postgres_database, Desk, BIN, SETUP};

/// 0 → "A", 25 → "Z", 26 → "BA": names may not contain digits.
fn letters(mut i: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, char::from(b'A' + (i % 26) as u8));
        i /= 26;
        if i == 0 {
            return s;
        }
    }
}

fn code(day: &str, n: usize) -> String {
    format!("000.00.14.H56-{day}-{n:04}")
}

/// The real binary on any database location.
fn motcua(db: &str) -> Command {
    let mut c = Command::new(BIN);
    c.env("MOTCUA_DB", db)
        .env_remove("MOTCUA_LANG")
        .env("MOTCUA_DESK", "Quầy thử");
    c
}

fn ok(db: &str, args: &[&str]) -> String {
    let out = motcua(db).args(args).stdin(Stdio::null()).output().unwrap();
    assert!(
        out.status.success(),
        "motcua {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Eight desk processes each stream 500 intakes at the same moment; every code is distinct
/// and the day's numbers run 1–4000 without a gap; every dossier and its event is there.
fn eight_desks_at_once(db: &str) {
    const DESKS: usize = 8;
    const EACH: usize = 500;
    let _busy = support::busy_test();
    ok(db, &SETUP);
    let started = Instant::now();
    let mut children = Vec::new();
    for desk in 0..DESKS {
        let lines: String = (0..EACH)
            .map(|i| {
                birth(
                    &format!("Quầy {} Người {}", letters(desk), letters(i)),
                    "2027-07-07T09:00:00+07:00",
                )
                .to_string()
                    + "\n"
            })
            .collect();
        let mut child = motcua(db)
            .env("MOTCUA_DESK", format!("Quầy {}", desk + 1))
            .args(["intake", "--jsonl", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        std::thread::spawn(move || stdin.write_all(lines.as_bytes()));
        children.push(child);
    }
    let mut reported = Vec::new();
    for (desk, child) in children.into_iter().enumerate() {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "desk {desk}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut n = 0;
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            let d: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(d["desk"], format!("Quầy {}", desk + 1));
            reported.push(d["code"].as_str().unwrap().to_string());
            n += 1;
        }
        assert_eq!(n, EACH, "desk {desk} reported every intake");
    }
    let elapsed = started.elapsed();
    reported.sort();
    let expected: Vec<String> = (1..=DESKS * EACH).map(|n| code("270707", n)).collect();
    assert_eq!(reported, expected, "distinct and consecutive");

    runtime().block_on(async {
        let store = Store::open(db).await.unwrap();
        let mut stored = BTreeSet::new();
        for page in 0..((DESKS * EACH) / 1000 + 1) {
            let filter = motcua_core::store::ListFilter {
                limit: Some(1000),
                offset: Some(page as i64 * 1000),
                ..Default::default()
            };
            for d in store.list(&filter).await.unwrap() {
                stored.insert(d.code);
            }
        }
        assert_eq!(stored.into_iter().collect::<Vec<_>>(), expected);
        let health = store.health().await.unwrap();
        assert!(health.ok(), "{health:?}");
        assert_eq!(health.events, (DESKS * EACH) as i64);
        for c in [&expected[0], &expected[1999], &expected[3999]] {
            let events = store.events(c).await.unwrap();
            assert_eq!(events.len(), 1);
            assert_eq!(events[0].kind, "created");
        }
        store.close().await;
    });
    eprintln!(
        "{DESKS} desks × {EACH} intakes on {}: {:.1} s",
        if db.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        elapsed.as_secs_f64()
    );
}

#[test]
fn eight_desks_register_500_dossiers_each_at_once_on_one_sqlite_file() {
    let desk = Desk::new();
    eight_desks_at_once(&desk.db);
}

#[test]
fn eight_desks_register_500_dossiers_each_at_once_on_one_postgresql_database() {
    if let Some(url) = postgres_database() {
        eight_desks_at_once(&url);
    }
}

/// Two desk processes move the same dossier from the same version at the same moment.
fn two_desks_change_one_dossier(db: &str) {
    ok(db, &SETUP);
    for i in 0..6 {
        let mut req = birth(
            &format!("Người {}", letters(i)),
            "2027-03-03T09:00:00+07:00",
        );
        req["note"] = "".into();
        let out = motcua(db)
            .args(["intake", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                c.stdin
                    .take()
                    .unwrap()
                    .write_all(req.to_string().as_bytes())?;
                c.wait_with_output()
            })
            .unwrap();
        assert!(out.status.success());
        let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let code = d["code"].as_str().unwrap().to_string();
        let version = d["version"].to_string();
        // Both desks opened the dossier at this version and save different moves.
        let lang = if i % 2 == 0 { "en" } else { "vi" };
        let desks: Vec<_> = [("4", "Quầy 1"), ("7", "Quầy 2")]
            .iter()
            .map(|(to, desk)| {
                motcua(db)
                    .env("MOTCUA_DESK", desk)
                    .args([
                        "--lang",
                        lang,
                        "transition",
                        &code,
                        "--to",
                        to,
                        "--expect-version",
                        &version,
                    ])
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let outs: Vec<_> = desks
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let won: Vec<_> = outs.iter().filter(|o| o.status.success()).collect();
        let lost: Vec<_> = outs.iter().filter(|o| !o.status.success()).collect();
        assert_eq!(won.len(), 1, "exactly one desk wins");
        assert_eq!(lost.len(), 1);
        let message = String::from_utf8_lossy(&lost[0].stderr);
        let expected = if lang == "en" {
            "was just changed by someone else"
        } else {
            "vừa được người khác thay đổi"
        };
        assert!(
            message.contains(expected) && message.contains(&code),
            "{message}"
        );
        // The winner's move is the one kept, logged once; nothing of the loser's.
        let winner: serde_json::Value = serde_json::from_slice(&won[0].stdout).unwrap();
        let history: serde_json::Value =
            serde_json::from_str(&ok(db, &["history", &code, "--json"])).unwrap();
        let moves: Vec<_> = history
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "status_changed")
            .collect();
        assert_eq!(moves.len(), 1);
        assert_eq!(moves[0]["to_status"], winner["status_code"]);
        let shown: serde_json::Value =
            serde_json::from_str(&ok(db, &["show", &code, "--json"])).unwrap();
        assert_eq!(shown["version"], winner["version"]);
    }
}

#[test]
fn two_desk_processes_changing_one_dossier_on_sqlite_one_wins_the_other_is_told() {
    let desk = Desk::new();
    two_desks_change_one_dossier(&desk.db);
}

#[test]
fn two_desk_processes_changing_one_dossier_on_postgresql_one_wins_the_other_is_told() {
    if let Some(url) = postgres_database() {
        two_desks_change_one_dossier(&url);
    }
}

/// A small xorshift: the kill moments differ from run to run, and the seed is printed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn a_desk_killed_at_random_moments_50_times_loses_nothing_it_reported() {
    let _busy = support::busy_test();
    let desk = Desk::ready();
    let seed = std::env::var("MOTCUA_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
                | 1
        });
    eprintln!("kill moments from MOTCUA_KILL_SEED={seed}");
    let mut rng = Rng(seed);
    let mut reported: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    let mut sent = 0usize;
    let started = Instant::now();
    for round in 0..50 {
        let lines: String = (0..400)
            .map(|i| {
                birth(
                    &format!("Người Nộp {}", letters(sent + i)),
                    "2027-08-08T09:00:00+07:00",
                )
                .to_string()
                    + "\n"
            })
            .collect();
        sent += 400;
        let mut child = desk
            .cmd()
            .args(["intake", "--jsonl", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        // The writer stops when the desk dies (a broken pipe).
        std::thread::spawn(move || stdin.write_all(lines.as_bytes()));
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<String>>()
        });
        // Anywhere from while the process starts to deep into the stream.
        let wait = Duration::from_millis(rng.next() % 700);
        std::thread::sleep(wait);
        child.kill().unwrap();
        child.wait().unwrap();
        let lines = reader.join().unwrap();
        for line in &lines {
            // A line cut by the kill was never a report of success.
            if let Ok(d) = serde_json::from_str::<serde_json::Value>(line) {
                reported.insert(d["code"].as_str().unwrap().to_string(), d);
            }
        }
        if round % 10 == 9 {
            eprintln!(
                "after {} kills: {} intakes reported",
                round + 1,
                reported.len()
            );
        }
    }
    let elapsed = started.elapsed();
    runtime().block_on(async {
        let store = Store::open(&desk.db).await.unwrap();
        for (code, d) in &reported {
            let stored = serde_json::to_value(store.dossier(code).await.unwrap()).unwrap();
            assert_eq!(&stored, d, "{code} as reported");
            assert_eq!(store.events(code).await.unwrap()[0].kind, "created");
        }
        let health = store.health().await.unwrap();
        assert!(health.ok(), "integrity, events and numbering: {health:?}");
        assert!(health.dossiers as usize >= reported.len());
        // Numbering continues right after the last dossier that made it.
        let last = health.dossiers as usize;
        store.close().await;
        let next = desk.intake(&birth("Trần Văn Cường", "2027-08-08T10:00:00+07:00"));
        assert_eq!(next["code"], code("270808", last + 1));
        eprintln!(
            "50 kills: {} intakes reported, {} stored, {:.1} s",
            reported.len(),
            last,
            elapsed.as_secs_f64()
        );
    });
}

#[test]
fn backup_restore_and_check_through_the_cli() {
    let desk = Desk::ready();
    desk.intake(&birth("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"));
    desk.intake(&birth("Lê Thị Bình", "2027-03-03T09:05:00+07:00"));
    let made = desk.json(&["backup"]);
    let file = made["path"].as_str().unwrap().to_string();
    assert!(
        file.starts_with(&desk.path("backups").to_string_lossy().into_owned()),
        "{file}"
    );
    assert_eq!(made["rows"]["dossiers"], 2);
    assert_eq!(made["checksum_verified"], true);
    assert_eq!(
        desk.json(&["backup", "--verify", &file])["rows"],
        made["rows"]
    );
    let daily = desk.json(&["backup", "--daily"]);
    assert!(daily["path"].as_str().unwrap().contains("motcua-20"));
    // The daily backup notes the chains' heads, in its output and beside it.
    assert_eq!(daily["heads"].as_array().unwrap().len(), 3, "{daily}");
    let beside = format!("{}.heads.json", daily["path"].as_str().unwrap());
    let noted: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&beside).unwrap()).unwrap();
    assert_eq!(noted, daily["heads"]);
    assert_eq!(desk.json(&["backup", "--daily"]), serde_json::Value::Null);

    desk.intake(&birth("Trần Văn Cường", "2027-03-03T09:10:00+07:00"));
    let restored = desk.json(&["restore", &file]);
    let previous = restored["previous"].as_str().unwrap();
    assert!(std::path::Path::new(previous).exists());
    let listed = desk.json(&["list", "--date", "2027-03-03", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 2);
    let check = desk.json(&["check", "--json"]);
    assert_eq!(check["ok"], true, "{check}");
    // Cường's number went with the restore: said, and never given again.
    assert_eq!(check["lost_by_restore"][0]["counter"], 3, "{check}");
    desk.ok(&["audit", "verify"]);
    assert!(desk
        .ok(&["--lang", "en", "check"])
        .contains("Integrity check: ok"));

    // A damaged file is refused with one clear line, and the database is untouched.
    let bad = desk.path("bad.db");
    let mut bytes = std::fs::read(&file).unwrap();
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&bad, bytes).unwrap();
    let out = desk.run(&["--lang", "en", "restore", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("Cannot use the backup"), "{err}");
    assert_eq!(err.trim().lines().count(), 1);
    let listed = desk.json(&["list", "--date", "2027-03-03", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 2);
}

#[test]
fn a_commune_database_migrates_into_postgresql_through_the_cli() {
    let Some(url) = postgres_database() else {
        return;
    };
    let commune = Desk::ready();
    let a = commune.intake(&birth("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"));
    let b = commune.intake(&birth("Lê Thị Bình", "2027-03-03T09:05:00+07:00"));
    let code_a = a["code"].as_str().unwrap();
    commune.ok(&["transition", code_a, "--to", "4", "--note", "thụ lý"]);

    let out = Command::new(BIN)
        .args(["migrate", "--from", &commune.db, "--to", &url])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["dossiers"], 2);
    assert_eq!(report["settings_copied"], true);

    let shown: serde_json::Value =
        serde_json::from_str(&ok(&url, &["show", code_a, "--json"])).unwrap();
    let mut expected = commune.json(&["show", code_a, "--json"]);
    expected["version"] = shown["version"].clone();
    assert_eq!(shown, expected);
    let history: serde_json::Value =
        serde_json::from_str(&ok(&url, &["history", code_a, "--json"])).unwrap();
    let kinds: Vec<_> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["created", "status_changed", "imported"]);
    // A centre desk's next dossier of that day follows the commune's.
    let mut req = birth("Trần Văn Cường", "2027-03-03T10:00:00+07:00");
    req["note"] = "".into();
    let next = motcua(&url)
        .args(["intake", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin
                .take()
                .unwrap()
                .write_all(req.to_string().as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    let next: serde_json::Value = serde_json::from_slice(&next.stdout).unwrap();
    assert_eq!(next["code"], code("270303", 3));

    // Again: refused, naming the codes that are already there.
    let out = Command::new(BIN)
        .args([
            "--lang",
            "en",
            "migrate",
            "--from",
            &commune.db,
            "--to",
            &url,
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("2 dossier codes already exist")
            && err.contains(code_a)
            && err.contains(b["code"].as_str().unwrap()),
        "{err}"
    );
    let check: serde_json::Value = serde_json::from_str(&ok(&url, &["check", "--json"])).unwrap();
    assert_eq!(check["dossiers"], 3);
    assert_eq!(check["ok"], true);
    // The moved dossiers, settings and catalog are covered on the centre's chains.
    ok(&url, &["audit", "verify"]);
}
