//! The Windows spooler: the printers it knows (local ones and connections to shared ones,
//! the default marked), a paused or offline printer refused up front (the job would wait
//! unseen in its queue), and the job itself: a printer DC set to the job's paper, each page
//! of the layout drawn through GDI (`documents::gdi`) between StartPage and EndPage.
// Windows API calls are foreign functions: the one place `unsafe` is allowed.
#![allow(unsafe_code)]

use std::ptr;

use windows_sys::Win32::Foundation::{
    GetLastError, ERROR_INSUFFICIENT_BUFFER, ERROR_INVALID_PRINTER_NAME,
};
use windows_sys::Win32::Graphics::Gdi::{
    CreateDCW, DeleteDC, DEVMODEW, DMORIENT_PORTRAIT, DMPAPER_A4, DMPAPER_A5, DMPAPER_USER,
    DM_FORMNAME, DM_IN_BUFFER, DM_ORIENTATION, DM_OUT_BUFFER, DM_PAPERLENGTH, DM_PAPERSIZE,
    DM_PAPERWIDTH, HDC,
};
use windows_sys::Win32::Graphics::Printing::{
    ClosePrinter, DocumentPropertiesW, EnumPrintersW, GetDefaultPrinterW, GetPrinterW,
    OpenPrinterW, PRINTER_ATTRIBUTE_WORK_OFFLINE, PRINTER_ENUM_CONNECTIONS, PRINTER_ENUM_LOCAL,
    PRINTER_HANDLE, PRINTER_INFO_2W, PRINTER_INFO_4W, PRINTER_STATUS_PAUSED,
};
use windows_sys::Win32::Storage::Xps::{AbortDoc, EndDoc, EndPage, StartDocW, StartPage, DOCINFOW};

use super::{PrintError, PrintJob, Printer};
use crate::documents::gdi::{Canvas, GdiError};
use crate::documents::Paper;

/// NUL-terminated UTF-16 for the API.
fn wide(text: &str) -> Vec<u16> {
    text.encode_utf16().chain(std::iter::once(0)).collect()
}

/// The system's reason for the last failure, in the system's language.
fn last_error() -> String {
    std::io::Error::last_os_error().to_string()
}

/// A buffer for the records the spooler writes, aligned for the pointers inside them.
fn aligned(bytes: usize) -> Vec<u64> {
    vec![0; bytes.div_ceil(8)]
}

/// Reads a NUL-terminated UTF-16 string.
///
/// # Safety
/// `p` is null or points to a NUL-terminated UTF-16 string that stays valid during the call.
unsafe fn from_wide(p: *const u16) -> Option<String> {
    if p.is_null() {
        return None;
    }
    let mut len = 0;
    // SAFETY: the caller promises a terminator, so every unit up to it is readable.
    while unsafe { *p.add(len) } != 0 {
        len += 1;
    }
    // SAFETY: the `len` units before the terminator were just read.
    Some(String::from_utf16_lossy(unsafe {
        std::slice::from_raw_parts(p, len)
    }))
}

pub(super) fn printers() -> Result<Vec<Printer>, PrintError> {
    let flags = PRINTER_ENUM_LOCAL | PRINTER_ENUM_CONNECTIONS;
    let (mut needed, mut count) = (0u32, 0u32);
    let mut buf: Vec<u64> = Vec::new();
    // A printer added between the size query and the listing needs one more round.
    for _ in 0..3 {
        let size = u32::try_from(buf.len() * 8).unwrap_or(u32::MAX);
        let out = if buf.is_empty() {
            ptr::null_mut()
        } else {
            buf.as_mut_ptr().cast()
        };
        // SAFETY: `out` is null with a size of 0, or `buf`, writable for `size` bytes;
        // `needed` and `count` are locals.
        if unsafe { EnumPrintersW(flags, ptr::null(), 4, out, size, &mut needed, &mut count) } != 0
        {
            let default = default_printer();
            let records = if count == 0 || buf.is_empty() {
                &[][..]
            } else {
                // SAFETY: on success the buffer starts with `count` PRINTER_INFO_4W records,
                // and it is aligned for them.
                unsafe {
                    std::slice::from_raw_parts(
                        buf.as_ptr().cast::<PRINTER_INFO_4W>(),
                        count as usize,
                    )
                }
            };
            return Ok(records
                .iter()
                // SAFETY: the names point into `buf`, NUL-terminated by the spooler.
                .filter_map(|r| unsafe { from_wide(r.pPrinterName) })
                .map(|name| Printer {
                    default: default.as_deref() == Some(name.as_str()),
                    name,
                })
                .collect());
        }
        // SAFETY: reads the calling thread's last error.
        if unsafe { GetLastError() } != ERROR_INSUFFICIENT_BUFFER {
            return Err(PrintError::NoSpooler(last_error()));
        }
        buf = aligned(needed as usize);
    }
    Err(PrintError::NoSpooler(last_error()))
}

