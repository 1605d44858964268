//! Threads: context with tombstones, edits with history, questions and accepted
//! answers (help-desk tickets included), followed threads in their timeline and
//! in home — with the visibility rule on each.

use crate::helpers::{Reply, TestApp, error_of, start};
use crate::social_support::ids;
use actix_http::Request;
use actix_web::Error;
use actix_web::body::BoxBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use hubbub_core::ids::AccountId;
use hubbub_core::role::Role;
use hubbub_testkit::database::all_backends;
use serde_json::{Value, json};

impl<S> TestApp<S>
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = Error>,
{
    /// Replies `text` to `parent` as `token` and returns the new status id.
    async fn reply_to(&self, token: &str, parent: &str, text: &str) -> String {
        let reply = self
            .post_json(
                token,
                "/api/v1/statuses",
                json!({ "status": text, "in_reply_to_id": parent }),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "[{}] {:?}",
            self.backend,
            reply.body
        );
        reply.body["id"].as_str().unwrap_or_default().to_owned()
    }

    /// Posts a question as `token` and returns its id.
    async fn ask(&self, token: &str, text: &str) -> String {
        let reply = self
            .post_json(
                token,
                "/api/v1/statuses",
                json!({ "status": text, "hubbub_question": true }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["hubbub"]["question"]["answered"], false);
        reply.body["id"].as_str().unwrap_or_default().to_owned()
    }

    /// PUTs `text` as the new text of `id`.
    async fn edit(&self, token: &str, id: &str, text: &str) -> Reply {
        self.send_as(
            token,
            TestRequest::put()
                .uri(&format!("/api/v1/statuses/{id}"))
                .set_json(json!({ "status": text })),
        )
        .await
    }

    /// Gives the account behind `token` the role `role`.
    async fn set_role_of(&self, token: &str, role: Role) {
        let id: i64 = self.account_id(token).await.parse().unwrap_or_default();
        self.store
            .set_account_role(AccountId(id), role)
            .await
            .unwrap_or_else(|e| panic!("set role: {e}"));
    }
}

/// The ids of a context's `ancestors` or `descendants`.
fn context_ids(reply: &Reply, part: &str) -> Vec<String> {
    reply.body[part]
        .as_array()
        .unwrap_or_else(|| panic!("no {part}: {:?}", reply.body))
        .iter()
        .map(|status| status["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn texts(list: &Value) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|status| status["text"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[actix_web::test]
async fn context_lists_ancestors_and_descendants_in_thread_order_with_reply_counts() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let root = app.post(&ada, "where is the wiki?").await;
        let first = app.reply_to(&bob, &root, "on the intranet").await;
        let deeper = app.reply_to(&ada, &first, "which page?").await;
        let second = app.reply_to(&bob, &root, "or ask IT").await;

        let around_first = app
            .get(&ada, &format!("/api/v1/statuses/{first}/context"))
            .await;
        assert_eq!(
            around_first.status,
            StatusCode::OK,
            "{:?}",
            around_first.body
        );
        assert_eq!(context_ids(&around_first, "ancestors"), vec![root.clone()]);
        assert_eq!(
            context_ids(&around_first, "descendants"),
            vec![deeper.clone()]
        );
        assert_eq!(around_first.body["ancestors"][0]["replies_count"], 2);
        assert_eq!(
            around_first.body["ancestors"][0]["hubbub"]["thread_id"],
            root
        );

        let around_root = app
            .get(&bob, &format!("/api/v1/statuses/{root}/context"))
            .await;
        assert_eq!(context_ids(&around_root, "ancestors"), Vec::<String>::new());
        assert_eq!(
            context_ids(&around_root, "descendants"),
            vec![first.clone(), deeper.clone(), second.clone()],
            "[{}] depth first, in posting order",
            app.backend
        );
        for status in around_root.body["descendants"].as_array().unwrap() {
            assert_eq!(status["hubbub"]["thread_id"], root);
            assert_eq!(status["hubbub"]["deleted"], false);
        }
        assert_eq!(around_root.body["descendants"][0]["replies_count"], 1);
        let shown = app.get(&ada, &format!("/api/v1/statuses/{root}")).await;
        assert_eq!(shown.body["replies_count"], 2);
        // Bob replied, so he takes part in the thread; Ada started it.
        assert_eq!(shown.body["hubbub"]["thread_followed"], true);

        let missing = app.get(&ada, "/api/v1/statuses/12345/context").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    }
}

#[actix_web::test]
async fn a_private_communitys_thread_shows_nothing_to_a_non_member() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let outsider = app.register("outsider").await;
        let hr = app.community(&ada, "HR", true).await;
        let root = app.post_in(&ada, &hr, "salary bands #pay").await;
        let reply = app.reply_to(&ada, &root, "draft attached").await;
        let question = app
            .post_json(
                &ada,
                "/api/v1/statuses",
                json!({ "status": "who signs off?", "community_id": hr, "hubbub_question": true }),
            )
            .await;
        assert_eq!(question.status, StatusCode::OK);

        let member_view = app
            .get(&ada, &format!("/api/v1/statuses/{reply}/context"))
            .await;
        assert_eq!(context_ids(&member_view, "ancestors"), vec![root.clone()]);

        for id in [&root, &reply] {
            let context = app
                .get(&outsider, &format!("/api/v1/statuses/{id}/context"))
                .await;
            assert_eq!(context.status, StatusCode::NOT_FOUND, "[{}]", app.backend);
            for action in ["follow_thread", "accept"] {
                let refused = app
                    .post_json(
                        &outsider,
                        &format!("/api/v1/statuses/{id}/{action}"),
                        json!({}),
                    )
                    .await;
                assert_eq!(refused.status, StatusCode::NOT_FOUND, "{action}");
            }
            let history = app
                .get(&outsider, &format!("/api/v1/statuses/{id}/history"))
                .await;
            assert_eq!(history.status, StatusCode::NOT_FOUND);
        }
        let questions = app.get(&outsider, "/api/v1/timelines/questions").await;
        assert_eq!(ids(&questions), Vec::<String>::new());
        let threads = app.get(&outsider, "/api/v1/timelines/threads").await;
        assert_eq!(ids(&threads), Vec::<String>::new());
        let home = app.get(&outsider, "/api/v1/timelines/home").await;
        assert_eq!(ids(&home), Vec::<String>::new());
    }
}

