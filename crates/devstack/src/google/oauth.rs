//! Google's OAuth 2.0 endpoints: authorization (with consent page), token, tokeninfo, revoke,
//! userinfo and OpenID discovery, following docs/google-oauth.md (authorization and token endpoints,
//! refresh tokens, tokeninfo and revocation) and docs/google-apis.md (userinfo).
//!
//! Token-rule summary: codes are single-use, live 10 minutes of emulator clock and are bound to
//! client, redirect URI and PKCE challenge; a refresh token comes only with `access_type=offline`
//! when a consent screen was actually shown; refreshing never rotates it; revoking any token of a
//! grant kills the whole grant.

use std::{collections::BTreeSet, sync::Arc};

use axum::{
    body::Bytes,
    extract::{RawQuery, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use base64::{
    Engine,
    engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD},
};
use jiff::SignedDuration;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{
    api_errors::oauth_json,
    auth::bearer_token,
    clock::ClockArithmetic,
    html::{self, ConsentPage},
    params::Params,
    state::{Shared, State as EmulatorState},
    tokens::{self, AuthorizationRequest, CodeRecord, PendingAuthorization, Pkce, PkceMethod},
};

/// How long an authorization code (and a pending consent page) stays valid ([unverified] ~10 min).
const CODE_LIFETIME: SignedDuration = SignedDuration::from_mins(10);

/// `GET /o/oauth2/v2/auth` (and the legacy `/o/oauth2/auth`).
pub(crate) async fn authorize(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = Params::from_query(query.as_deref());
    let request = match validate_authorization_request(&shared, &params) {
        Ok(request) => request,
        Err(page) => return page,
    };
    tracing::info!(client_id = %request.client_id, scopes = %tokens::join_scopes(&request.scopes),
        "authorization request");
    if request.prompt.iter().any(|prompt| prompt == "none") {
        return authorize_without_interaction(&shared, &request);
    }
    let auto_consent = shared.auto_consent();
    let mut state = shared.lock();
    if let Some(email) = auto_consent {
        if state.user(&email).is_none() {
            return html::error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "auto_consent",
                &format!("The auto-consent account {email} is not a configured test user."),
            );
        }
        let consent_shown = counts_as_consent(&state, &email, &request);
        let granted = request.scopes.clone();
        return approve(&mut state, &request, &email, granted, consent_shown);
    }
    let request_id = state.tokens.new_request_id();
    let now = state.now();
    let asks_for_consent = match &request.login_hint {
        Some(hint) if state.user(hint).is_some() => needs_consent(&state, hint, &request),
        _ => true,
    };
    let accounts: Vec<(String, String)> = state
        .users
        .iter()
        .map(|user| (user.profile.email.clone(), user.profile.name.clone()))
        .collect();
    state.tokens.pending_authorizations.insert(
        request_id.clone(),
        PendingAuthorization {
            request: request.clone(),
            created_at: now,
        },
    );
    drop(state);
    html::consent_page(&ConsentPage {
        request_id: &request_id,
        client_id: &request.client_id,
        accounts: accounts
            .iter()
            .map(|(email, name)| (email.as_str(), name.as_str()))
            .collect(),
        preselected_email: request.login_hint.as_deref(),
        scopes: &request.scopes,
        asks_for_consent,
    })
}

/// `POST /o/oauth2/consent`: the Allow / Cancel buttons of the consent page.
///
/// The pending request ID is 32 random characters and single-use, which is the CSRF protection a
/// twin needs: another page cannot guess it.
pub(crate) async fn consent_decision(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let form = Params::parse(&body);
    let mut state = shared.lock();
    let now = state.now();
    let pending = form
        .get("request_id")
        .and_then(|id| state.tokens.pending_authorizations.remove(id))
        .filter(|pending| now < pending.created_at.plus(CODE_LIFETIME));
    let Some(PendingAuthorization { request, .. }) = pending else {
        return html::error_page(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "This sign-in request is unknown, already answered or expired. Start again from the app.",
        );
    };
    if form.get("decision") != Some("allow") {
        tracing::info!(client_id = %request.client_id, "user denied access");
        return redirect_with(
            &request.redirect_uri,
            &[
                ("error", Some("access_denied")),
                ("state", request.state.as_deref()),
            ],
        );
    }
    let Some(email) = form
        .get("email")
        .filter(|email| state.user(email).is_some())
    else {
        return html::error_page(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Choose one of the listed accounts.",
        );
    };
    let email = email.to_string();
    let consent_shown = counts_as_consent(&state, &email, &request);
    let granted =
        if needs_consent(&state, &email, &request) && form.get("scopes_presented").is_some() {
            // Granular consent: only the ticked scopes are granted (docs/google-oauth.md, scope grants).
            let ticked: BTreeSet<&str> = form.all("scope").into_iter().collect();
            request
                .scopes
                .iter()
                .filter(|scope| ticked.contains(scope.as_str()) || tokens::is_sign_in_scope(scope))
                .cloned()
                .collect()
        } else {
            request.scopes.clone()
        };
    approve(&mut state, &request, &email, granted, consent_shown)
}

