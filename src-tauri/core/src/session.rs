//! Who is signed in at this desk. The window holds one `Guard`; every command asks it for
//! the session that may do its `Action` before touching the store, so a hidden button is
//! never the only protection. A session locks itself after the idle time of the
//! `idle-lock-minutes` setting and on demand; it is unlocked with the same person's
//! password. Sessions live in memory only: a restarted app asks for a login again.

use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::accounts::AccessError;
use crate::accounts::{role_allows, Account, Action, Role};
use crate::error::{CoreError, CoreResult};
use crate::store::{Actor, Store};

/// A signed-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub account_id: i64,
    /// The login name: recorded as the actor of everything done in this session.
    pub account: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    #[serde(with = "crate::vntime::serde_vn")]
    pub started_at: DateTime<Utc>,
    #[serde(with = "crate::vntime::serde_vn")]
    pub last_activity: DateTime<Utc>,
    /// Idle time after which the session locks, in seconds.
    pub idle_limit_secs: i64,
    pub locked: bool,
}

impl Session {
    pub fn new(account: &Account, idle_limit: Duration, now: DateTime<Utc>) -> Session {
        Session {
            account_id: account.id,
            account: account.name.clone(),
            display_name: account.display_name.clone(),
            roles: account.roles.clone(),
            started_at: now,
            last_activity: now,
            idle_limit_secs: idle_limit.num_seconds().max(1),
            locked: false,
        }
    }

    /// Whether the session has been idle longer than its limit at `now`.
    pub fn is_idle(&self, now: DateTime<Utc>) -> bool {
        now - self.last_activity > Duration::seconds(self.idle_limit_secs)
    }

    pub fn allows(&self, action: Action) -> bool {
        role_allows(&self.roles, action)
    }

    /// The actor recorded on events: this person at `desk`.
    pub fn actor(&self, desk: &str) -> Actor {
        Actor::new(self.account.clone(), desk)
    }

    /// Checks the session may act now and, when it may and the call is the person's own
    /// doing (`Activity::Person`), counts `now` as activity.
    fn check(&mut self, now: DateTime<Utc>, activity: Activity) -> CoreResult<()> {
        if self.locked {
            return Err(CoreError::Access(AccessError::SessionLocked));
        }
        if self.is_idle(now) {
            self.locked = true;
            return Err(CoreError::Access(AccessError::SessionLocked));
        }
        if activity == Activity::Person && now > self.last_activity {
            self.last_activity = now;
        }
        Ok(())
    }
}

/// Whether a call shows that someone is at the desk. A page's timers (the intake form's
/// appointment refresh) call commands on their own: those must not keep an unattended
/// desk open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    Person,
    Timer,
}

/// What the window shows: the login screen, the lock screen, or who is working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SessionStatus {
    LoggedOut,
    Locked {
        account: String,
        display_name: String,
    },
    Active {
        account: String,
        display_name: String,
        roles: Vec<Role>,
        /// What the roles allow, so the window shows only what this person can use.
        actions: Vec<Action>,
        /// Seconds until the session locks without activity.
        locks_in_secs: i64,
    },
}

/// The desk's session, shared by every command (Tauri state). Methods take `&self`; the
/// session sits behind a mutex that is never held across an `await`.
#[derive(Debug, Default)]
pub struct Guard {
    desk: String,
    current: Mutex<Option<Session>>,
}

impl Guard {
    /// A guard for the desk named `desk` (recorded on login events), nobody signed in.
    pub fn new(desk: impl Into<String>) -> Guard {
        Guard {
            desk: desk.into(),
            current: Mutex::new(None),
        }
    }

    pub fn desk(&self) -> &str {
        &self.desk
    }

    fn slot(&self) -> MutexGuard<'_, Option<Session>> {
        // A panic while holding the lock leaves a plain value behind; keep using it.
        self.current.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Signs `name` in with `password` (replacing whoever was signed in). Wrong passwords
    /// count towards the account's lockout; every attempt is in the audit log.
    pub async fn login(
        &self,
        store: &Store,
        name: &str,
        password: &str,
        now: DateTime<Utc>,
    ) -> CoreResult<Session> {
        let account = store.login(name, password, &self.desk, now).await?;
        let idle = Duration::minutes(store.idle_lock_minutes().await?);
        let session = Session::new(&account, idle, now);
        *self.slot() = Some(session.clone());
        Ok(session)
    }

    /// The session, if it may do `action` now. Distinct errors: `NotLoggedIn`,
    /// `SessionLocked` (idle too long, or locked on demand), `Forbidden { action }`.
    /// A permitted call counts as activity.
    pub fn require(&self, action: Action, now: DateTime<Utc>) -> CoreResult<Session> {
        self.require_as(action, now, Activity::Person)
    }

    /// `require`, saying whether the call is the person's or a timer's (which does not
    /// postpone the idle lock).
    pub fn require_as(
        &self,
        action: Action,
        now: DateTime<Utc>,
        activity: Activity,
    ) -> CoreResult<Session> {
        let mut slot = self.slot();
        let session = slot
            .as_mut()
            .ok_or(CoreError::Access(AccessError::NotLoggedIn))?;
        session.check(now, activity)?;
        if !session.allows(action) {
            return Err(CoreError::Access(AccessError::Forbidden { action }));
        }
        Ok(session.clone())
    }

