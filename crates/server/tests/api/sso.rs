//! Single sign-on against a real OpenID Connect provider (`oidc-provider`, see
//! `oidc_provider.rs`): a browser's trip through Hubbub and the provider, played
//! with a cookie-keeping HTTP client that follows redirects by hand.

use crate::helpers::{TestApp, data_dir, databases, test_settings};
use crate::oidc_provider::OidcProvider;
use anyhow::Context;
use hubbub_server::Listeners;
use hubbub_server::settings::Settings;
use hubbub_storage::Store;
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use serde_json::{Value, json};

/// Hubbub with SSO pointed at a provider started for it.
struct SsoSetup {
    app: TestApp,
    provider: Option<OidcProvider>,
    store: Store,
    provider_options: Value,
    _dir: tempfile::TempDir,
}

fn sso_settings(
    settings: &mut Settings,
    issuer: &str,
    extra: &[(&str, &str)],
) -> anyhow::Result<()> {
    let mut raw = hubbub_server::settings_sso::RawSsoSettings {
        oidc_issuer: Some(issuer.to_owned()),
        oidc_client_id: Some("hubbub".into()),
        oidc_client_secret: Some("hubbub-secret".into()),
        oidc_role_map: Some("hubbub-admins=admin,it-support=support".into()),
        ..Default::default()
    };
    for (key, value) in extra {
        match *key {
            "sso_only" => raw.sso_only = Some((*value).into()),
            "break_glass_admin" => raw.break_glass_admin = Some((*value).into()),
            "clock_skew" => raw.oidc_clock_skew = Some((*value).into()),
            other => anyhow::bail!("unknown SSO test setting {other}"),
        }
    }
    settings.sso = raw.check()?;
    Ok(())
}

impl SsoSetup {
    /// Starts a provider with `options` and Hubbub on `database_url` using it.
    async fn start(
        database_url: &str,
        options: Value,
        extra: &[(&str, &str)],
    ) -> anyhow::Result<Self> {
        let dir = data_dir()?;
        let mut settings = test_settings(database_url, dir.path().into())?;
        let listeners = Listeners::bind(settings.listen, settings.streaming_listen)?;
        let api = listeners.api.as_ref().context("no API listener")?;
        let base = format!("http://{}", api.local_addr()?);
        let mut options = options;
        options["redirectUri"] = json!(format!("{base}/auth/sso/callback"));
        let provider = OidcProvider::start(options.clone()).await?;
        sso_settings(&mut settings, &provider.issuer(), extra)?;
        let app = TestApp::start_on(settings, listeners).await?;
        let store = Store::connect(database_url, 2).await?;
        Ok(Self {
            app,
            provider: Some(provider),
            store,
            provider_options: options,
            _dir: dir,
        })
    }

    /// Restarts the provider on the same port with changed options (a new signing
    /// key each time: with another `kid` this is a key rotation).
    async fn restart_provider(&mut self, changes: Value) -> anyhow::Result<()> {
        let provider = self.provider.take().context("provider not running")?;
        let port = provider.port;
        provider.stop().await?;
        let mut options = self.provider_options.clone();
        if let (Some(options), Some(changes)) = (options.as_object_mut(), changes.as_object()) {
            for (key, value) in changes {
                options.insert(key.clone(), value.clone());
            }
        }
        options["port"] = json!(port);
        self.provider = Some(OidcProvider::start(options).await?);
        Ok(())
    }

    async fn stop(self) -> anyhow::Result<()> {
        self.app.stop().await
    }
}

/// Where a browser's sign-in ended.
#[derive(Debug)]
enum Ended {
    /// Redirected back into Hubbub (the `Location`).
    Redirect(String),
    /// A page from Hubbub.
    Page(StatusCode, String),
}

fn browser() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()?)
}

fn absolute(current: &str, location: &str) -> anyhow::Result<String> {
    Ok(reqwest::Url::parse(current)?.join(location)?.to_string())
}

