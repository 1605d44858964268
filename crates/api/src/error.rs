//! [`ApiError`]: the one place where errors become HTTP responses.
//!
//! Every body is `{"error": "..."}` naming the problem, as Mastodon answers;
//! validation failures add Mastodon's `details` map (field → list of codes), and
//! OAuth endpoints answer as Doorkeeper does (`error` + `error_description`).
//! 5xx bodies are opaque: the cause goes to the log, never to the client.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use hubbub_core::DomainError;
use hubbub_storage::StorageError;
use serde_json::{Map, Value, json};

/// One field that failed validation, as Mastodon's `details` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The request field, e.g. `username`.
    pub field: String,
    /// Mastodon's machine code, e.g. `ERR_TAKEN`, `ERR_INVALID`, `ERR_BLANK`.
    pub code: &'static str,
    /// What is wrong, in words, without the field name (e.g. "is already taken").
    pub message: String,
}

impl FieldError {
    /// A field error with an explicit code.
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
        }
    }

    fn sentence(&self) -> String {
        format!("{} {}", self.field, self.message)
    }
}

impl From<DomainError> for FieldError {
    fn from(error: DomainError) -> Self {
        match error {
            DomainError::Invalid { field, message } => {
                let code = code_for(&message);
                Self::new(field, code, message)
            }
        }
    }
}

/// Picks Mastodon's detail code from a domain message; the domain speaks words,
/// clients branch on these codes.
fn code_for(message: &str) -> &'static str {
    if message.contains("empty") || message.contains("blank") {
        "ERR_BLANK"
    } else if message.contains("at most") || message.contains("too long") {
        "ERR_TOO_LONG"
    } else if message.contains("at least") {
        "ERR_TOO_SHORT"
    } else {
        "ERR_INVALID"
    }
}

/// Everything a handler can fail with, each mapped to one status code.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request could not be read (malformed JSON, invalid UTF-8, bad query).
    #[error("{0}")]
    BadRequest(String),
    /// 401: missing, expired, tampered or revoked token; the message says which.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// 403: authenticated but not allowed (scope, closed registration).
    #[error("{0}")]
    Forbidden(String),
    /// 404: does not exist, or is not yours to see.
    #[error("{0}")]
    NotFound(String),
    /// 413: the body is larger than the configured limit.
    #[error("request body is larger than the limit of {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// 413: an uploaded file is larger than the limit; names the field.
    #[error("{field} is larger than the limit of {limit} bytes")]
    FileTooLarge {
        /// The form field of the file, e.g. `file`.
        field: &'static str,
        /// The limit in bytes.
        limit: usize,
    },
    /// 415: a body in a format this endpoint does not read.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 422: fields failed validation; each is named in `details`.
    #[error("Validation failed: {}", .0.iter().map(FieldError::sentence).collect::<Vec<_>>().join(", "))]
    Validation(Vec<FieldError>),
    /// 422: the request is well-formed but cannot be carried out.
    #[error("{0}")]
    Unprocessable(String),
    /// An OAuth error in Doorkeeper's shape (`invalid_grant`, `invalid_client`, ...).
    #[error("{error}: {description}")]
    OAuth {
        /// The HTTP status (400 or 401).
        status: StatusCode,
        /// The RFC 6749 error code.
        error: &'static str,
        /// A human-readable explanation.
        description: String,
    },
    /// 500: something failed on our side; the string is logged, not sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// 404 with Mastodon's wording.
    pub fn not_found() -> Self {
        Self::NotFound("Record not found".to_owned())
    }

    /// 422 for one field.
    pub fn field(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, code, message)])
    }

    /// A domain refusal reported under the request's own name for the field
    /// (e.g. the domain's `password` is the form's `new_password`).
    pub fn renamed(field: &'static str, error: DomainError) -> Self {
        let DomainError::Invalid { message, .. } = error;
        let code = code_for(&message);
        Self::field(field, code, message)
    }

    /// 500, recording `context` and the cause for the log.
    pub fn internal(context: &str, cause: impl std::fmt::Display) -> Self {
        Self::Internal(format!("{context}: {cause}"))
    }
}

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        Self::Validation(vec![error.into()])
    }
}

impl From<StorageError> for ApiError {
    fn from(error: StorageError) -> Self {
        match error {
            StorageError::Conflict { field } => Self::field(field, "ERR_TAKEN", "is already taken"),
            StorageError::NotFound { what } => Self::NotFound(format!("{what} not found")),
            StorageError::Rejected(error) => error.into(),
            StorageError::Refused(why) => Self::Unprocessable(why.to_owned()),
            other => Self::internal("storage", other),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        Self::internal("blocking task", error)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::PayloadTooLarge { .. } | Self::FileTooLarge { .. } => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Validation(_) | Self::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::OAuth { status, .. } => *status,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let body = match self {
            Self::Internal(cause) => {
                tracing::error!(cause = %cause, "request failed");
                json!({ "error": "An unexpected error occurred" })
            }
            Self::Validation(fields) => {
                let mut details = Map::new();
                for field in fields {
                    let entry = details
                        .entry(field.field.clone())
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(list) = entry {
                        list.push(json!({ "error": field.code, "description": field.sentence() }));
                    }
                }
                json!({ "error": self.to_string(), "details": details })
            }
            Self::OAuth {
                error, description, ..
            } => json!({ "error": error, "error_description": description }),
            other => json!({ "error": other.to_string() }),
        };
        let mut response = HttpResponse::build(self.status_code());
        if let Self::Unauthorized(_) = self {
            response.insert_header((
                "WWW-Authenticate",
                "Bearer realm=\"Hubbub\", error=\"invalid_token\"",
            ));
        }
        response.json(body)
    }
}
