//! What the chains say a record looks like now: the digest of a dossier's state (its row,
//! hand-over, pauses and transfers) carried by each of its events, and of an account,
//! setting, procedure or calendar notice carried by the record log. Row ids never enter a
//! digest: a move between databases gives new ones. Columns that triggers derive (the
//! report's moments, the change counters) stay out too; they follow from what is covered.

use std::collections::HashMap;

use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Row, Transaction};

use crate::audit::{state_hash, Cell, Record, StateGroups};
use crate::error::CoreResult;

/// The groups of a dossier's digest, in hashing order; a mismatch names them. The last,
/// `authority` (migration 0010), enters only when set: the digests of dossiers recorded
/// before it existed stay true.
pub(super) const DOSSIER_GROUPS: [&str; 22] = [
    "code",
    "status",
    "procedure",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "submitter",
    "documents",
    "channel",
    "fee",
    "note",
    "received_at",
    "due_at",
    "register",
    "issuer",
    "version",
    "handover",
    "pauses",
    "transfers",
    "authority",
];

/// The dossier columns a digest covers (with `id` to find its children).
const DOSSIER_COLUMNS: &str = "id, code, agency_code, day, seq, request_id, status_code, procedure_code, \
    procedure_json, applicant_name, applicant_id_number, applicant_phone, applicant_email, applicant_address, \
    submitter_json, documents_json, sets, channel, return_json, received_at, due_at, fee_vnd, fee_text, note, \
    register_year, register_book, register_line, desk, issuer_json, version, updated_at, authority";

/// A dossier's state as stored: built by intake and bulk loading from what they write, and
/// read back from the database for every other change and for `audit verify`.
#[derive(Debug, Clone)]
pub(super) struct DossierState {
    pub code: String,
    pub agency_code: String,
    pub day: String,
    pub seq: i64,
    pub request_id: Option<String>,
    pub status: i64,
    pub procedure_code: String,
    pub procedure_json: String,
    pub applicant_name: String,
    pub applicant_id_number: String,
    pub applicant_phone: String,
    pub applicant_email: String,
    pub applicant_address: String,
    pub submitter_json: Option<String>,
    pub documents_json: String,
    pub sets: i64,
    pub channel: String,
    pub return_json: String,
    pub received_at: i64,
    pub due_at: i64,
    pub fee_vnd: Option<i64>,
    pub fee_text: String,
    pub note: String,
    pub register: [i64; 3],
    pub desk: String,
    pub issuer_json: String,
    pub version: i64,
    pub updated_at: i64,
    /// The competent authority when it is not the receiving office; empty otherwise.
    pub authority: String,
    pub handover: Option<HandoverState>,
    /// (status, started, ended) in time order.
    pub pauses: Vec<(i64, i64, Option<i64>)>,
    pub transfers: Vec<TransferState>,
}

#[derive(Debug, Clone)]
pub(super) struct HandoverState {
    pub method: String,
    pub receiver_name: String,
    pub receiver_id: String,
    pub is_applicant: i64,
    pub authorisation: String,
    pub tracking: String,
    pub at: i64,
    pub clerk: String,
    pub rating: Option<i64>,
    pub delivery_status: Option<String>,
    pub delivery_at: Option<i64>,
}

/// One row of the dossier's control slip: the batch it went with and its move.
#[derive(Debug, Clone)]
pub(super) struct TransferState {
    pub direction: String,
    pub at: i64,
    pub unit: String,
    pub giver: String,
    pub receiver: String,
    pub note: String,
    pub clerk: String,
    pub from_status: i64,
    pub to_status: i64,
    pub list_order: i64,
}

fn opt_text(v: &Option<String>) -> Cell<'_> {
    v.as_deref().map_or(Cell::Null, Cell::Text)
}

fn t(s: &str) -> Cell<'_> {
    Cell::Text(s)
}

