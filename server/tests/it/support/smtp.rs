//! A real SMTP server for the tests that send email: Debian's aiosmtpd on a free local port,
//! keeping what it receives in a fresh Maildir, and the messages read back as a person would
//! see them. Not a mock, so lettre's framing and encodings and a relay's replies are the ones
//! production meets. `./x.sh setup` installs python3-aiosmtpd.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use quoted_printable::ParseMode;
use tokio::net::TcpStream;
use uuid::Uuid;

/// Debian's Python, the one python3-aiosmtpd is installed for: a `python3` earlier on `PATH`
/// (pyenv, a virtualenv) does not see Debian's packages.
const PYTHON: &str = "/usr/bin/python3";

/// How long aiosmtpd may take to start listening.
const START: Duration = Duration::from_secs(10);

/// What a failure to start adds.
const INSTALL: &str = "\n(is Debian's python3-aiosmtpd installed? `./x.sh setup` installs it)";

/// aiosmtpd on a free local port, delivering into a fresh Maildir; stopped, and its folder
/// removed, when dropped.
pub struct MailCatcher {
    child: Child,
    port: u16,
    /// Holds `Maildir/` and `aiosmtpd.log`.
    dir: PathBuf,
}

/// A message as it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The `To` header, decoded as the subject is.
    pub to: String,
    /// The `Subject` header, its RFC 2047 encoded words decoded.
    pub subject: String,
    /// The body decoded by its `Content-Transfer-Encoding`, as UTF-8 with `\n` line breaks.
    pub body: String,
}

