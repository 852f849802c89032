//! The sample's texts in Italian: "tu", as Alexa speaks Italian.

use linked_skill::TextTable;

pub(crate) static TEXTS: TextTable = linked_skill::text_table!("it", {
    "welcome_not_linked" => "Ti do il benvenuto in Compagno Cloud. Per iniziare, collega il tuo \
        account Google nell'app Alexa. Ti ho inviato una scheda per aiutarti.",
    "help" => "Puoi chiedermi chi sei, i tuoi file recenti, il prossimo impegno in calendario, \
        oppure di aggiungere una nota. Cosa vuoi fare?",
    "fallback" => "Mi dispiace, non posso aiutarti con questo. Puoi chiedere chi sei, i tuoi \
        file, il prossimo impegno, oppure aggiungere una nota.",
    "launch.hello" => "Ciao!",
    "launch.hello_name" => "Ciao {name}!",
    "launch.welcome" => "{hello} Puoi chiedere chi sei, i tuoi file, il prossimo impegno, oppure \
        aggiungere una nota. Cosa vuoi fare?",
    "who_am_i.name_and_email" => "Sei {name}, con l'account {email}.",
    "who_am_i.name" => "Sei {name}.",
    "who_am_i.email" => "Hai effettuato l'accesso con l'account {email}.",
    "who_am_i.nothing" => "Il tuo account Google non mi ha detto né il tuo nome né il tuo \
        indirizzo email.",
    "list_files.none" => "Il tuo Google Drive non ha ancora file.",
    "list_files.recent.one" => "Il tuo file più recente: {names}.",
    "list_files.recent.other" => "I tuoi {count} file più recenti: {names}.",
    "next_event.nothing" => "Non hai impegni in programma nel calendario.",
    "next_event.untitled" => "Un impegno senza titolo",
    "next_event.at" => "{title}, {when}.",
    "next_event.all_day" => "{title}, {day}, tutto il giorno.",
    "add_note.ask" => "Cosa devo scrivere nella nota?",
    "add_note.added" => "Ho aggiunto la tua nota: {note}.",
    "create_event.day" => "{weekday} {day} {month}",
    "create_event.relative_day" => "{relative}, {date}",
    "create_event.at" => "alle {time}",
    "create_event.at_one" => "all'{time}",
    "create_event.confirm" => "Vuoi che aggiunga {title}, {day}, {at}?",
    "create_event.confirm_again" => "Rispondi sì o no, per favore. {question}",
    "create_event.added" => "Fatto, ho aggiunto {title} al tuo calendario.",
    "create_event.already_added" => "{title} è già nel tuo calendario.",
    "create_event.not_added" => "Va bene, non lo aggiungo.",
    "create_event.which_day" => "Che giorno esattamente? Per esempio, domani o venerdì prossimo.",
    "create_event.which_time" => "A che ora esattamente? Per esempio, alle 15.",
    "create_event.past_day" => "Quel giorno è già passato. Che giorno è l'impegno?",
    "create_event.past_time" => "Quell'ora oggi è già passata. A che ora inizia l'impegno?",
});
