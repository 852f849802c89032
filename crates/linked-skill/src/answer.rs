//! What a handler answers, before the toolkit turns it into Alexa's response JSON.

use alexa_model::{Card, CardImage, Directive, Intent, ResponseEnvelope};
use serde_json::{Map, Value};

/// A handler's answer: one kind (say, ask, a dialog step, …) plus what any kind may carry
/// (session attributes, a card, extra directives).
///
/// A handler that confirms before it acts ("add buy milk to my list" — "Shall I add buy
/// milk?" — "yes"), fails with its own errors by `?`, and says "one moment" while it works:
///
/// ```
/// use linked_skill::alexa_model::ConfirmationStatus;
/// use linked_skill::{Answer, HandlerError, IntentHandler, IntentInput, Skill, google_api};
///
/// pub struct AddItem;
///
/// impl IntentHandler for AddItem {
///     const NAME: &'static str = "AddItemIntent";
///     const SCOPES: &'static [&'static google_api::scopes::Scope] = &[];
///     const SLOTS: &'static [&'static str] = &["item", "count"];
///
///     async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, HandlerError> {
///         let Some(item) = input.slot("item") else {
///             return Ok(Answer::elicit_slot("item", "What should I add?"));
///         };
///         // A parse error is the handler's own: `?`, answered by the skill's hook.
///         let count: u32 = input.slot("count").unwrap_or("1").parse()?;
///         match input.confirmation_status() {
///             ConfirmationStatus::Confirmed => {
///                 input.progress("Adding it now.").await;
///                 // … write to Google here, with `?` on its errors …
///                 let mut attributes = serde_json::Map::new();
///                 attributes.insert("last_item".into(), item.into());
///                 Ok(Answer::say(format!("Added {count} {item}."))
///                     .with_simple_card("Added", item)
///                     .with_session_attributes(attributes))
///             }
///             ConfirmationStatus::Denied => Ok(Answer::say("Okay, I didn't add anything.")),
///             _ => Ok(Answer::confirm_intent(format!("Shall I add {count} {item}?"))),
///         }
///     }
/// }
///
/// let skill = Skill::builder()
///     .intent(AddItem)
///     .on_handler_error(|error, _texts| match error.find::<std::num::ParseIntError>() {
///         Some(_) => Answer::ask("How many should I add?", "How many?"),
///         None => Answer::say("Sorry, that didn't work."),
///     })
///     .build();
/// # let _ = skill;
/// ```
#[derive(Debug, Clone)]
pub struct Answer {
    pub(crate) kind: AnswerKind,
    pub(crate) session_attributes: Option<Map<String, Value>>,
    pub(crate) card: Option<Card>,
    pub(crate) directives: Vec<Directive>,
    pub(crate) updated_intent: Option<Intent>,
}

#[derive(Debug, Clone)]
pub(crate) enum AnswerKind {
    Say(String),
    Tell(String),
    Ask { speech: String, reprompt: String },
    Delegate,
    ElicitSlot { slot: String, question: String },
    ConfirmSlot { slot: String, question: String },
    ConfirmIntent { question: String },
    LinkAccount(String),
    Response(Box<ResponseEnvelope>),
}

impl Answer {
    /// The usual answer: speaks `speech`; a one-shot request ("Alexa, ask … who am I") then
    /// ends, inside a conversation the skill keeps listening with [`Text::AnythingElse`](crate::Text::AnythingElse).
    pub fn say(speech: impl Into<String>) -> Answer {
        Answer::of(AnswerKind::Say(speech.into()))
    }

    /// Speaks and ends the session.
    pub fn tell(speech: impl Into<String>) -> Answer {
        Answer::of(AnswerKind::Tell(speech.into()))
    }

    /// Speaks and keeps listening; `reprompt` is said if the user stays silent.
    pub fn ask(speech: impl Into<String>, reprompt: impl Into<String>) -> Answer {
        Answer::of(AnswerKind::Ask {
            speech: speech.into(),
            reprompt: reprompt.into(),
        })
    }

