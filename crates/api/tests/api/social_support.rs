//! Helpers for the topics, communities, feeds and announcements tests.

use crate::helpers::{Reply, TestApp};
use actix_http::Request;
use actix_web::Error;
use actix_web::body::BoxBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use hubbub_core::ids::AccountId;
use hubbub_core::role::Role;
use serde_json::{Value, json};

/// The ids of a page of statuses, in order.
pub fn ids(reply: &Reply) -> Vec<String> {
    reply
        .body
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {:?}", reply.body))
        .iter()
        .map(|item| item["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

impl<S> TestApp<S>
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = Error>,
{
    /// GET `uri` as `token`.
    pub async fn get(&self, token: &str, uri: &str) -> Reply {
        self.send_as(token, TestRequest::get().uri(uri)).await
    }

    /// POST `body` as JSON to `uri` as `token`.
    pub async fn post_json(&self, token: &str, uri: &str, body: Value) -> Reply {
        self.send_as(token, TestRequest::post().uri(uri).set_json(body))
            .await
    }

    /// Makes the account behind `token` an instance admin.
    pub async fn make_admin(&self, token: &str) {
        let id: i64 = self.account_id(token).await.parse().unwrap_or_default();
        self.store
            .set_account_role(AccountId(id), Role::Admin)
            .await
            .unwrap_or_else(|e| panic!("set role: {e}"));
    }

    /// Creates a community as `token` and returns its id.
    pub async fn community(&self, token: &str, name: &str, private: bool) -> String {
        let reply = self
            .post_json(
                token,
                "/api/v1/communities",
                json!({ "name": name, "description": "about it", "private": private }),
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

    /// Posts `text` into `community` as `token` and returns the status id.
    pub async fn post_in(&self, token: &str, community: &str, text: &str) -> String {
        let reply = self
            .post_json(
                token,
                "/api/v1/statuses",
                json!({ "status": text, "community_id": community }),
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
}

impl<S> TestApp<S>
where
    S: Service<Request, Response = ServiceResponse<BoxBody>, Error = Error>,
{
    /// The status code of posting into `community` as `token`.
    pub async fn post_in_status(&self, token: &str, community: &str) -> StatusCode {
        self.post_json(
            token,
            "/api/v1/statuses",
            json!({ "status": "let me in", "community_id": community }),
        )
        .await
        .status
    }
}
