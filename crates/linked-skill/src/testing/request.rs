//! Requests as Alexa sends them, built for a test: launch, intents with their slots and dialog,
//! CanFulfill, session end and skill events, from a linked user or not, in any locale.
//!
//! The JSON is written by hand (`json!`), not through `alexa_model`'s types: a test request that
//! shared the model's mistakes could not catch them (ARCHITECTURE.md, Boundaries). The shapes
//! follow docs/alexa-requests.md and Amazon's request reference.

use serde_json::{Map, Value, json};

/// The skill ID a [`TestRequest`] names (`applicationId`) unless told otherwise.
pub const SKILL_ID: &str = "amzn1.ask.skill.7c9a5ab3-4c5f-4f2a-9c1e-0123456789ab";
/// The user (`userId`) a [`TestRequest`] comes from unless told otherwise.
pub const USER_ID: &str = "amzn1.ask.account.TESTUSER";
/// An access token for [`TestRequest::linked`] when the test needs no particular one.
pub const LINKED_TOKEN: &str = "ya29.test-linked-access-token";
/// Where a [`TestRequest`] says Alexa's APIs are (`apiEndpoint`): a loopback port nothing
/// listens on, so a call back (a progressive response, the device's time zone) fails at once
/// instead of reaching Amazon. Tests that play those APIs set their own with
/// [`TestRequest::api_endpoint`].
pub const OFFLINE_API_ENDPOINT: &str = "http://127.0.0.1:9";
/// The time a [`TestRequest`] was sent (`timestamp`) unless told otherwise.
pub const TIMESTAMP: &str = "2026-11-24T18:00:00Z";

const SESSION_ID: &str = "amzn1.echo-api.session.00000000-0000-0000-0000-000000000001";
const REQUEST_ID: &str = "amzn1.echo-api.request.00000000-0000-0000-0000-000000000001";
const DEVICE_ID: &str = "amzn1.ask.device.TESTDEVICE";

/// An Alexa request for a test, as Alexa would send it, changed step by step:
///
/// ```
/// use linked_skill::testing::{LINKED_TOKEN, TestRequest};
///
/// let request = TestRequest::intent("AddItemsIntent")
///     .linked(LINKED_TOKEN)
///     .locale("de-DE")
///     .slot_values("items", &["Milch", "Eier"])
///     .dialog_state("IN_PROGRESS")
///     .session_attribute("step", "asked");
/// let json = request.json();
/// assert_eq!(json["request"]["locale"], "de-DE");
/// assert_eq!(json["context"]["System"]["user"]["accessToken"], LINKED_TOKEN);
/// assert_eq!(json["session"]["attributes"]["step"], "asked");
///
/// let unlinked = TestRequest::launch();
/// assert!(unlinked.json()["context"]["System"]["user"].get("accessToken").is_none());
/// ```
///
/// By default a request comes from [`USER_ID`] for [`SKILL_ID`] in `en-US`, from a user who has
/// not linked (Alexa then sends no `accessToken` at all), sent at [`TIMESTAMP`], with
/// [`OFFLINE_API_ENDPOINT`]. A launch opens a session; an intent arrives inside one
/// ([`TestRequest::new_session`] makes it a one-shot). A method that names a part the request
/// does not have (a slot on a launch, a session attribute on a skill event) panics: the test is
/// wrong, not the skill.
#[derive(Debug, Clone, PartialEq)]
pub struct TestRequest {
    json: Value,
}

impl TestRequest {
    /// `LaunchRequest`: "Alexa, open …". Opens a session.
    pub fn launch() -> TestRequest {
        TestRequest::with_session("LaunchRequest", Map::new(), true)
    }

    /// `IntentRequest` for `name` (`"AddNoteIntent"`, `"AMAZON.HelpIntent"`) without slots,
    /// inside a session.
    pub fn intent(name: &str) -> TestRequest {
        let mut fields = Map::new();
        fields.insert(
            "intent".into(),
            json!({"name": name, "confirmationStatus": "NONE"}),
        );
        TestRequest::with_session("IntentRequest", fields, false)
    }

    /// `CanFulfillIntentRequest` for `name`: Alexa asking, before the user named the skill,
    /// whether it can answer. Opens a session, as Alexa's do.
    pub fn can_fulfill_intent(name: &str) -> TestRequest {
        let mut fields = Map::new();
        fields.insert("intent".into(), json!({"name": name}));
        TestRequest::with_session("CanFulfillIntentRequest", fields, true)
    }

