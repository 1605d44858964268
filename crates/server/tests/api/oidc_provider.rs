//! A real OpenID Connect provider for the SSO tests: `oidc-provider` (npm) run by
//! `tests/support/oidc/provider.mjs` in a child process, one per test.

use anyhow::{Context, anyhow};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Mutex;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

fn support_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/oidc")
}

static INSTALLED: Mutex<bool> = Mutex::new(false);

/// Installs the provider's npm packages once if they are missing (scripts/test.sh
/// does it up front; this covers a bare `cargo test`).
fn ensure_installed() -> anyhow::Result<()> {
    let mut installed = INSTALLED.lock().unwrap_or_else(|p| p.into_inner());
    if *installed || support_dir().join("node_modules/oidc-provider").is_dir() {
        *installed = true;
        return Ok(());
    }
    let status = std::process::Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(support_dir())
        .status()
        .context("running npm ci for the test OIDC provider (needs Node.js and npm)")?;
    anyhow::ensure!(
        status.success(),
        "npm ci in {} failed",
        support_dir().display()
    );
    *installed = true;
    Ok(())
}

/// A running provider; killed when dropped.
pub struct OidcProvider {
    child: Child,
    pub port: u16,
}

impl OidcProvider {
    /// Starts the provider with `options` (see provider.mjs) and waits until it listens.
    pub async fn start(options: Value) -> anyhow::Result<Self> {
        ensure_installed()?;
        let mut child = Command::new("node")
            .arg(support_dir().join("provider.mjs"))
            .arg(options.to_string())
            .current_dir(support_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .context("starting node (Node.js 18+ is needed for the SSO tests)")?;
        let stdout = child.stdout.take().context("provider stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let port = tokio::time::timeout(Duration::from_secs(20), async {
            while let Some(line) = lines.next_line().await? {
                if let Some(port) = line.strip_prefix("READY ") {
                    return Ok::<u16, anyhow::Error>(port.trim().parse()?);
                }
            }
            Err(anyhow!("the OIDC provider exited before it was ready"))
        })
        .await
        .context("the OIDC provider did not start within 20 s")??;
        Ok(Self { child, port })
    }

    pub fn issuer(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Stops the provider and waits until it is gone (its port is then free).
    pub async fn stop(mut self) -> anyhow::Result<()> {
        self.child.kill().await?;
        Ok(())
    }
}
