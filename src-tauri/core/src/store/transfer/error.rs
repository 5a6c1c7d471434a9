//! Why one database cannot be moved into another: dossier codes both already hold.

use crate::i18n::{display_in_vietnamese, tf, Lang, Localized};

#[derive(Debug)]
pub enum ImportError {
    /// `codes` lists the first clashes; `total` counts them all.
    Conflict { codes: Vec<String>, total: usize },
}

impl std::error::Error for ImportError {}
display_in_vietnamese!(ImportError);

impl Localized for ImportError {
    fn kind(&self) -> &'static str {
        "transfer_conflict"
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            ImportError::Conflict { codes, total } => {
                let mut list = codes.join(", ");
                if *total > codes.len() {
                    list.push_str(&tf(
                        lang,
                        "error.and_more",
                        &[("n", &(total - codes.len()).to_string())],
                    ));
                }
                tf(
                    lang,
                    "error.transfer_conflict",
                    &[("n", &total.to_string()), ("codes", &list)],
                )
            }
        }
    }
}
