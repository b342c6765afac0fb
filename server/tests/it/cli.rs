//! The `sharek` binary as an operator uses it: bad configuration, `migrate`, a clean stop on
//! SIGTERM, and `moderation screen` over JSON lines.

use std::{
    net::TcpListener,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use crate::support::SHAREK;

fn temp_sqlite_url() -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("sharek-cli-{}", uuid::Uuid::new_v4().simple()));
    let url = format!("sqlite://{}/sharek.db", dir.display());
    (dir, url)
}

#[test]
fn bad_configuration_exits_non_zero_with_a_clear_message() {
    for (args, expected) in [
        (vec!["serve", "--addr", "not-an-address"], "--addr"),
        (
            vec!["migrate", "--database-url", "mysql://localhost/x"],
            "sqlite://",
        ),
        (vec!["serve", "--base-url", "ftp://example.org"], "http"),
    ] {
        let output = Command::new(SHAREK)
            .args(&args)
            .env_remove("DATABASE_URL")
            .output()
            .expect("run sharek");
        assert!(!output.status.success(), "{args:?} should fail");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn an_unreachable_database_stops_start_up_with_an_error() {
    let output = Command::new(SHAREK)
        .args([
            "migrate",
            "--database-url",
            "postgres://nobody@127.0.0.1:1/none",
        ])
        .output()
        .expect("run sharek");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot open the database"), "{stderr}");
}

#[test]
fn migrate_creates_the_sqlite_database() {
    let (dir, url) = temp_sqlite_url();
    let status = Command::new(SHAREK)
        .args(["migrate", "--database-url", &url])
        .status()
        .expect("run sharek");
    assert!(status.success());
    assert!(dir.join("sharek.db").exists());
    std::fs::remove_dir_all(dir).expect("clean up");
}

#[test]
fn serve_stops_cleanly_on_sigterm() {
    let (dir, url) = temp_sqlite_url();
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("free port")
        .local_addr()
        .expect("address")
        .port();
    let mut child = Command::new(SHAREK)
        .args([
            "serve",
            "--database-url",
            &url,
            "--addr",
            &format!("127.0.0.1:{port}"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start sharek");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "sharek did not start listening"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let stopping = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            stopping.elapsed() < Duration::from_secs(10),
            "sharek did not stop after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
    std::fs::remove_dir_all(dir).expect("clean up");
}

fn sharek_with_stdin(args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(SHAREK)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start sharek");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write password");
    child.wait_with_output().expect("wait")
}

#[test]
fn users_are_added_listed_and_deactivated_from_the_command_line() {
    let (dir, url) = temp_sqlite_url();
    let db = ["--database-url", url.as_str()];
    let add = |email: &str, roles: &[&str], password: &str| {
        let mut args = vec!["user", "add", "--email", email];
        for role in roles {
            args.extend(["--role", role]);
        }
        args.extend(db);
        sharek_with_stdin(&args, &format!("{password}\n"))
    };
    let added = add(
        "Huda@Ministry.example",
        &["admin", "analyst"],
        "a long test password",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let again = add("huda@ministry.example", &["author"], "a long test password");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let weak = add("weak@ministry.example", &["author"], "short");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("at least 12 characters"));
    let bad_role = add("x@ministry.example", &["king"], "a long test password");
    assert!(!bad_role.status.success());

    let list = Command::new(SHAREK)
        .args(["user", "list"])
        .args(db)
        .output()
        .expect("list");
    let listed = String::from_utf8_lossy(&list.stdout).into_owned();
    assert!(
        listed.contains("huda@ministry.example") && listed.contains("admin,analyst"),
        "{listed}"
    );
    assert!(!listed.contains("weak@"), "{listed}");

    let off = Command::new(SHAREK)
        .args(["user", "deactivate", "--email", "huda@ministry.example"])
        .args(db)
        .output()
        .expect("deactivate");
    assert!(off.status.success());
    let list = Command::new(SHAREK)
        .args(["user", "list"])
        .args(db)
        .output()
        .expect("list");
    assert!(String::from_utf8_lossy(&list.stdout).contains("deactivated"));
    std::fs::remove_dir_all(dir).expect("clean up");
}

#[test]
fn moderation_screen_answers_one_json_line_per_line() {
    use std::io::Write;
    let mut child = Command::new(SHAREK)
        .args(["moderation", "screen"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run sharek");
    let input = [
        r#"{"text": "The new portal is slow and badly designed", "lang": "en"}"#,
        "",
        r#"{"text": "راسلني على test@example.com يا حقير"}"#,
        "not json",
        r#"{"text": "رقم هويتي ٧٨٤-١٩٨٥-١٢٣٤٥٦٧-٣", "lang": "ar"}"#,
    ]
    .join("\n");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("finish");
    assert!(output.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert_eq!(lines[0]["decision"], "publish");
    assert_eq!(lines[0]["categories"], serde_json::json!([]));
    assert_eq!(lines[1]["decision"], "hold");
    assert_eq!(lines[1]["lang"], "ar");
    assert_eq!(lines[1]["personal_data"], serde_json::json!(["email"]));
    assert!(lines[1]["reasons"][0]["rule"].is_string());
    assert!(lines[2]["error"].is_string());
    assert_eq!(lines[3]["decision"], "hold", "{}", lines[3]);
}
