//! `motcua database show|set|reset`: the desk's database kept in `desk.json`, with the
//! order `--db` > `MOTCUA_DB` > the file > the default, and passwords never printed.

use crate::support;

use std::process::Output;

use support::Desk;

/// The CLI without `MOTCUA_DB`, so that the configuration file decides.
fn bare(desk: &Desk, args: &[&str]) -> Output {
    desk.cmd()
        .env_remove("MOTCUA_DB")
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn show(desk: &Desk) -> serde_json::Value {
    let out = bare(desk, &["database", "show", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_configuration_file_chooses_the_database_after_flag_and_environment() {
    let desk = Desk::new();
    let config = desk.dir.path().join("data/motcua/desk.json");
    let v = show(&desk);
    assert_eq!(v["source"], "default");
    assert!(
        v["database"]
            .as_str()
            .unwrap()
            .ends_with("data/motcua/motcua.db"),
        "{v}"
    );

    // A relative path or a URL without a server is refused with the field named.
    for bad in ["relative.db", "postgres:///motcua"] {
        let out = bare(&desk, &["database", "set", bad]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("Cơ sở dữ liệu") && err.contains("đường dẫn tuyệt đối"),
            "{err}"
        );
    }
    assert!(!config.exists());

    // An SQLite file chosen: the next commands use it.
    let chosen = desk.path("chosen/desk.db");
    let out = bare(&desk, &["database", "set", chosen.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = show(&desk);
    assert_eq!(v["source"], "file");
    assert_eq!(v["database"], chosen.to_str().unwrap());
    let setup = bare(
        &desk,
        &[
            "setup",
            "--agency-code",
            "000.00.14.H56",
            "--governing-body",
            "UBND XÃ A",
            "--unit",
            "BỘ PHẬN MỘT CỬA",
            "--place",
            "A",
        ],
    );
    assert!(
        setup.status.success(),
        "{}",
        String::from_utf8_lossy(&setup.stderr)
    );
    assert!(chosen.exists());
    // MOTCUA_DB still wins over the file.
    let env = desk.json(&["database", "show", "--json"]);
    assert_eq!(env["source"], "env");
    assert_eq!(env["database"], desk.db.as_str());
    assert_eq!(env["configured"], chosen.to_str().unwrap());

    // A server URL kept without testing: the password never shows, the file is private.
    let url = "postgres://desk:S3cret-pw@127.0.0.1:1/motcua";
    let out = bare(&desk, &["database", "set", url, "--no-test"]);
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("S3cret"));
    let text = bare(&desk, &["database", "show"]);
    let json = bare(&desk, &["database", "show", "--json"]);
    for out in [&text, &json] {
        let printed = String::from_utf8_lossy(&out.stdout);
        assert!(!printed.contains("S3cret"), "{printed}");
        assert!(
            printed.contains("postgres://desk:***@127.0.0.1:1/motcua"),
            "{printed}"
        );
    }
    assert!(std::fs::read_to_string(&config)
        .unwrap()
        .contains("S3cret-pw"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&config).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
    // Tested, an unreachable server is refused and the previous choice kept.
    let out = bare(
        &desk,
        &["database", "set", "postgres://desk:pw@127.0.0.1:1/other"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Mất kết nối"));
    assert_eq!(
        show(&desk)["configured"],
        "postgres://desk:***@127.0.0.1:1/motcua"
    );

    // A damaged file stops the desk, naming it, rather than opening the default database.
    std::fs::write(&config, "{not json").unwrap();
    let out = bare(&desk, &["list"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("desk.json"));

    let out = bare(&desk, &["database", "reset"]);
    assert!(
        !out.status.success(),
        "a damaged file is not silently replaced"
    );
    std::fs::remove_file(&config).unwrap();
    let out = bare(&desk, &["database", "reset"]);
    assert!(out.status.success());
    assert_eq!(show(&desk)["source"], "default");
}
