//! Audit stage: the rows of an audit, kept out of memory.
//!
//! An audit of a country's reports has 10^5 rows (messages, evidence, source sentences): held as
//! values, about 4 KB each with their allocations, they would take half a gigabyte; encoded, about
//! 1 KB. [`Rows`] keeps each row encoded
//! (postcard, in input order): in memory up to a few megabytes, then in an anonymous temporary
//! file that the operating system removes when the run ends, however it ends. Renderers read the
//! rows back one at a time — in order with [`Rows::iter`], which reads a megabyte at a time, or
//! one by one with [`Rows::get`] — so memory holds the rows' positions, not their contents.

use super::AuditRow;
use crate::said;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

/// Encoded rows are held in memory up to this many bytes, then written to the temporary file.
const SPILL: usize = 4 << 20;
/// How many bytes an in-order read takes at a time (at least one row).
const CHUNK: u64 = 1 << 20;

/// Every row of an audit, in input order.
pub struct Rows {
    spool: Mutex<Spool>,
    /// Where each row ends, in bytes from the start of the spool (it starts where the one
    /// before ends).
    ends: Vec<u64>,
    /// Above this many bytes in memory, the rows are written to the file.
    spill: usize,
    /// Where the temporary file is made.
    dir: PathBuf,
}

/// The encoded rows: the first `written` bytes in `file`, the rest in `tail`.
#[derive(Default)]
struct Spool {
    file: Option<File>,
    written: u64,
    tail: Vec<u8>,
}

impl std::fmt::Debug for Rows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rows").field("len", &self.len()).finish()
    }
}

impl Default for Rows {
    fn default() -> Self {
        Rows::new()
    }
}

impl Rows {
    /// No rows yet; the temporary file, if one is needed, goes to the system's temporary
    /// directory (`TMPDIR`).
    pub fn new() -> Rows {
        Rows::with_spill(SPILL, std::env::temp_dir())
    }

    /// No rows yet; rows are written to a file in `dir` once they take more than `spill` bytes.
    pub fn with_spill(spill: usize, dir: PathBuf) -> Rows {
        Rows {
            spool: Mutex::new(Spool::default()),
            ends: Vec::new(),
            spill,
            dir,
        }
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Whether the rows have gone to the temporary file.
    #[cfg(test)]
    fn spilled(&self) -> bool {
        self.lock().file.is_some()
    }

    /// Adds a row after the others.
    pub fn push(&mut self, row: &AuditRow) -> io::Result<()> {
        let (spill, dir) = (self.spill, &self.dir);
        let spool = self.spool.get_mut().unwrap_or_else(|e| e.into_inner());
        let bytes = postcard::to_allocvec(row).map_err(|e| {
            said(
                io::ErrorKind::Other,
                format!("cannot encode an audit row: {e}"),
            )
        })?;
        spool.tail.extend_from_slice(&bytes);
        let end = spool.written + spool.tail.len() as u64;
        if spool.tail.len() > spill {
            spool.write_out(dir)?;
        }
        self.ends.push(end);
        Ok(())
    }

    /// Adds every row of `rows`.
    #[cfg(test)]
    fn extend<'r>(&mut self, rows: impl IntoIterator<Item = &'r AuditRow>) -> io::Result<()> {
        rows.into_iter().try_for_each(|r| self.push(r))
    }

    /// Row `i`.
    ///
    /// # Panics
    /// When `i` is not below [`Rows::len`], as indexing a slice would.
    pub fn get(&self, i: usize) -> io::Result<AuditRow> {
        let mut buf = Vec::new();
        self.read(self.start(i), self.ends[i], &mut buf)?;
        decode(&buf, i)
    }

