//! English: the toolkit's texts and speech words. Alexa says "you"; the app is "the Alexa app".

use super::Builtin;
use crate::speech::{Clock, SpeechWords, rules};

pub(super) static TEXTS: Builtin = Builtin {
    welcome_not_linked: "Welcome. To get started, link your Google account in the Alexa app. \
                         I've sent a card there to help you.",
    link_needed: "To do that, I need access to your Google account. Please link your account in \
                  the Alexa app; I've sent a card there to help you.",
    relink: "Your Google account link has expired or was removed. Please link your account again \
             in the Alexa app; I've sent a card there to help you.",
    missing_permission: "To do that, I need permission to {permission}. Please link your Google \
                         account again in the Alexa app and allow it; I've sent a card there to \
                         help you.",
    unnamed_permission: "use your Google account for this",
    google_unavailable: "Sorry, I couldn't reach Google just now. Please try again in a moment.",
    something_went_wrong: "Sorry, something went wrong with that. Please try again.",
    one_moment: "One moment…",
    help: "Ask me what you'd like to know. What would you like?",
    goodbye: "Goodbye!",
    fallback: "Sorry, I can't help with that.",
    anything_else: "Anything else?",
};

pub(super) static SPEECH: SpeechWords = SpeechWords {
    list_pair: " and ",
    list_separator: ", ",
    list_last: " and ",
    plural: rules::one_for_one,
    today: "today",
    tomorrow: "tomorrow",
    weekdays: [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    first_day: "1",
    date: "on {weekday}, {month} {day}",
    date_at_time: "{date} at {time}",
    date_at_one: "{date} at {time}",
    clock: Clock {
        twelve_hour: true,
        on_the_hour: "{hour} {period}",
        with_minutes: "{hour}:{minute} {period}",
        pad_minutes: true,
        periods: &[(0, "AM"), (12, "PM")],
    },
};
