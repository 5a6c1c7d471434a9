//! The procedure catalog in the database.

use std::collections::HashMap;
use std::sync::Arc;

use sqlx::{Any, Row, Transaction};

use super::{record_log, Actor, Store};
use crate::audit::Record;
use crate::calendar::{PausePolicy, TimeLimit};
use crate::error::{CoreError, CoreResult};
use crate::procedure::{Catalog, Procedure, RequiredDocument};
use crate::text::fold;

fn to_json<T: serde::Serialize>(value: &T) -> CoreResult<String> {
    serde_json::to_string(value).map_err(|e| CoreError::Json(e.to_string()))
}

pub(super) async fn upsert(
    tx: &mut Transaction<'_, Any>,
    p: &Procedure,
    sort_order: i64,
    actor: &Actor,
) -> CoreResult<()> {
    sqlx::query(
        "INSERT INTO procedures (code, name, search_key, field, limit_json, pause_policy, fee_text, documents_json, active, sort_order, any_desk) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, search_key = excluded.search_key, field = excluded.field, \
         limit_json = excluded.limit_json, pause_policy = excluded.pause_policy, fee_text = excluded.fee_text, \
         documents_json = excluded.documents_json, active = excluded.active, any_desk = excluded.any_desk",
    )
    .bind(&p.code)
    .bind(&p.name)
    .bind(p.search_key())
    .bind(&p.field)
    .bind(to_json(&p.limit)?)
    .bind(to_json(&p.pause_policy)?)
    .bind(&p.fee_text)
    .bind(to_json(&p.documents)?)
    .bind(i64::from(p.active))
    .bind(sort_order)
    .bind(i64::from(p.any_desk))
    .execute(&mut **tx)
    .await?;
    record_log::append(
        tx,
        actor,
        "procedure_saved",
        Record::Procedure,
        &p.code,
        serde_json::json!({}),
    )
    .await
}

fn from_row(row: &sqlx::any::AnyRow) -> CoreResult<Procedure> {
    let json = |col: &str| -> CoreResult<String> { Ok(row.try_get::<String, _>(col)?) };
    let parse_err = |e: serde_json::Error| CoreError::Json(e.to_string());
    Ok(Procedure {
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        field: row.try_get("field")?,
        limit: serde_json::from_str::<TimeLimit>(&json("limit_json")?).map_err(parse_err)?,
        pause_policy: serde_json::from_str::<PausePolicy>(&json("pause_policy")?)
            .map_err(parse_err)?,
        fee_text: row.try_get("fee_text")?,
        documents: serde_json::from_str::<Vec<RequiredDocument>>(&json("documents_json")?)
            .map_err(parse_err)?,
        active: row.try_get::<i64, _>("active")? != 0,
        any_desk: row.try_get::<i64, _>("any_desk")? != 0,
    })
}

const COLUMNS: &str =
    "code, name, field, limit_json, pause_policy, fee_text, documents_json, active, any_desk";

