//! The streams a client can ask for, by Mastodon's names, with their
//! parameters, and the errors it gets when it asks wrongly.

use std::collections::HashMap;

/// One stream a connection can subscribe to; also the label on its frames.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum StreamKey {
    /// The user's own posts and those of the accounts they follow.
    User,
    /// The user's notifications.
    UserNotification,
    /// Every public post.
    Public,
    /// Every public post from this server (all of them: Hubbub does not federate).
    PublicLocal,
    /// Public posts with a hashtag (lower-cased, without `#`).
    Hashtag(String),
    /// The same, local only.
    HashtagLocal(String),
    /// A list's posts, by list id.
    List(String),
    /// A community's posts, by community id.
    Community(String),
    /// A thread's posts, by the id of its first post.
    Thread(String),
    /// The help desk queue.
    Helpdesk,
}

/// Why a stream request was refused; answered as Mastodon's
/// `{"error": message, "status": status}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StreamError {
    /// The message.
    pub(crate) message: &'static str,
    /// The HTTP-style status.
    pub(crate) status: u16,
}

impl StreamError {
    /// The name is not a stream Hubbub has.
    pub(crate) const UNKNOWN: StreamError = StreamError {
        message: "Unknown stream type",
        status: 400,
    };
    /// The connection has as many subscriptions as it may.
    pub(crate) const TOO_MANY: StreamError = StreamError {
        message: "Too many subscriptions on this connection",
        status: 400,
    };

    /// A community the account may not read (private and not a member, or no
    /// such community: the two look alike), answered as Mastodon answers a
    /// list that is not the user's.
    pub(crate) const COMMUNITY_FORBIDDEN: StreamError = StreamError {
        message: "Not authorized to stream this community",
        status: 401,
    };
    /// The help desk is for support staff (role `support` or `admin`) only.
    pub(crate) const HELPDESK_FORBIDDEN: StreamError = StreamError {
        message: "Not authorized to stream the help desk",
        status: 401,
    };
    /// The check could not be made (storage unavailable).
    pub(crate) const UNAVAILABLE: StreamError = StreamError {
        message: "Service unavailable",
        status: 503,
    };

    /// Mastodon's error frame body.
    pub(crate) fn json(&self) -> String {
        serde_json::json!({ "error": self.message, "status": self.status }).to_string()
    }
}

impl StreamKey {
    /// The stream a client names, with the parameter it needs (`tag`, `list`,
    /// `community`, `thread`) read from `params`.
    pub(crate) fn parse(name: &str, params: &HashMap<String, String>) -> Result<Self, StreamError> {
        let param = |key: &str, message: &'static str| {
            params
                .get(key)
                .map(|value| value.trim())
                .filter(|value| !value.is_empty())
                .map(str::to_owned)
                .ok_or(StreamError {
                    message,
                    status: 400,
                })
        };
        let tag = || {
            param("tag", "No tag for stream provided")
                .map(|tag| tag.trim_start_matches('#').to_lowercase())
        };
        Ok(match name {
            "user" => Self::User,
            "user:notification" => Self::UserNotification,
            "public" => Self::Public,
            "public:local" => Self::PublicLocal,
            "hashtag" => Self::Hashtag(tag()?),
            "hashtag:local" => Self::HashtagLocal(tag()?),
            "list" => Self::List(param("list", "No list for stream provided")?),
            "community" => {
                let community = param("community", "No community for stream provided")?;
                // One spelling per community, so "007" and "7" are one stream.
                Self::Community(
                    community
                        .parse::<i64>()
                        .map_or(community, |id| id.to_string()),
                )
            }
            "thread" => Self::Thread(param("thread", "No thread for stream provided")?),
            "helpdesk" => Self::Helpdesk,
            _ => return Err(StreamError::UNKNOWN),
        })
    }

    /// The stream behind an SSE path below `/api/v1/streaming`, e.g. `/user`.
    pub(crate) fn from_sse_path(
        rest: &str,
        params: &HashMap<String, String>,
    ) -> Result<Self, StreamError> {
        let name = rest.trim_matches('/').replace('/', ":");
        Self::parse(&name, params)
    }

    /// The name clients use.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Self::User => "user",
            Self::UserNotification => "user:notification",
            Self::Public => "public",
            Self::PublicLocal => "public:local",
            Self::Hashtag(_) => "hashtag",
            Self::HashtagLocal(_) => "hashtag:local",
            Self::List(_) => "list",
            Self::Community(_) => "community",
            Self::Thread(_) => "thread",
            Self::Helpdesk => "helpdesk",
        }
    }

    /// The `stream` array on a WebSocket frame: the name, then the parameter.
    pub(crate) fn label(&self) -> Vec<&str> {
        match self {
            Self::Hashtag(p)
            | Self::HashtagLocal(p)
            | Self::List(p)
            | Self::Community(p)
            | Self::Thread(p) => vec![self.name(), p.as_str()],
            _ => vec![self.name()],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn mastodon_stream_names_parse_with_their_parameters() {
        let none = params(&[]);
        assert_eq!(StreamKey::parse("user", &none), Ok(StreamKey::User));
        assert_eq!(
            StreamKey::parse("hashtag", &params(&[("tag", "#Rust")])),
            Ok(StreamKey::Hashtag("rust".into()))
        );
        assert_eq!(
            StreamKey::parse("list", &params(&[("list", "12")])),
            Ok(StreamKey::List("12".into()))
        );
        assert_eq!(
            StreamKey::parse("hashtag", &none).map_err(|e| e.status),
            Err(400)
        );
        assert_eq!(
            StreamKey::parse("community", &params(&[("community", " 007 ")])),
            Ok(StreamKey::Community("7".into()))
        );
        assert_eq!(
            StreamKey::parse("nonsense", &none),
            Err(StreamError::UNKNOWN)
        );
    }

    #[test]
    fn sse_paths_map_to_stream_names() {
        let none = params(&[]);
        assert_eq!(
            StreamKey::from_sse_path("/user/notification", &none),
            Ok(StreamKey::UserNotification)
        );
        assert_eq!(
            StreamKey::from_sse_path("/public/local", &none),
            Ok(StreamKey::PublicLocal)
        );
        assert_eq!(
            StreamKey::from_sse_path("/helpdesk", &none),
            Ok(StreamKey::Helpdesk)
        );
        assert_eq!(
            StreamKey::Hashtag("rust".into()).label(),
            vec!["hashtag", "rust"]
        );
    }
}
