//! Single sign-on: pending sign-ins, just-in-time accounts, one-time hand-over codes.

use super::*;
use crate::schema::{accounts, sso_codes, sso_identities, sso_logins};
use crate::sso::{SsoIdentity, SsoLogin, SsoProfile, SsoSignIn};
use hubbub_core::input::Username;

#[derive(diesel::Insertable, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = sso_logins, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct SsoLoginRow {
    state: String,
    nonce: String,
    code_verifier: String,
    return_to: String,
    created_at: NaiveDateTime,
}

#[derive(diesel::Insertable, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = sso_identities, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct SsoIdentityRow {
    account_id: i64,
    issuer: String,
    subject: String,
    department: String,
    job_title: String,
    groups: String,
    last_signed_in: NaiveDateTime,
}

impl Store {
    /// Records a sign-in about to be sent to the identity provider, and forgets
    /// those older than `expired_before` (abandoned at the provider).
    pub async fn create_sso_login(
        &self,
        login: SsoLogin,
        expired_before: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        self.run(move |conn| {
            diesel::delete(
                sso_logins::table.filter(sso_logins::created_at.lt(to_db(expired_before))),
            )
            .execute(conn)?;
            let row = SsoLoginRow {
                state: login.state,
                nonce: login.nonce,
                code_verifier: login.code_verifier,
                return_to: login.return_to,
                created_at: to_db(login.created_at),
            };
            diesel::insert_into(sso_logins::table)
                .values(&row)
                .execute(conn)?;
            Ok(())
        })
        .await
    }

