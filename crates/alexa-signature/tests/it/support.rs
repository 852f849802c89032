//! Certificates made with rcgen around the committed test keys, and request signing.

use std::path::PathBuf;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType, SubjectPublicKeyInfo,
};
use ring::signature::RsaEncoding;

/// The fixed "now" of every test: certificates are valid around it.
pub const NOW: &str = "2026-01-15T10:00:00Z";

pub const SKILL_ID: &str = "amzn1.ask.skill.0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

pub const CERTIFICATE_URL: &str = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem";

pub fn now() -> jiff::Timestamp {
    NOW.parse().unwrap()
}

pub fn data_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

pub fn data(name: &str) -> String {
    std::fs::read_to_string(data_path(name)).unwrap()
}

/// The body the signature tests sign.
pub fn body() -> Vec<u8> {
    std::fs::read(data_path("launch_request.json")).unwrap()
}

/// `now` shifted by whole seconds, as rcgen wants it.
pub fn at(seconds_from_now: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(now().as_second() + seconds_from_now).unwrap()
}

const DAY: i64 = 86_400;

/// Which key the signing certificate carries.
#[derive(Clone, Copy, Debug)]
pub enum LeafKey {
    Rsa2048,
    OtherRsa2048,
    Rsa1024,
    P256,
}

impl LeafKey {
    fn private_key_file(self) -> &'static str {
        match self {
            Self::Rsa2048 => "keys/rsa-2048-leaf.pem",
            Self::OtherRsa2048 => "keys/rsa-2048-other-leaf.pem",
            Self::Rsa1024 => "keys/rsa-1024.pem",
            Self::P256 => "keys/p256.pem",
        }
    }

    /// Signs `body` with this key: RSA PKCS#1 v1.5 SHA-256 (what Alexa sends), or `encoding`.
    pub fn sign_with(self, body: &[u8], encoding: &'static dyn RsaEncoding) -> Vec<u8> {
        use rustls_pki_types::pem::PemObject as _;
        let pem = data(self.private_key_file());
        let der = rustls_pki_types::PrivatePkcs8KeyDer::from_pem_slice(pem.as_bytes()).unwrap();
        let key = ring::signature::RsaKeyPair::from_pkcs8(der.secret_pkcs8_der()).unwrap();
        let mut signature = vec![0; key.public().modulus_len()];
        key.sign(
            encoding,
            &ring::rand::SystemRandom::new(),
            body,
            &mut signature,
        )
        .unwrap();
        signature
    }

    pub fn sign(self, body: &[u8]) -> Vec<u8> {
        self.sign_with(body, &ring::signature::RSA_PKCS1_SHA256)
    }
}

/// A certificate authority made on this test run (P-256 key, generated).
pub struct Authority {
    pub pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl Authority {
    pub fn root(name: &str) -> Self {
        Self::make(name, None, |_| {})
    }

    pub fn intermediate(&self, name: &str, customize: impl FnOnce(&mut CertificateParams)) -> Self {
        Self::make(name, Some(self), customize)
    }

    fn make(
        name: &str,
        parent: Option<&Authority>,
        customize: impl FnOnce(&mut CertificateParams),
    ) -> Self {
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        params.not_before = at(-365 * DAY);
        params.not_after = at(365 * DAY);
        customize(&mut params);
        let certificate = match parent {
            Some(parent) => params.signed_by(&key, &parent.issuer).unwrap(),
            None => params.self_signed(&key).unwrap(),
        };
        Self {
            pem: certificate.pem(),
            issuer: Issuer::new(params, key),
        }
    }

    /// A signing certificate as Amazon's looks: dNSName `echo-api.amazon.com`, key usage
    /// digitalSignature + keyEncipherment, extended key usage serverAuth + clientAuth, valid from
    /// a day before now to 30 days after; `customize` changes that.
    pub fn leaf(&self, key: LeafKey, customize: impl FnOnce(&mut CertificateParams)) -> String {
        let mut params = CertificateParams::new(vec!["echo-api.amazon.com".to_owned()]).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "echo-api.amazon.com");
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        params.extended_key_usages = vec![
            ExtendedKeyUsagePurpose::ServerAuth,
            ExtendedKeyUsagePurpose::ClientAuth,
        ];
        params.not_before = at(-DAY);
        params.not_after = at(30 * DAY);
        customize(&mut params);
        let certificate = match key {
            LeafKey::Rsa1024 => {
                let public_key =
                    SubjectPublicKeyInfo::from_pem(&data("keys/rsa-1024.public.pem")).unwrap();
                params.signed_by(&public_key, &self.issuer)
            }
            _ => {
                let key_pair = KeyPair::from_pem(&data(key.private_key_file())).unwrap();
                params.signed_by(&key_pair, &self.issuer)
            }
        };
        certificate.unwrap().pem()
    }
}

/// A SAN list of one DNS name.
pub fn dns_name(name: &str) -> Vec<SanType> {
    vec![SanType::DnsName(name.try_into().unwrap())]
}

/// The chain C1 of the vectors: root → intermediate → leaf, and the PEM the server would fetch
/// (leaf first, then the intermediate).
pub struct Pki {
    pub root: Authority,
    pub intermediate: Authority,
}

impl Pki {
    pub fn new() -> Self {
        let root = Authority::root("Test Root CA");
        let intermediate = root.intermediate("Test Server CA", |_| {});
        Self { root, intermediate }
    }

    pub fn anchors(&self) -> alexa_signature::TrustAnchors {
        alexa_signature::TrustAnchors::test_anchors_only(self.root.pem.as_bytes()).unwrap()
    }

    /// The usual chain: the RSA-2048 leaf, then the intermediate.
    pub fn chain_pem(&self) -> String {
        format!(
            "{}{}",
            self.intermediate.leaf(LeafKey::Rsa2048, |_| {}),
            self.intermediate.pem
        )
    }
}
