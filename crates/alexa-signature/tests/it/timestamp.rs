//! The timestamp vectors T1–T8 (fixed now = 2026-01-15T10:00:00Z).

use alexa_model::SkillId;
use alexa_signature::{
    CertificateChain, HOUR_WINDOW_EVENT_TYPES, RequestVerifier, SignatureError, SignedRequest,
    TimestampError, VerificationError, check_timestamp,
};
use base64::Engine as _;

use crate::support::{CERTIFICATE_URL, LeafKey, Pki, SKILL_ID, body, now};

fn out_of_tolerance(
    skew_milliseconds: i64,
    tolerance_milliseconds: i64,
) -> Result<(), TimestampError> {
    Err(TimestampError::OutOfTolerance {
        skew_milliseconds,
        tolerance_milliseconds,
    })
}

#[test]
fn ordinary_requests_get_150_seconds_in_both_directions_boundary_included() {
    for (vector, timestamp, expected) in [
        ("T1", "2026-01-15T10:00:00Z", Ok(())),
        ("T2 -150.000 s", "2026-01-15T09:57:30.000Z", Ok(())),
        (
            "T2 -150.001 s",
            "2026-01-15T09:57:29.999Z",
            out_of_tolerance(150_001, 150_000),
        ),
        ("T3 +150.000 s", "2026-01-15T10:02:30.000Z", Ok(())),
        (
            "T3 +150.001 s",
            "2026-01-15T10:02:30.001Z",
            out_of_tolerance(-150_001, 150_000),
        ),
        ("T7 other offset", "2026-01-15T11:00:00.250+01:00", Ok(())),
    ] {
        assert_eq!(
            check_timestamp("LaunchRequest", Some(timestamp), now()),
            expected,
            "{vector}"
        );
    }
}

#[test]
fn the_five_skill_events_get_an_hour_and_other_skill_events_do_not() {
    for event in HOUR_WINDOW_EVENT_TYPES {
        for (vector, timestamp, expected) in [
            ("T4 -3600 s", "2026-01-15T09:00:00Z", Ok(())),
            (
                "T4 -3600.001 s",
                "2026-01-15T08:59:59.999Z",
                out_of_tolerance(3_600_001, 3_600_000),
            ),
            ("T4 +3600 s", "2026-01-15T11:00:00Z", Ok(())),
            (
                "T4 +3600.001 s",
                "2026-01-15T11:00:00.001Z",
                out_of_tolerance(-3_600_001, 3_600_000),
            ),
        ] {
            assert_eq!(
                check_timestamp(event, Some(timestamp), now()),
                expected,
                "{vector} {event}"
            );
        }
    }
    // T5, decided: like all three of Amazon's SDKs, other skill events get 150 s.
    for event in [
        "AlexaSkillEvent.ProactiveSubscriptionChanged",
        "AlexaSkillEvent.SomethingNew",
        "alexaskillevent.skillenabled",
    ] {
        assert_eq!(
            check_timestamp(event, Some("2026-01-15T09:43:20Z"), now()),
            out_of_tolerance(1_000_000, 150_000),
            "T5 {event}"
        );
    }
}

#[test]
fn a_missing_or_unreadable_timestamp_is_rejected() {
    for (vector, timestamp, expected) in [
        ("T6 missing", None, Err(TimestampError::Missing)),
        (
            "T6 garbage",
            Some("garbage"),
            Err(TimestampError::Unparseable),
        ),
        (
            "T6 no offset",
            Some("2026-01-15T10:00:00"),
            Err(TimestampError::Unparseable),
        ),
        ("T6 empty", Some(""), Err(TimestampError::Unparseable)),
    ] {
        assert_eq!(
            check_timestamp("LaunchRequest", timestamp, now()),
            expected,
            "{vector}"
        );
    }
}

#[test]
fn the_timestamp_is_checked_after_the_signature_and_on_the_signed_body() {
    let pki = Pki::new();
    let verifier =
        RequestVerifier::with_trust_anchors(SkillId::parse(SKILL_ID).unwrap(), pki.anchors());
    let chain = CertificateChain::from_pem(pki.chain_pem().as_bytes()).unwrap();
    let stale = String::from_utf8(body())
        .unwrap()
        .replace("2026-01-15T10:00:00Z", "2026-01-15T09:00:00Z");
    let verify = |signature: Vec<u8>| {
        let signature = base64::engine::general_purpose::STANDARD.encode(signature);
        let signed = SignedRequest::from_headers([
            ("SignatureCertChainUrl", CERTIFICATE_URL.as_bytes()),
            ("Signature-256", signature.as_bytes()),
        ])
        .unwrap();
        verifier
            .verify(&signed, &chain, stale.as_bytes(), now())
            .map(|_| ())
    };
    assert_eq!(
        verify(LeafKey::Rsa2048.sign(stale.as_bytes())),
        Err(VerificationError::Timestamp(
            TimestampError::OutOfTolerance {
                skew_milliseconds: 3_600_000,
                tolerance_milliseconds: 150_000,
            }
        )),
        "a stale request correctly signed"
    );
    assert_eq!(
        verify(LeafKey::Rsa2048.sign(b"another body")),
        Err(SignatureError::Mismatch.into()),
        "T8: bad signature and stale timestamp is a signature failure"
    );
}
