//! Drives the rendered login page in headless Chromium against a stand-in authorization endpoint
//! on 127.0.0.1, and checks what reaches that endpoint byte for byte.

mod forwarding;
mod javascript_disabled;
mod refusals;
mod stand_in;
mod webdriver;
