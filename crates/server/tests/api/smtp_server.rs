//! A real SMTP server for the email tests: aiosmtpd (PyPI) run by
//! `tests/support/smtp/smtp_server.py`, writing each message to a folder.

use anyhow::{Context, anyhow};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

fn support_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp")
}

fn python() -> PathBuf {
    support_dir().join(".venv/bin/python")
}

static INSTALLED: Mutex<bool> = Mutex::new(false);

/// Makes `tests/support/smtp/.venv` with aiosmtpd once if it is missing
/// (scripts/test.sh does it up front; this covers a bare `cargo test`).
fn ensure_installed() -> anyhow::Result<()> {
    let mut installed = INSTALLED.lock().unwrap_or_else(|p| p.into_inner());
    if *installed || python().exists() {
        *installed = true;
        return Ok(());
    }
    let run = |program: &Path, args: &[&str]| -> anyhow::Result<()> {
        let status = std::process::Command::new(program)
            .args(args)
            .current_dir(support_dir())
            .status()
            .with_context(|| format!("running {}", program.display()))?;
        anyhow::ensure!(status.success(), "{} {args:?} failed", program.display());
        Ok(())
    };
    run(Path::new("python3"), &["-m", "venv", ".venv"])?;
    run(
        &support_dir().join(".venv/bin/pip"),
        &["install", "-q", "-r", "requirements.txt"],
    )?;
    *installed = true;
    Ok(())
}

/// A running SMTP server; stopped when dropped.
pub struct SmtpServer {
    _child: Child,
    pub port: u16,
}

impl SmtpServer {
    /// Starts the server on `port` (0: any free port), storing mail in `maildir`.
    pub async fn start(port: u16, maildir: &Path) -> anyhow::Result<Self> {
        ensure_installed()?;
        let mut child = Command::new(python())
            .arg(support_dir().join("smtp_server.py"))
            .arg(port.to_string())
            .arg(maildir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .context("starting the test SMTP server (python3 with venv is needed)")?;
        let stdout = child.stdout.take().context("smtp stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let port = tokio::time::timeout(Duration::from_secs(20), async {
            while let Some(line) = lines.next_line().await? {
                if let Some(port) = line.strip_prefix("READY ") {
                    return Ok::<u16, anyhow::Error>(port.trim().parse()?);
                }
            }
            Err(anyhow!("the SMTP server exited before it was ready"))
        })
        .await
        .context("the SMTP server did not start within 20 s")??;
        Ok(Self {
            _child: child,
            port,
        })
    }
}

/// One received email, with quoted-printable soft breaks and escapes undone.
#[derive(Debug, Clone)]
pub struct Received {
    pub raw: String,
    pub decoded: String,
}

impl Received {
    /// The value of the first header `name` (unfolded).
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.raw.split("\r\n\r\n").next().unwrap_or_default();
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    }
}

fn decode_quoted_printable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every email in `maildir`, in arrival order.
pub fn received(maildir: &Path) -> anyhow::Result<Vec<Received>> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(maildir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let raw = std::fs::read_to_string(&path)?;
            Ok(Received {
                decoded: decode_quoted_printable(&raw),
                raw,
            })
        })
        .collect()
}

/// Waits up to `within` until `maildir` holds at least `count` emails.
pub async fn wait_for_mail(
    maildir: &Path,
    count: usize,
    within: Duration,
) -> anyhow::Result<Vec<Received>> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let mail = received(maildir)?;
        if mail.len() >= count {
            return Ok(mail);
        }
        anyhow::ensure!(
            tokio::time::Instant::now() < deadline,
            "expected {count} emails within {within:?}, got {}",
            mail.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
