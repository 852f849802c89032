//! provision's integration tests: publishing to the local S3 twin over loopback, as deploy does.

mod login_page;