    /// `SessionEndedRequest` with `reason` (`USER_INITIATED`, `EXCEEDED_MAX_REPROMPTS`, `ERROR`).
    pub fn session_ended(reason: &str) -> TestRequest {
        let mut fields = Map::new();
        fields.insert("reason".into(), reason.into());
        TestRequest::with_session("SessionEndedRequest", fields, false)
    }

    /// A skill event of type `event_type` (`"AlexaSkillEvent.SkillEnabled"`) with `body`
    /// (`None`: the event has none). Skill events have no session.
    pub fn skill_event(event_type: &str, body: Option<Value>) -> TestRequest {
        let mut fields = Map::new();
        if let Some(body) = body {
            fields.insert("body".into(), body);
        }
        fields.insert("eventCreationTime".into(), TIMESTAMP.into());
        fields.insert("eventPublishingTime".into(), TIMESTAMP.into());
        TestRequest {
            json: envelope(None, request_body(event_type, fields)),
        }
    }

    /// `AlexaSkillEvent.SkillAccountLinked`: the user has just linked. Its `body.accessToken`
    /// follows [`TestRequest::linked`].
    pub fn account_linked() -> TestRequest {
        TestRequest::skill_event("AlexaSkillEvent.SkillAccountLinked", Some(json!({})))
    }

    /// `AlexaSkillEvent.SkillDisabled` with `body.userInformationPersistenceStatus` (`PERSISTED`:
    /// Amazon keeps the user, `NOT_PERSISTED`: the user ID is retired), or without a body.
    pub fn skill_disabled(persistence_status: Option<&str>) -> TestRequest {
        let body =
            persistence_status.map(|status| json!({"userInformationPersistenceStatus": status}));
        TestRequest::skill_event("AlexaSkillEvent.SkillDisabled", body)
    }

    /// Any request JSON (a sample file of the skill's tests), to change with these methods.
    pub fn from_json(json: Value) -> TestRequest {
        TestRequest { json }
    }

    /// The request as JSON, for [`Skill::handle_json`](crate::Skill::handle_json).
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The request as JSON, owned.
    pub fn into_json(self) -> Value {
        self.json
    }

    /// From a user who has linked: `token` in `context.System.user` and `session.user` (and in
    /// the body of SkillAccountLinked), as Alexa sends it.
    pub fn linked(mut self, token: &str) -> TestRequest {
        for user in self.users() {
            user.insert("accessToken".into(), token.into());
        }
        if self.request_type() == "AlexaSkillEvent.SkillAccountLinked" {
            self.body().insert("accessToken".into(), token.into());
        }
        self
    }

    /// From a user who has not linked, or whose link Alexa has dropped: no `accessToken`
    /// anywhere.
    pub fn unlinked(mut self) -> TestRequest {
        for user in self.users() {
            user.remove("accessToken");
        }
        if let Some(Value::Object(body)) = self.json.pointer_mut("/request/body") {
            body.remove("accessToken");
        }
        self
    }

    /// The request's locale (`"fr-CA"`).
    pub fn locale(mut self, locale: &str) -> TestRequest {
        self.request()["locale"] = locale.into();
        self
    }

    /// From the user `user_id` (`amzn1.ask.account.…`), the key of the user's state.
    pub fn user_id(mut self, user_id: &str) -> TestRequest {
        for user in self.users() {
            user.insert("userId".into(), user_id.into());
        }
        self
    }

    /// For the skill `skill_id` (`amzn1.ask.skill.…`), sent as `applicationId`.
    pub fn skill_id(mut self, skill_id: &str) -> TestRequest {
        for pointer in ["/session/application", "/context/System/application"] {
            if let Some(application) = self.json.pointer_mut(pointer) {
                application["applicationId"] = skill_id.into();
            }
        }
        self
    }

    /// From the device `device_id`: the toolkit asks Alexa's settings API for this device's
    /// time zone.
    pub fn device_id(mut self, device_id: &str) -> TestRequest {
        self.system()["device"]["deviceId"] = device_id.into();
        self
    }

