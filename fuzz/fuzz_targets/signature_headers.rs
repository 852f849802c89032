//! Header reading and signature decoding: the input is split into `name: value` lines. Never
//! panic; a decoded signature re-encodes to the trimmed header value.
#![no_main]

use alexa_signature::{Signature, SignedRequest};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let pairs: Vec<(&str, &[u8])> = input
        .split(|byte| *byte == b'\n')
        .filter_map(|line| {
            let colon = line.iter().position(|byte| *byte == b':')?;
            let name = std::str::from_utf8(&line[..colon]).ok()?;
            Some((name, &line[colon + 1..]))
        })
        .collect();
    let _ = SignedRequest::from_headers(pairs.iter().copied());
    if let Ok(text) = std::str::from_utf8(input) {
        if let Ok(signature) = Signature::from_header(text) {
            use base64::Engine as _;
            let encoded = base64::engine::general_purpose::STANDARD.encode(signature.as_bytes());
            assert_eq!(encoded, text.trim_ascii());
        }
    }
});
