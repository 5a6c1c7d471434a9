//! Every table as plain rows of integers and texts, whatever it holds: what backups,
//! restores and moving a database between engines copy. The schema keeps to BIGINT/INTEGER
//! and TEXT on both engines, so a row is a list of `Value`s and a table copied this way needs
//! no code of its own (tables added by later migrations are carried too).

use std::collections::{BTreeMap, BTreeSet};

use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::Backend;
use crate::error::CoreResult;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Int(i64),
    Text(String),
    Null,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub integer: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
}

impl Table {
    pub fn position(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == column)
    }
}

/// A quoted identifier (names come from the database's own catalog).
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The application's tables, parents before the tables that refer to them. Bookkeeping
/// tables (`_sqlx_migrations`, `_motcua_backup`) and the engine's own are left out.
pub async fn list(conn: &mut AnyConnection, backend: Backend) -> CoreResult<Vec<Table>> {
    let (tables_sql, columns_sql, parents_sql) = match backend {
        Backend::Sqlite => (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_' \
             AND substr(name, 1, 1) <> '_' ORDER BY name",
            "SELECT name, type FROM pragma_table_info($1) ORDER BY cid",
            "SELECT DISTINCT \"table\" AS parent FROM pragma_foreign_key_list($1)",
        ),
        Backend::Postgres => (
            "SELECT table_name::text AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             AND substr(table_name::text, 1, 1) <> '_' ORDER BY 1",
            "SELECT column_name::text AS name, data_type::text AS type FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name::text = $1 ORDER BY ordinal_position",
            "SELECT DISTINCT ccu.table_name::text AS parent FROM information_schema.table_constraints tc \
             JOIN information_schema.constraint_column_usage ccu \
               ON ccu.constraint_name = tc.constraint_name AND ccu.constraint_schema = tc.constraint_schema \
             WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() AND tc.table_name::text = $1",
        ),
    };
    let names: Vec<String> = sqlx::query_scalar(tables_sql).fetch_all(&mut *conn).await?;
    let mut tables = BTreeMap::new();
    let mut parents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for name in names {
        let rows = sqlx::query(columns_sql)
            .bind(&name)
            .fetch_all(&mut *conn)
            .await?;
        let mut columns = Vec::with_capacity(rows.len());
        for row in rows {
            let column: String = row.try_get("name")?;
            let declared: String = row.try_get("type")?;
            columns.push(Column {
                name: column,
                integer: declared.to_ascii_uppercase().contains("INT"),
            });
        }
        let refs: Vec<String> = sqlx::query_scalar(parents_sql)
            .bind(&name)
            .fetch_all(&mut *conn)
            .await?;
        parents.insert(
            name.clone(),
            refs.into_iter().filter(|p| *p != name).collect(),
        );
        tables.insert(name.clone(), Table { name, columns });
    }
    // Parents first; a cycle (none exists today) would fall back to name order.
    let mut ordered = Vec::with_capacity(tables.len());
    let mut placed = BTreeSet::new();
    while placed.len() < tables.len() {
        let ready: Vec<String> = tables
            .keys()
            .filter(|n| !placed.contains(*n))
            .filter(|n| {
                parents.get(*n).is_none_or(|ps| {
                    ps.iter()
                        .all(|p| placed.contains(p) || !tables.contains_key(p))
                })
            })
            .cloned()
            .collect();
        let next = if ready.is_empty() {
            tables
                .keys()
                .filter(|n| !placed.contains(*n))
                .take(1)
                .cloned()
                .collect()
        } else {
            ready
        };
        for n in next {
            placed.insert(n.clone());
            ordered.push(n);
        }
    }
    Ok(ordered
        .into_iter()
        .filter_map(|n| tables.remove(&n))
        .collect())
}

/// Runs statements as they are (PRAGMA, DDL, transaction control), unprepared.
pub async fn exec(conn: &mut AnyConnection, sql: &str) -> CoreResult<()> {
    sqlx::raw_sql(sql).execute(&mut *conn).await?;
    Ok(())
}

/// On SQLite, makes a transaction a writer from its first statement, so it queues on the
/// busy timeout behind other desks instead of failing when it later upgrades from reading.
pub async fn take_write_lock(conn: &mut AnyConnection, backend: Backend) -> CoreResult<()> {
    if backend == Backend::Sqlite {
        exec(conn, "UPDATE settings SET value = value WHERE 1 = 0").await?;
    }
    Ok(())
}

