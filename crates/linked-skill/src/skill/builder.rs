//! [`SkillBuilder`]: how a skill developer registers handlers, texts and hooks.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use alexa_model::SkillId;

use super::Skill;
use crate::{
    Answer, HandlerError, IntentHandler, Language, LaunchHandler, LocalTexts, Locale,
    SkillEventHook, SpeechWords, Text, TextTable,
};

/// Collects a skill's handlers; [`SkillBuilder::build`] makes the [`Skill`].
pub struct SkillBuilder {
    pub(super) skill: Skill,
}

impl fmt::Debug for SkillBuilder {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_tuple("SkillBuilder")
            .field(&self.skill)
            .finish()
    }
}

impl SkillBuilder {
    /// Registers the handler of intent `H::NAME`. Like axum's `Router::route`, registering one
    /// name twice is a programming error and panics at start-up.
    pub fn intent<H: IntentHandler>(mut self, handler: H) -> SkillBuilder {
        let previous = self.skill.intents.insert(H::NAME, Box::new(handler));
        assert!(
            previous.is_none(),
            "two handlers for the intent {}",
            H::NAME
        );
        self
    }

    /// Answers LaunchRequest with `handler` (by default: [`Text::Help`] for a linked user).
    pub fn launch<H: LaunchHandler>(mut self, handler: H) -> SkillBuilder {
        self.skill.launch = Some(Box::new(handler));
        self
    }

    /// Adds one of the skill's text tables (one language or one locale, see [`TextTable`]):
    /// its own texts by key, and overrides of the toolkit's [`Text`]s. A table for a code that
    /// is not a language or locale is a programming error and panics at start-up, naming its
    /// file.
    pub fn texts(mut self, table: &'static TextTable) -> SkillBuilder {
        self.skill.texts.add_table(table);
        self
    }

    /// Replaces one of the toolkit's texts in one language (`"de"`) or locale (`"en-GB"`).
    /// Panics at start-up when `code` is neither.
    pub fn text(mut self, code: &str, text: Text, value: impl Into<String>) -> SkillBuilder {
        let locale = Locale::new(code)
            .unwrap_or_else(|error| panic!("SkillBuilder::text for {text:?}: {error}"));
        self.skill.texts.set(locale, text, value.into());
        self
    }

    /// The language spoken when a request's locale has no text (by default English): a skill
    /// whose first language is another sets it, and must then give a table for it.
    pub fn default_language(mut self, language: Language) -> SkillBuilder {
        self.skill.texts.set_default_language(language);
        self
    }

    /// How `language` says lists, counts, dates and times, for a language the toolkit does not
    /// ship (or to say them differently in one it does).
    pub fn speech_words(mut self, language: Language, words: &'static SpeechWords) -> SkillBuilder {
        self.skill.texts.add_speech_words(language, words);
        self
    }

    /// Runs `hook` on `AlexaSkillEvent.SkillAccountLinked`.
    pub fn on_account_linked(mut self, hook: impl SkillEventHook) -> SkillBuilder {
        self.skill.on_account_linked = Some(Box::new(hook));
        self
    }

    /// Runs `hook` on `AlexaSkillEvent.SkillDisabled` (Alexa has deleted the user's token).
    pub fn on_skill_disabled(mut self, hook: impl SkillEventHook) -> SkillBuilder {
        self.skill.on_skill_disabled = Some(Box::new(hook));
        self
    }

    /// Chooses the answer when a handler fails with an error of its own (not Google's, whose
    /// link-state answers stay the toolkit's): e.g. "I didn't catch that date" for a parse
    /// error, found with [`HandlerError::find`]. The hook gets the user's texts; the answer is
    /// sent like a handler's. Without a hook the user hears [`Text::SomethingWentWrong`] and the
    /// session stays open. The toolkit logs only the error's type, never its message.
    pub fn on_handler_error(
        mut self,
        hook: impl Fn(&HandlerError, LocalTexts<'_>) -> Answer + Send + Sync + 'static,
    ) -> SkillBuilder {
        self.skill.on_handler_error = Some(Box::new(hook));
        self
    }

    /// When the user hears [`Text::OneMoment`] while a handler is still working: after `after`
    /// (by default [`AUTOMATIC_PROGRESS_AFTER`](crate::limits::AUTOMATIC_PROGRESS_AFTER)), or never with `None`. A handler can always
    /// speak its own with [`IntentInput::progress`](crate::IntentInput::progress).
    pub fn automatic_progress(mut self, after: Option<Duration>) -> SkillBuilder {
        self.skill.automatic_progress = after;
        self
    }

    /// Refuses requests for any other skill (the binary takes this from `SKILL_ID`).
    pub fn skill_id(mut self, skill_id: SkillId) -> SkillBuilder {
        self.skill.skill_id = Some(skill_id);
        self
    }

    /// Keeps users' state in `store` (the binary uses DynamoDB when `SKILL_STATE_TABLE` is set;
    /// tests pass a `linked_skill::testing::MemoryStore`).
    pub fn state_store(mut self, store: impl user_state::Store + 'static) -> SkillBuilder {
        self.skill.state_store = Some(Arc::new(store));
        self
    }

    /// Calls Google through `google` (the binary builds one from `GOOGLE_API_ROOT`; tests pass a
    /// client over a fake transport).
    pub fn google(mut self, google: google_api::Client) -> SkillBuilder {
        self.skill.google = google;
        self
    }

    pub fn build(self) -> Skill {
        self.skill
    }
}
