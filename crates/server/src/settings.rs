//! Settings: CLI flags with `HUBBUB_*` environment fallbacks, checked once at
//! start-up. A bad value stops start-up with one line naming the variable.

use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Raw settings as given on the command line or in the environment.
#[derive(Debug, Clone, Args)]
pub struct RawSettings {
    /// Address for the HTTP API and the web client.
    #[arg(long, env = "HUBBUB_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Address for the streaming gateway (WebSocket).
    #[arg(
        long,
        env = "HUBBUB_STREAMING_LISTEN",
        default_value = "127.0.0.1:8081"
    )]
    pub streaming_listen: String,
    /// Folder for the SQLite database and the generated signing key.
    #[arg(long, env = "HUBBUB_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Database URL (postgres://...); default: SQLite in the data folder.
    #[arg(long, env = "HUBBUB_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Redis URL (redis://...) for the event bus shared by many nodes.
    #[arg(long, env = "HUBBUB_REDIS_URL")]
    pub redis_url: Option<String>,
    /// Redis pub/sub channel for events; nodes of one instance share it.
    #[arg(long, env = "HUBBUB_REDIS_CHANNEL", default_value = "hubbub:events")]
    pub redis_channel: String,
    /// Public base URL clients are told (e.g. https://hubbub.example.com).
    #[arg(long, env = "HUBBUB_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Streaming base URL clients are told (e.g. wss://hubbub.example.com).
    #[arg(long, env = "HUBBUB_STREAMING_URL")]
    pub streaming_url: Option<String>,
    /// Secret that signs access tokens (at least 32 bytes); default: generated into the data folder.
    #[arg(long, env = "HUBBUB_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// Whether anyone may register (true/false).
    #[arg(long, env = "HUBBUB_OPEN_REGISTRATION", default_value = "true")]
    pub open_registration: String,
    /// Longest post in characters.
    #[arg(long, env = "HUBBUB_MAX_STATUS_CHARS", default_value = "5000")]
    pub max_status_chars: String,
    /// What this process serves: api (HTTP API, web client, outbox relay),
    /// streaming (the gateway alone; needs Redis) or all.
    #[arg(long, env = "HUBBUB_ROLE", default_value = "all")]
    pub role: String,
    /// How long published events stay in the outbox for resuming streams
    /// (seconds, or with a unit: 90s, 30m, 24h, 7d).
    #[arg(long, env = "HUBBUB_OUTBOX_RETENTION", default_value = "24h")]
    pub outbox_retention: String,
    /// Streaming connections one account may hold per gateway process
    /// (benchmarks raise it).
    #[arg(
        long,
        env = "HUBBUB_STREAMING_MAX_CONNECTIONS_PER_ACCOUNT",
        default_value = "64",
        hide = true
    )]
    pub streaming_max_connections_per_account: String,
    /// Requests per 5 minutes per user and per IP (0: no limit).
    #[arg(long, env = "HUBBUB_RATE_LIMIT", default_value = "300")]
    pub rate_limit: String,
    /// Sign-up and sign-in attempts per 5 minutes per IP (0: no limit).
    #[arg(long, env = "HUBBUB_RATE_LIMIT_SIGN_IN", default_value = "25")]
    pub rate_limit_sign_in: String,
    /// Take the client IP from X-Forwarded-For (true only behind a proxy that sets it).
    #[arg(long, env = "HUBBUB_TRUST_PROXY", default_value = "false")]
    pub trust_proxy: String,
    /// Single sign-on.
    #[command(flatten)]
    pub sso: crate::settings_sso::RawSsoSettings,
    /// Email.
    #[command(flatten)]
    pub email: crate::settings_email::RawEmailSettings,
}

/// What one `hubbub serve` process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// HTTP API, web client and the outbox relay.
    Api,
    /// The streaming gateway alone (events arrive over Redis).
    Streaming,
    /// Both, in one process: the embedded default.
    All,
}

impl Role {
    /// Whether this role serves the HTTP API (and runs the relay).
    pub fn serves_api(self) -> bool {
        matches!(self, Self::Api | Self::All)
    }

    /// Whether this role runs the streaming gateway.
    pub fn serves_streaming(self) -> bool {
        matches!(self, Self::Streaming | Self::All)
    }
}

