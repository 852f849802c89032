//! `cargo xtask dev` stopped with SIGTERM, as `kill` or a process manager stops it: every process
//! it started (the twins' helpers, the skill, `cargo lambda watch`) goes with it.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long `dev` may take to build the skill and start the chain on a busy machine.
const READY_TIMEOUT: Duration = Duration::from_secs(900);
/// How long it may take to stop once told.
const STOP_TIMEOUT: Duration = Duration::from_secs(60);

/// The parent and the command line of each running process (zombies are dead already).
fn processes() -> BTreeMap<u32, (u32, String)> {
    let mut processes = BTreeMap::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `pid (command) state ppid …`; the command may hold spaces and parentheses.
        let Some((_, after)) = stat.rsplit_once(')') else {
            continue;
        };
        let mut fields = after.split_whitespace();
        let state = fields.next().unwrap_or_default();
        let Some(parent) = fields.next().and_then(|field| field.parse().ok()) else {
            continue;
        };
        if state == "Z" || state == "X" {
            continue;
        }
        let command_line = std::fs::read(entry.path().join("cmdline"))
            .map(|bytes| String::from_utf8_lossy(&bytes).replace('\0', " "))
            .unwrap_or_default();
        processes.insert(pid, (parent, command_line));
    }
    processes
}

/// Every running process below `root`, with its command line.
fn descendants(root: u32) -> BTreeMap<u32, String> {
    let processes = processes();
    let mut found = BTreeMap::new();
    let mut frontier = vec![root];
    while let Some(parent) = frontier.pop() {
        for (pid, (ppid, command_line)) in &processes {
            if *ppid == parent && !found.contains_key(pid) {
                found.insert(*pid, command_line.clone());
                frontier.push(*pid);
            }
        }
    }
    found
}

fn signal(target: &str, signal: &str) -> bool {
    Command::new("kill")
        .args([signal, "--", target])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Kills whatever is left if the test fails half-way.
struct Cleanup {
    dev: Child,
    started: BTreeMap<u32, String>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let group = format!("-{}", self.dev.id());
        signal(&group, "-KILL");
        for pid in self.started.keys() {
            signal(&pid.to_string(), "-KILL");
        }
        let _ = self.dev.kill();
        let _ = self.dev.wait();
    }
}

#[test]
fn sigterm_stops_dev_with_every_process_it_started() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut dev = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["dev", "--transport", "lambda"])
        .current_dir(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so that the test's group is never signalled.
        .process_group(0)
        .spawn()
        .unwrap();
    let (lines, ready) = mpsc::channel();
    let stdout = dev.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut stderr = dev.stderr.take().unwrap();
    let (errors, error_text) = mpsc::channel();
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        let _ = errors.send(text);
    });
    let pid = dev.id();
    let mut cleanup = Cleanup {
        dev,
        started: BTreeMap::new(),
    };

    // Ready: the chain runs and waits for someone to link.
    let deadline = Instant::now() + READY_TIMEOUT;
    let mut is_ready = false;
    while !is_ready {
        let left = deadline.saturating_duration_since(Instant::now());
        match ready.recv_timeout(left) {
            Ok(line) => is_ready = line.contains("The offline chain is running"),
            Err(_) => break,
        }
    }
    if !is_ready {
        let _ = cleanup.dev.kill();
        let stderr = error_text.recv_timeout(Duration::from_secs(10));
        panic!("cargo xtask dev never became ready: {stderr:?}");
    }
    cleanup.started = descendants(pid);
    assert!(
        cleanup
            .started
            .values()
            .any(|command_line| command_line.contains("lambda watch")),
        "no `cargo lambda watch` among what dev started: {:#?}",
        cleanup.started
    );

    assert!(signal(&pid.to_string(), "-TERM"));
    let deadline = Instant::now() + STOP_TIMEOUT;
    let status = loop {
        if let Some(status) = cleanup.dev.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "cargo xtask dev still runs {} s after SIGTERM",
            STOP_TIMEOUT.as_secs()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        status.success(),
        "dev ended with {status} on SIGTERM: {:?}",
        error_text.recv_timeout(Duration::from_secs(10))
    );

    // Nothing it started survives it, under any parent, and its process group is empty.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let running = processes();
        let survivors: Vec<(&u32, &String)> = cleanup
            .started
            .iter()
            .filter(|(pid, command_line)| {
                running
                    .get(pid)
                    .is_some_and(|(_, now)| now == *command_line)
            })
            .collect();
        if survivors.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still running after dev stopped: {survivors:#?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        !signal(&format!("-{pid}"), "-0"),
        "a process of dev's group is still running"
    );
}
