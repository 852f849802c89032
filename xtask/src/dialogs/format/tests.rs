//! The dialog format's parser: what it accepts, and the message for each kind of mistake.

use super::*;

/// A complete dialog using every key once.
const EVERYTHING: &str = r#"
description: every key once
locale: en-GB
user: grace@example.com
start: unlinked
scopes: [openid, email]
google:
  publishing_status: testing
  faults:
    - api: drive
      fault: rate_limited
      times: 2
    - api: gmail
      fault: slow
      delay: 10s
  files:
    - name: Budget
      kind: spreadsheet
      modified: 3h
  events:
    - summary: Dentist
      starts_in: -30m
      lasts: 45m
    - summary: Holiday
      all_day: 1
  messages:
    - from: Charles Babbage <charles@example.com>
      subject: Notes
      body: On the engine.
      received: 2d
      unread: false
      labels: [INBOX, STARRED]
    - {from: Mary Somerville <mary@example.com>, subject: Tickets}
steps:
  - link
  - title: She opens the skill
    say: open cloud companion
    expect:
      speech: {matches: '^Hi Grace!'}
      reprompt: {contains: "What would you like"}
      card: none
      session: open
      directives: []
      link: linked
  - say: add a note buy milk
    expect:
      intent: AddNoteIntent
      slots: {note: buy milk}
      google:
        created: [Alexa Notes]
        appended:
          Alexa Notes:
            - [{matches: '^\d{4}-'}, buy milk]
  - time: +1h30m
  - revoke
  - unlink:
  - relink: true
  - fault: {api: token, fault: unavailable}
  - clear_faults
  - request: session_end
  - request: account_linked
    expect:
      speech: ""
"#;

#[test]
fn a_dialog_using_every_key_parses_into_typed_steps() {
    let dialog = parse(EVERYTHING).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(dialog.locale, "en-GB");
    assert_eq!(dialog.user, "grace@example.com");
    assert_eq!(dialog.start, Start::Unlinked);
    assert_eq!(dialog.google.faults[0].path_prefix, "/drive/");
    assert_eq!(dialog.google.faults[0].times, Some(2));
    assert_eq!(dialog.google.faults[1].path_prefix, "/gmail/");
    assert_eq!(dialog.google.faults[1].delay, Some(Duration::from_secs(10)));
    let messages = dialog.google.messages.as_deref().unwrap();
    assert_eq!(
        messages[0].received.map(|received| received.0),
        Some(Duration::from_secs(2 * 86_400))
    );
    assert!(!messages[0].unread);
    assert_eq!(
        messages[0].labels.as_deref(),
        Some(&["INBOX".to_owned(), "STARRED".to_owned()][..])
    );
    // Left out: unread, one hour old, labels for the inbox (the runner's default).
    assert!(messages[1].unread);
    assert_eq!(
        (messages[1].received.is_none(), messages[1].labels.is_none()),
        (true, true)
    );
    let actions: Vec<String> = dialog
        .steps
        .iter()
        .map(|step| step.action.to_string())
        .collect();
    assert_eq!(
        actions,
        [
            "link",
            "say \"open cloud companion\"",
            "say \"add a note buy milk\"",
            "time +1h30m",
            "revoke",
            "unlink",
            "link",
            "fault Unavailable on /token",
            "clear_faults",
            "request session_end",
            "request account_linked",
        ]
    );
    let opened = &dialog.steps[1];
    assert_eq!(opened.title.as_deref(), Some("She opens the skill"));
    assert!(
        opened
            .expect
            .speech
            .as_ref()
            .unwrap()
            .accepts("Hi Grace! You can…")
    );
    assert!(!opened.expect.speech.as_ref().unwrap().accepts("Hi Ada!"));
    let changes = dialog.steps[2].expect.google.as_ref().unwrap();
    assert_eq!(changes.created, ["Alexa Notes"]);
    assert!(changes.appended["Alexa Notes"][0][0].accepts("2026-01-01T00:00:00Z"));
}