    /// Activity without an action (the window reports typing and clicks): keeps the
    /// session open, or says it is locked or gone.
    pub fn touch(&self, now: DateTime<Utc>) -> CoreResult<Session> {
        let mut slot = self.slot();
        let session = slot
            .as_mut()
            .ok_or(CoreError::Access(AccessError::NotLoggedIn))?;
        session.check(now, Activity::Person)?;
        Ok(session.clone())
    }

    /// Takes the account as the database has it now (another desk or the CLI may have
    /// changed it): a disabled or removed account's session ends (`AccountDisabled`), new
    /// roles apply from this call on. `account` is `None` when the account is gone.
    pub fn refresh(&self, name: &str, account: Option<&Account>) -> CoreResult<()> {
        let mut slot = self.slot();
        let Some(session) = slot.as_mut().filter(|s| s.account == name) else {
            return Ok(());
        };
        match account {
            Some(account) if !account.disabled && account.id == session.account_id => {
                session.roles = account.roles.clone();
                session.display_name = account.display_name.clone();
                Ok(())
            }
            _ => {
                *slot = None;
                Err(CoreError::Access(AccessError::AccountDisabled {
                    name: name.to_string(),
                }))
            }
        }
    }

    /// Locks the session now ("Khóa màn hình"); the person stays signed in.
    pub fn lock(&self) {
        if let Some(session) = self.slot().as_mut() {
            session.locked = true;
        }
    }

    /// Unlocks with the signed-in person's password (the same lockout rules as a login).
    /// Roles are read again, so a change made meanwhile applies; a disabled account's
    /// session ends.
    pub async fn unlock(
        &self,
        store: &Store,
        password: &str,
        now: DateTime<Utc>,
    ) -> CoreResult<Session> {
        let name = self
            .slot()
            .as_ref()
            .map(|s| s.account.clone())
            .ok_or(CoreError::Access(AccessError::NotLoggedIn))?;
        let account = match store.login(&name, password, &self.desk, now).await {
            Ok(account) => account,
            Err(e @ CoreError::Access(AccessError::AccountDisabled { .. })) => {
                *self.slot() = None;
                return Err(e);
            }
            Err(e) => return Err(e),
        };
        let idle = Duration::minutes(store.idle_lock_minutes().await?);
        let mut slot = self.slot();
        match slot.as_mut() {
            // Still the same person (nobody logged out meanwhile): reopen their session.
            Some(session) if session.account == account.name => {
                let started = session.started_at;
                *session = Session::new(&account, idle, now);
                session.started_at = started;
                Ok(session.clone())
            }
            _ => Err(CoreError::Access(AccessError::NotLoggedIn)),
        }
    }

    /// Signs out; returns who was signed in.
    pub fn logout(&self) -> Option<Session> {
        self.slot().take()
    }

    /// The session as it stands, without counting activity or checking idleness.
    pub fn current(&self) -> Option<Session> {
        self.slot().clone()
    }

