//! Local S3 twin: s3s-fs (objects as files under a root folder) served over HTTP on loopback, with
//! SigV4 checked, so the login-page upload runs against it exactly as against AWS.
//!
//! Addressing is path style only (`http://127.0.0.1:PORT/bucket/key`); clients set
//! `force_path_style(true)`, which aws-sdk-s3 needs for an IP endpoint anyway.
//!
//! Anonymous reads: the real login bucket makes its page public through a bucket policy, so a
//! browser fetches it without signing. s3s rejects every unsigned request by default
//! (`S3Access::check` → AccessDenied "Signature is required"), and s3s-fs has no bucket policies
//! (`PutBucketPolicy` answers NotImplemented). Rather than put an HTTP layer in front of s3s, this
//! twin installs its own [`s3s::access::S3Access`] policy: unsigned `GetObject` and `HeadObject`
//! are allowed on every object (s3s-fs then answers with the stored `Content-Type` and
//! `Cache-Control`), everything else still needs a valid signature. So the twin is more open than
//! the real bucket (all objects, not one key), which is harmless for local files and keeps writes
//! exactly as strict as AWS. Why the real page needs a public bucket policy and the REST endpoint:
//! `docs/aws.md`, "S3 for the login page".

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnectionBuilder;
use s3s::access::{S3Access, S3AccessContext};
use s3s::auth::SimpleAuth;
use s3s::path::S3Path;
use s3s::service::S3ServiceBuilder;
use s3s::{S3Result, s3_error};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Access key ID the twin accepts unless told otherwise (tests, `cargo xtask demo`).
pub const DEFAULT_ACCESS_KEY_ID: &str = "devstack-access-key";

/// Secret access key matching [`DEFAULT_ACCESS_KEY_ID`]. Not a secret: it only opens local files.
pub const DEFAULT_SECRET_ACCESS_KEY: &str = "devstack-secret-key";

/// Region the twin's clients should sign for. s3s does not check the signing region against
/// anything of its own, so any region works; this one matches the default login bucket's.
pub const DEFAULT_REGION: &str = "us-east-1";

secrets::new_secret_type!(
    /// An S3 secret access key. `Debug` shows `SecretAccessKey([redacted])`.
    pub SecretAccessKey
);

/// The one key pair the twin accepts for signed requests.
#[derive(Debug, Clone)]
pub struct S3Credentials {
    access_key_id: String,
    secret_access_key: SecretAccessKey,
}

impl S3Credentials {
    pub fn new(access_key_id: impl Into<String>, secret_access_key: SecretAccessKey) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key,
        }
    }

    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    pub fn secret_access_key(&self) -> &SecretAccessKey {
        &self.secret_access_key
    }
}

impl Default for S3Credentials {
    /// [`DEFAULT_ACCESS_KEY_ID`] and [`DEFAULT_SECRET_ACCESS_KEY`].
    fn default() -> Self {
        Self::new(
            DEFAULT_ACCESS_KEY_ID,
            SecretAccessKey::new(DEFAULT_SECRET_ACCESS_KEY.to_owned()),
        )
    }
}

/// A running S3 twin on a loopback port. Dropping it stops the server; the files stay in the root.
pub struct S3Server {
    endpoint_url: String,
    root_dir: PathBuf,
    shutdown: Option<oneshot::Sender<()>>,
    server: JoinHandle<()>,
}

impl S3Server {
    /// Serves `root_dir` (created if missing; one subfolder per bucket) on an ephemeral port of
    /// 127.0.0.1.
    pub async fn start(root_dir: PathBuf, credentials: S3Credentials) -> std::io::Result<S3Server> {
        Self::start_on(
            SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            root_dir,
            credentials,
        )
        .await
    }