/// `POST /token`: authorization-code and refresh-token grants.
pub(crate) async fn token(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = Params::parse(&body);
    let grant_type = match form.get("grant_type") {
        None => return missing_parameter("grant_type"),
        Some(grant_type @ ("authorization_code" | "refresh_token")) => grant_type,
        Some(other) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                &format!("Invalid grant_type: {other}"),
            );
        }
    };
    let client_id = match authenticate_client(&shared, &headers, &form) {
        Ok(client_id) => client_id,
        Err(response) => return response,
    };
    let mut state = shared.lock();
    if grant_type == "authorization_code" {
        exchange_code(&shared, &mut state, &client_id, &form)
    } else {
        refresh(&shared, &mut state, &client_id, &form)
    }
}

/// `GET|POST /tokeninfo?access_token=…`: every value a string, as Google sends them.
pub(crate) async fn tokeninfo(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let mut params = Params::from_query(query.as_deref());
    params.extend(Params::parse(&body));
    let state = shared.lock();
    // We never issue ID tokens, so `id_token=` can only be invalid here; Google answers every
    // unusable token with the same body.
    let Some(record) = params
        .get("access_token")
        .and_then(|token| state.tokens.live_access_token(token, state.now()))
    else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_token", "Invalid Value");
    };
    let now = state.now();
    let mut info = serde_json::Map::new();
    info.insert("azp".into(), record.client_id.clone().into());
    info.insert("aud".into(), record.client_id.clone().into());
    let has_email = record.scopes.contains(tokens::USERINFO_EMAIL);
    if let Some(user) = state.user(&record.email)
        && (has_email || record.scopes.contains("openid"))
    {
        info.insert("sub".into(), user.profile.sub.clone().into());
    }
    info.insert("scope".into(), tokens::join_scopes(&record.scopes).into());
    info.insert(
        "exp".into(),
        record.expires_at.as_second().to_string().into(),
    );
    let expires_in = record.expires_at.duration_since(now).as_secs().max(0);
    info.insert("expires_in".into(), expires_in.to_string().into());
    if has_email {
        info.insert("email".into(), record.email.clone().into());
        info.insert("email_verified".into(), "true".into());
    }
    let access_type = if record.offline { "offline" } else { "online" };
    info.insert("access_type".into(), access_type.into());
    oauth_json(StatusCode::OK, &Value::Object(info))
}

/// `POST /revoke` with `token=` (form or query): kills the grant the token belongs to.
pub(crate) async fn revoke(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let mut params = Params::from_query(query.as_deref());
    params.extend(Params::parse(&body));
    let mut state = shared.lock();
    let token = params.get("token").unwrap_or_default();
    let grant = if let Some(record) = state.tokens.access_tokens.get(token) {
        Some((
            record.family,
            record.email.clone(),
            record.client_id.clone(),
        ))
    } else {
        state.tokens.refresh_tokens.get(token).map(|record| {
            (
                record.family,
                record.email.clone(),
                record.client_id.clone(),
            )
        })
    };
    let Some((family, email, client_id)) = grant else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_token",
            "Token expired or revoked",
        );
    };
    state.tokens.revoke_family(family);
    // Revoking removes the app's access as a whole, so the next authorization shows consent
    // again and yields a new refresh token, as after removing the app at myaccount.google.com.
    state.grants.remove(&(email, client_id));
    tracing::info!("token revoked");
    // Google answers 200 with an empty body (docs/google-oauth.md, revocation).
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        "",
    )
        .into_response()
}

