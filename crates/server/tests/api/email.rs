//! Email against a real SMTP server (aiosmtpd, see `smtp_server.rs`): the right
//! people get the right emails, batching and opt-outs hold, the digest matches its
//! fixtures, and an SMTP outage delays mail without losing any.

use crate::helpers::{TestApp, User, data_dir, databases, test_settings};
use crate::smtp_server::{SmtpServer, received, wait_for_mail};
use anyhow::Context;
use chrono::{DateTime, Datelike, Duration as Days, Timelike, Utc};
use hubbub_core::ids::{AccountId, StatusId};
use hubbub_core::input::{DisplayName, Email, StatusText, Username};
use hubbub_core::role::Role;
use hubbub_server::mail::compose::digest_email;
use hubbub_server::mail::digest::{DigestContext, default_sources, sections};
use hubbub_server::settings_email::RawEmailSettings;
use hubbub_storage::Store;
use hubbub_storage::email::EmailPreferences;
use hubbub_storage::model::{NewAccount, NewStatus};
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// Hubbub sending through SMTP on `smtp_port`, batching per `batch_seconds`.
async fn start(
    database_url: &str,
    dir: &Path,
    smtp_port: u16,
    batch_seconds: u64,
) -> anyhow::Result<TestApp> {
    let mut settings = test_settings(database_url, dir.into())?;
    settings.email = RawEmailSettings {
        smtp_url: Some(format!("smtp://127.0.0.1:{smtp_port}")),
        email_from: Some("Hubbub <hubbub@corp.example>".into()),
        email_batch_seconds: Some(batch_seconds.to_string()),
        email_retry_seconds: Some("1".into()),
        email_poll_ms: Some("100".into()),
        email_time_zone: None,
    }
    .check(dir)?;
    TestApp::start(settings).await
}

async fn post(
    app: &TestApp,
    user: &User,
    text: &str,
    reply_to: Option<&Value>,
) -> anyhow::Result<Value> {
    let mut body = json!({ "status": text });
    if let Some(parent) = reply_to {
        body["in_reply_to_id"] = parent["id"].clone();
    }
    app.post_json(&user.token, "/api/v1/statuses", body).await
}

