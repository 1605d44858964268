//! Client applications.

use super::*;
use crate::schema::apps;

impl Store {
    /// Registers a client application.
    pub async fn create_app(&self, app: NewApp) -> Result<App, StorageError> {
        self.run(move |conn| {
            let form = AppInsertForm {
                id: app.id.0,
                name: &app.name,
                client_id: &app.client_id,
                client_secret: &app.client_secret,
                redirect_uris: &app.redirect_uris,
                scopes: &app.scopes,
                website: app.website.as_deref(),
                created_at: to_db(app.created_at),
            };
            let row: AppRow = diesel::insert_into(apps::table)
                .values(&form)
                .get_result(conn)?;
            Ok(row.into())
        })
        .await
    }

    /// Looks an application up by its public client id.
    pub async fn app_by_client_id(&self, client_id: &str) -> Result<Option<App>, StorageError> {
        let client_id = client_id.to_owned();
        self.run(move |conn| {
            let row = apps::table
                .filter(apps::client_id.eq(&client_id))
                .select(AppRow::as_select())
                .first(conn)
                .optional()?;
            Ok(row.map(App::from))
        })
        .await
    }
}
