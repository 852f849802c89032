//! Drives the rendered login page in headless Chromium against a stand-in authorization endpoint
//! on 127.0.0.1, and checks what reaches that endpoint byte for byte; runs the page's own
//! `redirect_uri` rule in Node against random URLs.

mod forwarding;
mod javascript_disabled;
mod redirect_rule_in_node;
mod refusals;
mod stand_in;
mod webdriver;