    /// Serves `root_dir` on `addr` (port 0 picks a free port), e.g. for a `devstack s3` command.
    pub async fn start_on(
        addr: SocketAddr,
        root_dir: PathBuf,
        credentials: S3Credentials,
    ) -> std::io::Result<S3Server> {
        tokio::fs::create_dir_all(&root_dir).await?;
        // s3s_fs::Error is not a std error (it converts into an S3 InternalError), so keep its text.
        let file_system = s3s_fs::FileSystem::new(&root_dir).map_err(|error| {
            std::io::Error::other(format!("s3 twin root {}: {error:?}", root_dir.display()))
        })?;
        let mut builder = S3ServiceBuilder::new(file_system);
        builder.set_auth(SimpleAuth::from_single(
            credentials.access_key_id.as_str(),
            credentials.secret_access_key.secret(),
        ));
        builder.set_access(AnonymousObjectReads);
        let service = builder.build();

        let listener = TcpListener::bind(addr).await?;
        let endpoint_url = format!("http://{}", listener.local_addr()?);
        let (shutdown, mut shutdown_signal) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            loop {
                let stream = tokio::select! {
                    accepted = listener.accept() => match accepted {
                        Ok((stream, _peer)) => stream,
                        Err(error) => {
                            // Accept fails transiently (e.g. too many open files); keep serving,
                            // after a pause so a persistent failure does not spin a core.
                            tracing::warn!(%error, "s3 twin could not accept a connection");
                            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                            continue;
                        }
                    },
                    _ = &mut shutdown_signal => break,
                };
                let service = service.clone();
                tokio::spawn(async move {
                    let connection = ConnectionBuilder::new(TokioExecutor::new());
                    if let Err(error) = connection
                        .serve_connection(TokioIo::new(stream), service)
                        .await
                    {
                        tracing::debug!(%error, "s3 twin connection ended with an error");
                    }
                });
            }
        });
        tracing::info!(%endpoint_url, root_dir = %root_dir.display(), "s3 twin listening");
        Ok(S3Server {
            endpoint_url,
            root_dir,
            shutdown: Some(shutdown),
            server,
        })
    }

    /// `http://127.0.0.1:PORT`: the endpoint URL for path-style clients.
    pub fn endpoint_url(&self) -> String {
        self.endpoint_url.clone()
    }

    /// `http://127.0.0.1:PORT/bucket/key`, where a browser fetches an object without signing.
    pub fn object_url(&self, bucket: &str, key: &str) -> String {
        format!("{}/{bucket}/{key}", self.endpoint_url)
    }

    /// The folder holding the buckets.
    pub fn root_dir(&self) -> &std::path::Path {
        &self.root_dir
    }
}

impl fmt::Debug for S3Server {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("S3Server")
            .field("endpoint_url", &self.endpoint_url)
            .field("root_dir", &self.root_dir)
            .finish_non_exhaustive()
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        // Connections already accepted run in their own tasks; aborting the accept loop frees the
        // port now, which is what "stops on drop" means to a test.
        self.server.abort();
    }
}

/// Signed requests may do anything SimpleAuth's key allows; unsigned ones may only read objects,
/// like the public-read bucket policy on the real login bucket.
#[derive(Debug)]
struct AnonymousObjectReads;

#[async_trait::async_trait]
impl S3Access for AnonymousObjectReads {
    async fn check(&self, context: &mut S3AccessContext<'_>) -> S3Result<()> {
        if context.credentials().is_some() || is_anonymous_object_read(context) {
            Ok(())
        } else {
            Err(s3_error!(AccessDenied, "Signature is required"))
        }
    }
}

fn is_anonymous_object_read(context: &S3AccessContext<'_>) -> bool {
    let is_object = matches!(context.s3_path(), S3Path::Object { .. });
    let is_read = matches!(context.s3_op().name(), "GetObject" | "HeadObject");
    let is_safe_method = matches!(context.method().as_str(), "GET" | "HEAD");
    is_object && is_read && is_safe_method
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_access_key_debug_is_redacted() {
        let credentials =
            S3Credentials::new("key-id", SecretAccessKey::new("very-secret".to_owned()));
        assert_eq!(
            format!("{credentials:?}"),
            r#"S3Credentials { access_key_id: "key-id", secret_access_key: SecretAccessKey([redacted]) }"#
        );
        assert_eq!(credentials.secret_access_key().secret(), "very-secret");
    }
}
