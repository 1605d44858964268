//! Access tokens and their revocation.

use super::*;
use crate::schema::{access_tokens, accounts};

impl Store {
    /// Stores a newly issued token.
    pub async fn create_token(&self, token: NewAccessToken) -> Result<(), StorageError> {
        self.run(move |conn| {
            let form = AccessTokenInsertForm {
                id: &token.id,
                account_id: token.account_id.map(|id| id.0),
                app_id: token.app_id.map(|id| id.0),
                scopes: &token.scopes,
                created_at: to_db(token.created_at),
                expires_at: token.expires_at.map(to_db),
            };
            diesel::insert_into(access_tokens::table)
                .values(&form)
                .execute(conn)?;
            Ok(())
        })
        .await
    }

    /// The token with this id if it is neither revoked nor expired at `now` and its
    /// account (if any) is not disabled.
    pub async fn active_token(
        &self,
        token_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<AccessToken>, StorageError> {
        let token_id = token_id.to_owned();
        let now = to_db(now);
        self.run(move |conn| {
            let row = access_tokens::table
                .left_join(accounts::table)
                .filter(access_tokens::id.eq(&token_id))
                .filter(access_tokens::revoked_at.is_null())
                .filter(
                    access_tokens::expires_at
                        .is_null()
                        .or(access_tokens::expires_at.gt(now)),
                )
                .filter(
                    access_tokens::account_id
                        .is_null()
                        .or(accounts::disabled.nullable().eq(false)),
                )
                .select(AccessTokenRow::as_select())
                .first(conn)
                .optional()?;
            Ok(row.map(AccessToken::from))
        })
        .await
    }

    /// Revokes a token and records a `TokenRevoked` event in the same transaction.
    /// Returns whether a live token was revoked.
    pub async fn revoke_token(
        &self,
        token_id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let token_id = token_id.to_owned();
        let now = to_db(now);
        self.run(move |conn| {
            write_transaction(conn, |conn| {
                let revoked = diesel::update(
                    access_tokens::table
                        .filter(access_tokens::id.eq(&token_id))
                        .filter(access_tokens::revoked_at.is_null())
                        .filter(
                            access_tokens::expires_at
                                .is_null()
                                .or(access_tokens::expires_at.gt(now)),
                        ),
                )
                .set(access_tokens::revoked_at.eq(now))
                .execute(conn)?;
                if revoked == 0 {
                    return Ok(false);
                }
                append_event(conn, &EventBody::TokenRevoked { token_id }, now)?;
                Ok(true)
            })
        })
        .await
    }
}
