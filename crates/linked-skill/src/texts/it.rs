//! Italian: the toolkit's texts and speech words. Alexa gives "tu" and speaks of herself in the
//! feminine ("non sono riuscita"); the app is "l'app Alexa"; linking is "collegare"; cards are
//! "schede". Times on the 24-hour clock ("alle 15:30", "all'una").

use super::Builtin;
use crate::speech::{Clock, SpeechWords, rules};

pub(super) static TEXTS: Builtin = Builtin {
    welcome_not_linked: "Ciao! Per iniziare, collega il tuo account Google nell'app Alexa. Ti ho \
                         inviato una scheda per aiutarti.",
    link_needed: "Per farlo, ho bisogno di accedere al tuo account Google. Collega il tuo \
                  account nell'app Alexa. Ti ho inviato una scheda per aiutarti.",
    relink: "Il collegamento con il tuo account Google è scaduto o è stato rimosso. Collega di \
             nuovo il tuo account nell'app Alexa. Ti ho inviato una scheda per aiutarti.",
    missing_permission: "Per farlo, mi serve il permesso di {permission}. Collega di nuovo il tuo \
                         account Google nell'app Alexa e concedi questo permesso. Ti ho inviato \
                         una scheda per aiutarti.",
    unnamed_permission: "usare il tuo account Google",
    google_unavailable: "Mi dispiace, non sono riuscita a contattare Google in questo momento. \
                         Riprova tra poco.",
    something_went_wrong: "Mi dispiace, qualcosa è andato storto. Riprova.",
    one_moment: "Un attimo…",
    help: "Chiedimi quello che vuoi sapere. Cosa vuoi fare?",
    goodbye: "A presto!",
    fallback: "Mi dispiace, non posso aiutarti con questo.",
    anything_else: "Posso fare altro per te?",
};

pub(super) static SPEECH: SpeechWords = SpeechWords {
    list_pair: " e ",
    list_separator: ", ",
    list_last: " e ",
    plural: rules::one_for_one_many_for_millions,
    today: "oggi",
    tomorrow: "domani",
    weekdays: [
        "lunedì",
        "martedì",
        "mercoledì",
        "giovedì",
        "venerdì",
        "sabato",
        "domenica",
    ],
    months: [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
    first_day: "1º",
    date: "{weekday} {day} {month}",
    date_at_time: "{date} alle {time}",
    date_at_one: "{date} all'{time}",
    clock: Clock {
        twelve_hour: false,
        on_the_hour: "{hour}",
        with_minutes: "{hour}:{minute}",
        pad_minutes: true,
        periods: &[],
    },
};
