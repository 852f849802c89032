//! TLS termination with rustls (ring): the server configuration from PEM files. The handshake
//! runs in each connection's own task, with a timeout (`connections`).

use std::path::Path;
use std::sync::Arc;

use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::Error;

/// Reads the PEM certificate chain and private key and builds the server configuration.
pub(crate) fn server_config(
    certificate_file: &Path,
    private_key_file: &Path,
) -> Result<Arc<rustls::ServerConfig>, Error> {
    let read = |path: &Path| {
        std::fs::read(path).map_err(|source| Error::ReadFile {
            path: path.to_owned(),
            source,
        })
    };
    let certificates = CertificateDer::pem_slice_iter(&read(certificate_file)?)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| Error::Tls(format!("{}: {error}", certificate_file.display())))?;
    if certificates.is_empty() {
        return Err(Error::Tls(format!(
            "{} holds no PEM CERTIFICATE block",
            certificate_file.display()
        )));
    }
    let private_key = PrivateKeyDer::from_pem_slice(&read(private_key_file)?)
        .map_err(|error| Error::Tls(format!("{}: {error}", private_key_file.display())))?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|error| Error::Tls(error.to_string()))?
    .with_no_client_auth()
    .with_single_cert(certificates, private_key)
    .map_err(|error| Error::Tls(format!("the certificate and key do not fit: {error}")))?;
    let mut config = config;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
