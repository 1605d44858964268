//! A seeded instance as a newcomer and a manager meet it: topic feeds, mention
//! notifications, reaction counts and a help-desk report with figures, on data
//! that the normal read paths accept as their own (each ticket's cached columns
//! agree with its event log).

use crate::helpers::{TestApp, data_dir, databases, test_settings};
use anyhow::Context;
use chrono::{Duration, Utc};
use hubbub_core::helpdesk::model::TicketFacts;
use hubbub_core::helpdesk::ticket::TicketState;
use hubbub_core::ids::{AccountId, StatusId};
use hubbub_server::seed::{DEMO_PASSWORD, STAGES, SeedOptions, seed};
use hubbub_storage::Store;
use serde_json::{Value, json};

fn options(now: chrono::DateTime<Utc>) -> SeedOptions {
    SeedOptions {
        seed: 11,
        people: 60,
        months: 2,
        force: false,
        now,
    }
}

/// Signs `username` in with the demo password (OAuth password grant).
async fn sign_in(app: &TestApp, username: &str) -> anyhow::Result<String> {
    let client: Value = app
        .http
        .post(app.url("/api/v1/apps"))
        .json(&json!({"client_name": "seeded", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read"}))
        .send()
        .await?
        .json()
        .await?;
    let grant: Value = app
        .http
        .post(app.url("/oauth/token"))
        .form(&[
            ("grant_type", "password"),
            ("username", username),
            ("password", DEMO_PASSWORD),
            (
                "client_id",
                client["client_id"].as_str().unwrap_or_default(),
            ),
            (
                "client_secret",
                client["client_secret"].as_str().unwrap_or_default(),
            ),
            ("scope", "read"),
        ])
        .send()
        .await?
        .json()
        .await?;
    Ok(grant["access_token"]
        .as_str()
        .with_context(|| format!("sign in as {username}: {grant}"))?
        .to_owned())
}

/// Walks `path` (a Mastodon list of objects with ids) page by page, newest
/// first, until `found` returns something or `pages` pages were read.
async fn find_in_pages<T>(
    app: &TestApp,
    token: &str,
    path: &str,
    pages: usize,
    mut found: impl FnMut(&Value) -> Option<T>,
) -> anyhow::Result<Option<T>> {
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut max_id: Option<String> = None;
    for _ in 0..pages {
        let url = match &max_id {
            Some(id) => format!("{path}{separator}limit=40&max_id={id}"),
            None => format!("{path}{separator}limit=40"),
        };
        let page = app.get_json(token, &url).await?;
        let items = page.as_array().context("a list")?;
        for item in items {
            if let Some(hit) = found(item) {
                return Ok(Some(hit));
            }
        }
        match items.last().and_then(|item| item["id"].as_str()) {
            Some(id) => max_id = Some(id.to_owned()),
            None => break,
        }
    }
    Ok(None)
}

#[tokio::test]
async fn a_seeded_instance_has_topic_feeds_mentions_reactions_and_a_help_desk_report()
-> anyhow::Result<()> {
    for database in databases().await? {
        let now = Utc::now();
        let store = Store::connect(database.url(), 4).await?;
        store.migrate().await?;
        let mut progress = Vec::new();
        seed(&store, &options(now), &mut progress).await?;
        let progress = String::from_utf8(progress)?;
        for stage in STAGES {
            assert!(progress.contains(&format!("\n  {stage}: ")), "{progress}");
        }
        let admin = progress
            .lines()
            .find_map(|line| line.strip_prefix("done: sign in as "))
            .and_then(|rest| rest.split_whitespace().next())
            .context("the admin's name")?
            .to_owned();
        let dir = data_dir()?;
        let app = TestApp::start(test_settings(database.url(), dir.path().into())?).await?;
        let token = sign_in(&app, &admin).await?;

        // A topic's feed lists the posts that carry it.
        for topic in ["helpdesk", "vpn"] {
            let feed = app
                .get_json(&token, &format!("/api/v1/timelines/tag/{topic}?limit=40"))
                .await?;
            let feed = feed.as_array().context("a feed")?;
            assert!(!feed.is_empty(), "#{topic} has no posts");
            for status in feed {
                let tags: Vec<&str> = status["tags"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|tag| tag["name"].as_str())
                    .collect();
                assert!(tags.contains(&topic), "{topic}: {status}");
            }
        }

        // Reaction and favourite counts are the people listed behind them.
        let mut checked = 0;
        let mut mention: Option<(String, String)> = None;
        let mut max_id: Option<String> = None;
        for _ in 0..40 {
            let url = match &max_id {
                Some(id) => format!("/api/v1/timelines/public?limit=40&max_id={id}"),
                None => "/api/v1/timelines/public?limit=40".to_owned(),
            };
            let page = app.get_json(&token, &url).await?;
            let page = page.as_array().context("a page")?.clone();
            for status in &page {
                let id = status["id"].as_str().context("id")?;
                if mention.is_none()
                    && let Some(mentioned) = status["mentions"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .find(|m| m["id"] != status["account"]["id"])
                {
                    let username = mentioned["username"].as_str().context("username")?;
                    mention = Some((id.to_owned(), username.to_owned()));
                }
                if checked >= 6 {
                    continue;
                }
                let favourites = status["favourites_count"].as_i64().unwrap_or(0);
                if favourites > 0 {
                    let who = app
                        .get_json(
                            &token,
                            &format!("/api/v1/statuses/{id}/favourited_by?limit=80"),
                        )
                        .await?;
                    assert_eq!(who.as_array().map(Vec::len), Some(favourites as usize));
                    checked += 1;
                }
                for reaction in status["hubbub"]["reactions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    let name = reaction["name"].as_str().context("name")?;
                    let who = app
                        .get_json(
                            &token,
                            &format!("/api/v1/statuses/{id}/reactions/{name}/accounts?limit=80"),
                        )
                        .await?;
                    assert_eq!(
                        who.as_array().map(Vec::len),
                        reaction["count"].as_u64().map(|n| n as usize),
                        "{name} on {id}"
                    );
                    checked += 1;
                }
            }
            if checked >= 6 && mention.is_some() {
                break;
            }
            match page.last().and_then(|s| s["id"].as_str()) {
                Some(id) => max_id = Some(id.to_owned()),
                None => break,
            }
        }
        assert!(checked >= 6, "too few favourites and reactions to check");

        // The mentioned person was notified, as when the post was written.
        let (status_id, username) = mention.context("no post mentions anyone")?;
        let theirs = sign_in(&app, &username).await?;
        let notified = find_in_pages(
            &app,
            &theirs,
            "/api/v1/notifications?types[]=mention",
            30,
            |n| (n["status"]["id"].as_str() == Some(status_id.as_str())).then_some(()),
        )
        .await?;
        assert!(
            notified.is_some(),
            "{username} was not notified of {status_id}"
        );

        // The manager's report of the seeded period has figures.
        let since = (now - Duration::days(61)).format("%Y-%m-%d");
        let until = (now + Duration::days(1)).format("%Y-%m-%d");
        let report = app
            .get_json(
                &token,
                &format!("/api/v1/reports/helpdesk?since={since}&until={until}"),
            )
            .await?;
        let summary = &report["summary"];
        assert!(summary["tickets"].as_u64() > Some(20), "{summary}");
        let share = summary["peer_resolved_share"].as_f64().context("share")?;
        assert!(share > 0.0 && share < 1.0, "{summary}");
        assert!(
            summary["expected"]["hours_saved"].as_f64() > Some(0.0),
            "{summary}"
        );
        assert!(summary["reuse"].as_i64() > Some(0), "{summary}");
        let busy_weeks = report["by_period"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|week| week["summary"]["tickets"].as_u64() > Some(0))
            .count();
        assert!(busy_weeks >= 6, "{busy_weeks} weeks with tickets");

        // Every ticket's cached columns say what its log says, and its starter
        // is a question showing the accepted answer.
        let admin_id = app
            .get_json(&token, "/api/v1/accounts/verify_credentials")
            .await?["id"]
            .as_str()
            .context("admin id")?
            .parse::<i64>()?;
        let settings = store.helpdesk_settings().await?.settings;
        let tickets = store
            .helpdesk_report_batch(
                now - Duration::days(400),
                now + Duration::days(1),
                AccountId(admin_id),
                None,
                100_000,
            )
            .await?;
        assert!(tickets.len() > 20);
        for report in &tickets {
            let ticket = &report.ticket;
            let facts = TicketFacts::from_log(
                ticket.id,
                ticket.asker_id,
                ticket.created_at,
                &report.log,
                &settings,
            );
            assert_eq!(ticket.first_response_at, facts.first_response_at);
            assert_eq!(
                ticket.first_support_response_at,
                facts.first_support_response_at
            );
            assert_eq!(ticket.resolved_at, facts.resolved_at, "{ticket:?}");
            assert_eq!(ticket.answer_id, facts.answer_id);
            assert_eq!(ticket.category, facts.category);
            assert_eq!(
                ticket.state == TicketState::Resolved,
                ticket.resolved_at.is_some()
            );
            let starter = store
                .status(StatusId(ticket.id.0), None)
                .await?
                .context("starter")?;
            assert!(starter.question);
            if ticket.answer_id.is_some() {
                assert_eq!(starter.accepted_answer_id, ticket.answer_id);
            }
        }
        app.stop().await?;
    }
    Ok(())
}
