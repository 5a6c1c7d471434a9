//! Registering a dossier handed in at the desk. Durability is paid per transaction, so
//! everything else is kept to few round trips to the database: the settings kept between
//! intakes and checked by their version counter inside the transaction (starting again with
//! fresh ones when another desk changed them), the catalog and the calendar kept while their
//! own counters stand still, the chain's head, the numbers and the new id in one statement,
//! the dossier with its search terms, its hash-chained "created" event and the chain's new
//! head in another, and the dossier returned from what was written rather
//! than read back.

use chrono::{DateTime, Datelike, Utc};
use sqlx::Row;

use super::events::EventRow;
use super::outbox;
use super::rows::{self, DOSSIER_COLUMNS};
use super::settings::IntakeSettings;
use super::state::DossierState;
use super::{Actor, Backend, Store};
use crate::calendar::due_at;
use crate::dossier::{Dossier, ProcedureRef, RegisterLine};
use crate::error::{CoreError, CoreResult};
use crate::intake::{validate, IntakeRequest};
use crate::numbering::{day_part, format_code};
use crate::outbox::OutboxEvent;
use crate::status::Status;
use crate::text::{fold, suffix_terms};
use crate::vntime::{self, to_millis, vn_date};

fn to_json<T: serde::Serialize>(value: &T) -> CoreResult<String> {
    serde_json::to_string(value).map_err(|e| CoreError::Json(e.to_string()))
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => db.is_unique_violation(),
        _ => false,
    }
}

/// The events chain's head, the day's next number (max(last + 1, first number)), the year's
/// next register line, the settings' version and the new dossier's id. The head comes first,
/// as in every transaction that appends an event (`store/audit.rs`): on SQLite it takes the
/// write lock at once, so concurrent desks queue here instead of failing on a stale read
/// snapshot; on PostgreSQL the counters are written from its row, so after its lock. SQLite
/// runs the statements in one call; PostgreSQL runs one statement. The id is taken here, under
/// the lock, because the event's hash covers it and is computed before the dossier is written.
const NUMBERS_SQLITE: &str = "UPDATE audit_head SET entries = entries + 1 WHERE chain = 'events' \
    RETURNING last_hash AS prev_hash; \
    INSERT INTO day_counters (agency_code, day, last_seq) VALUES ($1, $2, $3) \
    ON CONFLICT (agency_code, day) DO UPDATE SET last_seq = MAX(day_counters.last_seq + 1, excluded.last_seq) \
    RETURNING last_seq AS n1, 0 AS n2; \
    INSERT INTO register_counters (year, book, last_line) VALUES ($4, 1, 1) \
    ON CONFLICT (year) DO UPDATE SET last_line = register_counters.last_line + 1 \
    RETURNING book AS n1, last_line AS n2; \
    SELECT (SELECT value FROM settings WHERE key = 'internal.settings-version') AS version, \
    MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'dossiers'), 0), \
        COALESCE((SELECT MAX(id) FROM dossiers), 0)) + 1 AS id";
const NUMBERS_POSTGRES: &str = "WITH h AS (UPDATE audit_head SET entries = entries + 1 WHERE chain = 'events' \
    RETURNING last_hash), \
    d AS (INSERT INTO day_counters (agency_code, day, last_seq) SELECT $1, $2, $3 FROM h \
    ON CONFLICT (agency_code, day) DO UPDATE SET last_seq = GREATEST(day_counters.last_seq + 1, excluded.last_seq) \
    RETURNING last_seq), \
    r AS (INSERT INTO register_counters (year, book, last_line) SELECT $4, 1, 1 FROM h \
    ON CONFLICT (year) DO UPDATE SET last_line = register_counters.last_line + 1 RETURNING book, last_line) \
    SELECT h.last_hash AS prev_hash, d.last_seq AS seq, r.book AS book, r.last_line AS line, \
    (SELECT value FROM settings WHERE key = 'internal.settings-version') AS version, \
    nextval(pg_get_serial_sequence('dossiers', 'id')) AS id FROM h, d, r";

const DOSSIER_INSERT: &str = "INSERT INTO dossiers (id, code, agency_code, day, seq, request_id, status_code, \
    procedure_code, procedure_json, applicant_name, applicant_id_number, applicant_phone, applicant_email, \
    applicant_address, submitter_json, documents_json, sets, channel, return_json, received_at, due_at, fee_vnd, \
    fee_text, note, register_year, register_book, register_line, desk, issuer_json, version, updated_at, authority) \
    VALUES ($35, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, \
    $23, $24, $25, $26, $27, $28, 1, $29, $30)";