/// The values of a row read with `select_sql(table)`.
pub fn decode(row: &AnyRow, table: &Table) -> CoreResult<Vec<Value>> {
    let mut values = Vec::with_capacity(table.columns.len());
    for (i, c) in table.columns.iter().enumerate() {
        let v = if c.integer {
            row.try_get::<Option<i64>, _>(i)?.map(Value::Int)
        } else {
            row.try_get::<Option<String>, _>(i)?.map(Value::Text)
        };
        values.push(v.unwrap_or(Value::Null));
    }
    Ok(values)
}

/// Every row of a table in a stable order (by all its columns, starting with the first).
pub fn select_sql(table: &Table) -> String {
    let columns: Vec<String> = table.columns.iter().map(|c| quote(&c.name)).collect();
    let order: Vec<String> = (1..=table.columns.len()).map(|i| i.to_string()).collect();
    format!(
        "SELECT {} FROM {} ORDER BY {}",
        columns.join(", "),
        quote(&table.name),
        order.join(", ")
    )
}

/// Calls `each` with every row of `table`, streaming (a large table never sits in memory).
pub async fn for_each_row<F>(conn: &mut AnyConnection, table: &Table, mut each: F) -> CoreResult<()>
where
    F: FnMut(Vec<Value>) -> CoreResult<()>,
{
    let sql = select_sql(table);
    let mut rows = sqlx::query(&sql).fetch(&mut *conn);
    while let Some(row) = rows.try_next().await? {
        each(decode(&row, table)?)?;
    }
    Ok(())
}

/// Reads a whole table (for the small ones, or batches of the big ones).
pub async fn read_all(conn: &mut AnyConnection, table: &Table) -> CoreResult<Vec<Vec<Value>>> {
    let mut all = Vec::new();
    for_each_row(conn, table, |row| {
        all.push(row);
        Ok(())
    })
    .await?;
    Ok(all)
}

/// Binds a value as its column's type, so a NULL is a NULL of the right type for PostgreSQL.
pub fn bind<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    value: &Value,
    integer: bool,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    match (value, integer) {
        (Value::Int(i), _) => query.bind(*i),
        (Value::Text(s), true) => query.bind(s.parse::<i64>().ok()),
        (Value::Text(s), false) => query.bind(s.clone()),
        (Value::Null, true) => query.bind(None::<i64>),
        (Value::Null, false) => query.bind(None::<String>),
    }
}

/// Buffers rows for one table and writes them as multi-row INSERTs.
pub struct Inserter {
    table: Table,
    on_conflict_nothing: bool,
    rows: Vec<Vec<Value>>,
    per_statement: usize,
    pub written: u64,
}

impl Inserter {
    pub fn new(table: Table, on_conflict_nothing: bool) -> Inserter {
        // Stay far below both engines' limits on bound parameters.
        let per_statement = (4000 / table.columns.len().max(1)).clamp(1, 200);
        Inserter {
            table,
            on_conflict_nothing,
            rows: Vec::new(),
            per_statement,
            written: 0,
        }
    }

    pub async fn push(&mut self, conn: &mut AnyConnection, row: Vec<Value>) -> CoreResult<()> {
        self.rows.push(row);
        if self.rows.len() >= self.per_statement {
            self.flush(conn).await?;
        }
        Ok(())
    }

    pub async fn flush(&mut self, conn: &mut AnyConnection) -> CoreResult<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let n = self.table.columns.len();
        let columns: Vec<String> = self.table.columns.iter().map(|c| quote(&c.name)).collect();
        let groups: Vec<String> = (0..self.rows.len())
            .map(|r| {
                let params: Vec<String> = (1..=n).map(|c| format!("${}", r * n + c)).collect();
                format!("({})", params.join(", "))
            })
            .collect();
        let mut sql = format!(
            "INSERT INTO {} ({}) VALUES {}",
            quote(&self.table.name),
            columns.join(", "),
            groups.join(", ")
        );
        if self.on_conflict_nothing {
            sql.push_str(" ON CONFLICT DO NOTHING");
        }
        let mut query = sqlx::query(&sql);
        for row in &self.rows {
            for (value, column) in row.iter().zip(&self.table.columns) {
                query = bind(query, value, column.integer);
            }
        }
        let done = query.execute(&mut *conn).await?;
        self.written += done.rows_affected();
        self.rows.clear();
        Ok(())
    }
}
