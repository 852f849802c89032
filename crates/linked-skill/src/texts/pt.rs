//! Portuguese (Brazil): the toolkit's texts and speech words. Alexa says "você"; the app is "o
//! app Alexa"; linking is "vincular"; cards are "cartões". Times as Brazil writes them ("às
//! 15h30").

use super::Builtin;
use crate::speech::{Clock, SpeechWords, rules};

pub(super) static TEXTS: Builtin = Builtin {
    welcome_not_linked: "Olá! Para começar, vincule sua conta do Google no app Alexa. Enviei um \
                         cartão para o app para ajudar você.",
    link_needed: "Para isso, preciso acessar sua conta do Google. Vincule sua conta no app \
                  Alexa. Enviei um cartão para o app para ajudar você.",
    relink: "A vinculação com sua conta do Google expirou ou foi removida. Vincule sua conta de \
             novo no app Alexa. Enviei um cartão para o app para ajudar você.",
    missing_permission: "Para isso, preciso de permissão para {permission}. Vincule sua conta do \
                         Google de novo no app Alexa e conceda essa permissão. Enviei um cartão \
                         para o app para ajudar você.",
    unnamed_permission: "usar sua conta do Google",
    google_unavailable: "Desculpe, não consegui acessar o Google agora. Tente de novo daqui a \
                         pouco.",
    something_went_wrong: "Desculpe, algo deu errado. Tente de novo.",
    one_moment: "Só um momento…",
    help: "Pergunte o que você quer saber. O que você gostaria de fazer?",
    goodbye: "Tchau!",
    fallback: "Desculpe, não posso ajudar com isso.",
    anything_else: "Posso ajudar com mais alguma coisa?",
};

pub(super) static SPEECH: SpeechWords = SpeechWords {
    list_pair: " e ",
    list_separator: ", ",
    list_last: " e ",
    plural: rules::one_for_zero_and_one_many_for_millions,
    today: "hoje",
    tomorrow: "amanhã",
    weekdays: [
        "segunda-feira",
        "terça-feira",
        "quarta-feira",
        "quinta-feira",
        "sexta-feira",
        "sábado",
        "domingo",
    ],
    months: [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
    first_day: "1º",
    date: "{weekday}, {day} de {month}",
    date_at_time: "{date} às {time}",
    date_at_one: "{date} à {time}",
    clock: Clock {
        twelve_hour: false,
        on_the_hour: "{hour}h",
        with_minutes: "{hour}h{minute}",
        pad_minutes: true,
        periods: &[],
    },
};