/// (what is wrong, the file, words the message must contain).
const MISTAKES: &[(&str, &str, &[&str])] = &[
    (
        "a misspelled key",
        "start: linked\nsteps:\n  - say: hi\n    expect:\n      speach: hello\n",
        &["speach", "line 5"],
    ),
    (
        "an unknown start state",
        "start: linkd\nsteps: [unlink]\n",
        &["linkd", "linked", "unlinked"],
    ),
    (
        "a step doing two things",
        "start: linked\nsteps:\n  - say: hi\n    time: 1h\n",
        &["2 things", "`say`, `time`", "split"],
    ),
    (
        "a step doing nothing",
        "start: linked\nsteps:\n  - title: nothing\n",
        &["does nothing"],
    ),
    (
        "an unknown bare step",
        "start: linked\nsteps:\n  - revok\n",
        &["unknown step `revok`", "revoke"],
    ),
    (
        "a bad duration",
        "start: linked\nsteps:\n  - time: 1 hour\n",
        &["`1 hour` is not a duration", "1h30m", "line 3"],
    ),
    (
        "a bad regular expression",
        "start: linked\nsteps:\n  - say: hi\n    expect:\n      speech: {matches: '(unclosed'}\n",
        &["no regular expression", "line 5"],
    ),
    (
        "an unknown text test",
        "start: linked\nsteps:\n  - say: hi\n    expect:\n      speech: {starts: Hi}\n",
        &["unknown text test `starts`", "matches", "contains"],
    ),
    (
        "speech expected after a world event",
        "start: linked\nsteps:\n  - time: 1h\n    expect:\n      speech: hi\n",
        &["sends the skill nothing", "`link` and `google`"],
    ),
    (
        "a link failure expected after a step that does not link",
        "start: linked\nsteps:\n  - unlink:\n    expect:\n      link_failure: {contains: 4.5 s}\n",
        &[
            "`link_failure`",
            "after `link` or `relink`, not after `unlink`",
        ],
    ),
    (
        "a slow fault without a delay",
        "start: linked\ngoogle:\n  faults:\n    - {api: drive, fault: slow}\nsteps: [unlink]\n",
        &["`fault: slow` needs `delay:`"],
    ),
    (
        "a fault without an API",
        "start: linked\ngoogle:\n  faults:\n    - {fault: unavailable}\nsteps: [unlink]\n",
        &["needs `api: userinfo|drive|calendar|sheets|gmail|token`"],
    ),
    (
        "an unknown fault",
        "start: linked\ngoogle:\n  faults:\n    - {api: drive, fault: on_fire}\nsteps: [unlink]\n",
        &["on_fire", "rate_limited"],
    ),
    (
        "a message without a subject",
        "start: linked\ngoogle:\n  messages:\n    - {from: a@example.com}\nsteps: [unlink]\n",
        &["subject"],
    ),
    (
        "no steps",
        "start: linked\nsteps: []\n",
        &["at least one step"],
    ),
    ("no start state", "steps: [unlink]\n", &["start"]),
    (
        "an event at two times",
        "start: linked\ngoogle:\n  events:\n    - {summary: x, starts_in: 1h, all_day: 1}\nsteps: [unlink]\n",
        &["either `starts_in` or `all_day`"],
    ),
    (
        "a declared route that can never match",
        "start: linked\ngoogle:\n  apis:\n    - host: tasks.googleapis.com\n      routes:\n        - {method: GET, path: '/tasks/v1/x{id}', scopes: [openid], answer: get}\nsteps: [unlink]\n",
        &[
            "google.apis",
            "can never match",
            "a parameter is a whole segment",
        ],
    ),
];

