//! A Google without sockets, in every link state, for unit tests of handlers.

use std::sync::{Arc, Mutex};

use google_api::{BoxFuture, Exchange, Method, Reply, Transport, TransportError};
use serde_json::{Value, json};

/// How a [`FakeGoogle`] behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GoogleState {
    /// Google answers every route with its reply.
    Linked,
    /// Google rejects the token (expired and not refreshed, or revoked): 401.
    TokenRejected,
    /// The token lacks every scope a route accepts: 403 `insufficient_scope`, naming them.
    MissingScope,
    /// Google keeps failing: 503 on every attempt.
    Down,
    /// Google never answers.
    Hangs,
}

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    pub method: Method,
    /// Path and query, e.g. `/drive/v3/files?q=…`.
    pub path_and_query: String,
    pub json_body: Option<Value>,
}

#[derive(Debug, Clone)]
struct Route {
    method: Method,
    path_prefix: String,
    scopes: Vec<String>,
    reply: RouteReply,
}

/// A route's answer while linked: always the same body, or whatever a function makes of the
/// request (a status and a body), for a fake that keeps state (a calendar that refuses a
/// reused event ID).
#[derive(Clone)]
enum RouteReply {
    Fixed(Value),
    Computed(Arc<Responder>),
}

/// What [`FakeGoogle::route_with`] calls: a request in, a status and a JSON body out.
type Responder = dyn Fn(&RecordedRequest) -> (u16, Value) + Send + Sync;

impl std::fmt::Debug for RouteReply {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RouteReply::Fixed(reply) => formatter.debug_tuple("Fixed").field(reply).finish(),
            RouteReply::Computed(_) => formatter.write_str("Computed"),
        }
    }
}

/// A Google without sockets: routes by method and path prefix, answering in Google's shapes for
/// the chosen [`GoogleState`]. Hand it to a skill with
/// [`SkillBuilder::google`](crate::SkillBuilder::google)`(fake.client())`; the real retry,
/// deadline and classification logic runs on its replies.
#[derive(Debug, Clone)]
pub struct FakeGoogle {
    state: GoogleState,
    expected_token: String,
    routes: Arc<Vec<Route>>,
    requests: Arc<Mutex<Vec<RecordedRequest>>>,
}

impl FakeGoogle {
    /// A fake that expects every request to carry `expected_token` (and panics otherwise: a skill
    /// must pass on the request's own token).
    pub fn new(state: GoogleState, expected_token: &str) -> FakeGoogle {
        FakeGoogle {
            state,
            expected_token: expected_token.to_owned(),
            routes: Arc::new(Vec::new()),
            requests: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// Answers `method` on paths starting with `path_prefix` (`/gmail/v1/users/me/messages`)
    /// with `reply`; `scopes` are the scopes Google would accept there (named in the missing-
    /// scope answer). The first matching route wins.
    pub fn route(
        mut self,
        method: Method,
        path_prefix: &str,
        scopes: &[&str],
        reply: Value,
    ) -> FakeGoogle {
        Arc::make_mut(&mut self.routes).push(Route {
            method,
            path_prefix: path_prefix.to_owned(),
            scopes: scopes.iter().map(|scope| (*scope).to_owned()).collect(),
            reply: RouteReply::Fixed(reply),
        });
        self
    }

    /// Like [`FakeGoogle::route`], but while linked the answer is what `respond` returns for
    /// the request: a status and a JSON body (an error status with Google's error body, e.g.
    /// 409 for a reused Calendar event ID). `respond` may keep state between requests.
    pub fn route_with(
        mut self,
        method: Method,
        path_prefix: &str,
        scopes: &[&str],
        respond: impl Fn(&RecordedRequest) -> (u16, Value) + Send + Sync + 'static,
    ) -> FakeGoogle {
        Arc::make_mut(&mut self.routes).push(Route {
            method,
            path_prefix: path_prefix.to_owned(),
            scopes: scopes.iter().map(|scope| (*scope).to_owned()).collect(),
            reply: RouteReply::Computed(Arc::new(respond)),
        });
        self
    }

    /// A Google client whose every exchange this fake answers.
    pub fn client(&self) -> google_api::Client {
        google_api::Client::with_transport(google_api::Endpoints::google(), self.clone())
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.requests
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    fn reply(&self, exchange: &Exchange<'_>, request: &RecordedRequest) -> Reply {
        let path = exchange.url.path();
        let route = self
            .routes
            .iter()
            .find(|route| route.method == *exchange.method && path.starts_with(&route.path_prefix));
        let Some(route) = route else {
            return json_reply(
                404,
                None,
                &json!({"error": {"code": 404, "status": "NOT_FOUND",
                "message": format!("the fake Google has no route for {} {path}", exchange.method)}}),
            );
        };
        match self.state {
            GoogleState::Linked => match &route.reply {
                RouteReply::Fixed(reply) => json_reply(200, None, reply),
                RouteReply::Computed(respond) => {
                    let (status, body) = respond(request);
                    json_reply(status, None, &body)
                }
            },
            GoogleState::TokenRejected => json_reply(
                401,
                Some(
                    "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\""
                        .to_owned(),
                ),
                &json!({"error": {"code": 401, "message": "Invalid Credentials",
                    "errors": [{"reason": "authError"}], "status": "UNAUTHENTICATED"}}),
            ),
            GoogleState::MissingScope => json_reply(
                403,
                Some(format!(
                    "Bearer realm=\"https://accounts.google.com/\", error=\"insufficient_scope\", scope=\"{}\"",
                    route.scopes.join(" ")
                )),
                &json!({"error": {"code": 403, "message": "Request had insufficient authentication scopes.",
                    "errors": [{"reason": "insufficientPermissions"}], "status": "PERMISSION_DENIED"}}),
            ),
            GoogleState::Down => json_reply(
                503,
                None,
                &json!({"error": {"code": 503, "status": "UNAVAILABLE", "message": "The service is currently unavailable."}}),
            ),
            GoogleState::Hangs => unreachable!("a hanging Google never replies"),
        }
    }
}

impl Transport for FakeGoogle {
    fn send<'a>(&'a self, exchange: Exchange<'a>) -> BoxFuture<'a, Result<Reply, TransportError>> {
        Box::pin(async move {
            assert_eq!(
                exchange.access_token.secret(),
                self.expected_token,
                "the skill must pass on the request's own token"
            );
            let path_and_query = match exchange.url.query() {
                Some(query) => format!("{}?{query}", exchange.url.path()),
                None => exchange.url.path().to_owned(),
            };
            let request = RecordedRequest {
                method: exchange.method.clone(),
                path_and_query,
                json_body: exchange.json_body.cloned(),
            };
            self.requests
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push(request.clone());
            if self.state == GoogleState::Hangs {
                std::future::pending::<()>().await;
            }
            Ok(self.reply(&exchange, &request))
        })
    }
}

fn json_reply(status: u16, www_authenticate: Option<String>, body: &Value) -> Reply {
    Reply {
        status,
        www_authenticate,
        retry_after: None,
        body: body.to_string().into_bytes(),
    }
}
