//! [`Input<T>`]: a request body read as JSON or as form data, chosen by
//! `Content-Type`, with the API's limits and error messages; plus small
//! deserialisation helpers for the loose types Mastodon clients send.

use crate::error::ApiError;
use crate::state::ApiState;
use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use actix_web::web::{Bytes, BytesMut, Data};
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use futures_util::{Stream, StreamExt};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// Used when no [`ApiState`] is registered (it always is through `configure`).
const FALLBACK_LIMIT: usize = 64 * 1024;

/// A request body parsed into `T` from `application/json` or
/// `application/x-www-form-urlencoded`. An empty body reads as no fields.
#[derive(Debug)]
pub struct Input<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Input<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<Data<ApiState>>()
            .map_or(FALLBACK_LIMIT, |state| state.config.max_body_bytes);
        let content_type = req
            .headers()
            .get(CONTENT_TYPE)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        let body = read_body(req, payload.take(), limit);
        Box::pin(async move { parse_body(content_type.as_deref(), &body.await?).map(Input) })
    }
}

/// Reads a whole body of at most `limit` bytes: 413 beyond it, refused before
/// reading when the declared length is already over.
pub fn read_body(
    req: &HttpRequest,
    mut payload: impl Stream<Item = Result<Bytes, PayloadError>> + Unpin + 'static,
    limit: usize,
) -> LocalBoxFuture<'static, Result<BytesMut, ApiError>> {
    let declared_length = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    Box::pin(async move {
        if declared_length.is_some_and(|length| length > limit) {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        let mut body = BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|error| match error {
                PayloadError::Overflow => ApiError::PayloadTooLarge { limit },
                other => ApiError::BadRequest(format!("could not read the request body: {other}")),
            })?;
            if body.len() + chunk.len() > limit {
                return Err(ApiError::PayloadTooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    })
}

/// Parses a complete body according to its declared content type.
pub fn parse_body<T: DeserializeOwned>(
    content_type: Option<&str>,
    body: &[u8],
) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        // Clients send bodiless POSTs with and without a content type; treat both
        // as "no fields" so the handler names whatever is missing.
        return serde_urlencoded::from_bytes(b"")
            .map_err(|error| ApiError::Unprocessable(error.to_string()));
    }
    let essence = content_type
        .map(|value| {
            value
                .split(';')
                .next()
                .unwrap_or(value)
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    if essence == "application/json" || essence.ends_with("+json") {
        if std::str::from_utf8(body).is_err() {
            return Err(not_utf8());
        }
        return serde_json::from_slice(body).map_err(|error| {
            if error.is_data() {
                ApiError::Unprocessable(error.to_string())
            } else {
                ApiError::BadRequest(format!("malformed JSON: {error}"))
            }
        });
    }
    if essence == "application/x-www-form-urlencoded" {
        if !form_is_utf8(body) {
            return Err(not_utf8());
        }
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
            .map_err(|error| ApiError::Unprocessable(error.to_string()))?;
        // Rails-style lists (`media_ids[]=1&media_ids[]=2`) are beyond the form
        // decoder; such bodies go through the same JSON shape as multipart fields.
        if pairs.iter().any(|(key, _)| key.ends_with("[]")) {
            return serde_json::from_value(form_fields_to_json(pairs))
                .map_err(|error| ApiError::Unprocessable(error.to_string()));
        }
        return serde_urlencoded::from_bytes(body)
            .map_err(|error| ApiError::Unprocessable(error.to_string()));
    }
    let got = if essence.is_empty() {
        "no Content-Type".to_owned()
    } else {
        format!("Content-Type {essence}")
    };
    Err(ApiError::UnsupportedMediaType(format!(
        "unsupported {got}: send application/json or application/x-www-form-urlencoded"
    )))
}

/// Form fields as a JSON object of strings: `name[]` fields become lists under
/// `name`, and a repeated plain field keeps its last value. Every value stays a
/// string, which the loose input types ([`Flag`], [`IdParam`]) accept.
pub fn form_fields_to_json(pairs: Vec<(String, String)>) -> serde_json::Value {
    use serde_json::{Map, Value};
    let mut object = Map::new();
    for (key, value) in pairs {
        match key.strip_suffix("[]") {
            Some(list) => {
                let entry = object
                    .entry(list.to_owned())
                    .or_insert_with(|| Value::Array(Vec::new()));
                match entry {
                    Value::Array(items) => items.push(Value::String(value)),
                    other => *other = Value::Array(vec![Value::String(value)]),
                }
            }
            None => {
                object.insert(key, Value::String(value));
            }
        }
    }
    Value::Object(object)
}

fn not_utf8() -> ApiError {
    ApiError::BadRequest("request body is not valid UTF-8".to_owned())
}

/// Whether a form body, once `%XX` escapes are decoded, is UTF-8 (the form
/// decoder would otherwise replace bad bytes silently and store mojibake).
fn form_is_utf8(body: &[u8]) -> bool {
    let mut decoded = Vec::with_capacity(body.len());
    let mut index = 0;
    while index < body.len() {
        let byte = body[index];
        if byte == b'%' && index + 2 < body.len() {
            let hex = body
                .get(index + 1..index + 3)
                .and_then(|digits| std::str::from_utf8(digits).ok())
                .and_then(|digits| u8::from_str_radix(digits, 16).ok());
            if let Some(value) = hex {
                decoded.push(value);
                index += 3;
                continue;
            }
        }
        decoded.push(byte);
        index += 1;
    }
    std::str::from_utf8(&decoded).is_ok()
}

/// A yes/no as clients send it: JSON `true`, or form `true`/`1`/`on`/`True`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Flag {
    /// A JSON boolean.
    Bool(bool),
    /// A form value.
    Text(String),
}

