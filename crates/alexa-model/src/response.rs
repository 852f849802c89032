//! Response side: the envelope a custom skill returns, and a builder for it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::request::Intent;
use crate::wire_enum::wire_enum;

/// What the skill returns to Alexa.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseEnvelope {
    /// Always `"1.0"`.
    pub version: String,
    /// Echoed back by Alexa in `session.attributes` of the next request of this session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_attributes: Option<Map<String, Value>>,
    pub response: Response,
}

impl ResponseEnvelope {
    /// `{"version":"1.0","response":{}}`, the answer to `SessionEndedRequest` and skill events,
    /// where Alexa ignores (or rejects) any speech.
    pub fn empty() -> Self {
        Self {
            version: RESPONSE_VERSION.to_owned(),
            session_attributes: None,
            response: Response::default(),
        }
    }
}

const RESPONSE_VERSION: &str = "1.0";

/// `response`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_speech: Option<OutputSpeech>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<Card>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reprompt: Option<Reprompt>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub directives: Vec<Directive>,
    /// `None` leaves the decision to Alexa (which ends the session on most voice-only devices).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub should_end_session: Option<bool>,
    /// The answer to a `CanFulfillIntentRequest`, and only to that.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_fulfill_intent: Option<CanFulfillIntent>,
}

/// `canFulfillIntent`: whether the skill could handle an intent, asked before the user picks a
/// skill for a name-free request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CanFulfillIntent {
    pub can_fulfill: CanFulfill,
    /// Keyed by slot name.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub slots: std::collections::BTreeMap<String, CanFulfillSlot>,
}

/// One slot of [`CanFulfillIntent`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CanFulfillSlot {
    pub can_understand: CanFulfill,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_fulfill: Option<CanFulfill>,
}

wire_enum! {
    /// `YES`, `NO` or `MAYBE` (`canUnderstand` and `canFulfill` share these values).
    pub enum CanFulfill {
        Yes = "YES",
        No = "NO",
        Maybe = "MAYBE",
    }
}

/// `outputSpeech`, also used inside [`Reprompt`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum OutputSpeech {
    /// Text Alexa reads as is.
    #[serde(rename_all = "camelCase")]
    PlainText {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        play_behavior: Option<PlayBehavior>,
    },
    /// SSML, a `<speak>` document; build it with [`crate::ssml`].
    #[serde(rename = "SSML", rename_all = "camelCase")]
    Ssml {
        ssml: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        play_behavior: Option<PlayBehavior>,
    },
}

impl OutputSpeech {
    /// Plain-text speech without a play behavior.
    pub fn plain_text(text: impl Into<String>) -> Self {
        Self::PlainText {
            text: text.into(),
            play_behavior: None,
        }
    }

    /// SSML speech without a play behavior; `ssml` must already be a `<speak>` document.
    pub fn ssml(ssml: impl Into<String>) -> Self {
        Self::Ssml {
            ssml: ssml.into(),
            play_behavior: None,
        }
    }
}

wire_enum! {
    /// `playBehavior` of output speech.
    pub enum PlayBehavior {
        Enqueue = "ENQUEUE",
        ReplaceAll = "REPLACE_ALL",
        ReplaceEnqueued = "REPLACE_ENQUEUED",
    }
}

/// `reprompt`: what Alexa says if the user stays silent while the session is open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reprompt {
    pub output_speech: OutputSpeech,
}

/// `card`, shown in the Alexa app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum Card {
    Simple {
        title: String,
        content: String,
    },
    Standard {
        title: String,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        image: Option<CardImage>,
    },
    /// Asks the user to link their account; serializes to exactly `{"type":"LinkAccount"}`.
    LinkAccount,
    /// Asks the user to grant permissions such as `alexa::profile:email:read`.
    AskForPermissionsConsent {
        permissions: Vec<String>,
    },
}

/// `image` of a standard card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardImage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub small_image_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub large_image_url: Option<String>,
}

/// One entry of `directives`. Dialog directives are typed; everything else (APL, AudioPlayer,
/// Connections, …) is kept as raw JSON in [`Directive::Other`], `type` included.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum Directive {
    /// `Dialog.Delegate`: let Alexa continue the dialog with the interaction model's prompts.
    #[serde(rename = "Dialog.Delegate", rename_all = "camelCase")]
    DialogDelegate {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        updated_intent: Option<Intent>,
    },
    /// `Dialog.ElicitSlot`: the skill's speech asks for `slot_to_elicit`.
    #[serde(rename = "Dialog.ElicitSlot", rename_all = "camelCase")]
    DialogElicitSlot {
        slot_to_elicit: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        updated_intent: Option<Intent>,
    },
    /// `Dialog.ConfirmSlot`: the skill's speech asks to confirm `slot_to_confirm`.
    #[serde(rename = "Dialog.ConfirmSlot", rename_all = "camelCase")]
    DialogConfirmSlot {
        slot_to_confirm: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        updated_intent: Option<Intent>,
    },
    /// `Dialog.ConfirmIntent`: the skill's speech asks to confirm the whole intent.
    #[serde(rename = "Dialog.ConfirmIntent", rename_all = "camelCase")]
    DialogConfirmIntent {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        updated_intent: Option<Intent>,
    },
    /// Any other directive, raw.
    #[serde(untagged)]
    Other(Value),
}