/// `GET /v1/userinfo` = `GET /oauth2/v3/userinfo`: OpenID claims the token's scopes allow.
pub(crate) async fn userinfo(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let params = Params::from_query(query.as_deref());
    let state = shared.lock();
    let presented = bearer_token(&headers).or(params.access_token());
    let record = presented.and_then(|token| state.tokens.live_access_token(token, state.now()));
    let Some(record) = record else {
        // Body [unverified]; the 401 and challenge are what clients act on. Without any
        // credential the challenge carries no `error=` (docs/google-apis.md, Error responses), as on the APIs.
        let mut response = oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_request",
            "Invalid Credentials",
        );
        let challenge = if presented.is_some() {
            "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\""
        } else {
            "Bearer realm=\"https://accounts.google.com/\""
        };
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(challenge),
        );
        return response;
    };
    let Some(user) = state.user(&record.email) else {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_request",
            "Invalid Credentials",
        );
    };
    // `sub` always; names and picture need `profile`, the address needs `email` (docs/google-apis.md, userinfo).
    let mut claims = serde_json::Map::new();
    claims.insert("sub".into(), user.profile.sub.clone().into());
    if record.scopes.contains(tokens::USERINFO_PROFILE) {
        claims.insert("name".into(), user.profile.name.clone().into());
        claims.insert("given_name".into(), user.profile.given_name.clone().into());
        claims.insert(
            "family_name".into(),
            user.profile.family_name.clone().into(),
        );
        // Google serves avatars from lh3.googleusercontent.com; nothing fetches it offline.
        claims.insert(
            "picture".into(),
            format!(
                "https://lh3.googleusercontent.com/a/{}=s96-c",
                user.profile.sub
            )
            .into(),
        );
    }
    if record.scopes.contains(tokens::USERINFO_EMAIL) {
        claims.insert("email".into(), user.profile.email.clone().into());
        claims.insert("email_verified".into(), true.into());
    }
    oauth_json(StatusCode::OK, &Value::Object(claims))
}

