//! Redacted newtypes for tokens and secrets, written once: [`new_secret_type!`] and the OAuth
//! [`AccessToken`] that Alexa hands the skill and the Google client sends on.
//!
//! In the spirit of oauth2-rs's `new_secret_type!`: the value sits in a private field, `Debug`
//! prints `Name([redacted])`, there is no `Display`, and [`secret`](AccessToken::secret) is the
//! one explicit way to read it, where it is sent on. Nothing derives `PartialEq`: code that
//! compares secrets (outside tests) is almost always a timing leak or a design mistake, and tests
//! compare `.secret()`.
//!
//! This crate is a leaf: every other crate of the workspace may depend on it, and it depends on
//! nothing but serde.
//!
//! ```
//! secrets::new_secret_type!(
//!     /// A refresh token.
//!     pub RefreshToken
//! );
//! let token = RefreshToken::new("1//0g-very-secret".to_owned());
//! assert_eq!(format!("{token:?}"), "RefreshToken([redacted])");
//! assert_eq!(token.secret(), "1//0g-very-secret");
//! ```

#[doc(hidden)]
pub mod __private {
    pub use serde;
}

/// Declares a secret newtype around a `String`.
///
/// The type gets `new`, `secret`, `into_secret` and `is_empty`, a redacting `Debug`, `Clone`, and
/// transparent serde (the wire form is the bare string), and nothing else: no `Display`, no
/// `PartialEq`, no `Deref`.
#[macro_export]
macro_rules! new_secret_type {
    ($(#[$meta:meta])* $vis:vis $name:ident) => {
        $(#[$meta])*
        ///
        /// The field is private, `Debug` prints the type name with `[redacted]`, and there is
        /// deliberately no `Display`: read the value with `secret()` only where it is sent on.
        #[derive(Clone)]
        $vis struct $name(String);

        // Not every crate calls every accessor of its own private secret types.
        #[allow(dead_code)]
        impl $name {
            /// Wraps a secret received from or destined for the wire.
            pub fn new(secret: String) -> Self {
                Self(secret)
            }

            /// The secret itself. Never log it.
            pub fn secret(&self) -> &str {
                &self.0
            }

            /// The secret itself, by value. Never log it.
            pub fn into_secret(self) -> String {
                self.0
            }

            /// True for `""`. No usable secret is empty, so callers treat an empty one exactly
            /// like a missing one.
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                formatter.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: $crate::__private::serde::Serializer,
            {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                <String as $crate::__private::serde::Deserialize>::deserialize(deserializer)
                    .map(Self)
            }
        }
    };
}

new_secret_type!(
    /// An OAuth 2.0 access token: here the Google access token that Alexa obtained through the
    /// skill's Auth Code Grant and puts into every request as `context.System.user.accessToken`.
    /// `alexa-model` reads it from the request and `google-api` sends it as the bearer token, so
    /// the one value travels from the request to Google without being copied into another type.
    pub AccessToken
);

#[cfg(test)]
mod tests {
    use super::*;

    new_secret_type!(
        /// A secret declared in a test, as other crates declare theirs.
        ClientSecret
    );

    #[test]
    fn debug_output_is_redacted() {
        let access_token = AccessToken::new("ya29.test-very-secret".to_owned());
        assert_eq!(format!("{access_token:?}"), "AccessToken([redacted])");
        assert_eq!(
            format!("{:#?}", Some(&access_token)),
            "Some(\n    AccessToken([redacted]),\n)"
        );
        let client_secret = ClientSecret::new("GOCSPX-test-secret".to_owned());
        assert_eq!(format!("{client_secret:?}"), "ClientSecret([redacted])");
    }

    #[test]
    fn the_value_is_read_only_through_the_accessors() {
        let access_token = AccessToken::new("ya29.test-very-secret".to_owned());
        assert_eq!(access_token.secret(), "ya29.test-very-secret");
        assert!(!access_token.is_empty());
        assert!(AccessToken::new(String::new()).is_empty());
        assert_eq!(access_token.into_secret(), "ya29.test-very-secret");
    }

    #[test]
    fn wire_form_is_the_bare_string() {
        let token: AccessToken = serde_json::from_str(r#""Atza|test-token""#).unwrap();
        assert_eq!(token.secret(), "Atza|test-token");
        assert_eq!(
            serde_json::to_string(&token).unwrap(),
            r#""Atza|test-token""#
        );
        let error = serde_json::from_str::<AccessToken>("42").unwrap_err();
        assert!(error.to_string().contains("expected a string"), "{error}");
    }
}
