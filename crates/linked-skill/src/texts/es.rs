//! Spanish (Spain, Mexico, US): the toolkit's texts and speech words. Alexa tutea ("tú"); the
//! app is "la app Alexa"; linking is "vincular". Spain says the recent past with the present
//! perfect ("te he enviado"), Mexico and the US with the simple past ("te envié"): those texts
//! differ in `AMERICAS_TEXTS`. Times are said on the 12-hour clock with the part of the day in
//! every country ("a las 3 de la tarde"): Spain writes 15:00 but says it that way.

use super::{Builtin, Text};
use crate::speech::{Clock, SpeechWords, rules};

pub(super) static TEXTS: Builtin = Builtin {
    welcome_not_linked: "¡Hola! Para empezar, vincula tu cuenta de Google en la app Alexa. Te he \
                         enviado una tarjeta para ayudarte.",
    link_needed: "Para eso necesito acceder a tu cuenta de Google. Vincula tu cuenta en la app \
                  Alexa. Te he enviado una tarjeta para ayudarte.",
    relink: "La vinculación con tu cuenta de Google ha caducado o se ha eliminado. Vuelve a \
             vincular tu cuenta en la app Alexa. Te he enviado una tarjeta para ayudarte.",
    missing_permission: "Para eso necesito permiso para {permission}. Vuelve a vincular tu \
                         cuenta de Google en la app Alexa y concede ese permiso. Te he enviado \
                         una tarjeta para ayudarte.",
    unnamed_permission: "usar tu cuenta de Google",
    google_unavailable: "Lo siento, no he podido conectar con Google ahora mismo. Inténtalo de \
                         nuevo en un momento.",
    something_went_wrong: "Lo siento, algo salió mal. Inténtalo de nuevo.",
    one_moment: "Un momento…",
    help: "Pregúntame lo que quieras saber. ¿Qué te gustaría hacer?",
    goodbye: "¡Adiós!",
    fallback: "Lo siento, no puedo ayudarte con eso.",
    anything_else: "¿Algo más?",
};

/// Mexico and the US: the simple past where Spain uses the present perfect.
pub(super) const AMERICAS_TEXTS: &[(Text, &str)] = &[
    (
        Text::WelcomeNotLinked,
        "¡Hola! Para empezar, vincula tu cuenta de Google en la app Alexa. Te envié una tarjeta \
         para ayudarte.",
    ),
    (
        Text::LinkNeeded,
        "Para eso necesito acceder a tu cuenta de Google. Vincula tu cuenta en la app Alexa. Te \
         envié una tarjeta para ayudarte.",
    ),
    (
        Text::Relink,
        "La vinculación con tu cuenta de Google expiró o se eliminó. Vuelve a vincular tu cuenta \
         en la app Alexa. Te envié una tarjeta para ayudarte.",
    ),
    (
        Text::MissingPermission,
        "Para eso necesito permiso para {permission}. Vuelve a vincular tu cuenta de Google en \
         la app Alexa y otorga ese permiso. Te envié una tarjeta para ayudarte.",
    ),
    (
        Text::GoogleUnavailable,
        "Lo siento, no pude conectarme con Google en este momento. Inténtalo de nuevo en un \
         momento.",
    ),
];

pub(super) static SPEECH: SpeechWords = SpeechWords {
    list_pair: " y ",
    list_separator: ", ",
    list_last: " y ",
    plural: rules::one_for_one_many_for_millions,
    today: "hoy",
    tomorrow: "mañana",
    weekdays: [
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
    ],
    months: [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    first_day: "1",
    date: "el {weekday} {day} de {month}",
    date_at_time: "{date} a las {time}",
    date_at_one: "{date} a la {time}",
    clock: Clock {
        twelve_hour: true,
        on_the_hour: "{hour} {period}",
        with_minutes: "{hour}:{minute} {period}",
        pad_minutes: true,
        periods: &[
            (0, "de la madrugada"),
            (6, "de la mañana"),
            (12, "de la tarde"),
            (20, "de la noche"),
        ],
    },
};