/// `GET /.well-known/openid-configuration`, endpoints pointing at this emulator.
pub(crate) async fn openid_configuration(State(shared): State<Arc<Shared>>) -> Response {
    let base = &shared.base_url;
    let body = json!({
        "issuer": base,
        "authorization_endpoint": format!("{base}/o/oauth2/v2/auth"),
        "token_endpoint": format!("{base}/token"),
        "userinfo_endpoint": format!("{base}/v1/userinfo"),
        "revocation_endpoint": format!("{base}/revoke"),
        "jwks_uri": format!("{base}/oauth2/v3/certs"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "claims_supported": ["aud", "email", "email_verified", "exp", "family_name", "given_name",
                             "iat", "iss", "name", "picture", "sub"],
        "code_challenge_methods_supported": ["plain", "S256"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
    });
    oauth_json(StatusCode::OK, &body)
}

/// `GET /oauth2/v3/certs`: empty, because the emulator issues no ID tokens (an unsigned one would
/// teach clients to skip verification).
pub(crate) async fn certificates() -> Response {
    oauth_json(StatusCode::OK, &json!({"keys": []}))
}

/// A JSON answer of the OAuth endpoints: UTF-8 JSON that no cache may keep (RFC 6749 §5.1).
fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    oauth_json(
        status,
        &json!({"error": error, "error_description": description}),
    )
}

fn missing_parameter(name: &str) -> Response {
    oauth_error(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        &format!("Missing required parameter: {name}"),
    )
}

fn validate_authorization_request(
    shared: &Shared,
    params: &Params,
) -> Result<AuthorizationRequest, Response> {
    let missing = |name: &str| {
        html::error_page(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            &format!("Missing required parameter: {name}"),
        )
    };
    let invalid =
        |message: String| html::error_page(StatusCode::BAD_REQUEST, "invalid_request", &message);
    let client_id = params
        .get("client_id")
        .ok_or_else(|| missing("client_id"))?;
    let Some(client) = shared.client(client_id) else {
        return Err(html::error_page(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "The OAuth client was not found.",
        ));
    };
    let redirect_uri = params
        .get("redirect_uri")
        .ok_or_else(|| missing("redirect_uri"))?;
    // Exact match: scheme, case and trailing slash all count (docs/google-oauth.md, redirect URIs).
    if !client.redirect_uris.iter().any(|uri| uri == redirect_uri) {
        tracing::info!(%client_id, %redirect_uri, "redirect_uri not registered");
        return Err(html::error_page(
            StatusCode::BAD_REQUEST,
            "redirect_uri_mismatch",
            &format!(
                "The redirect URI in the request, {redirect_uri}, does not match the ones authorized for the OAuth client."
            ),
        ));
    }
    match params.get("response_type") {
        None => return Err(missing("response_type")),
        Some("code") => {}
        Some(other) => {
            return Err(html::error_page(
                StatusCode::BAD_REQUEST,
                "unsupported_response_type",
                &format!("Invalid response_type: {other}"),
            ));
        }
    }
    let scope = params.get("scope").ok_or_else(|| missing("scope"))?;
    let offline = match params.get("access_type") {
        None | Some("online") => false,
        Some("offline") => true,
        Some(other) => return Err(invalid(format!("Invalid access_type: {other}"))),
    };
    let mut prompt: Vec<String> = params
        .get("prompt")
        .unwrap_or_default()
        .split(' ')
        .filter(|value| !value.is_empty())
        .map(str::to_string)
        .collect();
    // Older Alexa setups still send the legacy `approval_prompt=force`; treating it as
    // `prompt=consent` is the reading under which such a skill keeps getting refresh tokens
    // [unverified].
    match params.get("approval_prompt") {
        None | Some("auto") => {}
        Some("force") if prompt.is_empty() => prompt.push("consent".to_string()),
        Some(other) => {
            return Err(invalid(format!(
                "Invalid approval_prompt: {other} (it cannot be combined with prompt)"
            )));
        }
    }
    for value in &prompt {
        if !matches!(value.as_str(), "none" | "consent" | "select_account") {
            return Err(invalid(format!("Invalid prompt: {value}")));
        }
    }
    if prompt.len() > 1 && prompt.iter().any(|value| value == "none") {
        return Err(invalid(
            "prompt=none must not be combined with other values".to_string(),
        ));
    }
    let pkce = match (
        params.get("code_challenge"),
        params.get("code_challenge_method"),
    ) {
        (None, None) => None,
        (None, Some(_)) => return Err(missing("code_challenge")),
        (Some(challenge), method) => {
            let method = match method {
                None | Some("plain") => PkceMethod::Plain,
                Some("S256") => PkceMethod::S256,
                Some(other) => {
                    return Err(invalid(format!("Invalid code_challenge_method: {other}")));
                }
            };
            Some(Pkce {
                method,
                challenge: challenge.to_string(),
            })
        }
    };
    Ok(AuthorizationRequest {
        client_id: client_id.to_string(),
        redirect_uri: redirect_uri.to_string(),
        scopes: tokens::parse_scope_parameter(scope),
        // Taken raw from the query string's decoded value and re-encoded on the way out, so the
        // client gets back exactly the bytes it sent.
        state: params.get("state").map(str::to_string),
        offline,
        prompt,
        include_granted_scopes: params.get("include_granted_scopes") == Some("true"),
        login_hint: params.get("login_hint").map(str::to_string),
        pkce,
    })
}

/// Whether Google would show a consent screen to `email` for this request: on the first grant,
/// when new scopes are asked for, or when `prompt` contains `consent`.
fn needs_consent(state: &EmulatorState, email: &str, request: &AuthorizationRequest) -> bool {
    if request.prompt.iter().any(|prompt| prompt == "consent") {
        return true;
    }
    match state
        .grants
        .get(&(email.to_string(), request.client_id.clone()))
    {
        None => true,
        Some(granted) => !request.scopes.is_subset(granted),
    }
}

/// Whether this approval counts as the consent that earns a refresh token: the first grant for
/// (user, client), or `prompt` containing `consent` (docs/google-oauth.md, refresh tokens). Asking for additional scopes
/// shows a consent screen too, but the reference only promises a refresh token in these two cases,
/// so the twin takes the stricter reading.
fn counts_as_consent(state: &EmulatorState, email: &str, request: &AuthorizationRequest) -> bool {
    request.prompt.iter().any(|prompt| prompt == "consent")
        || !state
            .grants
            .contains_key(&(email.to_string(), request.client_id.clone()))
}

/// `prompt=none`: succeeds only for the auto-consent user with a grant that already covers the
/// request; otherwise redirects with the error Google documents ([unverified] which one it picks).
fn authorize_without_interaction(shared: &Shared, request: &AuthorizationRequest) -> Response {
    let auto_consent = shared.auto_consent();
    let mut state = shared.lock();
    let error = match &auto_consent {
        Some(email) if state.user(email).is_some() => {
            if !needs_consent(&state, email, request) {
                let granted = request.scopes.clone();
                return approve(&mut state, request, &email.clone(), granted, false);
            }
            "consent_required"
        }
        _ => "interaction_required",
    };
    redirect_with(
        &request.redirect_uri,
        &[("error", Some(error)), ("state", request.state.as_deref())],
    )
}

/// Records the grant, issues a code and redirects back to the client.
fn approve(
    state: &mut EmulatorState,
    request: &AuthorizationRequest,
    email: &str,
    granted: BTreeSet<String>,
    consent_shown: bool,
) -> Response {
    let key = (email.to_string(), request.client_id.clone());
    let previously_granted = state.grants.get(&key).cloned().unwrap_or_default();
    let code_scopes: BTreeSet<String> = if request.include_granted_scopes {
        previously_granted.union(&granted).cloned().collect()
    } else {
        granted.clone()
    };
    state
        .grants
        .insert(key, previously_granted.union(&granted).cloned().collect());
    let code = state.tokens.new_authorization_code();
    let family = state.tokens.new_family();
    let expires_at = state.now().plus(CODE_LIFETIME);
    let scope = tokens::join_scopes(&code_scopes);
    state.tokens.codes.insert(
        code.clone(),
        CodeRecord {
            email: email.to_string(),
            client_id: request.client_id.clone(),
            redirect_uri: request.redirect_uri.clone(),
            scopes: code_scopes,
            expires_at,
            pkce: request.pkce.clone(),
            issue_refresh_token: request.offline && consent_shown,
            offline: request.offline,
            used: false,
            family,
        },
    );
    tracing::info!(client_id = %request.client_id, consent_shown, "authorization approved");
    let prompt = if consent_shown { "consent" } else { "none" };
    redirect_with(
        &request.redirect_uri,
        &[
            ("code", Some(code.secret())),
            ("scope", Some(&scope)),
            ("state", request.state.as_deref()),
            ("authuser", Some("0")),
            ("prompt", Some(prompt)),
        ],
    )
}

/// A 302 to `redirect_uri` with `pairs` appended to whatever query it already has.
fn redirect_with(redirect_uri: &str, pairs: &[(&str, Option<&str>)]) -> Response {
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        if let Some(value) = value {
            serializer.append_pair(name, value);
        }
    }
    let query = serializer.finish();
    // Keep any fragment last, and join with `&` when the URI already has a query.
    let (without_fragment, fragment) = match redirect_uri.split_once('#') {
        Some((uri, fragment)) => (uri, Some(fragment)),
        None => (redirect_uri, None),
    };
    let separator = if !without_fragment.contains('?') {
        "?"
    } else if without_fragment.ends_with('?') || without_fragment.ends_with('&') {
        ""
    } else {
        "&"
    };
    let mut location = format!("{without_fragment}{separator}{query}");
    if let Some(fragment) = fragment {
        location.push('#');
        location.push_str(fragment);
    }
    match HeaderValue::from_str(&location) {
        Ok(location) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
        Err(_) => html::error_page(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The redirect URI cannot be used in a Location header.",
        ),
    }
}