#[actix_web::test]
async fn a_deleted_starter_is_a_tombstone_that_keeps_its_replies_reachable() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let root = app.post(&ada, "secret plans #launch").await;
        let reply = app.reply_to(&bob, &root, "looks good").await;
        let gone_leaf = app.reply_to(&bob, &root, "typo").await;
        let deleted = app
            .send_as(
                &ada,
                TestRequest::delete().uri(&format!("/api/v1/statuses/{root}")),
            )
            .await;
        assert_eq!(deleted.status, StatusCode::OK);
        let deleted = app
            .send_as(
                &bob,
                TestRequest::delete().uri(&format!("/api/v1/statuses/{gone_leaf}")),
            )
            .await;
        assert_eq!(deleted.status, StatusCode::OK);

        let context = app
            .get(&bob, &format!("/api/v1/statuses/{reply}/context"))
            .await;
        assert_eq!(context.status, StatusCode::OK, "{:?}", context.body);
        let tombstone = &context.body["ancestors"][0];
        assert_eq!(tombstone["id"], root);
        assert_eq!(tombstone["hubbub"]["deleted"], true);
        assert_eq!(tombstone["text"], "");
        assert_eq!(tombstone["content"], "");
        assert_eq!(tombstone["tags"], json!([]));
        assert_eq!(tombstone["replies_count"], 1, "only the live reply counts");

        for uri in [
            format!("/api/v1/statuses/{root}"),
            format!("/api/v1/statuses/{root}/context"),
            format!("/api/v1/statuses/{gone_leaf}/context"),
        ] {
            assert_eq!(app.get(&bob, &uri).await.status, StatusCode::NOT_FOUND);
        }
    }
}