    /// The rows in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            rows: self,
            next: 0,
            buf: Vec::new(),
            buf_start: 0,
        }
    }

    fn start(&self, i: usize) -> u64 {
        if i == 0 { 0 } else { self.ends[i - 1] }
    }

    fn lock(&self) -> MutexGuard<'_, Spool> {
        // A poisoned lock only means a panic elsewhere; the bytes are still whole.
        self.spool.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Bytes `start..end` of the spool into `buf`.
    fn read(&self, start: u64, end: u64, buf: &mut Vec<u8>) -> io::Result<()> {
        let mut spool = self.lock();
        buf.clear();
        buf.resize((end - start) as usize, 0);
        let in_file = end.min(spool.written).saturating_sub(start) as usize;
        if in_file > 0 {
            let file = spool.file.as_mut().ok_or_else(|| missing("file"))?;
            file.seek(SeekFrom::Start(start))?;
            file.read_exact(&mut buf[..in_file])
                .map_err(|e| context(e, "read the audit's rows back from"))?;
        }
        if end > spool.written {
            let from = (start.max(spool.written) - spool.written) as usize;
            let to = (end - spool.written) as usize;
            let tail = spool.tail.get(from..to).ok_or_else(|| missing("bytes"))?;
            buf[in_file..].copy_from_slice(tail);
        }
        Ok(())
    }
}

impl Spool {
    /// Writes the rows held in memory to the file, making it first if need be.
    fn write_out(&mut self, dir: &std::path::Path) -> io::Result<()> {
        let file = match &mut self.file {
            Some(f) => f,
            None => self.file.insert(tempfile::tempfile_in(dir).map_err(|e| {
                said(
                    e.kind(),
                    format!(
                        "cannot keep the audit's rows: no temporary file in {} ({e}); set TMPDIR to a writable directory",
                        dir.display()
                    ),
                )
            })?),
        };
        file.seek(SeekFrom::End(0))?;
        file.write_all(&self.tail)
            .map_err(|e| context(e, "write the audit's rows to"))?;
        self.written += self.tail.len() as u64;
        self.tail.clear();
        Ok(())
    }
}

fn context(e: io::Error, what: &str) -> io::Error {
    said(e.kind(), format!("cannot {what} a temporary file: {e}"))
}

fn missing(what: &str) -> io::Error {
    said(
        io::ErrorKind::Other,
        format!("the audit's rows lost their {what}"),
    )
}

fn decode(bytes: &[u8], i: usize) -> io::Result<AuditRow> {
    postcard::from_bytes(bytes).map_err(|e| {
        said(
            io::ErrorKind::InvalidData,
            format!("audit row {} cannot be read back: {e}", i + 1),
        )
    })
}

/// The rows in order, read a chunk at a time.
pub struct Iter<'a> {
    rows: &'a Rows,
    next: usize,
    /// Bytes of the spool from `buf_start` on.
    buf: Vec<u8>,
    buf_start: u64,
}

impl Iterator for Iter<'_> {
    type Item = io::Result<AuditRow>;

    fn next(&mut self) -> Option<Self::Item> {
        let rows = self.rows;
        let i = self.next;
        if i >= rows.len() {
            return None;
        }
        self.next += 1;
        let (start, end) = (rows.start(i), rows.ends[i]);
        if start < self.buf_start || end > self.buf_start + self.buf.len() as u64 {
            // The rows that end within CHUNK bytes of this one's start, at least this one.
            let last = rows
                .ends
                .partition_point(|&e| e <= start + CHUNK)
                .max(i + 1);
            if let Err(e) = rows.read(start, rows.ends[last - 1], &mut self.buf) {
                self.next = rows.len();
                return Some(Err(e));
            }
            self.buf_start = start;
        }
        let at = (start - self.buf_start) as usize;
        Some(decode(&self.buf[at..at + (end - start) as usize], i))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.rows.len() - self.next;
        (n, Some(n))
    }
}

