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
            "community_map" => raw.oidc_community_map = Some((*value).into()),
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

/// The value of the hidden form field `name` on an HTML page.
fn hidden_value(page: &str, name: &str) -> anyhow::Result<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .with_context(|| format!("no field {name} in {page}"))?
        + marker.len();
    let end = page[start..].find('"').context("unterminated value")? + start;
    Ok(page[start..end].replace("&amp;", "&"))
}

/// Where the page's "Sign in with your company account" button leads.
fn sso_button(page: &str) -> anyhow::Result<String> {
    let marker = "id=\"sso\" href=\"";
    let start = page
        .find(marker)
        .with_context(|| format!("no SSO button in {page}"))?
        + marker.len();
    let end = page[start..].find('"').context("unterminated href")? + start;
    Ok(page[start..end].replace("&amp;", "&"))
}

/// Registers a Mastodon app with one redirect URI; its client id and secret.
async fn register_app(app: &TestApp, redirect_uri: &str) -> anyhow::Result<(String, String)> {
    let created: Value = app
        .http
        .post(app.url("/api/v1/apps"))
        .json(&json!({"client_name": "Phone app", "redirect_uris": redirect_uri, "scopes": "read write"}))
        .send()
        .await?
        .json()
        .await?;
    Ok((
        created["client_id"]
            .as_str()
            .context("client_id")?
            .to_owned(),
        created["client_secret"]
            .as_str()
            .context("client_secret")?
            .to_owned(),
    ))
}

#[tokio::test]
async fn a_mastodon_app_signs_in_with_the_company_account_from_the_authorize_page()
-> anyhow::Result<()> {
    for database in databases().await? {
        let setup = SsoSetup::start(database.url(), provider_options(), &[]).await?;
        let app = &setup.app;
        let redirect_uri = "https://phone.example/callback";
        let (client_id, client_secret) = register_app(app, redirect_uri).await?;
        let verifier = "a-long-random-pkce-verifier-of-the-phone-app-0123456789";
        let authorize = format!(
            "/oauth/authorize?{}",
            serde_urlencoded::to_string([
                ("response_type", "code"),
                ("client_id", client_id.as_str()),
                ("redirect_uri", redirect_uri),
                ("scope", "read"),
                ("state", "app-state-42"),
                (
                    "code_challenge",
                    &hubbub_api::web_session::pkce_s256(verifier)
                ),
                ("code_challenge_method", "S256"),
            ])?
        );
        let browser = browser()?;

        // The authorize page offers the company sign-in next to the password.
        let page = browser.get(app.url(&authorize)).send().await?;
        assert_eq!(page.status(), StatusCode::OK);
        let page = page.text().await?;
        assert!(page.contains("Sign in with your company account"), "{page}");
        assert!(page.contains("name=\"password\""), "{page}");
        let button = sso_button(&page)?;
        let return_to = reqwest::Url::parse(&app.url(&button))?
            .query_pairs()
            .find(|(key, _)| key == "return_to")
            .map(|(_, value)| value.into_owned())
            .context("return_to")?;

        // Through the provider and back to the same authorize request.
        let ended = sign_in_with(app, &browser, "bob", &return_to, |url| url).await?;
        let Ended::Redirect(location) = ended else {
            anyhow::bail!("expected a redirect, got {ended:?}");
        };
        assert_eq!(location, return_to);
        let consent = browser.get(app.url(&location)).send().await?;
        assert_eq!(consent.status(), StatusCode::OK);
        let consent = consent.text().await?;
        assert!(consent.contains("@bob"), "{consent}");
        assert!(!consent.contains("name=\"password\""), "{consent}");

        // Authorize: the app gets its code and its state back.
        let mut form: Vec<(String, String)> = [
            "authenticity_token",
            "response_type",
            "client_id",
            "redirect_uri",
            "scope",
            "state",
            "code_challenge",
            "code_challenge_method",
        ]
        .iter()
        .map(|name| Ok(((*name).to_owned(), hidden_value(&consent, name)?)))
        .collect::<anyhow::Result<_>>()?;
        form.push(("decision".into(), "approve".into()));
        let approved = browser
            .post(app.url("/oauth/authorize"))
            .form(&form)
            .send()
            .await?;
        assert_eq!(approved.status(), StatusCode::FOUND);
        let back = reqwest::Url::parse(approved.headers()["location"].to_str()?)?;
        assert!(back.as_str().starts_with(redirect_uri), "{back}");
        let params: std::collections::HashMap<_, _> = back.query_pairs().into_owned().collect();
        assert_eq!(params["state"], "app-state-42");
        let code = params["code"].clone();

        // PKCE holds: the wrong verifier gets nothing, the right one the token.
        let exchange = |verifier: &str| {
            app.http.post(app.url("/oauth/token")).json(&json!({
                "grant_type": "authorization_code", "code": code, "client_id": client_id,
                "client_secret": client_secret, "redirect_uri": redirect_uri,
                "code_verifier": verifier,
            }))
        };
        let wrong = exchange("not-the-verifier-of-this-code-at-all-0123456789")
            .send()
            .await?;
        assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
        let token = exchange(verifier).send().await?;
        assert_eq!(token.status(), StatusCode::OK);
        let token: Value = token.json().await?;
        let me = app
            .get_json(
                token["access_token"].as_str().context("access_token")?,
                "/api/v1/accounts/verify_credentials",
            )
            .await?;
        assert_eq!(me["username"], "bob");
        setup.stop().await?;
    }
    Ok(())
}

