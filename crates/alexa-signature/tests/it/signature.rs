//! The signature vectors S1–S12, through the whole check of a request.

use alexa_model::SkillId;
use alexa_signature::{
    BodyError, CertificateChain, CertificateUrlError, HeaderError, RequestVerifier, SignatureError,
    SignedRequest, SkillIdError, VerificationError,
};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE};

use crate::support::{CERTIFICATE_URL, LeafKey, Pki, SKILL_ID, body, data, now};

struct Fixture {
    verifier: RequestVerifier,
    chain: CertificateChain,
}

impl Fixture {
    fn new() -> Self {
        let pki = Pki::new();
        Self {
            verifier: RequestVerifier::with_trust_anchors(
                SkillId::parse(SKILL_ID).unwrap(),
                pki.anchors(),
            ),
            chain: CertificateChain::from_pem(pki.chain_pem().as_bytes()).unwrap(),
        }
    }

    /// The whole check with these headers and this body.
    fn verify(&self, headers: &[(&str, &str)], body: &[u8]) -> Result<(), VerificationError> {
        let pairs = headers
            .iter()
            .map(|(name, value)| (*name, value.as_bytes()));
        let signed = SignedRequest::from_headers(pairs)?;
        self.verifier
            .verify(&signed, &self.chain, body, now())
            .map(|_| ())
    }
}

fn signed(body: &[u8]) -> String {
    STANDARD.encode(LeafKey::Rsa2048.sign(body))
}

#[test]
fn the_signature_covers_the_exact_body_bytes() {
    let fixture = Fixture::new();
    let body = body();
    let signature = signed(&body);
    let headers = [
        ("SignatureCertChainUrl", CERTIFICATE_URL),
        ("Signature-256", signature.as_str()),
    ];
    assert_eq!(fixture.verify(&headers, &body), Ok(()), "S1");

    let mut flipped = body.clone();
    flipped[40] ^= 0x01;
    let with_newline = [body.as_slice(), b"\n"].concat();
    let reserialized =
        serde_json::to_vec_pretty(&serde_json::from_slice::<serde_json::Value>(&body).unwrap())
            .unwrap();
    for (vector, tampered) in [
        ("S2 one byte flipped", flipped),
        ("S2 newline appended", with_newline),
        ("S2 re-serialized", reserialized),
    ] {
        assert_eq!(
            fixture.verify(&headers, &tampered),
            Err(SignatureError::Mismatch.into()),
            "{vector}"
        );
    }
}

#[test]
fn the_signature_header_is_strict_standard_base64_of_an_rsa_sha256_signature() {
    let fixture = Fixture::new();
    let body = body();
    let raw = LeafKey::Rsa2048.sign(&body);
    let standard = STANDARD.encode(&raw);
    let with_newline = format!("{}\n{}", &standard[..64], &standard[64..]);
    let surrounded = format!("  {standard}\t");
    let mut short = raw.clone();
    short.pop();
    let mut long = raw.clone();
    long.push(0);
    let sha1 = data("launch_request.sha1-signature.b64").trim().to_owned();
    let pss = STANDARD.encode(LeafKey::Rsa2048.sign_with(&body, &ring::signature::RSA_PSS_SHA256));
    let other_key = STANDARD.encode(LeafKey::OtherRsa2048.sign(&body));
    let encoding = Err(SignatureError::Encoding.into());
    let mismatch = Err(SignatureError::Mismatch.into());
    // The standard alphabet of this signature uses `+` or `/`, or the URL-safe case would be
    // the same text.
    assert!(standard.contains(['+', '/']), "pick another body");
    for (vector, value, expected) in [
        (
            "S3 URL-safe alphabet",
            URL_SAFE.encode(&raw),
            encoding.clone(),
        ),
        (
            "S3 without padding",
            STANDARD_NO_PAD.encode(&raw),
            encoding.clone(),
        ),
        ("S3 embedded newline", with_newline, encoding.clone()),
        ("surrounding whitespace is trimmed", surrounded, Ok(())),
        ("S4 255 bytes", STANDARD.encode(&short), mismatch.clone()),
        ("S4 257 bytes", STANDARD.encode(&long), mismatch.clone()),
        ("S5 SHA-1 signature", sha1, mismatch.clone()),
        ("S11 another key", other_key, mismatch.clone()),
        ("S12 RSA-PSS", pss, mismatch.clone()),
    ] {
        let headers = [
            ("SignatureCertChainUrl", CERTIFICATE_URL),
            ("Signature-256", value.as_str()),
        ];
        assert_eq!(fixture.verify(&headers, &body), expected, "{vector}");
    }
}

