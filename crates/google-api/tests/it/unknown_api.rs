//! An API google-api has never heard of, called through its public interface only: a loopback
//! server plays `tasks.googleapis.com`, and retries, the deadline and error classification apply
//! exactly as for the typed calls.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};
use std::time::Duration;

use axum::{
    Json, Router,
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use google_api::{
    AccessToken, ApiRequest, Client, Deadline, Endpoints, Error, Idempotency, Method,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{fast_retry_policy, generous_deadline};

const HOST: &str = "tasks.googleapis.com";
const TOKEN: &str = "ya29.test-unknown-api-token";

/// How the fake Tasks API answers, and how often it was asked.
#[derive(Clone)]
struct Behavior {
    /// Answers 503 to this many requests before it works.
    failures_first: usize,
    /// What it answers once it "works".
    answer: fn(&HeaderMap) -> Response,
    requests: Arc<AtomicUsize>,
}

async fn tasks(
    State(behavior): State<Behavior>,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    let seen = behavior.requests.fetch_add(1, Ordering::SeqCst);
    if seen < behavior.failures_first {
        return (StatusCode::SERVICE_UNAVAILABLE, "try again").into_response();
    }
    // The query parameters arrive as the caller gave them.
    assert!(
        query.is_empty() || query == [("maxResults".to_owned(), "10".to_owned())],
        "{query:?}"
    );
    (behavior.answer)(&headers)
}

fn task_lists(headers: &HeaderMap) -> Response {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(authorization, format!("Bearer {TOKEN}"));
    Json(json!({"kind": "tasks#taskLists", "items": [{"id": "l1", "title": "Groceries"}]}))
        .into_response()
}

fn missing_scope(_: &HeaderMap) -> Response {
    let mut response = (
        StatusCode::FORBIDDEN,
        Json(json!({"error": {"code": 403, "status": "PERMISSION_DENIED",
            "errors": [{"reason": "insufficientPermissions"}]}})),
    )
        .into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        "Bearer realm=\"https://accounts.google.com/\", error=\"insufficient_scope\", \
         scope=\"https://www.googleapis.com/auth/tasks https://www.googleapis.com/auth/tasks.readonly\""
            .parse()
            .unwrap(),
    );
    response
}

fn rejected_token(_: &HeaderMap) -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(json!({"error": {"code": 401, "status": "UNAUTHENTICATED"}})),
    )
        .into_response()
}

async fn hang(_: &HeaderMap) -> Response {
    tokio::time::sleep(Duration::from_secs(60)).await;
    StatusCode::OK.into_response()
}

/// Serves `behavior` on loopback and returns a client whose only special host is the fake one:
/// every other host still goes to Google, so nothing but the host map can route the call here.
async fn serve(behavior: Behavior) -> Client {
    let app = Router::new()
        .route("/tasks/v1/users/@me/lists", get(tasks).post(tasks))
        .route(
            "/tasks/v1/hang",
            get(|headers: HeaderMap| async move { hang(&headers).await }),
        )
        .with_state(behavior);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let base = format!("http://{address}/").parse().unwrap();
    Client::new(
        Endpoints::google().with_host(HOST, base),
        reqwest::Client::new(),
    )
    .with_retry_policy(fast_retry_policy())
}

fn behavior(failures_first: usize, answer: fn(&HeaderMap) -> Response) -> Behavior {
    Behavior {
        failures_first,
        answer,
        requests: Arc::new(AtomicUsize::new(0)),
    }
}

#[derive(Debug, Deserialize)]
struct TaskLists {
    items: Vec<TaskList>,
}

#[derive(Debug, Deserialize)]
struct TaskList {
    title: String,
}

#[tokio::test]
async fn a_get_is_retried_past_server_errors_and_parsed() {
    let fake = behavior(2, task_lists);
    let client = serve(fake.clone()).await;
    let token = AccessToken::new(TOKEN.to_owned());
    let lists: TaskLists = client
        .for_user(&token, generous_deadline())
        .get_json(HOST, "tasks/v1/users/@me/lists", &[("maxResults", "10")])
        .await
        .expect("the third attempt succeeds");
    assert_eq!(lists.items[0].title, "Groceries");
    assert_eq!(fake.requests.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_post_the_caller_calls_not_idempotent_is_not_repeated_after_a_server_error() {
    let fake = behavior(1, task_lists);
    let client = serve(fake.clone()).await;
    let token = AccessToken::new(TOKEN.to_owned());
    let result: Result<Value, Error> = client
        .for_user(&token, generous_deadline())
        .post_json(
            HOST,
            "tasks/v1/users/@me/lists",
            &[],
            json!({"title": "Errands"}),
            Idempotency::NotIdempotent,
        )
        .await;
    assert!(
        matches!(result, Err(Error::Unavailable { .. })),
        "{result:?}"
    );
    assert_eq!(fake.requests.load(Ordering::SeqCst), 1);

    // The same request stated idempotent is repeated.
    let fake = behavior(1, task_lists);
    let client = serve(fake.clone()).await;
    let request = ApiRequest::new(Method::POST, HOST, "tasks/v1/users/@me/lists")
        .json_body(json!({"title": "Errands"}))
        .idempotency(Idempotency::Idempotent);
    let lists: TaskLists = client
        .for_user(&token, generous_deadline())
        .send(&request)
        .await
        .expect("the retry succeeds");
    assert_eq!(lists.items.len(), 1);
    assert_eq!(fake.requests.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn errors_are_classified_as_for_the_apis_it_knows() {
    let token = AccessToken::new(TOKEN.to_owned());
    let client = serve(behavior(0, missing_scope)).await;
    let result: Result<Value, Error> = client
        .for_user(&token, generous_deadline())
        .get_json(HOST, "tasks/v1/users/@me/lists", &[])
        .await;
    let Err(Error::MissingScope { scopes }) = result else {
        panic!("expected MissingScope, got {result:?}");
    };
    assert_eq!(
        scopes,
        [
            "https://www.googleapis.com/auth/tasks",
            "https://www.googleapis.com/auth/tasks.readonly"
        ]
    );

    let client = serve(behavior(0, rejected_token)).await;
    let result: Result<Value, Error> = client
        .for_user(&token, generous_deadline())
        .get_json(HOST, "tasks/v1/users/@me/lists", &[])
        .await;
    assert!(matches!(result, Err(Error::Relink)), "{result:?}");

    // Without a linked token nothing is sent at all.
    let fake = behavior(0, task_lists);
    let client = serve(fake.clone()).await;
    let result: Result<Value, Error> = client
        .bind(None, generous_deadline())
        .get_json(HOST, "tasks/v1/users/@me/lists", &[])
        .await;
    assert!(matches!(result, Err(Error::NotLinked)), "{result:?}");
    assert_eq!(fake.requests.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_hanging_api_returns_by_the_deadline() {
    let client = serve(behavior(0, task_lists)).await;
    let token = AccessToken::new(TOKEN.to_owned());
    let result: Result<Value, Error> = client
        .for_user(&token, Deadline::after(Duration::from_millis(300)))
        .get_json(HOST, "tasks/v1/hang", &[])
        .await;
    assert!(matches!(result, Err(Error::DeadlineExceeded)), "{result:?}");
}
