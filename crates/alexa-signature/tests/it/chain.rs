//! The certificate vectors C1–C18: chains made by rcgen on each run around the committed keys,
//! checked at the fixed [`NOW`] against the run's own root as the only trust anchor.

use alexa_signature::{CertificateChain, ChainError, Signature, SignatureError, TrustAnchors};
use base64::Engine as _;
use rcgen::{ExtendedKeyUsagePurpose, IsCa, SanType};

use crate::support::{Authority, LeafKey, Pki, at, body, data, dns_name, now};

/// Parses `pem` and validates it at now against `anchors`.
fn check(vector: &str, pem: &[u8], anchors: &TrustAnchors, expected: Result<(), ChainError>) {
    let found =
        CertificateChain::from_pem(pem).and_then(|chain| chain.verify(anchors, now()).map(|_| ()));
    assert_eq!(found, expected, "{vector}");
}

#[test]
fn amazon_shaped_chains_validate_and_broken_ones_name_the_fault() {
    let pki = Pki::new();
    let anchors = pki.anchors();
    let leaf = |customize: fn(&mut rcgen::CertificateParams)| {
        format!(
            "{}{}",
            pki.intermediate.leaf(LeafKey::Rsa2048, customize),
            pki.intermediate.pem
        )
    };
    let expired_intermediate = pki.root.intermediate("Expired CA", |params| {
        params.not_after = at(-1);
    });
    let not_a_ca = pki.root.intermediate("Not a CA", |params| {
        params.is_ca = IsCa::NoCa;
    });
    let other_root = Authority::root("Other Root");
    let unrelated = other_root.intermediate("Unrelated CA", |_| {});
    let signed_by_root = pki.root.leaf(LeafKey::Rsa2048, |_| {});
    let c1 = pki.chain_pem();

    use ChainError::*;
    let cases: Vec<(&str, String, Result<(), ChainError>)> = vec![
        ("C1", c1.clone(), Ok(())),
        ("C2", leaf(|params| params.not_after = at(-1)), Err(Expired)),
        (
            "C3",
            leaf(|params| params.not_before = at(1)),
            Err(NotValidYet),
        ),
        (
            "C4",
            format!(
                "{}{}",
                expired_intermediate.leaf(LeafKey::Rsa2048, |_| {}),
                expired_intermediate.pem
            ),
            Err(Expired),
        ),
        (
            "C5",
            leaf(|params| params.subject_alt_names.clear()),
            Err(WrongSubjectName),
        ),
        (
            "C6",
            leaf(|params| params.subject_alt_names = dns_name("*.amazon.com")),
            Err(WrongSubjectName),
        ),
        (
            "C7 suffix",
            leaf(|params| params.subject_alt_names = dns_name("echo-api.amazon.com.evil.example")),
            Err(WrongSubjectName),
        ),
        (
            "C7 prefix",
            leaf(|params| params.subject_alt_names = dns_name("xecho-api.amazon.com")),
            Err(WrongSubjectName),
        ),
        (
            "C8",
            leaf(|params| {
                params.subject_alt_names =
                    vec![SanType::URI("echo-api.amazon.com".try_into().unwrap())]
            }),
            Err(WrongSubjectName),
        ),
        ("C10", signed_by_root.clone(), Ok(())),
        (
            "C11",
            format!(
                "{}{}",
                pki.intermediate.pem,
                pki.intermediate.leaf(LeafKey::Rsa2048, |_| {})
            ),
            Err(Invalid(webpki::Error::CaUsedAsEndEntity)),
        ),
        (
            "C12",
            format!("{c1}{}{}", unrelated.pem, other_root.pem),
            Ok(()),
        ),
        (
            "C13",
            format!(
                "{}{}",
                not_a_ca.leaf(LeafKey::Rsa2048, |_| {}),
                not_a_ca.pem
            ),
            Err(Invalid(webpki::Error::EndEntityUsedAsCa)),
        ),
        (
            "C14",
            leaf(|params| params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth]),
            Err(Invalid(webpki::Error::RequiredEkuNotFoundContext(
                webpki::RequiredEkuNotFoundContext {
                    required: webpki::KeyUsage::server_auth(),
                    present: vec![vec![1, 3, 6, 1, 5, 5, 7, 3, 2]],
                },
            ))),
        ),
        (
            "key usage without digitalSignature",
            leaf(|params| params.key_usages = vec![rcgen::KeyUsagePurpose::KeyEncipherment]),
            Err(KeyUsage),
        ),
        (
            "no key usage at all",
            leaf(|params| params.key_usages.clear()),
            Ok(()),
        ),
    ];
    for (vector, pem, expected) in cases {
        check(vector, pem.as_bytes(), &anchors, expected);
    }

    // C9: the same chain, but its root is not trusted.
    let other_anchors = TrustAnchors::test_anchors_only(other_root.pem.as_bytes()).unwrap();
    check("C9", c1.as_bytes(), &other_anchors, Err(UnknownIssuer));
    // Nor is it among Mozilla's roots, the production anchors.
    check(
        "C9 production",
        c1.as_bytes(),
        &TrustAnchors::mozilla_roots(),
        Err(UnknownIssuer),
    );
    // The test hook trusts Mozilla's roots and the extra one.
    let with_test_root =
        TrustAnchors::mozilla_roots_and_test_anchors(pki.root.pem.as_bytes()).unwrap();
    assert_eq!(with_test_root.test_anchor_count(), 1);
    check(
        "C1 with Mozilla's roots too",
        c1.as_bytes(),
        &with_test_root,
        Ok(()),
    );
}

