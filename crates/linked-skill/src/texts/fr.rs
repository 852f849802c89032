//! French (France and Canada): the toolkit's texts and speech words. Alexa vouvoie ("vous") and
//! speaks of herself in the feminine ("désolée"); the app is "l'application Alexa"; linking an
//! account is "associer". Times are on the 24-hour clock in both countries ("15 h 30").

use super::Builtin;
use crate::speech::{Clock, SpeechWords, rules};

pub(super) static TEXTS: Builtin = Builtin {
    welcome_not_linked: "Bienvenue. Pour commencer, associez votre compte Google dans \
                         l'application Alexa. Je vous y ai envoyé une carte pour vous aider.",
    link_needed: "Pour cela, j'ai besoin d'accéder à votre compte Google. Associez votre compte \
                  dans l'application Alexa. Je vous y ai envoyé une carte pour vous aider.",
    relink: "L'association avec votre compte Google a expiré ou a été supprimée. Associez à \
             nouveau votre compte dans l'application Alexa. Je vous y ai envoyé une carte pour \
             vous aider.",
    missing_permission: "Pour cela, j'ai besoin de l'autorisation {permission}. Associez à \
                         nouveau votre compte Google dans l'application Alexa en accordant cette \
                         autorisation. Je vous y ai envoyé une carte pour vous aider.",
    unnamed_permission: "d'utiliser votre compte Google",
    google_unavailable: "Désolée, je n'ai pas pu joindre Google pour le moment. Réessayez dans \
                         un instant.",
    something_went_wrong: "Désolée, quelque chose s'est mal passé. Réessayez.",
    one_moment: "Un instant…",
    help: "Demandez-moi ce que vous voulez savoir. Que souhaitez-vous faire ?",
    goodbye: "Au revoir !",
    fallback: "Désolée, je ne peux pas vous aider pour cela.",
    anything_else: "Autre chose ?",
};

pub(super) static SPEECH: SpeechWords = SpeechWords {
    list_pair: " et ",
    list_separator: ", ",
    list_last: " et ",
    plural: rules::one_for_zero_and_one_many_for_millions,
    today: "aujourd'hui",
    tomorrow: "demain",
    weekdays: [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ],
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    first_day: "1er",
    date: "le {weekday} {day} {month}",
    date_at_time: "{date} à {time}",
    date_at_one: "{date} à {time}",
    clock: Clock {
        twelve_hour: false,
        on_the_hour: "{hour} h",
        with_minutes: "{hour} h {minute}",
        pad_minutes: true,
        periods: &[],
    },
};