/// Approves the out-of-band authorize request on `page` with `username`'s password.
async fn password_approve(
    app: &TestApp,
    browser: &reqwest::Client,
    page: &str,
    client_id: &str,
    username: &str,
) -> anyhow::Result<(StatusCode, String)> {
    let form = [
        (
            "authenticity_token",
            hidden_value(page, "authenticity_token")?,
        ),
        ("response_type", "code".to_owned()),
        ("client_id", client_id.to_owned()),
        ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob".to_owned()),
        ("scope", "read".to_owned()),
        ("username", username.to_owned()),
        ("password", "correct horse battery".to_owned()),
        ("decision", "approve".to_owned()),
    ];
    let response = browser
        .post(app.url("/oauth/authorize"))
        .form(&form)
        .send()
        .await?;
    Ok((response.status(), response.text().await?))
}

#[tokio::test]
async fn in_sso_only_mode_the_authorize_page_offers_the_company_sign_in_and_folds_the_password()
-> anyhow::Result<()> {
    let database = hubbub_testkit::database::TestDatabase::sqlite().await?;
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
    let redirect_uri = "urn:ietf:wg:oauth:2.0:oob";
    let (client_id, _) = register_app(app, redirect_uri).await?;
    let authorize = format!(
        "/oauth/authorize?{}",
        serde_urlencoded::to_string([
            ("response_type", "code"),
            ("client_id", client_id.as_str()),
            ("redirect_uri", redirect_uri),
            ("scope", "read"),
        ])?
    );
    let browser = browser()?;
    let page = browser
        .get(app.url(&authorize))
        .send()
        .await?
        .text()
        .await?;
    assert!(sso_button(&page)?.starts_with("/auth/sso/start?return_to="));
    assert!(
        page.contains("<details><summary>Administrator sign-in</summary>"),
        "{page}"
    );
    assert!(
        !page.contains("Or sign in with your Hubbub password"),
        "{page}"
    );

    let (status, body) = password_approve(app, &browser, &page, &client_id, "dave").await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("company account"), "{body}");
    assert!(body.contains("<details open>"), "{body}");
    let (status, body) = password_approve(app, &browser, &page, &client_id, "root").await?;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("id=\"code\""), "{body}");
    setup.stop().await
}

