//! The token signing key of an instance with no `HUBBUB_JWT_SECRET`: generated on
//! first run and kept in the data folder, so tokens survive restarts.

use anyhow::Context;
use std::io::Write;
use std::path::Path;

const KEY_FILE: &str = "jwt-secret.key";

/// Reads the key from the data folder, creating it (owner-only) if absent.
pub fn load_or_create(data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    let path = data_dir.join(KEY_FILE);
    match std::fs::read(&path) {
        Ok(key) if key.len() >= 32 => return Ok(key),
        Ok(_) => anyhow::bail!(
            "{} is shorter than 32 bytes: delete it to generate a new key",
            path.display()
        ),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(err).with_context(|| format!("reading {}", path.display())),
    }
    let key: String = (0..64)
        .map(|_| format!("{:02x}", rand::random::<u8>()))
        .collect();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(key.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing {}", path.display()))?;
    tracing::info!(path = %path.display(), "generated a new token signing key");
    Ok(key.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_created_once_and_then_reused() {
        let dir = std::env::temp_dir().join(format!("hubbub-key-{}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).unwrap();
        let first = load_or_create(&dir).unwrap();
        let second = load_or_create(&dir).unwrap();
        assert_eq!(first, second);
        assert_eq!(first.len(), 128);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