async fn put_json(app: &TestApp, token: &str, path: &str, body: Value) -> anyhow::Result<Value> {
    let response = app
        .http
        .put(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await?;
    let status = response.status();
    let body: Value = response.json().await?;
    anyhow::ensure!(status.is_success(), "PUT {path}: {status} {body}");
    Ok(body)
}

fn to(mail: &crate::smtp_server::Received) -> String {
    mail.header("X-Envelope-To").unwrap_or_default()
}

#[tokio::test]
async fn the_author_of_the_post_replied_to_gets_one_email_with_text_html_and_unsubscribe()
-> anyhow::Result<()> {
    for database in databases().await? {
        let dir = data_dir()?;
        let maildir = dir.path().join("received");
        let smtp = SmtpServer::start(0, &maildir).await?;
        let app = start(database.url(), dir.path(), smtp.port, 600).await?;
        let alice = app.register("alice").await?;
        let bob = app.register("bob").await?;
        let carol = app.register("carol").await?;

        let root = post(&app, &alice, "Where is the printer on floor 3?", None).await?;
        post(&app, &alice, "(It used to be by the kitchen.)", Some(&root)).await?;
        let answer = post(&app, &bob, "Next to the lifts.", Some(&root)).await?;
        post(&app, &carol, "Thanks Bob!", Some(&answer)).await?;

        // Alice hears about Bob's reply, Bob about Carol's; nobody about their own.
        let mail = wait_for_mail(&maildir, 2, WAIT).await?;
        let for_alice: Vec<_> = mail
            .iter()
            .filter(|m| to(m) == "alice@example.com")
            .collect();
        let for_bob: Vec<_> = mail.iter().filter(|m| to(m) == "bob@example.com").collect();
        assert_eq!(for_alice.len(), 1, "{mail:#?}");
        assert_eq!(for_bob.len(), 1, "{mail:#?}");
        let email = for_alice[0];
        assert_eq!(
            email.header("Subject").as_deref(),
            Some("bob replied to your post")
        );
        assert!(email.decoded.contains("multipart/alternative"));
        assert!(email.decoded.contains("text/plain") && email.decoded.contains("text/html"));
        assert!(email.decoded.contains("Next to the lifts."));
        let thread_link = format!("{}/@alice/{}", app.base, root["id"].as_str().context("id")?);
        assert!(
            email.decoded.contains(&thread_link),
            "no {thread_link} in {}",
            email.decoded
        );
        assert_eq!(
            email.header("List-Unsubscribe-Post").as_deref(),
            Some("List-Unsubscribe=One-Click")
        );
        let unsubscribe = email
            .header("List-Unsubscribe")
            .context("List-Unsubscribe")?;
        let unsubscribe = unsubscribe.trim_start_matches('<').trim_end_matches('>');
        assert!(unsubscribe.contains("kind=reply"));

        // One click (RFC 8058) turns reply emails off.
        let response = app
            .http
            .post(unsubscribe)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await?;
        assert!(response.status().is_success());
        let prefs = app
            .get_json(&alice.token, "/api/v1/hubbub/email_preferences")
            .await?;
        assert_eq!(prefs["notifications"]["reply"], false);
        assert_eq!(prefs["notifications"]["mention"], true);
        app.stop().await?;
    }
    Ok(())
}

#[tokio::test]
async fn replies_within_the_batch_window_arrive_together_and_opted_out_people_get_none()
-> anyhow::Result<()> {
    let database = hubbub_testkit::database::TestDatabase::sqlite().await?;
    let dir = data_dir()?;
    let maildir = dir.path().join("received");
    let smtp = SmtpServer::start(0, &maildir).await?;
    let app = start(database.url(), dir.path(), smtp.port, 3).await?;
    let alice = app.register("alice").await?;
    let bob = app.register("bob").await?;
    let carol = app.register("carol").await?;
    let dave = app.register("dave").await?;

    let root = post(&app, &alice, "Lunch on Friday?", None).await?;
    post(&app, &bob, "Yes!", Some(&root)).await?;
    let first = wait_for_mail(&maildir, 1, WAIT).await?;
    let first_at = std::time::Instant::now();
    assert!(first[0].decoded.contains("Yes!"));
    post(&app, &carol, "Count me in", Some(&root)).await?;
    post(&app, &dave, "Me too", Some(&root)).await?;

    let mail = wait_for_mail(&maildir, 2, WAIT).await?;
    assert!(
        first_at.elapsed() >= Duration::from_secs(2),
        "the batch came before the window closed"
    );
    let batch = &mail[1];
    assert_eq!(
        batch.header("Subject").as_deref(),
        Some("2 new replies to your post")
    );
    assert!(batch.decoded.contains("Count me in") && batch.decoded.contains("Me too"));

    // Dave opts out of reply emails; a reply to his post then emails nobody,
    // while one to Bob's does (and is planned after Dave's, so Dave's is settled).
    put_json(
        &app,
        &dave.token,
        "/api/v1/hubbub/email_preferences",
        json!({"notifications": {"reply": false}}),
    )
    .await?;
    let dave_post = post(&app, &dave, "Anyone for coffee?", None).await?;
    post(&app, &carol, "Sure", Some(&dave_post)).await?;
    let bob_post = post(&app, &bob, "Board games tonight", None).await?;
    post(&app, &carol, "Yes please", Some(&bob_post)).await?;
    let mail = wait_for_mail(&maildir, 3, WAIT).await?;
    assert_eq!(to(&mail[2]), "bob@example.com");
    let store = Store::connect(database.url(), 2).await?;
    let dave_id = AccountId(dave.id.parse()?);
    assert!(store.queued_emails(dave_id).await?.is_empty());
    assert!(
        received(&maildir)?
            .iter()
            .all(|m| to(m) != "dave@example.com")
    );
    let alice_id = AccountId(alice.id.parse()?);
    assert_eq!(
        store.queued_emails(alice_id).await?.len(),
        2,
        "alice got more than the two emails"
    );
    app.stop().await
}

#[tokio::test]
async fn an_smtp_outage_delays_mail_and_loses_none() -> anyhow::Result<()> {
    for database in databases().await? {
        let dir = data_dir()?;
        let maildir = dir.path().join("received");
        // A port with nothing listening yet: the SMTP server is "down".
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let app = start(database.url(), dir.path(), port, 600).await?;
        let alice = app.register("alice").await?;
        let bob = app.register("bob").await?;
        let root = post(&app, &alice, "Is the VPN down?", None).await?;
        post(&app, &bob, "Works for me", Some(&root)).await?;

        let store = Store::connect(database.url(), 2).await?;
        let alice_id = AccountId(alice.id.parse()?);
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let queued = store.queued_emails(alice_id).await?;
            if queued
                .first()
                .is_some_and(|e| e.attempts >= 2 && e.last_error.is_some())
            {
                assert!(queued[0].sent_at.is_none());
                break;
            }
            anyhow::ensure!(
                tokio::time::Instant::now() < deadline,
                "no failed attempts recorded: {queued:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        let _smtp = SmtpServer::start(port, &maildir).await?;
        let mail = wait_for_mail(&maildir, 1, Duration::from_secs(30)).await?;
        assert_eq!(mail.len(), 1);
        assert!(mail[0].decoded.contains("Works for me"));
        // The SMTP server has the message before the worker records the send.
        let deadline = tokio::time::Instant::now() + WAIT;
        while store.queued_emails(alice_id).await?[0].sent_at.is_none() {
            anyhow::ensure!(
                tokio::time::Instant::now() < deadline,
                "the delivered email was never marked sent"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        app.stop().await?;
    }
    Ok(())
}

#[tokio::test]
async fn the_weekly_digest_arrives_at_the_chosen_local_time() -> anyhow::Result<()> {
    let database = hubbub_testkit::database::TestDatabase::sqlite().await?;
    let dir = data_dir()?;
    let maildir = dir.path().join("received");
    let smtp = SmtpServer::start(0, &maildir).await?;
    let app = start(database.url(), dir.path(), smtp.port, 600).await?;
    let alice = app.register("alice").await?;
    let bob = app.register("bob").await?;
    // The digest's threads are those that concern Alice: she follows Bob.
    app.post_json(
        &alice.token,
        &format!("/api/v1/accounts/{}/follow", bob.id),
        json!({}),
    )
    .await?;
    let root = post(&app, &bob, "Who has the projector?", None).await?;
    post(&app, &bob, "It's not in room 4.", Some(&root)).await?;

    // Alice wants her digest now-ish, in Tokyo time.
    let tokyo = Utc::now().with_timezone(&chrono_tz::Asia::Tokyo);
    let prefs = put_json(
        &app,
        &alice.token,
        "/api/v1/hubbub/email_preferences",
        json!({"notifications": {"reply": false}, "digest": {
            "day": tokyo.weekday().to_string().to_lowercase(),
            "time": format!("{:02}:{:02}", tokyo.hour(), tokyo.minute()),
            "time_zone": "Asia/Tokyo"
        }}),
    )
    .await?;
    assert_eq!(prefs["digest"]["time_zone"], "Asia/Tokyo");
    let mail = wait_for_mail(&maildir, 1, WAIT).await?;
    let digest = mail
        .iter()
        .find(|m| to(m) == "alice@example.com")
        .context("alice's digest")?;
    assert!(
        digest
            .header("Subject")
            .unwrap_or_default()
            .starts_with("Your week on Hubbub")
    );
    assert!(digest.decoded.contains("Most active threads"));
    assert!(digest.decoded.contains("Who has the projector?"));
    assert!(
        digest
            .header("List-Unsubscribe")
            .unwrap_or_default()
            .contains("kind=digest")
    );
    // The next one is a week on.
    let prefs = app
        .get_json(&alice.token, "/api/v1/hubbub/email_preferences")
        .await?;
    let next: DateTime<Utc> = prefs["digest"]["next_at"]
        .as_str()
        .context("next_at")?
        .parse()?;
    assert!(next > Utc::now() + Days::days(6), "{next}");
    app.stop().await
}

fn at(s: &str) -> anyhow::Result<DateTime<Utc>> {
    Ok(DateTime::parse_from_rfc3339(s)?.with_timezone(&Utc))
}

/// Compares `actual` with the fixture file; `UPDATE_FIXTURES=1` rewrites it.
fn matches_fixture(name: &str, actual: &str) -> anyhow::Result<()> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::create_dir_all(path.parent().context("fixture dir")?)?;
        std::fs::write(&path, actual)?;
    }
    let expected =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    assert_eq!(actual, expected, "{name} differs from its fixture");
    Ok(())
}

#[tokio::test]
async fn the_digest_lists_the_most_active_threads_as_in_its_fixtures() -> anyhow::Result<()> {
    for database in databases().await? {
        let store = Store::connect(database.url(), 2).await?;
        store.migrate().await?;
        let t0 = at("2026-11-23T09:00:00Z")?;
        let mut next_id = 1_000;
        let mut account = |username: &str, name: &str| {
            next_id += 1;
            Ok::<_, anyhow::Error>(NewAccount {
                id: AccountId(next_id),
                username: Username::parse(username)?,
                email: Email::parse(&format!("{username}@corp.example"))?,
                display_name: DisplayName::parse(name)?,
                password_hash: "!".into(),
                role: Role::Member,
                created_at: t0,
            })
        };
        let alice = store
            .create_account(account("alice", "Alice Admin")?)
            .await?;
        let bob = store
            .create_account(account("bob", "Bob <Builder>")?)
            .await?;
        let carol = store.create_account(account("carol", "")?).await?;
        let mut status_id = 5_000;
        let mut say = async |who: AccountId, text: &str, parent: Option<StatusId>, minutes: i64| {
            status_id += 1;
            store
                .create_status(
                    NewStatus {
                        id: StatusId(status_id),
                        account_id: who,
                        text: StatusText::parse(text, 5000)?,
                        in_reply_to_id: parent,
                        community_id: None,
                        created_at: t0 + Days::minutes(minutes),
                    },
                    "{}".into(),
                )
                .await
                .map_err(anyhow::Error::from)
        };
        let printer = say(
            bob.id,
            "Where is the printer on floor 3? It moved & nobody told us",
            None,
            0,
        )
        .await?;
        let lifts = say(carol.id, "Next to the lifts", Some(printer.id), 5).await?;
        say(bob.id, "Thanks!", Some(lifts.id), 6).await?;
        say(alice.id, "It moves back on Monday", Some(printer.id), 7).await?;
        let lunch = say(alice.id, "Team lunch on Friday?", None, 10).await?;
        say(carol.id, "Yes", Some(lunch.id), 11).await?;
        // The busiest thread of the week, but nothing to Alice: not her
        // thread, community or topic, nor by anyone she follows.
        let parking = say(carol.id, "Parking tips?", None, 20).await?;
        for minute in 21..25 {
            say(bob.id, "Level -2 is free", Some(parking.id), minute).await?;
        }
        // Outside the week: not counted.
        let old = say(carol.id, "Old news", None, -20_000).await?;
        say(bob.id, "Very old reply", Some(old.id), -19_999).await?;

        let prefs = EmailPreferences {
            account_id: alice.id,
            disabled: Vec::new(),
            digest: hubbub_core::email::DigestSchedule::parse("monday", "09:00", "Europe/Berlin")?,
            next_digest_at: at("2026-11-30T08:00:00Z")?,
            unsubscribe_token: "fixture-token".into(),
        };
        let to = at("2026-11-30T08:00:00Z")?;
        let ctx = DigestContext {
            store: &store,
            recipient: &alice,
            from: to - Days::weeks(1),
            to,
            base: "https://hubbub.corp.example",
        };
        let loaded = sections(&default_sources(), &ctx).await?;
        let email = digest_email(ctx.base, &alice, &prefs, to, &loaded).context("a digest")?;
        assert_eq!(
            email.subject,
            "Your week on Hubbub, to Monday 30 November 2026"
        );
        matches_fixture("digest.txt", &email.text)?;
        matches_fixture("digest.html", &email.html)?;

        // A quiet week sends nothing.
        let quiet = DigestContext {
            from: at("2025-01-01T00:00:00Z")?,
            to: at("2025-01-08T00:00:00Z")?,
            ..ctx
        };
        let loaded = sections(&default_sources(), &quiet).await?;
        assert!(digest_email(quiet.base, &alice, &prefs, quiet.to, &loaded).is_none());
    }
    Ok(())
}

#[tokio::test]
async fn a_mention_emails_the_person_mentioned_unless_they_may_not_see_it_or_opted_out()
-> anyhow::Result<()> {
    for database in databases().await? {
        let dir = data_dir()?;
        let maildir = dir.path().join("received");
        let smtp = SmtpServer::start(0, &maildir).await?;
        let app = start(database.url(), dir.path(), smtp.port, 600).await?;
        let alice = app.register("alice").await?;
        let bob = app.register("bob").await?;
        let carol = app.register("carol").await?;
        let dave = app.register("dave").await?;

        // A private community with Bob in it; Dave is not.
        let community = app
            .post_json(
                &bob.token,
                "/api/v1/communities",
                json!({"name": "Secret project", "private": true}),
            )
            .await?;
        let secret = app
            .post_json(
                &bob.token,
                "/api/v1/statuses",
                json!({"status": "Hush, @dave must not know", "community_id": community["id"]}),
            )
            .await?;
        assert!(secret["id"].is_string(), "{secret}");
        let root = post(&app, &alice, "Who knows the wifi password? @carol?", None).await?;

        let mail = wait_for_mail(&maildir, 1, WAIT).await?;
        let email = &mail[0];
        assert_eq!(to(email), "carol@example.com");
        assert_eq!(
            email.header("Subject").as_deref(),
            Some("alice mentioned you")
        );
        assert!(email.decoded.contains("text/plain") && email.decoded.contains("text/html"));
        assert!(email.decoded.contains("Who knows the wifi password?"));
        let link = format!("{}/@alice/{}", app.base, root["id"].as_str().context("id")?);
        assert!(
            email.decoded.contains(&link),
            "no {link} in {}",
            email.decoded
        );
        let unsubscribe = email
            .header("List-Unsubscribe")
            .context("List-Unsubscribe")?;
        assert!(unsubscribe.contains("kind=mention"), "{unsubscribe}");

        // Carol turns mention emails off; a later mention of her emails nobody,
        // one of Bob (planned after hers) does.
        put_json(
            &app,
            &carol.token,
            "/api/v1/hubbub/email_preferences",
            json!({"notifications": {"mention": false}}),
        )
        .await?;
        post(&app, &alice, "Thanks @carol", None).await?;
        post(&app, &alice, "And @bob, lunch?", None).await?;
        let mail = wait_for_mail(&maildir, 2, WAIT).await?;
        assert_eq!(to(&mail[1]), "bob@example.com");
        let store = Store::connect(database.url(), 2).await?;
        assert_eq!(
            store
                .queued_emails(AccountId(carol.id.parse()?))
                .await?
                .len(),
            1
        );
        assert!(
            store
                .queued_emails(AccountId(dave.id.parse()?))
                .await?
                .is_empty(),
            "dave was told about a post he may not see"
        );
        app.stop().await?;
    }
    Ok(())
}

#[tokio::test]
async fn the_asker_hears_when_their_ticket_changes_state_and_an_answer_is_accepted()
-> anyhow::Result<()> {
    use hubbub_core::helpdesk::ticket::TicketState;
    use hubbub_core::ids::TicketId;
    use hubbub_storage::helpdesk::TicketChange;
    for database in databases().await? {
        let dir = data_dir()?;
        let maildir = dir.path().join("received");
        let smtp = SmtpServer::start(0, &maildir).await?;
        let app = start(database.url(), dir.path(), smtp.port, 1).await?;
        let store = Store::connect(database.url(), 2).await?;
        let alice = app.register("alice").await?;
        let bob = app.register("bob").await?;
        let sam = app.register("sam").await?;
        let sam_id = AccountId(sam.id.parse()?);
        let alice_id = AccountId(alice.id.parse()?);
        put_json(
            &app,
            &alice.token,
            "/api/v1/hubbub/email_preferences",
            json!({"notifications": {"reply": false}}),
        )
        .await?;

        let question = post(&app, &alice, "My laptop will not start #helpdesk", None).await?;
        let ticket = TicketId(question["id"].as_str().context("id")?.parse()?);
        assert!(store.ticket(ticket).await?.is_some(), "no ticket opened");
        store
            .update_tickets(
                vec![ticket],
                TicketChange {
                    state: Some(TicketState::InProgress),
                    ..TicketChange::default()
                },
                sam_id,
                Utc::now(),
            )
            .await?;
        let mail = wait_for_mail(&maildir, 1, WAIT).await?;
        let email = &mail[0];
        assert_eq!(to(email), "alice@example.com");
        assert_eq!(
            email.header("Subject").as_deref(),
            Some("Your help-desk ticket is now in progress")
        );
        assert!(
            email
                .decoded
                .contains("sam (@sam) changed the ticket's state")
        );
        let link = format!("{}/@alice/{}", app.base, ticket.0);
        assert!(email.decoded.contains(&link), "{}", email.decoded);
        assert!(
            email
                .header("List-Unsubscribe")
                .unwrap_or_default()
                .contains("kind=ticket_update")
        );

        let answer = post(
            &app,
            &bob,
            "Hold the power button for 10 s",
            Some(&question),
        )
        .await?;
        let answer_id = StatusId(answer["id"].as_str().context("id")?.parse()?);
        store
            .accept_answer(ticket, answer_id, sam_id, Utc::now())
            .await?;
        let mail = wait_for_mail(&maildir, 2, WAIT).await?;
        let email = &mail[1];
        assert_eq!(
            email.header("Subject").as_deref(),
            Some("An answer was accepted on your question")
        );
        assert!(
            email
                .decoded
                .contains("sam accepted the answer by bob (@bob)")
        );
        assert!(email.decoded.contains("Hold the power button for 10 s"));
        assert!(email.decoded.contains("The ticket is resolved."));
        assert!(
            email
                .header("List-Unsubscribe")
                .unwrap_or_default()
                .contains("kind=accepted_answer")
        );

        // Alice reopens it herself: no email. She opts out of ticket changes, and
        // support closing it then emails nobody either.
        store.reopen_ticket(ticket, alice_id, Utc::now()).await?;
        put_json(
            &app,
            &alice.token,
            "/api/v1/hubbub/email_preferences",
            json!({"notifications": {"ticket_update": false}}),
        )
        .await?;
        store
            .update_tickets(
                vec![ticket],
                TicketChange {
                    state: Some(TicketState::Closed),
                    ..TicketChange::default()
                },
                sam_id,
                Utc::now(),
            )
            .await?;
        // Bob's own question, changed by support, is planned after Alice's.
        let other = post(&app, &bob, "Printer jammed #helpdesk", None).await?;
        store
            .update_tickets(
                vec![TicketId(other["id"].as_str().context("id")?.parse()?)],
                TicketChange {
                    state: Some(TicketState::WaitingOnAsker),
                    ..TicketChange::default()
                },
                sam_id,
                Utc::now(),
            )
            .await?;
        let mail = wait_for_mail(&maildir, 3, WAIT).await?;
        assert_eq!(to(&mail[2]), "bob@example.com");
        assert_eq!(
            mail[2].header("Subject").as_deref(),
            Some("Your help-desk ticket is now waiting for you")
        );
        assert_eq!(store.queued_emails(alice_id).await?.len(), 2);
        app.stop().await?;
    }
    Ok(())
}

#[tokio::test]
async fn the_digest_lists_unanswered_questions_and_my_tickets_as_in_its_fixtures()
-> anyhow::Result<()> {
    use hubbub_core::ids::{CommunityId, TicketId};
    use hubbub_storage::model::NewCommunity;
    for database in databases().await? {
        let store = Store::connect(database.url(), 2).await?;
        store.migrate().await?;
        let t0 = at("2026-11-23T09:00:00Z")?;
        let mut next_id = 2_000;
        let mut account = |username: &str, name: &str| {
            next_id += 1;
            Ok::<_, anyhow::Error>(NewAccount {
                id: AccountId(next_id),
                username: Username::parse(username)?,
                email: Email::parse(&format!("{username}@corp.example"))?,
                display_name: DisplayName::parse(name)?,
                password_hash: "!".into(),
                role: Role::Member,
                created_at: t0,
            })
        };
        let alice = store
            .create_account(account("alice", "Alice Admin")?)
            .await?;
        let bob = store.create_account(account("bob", "Bob")?).await?;
        let carol = store.create_account(account("carol", "Carol")?).await?;
        let dave = store.create_account(account("dave", "Dave")?).await?;
        let community = |id: i64, name: &str, private: bool, by: AccountId| NewCommunity {
            id: CommunityId(id),
            name: name.to_owned(),
            description: String::new(),
            private,
            helpdesk: false,
            created_by: by,
            created_at: t0,
        };
        // Alice and Bob are in Engineering (private); Carol alone in Finance
        // (private); Dave's posts are in no community.
        let engineering = store
            .create_community(community(70, "Engineering", true, bob.id))
            .await?
            .id;
        store
            .join_communities_from_directory(alice.id, vec!["engineering".into()], t0)
            .await?;
        let finance = store
            .create_community(community(71, "Finance", true, carol.id))
            .await?
            .id;
        store.follow_tag(alice.id, "vpn", t0).await?;

        let mut status_id = 8_000;
        let mut say = async |who: AccountId,
                             text: &str,
                             parent: Option<StatusId>,
                             community: Option<CommunityId>,
                             minutes: i64| {
            status_id += 1;
            store
                .create_status(
                    NewStatus {
                        id: StatusId(status_id),
                        account_id: who,
                        text: StatusText::parse(text, 5000)?,
                        in_reply_to_id: parent,
                        community_id: community,
                        created_at: t0 + Days::minutes(minutes),
                    },
                    "{}".into(),
                )
                .await
                .map_err(anyhow::Error::from)
        };
        // Alice might answer: Bob's unanswered question in Engineering and Dave's
        // about a topic she follows.
        say(
            bob.id,
            "Build server out of disk? #helpdesk",
            None,
            Some(engineering),
            0,
        )
        .await?;
        say(
            dave.id,
            "The #vpn drops every hour #helpdesk",
            None,
            None,
            5,
        )
        .await?;
        // Not for her: answered already, in a community she is not in, about
        // nothing she follows, and her own.
        let answered = say(
            bob.id,
            "Where are the <test> logs? #helpdesk",
            None,
            Some(engineering),
            10,
        )
        .await?;
        say(
            alice.id,
            "See the logs folder",
            Some(answered.id),
            Some(engineering),
            11,
        )
        .await?;
        say(
            carol.id,
            "Budget tool is down #helpdesk",
            None,
            Some(finance),
            12,
        )
        .await?;
        say(dave.id, "Printer jam #helpdesk", None, None, 13).await?;
        // Alice's own: one waiting, one resolved this week with an accepted answer.
        say(
            alice.id,
            "My badge does not open door 4 #helpdesk",
            None,
            Some(engineering),
            20,
        )
        .await?;
        let laptop = say(alice.id, "Laptop fan is loud #helpdesk", None, None, 30).await?;
        let fix = say(
            bob.id,
            "Clean the vents & update the BIOS",
            Some(laptop.id),
            None,
            31,
        )
        .await?;
        store
            .accept_answer(
                TicketId(laptop.id.0),
                fix.id,
                alice.id,
                t0 + Days::minutes(40),
            )
            .await?;

        let prefs = EmailPreferences {
            account_id: alice.id,
            disabled: Vec::new(),
            digest: hubbub_core::email::DigestSchedule::parse("monday", "09:00", "Europe/Berlin")?,
            next_digest_at: at("2026-11-30T08:00:00Z")?,
            unsubscribe_token: "fixture-token".into(),
        };
        let to = at("2026-11-30T08:00:00Z")?;
        let ctx = DigestContext {
            store: &store,
            recipient: &alice,
            from: to - Days::weeks(1),
            to,
            base: "https://hubbub.corp.example",
        };
        let loaded = sections(&default_sources(), &ctx).await?;
        let email = digest_email(ctx.base, &alice, &prefs, to, &loaded).context("a digest")?;
        matches_fixture("digest_helpdesk.txt", &email.text)?;
        matches_fixture("digest_helpdesk.html", &email.html)?;

        // Carol is not in Engineering: none of its questions are offered to her
        // (and Dave's are about no topic she follows), none of the week's busy
        // threads concerns her; her own ticket is listed.
        let carol_ctx = DigestContext {
            recipient: &carol,
            ..ctx
        };
        let loaded = sections(&default_sources(), &carol_ctx).await?;
        let titles: Vec<_> = loaded
            .iter()
            .filter(|s| !s.items.is_empty())
            .map(|s| s.title.as_str())
            .collect();
        assert_eq!(titles, vec!["Your help-desk tickets"]);
        let texts: Vec<_> = loaded
            .iter()
            .flat_map(|s| &s.items)
            .map(|i| &i.text)
            .collect();
        assert!(
            texts.iter().all(|t| !t.contains("Build server")),
            "{texts:?}"
        );
        assert!(
            texts.iter().any(|t| t.contains("Budget tool is down")),
            "{texts:?}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn the_asker_hears_when_someone_else_accepts_an_answer_to_a_plain_question()
-> anyhow::Result<()> {
    for database in databases().await? {
        let dir = data_dir()?;
        let maildir = dir.path().join("received");
        let smtp = SmtpServer::start(0, &maildir).await?;
        let app = start(database.url(), dir.path(), smtp.port, 1).await?;
        let store = Store::connect(database.url(), 2).await?;
        let alice = app.register("alice").await?;
        let bob = app.register("bob").await?;
        let sam = app.register("sam").await?;
        assert!(
            store
                .set_role(AccountId(sam.id.parse()?), Role::Support, None)
                .await?
        );
        put_json(
            &app,
            &alice.token,
            "/api/v1/hubbub/email_preferences",
            json!({"notifications": {"reply": false}}),
        )
        .await?;
        let question = app
            .post_json(
                &alice.token,
                "/api/v1/statuses",
                json!({"status": "Which room has the big screen?", "hubbub_question": true}),
            )
            .await?;
        let answer = post(
            &app,
            &bob,
            "Room 4, ask reception for the key",
            Some(&question),
        )
        .await?;
        let answer_id = answer["id"].as_str().context("id")?;
        app.post_json(
            &sam.token,
            &format!("/api/v1/statuses/{answer_id}/accept"),
            json!({}),
        )
        .await?;

        let mail = wait_for_mail(&maildir, 1, WAIT).await?;
        let to_alice: Vec<_> = mail
            .iter()
            .filter(|m| to(m) == "alice@example.com")
            .collect();
        assert_eq!(to_alice.len(), 1, "one email to the asker");
        assert_eq!(
            to_alice[0].header("Subject").as_deref(),
            Some("An answer was accepted on your question")
        );
        assert!(
            to_alice[0]
                .decoded
                .contains("Room 4, ask reception for the key")
        );
        assert!(
            !to_alice[0].decoded.contains("The ticket is"),
            "no ticket here"
        );
        app.stop().await?;
    }
    Ok(())
}
