//! Dutch: the toolkit's texts and speech words. Alexa says "je"; the app is the "Alexa-app";
//! linking is "koppelen". Times on the 24-hour clock ("om 15 uur").

use super::Builtin;
use crate::speech::{Clock, SpeechWords, rules};

pub(super) static TEXTS: Builtin = Builtin {
    welcome_not_linked: "Welkom. Koppel eerst je Google-account in de Alexa-app. Ik heb je daar \
                         een kaart gestuurd die je helpt.",
    link_needed: "Daarvoor heb ik toegang tot je Google-account nodig. Koppel je account in de \
                  Alexa-app. Ik heb je daar een kaart gestuurd die je helpt.",
    relink: "De koppeling met je Google-account is verlopen of verwijderd. Koppel je account \
             opnieuw in de Alexa-app. Ik heb je daar een kaart gestuurd die je helpt.",
    missing_permission: "Daarvoor heb ik toestemming nodig om {permission}. Koppel je \
                         Google-account opnieuw in de Alexa-app en geef die toestemming. Ik heb \
                         je daar een kaart gestuurd die je helpt.",
    unnamed_permission: "je Google-account te gebruiken",
    google_unavailable: "Sorry, ik kon Google nu niet bereiken. Probeer het zo nog eens.",
    something_went_wrong: "Sorry, er ging iets mis. Probeer het nog eens.",
    one_moment: "Een ogenblik…",
    help: "Vraag me wat je wilt weten. Wat wil je doen?",
    goodbye: "Tot ziens!",
    fallback: "Sorry, daar kan ik je niet mee helpen.",
    anything_else: "Kan ik nog iets voor je doen?",
};

pub(super) static SPEECH: SpeechWords = SpeechWords {
    list_pair: " en ",
    list_separator: ", ",
    list_last: " en ",
    plural: rules::one_for_one,
    today: "vandaag",
    tomorrow: "morgen",
    weekdays: [
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
    ],
    months: [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    first_day: "1",
    date: "op {weekday} {day} {month}",
    date_at_time: "{date} om {time}",
    date_at_one: "{date} om {time}",
    clock: Clock {
        twelve_hour: false,
        on_the_hour: "{hour} uur",
        with_minutes: "{hour}:{minute} uur",
        pad_minutes: true,
        periods: &[],
    },
};
