//! The authorize page: its server-rendered HTML, the browser sign-in cookie and
//! the CSRF token.
//!
//! - The session cookie holds a random secret; the database keeps its SHA-256
//!   only, so a database dump signs nobody in. `HttpOnly`, `SameSite=Lax`, path
//!   `/oauth`, `Secure` when the instance is served over HTTPS.
//! - CSRF: a double-submit token. A random value in a cookie (set with the page)
//!   must come back in the form's `authenticity_token`; another site can neither
//!   read the cookie nor set it, so it cannot forge the form.
//! - Every value shown is HTML-escaped; the page needs no JavaScript and sends a
//!   CSP that allows none.

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use rand::distr::Alphanumeric;
use sha2::{Digest, Sha256};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "hubbub_session";
/// The CSRF cookie's name.
pub const CSRF_COOKIE: &str = "hubbub_csrf";
/// How long a browser stays signed in on the authorize page.
pub const SESSION_DAYS: i64 = 14;

/// A fresh random secret (43 alphanumerics, ~256 bits).
pub fn random_secret() -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(43)
        .map(char::from)
        .collect()
}

/// SHA-256 of `secret`, hex: how codes and sessions are stored.
pub fn hash_secret(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The PKCE S256 transform: BASE64URL(SHA256(verifier)), unpadded (RFC 7636 4.2).
pub fn pkce_s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Compares secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The request's cookie value, if any.
pub fn cookie_value(req: &HttpRequest, name: &str) -> Option<String> {
    req.cookie(name)
        .map(|cookie| cookie.value().to_owned())
        .filter(|value| !value.is_empty())
}

fn cookie(
    name: &'static str,
    value: String,
    secure: bool,
    max_age: time::Duration,
) -> Cookie<'static> {
    Cookie::build(name, value)
        .path("/oauth")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(max_age)
        .finish()
}

/// The session cookie for `secret`.
pub fn session_cookie(secret: String, secure: bool) -> Cookie<'static> {
    cookie(
        SESSION_COOKIE,
        secret,
        secure,
        time::Duration::days(SESSION_DAYS),
    )
}

/// A cookie that removes the session.
pub fn clear_session_cookie(secure: bool) -> Cookie<'static> {
    cookie(SESSION_COOKIE, String::new(), secure, time::Duration::ZERO)
}

/// The CSRF cookie for `token` (lives as long as the browser session).
pub fn csrf_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build(CSRF_COOKIE, token)
        .path("/oauth")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish()
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// What one scope lets an app do, in words.
fn describe_scope(scope: &str) -> String {
    match scope {
        "read" => "Read your posts, timelines, profile, follows and notifications".to_owned(),
        "write" => "Post, edit and delete for you, and change your profile".to_owned(),
        "follow" => "Follow and unfollow people for you".to_owned(),
        "push" => "Receive push notifications for you".to_owned(),
        "profile" => "See who you are (your profile only)".to_owned(),
        "admin:read" => "Read moderation data (for admins)".to_owned(),
        "admin:write" => "Take moderation actions (for admins)".to_owned(),
        other => match other.split_once(':') {
            Some(("read", what)) => format!("Read your {}", what.replace('_', " ")),
            Some(("write", what)) => format!("Change your {}", what.replace('_', " ")),
            _ => other.to_owned(),
        },
    }
}

/// What the page shows.
#[derive(Debug)]
pub enum PageKind<'a> {
    /// Ask for consent (and, without `signed_in`, for the password too).
    Authorize {
        /// The app's name.
        app_name: &'a str,
        /// Scopes asked for.
        scopes: &'a str,
        /// `@username` of the signed-in person; `None` shows the sign-in fields.
        signed_in: Option<&'a str>,
        /// The hidden fields that repeat the authorization request.
        hidden: &'a [(&'static str, String)],
        /// The CSRF token.
        csrf: &'a str,
        /// This page's URL (path and query), to come back to after signing out.
        return_to: &'a str,
        /// A message about the last attempt (wrong password, ...).
        error: Option<&'a str>,
        /// The username typed last time, kept in the field.
        username: &'a str,
        /// Where the "Sign in with your company account" button leads, when SSO is on.
        sso_url: Option<&'a str>,
        /// Password sign-in is off (`HUBBUB_SSO_ONLY`): the password fields are
        /// folded away under "Administrator sign-in" for the break-glass admin.
        sso_only: bool,
    },
    /// The code for an app that cannot receive a redirect (`urn:ietf:wg:oauth:2.0:oob`).
    ShowCode {
        /// The app's name.
        app_name: &'a str,
        /// The code.
        code: &'a str,
    },
    /// Something the person cannot fix here (unknown app, wrong redirect URI).
    Error {
        /// What went wrong.
        message: &'a str,
    },
}

