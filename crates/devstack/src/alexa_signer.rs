//! Amazon's side of an HTTPS-endpoint skill: signs request bodies the way Alexa does and serves
//! the signing-certificate chain on loopback, so a skill's `serve` mode can be driven end to end
//! offline (docs/request-signatures.md).
//!
//! The chain is root → intermediate → leaf, all RSA-2048 like Amazon's, made by rcgen on every
//! start around three committed throwaway keys (ring cannot generate RSA keys). The leaf names
//! `echo-api.amazon.com`. The endpoint under test trusts the root through
//! `--extra-trust-anchor` and fetches the chain through `--cert-fetch-base`; the
//! `SignatureCertChainUrl` header itself keeps Amazon's real form.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use base64::Engine as _;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use ring::signature::RsaKeyPair;
use rustls_pki_types::PrivatePkcs8KeyDer;
use rustls_pki_types::pem::PemObject as _;
use url::Url;

/// The path the chain is served at, under Amazon's `/echo.api/` prefix.
pub const CHAIN_PATH: &str = "/echo.api/devstack-signing-chain.pem";

/// What the signer could not do.
#[derive(Debug, thiserror::Error)]
pub enum SignerError {
    #[error("could not make the test certificates: {0}")]
    Certificate(#[from] rcgen::Error),
    #[error("could not load a test key: {0}")]
    Key(String),
    #[error("could not start the certificate server on 127.0.0.1: {0}")]
    Listen(#[source] std::io::Error),
}

/// The two headers Alexa adds to a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureHeaders {
    /// `SignatureCertChainUrl`.
    pub certificate_chain_url: String,
    /// `Signature-256`: base64 RSA PKCS#1 v1.5 SHA-256 over the body bytes.
    pub signature_256: String,
}

impl SignatureHeaders {
    /// `(name, value)` pairs as Alexa names them.
    pub fn pairs(&self) -> [(&'static str, &str); 2] {
        [
            ("SignatureCertChainUrl", &self.certificate_chain_url),
            ("Signature-256", &self.signature_256),
        ]
    }
}

/// How long the leaf certificate is valid, relative to now (seconds; negative is the past).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeafValidity {
    pub not_before_seconds: i64,
    pub not_after_seconds: i64,
}

impl Default for LeafValidity {
    fn default() -> Self {
        Self {
            not_before_seconds: -86_400,
            not_after_seconds: 30 * 86_400,
        }
    }
}

/// A test CA, its signing leaf, and a loopback HTTP server that hands out the chain.
pub struct AlexaSigner {
    root_pem: String,
    chain_pem: String,
    intermediate: Issuer<'static, KeyPair>,
    leaf_key: RsaKeyPair,
    documents: Arc<Documents>,
    address: SocketAddr,
}

impl std::fmt::Debug for AlexaSigner {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("AlexaSigner")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Documents {
    by_path: Mutex<HashMap<String, Vec<u8>>>,
    fetches: AtomicUsize,
}

impl AlexaSigner {
    /// Makes the chain (leaf valid from a day ago to 30 days ahead) and starts serving it.
    pub async fn start() -> Result<Self, SignerError> {
        Self::start_with(LeafValidity::default()).await
    }