#[test]
fn keys_that_cannot_make_the_signature_fail_at_the_signature_step() {
    let pki = Pki::new();
    let anchors = pki.anchors();
    let body = body();
    let verify = |key: LeafKey, signature: Vec<u8>| {
        let pem = format!(
            "{}{}",
            pki.intermediate.leaf(key, |_| {}),
            pki.intermediate.pem
        );
        let chain = CertificateChain::from_pem(pem.as_bytes()).unwrap();
        let signing_certificate = chain.verify(&anchors, now()).unwrap();
        let signature =
            Signature::from_header(&base64::engine::general_purpose::STANDARD.encode(signature))
                .unwrap();
        signing_certificate.verify_signature(&signature, &body)
    };
    assert_eq!(
        verify(LeafKey::Rsa2048, LeafKey::Rsa2048.sign(&body)),
        Ok(())
    );
    // C15: a correct SHA-256 signature by the RSA-1024 key (made by openssl, which still can).
    let short_key_signature = base64::engine::general_purpose::STANDARD
        .decode(data("launch_request.rsa-1024-signature.b64").trim())
        .unwrap();
    assert_eq!(
        verify(LeafKey::Rsa1024, short_key_signature),
        Err(SignatureError::Mismatch),
        "C15"
    );
    // C16: a P-256 key is not an RSA key, whatever the signature.
    assert_eq!(
        verify(LeafKey::P256, LeafKey::Rsa2048.sign(&body)),
        Err(SignatureError::UnsupportedKey),
        "C16"
    );
}

#[test]
fn input_that_is_not_a_chain_of_pem_certificates_is_refused_before_validation() {
    let pki = Pki::new();
    let c1 = pki.chain_pem();
    let first_der = CertificateChain::from_pem(c1.as_bytes())
        .unwrap()
        .certificates()[0]
        .to_vec();
    let private_key = data("keys/rsa-2048-leaf.pem");
    let eleven = c1.repeat(6).lines().collect::<Vec<_>>().join("\n");
    let eleven = {
        // Twelve blocks from six copies of the chain; keep the first eleven.
        let blocks: Vec<&str> = eleven
            .split_inclusive("-----END CERTIFICATE-----\n")
            .collect();
        blocks[..11].concat()
    };
    let too_large = format!("{c1}{}", " ".repeat(65 * 1024));
    use ChainError::*;
    for (vector, input, expected) in [
        ("C17 empty", Vec::new(), NoCertificate),
        ("C17 garbage", b"not a certificate".to_vec(), NotPem),
        ("C17 DER", first_der, NotPem),
        (
            "C17 private key",
            private_key.clone().into_bytes(),
            OtherPemBlock,
        ),
        (
            "C17 certificate plus private key",
            format!("{c1}{private_key}").into_bytes(),
            OtherPemBlock,
        ),
        (
            "C17 unknown PEM label",
            format!("{c1}-----BEGIN X-TEST-----\nAAAA\n-----END X-TEST-----\n").into_bytes(),
            OtherPemBlock,
        ),
        (
            "C17 eleven certificates",
            eleven.into_bytes(),
            TooManyCertificates,
        ),
        ("C17 65 KiB", too_large.into_bytes(), TooLarge),
        (
            "C17 broken base64",
            b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n".to_vec(),
            NotPem,
        ),
    ] {
        let found = CertificateChain::from_pem(&input).map(|_| ());
        assert_eq!(found, Err(expected), "{vector}");
    }
}