const STYLE: &str = "
:root{--bg:#f6f7f9;--surface:#fff;--text:#1b1f24;--muted:#57606a;--border:#d0d7de;--accent:#3b5bdb;--accent-text:#fff;--danger:#b42318;--focus:#f59f00;color-scheme:light dark;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;font-size:16px;line-height:1.5;background:var(--bg);color:var(--text)}
@media (prefers-color-scheme:dark){:root{--bg:#0f1216;--surface:#181c22;--text:#e6edf3;--muted:#9da7b1;--border:#30363d;--accent:#748ffc;--accent-text:#0f1216;--danger:#ff8a80}}
*{box-sizing:border-box}body{margin:0}
main{max-width:28rem;margin:2rem auto;padding:1.25rem;background:var(--surface);border:1px solid var(--border);border-radius:10px}
@media (max-width:30rem){main{margin:0;border-radius:0;border-width:0 0 1px}}
h1{font-size:1.3rem;margin:0 0 .75rem}.brand{color:var(--muted);margin:0 0 .5rem;font-weight:600}
ul{padding-left:1.2rem}label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input{font:inherit;color:inherit;width:100%;padding:.55rem .7rem;border:1px solid var(--border);border-radius:8px;background:var(--surface)}
button{font:inherit;min-height:2.5rem;padding:.4rem 1rem;border:1px solid var(--accent);border-radius:999px;background:var(--accent);color:var(--accent-text);font-weight:600;cursor:pointer}
a.button{display:inline-block;text-decoration:none;padding:.45rem 1rem;border:1px solid var(--accent);border-radius:999px;background:var(--accent);color:var(--accent-text);font-weight:600}
summary{cursor:pointer;color:var(--muted);margin-top:1rem}
button.secondary{background:transparent;color:var(--accent)}
.link-button{background:none;border:none;color:var(--accent);padding:.25rem 0;min-height:2rem;font-weight:500;text-decoration:underline}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:1rem}
.error{color:var(--danger);font-weight:600}.muted{color:var(--muted)}
code{display:block;font-size:1.1rem;padding:.75rem;border:1px solid var(--border);border-radius:8px;overflow-wrap:anywhere;user-select:all}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
";

fn document(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<meta name=\"referrer\" content=\"no-referrer\">\
<title>{title} · Hubbub</title><style>{STYLE}</style></head>\
<body><main>{body}</main></body></html>\n",
        title = escape(title),
    )
}

fn hidden_field(name: &str, value: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
        escape(name),
        escape(value)
    )
}