    /// Where the skill calls Alexa's APIs back (`apiEndpoint`: progressive responses, the
    /// device's time zone), e.g. a twin of them on loopback.
    pub fn api_endpoint(mut self, url: &str) -> TestRequest {
        self.system()["apiEndpoint"] = url.into();
        self
    }

    /// Alexa's token for its own APIs (`apiAccessToken`, unrelated to account linking).
    pub fn api_access_token(mut self, token: &str) -> TestRequest {
        self.system()["apiAccessToken"] = token.into();
        self
    }

    /// The request's ID (`requestId`), which Alexa's APIs called back during the request
    /// (progressive responses) name.
    pub fn request_id(mut self, request_id: &str) -> TestRequest {
        self.request()["requestId"] = request_id.into();
        self
    }

    /// When Alexa sent the request (`timestamp`, ISO 8601 in UTC).
    pub fn timestamp(mut self, timestamp: &str) -> TestRequest {
        self.request()["timestamp"] = timestamp.into();
        self
    }

    /// Whether this request opens the session (`session.new`): `true` is a one-shot ("Alexa,
    /// ask … who am I"), after which [`Answer::say`](crate::Answer::say) ends the session.
    pub fn new_session(mut self, new: bool) -> TestRequest {
        self.session()["new"] = new.into();
        self
    }

    /// The session attributes the skill returned on its previous answer, all of them.
    pub fn session_attributes(mut self, attributes: Map<String, Value>) -> TestRequest {
        self.session()["attributes"] = Value::Object(attributes);
        self
    }

    /// One session attribute the skill returned on its previous answer.
    pub fn session_attribute(mut self, key: &str, value: impl Into<Value>) -> TestRequest {
        let session = self.session();
        if !session["attributes"].is_object() {
            session["attributes"] = json!({});
        }
        session["attributes"][key] = value.into();
        self
    }

    /// Slot `name` filled with what the user said.
    pub fn slot(mut self, name: &str, value: &str) -> TestRequest {
        self.slot_entry(name).insert("value".into(), value.into());
        self
    }

    /// Slot `name` filled with `value`, which entity resolution matched to the slot type's
    /// value `id` (`ER_SUCCESS_MATCH`), read with
    /// [`IntentInput::slot_ids`](crate::IntentInput::slot_ids).
    pub fn slot_with_id(mut self, name: &str, value: &str, id: &str) -> TestRequest {
        let resolutions = resolutions(&self.application_id(), name, value, id);
        let slot = self.slot_entry(name);
        slot.insert("value".into(), value.into());
        slot.insert("resolutions".into(), resolutions);
        self
    }

    /// A multi-value slot `name` filled with `values` ("milk, eggs and bread"), as
    /// `slotValue` of type `List`, read with
    /// [`IntentInput::slot_values`](crate::IntentInput::slot_values).
    pub fn slot_values(mut self, name: &str, values: &[&str]) -> TestRequest {
        let items: Vec<Value> = values
            .iter()
            .map(|value| json!({"type": "Simple", "value": value}))
            .collect();
        self.slot_entry(name)
            .insert("slotValue".into(), json!({"type": "List", "values": items}));
        self
    }

    /// Slot `name` present but unfilled, as Alexa sends a slot the user did not fill.
    pub fn empty_slot(mut self, name: &str) -> TestRequest {
        self.slot_entry(name);
        self
    }

    /// The user's answer to [`Answer::confirm_slot`](crate::Answer::confirm_slot) for slot
    /// `name`: `CONFIRMED`, `DENIED` or `NONE`.
    pub fn slot_confirmation(mut self, name: &str, status: &str) -> TestRequest {
        self.slot_entry(name)
            .insert("confirmationStatus".into(), status.into());
        self
    }

    /// The user's answer to [`Answer::confirm_intent`](crate::Answer::confirm_intent):
    /// `CONFIRMED`, `DENIED` or `NONE`.
    pub fn confirmation(mut self, status: &str) -> TestRequest {
        self.intent_object()["confirmationStatus"] = status.into();
        self
    }

    /// Where the dialog stands (`dialogState`): `STARTED`, `IN_PROGRESS` or `COMPLETED`.
    pub fn dialog_state(mut self, state: &str) -> TestRequest {
        self.request()["dialogState"] = state.into();
        self
    }

    fn with_session(request_type: &str, fields: Map<String, Value>, new: bool) -> TestRequest {
        TestRequest {
            json: envelope(Some(new), request_body(request_type, fields)),
        }
    }