/// Settings after checking: every value valid.
#[derive(Clone)]
pub struct Settings {
    /// API and web client listen address.
    pub listen: SocketAddr,
    /// Gateway listen address.
    pub streaming_listen: SocketAddr,
    /// Data folder.
    pub data_dir: PathBuf,
    /// Database URL, SQLite in the data folder when not given.
    pub database_url: String,
    /// Redis URL, if many nodes share a bus.
    pub redis_url: Option<String>,
    /// Redis pub/sub channel for events.
    pub redis_channel: String,
    /// Public base URL told to clients.
    pub public_url: Option<String>,
    /// Streaming base URL told to clients.
    pub streaming_url: Option<String>,
    /// Token signing secret, if given (else read or generated in the data folder).
    pub jwt_secret: Option<Vec<u8>>,
    /// Open registration.
    pub open_registration: bool,
    /// Longest post.
    pub max_status_chars: usize,
    /// What this process serves.
    pub role: Role,
    /// How long published events stay in the outbox.
    pub outbox_retention: std::time::Duration,
    /// Streaming connections one account may hold per gateway process.
    pub streaming_max_connections_per_account: usize,
    /// Requests per 5 minutes per user and per IP; 0 is no limit.
    pub rate_limit: u32,
    /// Sign-in attempts per 5 minutes per IP; 0 is no limit.
    pub rate_limit_sign_in: u32,
    /// Whether the client IP comes from `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// Single sign-on, if configured.
    pub sso: Option<hubbub_api::sso::SsoConfig>,
    /// Email delivery and batching.
    pub email: crate::settings_email::EmailSettings,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("streaming_listen", &self.streaming_listen)
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.database_url))
            .field("redis_url", &self.redis_url.as_deref().map(redact_url))
            .field("redis_channel", &self.redis_channel)
            .field("public_url", &self.public_url)
            .field("streaming_url", &self.streaming_url)
            .field(
                "jwt_secret",
                &self.jwt_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("open_registration", &self.open_registration)
            .field("max_status_chars", &self.max_status_chars)
            .field("role", &self.role)
            .field("outbox_retention", &self.outbox_retention)
            .field(
                "streaming_max_connections_per_account",
                &self.streaming_max_connections_per_account,
            )
            .field("rate_limit", &self.rate_limit)
            .field("rate_limit_sign_in", &self.rate_limit_sign_in)
            .field("trust_proxy", &self.trust_proxy)
            .field("sso", &self.sso)
            .field("email", &self.email)
            .finish()
    }
}

/// A setting that could not be used; the message names the variable.
#[derive(Debug, thiserror::Error)]
#[error("{variable} (--{flag}): {message}")]
pub struct SettingsError {
    variable: &'static str,
    flag: &'static str,
    message: String,
}

pub(crate) fn bad(
    variable: &'static str,
    flag: &'static str,
    message: impl Into<String>,
) -> SettingsError {
    SettingsError {
        variable,
        flag,
        message: message.into(),
    }
}

fn parse_addr(
    raw: &str,
    variable: &'static str,
    flag: &'static str,
) -> Result<SocketAddr, SettingsError> {
    raw.trim().parse().map_err(|_| {
        bad(
            variable,
            flag,
            format!("'{raw}' is not a listen address; expected host:port, e.g. 127.0.0.1:8080"),
        )
    })
}

/// A duration as seconds (`3600`) or with one unit (`90s`, `30m`, `24h`, `7d`).
fn parse_duration(
    raw: &str,
    variable: &'static str,
    flag: &'static str,
) -> Result<std::time::Duration, SettingsError> {
    let raw = raw.trim();
    let (number, unit) = match raw.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => raw.split_at(at),
        None => (raw, "s"),
    };
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => 0,
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .filter(|&seconds| scale > 0 && seconds > 0)
        .map(std::time::Duration::from_secs)
        .ok_or_else(|| {
            bad(
                variable,
                flag,
                format!("'{raw}' is not a duration such as 3600, 90s, 30m, 24h or 7d"),
            )
        })
}

pub(crate) fn parse_bool(
    raw: &str,
    variable: &'static str,
    flag: &'static str,
) -> Result<bool, SettingsError> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(bad(
            variable,
            flag,
            format!("'{raw}' is not a boolean; use true or false"),
        )),
    }
}

fn parse_base_url(
    raw: Option<&str>,
    schemes: &[&str],
    variable: &'static str,
    flag: &'static str,
) -> Result<Option<String>, SettingsError> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let scheme_ok = schemes.iter().any(|scheme| {
        raw.strip_prefix(scheme)
            .and_then(|rest| rest.strip_prefix("://"))
            .is_some_and(|host| !host.is_empty())
    });
    if !scheme_ok {
        return Err(bad(
            variable,
            flag,
            format!(
                "'{raw}' is not a URL starting with {}://",
                schemes.join(":// or ")
            ),
        ));
    }
    Ok(Some(raw.trim_end_matches('/').to_owned()))
}

