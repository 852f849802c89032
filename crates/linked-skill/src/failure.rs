//! A handler's failure: any error, taken with `?`, that the toolkit answers with speech and
//! never lets its text reach the user or the logs.

use std::error::Error as StdError;
use std::fmt;

/// Why a handler could not answer: any error type converts into it with `?` (a parser, a store,
/// another HTTP API, `google_api::Error`).
///
/// A `google_api::Error` (itself, or as the `source` of the handler's own error) gets the
/// toolkit's link-state answer (link, relink, missing permission, Google unavailable). Any other
/// error gets the skill's [`SkillBuilder::on_handler_error`](crate::SkillBuilder::on_handler_error)
/// answer, by default [`Text::SomethingWentWrong`](crate::Text::SomethingWentWrong) with the
/// session kept open. Either way the request is answered: no handler error becomes a Lambda
/// error.
///
/// The error's message may hold what the user said, a token or a response body, so the toolkit
/// never speaks or logs it: `Debug` and the log show the error's type name only. Like
/// `anyhow::Error`, it does not implement `std::error::Error` itself, which is what lets every
/// error convert into it.
pub struct HandlerError {
    error: Box<dyn StdError + Send + Sync + 'static>,
    type_name: &'static str,
}

impl<E: StdError + Send + Sync + 'static> From<E> for HandlerError {
    fn from(error: E) -> Self {
        HandlerError {
            error: Box::new(error),
            type_name: std::any::type_name::<E>(),
        }
    }
}

impl HandlerError {
    /// The first error of type `E` in the error and its `source` chain, for a hook that answers
    /// some errors specially.
    pub fn find<E: StdError + 'static>(&self) -> Option<&E> {
        let mut current: Option<&(dyn StdError + 'static)> = Some(self.error.as_ref());
        while let Some(error) = current {
            if let Some(found) = error.downcast_ref::<E>() {
                return Some(found);
            }
            current = error.source();
        }
        None
    }

    /// The Google failure behind this error, if any.
    pub fn google(&self) -> Option<&google_api::Error> {
        self.find::<google_api::Error>()
    }

    /// The Rust type the handler failed with (`core::num::error::ParseIntError`): what the
    /// toolkit logs.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The error itself, for a hook that needs more than [`HandlerError::find`]. Whatever it
    /// does with the message is its own responsibility: the message may hold personal data.
    pub fn into_inner(self) -> Box<dyn StdError + Send + Sync + 'static> {
        self.error
    }
}

impl fmt::Debug for HandlerError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("HandlerError")
            .field("type", &self.type_name)
            .finish_non_exhaustive()
    }
}
