//! The sample's texts in German: "du", as Alexa speaks German.

use linked_skill::TextTable;

pub(crate) static TEXTS: TextTable = linked_skill::text_table!("de", {
    "welcome_not_linked" => "Willkommen bei Wolken Begleiter. Verknüpfe zuerst dein Google-Konto \
        in der Alexa-App. Dort findest du eine Karte, die dir hilft.",
    "help" => "Du kannst mich fragen, wer du bist, deine letzten Dateien auflisten lassen, was als \
        Nächstes in deinem Kalender steht, oder eine Notiz hinzufügen. Was möchtest du?",
    "fallback" => "Entschuldigung, dabei kann ich nicht helfen. Du kannst fragen, wer du bist, \
        deine Dateien auflisten, deinen nächsten Termin hören oder eine Notiz hinzufügen.",
    "launch.hello" => "Hallo!",
    "launch.hello_name" => "Hallo {name}!",
    "launch.welcome" => "{hello} Du kannst fragen, wer du bist, deine Dateien auflisten, deinen \
        nächsten Termin hören oder eine Notiz hinzufügen. Was möchtest du?",
    "who_am_i.name_and_email" => "Du bist {name}, angemeldet als {email}.",
    "who_am_i.name" => "Du bist {name}.",
    "who_am_i.email" => "Du bist als {email} angemeldet.",
    "who_am_i.nothing" => "Dein Google-Konto hat mir weder Namen noch E-Mail-Adresse verraten.",
    "list_files.none" => "Dein Google Drive hat noch keine Dateien.",
    "list_files.recent.one" => "Deine letzte Datei: {names}.",
    "list_files.recent.other" => "Deine {count} letzten Dateien: {names}.",
    "next_event.nothing" => "In deinem Kalender steht nichts an.",
    "next_event.untitled" => "Ein Termin ohne Titel",
    "next_event.at" => "{title}, {when}.",
    "next_event.all_day" => "{title}, ganztägig {day}.",
    "add_note.ask" => "Was soll in der Notiz stehen?",
    "add_note.added" => "Ich habe deine Notiz hinzugefügt: {note}.",
    "create_event.day" => "{weekday}, den {day}. {month}",
    "create_event.relative_day" => "{relative}, {date}",
    "create_event.at" => "um {time}",
    "create_event.at_one" => "um {time}",
    "create_event.confirm" => "Soll ich {title} für {day}, {at} in deinen Kalender eintragen?",
    "create_event.confirm_again" => "Bitte sag ja oder nein. {question}",
    "create_event.added" => "Okay, ich habe {title} in deinen Kalender eingetragen.",
    "create_event.already_added" => "{title} steht schon in deinem Kalender.",
    "create_event.not_added" => "Okay, ich trage nichts ein.",
    "create_event.which_day" => "An welchem Tag genau? Zum Beispiel morgen oder nächsten Freitag.",
    "create_event.which_time" => "Um wie viel Uhr genau? Zum Beispiel um 15 Uhr.",
    "create_event.past_day" => "Dieser Tag ist schon vorbei. An welchem Tag ist der Termin?",
    "create_event.past_time" => "Diese Uhrzeit ist heute schon vorbei. Um wie viel Uhr beginnt \
        der Termin?",
});