/// Client authentication by `Authorization: Basic` or by body parameters; returns the client ID.
fn authenticate_client(
    shared: &Shared,
    headers: &HeaderMap,
    form: &Params,
) -> Result<String, Response> {
    let basic = basic_credentials(headers);
    let client_id = match &basic {
        Some((client_id, _)) => Some(client_id.as_str()),
        None => form.get("client_id"),
    };
    let Some(client_id) = client_id else {
        return Err(missing_parameter("client_id"));
    };
    let Some(client) = shared.client(client_id) else {
        return Err(oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "The OAuth client was not found.",
        ));
    };
    let secret = match &basic {
        Some((_, secret)) if !secret.is_empty() => Some(secret.as_str()),
        _ => form.get("client_secret"),
    };
    match secret {
        // Google demands the secret of a web client even with PKCE (docs/google-oauth.md, token endpoint).
        None => Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "client_secret is missing.",
        )),
        Some(secret) if secret != client.client_secret.secret() => Err(oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Unauthorized",
        )),
        Some(_) => Ok(client_id.to_string()),
    }
}

/// `Authorization: Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1).
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (client_id, secret) = decoded.split_once(':')?;
    let decode = |text: &str| {
        url::form_urlencoded::parse(format!("v={text}").as_bytes())
            .next()
            .map(|(_, value)| value.into_owned())
            .unwrap_or_default()
    };
    Some((decode(client_id), decode(secret)))
}