/// Parameters after the dossier's 30: the event's time, actor, data and status, the dossier's
/// id, the event's previous and own hash and the dossier's state digest, the outbox
/// message's facts and personal fields (`store/outbox.rs`), then the terms.
const EVENT_PARAMS: usize = 30;
const OUTBOX_BODY: usize = EVENT_PARAMS + 9;
const OUTBOX_PERSONAL: usize = EVENT_PARAMS + 10;
const FIRST_TERM: usize = EVENT_PARAMS + 11;

/// The dossier, its "created" event (as `events::append` writes one, linked to the chain),
/// the chain's new head, the search terms and the outbox's messages (none without a
/// destination).
fn writes_sql(backend: Backend, terms: usize) -> String {
    let term_values: Vec<String> = (0..terms)
        .map(|i| format!("(${})", FIRST_TERM + i))
        .collect();
    let (at, actor, data, status, id, prev, hash, state) = (
        EVENT_PARAMS + 1,
        EVENT_PARAMS + 2,
        EVENT_PARAMS + 3,
        EVENT_PARAMS + 4,
        EVENT_PARAMS + 5,
        EVENT_PARAMS + 6,
        EVENT_PARAMS + 7,
        EVENT_PARAMS + 8,
    );
    match backend {
        Backend::Sqlite => {
            let mut sql = format!(
                "{DOSSIER_INSERT}; \
                 INSERT INTO events (dossier_id, at, actor, kind, from_status, to_status, note, data_json, prev_hash, hash, state_hash) \
                 VALUES (${id}, ${at}, ${actor}, 'created', NULL, ${status}, '', ${data}, ${prev}, ${hash}, ${state}); \
                 UPDATE audit_head SET last_hash = ${hash} WHERE chain = 'events'; {}",
                outbox::intake_sql(backend, 1, at, OUTBOX_BODY, OUTBOX_PERSONAL)
            );
            if terms > 0 {
                sql.push_str(&format!(
                    " INSERT INTO dossier_terms (term, dossier_id) \
                     SELECT column1, ${id} FROM (VALUES {}) \
                     WHERE true ON CONFLICT DO NOTHING;",
                    term_values.join(", ")
                ));
            }
            sql
        }
        Backend::Postgres => {
            let terms_cte = if terms > 0 {
                format!(
                    ", t AS (INSERT INTO dossier_terms (term, dossier_id) \
                     SELECT v.term, d.id FROM d, (VALUES {}) AS v(term) ON CONFLICT DO NOTHING)",
                    term_values.join(", ")
                )
            } else {
                String::new()
            };
            format!(
                "WITH d AS ({DOSSIER_INSERT} RETURNING id), \
                 e AS (INSERT INTO events (dossier_id, at, actor, kind, from_status, to_status, note, data_json, prev_hash, hash, state_hash) \
                 SELECT d.id, ${at}, ${actor}, 'created', NULL, ${status}, '', ${data}, ${prev}, ${hash}, ${state} FROM d), \
                 h AS (UPDATE audit_head SET last_hash = ${hash} WHERE chain = 'events'){terms_cte}, {} \
                 SELECT id FROM d",
                outbox::intake_sql(backend, 1, at, OUTBOX_BODY, OUTBOX_PERSONAL)
            )
        }
    }
}

impl Store {
    /// Registers a dossier handed in at the desk: validates everything, then numbers and
    /// stores it with its "created" event in one transaction. A repeated `request_id`
    /// returns the dossier the first request made.
    pub async fn intake(&self, req: &IntakeRequest, actor: &Actor) -> CoreResult<Dossier> {
        self.intake_at(req, actor, vntime::now()).await
    }