impl MailCatcher {
    /// Starts aiosmtpd and waits until it accepts connections; panics, with its output, if it
    /// exits or does not listen within 10 s.
    pub async fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|probe| probe.local_addr())
            .expect("a free port")
            .port();
        let dir = std::env::temp_dir().join(format!("sharek-mail-{}", Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("the mail folder");
        let log = std::fs::File::create(dir.join("aiosmtpd.log")).expect("aiosmtpd's log");
        let listen = format!("127.0.0.1:{port}");
        let mut command = Command::new(PYTHON);
        // -n: no switch to `nobody`, which aiosmtpd makes when started as root and which could
        // not write the Maildir.
        command
            .args(["-m", "aiosmtpd", "-n", "-l", listen.as_str()])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.join("Maildir"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("aiosmtpd's log"))
            .stderr(log);
        let child = command.spawn().unwrap_or_else(|error| {
            let _ = std::fs::remove_dir_all(&dir);
            panic!("{command:?}: {error}{INSTALL}")
        });
        let command = format!("{command:?}");
        // Owned from here, so a panic below stops it too.
        let mut catcher = Self { child, port, dir };
        let deadline = Instant::now() + START;
        loop {
            if TcpStream::connect(listen.as_str()).await.is_ok() {
                return catcher;
            }
            let exited = catcher.child.try_wait().expect("aiosmtpd's state");
            if let Some(status) = exited {
                panic!("{command} exited ({status}):\n{}{INSTALL}", catcher.log());
            }
            if Instant::now() > deadline {
                panic!(
                    "{command} did not listen within {START:?}:\n{}{INSTALL}",
                    catcher.log()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The URL to give the mailer (`--smtp-url`).
    pub fn url(&self) -> url::Url {
        format!("smtp://127.0.0.1:{}", self.port)
            .parse()
            .expect("an SMTP URL")
    }

    /// Waits until at least `count` messages have arrived and returns them all, in the order
    /// they arrived; panics with what did arrive if `timeout` passes first.
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Received> {
        let deadline = Instant::now() + timeout;
        loop {
            let arrived = self.files();
            if arrived.len() >= count {
                return arrived.iter().map(|file| read(file)).collect();
            }
            if Instant::now() > deadline {
                let arrived: Vec<Received> = arrived.iter().map(|file| read(file)).collect();
                panic!(
                    "expected {count} messages within {timeout:?}, {} arrived: {arrived:#?}\n\
                     aiosmtpd's output:\n{}",
                    arrived.len(),
                    self.log()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The delivered messages' files, oldest first. Python's Maildir writes each to `tmp/` and
    /// moves it whole to `new/` (a mail reader would then move it to `cur/`).
    fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = ["new", "cur"]
            .iter()
            .flat_map(|folder| {
                std::fs::read_dir(self.dir.join("Maildir").join(folder)).expect("the Maildir")
            })
            .map(|entry| entry.expect("a Maildir entry").path())
            .collect();
        files.sort_by_key(|file| delivery_order(file));
        files
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("aiosmtpd.log")).unwrap_or_default()
    }
}

impl Drop for MailCatcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Python's Maildir names a message `<seconds>.M<microseconds>P<pid>Q<count>.<host>`, the
/// count going up with each message this aiosmtpd delivers. The name itself does not sort:
/// the microseconds are not zero-padded.
fn delivery_order(file: &Path) -> u64 {
    let name = file
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    name.split('.')
        .nth(1)
        .and_then(|unique| unique.rsplit_once('Q'))
        .and_then(|(_, count)| count.parse().ok())
        .unwrap_or_else(|| panic!("{name}: not a name Python's Maildir gives"))
}

fn read(file: &Path) -> Received {
    let text =
        std::fs::read_to_string(file).unwrap_or_else(|error| panic!("{}: {error}", file.display()));
    parse(&text).unwrap_or_else(|problem| panic!("{}: {problem}:\n{text}", file.display()))
}

/// A message as Python's Maildir writes it: `\n` line endings; the headers as they arrived,
/// a long one folded onto lines that start with white space, then aiosmtpd's `X-Peer`,
/// `X-MailFrom` and `X-RcptTo`; a blank line; the body. Single-part text, as Sharek sends.
fn parse(text: &str) -> Result<Received, String> {
    let (head, body) = text
        .split_once("\n\n")
        .ok_or("no blank line after the headers")?;
    let mut headers: Vec<(&str, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            // Unfolding: the line break goes, the white space after it stays.
            let (_, value) = headers
                .last_mut()
                .ok_or("a folded line before the first header")?;
            value.push_str(line);
        } else {
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| format!("not a header: {line:?}"))?;
            headers.push((name, value.trim_start().to_owned()));
        }
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
            .ok_or_else(|| format!("no {name} header"))
    };
    // lettre ends the data with `\r\n.\r\n`: that line break ends the last line and is no
    // part of the body (in base64 it would not matter; in quoted-printable and 7bit it would
    // add a line).
    let body = body.strip_suffix('\n').unwrap_or(body);
    let encoding = header("Content-Transfer-Encoding").unwrap_or("7bit");
    let bytes = match encoding.trim().to_ascii_lowercase().as_str() {
        "base64" => BASE64
            .decode(body.split_ascii_whitespace().collect::<String>())
            .map_err(|error| format!("base64: {error}"))?,
        "quoted-printable" => quoted_printable::decode(body, ParseMode::Robust)
            .map_err(|error| format!("quoted-printable: {error}"))?,
        "7bit" | "8bit" => body.as_bytes().to_vec(),
        other => return Err(format!("a transfer encoding lettre does not use: {other}")),
    };
    // lettre sends CRLF line breaks; base64 keeps them, and the quoted-printable decoder
    // writes CRLF for each line break.
    let body = String::from_utf8(bytes)
        .map_err(|_| "a body that is not UTF-8")?
        .replace("\r\n", "\n");
    Ok(Received {
        to: decode_words(header("To")?)?,
        subject: decode_words(header("Subject")?)?,
        body,
    })
}

/// A header's value with its RFC 2047 encoded words decoded: lettre writes `=?utf-8?b?…?=`
/// for the non-ASCII words (all of an Arabic subject), several of them when folded. White
/// space between two encoded words is not text and goes; beside a plain word it stays.
fn decode_words(value: &str) -> Result<String, String> {
    let mut text = String::new();
    // The bytes of adjacent encoded words, decoded together: an encoder may split a
    // character between two words.
    let mut pending = Vec::new();
    let mut after_encoded = false;
    let mut rest = value;
    while !rest.is_empty() {
        let (space, after) = rest.split_at(rest.len() - rest.trim_start().len());
        let (word, tail) = after.split_at(after.find(char::is_whitespace).unwrap_or(after.len()));
        rest = tail;
        match encoded_word(word)? {
            Some(bytes) => {
                if !after_encoded {
                    text.push_str(space);
                }
                pending.extend(bytes);
                after_encoded = true;
            }
            None => {
                text.push_str(&utf8(std::mem::take(&mut pending), value)?);
                text.push_str(space);
                text.push_str(word);
                after_encoded = false;
            }
        }
    }
    text.push_str(&utf8(pending, value)?);
    Ok(text)
}

/// The bytes an encoded word `=?charset?B|Q?text?=` stands for, or `None` for a plain word.
fn encoded_word(word: &str) -> Result<Option<Vec<u8>>, String> {
    let Some(inner) = word.strip_prefix("=?").and_then(|w| w.strip_suffix("?=")) else {
        return Ok(None);
    };
    let mut parts = inner.splitn(3, '?');
    let (Some(charset), Some(encoding), Some(encoded)) = (parts.next(), parts.next(), parts.next())
    else {
        return Ok(None);
    };
    if !charset.eq_ignore_ascii_case("utf-8") && !charset.eq_ignore_ascii_case("us-ascii") {
        return Err(format!("{word}: a charset lettre does not use"));
    }
    let bytes = match encoding {
        "B" | "b" => BASE64
            .decode(encoded)
            .map_err(|error| format!("{word}: {error}"))?,
        // Q is quoted-printable with `_` for a space.
        "Q" | "q" => quoted_printable::decode(encoded.replace('_', " "), ParseMode::Robust)
            .map_err(|error| format!("{word}: {error}"))?,
        _ => return Ok(None),
    };
    Ok(Some(bytes))
}

fn utf8(bytes: Vec<u8>, value: &str) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|_| format!("{value}: encoded words that are not UTF-8"))
}
