//! The domain's error type.

/// What went wrong in a domain rule; each variant names the field or thing involved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// An input field failed validation.
    #[error("{field}: {message}")]
    Invalid {
        /// The request field at fault, as the client named it.
        field: &'static str,
        /// Why it was refused, in words a user can act on.
        message: String,
    },
}

impl DomainError {
    /// Builds an [`DomainError::Invalid`] for `field`.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            message: message.into(),
        }
    }

    /// A stable machine-readable code for the error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid { .. } => "invalid_input",
        }
    }
}
