//! The sample's texts in Spanish (Spain, Mexico, US): "tú", as Alexa speaks Spanish. Words that
//! differ by country stay out of the sample's own texts; the toolkit's differ where needed.

use linked_skill::TextTable;

pub(crate) static TEXTS: TextTable = linked_skill::text_table!("es", {
    "welcome_not_linked" => "Te damos la bienvenida a Compañero Nube. Para empezar, vincula tu \
        cuenta de Google en la app Alexa. Allí encontrarás una tarjeta que te ayudará.",
    "help" => "Puedes preguntarme quién eres, pedirme tus archivos recientes, tu próximo evento \
        del calendario o que añada una nota. ¿Qué te gustaría hacer?",
    "fallback" => "Lo siento, no puedo ayudarte con eso. Puedes preguntar quién eres, pedir tus \
        archivos, escuchar tu próximo evento o añadir una nota.",
    "launch.hello" => "¡Hola!",
    "launch.hello_name" => "¡Hola, {name}!",
    "launch.welcome" => "{hello} Puedes preguntar quién eres, pedir tus archivos, escuchar tu \
        próximo evento o añadir una nota. ¿Qué te gustaría hacer?",
    "who_am_i.name_and_email" => "Eres {name} y tu cuenta es {email}.",
    "who_am_i.name" => "Eres {name}.",
    "who_am_i.email" => "Tu cuenta es {email}.",
    "who_am_i.nothing" => "Tu cuenta de Google no me ha dado ni tu nombre ni tu correo \
        electrónico.",
    "list_files.none" => "Tu Google Drive todavía no tiene archivos.",
    "list_files.recent.one" => "Tu archivo más reciente: {names}.",
    "list_files.recent.other" => "Tus {count} archivos más recientes: {names}.",
    "next_event.nothing" => "No tienes nada próximamente en tu calendario.",
    "next_event.untitled" => "Un evento sin título",
    "next_event.at" => "{title}, {when}.",
    "next_event.all_day" => "{title}, {day}, todo el día.",
    "add_note.ask" => "¿Qué quieres que diga la nota?",
    "add_note.added" => "He añadido tu nota: {note}.",
    "create_event.day" => "{weekday} {day} de {month}",
    "create_event.relative_day" => "{relative}, {date}",
    "create_event.at" => "a las {time}",
    "create_event.at_one" => "a la {time}",
    "create_event.confirm" => "¿Quieres que añada {title}, {day}, {at}?",
    "create_event.confirm_again" => "Por favor, responde sí o no. {question}",
    "create_event.added" => "Listo, he añadido {title} a tu calendario.",
    "create_event.already_added" => "{title} ya está en tu calendario.",
    "create_event.not_added" => "De acuerdo, no lo añadiré.",
    "create_event.which_day" => "¿Qué día exactamente? Por ejemplo, mañana o el próximo viernes.",
    "create_event.which_time" => "¿A qué hora exactamente? Por ejemplo, a las 3 de la tarde.",
    "create_event.past_day" => "Ese día ya ha pasado. ¿Qué día es el evento?",
    "create_event.past_time" => "Esa hora ya ha pasado hoy. ¿A qué hora empieza el evento?",
});
