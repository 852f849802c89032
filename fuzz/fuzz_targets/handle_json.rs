//! `Skill::handle_json` of the sample skill with a fake Google: whatever JSON arrives, it never
//! panics, the response always serializes, and the request's access token appears neither in
//! the response nor in any log line (traced at the most verbose level).
#![no_main]

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use linked_skill::testing::{FakeGoogle, GoogleState};
use linked_skill::Skill;
use serde_json::{Value, json};

const TOKEN: &str = "ya29.fuzz-handle-json-token";

#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct World {
    runtime: tokio::runtime::Runtime,
    skill: Skill,
    logs: Logs,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let logs = Logs::default();
        let writer = logs.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .init();
        let google = FakeGoogle::new(GoogleState::Linked, TOKEN)
            .route(
                linked_skill::google_api::Method::GET,
                "/v1/userinfo",
                &["openid"],
                json!({"sub": "1", "name": "Ada Lovelace", "email": "ada@example.com"}),
            )
            .route(linked_skill::google_api::Method::GET, "/drive/v3/files", &[], json!({"files": []}))
            .route(linked_skill::google_api::Method::GET, "/calendar/v3", &[], json!({"items": []}))
            .route(linked_skill::google_api::Method::POST, "/", &[], json!({}))
            .route(linked_skill::google_api::Method::PUT, "/", &[], json!({}));
        let skill = skill::skill().google(google.client()).build();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a runtime");
        World { runtime, skill, logs }
    })
}

/// Puts the one token the fake Google accepts wherever Alexa puts a token.
fn with_known_token(mut event: Value) -> Value {
    for pointer in ["/context/System/user", "/session/user"] {
        if let Some(Value::Object(user)) = event.pointer_mut(pointer) {
            if user.contains_key("accessToken") {
                user.insert("accessToken".into(), TOKEN.into());
            }
        }
    }
    event
}

fuzz_target!(|input: &[u8]| {
    let Ok(event) = serde_json::from_slice::<Value>(input) else {
        return;
    };
    let text = event.to_string();
    // A token already in the input other than in its own fields would show up legitimately.
    if text.contains(TOKEN) {
        return;
    }
    let event = with_known_token(event);
    let world = world();
    world.logs.0.lock().unwrap().clear();
    let arrived = tokio::time::Instant::now();
    let result = world.runtime.block_on(world.skill.handle_json(event, arrived));
    let shown = match result {
        Ok(response) => serde_json::to_string(&response).expect("a response serializes"),
        Err(error) => format!("{error} {error:?}"),
    };
    assert!(!shown.contains(TOKEN), "the token reached the answer: {shown}");
    let logs = String::from_utf8_lossy(&world.logs.0.lock().unwrap()).into_owned();
    assert!(!logs.contains(TOKEN), "the token reached the logs: {logs}");
});
