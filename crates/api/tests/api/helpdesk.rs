//! The help desk over HTTP: who may reach what, the asker's accepted answer, bad
//! settings refused, and exports whose totals an auditor can recompute.
#![expect(
    clippy::unwrap_used,
    reason = "set-up helpers: a failure must stop the test where it happened"
)]

use crate::helpers::{TestApp, error_of, start};
use actix_http::Request;
use actix_web::body::BoxBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use calamine::{Data, Reader, Xlsx};
use hubbub_core::ids::{AccountId, TicketId};
use hubbub_core::role::Role;
use hubbub_testkit::database::all_backends;
use serde_json::{Value, json};
use std::collections::HashMap;

/// Registers `username` with `role` and returns (token, account id).
async fn person<S>(app: &TestApp<S>, username: &str, role: Role) -> (String, String)
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = actix_web::Error>,
{
    let token = app.register(username).await;
    let id = app.account_id(&token).await;
    assert!(
        app.store
            .set_role(AccountId(id.parse().unwrap()), role, None)
            .await
            .unwrap()
    );
    (token, id)
}

async fn reply<S>(app: &TestApp<S>, token: &str, text: &str, parent: &str) -> String
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = actix_web::Error>,
{
    let reply = app
        .send_as(
            token,
            TestRequest::post()
                .uri("/api/v1/statuses")
                .set_json(json!({"status": text, "in_reply_to_id": parent})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

/// The raw bytes of a GET.
async fn download<S>(app: &TestApp<S>, token: &str, uri: &str) -> (StatusCode, Vec<u8>)
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = actix_web::Error>,
{
    let request = TestRequest::get()
        .uri(uri)
        .insert_header(("Authorization", format!("Bearer {token}")))
        .to_request();
    let response = test::call_service(&app.service, request).await;
    let status = response.status();
    (status, test::read_body(response).await.to_vec())
}

#[actix_web::test]
async fn only_support_reaches_triage_and_only_managers_reach_reports_exports_and_settings() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let (member, _) = person(&app, "mia", Role::Member).await;
        let (support, _) = person(&app, "sam", Role::Support).await;
        let (manager, _) = person(&app, "meg", Role::Manager).await;
        let (admin, _) = person(&app, "ada", Role::Admin).await;
        let triage = ["/api/v1/helpdesk/tickets"];
        let managed = [
            "/api/v1/reports/helpdesk",
            "/api/v1/reports/helpdesk/tickets.csv",
            "/api/v1/reports/helpdesk/workbook.xlsx",
            "/api/v1/helpdesk/settings",
        ];
        for uri in triage {
            for token in [&member, &manager] {
                let reply = app.send_as(token, TestRequest::get().uri(uri)).await;
                assert_eq!(
                    reply.status,
                    StatusCode::FORBIDDEN,
                    "{uri}: {:?}",
                    reply.body
                );
                assert!(error_of(&reply).contains("support"), "{:?}", reply.body);
            }
            for token in [&support, &admin] {
                let (status, _) = download(&app, token, uri).await;
                assert_eq!(status, StatusCode::OK, "{uri}");
            }
        }
        for uri in managed {
            for token in [&member, &support] {
                let reply = app.send_as(token, TestRequest::get().uri(uri)).await;
                assert_eq!(
                    reply.status,
                    StatusCode::FORBIDDEN,
                    "{uri}: {:?}",
                    reply.body
                );
            }
            for token in [&manager, &admin] {
                let (status, _) = download(&app, token, uri).await;
                assert_eq!(status, StatusCode::OK, "{uri}");
            }
        }
        for token in [&member, &support] {
            let reply = app
                .send_as(
                    token,
                    TestRequest::patch()
                        .uri("/api/v1/helpdesk/settings")
                        .set_json(json!({"m_reply": 4})),
                )
                .await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN);
        }
        let bulk = app
            .send_as(
                &member,
                TestRequest::post()
                    .uri("/api/v1/helpdesk/tickets/bulk")
                    .set_json(json!({"ids": ["1"], "priority": "high"})),
            )
            .await;
        assert_eq!(bulk.status, StatusCode::FORBIDDEN);
        assert!(
            app.send(TestRequest::get().uri(triage[0])).await.status == StatusCode::UNAUTHORIZED
        );
    }
}

