//! Driving the real desk window through WebDriver: tauri-driver in front of WebKitWebDriver,
//! the app embedding its own assets, all under the X display the test command provides.

#![allow(dead_code)]

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

use super::display::Display;
use super::{Desk, BIN};

pub struct Window {
    pub client: Client,
    driver: Option<Child>,
    /// Declared after the driver: the app's display goes only once the app has.
    display: Display,
}

/// The test command's own display (xvfb-run's), for the two tests that show a window
/// without WebDriver, the benchmark's and Wine's: they take it in turn, so Wine's search for
/// its message box by title cannot find the benchmark's window. Held until dropped.
pub fn the_display() -> std::sync::MutexGuard<'static, ()> {
    static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

fn tauri_driver() -> String {
    if let Ok(p) = std::env::var("TAURI_DRIVER") {
        return p;
    }
    let home = std::env::var("HOME").unwrap_or_default();
    let cargo_bin = format!("{home}/.cargo/bin/tauri-driver");
    if std::path::Path::new(&cargo_bin).exists() {
        cargo_bin
    } else {
        "tauri-driver".to_string()
    }
}

impl Window {
    /// Starts the app on `desk`'s database and, when the desk is set up, signs in as the
    /// everyday staff account (created if needed), as a clerk does each morning.
    pub async fn open(desk: &Desk, lang: Option<&str>) -> Window {
        if !desk.is_set_up() {
            return Window::open_bare(desk, lang).await;
        }
        desk.account(super::STAFF, &super::STAFF_ROLES);
        // The CLI acts as the same clerk as the window.
        desk.login(super::STAFF, super::PASSWORD);
        let w = Window::open_bare(desk, lang).await;
        w.login(super::STAFF, super::PASSWORD).await;
        w
    }

    /// Signs in through the login screen and waits for the working screen.
    pub async fn login(&self, name: &str, password: &str) {
        self.wait_css("#login-name").await;
        self.fill("#login-name", name).await;
        self.fill("#login-password", password).await;
        self.click("#login-form-submit").await;
        self.wait_css("#who").await;
    }

