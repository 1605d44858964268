//! The help desk's storage on every backend: tickets from tags and from support,
//! the log of replies, answers, duplicates and reuse, and versioned settings.

use super::*;
use hubbub_core::helpdesk::model::{Period, TicketFacts, TicketFigures};
use hubbub_core::helpdesk::settings::HelpdeskSettings;
use hubbub_core::helpdesk::ticket::{Category, EventKind, Priority, TicketState};
use hubbub_core::ids::TicketId;
use hubbub_storage::helpdesk::{QueueFilter, TicketChange};

async fn support_account(store: &Store, username: &str) -> anyhow::Result<Account> {
    let account = account(store, username).await?;
    assert!(store.set_role(account.id, Role::Support, None).await?);
    Ok(account)
}

fn kinds(log: &[hubbub_storage::helpdesk::TicketLogEntry]) -> Vec<EventKind> {
    log.iter().map(|entry| entry.entry.kind).collect()
}

#[tokio::test]
async fn a_tagged_post_becomes_a_ticket_in_the_same_transaction_and_an_untagged_one_does_not()
-> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let ada = account(&store, "ada").await?;

        let tagged = post(&store, &ada, "The #VPN drops every hour #HelpDesk").await?;
        let plain = post(&store, &ada, "lunch? #helpdesk2").await?;

        let ticket = store
            .ticket(TicketId(tagged.id.0))
            .await?
            .context("ticket")?;
        assert_eq!(ticket.asker_id, ada.id);
        assert_eq!(ticket.category, Category::Network);
        assert_eq!(
            (ticket.state, ticket.source.as_str()),
            (TicketState::Open, "tag")
        );
        assert_eq!(store.ticket(TicketId(plain.id.0)).await?, None);
        let opened: Vec<EventBody> = bodies(&store.unpublished_events(100).await?)
            .into_iter()
            .filter(|body| body.kind() == "helpdesk_ticket_opened")
            .collect();
        let [
            EventBody::HelpdeskTicketOpened {
                ticket_id,
                asker,
                ticket: Some(snapshot),
            },
        ] = opened.as_slice()
        else {
            anyhow::bail!("expected one opened ticket with its snapshot, got {opened:?}");
        };
        assert_eq!((*ticket_id, *asker), (ticket.id, ada.id));
        assert_eq!(snapshot.audience, PostAudience::of(None, false));
        let streamed: serde_json::Value = serde_json::from_str(&snapshot.ticket_json)?;
        assert_eq!(
            streamed,
            ticket.to_json(),
            "the stream shows the ticket as the API does"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn replies_anywhere_in_the_thread_record_first_response_and_first_support_response()
-> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let ada = account(&store, "ada").await?;
        let bob = account(&store, "bob").await?;
        let sam = support_account(&store, "sam").await?;
        let question = post(&store, &ada, "printer? #helpdesk").await?;
        let ticket = TicketId(question.id.0);

        post_reply(&store, &ada, "anyone?", Some(question.id)).await?;
        let peer = post_reply(&store, &bob, "try turning it off", Some(question.id)).await?;
        let nested = post_reply(&store, &sam, "and on again", Some(peer.id)).await?;

        let stored = store.ticket(ticket).await?.context("ticket")?;
        assert_eq!(stored.first_response_at, Some(peer.created_at));
        assert_eq!(stored.first_peer_response_at, Some(peer.created_at));
        assert_eq!(stored.first_support_response_at, Some(nested.created_at));
        let log = store.ticket_log(ticket).await?;
        assert_eq!(
            kinds(&log),
            vec![
                EventKind::Created,
                EventKind::Reply,
                EventKind::Reply,
                EventKind::Reply
            ]
        );
        assert!(log[3].entry.actor_is_support && !log[2].entry.actor_is_support);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn an_accepted_peer_answer_resolves_the_ticket_and_reuse_is_counted_once_per_person()
-> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let ada = account(&store, "ada").await?;
        let bob = account(&store, "bob").await?;
        let cy = account(&store, "cy").await?;
        let sam = support_account(&store, "sam").await?;
        let question = post(&store, &ada, "#wifi keeps dropping #helpdesk").await?;
        let other = post(&store, &cy, "something else").await?;
        let ticket = TicketId(question.id.0);
        let answer = post_reply(&store, &bob, "forget the network", Some(question.id)).await?;

        let outside = store.accept_answer(ticket, other.id, ada.id, Utc::now()).await;
        assert!(
            matches!(&outside, Err(StorageError::Rejected(e)) if e.to_string().starts_with("answer_id:")),
            "{outside:?}"
        );
        let resolved = store.accept_answer(ticket, answer.id, ada.id, Utc::now()).await?;
        assert_eq!(resolved.state, TicketState::Resolved);
        assert_eq!(resolved.answer_id, Some(answer.id));
        store.record_reuse(ticket, cy.id, Utc::now()).await?;
        store.record_reuse(ticket, cy.id, Utc::now()).await?;
        store.record_reuse(ticket, ada.id, Utc::now()).await?;
        store.record_reuse(ticket, sam.id, Utc::now()).await?;
        let dup_question = post(&store, &bob, "same wifi thing #helpdesk").await?;
        store
            .mark_duplicate(TicketId(dup_question.id.0), ticket, sam.id, Utc::now())
            .await?;

        let period = Period {
            since: Utc::now() - Duration::days(1),
            until: Utc::now() + Duration::days(1),
        };
        let batch = store
            .helpdesk_report_batch(period.since, period.until, sam.id, None, 10)
            .await?;
        let settings = HelpdeskSettings::default();
        let row = batch.iter().find(|t| t.ticket.id == ticket).context("in batch")?;
        assert!(!row.counts_only);
        let facts = TicketFacts::from_log(
            ticket,
            row.ticket.asker_id,
            row.ticket.created_at,
            &row.log,
            &settings,
        );
        // cy once, bob through the duplicate; not the asker, not support.
        assert_eq!(facts.reuse, 2);
        assert_eq!(facts.resolved_by_peer, Some(true));
        let figures = TicketFigures::compute(facts, &settings, period, Utc::now());
        // Network: D = 15 (no support minutes), U = 15 * 2.
        assert_eq!((figures.direct_minutes, figures.reuse_minutes_conservative), (15.0, 30.0));
        let duplicate = store.ticket(TicketId(dup_question.id.0)).await?.context("dup")?;
        assert_eq!(duplicate.state, TicketState::Closed);
        assert_eq!(duplicate.duplicate_of, Some(ticket));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn support_turns_an_older_post_into_a_ticket_with_its_replies_and_triages_it()
-> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let ada = account(&store, "ada").await?;
        let sam = support_account(&store, "sam").await?;
        let question = post(&store, &ada, "my laptop is slow").await?;
        let reply = post_reply(&store, &sam, "which model?", Some(question.id)).await?;

        let ticket = store
            .open_ticket(question.id, sam.id, None, Some(Priority::High), Utc::now())
            .await?;
        assert_eq!(
            (ticket.source.as_str(), ticket.priority),
            ("support", Priority::High)
        );
        assert_eq!(ticket.first_support_response_at, Some(reply.created_at));
        let again = store
            .open_ticket(question.id, sam.id, None, None, Utc::now())
            .await;
        assert!(matches!(again, Err(StorageError::Rejected(_))), "{again:?}");

        let changed = store
            .update_tickets(
                vec![ticket.id],
                TicketChange {
                    category: Some(Category::Hardware),
                    assignee: Some(Some(sam.id)),
                    state: Some(TicketState::InProgress),
                    ..TicketChange::default()
                },
                sam.id,
                Utc::now(),
            )
            .await?;
        assert_eq!(changed[0].assignee_id, Some(sam.id));
        let to_member = store
            .update_tickets(
                vec![ticket.id],
                TicketChange {
                    assignee: Some(Some(ada.id)),
                    ..TicketChange::default()
                },
                sam.id,
                Utc::now(),
            )
            .await;
        assert!(
            matches!(to_member, Err(StorageError::Rejected(_))),
            "{to_member:?}"
        );
        store.log_minutes(ticket.id, 12, sam.id, Utc::now()).await?;
        let queue = store
            .triage_queue(QueueFilter {
                states: Vec::new(),
                category: Some(Category::Hardware),
                priority: None,
                assignee: None,
                peer_answered_awaiting_confirmation: false,
                viewer: sam.id,
            })
            .await?;
        assert_eq!(
            queue.iter().map(|t| t.id).collect::<Vec<_>>(),
            vec![ticket.id]
        );
        assert_eq!(
            kinds(&store.ticket_log(ticket.id).await?),
            vec![
                EventKind::Created,
                EventKind::Priority,
                EventKind::Reply,
                EventKind::Category,
                EventKind::Assigned,
                EventKind::State,
                EventKind::Minutes
            ]
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn saved_settings_get_the_next_version_and_change_which_tags_open_tickets()
-> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let boss = account(&store, "boss").await?;
        assert_eq!(store.helpdesk_settings().await?.version, 0);
        let edited = HelpdeskSettings::default()
            .patched(&serde_json::json!({"helpdesk_tags": ["itsupport"]}))?;
        // Posted before the save: the post path has read (and keeps, briefly)
        // the old settings, which the save must replace at once.
        let before = post(&store, &boss, "#ITSupport hi").await?;

        let saved = store
            .save_helpdesk_settings(edited.clone(), boss.id, Utc::now())
            .await?;

        assert_eq!(saved.version, 1);
        let current = store.helpdesk_settings().await?;
        assert_eq!((current.version, current.settings), (1, edited));
        let old_tag = post(&store, &boss, "#helpdesk hi").await?;
        let new_tag = post(&store, &boss, "#ITSupport hi").await?;
        assert!(store.ticket(TicketId(old_tag.id.0)).await?.is_none());
        assert!(store.ticket(TicketId(new_tag.id.0)).await?.is_some());
        assert!(store.ticket(TicketId(before.id.0)).await?.is_none());
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_post_in_a_private_helpdesk_community_is_a_ticket_reported_only_as_counts_to_outsiders()
-> anyhow::Result<()> {
    on_every_backend(|store| async move {
        let alice = account(&store, "alice").await?;
        let meg = account(&store, "meg").await?;
        let now = Utc::now();
        let desk = store
            .create_community(hubbub_storage::model::NewCommunity {
                id: hubbub_core::ids::CommunityId(IDS.next(now)),
                name: "Finance IT".to_owned(),
                description: String::new(),
                private: true,
                helpdesk: true,
                created_by: alice.id,
                created_at: now,
            })
            .await?;

        let question = post_in(
            &store,
            &alice,
            "the ledger app is slow",
            None,
            Some(desk.id),
        )
        .await?;

        let ticket = store
            .ticket(TicketId(question.id.0))
            .await?
            .context("ticket")?;
        assert_eq!(ticket.source, "community");
        let (since, until) = (now - Duration::days(1), now + Duration::days(1));
        let outsider = store
            .helpdesk_report_batch(since, until, meg.id, None, 10)
            .await?;
        let member = store
            .helpdesk_report_batch(since, until, alice.id, None, 10)
            .await?;
        assert_eq!(outsider.len(), 1);
        assert!(outsider[0].counts_only, "meg is not a member");
        assert!(!member[0].counts_only, "alice is");
        Ok(())
    })
    .await
}