#[actix_web::test]
async fn a_tagged_question_reaches_the_queue_and_its_asker_accepts_a_peers_answer() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let (asker, asker_id) = person(&app, "ann", Role::Member).await;
        let (peer, _) = person(&app, "pat", Role::Member).await;
        let (other, _) = person(&app, "oli", Role::Member).await;
        let (support, _) = person(&app, "sam", Role::Support).await;
        let question = app
            .post(
                &asker,
                "Outlook keeps asking for my password #helpdesk #password",
            )
            .await;

        let queue = app
            .send_as(&support, TestRequest::get().uri("/api/v1/helpdesk/tickets"))
            .await;
        assert_eq!(queue.status, StatusCode::OK, "{:?}", queue.body);
        assert_eq!(queue.body[0]["id"], question.as_str());
        assert_eq!(queue.body[0]["category"], "access");
        assert_eq!(queue.body[0]["asker_id"], asker_id.as_str());

        let answer = reply(
            &app,
            &peer,
            "Remove the saved credential in Windows",
            &question,
        )
        .await;
        let awaiting = app
            .send_as(
                &support,
                TestRequest::get()
                    .uri("/api/v1/helpdesk/tickets?awaiting_confirmation=true&sort=sla_risk"),
            )
            .await;
        assert_eq!(
            awaiting.body.as_array().map(Vec::len),
            Some(1),
            "{:?}",
            awaiting.body
        );

        let accept_uri = format!("/api/v1/helpdesk/tickets/{question}/accept");
        let stranger = app
            .send_as(
                &other,
                TestRequest::post()
                    .uri(&accept_uri)
                    .set_json(json!({"answer_id": answer})),
            )
            .await;
        assert_eq!(stranger.status, StatusCode::FORBIDDEN);
        let not_in_thread = app
            .send_as(
                &asker,
                TestRequest::post()
                    .uri(&accept_uri)
                    .set_json(json!({"answer_id": question})),
            )
            .await;
        assert_eq!(not_in_thread.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            error_of(&not_in_thread).contains("answer_id"),
            "{:?}",
            not_in_thread.body
        );
        let accepted = app
            .send_as(
                &asker,
                TestRequest::post()
                    .uri(&accept_uri)
                    .set_json(json!({"answer_id": answer})),
            )
            .await;
        assert_eq!(accepted.status, StatusCode::OK, "{:?}", accepted.body);
        assert_eq!(accepted.body["state"], "resolved");
        assert_eq!(accepted.body["answer_id"], answer.as_str());

        let shown = app
            .send_as(
                &asker,
                TestRequest::get().uri(&format!("/api/v1/helpdesk/tickets/{question}")),
            )
            .await;
        let kinds: Vec<&str> = shown.body["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|event| event["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["created", "reply", "accepted"]);
        let hidden = app
            .send_as(
                &other,
                TestRequest::get().uri(&format!("/api/v1/helpdesk/tickets/{question}")),
            )
            .await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND);
        let queue = app
            .send_as(&support, TestRequest::get().uri("/api/v1/helpdesk/tickets"))
            .await;
        assert_eq!(queue.body, json!([]), "a resolved ticket leaves the queue");
    }
}

