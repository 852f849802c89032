//! The one bearer-token check every API method starts with: a token (the `Authorization` header
//! or the `access_token`/`oauth_token` system parameter), live on the twin's clock, carrying any
//! scope the method allows; otherwise Google's 401 or 403 (docs/google-apis.md, Error responses).
//!
//! Built-in handlers take it as the extractor [`Authorized<M>`], which names their method `M` in
//! their signature; declared routes, whose method is data, call [`authorize`], the same check.

use std::{collections::BTreeSet, marker::PhantomData, sync::Arc};

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, header, request::Parts},
    response::Response,
};

use super::{
    api_errors::{insufficient_scope, invalid_credentials, missing_credentials},
    methods::{ApiMethod, RequiredMethod},
    params::Params,
    state::Shared,
};

/// Who is calling an API method, from a live access token that carries an allowed scope.
pub(crate) struct Caller {
    pub(crate) email: String,
    /// Every scope the token carries (Gmail restricts `gmail.metadata` tokens further).
    pub(crate) scopes: BTreeSet<String>,
}

/// A request whose token may call the API method `M`; rejected with Google's error otherwise.
///
/// A handler with a request body takes `Result<Authorized<M>, Response>` and answers the refusal
/// after its body extractor ran: refused as a plain extractor, the request's body is never read,
/// so hyper closes the connection and a client that reuses it (httplib2 does) gets a broken pipe
/// on its next request, which Google's front end never causes. The same form lets a handler
/// answer some errors before the token check, as Google does for a Sheets path it cannot parse.
pub(crate) struct Authorized<M> {
    pub(crate) caller: Caller,
    method: PhantomData<M>,
}

impl<M: RequiredMethod> FromRequestParts<Arc<Shared>> for Authorized<M> {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        shared: &Arc<Shared>,
    ) -> Result<Self, Self::Rejection> {
        let params = Params::from_query(parts.uri.query());
        let caller = authorize(shared, &parts.headers, params.access_token(), M::of(parts))?;
        Ok(Authorized {
            caller,
            method: PhantomData,
        })
    }
}

/// Checks the bearer token (header, or the `access_token`/`oauth_token` system parameter) and the
/// method's scopes, answering like Google when either is wrong.
pub(crate) fn authorize(
    shared: &Shared,
    headers: &HeaderMap,
    query_token: Option<&str>,
    method: ApiMethod<'_>,
) -> Result<Caller, Response> {
    let Some(token) = bearer_token(headers).or(query_token) else {
        return Err(missing_credentials(method));
    };
    let state = shared.lock();
    let now = state.now();
    let Some(record) = state.tokens.live_access_token(token, now) else {
        return Err(invalid_credentials());
    };
    if !method
        .scopes
        .iter()
        .any(|scope| record.scopes.contains(*scope))
    {
        return Err(insufficient_scope(method));
    }
    Ok(Caller {
        email: record.email.clone(),
        scopes: record.scopes.clone(),
    })
}

/// The token of an `Authorization: Bearer …` header.
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    // The scheme is case-insensitive (RFC 7235); Google accepts `bearer` too [obs].
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|token| !token.is_empty())
}