    /// Lets Alexa continue the dialog with the interaction model's prompts (Dialog.Delegate).
    /// Alexa forbids speech next to it, so there is none. With
    /// [`Answer::with_updated_intent`] it changes slot values first, or (from a launch handler)
    /// starts another intent's dialog (intent chaining).
    pub fn delegate() -> Answer {
        Answer::of(AnswerKind::Delegate)
    }

    /// Asks for slot `slot` of the current intent (Dialog.ElicitSlot); the model's dialog must
    /// declare the slot.
    pub fn elicit_slot(slot: impl Into<String>, question: impl Into<String>) -> Answer {
        Answer::of(AnswerKind::ElicitSlot {
            slot: slot.into(),
            question: question.into(),
        })
    }

    /// Asks the user to confirm the value of slot `slot` (Dialog.ConfirmSlot); the next request
    /// carries the slot's [`ConfirmationStatus`](alexa_model::ConfirmationStatus).
    pub fn confirm_slot(slot: impl Into<String>, question: impl Into<String>) -> Answer {
        Answer::of(AnswerKind::ConfirmSlot {
            slot: slot.into(),
            question: question.into(),
        })
    }

    /// Asks the user to confirm the whole intent (Dialog.ConfirmIntent); the next request
    /// carries the intent's [`ConfirmationStatus`](alexa_model::ConfirmationStatus).
    pub fn confirm_intent(question: impl Into<String>) -> Answer {
        Answer::of(AnswerKind::ConfirmIntent {
            question: question.into(),
        })
    }

    /// Speaks, sends a LinkAccount card and ends the session.
    pub fn link_account(speech: impl Into<String>) -> Answer {
        Answer::of(AnswerKind::LinkAccount(speech.into()))
    }

    /// A response built by hand with `alexa_model::ResponseBuilder`, sent as it is, except that
    /// what the `with_…` methods add (session attributes, a card, directives) is added to it.
    pub fn response(response: ResponseEnvelope) -> Answer {
        Answer::of(AnswerKind::Response(Box::new(response)))
    }

    /// Puts `attributes` into the session; the next request of the session carries them. Kept
    /// with every kind of answer.
    pub fn with_session_attributes(mut self, attributes: Map<String, Value>) -> Answer {
        self.session_attributes = Some(attributes);
        self
    }

    /// Shows a simple card (title and text) in the Alexa app. A LinkAccount answer keeps its
    /// own card: Alexa shows one card per response.
    pub fn with_simple_card(
        mut self,
        title: impl Into<String>,
        content: impl Into<String>,
    ) -> Answer {
        self.card = Some(Card::Simple {
            title: title.into(),
            content: content.into(),
        });
        self
    }

    /// Shows a standard card (title, text and an optional image) in the Alexa app.
    pub fn with_standard_card(
        mut self,
        title: impl Into<String>,
        text: impl Into<String>,
        image: Option<CardImage>,
    ) -> Answer {
        self.card = Some(Card::Standard {
            title: title.into(),
            text: text.into(),
            image,
        });
        self
    }

    /// Adds any directive (APL, AudioPlayer, Connections, …) after the answer's own.
    pub fn with_directive(mut self, directive: Directive) -> Answer {
        self.directives.push(directive);
        self
    }

    /// The intent a dialog answer ([`Answer::delegate`], [`Answer::elicit_slot`],
    /// [`Answer::confirm_slot`], [`Answer::confirm_intent`]) sends as `updatedIntent`: changed
    /// slot values, or another intent to chain to. Without it, the request's intent is sent as
    /// it came (Delegate sends none). Other kinds have no `updatedIntent` and ignore it.
    pub fn with_updated_intent(mut self, intent: Intent) -> Answer {
        self.updated_intent = Some(intent);
        self
    }

    fn of(kind: AnswerKind) -> Answer {
        Answer {
            kind,
            session_attributes: None,
            card: None,
            directives: Vec::new(),
            updated_intent: None,
        }
    }
}
