//! A dossier as stored and shown: who brought what, for which procedure, when it is due.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::agency::Agency;
use crate::calendar::TimeLimit;
use crate::status::Status;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Applicant {
    pub name: String,
    pub id_number: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub address: String,
}

/// The person at the counter, when it is not the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Submitter {
    pub name: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedDocument {
    pub name: String,
    #[serde(default)]
    pub originals: u32,
    #[serde(default)]
    pub copies: u32,
    /// Taken from a national database or the citizen's VNeID account instead of paper:
    /// neither an original nor a copy. Left out of the JSON when false, so the documents of
    /// dossiers received before the mark existed (and their state digests) read the same.
    #[serde(default, skip_serializing_if = "crate::procedure::is_false")]
    pub from_data: bool,
}

/// How the dossier reached the desk (Biểu 06 counts online apart from direct + postal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    #[default]
    Direct,
    Postal,
    Online,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Direct => "direct",
            Channel::Postal => "postal",
            Channel::Online => "online",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        match s {
            "direct" => Some(Channel::Direct),
            "postal" => Some(Channel::Postal),
            "online" => Some(Channel::Online),
            _ => None,
        }
    }
}

/// Return of the result by public postal service (QĐ 45/2016/QĐ-TTg).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PostalReturn {
    pub recipient: String,
    pub phone: String,
    #[serde(default)]
    pub email: String,
    pub address: String,
    #[serde(default)]
    pub commune: String,
    #[serde(default)]
    pub province: String,
    /// Amount the postman collects on delivery, in đồng.
    #[serde(default)]
    pub cod_amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum ReturnMethod {
    Desk,
    Post(PostalReturn),
}

/// The line of the register book (Sổ theo dõi hồ sơ): a book per year, lines running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterLine {
    pub year: i32,
    pub book: i64,
    pub line: i64,
}

/// The procedure as it was when the dossier was issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureRef {
    pub code: String,
    pub name: String,
    pub field: String,
    pub limit: TimeLimit,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dossier {
    pub code: String,
    #[serde(rename = "status_code")]
    pub status: Status,
    pub procedure: ProcedureRef,
    pub applicant: Applicant,
    pub submitter: Option<Submitter>,
    pub documents: Vec<ReceivedDocument>,
    pub sets: u32,
    pub channel: Channel,
    #[serde(rename = "return")]
    pub return_method: ReturnMethod,
    #[serde(with = "crate::vntime::serde_vn")]
    pub received_at: DateTime<Utc>,
    #[serde(with = "crate::vntime::serde_vn")]
    pub due_at: DateTime<Utc>,
    pub fee_vnd: Option<i64>,
    pub fee_text: String,
    pub note: String,
    pub register: RegisterLine,
    pub desk: String,
    /// The agency as printed on this dossier's slips.
    pub issuer: Agency,
    /// The competent authority that decides the dossier when it is not the receiving
    /// office (any-desk intake); empty when the office decides itself.
    #[serde(default)]
    pub authority: String,
    /// Bumped by every change: two desks editing at once cannot both win.
    pub version: i64,
}

impl Dossier {
    /// The agency that decides the dossier, as the control slip and the stop notice name it:
    /// the competent authority an any-desk dossier names, else the governing body of the
    /// office that received it.
    pub fn handling_agency(&self) -> String {
        if !self.authority.trim().is_empty() {
            return self.authority.trim().to_string();
        }
        let body = self.issuer.governing_body.trim();
        if body.is_empty() {
            self.issuer.unit.trim().to_string()
        } else {
            body.to_string()
        }
    }
}

/// One line of a list or search result: enough to show and open a dossier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DossierSummary {
    pub code: String,
    #[serde(rename = "status_code")]
    pub status: Status,
    pub procedure_code: String,
    pub procedure_name: String,
    pub applicant_name: String,
    pub applicant_id_number: String,
    pub applicant_phone: String,
    #[serde(with = "crate::vntime::serde_vn")]
    pub received_at: DateTime<Utc>,
    #[serde(with = "crate::vntime::serde_vn")]
    pub due_at: DateTime<Utc>,
    /// The competent authority when it is not the receiving office.
    pub authority: String,
}
