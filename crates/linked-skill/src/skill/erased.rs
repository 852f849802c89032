//! The handler traits behind `dyn`: a [`Skill`](super::Skill) keeps handlers of many types in
//! one map and calls them through these object-safe twins of the public traits.

use google_api::{BoxFuture, scopes::Scope};

use crate::handler::{IntentInput, LaunchInput, SkillEvent};
use crate::{Answer, HandlerError, IntentHandler, LaunchHandler, SkillEventHook};

pub(super) trait ErasedIntent: Send + Sync {
    fn scopes(&self) -> &'static [&'static Scope];
    fn slots(&self) -> &'static [&'static str];
    fn answer<'a>(&'a self, input: IntentInput<'a>) -> BoxFuture<'a, Result<Answer, HandlerError>>;
}

impl<H: IntentHandler> ErasedIntent for H {
    fn scopes(&self) -> &'static [&'static Scope] {
        H::SCOPES
    }

    fn slots(&self) -> &'static [&'static str] {
        H::SLOTS
    }

    fn answer<'a>(&'a self, input: IntentInput<'a>) -> BoxFuture<'a, Result<Answer, HandlerError>> {
        Box::pin(IntentHandler::answer(self, input))
    }
}

pub(super) trait ErasedLaunch: Send + Sync {
    fn scopes(&self) -> &'static [&'static Scope];
    fn answer<'a>(&'a self, input: LaunchInput<'a>) -> BoxFuture<'a, Result<Answer, HandlerError>>;
}

impl<H: LaunchHandler> ErasedLaunch for H {
    fn scopes(&self) -> &'static [&'static Scope] {
        H::SCOPES
    }

    fn answer<'a>(&'a self, input: LaunchInput<'a>) -> BoxFuture<'a, Result<Answer, HandlerError>> {
        Box::pin(LaunchHandler::answer(self, input))
    }
}

pub(super) trait ErasedHook: Send + Sync {
    fn handle<'a>(&'a self, event: SkillEvent<'a>) -> BoxFuture<'a, ()>;
}

impl<H: SkillEventHook> ErasedHook for H {
    fn handle<'a>(&'a self, event: SkillEvent<'a>) -> BoxFuture<'a, ()> {
        Box::pin(SkillEventHook::handle(self, event))
    }
}