/// The versions (numbers) and authors (usernames) of a history page, in order.
fn versions_and_authors(page: &Value) -> Vec<(i64, String)> {
    page.as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["version"].as_i64().unwrap(),
                v["account"]["username"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// The path of the `rel="next"` link of a reply.
fn next_link(reply: &crate::helpers::Reply) -> String {
    let link = reply.headers.get("link").unwrap().to_str().unwrap();
    let next = link.split(['<', '>']).nth(1).unwrap();
    next[next.find("/api").unwrap()..].to_owned()
}

#[actix_web::test]
async fn the_settings_history_lists_every_saved_version_newest_first_with_its_author() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let (member, _) = person(&app, "mia", Role::Member).await;
        let (support, _) = person(&app, "sam", Role::Support).await;
        let (manager, meg_id) = person(&app, "meg", Role::Manager).await;
        let (admin, _) = person(&app, "ada", Role::Admin).await;
        let history = "/api/v1/helpdesk/settings/history";

        let empty = app.send_as(&manager, TestRequest::get().uri(history)).await;
        assert_eq!(empty.status, StatusCode::OK, "{:?}", empty.body);
        assert_eq!(empty.body, json!([]), "nothing saved yet");
        assert!(empty.headers.get("link").is_none());

        for (token, minutes) in [(&manager, 20), (&admin, 25), (&manager, 30)] {
            let saved = app
                .send_as(
                    token,
                    TestRequest::patch()
                        .uri("/api/v1/helpdesk/settings")
                        .set_json(json!({"aht_minutes": {"software": minutes}})),
                )
                .await;
            assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
        }

        let all = app.send_as(&admin, TestRequest::get().uri(history)).await;
        assert_eq!(all.status, StatusCode::OK, "{:?}", all.body);
        assert_eq!(
            versions_and_authors(&all.body),
            [
                (3, "meg".to_owned()),
                (2, "ada".to_owned()),
                (1, "meg".to_owned())
            ]
        );
        let minutes: Vec<f64> = all
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["settings"]["aht_minutes"]["software"].as_f64().unwrap())
            .collect();
        assert_eq!(
            minutes,
            [30.0, 25.0, 20.0],
            "each version keeps its own body"
        );
        assert_eq!(all.body[2]["created_by"], meg_id.as_str());
        assert!(all.body[0]["created_at"].as_str().unwrap().ends_with('Z'));

        let first = app
            .send_as(
                &manager,
                TestRequest::get().uri(&format!("{history}?limit=2")),
            )
            .await;
        assert_eq!(
            versions_and_authors(&first.body),
            [(3, "meg".to_owned()), (2, "ada".to_owned())]
        );
        let second = app
            .send_as(&manager, TestRequest::get().uri(&next_link(&first)))
            .await;
        assert_eq!(versions_and_authors(&second.body), [(1, "meg".to_owned())]);
        let beyond = app
            .send_as(&manager, TestRequest::get().uri(&next_link(&second)))
            .await;
        assert_eq!(beyond.body, json!([]), "nothing older than version 1");
        let newer = app
            .send_as(
                &manager,
                TestRequest::get().uri(&format!("{history}?min_id=1&limit=1")),
            )
            .await;
        assert_eq!(versions_and_authors(&newer.body), [(2, "ada".to_owned())]);

        let one = app
            .send_as(
                &manager,
                TestRequest::get().uri("/api/v1/helpdesk/settings/versions/2"),
            )
            .await;
        assert_eq!(one.status, StatusCode::OK, "{:?}", one.body);
        assert_eq!(one.body["account"]["username"], "ada");
        assert_eq!(one.body["settings"]["aht_minutes"]["software"], 25.0);
        let defaults = app
            .send_as(
                &manager,
                TestRequest::get().uri("/api/v1/helpdesk/settings/versions/0"),
            )
            .await;
        assert_eq!(defaults.status, StatusCode::OK, "{:?}", defaults.body);
        assert_eq!(defaults.body["settings"]["aht_minutes"]["software"], 15.0);
        assert!(defaults.body["account"].is_null());
        for missing in ["4", "-1", "two"] {
            let reply = app
                .send_as(
                    &manager,
                    TestRequest::get()
                        .uri(&format!("/api/v1/helpdesk/settings/versions/{missing}")),
                )
                .await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{missing}");
        }

        for token in [&member, &support] {
            for uri in [history, "/api/v1/helpdesk/settings/versions/1"] {
                let reply = app.send_as(token, TestRequest::get().uri(uri)).await;
                assert_eq!(
                    reply.status,
                    StatusCode::FORBIDDEN,
                    "{uri}: {:?}",
                    reply.body
                );
                assert!(error_of(&reply).contains("manager"), "{:?}", reply.body);
            }
        }
        let anonymous = app.send(TestRequest::get().uri(history)).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    }
}

