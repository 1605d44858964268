//! Operations: health, readiness and metrics on both listeners, request ids,
//! and what the admin commands do to a running instance.

use crate::helpers::{TestApp, data_dir, databases, test_settings};
use hubbub_server::admin::{self, AdminCommand};
use hubbub_storage::Store;
use serde_json::{Value, json};
use std::time::Duration;

/// A plain GET over a raw socket (the gateway's listener is not actix).
async fn raw_get(ws_base: &str, path: &str) -> anyhow::Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = ws_base.trim_start_matches("ws://");
    let mut socket = tokio::net::TcpStream::connect(addr).await?;
    socket
        .write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
        .await?;
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(5), socket.read_to_string(&mut answer)).await??;
    Ok(answer)
}

#[tokio::test]
async fn health_ready_and_metrics_answer_on_the_api_and_the_gateway() -> anyhow::Result<()> {
    let dir = data_dir()?;
    let database = hubbub_testkit::database::TestDatabase::sqlite().await?;
    let app = TestApp::start(test_settings(database.url(), dir.path().into())?).await?;
    let user = app.register("metrics_user").await?;
    app.get_json(&user.token, "/api/v1/timelines/home").await?;

    for path in ["/health", "/ready"] {
        let response = app.http.get(app.url(path)).send().await?;
        assert_eq!(response.status(), 200, "API {path}");
        let answer = raw_get(&app.streaming, path).await?;
        assert!(
            answer.starts_with("HTTP/1.1 200"),
            "gateway {path}: {answer}"
        );
    }
    let metrics = app
        .http
        .get(app.url("/metrics"))
        .send()
        .await?
        .text()
        .await?;
    assert!(
        metrics.contains(
            r#"hubbub_http_requests_total{method="GET",route="/api/v1/timelines/home",status="200"} 1"#
        ),
        "{metrics}"
    );
    assert!(metrics.contains("hubbub_http_request_duration_seconds_bucket{"));
    assert!(metrics.contains("hubbub_outbox_lag_seconds "));
    assert!(metrics.contains("hubbub_db_pool_connections{state=\"busy\"}"));
    let _stream = app.stream(&user.token, "user").await?;
    let gateway_metrics = raw_get(&app.streaming, "/metrics").await?;
    assert!(
        gateway_metrics.contains("hubbub_websocket_connections 1"),
        "{gateway_metrics}"
    );
    app.stop().await
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_a_given_one_is_echoed() -> anyhow::Result<()> {
    let dir = data_dir()?;
    let database = hubbub_testkit::database::TestDatabase::sqlite().await?;
    let app = TestApp::start(test_settings(database.url(), dir.path().into())?).await?;
    let given = app
        .http
        .get(app.url("/api/v1/instance"))
        .header("X-Request-Id", "trace-42.a_b")
        .send()
        .await?;
    assert_eq!(given.headers()["x-request-id"], "trace-42.a_b");
    let generated = app.http.get(app.url("/api/v1/nowhere")).send().await?;
    assert_eq!(generated.status(), 404);
    let id = generated.headers()["x-request-id"].to_str()?;
    assert_eq!(id.len(), 32, "{id}");
    let hostile = app
        .http
        .get(app.url("/health"))
        .header("X-Request-Id", "x\" injected=1")
        .send()
        .await?;
    assert_ne!(hostile.headers()["x-request-id"], "x\" injected=1");
    app.stop().await
}

async fn run(store: &Store, command: AdminCommand) -> anyhow::Result<String> {
    let mut out = Vec::new();
    admin::run(store, command, &mut out).await?;
    Ok(String::from_utf8(out)?)
}

#[tokio::test]
async fn a_disabled_person_is_signed_out_at_once_and_their_stream_ends() -> anyhow::Result<()> {
    for database in databases().await? {
        let dir = data_dir()?;
        let app = TestApp::start(test_settings(database.url(), dir.path().into())?).await?;
        let user = app.register("leaver").await?;
        let mut stream = app.stream(&user.token, "user").await?;
        let store = Store::connect(database.url(), 2).await?;

        run(
            &store,
            AdminCommand::Disable {
                user: "leaver".into(),
            },
        )
        .await?;

        let response = app
            .http
            .get(app.url("/api/v1/accounts/verify_credentials"))
            .bearer_auth(&user.token)
            .send()
            .await?;
        assert_eq!(response.status(), 401);
        stream.expect_closed(Duration::from_secs(5)).await?;

        run(
            &store,
            AdminCommand::Enable {
                user: "leaver".into(),
            },
        )
        .await?;
        let out = run(
            &store,
            AdminCommand::ResetPassword {
                user: "leaver@example.com".into(),
                password: None,
            },
        )
        .await?;
        let password = out
            .lines()
            .find_map(|line| line.strip_prefix("password: "))
            .unwrap_or_default()
            .to_owned();
        assert_eq!(password.len(), 16, "{out}");
        app.stop().await?;
    }
    Ok(())
}

#[tokio::test]
async fn an_org_directory_imports_once_with_managers_and_a_bad_row_imports_nothing()
-> anyhow::Result<()> {
    for database in databases().await? {
        let store = Store::connect(database.url(), 2).await?;
        store.migrate().await?;
        let dir = data_dir()?;
        let good = dir.path().join("org.csv");
        std::fs::write(
            &good,
            "name,email,department,title,manager_email\n\
             Dana Report,dana@corp.example,IT,Analyst,cleo@corp.example\n\
             Cleo Boss,cleo@corp.example,IT,Head of IT,\n",
        )?;
        let out = run(&store, AdminCommand::ImportUsers { file: good.clone() }).await?;
        assert!(out.contains("2 created, 0 updated"), "{out}");
        let again = run(&store, AdminCommand::ImportUsers { file: good }).await?;
        assert!(again.contains("0 created, 2 updated"), "{again}");
        let dana = admin::find(&store, "dana@corp.example").await?;
        let cleo = admin::find(&store, "cleo").await?;
        assert_eq!(dana.manager_id, Some(cleo.id));
        assert_eq!(dana.job_title.as_deref(), Some("Analyst"));

        let bad = dir.path().join("bad.csv");
        std::fs::write(
            &bad,
            "name,email,department,title,manager_email\n\
             Eve New,eve@corp.example,IT,Analyst,\n\
             Finn New,finn@corp.example,IT,Analyst,ghost@corp.example\n",
        )?;
        let error = run(&store, AdminCommand::ImportUsers { file: bad })
            .await
            .unwrap_err()
            .to_string();
        assert!(error.contains("line 3"), "{error}");
        assert!(store.account_by_login("eve@corp.example").await?.is_none());
    }
    Ok(())
}

#[tokio::test]
async fn an_export_holds_a_persons_posts_and_the_network_export_every_record() -> anyhow::Result<()>
{
    for database in databases().await? {
        let dir = data_dir()?;
        let app = TestApp::start(test_settings(database.url(), dir.path().into())?).await?;
        let user = app.register("exported").await?;
        app.post_json(
            &user.token,
            "/api/v1/statuses",
            json!({"status": "keep me"}),
        )
        .await?;
        let store = Store::connect(database.url(), 2).await?;
        let out = run(
            &store,
            AdminCommand::ExportUser {
                user: "exported".into(),
                output: None,
            },
        )
        .await?;
        let export: Value = serde_json::from_str(&out)?;
        assert_eq!(export["account"]["username"], "exported");
        assert_eq!(export["posts"][0]["text"], "keep me");
        assert!(export["account"].get("password_hash").is_none());

        let all = run(&store, AdminCommand::ExportAll { output: None }).await?;
        let types: Vec<String> = all
            .lines()
            .map(|line| serde_json::from_str::<Value>(line).map(|v| v["type"].to_string()))
            .collect::<Result<_, _>>()?;
        // Writing a post follows its thread, so the follow is exported too.
        assert_eq!(types, ["\"account\"", "\"status\"", "\"thread_follow\""]);
        assert_eq!(export["thread_follows"][0]["source"], "post");
        app.stop().await?;
    }
    Ok(())
}

#[tokio::test]
async fn only_admins_use_the_admin_api_to_list_show_and_set_roles_of_accounts() -> anyhow::Result<()>
{
    for database in databases().await? {
        let dir = data_dir()?;
        let app = TestApp::start(test_settings(database.url(), dir.path().into())?).await?;
        let boss = app.register("boss").await?;
        let worker = app.register("worker").await?;
        let refused = app
            .http
            .get(app.url("/api/v1/admin/accounts"))
            .bearer_auth(&worker.token)
            .send()
            .await?;
        assert_eq!(refused.status(), 403);

        let store = Store::connect(database.url(), 2).await?;
        run(
            &store,
            AdminCommand::SetRole {
                user: "boss".into(),
                role: "admin".into(),
            },
        )
        .await?;
        // Admin endpoints need a token with the admin scopes, as in Mastodon.
        let signed_in: Value = app
            .http
            .post(app.url("/oauth/token"))
            .form(&[
                ("grant_type", "password"),
                ("username", "boss"),
                ("password", "correct horse battery"),
                ("scope", "read write admin:read admin:write"),
            ])
            .send()
            .await?
            .json()
            .await?;
        let boss = crate::helpers::User {
            token: signed_in["access_token"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            id: boss.id,
        };
        let list = app.get_json(&boss.token, "/api/v1/admin/accounts").await?;
        let names: Vec<&str> = list
            .as_array()
            .map(|a| a.iter().filter_map(|x| x["username"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(names, ["worker", "boss"]);
        assert_eq!(list[1]["role"]["name"], "admin");

        let path = format!("/api/v1/admin/accounts/{}", worker.id);
        let changed = app
            .post_json(
                &boss.token,
                &format!("{path}/role"),
                json!({"role": "support"}),
            )
            .await?;
        assert_eq!(changed["role"]["name"], "support");
        let bad_role = app
            .http
            .post(app.url(&format!("{path}/role")))
            .bearer_auth(&boss.token)
            .json(&json!({"role": "wizard"}))
            .send()
            .await?;
        assert_eq!(bad_role.status(), 422);

        app.post_json(
            &boss.token,
            &format!("{path}/action"),
            json!({"type": "disable"}),
        )
        .await?;
        let shut_out = app
            .http
            .get(app.url("/api/v1/accounts/verify_credentials"))
            .bearer_auth(&worker.token)
            .send()
            .await?;
        assert_eq!(shut_out.status(), 401);
        let shown = app.get_json(&boss.token, &path).await?;
        assert_eq!(shown["disabled"], true);
        app.post_json(&boss.token, &format!("{path}/unsuspend"), json!({}))
            .await?;
        let shown = app.get_json(&boss.token, &path).await?;
        assert_eq!(shown["disabled"], false);
        let missing = app
            .http
            .get(app.url("/api/v1/admin/accounts/123"))
            .bearer_auth(&boss.token)
            .send()
            .await?;
        assert_eq!(missing.status(), 404);
        app.stop().await?;
    }
    Ok(())
}
