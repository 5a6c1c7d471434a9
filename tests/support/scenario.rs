//! The set-up most desk tests begin with, written once: a desk with its agency, the clerks it
//! needs, the one the command line acts as, and the dossiers already registered.

use super::{birth, Desk, PASSWORD};

/// A desk being set up for a test, step by step; `desk` and `codes` are what the test uses.
pub struct Scenario {
    pub desk: Desk,
    /// The dossiers registered through `dossier`/`dossier_today`, in that order.
    pub codes: Vec<String>,
}

impl Scenario {
    /// A new desk with the agency set up (`SETUP`).
    pub fn new() -> Scenario {
        Scenario {
            desk: Desk::ready(),
            codes: Vec::new(),
        }
    }

    /// An account holding `roles` (the desk's administrator is made first when needed).
    pub fn clerk(self, name: &str, roles: &[&str]) -> Scenario {
        self.desk.account(name, roles);
        self
    }

    /// The command line acts as `name` from now on.
    pub fn signed_in(self, name: &str) -> Scenario {
        self.desk.login(name, PASSWORD);
        self
    }

    /// Registers `request` through `motcua intake`.
    pub fn dossier(mut self, request: &serde_json::Value) -> Scenario {
        let code = self.desk.intake(request)["code"]
            .as_str()
            .unwrap()
            .to_string();
        self.codes.push(code);
        self
    }

    /// Registers a birth registration for `name` received now, so it is on today's list.
    pub fn dossier_today(self, name: &str) -> Scenario {
        self.dossier(&birth_today(name))
    }

    /// The first dossier's code.
    pub fn code(&self) -> String {
        self.codes[0].clone()
    }
}

/// `birth` without a reception time: the desk stamps it when it registers the dossier.
pub fn birth_today(name: &str) -> serde_json::Value {
    let mut request = birth(name, "");
    request.as_object_mut().unwrap().remove("received_at");
    request
}