#[test]
fn headers_are_found_by_name_in_any_case_once_each_and_signature_means_signature_256() {
    let fixture = Fixture::new();
    let body = body();
    let signature = signed(&body);
    let signature = signature.as_str();
    let url = CERTIFICATE_URL;
    use HeaderError::*;
    type Case<'a> = (
        &'a str,
        Vec<(&'a str, &'a str)>,
        Result<(), VerificationError>,
    );
    let cases: Vec<Case> = vec![
        (
            "S6 only the legacy header",
            vec![("SignatureCertChainUrl", url), ("Signature", signature)],
            Err(Missing("Signature-256").into()),
        ),
        (
            "S7 legacy garbage beside",
            vec![
                ("SignatureCertChainUrl", url),
                ("Signature", "garbage"),
                ("Signature-256", signature),
            ],
            Ok(()),
        ),
        (
            "S8 lower case",
            vec![("signaturecertchainurl", url), ("signature-256", signature)],
            Ok(()),
        ),
        (
            "S8 upper case",
            vec![("SIGNATURECERTCHAINURL", url), ("SIGNATURE-256", signature)],
            Ok(()),
        ),
        (
            "S9 two signatures",
            vec![
                ("SignatureCertChainUrl", url),
                ("Signature-256", signature),
                ("signature-256", signature),
            ],
            Err(Duplicate("Signature-256").into()),
        ),
        (
            "S9 two certificate URLs",
            vec![
                ("SignatureCertChainUrl", url),
                ("Signature-256", signature),
                ("SignatureCertChainUrl", url),
            ],
            Err(Duplicate("SignatureCertChainUrl").into()),
        ),
        (
            "S10 no certificate URL",
            vec![("Signature-256", signature)],
            Err(Missing("SignatureCertChainUrl").into()),
        ),
        (
            "S10 empty certificate URL",
            vec![("SignatureCertChainUrl", ""), ("Signature-256", signature)],
            Err(Empty("SignatureCertChainUrl").into()),
        ),
        (
            "blank signature",
            vec![("SignatureCertChainUrl", url), ("Signature-256", " ")],
            Err(Empty("Signature-256").into()),
        ),
        (
            "certificate URL breaking a rule",
            vec![
                (
                    "SignatureCertChainUrl",
                    "http://s3.amazonaws.com/echo.api/cert",
                ),
                ("Signature-256", signature),
            ],
            Err(CertificateUrlError::Scheme.into()),
        ),
    ];
    for (vector, headers, expected) in cases {
        assert_eq!(fixture.verify(&headers, &body), expected, "{vector}");
    }
    let not_ascii = SignedRequest::from_headers([
        ("SignatureCertChainUrl", url.as_bytes()),
        ("Signature-256", "é".as_bytes()),
    ]);
    assert_eq!(not_ascii.unwrap_err(), NotText("Signature-256").into());
}

#[test]
fn only_a_verified_body_is_parsed_and_it_must_be_this_skills_envelope() {
    let fixture = Fixture::new();
    let check = |body: &[u8]| {
        let signature = signed(body);
        fixture.verify(
            &[
                ("SignatureCertChainUrl", CERTIFICATE_URL),
                ("Signature-256", &signature),
            ],
            body,
        )
    };
    let original = String::from_utf8(body()).unwrap();
    let other_skill = original.replace(
        "amzn1.ask.skill.0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        "amzn1.ask.skill.ffffffff-ffff-4fff-8fff-ffffffffffff",
    );
    let other_session_skill = original.replacen(
        "amzn1.ask.skill.0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        "amzn1.ask.skill.ffffffff-ffff-4fff-8fff-ffffffffffff",
        1,
    );
    for (case, body, expected) in [
        ("not JSON", "{".to_owned(), Err(BodyError::NotJson.into())),
        (
            "not an envelope",
            "[1]".to_owned(),
            Err(BodyError::NotAnEnvelope.into()),
        ),
        (
            "another skill",
            other_skill,
            Err(SkillIdError::Mismatch {
                location: "context.System.application",
            }
            .into()),
        ),
        (
            "another skill in the session",
            other_session_skill,
            Err(SkillIdError::Mismatch {
                location: "session.application",
            }
            .into()),
        ),
        ("this skill", original, Ok(())),
    ] {
        assert_eq!(check(body.as_bytes()), expected, "{case}");
    }
    // An unsigned body is never parsed: garbage with a bad signature is a signature failure.
    let garbage_with_bad_signature = fixture.verify(
        &[
            ("SignatureCertChainUrl", CERTIFICATE_URL),
            ("Signature-256", &signed(b"something else")),
        ],
        b"{",
    );
    assert_eq!(
        garbage_with_bad_signature,
        Err(SignatureError::Mismatch.into())
    );
}

#[test]
fn every_error_has_a_reason_code_and_no_error_repeats_a_header_value() {
    let fixture = Fixture::new();
    let secretish = "https://s3.amazonaws.com/echo.api/cert?token=SEEKRIT";
    let error = fixture
        .verify(
            &[
                ("SignatureCertChainUrl", secretish),
                ("Signature-256", "SEEKRIT"),
            ],
            b"{}",
        )
        .unwrap_err();
    assert_eq!(error.reason_code(), "certificate_url_query_or_fragment");
    assert!(!format!("{error} {error:?}").contains("SEEKRIT"));
    let error = fixture
        .verify(
            &[
                ("SignatureCertChainUrl", CERTIFICATE_URL),
                ("Signature-256", "SEEKRIT"),
            ],
            b"{}",
        )
        .unwrap_err();
    assert_eq!(error.reason_code(), "signature_encoding");
    assert!(!format!("{error} {error:?}").contains("SEEKRIT"));
}
