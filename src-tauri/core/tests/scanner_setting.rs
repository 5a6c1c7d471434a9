//! The `scanner-port` setting on both engines: only device paths under /dev/, or empty.

use crate::common;

use motcua_core::error::Problem;
use motcua_core::store::{NAMED_SETTINGS, SCANNER_PORT};
use motcua_core::CoreError;

#[tokio::test]
async fn the_scanner_port_is_a_device_path_or_empty() {
    for t in common::stores().await {
        let s = &t.store;
        assert!(NAMED_SETTINGS.contains(&SCANNER_PORT));
        // No agency needed: a scanner can be set up before the office is.
        assert_eq!(
            s.get_named("Quầy 1", SCANNER_PORT).await.unwrap(),
            "",
            "{}",
            t.name
        );

        for good in [
            "/dev/ttyUSB0",
            "  /dev/ttyACM1 ",
            "/dev/serial/by-id/usb-Honeywell_Imaging_1900-if00",
        ] {
            s.set_named("Quầy 1", SCANNER_PORT, good).await.unwrap();
            assert_eq!(
                s.get_named("Quầy 1", SCANNER_PORT).await.unwrap(),
                good.trim()
            );
        }
        for bad in [
            "/etc/passwd",
            "ttyUSB0",
            "/dev/",
            "/dev//ttyS0",
            "/dev/../etc/shadow",
            "/dev/tty USB0",
            "COM3",
        ] {
            match s.set_named("Quầy 1", SCANNER_PORT, bad).await {
                Err(CoreError::Invalid(errors)) => {
                    assert_eq!(errors[0].field, SCANNER_PORT);
                    assert_eq!(errors[0].problem, Problem::ScannerPort);
                }
                other => panic!("{bad:?} on {}: {other:?}", t.name),
            }
        }
        // The last good value stays.
        assert_eq!(
            s.get_named("Quầy 1", SCANNER_PORT).await.unwrap(),
            "/dev/serial/by-id/usb-Honeywell_Imaging_1900-if00"
        );
        s.set_named("Quầy 1", SCANNER_PORT, "").await.unwrap();
        assert_eq!(s.get_named("Quầy 1", SCANNER_PORT).await.unwrap(), "");
    }
}
