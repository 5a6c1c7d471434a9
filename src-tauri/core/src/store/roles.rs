//! PostgreSQL roles: an owner that creates and migrates the schema, and desk roles that may
//! do what a desk does and nothing more (no DDL, no TRUNCATE, no UPDATE or DELETE of the
//! chained history), so a desk's connection string is not a key to rewrite the record.
//!
//! Which roles are desks is read back from the grants themselves (whoever may append to
//! `events` and does not own it), so migrating the schema re-grants on the tables a new
//! migration adds without any list kept elsewhere.

use serde::Serialize;
use sqlx::{AnyConnection, Connection, Row};

use super::tables::{exec, quote};
use super::{Backend, Store};
use crate::error::{CoreError, CoreResult};
use crate::store::SchemaError;

/// What `grant-desk` (or a migration's re-grant) gave one desk role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeskGrant {
    pub role: String,
    /// Tables the role may read and write.
    pub tables: Vec<String>,
    /// Chained tables the role may only read and append to.
    pub append_only: Vec<String>,
    /// Whether the role may still create tables in the schema (through PUBLIC on
    /// PostgreSQL before 15): then a superuser should `REVOKE CREATE ON SCHEMA public FROM
    /// PUBLIC`.
    pub may_create_tables: bool,
}

/// What `motcua database migrate` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemaReport {
    pub schema_version: i64,
    /// The desk roles granted again on every table (PostgreSQL).
    pub desks: Vec<DeskGrant>,
}

/// Whether the connected role may own the schema: a superuser, or a member of the role that
/// owns the database or the migrations table.
pub(super) async fn owns_schema(conn: &mut AnyConnection) -> CoreResult<bool> {
    let owner: i64 = sqlx::query_scalar(
        "SELECT CASE WHEN r.rolsuper OR pg_has_role(d.datdba, 'USAGE') \
                OR COALESCE((SELECT pg_has_role(c.relowner, 'USAGE') FROM pg_class c \
                             WHERE c.oid = to_regclass('_sqlx_migrations')), FALSE) \
              THEN 1 ELSE 0 END::BIGINT \
         FROM pg_roles r, pg_database d \
         WHERE r.rolname = current_user AND d.datname = current_database()",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(owner == 1)
}

pub(super) async fn current_role(conn: &mut AnyConnection) -> CoreResult<String> {
    Ok(sqlx::query_scalar("SELECT current_user::TEXT")
        .fetch_one(&mut *conn)
        .await?)
}

/// Whether the migrations table exists, whatever this role may see of it.
pub(super) async fn schema_exists(conn: &mut AnyConnection) -> CoreResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pg_class WHERE oid = to_regclass('_sqlx_migrations')",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

/// The roles that are desks: they may append to `events` and do not own it.
async fn desk_roles(conn: &mut AnyConnection) -> CoreResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT r.rolname::TEXT FROM pg_class c, aclexplode(c.relacl) a, pg_roles r \
         WHERE c.oid = to_regclass('events') AND a.privilege_type = 'INSERT' \
           AND a.grantee = r.oid AND a.grantee <> c.relowner ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?)
}