    /// What the window should show at `now` (locking an idle session).
    pub fn status(&self, now: DateTime<Utc>) -> SessionStatus {
        let mut slot = self.slot();
        let Some(session) = slot.as_mut() else {
            return SessionStatus::LoggedOut;
        };
        if session.is_idle(now) {
            session.locked = true;
        }
        if session.locked {
            return SessionStatus::Locked {
                account: session.account.clone(),
                display_name: session.display_name.clone(),
            };
        }
        let elapsed = (now - session.last_activity).num_seconds().max(0);
        SessionStatus::Active {
            account: session.account.clone(),
            display_name: session.display_name.clone(),
            roles: session.roles.clone(),
            actions: Action::ALL
                .into_iter()
                .filter(|a| session.allows(*a))
                .collect(),
            locks_in_secs: (session.idle_limit_secs - elapsed).max(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_800_000_000 + secs, 0).unwrap_or_default()
    }

    fn account(roles: &[Role]) -> Account {
        Account {
            id: 7,
            name: "an.nv".into(),
            display_name: "Nguyễn Văn An".into(),
            roles: roles.to_vec(),
            disabled: false,
            failed_count: 0,
            locked_until: None,
            created_at: at(0),
            updated_at: at(0),
        }
    }

    /// A guard with a session started at `at(0)`, idle limit ten minutes.
    fn signed_in(roles: &[Role]) -> Guard {
        let guard = Guard::new("Quầy 1");
        *guard.slot() = Some(Session::new(&account(roles), Duration::minutes(10), at(0)));
        guard
    }

    #[test]
    fn nobody_signed_in_is_refused_with_its_own_error() {
        let guard = Guard::new("Quầy 1");
        let err = guard.require(Action::Intake, at(0)).unwrap_err();
        assert_eq!(err.kind(), "not_logged_in");
        assert_eq!(guard.status(at(0)), SessionStatus::LoggedOut);
    }

    #[test]
    fn a_role_without_the_action_is_forbidden_naming_the_action() {
        let guard = signed_in(&[Role::Reception]);
        let session = guard.require(Action::Intake, at(1)).unwrap();
        assert_eq!(session.actor("Quầy 1").name, "an.nv");
        let err = guard.require(Action::Settings, at(2)).unwrap_err();
        assert!(matches!(
            err,
            CoreError::Access(AccessError::Forbidden {
                action: Action::Settings
            })
        ));
        assert_eq!(err.kind(), "forbidden");
        // The role in words, not its internal name.
        let message = err.message(crate::i18n::Lang::En);
        assert!(
            message.contains("Supervisor") && !message.contains("(supervisor)"),
            "{message}"
        );
    }

    #[test]
    fn the_session_locks_after_the_idle_time_and_activity_postpones_it() {
        let guard = signed_in(&[Role::Reception]);
        // Activity at 9 minutes restarts the idle clock.
        guard.require(Action::Intake, at(9 * 60)).unwrap();
        guard.touch(at(18 * 60)).unwrap();
        assert_eq!(
            guard.status(at(18 * 60 + 30)),
            SessionStatus::Active {
                account: "an.nv".into(),
                display_name: "Nguyễn Văn An".into(),
                roles: vec![Role::Reception],
                actions: Action::ALL
                    .into_iter()
                    .filter(|a| role_allows(&[Role::Reception], *a))
                    .collect(),
                locks_in_secs: 570,
            }
        );
        // Exactly ten idle minutes is still allowed; one second more locks.
        guard.require(Action::Intake, at(28 * 60)).unwrap();
        let err = guard.require(Action::Intake, at(38 * 60 + 1)).unwrap_err();
        assert_eq!(err.kind(), "session_locked");
        // Once locked it stays locked, even for an action that would be allowed.
        let err = guard
            .require(Action::ViewDossier, at(38 * 60 + 2))
            .unwrap_err();
        assert_eq!(err.kind(), "session_locked");
        assert!(matches!(
            guard.status(at(38 * 60 + 3)),
            SessionStatus::Locked { .. }
        ));
        assert!(guard.current().is_some(), "locked, not signed out");
    }

    #[test]
    fn status_alone_locks_an_idle_session() {
        let guard = signed_in(&[Role::Processing]);
        assert!(matches!(
            guard.status(at(11 * 60)),
            SessionStatus::Locked { .. }
        ));
        assert_eq!(
            guard.touch(at(11 * 60)).unwrap_err().kind(),
            "session_locked"
        );
    }

    #[test]
    fn lock_on_demand_and_logout() {
        let guard = signed_in(&[Role::Supervisor]);
        guard.require(Action::Report, at(1)).unwrap();
        guard.lock();
        assert_eq!(
            guard.require(Action::Report, at(2)).unwrap_err().kind(),
            "session_locked"
        );
        assert_eq!(guard.logout().map(|s| s.account), Some("an.nv".into()));
        assert_eq!(
            guard.require(Action::Report, at(3)).unwrap_err().kind(),
            "not_logged_in"
        );
    }

    #[test]
    fn a_timer_does_not_postpone_the_idle_lock() {
        let guard = signed_in(&[Role::Reception]);
        // The intake form's appointment refresh, every minute for ten minutes.
        for minute in 1..=10 {
            guard
                .require_as(Action::Intake, at(minute * 60), Activity::Timer)
                .unwrap();
        }
        assert_eq!(guard.current().unwrap().last_activity, at(0));
        let err = guard
            .require_as(Action::Intake, at(10 * 60 + 1), Activity::Timer)
            .unwrap_err();
        assert_eq!(err.kind(), "session_locked");
    }

    #[test]
    fn a_changed_account_applies_at_once_and_a_disabled_one_ends_the_session() {
        let guard = signed_in(&[Role::Reception, Role::Processing]);
        let mut changed = account(&[Role::Processing]);
        guard.refresh("an.nv", Some(&changed)).unwrap();
        assert_eq!(
            guard.require(Action::Intake, at(1)).unwrap_err().kind(),
            "forbidden"
        );
        guard.require(Action::Transition, at(2)).unwrap();
        // Someone else's account changing does not touch this session.
        guard.refresh("binh.tt", None).unwrap();
        changed.disabled = true;
        let err = guard.refresh("an.nv", Some(&changed)).unwrap_err();
        assert_eq!(err.kind(), "account_disabled");
        assert_eq!(guard.current(), None, "signed out");
        let guard = signed_in(&[Role::Reception]);
        assert!(guard.refresh("an.nv", None).is_err(), "a removed account");
        assert_eq!(guard.current(), None);
    }

    #[test]
    fn a_clock_going_backwards_does_not_rewind_activity() {
        let guard = signed_in(&[Role::Reception]);
        guard.touch(at(300)).unwrap();
        guard.touch(at(100)).unwrap();
        assert_eq!(guard.current().unwrap().last_activity, at(300));
    }
}