impl ExactSizeIterator for Iter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Arrangement, Cell, CellFinding, IndicatorValue};
    use crate::check::finding::Status;
    use crate::report::Span;
    use crate::rulebook::Severity;

    fn row(n: usize) -> AuditRow {
        AuditRow {
            path: format!("reports/{n}.txt"),
            issuer: Some(format!("第{n}镇人民政府")),
            issuer_key: Some(format!("第{n}镇")),
            year: Some(2020 + n as i32 % 5),
            date: n.is_multiple_of(3).then(|| "2024-03-01".to_string()),
            title: None,
            cells: vec![
                Cell {
                    status: Some(Status::Fail),
                    severity: Severity::Error,
                    finding: Some(Box::new(CellFinding {
                        message: "缺少“存在的不足及原因”".repeat(n % 7),
                        reason: None,
                        span: Some(Span {
                            start: n,
                            end: n + 3,
                            ..Span::default()
                        }),
                        evidence: Some("证据".into()),
                        span_is_evidence: n.is_multiple_of(2),
                    })),
                    failures: n,
                },
                Cell {
                    status: None,
                    severity: Severity::Info,
                    finding: None,
                    failures: 0,
                },
            ],
            values: vec![
                None,
                Some(Box::new(IndicatorValue {
                    value: n as f64 / 3.0,
                    unit: "%".into(),
                    approximate: false,
                    label: "出庭应诉率".into(),
                    text: format!("{n}%"),
                    span: Span::default(),
                    sentence: "行政机关负责人出庭应诉率100%。".into(),
                })),
            ],
            arrangements: vec![Arrangement {
                title: "强化行政执法监督".into(),
                line: n,
                terms: vec!["行政执法监督".into()],
            }],
        }
    }

    fn same(a: &AuditRow, b: &AuditRow) -> bool {
        format!("{a:?}") == format!("{b:?}")
    }

    #[test]
    fn rows_in_memory_come_back_as_they_went_in() {
        let want: Vec<AuditRow> = (0..20).map(row).collect();
        let mut rows = Rows::new();
        rows.extend(&want).unwrap();
        assert!(!rows.spilled());
        assert_eq!(rows.len(), 20);
        let back: Vec<AuditRow> = rows.iter().collect::<io::Result<_>>().unwrap();
        assert!(want.iter().zip(&back).all(|(a, b)| same(a, b)));
        assert!(same(&rows.get(13).unwrap(), &want[13]));
    }

    #[test]
    fn rows_spilled_to_a_file_come_back_in_order_and_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let want: Vec<AuditRow> = (0..500).map(row).collect();
        // A few rows per spill, so that the rows are split between the file and memory and an
        // in-order read crosses from one to the other.
        let mut rows = Rows::with_spill(2_000, dir.path().to_path_buf());
        rows.extend(&want).unwrap();
        assert!(rows.spilled());
        assert_eq!(rows.iter().len(), 500);
        for (i, got) in rows.iter().enumerate() {
            assert!(same(&got.unwrap(), &want[i]), "row {i}");
        }
        for i in [499, 0, 250, 1, 498] {
            assert!(same(&rows.get(i).unwrap(), &want[i]), "row {i}");
        }
    }

    #[test]
    fn an_in_order_read_takes_rows_larger_than_its_chunk() {
        let mut big = row(1);
        big.path = "长".repeat(CHUNK as usize);
        let want = [row(0), big, row(2)];
        let dir = tempfile::tempdir().unwrap();
        let mut rows = Rows::with_spill(1_000, dir.path().to_path_buf());
        rows.extend(&want).unwrap();
        let back: Vec<AuditRow> = rows.iter().collect::<io::Result<_>>().unwrap();
        assert!(want.iter().zip(&back).all(|(a, b)| same(a, b)));
    }

    #[test]
    fn no_temporary_directory_is_an_error_that_says_what_to_do() {
        let mut rows = Rows::with_spill(100, PathBuf::from("/nonexistent/reportlint-tmp"));
        let err = rows.extend(&[row(1), row(2)]).unwrap_err().to_string();
        assert!(err.contains("/nonexistent/reportlint-tmp"), "{err}");
        assert!(err.contains("set TMPDIR"), "{err}");
    }
}
