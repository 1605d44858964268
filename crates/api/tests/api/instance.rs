//! Instance metadata and unknown API paths.

use crate::helpers::start;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use hubbub_testkit::database::all_backends;

#[actix_web::test]
async fn both_instance_versions_answer_with_and_without_a_trailing_slash() {
    let backend = &all_backends()[0];
    let app = start(backend).await;
    for uri in ["/api/v1/instance", "/api/v1/instance/"] {
        let reply = app
            .send(
                TestRequest::get()
                    .uri(uri)
                    .insert_header(("Host", "hub.example:8080")),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        assert_eq!(reply.body["version"], "4.3.0 (compatible; Hubbub 0.1.0)");
        assert_eq!(reply.body["uri"], "hub.example:8080");
        assert_eq!(reply.body["urls"]["streaming_api"], "ws://hub.example:8081");
        assert_eq!(
            reply.body["configuration"]["statuses"]["max_characters"],
            5000
        );
    }
    for uri in ["/api/v2/instance", "/api/v2/instance/"] {
        let reply = app
            .send(
                TestRequest::get()
                    .uri(uri)
                    .insert_header(("Host", "hub.example:8080")),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        assert_eq!(reply.body["version"], "4.3.0 (compatible; Hubbub 0.1.0)");
        assert_eq!(
            reply.body["configuration"]["urls"]["streaming"],
            "ws://hub.example:8081"
        );
        assert_eq!(
            reply.body["configuration"]["statuses"]["max_characters"],
            5000
        );
        assert_eq!(reply.body["registrations"]["enabled"], true);
    }
}

#[actix_web::test]
async fn unknown_api_paths_answer_404_json() {
    let backend = &all_backends()[0];
    let app = start(backend).await;
    let reply = app
        .send(TestRequest::get().uri("/api/v1/no_such_thing"))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.body["error"], "Record not found");
}
