//! The emulator's HTML: Google-style error pages and the account picker / consent page.
//!
//! Authorization errors are pages, never redirects (docs/google-oauth.md, authorization endpoint), so a browser test can assert on
//! their text. Element IDs of the consent buttons are Google's own (`submit_approve_access`,
//! `submit_deny_access`) so browser automation written against Google also works here.

/// Shared `<head>` content: readable on a phone, where people link accounts, and long scope URLs
/// wrap instead of scrolling sideways.
const HEAD: &str = "<meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, \
    initial-scale=1\"><style>body{font-family:sans-serif;margin:1.5rem;overflow-wrap:anywhere}\
    button{font-size:1rem;padding:.5rem 1rem;margin-right:.5rem}</style>";

use std::collections::BTreeSet;

use axum::{
    http::{StatusCode, Uri, header},
    response::{IntoResponse, Response},
};

use super::tokens::is_sign_in_scope;

/// `401. That's an error.` style page for an authorization request Google refuses to redirect.
pub(crate) fn error_page(status: StatusCode, error: &str, message: &str) -> Response {
    let code = status.as_u16();
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>{HEAD}\
         <title>Error {code} ({title})</title></head>\n<body>\n\
         <h1>Sign in with Google</h1>\n\
         <p id=\"error-code\"><b>{code}.</b> That\u{2019}s an error.</p>\n\
         <p id=\"error-name\"><b>Error {code}: {error}</b></p>\n\
         <p id=\"error-message\">{message}</p>\n\
         {hint}</body>\n</html>\n",
        title = "OAuth2 Error",
        hint = if error == "redirect_uri_mismatch" {
            "<p>If you\u{2019}re the app developer, register the redirect URI in the Google Cloud Console.</p>\n"
        } else {
            ""
        },
        error = escape(error),
        message = escape(message),
    );
    html_response(status, body)
}

/// What the consent page shows and posts back.
pub(crate) struct ConsentPage<'a> {
    pub(crate) request_id: &'a str,
    pub(crate) client_id: &'a str,
    /// (email, display name) of every account the user can pick.
    pub(crate) accounts: Vec<(&'a str, &'a str)>,
    pub(crate) preselected_email: Option<&'a str>,
    pub(crate) scopes: &'a BTreeSet<String>,
    /// False when every scope was granted before and `prompt` lacks `consent`: Google then shows
    /// only the account chooser, which matters because no refresh token follows.
    pub(crate) asks_for_consent: bool,
}

pub(crate) fn consent_page(page: &ConsentPage<'_>) -> Response {
    let mut accounts = String::new();
    let preselected = page
        .preselected_email
        .filter(|email| {
            page.accounts
                .iter()
                .any(|(candidate, _)| candidate == email)
        })
        .or(page.accounts.first().map(|(email, _)| *email));
    for (index, (email, name)) in page.accounts.iter().enumerate() {
        let checked = if Some(*email) == preselected {
            " checked"
        } else {
            ""
        };
        accounts.push_str(&format!(
            "<li><label><input type=\"radio\" name=\"email\" id=\"account-{index}\" value=\"{email}\"{checked}> \
             {name} &lt;{email}&gt;</label></li>\n",
            email = escape(email),
            name = escape(name),
        ));
    }
    let mut scopes = String::new();
    if page.asks_for_consent {
        scopes.push_str(
            "<input type=\"hidden\" name=\"scopes_presented\" value=\"1\">\n<ul id=\"scopes\">\n",
        );
        for scope in page.scopes {
            // Sign-in scopes cannot be unticked on Google's granular consent screen either.
            let basic = is_sign_in_scope(scope);
            let disabled = if basic { " disabled" } else { "" };
            scopes.push_str(&format!(
                "<li><label><input type=\"checkbox\" name=\"scope\" value=\"{scope}\" checked{disabled}> {scope}</label>{hidden}</li>\n",
                scope = escape(scope),
                hidden = if basic {
                    format!("<input type=\"hidden\" name=\"scope\" value=\"{}\">", escape(scope))
                } else {
                    String::new()
                },
            ));
        }
        scopes.push_str("</ul>\n");
    }
    let heading = if page.asks_for_consent {
        "wants to access your Google Account"
    } else {
        "Choose an account to continue"
    };
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>{HEAD}<title>Sign in - Google Accounts</title></head>\n<body>\n\
         <h1><span id=\"client-id\">{client_id}</span> {heading}</h1>\n\
         <form method=\"post\" action=\"/o/oauth2/consent\">\n\
         <input type=\"hidden\" name=\"request_id\" value=\"{request_id}\">\n\
         <ul id=\"accounts\">\n{accounts}</ul>\n{scopes}\
         <button type=\"submit\" name=\"decision\" value=\"deny\" id=\"submit_deny_access\">Cancel</button>\n\
         <button type=\"submit\" name=\"decision\" value=\"allow\" id=\"submit_approve_access\">Allow</button>\n\
         </form>\n</body>\n</html>\n",
        client_id = escape(page.client_id),
        request_id = escape(page.request_id),
    );
    html_response(StatusCode::OK, body)
}

/// Google's 404 page for a path no route serves.
pub(crate) async fn not_found_page(uri: Uri) -> Response {
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>{HEAD}<title>Error 404 (Not Found)!!1</title></head>\n<body>\n\
         <p><b>404.</b> That\u{2019}s an error.</p>\n\
         <p>The requested URL <code>{}</code> was not found on this server. That\u{2019}s all we know.</p>\n\
         </body>\n</html>\n",
        escape(uri.path())
    );
    html_response(StatusCode::NOT_FOUND, body)
}

fn html_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

pub(crate) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}