#[actix_web::test]
async fn bad_settings_are_refused_naming_the_field_and_the_previous_version_stays_in_force() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let (manager, _) = person(&app, "meg", Role::Manager).await;
        let patch = |body: Value| {
            TestRequest::patch()
                .uri("/api/v1/helpdesk/settings")
                .set_json(body)
        };
        let saved = app
            .send_as(
                &manager,
                patch(json!({"cost_per_hour": 55, "targets": {"hours_saved_per_month": 40}})),
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
        assert_eq!(saved.body["version"], 1);

        let bad = [
            (json!({"aht_minutes": {"network": -15}}), "aht_minutes"),
            (json!({"probability": {"access": 1.2}}), "probability"),
            (json!({"aht_minutes": {"printers": 5}}), "aht_minutes"),
            (
                json!({"calendar": {"working_days": []}}),
                "calendar.working_days",
            ),
        ];
        for (body, field) in bad {
            let reply = app.send_as(&manager, patch(body.clone())).await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{body}: {:?}",
                reply.body
            );
            assert!(
                reply.body["details"].get(field).is_some(),
                "{body}: {:?}",
                reply.body
            );
        }
        let current = app
            .send_as(
                &manager,
                TestRequest::get().uri("/api/v1/helpdesk/settings"),
            )
            .await;
        assert_eq!(current.body["version"], 1);
        assert_eq!(current.body["settings"]["cost_per_hour"], 55.0);
        assert_eq!(current.body["settings"]["aht_minutes"]["network"], 15.0);
        assert!(
            current.body["formula"]
                .as_str()
                .unwrap()
                .starts_with("D = ")
        );
    }
}

