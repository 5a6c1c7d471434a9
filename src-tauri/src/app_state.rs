//! What every window command can reach (`AppState`): the store, the signed-in session, the
//! language, the files the window wrote. Apart from `gui.rs` so the commands need not import
//! the module that registers them.

use std::sync::RwLock;

use motcua_core::i18n::Lang;
use motcua_core::session::{Guard, Session};
use motcua_core::store::{Actor, Store};

use crate::context::Global;

/// What every command can reach. The store is `None` when the database could not be
/// opened: the window still starts and says why.
pub struct AppState {
    pub store: Option<Store>,
    pub open_error: Option<String>,
    pub global: Global,
    pub lang: RwLock<Lang>,
    /// Who is signed in at this desk; every command but the login screen's asks it first.
    pub guard: Guard,
    /// Files the window wrote where the clerk chose (exports): the only files outside the
    /// archive and the export folder it may ask the system to open.
    pub written: std::sync::Mutex<Vec<std::path::PathBuf>>,
}

impl AppState {
    pub async fn open(global: Global) -> AppState {
        let lang = global.lang();
        let opened = match crate::context::check_desk_config(&global) {
            Ok(()) => Store::open(&global.database()).await,
            Err(e) => Err(e),
        };
        match opened {
            Ok(store) => {
                // --lang / MOTCUA_LANG win; otherwise the language this desk last chose.
                let lang = match global.lang {
                    Some(lang) => lang,
                    None => store.language(&global.desk_name()).await.unwrap_or(lang),
                };
                AppState {
                    store: Some(store),
                    open_error: None,
                    guard: Guard::new(global.desk_name()),
                    written: Default::default(),
                    global,
                    lang: RwLock::new(lang),
                }
            }
            Err(e) => AppState {
                store: None,
                open_error: Some(e.message(lang)),
                guard: Guard::new(global.desk_name()),
                written: Default::default(),
                global,
                lang: RwLock::new(lang),
            },
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang.read().map(|l| *l).unwrap_or_default()
    }

    pub fn remember_written(&self, path: &std::path::Path) {
        if let (Ok(path), Ok(mut written)) = (path.canonicalize(), self.written.lock()) {
            written.push(path);
        }
    }

    /// Whether the window may open `path`: a paper it archived, an export in the export
    /// folder, or a file it wrote itself in this session.
    pub fn may_open(&self, path: &std::path::Path) -> bool {
        let Ok(path) = path.canonicalize() else {
            return false;
        };
        let under =
            |root: std::path::PathBuf| root.canonicalize().is_ok_and(|r| path.starts_with(r));
        under(crate::context::archive_root(&self.global))
            || under(crate::context::export_dir())
            || self.written.lock().is_ok_and(|w| w.contains(&path))
    }

    /// The actor recorded on what `session` does at this desk.
    pub fn actor(&self, session: &Session) -> Actor {
        session.actor(&self.global.desk_name())
    }

    pub fn set_lang(&self, lang: Lang) {
        if let Ok(mut current) = self.lang.write() {
            *current = lang;
        }
    }
}