#[actix_web::test]
async fn the_author_edits_a_post_and_its_history_keeps_every_version() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let id = app.post(&ada, "printer on floor 2 is down").await;
        let unedited = app.get(&ada, &format!("/api/v1/statuses/{id}")).await;
        assert_eq!(unedited.body["edited_at"], Value::Null);

        let edited = app
            .edit(&ada, &id, "printer on floor 3 is down #printing @bob")
            .await;
        assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
        assert_eq!(
            edited.body["text"],
            "printer on floor 3 is down #printing @bob"
        );
        assert!(edited.body["edited_at"].is_string());
        assert_eq!(edited.body["tags"][0]["name"], "printing");
        assert_eq!(edited.body["mentions"][0]["username"], "bob");
        let tagged = app.get(&bob, "/api/v1/timelines/tag/printing").await;
        assert_eq!(ids(&tagged), vec![id.clone()], "topics are re-parsed");

        app.edit(&ada, &id, "fixed now").await;
        let history = app
            .get(&bob, &format!("/api/v1/statuses/{id}/history"))
            .await;
        assert_eq!(history.status, StatusCode::OK);
        let contents: Vec<&str> = history
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|version| version["content"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(contents.len(), 3, "{contents:?}");
        for (content, expected) in
            contents
                .iter()
                .zip(["floor 2 is down", "floor 3 is down", "fixed now"])
        {
            assert!(
                content.contains(expected),
                "[{}] oldest first, the current one last: {contents:?}",
                app.backend
            );
        }
        let source = app
            .get(&ada, &format!("/api/v1/statuses/{id}/source"))
            .await;
        assert_eq!(
            source.body,
            json!({"id": id, "text": "fixed now", "spoiler_text": ""})
        );

        let stranger = app.edit(&bob, &id, "hijacked").await;
        assert_eq!(stranger.status, StatusCode::FORBIDDEN);
        let empty = app.edit(&ada, &id, "   ").await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error_of(&empty).contains("status"), "{:?}", empty.body);
        let now = app.get(&bob, &format!("/api/v1/statuses/{id}")).await;
        assert_eq!(
            now.body["text"], "fixed now",
            "refused edits change nothing"
        );
        let history = app
            .get(&bob, &format!("/api/v1/statuses/{id}/history"))
            .await;
        assert_eq!(history.body.as_array().map(Vec::len), Some(3));
    }
}