impl Flag {
    /// Whether the flag says yes.
    pub fn is_set(&self) -> bool {
        match self {
            Self::Bool(value) => *value,
            Self::Text(text) => matches!(
                text.trim().to_ascii_lowercase().as_str(),
                "true" | "1" | "on" | "yes"
            ),
        }
    }
}

/// An id as clients send it: a string (Mastodon's ids are strings) or a JSON number.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum IdParam {
    /// A JSON number.
    Number(i64),
    /// A string.
    Text(String),
}

impl IdParam {
    /// The id, or `None` when blank; `Err` names `field` when it is not a number.
    pub fn parse(&self, field: &'static str) -> Result<Option<i64>, ApiError> {
        match self {
            Self::Number(value) => Ok(Some(*value)),
            Self::Text(text) if text.trim().is_empty() => Ok(None),
            Self::Text(text) => text
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| ApiError::field(field, "ERR_INVALID", "is not a valid id")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Post {
        status: Option<String>,
    }

    #[test]
    fn json_and_form_bodies_read_the_same_fields() {
        let json: Post = parse_body(
            Some("application/json; charset=utf-8"),
            br#"{"status":"hi"}"#,
        )
        .unwrap();
        let form: Post =
            parse_body(Some("application/x-www-form-urlencoded"), b"status=hi").unwrap();
        assert_eq!(json.status.as_deref(), Some("hi"));
        assert_eq!(form.status.as_deref(), Some("hi"));
    }

    #[test]
    fn an_empty_body_reads_as_no_fields_whatever_its_type() {
        let post: Post = parse_body(Some("application/json"), b"").unwrap();
        assert!(post.status.is_none());
    }

    #[test]
    fn percent_encoded_invalid_utf8_in_a_form_is_refused() {
        let err = parse_body::<Post>(Some("application/x-www-form-urlencoded"), b"status=%FF%FE")
            .unwrap_err();
        assert!(matches!(err, ApiError::BadRequest(message) if message.contains("UTF-8")));
        assert!(form_is_utf8("status=caf%C3%A9+%".as_bytes()));
    }

    #[test]
    fn unknown_content_types_are_named_in_the_error() {
        let err = parse_body::<Post>(Some("text/plain"), b"status=hi").unwrap_err();
        assert!(
            matches!(err, ApiError::UnsupportedMediaType(message) if message.contains("text/plain"))
        );
    }

    #[test]
    fn bracketed_form_fields_are_read_as_lists() {
        #[derive(Debug, Deserialize)]
        struct WithList {
            status: Option<String>,
            #[serde(default)]
            media_ids: Vec<IdParam>,
        }
        let form: WithList = parse_body(
            Some("application/x-www-form-urlencoded"),
            b"status=hi&media_ids%5B%5D=1&media_ids[]=2",
        )
        .unwrap();
        assert_eq!(form.status.as_deref(), Some("hi"));
        let ids: Vec<_> = form
            .media_ids
            .iter()
            .map(|id| id.parse("media_ids").unwrap())
            .collect();
        assert_eq!(ids, vec![Some(1), Some(2)]);
    }

    #[test]
    fn flags_accept_json_booleans_and_form_words() {
        assert!(Flag::Bool(true).is_set());
        assert!(Flag::Text("True".into()).is_set());
        assert!(!Flag::Text("0".into()).is_set());
    }
}