/// Plays a browser: starts at Hubbub's `/auth/sso/start`, picks `who` at the
/// provider (`login_hint`), lets `edit` change the provider URL (as an attacker or
/// an odd browser might), and follows redirects until Hubbub answers the callback.
async fn sign_in_with(
    app: &TestApp,
    browser: &reqwest::Client,
    who: &str,
    return_to: &str,
    edit: impl Fn(String) -> String,
) -> anyhow::Result<Ended> {
    let start = format!(
        "{}?{}",
        app.url("/auth/sso/start"),
        serde_urlencoded::to_string([("return_to", return_to)])?
    );
    let response = browser.get(&start).send().await?;
    if !response.status().is_redirection() {
        let status = response.status();
        return Ok(Ended::Page(status, response.text().await?));
    }
    let location = response.headers()["location"].to_str()?.to_owned();
    let mut url = edit(format!("{location}&login_hint={who}"));
    let callback = app.url("/auth/sso/callback");
    for _ in 0..20 {
        let response = browser.get(&url).send().await?;
        let status = response.status();
        if url.starts_with(&callback) {
            if status.is_redirection() {
                return Ok(Ended::Redirect(
                    response.headers()["location"].to_str()?.to_owned(),
                ));
            }
            return Ok(Ended::Page(status, response.text().await?));
        }
        anyhow::ensure!(
            status.is_redirection(),
            "the provider answered {status}: {}",
            response.text().await?
        );
        let location = response.headers()["location"].to_str()?.to_owned();
        url = absolute(&url, &location)?;
    }
    anyhow::bail!("too many redirects")
}

/// Signs `who` in and trades the one-time code for an access token.
async fn sign_in(app: &TestApp, who: &str) -> anyhow::Result<String> {
    let browser = browser()?;
    let ended = sign_in_with(app, &browser, who, "/", |url| url).await?;
    let Ended::Redirect(location) = ended else {
        anyhow::bail!("sign-in of {who} did not finish: {ended:?}");
    };
    let code = location
        .strip_prefix("/#sso_code=")
        .with_context(|| format!("no code in {location}"))?;
    let response = browser
        .post(app.url("/auth/sso/token"))
        .json(&json!({ "code": code }))
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_success(),
        "token: {}",
        response.status()
    );
    let token: Value = response.json().await?;
    Ok(token["access_token"]
        .as_str()
        .context("access_token")?
        .to_owned())
}

fn provider_options() -> Value {
    json!({ "port": 0, "kid": "key-a", "alg": "RS256" })
}

fn assert_page(ended: &Ended, status: StatusCode, words: &str) {
    match ended {
        Ended::Page(got, body) => {
            assert_eq!(*got, status, "{body}");
            assert!(body.contains(words), "expected '{words}' in {body}");
            assert!(body.contains("<h1>"), "not an HTML page: {body}");
        }
        Ended::Redirect(location) => {
            panic!("expected a page saying '{words}', got a redirect to {location}")
        }
    }
}

#[tokio::test]
async fn a_first_sso_sign_in_creates_the_account_with_claims_and_mapped_roles() -> anyhow::Result<()>
{
    for database in databases().await? {
        let setup = SsoSetup::start(database.url(), provider_options(), &[]).await?;
        let app = &setup.app;

        let token = sign_in(app, "alice").await?;
        let me = app
            .get_json(&token, "/api/v1/accounts/verify_credentials")
            .await?;
        assert_eq!(me["username"], "alice");
        assert_eq!(me["display_name"], "Alice Admin");
        assert_eq!(me["role"]["name"], "admin");

        let bob = sign_in(app, "bob").await?;
        let bob_me = app
            .get_json(&bob, "/api/v1/accounts/verify_credentials")
            .await?;
        assert_eq!(bob_me["role"]["name"], "support");

        let carol = sign_in(app, "carol").await?;
        let carol_me = app
            .get_json(&carol, "/api/v1/accounts/verify_credentials")
            .await?;
        assert_eq!(carol_me["role"]["name"], "member");
        let account_id = carol_me["id"].as_str().context("id")?.parse::<i64>()?;
        let identity = setup
            .store
            .sso_identity(hubbub_core::ids::AccountId(account_id))
            .await?
            .context("carol's SSO identity")?;
        assert_eq!(identity.department, "Sales");
        assert_eq!(identity.job_title, "Account Manager");
        assert_eq!(identity.subject, "carol-sub");

        // Signing in again finds the same account.
        let again = sign_in(app, "alice").await?;
        let me_again = app
            .get_json(&again, "/api/v1/accounts/verify_credentials")
            .await?;
        assert_eq!(me_again["id"], me["id"]);
        setup.stop().await?;
    }
    Ok(())
}