/// How many `CommunityJoined` events were published for `account`, once the
/// relay has published everything committed so far.
async fn joined_events(store: &Store, account: i64) -> anyhow::Result<usize> {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while !store.unpublished_events(1).await?.is_empty() {
        anyhow::ensure!(
            tokio::time::Instant::now() < deadline,
            "the relay did not publish"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    Ok(store
        .events_after(hubbub_core::ids::EventId(0), 10_000)
        .await?
        .iter()
        .filter(|event| {
            matches!(
                event.body,
                hubbub_core::event::EventBody::CommunityJoined { account: a, .. } if a.0 == account
            )
        })
        .count())
}

#[tokio::test]
async fn groups_join_their_communities_at_every_sign_in_and_own_memberships_stay()
-> anyhow::Result<()> {
    use hubbub_core::ids::{AccountId, CommunityId};
    use hubbub_storage::model::{MembershipState, NewCommunity};
    for database in databases().await? {
        let mut setup = SsoSetup::start(
            database.url(),
            provider_options(),
            &[(
                "community_map",
                "it-support=it help,staff=All staff,staff=Not created yet,hubbub-admins=Admins",
            )],
        )
        .await?;
        let owner = setup.app.register("owner").await?;
        let owner = AccountId(owner.id.parse()?);
        let now = chrono::Utc::now();
        let new_community = |id: i64, name: &str, private: bool| NewCommunity {
            id: CommunityId(id),
            name: name.to_owned(),
            description: String::new(),
            private,
            helpdesk: false,
            created_by: owner,
            created_at: now,
        };
        let it_help = setup
            .store
            .create_community(new_community(9_001, "IT Help", true))
            .await?
            .id;
        let all_staff = setup
            .store
            .create_community(new_community(9_002, "All staff", false))
            .await?
            .id;
        let sales = setup
            .store
            .create_community(new_community(9_003, "Sales", true))
            .await?
            .id;
        let admins = setup
            .store
            .create_community(new_community(9_004, "Admins", true))
            .await?
            .id;

        // Bob (staff, it-support) joins IT Help, private, at once, and All staff.
        let token = sign_in(&setup.app, "bob").await?;
        let me = setup
            .app
            .get_json(&token, "/api/v1/accounts/verify_credentials")
            .await?;
        let bob_id: i64 = me["id"].as_str().context("id")?.parse()?;
        let bob = AccountId(bob_id);
        for community in [it_help, all_staff] {
            let membership = setup
                .store
                .membership(community, bob)
                .await?
                .context("membership")?;
            assert_eq!(membership.state, MembershipState::Active);
        }
        assert!(setup.store.membership(admins, bob).await?.is_none());
        assert_eq!(joined_events(&setup.store, bob_id).await?, 2);
        // He sees IT Help's posts, as a member does.
        assert!(setup.store.may_see_community(bob, it_help).await?);

        // He asks to join Sales himself; the directory then drops him from
        // it-support. Signing in again keeps every membership and announces none.
        setup.store.join_community(sales, bob, now).await?;
        setup
            .restart_provider(
                json!({ "kid": "key-b", "users": { "bob": { "groups": ["staff"] } } }),
            )
            .await?;
        sign_in(&setup.app, "bob").await?;
        assert!(setup.store.membership(it_help, bob).await?.is_some());
        assert_eq!(
            setup
                .store
                .membership(sales, bob)
                .await?
                .context("sales")?
                .state,
            MembershipState::Pending
        );
        assert_eq!(joined_events(&setup.store, bob_id).await?, 2);

        // Alice's admin group puts her in the private Admins community.
        let token = sign_in(&setup.app, "alice").await?;
        let alice: i64 = setup
            .app
            .get_json(&token, "/api/v1/accounts/verify_credentials")
            .await?["id"]
            .as_str()
            .context("id")?
            .parse()?;
        let membership = setup
            .store
            .membership(admins, AccountId(alice))
            .await?
            .context("admins")?;
        assert_eq!(membership.state, MembershipState::Active);
        setup.stop().await?;
    }
    Ok(())
}
