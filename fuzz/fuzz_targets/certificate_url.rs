//! The certificate-URL rules: never panic; whatever passes is an https URL on s3.amazonaws.com
//! under /echo.api/, and normalizing is idempotent (the cache key is stable).
#![no_main]

use alexa_signature::CertificateChainUrl;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    if let Ok(url) = CertificateChainUrl::parse(input) {
        assert!(
            url.as_str()
                .starts_with("https://s3.amazonaws.com/echo.api/"),
            "{url}"
        );
        let again = CertificateChainUrl::parse(url.as_str()).expect("a normalized URL passes");
        assert_eq!(again.as_str(), url.as_str());
    }
});