/// Gives `role` a desk's rights on every table and sequence there is now, inside the
/// caller's transaction: read and write everywhere, append-only on the chained tables
/// (those with a `prev_hash`), read-only on the migrations table, never TRUNCATE,
/// REFERENCES, TRIGGER or CREATE.
async fn grant(conn: &mut AnyConnection, role: &str) -> CoreResult<DeskGrant> {
    let schema: String = sqlx::query_scalar("SELECT current_schema()::TEXT")
        .fetch_one(&mut *conn)
        .await?;
    let database: String = sqlx::query_scalar("SELECT current_database()::TEXT")
        .fetch_one(&mut *conn)
        .await?;
    let (r, s) = (quote(role), quote(&schema));
    exec(
        conn,
        &format!(
            "GRANT CONNECT ON DATABASE {db} TO {r}; \
             GRANT USAGE ON SCHEMA {s} TO {r}; \
             REVOKE CREATE ON SCHEMA {s} FROM {r}; \
             GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}; \
             REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {s} FROM {r}; \
             GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r};",
            db = quote(&database)
        ),
    )
    .await?;
    let chained: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT table_name::TEXT FROM information_schema.columns \
         WHERE table_schema = current_schema() AND column_name = 'prev_hash' ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    for table in &chained {
        exec(
            conn,
            &format!("REVOKE UPDATE, DELETE ON {s}.{} FROM {r}", quote(table)),
        )
        .await?;
    }
    let migrations: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'",
    )
    .fetch_one(&mut *conn)
    .await?;
    if migrations > 0 {
        exec(
            conn,
            &format!("REVOKE INSERT, UPDATE, DELETE ON {s}.\"_sqlx_migrations\" FROM {r}"),
        )
        .await?;
    }
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::TEXT FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
           AND substr(table_name::TEXT, 1, 1) <> '_' ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    let may_create: i64 = sqlx::query_scalar(
        "SELECT CASE WHEN has_schema_privilege($1, current_schema(), 'CREATE') THEN 1 ELSE 0 END::BIGINT",
    )
    .bind(role)
    .fetch_one(&mut *conn)
    .await?;
    Ok(DeskGrant {
        role: role.to_string(),
        tables: tables
            .into_iter()
            .filter(|t| !chained.contains(t))
            .collect(),
        append_only: chained,
        may_create_tables: may_create == 1,
    })
}

/// Grants every desk role again (after a migration added tables), in one transaction.
pub(super) async fn regrant_desks(conn: &mut AnyConnection) -> CoreResult<Vec<DeskGrant>> {
    let mut tx = conn.begin().await?;
    let mut done = Vec::new();
    for role in desk_roles(&mut tx).await? {
        done.push(grant(&mut tx, &role).await?);
    }
    tx.commit().await?;
    Ok(done)
}

impl Store {
    /// `motcua database migrate`: brings the schema at `location` up to date with the
    /// owner's connection, then grants every desk role on the tables it now has. A role
    /// that does not own the database is refused before anything is written.
    pub async fn migrate_schema(location: &str) -> CoreResult<SchemaReport> {
        if super::is_postgres_url(location) {
            let mut conn = super::connect_one(location).await?;
            let owner = owns_schema(&mut conn).await;
            let role = current_role(&mut conn).await;
            let _ = conn.close().await;
            if !owner? {
                return Err(CoreError::Schema(SchemaError::NotOwner { role: role? }));
            }
        }
        let store = Store::open(location).await?;
        let result = async {
            let desks = match store.backend {
                Backend::Postgres => {
                    let mut conn = store.pool.acquire().await?;
                    regrant_desks(&mut conn).await?
                }
                Backend::Sqlite => Vec::new(),
            };
            Ok(SchemaReport {
                schema_version: store.schema_version().await?,
                desks,
            })
        }
        .await;
        store.close().await;
        result
    }

    /// `motcua database grant-desk ROLE`: gives an existing login role a desk's rights and
    /// no more (see `grant`). Run with the owner's connection.
    pub async fn grant_desk(&self, role: &str) -> CoreResult<DeskGrant> {
        if self.backend != Backend::Postgres {
            return Err(CoreError::Schema(SchemaError::RolesPostgresOnly));
        }
        let mut conn = self.pool.acquire().await?;
        if !owns_schema(&mut conn).await? {
            return Err(CoreError::Schema(SchemaError::NotOwner {
                role: current_role(&mut conn).await?,
            }));
        }
        let found = sqlx::query(
            "SELECT CASE WHEN r.rolsuper OR pg_has_role(r.oid, d.datdba, 'USAGE') \
                     OR r.rolname = current_user THEN 1 ELSE 0 END::BIGINT AS owner \
             FROM pg_roles r, pg_database d \
             WHERE r.rolname = $1 AND d.datname = current_database()",
        )
        .bind(role)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(found) = found else {
            return Err(CoreError::Schema(SchemaError::RoleNotFound {
                role: role.to_string(),
            }));
        };
        if found.try_get::<i64, _>("owner")? == 1 {
            return Err(CoreError::Schema(SchemaError::DeskRoleIsOwner {
                role: role.to_string(),
            }));
        }
        let mut tx = conn.begin().await?;
        let granted = grant(&mut tx, role).await?;
        tx.commit().await?;
        Ok(granted)
    }
}
