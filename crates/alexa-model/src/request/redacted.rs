//! Hand-written `Debug` for the request types: structure shown, values of raw JSON never.
//!
//! Alexa puts tokens and codes in places this crate does not model (`context.System.person.
//! accessToken`, the `code` of an `Alexa.Authorization.Grant`, session attributes), and they end
//! up in flattened `other` maps or raw [`Value`]s. A derived `Debug` would print them into any log
//! line that formats a request; [`Shape`] prints object keys, array items and the kind of each
//! leaf (`<string>`, `<number>`, `<bool>`, `null`) instead. Typed secrets print
//! `Name([redacted])` on their own.

use std::fmt;

use serde_json::{Map, Value};

/// `Debug` of raw JSON that shows its shape and none of its values.
pub(crate) struct Shape<'json, T: ?Sized>(pub(crate) &'json T);

/// Raw JSON (or a type holding it) whose `Debug` must not show values.
pub(crate) trait JsonShape {
    fn fmt_shape(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result;
}

impl<T: JsonShape + ?Sized> fmt::Debug for Shape<'_, T> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt_shape(formatter)
    }
}

impl JsonShape for Value {
    fn fmt_shape(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => formatter.write_str("null"),
            Value::Bool(_) => formatter.write_str("<bool>"),
            Value::Number(_) => formatter.write_str("<number>"),
            Value::String(_) => formatter.write_str("<string>"),
            Value::Array(items) => formatter
                .debug_list()
                .entries(items.iter().map(Shape))
                .finish(),
            Value::Object(object) => object.fmt_shape(formatter),
        }
    }
}

impl JsonShape for Map<String, Value> {
    fn fmt_shape(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_map()
            .entries(self.iter().map(|(key, value)| (key, Shape(value))))
            .finish()
    }
}

impl<T: JsonShape> JsonShape for Option<T> {
    fn fmt_shape(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            None => formatter.write_str("None"),
            Some(value) => formatter.debug_tuple("Some").field(&Shape(value)).finish(),
        }
    }
}

/// `Debug` of a personal value (a skill-scoped user or device ID, the words of a slot): whether it
/// is there, never what it is. Written on one line so `{:#?}` shows the same.
pub(crate) struct Personal<'value>(pub(crate) &'value Option<String>);

impl fmt::Debug for Personal<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self.0 {
            Some(_) => "Some(<personal>)",
            None => "None",
        })
    }
}

/// `impl Debug for $type`: the `typed` fields with their own `Debug` (typed secrets redact
/// themselves), the `personal` ones through [`Personal`], the `json` fields through [`Shape`].
/// The destructuring names every field, so a new field does not compile until it is sorted into
/// one of the lists.
macro_rules! redacted_debug {
    ($type:ident {
        typed: [$($typed:ident),* $(,)?],
        $(personal: [$($personal:ident),* $(,)?],)?
        json: [$($json:ident),* $(,)?] $(,)?
    }) => {
        impl std::fmt::Debug for $type {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let $type { $($typed,)* $($($personal,)*)? $($json,)* } = self;
                formatter
                    .debug_struct(stringify!($type))
                    $(.field(stringify!($typed), $typed))*
                    $($(.field(
                        stringify!($personal),
                        &$crate::request::redacted::Personal($personal),
                    ))*)?
                    $(.field(stringify!($json), &$crate::request::redacted::Shape($json)))*
                    .finish()
            }
        }
    };
}

pub(crate) use redacted_debug;
