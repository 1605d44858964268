//! Authorization codes and browser sessions of the OAuth authorize page.

use super::*;
use crate::oauth::{AuthCode, NewAuthCode, NewWebSession};
use crate::schema::{accounts, oauth_codes, web_sessions};
use hubbub_core::ids::AppId;

#[derive(Debug, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = oauth_codes, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct AuthCodeRow {
    code_hash: String,
    app_id: i64,
    account_id: i64,
    redirect_uri: String,
    scopes: String,
    code_challenge: Option<String>,
    expires_at: NaiveDateTime,
    used_at: Option<NaiveDateTime>,
    token_id: Option<String>,
}

impl From<AuthCodeRow> for AuthCode {
    fn from(row: AuthCodeRow) -> Self {
        Self {
            code_hash: row.code_hash,
            app_id: AppId(row.app_id),
            account_id: AccountId(row.account_id),
            redirect_uri: row.redirect_uri,
            scopes: row.scopes,
            code_challenge: row.code_challenge,
            expires_at: row.expires_at.and_utc(),
            used_at: row.used_at.map(|at| at.and_utc()),
            token_id: row.token_id,
        }
    }
}

#[derive(diesel::Insertable)]
#[diesel(table_name = oauth_codes)]
struct AuthCodeInsertForm<'a> {
    code_hash: &'a str,
    app_id: i64,
    account_id: i64,
    redirect_uri: &'a str,
    scopes: &'a str,
    code_challenge: Option<&'a str>,
    created_at: NaiveDateTime,
    expires_at: NaiveDateTime,
}

#[derive(diesel::Insertable)]
#[diesel(table_name = web_sessions)]
struct WebSessionInsertForm<'a> {
    id_hash: &'a str,
    account_id: i64,
    created_at: NaiveDateTime,
    expires_at: NaiveDateTime,
}

impl Store {
    /// Stores a new authorization code.
    pub async fn create_auth_code(&self, code: NewAuthCode) -> Result<(), StorageError> {
        self.run(move |conn| {
            diesel::insert_into(oauth_codes::table)
                .values(&AuthCodeInsertForm {
                    code_hash: &code.code_hash,
                    app_id: code.app_id.0,
                    account_id: code.account_id.0,
                    redirect_uri: &code.redirect_uri,
                    scopes: &code.scopes,
                    code_challenge: code.code_challenge.as_deref(),
                    created_at: to_db(code.created_at),
                    expires_at: to_db(code.expires_at),
                })
                .execute(conn)
                .map_err(|e| missing_account(e, "account_id"))?;
            Ok(())
        })
        .await
    }

    /// The code with this hash, used or not, expired or not: the caller decides.
    pub async fn auth_code(&self, code_hash: &str) -> Result<Option<AuthCode>, StorageError> {
        let code_hash = code_hash.to_owned();
        self.run(move |conn| {
            let row = oauth_codes::table
                .find(&code_hash)
                .select(AuthCodeRow::as_select())
                .first(conn)
                .optional()?;
            Ok(row.map(AuthCode::from))
        })
        .await
    }

    /// Marks an unused, unexpired code used; returns whether this call did so.
    /// Two concurrent redemptions of one code: exactly one gets `true`.
    pub async fn consume_auth_code(
        &self,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let code_hash = code_hash.to_owned();
        let now = to_db(now);
        self.run(move |conn| {
            let updated = diesel::update(
                oauth_codes::table
                    .find(&code_hash)
                    .filter(oauth_codes::used_at.is_null())
                    .filter(oauth_codes::expires_at.gt(now)),
            )
            .set(oauth_codes::used_at.eq(now))
            .execute(conn)?;
            Ok(updated == 1)
        })
        .await
    }

    /// Records which token a code was traded for.
    pub async fn set_auth_code_token(
        &self,
        code_hash: &str,
        token_id: &str,
    ) -> Result<(), StorageError> {
        let (code_hash, token_id) = (code_hash.to_owned(), token_id.to_owned());
        self.run(move |conn| {
            diesel::update(oauth_codes::table.find(&code_hash))
                .set(oauth_codes::token_id.eq(&token_id))
                .execute(conn)?;
            Ok(())
        })
        .await
    }

    /// Stores a new browser session.
    pub async fn create_web_session(&self, session: NewWebSession) -> Result<(), StorageError> {
        self.run(move |conn| {
            diesel::insert_into(web_sessions::table)
                .values(&WebSessionInsertForm {
                    id_hash: &session.id_hash,
                    account_id: session.account_id.0,
                    created_at: to_db(session.created_at),
                    expires_at: to_db(session.expires_at),
                })
                .execute(conn)
                .map_err(|e| missing_account(e, "account_id"))?;
            Ok(())
        })
        .await
    }

    /// The account signed in by this session, if the session is live and the
    /// account not disabled.
    pub async fn web_session_account(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Account>, StorageError> {
        let id_hash = id_hash.to_owned();
        let now = to_db(now);
        self.run(move |conn| {
            web_sessions::table
                .inner_join(accounts::table)
                .filter(web_sessions::id_hash.eq(&id_hash))
                .filter(web_sessions::revoked_at.is_null())
                .filter(web_sessions::expires_at.gt(now))
                .filter(accounts::disabled.eq(false))
                .select(AccountRow::as_select())
                .first(conn)
                .optional()?
                .map(Account::try_from)
                .transpose()
        })
        .await
    }

    /// Ends a browser session (sign-out).
    pub async fn revoke_web_session(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let id_hash = id_hash.to_owned();
        let now = to_db(now);
        self.run(move |conn| {
            diesel::update(
                web_sessions::table
                    .find(&id_hash)
                    .filter(web_sessions::revoked_at.is_null()),
            )
            .set(web_sessions::revoked_at.eq(now))
            .execute(conn)?;
            Ok(())
        })
        .await
    }
}