#[actix_web::test]
async fn the_workbook_summary_totals_equal_the_sums_over_the_csv_rows() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let (asker, _) = person(&app, "ann", Role::Member).await;
        let (peer, peer_id) = person(&app, "pat", Role::Member).await;
        let (support, _) = person(&app, "sam", Role::Support).await;
        let (manager, _) = person(&app, "meg", Role::Manager).await;
        // Peer-resolved network ticket with one reuse.
        let vpn = app.post(&asker, "#vpn will not connect #helpdesk").await;
        let answer = reply(&app, &peer, "update the client", &vpn).await;
        let accept = |id: &str| format!("/api/v1/helpdesk/tickets/{id}/accept");
        let ok = app
            .send_as(
                &asker,
                TestRequest::post()
                    .uri(&accept(&vpn))
                    .set_json(json!({"answer_id": answer})),
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.body);
        let vpn_ticket = TicketId(vpn.parse().unwrap());
        app.store
            .record_reuse(
                vpn_ticket,
                AccountId(peer_id.parse().unwrap()),
                chrono::Utc::now(),
            )
            .await
            .unwrap();
        // Support-resolved hardware ticket with minutes logged.
        let laptop = app.post(&asker, "#laptop fan is loud #helpdesk").await;
        let fix = reply(&app, &support, "bring it by", &laptop).await;
        let minutes = app
            .send_as(
                &support,
                TestRequest::post()
                    .uri(&format!("/api/v1/helpdesk/tickets/{laptop}/minutes"))
                    .set_json(json!({"minutes": 7})),
            )
            .await;
        assert_eq!(minutes.status, StatusCode::OK, "{:?}", minutes.body);
        app.send_as(
            &support,
            TestRequest::post()
                .uri(&accept(&laptop))
                .set_json(json!({"answer_id": fix})),
        )
        .await;
        // An open ticket with a support reply (estimated minutes).
        let open = app.post(&asker, "excel crashes #helpdesk").await;
        reply(&app, &support, "which version?", &open).await;

        let (status, csv_bytes) =
            download(&app, &manager, "/api/v1/reports/helpdesk/tickets.csv").await;
        assert_eq!(status, StatusCode::OK);
        let mut reader = csv::Reader::from_reader(csv_bytes.as_slice());
        let headers = reader.headers().unwrap().clone();
        let rows: Vec<HashMap<String, String>> = reader
            .records()
            .map(|record| {
                headers
                    .iter()
                    .zip(record.unwrap().iter())
                    .map(|(h, v)| (h.to_owned(), v.to_owned()))
                    .collect()
            })
            .collect();
        assert_eq!(rows.len(), 3);
        let sum = |column: &str| -> f64 {
            rows.iter()
                .map(|row| row[column].parse::<f64>().unwrap_or(0.0))
                .sum()
        };
        let created = rows
            .iter()
            .filter(|row| row["created_in_period"] == "true")
            .count() as f64;
        let support_minutes: f64 = rows
            .iter()
            .filter(|row| row["created_in_period"] == "true")
            .map(|row| row["support_minutes"].parse::<f64>().unwrap())
            .sum();
        // By hand: D = 15 (vpn, peer) + (20 - 7) (laptop); U = 15 * 1 reuse.
        assert_eq!(sum("direct_minutes_d"), 28.0);
        assert_eq!(sum("reuse_minutes_u_conservative"), 15.0);
        assert_eq!(support_minutes, 7.0 + 3.0);

        let (status, xlsx_bytes) =
            download(&app, &manager, "/api/v1/reports/helpdesk/workbook.xlsx").await;
        assert_eq!(status, StatusCode::OK);
        let mut workbook: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx_bytes)).unwrap();
        assert_eq!(
            workbook.sheet_names(),
            ["Summary", "Weekly", "Tickets", "Assumptions"]
        );
        let summary = workbook.worksheet_range("Summary").unwrap();
        let figure = |label: &str| -> f64 {
            summary
                .rows()
                .find(|row| matches!(row.first(), Some(Data::String(s)) if s == label))
                .and_then(|row| match row.get(1) {
                    Some(Data::Float(value)) => Some(*value),
                    Some(Data::Int(value)) => Some(*value as f64),
                    _ => None,
                })
                .unwrap_or_else(|| panic!("no figure {label}"))
        };
        assert_eq!(figure("Tickets"), created);
        assert_eq!(
            figure("Resolved (Resolved(P))"),
            rows.iter().filter(|r| r["in_resolved"] == "true").count() as f64
        );
        assert_eq!(figure("D: direct minutes"), sum("direct_minutes_d"));
        assert_eq!(
            figure("U: reuse minutes (conservative)"),
            sum("reuse_minutes_u_conservative")
        );
        assert_eq!(
            figure("U: reuse minutes (expected)"),
            sum("reuse_minutes_u_expected")
        );
        assert_eq!(figure("Support minutes (channel cost)"), support_minutes);
        assert_eq!(figure("Settings version"), 0.0);
        let tickets = workbook.worksheet_range("Tickets").unwrap();
        assert_eq!(
            tickets.height(),
            rows.len() + 1,
            "the Tickets sheet holds the CSV rows"
        );

        let report = app
            .send_as(&manager, TestRequest::get().uri("/api/v1/reports/helpdesk"))
            .await;
        assert_eq!(report.status, StatusCode::OK, "{:?}", report.body);
        assert_eq!(
            report.body["summary"]["conservative"]["direct_minutes"],
            28.0
        );
        assert_eq!(report.body["settings_version"], 0);
        assert!(
            report.body["formula"]
                .as_str()
                .unwrap()
                .contains("Resolved(P)")
        );
        assert_eq!(report.body["engagement"]["posts"], 3);
        assert_eq!(report.body["engagement"]["replies"], 3);
        assert_eq!(report.body["by_category"]["network"]["resolved"], 1);
    }
}

