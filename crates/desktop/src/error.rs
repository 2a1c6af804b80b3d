//! The one error shape the UI receives: a stable code to branch on and a message in plain words.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AppError {
    pub code: String,
    pub message: String,
}

impl AppError {
    pub fn new(code: &str, message: impl Into<String>) -> AppError {
        AppError {
            code: code.to_string(),
            message: message.into(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> AppError {
        AppError::new("invalid_input", message)
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AppError {}

impl From<clipbook_store::StoreError> for AppError {
    fn from(e: clipbook_store::StoreError) -> Self {
        AppError::new(e.code(), e.to_string())
    }
}

impl From<clipbook_fetch::ClipError> for AppError {
    fn from(e: clipbook_fetch::ClipError) -> Self {
        AppError::new(e.code(), e.to_string())
    }
}

impl From<clipbook_export::ExportError> for AppError {
    fn from(e: clipbook_export::ExportError) -> Self {
        AppError::new(e.code(), e.to_string())
    }
}

impl From<clipbook_pdf::PdfError> for AppError {
    fn from(e: clipbook_pdf::PdfError) -> Self {
        AppError::new(e.code(), e.to_string())
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;
