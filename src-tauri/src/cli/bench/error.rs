//! What stops a benchmark: an error of the core (a store that would not open, a chain that
//! broke) or a step of the benchmark's own that could not run (a helper program failed, no
//! display). Its text is in the core's language tables (`error.bench`).

use motcua_core::i18n::{tf, Lang, Localized};
use motcua_core::CoreError;

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error("{}", tf(Lang::Vi, "error.bench", &[("detail", .0)]))]
    Step(String),
}

impl Localized for BenchError {
    fn kind(&self) -> &'static str {
        match self {
            BenchError::Core(e) => e.kind(),
            BenchError::Step(_) => "bench",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            BenchError::Core(e) => e.message(lang),
            BenchError::Step(detail) => tf(lang, "error.bench", &[("detail", detail)]),
        }
    }
}

/// The raw-insert probe and the temporary databases talk to sqlx directly; its errors are
/// sorted as the core sorts them.
impl From<sqlx::Error> for BenchError {
    fn from(e: sqlx::Error) -> Self {
        BenchError::Core(e.into())
    }
}
