//! Staff accounts in the database: creation, roles, disabling, passwords, and the login
//! check with its lockout. Every change and every login attempt goes to the access log in
//! the same transaction. Argon2 work runs on a blocking thread, never on the async workers.

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::access_log::{append, AccessKind};
use super::record_log;
use super::{chain, Actor, Store};
use crate::accounts::AccessError;
use crate::accounts::{
    check_password, decoy_hash, hash_password, lockout_delay, normalize_account_name,
    normalize_roles, roles_from_text, roles_to_text, verify_password, Account, NewAccount, Role,
};
use crate::audit::Chain;
use crate::audit::Record;
use crate::error::{CoreError, CoreResult};
use crate::problem::Problem;
use crate::vntime::{from_millis, rfc3339_vn, to_millis};

const ACCOUNT_COLUMNS: &str = "id, name, display_name, roles, password_hash, disabled, failed_count, locked_until, created_at, updated_at";

fn account(row: &AnyRow) -> CoreResult<(Account, String)> {
    let locked_until: i64 = row.try_get("locked_until")?;
    let account = Account {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        display_name: row.try_get("display_name")?,
        roles: roles_from_text(&row.try_get::<String, _>("roles")?),
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        failed_count: row.try_get("failed_count")?,
        locked_until: (locked_until > 0).then(|| from_millis(locked_until)),
        created_at: from_millis(row.try_get("created_at")?),
        updated_at: from_millis(row.try_get("updated_at")?),
    };
    Ok((account, row.try_get("password_hash")?))
}

async fn hash_blocking(password: &str) -> CoreResult<String> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| CoreError::Access(AccessError::PasswordHash(e.to_string())))?
}