#[tokio::test]
async fn a_later_sign_in_refreshes_role_and_profile_and_a_rotated_key_is_fetched()
-> anyhow::Result<()> {
    for database in databases().await? {
        let mut setup = SsoSetup::start(database.url(), provider_options(), &[]).await?;
        let first = sign_in(&setup.app, "alice").await?;
        let me = setup
            .app
            .get_json(&first, "/api/v1/accounts/verify_credentials")
            .await?;
        assert_eq!(me["role"]["name"], "admin");

        // The provider now signs with a new key and alice left the admin group.
        setup
            .restart_provider(json!({
                "kid": "key-b",
                "users": { "alice": { "groups": ["staff"], "name": "Alice Smith", "job_title": "CIO" } }
            }))
            .await?;
        let second = sign_in(&setup.app, "alice").await?;
        let me = setup
            .app
            .get_json(&second, "/api/v1/accounts/verify_credentials")
            .await?;
        assert_eq!(me["role"]["name"], "member");
        assert_eq!(me["display_name"], "Alice Smith");
        let id = me["id"].as_str().context("id")?.parse::<i64>()?;
        let identity = setup
            .store
            .sso_identity(hubbub_core::ids::AccountId(id))
            .await?
            .context("identity")?;
        assert_eq!(identity.job_title, "CIO");
        setup.stop().await?;
    }
    Ok(())
}

#[tokio::test]
async fn es256_signed_id_tokens_are_accepted() -> anyhow::Result<()> {
    let database = hubbub_testkit::database::TestDatabase::sqlite().await?;
    let setup = SsoSetup::start(
        database.url(),
        json!({ "port": 0, "kid": "ec-1", "alg": "ES256" }),
        &[],
    )
    .await?;
    let token = sign_in(&setup.app, "bob").await?;
    let me = setup
        .app
        .get_json(&token, "/api/v1/accounts/verify_credentials")
        .await?;
    assert_eq!(me["username"], "bob");
    setup.stop().await
}

#[tokio::test]
async fn a_tampered_id_token_is_refused_with_a_page() -> anyhow::Result<()> {
    let database = hubbub_testkit::database::TestDatabase::sqlite().await?;
    let setup = SsoSetup::start(
        database.url(),
        json!({ "port": 0, "kid": "key-a", "tamper": true }),
        &[],
    )
    .await?;
    let ended = sign_in_with(&setup.app, &browser()?, "carol", "/", |url| url).await?;
    assert_page(&ended, StatusCode::BAD_REQUEST, "could not verify");
    assert!(
        setup
            .store
            .account_by_login("mallory@corp.example")
            .await?
            .is_none()
    );
    assert!(setup.store.account_by_login("carol").await?.is_none());
    setup.stop().await
}