    pub async fn start_with(validity: LeafValidity) -> Result<Self, SignerError> {
        let root_key = key_pair(ROOT_KEY)?;
        let intermediate_key = key_pair(INTERMEDIATE_KEY)?;
        let root_params = authority_params("devstack Alexa Test Root CA");
        let root_pem = root_params.self_signed(&root_key)?.pem();
        let root = Issuer::new(root_params, root_key);
        let intermediate_params = authority_params("devstack Alexa Test Server CA");
        let intermediate_pem = intermediate_params
            .signed_by(&intermediate_key, &root)?
            .pem();
        let intermediate = Issuer::new(intermediate_params, intermediate_key);
        let leaf_pem = leaf_certificate(&intermediate, validity)?;
        let chain_pem = format!("{leaf_pem}{intermediate_pem}");

        let documents = Arc::new(Documents::default());
        documents
            .by_path
            .lock()
            .expect("not poisoned")
            .insert(CHAIN_PATH.to_owned(), chain_pem.clone().into_bytes());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(SignerError::Listen)?;
        let address = listener.local_addr().map_err(SignerError::Listen)?;
        let router = axum::Router::new()
            .fallback(serve_document)
            .with_state(documents.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(Self {
            root_pem,
            chain_pem,
            intermediate,
            leaf_key: rsa_key(LEAF_KEY)?,
            documents,
            address,
        })
    }

    /// The root certificate (PEM), for `--extra-trust-anchor`.
    pub fn root_pem(&self) -> &str {
        &self.root_pem
    }

    /// Writes [`Self::root_pem`] to `path`.
    pub fn write_trust_anchor(&self, path: &Path) -> std::io::Result<()> {
        std::fs::write(path, &self.root_pem)
    }

    /// The chain served at [`CHAIN_PATH`]: leaf, then intermediate.
    pub fn chain_pem(&self) -> &str {
        &self.chain_pem
    }

    /// `http://127.0.0.1:PORT`, for `--cert-fetch-base`.
    pub fn cert_fetch_base(&self) -> Url {
        Url::parse(&format!("http://{}", self.address)).expect("a valid URL")
    }

    /// The `SignatureCertChainUrl` value: Amazon's host with [`CHAIN_PATH`].
    pub fn certificate_chain_url(&self) -> String {
        format!("https://s3.amazonaws.com{CHAIN_PATH}")
    }

    /// Signs `body` as Alexa does.
    pub fn sign(&self, body: &[u8]) -> SignatureHeaders {
        let mut signature = vec![0; self.leaf_key.public().modulus_len()];
        self.leaf_key
            .sign(
                &ring::signature::RSA_PKCS1_SHA256,
                &ring::rand::SystemRandom::new(),
                body,
                &mut signature,
            )
            .expect("RSA signing with a valid key succeeds");
        SignatureHeaders {
            certificate_chain_url: self.certificate_chain_url(),
            signature_256: base64::engine::general_purpose::STANDARD.encode(signature),
        }
    }

    /// Serves `contents` at `path` too (e.g. a broken chain for a negative test).
    pub fn serve_document(&self, path: &str, contents: impl Into<Vec<u8>>) {
        self.documents
            .by_path
            .lock()
            .expect("not poisoned")
            .insert(path.to_owned(), contents.into());
    }

    /// A leaf certificate from this CA with other validity, e.g. to serve an expired chain.
    pub fn chain_with_leaf_validity(&self, validity: LeafValidity) -> Result<String, SignerError> {
        let intermediate_pem = self
            .chain_pem
            .split_inclusive("-----END CERTIFICATE-----\n")
            .nth(1)
            .unwrap_or_default()
            .to_owned();
        Ok(format!(
            "{}{intermediate_pem}",
            leaf_certificate(&self.intermediate, validity)?
        ))
    }

    /// How many documents the certificate server has handed out (404s included).
    pub fn fetch_count(&self) -> usize {
        self.documents.fetches.load(Ordering::SeqCst)
    }
}

async fn serve_document(
    State(documents): State<Arc<Documents>>,
    uri: Uri,
) -> (StatusCode, Vec<u8>) {
    documents.fetches.fetch_add(1, Ordering::SeqCst);
    match documents
        .by_path
        .lock()
        .expect("not poisoned")
        .get(uri.path())
    {
        Some(contents) => (StatusCode::OK, contents.clone()),
        None => (StatusCode::NOT_FOUND, b"no such document".to_vec()),
    }
}

fn authority_params(name: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.not_before = offset_from_now(-365 * 86_400);
    params.not_after = offset_from_now(365 * 86_400);
    params
}

fn leaf_certificate(
    issuer: &Issuer<'static, KeyPair>,
    validity: LeafValidity,
) -> Result<String, SignerError> {
    let mut params = CertificateParams::new(vec!["echo-api.amazon.com".to_owned()])?;
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
    params.not_before = offset_from_now(validity.not_before_seconds);
    params.not_after = offset_from_now(validity.not_after_seconds);
    Ok(params.signed_by(&key_pair(LEAF_KEY)?, issuer)?.pem())
}

fn offset_from_now(seconds: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc() + time::Duration::seconds(seconds)
}

fn key_pair(pem: &str) -> Result<KeyPair, SignerError> {
    KeyPair::from_pem(pem).map_err(|error| SignerError::Key(error.to_string()))
}

fn rsa_key(pem: &str) -> Result<RsaKeyPair, SignerError> {
    let der = PrivatePkcs8KeyDer::from_pem_slice(pem.as_bytes())
        .map_err(|error| SignerError::Key(error.to_string()))?;
    RsaKeyPair::from_pkcs8(der.secret_pkcs8_der())
        .map_err(|error| SignerError::Key(error.to_string()))
}

// Throwaway RSA-2048 test keys, made once with
// `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`. They sign nothing but test
// requests to a server started with `--extra-trust-anchor`; no real endpoint trusts them.

const ROOT_KEY: &str = "\
-----BEGIN PRIVATE KEY-----
MIIEuwIBADANBgkqhkiG9w0BAQEFAASCBKUwggShAgEAAoIBAQCjQyCRWYk83HCr
+c7dv01kMMlXp26/e7hfF2O7gDKH/GqiAlQbjgNx3UN23CUOVPEaFGFolP7XwZYW
qPpKhE7kERzbhhsTVqi255jvmssOhNeUkggFDo7t/IGnxV2emzb+7TG68eFkFwIp
LhHeVpNSZEoKYnlVrNIuvW4UtiWgmhmWLKaZmiE55JXA6jgTwjClGJDpwXYKvmKl
BJIbdeVmabQTcjE0vVGtTX7Tj4yHKejP+dDdUDyzhPe52jxezSgqYKdiIaiGgd09
D0ZqvG+5heDn0lktrslzIyIiTZrDM4PwSa3kurrrSUne2WEisymvSt9uZCPtV1rw
rTltPepXAgMBAAECgf8xh9au7NBgpoAzAewWBPPLHFdOldKuRS//qW5DHvbgSrQP
HVBnC66qh3ZFmS76KiBQyTNu3G/Jr/GDmRWrhc2+uMezJ1G6NuWjQqAjZn2JlMPS
pHsfuEr56KFtRMjNAEoEYpxecFjxBLSjHwGiHUyUsoMZThwsN0I3lpYkXR5imovo
efFFqCfCRQeLJbZi+mZKqi5p4GIJTkB7hjCXuVKHnsiNvwoA+oq0efEy5Y7wEFTb
D2tJlWPmR1yhHOP+EG5y9feEhmZsXBImQzqmKHHZ+G2pLPC9GEcNF8UwiG8NHMdl
5OTNdvXPpQwicdbmRDe23mIEf6pZBnu62jbOLjECgYEA4FzG/4QKBju2XikPPkcf
qzSyKUhoV26BapCmtv5hZLXxeeMWjxTnK1vuALcvGCWISYYLG8qzwC2vNRwUvC/J
66OgBlPaaO817X9GW4rM1R5GWgSJn5KDsnbhLoLYjTlrUS5Jine7uXIGV8HeZcU1
v0UZ60iImLi8sPMzLUxyAI8CgYEAuki0J10zgObOOmgHLeBVN6PT0NkxI0rcblcH
CfkbX/2RkGnxTT+kAgEbb8yzqJEF0P8HEmp/4jWfD9Q9vnaT99AsB9s3CeywfOVW
gJc+Zu+UTd8YmO10pm+AEXS068AEFrTLiYHJ82FLGmT43sNSLgyEIqsxMIS7FV9B
GVeHzbkCgYAm+dcUImL/bDYlK2rbfc2Rl2jv5QVDUw4mbhSYK57NuRHHA90yZAY4
sRKqiygiQLrpUuDxJgiN9SG/zy4G9yJTziwJjV2e5xduN7MISheFWmoMT0d9Mh2w
zhgWVWK7PeNXyfu6k0xITfeuHR6+fUD2BlIXXpVkOouFDeqxDturHwKBgQCMvKrm
5oIny7hY5gkufsLDI5G+wqheGovJDRTzUvF8pw0XhwLYMtGM9hstbwD4xIAZcuN7
5VwyogJHKjlvsRR/cBYj5VmCtQBti7K7ughaKnzoDDoAJ74ulCS0i3C4f7xXD0aK
37ScnI/qJAjl+7kVsz0NGDs0hcL2FZ4QMFIYeQKBgDGLIDcpuJeFq/k22gEl8Eqn
0YrWWRDKPwLCm6bZIHSOUD1xlC4k4mgusaXqr86MSYAU34qmczVp8SDA+O2PcDFU
Jiz6ssUdswckXNeAqWe83U7yO6icMuvD1EvxDLL9ki7TwyOh/7I54nYL48hKogCh
7NLAtI4icDL/dAQbl+F3
-----END PRIVATE KEY-----
";

const INTERMEDIATE_KEY: &str = "\
-----BEGIN PRIVATE KEY-----
MIIEvwIBADANBgkqhkiG9w0BAQEFAASCBKkwggSlAgEAAoIBAQDI3n3zat+qFFZN
Oi/g3qx/xIZMaxKiPn8jQ0wM3Xd9zGe2n9vy6rohQSvU+gjzBkeWXjUUjnmCbxtJ
PsiXmxZtYQ7HFrzNZp6tLyaDuNqGCtzzKgXkWs1jvoHmtW13DWA0ZC7SxqTigFdq
G2Nr3CqBlVyA4c6P6U/leAx+9K22TZj4/urz4FYmsbCNjDIBR6rj5ZTU0rt55cEB
iTa1i6L9Xr5wkf3oKmQ57i4jAfmSUql3NA9vHWjnGQQix1SbwSI4A30DG2w5psMf
rS44Vh/YXVk/GIdy7rmfpkX1k8c1DfR02pDwLgD4eC0xRpw310VHbbSGbgP+AHAu
YN1pGa0BAgMBAAECggEAB1nnKgYNBSX+sFxZcLiAsrtZpXw2Rh3h6SoD43ILQ7bi
ZWaNaUlp9VOztWg1W1ZTpXixc7aXUuzBU6MN1C71LIMX3c7ixLFry+kOfVWB5jpv
2O4k7luPw59iLlqQ7nS2aUYKVaUdI/uJvdfrQbQ6XpwwzFGw2m2+nAzSh9npOpaL
TafZAPkEJ5kwy/Jne/zbr0cmP5brHFu5CaSwEWZMauXwP2nd+o/xQo2jJlLrA8Yp
dxgbZmMMtNfS7rbib75XpEpOAATMxJV29KOC4ORr5cnLL95TtU79WUtXgZx8nNzd
Sn3XPQsqYkV3SYlxSCGfjJjnePiaQ8HBVcTum7WzfQKBgQDtfg0baeTD1vwYU36u
inKl+IOExqeh5z+X/0KCGG+0ELOKKbXqDj4i7p0toR8CcjvvyLCdR5Wd4ZIcQv8r
LSjngkvtV476f8Af5KgFatmK60VCq1rtIGOHhkoejHRAoQhyWuVA/ub7apwbYuwD
uoGUNNjLP2E3VIUc6Fpzp+bidQKBgQDYhc9l7ARoBAziL2lBOZUq5x7kJT+GEnNg
NfiKte3Al0Y42wSNcPppQag52u8n31GaEOJKs0Nt+x9SS86ioJYmSa9asdnyRmIC
U4Zcag/8FGk8kCGoxUjkCMutNBDMiGPIMwmogK/cHC+uEm/2TsE5e9wntxUUDRcy
jnQ5n4W23QKBgQDYXZ2dWxVC4osbsn3YkGOxF77iaYXxd9e1J6Y1FgQ2nXykpCmK
yl0LwC5MktzIgsBeTY2yTLRfeVF/E/6bHHKGsGtyGPI2/8pOhCgbf2QgLwYTnj+h
h3+Fye+e80E6XDtwy6TPWSug5FjCjpYNM464MolMajqsiQEY/ArkEZTEvQKBgQCV
azIGmesohLMHW8R8+GnSI5CTzIib0xu/pz8PKiEaKMqS7cGkgfSsslyPIGCt2VSM
x14CQtcjjIq+1gWRANTdMzhJlDZdFOkJxe4Q1DiXstY0rxorR4nXo6I6spVtMCn7
vAzMNZImiWT18U9GYG7DZpA08Akhvy7k+p2GLmmuGQKBgQDN2aTiZTFbqlBuSOkI
Wah1/4FDFaliU95R2c+Phx4oAn2sa51d6jXUgj6XuEqCNUjMr6yXDfwO3PgI+QX+
6uMeRlIs7qM8a+RLB3J45w51nUXRZBijJouONo/PWA5/hWWPjUdBn3BNxUhifj2w
0lD0vLwZZ+wQKjyzG9Z4vwpuAQ==
-----END PRIVATE KEY-----
";

const LEAF_KEY: &str = "\
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQClOgxkonaorU3r
Ywpx/vX78oR5Wc4qLQ6RSJiH28+hsCnRrcB6+UOx88aZ/YCOK9lYiYikDd9aU+cl
R9GRu3LsDwI5Dc063CfWlzYNdmNciq3BNJIdNiGS2AvMapGQtivgp1HNncSv1qA6
hkxfgB1rC8ra6ogR2EZPqekWajfSY4T3swJWkXfAB4LHd/8n19JaOiaV+L6VZeF/
3m3ZwOMPTa7gVl/L6pNFUG5J/wd9QfktFLW6zq3IdGP1vaL0NJKDGhNDFENkpTi/
iTI1/acR2qiCACqDZFcEL07C/nO7u/6gLUnvmpyuV9qdd01rem4669KHT0gF2pwA
iSL/Wg4nAgMBAAECggEAAwSZNKNeMaGMwCncdQ2YOxIavcfYXmhrkQ43enRgUuD0
Opgrhc7wMhu0lnefbJTOUQQwYq4rneJC4TuEhjn/8E++J92hvj/9WpUDfYZ1/k1h
T4kzXAmp3lQjxeNN3KdRef+o+BIl4KSjmnTrGhBSOT1m1KlDTt1HPBKQOZUWq8ty
c3t2jOtGPpn/sHK4CAE7mLkFflS8jrgiD+UJ4z59+5SztqKndSEmaC312qLnjCxL
cxP7Y5Vd6Y5uLlc30E71M6Pd5EgV/AMQUNyVnr30g386A+MA/rOEqmkmrLNh2ZJP
AAz4eZQ1dnckJhhcNmfC0uOr/Gxf0J+1OXaS5MCMIQKBgQDgRVRetzjcIDItlmcK
5fcP+MWGvfZKcd1m1lHNXBVBiMzflGkp9TxyabvsIidf9oTmQNDFdzZcYbPMCvj7
HBvLy43eX0y8RDKRtNM1vJRbRGXpFJGzHvRnWOboi3gr4T3KCU4pwkjbM+XGAHgW
yxh7T+O30drxSn2Q2M61uJjbYQKBgQC8mkDA5mYXdTGMk4U4K22D9bFva/55sXYy
CYiUZLiNHf7QgfAnY3cwuC9VGmfoAJvS4pxYG3kUquoD6sZFuYimog5M1yLdD3OL
dIeJp+S6QPZ+g3Byah3rrp8ZbcFW+IF5a3MvNnH+QJdAaxchQrRTaTjzegCECf8G
iTaGKqkehwKBgEEvxaM2LF/HN+6KPe8sApDw5TER/AmNaSYf+2zua/s9cRc3gw3A
C07SLt4m2z0IYX6vrj8HNJTLjUAsnEwY0nd89gKBvsMmK3Cwl4eSBak1i02hPexL
fgygCZXkHAzdDmGwLLj0kMquHgZcUouFgtss0Gq4o6Po2/CDJCorurphAoGBAKcF
m864uzSO7oBlrBagLu4rySS5aLTweZG6a5+uytj99UlFqR3YshcNJa2iIt6Mm3JY
iMhmHAY3jeJGKaxZsDCRV0SpSRCnvFWFrvozGxXurdxAHnbUjwbGr9LfJdcVX+Pd
SjZHaxAUt12u+N7VqcgsaOkF5CsKhzSMkyKh6P9FAoGAClFzeP69KCEhA1DlVQz1
KKCSCR+PiJ801XkHuhZdqaYKq+l9D6+ldlZfKyEL2OcEpa2QwuyO47we5k1lAMou
D/6OXV3W/VgukDvVx9Te8IoIy7TodlZaWT4Q/NKegaTbqgZpwK+SeUSk7ae4Y7Cd
7/mc5ag6/3avMvEtrHrcQwI=
-----END PRIVATE KEY-----
";