    fn request_type(&self) -> &str {
        self.json["request"]["type"].as_str().unwrap_or_default()
    }

    fn application_id(&self) -> String {
        self.json
            .pointer("/context/System/application/applicationId")
            .and_then(Value::as_str)
            .unwrap_or(SKILL_ID)
            .to_owned()
    }

    fn request(&mut self) -> &mut Value {
        let json = &mut self.json["request"];
        assert!(json.is_object(), "the test request has no `request`");
        json
    }

    fn system(&mut self) -> &mut Value {
        let system = &mut self.json["context"]["System"];
        assert!(system.is_object(), "the test request has no context.System");
        system
    }

    fn session(&mut self) -> &mut Value {
        let request_type = self.request_type().to_owned();
        self.json
            .pointer_mut("/session")
            .unwrap_or_else(|| panic!("a {request_type} has no session"))
    }

    fn body(&mut self) -> &mut Map<String, Value> {
        let request = self.request();
        if !request["body"].is_object() {
            request["body"] = json!({});
        }
        request["body"]
            .as_object_mut()
            .expect("the body was just made an object")
    }

    fn users(&mut self) -> impl Iterator<Item = &mut Map<String, Value>> {
        let (context, session) = match &mut self.json {
            Value::Object(envelope) => {
                let mut context = None;
                let mut session = None;
                for (key, value) in envelope.iter_mut() {
                    match key.as_str() {
                        "context" => context = value.pointer_mut("/System/user"),
                        "session" => session = value.pointer_mut("/user"),
                        _ => {}
                    }
                }
                (context, session)
            }
            _ => (None, None),
        };
        context
            .into_iter()
            .chain(session)
            .filter_map(Value::as_object_mut)
    }

    fn intent_object(&mut self) -> &mut Value {
        let request_type = self.request_type().to_owned();
        let intent = &mut self.request()["intent"];
        assert!(intent.is_object(), "a {request_type} has no intent");
        intent
    }

    fn slot_entry(&mut self, name: &str) -> &mut Map<String, Value> {
        let intent = self.intent_object();
        if !intent["slots"].is_object() {
            intent["slots"] = json!({});
        }
        let slot = &mut intent["slots"][name];
        if !slot.is_object() {
            *slot = json!({"name": name, "confirmationStatus": "NONE"});
        }
        slot.as_object_mut()
            .expect("the slot was just made an object")
    }
}

impl From<TestRequest> for Value {
    fn from(request: TestRequest) -> Value {
        request.json
    }
}

/// The envelope around `request`: with a session (`Some(new)`) or without (skill events).
fn envelope(new_session: Option<bool>, request: Value) -> Value {
    let application = json!({"applicationId": SKILL_ID});
    let user = json!({"userId": USER_ID});
    let mut envelope = json!({
        "version": "1.0",
        "context": {"System": {
            "application": application,
            "user": user,
            "device": {"deviceId": DEVICE_ID, "supportedInterfaces": {}},
            "apiEndpoint": OFFLINE_API_ENDPOINT,
            "apiAccessToken": "test-api-access-token",
        }},
        "request": request,
    });
    if let Some(new) = new_session {
        envelope["session"] = json!({
            "new": new,
            "sessionId": SESSION_ID,
            "application": application,
            "attributes": {},
            "user": user,
        });
    }
    envelope
}

fn request_body(request_type: &str, fields: Map<String, Value>) -> Value {
    let mut request = Map::new();
    request.insert("type".into(), request_type.into());
    request.insert("requestId".into(), REQUEST_ID.into());
    request.insert("timestamp".into(), TIMESTAMP.into());
    request.insert("locale".into(), "en-US".into());
    request.extend(fields);
    Value::Object(request)
}

/// Entity resolution's answer for a matched value. The authority names the slot type; a test
/// does not know the type's name, so the slot's stands in (the toolkit reads only the status and
/// the values).
fn resolutions(skill_id: &str, slot: &str, value: &str, id: &str) -> Value {
    json!({"resolutionsPerAuthority": [{
        "authority": format!("amzn1.er-authority.echo-sdk.{skill_id}.{slot}"),
        "status": {"code": "ER_SUCCESS_MATCH"},
        "values": [{"value": {"name": value, "id": id}}],
    }]})
}
