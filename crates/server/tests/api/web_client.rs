//! The web client is served at `/`, and the client's own routes survive a reload.

use crate::helpers::{TestApp, data_dir, test_settings};
use hubbub_testkit::database::TestDatabase;
use serde_json::Value;

#[tokio::test]
async fn client_routes_get_the_same_page_as_the_root_and_unknown_api_paths_get_json()
-> anyhow::Result<()> {
    let database = TestDatabase::sqlite().await?;
    let dir = data_dir()?;
    let app = TestApp::start(test_settings(database.url(), dir.path().into())?).await?;
    let root = app.http.get(app.url("/")).send().await?;
    let root_status = root.status();
    let root_body = root.text().await?;
    let deep = app.http.get(app.url("/@someone/profile")).send().await?;
    assert_eq!(deep.status(), root_status);
    assert_eq!(deep.text().await?, root_body);
    assert!(root_body.contains("<html") || root_body.contains("web client is not built"));

    let missing = app
        .http
        .get(app.url("/api/v1/no_such_thing"))
        .send()
        .await?;
    assert_eq!(missing.status(), 404);
    let body: Value = missing.json().await?;
    assert!(body["error"].is_string());
    app.stop().await
}
