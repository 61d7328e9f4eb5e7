//! Placeholder.
use super::extracted::Extracted;
#[derive(Debug, thiserror::Error)]
pub(crate) enum DocxError {
    #[error("not implemented")]
    NotZip(String),
}
pub(crate) fn extract_docx(_bytes: &[u8]) -> Result<Extracted, DocxError> {
    Err(DocxError::NotZip(String::new()))
}