/// The user's default printer; none when no printer is installed.
fn default_printer() -> Option<String> {
    let mut len = 0u32;
    // SAFETY: a size query: no buffer, `len` is a local.
    unsafe { GetDefaultPrinterW(ptr::null_mut(), &mut len) };
    if len == 0 {
        return None;
    }
    let mut buf = vec![0u16; len as usize];
    // SAFETY: `buf` holds `len` units, which is what the call is told.
    if unsafe { GetDefaultPrinterW(buf.as_mut_ptr(), &mut len) } == 0 {
        return None;
    }
    let end = buf.iter().position(|u| *u == 0).unwrap_or(buf.len());
    Some(String::from_utf16_lossy(&buf[..end]))
}

/// An open printer, closed on drop.
struct Handle(PRINTER_HANDLE);

impl Handle {
    fn open(name: &str, name_w: &[u16]) -> Result<Handle, PrintError> {
        let mut handle = PRINTER_HANDLE {
            Value: ptr::null_mut(),
        };
        // SAFETY: `name_w` is NUL-terminated; `handle` is a local; default access (use).
        if unsafe { OpenPrinterW(name_w.as_ptr(), &mut handle, ptr::null()) } == 0 {
            // SAFETY: reads the calling thread's last error.
            return Err(if unsafe { GetLastError() } == ERROR_INVALID_PRINTER_NAME {
                PrintError::PrinterNotFound(name.to_string())
            } else {
                failed(name, format!("OpenPrinterW: {}", last_error()))
            });
        }
        Ok(Handle(handle))
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: the handle came from OpenPrinterW and is closed once.
        unsafe { ClosePrinter(self.0) };
    }
}

fn failed(printer: &str, detail: String) -> PrintError {
    PrintError::Failed {
        printer: printer.to_string(),
        detail,
    }
}

/// Whether the printer holds its jobs: paused ("Pause printing") or set to "Use printer
/// offline"; either way a receipt sent now would not come out.
fn holds_jobs(handle: &Handle, name: &str) -> Result<bool, PrintError> {
    let mut needed = 0u32;
    // SAFETY: a size query: no buffer, `needed` is a local.
    unsafe { GetPrinterW(handle.0, 2, ptr::null_mut(), 0, &mut needed) };
    if needed == 0 {
        return Err(failed(name, format!("GetPrinterW: {}", last_error())));
    }
    let mut buf = aligned(needed as usize);
    // SAFETY: `buf` is writable for at least `needed` bytes and aligned for the record.
    if unsafe { GetPrinterW(handle.0, 2, buf.as_mut_ptr().cast(), needed, &mut needed) } == 0 {
        return Err(failed(name, format!("GetPrinterW: {}", last_error())));
    }
    // SAFETY: on success the buffer starts with a PRINTER_INFO_2W record.
    let info = unsafe { &*buf.as_ptr().cast::<PRINTER_INFO_2W>() };
    Ok(info.Status & PRINTER_STATUS_PAUSED != 0
        || info.Attributes & PRINTER_ATTRIBUTE_WORK_OFFLINE != 0)
}

/// The printer's default settings with the job's paper merged in by its driver: A4 and A5 by
/// their codes, the roll as a custom size 80 mm wide and as long as the receipt.
fn devmode(
    handle: &Handle,
    name: &str,
    name_w: &[u16],
    job: &PrintJob,
) -> Result<Vec<u64>, PrintError> {
    // SAFETY: a size query (mode 0): no buffers; `name_w` is NUL-terminated.
    let size = unsafe {
        DocumentPropertiesW(
            ptr::null_mut(),
            handle.0,
            name_w.as_ptr(),
            ptr::null_mut(),
            ptr::null(),
            0,
        )
    };
    let size = usize::try_from(size)
        .ok()
        .filter(|s| *s >= std::mem::size_of::<DEVMODEW>())
        .ok_or_else(|| failed(name, format!("DocumentPropertiesW: {}", last_error())))?;
    let mut defaults = aligned(size);
    // SAFETY: `defaults` is writable for the `size` bytes the driver asked for.
    let got = unsafe {
        DocumentPropertiesW(
            ptr::null_mut(),
            handle.0,
            name_w.as_ptr(),
            defaults.as_mut_ptr().cast(),
            ptr::null(),
            DM_OUT_BUFFER,
        )
    };
    if got < 0 {
        return Err(failed(
            name,
            format!("DocumentPropertiesW: {}", last_error()),
        ));
    }
    // SAFETY: the driver wrote a DEVMODEW at the start of the aligned buffer.
    let dm = unsafe { &mut *defaults.as_mut_ptr().cast::<DEVMODEW>() };
    set_paper(dm, job);
    let mut merged = aligned(size);
    // SAFETY: both buffers hold `size` bytes; the input is the DEVMODE just written.
    let got = unsafe {
        DocumentPropertiesW(
            ptr::null_mut(),
            handle.0,
            name_w.as_ptr(),
            merged.as_mut_ptr().cast(),
            defaults.as_ptr().cast(),
            DM_IN_BUFFER | DM_OUT_BUFFER,
        )
    };
    if got < 0 {
        return Err(failed(
            name,
            format!("DocumentPropertiesW: {}", last_error()),
        ));
    }
    Ok(merged)
}

