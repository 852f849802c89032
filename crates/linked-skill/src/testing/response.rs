//! Readers of a skill's answer as Alexa receives it: speech, reprompt, card, directives, session
//! attributes and whether the session ends, and the skill run in process on a test request.

use std::fmt;
use std::ops::Deref;

use serde_json::{Map, Value};
use tokio::time::Instant;

use crate::Skill;

/// A skill's response envelope, read the way a test asks about it:
///
/// ```
/// use linked_skill::testing::TestResponse;
/// use serde_json::json;
///
/// let response = TestResponse::new(json!({
///     "version": "1.0",
///     "sessionAttributes": {"step": "confirming"},
///     "response": {
///         "outputSpeech": {"type": "PlainText", "text": "Add milk?"},
///         "reprompt": {"outputSpeech": {"type": "PlainText", "text": "Shall I add milk?"}},
///         "directives": [{"type": "Dialog.ConfirmSlot", "slotToConfirm": "item"}],
///         "shouldEndSession": false
///     }
/// }));
/// assert_eq!(response.speech(), "Add milk?");
/// assert_eq!(response.reprompt(), Some("Shall I add milk?"));
/// assert_eq!(response.should_end_session(), Some(false));
/// assert_eq!(response.session_attribute("step"), Some(&json!("confirming")));
/// assert!(response.directive("Dialog.ConfirmSlot").is_some());
/// assert!(!response.has_link_account_card());
/// // The JSON itself stays at hand, and `{response:#}` prints it for a failing assertion.
/// assert_eq!(response["version"], "1.0");
/// ```
///
/// It dereferences to the JSON for anything the readers do not cover.
#[derive(Clone, PartialEq)]
pub struct TestResponse {
    json: Value,
}

impl TestResponse {
    /// Reads `json`, a response envelope (`{"version", "response", …}`).
    pub fn new(json: Value) -> TestResponse {
        TestResponse { json }
    }

    /// The envelope as JSON.
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The envelope as JSON, owned.
    pub fn into_json(self) -> Value {
        self.json
    }

    /// What Alexa says: the text of plain-text speech, the markup of SSML; `""` when the answer
    /// says nothing (a Delegate, an acknowledged event).
    pub fn speech(&self) -> &str {
        output_speech(self.json.pointer("/response/outputSpeech")).unwrap_or_default()
    }

    /// What Alexa says when the user does not answer; `None` without a reprompt.
    pub fn reprompt(&self) -> Option<&str> {
        output_speech(self.json.pointer("/response/reprompt/outputSpeech"))
    }

    /// The card shown in the Alexa app, as JSON (`{"type": "Simple", "title", "content"}`).
    pub fn card(&self) -> Option<&Value> {
        self.json.pointer("/response/card")
    }

    /// Whether the answer carries the LinkAccount card (the user must link, or link again).
    pub fn has_link_account_card(&self) -> bool {
        self.card()
            .is_some_and(|card| card["type"] == "LinkAccount")
    }

    /// Every directive, in order; none when the answer has none.
    pub fn directives(&self) -> &[Value] {
        self.json
            .pointer("/response/directives")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The first directive of type `directive_type` (`"Dialog.Delegate"`).
    pub fn directive(&self, directive_type: &str) -> Option<&Value> {
        self.directives()
            .iter()
            .find(|directive| directive["type"] == directive_type)
    }

    /// The session attributes the answer sets; `None` when it sets none.
    pub fn session_attributes(&self) -> Option<&Map<String, Value>> {
        self.json
            .get("sessionAttributes")
            .and_then(Value::as_object)
    }

    /// The session attribute `key`.
    pub fn session_attribute(&self, key: &str) -> Option<&Value> {
        self.session_attributes()
            .and_then(|attributes| attributes.get(key))
    }

    /// `shouldEndSession`: `Some(true)` ends the session, `Some(false)` keeps listening, `None`
    /// (left out) lets the device decide.
    pub fn should_end_session(&self) -> Option<bool> {
        self.json
            .pointer("/response/shouldEndSession")
            .and_then(Value::as_bool)
    }
}

fn output_speech(speech: Option<&Value>) -> Option<&str> {
    let speech = speech?;
    speech
        .get("text")
        .or_else(|| speech.get("ssml"))
        .and_then(Value::as_str)
}

impl Deref for TestResponse {
    type Target = Value;

    fn deref(&self) -> &Value {
        &self.json
    }
}

impl From<Value> for TestResponse {
    fn from(json: Value) -> TestResponse {
        TestResponse::new(json)
    }
}

impl From<TestResponse> for Value {
    fn from(response: TestResponse) -> Value {
        response.json
    }
}

/// The JSON (`{:#}` pretty-printed), for assertion messages.
impl fmt::Display for TestResponse {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.json, formatter)
    }
}

impl fmt::Debug for TestResponse {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "TestResponse({:#})", self.json)
    }
}

/// `skill`'s answer to `request`, handled in this process as Lambda would hand it over (the
/// request arrives now). Panics when the skill gives no answer (not an Alexa request, another
/// skill's): tests of those call [`Skill::handle_json`] and assert on the `Err`.
///
/// ```
/// use linked_skill::Skill;
/// use linked_skill::testing::{TestRequest, answer};
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let skill = Skill::builder().build();
/// let response = answer(&skill, TestRequest::intent("AMAZON.StopIntent")).await;
/// assert_eq!(response.speech(), "Goodbye!");
/// assert_eq!(response.should_end_session(), Some(true));
/// # });
/// ```
pub async fn answer(skill: &Skill, request: impl Into<Value>) -> TestResponse {
    match skill.handle_json(request.into(), Instant::now()).await {
        Ok(json) => TestResponse::new(json),
        Err(error) => panic!("the skill gave no answer: {error}"),
    }
}
