//! The HTTP side of the gateway's listener, written by hand so that one port
//! can answer plain HTTP (health, 401, 404) and upgrade to WebSocket.
//!
//! The request head is read with a size bound and parsed by tungstenite's own
//! parser; the 101 answer comes from tungstenite's `create_response`, with the
//! `Sec-WebSocket-Protocol` echo added (browsers drop the connection without it).

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite;
use tokio_tungstenite::tungstenite::error::ProtocolError;
use tokio_tungstenite::tungstenite::handshake::machine::TryParse;
use tokio_tungstenite::tungstenite::handshake::server::{Request, create_response, write_response};
use tokio_tungstenite::tungstenite::http::HeaderValue;

/// Why no request could be read.
#[derive(Debug)]
pub(crate) enum HeadError {
    /// The peer went away (or the socket failed) before a full head arrived.
    Closed,
    /// The head is bigger than allowed.
    TooLarge,
    /// Not a method we serve.
    WrongMethod,
    /// Not HTTP/1.1 we can parse.
    Malformed,
}

/// Reads one request head of at most `max` bytes. Returns it with any bytes
/// that arrived after it (the start of the WebSocket stream, if the client did
/// not wait for our answer).
pub(crate) async fn read_head(
    stream: &mut TcpStream,
    max: usize,
) -> Result<(Request, Vec<u8>), HeadError> {
    let mut buf = vec![0u8; max.min(1024)];
    let mut filled = 0;
    loop {
        if filled == buf.len() {
            if buf.len() >= max {
                return Err(HeadError::TooLarge);
            }
            buf.resize((buf.len() * 2).min(max), 0);
        }
        let read = stream
            .read(&mut buf[filled..])
            .await
            .map_err(|_| HeadError::Closed)?;
        if read == 0 {
            return Err(HeadError::Closed);
        }
        filled += read;
        match Request::try_parse(&buf[..filled]) {
            Ok(Some((used, request))) => return Ok((request, buf[used..filled].to_vec())),
            Ok(None) => {}
            Err(tungstenite::Error::Protocol(ProtocolError::WrongHttpMethod)) => {
                return Err(HeadError::WrongMethod);
            }
            Err(_) => return Err(HeadError::Malformed),
        }
    }
}

/// Where a client found its access token, and the subprotocol to echo.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Credentials {
    /// The token, from `Authorization: Bearer`, `?access_token=` or the
    /// subprotocol, in that order of preference.
    pub(crate) token: Option<String>,
    /// The subprotocol the client offered first, which must be echoed.
    pub(crate) protocol: Option<String>,
}

/// Finds the access token wherever the client put it.
pub(crate) fn credentials(request: &Request, query_token: Option<&str>) -> Credentials {
    let headers = request.headers();
    let bearer = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            let (scheme, token) = value.trim().split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| token.trim().to_owned())
        })
        .filter(|token| !token.is_empty());
    // Browsers cannot set headers on a WebSocket, so Mastodon clients pass the
    // token as the (only) subprotocol.
    let protocol = headers
        .get("sec-websocket-protocol")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(',').next())
        .map(|first| first.trim().to_owned())
        .filter(|first| !first.is_empty());
    Credentials {
        token: bearer
            .or_else(|| query_token.map(str::to_owned))
            .or_else(|| protocol.clone()),
        protocol,
    }
}

/// The 101 answer for a valid upgrade request, echoing `protocol`; `None` if
/// the request is not a valid WebSocket upgrade.
pub(crate) fn switching_protocols(request: &Request, protocol: Option<&str>) -> Option<Vec<u8>> {
    let mut response = create_response(request).ok()?;
    if let Some(protocol) = protocol {
        let value = HeaderValue::from_str(protocol).ok()?;
        response
            .headers_mut()
            .insert("sec-websocket-protocol", value);
    }
    let mut bytes = Vec::with_capacity(256);
    write_response(&mut bytes, &response).ok()?;
    Some(bytes)
}

/// Whether the request asks for a WebSocket upgrade at all.
pub(crate) fn is_upgrade(request: &Request) -> bool {
    create_response(request).is_ok()
}

/// Writes a complete plain HTTP response and closes the connection.
pub(crate) async fn respond(stream: &mut TcpStream, status: &str, content_type: &str, body: &str) {
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    // The peer may already be gone; there is nobody left to tell.
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// Writes `{"error": message}` with `status` and closes the connection.
pub(crate) async fn respond_error(stream: &mut TcpStream, status: &str, message: &str) {
    let body = serde_json::json!({ "error": message }).to_string();
    respond_json(stream, status, &body).await;
}

/// Writes a JSON `body` with `status` and closes the connection.
pub(crate) async fn respond_json(stream: &mut TcpStream, status: &str, body: &str) {
    respond(stream, status, "application/json; charset=utf-8", body).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(uri: &str, headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder().uri(uri);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(()).unwrap()
    }

    #[test]
    fn a_bearer_header_wins_over_the_query_and_the_subprotocol() {
        let req = request(
            "/api/v1/streaming",
            &[
                ("Authorization", "Bearer header-token"),
                ("Sec-WebSocket-Protocol", "proto-token"),
            ],
        );
        let found = credentials(&req, Some("query-token"));
        assert_eq!(found.token.as_deref(), Some("header-token"));
        assert_eq!(found.protocol.as_deref(), Some("proto-token"));
    }

    #[test]
    fn the_subprotocol_is_the_token_when_nothing_else_is_given() {
        let req = request(
            "/api/v1/streaming",
            &[("Sec-WebSocket-Protocol", "proto-token")],
        );
        assert_eq!(
            credentials(&req, None).token.as_deref(),
            Some("proto-token")
        );
        assert_eq!(
            credentials(&request("/", &[]), None),
            Credentials::default()
        );
    }

    #[test]
    fn the_upgrade_answer_echoes_the_subprotocol() {
        let req = request(
            "/api/v1/streaming",
            &[
                ("Host", "localhost"),
                ("Connection", "Upgrade"),
                ("Upgrade", "websocket"),
                ("Sec-WebSocket-Version", "13"),
                ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
            ],
        );
        let answer = String::from_utf8(switching_protocols(&req, Some("tok")).unwrap()).unwrap();
        assert!(answer.starts_with("HTTP/1.1 101"));
        assert!(answer.contains("sec-websocket-protocol: tok\r\n"));
        assert!(answer.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        assert!(!is_upgrade(&request("/api/v1/streaming", &[])));
    }
}
