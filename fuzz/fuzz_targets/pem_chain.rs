//! PEM parsing and chain validation of whatever a certificate server returns: never panic, and
//! nothing random validates against the real roots.
#![no_main]

use std::sync::OnceLock;

use alexa_signature::{CertificateChain, TrustAnchors};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    static ANCHORS: OnceLock<TrustAnchors> = OnceLock::new();
    let anchors = ANCHORS.get_or_init(TrustAnchors::mozilla_roots);
    if let Ok(chain) = CertificateChain::from_pem(input) {
        let now = jiff::Timestamp::from_second(1_768_471_200).unwrap();
        if let Ok(signing_certificate) = chain.verify(anchors, now) {
            let _ = signing_certificate.verify_signature(
                &alexa_signature::Signature::from_header("AAAA").unwrap(),
                input,
            );
        }
    }
});
