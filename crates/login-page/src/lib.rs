//! Renders the Alexa account-linking login page that forwards to Google.