#[actix_web::test]
async fn only_the_asker_a_community_admin_or_support_accept_an_answer_from_the_same_thread() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let asker = app.register("asker").await;
        let helper = app.register("helper").await;
        let stranger = app.register("stranger").await;
        let support = app.register("support").await;
        app.set_role_of(&support, Role::Support).await;

        let question = app.ask(&asker, "how do I reset my VPN token?").await;
        let answer = app.reply_to(&helper, &question, "use the portal").await;
        let other_question = app.ask(&stranger, "where is the canteen?").await;
        let elsewhere = app.reply_to(&helper, &other_question, "ground floor").await;
        let plain = app.post(&asker, "not a question").await;
        let plain_reply = app.reply_to(&helper, &plain, "ok").await;

        let accept = |reply: &str| format!("/api/v1/statuses/{reply}/accept");
        let refused = app.post_json(&stranger, &accept(&answer), json!({})).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "[{}]", app.backend);
        let wrong_thread = app
            .post_json(
                &asker,
                &accept(&elsewhere),
                json!({ "question_id": question }),
            )
            .await;
        assert_eq!(wrong_thread.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error_of(&wrong_thread).contains("question_id"));
        let not_a_question = app
            .post_json(&asker, &accept(&plain_reply), json!({}))
            .await;
        assert_eq!(not_a_question.status, StatusCode::UNPROCESSABLE_ENTITY);
        let the_question_itself = app.post_json(&asker, &accept(&question), json!({})).await;
        assert_eq!(the_question_itself.status, StatusCode::UNPROCESSABLE_ENTITY);
        let unanswered = app
            .get(&asker, "/api/v1/timelines/questions?state=unanswered")
            .await;
        assert_eq!(
            ids(&unanswered),
            vec![other_question.clone(), question.clone()],
            "refusals change nothing"
        );

        let accepted = app
            .post_json(&asker, &accept(&answer), json!({ "question_id": question }))
            .await;
        assert_eq!(accepted.status, StatusCode::OK, "{:?}", accepted.body);
        assert_eq!(accepted.body["id"], question);
        assert_eq!(accepted.body["hubbub"]["question"]["answered"], true);
        assert_eq!(
            accepted.body["hubbub"]["question"]["accepted_answer_id"],
            answer
        );
        let shown = app
            .get(&stranger, &format!("/api/v1/statuses/{answer}"))
            .await;
        assert_eq!(shown.body["hubbub"]["accepted_answer"], true);
        let notified = app
            .get(
                &helper,
                "/api/v1/notifications?types[]=hubbub.answer_accepted",
            )
            .await;
        let notices = notified.body.as_array().expect("a list of notifications");
        assert_eq!(notices.len(), 1, "the answer's author is told once");
        assert_eq!(notices[0]["type"], "hubbub.answer_accepted");
        assert_eq!(notices[0]["status"]["id"], answer);
        assert_eq!(notices[0]["account"]["username"], "asker");
        let answered = app
            .get(&stranger, "/api/v1/timelines/questions?state=answered")
            .await;
        assert_eq!(ids(&answered), vec![question.clone()]);
        let unanswered = app
            .get(&stranger, "/api/v1/timelines/questions?state=unanswered")
            .await;
        assert_eq!(ids(&unanswered), vec![other_question.clone()]);
        let bad_state = app
            .get(&stranger, "/api/v1/timelines/questions?state=maybe")
            .await;
        assert_eq!(bad_state.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error_of(&bad_state).contains("state"));

        // Support may settle anyone's question, and unaccept clears it.
        let by_support = app
            .post_json(&support, &accept(&elsewhere), json!({}))
            .await;
        assert_eq!(by_support.status, StatusCode::OK);
        let refused = app
            .post_json(
                &helper,
                &format!("/api/v1/statuses/{other_question}/unaccept"),
                json!({}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let cleared = app
            .post_json(
                &stranger,
                &format!("/api/v1/statuses/{other_question}/unaccept"),
                json!({}),
            )
            .await;
        assert_eq!(cleared.status, StatusCode::OK);
        assert_eq!(cleared.body["hubbub"]["question"]["answered"], false);

        // A community admin settles the questions of their community.
        let founder = app.register("founder").await;
        let team = app.community(&founder, "Team", false).await;
        let asked = app
            .post_json(
                &asker,
                "/api/v1/statuses",
                json!({ "status": "standup time?", "community_id": team, "hubbub_question": true }),
            )
            .await;
        let asked = asked.body["id"].as_str().unwrap_or_default().to_owned();
        let answer = app.reply_to(&helper, &asked, "9:30").await;
        let by_admin = app.post_json(&founder, &accept(&answer), json!({})).await;
        assert_eq!(by_admin.status, StatusCode::OK, "{:?}", by_admin.body);
        let in_team = app
            .get(
                &stranger,
                &format!("/api/v1/timelines/questions?state=answered&community_id={team}"),
            )
            .await;
        assert_eq!(ids(&in_team), vec![asked]);
        let link = in_team.headers.get("link").unwrap().to_str().unwrap();
        assert!(
            link.contains(&format!(
                "&state=answered&community_id={team}>; rel=\"next\""
            )),
            "the next page keeps the filters: {link}"
        );

        let reply_question = app
            .post_json(
                &asker,
                "/api/v1/statuses",
                json!({ "status": "?", "in_reply_to_id": question, "hubbub_question": true }),
            )
            .await;
        assert_eq!(reply_question.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error_of(&reply_question).contains("hubbub_question"));
    }
}