#[test]
fn each_mistake_gets_a_message_that_names_the_fix() {
    let mut failures = Vec::new();
    for (what, text, words) in MISTAKES {
        match parse(text) {
            Ok(_) => failures.push(format!("{what}: accepted")),
            Err(message) => {
                let lowercase = message.to_lowercase();
                for word in *words {
                    if !lowercase.contains(&word.to_lowercase()) {
                        failures.push(format!("{what}: {word:?} missing from:\n{message}"));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn durations_read_as_people_write_them() {
    assert_eq!(parse_seconds("90s"), Ok(90));
    for (text, seconds) in [("45s", 45), ("30m", 1800), ("1h30m", 5400), ("8d", 691_200)] {
        assert_eq!(parse_seconds(text), Ok(seconds), "{text}");
        assert_eq!(
            describe_duration(Duration::from_secs(seconds)),
            text,
            "{text}"
        );
    }
    for bad in ["", "h", "1", "1x", "1.5h"] {
        assert!(parse_seconds(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_dialog_declares_an_api_and_seeds_its_resources() {
    let dialog = parse(
        "start: linked\ngoogle:\n  apis:\n    - host: notes.googleapis.com\n      routes:\n        \
         - {method: GET, path: '/notes/v1/notes', scopes: [openid], answer: {list: {}}}\n  \
         resources:\n    - {user: ada@example.com, path: /notes/v1/notes, items: [{title: x}]}\n\
         steps: [unlink]\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(dialog.google.apis[0].host, "notes.googleapis.com");
    assert_eq!(dialog.google.resources[0].items.len(), 1);
}

#[test]
fn a_load_error_names_the_file() {
    let error = load(Path::new("no/such/dialog.yaml")).unwrap_err();
    assert!(
        format!("{error:#}").contains("no/such/dialog.yaml"),
        "{error:#}"
    );
}

#[test]
fn the_conversation_keys_parse_and_their_mistakes_name_the_fix() {
    let dialog = parse(
        "start: linked\ngoogle:\n  faults:\n    - {path: /calendar/v3/calendars/primary/events, \
         method: post, fault: answer_lost, times: 1}\nsteps:\n  - say: add dentist tomorrow at \
         three pm to my calendar\n    expect:\n      slots: {summary: dentist, date: {matches: \
         '^\\d{4}-'}}\n      session_attributes:\n        request: {}\n        answer: \
         {createEventAsked: {matches: '^[0-9a-f]+$'}}\n  - email: {from: Charles \
         <charles@example.com>, subject: Hello}\n  - relink_as: grace@example.com\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let fault = &dialog.google.faults[0];
    assert_eq!(
        (fault.method.as_deref(), fault.fault),
        (Some("POST"), FaultKind::AnswerLost)
    );
    let expect = &dialog.steps[0].expect;
    let slots = expect.slots.as_ref().unwrap();
    assert!(slots["date"].accepts("2026-12-09") && !slots["date"].accepts("PRESENT_REF"));
    let attributes = expect.session_attributes.as_ref().unwrap();
    assert!(attributes.request.as_ref().unwrap().is_empty());
    assert!(attributes.answer.as_ref().unwrap()["createEventAsked"].accepts("ab12"));
    let actions: Vec<String> = dialog.steps[1..]
        .iter()
        .map(|step| step.action.to_string())
        .collect();
    assert_eq!(actions, ["email \"Hello\"", "relink_as grace@example.com"]);

    for (text, words) in [
        (
            "steps:\n  - say: hi\n    expect:\n      session_attributes: {sent: {}}\n",
            &["unknown field `sent`", "request", "answer"][..],
        ),
        (
            "google:\n  faults:\n    - {api: calendar, method: FETCH, fault: answer_lost}\n\
             steps: [unlink]\n",
            &["`method: FETCH`", "POST"][..],
        ),
        (
            "steps:\n  - email: {from: a@example.com, subject: Hi}\n    relink_as: \
             grace@example.com\n",
            &["split it", "`email`", "`relink_as`"][..],
        ),
    ] {
        let message = parse(text).map(|_| ()).unwrap_err();
        for word in words {
            assert!(message.contains(word), "{word:?} missing from:\n{message}");
        }
    }
}