impl DossierState {
    fn groups(&self) -> StateGroups<'_> {
        let handover = match &self.handover {
            None => vec![Cell::Null],
            Some(h) => vec![
                t(&h.method),
                t(&h.receiver_name),
                t(&h.receiver_id),
                Cell::Int(h.is_applicant),
                t(&h.authorisation),
                t(&h.tracking),
                Cell::Int(h.at),
                t(&h.clerk),
                Cell::from(h.rating),
                opt_text(&h.delivery_status),
                Cell::from(h.delivery_at),
            ],
        };
        let mut pauses = vec![Cell::Int(self.pauses.len() as i64)];
        for (status, start, end) in &self.pauses {
            pauses.extend([Cell::Int(*status), Cell::Int(*start), Cell::from(*end)]);
        }
        let mut transfers = vec![Cell::Int(self.transfers.len() as i64)];
        for x in &self.transfers {
            transfers.extend([
                t(&x.direction),
                Cell::Int(x.at),
                t(&x.unit),
                t(&x.giver),
                t(&x.receiver),
                t(&x.note),
                t(&x.clerk),
                Cell::Int(x.from_status),
                Cell::Int(x.to_status),
                Cell::Int(x.list_order),
            ]);
        }
        let cells: [Vec<Cell<'_>>; 21] = [
            vec![
                t(&self.code),
                t(&self.agency_code),
                t(&self.day),
                Cell::Int(self.seq),
                opt_text(&self.request_id),
            ],
            vec![Cell::Int(self.status)],
            vec![t(&self.procedure_code), t(&self.procedure_json)],
            vec![t(&self.applicant_name)],
            vec![t(&self.applicant_id_number)],
            vec![t(&self.applicant_phone)],
            vec![t(&self.applicant_email)],
            vec![t(&self.applicant_address)],
            vec![opt_text(&self.submitter_json)],
            vec![t(&self.documents_json), Cell::Int(self.sets)],
            vec![t(&self.channel), t(&self.return_json)],
            vec![Cell::from(self.fee_vnd), t(&self.fee_text)],
            vec![t(&self.note)],
            vec![Cell::Int(self.received_at)],
            vec![Cell::Int(self.due_at)],
            self.register.iter().map(|v| Cell::Int(*v)).collect(),
            vec![t(&self.desk), t(&self.issuer_json)],
            vec![Cell::Int(self.version), Cell::Int(self.updated_at)],
            handover,
            pauses,
            transfers,
        ];
        let mut groups: StateGroups<'_> = DOSSIER_GROUPS.iter().copied().zip(cells).collect();
        if !self.authority.is_empty() {
            groups.push(("authority", vec![t(&self.authority)]));
        }
        groups
    }

    /// The digest an event after this state carries.
    pub fn hash(&self) -> String {
        state_hash(&self.groups())
    }

    fn from_row(row: &AnyRow) -> CoreResult<DossierState> {
        Ok(DossierState {
            code: row.try_get("code")?,
            agency_code: row.try_get("agency_code")?,
            day: row.try_get("day")?,
            seq: row.try_get("seq")?,
            request_id: row.try_get("request_id")?,
            status: row.try_get("status_code")?,
            procedure_code: row.try_get("procedure_code")?,
            procedure_json: row.try_get("procedure_json")?,
            applicant_name: row.try_get("applicant_name")?,
            applicant_id_number: row.try_get("applicant_id_number")?,
            applicant_phone: row.try_get("applicant_phone")?,
            applicant_email: row.try_get("applicant_email")?,
            applicant_address: row.try_get("applicant_address")?,
            submitter_json: row.try_get("submitter_json")?,
            documents_json: row.try_get("documents_json")?,
            sets: row.try_get("sets")?,
            channel: row.try_get("channel")?,
            return_json: row.try_get("return_json")?,
            received_at: row.try_get("received_at")?,
            due_at: row.try_get("due_at")?,
            fee_vnd: row.try_get("fee_vnd")?,
            fee_text: row.try_get("fee_text")?,
            note: row.try_get("note")?,
            register: [
                row.try_get("register_year")?,
                row.try_get("register_book")?,
                row.try_get("register_line")?,
            ],
            desk: row.try_get("desk")?,
            issuer_json: row.try_get("issuer_json")?,
            version: row.try_get("version")?,
            updated_at: row.try_get("updated_at")?,
            authority: row.try_get("authority")?,
            handover: None,
            pauses: Vec::new(),
            transfers: Vec::new(),
        })
    }
}

