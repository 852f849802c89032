//! The sample's texts in French (France and Canada): "vous", as Alexa speaks French.

use linked_skill::TextTable;

pub(crate) static TEXTS: TextTable = linked_skill::text_table!("fr", {
    "welcome_not_linked" => "Bienvenue dans Compagnon Cloud. Pour commencer, associez votre \
        compte Google dans l'application Alexa. Je vous y ai envoyé une carte pour vous aider.",
    "help" => "Vous pouvez me demander qui vous êtes, la liste de vos fichiers récents, votre \
        prochain rendez-vous, ou d'ajouter une note. Que souhaitez-vous faire ?",
    "fallback" => "Désolée, je ne peux pas vous aider pour cela. Vous pouvez demander qui vous \
        êtes, la liste de vos fichiers, votre prochain rendez-vous, ou ajouter une note.",
    "launch.hello" => "Bonjour !",
    "launch.hello_name" => "Bonjour {name} !",
    "launch.welcome" => "{hello} Vous pouvez demander qui vous êtes, la liste de vos fichiers, \
        votre prochain rendez-vous, ou ajouter une note. Que souhaitez-vous faire ?",
    "who_am_i.name_and_email" => "Vous êtes {name}, avec le compte {email}.",
    "who_am_i.name" => "Vous êtes {name}.",
    "who_am_i.email" => "Vous utilisez le compte {email}.",
    "who_am_i.nothing" => "Votre compte Google ne m'a donné ni votre nom ni votre adresse e-mail.",
    "list_files.none" => "Votre Google Drive ne contient encore aucun fichier.",
    "list_files.recent.one" => "Votre fichier le plus récent : {names}.",
    "list_files.recent.other" => "Vos {count} fichiers les plus récents : {names}.",
    "next_event.nothing" => "Votre agenda n'a rien de prévu.",
    "next_event.untitled" => "Un événement sans titre",
    "next_event.at" => "{title}, {when}.",
    "next_event.all_day" => "{title}, {day}, toute la journée.",
    "add_note.ask" => "Que dois-je noter ?",
    "add_note.added" => "J'ai ajouté votre note : {note}.",
    "create_event.day" => "{weekday} {day} {month}",
    "create_event.relative_day" => "{relative}, {date}",
    "create_event.at" => "à {time}",
    "create_event.at_one" => "à {time}",
    "create_event.confirm" => "Voulez-vous que j'ajoute {title}, {day}, {at} ?",
    "create_event.confirm_again" => "Répondez par oui ou par non. {question}",
    "create_event.added" => "C'est fait, j'ai ajouté {title} à votre agenda.",
    "create_event.already_added" => "{title} est déjà dans votre agenda.",
    "create_event.not_added" => "D'accord, je ne l'ajoute pas.",
    "create_event.which_day" => "Quel jour exactement ? Par exemple, demain ou vendredi prochain.",
    "create_event.which_time" => "À quelle heure exactement ? Par exemple, 15 h.",
    "create_event.past_day" => "Ce jour est déjà passé. Quel jour a lieu l'événement ?",
    "create_event.past_time" => "Cette heure est déjà passée aujourd'hui. À quelle heure commence \
        l'événement ?",
});