    /// `intake` with an explicit "now" (the default reception time), for tests and imports.
    pub async fn intake_at(
        &self,
        req: &IntakeRequest,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> CoreResult<Dossier> {
        let cached = self
            .settings_cache
            .lock()
            .ok()
            .and_then(|cache| cache.clone());
        if let Some(settings) = cached {
            // A refusal may come from a stale catalog (a procedure another desk has just
            // added): it is decided again on fresh settings, like a change of version.
            if let Ok(Some(dossier)) = self.register(req, actor, now, &settings, true).await {
                return Ok(dossier);
            }
        }
        // First intake, the settings changed, or a refusal: read them, as every intake once did.
        let settings = self.intake_settings().await?;
        if let Ok(mut cache) = self.settings_cache.lock() {
            *cache = settings.version.is_some().then(|| settings.clone());
        }
        match self.register(req, actor, now, &settings, false).await? {
            Some(dossier) => Ok(dossier),
            None => Err(CoreError::Json("settings version".into())),
        }
    }

    /// One attempt. With `check`, `None` when the settings changed since they were read: the
    /// transaction is rolled back and nothing is written.
    async fn register(
        &self,
        req: &IntakeRequest,
        actor: &Actor,
        now: DateTime<Utc>,
        settings: &IntakeSettings,
        check: bool,
    ) -> CoreResult<Option<Dossier>> {
        let agency = settings.agency.clone();
        let procedure = self
            .procedure_at(settings.catalog_version.as_deref(), &req.procedure)
            .await?;
        let valid = validate(req, procedure, &settings.authorities, now)?;
        if let Some(existing) = self.by_request_id(valid.request_id.as_deref()).await? {
            return Ok(Some(existing));
        }
        let calendar = self
            .calendar_at(settings.calendar_version.as_deref(), settings.rules.clone())
            .await?;
        let due = due_at(
            &calendar,
            &settings.hours,
            valid.procedure.limit,
            valid.received_at,
        );

        let day = vn_date(valid.received_at);
        let day_key = day_part(day);
        let year = i64::from(day.year());
        let procedure_ref = ProcedureRef {
            code: valid.procedure.code.clone(),
            name: valid.procedure.name.clone(),
            field: valid.procedure.field.clone(),
            limit: valid.procedure.limit,
        };
        let fee_text = valid.procedure.fee_text.clone();
        let terms = suffix_terms(&fold(&valid.applicant.name));

        let mut tx = self.pool.begin().await?;
        let numbers = sqlx::query(match self.backend {
            Backend::Sqlite => NUMBERS_SQLITE,
            Backend::Postgres => NUMBERS_POSTGRES,
        })
        .bind(agency.code.as_str())
        .bind(&day_key)
        .bind(settings.first_number)
        .bind(year)
        .fetch_all(&mut *tx)
        .await?;
        let (prev_hash, seq, book, line, version, id): (
            String,
            i64,
            i64,
            i64,
            Option<String>,
            i64,
        ) = match (self.backend, numbers.as_slice()) {
            (Backend::Sqlite, [head, day_row, register_row, last]) => (
                head.try_get("prev_hash")?,
                day_row.try_get("n1")?,
                register_row.try_get("n1")?,
                register_row.try_get("n2")?,
                last.try_get("version")?,
                last.try_get("id")?,
            ),
            (Backend::Postgres, [row]) => (
                row.try_get("prev_hash")?,
                row.try_get("seq")?,
                row.try_get("book")?,
                row.try_get("line")?,
                row.try_get("version")?,
                row.try_get("id")?,
            ),
            _ => return Err(CoreError::Json("numbering returned no row".into())),
        };
        if check && (version.is_none() || version != settings.version) {
            tx.rollback().await?;
            return Ok(None);
        }
        let code = format_code(&agency.code, day, seq);

        let mut data = serde_json::json!({ "code": code, "due_at": vntime::rfc3339_vn(due) });
        if let serde_json::Value::Object(map) = &mut data {
            map.insert("desk".into(), serde_json::Value::String(actor.desk.clone()));
        }
        let data_json = data.to_string();
        // The state as written below, digested without reading it back.
        let state = DossierState {
            code: code.clone(),
            agency_code: agency.code.as_str().to_string(),
            day: day_key.clone(),
            seq,
            request_id: valid.request_id.clone(),
            status: Status::Accepted.code(),
            procedure_code: procedure_ref.code.clone(),
            procedure_json: to_json(&procedure_ref)?,
            applicant_name: valid.applicant.name.clone(),
            applicant_id_number: valid.applicant.id_number.clone(),
            applicant_phone: valid.applicant.phone.clone(),
            applicant_email: valid.applicant.email.clone(),
            applicant_address: valid.applicant.address.clone(),
            submitter_json: valid.submitter.as_ref().map(to_json).transpose()?,
            documents_json: to_json(&valid.documents)?,
            sets: i64::from(valid.sets),
            channel: valid.channel.as_str().to_string(),
            return_json: to_json(&valid.return_method)?,
            received_at: to_millis(valid.received_at),
            due_at: to_millis(due),
            fee_vnd: valid.fee_vnd,
            fee_text: fee_text.clone(),
            note: valid.note.clone(),
            register: [year, book, line],
            desk: actor.desk.clone(),
            issuer_json: to_json(&agency)?,
            version: 1,
            updated_at: to_millis(now),
            authority: valid.authority.clone(),
            handover: None,
            pauses: Vec::new(),
            transfers: Vec::new(),
        };
        let state_hash = state.hash();
        let event = EventRow {
            dossier_id: id,
            at: to_millis(now),
            actor: &actor.name,
            kind: "created",
            from_status: None,
            to_status: Some(Status::Accepted.code()),
            note: "",
            data_json: &data_json,
            state_hash: &state_hash,
        };
        let hash = event.hash(&prev_hash);
        let (outbox_body, outbox_personal) = outbox::message_json(
            &state,
            &outbox::Facts {
                event: OutboxEvent::Intake,
                at: to_millis(now),
                from_status: None,
                data: &data,
            },
        );
        let sql = writes_sql(self.backend, terms.len());
        let mut query = sqlx::query(&sql)
            .bind(&state.code)
            .bind(&state.agency_code)
            .bind(&state.day)
            .bind(state.seq)
            .bind(state.request_id.clone())
            .bind(state.status)
            .bind(&state.procedure_code)
            .bind(&state.procedure_json)
            .bind(&state.applicant_name)
            .bind(&state.applicant_id_number)
            .bind(&state.applicant_phone)
            .bind(&state.applicant_email)
            .bind(&state.applicant_address)
            .bind(state.submitter_json.clone())
            .bind(&state.documents_json)
            .bind(state.sets)
            .bind(&state.channel)
            .bind(&state.return_json)
            .bind(state.received_at)
            .bind(state.due_at)
            .bind(state.fee_vnd)
            .bind(&state.fee_text)
            .bind(&state.note)
            .bind(year)
            .bind(book)
            .bind(line)
            .bind(&state.desk)
            .bind(&state.issuer_json)
            .bind(state.updated_at)
            .bind(&state.authority)
            .bind(to_millis(now))
            .bind(&actor.name)
            .bind(&data_json)
            .bind(Status::Accepted.code())
            .bind(id)
            .bind(&prev_hash)
            .bind(&hash)
            .bind(&state_hash)
            .bind(&outbox_body)
            .bind(&outbox_personal);
        for term in terms {
            query = query.bind(term);
        }
        match query.execute(&mut *tx).await {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) && valid.request_id.is_some() => {
                // Another save of the same form won the race: answer with its dossier.
                tx.rollback().await?;
                if let Some(existing) = self.by_request_id(valid.request_id.as_deref()).await? {
                    return Ok(Some(existing));
                }
                return Err(e.into());
            }
            Err(e) => return Err(e.into()),
        }
        tx.commit().await?;
        // As `rows::dossier` would read it back: instants to the millisecond.
        Ok(Some(Dossier {
            code,
            status: Status::Accepted,
            procedure: procedure_ref,
            applicant: valid.applicant,
            submitter: valid.submitter,
            documents: valid.documents,
            sets: valid.sets,
            channel: valid.channel,
            return_method: valid.return_method,
            received_at: vntime::from_millis(to_millis(valid.received_at)),
            due_at: vntime::from_millis(to_millis(due)),
            fee_vnd: valid.fee_vnd,
            fee_text,
            note: valid.note,
            register: RegisterLine {
                year: day.year(),
                book,
                line,
            },
            desk: actor.desk.clone(),
            issuer: agency,
            authority: valid.authority,
            version: 1,
        }))
    }

    async fn by_request_id(&self, request_id: Option<&str>) -> CoreResult<Option<Dossier>> {
        let Some(request_id) = request_id else {
            return Ok(None);
        };
        let sql = format!("SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE request_id = $1");
        let row = sqlx::query(&sql)
            .bind(request_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(rows::dossier).transpose()
    }
}