/// Builds a [`ResponseEnvelope`] step by step, like ask-sdk-core's `ResponseFactory`.
///
/// ```
/// use alexa_model::ResponseBuilder;
///
/// let envelope = ResponseBuilder::new()
///     .speak("Please use the Alexa app to link your Google account.")
///     .link_account_card()
///     .end_session(true)
///     .build();
/// assert_eq!(
///     serde_json::to_string(&envelope).unwrap(),
///     r#"{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"Please use the Alexa app to link your Google account."},"card":{"type":"LinkAccount"},"shouldEndSession":true}}"#,
/// );
/// ```
#[derive(Clone, Debug, Default)]
#[must_use = "a response builder does nothing until `build` is called"]
pub struct ResponseBuilder {
    session_attributes: Option<Map<String, Value>>,
    response: Response,
}

impl ResponseBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Speaks `text` as plain text (no SSML interpretation, so no escaping needed).
    pub fn speak(mut self, text: impl Into<String>) -> Self {
        self.response.output_speech = Some(OutputSpeech::plain_text(text));
        self
    }

    /// Speaks an SSML document; use [`crate::ssml::speak`] to build it from escaped text.
    pub fn speak_ssml(mut self, ssml: impl Into<String>) -> Self {
        self.response.output_speech = Some(OutputSpeech::ssml(ssml));
        self
    }

    /// Keeps the session open and says `text` (plain text) if the user does not answer.
    ///
    /// Sets `shouldEndSession` to false like ask-sdk-core's `ask`/`reprompt`, since a reprompt
    /// only makes sense in an open session; a later [`Self::end_session`] overrides it.
    pub fn reprompt(mut self, text: impl Into<String>) -> Self {
        self.response.reprompt = Some(Reprompt {
            output_speech: OutputSpeech::plain_text(text),
        });
        self.response.should_end_session = Some(false);
        self
    }

    /// Shows a simple card with `title` and `content` in the Alexa app.
    pub fn simple_card(mut self, title: impl Into<String>, content: impl Into<String>) -> Self {
        self.response.card = Some(Card::Simple {
            title: title.into(),
            content: content.into(),
        });
        self
    }

    /// Shows the card that starts account linking in the Alexa app.
    pub fn link_account_card(mut self) -> Self {
        self.response.card = Some(Card::LinkAccount);
        self
    }

    /// Shows the card asking the user to grant `permissions` (Alexa permission scopes).
    pub fn ask_for_permissions_consent_card<I, S>(mut self, permissions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.response.card = Some(Card::AskForPermissionsConsent {
            permissions: permissions.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// Adds a `Dialog.ElicitSlot` directive; the speech set with [`Self::speak`] should ask for
    /// the slot. Sets `shouldEndSession` to false: the user must be able to answer, and whether
    /// Alexa tolerates `true` next to a dialog directive is unverified, so the safe reading is
    /// an explicit false (ask-sdk-core leaves the flag alone here). A later
    /// [`Self::end_session`] overrides it.
    pub fn elicit_slot(
        mut self,
        slot_to_elicit: impl Into<String>,
        updated_intent: Intent,
    ) -> Self {
        self.response.directives.push(Directive::DialogElicitSlot {
            slot_to_elicit: slot_to_elicit.into(),
            updated_intent: Some(updated_intent),
        });
        self.response.should_end_session = Some(false);
        self
    }

    /// Adds any directive.
    pub fn add_directive(mut self, directive: Directive) -> Self {
        self.response.directives.push(directive);
        self
    }

    /// Replaces the session attributes Alexa echoes back on the next request.
    pub fn session_attributes(mut self, attributes: Map<String, Value>) -> Self {
        self.session_attributes = Some(attributes);
        self
    }

    /// Answers a `CanFulfillIntentRequest`.
    pub fn can_fulfill_intent(mut self, can_fulfill_intent: CanFulfillIntent) -> Self {
        self.response.can_fulfill_intent = Some(can_fulfill_intent);
        self
    }

    /// Sets `shouldEndSession`.
    pub fn end_session(mut self, should_end_session: bool) -> Self {
        self.response.should_end_session = Some(should_end_session);
        self
    }

    pub fn build(self) -> ResponseEnvelope {
        ResponseEnvelope {
            version: RESPONSE_VERSION.to_owned(),
            session_attributes: self.session_attributes,
            response: self.response,
        }
    }
}
