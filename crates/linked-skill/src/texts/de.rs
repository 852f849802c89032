//! German: the toolkit's texts and speech words. Alexa duzt ("du"); the app is the "Alexa-App".

use super::Builtin;
use crate::speech::{Clock, SpeechWords, rules};

pub(super) static TEXTS: Builtin = Builtin {
    welcome_not_linked: "Willkommen. Verknüpfe zuerst dein Google-Konto in der Alexa-App. Dort \
                         findest du eine Karte, die dir hilft.",
    link_needed: "Dafür brauche ich Zugriff auf dein Google-Konto. Bitte verknüpfe dein Konto in \
                  der Alexa-App. Dort findest du eine Karte, die dir hilft.",
    relink: "Die Verknüpfung mit deinem Google-Konto ist abgelaufen oder wurde entfernt. Bitte \
             verknüpfe dein Konto in der Alexa-App erneut. Dort findest du eine Karte, die dir \
             hilft.",
    missing_permission: "Dafür brauche ich die Erlaubnis, {permission}. Bitte verknüpfe dein \
                         Google-Konto in der Alexa-App erneut und erlaube es. Dort findest du \
                         eine Karte, die dir hilft.",
    unnamed_permission: "dein Google-Konto zu nutzen",
    google_unavailable: "Entschuldigung, ich konnte Google gerade nicht erreichen. Bitte versuche \
                         es gleich noch einmal.",
    something_went_wrong: "Entschuldigung, dabei ist etwas schiefgelaufen. Bitte versuche es noch einmal.",
    one_moment: "Einen Moment…",
    help: "Frag mich, was du wissen möchtest. Was möchtest du?",
    goodbye: "Tschüss!",
    fallback: "Entschuldigung, dabei kann ich nicht helfen.",
    anything_else: "Noch etwas?",
};

pub(super) static SPEECH: SpeechWords = SpeechWords {
    list_pair: " und ",
    list_separator: ", ",
    list_last: " und ",
    plural: rules::one_for_one,
    today: "heute",
    tomorrow: "morgen",
    weekdays: [
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
        "Sonntag",
    ],
    months: [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    first_day: "1",
    date: "am {weekday}, {day}. {month}",
    date_at_time: "{date} um {time}",
    date_at_one: "{date} um {time}",
    clock: Clock {
        twelve_hour: false,
        on_the_hour: "{hour} Uhr",
        with_minutes: "{hour}:{minute} Uhr",
        pad_minutes: true,
        periods: &[],
    },
};