#[test]
fn a_real_amazon_chain_validates_against_mozilla_roots_while_it_was_valid() {
    let pem = data("echo-api-cert-7.pem");
    let chain = CertificateChain::from_pem(pem.as_bytes()).unwrap();
    assert_eq!(chain.certificates().len(), 4);
    let anchors = TrustAnchors::mozilla_roots();
    let at = |text: &str| text.parse::<jiff::Timestamp>().unwrap();
    assert!(
        chain.verify(&anchors, at("2020-01-01T00:00:00Z")).is_ok(),
        "C18"
    );
    assert_eq!(
        chain
            .verify(&anchors, at("2020-05-16T00:00:00Z"))
            .map(|_| ()),
        Err(ChainError::Expired),
        "C18 expired"
    );
    // Against a test root only, Amazon's chain is not trusted.
    let test_anchors = Pki::new().anchors();
    assert_eq!(
        chain
            .verify(&test_anchors, at("2020-01-01T00:00:00Z"))
            .map(|_| ()),
        Err(ChainError::UnknownIssuer)
    );
}

#[test]
fn what_a_validation_proved_holds_exactly_while_every_certificate_is_valid() {
    let pki = Pki::new();
    let anchors = pki.anchors();
    // The intermediate expires before the leaf: the proof ends with the first to expire.
    let short_intermediate = pki.root.intermediate("Short CA", |params| {
        params.not_after = at(100);
    });
    let pem = format!(
        "{}{}",
        short_intermediate.leaf(LeafKey::Rsa2048, |_| {}),
        short_intermediate.pem
    );
    let chain = CertificateChain::from_pem(pem.as_bytes()).unwrap();
    let verified = chain.verify_for_reuse(&anchors, now()).unwrap();
    let later = |seconds: i64| now() + jiff::SignedDuration::from_secs(seconds);
    assert!(verified.is_valid_at(now()));
    assert!(verified.is_valid_at(later(100)));
    assert!(!verified.is_valid_at(later(101)));
    // The leaf became valid a day ago (Pki's default): not before that.
    assert!(verified.is_valid_at(later(-86_400)));
    assert!(!verified.is_valid_at(later(-86_401)));
    assert_eq!(verified.valid_until(), Some(later(100)));
    // And a full validation agrees at both edges.
    assert!(chain.verify(&anchors, later(100)).is_ok());
    assert_eq!(
        chain.verify(&anchors, later(101)).map(|_| ()),
        Err(ChainError::Expired)
    );
    // The kept signing certificate checks signatures as the chain's does.
    let signature = Signature::from_header(
        &base64::engine::general_purpose::STANDARD.encode(LeafKey::Rsa2048.sign(&body())),
    )
    .unwrap();
    assert_eq!(verified.verify_signature(&signature, &body()), Ok(()));
    assert_eq!(
        verified.verify_signature(&signature, b"another body"),
        Err(SignatureError::Mismatch)
    );
    // A chain that does not validate proves nothing.
    assert!(
        CertificateChain::from_pem(pem.as_bytes())
            .unwrap()
            .verify_for_reuse(&anchors, later(101))
            .is_err()
    );
}