    /// Takes (reads and deletes) the pending sign-in with this `state`, if it started
    /// at or after `not_before`: each can complete once.
    pub async fn take_sso_login(
        &self,
        state: &str,
        not_before: DateTime<Utc>,
    ) -> Result<Option<SsoLogin>, StorageError> {
        let state = state.to_owned();
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let row = sso_logins::table
                    .find(&state)
                    .select(SsoLoginRow::as_select())
                    .first(conn)
                    .optional()?;
                let Some(row) = row else { return Ok(None) };
                diesel::delete(sso_logins::table.find(&state)).execute(conn)?;
                if row.created_at < to_db(not_before) {
                    return Ok(None);
                }
                Ok(Some(SsoLogin {
                    state: row.state,
                    nonce: row.nonce,
                    code_verifier: row.code_verifier,
                    return_to: row.return_to,
                    created_at: row.created_at.and_utc(),
                }))
            })
        })
        .await
    }

    /// Signs a person in from their SSO profile: the account linked to the
    /// (issuer, subject) pair, else the account with the same email (linked now),
    /// else a new one (just-in-time). Name, email, role (when mapped) and the
    /// profile claims are refreshed from the provider each time.
    pub async fn sso_sign_in(
        &self,
        profile: SsoProfile,
        new_id: AccountId,
        now: DateTime<Utc>,
    ) -> Result<SsoSignIn, StorageError> {
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let now_db = to_db(now);
                let linked: Option<i64> = sso_identities::table
                    .filter(sso_identities::issuer.eq(&profile.issuer))
                    .filter(sso_identities::subject.eq(&profile.subject))
                    .select(sso_identities::account_id)
                    .first(conn)
                    .optional()?;
                let (account_id, created) = match linked {
                    Some(id) => (id, false),
                    None => match accounts::table
                        .filter(accounts::email.eq(profile.email.as_str()))
                        .select(accounts::id)
                        .first::<i64>(conn)
                        .optional()?
                    {
                        Some(id) => (id, false),
                        None => {
                            create_jit_account(conn, &profile, new_id, now_db)?;
                            (new_id.0, true)
                        }
                    },
                };
                // Email may have changed at the provider; keep the old one if the new
                // one belongs to someone else here.
                let email_free = accounts::table
                    .filter(accounts::email.eq(profile.email.as_str()))
                    .filter(accounts::id.ne(account_id))
                    .count()
                    .get_result::<i64>(conn)?
                    == 0;
                if email_free {
                    diesel::update(accounts::table.find(account_id))
                        .set(accounts::email.eq(profile.email.as_str()))
                        .execute(conn)?;
                }
                if !profile.display_name.as_str().is_empty() {
                    diesel::update(accounts::table.find(account_id))
                        .set(accounts::display_name.eq(profile.display_name.as_str()))
                        .execute(conn)?;
                }
                if let Some(role) = profile.role {
                    diesel::update(accounts::table.find(account_id))
                        .set(accounts::role.eq(role.as_str()))
                        .execute(conn)?;
                }
                let row = SsoIdentityRow {
                    account_id,
                    issuer: profile.issuer.clone(),
                    subject: profile.subject.clone(),
                    department: profile.department.clone(),
                    job_title: profile.job_title.clone(),
                    groups: profile.groups.join("\n"),
                    last_signed_in: now_db,
                };
                diesel::delete(sso_identities::table.find(account_id)).execute(conn)?;
                diesel::insert_into(sso_identities::table)
                    .values(&row)
                    .execute(conn)?;
                let account = accounts::table
                    .find(account_id)
                    .select(AccountRow::as_select())
                    .first(conn)?
                    .try_into()?;
                Ok(SsoSignIn { account, created })
            })
        })
        .await
    }

    /// The SSO profile stored with an account, if it signed in with SSO.
    pub async fn sso_identity(
        &self,
        account: AccountId,
    ) -> Result<Option<SsoIdentity>, StorageError> {
        self.run(move |conn| {
            let row = sso_identities::table
                .find(account.0)
                .select(SsoIdentityRow::as_select())
                .first(conn)
                .optional()?;
            Ok(row.map(|row| SsoIdentity {
                account_id: AccountId(row.account_id),
                issuer: row.issuer,
                subject: row.subject,
                department: row.department,
                job_title: row.job_title,
                groups: row.groups.lines().map(str::to_owned).collect(),
                last_signed_in: row.last_signed_in.and_utc(),
            }))
        })
        .await
    }

    /// Disables or enables an account; a disabled one cannot sign in and its tokens
    /// stop working. Returns whether the account exists.
    pub async fn set_account_disabled(
        &self,
        account: AccountId,
        disabled: bool,
    ) -> Result<bool, StorageError> {
        self.run(move |conn| {
            let changed = diesel::update(accounts::table.find(account.0))
                .set(accounts::disabled.eq(disabled))
                .execute(conn)?;
            Ok(changed == 1)
        })
        .await
    }

    /// Stores a one-time code (its hash) that hands `account` to the web client.
    pub async fn create_sso_code(
        &self,
        code_hash: String,
        account: AccountId,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        self.run(move |conn| {
            diesel::insert_into(sso_codes::table)
                .values((
                    sso_codes::code_hash.eq(&code_hash),
                    sso_codes::account_id.eq(account.0),
                    sso_codes::expires_at.eq(to_db(expires_at)),
                ))
                .execute(conn)?;
            Ok(())
        })
        .await
    }

    /// Takes a one-time code: the account it names if it has not expired at `now`.
    /// A code works once; expired codes are deleted on the way.
    pub async fn take_sso_code(
        &self,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<AccountId>, StorageError> {
        let code_hash = code_hash.to_owned();
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let found: Option<(i64, NaiveDateTime)> = sso_codes::table
                    .find(&code_hash)
                    .select((sso_codes::account_id, sso_codes::expires_at))
                    .first(conn)
                    .optional()?;
                diesel::delete(
                    sso_codes::table.filter(
                        sso_codes::code_hash
                            .eq(&code_hash)
                            .or(sso_codes::expires_at.le(now)),
                    ),
                )
                .execute(conn)?;
                Ok(found
                    .filter(|(_, expires_at)| *expires_at > now)
                    .map(|(id, _)| AccountId(id)))
            })
        })
        .await
    }
}

/// Creates the account of a first SSO sign-in, with the first free username among
/// the candidate, candidate2, candidate3, ... and no usable password.
fn create_jit_account(
    conn: &mut AnyConnection,
    profile: &SsoProfile,
    id: AccountId,
    now: NaiveDateTime,
) -> Result<(), StorageError> {
    let base = &profile.username_candidate;
    let taken: Vec<String> = accounts::table
        .filter(accounts::username_canonical.like(format!("{}%", base.to_ascii_lowercase())))
        .select(accounts::username_canonical)
        .load(conn)?;
    let username = std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}{n}")))
        .find(|name| !taken.contains(&name.to_ascii_lowercase()))
        .unwrap_or_else(|| base.clone());
    let username = Username::parse(&username)
        .map_err(|e| StorageError::Corrupt(format!("SSO username: {e}")))?;
    let form = AccountInsertForm {
        id: id.0,
        username: username.as_str(),
        username_canonical: &username.canonical(),
        display_name: profile.display_name.as_str(),
        email: profile.email.as_str(),
        // Not a PHC string: no password ever verifies against it.
        password_hash: SSO_ONLY_PASSWORD,
        role: profile.role.unwrap_or_default().as_str(),
        disabled: false,
        created_at: now,
    };
    diesel::insert_into(accounts::table)
        .values(&form)
        .execute(conn)?;
    Ok(())
}

/// The password hash of accounts created by SSO: matches no password.
pub const SSO_ONLY_PASSWORD: &str = "!sso";