#[actix_web::test]
async fn the_queue_carries_each_tickets_post_and_hides_private_ones_from_non_members() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let (asker, asker_id) = person(&app, "ann", Role::Member).await;
        let (owner, _) = person(&app, "cat", Role::Member).await;
        let (support, _) = person(&app, "sam", Role::Support).await;
        let profile = app
            .send_as(
                &asker,
                TestRequest::patch()
                    .uri("/api/v1/accounts/update_credentials")
                    .set_form([("display_name", "Ann Asker")]),
            )
            .await;
        assert_eq!(profile.status, StatusCode::OK, "{:?}", profile.body);
        let long = format!("#helpdesk my VPN drops {}", "again and ".repeat(40));
        let question = app.post(&asker, &long).await;
        let secret = app.community(&owner, "Secret", true).await;
        let hidden = app
            .post_json(
                &owner,
                "/api/v1/statuses",
                json!({"status": "#helpdesk payroll server is down", "community_id": secret}),
            )
            .await;
        assert_eq!(hidden.status, StatusCode::OK, "{:?}", hidden.body);

        let queue = app
            .send_as(&support, TestRequest::get().uri("/api/v1/helpdesk/tickets"))
            .await;
        assert_eq!(queue.status, StatusCode::OK, "{:?}", queue.body);
        let tickets = queue.body.as_array().unwrap();
        assert_eq!(tickets.len(), 1, "[{}] {:?}", app.backend, queue.body);
        let post = &tickets[0]["post"];
        assert_eq!(tickets[0]["id"], question.as_str());
        assert_eq!(post["author"]["id"], asker_id.as_str());
        assert_eq!(post["author"]["acct"], "ann");
        assert_eq!(post["author"]["display_name"], "Ann Asker");
        assert_eq!(post["created_at"], tickets[0]["created_at"]);
        let excerpt = post["excerpt"].as_str().unwrap();
        assert_eq!(excerpt.chars().count(), 280, "[{}]", app.backend);
        assert!(long.starts_with(excerpt));
        assert_eq!(post["truncated"], true);
        assert!(
            !queue.body.to_string().contains("payroll"),
            "[{}] a private community's post never reaches a non-member's queue",
            app.backend
        );
    }
}

#[actix_web::test]
async fn opening_a_resolved_thread_counts_each_colleague_once_as_a_viewer() {
    for backend in all_backends() {
        let app = start(&backend).await;
        let (asker, _) = person(&app, "ann", Role::Member).await;
        let (peer, _) = person(&app, "pat", Role::Member).await;
        let (support, _) = person(&app, "sam", Role::Support).await;
        let (manager, _) = person(&app, "meg", Role::Manager).await;
        let (vic, _) = person(&app, "vic", Role::Member).await;
        let (val, _) = person(&app, "val", Role::Member).await;
        let question = app.post(&asker, "printer jams on tray 2 #helpdesk").await;
        let answer = reply(&app, &peer, "use tray 1 until Friday", &question).await;
        let context = |id: &str| format!("/api/v1/statuses/{id}/context");
        // Before the answer is accepted, a look is not a reuse.
        app.get(&val, &context(&question)).await;
        let accepted = app
            .send_as(
                &asker,
                TestRequest::post()
                    .uri(&format!("/api/v1/helpdesk/tickets/{question}/accept"))
                    .set_json(json!({"answer_id": answer})),
            )
            .await;
        assert_eq!(accepted.status, StatusCode::OK, "{:?}", accepted.body);
        for (who, id) in [
            (&vic, &question),
            (&vic, &question),
            (&val, &answer),
            (&asker, &question),
            (&support, &question),
        ] {
            let shown = app.get(who, &context(id)).await;
            assert_eq!(shown.status, StatusCode::OK, "{:?}", shown.body);
        }

        let (status, csv_bytes) =
            download(&app, &manager, "/api/v1/reports/helpdesk/tickets.csv").await;
        assert_eq!(status, StatusCode::OK);
        let mut reader = csv::Reader::from_reader(csv_bytes.as_slice());
        let headers = reader.headers().unwrap().clone();
        let viewers_column = headers.iter().position(|h| h == "viewers").unwrap();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            &rows[0][viewers_column], "2",
            "vic and val, once each; not the asker, not support [{}]",
            app.backend
        );
    }
}