impl Store {
    /// The catalog in its display order; inactive entries only when asked.
    pub async fn procedures(&self, include_inactive: bool) -> CoreResult<Vec<Procedure>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM procedures {} ORDER BY sort_order, code",
            if include_inactive {
                ""
            } else {
                "WHERE active = 1"
            }
        );
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        rows.iter().map(from_row).collect()
    }

    /// `procedure(code)` from the catalog as of `version` (the counter that triggers bump on
    /// every change to the procedures, from any process): the catalog is read once per
    /// version. Without a version it is read afresh.
    pub(super) async fn procedure_at(
        &self,
        version: Option<&str>,
        code: &str,
    ) -> CoreResult<Option<Procedure>> {
        let Some(version) = version else {
            return self.procedure(code).await;
        };
        if let Ok(cache) = self.catalog_cache.lock() {
            if let Some((_, catalog)) = cache.as_ref().filter(|(v, _)| v == version) {
                return Ok(catalog.get(code.trim()).cloned());
            }
        }
        let catalog: HashMap<String, Procedure> = self
            .procedures(true)
            .await?
            .into_iter()
            .map(|p| (p.code.clone(), p))
            .collect();
        let found = catalog.get(code.trim()).cloned();
        if let Ok(mut cache) = self.catalog_cache.lock() {
            *cache = Some((version.to_string(), Arc::new(catalog)));
        }
        Ok(found)
    }

    pub async fn procedure(&self, code: &str) -> CoreResult<Option<Procedure>> {
        let sql = format!("SELECT {COLUMNS} FROM procedures WHERE code = $1");
        let row = sqlx::query(&sql)
            .bind(code.trim())
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Type-ahead over name and code, ignoring diacritics: "khai sinh", "1.001193".
    pub async fn find_procedures(&self, text: &str) -> CoreResult<Vec<Procedure>> {
        let all = self.procedures(false).await?;
        let words: Vec<String> = fold(text)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        Ok(all
            .into_iter()
            .filter(|p| {
                let key = p.search_key();
                words.iter().all(|w| key.contains(w.as_str()))
            })
            .collect())
    }

    /// Adds or replaces every entry of a catalog file, all or nothing.
    pub async fn import_catalog(&self, catalog: &Catalog) -> CoreResult<usize> {
        let mut tx = self.pool().begin().await?;
        let base: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(sort_order), 0) FROM procedures")
            .fetch_one(&mut *tx)
            .await?;
        let actor = self.record_actor();
        for (i, p) in catalog.procedures.iter().enumerate() {
            upsert(&mut tx, p, base + 1 + i64::try_from(i).unwrap_or(0), &actor).await?;
        }
        tx.commit().await?;
        Ok(catalog.procedures.len())
    }

    /// Adds or changes one procedure from the catalog editor, checked as an import is.
    /// `replaces` names the entry it takes over when its code changed (the land procedure's
    /// placeholder `DD.001` replaced by the province's own code, say): that entry is set
    /// inactive in the same transaction, so the picker never offers both, and dossiers
    /// already received keep the code they were received under.
    pub async fn save_procedure(
        &self,
        procedure: Procedure,
        replaces: Option<&str>,
    ) -> CoreResult<Procedure> {
        let p = procedure.validated("procedure.")?;
        let replaces = replaces
            .map(str::trim)
            .filter(|r| !r.is_empty() && *r != p.code);
        let mut tx = self.pool().begin().await?;
        let place_of = |code: String| {
            sqlx::query_scalar::<_, i64>("SELECT sort_order FROM procedures WHERE code = $1")
                .bind(code)
        };
        let own: Option<i64> = place_of(p.code.clone()).fetch_optional(&mut *tx).await?;
        let replaced: Option<i64> = match replaces {
            Some(old) => Some(
                place_of(old.to_string())
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| CoreError::ProcedureNotFound {
                        code: old.to_string(),
                    })?,
            ),
            None => None,
        };
        let sort_order = match own.or(replaced) {
            Some(place) => place,
            None => {
                sqlx::query_scalar::<_, i64>(
                    "SELECT COALESCE(MAX(sort_order), 0) + 1 FROM procedures",
                )
                .fetch_one(&mut *tx)
                .await?
            }
        };
        upsert(&mut tx, &p, sort_order, &self.record_actor()).await?;
        if let Some(old) = replaces {
            sqlx::query("UPDATE procedures SET active = 0 WHERE code = $1")
                .bind(old)
                .execute(&mut *tx)
                .await?;
            let actor = self.record_actor();
            let data = serde_json::json!({ "replaced_by": p.code });
            record_log::append(
                &mut tx,
                &actor,
                "procedure_saved",
                Record::Procedure,
                old,
                data,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(p)
    }

    pub async fn export_catalog(&self) -> CoreResult<Catalog> {
        Ok(Catalog {
            procedures: self.procedures(true).await?,
        })
    }
}
