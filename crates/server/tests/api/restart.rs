//! What people stored is still there after a restart, and their tokens still work.

use crate::helpers::{TestApp, data_dir, databases, test_settings};
use serde_json::json;

#[tokio::test]
async fn posts_follows_and_sign_ins_survive_a_restart() -> anyhow::Result<()> {
    for database in databases().await? {
        let dir = data_dir()?;
        let settings = test_settings(database.url(), dir.path().into())?;
        let app = TestApp::start(settings.clone()).await?;
        let author = app.register("persistent_author").await?;
        let reader = app.register("persistent_reader").await?;
        app.post_json(
            &reader.token,
            &format!("/api/v1/accounts/{}/follow", author.id),
            json!({}),
        )
        .await?;
        let status = app
            .post_json(
                &author.token,
                "/api/v1/statuses",
                json!({"status": "still here?"}),
            )
            .await?;
        app.stop().await?;

        let app = TestApp::start(settings).await?;
        let home = app
            .get_json(&reader.token, "/api/v1/timelines/home")
            .await?;
        assert_eq!(home[0]["id"], status["id"]);
        assert_eq!(home[0]["text"], "still here?");
        app.stop().await?;
    }
    Ok(())
}

#[tokio::test]
async fn the_embedded_default_keeps_its_database_and_signing_key_in_the_data_folder()
-> anyhow::Result<()> {
    let dir = data_dir()?;
    let mut settings = test_settings("sqlite://unused", dir.path().into())?;
    settings.database_url = format!("sqlite://{}", dir.path().join("hubbub.db").display());
    let app = TestApp::start(settings).await?;
    app.register("embedded_user").await?;
    app.stop().await?;
    assert!(dir.path().join("hubbub.db").exists());
    assert!(dir.path().join("jwt-secret.key").exists());
    Ok(())
}
