//! The example's texts in German: "du", as Alexa speaks German.

use linked_skill::TextTable;

pub(crate) static TEXTS: TextTable = linked_skill::text_table!("de", {
    "welcome_not_linked" => "Willkommen bei Mail Begleiter. Verknüpfe zuerst dein Google-Konto in \
        der Alexa-App. Dort findest du eine Karte, die dir hilft.",
    "help" => "Du kannst mich nach deiner neuesten E-Mail fragen, oder wie viele ungelesene \
        E-Mails du hast. Was möchtest du?",
    "fallback" => "Entschuldigung, dabei kann ich nicht helfen. Du kannst nach deiner neuesten \
        E-Mail fragen, oder wie viele ungelesene E-Mails du hast.",
    "latest_email.empty" => "Dein Posteingang ist leer.",
    "latest_email.from_and_subject" => "Deine neueste E-Mail ist von {sender}: {subject}.",
    "latest_email.from" => "Deine neueste E-Mail ist von {sender}, ohne Betreff.",
    "latest_email.subject" => "Deine neueste E-Mail hat keinen Absender: {subject}.",
    "latest_email.nothing" => "Deine neueste E-Mail hat weder Absender noch Betreff.",
    "unread.zero" => "Du hast keine ungelesenen E-Mails im Posteingang.",
    "unread.one" => "Du hast eine ungelesene E-Mail im Posteingang.",
    "unread.other" => "Du hast {count} ungelesene E-Mails im Posteingang.",
    "new_email.first_time" => "Ab jetzt sage ich dir, was neu ist, seit du zuletzt gefragt hast.",
    "new_email.none" => "Seit du zuletzt gefragt hast, ist nichts Neues angekommen.",
    "new_email.count.one" => "Seit du zuletzt gefragt hast, ist eine neue E-Mail angekommen.",
    "new_email.count.other" => "Seit du zuletzt gefragt hast, sind {count} neue E-Mails angekommen.",
    "new_email.at_least" => "Seit du zuletzt gefragt hast, sind mindestens {count} neue E-Mails \
        angekommen.",
});
