//! Every sample in `tests/data/requests/` parses, round-trips, and has the expected accessors.

use std::fmt::Write as _;
use std::path::PathBuf;

use alexa_model::request::Request;
use alexa_model::{RequestEnvelope, linked_access_token};
use expect_test::expect;
use serde_json::Value;

use crate::ask_model_check::{EnvelopeKind, ask_model_check, venv_python};

/// `(file stem, JSON text)` of every sample, sorted by name.
pub fn samples() -> Vec<(String, String)> {
    let directory = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/requests");
    let mut samples: Vec<(String, String)> = std::fs::read_dir(&directory)
        .unwrap_or_else(|error| panic!("read {}: {error}", directory.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
        })
        .map(|path| {
            let stem = path
                .file_stem()
                .expect("file stem")
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&path).expect("read sample");
            (stem, text)
        })
        .collect();
    samples.sort();
    samples
}

pub fn sample(stem: &str) -> RequestEnvelope {
    let (_, text) = samples()
        .into_iter()
        .find(|(name, _)| name == stem)
        .unwrap_or_else(|| panic!("no sample {stem}.json"));
    RequestEnvelope::from_json(&text).unwrap_or_else(|error| panic!("{stem}: {error}"))
}

#[test]
fn every_sample_parses_and_round_trips_exactly() {
    let samples = samples();
    assert!(
        samples.len() >= 26,
        "expected all generated samples, found {}",
        samples.len()
    );
    for (stem, text) in samples {
        let input: Value = serde_json::from_str(&text).unwrap();
        let envelope =
            RequestEnvelope::from_json(&text).unwrap_or_else(|error| panic!("{stem}: {error}"));
        let serialized = serde_json::to_value(&envelope).unwrap();
        // serde_json's Map compares without regard to key order.
        assert_eq!(
            serialized, input,
            "{stem}: serialized JSON differs from the input"
        );
        // The envelope has no PartialEq (it carries secrets): compare the JSON it makes again.
        let reparsed: RequestEnvelope = serde_json::from_value(serialized.clone()).unwrap();
        assert_eq!(
            serde_json::to_value(&reparsed).unwrap(),
            serialized,
            "{stem}: parse → serialize → parse changed the value"
        );
    }
}