/// The dossiers with `after < id`, at most `limit` of them in id order, with their children:
/// (id, state).
pub(super) async fn dossier_states(
    conn: &mut AnyConnection,
    after: i64,
    limit: i64,
) -> CoreResult<Vec<(i64, DossierState)>> {
    let rows = sqlx::query(&format!(
        "SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE id > $1 ORDER BY id LIMIT $2"
    ))
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut states: Vec<(i64, DossierState)> = Vec::with_capacity(rows.len());
    for row in &rows {
        states.push((row.try_get("id")?, DossierState::from_row(row)?));
    }
    let Some(upto) = states.last().map(|(id, _)| *id) else {
        return Ok(states);
    };
    let index: HashMap<i64, usize> = states
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i))
        .collect();
    let handovers = sqlx::query(
        "SELECT dossier_id, method, receiver_name, receiver_id, is_applicant, authorisation, tracking, at, \
         clerk, rating, delivery_status, delivery_at FROM handovers WHERE dossier_id > $1 AND dossier_id <= $2",
    )
    .bind(after)
    .bind(upto)
    .fetch_all(&mut *conn)
    .await?;
    for h in &handovers {
        let Some(&i) = index.get(&h.try_get::<i64, _>("dossier_id")?) else {
            continue;
        };
        states[i].1.handover = Some(HandoverState {
            method: h.try_get("method")?,
            receiver_name: h.try_get("receiver_name")?,
            receiver_id: h.try_get("receiver_id")?,
            is_applicant: h.try_get("is_applicant")?,
            authorisation: h.try_get("authorisation")?,
            tracking: h.try_get("tracking")?,
            at: h.try_get("at")?,
            clerk: h.try_get("clerk")?,
            rating: h.try_get("rating")?,
            delivery_status: h.try_get("delivery_status")?,
            delivery_at: h.try_get("delivery_at")?,
        });
    }
    let pauses = sqlx::query(
        "SELECT dossier_id, status_code, started_at, ended_at FROM pauses \
         WHERE dossier_id > $1 AND dossier_id <= $2 ORDER BY dossier_id, started_at, id",
    )
    .bind(after)
    .bind(upto)
    .fetch_all(&mut *conn)
    .await?;
    for p in &pauses {
        if let Some(&i) = index.get(&p.try_get::<i64, _>("dossier_id")?) {
            states[i].1.pauses.push((
                p.try_get("status_code")?,
                p.try_get("started_at")?,
                p.try_get("ended_at")?,
            ));
        }
    }
    let transfers = sqlx::query(
        "SELECT t.dossier_id, b.direction, b.at, b.unit, b.giver, b.receiver, b.note, b.clerk, \
         t.from_status, t.to_status, t.list_order FROM transfers t JOIN transfer_batches b ON b.id = t.batch_id \
         WHERE t.dossier_id > $1 AND t.dossier_id <= $2 ORDER BY t.dossier_id, b.at, b.id",
    )
    .bind(after)
    .bind(upto)
    .fetch_all(&mut *conn)
    .await?;
    for x in &transfers {
        if let Some(&i) = index.get(&x.try_get::<i64, _>("dossier_id")?) {
            states[i].1.transfers.push(TransferState {
                direction: x.try_get("direction")?,
                at: x.try_get("at")?,
                unit: x.try_get("unit")?,
                giver: x.try_get("giver")?,
                receiver: x.try_get("receiver")?,
                note: x.try_get("note")?,
                clerk: x.try_get("clerk")?,
                from_status: x.try_get("from_status")?,
                to_status: x.try_get("to_status")?,
                list_order: x.try_get("list_order")?,
            });
        }
    }
    Ok(states)
}

/// Dossier `id` as it stands inside `tx`: its digest is what an event appended now
/// carries, and the outbox's messages are made from it.
pub(super) async fn dossier_state(
    tx: &mut Transaction<'_, Any>,
    id: i64,
) -> CoreResult<Option<DossierState>> {
    let states = dossier_states(tx, id - 1, 1).await?;
    Ok(states
        .into_iter()
        .next()
        .filter(|(found, _)| *found == id)
        .map(|(_, state)| state))
}

/// How a column of a logged record is read.
#[derive(Clone, Copy)]
enum Kind {
    Int,
    Text,
    /// A column added after records were logged: covered only when not zero, so the
    /// digests of rows that never used it stay true.
    IntIfSet,
}

/// A logged record's table: its key column and the groups of its digest (one column each).
struct Spec {
    table: &'static str,
    key: &'static str,
    columns: &'static [(&'static str, Kind)],
    /// Rows that are not covered: the change counters the triggers bump.
    skip: &'static str,
}