fn exchange_code(
    shared: &Shared,
    state: &mut EmulatorState,
    client_id: &str,
    form: &Params,
) -> Response {
    let Some(code) = form.get("code") else {
        return missing_parameter("code");
    };
    let bad_request = || oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "Bad Request");
    if !code.starts_with("4/") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Malformed auth code.",
        );
    }
    let now = state.now();
    let Some(record) = state.tokens.codes.get_mut(code) else {
        return bad_request();
    };
    if record.used {
        // RFC 6749 §4.1.2: a reused code should revoke the tokens it already produced.
        let family = record.family;
        state.tokens.revoke_family(family);
        tracing::info!("authorization code reused; its tokens are revoked");
        return bad_request();
    }
    if record.expires_at <= now || record.client_id != client_id {
        return bad_request();
    }
    let Some(redirect_uri) = form.get("redirect_uri") else {
        return missing_parameter("redirect_uri");
    };
    if redirect_uri != record.redirect_uri {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "redirect_uri_mismatch",
            "Bad Request",
        );
    }
    if let Some(pkce) = &record.pkce {
        // Messages [unverified]; the error code and status are what clients act on.
        let Some(verifier) = form.get("code_verifier") else {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "Missing code verifier.",
            );
        };
        let expected = match pkce.method {
            PkceMethod::Plain => verifier.to_string(),
            PkceMethod::S256 => URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())),
        };
        if expected != pkce.challenge {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "Invalid code verifier.",
            );
        }
    }
    // A `code_verifier` without a challenge in the authorization request is ignored [unverified].
    record.used = true;
    let email = record.email.clone();
    let scopes = record.scopes.clone();
    let family = record.family;
    let offline = record.offline;
    let issue_refresh_token = record.issue_refresh_token;
    let expires_at = now.plus(shared.access_token_ttl);
    let access_token = state.tokens.issue_access_token(
        &email,
        client_id,
        scopes.clone(),
        expires_at,
        family,
        offline,
    );
    let refresh_token = issue_refresh_token.then(|| {
        state
            .tokens
            .issue_refresh_token(&email, client_id, scopes.clone(), family, now)
    });
    tracing::info!(%client_id, refresh_token_issued = refresh_token.is_some(), "code exchanged");
    let mut body = json!({
        "access_token": access_token.secret(),
        "expires_in": shared.access_token_ttl.as_secs(),
        "scope": tokens::join_scopes(&scopes),
        "token_type": "Bearer",
    });
    if let Some(refresh_token) = refresh_token {
        body["refresh_token"] = refresh_token.secret().into();
    }
    oauth_json(StatusCode::OK, &body)
}

fn refresh(shared: &Shared, state: &mut EmulatorState, client_id: &str, form: &Params) -> Response {
    let Some(refresh_token) = form.get("refresh_token") else {
        return missing_parameter("refresh_token");
    };
    let now = state.now();
    let Some(record) = state.tokens.live_refresh_token(refresh_token, now) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Token has been expired or revoked.",
        );
    };
    if record.client_id != client_id {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            "Unauthorized",
        );
    }
    let scopes = match form.get("scope") {
        None => record.scopes.clone(),
        Some(requested) => {
            let requested = tokens::parse_scope_parameter(requested);
            if !requested.is_subset(&record.scopes) {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_scope", "Bad Request");
            }
            requested
        }
    };
    let email = record.email.clone();
    let family = record.family;
    let expires_at = state.now().plus(shared.access_token_ttl);
    let access_token = state.tokens.issue_access_token(
        &email,
        client_id,
        scopes.clone(),
        expires_at,
        family,
        true,
    );
    tracing::info!(%client_id, "access token refreshed");
    // No `refresh_token` in the answer: Google does not rotate them (docs/google-oauth.md, token endpoint).
    oauth_json(
        StatusCode::OK,
        &json!({
            "access_token": access_token.secret(),
            "expires_in": shared.access_token_ttl.as_secs(),
            "scope": tokens::join_scopes(&scopes),
            "token_type": "Bearer",
        }),
    )
}