async fn verify_blocking(hash: &str, password: &str) -> CoreResult<bool> {
    let (hash, password) = (hash.to_string(), password.to_string());
    tokio::task::spawn_blocking(move || verify_password(&hash, &password))
        .await
        .map_err(|e| CoreError::Access(AccessError::PasswordHash(e.to_string())))
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// The login name as stored, or `AccountNotFound` for something that cannot be one.
fn account_name(name: &str) -> CoreResult<String> {
    normalize_account_name(name).ok_or_else(|| {
        CoreError::Access(AccessError::AccountNotFound {
            name: crate::text::clean_line(name),
        })
    })
}

impl Store {
    /// How many accounts exist (disabled ones included). The window asks for the first
    /// administrator while there are none.
    pub async fn account_count(&self) -> CoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(self.pool())
            .await?)
    }

    /// Every account, by login name.
    pub async fn accounts(&self) -> CoreResult<Vec<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY name");
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        rows.iter().map(|r| account(r).map(|(a, _)| a)).collect()
    }

    pub async fn account(&self, name: &str) -> CoreResult<Account> {
        Ok(self.account_with_hash(name).await?.0)
    }

    async fn account_with_hash(&self, name: &str) -> CoreResult<(Account, String)> {
        let name = account_name(name)?;
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE name = $1");
        let row = sqlx::query(&sql)
            .bind(&name)
            .fetch_optional(self.pool())
            .await?
            .ok_or(CoreError::Access(AccessError::AccountNotFound { name }))?;
        account(&row)
    }

    /// A new account, by an administrator (`actor`).
    pub async fn create_account(
        &self,
        input: &NewAccount,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> CoreResult<Account> {
        self.insert_account(input, actor, now, false).await
    }

    /// The first administrator, at set-up: refused with `AccountsExist` once any account
    /// exists, so the set-up screen cannot be used to add administrators later. The
    /// account gets the administrator role whatever else it holds.
    pub async fn create_first_administrator(
        &self,
        input: &NewAccount,
        desk: &str,
        now: DateTime<Utc>,
    ) -> CoreResult<Account> {
        let mut input = input.clone();
        input.roles.push(Role::Administrator);
        let actor = Actor::new(
            normalize_account_name(&input.name).unwrap_or_default(),
            desk,
        );
        self.insert_account(&input, &actor, now, true).await
    }

    async fn insert_account(
        &self,
        input: &NewAccount,
        actor: &Actor,
        now: DateTime<Utc>,
        first: bool,
    ) -> CoreResult<Account> {
        let valid = input.validate()?;
        let hash = hash_blocking(&valid.password).await?;
        let now_ms = to_millis(now);
        let mut tx = self.pool().begin().await?;
        // The log entry first: it takes the chain's head lock, so a concurrent first
        // administrator waits here and then sees this one's account.
        append(
            &mut tx,
            now,
            actor,
            AccessKind::AccountCreated,
            &valid.name,
            serde_json::json!({ "roles": roles_to_text(&valid.roles), "first": first }),
        )
        .await?;
        if first {
            let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
                .fetch_one(&mut *tx)
                .await?;
            if existing > 0 {
                tx.rollback().await?;
                return Err(CoreError::Access(AccessError::AccountsExist));
            }
        }
        let inserted = sqlx::query(
            "INSERT INTO accounts (name, display_name, roles, password_hash, disabled, failed_count, locked_until, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 0, 0, 0, $5, $5)",
        )
        .bind(&valid.name)
        .bind(&valid.display_name)
        .bind(roles_to_text(&valid.roles))
        .bind(&hash)
        .bind(now_ms)
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => {
                tx.rollback().await?;
                return Err(CoreError::Access(AccessError::AccountExists {
                    name: valid.name,
                }));
            }
            Err(e) => return Err(e.into()),
        }
        record_log::append(
            &mut tx,
            actor,
            AccessKind::AccountCreated.code(),
            Record::Account,
            &valid.name,
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        self.account(&valid.name).await
    }

    /// Disables (or enables again) an account. Disabling the last active administrator is
    /// refused, so the accounts can always be managed from the window.
    pub async fn set_disabled(
        &self,
        name: &str,
        disabled: bool,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> CoreResult<Account> {
        let current = self.account(name).await?;
        let kind = if disabled {
            AccessKind::AccountDisabled
        } else {
            AccessKind::AccountEnabled
        };
        let mut tx = self.pool().begin().await?;
        append(
            &mut tx,
            now,
            actor,
            kind,
            &current.name,
            serde_json::json!({}),
        )
        .await?;
        if disabled && current.is_administrator() {
            self.refuse_last_administrator(&mut tx, &current.name)
                .await?;
        }
        sqlx::query("UPDATE accounts SET disabled = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(disabled))
            .bind(to_millis(now))
            .bind(current.id)
            .execute(&mut *tx)
            .await?;
        let json = serde_json::json!({});
        record_log::append(
            &mut tx,
            actor,
            kind.code(),
            Record::Account,
            &current.name,
            json,
        )
        .await?;
        tx.commit().await?;
        self.account(&current.name).await
    }

    /// Replaces an account's roles. Taking the administrator role from the last active
    /// administrator is refused.
    pub async fn set_roles(
        &self,
        name: &str,
        roles: &[Role],
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> CoreResult<Account> {
        let roles = normalize_roles(roles);
        if roles.is_empty() {
            return Err(CoreError::invalid("account.roles", Problem::Required));
        }
        let current = self.account(name).await?;
        let mut tx = self.pool().begin().await?;
        append(
            &mut tx,
            now,
            actor,
            AccessKind::RolesChanged,
            &current.name,
            serde_json::json!({ "from": roles_to_text(&current.roles), "to": roles_to_text(&roles) }),
        )
        .await?;
        if current.is_administrator() && !current.disabled && !roles.contains(&Role::Administrator)
        {
            self.refuse_last_administrator(&mut tx, &current.name)
                .await?;
        }
        sqlx::query("UPDATE accounts SET roles = $1, updated_at = $2 WHERE id = $3")
            .bind(roles_to_text(&roles))
            .bind(to_millis(now))
            .bind(current.id)
            .execute(&mut *tx)
            .await?;
        record_log::append(
            &mut tx,
            actor,
            AccessKind::RolesChanged.code(),
            Record::Account,
            &current.name,
            serde_json::json!({ "from": roles_to_text(&current.roles), "to": roles_to_text(&roles) }),
        )
        .await?;
        tx.commit().await?;
        self.account(&current.name).await
    }

    /// `LastAdministrator` when no active administrator other than `name` would remain.
    async fn refuse_last_administrator(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        name: &str,
    ) -> CoreResult<()> {
        let rows = sqlx::query("SELECT roles FROM accounts WHERE disabled = 0 AND name <> $1")
            .bind(name)
            .fetch_all(&mut **tx)
            .await?;
        let others = rows
            .iter()
            .filter_map(|r| r.try_get::<String, _>("roles").ok())
            .filter(|roles| roles_from_text(roles).contains(&Role::Administrator))
            .count();
        if others == 0 {
            return Err(CoreError::Access(AccessError::LastAdministrator {
                name: name.to_string(),
            }));
        }
        Ok(())
    }

    /// A new password set by an administrator; clears any lockout. The new password follows
    /// the same rules (field `account.new_password`).
    pub async fn reset_password(
        &self,
        name: &str,
        new_password: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> CoreResult<()> {
        let current = self.account(name).await?;
        self.store_password(
            &current,
            new_password,
            actor,
            now,
            AccessKind::PasswordReset,
        )
        .await
    }

    /// A person changing their own password: the old one is checked like a login (wrong
    /// ones count towards the lockout), the new one must follow the rules.
    pub async fn change_password(
        &self,
        name: &str,
        old_password: &str,
        new_password: &str,
        desk: &str,
        now: DateTime<Utc>,
    ) -> CoreResult<()> {
        let current = self.account(name).await?;
        check_password("account.new_password", new_password, &current.name)?;
        let current = self.login(&current.name, old_password, desk, now).await?;
        let actor = Actor::new(current.name.clone(), desk);
        self.store_password(
            &current,
            new_password,
            &actor,
            now,
            AccessKind::PasswordChanged,
        )
        .await
    }

    async fn store_password(
        &self,
        account: &Account,
        new_password: &str,
        actor: &Actor,
        now: DateTime<Utc>,
        kind: AccessKind,
    ) -> CoreResult<()> {
        check_password("account.new_password", new_password, &account.name)?;
        let hash = hash_blocking(new_password).await?;
        let mut tx = self.pool().begin().await?;
        append(
            &mut tx,
            now,
            actor,
            kind,
            &account.name,
            serde_json::json!({}),
        )
        .await?;
        sqlx::query(
            "UPDATE accounts SET password_hash = $1, failed_count = 0, locked_until = 0, updated_at = $2 WHERE id = $3",
        )
        .bind(&hash)
        .bind(to_millis(now))
        .bind(account.id)
        .execute(&mut *tx)
        .await?;
        let json = serde_json::json!({});
        record_log::append(
            &mut tx,
            actor,
            kind.code(),
            Record::Account,
            &account.name,
            json,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Checks a login at `now`. Refused without looking at the password while the account
    /// waits after repeated failures (`AccountLocked`); a wrong password or unknown name is
    /// `BadCredentials` (the fifth and later failures answer `AccountLocked` with the time
    /// to wait: 30 s, doubling, at most an hour); the right password of a disabled account
    /// is `AccountDisabled`. Every attempt is logged; the password never is, and a name that
    /// is no account is not either (it may be a password typed in the wrong box).
    pub async fn login(
        &self,
        name: &str,
        password: &str,
        desk: &str,
        now: DateTime<Utc>,
    ) -> CoreResult<Account> {
        let found = match normalize_account_name(name) {
            Some(_) => match self.account_with_hash(name).await {
                Ok(found) => Some(found),
                Err(CoreError::Access(AccessError::AccountNotFound { .. })) => None,
                Err(e) => return Err(e),
            },
            None => None,
        };
        let Some((account, hash)) = found else {
            // As long as a wrong password, so a name's existence does not show in timing.
            verify_blocking(decoy_hash(), password).await?;
            self.log_access(
                &Actor::new("", desk),
                AccessKind::LoginFailed,
                "",
                serde_json::json!({ "reason": "unknown_account" }),
                now,
            )
            .await?;
            return Err(CoreError::Access(AccessError::BadCredentials));
        };
        let actor = Actor::new(account.name.clone(), desk);
        if let Some(until) = account.locked_until.filter(|until| *until > now) {
            self.log_access(
                &actor,
                AccessKind::LoginRefused,
                &account.name,
                serde_json::json!({ "reason": "locked", "until": rfc3339_vn(until) }),
                now,
            )
            .await?;
            return Err(CoreError::Access(AccessError::AccountLocked { until }));
        }
        if !verify_blocking(&hash, password).await? {
            return Err(self.count_failure(&account, &actor, now).await?);
        }
        if account.disabled {
            self.log_access(
                &actor,
                AccessKind::LoginRefused,
                &account.name,
                serde_json::json!({ "reason": "disabled" }),
                now,
            )
            .await?;
            return Err(CoreError::Access(AccessError::AccountDisabled {
                name: account.name,
            }));
        }
        let mut tx = self.pool().begin().await?;
        append(
            &mut tx,
            now,
            &actor,
            AccessKind::LoginOk,
            &account.name,
            serde_json::json!({}),
        )
        .await?;
        sqlx::query("UPDATE accounts SET failed_count = 0, locked_until = 0 WHERE id = $1")
            .bind(account.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Account {
            failed_count: 0,
            locked_until: None,
            ..account
        })
    }

    /// Counts a wrong password and, from the fifth in a row, makes the account wait.
    /// Returns the error to answer with.
    async fn count_failure(
        &self,
        account: &Account,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> CoreResult<CoreError> {
        let mut tx = self.pool().begin().await?;
        chain::lock(&mut tx, Chain::AuditLog).await?;
        // Incremented in the database, so attempts from two desks both count.
        let failed: i64 = sqlx::query_scalar(
            "UPDATE accounts SET failed_count = failed_count + 1 WHERE id = $1 RETURNING failed_count",
        )
        .bind(account.id)
        .fetch_one(&mut *tx)
        .await?;
        let until = lockout_delay(failed).map(|delay| now + delay);
        if let Some(until) = until {
            sqlx::query("UPDATE accounts SET locked_until = $1 WHERE id = $2")
                .bind(to_millis(until))
                .bind(account.id)
                .execute(&mut *tx)
                .await?;
        }
        let mut data = serde_json::json!({ "failed_count": failed });
        if let Some(until) = until {
            data["locked_until"] = serde_json::Value::String(rfc3339_vn(until));
        }
        append(
            &mut tx,
            now,
            actor,
            AccessKind::LoginFailed,
            &account.name,
            data,
        )
        .await?;
        tx.commit().await?;
        Ok(match until {
            Some(until) => CoreError::Access(AccessError::AccountLocked { until }),
            None => CoreError::Access(AccessError::BadCredentials),
        })
    }
}