    /// Replaces an input's text.
    pub async fn fill(&self, css: &str, text: &str) {
        let el = self.wait_css(css).await;
        el.clear()
            .await
            .unwrap_or_else(|e| panic!("clear {css}: {e}"));
        el.send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("typing into {css}: {e}"));
    }

    /// Calls a Tauri command from the page, as the window's own scripts do; returns
    /// `Ok(value)` or `Err(error object)`.
    pub async fn invoke(
        &self,
        command: &str,
        args: serde_json::Value,
    ) -> Result<serde_json::Value, serde_json::Value> {
        let script = "const [cmd, args, done] = arguments; \
            window.__TAURI__.core.invoke(cmd, args) \
              .then((v) => done({ ok: v === undefined ? null : v }), (e) => done({ err: e }));";
        let out = self
            .client
            .execute_async(script, vec![command.into(), args])
            .await
            .unwrap_or_else(|e| panic!("invoking {command}: {e}"));
        match out.get("ok") {
            Some(v) => Ok(v.clone()),
            None => Err(out.get("err").cloned().unwrap_or_default()),
        }
    }

    /// Starts the app on `desk`'s database and connects to its window, signed in as nobody.
    pub async fn open_bare(desk: &Desk, lang: Option<&str>) -> Window {
        Window::open_at_desk(desk, lang, Some("Quầy thử")).await
    }

    /// `open_bare` on a desk named `desk_name` from the environment, or (with `None`) one
    /// that has only what its data folder says, or the computer's name.
    pub async fn open_at_desk(desk: &Desk, lang: Option<&str>, desk_name: Option<&str>) -> Window {
        let display = Display::start();
        let port = free_port();
        let native_port = free_port();
        let mut cmd = Command::new(tauri_driver());
        // Its own process group, so that the driver, WebKitWebDriver and the app can be
        // stopped together whatever state a failed test left them in.
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .env("DISPLAY", &display.name)
        .env("MOTCUA_DB", &desk.db)
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .env("XDG_DATA_HOME", desk.dir.path().join("data"))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        match desk_name {
            Some(d) => cmd.env("MOTCUA_DESK", d),
            None => cmd.env_remove("MOTCUA_DESK"),
        };
        match lang {
            Some(l) => cmd.env("MOTCUA_LANG", l),
            None => cmd.env_remove("MOTCUA_LANG"),
        };
        let driver = cmd.spawn().unwrap_or_else(|e| {
            panic!("cannot start tauri-driver ({e}): run the test command, which installs it")
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not answer on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": BIN }),
        );
        // On a loaded machine the first session request can race WebKitWebDriver's start.
        let mut attempt = 0;
        let client = loop {
            attempt += 1;
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(e) if attempt < 4 => {
                    eprintln!("WebDriver session attempt {attempt}: {e}");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
                Err(e) => panic!("WebDriver session: {e}"),
            }
        };
        Window {
            client,
            driver: Some(driver),
            display,
        }
    }

    pub async fn wait_css(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    /// Waits up to ten seconds for no element to match `css`; whether none does.
    pub async fn wait_gone(&self, css: &str) -> bool {
        for _ in 0..100 {
            if self.client.find(Locator::Css(css)).await.is_err() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    }

    /// Waits until the element's text satisfies `pred`; returns the text.
    pub async fn wait_text(&self, css: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                // innerText: what is rendered, as a person reads it (WebKitWebDriver's own
                // element text comes back empty for some styled elements).
                if let Ok(Some(text)) = el.prop("innerText").await {
                    if pred(&text) {
                        return text;
                    }
                    if Instant::now() > deadline {
                        self.screenshot("failure").await;
                        // Like screenshots, the page source may never come from an idle page.
                        let html =
                            tokio::time::timeout(Duration::from_secs(10), self.client.source())
                                .await
                                .ok()
                                .and_then(Result::ok)
                                .unwrap_or_default();
                        panic!("{css} never matched; last text: {text:?}; page: {html}");
                    }
                }
            }
            if Instant::now() > deadline {
                self.screenshot("failure").await;
                panic!("{css} never appeared");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a screenshot under the test's target folder, for a person to look at.
    pub async fn screenshot(&self, name: &str) {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        // WebKitWebDriver answers a screenshot at the page's next paint, which an idle page
        // may never make (and a screenshot left waiting holds up every later command, for a
        // minute): a barely visible mark keeps changing for a few seconds, so a paint comes
        // after the request whenever it arrives. A picture for a person is still not worth
        // hanging the test run.
        let _ = tokio::time::timeout(
            Duration::from_secs(5),
            self.client.execute(
                "let m = document.getElementById('shot-mark'); \
                 if (!m) { m = document.createElement('div'); m.id = 'shot-mark'; \
                   m.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none;z-index:9999'; \
                   document.body.append(m); } \
                 clearInterval(window.__shotTimer); \
                 let n = 0; \
                 window.__shotTimer = setInterval(() => { \
                   m.style.background = n % 2 ? 'rgb(254, 255, 255)' : 'rgb(255, 255, 254)'; \
                   if (++n > 60) clearInterval(window.__shotTimer); }, 50);",
                vec![],
            ),
        )
        .await;
        if let Ok(Ok(png)) =
            tokio::time::timeout(Duration::from_secs(10), self.client.screenshot()).await
        {
            std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
        }
    }

    /// The window as its display shows it, the top-left `width`×`height`, saved as
    /// `layout-<what>.png` for a person to look at. WebKitWebDriver's own screenshot can wait
    /// forever for a paint at some sizes and then holds up every later command; the display's
    /// picture cannot.
    pub fn capture(&self, what: &str, width: u32, height: u32) {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        let _ = std::fs::create_dir_all(&dir);
        let _ = Command::new("import")
            .env("DISPLAY", &self.display.name)
            .args(["-window", "root", "-crop", &format!("{width}x{height}+0+0")])
            .arg(dir.join(format!("layout-{what}.png")))
            .status();
    }

    /// Types into whatever has the focus, as a person (or a keyboard-mode scanner) does.
    pub async fn type_keys(&self, text: &str) {
        self.client
            .active_element()
            .await
            .expect("an element has the focus")
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("typing {text:?}: {e}"));
    }

    /// Types `text` into whatever has the focus as a keyboard-mode scanner does: one burst,
    /// while no busy test runs (`support::quiet_for_a_scan`).
    pub async fn scan_keys(&self, text: &str) {
        let _quiet = super::quiet_for_a_scan().await;
        self.type_keys(text).await;
    }

    /// Opens the intake form (F2) and picks the birth registration (1.001193) from the
    /// keyboard, as a clerk starts most intakes; returns once the due date is shown.
    pub async fn start_birth_intake(&self) {
        let enter = fantoccini::key::Key::Enter.to_string();
        self.type_keys(&fantoccini::key::Key::F2.to_string()).await;
        self.wait_css("#intake-form").await;
        self.type_keys("khai sinh").await;
        self.wait_text("#procedure-options", |t| t.contains("1.001193"))
            .await;
        self.type_keys(&enter).await;
        self.wait_text("#due-at", |t| !t.is_empty()).await;
    }

    /// A whole birth intake from the keyboard (ID number, name, phone, no e-mail, address),
    /// saved with Ctrl+S without printing, then the dossier opened from the receipt's
    /// preview as the clerk moves on; returns its code.
    pub async fn register_birth_intake(&self) -> String {
        self.start_birth_intake().await;
        let enter = fantoccini::key::Key::Enter.to_string();
        for value in [
            "079203001234",
            "Trần Thị Bình",
            "0912345678",
            "",
            "Số 12, ấp Bình Hòa",
        ] {
            self.type_keys(&format!("{value}{enter}")).await;
        }
        self.chord(fantoccini::key::Key::Control, 's').await;
        let code = self.wait_text("#preview-code", |t| !t.is_empty()).await;
        self.click("#preview-show").await;
        self.wait_text("#detail-code", |t| t == code).await;
        code
    }

    /// A key pressed with a modifier held (Ctrl+Enter, Alt+F), through the actions API:
    /// modifiers in typed text are not honoured on every element.
    pub async fn chord(&self, modifier: fantoccini::key::Key, key: char) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down {
                value: modifier.into(),
            })
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key })
            .then(KeyAction::Up {
                value: modifier.into(),
            });
        self.client
            .perform_actions(actions)
            .await
            .unwrap_or_else(|e| panic!("pressing a chord: {e}"));
    }

    /// The `id` of the element that has the focus.
    pub async fn focused_id(&self) -> String {
        match self.client.active_element().await {
            Ok(el) => el.attr("id").await.ok().flatten().unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    pub async fn click(&self, css: &str) {
        let el = self.wait_css(css).await;
        // As a person scrolls a list to what they want: WebKitWebDriver does not scroll an
        // element into view inside a scrolling box that hangs from a sticky one (the dossier
        // panel's menu), and then cannot click it.
        let _ = self
            .client
            .execute(
                "arguments[0].scrollIntoView({ block: 'nearest' });",
                vec![serde_json::to_value(&el).unwrap_or_default()],
            )
            .await;
        if let Err(e) = el.click().await {
            self.screenshot("failure").await;
            panic!("click {css}: {e}");
        }
    }

    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .unwrap_or_else(|e| panic!("resize to {width}x{height}: {e}"));
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        self.stop_driver();
    }

    fn stop_driver(&mut self) {
        if let Some(mut driver) = self.driver.take() {
            // SIGTERM first: tauri-driver then stops WebKitWebDriver and the app cleanly.
            let group = format!("-{}", driver.id());
            let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = driver.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
            let _ = driver.wait();
        }
    }
}

/// A failed assertion must not leave the app and its drivers running.
impl Drop for Window {
    fn drop(&mut self) {
        self.stop_driver();
    }
}