/// Hides the password in a URL such as postgres://user:secret@host/db.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!(
                    "{}{}:<redacted>{}",
                    &url[..scheme_end + 3],
                    user,
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl RawSettings {
    /// Checks every value and resolves defaults that depend on others.
    pub fn check(self) -> Result<Settings, SettingsError> {
        let listen = parse_addr(&self.listen, "HUBBUB_LISTEN", "listen")?;
        let streaming_listen = parse_addr(
            &self.streaming_listen,
            "HUBBUB_STREAMING_LISTEN",
            "streaming-listen",
        )?;
        if listen == streaming_listen && listen.port() != 0 {
            return Err(bad(
                "HUBBUB_STREAMING_LISTEN",
                "streaming-listen",
                format!(
                    "{streaming_listen} is also HUBBUB_LISTEN; the gateway needs its own address"
                ),
            ));
        }
        if self.data_dir.as_os_str().is_empty() {
            return Err(bad("HUBBUB_DATA_DIR", "data-dir", "must not be empty"));
        }
        let database_url = match self
            .database_url
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => format!("sqlite://{}", self.data_dir.join("hubbub.db").display()),
            Some(url)
                if url.starts_with("postgres://")
                    || url.starts_with("postgresql://")
                    || url.starts_with("sqlite://") =>
            {
                url.to_owned()
            }
            Some(url) => {
                return Err(bad(
                    "HUBBUB_DATABASE_URL",
                    "database-url",
                    format!(
                        "'{}' is not supported; use postgres://... or sqlite://path",
                        redact_url(url)
                    ),
                ));
            }
        };
        let redis_url = parse_base_url(
            self.redis_url.as_deref(),
            &["redis", "rediss"],
            "HUBBUB_REDIS_URL",
            "redis-url",
        )?;
        let redis_channel = self.redis_channel.trim().to_owned();
        if redis_channel.is_empty() {
            return Err(bad(
                "HUBBUB_REDIS_CHANNEL",
                "redis-channel",
                "must not be empty",
            ));
        }
        let public_url = parse_base_url(
            self.public_url.as_deref(),
            &["http", "https"],
            "HUBBUB_PUBLIC_URL",
            "public-url",
        )?;
        let streaming_url = parse_base_url(
            self.streaming_url.as_deref(),
            &["ws", "wss"],
            "HUBBUB_STREAMING_URL",
            "streaming-url",
        )?;
        let jwt_secret = match self.jwt_secret {
            Some(secret) if secret.len() < 32 => {
                return Err(bad(
                    "HUBBUB_JWT_SECRET",
                    "jwt-secret",
                    "must be at least 32 bytes long",
                ));
            }
            Some(secret) => Some(secret.into_bytes()),
            None => None,
        };
        let open_registration = parse_bool(
            &self.open_registration,
            "HUBBUB_OPEN_REGISTRATION",
            "open-registration",
        )?;
        let max_status_chars = self
            .max_status_chars
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=100_000).contains(n))
            .ok_or_else(|| {
                bad(
                    "HUBBUB_MAX_STATUS_CHARS",
                    "max-status-chars",
                    format!(
                        "'{}' is not a number between 1 and 100000",
                        self.max_status_chars
                    ),
                )
            })?;
        let role = match self.role.trim().to_ascii_lowercase().as_str() {
            "api" => Role::Api,
            "streaming" => Role::Streaming,
            "all" | "" => Role::All,
            other => {
                return Err(bad(
                    "HUBBUB_ROLE",
                    "role",
                    format!("'{other}' is not a role; use api, streaming or all"),
                ));
            }
        };
        if role == Role::Streaming && redis_url.is_none() {
            return Err(bad(
                "HUBBUB_ROLE",
                "role",
                "streaming alone needs HUBBUB_REDIS_URL: without Redis, events never leave the API process (use --role all)",
            ));
        }
        let outbox_retention = parse_duration(
            &self.outbox_retention,
            "HUBBUB_OUTBOX_RETENTION",
            "outbox-retention",
        )?;
        let streaming_max_connections_per_account = self
            .streaming_max_connections_per_account
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| {
                bad(
                    "HUBBUB_STREAMING_MAX_CONNECTIONS_PER_ACCOUNT",
                    "streaming-max-connections-per-account",
                    "must be a positive number",
                )
            })?;
        let count = |raw: &str, variable: &'static str, flag: &'static str| {
            raw.trim()
                .parse::<u32>()
                .map_err(|_| bad(variable, flag, format!("'{raw}' is not a whole number")))
        };
        let rate_limit = count(&self.rate_limit, "HUBBUB_RATE_LIMIT", "rate-limit")?;
        let rate_limit_sign_in = count(
            &self.rate_limit_sign_in,
            "HUBBUB_RATE_LIMIT_SIGN_IN",
            "rate-limit-sign-in",
        )?;
        let trust_proxy = parse_bool(&self.trust_proxy, "HUBBUB_TRUST_PROXY", "trust-proxy")?;
        let sso = self.sso.check()?;
        let email = self.email.check(&self.data_dir)?;
        Ok(Settings {
            role,
            listen,
            streaming_listen,
            data_dir: self.data_dir,
            database_url,
            redis_url,
            redis_channel,
            public_url,
            streaming_url,
            jwt_secret,
            open_registration,
            max_status_chars,
            outbox_retention,
            streaming_max_connections_per_account,
            rate_limit,
            rate_limit_sign_in,
            trust_proxy,
            sso,
            email,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        settings: RawSettings,
    }

    fn check(args: &[&str]) -> Result<Settings, SettingsError> {
        let mut argv = vec!["hubbub"];
        argv.extend_from_slice(args);
        Cli::try_parse_from(argv).unwrap().settings.check()
    }

    #[test]
    fn defaults_give_sqlite_in_the_data_folder_and_open_registration() {
        let settings = check(&["--data-dir", "/tmp/hubbub-x"]).unwrap();
        assert_eq!(settings.database_url, "sqlite:///tmp/hubbub-x/hubbub.db");
        assert!(settings.open_registration);
        assert_eq!(settings.max_status_chars, 5000);
        assert!(settings.redis_url.is_none());
        assert_eq!(
            settings.outbox_retention,
            std::time::Duration::from_secs(86_400)
        );
        assert_eq!(
            check(&["--outbox-retention", "90m"])
                .map(|s| s.outbox_retention.as_secs())
                .ok(),
            Some(5_400)
        );
    }

    #[test]
    fn each_bad_value_names_its_variable() {
        let cases: &[(&[&str], &str)] = &[
            (&["--listen", "nowhere"], "HUBBUB_LISTEN"),
            (&["--rate-limit", "lots"], "HUBBUB_RATE_LIMIT"),
            (&["--trust-proxy", "maybe"], "HUBBUB_TRUST_PROXY"),
            (
                &["--streaming-listen", "1.2.3.4"],
                "HUBBUB_STREAMING_LISTEN",
            ),
            (&["--database-url", "mysql://x"], "HUBBUB_DATABASE_URL"),
            (&["--redis-url", "http://x"], "HUBBUB_REDIS_URL"),
            (&["--outbox-retention", "soon"], "HUBBUB_OUTBOX_RETENTION"),
            (&["--outbox-retention", "0"], "HUBBUB_OUTBOX_RETENTION"),
            (&["--public-url", "ftp://x"], "HUBBUB_PUBLIC_URL"),
            (&["--streaming-url", "http://x"], "HUBBUB_STREAMING_URL"),
            (&["--jwt-secret", "short"], "HUBBUB_JWT_SECRET"),
            (
                &["--open-registration", "maybe"],
                "HUBBUB_OPEN_REGISTRATION",
            ),
            (&["--max-status-chars=-3"], "HUBBUB_MAX_STATUS_CHARS"),
            (&["--role", "worker"], "HUBBUB_ROLE"),
            (&["--role", "streaming"], "HUBBUB_ROLE"),
        ];
        for (args, variable) in cases {
            let message = check(args).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(message.starts_with(variable), "{args:?} gave '{message}'");
            assert!(!message.contains('\n'));
        }
    }

    #[test]
    fn a_streaming_node_with_redis_is_accepted_and_all_is_the_default() {
        let streaming = check(&["--role", "streaming", "--redis-url", "redis://r:6379"]).unwrap();
        assert_eq!(streaming.role, Role::Streaming);
        assert!(!streaming.role.serves_api());
        assert_eq!(check(&[]).unwrap().role, Role::All);
    }

    #[test]
    fn database_passwords_never_reach_the_logs() {
        let settings = check(&["--database-url", "postgres://hubbub:s3cret@db/hubbub"]).unwrap();
        let shown = format!("{settings:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("postgres://hubbub:<redacted>@db/hubbub"));
    }
}