#[tokio::test]
async fn an_id_token_with_another_nonce_is_refused() -> anyhow::Result<()> {
    let database = hubbub_testkit::database::TestDatabase::sqlite().await?;
    let setup = SsoSetup::start(database.url(), provider_options(), &[]).await?;
    let swap_nonce = |url: String| {
        let parsed = reqwest::Url::parse(&url).expect("provider URL");
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(k, v)| {
                let v = if k == "nonce" {
                    "attacker-chosen-nonce".to_owned()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        let mut changed = parsed.clone();
        changed.query_pairs_mut().clear().extend_pairs(pairs);
        changed.to_string()
    };
    let ended = sign_in_with(&setup.app, &browser()?, "carol", "/", swap_nonce).await?;
    assert_page(&ended, StatusCode::BAD_REQUEST, "could not verify");
    assert!(setup.store.account_by_login("carol").await?.is_none());
    setup.stop().await
}

#[tokio::test]
async fn an_expired_id_token_and_a_skewed_provider_clock_get_their_own_pages() -> anyhow::Result<()>
{
    let database = hubbub_testkit::database::TestDatabase::sqlite().await?;
    let mut setup = SsoSetup::start(
        database.url(),
        json!({ "port": 0, "idTokenTtl": -600 }),
        &[],
    )
    .await?;
    let ended = sign_in_with(&setup.app, &browser()?, "carol", "/", |url| url).await?;
    assert_page(&ended, StatusCode::BAD_GATEWAY, "expired on the way");

    // The provider's clock runs ten minutes ahead; Hubbub tolerates two.
    setup
        .restart_provider(json!({ "kid": "key-c", "idTokenTtl": 3600, "clockOffset": 600 }))
        .await?;
    let ended = sign_in_with(&setup.app, &browser()?, "carol", "/", |url| url).await?;
    assert_page(&ended, StatusCode::BAD_GATEWAY, "clocks do not agree");
    assert!(setup.store.account_by_login("carol").await?.is_none());
    setup.stop().await
}

#[tokio::test]
async fn denied_consent_a_disabled_account_and_a_replayed_callback_get_pages_not_loops()
-> anyhow::Result<()> {
    let database = hubbub_testkit::database::TestDatabase::sqlite().await?;
    let setup = SsoSetup::start(database.url(), provider_options(), &[]).await?;
    let app = &setup.app;

    let ended = sign_in_with(app, &browser()?, "deny", "/", |url| url).await?;
    assert_page(&ended, StatusCode::FORBIDDEN, "not allowed");
    assert!(matches!(&ended, Ended::Page(_, body) if body.contains("/auth/sso/start")));

    let token = sign_in(app, "carol").await?;
    let me = app
        .get_json(&token, "/api/v1/accounts/verify_credentials")
        .await?;
    let id = me["id"].as_str().context("id")?.parse::<i64>()?;
    setup
        .store
        .set_account_disabled(hubbub_core::ids::AccountId(id), true)
        .await?;
    let ended = sign_in_with(app, &browser()?, "carol", "/", |url| url).await?;
    assert_page(&ended, StatusCode::FORBIDDEN, "disabled");

    // A callback without this browser's state cookie (or a second use) is refused.
    let stranger = browser()?;
    let response = stranger
        .get(app.url("/auth/sso/callback?code=x&state=y"))
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await?.contains("expired"));
    setup.stop().await
}

#[tokio::test]
async fn a_provider_that_is_down_gets_a_page_and_hubbub_still_starts() -> anyhow::Result<()> {
    let database = hubbub_testkit::database::TestDatabase::sqlite().await?;
    let dir = data_dir()?;
    let mut settings = test_settings(database.url(), dir.path().into())?;
    // Port 9 (discard) is closed here: nothing answers.
    sso_settings(&mut settings, "http://127.0.0.1:9", &[])?;
    let app = TestApp::start(settings).await?;
    let ended = sign_in_with(&app, &browser()?, "carol", "/", |url| url).await?;
    assert_page(&ended, StatusCode::SERVICE_UNAVAILABLE, "not answering");
    app.stop().await
}

#[tokio::test]
async fn sso_only_mode_turns_off_passwords_and_registration_except_for_the_break_glass_admin()
-> anyhow::Result<()> {
    for database in databases().await? {
        // Before SSO-only: two password accounts.
        let dir = data_dir()?;
        let plain = TestApp::start(test_settings(database.url(), dir.path().into())?).await?;
        plain.register("root").await?;
        plain.register("dave").await?;
        plain.stop().await?;

        let setup = SsoSetup::start(
            database.url(),
            provider_options(),
            &[("sso_only", "true"), ("break_glass_admin", "root")],
        )
        .await?;
        let app = &setup.app;
        let options: Value = app
            .http
            .get(app.url("/auth/sso/options"))
            .send()
            .await?
            .json()
            .await?;
        assert_eq!(
            options,
            json!({"sso": true, "password": false, "registration": false, "start_url": "/auth/sso/start"})
        );

        let password = |username: &str| {
            app.http.post(app.url("/oauth/token")).json(&json!({
                "grant_type": "password", "username": username, "password": "correct horse battery"
            }))
        };
        let dave = password("dave").send().await?;
        assert_eq!(dave.status(), StatusCode::BAD_REQUEST);
        let body: Value = dave.json().await?;
        assert!(
            body["error_description"]
                .as_str()
                .unwrap_or_default()
                .contains("company account")
        );
        assert!(password("root").send().await?.status().is_success());

        let register = app
            .http
            .post(app.url("/api/v1/accounts"))
            .json(&json!({"username": "eve", "email": "eve@corp.example", "password": "correct horse battery", "agreement": true}))
            .send()
            .await?;
        assert_eq!(register.status(), StatusCode::FORBIDDEN);

        // SSO still works.
        sign_in(app, "carol").await?;
        setup.stop().await?;
    }
    Ok(())
}

#[tokio::test]
async fn the_authorize_page_gets_its_sign_in_without_a_code_in_the_url() -> anyhow::Result<()> {
    let database = hubbub_testkit::database::TestDatabase::sqlite().await?;
    let setup = SsoSetup::start(database.url(), provider_options(), &[]).await?;
    let return_to = "/oauth/authorize?client_id=abc&response_type=code";
    let ended = sign_in_with(&setup.app, &browser()?, "bob", return_to, |url| url).await?;
    let Ended::Redirect(location) = ended else {
        anyhow::bail!("expected a redirect, got {ended:?}");
    };
    // The code travels in an HttpOnly cookie for /oauth, not in the URL.
    assert_eq!(location, return_to);
    setup.stop().await
}
