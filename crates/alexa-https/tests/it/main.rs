//! Integration tests of `alexa-https`: the server over real sockets on 127.0.0.1 with a test CA
//! made per run (devstack's Alexa signer), and the certificate cache with a fake fetcher and a
//! fake clock.

mod binary;
mod cache;
mod connection_cap;
mod connections;
mod server;
mod support;