/// The table of a logged record; `None` for a dossier, whose state `DossierState` reads.
fn spec(record: Record) -> Option<Spec> {
    use Kind::{Int, IntIfSet, Text};
    Some(match record {
        Record::Dossier => return None,
        Record::Account => Spec {
            table: "accounts",
            key: "name",
            columns: &[
                ("display_name", Text),
                ("roles", Text),
                ("password_hash", Text),
                ("disabled", Int),
                ("created_at", Int),
                ("updated_at", Int),
            ],
            skip: "",
        },
        Record::Setting => Spec {
            table: "settings",
            key: "key",
            columns: &[("value", Text)],
            skip: " WHERE key NOT IN ('internal.settings-version', 'internal.calendar-version', 'internal.catalog-version')",
        },
        Record::Procedure => Spec {
            table: "procedures",
            key: "code",
            columns: &[
                ("name", Text),
                ("search_key", Text),
                ("field", Text),
                ("limit_json", Text),
                ("pause_policy", Text),
                ("fee_text", Text),
                ("documents_json", Text),
                ("active", Int),
                ("sort_order", Int),
                ("any_desk", IntIfSet),
            ],
            skip: "",
        },
        Record::Notice => Spec {
            table: "calendar_notices",
            key: "day",
            columns: &[("kind", Text), ("reason", Text), ("reference", Text)],
            skip: "",
        },
    })
}

/// The groups a mismatch of `record` can name, in hashing order.
pub(super) fn record_groups(record: Record) -> Vec<&'static str> {
    match spec(record) {
        None => DOSSIER_GROUPS.to_vec(),
        Some(spec) => spec.columns.iter().map(|(c, _)| *c).collect(),
    }
}

enum Owned {
    Int(i64),
    Text(String),
}

fn row_hash(spec: &Spec, row: &AnyRow) -> CoreResult<String> {
    let mut values = Vec::with_capacity(spec.columns.len());
    for (column, kind) in spec.columns {
        values.push(match kind {
            Kind::Int => Some(Owned::Int(row.try_get(*column)?)),
            Kind::Text => Some(Owned::Text(row.try_get(*column)?)),
            Kind::IntIfSet => match row.try_get::<i64, _>(*column)? {
                0 => None,
                v => Some(Owned::Int(v)),
            },
        });
    }
    let groups: StateGroups<'_> = spec
        .columns
        .iter()
        .zip(&values)
        .filter_map(|(column, v)| Some((column, v.as_ref()?)))
        .map(|((column, _), v)| {
            let cell = match v {
                Owned::Int(i) => Cell::Int(*i),
                Owned::Text(s) => Cell::Text(s),
            };
            (*column, vec![cell])
        })
        .collect();
    Ok(state_hash(&groups))
}

fn select_sql(spec: &Spec, one: bool) -> String {
    let columns: Vec<&str> = spec.columns.iter().map(|(c, _)| *c).collect();
    let filter = if one {
        format!(
            "{} {} = $1",
            if spec.skip.is_empty() {
                " WHERE"
            } else {
                " AND"
            },
            spec.key
        )
    } else {
        String::new()
    };
    format!(
        "SELECT {} AS record_key, {} FROM {}{}{filter}",
        spec.key,
        columns.join(", "),
        spec.table,
        spec.skip
    )
}

/// Every covered row of `record`'s table: key → digest (none for dossiers, read by
/// `dossier_states`).
pub(super) async fn record_hashes(
    conn: &mut AnyConnection,
    record: Record,
) -> CoreResult<Vec<(String, String)>> {
    let Some(spec) = spec(record) else {
        return Ok(Vec::new());
    };
    let rows = sqlx::query(&select_sql(&spec, false))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("record_key")?, row_hash(&spec, row)?)))
        .collect()
}

/// The digest of one row as it stands inside `conn` (empty when it does not exist or is
/// not covered).
pub(super) async fn record_hash(
    conn: &mut AnyConnection,
    record: Record,
    key: &str,
) -> CoreResult<String> {
    let Some(spec) = spec(record) else {
        return Ok(String::new());
    };
    let row = sqlx::query(&select_sql(&spec, true))
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref()
        .map_or(Ok(String::new()), |row| row_hash(&spec, row))
}