fn set_paper(dm: &mut DEVMODEW, job: &PrintJob) {
    // SAFETY: a printer's DEVMODE uses the printer arm of this union (orientation, paper…).
    let mut sheet = unsafe { dm.Anonymous1.Anonymous1 };
    sheet.dmOrientation = DMORIENT_PORTRAIT as i16;
    // A form name or custom size left in the defaults would override the paper code.
    dm.dmFields &= !(DM_FORMNAME | DM_PAPERWIDTH | DM_PAPERLENGTH);
    dm.dmFields |= DM_ORIENTATION | DM_PAPERSIZE;
    match job.paper {
        Paper::A4 => sheet.dmPaperSize = DMPAPER_A4 as i16,
        Paper::A5 => sheet.dmPaperSize = DMPAPER_A5 as i16,
        Paper::Roll80 => {
            let height = job.layout.pages.first().map_or(297.0, |p| p.height);
            let tenths = |mm: f32| (mm * 10.0).round().clamp(1.0, f32::from(i16::MAX)) as i16;
            sheet.dmPaperSize = DMPAPER_USER as i16;
            sheet.dmPaperWidth = tenths(80.0);
            sheet.dmPaperLength = tenths(height);
            dm.dmFields |= DM_PAPERWIDTH | DM_PAPERLENGTH;
        }
    }
    dm.Anonymous1.Anonymous1 = sheet;
}

/// A printer device context, deleted on drop.
struct Dc(HDC);

impl Drop for Dc {
    fn drop(&mut self) {
        // SAFETY: the DC came from CreateDCW and is deleted once, after the canvas drew on it.
        unsafe { DeleteDC(self.0) };
    }
}

/// Each page of the layout between StartPage and EndPage.
fn draw_pages(dc: &Dc, job: &PrintJob) -> Result<(), GdiError> {
    // SAFETY: the canvas is dropped at the end of this function, before `dc` is deleted.
    let mut canvas = unsafe { Canvas::new(dc.0) }?;
    for page in &job.layout.pages {
        // SAFETY: page brackets on the DC of a started document.
        if unsafe { StartPage(dc.0) } <= 0 {
            return Err(GdiError {
                call: "StartPage",
                detail: Some(last_error()),
            });
        }
        canvas.draw(page)?;
        // SAFETY: as above.
        if unsafe { EndPage(dc.0) } <= 0 {
            return Err(GdiError {
                call: "EndPage",
                detail: Some(last_error()),
            });
        }
    }
    Ok(())
}

/// Draws every page between StartDoc and EndDoc; a failure aborts the job.
fn draw_job(dc: &Dc, job: &PrintJob, title_w: &[u16]) -> Result<i32, GdiError> {
    let doc = DOCINFOW {
        cbSize: std::mem::size_of::<DOCINFOW>() as i32,
        lpszDocName: title_w.as_ptr(),
        lpszOutput: ptr::null(),
        lpszDatatype: ptr::null(),
        fwType: 0,
    };
    // SAFETY: `doc` and the title it points to outlive the call.
    let id = unsafe { StartDocW(dc.0, &doc) };
    if id <= 0 {
        return Err(GdiError {
            call: "StartDocW",
            detail: Some(last_error()),
        });
    }
    let drawn = draw_pages(dc, job);
    match drawn {
        Ok(()) => {
            // SAFETY: ends the document started above.
            if unsafe { EndDoc(dc.0) } <= 0 {
                return Err(GdiError {
                    call: "EndDoc",
                    detail: Some(last_error()),
                });
            }
            Ok(id)
        }
        Err(e) => {
            // SAFETY: drops the half-drawn job from the queue.
            unsafe { AbortDoc(dc.0) };
            Err(e)
        }
    }
}

/// Prints the job's layout on `printer`; returns the spooler's job name.
pub(super) fn print(job: &PrintJob, printer: &str) -> Result<String, PrintError> {
    let name_w = wide(printer);
    let handle = Handle::open(printer, &name_w)?;
    if holds_jobs(&handle, printer)? {
        return Err(PrintError::Paused(printer.to_string()));
    }
    if job.layout.pages.is_empty() {
        return Err(failed(
            printer,
            crate::documents::DocumentError::EmptyLayout.to_string(),
        ));
    }
    let mode = devmode(&handle, printer, &name_w, job)?;
    let driver = wide("WINSPOOL");
    // SAFETY: the strings are NUL-terminated and `mode` holds the merged DEVMODE; all
    // outlive the call.
    let hdc = unsafe {
        CreateDCW(
            driver.as_ptr(),
            name_w.as_ptr(),
            ptr::null(),
            mode.as_ptr().cast(),
        )
    };
    if hdc.is_null() {
        return Err(failed(printer, format!("CreateDCW: {}", last_error())));
    }
    let dc = Dc(hdc);
    let id = draw_job(&dc, job, &wide(job.title)).map_err(|e| failed(printer, e.to_string()))?;
    Ok(format!("{printer}-{id}"))
}