#[actix_web::test]
async fn accepting_the_answer_to_a_help_desk_question_resolves_its_ticket() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let asker = app.register("asker").await;
        let peer = app.register("peer").await;
        let support = app.register("support").await;
        app.set_role_of(&support, Role::Support).await;
        // Posted without `hubbub_question`: the #helpdesk tag makes it a ticket,
        // and a ticket is a question.
        let question = app
            .post(&asker, "Outlook keeps asking for my password #helpdesk")
            .await;
        let shown = app
            .get(&asker, &format!("/api/v1/statuses/{question}"))
            .await;
        assert_eq!(shown.body["hubbub"]["question"]["answered"], false);
        let answer = app
            .reply_to(&peer, &question, "clear the credential manager")
            .await;
        let ticket_uri = format!("/api/v1/helpdesk/tickets/{question}");
        let open = app.get(&support, &ticket_uri).await;
        assert_eq!(open.status, StatusCode::OK, "{:?}", open.body);
        assert_ne!(open.body["state"], "resolved");

        let accepted = app
            .post_json(
                &asker,
                &format!("/api/v1/statuses/{answer}/accept"),
                json!({}),
            )
            .await;
        assert_eq!(accepted.status, StatusCode::OK, "{:?}", accepted.body);

        let ticket = app.get(&support, &ticket_uri).await;
        assert_eq!(ticket.body["state"], "resolved", "[{}]", app.backend);
        assert_eq!(ticket.body["answer_id"], answer);
        let kinds: Vec<&str> = ticket.body["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|event| event["kind"].as_str())
            .collect();
        assert!(kinds.contains(&"accepted"), "{kinds:?}");

        // Taking the answer back reopens the ticket: it no longer counts as solved.
        let unaccepted = app
            .post_json(
                &asker,
                &format!("/api/v1/statuses/{question}/unaccept"),
                json!({}),
            )
            .await;
        assert_eq!(unaccepted.status, StatusCode::OK, "{:?}", unaccepted.body);
        assert_eq!(unaccepted.body["hubbub"]["question"]["answered"], false);
        let reopened = app.get(&support, &ticket_uri).await;
        assert_eq!(reopened.body["state"], "open", "[{}]", app.backend);
        assert!(reopened.body["answer_id"].is_null());
        let last = reopened.body["events"].as_array().unwrap().last().unwrap();
        assert_eq!(last["kind"], "reopened");
        let unanswered = app
            .get(&peer, "/api/v1/timelines/questions?state=unanswered")
            .await;
        assert_eq!(ids(&unanswered), vec![question.clone()]);

        // Support reopening a resolved ticket clears the question's answer too.
        app.post_json(
            &asker,
            &format!("/api/v1/statuses/{answer}/accept"),
            json!({}),
        )
        .await;
        let reopen = app
            .post_json(&support, &format!("{ticket_uri}/reopen"), json!({}))
            .await;
        assert_eq!(reopen.status, StatusCode::OK, "{:?}", reopen.body);
        let shown = app
            .get(&asker, &format!("/api/v1/statuses/{question}"))
            .await;
        assert_eq!(shown.body["hubbub"]["question"]["answered"], false);
    }
}

#[actix_web::test]
async fn threads_i_reply_in_or_follow_reach_my_threads_timeline_and_home() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let ada = app.register("ada").await;
        let grace = app.register("grace").await;
        let other = app.register("other").await;

        let replied = app.post(&grace, "lunch order thread").await;
        app.reply_to(&ada, &replied, "pizza for me").await;
        let later = app.reply_to(&other, &replied, "salad please").await;
        let followed = app.post(&other, "release notes thread").await;
        let unrelated = app.post(&other, "unrelated").await;
        let follow = app
            .post_json(
                &ada,
                &format!("/api/v1/statuses/{followed}/follow_thread"),
                json!({}),
            )
            .await;
        assert_eq!(follow.status, StatusCode::OK);
        assert_eq!(follow.body["hubbub"]["thread_followed"], true);
        let news = app.reply_to(&other, &followed, "v2 is out").await;

        let threads = app.get(&ada, "/api/v1/timelines/threads").await;
        assert_eq!(threads.status, StatusCode::OK);
        let listed = ids(&threads);
        assert_eq!(listed[0], news, "[{}] newest first", app.backend);
        assert!(listed.contains(&later) && listed.contains(&replied));
        assert!(!listed.contains(&unrelated));
        let home = ids(&app.get(&ada, "/api/v1/timelines/home").await);
        assert!(
            home.contains(&later) && home.contains(&news),
            "a reply in a thread I took part in and one in a thread I follow: {home:?}"
        );
        assert!(!home.contains(&unrelated));
        let paged = app.get(&ada, "/api/v1/timelines/threads?limit=2").await;
        assert_eq!(ids(&paged).len(), 2);
        assert!(paged.headers.contains_key("link"));

        let unfollow = app
            .post_json(
                &ada,
                &format!("/api/v1/statuses/{later}/unfollow_thread"),
                json!({}),
            )
            .await;
        assert_eq!(unfollow.status, StatusCode::OK);
        assert_eq!(unfollow.body["hubbub"]["thread_followed"], false);
        let threads = app.get(&ada, "/api/v1/timelines/threads").await;
        assert_eq!(
            texts(&threads.body),
            vec!["v2 is out", "release notes thread"]
        );
    }
}
