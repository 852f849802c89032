//! "Anything new since I last asked?" over several requests of one user: a fake Google whose
//! inbox changes between them, and the in-memory state store carrying what the user heard about.

use linked_skill::google_api::Method;
use linked_skill::testing::{FakeGoogle, GoogleState, MemoryStore};
use serde_json::{Value, json};
use tokio::time::Instant;

use super::*;
use crate::gmail::Headers;

const TOKEN: &str = "ya29.test-linked-access-token";
const USER: &str = "amzn1.ask.account.TESTUSER";
const GMAIL: &[&str] = &["https://www.googleapis.com/auth/gmail.readonly"];
const LIST: &str = "/gmail/v1/users/me/messages";

/// One inbox message: a hexadecimal ID (as Gmail's), its arrival in epoch milliseconds, sender
/// and subject.
#[derive(Clone, Copy)]
struct Mail(&'static str, i64, &'static str, &'static str);

/// Google with `inbox` (newest first) and a userinfo answer, so the state can be bound to the
/// account and written.
fn google(inbox: &[Mail]) -> FakeGoogle {
    let mut google = FakeGoogle::new(GoogleState::Linked, TOKEN).route(
        Method::GET,
        "/v1/userinfo",
        &["openid"],
        json!({"sub": "1001"}),
    );
    for Mail(id, received, from, subject) in inbox {
        google = google.route(
            Method::GET,
            &format!("{LIST}/{id}"),
            GMAIL,
            json!({"id": id, "threadId": id, "internalDate": received.to_string(),
                   "payload": {"headers": [{"name": "From", "value": from},
                                           {"name": "Subject", "value": subject}]}}),
        );
    }
    let listed: Vec<Value> = inbox
        .iter()
        .map(|Mail(id, ..)| json!({"id": id, "threadId": id}))
        .collect();
    let list = if listed.is_empty() {
        json!({"resultSizeEstimate": 0})
    } else {
        json!({"messages": listed, "resultSizeEstimate": listed.len()})
    };
    google.route(Method::GET, LIST, GMAIL, list)
}

fn request(intent: &str, locale: &str) -> Value {
    let user = json!({"userId": USER, "accessToken": TOKEN});
    json!({
        "version": "1.0",
        "session": {
            "new": true,
            "sessionId": "amzn1.echo-api.session.1",
            "application": {"applicationId": "amzn1.ask.skill.1"},
            "user": user,
        },
        "context": {"System": {
            "application": {"applicationId": "amzn1.ask.skill.1"},
            "user": user,
            "device": {"deviceId": "amzn1.ask.device.1", "supportedInterfaces": {}},
            // Nothing listens here: a call back to Alexa fails at once, offline.
            "apiEndpoint": "http://127.0.0.1:9",
            "apiAccessToken": "test-api-access-token",
        }},
        "request": {
            "type": "IntentRequest",
            "requestId": "amzn1.echo-api.request.1",
            "timestamp": "2026-12-08T05:00:00Z",
            "locale": locale,
            "intent": {"name": intent, "confirmationStatus": "NONE"},
        },
    })
}

/// What the skill says to `intent` with `inbox`, and the Gmail requests it made.
async fn ask_in(
    intent: &str,
    locale: &str,
    inbox: &[Mail],
    store: &MemoryStore,
) -> (String, Vec<String>) {
    let google = google(inbox);
    let response = crate::skill()
        .google(google.client())
        .state_store(store.clone())
        .build()
        .handle_json(request(intent, locale), Instant::now())
        .await
        .expect("an answer");
    let said = response["response"]["outputSpeech"]["text"]
        .as_str()
        .unwrap_or_else(|| panic!("no speech in {response}"))
        .to_owned();
    let gmail_calls = google
        .requests()
        .into_iter()
        .map(|request| request.path_and_query)
        .filter(|path| path.starts_with("/gmail/"))
        .collect();
    (said, gmail_calls)
}

async fn ask(inbox: &[Mail], store: &MemoryStore) -> (String, Vec<String>) {
    ask_in("NewEmailIntent", "en-US", inbox, store).await
}

fn heard(store: &MemoryStore) -> Option<Heard> {
    let item = store.item(USER)?;
    serde_json::from_str::<MailState>(&item.attributes)
        .unwrap()
        .heard
}

const M1: Mail = Mail(
    "18c0000000000001",
    1_000,
    "Charles Babbage <charles@example.com>",
    "Engines",
);
const M2: Mail = Mail(
    "18c0000000000002",
    2_000,
    "\"Somerville, Mary\" <mary@example.com>",
    "Tides",
);
const M3: Mail = Mail(
    "18c0000000000003",
    3_000,
    "Ada Lovelace <ada@example.com>",
    "Notes",
);
const M4: Mail = Mail("18c0000000000004", 4_000, "grace@example.com", "Compilers");

#[tokio::test]
async fn the_first_time_tells_the_newest_and_remembers_it() {
    let store = MemoryStore::new();
    let (said, _) = ask(&[M2, M1], &store).await;
    assert_eq!(
        said,
        "From now on, I'll tell you what's new since you last asked. Your latest email is from \
         Somerville, Mary: Tides."
    );
    assert_eq!(
        heard(&store),
        Some(Heard {
            newest_id: Some(M2.0.to_owned()),
            newest_received_millis: Some(2_000),
        })
    );
}

#[tokio::test]
async fn nothing_new_takes_one_list_call_and_writes_nothing() {
    let store = MemoryStore::new();
    ask(&[M2, M1], &store).await;
    let writes = store.writes();
    let (said, calls) = ask(&[M2, M1], &store).await;
    assert_eq!(said, "Nothing new since you last asked.");
    assert_eq!(calls, [format!("{LIST}?labelIds=INBOX&maxResults=10")]);
    assert_eq!(store.writes(), writes, "the state did not change");
}

#[tokio::test]
async fn new_emails_are_counted_up_to_the_remembered_one_and_the_newest_is_told() {
    let store = MemoryStore::new();
    ask(&[M2, M1], &store).await;
    let (said, calls) = ask(&[M4, M3, M2, M1], &store).await;
    assert_eq!(
        said,
        "You have 2 new emails since you last asked. Your latest email is from grace@example.com: \
         Compilers."
    );
    assert_eq!(calls.len(), 2, "the list and the newest message: {calls:?}");
    assert_eq!(heard(&store).unwrap().newest_id.as_deref(), Some(M4.0));
    let (said, _) = ask(&[M4, M3, M2, M1], &store).await;
    assert_eq!(said, "Nothing new since you last asked.");
}

#[tokio::test]
async fn one_new_email_is_said_in_the_singular() {
    let store = MemoryStore::new();
    ask(&[M2, M1], &store).await;
    let (said, _) = ask(&[M3, M2, M1], &store).await;
    assert_eq!(
        said,
        "You have one new email since you last asked. Your latest email is from Ada Lovelace: \
         Notes."
    );
}

#[tokio::test]
async fn once_the_remembered_email_left_the_inbox_arrival_times_decide() {
    let store = MemoryStore::new();
    ask(&[M2, M1], &store).await;
    // M2 archived, nothing newer: nothing new, although the newest message changed.
    let (said, _) = ask(&[M1], &store).await;
    assert_eq!(said, "Nothing new since you last asked.");
    // M2 archived, M4 and M3 arrived: both are newer than M2 was, M1 is not.
    let (said, calls) = ask(&[M4, M3, M1], &store).await;
    assert_eq!(
        said,
        "You have 2 new emails since you last asked. Your latest email is from grace@example.com: \
         Compilers."
    );
    assert_eq!(
        calls.len(),
        4,
        "the list, then M4, M3 and M1 until one is older: {calls:?}"
    );
}

#[tokio::test]
async fn more_new_emails_than_the_page_holds_are_at_least_that_many() {
    const IDS: [&str; 11] = [
        "18d0000000000000",
        "18d0000000000001",
        "18d0000000000002",
        "18d0000000000003",
        "18d0000000000004",
        "18d0000000000005",
        "18d0000000000006",
        "18d0000000000007",
        "18d0000000000008",
        "18d0000000000009",
        "18d000000000000a",
    ];
    let store = MemoryStore::new();
    ask(&[M1], &store).await;
    let newer: Vec<Mail> = IDS
        .iter()
        .rev()
        .enumerate()
        .map(|(index, id)| Mail(id, 10_000 - index as i64, "ada@example.com", "Loop"))
        .take(NEW_EMAILS_LOOKED_AT as usize)
        .collect();
    let (said, _) = ask(&newer, &store).await;
    assert_eq!(
        said,
        "You have at least 10 new emails since you last asked. Your latest email is from \
         ada@example.com: Loop."
    );
}

#[tokio::test]
async fn an_empty_inbox_the_first_time_makes_every_later_email_new() {
    let store = MemoryStore::new();
    let (said, _) = ask(&[], &store).await;
    assert_eq!(
        said,
        "From now on, I'll tell you what's new since you last asked. Your inbox is empty."
    );
    assert_eq!(heard(&store), Some(Heard::default()));
    let (said, calls) = ask(&[M2, M1], &store).await;
    assert_eq!(
        said,
        "You have 2 new emails since you last asked. Your latest email is from Somerville, Mary: \
         Tides."
    );
    assert_eq!(
        calls.len(),
        2,
        "no arrival time to compare: the list counts: {calls:?}"
    );
}

#[tokio::test]
async fn hearing_the_latest_email_counts_as_having_asked() {
    let store = MemoryStore::new();
    let (said, _) = ask_in("LatestEmailIntent", "en-US", &[M3, M2], &store).await;
    assert_eq!(said, "Your latest email is from Ada Lovelace: Notes.");
    let (said, _) = ask(&[M4, M3, M2], &store).await;
    assert_eq!(
        said,
        "You have one new email since you last asked. Your latest email is from \
         grace@example.com: Compilers."
    );
}

#[tokio::test]
async fn german_and_french_users_hear_it_in_their_language() {
    let store = MemoryStore::new();
    let (said, _) = ask_in("NewEmailIntent", "de-DE", &[M2], &store).await;
    assert_eq!(
        said,
        "Ab jetzt sage ich dir, was neu ist, seit du zuletzt gefragt hast. Deine neueste E-Mail \
         ist von Somerville, Mary: Tides."
    );
    let (said, _) = ask_in("NewEmailIntent", "fr-FR", &[M2], &store).await;
    assert_eq!(said, "Rien de nouveau depuis votre dernière demande.");
}

#[test]
fn every_answer_is_worded_in_every_language() {
    let newest = InboxMessage {
        id: M3.0.to_owned(),
        received_millis: Some(3_000),
        headers: Headers {
            from: Some("Ada Lovelace <ada@example.com>".to_owned()),
            subject: Some("Notes".to_owned()),
        },
    };
    let new = |count, at_least| News::New {
        count,
        at_least,
        newest: newest.clone(),
    };
    let cases = [
        (
            News::Nothing,
            "Nothing new since you last asked.",
            "Seit du zuletzt gefragt hast, ist nichts Neues angekommen.",
            "Rien de nouveau depuis votre dernière demande.",
        ),
        (
            new(1, false),
            "You have one new email since you last asked. Your latest email is from Ada \
             Lovelace: Notes.",
            "Seit du zuletzt gefragt hast, ist eine neue E-Mail angekommen. Deine neueste E-Mail \
             ist von Ada Lovelace: Notes.",
            "Vous avez reçu un nouvel e-mail depuis votre dernière demande. Votre dernier e-mail \
             vient de Ada Lovelace : Notes.",
        ),
        (
            new(3, false),
            "You have 3 new emails since you last asked. Your latest email is from Ada Lovelace: \
             Notes.",
            "Seit du zuletzt gefragt hast, sind 3 neue E-Mails angekommen. Deine neueste E-Mail \
             ist von Ada Lovelace: Notes.",
            "Vous avez reçu 3 nouveaux e-mails depuis votre dernière demande. Votre dernier \
             e-mail vient de Ada Lovelace : Notes.",
        ),
        (
            new(10, true),
            "You have at least 10 new emails since you last asked. Your latest email is from Ada \
             Lovelace: Notes.",
            "Seit du zuletzt gefragt hast, sind mindestens 10 neue E-Mails angekommen. Deine \
             neueste E-Mail ist von Ada Lovelace: Notes.",
            "Vous avez reçu au moins 10 nouveaux e-mails depuis votre dernière demande. Votre \
             dernier e-mail vient de Ada Lovelace : Notes.",
        ),
        (
            News::FirstTime { newest: None },
            "From now on, I'll tell you what's new since you last asked. Your inbox is empty.",
            "Ab jetzt sage ich dir, was neu ist, seit du zuletzt gefragt hast. Dein Posteingang \
             ist leer.",
            "Désormais, je vous dirai ce qui est arrivé depuis votre dernière demande. Votre \
             boîte de réception est vide.",
        ),
    ];
    let skill = crate::skill().build();
    let texts = |locale: &str| skill.texts().for_locale(locale.parse().unwrap());
    for (news, english, german, french) in cases {
        assert_eq!(said(texts("en-US"), &news), english);
        assert_eq!(said(texts("de-DE"), &news), german);
        assert_eq!(said(texts("fr-FR"), &news), french);
    }
}