#[test]
fn samples_are_exactly_what_generate_py_makes() {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let output = std::env::temp_dir().join(format!("alexa-model-samples-{}", std::process::id()));
    let status = std::process::Command::new(venv_python())
        .arg(manifest_dir.join("tests/data/generate.py"))
        .arg("--output")
        .arg(&output)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run generate.py");
    assert!(status.success(), "generate.py failed: {status}");
    let mut generated: Vec<(String, String)> = std::fs::read_dir(&output)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            (stem, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    generated.sort();
    std::fs::remove_dir_all(&output).unwrap();
    let names = |samples: &[(String, String)]| {
        samples
            .iter()
            .map(|(stem, _)| stem.clone())
            .collect::<Vec<_>>()
    };
    let committed = samples();
    assert_eq!(
        names(&generated),
        names(&committed),
        "run tests/data/generate.py"
    );
    for ((stem, generated_text), (_, committed_text)) in generated.iter().zip(&committed) {
        assert_eq!(
            generated_text, committed_text,
            "{stem}.json was edited by hand: run tests/data/generate.py"
        );
    }
}

#[test]
fn serialized_samples_satisfy_amazons_python_model() {
    for (stem, text) in samples() {
        let envelope = RequestEnvelope::from_json(&text).unwrap();
        let serialized = serde_json::to_string(&envelope).unwrap();
        ask_model_check(EnvelopeKind::Request, &serialized)
            .unwrap_or_else(|error| panic!("{stem}: {error}"));
    }
}

#[test]
fn debug_output_of_every_sample_hides_the_tokens() {
    for (stem, text) in samples() {
        let envelope = RequestEnvelope::from_json(&text).unwrap();
        let debug = format!("{envelope:?}");
        for secret in ["ya29.test", "test-alexa-api-access-token", "Atza|test"] {
            assert!(
                !debug.contains(secret),
                "{stem}: Debug output shows {secret}"
            );
        }
    }
}

/// One line per sample: type, locale, linked token, session, and what the variant carries.
fn describe(stem: &str, envelope: &RequestEnvelope) -> String {
    let mut line = format!(
        "{stem}: {} {}",
        envelope.request_type_name(),
        envelope.locale().unwrap_or("no-locale")
    );
    match linked_access_token(envelope) {
        Some(token) => write!(line, " token={}", token.secret()).unwrap(),
        None => line.push_str(" unlinked"),
    }
    match &envelope.session {
        Some(session) if session.new => line.push_str(" new-session"),
        Some(session) if !session.attributes.is_empty() => write!(
            line,
            " session{}",
            Value::Object(session.attributes.clone())
        )
        .unwrap(),
        Some(_) => line.push_str(" session"),
        None => line.push_str(" no-session"),
    }
    match &envelope.request {
        Request::IntentRequest(request) => {
            write!(line, " intent={}", request.intent.name).unwrap();
            if let Some(dialog_state) = &request.dialog_state {
                write!(line, " dialog={}", dialog_state.as_str()).unwrap();
            }
            for (name, slot) in &request.intent.slots {
                write!(line, " {name}={:?}", slot.value).unwrap();
                for resolution in slot
                    .resolutions
                    .iter()
                    .flat_map(|r| &r.resolutions_per_authority)
                {
                    let resolved: Vec<&str> = resolution
                        .values
                        .iter()
                        .map(|v| v.value.name.as_str())
                        .collect();
                    write!(line, "→{}{resolved:?}", resolution.status.code.as_str()).unwrap();
                }
            }
        }
        Request::CanFulfillIntentRequest(request) => {
            write!(line, " intent={}", request.intent.name).unwrap()
        }
        Request::SessionEndedRequest(request) => {
            let reason = request.reason.as_ref().map(|reason| reason.as_str());
            let error = request
                .error
                .as_ref()
                .and_then(|error| error.error_type.as_ref())
                .map(|error_type| error_type.as_str());
            write!(line, " reason={reason:?} error={error:?}").unwrap();
        }
        Request::SystemExceptionEncountered(request) => write!(
            line,
            " error={} cause={}",
            request
                .error
                .as_ref()
                .and_then(|error| error.error_type.as_ref())
                .map_or("-", |error_type| error_type.as_str()),
            request
                .cause
                .as_ref()
                .and_then(|cause| cause.request_id.as_deref())
                .unwrap_or("-")
        )
        .unwrap(),
        Request::SkillEnabled(event) | Request::SkillDisabled(event) => {
            write!(line, " created={:?}", event.event_creation_time).unwrap()
        }
        Request::SkillAccountLinked(event) => {
            write!(line, " created={:?}", event.event_creation_time).unwrap()
        }
        Request::SkillPermissionAccepted(event) | Request::SkillPermissionChanged(event) => {
            write!(line, " body={}", event.body.clone().unwrap_or_default()).unwrap()
        }
        Request::Unknown { raw, .. } => {
            write!(line, " raw-keys={:?}", raw.as_object().map(|o| o.len())).unwrap()
        }
        Request::LaunchRequest(_) | Request::SessionResumedRequest(_) => {}
    }
    if envelope
        .system()
        .and_then(|system| system.device.as_ref())
        .is_some_and(|device| device.supports_interface("Alexa.Presentation.APL"))
    {
        line.push_str(" apl");
    }
    let interfaces: Vec<&String> = envelope
        .context
        .iter()
        .flat_map(|context| context.interfaces.keys())
        .collect();
    if !interfaces.is_empty() {
        write!(line, " context{interfaces:?}").unwrap();
    }
    line
}

#[test]
fn accessors_per_sample() {
    let table: String = samples()
        .iter()
        .map(|(stem, text)| describe(stem, &RequestEnvelope::from_json(text).unwrap()) + "\n")
        .collect();
    expect![[r#"
        audio_player_playback_started: AudioPlayer.PlaybackStarted en-US token=ya29.test-google-access-token no-session raw-keys=Some(6) context["AudioPlayer"]
        can_fulfill_intent: CanFulfillIntentRequest en-US unlinked new-session intent=AddNoteIntent
        intent_add_note_filled: IntentRequest en-US token=ya29.test-google-access-token session{"lastIntent":"ListFilesIntent","turns":2} intent=AddNoteIntent dialog=COMPLETED note=Some("buy milk & eggs")
        intent_add_note_without_value: IntentRequest en-US token=ya29.test-google-access-token session intent=AddNoteIntent dialog=STARTED note=None
        intent_amazon_cancel: IntentRequest en-US token=ya29.test-google-access-token session intent=AMAZON.CancelIntent
        intent_amazon_fallback: IntentRequest en-US token=ya29.test-google-access-token session intent=AMAZON.FallbackIntent
        intent_amazon_help: IntentRequest en-US token=ya29.test-google-access-token session intent=AMAZON.HelpIntent
        intent_amazon_navigatehome: IntentRequest en-US token=ya29.test-google-access-token session intent=AMAZON.NavigateHomeIntent
        intent_amazon_stop: IntentRequest en-US token=ya29.test-google-access-token session intent=AMAZON.StopIntent
        intent_list_files: IntentRequest en-US token=ya29.test-google-access-token session intent=ListFilesIntent
        intent_next_event_de_de: IntentRequest de-DE token=ya29.test-google-access-token session intent=NextEventIntent apl context["Alexa.Presentation.APL", "AudioPlayer", "Viewport"]
        intent_resolutions_dialog_in_progress: IntentRequest en-US token=ya29.test-google-access-token session intent=SampleFileKindIntent dialog=IN_PROGRESS fileKind=Some("sheets")→ER_SUCCESS_MATCH["spreadsheet"] otherKind=Some("banana")→ER_SUCCESS_NO_MATCH[]
        intent_who_am_i: IntentRequest en-US token=ya29.test-google-access-token session intent=WhoAmIIntent
        intent_who_am_i_unlinked: IntentRequest en-US unlinked session intent=WhoAmIIntent
        launch_de_de_screen_device: LaunchRequest de-DE token=ya29.test-google-access-token new-session apl context["Alexa.Presentation.APL", "AudioPlayer", "Viewport"]
        launch_empty_access_token: LaunchRequest en-US unlinked new-session
        launch_linked: LaunchRequest en-US token=ya29.test-google-access-token new-session
        launch_unlinked: LaunchRequest en-US unlinked new-session
        session_ended_error: SessionEndedRequest en-US token=ya29.test-google-access-token session reason=Some("ERROR") error=Some("INVALID_RESPONSE")
        session_ended_user_initiated: SessionEndedRequest de-DE unlinked session reason=Some("USER_INITIATED") error=None
        skill_account_linked: AlexaSkillEvent.SkillAccountLinked en-US token=ya29.test-google-access-token no-session created=Some("2026-01-15T09:40:00Z")
        skill_disabled: AlexaSkillEvent.SkillDisabled en-US unlinked no-session created=Some("2026-01-15T09:40:00Z")
        skill_enabled: AlexaSkillEvent.SkillEnabled en-US unlinked no-session created=Some("2026-01-15T09:40:00Z")
        skill_permission_accepted: AlexaSkillEvent.SkillPermissionAccepted en-US unlinked no-session body={"acceptedPermissions":[{"scope":"alexa::profile:email:read"}]}
        skill_permission_changed: AlexaSkillEvent.SkillPermissionChanged en-US unlinked no-session body={"acceptedPermissions":[]}
        system_exception_encountered: System.ExceptionEncountered en-US unlinked no-session error=INVALID_RESPONSE cause=amzn1.echo-api.request.test-previous
    "#]].assert_eq(&table);
}
