//! The example's texts in French (France and Canada): "vous", as Alexa speaks French.

use linked_skill::TextTable;

pub(crate) static TEXTS: TextTable = linked_skill::text_table!("fr", {
    "welcome_not_linked" => "Bienvenue dans Compagnon Mail. Pour écouter vos e-mails, associez \
        votre compte Google dans l'application Alexa. Je vous y ai envoyé une carte pour vous \
        aider.",
    "help" => "Vous pouvez me demander votre dernier e-mail, ou combien d'e-mails non lus vous \
        avez. Que souhaitez-vous faire ?",
    "fallback" => "Désolée, je ne peux pas vous aider pour cela. Vous pouvez demander votre \
        dernier e-mail, ou combien d'e-mails non lus vous avez.",
    "latest_email.empty" => "Votre boîte de réception est vide.",
    "latest_email.from_and_subject" => "Votre dernier e-mail vient de {sender} : {subject}.",
    "latest_email.from" => "Votre dernier e-mail vient de {sender}, sans objet.",
    "latest_email.subject" => "Votre dernier e-mail n'a pas d'expéditeur : {subject}.",
    "latest_email.nothing" => "Votre dernier e-mail n'a ni expéditeur ni objet.",
    "unread.zero" => "Vous n'avez aucun e-mail non lu dans votre boîte de réception.",
    "unread.one" => "Vous avez un e-mail non lu dans votre boîte de réception.",
    "unread.other" => "Vous avez {count} e-mails non lus dans votre boîte de réception.",
    "new_email.first_time" => "Désormais, je vous dirai ce qui est arrivé depuis votre dernière \
        demande.",
    "new_email.none" => "Rien de nouveau depuis votre dernière demande.",
    "new_email.count.one" => "Vous avez reçu un nouvel e-mail depuis votre dernière demande.",
    "new_email.count.other" => "Vous avez reçu {count} nouveaux e-mails depuis votre dernière \
        demande.",
    "new_email.at_least" => "Vous avez reçu au moins {count} nouveaux e-mails depuis votre \
        dernière demande.",
});