/// Renders the page.
pub fn render(page: &PageKind<'_>) -> String {
    match page {
        PageKind::Authorize {
            app_name,
            scopes,
            signed_in,
            hidden,
            csrf,
            return_to,
            error,
            username,
            sso_url,
            sso_only,
        } => {
            let mut body = String::new();
            body.push_str("<p class=\"brand\">Hubbub</p>");
            body.push_str(&format!("<h1>Authorize {}</h1>", escape(app_name)));
            if let Some(me) = signed_in {
                body.push_str(&format!(
                    "<p>Allow <strong>{}</strong> to use your account <strong>@{}</strong>? It will be able to:</p>",
                    escape(app_name),
                    escape(me)
                ));
            } else {
                body.push_str(&format!(
                    "<p>Sign in to allow <strong>{}</strong> to use your account. It will be able to:</p>",
                    escape(app_name)
                ));
            }
            body.push_str("<ul>");
            for scope in scopes.split_whitespace() {
                body.push_str(&format!("<li>{}</li>", escape(&describe_scope(scope))));
            }
            body.push_str("</ul>");
            if let Some(error) = error {
                body.push_str(&format!(
                    "<p class=\"error\" role=\"alert\" id=\"form-error\">{}</p>",
                    escape(error)
                ));
            }
            let password_hidden = signed_in.is_none() && *sso_only;
            if let (None, Some(url)) = (signed_in, sso_url) {
                body.push_str(&format!(
                    "<p class=\"actions\"><a class=\"button\" id=\"sso\" href=\"{}\">Sign in with your company account</a></p>",
                    escape(url)
                ));
                if !*sso_only {
                    body.push_str("<p class=\"muted\">Or sign in with your Hubbub password:</p>");
                }
            }
            body.push_str("<form method=\"post\" action=\"/oauth/authorize\">");
            body.push_str(&hidden_field("authenticity_token", csrf));
            for (name, value) in hidden.iter() {
                body.push_str(&hidden_field(name, value));
            }
            if password_hidden {
                let open = if error.is_some() { " open" } else { "" };
                body.push_str(&format!(
                    "<details{open}><summary>Administrator sign-in</summary>"
                ));
            }
            if signed_in.is_none() {
                let described = if error.is_some() {
                    " aria-describedby=\"form-error\""
                } else {
                    ""
                };
                body.push_str(&format!(
                    "<label for=\"username\">Username or email</label>\
<input id=\"username\" name=\"username\" autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\" required value=\"{}\"{described}>\
<label for=\"password\">Password</label>\
<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required{described}>",
                    escape(username)
                ));
            }
            if password_hidden {
                body.push_str(
                    "<div class=\"actions\"><button type=\"submit\" name=\"decision\" value=\"approve\">Authorize</button></div></details>\
<div class=\"actions\"><button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\" formnovalidate>Deny</button></div></form>",
                );
            } else {
                body.push_str(
                    "<div class=\"actions\"><button type=\"submit\" name=\"decision\" value=\"approve\">Authorize</button>\
<button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\" formnovalidate>Deny</button></div></form>",
                );
            }
            if let Some(me) = signed_in {
                body.push_str("<form method=\"post\" action=\"/oauth/sign_out\">");
                body.push_str(&hidden_field("authenticity_token", csrf));
                body.push_str(&hidden_field("return_to", return_to));
                body.push_str(&format!(
                    "<p class=\"muted\">Not @{}? <button type=\"submit\" class=\"link-button\">Sign out</button></p></form>",
                    escape(me)
                ));
            }
            document(&format!("Authorize {app_name}"), &body)
        }
        PageKind::ShowCode { app_name, code } => {
            let body = format!(
                "<p class=\"brand\">Hubbub</p><h1>Authorization code</h1>\
<p>Copy this code and paste it into <strong>{}</strong>:</p><code id=\"code\">{}</code>\
<p class=\"muted\">It works once, within ten minutes.</p>",
                escape(app_name),
                escape(code)
            );
            document("Authorization code", &body)
        }
        PageKind::Error { message } => {
            let body = format!(
                "<p class=\"brand\">Hubbub</p><h1>This sign-in link does not work</h1>\
<p role=\"alert\">{}</p><p class=\"muted\">Go back to the app and try again; if it keeps happening, tell whoever runs it.</p>",
                escape(message)
            );
            document("Sign-in problem", &body)
        }
    }
}

/// The page as an HTML response with its security headers and `cookies`.
pub fn respond(
    status: StatusCode,
    page: &PageKind<'_>,
    cookies: Vec<Cookie<'static>>,
) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    response
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("X-Frame-Options", "DENY"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .insert_header((
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
        ));
    for cookie in cookies {
        response.cookie(cookie);
    }
    response.body(render(page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_names_is_escaped() {
        assert_eq!(
            escape("<script>\"x\" & 'y'</script>"),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn the_s256_transform_matches_rfc_7636_appendix_b() {
        assert_eq!(
            pkce_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
